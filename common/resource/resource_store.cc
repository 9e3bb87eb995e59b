#include "common/resource/resource_store.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "common/pg/sqlstate.h"
#include "common/status/errors.h"
#include "common/status/quoted.h"

namespace caunoi::resource {

absl::Status NotFound(absl::string_view name) {
  return ErrorWithReason(absl::StatusCode::kNotFound, absl::StrCat(Quoted(name), " does not exist"),
                         "RESOURCE_NOT_FOUND", {{"name", std::string(name)}});
}

absl::Status StaleEtag(absl::string_view name, absl::string_view etag) {
  return ErrorWithReason(absl::StatusCode::kAborted,
                         absl::StrCat(Quoted(name), " changed since etag ", Quoted(etag),
                                      " was read; read it again and reapply the change"),
                         "ETAG_MISMATCH", {{"name", std::string(name)}});
}

std::optional<int64_t> RevisionOf(absl::string_view etag) {
  int64_t revision;
  if (!absl::SimpleAtoi(etag, &revision)) return std::nullopt;
  return revision;
}

absl::Status NameViolation(absl::Status status, std::span<const ConstraintRule> rules,
                           bool deleting) {
  if (status.ok()) return status;
  const std::optional<std::string> constraint = pg::ConstraintOf(status);
  if (!constraint.has_value()) return status;
  for (const ConstraintRule& rule : rules) {
    if (rule.constraint != *constraint) continue;
    if (deleting && !rule.when_deleting.empty()) {
      return ErrorWithReason(absl::StatusCode::kFailedPrecondition, rule.when_deleting,
                             "STILL_REFERENCED", {{"constraint", *constraint}});
    }
    if (!deleting) return ViolationError(rule);
  }
  // A delete that a reference "<key>_<field>_exists" blocks names the
  // records holding it.
  absl::string_view referrer = *constraint;
  if (deleting && absl::ConsumeSuffix(&referrer, "_exists") && referrer.rfind('_') != 0 &&
      referrer.rfind('_') != absl::string_view::npos) {
    referrer = referrer.substr(0, referrer.rfind('_'));
    return ErrorWithReason(
        absl::StatusCode::kFailedPrecondition,
        absl::StrCat("still named by ", absl::StrReplaceAll(referrer, {{"_", " "}}),
                     " records; delete them first"),
        "STILL_REFERENCED", {{"constraint", *constraint}});
  }
  return status;
}

absl::Status ViolationError(const ConstraintRule& rule) {
  if (rule.code == absl::StatusCode::kInvalidArgument) {
    return InvalidFieldError(rule.field, rule.message);
  }
  return ErrorWithReason(rule.code, absl::StrCat(rule.field, ": ", rule.message),
                         "REFERENCE_NOT_FOUND", {{"field", std::string(rule.field)}});
}

}  // namespace caunoi::resource
