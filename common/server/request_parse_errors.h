#ifndef CAUNOI_COMMON_SERVER_REQUEST_PARSE_ERRORS_H_
#define CAUNOI_COMMON_SERVER_REQUEST_PARSE_ERRORS_H_

#include <memory>

#include "grpcpp/support/server_interceptor.h"

// A request that protobuf cannot parse (in proto3, most often a string field
// holding invalid UTF-8) never reaches a handler: gRPC answers INTERNAL with
// an empty message, which blames the server for the caller's bytes. These
// make it INVALID_ARGUMENT, naming the field when protobuf reported it.
namespace caunoi {

// Routes protobuf's log lines into our JSON log and remembers, per thread,
// the last field protobuf refused as invalid UTF-8. Call once at start.
void InstallProtobufLogHandler();

// The interceptor that rewrites the status of such calls.
std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
MakeParseErrorInterceptorFactory();

}  // namespace caunoi

#endif  // CAUNOI_COMMON_SERVER_REQUEST_PARSE_ERRORS_H_
