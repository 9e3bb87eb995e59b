#ifndef CAUNOI_COMMON_RESOURCE_CURRENT_LOCALITY_LIST_H_
#define CAUNOI_COMMON_RESOURCE_CURRENT_LOCALITY_LIST_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/api/deadline.h"
#include "common/client/organizations_client.h"
#include "common/resource/standard_handlers.h"
#include "common/status/status_macros.h"

namespace caunoi::resource {

// The list parameters of a List whose `locality` filter term stands for
// that locality's area today: the unit the organizations service names for
// it, then what `more` adds.
inline ListParams CurrentLocalityParams(OrganizationsClient& organizations, const ListSpec& list,
                                        ListParams more = nullptr) {
  return [&organizations, &list, more = std::move(more)](
             const grpc::ServerContext& context,
             const google::protobuf::Message& request) -> absl::StatusOr<std::vector<pg::Param>> {
    CAUNOI_ASSIGN_OR_RETURN(
        std::optional<std::string> current,
        organizations.CurrentLocalityInFilter(internal::StringField(request, "filter"),
                                              list.filter_fields, api::RequestDeadline(context)));
    std::vector<pg::Param> params = {std::move(current)};
    if (more) {
      CAUNOI_ASSIGN_OR_RETURN(std::vector<pg::Param> added, more(context, request));
      params.insert(params.end(), added.begin(), added.end());
    }
    return params;
  };
}

}  // namespace caunoi::resource

#endif  // CAUNOI_COMMON_RESOURCE_CURRENT_LOCALITY_LIST_H_
