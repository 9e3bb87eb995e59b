#ifndef CAUNOI_SERVICES_REPORTS_REPORTS_STORE_H_
#define CAUNOI_SERVICES_REPORTS_REPORTS_STORE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "caunoi/v1/reports.pb.h"
#include "common/pg/pool.h"
#include "common/resource/resource_store.h"

namespace caunoi::reports {

// A step of the review workflow.
struct Transition {
  std::vector<v1::ReportState> from;  // states it may start from
  v1::ReportState to;
  // Whether a reviewer's comment is required (return, reopen).
  bool needs_comment = false;
};

// The reports service's SQL beyond the standard methods (whose statements
// live with each resource in resources/).
class ReportsStore {
 public:
  explicit ReportsStore(pg::Pool& pool) : pool_(pool), resources_(pool, "reports") {}

  resource::ResourceStore& resources() { return resources_; }

  // ALREADY_EXISTS naming the report the obligation already has for this
  // period; OK when it has none.
  absl::Status CheckPeriodFree(absl::string_view obligation_id, const v1::Report& report,
                               absl::Time deadline);

  // Obligations recorded before they kept their unit's locality, oldest
  // first, at most `limit`.
  absl::StatusOr<std::vector<v1::Obligation>> ObligationsWithoutUnitLocality(int limit,
                                                                             absl::Time deadline);

  // Moves the report along the workflow, audited with the comment as the
  // reason. FAILED_PRECONDITION when its state does not allow the step.
  absl::StatusOr<v1::Report> Move(absl::string_view name, absl::string_view id,
                                  absl::string_view etag, const Transition& transition,
                                  absl::string_view comment, absl::CivilDay today,
                                  const resource::WriteRequest& write);

 private:
  pg::Pool& pool_;
  resource::ResourceStore resources_;
};

}  // namespace caunoi::reports

#endif  // CAUNOI_SERVICES_REPORTS_REPORTS_STORE_H_
