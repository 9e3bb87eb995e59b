#include "common/server/server_info_service.h"

#include "common/server/call_counter.h"

namespace caunoi {

grpc::Status ServerInfoServiceImpl::GetServerInfo(grpc::ServerContext*,
                                                  const v1::GetServerInfoRequest*,
                                                  v1::ServerInfo* response) {
  *response = info_;
  response->set_calls_served(CallsServed());
  return grpc::Status::OK;
}

}  // namespace caunoi
