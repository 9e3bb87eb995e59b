#ifndef CAUNOI_COMMON_STATUS_ERRORS_H_
#define CAUNOI_COMMON_STATUS_ERRORS_H_

#include <map>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/rpc/error_details.pb.h"

// Errors that carry google.rpc details. The details travel as absl::Status
// payloads keyed by their type URL, and ToGrpcStatus forwards every
// "type.googleapis.com/google.rpc.*" payload to the client unchanged.
namespace caunoi {

// The ErrorInfo.domain of every error this suite raises.
inline constexpr absl::string_view kErrorDomain = "caunoi.v1";

// INVALID_ARGUMENT naming `field` (a request path such as "page_size" or
// "as_of.month"), with a BadRequest field violation and ErrorInfo
// reason "INVALID_FIELD".
absl::Status InvalidFieldError(absl::string_view field, absl::string_view description);
// The same with a more specific ErrorInfo reason and metadata a client can
// act on (the "field" entry is added).
absl::Status InvalidFieldError(absl::string_view field, absl::string_view description,
                               absl::string_view reason,
                               std::map<std::string, std::string> metadata);

// Any error with a stable, machine-readable ErrorInfo reason (UPPER_SNAKE).
absl::Status ErrorWithReason(absl::StatusCode code, absl::string_view message,
                             absl::string_view reason,
                             const std::map<std::string, std::string>& metadata = {});

// `text` cut to at most `max_bytes` at a character boundary, "…" marking
// the cut: every message and detail an error carries is bounded, so an
// error's trailers stay small whatever a request held.
std::string Shortened(absl::string_view text, size_t max_bytes);
inline constexpr size_t kMaxErrorMessageBytes = 512;
inline constexpr size_t kMaxErrorDetailBytes = 160;

// Tells the client when a retry may succeed (google.rpc.RetryInfo).
void SetRetryDelay(absl::Status& status, absl::Duration delay);

std::optional<google::rpc::BadRequest> GetBadRequest(const absl::Status& status);
std::optional<google::rpc::ErrorInfo> GetErrorInfo(const absl::Status& status);
std::optional<google::rpc::RetryInfo> GetRetryInfo(const absl::Status& status);

}  // namespace caunoi

#endif  // CAUNOI_COMMON_STATUS_ERRORS_H_
