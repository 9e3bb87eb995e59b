// Reading which indicators a document's reports carry, inside the
// caller's transaction (a filing, an edit, a submission, an import).
#ifndef CAUNOI_SERVICES_REPORTS_INDICATORS_INDICATOR_SET_STORE_H_
#define CAUNOI_SERVICES_REPORTS_INDICATORS_INDICATOR_SET_STORE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/pg/connection.h"
#include "services/reports/indicators/indicator_sets.h"

namespace caunoi::reports {

// The sets of `document_ids`, in one statement on `connection`.
absl::StatusOr<IndicatorSets> LoadIndicatorSets(pg::Connection& connection,
                                                const std::vector<std::string>& document_ids);

// The statement reading the sets of the documents `obligation_ids` are on,
// to send with others (pg::Connection::ExecuteTogether); its result is read
// with IndicatorSetsFromRows.
pg::Connection::Call IndicatorSetsOfObligations(const std::vector<std::string>& obligation_ids);
IndicatorSets IndicatorSetsFromRows(const pg::Result& rows);

// The set of the document the report named `report_name`
// ("obligations/{id}/reports/{id}") is on.
absl::StatusOr<IndicatorSet> IndicatorSetOfReport(pg::Connection& connection,
                                                  absl::string_view report_name);

}  // namespace caunoi::reports

#endif  // CAUNOI_SERVICES_REPORTS_INDICATORS_INDICATOR_SET_STORE_H_
