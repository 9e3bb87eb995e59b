#include "common/pg/connection.h"

#include <libpq-fe.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/calls/caller_watch.h"
#include "common/logging/log.h"
#include "common/pg/sqlstate.h"
#include "common/status/status_macros.h"

namespace caunoi::pg {
namespace {

// Our defaults come first so the caller's DSN overrides any of them.
// The DSN may override any of these. Our queries are short OLTP statements:
// JIT compilation only adds latency to them (it cost 120 ms on a 100k-row
// subtree query). Dates are read back as ISO text whatever the server's
// default DateStyle.
constexpr const char* kDefaultKeywords[] = {"connect_timeout", "keepalives", "keepalives_idle",
                                            "client_encoding", "options"};
constexpr const char* kDefaultValues[] = {"3", "1", "30", "UTF8",
                                          "-c jit=off -c DateStyle=ISO,YMD"};

std::vector<const char*> ValuesOf(const std::vector<Param>& params) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const Param& param : params) values.push_back(param ? param->c_str() : nullptr);
  return values;
}

bool Succeeded(const pg_result* result) {
  const ExecStatusType status = PQresultStatus(result);
  return status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK;
}

// How often a running statement looks whether its caller is still there.
constexpr int kCallerCheckMillis = 50;

// Asks the server to cancel what this connection runs; it then answers
// the statement with query_canceled (57014).
void SendCancel(pg_conn* conn) {
  PGcancel* cancel = PQgetCancel(conn);
  if (cancel == nullptr) return;
  char error[256];
  if (PQcancel(cancel, error, sizeof error) == 0) {
    log::Warning("pg.cancel_failed", {{"detail", absl::StripTrailingAsciiWhitespace(error)}});
  }
  PQfreeCancel(cancel);
}

}  // namespace

absl::StatusOr<std::unique_ptr<Connection>> Connection::Open(const std::string& dsn,
                                                             absl::string_view application_name) {
  const std::string application(application_name);
  std::vector<const char*> keywords(std::begin(kDefaultKeywords), std::end(kDefaultKeywords));
  std::vector<const char*> values(std::begin(kDefaultValues), std::end(kDefaultValues));
  keywords.insert(keywords.end(), {"application_name", "dbname", nullptr});
  values.insert(values.end(), {application.c_str(), dsn.c_str(), nullptr});

  pg_conn* conn = PQconnectdbParams(keywords.data(), values.data(), /*expand_dbname=*/1);
  if (conn == nullptr || PQstatus(conn) != CONNECTION_OK) {
    const std::string detail = conn ? PQerrorMessage(conn) : "out of memory";
    if (conn) PQfinish(conn);
    log::Warning("pg.connect_failed", {{"detail", absl::StripTrailingAsciiWhitespace(detail)}});
    return StatusFromSqlState("08001", "database unavailable");
  }
  return std::unique_ptr<Connection>(new Connection(conn));
}

Connection::~Connection() { PQfinish(conn_); }

absl::StatusOr<bool> Connection::WaitForNotification(absl::Duration timeout, int wake_fd) {
  const auto consume = [&]() -> absl::StatusOr<bool> {
    if (PQconsumeInput(conn_) == 0) {
      log::Warning("pg.connection_lost",
                   {{"detail", absl::StripTrailingAsciiWhitespace(PQerrorMessage(conn_))}});
      return StatusFromSqlState(kConnectionFailure, "database unavailable");
    }
    bool any = false;
    // What this session sent itself is never news to it.
    const int own = PQbackendPID(conn_);
    while (PGnotify* notify = PQnotifies(conn_)) {
      any = any || notify->be_pid != own;
      PQfreemem(notify);
    }
    return any;
  };
  absl::StatusOr<bool> pending = consume();
  if (!pending.ok() || *pending) return pending;
  pollfd sockets[2] = {{.fd = PQsocket(conn_), .events = POLLIN, .revents = 0},
                       {.fd = wake_fd, .events = POLLIN, .revents = 0}};
  if (sockets[0].fd < 0) return StatusFromSqlState(kConnectionFailure, "database unavailable");
  const int ready =
      poll(sockets, wake_fd < 0 ? 1 : 2, static_cast<int>(absl::ToInt64Milliseconds(timeout)));
  if (ready < 0 && errno != EINTR) return absl::InternalError("poll failed on the connection");
  if (ready <= 0) return false;
  bool woken = false;
  if (wake_fd >= 0 && (sockets[1].revents & POLLIN) != 0) {
    uint64_t count = 0;
    woken = read(wake_fd, &count, sizeof count) == sizeof count;
  }
  absl::StatusOr<bool> notified = consume();
  if (!notified.ok()) return notified;
  return woken || *notified;
}

