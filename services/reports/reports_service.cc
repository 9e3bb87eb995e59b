#include "services/reports/reports_service.h"

#include "absl/strings/str_cat.h"
#include "common/api/commune_name.h"
#include "common/api/dates.h"
#include "common/api/deadline.h"
#include "common/api/field_mask.h"
#include "common/api/locality_name.h"
#include "common/auth/principal.h"
#include "common/period/period.h"
#include "common/resource/current_locality_list.h"
#include "common/resource/owner_check.h"
#include "common/resource/reply.h"
#include "common/status/status_macros.h"
#include "services/reports/dissolved_duties.h"
#include "services/reports/resources/resources.h"

namespace caunoi::reports {
namespace {

using api::MaskCovers;

// An update names what its mask writes; a create, everything.
const google::protobuf::FieldMask& WrittenBy(const google::protobuf::FieldMask* mask) {
  static const google::protobuf::FieldMask kEverything;
  return mask == nullptr ? kEverything : *mask;
}

}  // namespace

ReportsService::ReportsService(ReportsStore& store, SummaryStore& summaries,
                               OrganizationsClient& organizations, DirectivesClient& directives,
                               Parts parts)
    : store_(store),
      summaries_(summaries),
      organizations_(organizations),
      directives_(directives),
      changes_(parts.changes),
      alerts_(parts.alerts),
      producer_(parts.producer),
      webhooks_(parts.webhooks),
      obligations_(store.resources(), kObligationSpec, kObligationList,
                   {.owner =
                        [this](const grpc::ServerContext& context, absl::string_view name) {
                          return IssuerOnly(context, name, "delete the duty of");
                        },
                    // Only the side that issued the document sets a duty on it.
                    .admit = [this](const grpc::ServerContext& context, v1::Obligation& obligation,
                                    const google::protobuf::FieldMask*) -> absl::Status {
                      CAUNOI_ASSIGN_OR_RETURN(
                          auth::DutyIssuer issuer,
                          ResolveObligation(obligation, api::RequestDeadline(context)));
                      return auth::CheckIssuer(
                          context, issuer, absl::StrCat("set a duty on ", obligation.document()));
                    }}),
      reports_(
          store.resources(), kReportSpec, kReportList,
          {.owner = [this](const grpc::ServerContext& context,
                           absl::string_view name) { return CheckObligationWrite(context, name); },
           .list_params =
               resource::CurrentLocalityParams(organizations, kReportList, PeriodRangeParams)}),
      activities_(
          store.resources(), kActivitySpec, kActivityList,
          {.owner = [this](const grpc::ServerContext& context,
                           absl::string_view name) { return CheckActivityWrite(context, name); },
           .admit = [this](const grpc::ServerContext& context, v1::Activity& activity,
                           const google::protobuf::FieldMask* mask) -> absl::Status {
             CAUNOI_RETURN_IF_ERROR(
                 ResolveActivity(activity, WrittenBy(mask), api::RequestDeadline(context)));
             return auth::CheckUnitWrite(
                 context, PlaceOf(activity.current_locality(), activity.commune()),
                 api::ResourceId(activity.organizer()), "an activity there");
           },
           .list_params =
               resource::CurrentLocalityParams(organizations, kActivityList,
                                               [this](const grpc::ServerContext& context,
                                                      const google::protobuf::Message& request) {
                                                 return TierCountries(context, request);
                                               })}),
      proposals_(store.resources(), kProposalSpec, kProposalList,
                 // The proposal stays with the locality that raised it.
                 {.owner =
                      [this](const grpc::ServerContext& context, absl::string_view name) {
                        return resource::CheckOwnerWrite<v1::Proposal>(
                            context, store_.resources(), kProposalSpec.table, name,
                            [&](const v1::Proposal& current) {
                              return CheckProposalWrite(context, current.raised_by());
                            });
                      },
                  .admit = [this](const grpc::ServerContext& context, v1::Proposal& proposal,
                                  const google::protobuf::FieldMask* mask) -> absl::Status {
                    CAUNOI_RETURN_IF_ERROR(
                        ResolveProposal(proposal, WrittenBy(mask), api::RequestDeadline(context)));
                    if (mask != nullptr) return absl::OkStatus();
                    return CheckProposalWrite(context, proposal.raised_by());
                  },
                  .derived = {"assignee", "assignee_locality"}}),
      // The catalogue is the nation's: central principals write it.
      indicators_(store.resources(), kIndicatorSpec, kIndicatorList,
                  {.owner =
                       [](const grpc::ServerContext& context, absl::string_view) {
                         return auth::CheckWrite(context, "", "the indicator catalogue");
                       },
                   .place =
                       [](const grpc::ServerContext& context, const v1::Indicator&,
                          const google::protobuf::FieldMask*) {
                         return auth::CheckWrite(context, "", "the indicator catalogue");
                       }}),
      indicator_store_(store.resources()) {}

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
  if (MaskCovers(mask, "commune") && !activity.commune().empty()) {
    if (activity.locality().empty()) {
      return InvalidFieldError("activity.commune", "is set only with activity.locality");
    }
    // A partial update without the locality is held to the commune's own
    // province, where the write check places it.
    CAUNOI_ASSIGN_OR_RETURN(CommuneRef commune,
                            ParseCommuneName(activity.commune(), "activity.commune"));
    CAUNOI_RETURN_IF_ERROR(organizations_.CheckCommune(
        activity.commune(),
        activity.current_locality().empty() ? LocalityName(commune.province_id)
                                            : activity.current_locality(),
        held.value_or(api::TodayInVietnam()), "activity.commune", deadline));
  }
  return absl::OkStatus();
}

