#ifndef CAUNOI_COMMON_RESOURCE_STATE_JSON_H_
#define CAUNOI_COMMON_RESOURCE_STATE_JSON_H_

#include <string>

#include "google/protobuf/message.h"

namespace caunoi::resource {

// A resource's state as the audit log and the change log keep it (jsonb):
// the JSON protobuf prints with proto field names and default values left
// out, the same values (64-bit integers quoted, enums by name, timestamps
// in RFC 3339), written by walking the message's reflection directly.
// protobuf 3.21's printer serializes the message to bytes and converts them
// through a type resolver, several times the cost, on every audited write.
// Well-known types other than Timestamp are left to protobuf's printer.
std::string ToJson(const google::protobuf::Message& message);

}  // namespace caunoi::resource

#endif  // CAUNOI_COMMON_RESOURCE_STATE_JSON_H_
