#include "common/client/dependency_call.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/status/errors.h"
#include "common/status/quoted.h"

namespace caunoi {
namespace {

constexpr absl::Duration kMaxCallTime = absl::Seconds(5);

}  // namespace

void BoundDependencyCall(grpc::ClientContext& context, absl::Time deadline) {
  context.set_deadline(absl::ToChronoTime(std::min(deadline, absl::Now() + kMaxCallTime)));
  context.set_wait_for_ready(false);
}

absl::Status ExplainDependencyAnswer(const grpc::Status& status, absl::string_view dependency,
                                     absl::string_view field, absl::string_view name) {
  switch (status.error_code()) {
    case grpc::StatusCode::OK:
      return absl::OkStatus();
    case grpc::StatusCode::NOT_FOUND:
      return ErrorWithReason(absl::StatusCode::kNotFound,
                             absl::StrCat(field, ": ", Quoted(name), " does not exist"),
                             "REFERENCE_NOT_FOUND", {{"field", std::string(field)}});
    case grpc::StatusCode::INVALID_ARGUMENT:
      return InvalidFieldError(field, absl::StrCat(Quoted(name), " is not a valid name"));
    default: {
      absl::Status unavailable =
          ErrorWithReason(absl::StatusCode::kUnavailable,
                          absl::StrCat("the ", dependency, " service could not check ", field, ": ",
                                       status.error_message()),
                          "DEPENDENCY_UNAVAILABLE", {{"dependency", std::string(dependency)}});
      SetRetryDelay(unavailable, absl::Seconds(1));
      return unavailable;
    }
  }
}

absl::Status RefuseDeletedReference(absl::string_view name, bool deleted, absl::string_view field) {
  if (!deleted) return absl::OkStatus();
  return ErrorWithReason(absl::StatusCode::kFailedPrecondition,
                         absl::StrCat(field, ": ", Quoted(name),
                                      " was deleted; it is kept to be read, not named anew"),
                         "DELETED", {{"field", std::string(field)}});
}

}  // namespace caunoi
