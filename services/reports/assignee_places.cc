#include "services/reports/assignee_places.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "common/api/locality_name.h"
#include "common/status/status_macros.h"

namespace caunoi::reports {

absl::StatusOr<SettledBatch> AssigneePlaces::FillBatch(int64_t after_id, absl::Time deadline) {
  constexpr int kBatch = 200;
  CAUNOI_ASSIGN_OR_RETURN(std::vector<int64_t> assignees,
                          store_.AssigneesWithoutLocality(after_id, kBatch, deadline));
  SettledBatch batch{.read = static_cast<int>(assignees.size()), .last_id = after_id};
  for (const int64_t assignee : assignees) {
    batch.last_id = assignee;
    CAUNOI_ASSIGN_OR_RETURN(
        v1::Organization organization,
        organizations_.ReadOrganization(absl::StrCat("organizations/", assignee),
                                        "proposal.assignee", deadline));
    if (organization.current_locality().empty()) continue;
    CAUNOI_ASSIGN_OR_RETURN(std::string locality_id,
                            ParseLocalityName(organization.current_locality(), "locality"));
    CAUNOI_RETURN_IF_ERROR(store_.KeepAssigneeLocality(assignee, locality_id, deadline));
  }
  return batch;
}

void AssigneePlaces::FillAll(const absl::Notification& stop) {
  SettleEachOnce("assignee_places", stop, [this](int64_t after_id, absl::Time deadline) {
    return FillBatch(after_id, deadline);
  });
}

}  // namespace caunoi::reports
