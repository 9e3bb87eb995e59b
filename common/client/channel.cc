#include "common/client/channel.h"

#include "common/client/keepalive.h"
#include "common/config/read_file.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"

namespace caunoi {

grpc::ChannelArguments ClientChannelArguments(int max_message_bytes) {
  grpc::ChannelArguments arguments;
  arguments.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS,
                   static_cast<int>(absl::ToInt64Milliseconds(keepalive::kClientPingInterval)));
  arguments.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS,
                   static_cast<int>(absl::ToInt64Milliseconds(keepalive::kPingTimeout)));
  arguments.SetInt(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  arguments.SetInt(GRPC_ARG_HTTP2_MAX_PINGS_WITHOUT_DATA, 0);
  // Servers start in any order: a call refused because a dependency is not
  // up yet must not leave the channel failing calls for a second or more
  // after it is (gRPC's default first wait is 1 s). The minimum reconnect
  // backoff keeps its default (20 s): gRPC gives each connection attempt
  // that long, and a loaded peer or a TLS handshake can take longer than
  // the first wait.
  arguments.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  arguments.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 5000);
  arguments.SetMaxReceiveMessageSize(max_message_bytes);
  arguments.SetMaxSendMessageSize(max_message_bytes);
  return arguments;
}

std::shared_ptr<grpc::Channel> MakeInsecureChannel(const std::string& target) {
  return grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(),
                                   ClientChannelArguments());
}

absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> BackendCredentials(
    const ServiceConfig& config) {
  if (config.backend_ca_file.empty()) return grpc::InsecureChannelCredentials();
  grpc::SslCredentialsOptions options;
  absl::StatusOr<std::string> ca = ReadFlagFile(config.backend_ca_file, "backend_ca_file");
  if (!ca.ok()) return ca.status();
  options.pem_root_certs = *std::move(ca);
  if (!config.backend_cert_file.empty()) {
    absl::StatusOr<std::string> cert = ReadFlagFile(config.backend_cert_file, "backend_cert_file");
    if (!cert.ok()) return cert.status();
    absl::StatusOr<std::string> key = ReadFlagFile(config.backend_key_file, "backend_key_file");
    if (!key.ok()) return key.status();
    options.pem_cert_chain = *std::move(cert);
    options.pem_private_key = *std::move(key);
  }
  return grpc::SslCredentials(options);
}

}  // namespace caunoi
