#ifndef CAUNOI_SERVICES_DIRECTIVES_DIRECTIVES_STORE_H_
#define CAUNOI_SERVICES_DIRECTIVES_DIRECTIVES_STORE_H_

#include <optional>
#include <set>
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

// Where a page of a cascade ended: its last entry's depth, issue date and
// document id (the first page starts before depth 0).
struct CascadeKey {
  int depth = 0;
  std::string issue_date = "-infinity";
  std::string id = "0";
};

struct CascadePage {
  v1::GetCascadeResponse response;
  std::optional<CascadeKey> last;            // set when another page may follow
  std::set<std::string> reached_localities;  // "localities/01"
};

// Where a page of tasks falling due ended: its last due date and task id.
struct FallingDueKey {
  absl::CivilDay due;
  int64_t id = 0;
};

struct FallingDuePage {
  v1::ListTasksFallingDueResponse response;
  std::optional<FallingDueKey> last;  // set when another page may follow
};

// The directives service's SQL beyond the standard methods (whose
// statements live with each resource in resources/).
class DirectivesStore {
 public:
  explicit DirectivesStore(pg::Pool& pool) : pool_(pool), resources_(pool, "directives") {}

  resource::ResourceStore& resources() { return resources_; }

  // The root and a page of the documents below it (after `after`, at most
  // `limit`), each once at its shortest depth; and today's units the whole
  // cascade reaches.
  absl::StatusOr<CascadePage> GetCascade(absl::string_view name, absl::string_view id,
                                         const CascadeKey& after, int limit, absl::Time deadline);

  // Per locality below the root `name` (whose id is `id`), or per place
  // within locality `locality_id` when it is not NULL, in one query, the
  // communes that acted named or (`communes_by_code`) numbered; NOT_FOUND
  // when there is no such document.
  absl::StatusOr<v1::GetImplementationStatusResponse> GetImplementationStatus(
      absl::string_view name, absl::string_view id, const pg::Param& locality_id,
      bool communes_by_code, absl::Time deadline);
  // Overdue tasks per current locality; only `locality_id`'s unless null.
  absl::StatusOr<v1::SummarizeOverdueTasksResponse> SummarizeOverdueTasks(
      const pg::Param& locality_id, absl::Time deadline);
  // Moves the day at which open tasks are split (overdue or not) to today
  // in Vietnam; the day it is now.
  absl::StatusOr<std::string> AdvanceTaskHorizon(absl::Time deadline);
  // Open tasks due within [from, to] after `after`, earliest due first, of
  // documents of `locality_id` (any when NULL): at most `limit`.
  absl::StatusOr<FallingDuePage> ListTasksFallingDue(absl::CivilDay from, absl::CivilDay to,
                                                     const pg::Param& locality_id,
                                                     const FallingDueKey& after, int limit,
                                                     absl::Time deadline);

 private:
  pg::Pool& pool_;
  resource::ResourceStore resources_;
};

}  // namespace caunoi::directives

#endif  // CAUNOI_SERVICES_DIRECTIVES_DIRECTIVES_STORE_H_
