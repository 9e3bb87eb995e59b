#include "common/server/server_info_service.h"

namespace caunoi {

grpc::Status ServerInfoServiceImpl::GetServerInfo(grpc::ServerContext*,
                                                  const v1::GetServerInfoRequest*,
                                                  v1::ServerInfo* response) {
  *response = info_;
  return grpc::Status::OK;
}

}  // namespace caunoi
