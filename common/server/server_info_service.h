#ifndef CAUNOI_COMMON_SERVER_SERVER_INFO_SERVICE_H_
#define CAUNOI_COMMON_SERVER_SERVER_INFO_SERVICE_H_

#include "caunoi/v1/server_info.grpc.pb.h"

namespace caunoi {

// Tells a caller which server it reached; registered by the server runner.
class ServerInfoServiceImpl final : public v1::ServerInfoService::Service {
 public:
  explicit ServerInfoServiceImpl(v1::ServerInfo info) : info_(std::move(info)) {}

  grpc::Status GetServerInfo(grpc::ServerContext* context, const v1::GetServerInfoRequest* request,
                             v1::ServerInfo* response) override;

  const v1::ServerInfo& info() const { return info_; }

 private:
  const v1::ServerInfo info_;
};

}  // namespace caunoi

#endif  // CAUNOI_COMMON_SERVER_SERVER_INFO_SERVICE_H_
