#ifndef CAUNOI_SERVICES_DIRECTIVES_DIRECTIVES_STORE_H_
#define CAUNOI_SERVICES_DIRECTIVES_DIRECTIVES_STORE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "caunoi/v1/directives.pb.h"
#include "common/pg/pool.h"
#include "common/resource/resource_store.h"

namespace caunoi::directives {

// The directives service's SQL beyond the standard methods (whose
// statements live with each resource in resources/).
class DirectivesStore {
 public:
  explicit DirectivesStore(pg::Pool& pool) : pool_(pool), resources_(pool, "directives") {}

  resource::ResourceStore& resources() { return resources_; }

  // The root and every document below it, each once at its shortest depth.
  absl::StatusOr<v1::GetCascadeResponse> GetCascade(absl::string_view name, absl::string_view id,
                                                    absl::Time deadline);

  // Per locality below the root `name` (whose id is `id`), or per place
  // within locality `locality_id` when it is not NULL, in one query;
  // NOT_FOUND when there is no such document.
  absl::StatusOr<v1::GetImplementationStatusResponse> GetImplementationStatus(
      absl::string_view name, absl::string_view id, const pg::Param& locality_id,
      absl::Time deadline);
  absl::StatusOr<v1::SummarizeOverdueTasksResponse> SummarizeOverdueTasks(absl::Time deadline);
  // Moves the day at which open tasks are split (overdue or not) to today
  // in Vietnam; the day it is now.
  absl::StatusOr<std::string> AdvanceTaskHorizon(absl::Time deadline);
  // Open tasks due within [from, to], after task id `after_id`, in id
  // order: at most `limit`.
  absl::StatusOr<v1::ListTasksFallingDueResponse> ListTasksFallingDue(absl::CivilDay from,
                                                                      absl::CivilDay to,
                                                                      int64_t after_id, int limit,
                                                                      absl::Time deadline);

 private:
  pg::Pool& pool_;
  resource::ResourceStore resources_;
};

}  // namespace caunoi::directives

#endif  // CAUNOI_SERVICES_DIRECTIVES_DIRECTIVES_STORE_H_
