#ifndef CAUNOI_COMMON_CLIENT_DEPENDENCY_CALL_H_
#define CAUNOI_COMMON_CLIENT_DEPENDENCY_CALL_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
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

template <typename M>
absl::Status RefuseDeletedReference(const M& resource, absl::string_view field) {
  return RefuseDeletedReference(resource.name(), resource.has_delete_time(), field);
}

}  // namespace caunoi

#endif  // CAUNOI_COMMON_CLIENT_DEPENDENCY_CALL_H_
