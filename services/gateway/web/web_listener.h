// The gateway's web dashboard: its own HTTP listener (--web_listen) serving
// the page's files from the binary and its data through ApiBridge, which
// calls the gateway in-process with the caller's token.
#ifndef CAUNOI_SERVICES_GATEWAY_WEB_WEB_LISTENER_H_
#define CAUNOI_SERVICES_GATEWAY_WEB_WEB_LISTENER_H_

#include <memory>
#include <string>

#include "common/server/server_runner.h"
#include "services/gateway/web/api_bridge.h"

struct mg_context;
struct mg_connection;

namespace caunoi::gateway::web {

class WebListener : public CompanionListener {
 public:
  // `address` is "127.0.0.1:50080".
  WebListener(std::string address, absl::Duration call_deadline);
  ~WebListener() override;

  absl::Status Start(grpc::Server& server) override;
  void Stop() override;

 private:
  static int HandleRequest(mg_connection* connection, void* self);
  int ServeAsset(mg_connection* connection, const std::string& path, bool head_only);
  int ServeApi(mg_connection* connection, const std::string& method);

  const std::string address_;
  const absl::Duration call_deadline_;
  std::unique_ptr<ApiBridge> bridge_;
  mg_context* context_ = nullptr;
};

}  // namespace caunoi::gateway::web

#endif  // CAUNOI_SERVICES_GATEWAY_WEB_WEB_LISTENER_H_
