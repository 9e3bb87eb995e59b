#ifndef CAUNOI_COMMON_RESOURCE_WRITE_LOG_H_
#define CAUNOI_COMMON_RESOURCE_WRITE_LOG_H_

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "caunoi/v1/common.pb.h"
#include "common/pg/connection.h"

// The request log and audit log a service keeps in its own schema (tables
// request_log and audit_log, see services/organizations/migrations).
namespace caunoi::resource {

// Who writes, why, and in answer to which request.
struct WriteRequest {
  std::string actor;
  std::string method;
  // Optional; the same id returns the first result (creates only).
  std::string request_id;
  // A hash of the whole request, to refuse an id reused for another request.
  std::string fingerprint;
  std::string reason;
  absl::Time deadline = absl::InfiniteFuture();
  // The locality id ("01") of the principal behind the call; "" for
  // central principals and the suite's own callers.
  std::string actor_locality = "";
  // The W3C trace the write was made in (32 hex digits); "" when unknown.
  std::string trace_id = "";
};

// Which audit records to list: every field set narrows the list.
struct AuditQuery {
  std::string resource;             // "organizations/2"
  std::string actor;                // "ha-noi"
  std::string actor_locality;       // "01"
  std::optional<absl::Time> start;  // at or after
  std::optional<absl::Time> end;    // before
};

struct AuditEntry {
  absl::string_view action;  // "create" | "update" | "delete"
  std::string resource;
  std::string before_json;  // empty for none
  std::string after_json;
  std::vector<std::string> changed_fields;
};

// OK when `write` repeats the request an earlier one with this request_id
// made (the same method and fingerprint); otherwise INVALID_ARGUMENT on
// "request_id", reused for another request.
absl::Status CheckRetryOf(absl::string_view method, absl::string_view fingerprint,
                          const WriteRequest& write);

class WriteLog {
 public:
  // `schema` is a fixed identifier from code, e.g. "organizations".
  explicit WriteLog(absl::string_view schema);

  // Claims write.request_id inside the caller's transaction. Returns the id
  // of the resource an earlier request with this id created, or nullopt
  // when this request is the first (the caller then calls AppendCreated).
  // INVALID_ARGUMENT on "request_id" when it was used for another request.
  absl::StatusOr<std::optional<std::string>> Claim(pg::Connection& connection,
                                                   const WriteRequest& write);

  // The audit record travels with the transaction's next round trip (at
  // the latest its COMMIT): nothing waits for it, and its error is that
  // round trip's.
  void Append(pg::Connection& connection, const WriteRequest& write, const AuditEntry& entry);
  // Appends the audit record of a create and, in the same statement,
  // remembers `resource_id` under the claimed request_id.
  void AppendCreated(pg::Connection& connection, const WriteRequest& write,
                     absl::string_view resource_id, const AuditEntry& entry);

  // Claim for several requests in one round trip (two when some were seen
  // before): element i answers writes[i] as Claim would. Writes without a
  // request_id claim nothing (nullopt); the others' request_ids must be
  // distinct.
  using Claims = std::vector<absl::StatusOr<std::optional<std::string>>>;
  absl::StatusOr<Claims> ClaimEach(pg::Connection& connection,
                                   std::span<const WriteRequest* const> writes);
  // ClaimEach in two halves, so the claim can share a round trip with
  // other statements: the claim itself (nullopt when no write has a
  // request_id), then what its result answers each write.
  std::optional<pg::Connection::Call> ClaimEachCall(
      std::span<const WriteRequest* const> writes) const;
  absl::StatusOr<Claims> ClaimsOf(pg::Connection& connection,
                                  std::span<const WriteRequest* const> writes,
                                  const pg::Result* claimed);

  // Releases claims whose request wrote nothing after all, inside the
  // transaction that made them; sent with its next round trip, as Append.
  void Unclaim(pg::Connection& connection, std::span<const std::string> request_ids);

  struct Created {
    const WriteRequest* write;
    std::string resource_id;
    std::string resource;  // its name
    std::string after_json;
  };
  // AppendCreated for several creates, in one statement.
  void AppendCreatedEach(pg::Connection& connection, std::span<const Created> created);

  // Up to `limit` records of `resource` with ids below `before_id` (all
  // when empty), newest first.
  absl::StatusOr<std::vector<v1::AuditRecord>> List(pg::Connection& connection,
                                                    const AuditQuery& query,
                                                    absl::string_view before_id, int limit);

 private:
  // The audit records become changes at commit; this process's change feed
  // is woken then.
  void WakeFeedAfterCommit(pg::Connection& connection) const;

  const std::string changes_channel_;
  std::string claim_sql_, lookup_sql_, append_sql_, append_created_sql_, list_sql_;
  std::string claim_each_sql_, lookup_each_sql_, unclaim_sql_, append_created_each_sql_;
};

}  // namespace caunoi::resource

#endif  // CAUNOI_COMMON_RESOURCE_WRITE_LOG_H_
