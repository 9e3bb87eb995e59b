#ifndef CAUNOI_SERVICES_DIRECTIVES_DIRECTIVES_SERVICE_H_
#define CAUNOI_SERVICES_DIRECTIVES_DIRECTIVES_SERVICE_H_

#include "caunoi/v1/directives.grpc.pb.h"
#include "common/client/organizations_client.h"
#include "services/directives/directives_store.h"

namespace caunoi::directives {

// RPC handlers: validate, check references with the organizations service,
// ask the store, map the status once.
class DirectivesService final : public v1::DirectiveService::Service {
 public:
  DirectivesService(DirectivesStore& store, OrganizationsClient& organizations)
      : store_(store), organizations_(organizations) {}

  grpc::Status GetDocument(grpc::ServerContext* context, const v1::GetDocumentRequest* request,
                           v1::Document* response) override;
  grpc::Status ListDocuments(grpc::ServerContext* context, const v1::ListDocumentsRequest* request,
                             v1::ListDocumentsResponse* response) override;
  grpc::Status CreateDocument(grpc::ServerContext* context,
                              const v1::CreateDocumentRequest* request,
                              v1::Document* response) override;
  grpc::Status UpdateDocument(grpc::ServerContext* context,
                              const v1::UpdateDocumentRequest* request,
                              v1::Document* response) override;
  grpc::Status DeleteDocument(grpc::ServerContext* context,
                              const v1::DeleteDocumentRequest* request,
                              google::protobuf::Empty* response) override;
  grpc::Status GetCascade(grpc::ServerContext* context, const v1::GetCascadeRequest* request,
                          v1::GetCascadeResponse* response) override;
  grpc::Status WatchDocuments(grpc::ServerContext* context,
                              const v1::WatchDocumentsRequest* request,
                              grpc::ServerWriter<v1::DocumentChange>* writer) override;
  grpc::Status GetImplementationStatus(grpc::ServerContext* context,
                                       const v1::GetImplementationStatusRequest* request,
                                       v1::GetImplementationStatusResponse* response) override;
  grpc::Status SummarizeOverdueTasks(grpc::ServerContext* context,
                                     const v1::SummarizeOverdueTasksRequest* request,
                                     v1::SummarizeOverdueTasksResponse* response) override;
  grpc::Status ParseCitation(grpc::ServerContext* context, const v1::ParseCitationRequest* request,
                             v1::ParseCitationResponse* response) override;
  grpc::Status ListDirectiveAuditRecords(grpc::ServerContext* context,
                                         const v1::ListDirectiveAuditRecordsRequest* request,
                                         v1::ListDirectiveAuditRecordsResponse* response) override;
  grpc::Status GetTask(grpc::ServerContext* context, const v1::GetTaskRequest* request,
                       v1::Task* response) override;
  grpc::Status ListTasks(grpc::ServerContext* context, const v1::ListTasksRequest* request,
                         v1::ListTasksResponse* response) override;
  grpc::Status CreateTask(grpc::ServerContext* context, const v1::CreateTaskRequest* request,
                          v1::Task* response) override;
  grpc::Status UpdateTask(grpc::ServerContext* context, const v1::UpdateTaskRequest* request,
                          v1::Task* response) override;
  grpc::Status DeleteTask(grpc::ServerContext* context, const v1::DeleteTaskRequest* request,
                          google::protobuf::Empty* response) override;
  grpc::Status GetProgressUpdate(grpc::ServerContext* context,
                                 const v1::GetProgressUpdateRequest* request,
                                 v1::ProgressUpdate* response) override;
  grpc::Status ListProgressUpdates(grpc::ServerContext* context,
                                   const v1::ListProgressUpdatesRequest* request,
                                   v1::ListProgressUpdatesResponse* response) override;
  grpc::Status CreateProgressUpdate(grpc::ServerContext* context,
                                    const v1::CreateProgressUpdateRequest* request,
                                    v1::ProgressUpdate* response) override;
  grpc::Status UpdateProgressUpdate(grpc::ServerContext* context,
                                    const v1::UpdateProgressUpdateRequest* request,
                                    v1::ProgressUpdate* response) override;
  grpc::Status GetDisseminationEvent(grpc::ServerContext* context,
                                     const v1::GetDisseminationEventRequest* request,
                                     v1::DisseminationEvent* response) override;
  grpc::Status ListDisseminationEvents(grpc::ServerContext* context,
                                       const v1::ListDisseminationEventsRequest* request,
                                       v1::ListDisseminationEventsResponse* response) override;
  grpc::Status CreateDisseminationEvent(grpc::ServerContext* context,
                                        const v1::CreateDisseminationEventRequest* request,
                                        v1::DisseminationEvent* response) override;
  grpc::Status UpdateDisseminationEvent(grpc::ServerContext* context,
                                        const v1::UpdateDisseminationEventRequest* request,
                                        v1::DisseminationEvent* response) override;
  grpc::Status DeleteDisseminationEvent(grpc::ServerContext* context,
                                        const v1::DeleteDisseminationEventRequest* request,
                                        google::protobuf::Empty* response) override;

 private:
  // Checks `organization` (when set) with the organizations service.
  absl::Status CheckOrganizations(const std::vector<std::pair<std::string, std::string>>& named,
                                  absl::Time deadline);
  // Fills document.current_locality from its locality, asking the
  // organizations service.
  absl::Status ResolveDocument(v1::Document& document, absl::Time deadline);
  // The document's issuer must be named, exist, and fit its symbol's
  // issuer code (see CheckIssuerFits).
  absl::Status CheckIssuer(const v1::Document& document, absl::Time deadline);
  // PERMISSION_DENIED unless the caller may write records of the document
  // that `name` ("directives/3", or a task, progress update or event below
  // it) belongs to. Reads nothing for a call that names no principal; a
  // malformed or unknown name is left to the handler to report.
  absl::Status CheckDocumentWrite(const grpc::ServerContext& context, absl::string_view name);

  DirectivesStore& store_;
  OrganizationsClient& organizations_;
};

}  // namespace caunoi::directives

#endif  // CAUNOI_SERVICES_DIRECTIVES_DIRECTIVES_SERVICE_H_
