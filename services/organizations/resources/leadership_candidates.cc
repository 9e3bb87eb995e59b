// Leadership planning (quy hoạch chức danh lãnh đạo): who is planned for
// which post in a term, and how far the plan has gone.
#include "services/organizations/resources/resource_helpers.h"
#include "services/organizations/resources/resources.h"

namespace caunoi::organizations {
namespace {

constexpr resource::Column kColumns[] = {
    kTermColumn,
    kPersonColumn,
    {.field = "role", .required = true},
    {.field = "status", .required = true},
    {.field = "note", .text = resource::kNoteText},
};

constexpr api::FilterField kFilters[] = {
    {"term", true, false, resource::ReferenceFilter, kTermPattern, "r.term_id = $"},
    {"person", true, false, resource::ReferenceFilter, kPersonPattern, "r.person_id = $"},
    {"status", true, false, resource::EnumFilter<v1::CandidateStatus>, "", "r.status = $"},
};

constexpr resource::StoredTable kTable = {
    .names = {"candidate", "leadership_candidate", "organizations.leadership_candidates",
              kCandidatePattern},
    .columns = kColumns,
    .joins = kTermJoin,
    .filters = kFilters,
};

absl::Status CheckTerm(pg::Connection& connection, const v1::LeadershipCandidate& candidate) {
  return CheckTermExists(connection, candidate.term(), "leadership_candidate.term");
}

}  // namespace

CAUNOI_DEFINE_STANDARD_RESOURCE(LeadershipCandidate, kCandidateSpec, kCandidateList, kTable,
                                nullptr, CheckTerm);

}  // namespace caunoi::organizations