absl::Status ReportsService::ResolveProposal(v1::Proposal& proposal,
                                             const google::protobuf::FieldMask& mask,
                                             absl::Time deadline) {
  if (MaskCovers(mask, "raised_by") && !proposal.raised_by().empty()) {
    CAUNOI_RETURN_IF_ERROR(
        organizations_.CheckOrganization(proposal.raised_by(), "proposal.raised_by", deadline));
  }
  if (!MaskCovers(mask, "assignee")) return absl::OkStatus();
  proposal.clear_assignee_locality();
  if (proposal.assignee().empty()) return absl::OkStatus();
  CAUNOI_ASSIGN_OR_RETURN(
      v1::Organization assignee,
      organizations_.GetOrganization(proposal.assignee(), "proposal.assignee", deadline));
  proposal.set_assignee_locality(assignee.current_locality());
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
  obligation.set_commune(unit.commune());
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
      .locality_id = PlaceOf(document.current_locality(), document.commune()),
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
    const grpc::ServerContextBase& context, absl::string_view name,
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

absl::Status ReportsService::CheckObligationWrite(const grpc::ServerContext& context,
                                                  absl::string_view name) {
  return resource::CheckOwnerWrite<v1::Obligation>(
      context, store_.resources(), kObligationSpec.table, name,
      [&](const v1::Obligation& obligation) {
        return auth::CheckUnitWrite(context, PlaceOf(obligation.locality(), obligation.commune()),
                                    api::ResourceId(obligation.unit()),
                                    absl::StrCat("records of ", obligation.name()));
      });
}

absl::Status ReportsService::CheckActivityWrite(const grpc::ServerContext& context,
                                                absl::string_view name) {
  return resource::CheckOwnerWrite<v1::Activity>(
      context, store_.resources(), kActivitySpec.table, name, [&](const v1::Activity& activity) {
        return auth::CheckUnitWrite(
            context, PlaceOf(activity.current_locality(), activity.commune()),
            api::ResourceId(activity.organizer()), absl::StrCat("activity ", activity.name()));
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
    locality = PlaceOf(unit.current_locality(), unit.commune());
  }
  return auth::CheckUnitWrite(context, locality, api::ResourceId(raised_by),
                              "a proposal raised there");
}

absl::Status ReportsService::ReviewerOnly(const grpc::ServerContextBase& context,
                                          absl::string_view name, absl::string_view what) {
  return CheckDuty(
      context, name, [&](const v1::Obligation& obligation, const auth::DutyIssuer& issuer) {
        return auth::CheckReviewer(context, issuer, api::ResourceId(obligation.unit()), what);
      });
}

absl::Status ReportsService::IssuerOnly(const grpc::ServerContextBase& context,
                                        absl::string_view name, absl::string_view what) {
  return CheckDuty(
      context, name, [&](const v1::Obligation& obligation, const auth::DutyIssuer& issuer) {
        return auth::CheckIssuer(context, issuer, absl::StrCat(what, " ", obligation.name()));
      });
}

grpc::Status ReportsService::ListReportAuditRecords(
    grpc::ServerContext* context, const v1::ListReportAuditRecordsRequest* request,
    v1::ListReportAuditRecordsResponse* response) {
  return resource::ReplyList(
      resource::ListAuditRecords(store_.resources(), *context, "ListReportAuditRecords", *request,
                                 response->mutable_next_page_token()),
      response->mutable_audit_records());
}

}  // namespace caunoi::reports
