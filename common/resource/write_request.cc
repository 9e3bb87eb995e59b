#include "common/resource/write_request.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_format.h"
#include "common/api/deadline.h"
#include "common/api/fingerprint.h"
#include "common/api/text.h"
#include "common/auth/principal.h"
#include "common/calls/trace.h"
#include "common/status/errors.h"
#include "common/status/status_macros.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"

namespace caunoi::resource {
namespace {

constexpr size_t kMaxRequestIdLength = 128;
constexpr size_t kMaxActorLength = 200;

absl::Status ValidateRequestId(absl::string_view request_id) {
  if (request_id.size() > kMaxRequestIdLength) {
    return InvalidFieldError("request_id", "is longer than 128 characters");
  }
  for (char c : request_id) {
    if (!absl::ascii_isgraph(c)) {
      return InvalidFieldError("request_id", "must be printable ASCII, e.g. a UUID");
    }
  }
  return absl::OkStatus();
}

// The caller named by caunoi-actor, else its peer address. Only callers
// trusted to write get this far: the gateway (which sets it from the
// principal) and trusted callers without one.
std::string Actor(const grpc::ServerContextBase& context) {
  const auto& metadata = context.client_metadata();
  auto found =
      metadata.find(grpc::string_ref(auth::kActorMetadata.data(), auth::kActorMetadata.size()));
  if (found != metadata.end() && !found->second.empty()) {
    std::string actor(found->second.data(), std::min(found->second.size(), kMaxActorLength));
    if (api::ValidateText(actor, "actor", {}).ok()) return actor;
  }
  return context.peer();
}

}  // namespace

absl::StatusOr<WriteRequest> WriteRequestFrom(const grpc::ServerContextBase& context,
                                              absl::string_view method,
                                              const google::protobuf::Message& request,
                                              absl::string_view request_id,
                                              absl::string_view reason) {
  CAUNOI_RETURN_IF_ERROR(ValidateRequestId(request_id));
  CAUNOI_RETURN_IF_ERROR(
      api::ValidateText(reason, "reason", {.max_chars = api::kMaxNoteChars, .multiline = true}));
  std::string serialized;
  {
    google::protobuf::io::StringOutputStream stream(&serialized);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    request.SerializePartialToCodedStream(&coded);
  }
  // The principal was checked by the handler; its locality only labels
  // the audit record.
  absl::StatusOr<std::optional<auth::Principal>> caller = auth::CallerOf(context);
  CAUNOI_RETURN_IF_ERROR(caller.status());
  const bool vouched = caller->has_value();
  if (!vouched && !auth::TrustedWithoutPrincipal(context)) {
    return ErrorWithReason(absl::StatusCode::kUnauthenticated,
                           "a write needs a principal: call through the gateway with a token, or "
                           "present the suite's client certificate",
                           "PRINCIPAL_REQUIRED");
  }
  std::string actor_locality;
  if (vouched) actor_locality = (*caller)->locality_id;
  return WriteRequest{
      .actor = Actor(context),
      .method = std::string(method),
      .request_id = std::string(request_id),
      .fingerprint = absl::StrFormat("%016x", api::Fnv1a(serialized)),
      .reason = std::string(reason),
      .deadline = api::RequestDeadline(context),
      .actor_locality = std::move(actor_locality),
      // The trace of the call this thread serves (set around each handler).
      .trace_id = calls::CurrentTrace() != nullptr ? calls::CurrentTrace()->trace_id : "",
  };
}

}  // namespace caunoi::resource
