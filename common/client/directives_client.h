#ifndef CAUNOI_COMMON_CLIENT_DIRECTIVES_CLIENT_H_
#define CAUNOI_COMMON_CLIENT_DIRECTIVES_CLIENT_H_

#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "caunoi/v1/directives.grpc.pb.h"

namespace caunoi {

// What other services ask the directives service, which owns documents.
// Bounded like every dependency call (common/client/dependency_call.h).
class DirectivesClient {
 public:
  explicit DirectivesClient(std::shared_ptr<grpc::Channel> channel);

  // The document `name` ("directives/{id}") for a new record to name;
  // NOT_FOUND naming `field` when it does not exist, FAILED_PRECONDITION
  // when it was deleted, UNAVAILABLE when the service cannot answer.
  absl::StatusOr<v1::Document> GetDocument(absl::string_view name, absl::string_view field,
                                           absl::Time deadline);
  // The same, deleted or not: for what an existing record already names.
  absl::StatusOr<v1::Document> ReadDocument(absl::string_view name, absl::string_view field,
                                            absl::Time deadline);

  // Every task of the document `name`, page by page (at most 100,000).
  absl::StatusOr<std::vector<v1::Task>> ListTasks(absl::string_view name, absl::string_view field,
                                                  absl::Time deadline);

  // Every open task due within [from, to], across documents, page by page.
  absl::StatusOr<std::vector<v1::TaskFallingDue>> ListTasksFallingDue(const v1::Date& from,
                                                                      const v1::Date& to,
                                                                      absl::Time deadline);

 private:
  std::unique_ptr<v1::DirectiveService::Stub> stub_;
};

}  // namespace caunoi

#endif  // CAUNOI_COMMON_CLIENT_DIRECTIVES_CLIENT_H_
