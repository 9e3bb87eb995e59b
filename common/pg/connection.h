#ifndef CAUNOI_COMMON_PG_CONNECTION_H_
#define CAUNOI_COMMON_PG_CONNECTION_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/pg/result.h"

struct pg_conn;

namespace caunoi::pg {

// A named SQL statement, prepared once per connection on first use. Values
// only ever travel as $n parameters.
struct Statement {
  absl::string_view name;
  absl::string_view sql;
};

// A text-format parameter; nullopt is SQL NULL.
using Param = std::optional<std::string>;

class Connection {
 public:
  // `application_name` shows in pg_stat_activity. Connection failures are
  // UNAVAILABLE.
  static absl::StatusOr<std::unique_ptr<Connection>> Open(const std::string& dsn,
                                                          absl::string_view application_name);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  absl::StatusOr<Result> Execute(const Statement& statement, const std::vector<Param>& params = {});

  // Statements none of which needs another's result, in one round trip:
  // their results in order; the first failure is the error.
  struct Call {
    Statement statement;
    std::vector<Param> params;
  };
  absl::StatusOr<std::vector<Result>> ExecuteTogether(const std::vector<Call>& calls);

  // Unprepared SQL without parameters, possibly several statements when
  // nothing is deferred: for ROLLBACK and migrations, never for values.
  absl::StatusOr<Result> ExecuteScript(absl::string_view sql);

  // Statements without parameters (a BEGIN and its SET LOCALs) sent ahead
  // of the next Execute, ExecuteScript or Commit, in its round trip; an
  // error of theirs is that call's error.
  void Defer(std::vector<std::string> statements);
  // A statement whose result nobody reads (an audit record), sent the same
  // way: in order with the rest, in the next round trip there is anyway.
  void Defer(const Statement& statement, std::vector<Param> params);
  // Forgets deferred statements not sent yet.
  void DiscardDeferred();

  // Inside a transaction block: its BEGIN has been sent.
  bool InTransaction();
  // Ends the transaction: what is deferred and COMMIT in one round trip. A
  // transaction whose BEGIN was never sent has nothing to commit; when a
  // deferred statement or the COMMIT fails, the transaction is rolled back.
  absl::Status Commit();

  // Runs `action` once the transaction under way has committed
  // (RunInTransaction does), never when it rolls back.
  void AfterCommit(std::function<void()> action);
  // The actions registered since the last call.
  std::vector<std::function<void()>> TakeAfterCommit();

  // Waits until a notification arrives on a channel this connection
  // LISTENs to, from another session, or `timeout` passes, or `wake_fd`
  // (an eventfd, when not -1) is signalled: true when one (or more)
  // arrived, all of them consumed. UNAVAILABLE when the connection is lost.
  absl::StatusOr<bool> WaitForNotification(absl::Duration timeout, int wake_fd = -1);

  // Whether the server closed the connection, e.g. after a restart. Reads
  // what is pending on the socket without blocking.
  bool IsBroken();

  // Not broken and outside any transaction: safe to hand to another caller.
  bool ReadyForReuse();

  // Quotes an identifier such as a schema name.
  std::string QuoteIdentifier(absl::string_view identifier);

 private:
  explicit Connection(pg_conn* conn) : conn_(conn) {}
  absl::Status ErrorFrom(const pg_result* result, absl::string_view what);
  // A failed statement's error: CANCELLED when it was cancelled because its
  // caller went away.
  absl::Status StatementError(const pg_result* result, bool cancelled, absl::string_view what);
  // Waits for the server's answer, cancelling the statement if the caller
  // goes away meanwhile (`cancelled` then turns true).
  void AwaitAnswer(bool& cancelled);
  // A statement waiting for a round trip: prepared under `name` when it
  // has one, else sent as it is (a BEGIN, a SET LOCAL, a COMMIT).
  struct Pending {
    std::string name = {};
    std::string sql;
    std::vector<Param> params = {};
  };
  static Pending PendingOf(const Statement& statement, std::vector<Param> params);
  // The deferred statements and `wanted`, each prepared first when due, in
  // one round trip (libpq's pipeline mode); the results of `wanted`.
  absl::StatusOr<std::vector<Result>> ExecutePipelined(std::vector<Pending> wanted);

  pg_conn* conn_;
  absl::flat_hash_set<std::string> prepared_;
  std::vector<Pending> deferred_;
  std::vector<std::function<void()>> after_commit_;
};

}  // namespace caunoi::pg

#endif  // CAUNOI_COMMON_PG_CONNECTION_H_
