#ifndef CAUNOI_COMMON_CLIENT_CHANNEL_H_
#define CAUNOI_COMMON_CLIENT_CHANNEL_H_

#include <memory>
#include <string>

#include "grpcpp/channel.h"
#include "grpcpp/support/channel_arguments.h"

namespace caunoi {

// Channel arguments every client of our servers uses: keepalive the servers
// accept, and message limits matching theirs.
grpc::ChannelArguments ClientChannelArguments(int max_message_bytes = 4 << 20);

// A plaintext channel to `target` (host:port or a resolver URI).
std::shared_ptr<grpc::Channel> MakeInsecureChannel(const std::string& target);

}  // namespace caunoi

#endif  // CAUNOI_COMMON_CLIENT_CHANNEL_H_
