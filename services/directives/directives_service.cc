#include "services/directives/directives_service.h"

#include "absl/strings/str_cat.h"
#include "common/api/commune_name.h"
#include "common/api/dates.h"
#include "common/api/deadline.h"
#include "common/api/field_mask.h"
#include "common/api/locality_name.h"
#include "common/auth/principal.h"
#include "common/resource/current_locality_list.h"
#include "common/resource/owner_check.h"
#include "common/resource/reply.h"
#include "common/status/status_macros.h"
#include "services/directives/issuer_fit.h"
#include "services/directives/resources/resources.h"
#include "services/directives/symbol.h"

namespace caunoi::directives {
namespace {

using api::MaskCovers;

// The organizations a task names in the fields `mask` writes, with the
// request field of each.
std::vector<std::pair<std::string, std::string>> Assignees(
    const v1::Task& task, const google::protobuf::FieldMask& mask) {
  std::vector<std::pair<std::string, std::string>> named;
  if (MaskCovers(mask, "lead")) named.emplace_back(task.lead(), "task.lead");
  if (MaskCovers(mask, "co_operators")) {
    for (int i = 0; i < task.co_operators_size(); ++i) {
      named.emplace_back(task.co_operators(i), absl::StrCat("task.co_operators[", i, "]"));
    }
  }
  return named;
}

// An update names what its mask writes; a create, everything.
const google::protobuf::FieldMask& WrittenBy(const google::protobuf::FieldMask* mask) {
  static const google::protobuf::FieldMask kEverything;
  return mask == nullptr ? kEverything : *mask;
}

}  // namespace

template <typename M>
resource::HandlerRules<M> DirectivesService::DocumentOwned(
    std::function<absl::Status(const grpc::ServerContext&, M&, const google::protobuf::FieldMask*)>
        admit,
    resource::ListParams list_params) {
  return {.owner = [this](const grpc::ServerContext& context,
                          absl::string_view name) { return CheckDocumentWrite(context, name); },
          .admit = std::move(admit),
          .list_params = std::move(list_params)};
}

DirectivesService::DirectivesService(DirectivesStore& store, OrganizationsClient& organizations,
                                     changes::ChangeWatch& changes)
    : store_(store),
      changes_(changes),
      organizations_(organizations),
      documents_(
          store.resources(), kDocumentSpec, kDocumentList,
          {.owner = DocumentOwned<v1::Document>().owner,
           // A document's place is its locality's current unit, which
           // only the organizations service knows.
           .admit = [this](const grpc::ServerContext& context, v1::Document& document,
                           const google::protobuf::FieldMask*) -> absl::Status {
             CAUNOI_RETURN_IF_ERROR(ResolveDocument(document, api::RequestDeadline(context)));
             return auth::CheckWrite(
                 context, PlaceOf(document.current_locality(), document.commune()),
                 document.current_locality().empty() ? "a central document"
                                                     : "a document of that locality");
           },
           .list_params = resource::CurrentLocalityParams(organizations, kDocumentList)}),
      tasks_(store.resources(), kTaskSpec, kTaskList,
             DocumentOwned<v1::Task>(
                 [this](const grpc::ServerContext& context, v1::Task& task,
                        const google::protobuf::FieldMask* mask) -> absl::Status {
                   const absl::Time deadline = api::RequestDeadline(context);
                   CAUNOI_RETURN_IF_ERROR(
                       CheckOrganizations(Assignees(task, WrittenBy(mask)), deadline));
                   if (task.commune().empty() || !MaskCovers(WrittenBy(mask), "commune")) {
                     return absl::OkStatus();
                   }
                   // That it lies in the document's locality the database
                   // checks as the task is written.
                   CAUNOI_ASSIGN_OR_RETURN(CommuneRef commune,
                                           ParseCommuneName(task.commune(), "task.commune"));
                   return organizations_.CheckCommune(
                       task.commune(), LocalityName(commune.province_id), api::TodayInVietnam(),
                       "task.commune", deadline);
                 },
                 resource::CurrentLocalityParams(organizations, kTaskList))),
      progress_updates_(store.resources(), kProgressSpec, kProgressList,
                        DocumentOwned<v1::ProgressUpdate>()),
      events_(store.resources(), kEventSpec, kEventList,
              DocumentOwned<v1::DisseminationEvent>(
                  [this](const grpc::ServerContext& context, v1::DisseminationEvent& event,
                         const google::protobuf::FieldMask* mask) -> absl::Status {
                    if (!MaskCovers(WrittenBy(mask), "organizer")) return absl::OkStatus();
                    return CheckOrganizations(
                        {{event.organizer(), "dissemination_event.organizer"}},
                        api::RequestDeadline(context));
                  })) {}

absl::Status DirectivesService::CheckOrganizations(
    const std::vector<std::pair<std::string, std::string>>& named, absl::Time deadline) {
  for (const auto& [name, field] : named) {
    if (name.empty()) continue;
    CAUNOI_RETURN_IF_ERROR(organizations_.CheckOrganization(name, field, deadline));
  }
  return absl::OkStatus();
}

absl::Status DirectivesService::CheckIssuer(const v1::Document& document, absl::Time deadline) {
  if (document.issuing_organization().empty()) {
    return InvalidFieldError("document.issuing_organization",
                             "is required: the issuer in the registry, e.g. \"organizations/5\"");
  }
  CAUNOI_ASSIGN_OR_RETURN(v1::Organization issuer, organizations_.GetOrganization(
                                                       document.issuing_organization(),
                                                       "document.issuing_organization", deadline));
  return CheckIssuerFits(*ParseSymbol(document.symbol()), issuer);
}

absl::Status DirectivesService::ResolveDocument(v1::Document& document, absl::Time deadline) {
  CAUNOI_RETURN_IF_ERROR(CheckIssuer(document, deadline));
  CAUNOI_RETURN_IF_ERROR(ResolveCurrentLocality(document, deadline));
  return CheckCommune(document, deadline);
}

absl::Status DirectivesService::CheckCommune(const v1::Document& document, absl::Time deadline) {
  if (document.commune().empty()) return absl::OkStatus();
  return organizations_.CheckCommune(document.commune(), document.current_locality(),
                                     document.has_issue_date()
                                         ? api::ToCivilDayUnchecked(document.issue_date())
                                         : api::TodayInVietnam(),
                                     "document.commune", deadline);
}

absl::Status DirectivesService::ResolveCurrentLocality(v1::Document& document,
                                                       absl::Time deadline) {
  document.clear_current_locality();
  if (document.locality().empty()) return absl::OkStatus();
  CAUNOI_ASSIGN_OR_RETURN(
      std::string current,
      organizations_.CurrentLocalityId(document.locality(), "document.locality", deadline));
  document.set_current_locality(LocalityName(current));
  if (!document.has_issue_date()) return absl::OkStatus();
  return CheckInForceOn(document.locality(), api::ToCivilDayUnchecked(document.issue_date()),
                        document.current_locality(), "document.locality");
}

absl::Status DirectivesService::CheckDocumentWrite(const grpc::ServerContext& context,
                                                   absl::string_view name) {
  return resource::CheckOwnerWrite<v1::Document>(
      context, store_.resources(), kDocumentSpec.table, name, [&](const v1::Document& document) {
        return auth::CheckWrite(context, PlaceOf(document.current_locality(), document.commune()),
                                absl::StrCat("records of ", document.symbol()));
      });
}

grpc::Status DirectivesService::ListDirectiveAuditRecords(
    grpc::ServerContext* context, const v1::ListDirectiveAuditRecordsRequest* request,
    v1::ListDirectiveAuditRecordsResponse* response) {
  return resource::ReplyList(
      resource::ListAuditRecords(store_.resources(), *context, "ListDirectiveAuditRecords",
                                 *request, response->mutable_next_page_token()),
      response->mutable_audit_records());
}

}  // namespace caunoi::directives
