#ifndef CAUNOI_SERVICES_REPORTS_RESOURCES_RESOURCES_H_
#define CAUNOI_SERVICES_REPORTS_RESOURCES_RESOURCES_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "caunoi/v1/reports.pb.h"
#include "common/period/period.h"
#include "common/resource/columns.h"
#include "common/resource/resource_helpers.h"
#include "common/resource/standard_methods.h"
#include "common/resource/stored_table.h"

// The resources of the reports service, each defined in its own file here.
namespace caunoi::reports {

inline constexpr absl::string_view kObligationPattern = "obligations/{}";
inline constexpr absl::string_view kReportPattern = "obligations/{}/reports/{}";
inline constexpr absl::string_view kActivityPattern = "activities/{}";
inline constexpr absl::string_view kProposalPattern = "proposals/{}";

extern const resource::ResourceSpec<v1::Obligation> kObligationSpec;
extern const resource::ListSpec kObligationList;
v1::Obligation ObligationFromRow(resource::RowReader& row);

extern const resource::ResourceSpec<v1::Report> kReportSpec;
extern const resource::ListSpec kReportList;
v1::Report ReportFromRow(resource::RowReader& row);

extern const resource::ResourceSpec<v1::Activity> kActivitySpec;
extern const resource::ListSpec kActivityList;
// The partner countries a ListActivities query narrows to, as kActivityList
// binds them after the filter's parameters.
std::string CountriesParam(const std::vector<std::string>& codes);

extern const resource::ResourceSpec<v1::Proposal> kProposalSpec;
extern const resource::ListSpec kProposalList;

extern const resource::ResourceSpec<v1::Indicator> kIndicatorSpec;
extern const resource::ListSpec kIndicatorList;

// The period kind an obligation's cadence reports by; nullopt when unset.
std::optional<periods::PeriodKind> PeriodKindOf(v1::Cadence cadence);

// Reports after $1 (an id) whose period starts between $3 and $4, in the
// current locality $5 (NULL: all), at most $2.
extern const pg::Statement kReportExport;

// The obligations whose ids are in $1 (a bigint[] literal).
extern const pg::Statement kObligationsByIds;
// Every obligation on the document $1 (its id).
extern const pg::Statement kObligationsOfDocument;
// Obligations recorded before they kept their unit's locality: $1 limit.
extern const pg::Statement kObligationsWithoutUnitLocality;
// The reports whose ids are in $1 (a bigint[] literal).
extern const pg::Statement kReportsByIds;
// Many reports in one statement: $1 the obligation ids, then one array per
// column kReportSpec writes ($2..$10, in its order). A report whose
// obligation already has its period is skipped; returns each report
// inserted, read as kReportsByIds reads it.
extern const pg::Statement kReportInsertEach;

// The report columns the workflow writes: state, submitted_date and
// review_comment, after $1 id and $2 revision.
extern const pg::Statement kReportTransition;

}  // namespace caunoi::reports

#endif  // CAUNOI_SERVICES_REPORTS_RESOURCES_RESOURCES_H_
