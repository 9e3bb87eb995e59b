#include "services/organizations/organizations_service.h"

// Communes: the official list, read through the standard methods and
// brought in whole when a new one is issued.
#include "common/auth/principal.h"
#include "common/resource/write_request.h"
#include "common/status/grpc_status.h"
#include "common/status/status_macros.h"

namespace caunoi::organizations {

grpc::Status OrganizationsService::ImportCommunes(grpc::ServerContext* context,
                                                  const v1::ImportCommunesRequest* request,
                                                  v1::ImportCommunesResponse* response) {
  absl::Status status = [&]() -> absl::Status {
    CAUNOI_ASSIGN_OR_RETURN(CommuneList list, ParseImportCommunesRequest(*request));
    CAUNOI_RETURN_IF_ERROR(auth::CheckWrite(*context, "", "the commune list"));
    CAUNOI_ASSIGN_OR_RETURN(
        resource::WriteRequest write,
        resource::WriteRequestFrom(*context, "ImportCommunes", *request, "", ""));
    CAUNOI_ASSIGN_OR_RETURN(*response, store_.ImportCommunes(list, write));
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

}  // namespace caunoi::organizations
