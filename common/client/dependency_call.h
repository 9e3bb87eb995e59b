#ifndef CAUNOI_COMMON_CLIENT_DEPENDENCY_CALL_H_
#define CAUNOI_COMMON_CLIENT_DEPENDENCY_CALL_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/api/resource_name.h"
#include "common/status/status_macros.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/status.h"

// How one service calls another about a field of its own request.
namespace caunoi {

// The caller's deadline, and at most a few seconds: a dependency that hangs
// must not hold the caller's whole budget.
void BoundDependencyCall(grpc::ClientContext& context, absl::Time deadline);

// The dependency's answer about `name` in the caller's `field`: NOT_FOUND
// naming the field, INVALID_ARGUMENT for a malformed name, and UNAVAILABLE
// (reason DEPENDENCY_UNAVAILABLE, with RetryInfo) for anything else, so the
// caller's write is refused whole.
absl::Status ExplainDependencyAnswer(const grpc::Status& status, absl::string_view dependency,
                                     absl::string_view field, absl::string_view name);

// A deleted resource is kept to be read, never named by a new record:
// FAILED_PRECONDITION (reason DELETED) naming the caller's `field`.
absl::Status RefuseDeletedReference(absl::string_view name, bool deleted, absl::string_view field);

// Reads `name`, a name of `pattern` in the caller's `field`, by the
// dependency's standard Get method (AIP-131), answering as
// ExplainDependencyAnswer does.
template <typename Request, typename M, typename Stub>
absl::StatusOr<M> GetFromDependency(
    Stub& stub, grpc::Status (Stub::*get)(grpc::ClientContext*, const Request&, M*),
    absl::string_view dependency, absl::string_view pattern, absl::string_view name,
    absl::string_view field, absl::Time deadline) {
  CAUNOI_RETURN_IF_ERROR(api::ParseResourceName(name, pattern, field).status());
  grpc::ClientContext context;
  BoundDependencyCall(context, deadline);
  Request request;
  request.set_name(std::string(name));
  M resource;
  CAUNOI_RETURN_IF_ERROR(
      ExplainDependencyAnswer((stub.*get)(&context, request, &resource), dependency, field, name));
  return resource;
}

template <typename M>
absl::Status RefuseDeletedReference(const M& resource, absl::string_view field) {
  return RefuseDeletedReference(resource.name(), resource.has_delete_time(), field);
}

// What `read` found, unless it is deleted.
template <typename M>
absl::StatusOr<M> RefuseDeleted(absl::StatusOr<M> read, absl::string_view field) {
  if (read.ok()) CAUNOI_RETURN_IF_ERROR(RefuseDeletedReference(*read, field));
  return read;
}

}  // namespace caunoi

#endif  // CAUNOI_COMMON_CLIENT_DEPENDENCY_CALL_H_
