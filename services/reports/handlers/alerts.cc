#include "services/reports/reports_service.h"

// Alerts: reads scoped to the caller, the stream of their changes,
// acknowledgement, rules per document, and a production pass on demand.
#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/api/commune_name.h"
#include "common/api/dates.h"
#include "common/api/deadline.h"
#include "common/api/filter.h"
#include "common/api/locality_name.h"
#include "common/api/page_token.h"
#include "common/api/resource_name.h"
#include "common/auth/duty.h"
#include "common/resource/reply.h"
#include "common/resource/resource_helpers.h"
#include "common/resource/write_request.h"
#include "common/status/errors.h"
#include "common/status/status_macros.h"
#include "services/reports/alerts/alert_scope.h"

namespace caunoi::reports {
namespace {

constexpr absl::string_view kAlertPattern = "alerts/{}";
constexpr absl::string_view kAlertRulesPattern = "directives/{}/alertRules";
constexpr int kDefaultPage = 50;
constexpr int kMaxPage = 500;

absl::StatusOr<pg::Param> LocalityFilter(const api::FilterTerm& term, absl::string_view) {
  CAUNOI_ASSIGN_OR_RETURN(std::string id, ParseLocalityName(term.value, "filter"));
  return pg::Param(id);
}

absl::StatusOr<pg::Param> DateFilter(const api::FilterTerm& term, absl::string_view) {
  if (!api::ParseIsoDate(term.value).ok()) {
    return InvalidFieldError(
        "filter", absl::StrCat(term.field, ": \"", term.value, "\" is not a date (YYYY-MM-DD)"));
  }
  return pg::Param(term.value);
}

// In the order AlertStore::List binds them.
constexpr api::FilterField kAlertFilterFields[] = {
    {"kind", true, false, resource::EnumFilter<v1::AlertKind>},
    {"state", true, false, resource::EnumFilter<v1::AlertState>},
    {"item", true, false},
    {"document", true, false, resource::ReferenceFilter, "directives/{}"},
    {"unit", true, false, resource::ReferenceFilter, "organizations/{}"},
    {"locality", true, false, LocalityFilter},
    {"addressee", true, false},
    {"due_date", true, false, DateFilter},
};

absl::StatusOr<int64_t> AlertId(absl::string_view name, absl::string_view field) {
  CAUNOI_ASSIGN_OR_RETURN(std::vector<std::string> ids,
                          api::ParseResourceName(name, kAlertPattern, field));
  int64_t id = 0;
  if (!absl::SimpleAtoi(ids[0], &id)) return InvalidFieldError(field, "is not an alert's name");
  return id;
}

absl::StatusOr<AlertScope> CallerScope(const grpc::ServerContextBase& context) {
  CAUNOI_ASSIGN_OR_RETURN(std::optional<auth::Principal> principal, auth::CallerOf(context));
  return ScopeOf(principal);
}

}  // namespace

grpc::Status ReportsService::GetAlert(grpc::ServerContext* context,
                                      const v1::GetAlertRequest* request, v1::Alert* response) {
  return resource::Reply(
      [&]() -> absl::StatusOr<v1::Alert> {
        CAUNOI_ASSIGN_OR_RETURN(const int64_t id, AlertId(request->name(), "name"));
        CAUNOI_ASSIGN_OR_RETURN(const AlertScope scope, CallerScope(*context));
        return alerts_.Get(id, scope, api::RequestDeadline(*context));
      }(),
      response);
}

grpc::Status ReportsService::ListAlerts(grpc::ServerContext* context,
                                        const v1::ListAlertsRequest* request,
                                        v1::ListAlertsResponse* response) {
  return resource::Reply(
      [&]() -> absl::StatusOr<v1::ListAlertsResponse> {
        CAUNOI_ASSIGN_OR_RETURN(const int limit,
                                api::ResolvePageSize(request->page_size(), kDefaultPage, kMaxPage));
        int64_t before_id = 0;
        if (!request->page_token().empty() &&
            (!absl::SimpleAtoi(request->page_token(), &before_id) || before_id <= 0)) {
          return InvalidFieldError("page_token", "is not a token this service sent");
        }
        CAUNOI_ASSIGN_OR_RETURN(std::vector<api::FilterTerm> terms,
                                api::ParseFilter(request->filter(), kAlertFilterFields));
        CAUNOI_ASSIGN_OR_RETURN(auto bound, api::BindFilter(terms, kAlertFilterFields));
        CAUNOI_ASSIGN_OR_RETURN(const AlertScope scope, CallerScope(*context));
        return alerts_.List(bound, scope, before_id, limit, api::RequestDeadline(*context));
      }(),
      response);
}

grpc::ServerWriteReactor<v1::AlertEvent>* ReportsService::WatchAlerts(
    grpc::CallbackServerContext* context, const v1::WatchAlertsRequest* request) {
  absl::StatusOr<AlertScope> scope = CallerScope(*context);
  if (!scope.ok()) {
    return new changes::RefusedStream<v1::AlertEvent>(ToGrpcStatus(scope.status()));
  }
  return changes_.Open<v1::AlertEvent>(
      request->cursor(), [scope = *scope](size_t, const changes::ChangeEvent& event,
                                          const std::string& cursor, v1::AlertEvent& out) {
        const auto* alert = dynamic_cast<const v1::Alert*>(event.Typed());
        if (alert == nullptr || !AlertVisible(*alert, scope)) return false;
        out.set_cursor(cursor);
        out.set_action(event.change.action());
        *out.mutable_alert() = *alert;
        return true;
      });
}

grpc::Status ReportsService::AcknowledgeAlert(grpc::ServerContext* context,
                                              const v1::AcknowledgeAlertRequest* request,
                                              v1::Alert* response) {
  return resource::Reply(
      [&]() -> absl::StatusOr<v1::Alert> {
        CAUNOI_ASSIGN_OR_RETURN(const int64_t id, AlertId(request->name(), "name"));
        CAUNOI_ASSIGN_OR_RETURN(const AlertScope scope, CallerScope(*context));
        CAUNOI_ASSIGN_OR_RETURN(resource::WriteRequest write,
                                resource::WriteRequestFrom(*context, "AcknowledgeAlert", *request,
                                                           "", request->comment()));
        return alerts_.Acknowledge(id, scope, write);
      }(),
      response);
}

grpc::Status ReportsService::GetAlertRules(grpc::ServerContext* context,
                                           const v1::GetAlertRulesRequest* request,
                                           v1::AlertRules* response) {
  return resource::Reply(
      [&]() -> absl::StatusOr<v1::AlertRules> {
        CAUNOI_ASSIGN_OR_RETURN(
            std::vector<std::string> ids,
            api::ParseResourceName(request->name(), kAlertRulesPattern, "name"));
        const absl::Time deadline = api::RequestDeadline(*context);
        CAUNOI_RETURN_IF_ERROR(
            directives_.ReadDocument(absl::StrCat("directives/", ids[0]), "name", deadline)
                .status());
        int64_t id = 0;
        (void)absl::SimpleAtoi(ids[0], &id);
        return alerts_.GetRules(id, deadline);
      }(),
      response);
}

grpc::Status ReportsService::SetAlertRules(grpc::ServerContext* context,
                                           const v1::SetAlertRulesRequest* request,
                                           v1::AlertRules* response) {
  return resource::Reply(
      [&]() -> absl::StatusOr<v1::AlertRules> {
        const v1::AlertRules& rules = request->rules();
        CAUNOI_ASSIGN_OR_RETURN(
            std::vector<std::string> ids,
            api::ParseResourceName(rules.name(), kAlertRulesPattern, "rules.name"));
        CAUNOI_RETURN_IF_ERROR(ValidateAlertRules(rules));
        const absl::Time deadline = api::RequestDeadline(*context);
        const std::string document = absl::StrCat("directives/", ids[0]);
        CAUNOI_ASSIGN_OR_RETURN(v1::Document found,
                                directives_.GetDocument(document, "rules.name", deadline));
        // Deadlines belong to the side that set them: the document's issuer.
        const auth::DutyIssuer issuer{
            .locality_id = PlaceOf(found.current_locality(), found.commune()),
            .organization_id = std::string(api::ResourceId(found.issuing_organization()))};
        CAUNOI_RETURN_IF_ERROR(
            auth::CheckIssuer(*context, issuer, absl::StrCat("set the alert rules of ", document)));
        CAUNOI_ASSIGN_OR_RETURN(
            resource::WriteRequest write,
            resource::WriteRequestFrom(*context, "SetAlertRules", *request, "", request->reason()));
        int64_t id = 0;
        (void)absl::SimpleAtoi(ids[0], &id);
        return alerts_.SetRules(id, rules, write);
      }(),
      response);
}

grpc::Status ReportsService::ProduceAlerts(grpc::ServerContext* context,
                                           const v1::ProduceAlertsRequest*,
                                           v1::ProduceAlertsResponse* response) {
  return resource::Reply(
      [&]() -> absl::StatusOr<v1::ProduceAlertsResponse> {
        CAUNOI_ASSIGN_OR_RETURN(std::optional<auth::Principal> principal, auth::CallerOf(*context));
        if (principal && principal->role != auth::Role::kCentral) {
          return ErrorWithReason(absl::StatusCode::kPermissionDenied,
                                 absl::StrCat(principal->name,
                                              " may not run the alert producer;"
                                              " central principals only"),
                                 "CENTRAL_ONLY", {{"principal", principal->name}});
        }
        const absl::CivilDay today = api::TodayInVietnam();
        CAUNOI_ASSIGN_OR_RETURN(ProductionResult result, producer_.Produce(today));
        v1::ProduceAlertsResponse answer;
        answer.set_produced(result.produced);
        answer.set_resolved(result.resolved);
        *answer.mutable_today() = api::ToDate(today);
        return answer;
      }(),
      response);
}

}  // namespace caunoi::reports
