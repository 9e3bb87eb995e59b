#ifndef CAUNOI_COMMON_CLIENT_CHANNEL_H_
#define CAUNOI_COMMON_CLIENT_CHANNEL_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "common/config/service_config.h"
#include "grpcpp/channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"

namespace caunoi {

// Channel arguments every client of our servers uses: keepalive the servers
// accept, and message limits matching theirs.
grpc::ChannelArguments ClientChannelArguments(int max_message_bytes = 4 << 20);

// A plaintext channel to `target` (host:port or a resolver URI).
std::shared_ptr<grpc::Channel> MakeInsecureChannel(const std::string& target);

// Credentials for calls to the other services: TLS verified with
// config.backend_ca_file (and a client certificate for mutual TLS) when it
// is set, plaintext otherwise. INVALID_ARGUMENT naming the flag of a file
// that cannot be read.
absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> BackendCredentials(
    const ServiceConfig& config);

}  // namespace caunoi

#endif  // CAUNOI_COMMON_CLIENT_CHANNEL_H_
