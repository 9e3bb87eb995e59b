// Proposals (kiến nghị): raised in a report or a working session, assigned
// onward, tracked to resolution.
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/time_util.h"
#include "services/reports/resources/resources.h"

namespace caunoi::reports {
namespace {

// The assignment history renders as "assignee_id@micros@date" joined by
// ",". The age stops at resolution.
#define CAUNOI_PROPOSAL_COLUMNS \
  "p.id, p.text, p.raised_by_id, p.raised_in, p.raised_date::text, p.assignee_id, p.status,"   \
  " p.resolution_note, p.resolved_date::text,"                                                 \
  " (coalesce(p.resolved_date, " CAUNOI_TODAY ") - p.raised_date),"                            \
  " (SELECT string_agg(h.assignee_id || '@' || " CAUNOI_MICROS("h.assign_time")               \
  " || '@' || coalesce(h.assigned_date::text, ''), ',' ORDER BY h.assign_time)"                \
  " FROM reports.proposal_assignments h WHERE h.proposal_id = p.id), p.assigned_date::text, " \
  CAUNOI_STANDARD_COLUMNS("p")

constexpr absl::string_view kUpdatable[] = {
    "text",   "raised_by",       "raised_in",     "raised_date",  "assignee",
    "status", "resolution_note", "resolved_date", "assigned_date"};

absl::Status Validate(const v1::Proposal& proposal) {
  CAUNOI_RETURN_IF_ERROR(ValidateOptionalEnum(proposal.status(), "proposal.status"));
  CAUNOI_RETURN_IF_ERROR(
      api::ValidateText(proposal.text(), "proposal.text",
                        {.required = true, .max_chars = api::kMaxNoteChars, .multiline = true}));
  CAUNOI_RETURN_IF_ERROR(
      ValidateReference(proposal.raised_by(), "organizations/{}", "proposal.raised_by", false));
  CAUNOI_RETURN_IF_ERROR(api::ValidateText(proposal.raised_in(), "proposal.raised_in", {}));
  if (!proposal.has_raised_date()) return InvalidFieldError("proposal.raised_date", "is required");
  CAUNOI_RETURN_IF_ERROR(
      api::ToPastCivilDay(proposal.raised_date(), "proposal.raised_date").status());
  CAUNOI_RETURN_IF_ERROR(
      ValidateReference(proposal.assignee(), "organizations/{}", "proposal.assignee", false));
  CAUNOI_RETURN_IF_ERROR(api::ValidateText(proposal.resolution_note(), "proposal.resolution_note",
                                           {.max_chars = api::kMaxNoteChars, .multiline = true}));
  CAUNOI_RETURN_IF_ERROR(resource::ValidateOptionalDate(
      proposal.has_resolved_date(), proposal.resolved_date(), "proposal.resolved_date"));
  CAUNOI_RETURN_IF_ERROR(
      resource::ValidateSpan(true, proposal.raised_date(), proposal.has_resolved_date(),
                             proposal.resolved_date(), "proposal.resolved_date"));
  if (proposal.has_assigned_date()) {
    CAUNOI_RETURN_IF_ERROR(
        api::ToPastCivilDay(proposal.assigned_date(), "proposal.assigned_date").status());
  }
  CAUNOI_RETURN_IF_ERROR(
      resource::ValidateSpan(true, proposal.raised_date(), proposal.has_assigned_date(),
                             proposal.assigned_date(), "proposal.assigned_date"));
  if (proposal.has_assigned_date() && proposal.assignee().empty()) {
    return InvalidFieldError("proposal.assigned_date", "is set only with an assignee");
  }
  const bool closed = proposal.status() == v1::PROPOSAL_STATUS_RESOLVED ||
                      proposal.status() == v1::PROPOSAL_STATUS_DECLINED;
  if (closed && !proposal.has_resolved_date()) {
    return InvalidFieldError("proposal.resolved_date", "is required once resolved or declined");
  }
  if (!closed && proposal.has_resolved_date()) {
    return InvalidFieldError("proposal.resolved_date", "is set only once resolved or declined");
  }
  return absl::OkStatus();
}

std::vector<pg::Param> Columns(const v1::Proposal& proposal) {
  const v1::ProposalStatus status = proposal.status() == v1::PROPOSAL_STATUS_UNSPECIFIED
                                        ? v1::PROPOSAL_STATUS_OPEN
                                        : proposal.status();
  resource::Params params;
  params.Text(proposal.text())
      .Append({IdParam(proposal.raised_by())})
      .Text(proposal.raised_in())
      .Date(proposal.raised_date(), true)
      .Append({IdParam(proposal.assignee())})
      .Text(api::EnumToken(status))
      .Text(proposal.resolution_note())
      .Date(proposal.resolved_date(), proposal.has_resolved_date())
      .Date(proposal.assigned_date(), proposal.has_assigned_date());
  return params.Take();
}

constexpr api::FilterField kFilterFields[] = {
    {"assignee", true, false, ReferenceFilter, "organizations/{}"},
    {"raised_by", true, false, ReferenceFilter, "organizations/{}"},
    {"status", true, false, EnumFilter<v1::ProposalStatus>},
};

}  // namespace

v1::Proposal ProposalFromRow(resource::RowReader& row) {
  v1::Proposal proposal;
  proposal.set_name(absl::StrCat("proposals/", row.Text()));
  proposal.set_text(row.Text());
  if (auto id = row.OptionalText()) proposal.set_raised_by(absl::StrCat("organizations/", *id));
  proposal.set_raised_in(row.Text());
  if (auto date = row.OptionalDate()) *proposal.mutable_raised_date() = *date;
  if (auto id = row.OptionalText()) proposal.set_assignee(absl::StrCat("organizations/", *id));
  proposal.set_status(EnumFromRow<v1::ProposalStatus>(row));
  proposal.set_resolution_note(row.Text());
  if (auto date = row.OptionalDate()) *proposal.mutable_resolved_date() = *date;
  proposal.set_age_days(static_cast<int32_t>(row.Int64()));
  for (absl::string_view entry : absl::StrSplit(row.Text(), ',', absl::SkipEmpty())) {
    std::vector<absl::string_view> parts = absl::StrSplit(entry, '@');
    if (parts.size() != 3) continue;
    v1::ProposalAssignment* assignment = proposal.add_assignments();
    assignment->set_assignee(absl::StrCat("organizations/", parts[0]));
    int64_t micros = 0;
    if (absl::SimpleAtoi(parts[1], &micros)) {
      *assignment->mutable_assign_time() =
          google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(micros);
    }
    absl::CivilDay day;
    if (absl::ParseCivilTime(parts[2], &day)) {
      *assignment->mutable_assigned_date() = api::ToDate(day);
    }
  }
  if (auto date = row.OptionalDate()) *proposal.mutable_assigned_date() = *date;
  ReadStandardColumns(row, proposal);
  return proposal;
}

const resource::ResourceSpec<v1::Proposal> kProposalSpec = {
    .table =
        {
            .pattern = kProposalPattern,
            .select = {"proposal_get", "SELECT " CAUNOI_PROPOSAL_COLUMNS
                                       " FROM reports.proposals p WHERE p.id = $1"},
            .insert = {"proposal_insert",
                       "INSERT INTO reports.proposals (text, raised_by_id, raised_in,"
                       " raised_date, assignee_id, status, resolution_note, resolved_date,"
                       " assigned_date) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
                       " RETURNING id"},
            .update = {"proposal_update",
                       "UPDATE reports.proposals SET text = $3, raised_by_id = $4,"
                       " raised_in = $5, raised_date = $6, assignee_id = $7, status = $8,"
                       " resolution_note = $9, resolved_date = $10, assigned_date = $11,"
                       " revision = revision + 1,"
                       " update_time = now() WHERE id = $1 AND revision = $2 RETURNING id"},
            .remove = {"proposal_delete",
                       "DELETE FROM reports.proposals WHERE id = $1 AND revision = $2"
                       " RETURNING id"},
            .from_row = ProposalFromRow,
            .constraints = {},
        },
    .field = "proposal",
    .updatable = kUpdatable,
    .validate = Validate,
    .columns = Columns,
};

// In the order raised, so the longest-waiting proposals lead.
const resource::ListSpec kProposalList = {
    .statement = {"proposal_list", "SELECT " CAUNOI_PROPOSAL_COLUMNS " FROM reports.proposals p"
                                   " WHERE ($1::bigint IS NULL OR p.id > $1)"
                                   "   AND ($3::bigint IS NULL OR p.assignee_id = $3)"
                                   "   AND ($4::bigint IS NULL OR p.raised_by_id = $4)"
                                   "   AND ($5::text IS NULL OR p.status = $5)"
                                   " ORDER BY p.id LIMIT $2"},
    .filter_fields = kFilterFields,
};

}  // namespace caunoi::reports
