#ifndef CAUNOI_SERVICES_ORGANIZATIONS_ORGANIZATIONS_SERVICE_H_
#define CAUNOI_SERVICES_ORGANIZATIONS_ORGANIZATIONS_SERVICE_H_

#include "caunoi/v1/organizations.grpc.pb.h"
#include "services/organizations/organizations_store.h"

namespace caunoi::organizations {

// RPC handlers: validate, ask the store, map the status once.
class OrganizationsService final : public v1::OrganizationService::Service {
 public:
  explicit OrganizationsService(OrganizationsStore& store) : store_(store) {}

  grpc::Status GetLocality(grpc::ServerContext* context, const v1::GetLocalityRequest* request,
                           v1::Locality* response) override;
  grpc::Status ListLocalities(grpc::ServerContext* context,
                              const v1::ListLocalitiesRequest* request,
                              v1::ListLocalitiesResponse* response) override;
  grpc::Status ResolveLocalityCode(grpc::ServerContext* context,
                                   const v1::ResolveLocalityCodeRequest* request,
                                   v1::ResolveLocalityCodeResponse* response) override;

 private:
  OrganizationsStore& store_;
};

}  // namespace caunoi::organizations

#endif  // CAUNOI_SERVICES_ORGANIZATIONS_ORGANIZATIONS_SERVICE_H_