absl::Status Connection::ErrorFrom(const pg_result* result, absl::string_view what) {
  const char* sqlstate = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  const char* primary = result ? PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  if (sqlstate == nullptr || PQstatus(conn_) != CONNECTION_OK) {
    log::Warning("pg.connection_lost",
                 {{"statement", what},
                  {"detail", absl::StripTrailingAsciiWhitespace(PQerrorMessage(conn_))}});
    return StatusFromSqlState(sqlstate ? sqlstate : kConnectionFailure, "database unavailable");
  }
  const char* constraint = PQresultErrorField(result, PG_DIAG_CONSTRAINT_NAME);
  return StatusFromSqlState(sqlstate, primary ? primary : PQerrorMessage(conn_),
                            constraint ? constraint : "");
}

absl::Status Connection::StatementError(const pg_result* result, bool cancelled,
                                        absl::string_view what) {
  if (cancelled) {
    log::Info("pg.statement_cancelled", {{"statement", what}});
    return absl::CancelledError("the caller went away; its database work was cancelled");
  }
  return ErrorFrom(result, what);
}

void Connection::AwaitAnswer(bool& cancelled) {
  while (PQisBusy(conn_)) {
    pollfd socket{.fd = PQsocket(conn_), .events = POLLIN, .revents = 0};
    const int ready = poll(&socket, 1, kCallerCheckMillis);
    if (ready < 0 && errno != EINTR) return;  // PQgetResult reports the lost connection
    if (ready > 0 && PQconsumeInput(conn_) == 0) return;
    if (ready == 0 && !cancelled && calls::CallerGone()) {
      SendCancel(conn_);
      cancelled = true;
    }
  }
}

absl::StatusOr<Result> Connection::Execute(const Statement& statement,
                                           const std::vector<Param>& params) {
  const std::string name(statement.name);
  if (!deferred_.empty() || !prepared_.contains(name)) {
    CAUNOI_ASSIGN_OR_RETURN(std::vector<Result> results, ExecuteTogether({{statement, params}}));
    return std::move(results.front());
  }
  const std::vector<const char*> values = ValuesOf(params);
  if (PQsendQueryPrepared(conn_, name.c_str(), static_cast<int>(values.size()), values.data(),
                          nullptr, nullptr, /*resultFormat=*/0) == 0) {
    return ErrorFrom(nullptr, statement.name);
  }
  bool cancelled = false;
  AwaitAnswer(cancelled);
  Result result(PQgetResult(conn_));
  // A prepared statement has one result; reading to the end readies the
  // connection for the next one.
  while (pg_result* rest = PQgetResult(conn_)) PQclear(rest);
  if (!Succeeded(result.raw())) return StatementError(result.raw(), cancelled, statement.name);
  return result;
}

Connection::Pending Connection::PendingOf(const Statement& statement, std::vector<Param> params) {
  return {.name = std::string(statement.name),
          .sql = std::string(statement.sql),
          .params = std::move(params)};
}

absl::StatusOr<std::vector<Result>> Connection::ExecuteTogether(const std::vector<Call>& calls) {
  if (calls.empty()) return std::vector<Result>();
  std::vector<Pending> wanted;
  for (const Call& call : calls) wanted.push_back(PendingOf(call.statement, call.params));
  return ExecutePipelined(std::move(wanted));
}

