#ifndef CAUNOI_SERVICES_REPORTS_INDICATOR_STORE_H_
#define CAUNOI_SERVICES_REPORTS_INDICATOR_STORE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "caunoi/v1/reports.pb.h"
#include "common/resource/resource_store.h"

namespace caunoi::reports {

// What SummarizeIndicators adds up, resolved by the handler.
struct IndicatorQuery {
  std::vector<std::string> document_ids;
  // Codes; empty: every indicator the reports carry.
  std::vector<std::string> codes;
  std::optional<absl::CivilDay> from;
  absl::CivilDay to;
  absl::CivilDay today;
  bool include_submitted = false;
  std::optional<std::string> locality_id;
  v1::IndicatorGrouping grouping = v1::INDICATOR_GROUPING_UNSPECIFIED;
};

// The documents' indicator sets and the totals kept of their reports'
// values (reports.indicator_tallies).
class IndicatorStore {
 public:
  explicit IndicatorStore(resource::ResourceStore& resources) : resources_(resources) {}

  absl::StatusOr<v1::DocumentIndicators> GetSet(absl::string_view document_id, absl::Time deadline);
  // Replaces the document's set; NOT_FOUND naming an unknown indicator.
  absl::StatusOr<v1::DocumentIndicators> SetSet(absl::string_view document_id,
                                                const v1::DocumentIndicators& set,
                                                const resource::WriteRequest& write);
  // The kept totals of the query's groups and, when an indicator has one,
  // the obligation groups whose periods say how many reports were
  // expected, in one snapshot.
  absl::StatusOr<v1::SummarizeIndicatorsResponse> Summarize(const IndicatorQuery& query,
                                                            absl::Time deadline);

 private:
  resource::ResourceStore& resources_;
};

}  // namespace caunoi::reports

#endif  // CAUNOI_SERVICES_REPORTS_INDICATOR_STORE_H_
