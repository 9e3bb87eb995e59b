#include "services/organizations/organizations_service.h"

// Localities: the 34 provincial-level units and those the 2025 merger
// replaced.
#include "common/api/deadline.h"
#include "common/resource/reply.h"
#include "common/status/grpc_status.h"
#include "common/status/status_macros.h"

namespace caunoi::organizations {

grpc::Status OrganizationsService::GetLocality(grpc::ServerContext* context,
                                               const v1::GetLocalityRequest* request,
                                               v1::Locality* response) {
  absl::Status status = [&]() -> absl::Status {
    CAUNOI_ASSIGN_OR_RETURN(std::string id, ParseLocalityName(request->name(), "name"));
    CAUNOI_ASSIGN_OR_RETURN(*response, store_.GetLocality(id, api::RequestDeadline(*context)));
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

grpc::Status OrganizationsService::ListLocalities(grpc::ServerContext* context,
                                                  const v1::ListLocalitiesRequest* request,
                                                  v1::ListLocalitiesResponse* response) {
  absl::Status status = [&]() -> absl::Status {
    CAUNOI_ASSIGN_OR_RETURN(LocalityQuery query, ParseListLocalitiesRequest(*request));
    CAUNOI_ASSIGN_OR_RETURN(std::vector<v1::Locality> rows,
                            store_.ListLocalities(query, api::RequestDeadline(*context)));
    const bool more = static_cast<int>(rows.size()) > query.page_size;
    if (more) rows.resize(query.page_size);
    for (v1::Locality& locality : rows) *response->add_localities() = std::move(locality);
    if (more) {
      response->set_next_page_token(
          NextLocalitiesPageToken(*request, response->localities(response->localities_size() - 1)));
    }
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

grpc::Status OrganizationsService::ResolveLocalityCode(
    grpc::ServerContext* context, const v1::ResolveLocalityCodeRequest* request,
    v1::ResolveLocalityCodeResponse* response) {
  if (IsCommuneCode(request->code())) {
    absl::StatusOr<absl::CivilDay> as_of = ParseResolveDate(*request);
    if (!as_of.ok()) return ToGrpcStatus(as_of.status());
    return resource::Reply(
        store_.ResolveCommuneCode(request->code(), *as_of, api::RequestDeadline(*context)),
        response);
  }
  absl::Status status = [&]() -> absl::Status {
    CAUNOI_RETURN_IF_ERROR(ValidateLocalityCode(request->code(), "code"));
    CAUNOI_ASSIGN_OR_RETURN(absl::CivilDay as_of, ParseResolveDate(*request));
    CAUNOI_ASSIGN_OR_RETURN(
        LocalityResolution resolution,
        store_.ResolveLocalityCode(request->code(), as_of, api::RequestDeadline(*context)));
    *response->mutable_locality() = std::move(resolution.locality);
    *response->mutable_current() = std::move(resolution.current);
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

}  // namespace caunoi::organizations