absl::StatusOr<std::vector<Result>> Connection::ExecutePipelined(std::vector<Pending> wanted) {
  std::vector<Pending> pending = std::exchange(deferred_, {});
  const size_t first_wanted = pending.size();
  for (Pending& statement : wanted) pending.push_back(std::move(statement));
  const std::string& last_name =
      pending.back().name.empty() ? pending.back().sql : pending.back().name;
  if (PQenterPipelineMode(conn_) == 0) return ErrorFrom(nullptr, last_name);
  // What each result answers: a statement of `pending`, or its preparation.
  struct Answer {
    size_t index;
    bool preparation;
  };
  std::vector<Answer> answers;
  absl::flat_hash_set<std::string> preparing;
  bool sent = true;
  for (size_t index = 0; index < pending.size(); ++index) {
    const Pending& statement = pending[index];
    const std::vector<const char*> values = ValuesOf(statement.params);
    const int count = static_cast<int>(values.size());
    if (statement.name.empty()) {
      sent = sent && PQsendQueryParams(conn_, statement.sql.c_str(), count, nullptr, values.data(),
                                       nullptr, nullptr, /*resultFormat=*/0) == 1;
    } else {
      if (!prepared_.contains(statement.name) && preparing.insert(statement.name).second) {
        sent = sent &&
               PQsendPrepare(conn_, statement.name.c_str(), statement.sql.c_str(), 0, nullptr) == 1;
        answers.push_back({index, true});
      }
      sent = sent && PQsendQueryPrepared(conn_, statement.name.c_str(), count, values.data(),
                                         nullptr, nullptr, /*resultFormat=*/0) == 1;
    }
    answers.push_back({index, false});
  }
  // Left in pipeline mode, the connection is never idle again, so the pool
  // drops it.
  if (!sent || PQpipelineSync(conn_) == 0) return ErrorFrom(nullptr, last_name);

  // Each answer's result, then the sync's. A failed statement makes the
  // ones after it PGRES_PIPELINE_ABORTED; the first failure is the error.
  std::vector<Result> results;
  bool cancelled = false;
  bool synced = false;
  while (!synced) {
    AwaitAnswer(cancelled);
    pg_result* next = PQgetResult(conn_);
    if (next == nullptr) {
      // The end of one statement's results; on a lost connection, of all.
      if (PQstatus(conn_) != CONNECTION_OK) break;
      continue;
    }
    if (PQresultStatus(next) == PGRES_PIPELINE_SYNC) {
      synced = true;
      PQclear(next);
    } else if (results.size() < answers.size()) {
      results.emplace_back(next);
    } else {
      PQclear(next);
    }
  }
  if (synced) PQexitPipelineMode(conn_);
  // A statement prepared is kept by the session whatever became of the rest.
  for (size_t i = 0; i < results.size(); ++i) {
    if (answers[i].preparation && PQresultStatus(results[i].raw()) == PGRES_COMMAND_OK) {
      prepared_.insert(pending[answers[i].index].name);
    }
  }
  for (size_t i = 0; i < results.size(); ++i) {
    if (Succeeded(results[i].raw())) continue;
    const Pending& failed = pending[answers[i].index];
    return StatementError(results[i].raw(), cancelled,
                          failed.name.empty() ? failed.sql : failed.name);
  }
  if (results.size() < answers.size()) return ErrorFrom(nullptr, last_name);
  std::vector<Result> wanted_results;
  for (size_t i = 0; i < results.size(); ++i) {
    if (!answers[i].preparation && answers[i].index >= first_wanted) {
      wanted_results.push_back(std::move(results[i]));
    }
  }
  return wanted_results;
}

absl::StatusOr<Result> Connection::ExecuteScript(absl::string_view sql) {
  // Deferred statements go in the extended protocol's one round trip,
  // where the script must then be one statement.
  if (!deferred_.empty()) {
    CAUNOI_ASSIGN_OR_RETURN(std::vector<Result> results,
                            ExecutePipelined({{.sql = std::string(sql)}}));
    return std::move(results.front());
  }
  Result result(PQexec(conn_, std::string(sql).c_str()));
  if (!Succeeded(result.raw())) return ErrorFrom(result.raw(), sql.substr(0, 40));
  return result;
}

void Connection::Defer(std::vector<std::string> statements) {
  for (std::string& statement : statements) deferred_.push_back({.sql = std::move(statement)});
}

void Connection::Defer(const Statement& statement, std::vector<Param> params) {
  deferred_.push_back(PendingOf(statement, std::move(params)));
}

void Connection::DiscardDeferred() { deferred_.clear(); }

bool Connection::InTransaction() { return PQtransactionStatus(conn_) != PQTRANS_IDLE; }

absl::Status Connection::Commit() {
  const bool only_begin = std::all_of(deferred_.begin(), deferred_.end(),
                                      [](const Pending& p) { return p.name.empty(); });
  if (!InTransaction() && only_begin) {
    deferred_.clear();
    return absl::OkStatus();
  }
  // A commit is seen through even when its caller leaves: a cancel racing
  // with COMMIT could not tell which statement it stopped.
  calls::UnwatchedScope whoever_waits;
  absl::Status committed = ExecutePipelined({{.sql = "COMMIT"}}).status();
  if (!committed.ok() && InTransaction()) (void)ExecuteScript("ROLLBACK");
  return committed;
}

void Connection::AfterCommit(std::function<void()> action) {
  after_commit_.push_back(std::move(action));
}

std::vector<std::function<void()>> Connection::TakeAfterCommit() {
  return std::exchange(after_commit_, {});
}

bool Connection::IsBroken() {
  if (PQstatus(conn_) != CONNECTION_OK) return true;
  // A server that went away left an error and EOF on the socket.
  if (PQconsumeInput(conn_) == 0) return true;
  return PQstatus(conn_) != CONNECTION_OK;
}

bool Connection::ReadyForReuse() {
  return !IsBroken() && PQtransactionStatus(conn_) == PQTRANS_IDLE;
}

std::string Connection::QuoteIdentifier(absl::string_view identifier) {
  char* quoted = PQescapeIdentifier(conn_, identifier.data(), identifier.size());
  std::string result = quoted ? quoted : "";
  PQfreemem(quoted);
  return result;
}

}  // namespace caunoi::pg
