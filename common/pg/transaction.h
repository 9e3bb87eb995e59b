#ifndef CAUNOI_COMMON_PG_TRANSACTION_H_
#define CAUNOI_COMMON_PG_TRANSACTION_H_

#include <optional>
#include <type_traits>
#include <utility>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/pg/connection.h"
#include "common/pg/pool.h"

namespace caunoi::pg {

enum class Isolation { kReadCommitted, kRepeatableRead, kSerializable };

struct TransactionOptions {
  Isolation isolation = Isolation::kReadCommitted;
  bool read_only = false;
  // Also bounds each statement (statement_timeout) so a slow query ends
  // when the caller stops waiting.
  absl::Time deadline = absl::InfiniteFuture();
  int max_attempts = 4;
};

// A read-only transaction bounded by the caller's deadline.
inline TransactionOptions ReadOnly(absl::Time deadline) {
  return {.read_only = true, .deadline = deadline};
}

// Runs `body` inside BEGIN ... COMMIT on a pooled connection. Retries the
// whole transaction on a serialization failure or deadlock, and on a
// connection lost before COMMIT was sent (a fresh connection is taken). A
// connection lost during COMMIT is UNAVAILABLE and not retried: the outcome
// is unknown, and request_id idempotency lets the client retry safely.
absl::Status RunInTransaction(Pool& pool, const TransactionOptions& options,
                              absl::FunctionRef<absl::Status(Connection&)> body);

// The same for a body returning absl::StatusOr<T>.
template <typename T>
absl::StatusOr<T> Transact(Pool& pool, const TransactionOptions& options,
                           absl::FunctionRef<absl::StatusOr<T>(Connection&)> body) {
  std::optional<T> value;
  absl::Status status = RunInTransaction(pool, options, [&](Connection& connection) {
    absl::StatusOr<T> attempt = body(connection);
    if (!attempt.ok()) return attempt.status();
    value = *std::move(attempt);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return *std::move(value);
}

}  // namespace caunoi::pg

#endif  // CAUNOI_COMMON_PG_TRANSACTION_H_
