// Leadership planning (quy hoạch chức danh lãnh đạo): who is planned for
// which post in a term, and how far the plan has gone.
#include "services/organizations/resources/resource_helpers.h"
#include "services/organizations/resources/resources.h"

namespace caunoi::organizations {
namespace {

constexpr resource::Column kColumns[] = {{"term", kTermPattern, "", "t.organization_id, r.term_id"},
                                         {"person", kPersonPattern},
                                         {"role"},
                                         {"status"},
                                         {"note"}};
constexpr resource::StoredTable kTable = {
    .key = "candidate",
    .field = "leadership_candidate",
    .table = "organizations.leadership_candidates",
    .pattern = kCandidatePattern,
    .columns = kColumns,
    .joins = "JOIN organizations.terms t ON t.id = r.term_id"};

absl::Status Validate(const v1::LeadershipCandidate& candidate) {
  CAUNOI_RETURN_IF_ERROR(
      ValidateReference(candidate.term(), kTermPattern, "leadership_candidate.term", true));
  CAUNOI_RETURN_IF_ERROR(
      ValidateReference(candidate.person(), kPersonPattern, "leadership_candidate.person", true));
  CAUNOI_RETURN_IF_ERROR(ValidateEnum(candidate.role(), "leadership_candidate.role"));
  CAUNOI_RETURN_IF_ERROR(ValidateEnum(candidate.status(), "leadership_candidate.status"));
  return api::ValidateText(candidate.note(), "leadership_candidate.note",
                           {.max_chars = api::kMaxNoteChars, .multiline = true});
}

constexpr api::FilterField kFilterFields[] = {
    {"term", true, false, ReferenceFilter, kTermPattern},
    {"person", true, false, ReferenceFilter, kPersonPattern},
    {"status", true, false, EnumFilter<v1::CandidateStatus>},
};

absl::Status CheckTerm(pg::Connection& connection,
                       const v1::LeadershipCandidate& leadership_candidate) {
  return CheckTermExists(connection, leadership_candidate.term(), "leadership_candidate.term");
}

}  // namespace

const resource::ResourceSpec<v1::LeadershipCandidate> kCandidateSpec =
    resource::StandardSpec<v1::LeadershipCandidate, kTable>(
        {.validate = Validate, .check = CheckTerm});

const resource::ListSpec kCandidateList = {
    .statement = resource::ListStatementOf<v1::LeadershipCandidate, kTable>(
        "WHERE ($1::bigint IS NULL OR r.id > $1)"
        "  AND ($3::bigint IS NULL OR r.term_id = $3)"
        "  AND ($4::bigint IS NULL OR r.person_id = $4)"
        "  AND ($5::text IS NULL OR r.status = $5)"
        " ORDER BY r.id LIMIT $2"),
    .filter_fields = kFilterFields,
};

}  // namespace caunoi::organizations
