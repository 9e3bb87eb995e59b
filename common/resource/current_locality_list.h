#ifndef CAUNOI_COMMON_RESOURCE_CURRENT_LOCALITY_LIST_H_
#define CAUNOI_COMMON_RESOURCE_CURRENT_LOCALITY_LIST_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/api/deadline.h"
#include "common/client/organizations_client.h"
#include "common/resource/standard_methods.h"
#include "common/status/status_macros.h"

namespace caunoi::resource {

// One page of a List method (AIP-132) whose `locality` filter term stands
// for that locality's area today: the organizations service names today's
// unit, bound after the filter's own parameters and before `more`.
template <typename M, typename Request>
absl::StatusOr<std::vector<M>> ListInCurrentLocality(
    OrganizationsClient& organizations, ResourceStore& store, const ListSpec& list,
    M (*from_row)(RowReader&), const grpc::ServerContext& context, absl::string_view method,
    const Request& request, std::vector<std::string> parent_ids, std::vector<pg::Param> more,
    std::string* next_page_token) {
  CAUNOI_ASSIGN_OR_RETURN(std::optional<std::string> current,
                          organizations.CurrentLocalityInFilter(
                              request.filter(), list.filter_fields, api::RequestDeadline(context)));
  std::vector<pg::Param> extra = {current};
  extra.insert(extra.end(), more.begin(), more.end());
  return ListResources(store, list, from_row, context, method,
                       {request.filter(), request.page_size(), request.page_token(),
                        std::move(parent_ids), std::move(extra)},
                       next_page_token);
}

}  // namespace caunoi::resource

#endif  // CAUNOI_COMMON_RESOURCE_CURRENT_LOCALITY_LIST_H_
