#include "common/pg/sqlstate.h"

#include "absl/strings/cord.h"
#include "absl/strings/match.h"
#include "common/logging/log.h"
#include "common/status/errors.h"

namespace caunoi::pg {
namespace {

constexpr absl::string_view kSqlStatePayload = "caunoi.pg/sqlstate";
constexpr absl::string_view kConstraintPayload = "caunoi.pg/constraint";

absl::Status Classify(absl::string_view sqlstate, absl::string_view message) {
  using absl::StatusCode;
  // The database's own words stay in the log: they may quote a caller's
  // payload and name the schema. The stores turn the constraints they
  // expect into errors naming the field (resource::NameViolation).
  if (absl::StartsWith(sqlstate, "23") || absl::StartsWith(sqlstate, "22")) {
    log::Info("pg.refused", {{"sqlstate", sqlstate}, {"message", message}});
  }
  if (sqlstate == "23505") {
    return ErrorWithReason(StatusCode::kAlreadyExists, "a record with these values already exists",
                           "DUPLICATE");
  }
  if (sqlstate == "23503") {
    return ErrorWithReason(StatusCode::kFailedPrecondition,
                           "a record it refers to is missing, or another record still refers to it",
                           "REFERENCE_VIOLATED");
  }
  if (absl::StartsWith(sqlstate, "23")) {
    return ErrorWithReason(StatusCode::kInvalidArgument, "the values break a rule of the record",
                           "CONSTRAINT_VIOLATED");
  }
  if (absl::StartsWith(sqlstate, "22")) {
    return ErrorWithReason(StatusCode::kInvalidArgument,
                           "a value, or a total of values, is out of range or malformed",
                           "VALUE_OUT_OF_RANGE");
  }
  if (sqlstate == "40001" || sqlstate == "40P01") {
    return ErrorWithReason(StatusCode::kAborted, "transaction conflict, retry",
                           "TRANSACTION_CONFLICT");
  }
  if (absl::StartsWith(sqlstate, "08") || sqlstate == "57P01" || sqlstate == "57P02" ||
      sqlstate == "57P03" || sqlstate == "53300") {
    return ErrorWithReason(StatusCode::kUnavailable, "database unavailable",
                           "DATABASE_UNAVAILABLE");
  }
  if (sqlstate == "57014") {
    return ErrorWithReason(StatusCode::kDeadlineExceeded, "database statement timed out",
                           "DATABASE_TIMEOUT");
  }
  log::Error("pg.error", {{"sqlstate", sqlstate}, {"message", message}});
  return ErrorWithReason(StatusCode::kInternal, "internal database error", "DATABASE_ERROR");
}

}  // namespace

absl::Status StatusFromSqlState(absl::string_view sqlstate, absl::string_view message,
                                absl::string_view constraint) {
  absl::Status status = Classify(sqlstate, message);
  status.SetPayload(kSqlStatePayload, absl::Cord(sqlstate));
  if (!constraint.empty()) status.SetPayload(kConstraintPayload, absl::Cord(constraint));
  return status;
}

std::optional<std::string> ConstraintOf(const absl::Status& status) {
  absl::optional<absl::Cord> payload = status.GetPayload(kConstraintPayload);
  if (!payload.has_value()) return std::nullopt;
  return std::string(*payload);
}

std::optional<std::string> SqlStateOf(const absl::Status& status) {
  absl::optional<absl::Cord> payload = status.GetPayload(kSqlStatePayload);
  if (!payload.has_value()) return std::nullopt;
  return std::string(*payload);
}

bool IsSerializationFailure(const absl::Status& status) {
  std::optional<std::string> sqlstate = SqlStateOf(status);
  return sqlstate == "40001" || sqlstate == "40P01";
}

bool IsConnectionFailure(const absl::Status& status) {
  std::optional<std::string> sqlstate = SqlStateOf(status);
  return sqlstate.has_value() && (absl::StartsWith(*sqlstate, "08") || *sqlstate == "57P01" ||
                                  *sqlstate == "57P02" || *sqlstate == "57P03");
}

}  // namespace caunoi::pg
