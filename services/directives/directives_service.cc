#include "services/directives/directives_service.h"

#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/api/dates.h"
#include "common/api/deadline.h"
#include "common/api/field_mask.h"
#include "common/api/locality_name.h"
#include "common/api/page_token.h"
#include "common/auth/principal.h"
#include "common/resource/owner_check.h"
#include "common/resource/reply.h"
#include "common/status/grpc_status.h"
#include "common/status/status_macros.h"
#include "services/directives/issuer_fit.h"
#include "services/directives/resources/resources.h"
#include "services/directives/symbol.h"
#include "services/directives/written_date.h"

namespace caunoi::directives {
namespace {

using resource::Reply;
using resource::ReplyList;

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

}  // namespace

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
  document.clear_current_locality();
  if (!document.locality().empty()) {
    CAUNOI_ASSIGN_OR_RETURN(
        std::string current,
        organizations_.CurrentLocalityId(document.locality(), "document.locality", deadline));
    document.set_current_locality(LocalityName(current));
    CAUNOI_RETURN_IF_ERROR(CheckInForceOn(document.locality(),
                                          api::ToCivilDayUnchecked(document.issue_date()),
                                          document.current_locality(), "document.locality"));
  }
  return absl::OkStatus();
}

grpc::Status DirectivesService::GetDocument(grpc::ServerContext* context,
                                            const v1::GetDocumentRequest* request,
                                            v1::Document* response) {
  return Reply(resource::GetResource(store_.resources(), kDocumentSpec, *context, request->name()),
               response);
}

