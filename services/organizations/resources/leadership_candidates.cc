// Leadership planning (quy hoạch chức danh lãnh đạo): who is planned for
// which post in a term, and how far the plan has gone.
#include "services/organizations/resources/resource_helpers.h"
#include "services/organizations/resources/resources.h"

namespace caunoi::organizations {
namespace {

#define CAUNOI_CANDIDATE_COLUMNS                                        \
  "c.id, t.organization_id, c.term_id, c.person_id, c.role, c.status, " \
  "c.note, " CAUNOI_STANDARD_COLUMNS("c")
#define CAUNOI_CANDIDATE_FROM \
  "organizations.leadership_candidates c JOIN organizations.terms t ON t.id = c.term_id"

constexpr resource::ConstraintRule kConstraints[] = {
    {"candidate_term_exists", "leadership_candidate.term", absl::StatusCode::kNotFound,
     "the term does not exist"},
    {"candidate_person_exists", "leadership_candidate.person", absl::StatusCode::kNotFound,
     "the person does not exist"},
};

constexpr resource::Column kColumns[] = {
    {"term", kTermPattern}, {"person", kPersonPattern}, {"role"}, {"status"}, {"note"}};
constexpr auto kUpdatable = resource::FieldsOf(kColumns);

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

v1::LeadershipCandidate CandidateFromRow(resource::RowReader& row) {
  v1::LeadershipCandidate candidate;
  candidate.set_name(api::FormatResourceName(kCandidatePattern, {row.Text()}));
  resource::ReadColumns(row, candidate, kColumns);
  ReadStandardColumns(row, candidate);
  return candidate;
}

const resource::ResourceSpec<v1::LeadershipCandidate> kCandidateSpec = {
    .table =
        {
            .pattern = kCandidatePattern,
            .select = {"candidate_get", "SELECT " CAUNOI_CANDIDATE_COLUMNS
                                        " FROM " CAUNOI_CANDIDATE_FROM " WHERE c.id = $1"},
            .insert = {"candidate_insert",
                       "INSERT INTO organizations.leadership_candidates (term_id, person_id,"
                       " role, status, note) VALUES ($1, $2, $3, $4, $5) RETURNING id"},
            .update = {"candidate_update",
                       "UPDATE organizations.leadership_candidates SET term_id = $3,"
                       " person_id = $4, role = $5, status = $6, note = $7,"
                       " revision = revision + 1, update_time = now()"
                       " WHERE id = $1 AND revision = $2 RETURNING id"},
            .remove = {"candidate_delete",
                       "DELETE FROM organizations.leadership_candidates"
                       " WHERE id = $1 AND revision = $2 RETURNING id"},
            .from_row = CandidateFromRow,
            .constraints = kConstraints,
        },
    .field = "leadership_candidate",
    .updatable = kUpdatable,
    .validate = Validate,
    .columns = resource::ColumnsOf<v1::LeadershipCandidate, kColumns>,
    .check = CheckTerm,
};

const resource::ListSpec kCandidateList = {
    .statement = {"candidate_list",
                  "SELECT " CAUNOI_CANDIDATE_COLUMNS " FROM " CAUNOI_CANDIDATE_FROM
                  " WHERE ($1::bigint IS NULL OR c.id > $1)"
                  "   AND ($3::bigint IS NULL OR c.term_id = $3)"
                  "   AND ($4::bigint IS NULL OR c.person_id = $4)"
                  "   AND ($5::text IS NULL OR c.status = $5)"
                  " ORDER BY c.id LIMIT $2"},
    .filter_fields = kFilterFields,
};

}  // namespace caunoi::organizations
