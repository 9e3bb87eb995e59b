#ifndef CAUNOI_SERVICES_DIRECTIVES_DIRECTIVES_SERVICE_H_
#define CAUNOI_SERVICES_DIRECTIVES_DIRECTIVES_SERVICE_H_

#include "caunoi/v1/directives.grpc.pb.h"
#include "common/changes/change_watch.h"
#include "common/client/organizations_client.h"
#include "common/resource/standard_handlers.h"
#include "services/directives/directives_store.h"

namespace caunoi::directives {

// RPC handlers: validate, check references with the organizations service,
// authorize, ask the store once, reply. The standard methods are declared
// per resource (common/resource/standard_handlers.h); the others live in
// handlers/, one file a resource.
class DirectivesService final
    : public v1::DirectiveService::WithCallbackMethod_WatchDocuments<
          v1::DirectiveService::WithCallbackMethod_WatchChanges<v1::DirectiveService::Service>> {
 public:
  DirectivesService(DirectivesStore& store, OrganizationsClient& organizations,
                    changes::ChangeWatch& changes);

  CAUNOI_CHANGE_METHODS(changes_)

  CAUNOI_GET_METHOD(Document, documents_)
  CAUNOI_LIST_METHOD(Documents, documents_)
  CAUNOI_CREATE_METHOD(Document, documents_)
  CAUNOI_RPC(UpdateDocument, UpdateDocumentRequest, Document)
  CAUNOI_DELETE_METHOD(Document, documents_)
  CAUNOI_RPC(GetCascade, GetCascadeRequest, GetCascadeResponse)
  grpc::ServerWriteReactor<v1::DocumentChange>* WatchDocuments(
      grpc::CallbackServerContext* context, const v1::WatchDocumentsRequest* request) override;
  CAUNOI_RPC(GetImplementationStatus, GetImplementationStatusRequest,
             GetImplementationStatusResponse)
  CAUNOI_RPC(ParseCitation, ParseCitationRequest, ParseCitationResponse)

  CAUNOI_GET_METHOD(Task, tasks_)
  CAUNOI_LIST_METHOD(Tasks, tasks_)
  CAUNOI_CREATE_METHOD(Task, tasks_)
  CAUNOI_UPDATE_METHOD(Task, tasks_)
  CAUNOI_DELETE_METHOD(Task, tasks_)
  CAUNOI_RPC(SummarizeOverdueTasks, SummarizeOverdueTasksRequest, SummarizeOverdueTasksResponse)
  CAUNOI_RPC(ListTasksFallingDue, ListTasksFallingDueRequest, ListTasksFallingDueResponse)

  CAUNOI_GET_METHOD(ProgressUpdate, progress_updates_)
  CAUNOI_LIST_METHOD(ProgressUpdates, progress_updates_)
  CAUNOI_CREATE_METHOD(ProgressUpdate, progress_updates_)
  CAUNOI_UPDATE_METHOD(ProgressUpdate, progress_updates_)

  CAUNOI_STANDARD_METHODS(DisseminationEvent, DisseminationEvents, events_)

  CAUNOI_RPC(ListDirectiveAuditRecords, ListDirectiveAuditRecordsRequest,
             ListDirectiveAuditRecordsResponse)

 private:
  // Checks each named organization (when set) with the organizations
  // service; the pairs are (name, request field).
  absl::Status CheckOrganizations(const std::vector<std::pair<std::string, std::string>>& named,
                                  absl::Time deadline);
  // Checks the document's issuer and fills its current_locality, asking the
  // organizations service.
  absl::Status ResolveDocument(v1::Document& document, absl::Time deadline);
  // Sets current_locality from locality (clears it with no locality),
  // checking the locality was in force on the issue date, when there is one.
  absl::Status ResolveCurrentLocality(v1::Document& document, absl::Time deadline);
  // The document's commune (when set) must be one of its current
  // locality's, in force on its issue date.
  absl::Status CheckCommune(const v1::Document& document, absl::Time deadline);
  // The document's issuer must be named, exist, and fit its symbol's
  // issuer code (see CheckIssuerFits).
  absl::Status CheckIssuer(const v1::Document& document, absl::Time deadline);
  // PERMISSION_DENIED unless the caller may write records of the document
  // that `name` ("directives/3", or a task, progress update or event below
  // it) belongs to. Reads nothing for a call that names no principal; a
  // malformed or unknown name is left to the handler to report.
  absl::Status CheckDocumentWrite(const grpc::ServerContext& context, absl::string_view name);
  // Records below a document are written by whoever may write it.
  template <typename M>
  resource::HandlerRules<M> DocumentOwned(
      std::function<absl::Status(const grpc::ServerContext&, M&,
                                 const google::protobuf::FieldMask*)>
          admit = nullptr,
      resource::ListParams list_params = nullptr);

  DirectivesStore& store_;
  changes::ChangeWatch& changes_;
  OrganizationsClient& organizations_;
  const resource::StandardHandlers<v1::Document> documents_;
  const resource::StandardHandlers<v1::Task> tasks_;
  const resource::StandardHandlers<v1::ProgressUpdate> progress_updates_;
  const resource::StandardHandlers<v1::DisseminationEvent> events_;
};

}  // namespace caunoi::directives

#endif  // CAUNOI_SERVICES_DIRECTIVES_DIRECTIVES_SERVICE_H_