grpc::Status DirectivesService::ListDocuments(grpc::ServerContext* context,
                                              const v1::ListDocumentsRequest* request,
                                              v1::ListDocumentsResponse* response) {
  absl::Status status = [&]() -> absl::Status {
    CAUNOI_ASSIGN_OR_RETURN(
        pg::Param current_locality,
        organizations_.CurrentLocalityInFilter(request->filter(), kDocumentList.filter_fields,
                                               api::RequestDeadline(*context)));
    resource::ListRequest list{
        request->filter(), request->page_size(), request->page_token(), {}, {current_locality}};
    CAUNOI_ASSIGN_OR_RETURN(
        std::vector<v1::Document> documents,
        resource::ListResources(store_.resources(), kDocumentList, DocumentFromRow, *context,
                                "ListDocuments", list, response->mutable_next_page_token()));
    for (v1::Document& document : documents) *response->add_documents() = std::move(document);
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

absl::Status DirectivesService::CheckDocumentWrite(const grpc::ServerContext& context,
                                                   absl::string_view name) {
  return resource::CheckOwnerWrite<v1::Document>(
      context, store_.resources(), kDocumentSpec.table, name, [&](const v1::Document& document) {
        return auth::CheckWrite(context, api::ResourceId(document.current_locality()),
                                absl::StrCat("records of ", document.symbol()));
      });
}

grpc::Status DirectivesService::CreateDocument(grpc::ServerContext* context,
                                               const v1::CreateDocumentRequest* request,
                                               v1::Document* response) {
  absl::StatusOr<v1::Document> created = [&]() -> absl::StatusOr<v1::Document> {
    v1::Document document = request->document();
    document.clear_name();
    CAUNOI_RETURN_IF_ERROR(kDocumentSpec.validate(document));
    CAUNOI_RETURN_IF_ERROR(ResolveDocument(document, api::RequestDeadline(*context)));
    CAUNOI_RETURN_IF_ERROR(auth::CheckWrite(*context, api::ResourceId(document.current_locality()),
                                            document.current_locality().empty()
                                                ? "a central document"
                                                : "a document of that locality"));
    return resource::CreateResource(store_.resources(), kDocumentSpec, *context, "CreateDocument",
                                    *request, {}, document, request->request_id(),
                                    [this](pg::Connection& connection, const v1::Document& d) {
                                      return store_.CheckIdentity(connection, d);
                                    });
  }();
  return Reply(std::move(created), response);
}

grpc::Status DirectivesService::UpdateDocument(grpc::ServerContext* context,
                                               const v1::UpdateDocumentRequest* request,
                                               v1::Document* response) {
  absl::StatusOr<v1::Document> updated = [&]() -> absl::StatusOr<v1::Document> {
    CAUNOI_ASSIGN_OR_RETURN(
        google::protobuf::FieldMask mask,
        api::WithDerivedPath(request->update_mask(), "locality", "current_locality"));
    v1::Document patch = request->document();
    const absl::Time deadline = api::RequestDeadline(*context);
    // A symbol checked against its issuer needs both in the patch; a
    // document's issuer, once named, cannot be cleared.
    if (MaskCovers(mask, "issuing_organization") &&
        (mask.paths_size() > 0 || !patch.issuing_organization().empty())) {
      if (MaskCovers(mask, "symbol") && ParseSymbol(patch.symbol()).ok()) {
        CAUNOI_RETURN_IF_ERROR(CheckIssuer(patch, deadline));
      } else if (patch.issuing_organization().empty()) {
        return InvalidFieldError("document.issuing_organization", "cannot be cleared");
      } else {
        CAUNOI_RETURN_IF_ERROR(organizations_.CheckOrganization(
            patch.issuing_organization(), "document.issuing_organization", deadline));
      }
    }
    if (MaskCovers(mask, "locality") && (mask.paths_size() > 0 || !patch.locality().empty())) {
      patch.clear_current_locality();
      if (!patch.locality().empty()) {
        CAUNOI_ASSIGN_OR_RETURN(
            std::string current,
            organizations_.CurrentLocalityId(patch.locality(), "document.locality", deadline));
        patch.set_current_locality(LocalityName(current));
        if (patch.has_issue_date()) {
          CAUNOI_RETURN_IF_ERROR(CheckInForceOn(patch.locality(),
                                                api::ToCivilDayUnchecked(patch.issue_date()),
                                                patch.current_locality(), "document.locality"));
        }
      }
    }
    CAUNOI_RETURN_IF_ERROR(CheckDocumentWrite(*context, patch.name()));
    if (MaskCovers(mask, "locality") && (mask.paths_size() > 0 || !patch.locality().empty())) {
      CAUNOI_RETURN_IF_ERROR(auth::CheckWrite(*context, api::ResourceId(patch.current_locality()),
                                              "a document of that locality"));
    }
    return resource::UpdateResource(store_.resources(), kDocumentSpec, *context, "UpdateDocument",
                                    *request, patch, mask, request->reason(),
                                    [this](pg::Connection& connection, const v1::Document& d) {
                                      return store_.CheckIdentity(connection, d);
                                    });
  }();
  return Reply(std::move(updated), response);
}

grpc::Status DirectivesService::DeleteDocument(grpc::ServerContext* context,
                                               const v1::DeleteDocumentRequest* request,
                                               google::protobuf::Empty*) {
  if (absl::Status allowed = CheckDocumentWrite(*context, request->name()); !allowed.ok()) {
    return ToGrpcStatus(allowed);
  }
  return ToGrpcStatus(resource::DeleteResource(store_.resources(), kDocumentSpec, *context,
                                               "DeleteDocument", *request, request->name(),
                                               request->etag(), request->reason()));
}

grpc::Status DirectivesService::GetCascade(grpc::ServerContext* context,
                                           const v1::GetCascadeRequest* request,
                                           v1::GetCascadeResponse* response) {
  absl::Status status = [&]() -> absl::Status {
    CAUNOI_ASSIGN_OR_RETURN(std::vector<std::string> ids,
                            api::ParseResourceName(request->name(), kDocumentPattern, "name"));
    const absl::Time deadline = api::RequestDeadline(*context);
    CAUNOI_ASSIGN_OR_RETURN(*response, store_.GetCascade(request->name(), ids[0], deadline));
    CAUNOI_ASSIGN_OR_RETURN(std::vector<std::string> localities,
                            organizations_.CurrentLocalities(deadline));
    std::set<std::string> reached;
    for (const v1::CascadeEntry& entry : response->entries()) {
      reached.insert(entry.document().current_locality());
    }
    for (const std::string& locality : localities) {
      if (!reached.contains(locality)) response->add_localities_without_document(locality);
    }
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

grpc::Status DirectivesService::WatchDocuments(grpc::ServerContext* context,
                                               const v1::WatchDocumentsRequest* request,
                                               grpc::ServerWriter<v1::DocumentChange>* writer) {
  // Each poll is its own short read; the stream itself may last for days.
  constexpr absl::Duration kPollInterval = absl::Milliseconds(200);
  constexpr absl::Duration kQueryTime = absl::Seconds(10);
  constexpr int kBatch = 100;
  int64_t cursor = 0;
  if (request->cursor().empty()) {
    absl::StatusOr<int64_t> latest = store_.LatestChange(absl::Now() + kQueryTime);
    if (!latest.ok()) return ToGrpcStatus(latest.status());
    cursor = *latest;
  } else if (!absl::SimpleAtoi(request->cursor(), &cursor) || cursor < 0) {
    return ToGrpcStatus(InvalidFieldError("cursor", "is not a cursor this stream sent"));
  }
  while (!context->IsCancelled()) {
    absl::StatusOr<std::vector<v1::DocumentChange>> changes =
        store_.ChangesAfter(cursor, kBatch, absl::Now() + kQueryTime);
    if (!changes.ok()) return ToGrpcStatus(changes.status());
    for (const v1::DocumentChange& change : *changes) {
      if (!writer->Write(change)) return grpc::Status::CANCELLED;
      absl::SimpleAtoi(change.cursor(), &cursor);
    }
    if (changes->size() < kBatch) absl::SleepFor(kPollInterval);
  }
  return grpc::Status::CANCELLED;
}

grpc::Status DirectivesService::GetImplementationStatus(
    grpc::ServerContext* context, const v1::GetImplementationStatusRequest* request,
    v1::GetImplementationStatusResponse* response) {
  absl::Status status = [&]() -> absl::Status {
    CAUNOI_ASSIGN_OR_RETURN(std::vector<std::string> ids,
                            api::ParseResourceName(request->name(), kDocumentPattern, "name"));
    const absl::Time deadline = api::RequestDeadline(*context);
    // A root that does not exist is NOT_FOUND, not an empty answer.
    CAUNOI_RETURN_IF_ERROR(
        store_.resources().Get(kDocumentSpec.table, request->name(), ids[0], deadline).status());
    CAUNOI_ASSIGN_OR_RETURN(*response, store_.GetImplementationStatus(ids[0], deadline));
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

grpc::Status DirectivesService::SummarizeOverdueTasks(grpc::ServerContext* context,
                                                      const v1::SummarizeOverdueTasksRequest*,
                                                      v1::SummarizeOverdueTasksResponse* response) {
  return Reply(store_.SummarizeOverdueTasks(api::RequestDeadline(*context)), response);
}

grpc::Status DirectivesService::ParseCitation(grpc::ServerContext*,
                                              const v1::ParseCitationRequest* request,
                                              v1::ParseCitationResponse* response) {
  absl::Status status = [&]() -> absl::Status {
    absl::StatusOr<DocumentSymbol> symbol = ParseSymbol(request->symbol());
    if (!symbol.ok()) return InvalidFieldError("symbol", symbol.status().message());
    response->set_number(symbol->number);
    response->set_type_code(symbol->type_code);
    response->set_issuer_code(symbol->issuer_code);
    response->set_normalized_symbol(symbol->normalized);
    response->set_type(TypeOfCode(symbol->type_code));
    if (!request->written_date().empty()) {
      absl::StatusOr<absl::CivilDay> day = ParseWrittenDate(request->written_date());
      if (!day.ok()) return InvalidFieldError("written_date", day.status().message());
      *response->mutable_date() = api::ToDate(*day);
    }
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

grpc::Status DirectivesService::ListTasks(grpc::ServerContext* context,
                                          const v1::ListTasksRequest* request,
                                          v1::ListTasksResponse* response) {
  std::vector<std::string> parent = {"-"};
  if (request->parent() != "directives/-") {
    absl::StatusOr<std::vector<std::string>> ids =
        api::ParseResourceName(request->parent(), kDocumentPattern, "parent");
    if (!ids.ok()) return ToGrpcStatus(ids.status());
    parent = *ids;
  }
  absl::StatusOr<pg::Param> current_locality = organizations_.CurrentLocalityInFilter(
      request->filter(), kTaskList.filter_fields, api::RequestDeadline(*context));
  if (!current_locality.ok()) return ToGrpcStatus(current_locality.status());
  return ReplyList(
      resource::ListResources(store_.resources(), kTaskList, TaskFromRow, *context, "ListTasks",
                              {request->filter(),
                               request->page_size(),
                               request->page_token(),
                               parent,
                               {*current_locality}},
                              response->mutable_next_page_token()),
      response->mutable_tasks());
}

grpc::Status DirectivesService::CreateTask(grpc::ServerContext* context,
                                           const v1::CreateTaskRequest* request,
                                           v1::Task* response) {
  if (absl::Status allowed = CheckDocumentWrite(*context, request->parent()); !allowed.ok()) {
    return ToGrpcStatus(allowed);
  }
  absl::StatusOr<v1::Task> created = [&]() -> absl::StatusOr<v1::Task> {
    CAUNOI_ASSIGN_OR_RETURN(std::vector<std::string> parent,
                            api::ParseResourceName(request->parent(), kDocumentPattern, "parent"));
    CAUNOI_RETURN_IF_ERROR(kTaskSpec.validate(request->task()));
    CAUNOI_RETURN_IF_ERROR(CheckOrganizations(
        Assignees(request->task(), google::protobuf::FieldMask()), api::RequestDeadline(*context)));
    return resource::CreateResource(store_.resources(), kTaskSpec, *context, "CreateTask", *request,
                                    parent, request->task(), request->request_id());
  }();
  return Reply(std::move(created), response);
}

grpc::Status DirectivesService::UpdateTask(grpc::ServerContext* context,
                                           const v1::UpdateTaskRequest* request,
                                           v1::Task* response) {
  if (absl::Status allowed = CheckDocumentWrite(*context, request->task().name()); !allowed.ok()) {
    return ToGrpcStatus(allowed);
  }
  absl::StatusOr<v1::Task> updated = [&]() -> absl::StatusOr<v1::Task> {
    CAUNOI_RETURN_IF_ERROR(CheckOrganizations(Assignees(request->task(), request->update_mask()),
                                              api::RequestDeadline(*context)));
    return resource::UpdateResource(store_.resources(), kTaskSpec, *context, "UpdateTask", *request,
                                    request->task(), request->update_mask(), request->reason());
  }();
  return Reply(std::move(updated), response);
}

grpc::Status DirectivesService::ListProgressUpdates(grpc::ServerContext* context,
                                                    const v1::ListProgressUpdatesRequest* request,
                                                    v1::ListProgressUpdatesResponse* response) {
  absl::StatusOr<std::vector<std::string>> parent =
      api::ParseResourceName(request->parent(), kTaskPattern, "parent");
  if (!parent.ok()) return ToGrpcStatus(parent.status());
  return ReplyList(
      resource::ListResources(store_.resources(), kProgressList, ProgressFromRow, *context,
                              "ListProgressUpdates",
                              {"", request->page_size(), request->page_token(), *parent},
                              response->mutable_next_page_token()),
      response->mutable_progress_updates());
}

grpc::Status DirectivesService::CreateProgressUpdate(grpc::ServerContext* context,
                                                     const v1::CreateProgressUpdateRequest* request,
                                                     v1::ProgressUpdate* response) {
  if (absl::Status allowed = CheckDocumentWrite(*context, request->parent()); !allowed.ok()) {
    return ToGrpcStatus(allowed);
  }
  absl::StatusOr<std::vector<std::string>> parent =
      api::ParseResourceName(request->parent(), kTaskPattern, "parent");
  if (!parent.ok()) return ToGrpcStatus(parent.status());
  return Reply(resource::CreateResource(store_.resources(), kProgressSpec, *context,
                                        "CreateProgressUpdate", *request, *parent,
                                        request->progress_update(), request->request_id()),
               response);
}

grpc::Status DirectivesService::UpdateProgressUpdate(grpc::ServerContext* context,
                                                     const v1::UpdateProgressUpdateRequest* request,
                                                     v1::ProgressUpdate* response) {
  if (absl::Status allowed = CheckDocumentWrite(*context, request->progress_update().name());
      !allowed.ok()) {
    return ToGrpcStatus(allowed);
  }
  return Reply(resource::UpdateResource(
                   store_.resources(), kProgressSpec, *context, "UpdateProgressUpdate", *request,
                   request->progress_update(), request->update_mask(), request->reason()),
               response);
}

grpc::Status DirectivesService::ListDisseminationEvents(
    grpc::ServerContext* context, const v1::ListDisseminationEventsRequest* request,
    v1::ListDisseminationEventsResponse* response) {
  absl::StatusOr<std::vector<std::string>> parent =
      api::ParseResourceName(request->parent(), kDocumentPattern, "parent");
  if (!parent.ok()) return ToGrpcStatus(parent.status());
  return ReplyList(
      resource::ListResources(store_.resources(), kEventList, EventFromRow, *context,
                              "ListDisseminationEvents",
                              {"", request->page_size(), request->page_token(), *parent},
                              response->mutable_next_page_token()),
      response->mutable_dissemination_events());
}

grpc::Status DirectivesService::CreateDisseminationEvent(
    grpc::ServerContext* context, const v1::CreateDisseminationEventRequest* request,
    v1::DisseminationEvent* response) {
  if (absl::Status allowed = CheckDocumentWrite(*context, request->parent()); !allowed.ok()) {
    return ToGrpcStatus(allowed);
  }
  absl::StatusOr<v1::DisseminationEvent> created = [&]() -> absl::StatusOr<v1::DisseminationEvent> {
    CAUNOI_ASSIGN_OR_RETURN(std::vector<std::string> parent,
                            api::ParseResourceName(request->parent(), kDocumentPattern, "parent"));
    const v1::DisseminationEvent& event = request->dissemination_event();
    CAUNOI_RETURN_IF_ERROR(kEventSpec.validate(event));
    CAUNOI_RETURN_IF_ERROR(CheckOrganizations(
        {{event.organizer(), "dissemination_event.organizer"}}, api::RequestDeadline(*context)));
    return resource::CreateResource(store_.resources(), kEventSpec, *context,
                                    "CreateDisseminationEvent", *request, parent, event,
                                    request->request_id());
  }();
  return Reply(std::move(created), response);
}

grpc::Status DirectivesService::UpdateDisseminationEvent(
    grpc::ServerContext* context, const v1::UpdateDisseminationEventRequest* request,
    v1::DisseminationEvent* response) {
  if (absl::Status allowed = CheckDocumentWrite(*context, request->dissemination_event().name());
      !allowed.ok()) {
    return ToGrpcStatus(allowed);
  }
  absl::StatusOr<v1::DisseminationEvent> updated = [&]() -> absl::StatusOr<v1::DisseminationEvent> {
    const v1::DisseminationEvent& patch = request->dissemination_event();
    if (MaskCovers(request->update_mask(), "organizer")) {
      CAUNOI_RETURN_IF_ERROR(CheckOrganizations(
          {{patch.organizer(), "dissemination_event.organizer"}}, api::RequestDeadline(*context)));
    }
    return resource::UpdateResource(store_.resources(), kEventSpec, *context,
                                    "UpdateDisseminationEvent", *request, patch,
                                    request->update_mask(), request->reason());
  }();
  return Reply(std::move(updated), response);
}

grpc::Status DirectivesService::ListDirectiveAuditRecords(
    grpc::ServerContext* context, const v1::ListDirectiveAuditRecordsRequest* request,
    v1::ListDirectiveAuditRecordsResponse* response) {
  return ReplyList(
      resource::ListAuditRecords(store_.resources(), *context, "ListDirectiveAuditRecords",
                                 *request, response->mutable_next_page_token()),
      response->mutable_audit_records());
}

grpc::Status DirectivesService::GetTask(grpc::ServerContext* context,
                                        const v1::GetTaskRequest* request, v1::Task* response) {
  return Reply(resource::GetResource(store_.resources(), kTaskSpec, *context, request->name()),
               response);
}

grpc::Status DirectivesService::DeleteTask(grpc::ServerContext* context,
                                           const v1::DeleteTaskRequest* request,
                                           google::protobuf::Empty*) {
  if (absl::Status allowed = CheckDocumentWrite(*context, request->name()); !allowed.ok()) {
    return ToGrpcStatus(allowed);
  }
  return ToGrpcStatus(resource::DeleteResource(store_.resources(), kTaskSpec, *context,
                                               "DeleteTask", *request, request->name(),
                                               request->etag(), request->reason()));
}

grpc::Status DirectivesService::GetProgressUpdate(grpc::ServerContext* context,
                                                  const v1::GetProgressUpdateRequest* request,
                                                  v1::ProgressUpdate* response) {
  return Reply(resource::GetResource(store_.resources(), kProgressSpec, *context, request->name()),
               response);
}

grpc::Status DirectivesService::GetDisseminationEvent(
    grpc::ServerContext* context, const v1::GetDisseminationEventRequest* request,
    v1::DisseminationEvent* response) {
  return Reply(resource::GetResource(store_.resources(), kEventSpec, *context, request->name()),
               response);
}

grpc::Status DirectivesService::DeleteDisseminationEvent(
    grpc::ServerContext* context, const v1::DeleteDisseminationEventRequest* request,
    google::protobuf::Empty*) {
  if (absl::Status allowed = CheckDocumentWrite(*context, request->name()); !allowed.ok()) {
    return ToGrpcStatus(allowed);
  }
  return ToGrpcStatus(
      resource::DeleteResource(store_.resources(), kEventSpec, *context, "DeleteDisseminationEvent",
                               *request, request->name(), request->etag(), request->reason()));
}
}  // namespace caunoi::directives
