#include "services/reports/reports_service.h"

#include <map>

#include "absl/algorithm/container.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/api/dates.h"
#include "common/api/deadline.h"
#include "common/api/field_mask.h"
#include "common/api/filter.h"
#include "common/api/locality_name.h"
#include "common/api/page_token.h"
#include "common/api/text.h"
#include "common/auth/principal.h"
#include "common/period/period_range.h"
#include "common/resource/owner_check.h"
#include "common/resource/reply.h"
#include "common/status/grpc_status.h"
#include "common/status/quoted.h"
#include "common/status/status_macros.h"
#include "services/reports/dissolved_duties.h"
#include "services/reports/resources/resources.h"

namespace caunoi::reports {
namespace {

using resource::Reply;
using resource::ReplyList;

const Transition kSubmit = {{v1::REPORT_STATE_DRAFT, v1::REPORT_STATE_RETURNED},
                            v1::REPORT_STATE_SUBMITTED};
const Transition kAccept = {{v1::REPORT_STATE_SUBMITTED}, v1::REPORT_STATE_ACCEPTED};
const Transition kReturn = {{v1::REPORT_STATE_SUBMITTED}, v1::REPORT_STATE_RETURNED, true};
const Transition kReopen = {{v1::REPORT_STATE_ACCEPTED}, v1::REPORT_STATE_RETURNED, true};

// Reports can be edited only while with their authors.
absl::Status Editable(pg::Connection&, const v1::Report& report) {
  if (report.state() == v1::REPORT_STATE_DRAFT || report.state() == v1::REPORT_STATE_RETURNED) {
    return absl::OkStatus();
  }
  return ErrorWithReason(absl::StatusCode::kFailedPrecondition,
                         absl::StrCat(report.name(), " is ", api::EnumToken(report.state()),
                                      "; it can be edited only as a draft or once returned"),
                         "REPORT_LOCKED", {{"state", api::EnumToken(report.state())}});
}

using api::MaskCovers;

}  // namespace

absl::Status ReportsService::ResolveActivity(v1::Activity& activity,
                                             const google::protobuf::FieldMask& mask,
                                             absl::Time deadline) {
  // Undated (a partial update): the dates already stored were checked.
  const std::optional<absl::CivilDay> held =
      activity.has_start_date() ? std::optional(api::ToCivilDayUnchecked(activity.start_date()))
                                : std::nullopt;
  if (MaskCovers(mask, "organizer") && !activity.organizer().empty()) {
    CAUNOI_ASSIGN_OR_RETURN(
        v1::Organization organizer,
        organizations_.GetOrganization(activity.organizer(), "activity.organizer", deadline));
    if (held) {
      CAUNOI_RETURN_IF_ERROR(CheckInForceOn(organizer.locality(), *held,
                                            organizer.current_locality(), "activity.organizer"));
    }
  }
  if (MaskCovers(mask, "partner_countries")) {
    for (int i = 0; i < activity.partner_countries_size(); ++i) {
      CAUNOI_RETURN_IF_ERROR(organizations_.CheckCountry(
          activity.partner_countries(i), absl::StrCat("activity.partner_countries[", i, "]"),
          deadline));
    }
  }
  if (MaskCovers(mask, "partner_organizations")) {
    for (int i = 0; i < activity.partner_organizations_size(); ++i) {
      CAUNOI_RETURN_IF_ERROR(organizations_.CheckPartner(
          activity.partner_organizations(i),
          absl::StrCat("activity.partner_organizations[", i, "]"), deadline));
    }
  }
  if (MaskCovers(mask, "documents")) {
    for (int i = 0; i < activity.documents_size(); ++i) {
      CAUNOI_RETURN_IF_ERROR(directives_
                                 .GetDocument(activity.documents(i),
                                              absl::StrCat("activity.documents[", i, "]"), deadline)
                                 .status());
    }
  }
  activity.clear_current_locality();
  if (MaskCovers(mask, "locality") && !activity.locality().empty()) {
    CAUNOI_ASSIGN_OR_RETURN(
        std::string current,
        organizations_.CurrentLocalityId(activity.locality(), "activity.locality", deadline));
    activity.set_current_locality(LocalityName(current));
    if (held) {
      CAUNOI_RETURN_IF_ERROR(CheckInForceOn(activity.locality(), *held, activity.current_locality(),
                                            "activity.locality"));
    }
  }
  return absl::OkStatus();
}

absl::Status ReportsService::CheckProposal(const v1::Proposal& proposal,
                                           const google::protobuf::FieldMask& mask,
                                           absl::Time deadline) {
  if (MaskCovers(mask, "raised_by") && !proposal.raised_by().empty()) {
    CAUNOI_RETURN_IF_ERROR(
        organizations_.CheckOrganization(proposal.raised_by(), "proposal.raised_by", deadline));
  }
  if (MaskCovers(mask, "assignee") && !proposal.assignee().empty()) {
    CAUNOI_RETURN_IF_ERROR(
        organizations_.CheckOrganization(proposal.assignee(), "proposal.assignee", deadline));
  }
  return absl::OkStatus();
}

absl::StatusOr<auth::DutyIssuer> ReportsService::ResolveObligation(v1::Obligation& obligation,
                                                                   absl::Time deadline) {
  CAUNOI_ASSIGN_OR_RETURN(
      v1::Document document,
      directives_.GetDocument(obligation.document(), "obligation.document", deadline));
  const periods::Period first = *periods::ParsePeriod(obligation.first_period());
  const absl::CivilDay issued = api::ToCivilDayUnchecked(document.issue_date());
  if (first.last < issued) {
    return InvalidFieldError("obligation.first_period",
                             absl::StrCat(first.Label(), " ends before ", document.symbol(),
                                          " was issued on ", api::FormatIsoDate(issued)));
  }
  CAUNOI_ASSIGN_OR_RETURN(
      v1::Organization unit,
      organizations_.GetOrganization(obligation.unit(), "obligation.unit", deadline));
  obligation.set_locality(unit.current_locality());
  obligation.set_unit_locality(unit.locality());
  CAUNOI_RETURN_IF_ERROR(EndWithItsUnit(obligation, unit.locality(), unit.current_locality(),
                                        "obligation.unit", !obligation.last_period().empty()));
  if (!obligation.reviewer().empty()) {
    CAUNOI_RETURN_IF_ERROR(
        organizations_.CheckOrganization(obligation.reviewer(), "obligation.reviewer", deadline));
  }
  return IssuerOf(document, obligation, deadline);
}

absl::StatusOr<auth::DutyIssuer> ReportsService::IssuerOf(const v1::Document& document,
                                                          const v1::Obligation& obligation,
                                                          absl::Time deadline) {
  auth::DutyIssuer issuer{
      .locality_id = std::string(api::ResourceId(document.current_locality())),
      .organization_id = std::string(api::ResourceId(document.issuing_organization())),
  };
  if (!obligation.reviewer().empty()) {
    CAUNOI_ASSIGN_OR_RETURN(
        v1::Organization reviewer,
        organizations_.ReadOrganization(obligation.reviewer(), "obligation.reviewer", deadline));
    issuer.reviewer_id = std::string(api::ResourceId(obligation.reviewer()));
    issuer.reviewer_locality_id = std::string(api::ResourceId(reviewer.current_locality()));
  }
  return issuer;
}

absl::Status ReportsService::CheckDuty(
    const grpc::ServerContext& context, absl::string_view name,
    absl::FunctionRef<absl::Status(const v1::Obligation&, const auth::DutyIssuer&)> check) {
  return resource::CheckOwnerWrite<v1::Obligation>(
      context, store_.resources(), kObligationSpec.table, name,
      [&](const v1::Obligation& obligation) -> absl::Status {
        const absl::Time deadline = api::RequestDeadline(context);
        CAUNOI_ASSIGN_OR_RETURN(
            v1::Document document,
            directives_.ReadDocument(obligation.document(), "obligation.document", deadline));
        CAUNOI_ASSIGN_OR_RETURN(auth::DutyIssuer issuer, IssuerOf(document, obligation, deadline));
        return check(obligation, issuer);
      });
}

grpc::Status ReportsService::GetObligation(grpc::ServerContext* context,
                                           const v1::GetObligationRequest* request,
                                           v1::Obligation* response) {
  return Reply(
      resource::GetResource(store_.resources(), kObligationSpec, *context, request->name()),
      response);
}

grpc::Status ReportsService::ListObligations(grpc::ServerContext* context,
                                             const v1::ListObligationsRequest* request,
                                             v1::ListObligationsResponse* response) {
  return ReplyList(
      resource::ListResources(store_.resources(), kObligationList, ObligationFromRow, *context,
                              "ListObligations",
                              {request->filter(), request->page_size(), request->page_token(), {}},
                              response->mutable_next_page_token()),
      response->mutable_obligations());
}

grpc::Status ReportsService::CreateObligation(grpc::ServerContext* context,
                                              const v1::CreateObligationRequest* request,
                                              v1::Obligation* response) {
  absl::StatusOr<v1::Obligation> created = [&]() -> absl::StatusOr<v1::Obligation> {
    v1::Obligation obligation = request->obligation();
    CAUNOI_RETURN_IF_ERROR(kObligationSpec.validate(obligation));
    CAUNOI_ASSIGN_OR_RETURN(auth::DutyIssuer issuer,
                            ResolveObligation(obligation, api::RequestDeadline(*context)));
    CAUNOI_RETURN_IF_ERROR(
        auth::CheckIssuer(*context, issuer, absl::StrCat("set a duty on ", obligation.document())));
    return resource::CreateResource(store_.resources(), kObligationSpec, *context,
                                    "CreateObligation", *request, {}, obligation,
                                    request->request_id());
  }();
  return Reply(std::move(created), response);
}

namespace {

// The obligation cadence a task's reporting cadence asks for.
v1::Cadence CadenceOf(v1::ReportingCadence cadence) {
  switch (cadence) {
    case v1::REPORTING_CADENCE_MONTHLY:
      return v1::CADENCE_MONTHLY;
    case v1::REPORTING_CADENCE_QUARTERLY:
      return v1::CADENCE_QUARTERLY;
    case v1::REPORTING_CADENCE_HALF_YEARLY:
      return v1::CADENCE_HALF_YEARLY;
    case v1::REPORTING_CADENCE_YEARLY:
      return v1::CADENCE_YEARLY;
    case v1::REPORTING_CADENCE_CUSTOM:
      return v1::CADENCE_CUT_OFF_MONTHLY;
    default:
      return v1::CADENCE_UNSPECIFIED;
  }
}

// Reports a year under a cadence; a unit owing several keeps the busiest.
int ReportsPerYear(v1::Cadence cadence) {
  switch (cadence) {
    case v1::CADENCE_MONTHLY:
    case v1::CADENCE_CUT_OFF_MONTHLY:
      return 12;
    case v1::CADENCE_QUARTERLY:
      return 4;
    case v1::CADENCE_HALF_YEARLY:
      return 2;
    default:
      return 1;
  }
}

// Whether the report's period is one `obligation` asks a report for, up to
// today.
absl::Status CheckPeriodOfObligation(const v1::Obligation& obligation, const v1::Report& report) {
  const periods::Period period = *periods::ParsePeriod(report.period());
  const periods::Period first = *periods::ParsePeriod(obligation.first_period());
  if (PeriodKindOf(obligation.cadence()) != period.kind ||
      period.cutoff_day != obligation.cutoff_day()) {
    return InvalidFieldError("report.period",
                             absl::StrCat(Quoted(report.period()), " is not a period of ",
                                          obligation.name(), "'s cadence"));
  }
  if (api::TodayInVietnam() < period.first) {
    return InvalidFieldError(
        "report.period", absl::StrCat(period.Label(), " has not begun; report on it once it has"));
  }
  // A unit of a dissolved locality reports no period after it: its
  // successor's unit does.
  CAUNOI_RETURN_IF_ERROR(CheckInForceOn(obligation.unit_locality(), period.first,
                                        obligation.locality(), "report.period"));
  if (period.first < first.first) {
    return InvalidFieldError(
        "report.period",
        absl::StrCat(period.Label(), " is before the obligation's first period ", first.Label()));
  }
  if (!obligation.last_period().empty() &&
      periods::ParsePeriod(obligation.last_period())->first < period.first) {
    return InvalidFieldError("report.period",
                             absl::StrCat(period.Label(), " is after the obligation ended"));
  }
  return absl::OkStatus();
}

}  // namespace

grpc::Status ReportsService::DeriveObligations(grpc::ServerContext* context,
                                               const v1::DeriveObligationsRequest* request,
                                               v1::DeriveObligationsResponse* response) {
  constexpr int kMaxTimelyDays = 366;
  return Reply(
      [&]() -> absl::StatusOr<v1::DeriveObligationsResponse> {
        CAUNOI_RETURN_IF_ERROR(
            ValidateReference(request->document(), "directives/{}", "document", true));
        if (request->timely_days() < 0 || request->timely_days() > kMaxTimelyDays) {
          return InvalidFieldError("timely_days", "must be 0..366");
        }
        const absl::Time deadline = api::RequestDeadline(*context);
        CAUNOI_ASSIGN_OR_RETURN(v1::Document document,
                                directives_.GetDocument(request->document(), "document", deadline));
        CAUNOI_ASSIGN_OR_RETURN(std::vector<v1::Task> tasks,
                                directives_.ListTasks(request->document(), "document", deadline));
        struct Duty {
          v1::Cadence cadence;
          int cutoff_day;
        };
        std::map<std::string, Duty> duties;  // by unit
        for (const v1::Task& task : tasks) {
          const v1::Cadence cadence = CadenceOf(task.reporting_cadence());
          if (cadence == v1::CADENCE_UNSPECIFIED) continue;
          std::vector<std::string> units(task.co_operators().begin(), task.co_operators().end());
          if (!task.lead().empty()) units.push_back(task.lead());
          for (const std::string& unit : units) {
            auto [duty, added] = duties.try_emplace(unit, Duty{cadence, task.cutoff_day()});
            if (!added && ReportsPerYear(cadence) > ReportsPerYear(duty->second.cadence)) {
              duty->second = Duty{cadence, task.cutoff_day()};
            }
          }
        }
        const absl::CivilDay issued = api::ToCivilDayUnchecked(document.issue_date());
        v1::DeriveObligationsResponse derived;
        for (const auto& [unit, duty] : duties) {
          v1::CreateObligationRequest create;
          v1::Obligation* obligation = create.mutable_obligation();
          obligation->set_document(request->document());
          obligation->set_unit(unit);
          obligation->set_cadence(duty.cadence);
          obligation->set_cutoff_day(duty.cadence == v1::CADENCE_CUT_OFF_MONTHLY ? duty.cutoff_day
                                                                                 : 0);
          obligation->set_timely_days(request->timely_days());
          obligation->set_first_period(periods::PeriodContaining(*PeriodKindOf(duty.cadence),
                                                                 issued, obligation->cutoff_day())
                                           .Label());
          v1::Obligation created;
          const grpc::Status status = CreateObligation(context, &create, &created);
          if (status.ok()) {
            *derived.add_created() = std::move(created);
            continue;
          }
          if (status.error_code() != grpc::StatusCode::ALREADY_EXISTS) {
            return FromGrpcStatus(status);
          }
          const std::string filter =
              absl::StrCat("document = \"", request->document(), "\" AND unit = \"", unit, "\"");
          std::string ignored;
          CAUNOI_ASSIGN_OR_RETURN(
              std::vector<v1::Obligation> existing,
              resource::ListResources(store_.resources(), kObligationList, ObligationFromRow,
                                      *context, "DeriveObligations", {filter, 1, "", {}},
                                      &ignored));
          for (v1::Obligation& found : existing) *derived.add_existing() = std::move(found);
        }
        return derived;
      }(),
      response);
}

grpc::Status ReportsService::UpdateObligation(grpc::ServerContext* context,
                                              const v1::UpdateObligationRequest* request,
                                              v1::Obligation* response) {
  absl::Status allowed = [&]() -> absl::Status {
    if (MaskCovers(request->update_mask(), "reviewer") &&
        !request->obligation().reviewer().empty()) {
      CAUNOI_RETURN_IF_ERROR(organizations_.CheckOrganization(
          request->obligation().reviewer(), "obligation.reviewer", api::RequestDeadline(*context)));
    }
    return IssuerOnly(*context, request->obligation().name(), "change the duty of");
  }();
  if (!allowed.ok()) return ToGrpcStatus(allowed);
  v1::Obligation patch = request->obligation();
  google::protobuf::FieldMask mask = request->update_mask();
  if (absl::Status ended = EndUpdatedWithItsUnit(*context, patch, mask); !ended.ok()) {
    return ToGrpcStatus(ended);
  }
  return Reply(
      resource::UpdateResource(store_.resources(), kObligationSpec, *context, "UpdateObligation",
                               *request, patch, mask, request->reason()),
      response);
}

absl::Status ReportsService::EndUpdatedWithItsUnit(const grpc::ServerContext& context,
                                                   v1::Obligation& patch,
                                                   google::protobuf::FieldMask& mask) {
  absl::StatusOr<std::vector<std::string>> ids =
      api::ParseResourceName(patch.name(), kObligationPattern, "obligation.name");
  if (!ids.ok()) return absl::OkStatus();  // the update reports it
  const absl::Time deadline = api::RequestDeadline(context);
  absl::StatusOr<v1::Obligation> current =
      store_.resources().Get(kObligationSpec.table, patch.name(), ids->back(), deadline);
  if (!current.ok()) {
    return absl::IsNotFound(current.status()) ? absl::OkStatus() : current.status();
  }
  // Duties recorded before they kept their unit's locality ask the registry.
  std::string unit_locality = current->unit_locality();
  if (unit_locality.empty()) {
    CAUNOI_ASSIGN_OR_RETURN(
        v1::Organization unit,
        organizations_.ReadOrganization(current->unit(), "obligation.unit", deadline));
    unit_locality = unit.locality();
  }
  if (!IsDissolvedLocality(unit_locality)) return absl::OkStatus();
  // The duty as it would be stored, ended where its unit ended; the etag
  // keeps it from being computed on a stale read.
  CAUNOI_ASSIGN_OR_RETURN(std::vector<std::string> paths,
                          api::ResolveUpdateMask(mask, patch, kObligationSpec.updatable));
  v1::Obligation merged = *current;
  api::ApplyUpdateMask(patch, paths, merged);
  if (!periods::ParsePeriod(merged.first_period()).ok())
    return absl::OkStatus();  // validation reports it
  const bool last_period_given =
      absl::c_linear_search(paths, "last_period") && !patch.last_period().empty();
  CAUNOI_RETURN_IF_ERROR(EndWithItsUnit(merged, unit_locality, current->locality(),
                                        "obligation.first_period", last_period_given));
  patch.set_last_period(merged.last_period());
  if (mask.paths_size() > 0 && !MaskCovers(mask, "last_period")) mask.add_paths("last_period");
  if (patch.etag().empty()) patch.set_etag(current->etag());
  return absl::OkStatus();
}

grpc::Status ReportsService::DeleteObligation(grpc::ServerContext* context,
                                              const v1::DeleteObligationRequest* request,
                                              google::protobuf::Empty*) {
  if (absl::Status allowed = IssuerOnly(*context, request->name(), "delete the duty of");
      !allowed.ok()) {
    return ToGrpcStatus(allowed);
  }
  return ToGrpcStatus(resource::DeleteResource(store_.resources(), kObligationSpec, *context,
                                               "DeleteObligation", *request, request->name(),
                                               request->etag(), request->reason()));
}

grpc::Status ReportsService::GetReport(grpc::ServerContext* context,
                                       const v1::GetReportRequest* request, v1::Report* response) {
  return Reply(resource::GetResource(store_.resources(), kReportSpec, *context, request->name()),
               response);
}

grpc::Status ReportsService::ListReports(grpc::ServerContext* context,
                                         const v1::ListReportsRequest* request,
                                         v1::ListReportsResponse* response) {
  std::vector<std::string> parent = {"-"};
  if (request->parent() != "obligations/-") {
    absl::StatusOr<std::vector<std::string>> ids =
        api::ParseResourceName(request->parent(), kObligationPattern, "parent");
    if (!ids.ok()) return ToGrpcStatus(ids.status());
    parent = *ids;
  }
  absl::Status status = [&]() -> absl::Status {
    CAUNOI_ASSIGN_OR_RETURN(
        periods::PeriodRange range,
        periods::ParsePeriodRange(request->from_period(), request->to_period()));
    pg::Param from;
    pg::Param to;
    if (range.from) from = api::FormatIsoDate(range.from->first);
    if (range.to) to = api::FormatIsoDate(range.to->last);
    CAUNOI_ASSIGN_OR_RETURN(
        std::optional<std::string> current_locality,
        organizations_.CurrentLocalityInFilter(request->filter(), kReportList.filter_fields,
                                               api::RequestDeadline(*context)));
    CAUNOI_ASSIGN_OR_RETURN(std::vector<v1::Report> reports,
                            resource::ListResources(store_.resources(), kReportList, ReportFromRow,
                                                    *context, "ListReports",
                                                    {request->filter(),
                                                     request->page_size(),
                                                     request->page_token(),
                                                     parent,
                                                     {current_locality, from, to}},
                                                    response->mutable_next_page_token()));
    for (v1::Report& report : reports) *response->add_reports() = std::move(report);
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

grpc::Status ReportsService::CreateReport(grpc::ServerContext* context,
                                          const v1::CreateReportRequest* request,
                                          v1::Report* response) {
  absl::StatusOr<v1::Report> created = [&]() -> absl::StatusOr<v1::Report> {
    CAUNOI_ASSIGN_OR_RETURN(
        std::vector<std::string> parent,
        api::ParseResourceName(request->parent(), kObligationPattern, "parent"));
    // State and submission are the workflow's, never the caller's, except
    // for a report recorded as submitted on paper (submitted_on).
    v1::Report report = request->report();
    report.clear_state();
    report.clear_submitted_date();
    CAUNOI_RETURN_IF_ERROR(kReportSpec.validate(report));
    const periods::Period period = *periods::ParsePeriod(report.period());
    if (request->has_submitted_on()) {
      CAUNOI_ASSIGN_OR_RETURN(absl::CivilDay submitted,
                              api::ToCivilDay(request->submitted_on(), "submitted_on"));
      if (submitted < period.first || api::TodayInVietnam() < submitted) {
        return InvalidFieldError("submitted_on",
                                 absl::StrCat("must be within ", api::FormatIsoDate(period.first),
                                              " (the period's first day) and today"));
      }
      CAUNOI_RETURN_IF_ERROR(api::ValidateText(
          request->reason(), "reason",
          {.required = true, .max_chars = api::kMaxNoteChars, .multiline = true}));
      report.set_state(v1::REPORT_STATE_SUBMITTED);
      *report.mutable_submitted_date() = request->submitted_on();
      // A date other than today's is the reviewing side's to record.
      CAUNOI_RETURN_IF_ERROR(
          ReviewerOnly(*context, request->parent(), "record a report as submitted on paper"));
    }
    CAUNOI_ASSIGN_OR_RETURN(resource::WriteRequest write,
                            resource::WriteRequestFrom(*context, "CreateReport", *request,
                                                       request->request_id(), request->reason()));
    // The obligation is read inside the filing's transaction, which saves
    // a transaction of its own on the hottest write path.
    Filing filing = {
        .obligation_id = parent[0],
        .obligation_name = request->parent(),
        .report = report,
        .write = std::move(write),
        .admit = [&](const v1::Obligation& obligation) -> absl::Status {
          CAUNOI_RETURN_IF_ERROR(auth::CheckUnitWrite(
              *context, api::ResourceId(obligation.locality()), api::ResourceId(obligation.unit()),
              absl::StrCat("reports of ", obligation.name())));
          return CheckPeriodOfObligation(obligation, report);
        },
    };
    filings_.Submit(filing);
    absl::StatusOr<v1::Report> filed = std::move(filing.result);
    // The unique constraint guards the period; only a refused filing pays
    // for finding the report that holds it.
    if (filed.status().code() == absl::StatusCode::kAlreadyExists) {
      CAUNOI_RETURN_IF_ERROR(
          store_.CheckPeriodFree(parent[0], report, api::RequestDeadline(*context)));
    }
    return filed;
  }();
  return Reply(std::move(created), response);
}

grpc::Status ReportsService::UpdateReport(grpc::ServerContext* context,
                                          const v1::UpdateReportRequest* request,
                                          v1::Report* response) {
  if (absl::Status allowed = CheckObligationWrite(*context, request->report().name());
      !allowed.ok()) {
    return ToGrpcStatus(allowed);
  }
  return Reply(resource::UpdateResource(store_.resources(), kReportSpec, *context, "UpdateReport",
                                        *request, request->report(), request->update_mask(),
                                        request->reason(), Editable),
               response);
}

void ReportsService::FileTogether(std::span<Filing* const> filings) {
  // A filing whose caller stopped waiting would only cut short the
  // statement timeout of the others.
  std::vector<Filing*> live;
  const absl::Time now = absl::Now();
  for (Filing* filing : filings) {
    if (filing->write.deadline <= now) {
      filing->result = absl::DeadlineExceededError("the call's deadline passed before its filing");
    } else {
      live.push_back(filing);
    }
  }
  if (live.empty()) return;
  const absl::Status status = FileReports(store_.resources(), live);
  if (status.ok()) return;
  const std::optional<google::rpc::ErrorInfo> info = GetErrorInfo(status);
  const bool outcome_unknown = info.has_value() && info->reason() == "COMMIT_OUTCOME_UNKNOWN";
  if (live.size() == 1 || outcome_unknown) {
    for (Filing* filing : live) {
      filing->result = resource::NameViolation(status, kReportSpec.table.constraints, false);
    }
    return;
  }
  for (Filing* filing : live) FileTogether(std::span<Filing* const>(&filing, 1));
}

absl::StatusOr<v1::Report> ReportsService::Move(grpc::ServerContext& context,
                                                const google::protobuf::Message& request,
                                                absl::string_view method, absl::string_view name,
                                                absl::string_view etag, absl::string_view comment,
                                                const Transition& transition) {
  CAUNOI_ASSIGN_OR_RETURN(std::vector<std::string> ids,
                          api::ParseResourceName(name, kReportPattern, "name"));
  if (transition.to == v1::REPORT_STATE_SUBMITTED) {
    CAUNOI_RETURN_IF_ERROR(CheckObligationWrite(context, name));
  } else {
    CAUNOI_RETURN_IF_ERROR(ReviewerOnly(context, name, absl::StrCat("review ", name)));
  }
  if (transition.needs_comment) {
    CAUNOI_RETURN_IF_ERROR(api::ValidateText(
        comment, "comment", {.required = true, .max_chars = 4000, .multiline = true}));
  }
  CAUNOI_ASSIGN_OR_RETURN(resource::WriteRequest write,
                          resource::WriteRequestFrom(context, method, request, "", comment));
  return store_.Move(name, ids[1], etag, transition, comment, api::TodayInVietnam(), write);
}

grpc::Status ReportsService::SubmitReport(grpc::ServerContext* context,
                                          const v1::SubmitReportRequest* request,
                                          v1::Report* response) {
  return Reply(
      Move(*context, *request, "SubmitReport", request->name(), request->etag(), "", kSubmit),
      response);
}

grpc::Status ReportsService::AcceptReport(grpc::ServerContext* context,
                                          const v1::ReviewReportRequest* request,
                                          v1::Report* response) {
  return Reply(Move(*context, *request, "AcceptReport", request->name(), request->etag(),
                    request->comment(), kAccept),
               response);
}

grpc::Status ReportsService::ReturnReport(grpc::ServerContext* context,
                                          const v1::ReviewReportRequest* request,
                                          v1::Report* response) {
  return Reply(Move(*context, *request, "ReturnReport", request->name(), request->etag(),
                    request->comment(), kReturn),
               response);
}

grpc::Status ReportsService::ReopenReport(grpc::ServerContext* context,
                                          const v1::ReviewReportRequest* request,
                                          v1::Report* response) {
  return Reply(Move(*context, *request, "ReopenReport", request->name(), request->etag(),
                    request->comment(), kReopen),
               response);
}

grpc::Status ReportsService::ExportReports(grpc::ServerContext* context,
                                           const v1::ExportReportsRequest* request,
                                           grpc::ServerWriter<v1::Report>* writer) {
  constexpr int kBatch = 500;
  absl::Status status = [&]() -> absl::Status {
    CAUNOI_ASSIGN_OR_RETURN(
        periods::PeriodRange range,
        periods::ParsePeriodRange(request->from_period(), request->to_period()));
    if (!range.from) return InvalidFieldError("from_period", "is required, e.g. \"2022-H1\"");
    if (!range.to) return InvalidFieldError("to_period", "is required, e.g. \"2023\"");
    const periods::Period& from = *range.from;
    const periods::Period& to = *range.to;
    pg::Param locality;
    if (!request->locality().empty()) {
      CAUNOI_ASSIGN_OR_RETURN(locality, ParseLocalityName(request->locality(), "locality"));
    }
    // Each batch is its own short read, keyed by id, so a long export holds
    // no transaction open and reports added meanwhile are not skipped.
    std::string after = "0";
    while (!context->IsCancelled()) {
      CAUNOI_ASSIGN_OR_RETURN(
          std::vector<v1::Report> batch,
          store_.resources().List(kReportExport, ReportFromRow,
                                  {after, absl::StrCat(kBatch), api::FormatIsoDate(from.first),
                                   api::FormatIsoDate(to.last), locality},
                                  api::RequestDeadline(*context)));
      for (const v1::Report& report : batch) {
        if (!writer->Write(report)) return absl::CancelledError("the client went away");
      }
      if (static_cast<int>(batch.size()) < kBatch) return absl::OkStatus();
      after = std::string(api::ResourceId(batch.back().name()));
    }
    return absl::CancelledError("the client went away");
  }();
  return ToGrpcStatus(status);
}

grpc::Status ReportsService::GetActivity(grpc::ServerContext* context,
                                         const v1::GetActivityRequest* request,
                                         v1::Activity* response) {
  return Reply(resource::GetResource(store_.resources(), kActivitySpec, *context, request->name()),
               response);
}

grpc::Status ReportsService::ListActivities(grpc::ServerContext* context,
                                            const v1::ListActivitiesRequest* request,
                                            v1::ListActivitiesResponse* response) {
  absl::Status status = [&]() -> absl::Status {
    CAUNOI_ASSIGN_OR_RETURN(
        pg::Param current_locality,
        organizations_.CurrentLocalityInFilter(request->filter(), kActivityList.filter_fields,
                                               api::RequestDeadline(*context)));
    // A tier means the countries holding it today, as the organizations
    // service records them.
    pg::Param tier_countries;
    CAUNOI_ASSIGN_OR_RETURN(std::vector<api::FilterTerm> terms,
                            api::ParseFilter(request->filter(), kActivityList.filter_fields));
    for (const api::FilterTerm& term : terms) {
      if (term.field != "partner_country_tier") continue;
      CAUNOI_ASSIGN_OR_RETURN(pg::Param tier, resource::EnumFilter<v1::CountryTier>(term));
      CAUNOI_ASSIGN_OR_RETURN(
          std::vector<std::string> codes,
          organizations_.CountriesWithTier(tier.value_or(""), api::RequestDeadline(*context)));
      tier_countries = absl::StrCat("{", absl::StrJoin(codes, ","), "}");
    }
    CAUNOI_ASSIGN_OR_RETURN(std::vector<v1::Activity> activities,
                            resource::ListResources(store_.resources(), kActivityList,
                                                    ActivityFromRow, *context, "ListActivities",
                                                    {request->filter(),
                                                     request->page_size(),
                                                     request->page_token(),
                                                     {},
                                                     {current_locality, tier_countries}},
                                                    response->mutable_next_page_token()));
    for (v1::Activity& activity : activities) *response->add_activities() = std::move(activity);
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

grpc::Status ReportsService::CreateActivity(grpc::ServerContext* context,
                                            const v1::CreateActivityRequest* request,
                                            v1::Activity* response) {
  absl::StatusOr<v1::Activity> created = [&]() -> absl::StatusOr<v1::Activity> {
    v1::Activity activity = request->activity();
    CAUNOI_RETURN_IF_ERROR(kActivitySpec.validate(activity));
    CAUNOI_RETURN_IF_ERROR(
        ResolveActivity(activity, google::protobuf::FieldMask(), api::RequestDeadline(*context)));
    CAUNOI_RETURN_IF_ERROR(
        auth::CheckUnitWrite(*context, api::ResourceId(activity.current_locality()),
                             api::ResourceId(activity.organizer()), "an activity there"));
    return resource::CreateResource(store_.resources(), kActivitySpec, *context, "CreateActivity",
                                    *request, {}, activity, request->request_id());
  }();
  return Reply(std::move(created), response);
}

grpc::Status ReportsService::UpdateActivity(grpc::ServerContext* context,
                                            const v1::UpdateActivityRequest* request,
                                            v1::Activity* response) {
  absl::StatusOr<v1::Activity> updated = [&]() -> absl::StatusOr<v1::Activity> {
    CAUNOI_ASSIGN_OR_RETURN(
        google::protobuf::FieldMask mask,
        api::WithDerivedPath(request->update_mask(), "locality", "current_locality"));
    v1::Activity patch = request->activity();
    CAUNOI_RETURN_IF_ERROR(ResolveActivity(patch, mask, api::RequestDeadline(*context)));
    CAUNOI_RETURN_IF_ERROR(CheckActivityWrite(*context, patch.name()));
    if (MaskCovers(mask, "locality") && (mask.paths_size() > 0 || !patch.locality().empty())) {
      CAUNOI_RETURN_IF_ERROR(
          auth::CheckUnitWrite(*context, api::ResourceId(patch.current_locality()),
                               api::ResourceId(patch.organizer()), "an activity there"));
    }
    return resource::UpdateResource(store_.resources(), kActivitySpec, *context, "UpdateActivity",
                                    *request, patch, mask, request->reason());
  }();
  return Reply(std::move(updated), response);
}

grpc::Status ReportsService::DeleteActivity(grpc::ServerContext* context,
                                            const v1::DeleteActivityRequest* request,
                                            google::protobuf::Empty*) {
  if (absl::Status allowed = CheckActivityWrite(*context, request->name()); !allowed.ok()) {
    return ToGrpcStatus(allowed);
  }
  return ToGrpcStatus(resource::DeleteResource(store_.resources(), kActivitySpec, *context,
                                               "DeleteActivity", *request, request->name(),
                                               request->etag(), request->reason()));
}

grpc::Status ReportsService::GetProposal(grpc::ServerContext* context,
                                         const v1::GetProposalRequest* request,
                                         v1::Proposal* response) {
  return Reply(resource::GetResource(store_.resources(), kProposalSpec, *context, request->name()),
               response);
}

grpc::Status ReportsService::ListProposals(grpc::ServerContext* context,
                                           const v1::ListProposalsRequest* request,
                                           v1::ListProposalsResponse* response) {
  return ReplyList(
      resource::ListResources(store_.resources(), kProposalList, ProposalFromRow, *context,
                              "ListProposals",
                              {request->filter(), request->page_size(), request->page_token(), {}},
                              response->mutable_next_page_token()),
      response->mutable_proposals());
}

grpc::Status ReportsService::CreateProposal(grpc::ServerContext* context,
                                            const v1::CreateProposalRequest* request,
                                            v1::Proposal* response) {
  absl::StatusOr<v1::Proposal> created = [&]() -> absl::StatusOr<v1::Proposal> {
    CAUNOI_RETURN_IF_ERROR(kProposalSpec.validate(request->proposal()));
    CAUNOI_RETURN_IF_ERROR(CheckProposal(request->proposal(), google::protobuf::FieldMask(),
                                         api::RequestDeadline(*context)));
    CAUNOI_RETURN_IF_ERROR(CheckProposalWrite(*context, request->proposal().raised_by()));
    return resource::CreateResource(store_.resources(), kProposalSpec, *context, "CreateProposal",
                                    *request, {}, request->proposal(), request->request_id());
  }();
  return Reply(std::move(created), response);
}

grpc::Status ReportsService::UpdateProposal(grpc::ServerContext* context,
                                            const v1::UpdateProposalRequest* request,
                                            v1::Proposal* response) {
  absl::StatusOr<v1::Proposal> updated = [&]() -> absl::StatusOr<v1::Proposal> {
    CAUNOI_RETURN_IF_ERROR(
        CheckProposal(request->proposal(), request->update_mask(), api::RequestDeadline(*context)));
    // The proposal stays with the locality that raised it.
    CAUNOI_RETURN_IF_ERROR(resource::CheckOwnerWrite<v1::Proposal>(
        *context, store_.resources(), kProposalSpec.table, request->proposal().name(),
        [&](const v1::Proposal& current) {
          return CheckProposalWrite(*context, current.raised_by());
        }));
    return resource::UpdateResource(store_.resources(), kProposalSpec, *context, "UpdateProposal",
                                    *request, request->proposal(), request->update_mask(),
                                    request->reason());
  }();
  return Reply(std::move(updated), response);
}

grpc::Status ReportsService::ListReportAuditRecords(
    grpc::ServerContext* context, const v1::ListReportAuditRecordsRequest* request,
    v1::ListReportAuditRecordsResponse* response) {
  return ReplyList(
      resource::ListAuditRecords(store_.resources(), *context, "ListReportAuditRecords", *request,
                                 response->mutable_next_page_token()),
      response->mutable_audit_records());
}

absl::Status ReportsService::CheckActivityWrite(const grpc::ServerContext& context,
                                                absl::string_view name) {
  return resource::CheckOwnerWrite<v1::Activity>(
      context, store_.resources(), kActivitySpec.table, name, [&](const v1::Activity& activity) {
        return auth::CheckUnitWrite(context, api::ResourceId(activity.current_locality()),
                                    api::ResourceId(activity.organizer()),
                                    absl::StrCat("activity ", activity.name()));
      });
}

absl::Status ReportsService::CheckProposalWrite(const grpc::ServerContext& context,
                                                absl::string_view raised_by) {
  absl::StatusOr<std::optional<auth::Principal>> caller = auth::CallerOf(context);
  CAUNOI_RETURN_IF_ERROR(caller.status());
  if (!caller->has_value()) return absl::OkStatus();
  std::string locality;
  if (!raised_by.empty()) {
    CAUNOI_ASSIGN_OR_RETURN(v1::Organization unit,
                            organizations_.GetOrganization(raised_by, "proposal.raised_by",
                                                           api::RequestDeadline(context)));
    locality = std::string(api::ResourceId(unit.current_locality()));
  }
  return auth::CheckUnitWrite(context, locality, api::ResourceId(raised_by),
                              "a proposal raised there");
}

absl::Status ReportsService::CheckObligationWrite(const grpc::ServerContext& context,
                                                  absl::string_view name) {
  return resource::CheckOwnerWrite<v1::Obligation>(
      context, store_.resources(), kObligationSpec.table, name,
      [&](const v1::Obligation& obligation) {
        return auth::CheckUnitWrite(context, api::ResourceId(obligation.locality()),
                                    api::ResourceId(obligation.unit()),
                                    absl::StrCat("records of ", obligation.name()));
      });
}

absl::Status ReportsService::ReviewerOnly(const grpc::ServerContext& context,
                                          absl::string_view name, absl::string_view what) {
  return CheckDuty(
      context, name, [&](const v1::Obligation& obligation, const auth::DutyIssuer& issuer) {
        return auth::CheckReviewer(context, issuer, api::ResourceId(obligation.unit()), what);
      });
}

absl::Status ReportsService::IssuerOnly(const grpc::ServerContext& context, absl::string_view name,
                                        absl::string_view what) {
  return CheckDuty(
      context, name, [&](const v1::Obligation& obligation, const auth::DutyIssuer& issuer) {
        return auth::CheckIssuer(context, issuer, absl::StrCat(what, " ", obligation.name()));
      });
}

absl::StatusOr<pg::Param> ReportsService::CurrentLocalityParam(absl::string_view locality,
                                                               absl::Time deadline) {
  if (locality.empty()) return pg::Param();
  CAUNOI_ASSIGN_OR_RETURN(std::string id,
                          organizations_.CurrentLocalityId(locality, "locality", deadline));
  return pg::Param(std::move(id));
}

grpc::Status ReportsService::SummarizeCompliance(grpc::ServerContext* context,
                                                 const v1::SummarizeComplianceRequest* request,
                                                 v1::SummarizeComplianceResponse* response) {
  constexpr int kMaxDocuments = 10000;
  return Reply(
      [&]() -> absl::StatusOr<v1::SummarizeComplianceResponse> {
        if (request->documents().empty()) {
          return InvalidFieldError("documents", "name at least one document");
        }
        if (request->documents_size() > kMaxDocuments) {
          return InvalidFieldError("documents", "at most 10000 documents");
        }
        for (int i = 0; i < request->documents_size(); ++i) {
          CAUNOI_RETURN_IF_ERROR(ValidateReference(request->documents(i), "directives/{}",
                                                   absl::StrCat("documents[", i, "]"), true));
        }
        const absl::CivilDay today = api::TodayInVietnam();
        CAUNOI_ASSIGN_OR_RETURN(
            periods::PeriodRange range,
            periods::ParsePeriodRange(request->from_period(), request->to_period()));
        ComplianceWindow window{std::nullopt, today, today};
        if (range.from) window.from = range.from->first;
        if (range.to) window.to = range.to->last;
        const absl::Time deadline = api::RequestDeadline(*context);
        CAUNOI_ASSIGN_OR_RETURN(pg::Param locality,
                                CurrentLocalityParam(request->locality(), deadline));
        return summaries_.Compliance(IdArray(request->documents()), locality, window, deadline);
      }(),
      response);
}

grpc::Status ReportsService::SummarizeActivities(grpc::ServerContext* context,
                                                 const v1::SummarizeActivitiesRequest* request,
                                                 v1::SummarizeActivitiesResponse* response) {
  return Reply(
      [&]() -> absl::StatusOr<v1::SummarizeActivitiesResponse> {
        pg::Param from;
        pg::Param to;
        if (request->has_from_date()) {
          CAUNOI_ASSIGN_OR_RETURN(absl::CivilDay day,
                                  api::ToCivilDay(request->from_date(), "from_date"));
          from = api::FormatIsoDate(day);
        }
        if (request->has_to_date()) {
          CAUNOI_ASSIGN_OR_RETURN(absl::CivilDay day,
                                  api::ToCivilDay(request->to_date(), "to_date"));
          if (from && api::FormatIsoDate(day) < *from) {
            return InvalidFieldError("to_date", "comes before from_date");
          }
          to = api::FormatIsoDate(day);
        }
        const absl::Time deadline = api::RequestDeadline(*context);
        CAUNOI_ASSIGN_OR_RETURN(pg::Param locality,
                                CurrentLocalityParam(request->locality(), deadline));
        return summaries_.Activities(locality, from, to, deadline);
      }(),
      response);
}

grpc::Status ReportsService::SummarizeOpenProposals(
    grpc::ServerContext* context, const v1::SummarizeOpenProposalsRequest* request,
    v1::SummarizeOpenProposalsResponse* response) {
  constexpr int kMaxAssignees = 10000;
  return Reply(
      [&]() -> absl::StatusOr<v1::SummarizeOpenProposalsResponse> {
        if (request->assignees_size() > kMaxAssignees) {
          return InvalidFieldError("assignees", "at most 10000 assignees");
        }
        for (int i = 0; i < request->assignees_size(); ++i) {
          CAUNOI_RETURN_IF_ERROR(ValidateReference(request->assignees(i), "organizations/{}",
                                                   absl::StrCat("assignees[", i, "]"), true));
        }
        return summaries_.OpenProposals(IdArray(request->assignees()),
                                        api::RequestDeadline(*context));
      }(),
      response);
}

}  // namespace caunoi::reports
