#ifndef CAUNOI_COMMON_PG_SQLSTATE_H_
#define CAUNOI_COMMON_PG_SQLSTATE_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace caunoi::pg {

// SQLSTATE of a connection lost mid-statement, which libpq reports without one.
inline constexpr absl::string_view kConnectionFailure = "08006";

// The one SQLSTATE -> status mapping:
//   23505 ALREADY_EXISTS; 23503 FAILED_PRECONDITION; other class 23 and 22
//   INVALID_ARGUMENT; 40001/40P01 ABORTED; class 08, 57P01-57P03, 53300
//   UNAVAILABLE; 57014 DEADLINE_EXCEEDED; anything else INTERNAL, whose
//   detail is logged and not sent.
// The SQLSTATE rides along as a payload so the transaction helper can decide
// whether to retry.
// The violated constraint's name, when there is one, rides along too so a
// store can say which request field broke it.
absl::Status StatusFromSqlState(absl::string_view sqlstate, absl::string_view message,
                                absl::string_view constraint = "");

std::optional<std::string> SqlStateOf(const absl::Status& status);
std::optional<std::string> ConstraintOf(const absl::Status& status);

// A serialization failure or deadlock: the whole transaction may be retried.
bool IsSerializationFailure(const absl::Status& status);
// The connection was lost or refused.
bool IsConnectionFailure(const absl::Status& status);

}  // namespace caunoi::pg

#endif  // CAUNOI_COMMON_PG_SQLSTATE_H_
