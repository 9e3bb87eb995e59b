#ifndef CAUNOI_COMMON_TESTING_ERROR_DETAILS_H_
#define CAUNOI_COMMON_TESTING_ERROR_DETAILS_H_

#include <string>

#include "absl/status/status.h"
#include "common/status/errors.h"

// What a refusal names, for tests: the field of its BadRequest and the
// reason of its ErrorInfo. When the detail is missing, the whole status,
// so a failing comparison shows what came back instead.
namespace caunoi::testing {

inline std::string FieldOf(const absl::Status& status) {
  std::optional<google::rpc::BadRequest> bad = GetBadRequest(status);
  return bad.has_value() && bad->field_violations_size() > 0 ? bad->field_violations(0).field()
                                                             : status.ToString();
}

inline std::string ReasonOf(const absl::Status& status) {
  std::optional<google::rpc::ErrorInfo> info = GetErrorInfo(status);
  return info.has_value() ? info->reason() : status.ToString();
}

}  // namespace caunoi::testing

#endif  // CAUNOI_COMMON_TESTING_ERROR_DETAILS_H_
