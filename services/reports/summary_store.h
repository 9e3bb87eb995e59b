#ifndef CAUNOI_SERVICES_REPORTS_SUMMARY_STORE_H_
#define CAUNOI_SERVICES_REPORTS_SUMMARY_STORE_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "caunoi/v1/reports.pb.h"
#include "common/pg/pool.h"
#include "services/reports/compliance.h"
#include "services/reports/held_commune_tallies.h"

// The aggregates the gateway shows, each one SQL statement. Requests are
// validated by the caller.
namespace caunoi::reports {

// Where a page of missing reports ended, in their order.
struct MissingKey {
  std::string due_date;  // ISO
  int64_t document_id = 0;
  std::string locality;
  std::string period;
};

struct MissingReportsPage {
  v1::ListMissingReportsResponse response;
  std::optional<MissingKey> last;  // set when another page follows
};

class SummaryStore {
 public:
  SummaryStore(pg::Pool& pool, HeldCommuneTallies& held) : pool_(pool), held_(held) {}

  // Obligations on any of `documents` ("directives/3") in the current
  // locality `locality_id` (NULL: every one), per locality or, by commune,
  // per place: the locality itself or one of its communes. Written into
  // `response`, which may live on the caller's arena.
  absl::Status Compliance(const google::protobuf::RepeatedPtrField<std::string>& documents,
                          const pg::Param& locality_id, ComplianceShape shape,
                          const ComplianceWindow& window, absl::Time deadline,
                          v1::SummarizeComplianceResponse& response);
  // Every document's periods with reports missing past their due dates by
  // `today`, in the current locality `locality_id` (NULL: every one): at
  // most `limit` of them after `after`.
  absl::StatusOr<MissingReportsPage> MissingReports(const pg::Param& locality_id,
                                                    absl::CivilDay today,
                                                    const std::optional<MissingKey>& after,
                                                    int limit, absl::Time deadline);
  // Activities starting within [from, to] (ISO dates; NULL: unbounded).
  absl::StatusOr<v1::SummarizeActivitiesResponse> Activities(const pg::Param& locality_id,
                                                             const pg::Param& from,
                                                             const pg::Param& to,
                                                             absl::Time deadline);
  // Assigned to any of `assignees` ("organizations/7"; none: anyone) of
  // the current locality `locality_id` (NULL: anywhere) as they stood when
  // assigned.
  absl::StatusOr<v1::SummarizeOpenProposalsResponse> OpenProposals(
      const google::protobuf::RepeatedPtrField<std::string>& assignees,
      const pg::Param& locality_id, absl::Time deadline);

 private:
  pg::Pool& pool_;
  HeldCommuneTallies& held_;
};

}  // namespace caunoi::reports

#endif  // CAUNOI_SERVICES_REPORTS_SUMMARY_STORE_H_
