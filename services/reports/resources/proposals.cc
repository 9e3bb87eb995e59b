// Proposals (kiến nghị): raised in a report or a working session, assigned
// onward, tracked to resolution.
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/time_util.h"
#include "services/reports/resources/resources.h"

namespace caunoi::reports {
namespace {

constexpr resource::Column kColumns[] = {
    {.field = "text", .required = true, .text = resource::kNoteText},
    {.field = "raised_by", .pattern = "organizations/{}"},
    {.field = "raised_in"},
    {.field = "raised_date", .required = true},
    {.field = "assignee", .pattern = "organizations/{}"},
    {.field = "status", .unset = "OPEN"},
    {.field = "resolution_note", .text = resource::kNoteText},
    {.field = "resolved_date", .not_before = "raised_date"},
    {.field = "assigned_date", .not_before = "raised_date"},
    // Set by the server whenever the assignee changes, never by the caller.
    {.field = "assignee_locality", .pattern = "localities/{}"},
};

absl::Status Validate(const v1::Proposal& proposal) {
  CAUNOI_RETURN_IF_ERROR(
      api::ToPastCivilDay(proposal.raised_date(), "proposal.raised_date").status());
  if (proposal.has_assigned_date()) {
    CAUNOI_RETURN_IF_ERROR(
        api::ToPastCivilDay(proposal.assigned_date(), "proposal.assigned_date").status());
  }
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

// The age, which stops at resolution, and the assignment history, as
// "assignee_id@micros@date" joined by ",".
void ReadAgeAndAssignments(resource::RowReader& row, v1::Proposal& proposal) {
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
}

// Lists come in the order raised, so the longest-waiting proposals lead.
constexpr api::FilterField kFilters[] = {
    {"assignee", true, false, resource::ReferenceFilter, "organizations/{}", "r.assignee_id = $"},
    {"raised_by", true, false, resource::ReferenceFilter, "organizations/{}", "r.raised_by_id = $"},
    {"status", true, false, resource::EnumFilter<v1::ProposalStatus>, "", "r.status = $"},
};

constexpr resource::StoredTable kTable = {
    .names = {"proposal", "proposal", "reports.proposals", kProposalPattern},
    .columns = kColumns,
    .extra_reads = "(coalesce(r.resolved_date, " CAUNOI_TODAY ") - r.raised_date),"
                   " (SELECT string_agg(h.assignee_id || '@' || " CAUNOI_MICROS("h.assign_time")
                   " || '@' || coalesce(h.assigned_date::text, ''), ',' ORDER BY h.assign_time)"
                   " FROM reports.proposal_assignments h WHERE h.proposal_id = r.id)",
    .read_extra = resource::ReadExtraAs<v1::Proposal, ReadAgeAndAssignments>,
    .filters = kFilters,
};

}  // namespace

CAUNOI_DEFINE_STANDARD_RESOURCE(Proposal, kProposalSpec, kProposalList, kTable, Validate, nullptr);

}  // namespace caunoi::reports
