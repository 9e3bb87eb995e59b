#include "common/resource/write_log.h"

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/pg/array_literal.h"
#include "common/pg/commit_wakeup.h"
#include "common/resource/row.h"
#include "common/status/errors.h"
#include "common/status/status_macros.h"

namespace caunoi::resource {
absl::Status CheckRetryOf(absl::string_view method, absl::string_view fingerprint,
                          const WriteRequest& write) {
  if (method == write.method && fingerprint == write.fingerprint) return absl::OkStatus();
  return InvalidFieldError("request_id",
                           "was already used for a different request; use a new request_id");
}

void WriteLog::WakeFeedAfterCommit(pg::Connection& connection) const {
  connection.AfterCommit([this] { pg::WakeAfterCommit(changes_channel_); });
}

WriteLog::WriteLog(absl::string_view schema)
    : changes_channel_(pg::ChangesChannel(schema)),
      claim_sql_(absl::StrCat("INSERT INTO ", schema,
                              ".request_log (request_id, method, fingerprint) VALUES ($1, $2, $3)"
                              " ON CONFLICT (request_id) DO NOTHING")),
      lookup_sql_(absl::StrCat("SELECT method, fingerprint, resource_id FROM ", schema,
                               ".request_log WHERE request_id = $1")),
      append_sql_(absl::StrCat("INSERT INTO ", schema,
                               ".audit_log (actor, action, resource, request_id, reason, before,"
                               " after, changed_fields, actor_locality, trace_id) VALUES ($1, $2,"
                               " $3, $4, $5, $6::jsonb, $7::jsonb, $8::text[], $9, $10)")),
      // No request_id ($4 NULL) updates nothing.
      append_created_sql_(absl::StrCat("WITH remembered AS (UPDATE ", schema,
                                       ".request_log SET resource_id = $11 WHERE request_id = $4) ",
                                       append_sql_)),
      list_sql_(absl::StrCat("SELECT id, resource, action, actor, " CAUNOI_MICROS("time"),
                             ", coalesce(request_id, ''), coalesce(reason, ''),"
                             " coalesce(before::text, ''), coalesce(after::text, ''),"
                             " array_to_json(changed_fields)::text, coalesce(actor_locality, ''),"
                             " coalesce(trace_id, '')"
                             " FROM ",
                             schema,
                             ".audit_log WHERE ($1::text IS NULL OR resource = $1)"
                             " AND ($2::bigint IS NULL OR id < $2)"
                             " AND ($4::text IS NULL OR actor = $4)"
                             " AND ($5::text IS NULL OR actor_locality = $5)"
                             " AND ($6::timestamptz IS NULL OR time >= $6)"
                             " AND ($7::timestamptz IS NULL OR time < $7)"
                             " ORDER BY id DESC LIMIT $3")),
      claim_each_sql_(absl::StrCat("INSERT INTO ", schema,
                                   ".request_log (request_id, method, fingerprint)"
                                   " SELECT * FROM unnest($1::text[], $2::text[], $3::text[])"
                                   " ON CONFLICT (request_id) DO NOTHING RETURNING request_id")),
      lookup_each_sql_(absl::StrCat("SELECT request_id, method, fingerprint,"
                                    " coalesce(resource_id, '') FROM ",
                                    schema, ".request_log WHERE request_id = ANY($1::text[])")),
      unclaim_sql_(absl::StrCat("DELETE FROM ", schema,
                                ".request_log WHERE request_id = ANY($1::text[])"
                                " AND resource_id IS NULL")),
      append_created_each_sql_(absl::StrCat(
          "WITH remembered AS (UPDATE ", schema,
          ".request_log l SET resource_id = u.resource_id"
          "   FROM unnest($3::text[], $6::text[]) u (request_id, resource_id)"
          "   WHERE l.request_id = u.request_id) "
          "INSERT INTO ",
          schema,
          ".audit_log (actor, action, resource, request_id, reason, after,"
          " actor_locality, trace_id)"
          " SELECT a.actor, 'create', a.resource, a.request_id, a.reason, a.after,"
          "   a.actor_locality, a.trace_id"
          " FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::jsonb[],"
          "   $7::text[], $8::text[])"
          "   a (actor, resource, request_id, reason, after, actor_locality, trace_id)")) {}

absl::StatusOr<std::optional<std::string>> WriteLog::Claim(pg::Connection& connection,
                                                           const WriteRequest& write) {
  CAUNOI_ASSIGN_OR_RETURN(pg::Result claimed,
                          connection.Execute({"write_log_claim", claim_sql_},
                                             {write.request_id, write.method, write.fingerprint}));
  if (claimed.AffectedRows() == 1) return std::nullopt;
  CAUNOI_ASSIGN_OR_RETURN(pg::Result earlier, connection.Execute({"write_log_lookup", lookup_sql_},
                                                                 {write.request_id}));
  if (earlier.rows() != 1) return CheckRetryOf("", "", write);
  CAUNOI_RETURN_IF_ERROR(CheckRetryOf(earlier.Text(0, 0), earlier.Text(0, 1), write));
  return std::string(earlier.Text(0, 2));
}

absl::StatusOr<WriteLog::Claims> WriteLog::ClaimEach(pg::Connection& connection,
                                                     std::span<const WriteRequest* const> writes) {
  std::optional<pg::Connection::Call> claim = ClaimEachCall(writes);
  if (!claim.has_value()) return ClaimsOf(connection, writes, nullptr);
  CAUNOI_ASSIGN_OR_RETURN(pg::Result claimed, connection.Execute(claim->statement, claim->params));
  return ClaimsOf(connection, writes, &claimed);
}

std::optional<pg::Connection::Call> WriteLog::ClaimEachCall(
    std::span<const WriteRequest* const> writes) const {
  std::vector<std::string> ids, methods, fingerprints;
  for (const WriteRequest* write : writes) {
    if (write->request_id.empty()) continue;
    ids.push_back(write->request_id);
    methods.push_back(write->method);
    fingerprints.push_back(write->fingerprint);
  }
  if (ids.empty()) return std::nullopt;
  return pg::Connection::Call{{"write_log_claim_each", claim_each_sql_},
                              {pg::ArrayLiteral(std::span<const std::string>(ids)),
                               pg::ArrayLiteral(std::span<const std::string>(methods)),
                               pg::ArrayLiteral(std::span<const std::string>(fingerprints))}};
}

absl::StatusOr<WriteLog::Claims> WriteLog::ClaimsOf(pg::Connection& connection,
                                                    std::span<const WriteRequest* const> writes,
                                                    const pg::Result* claimed) {
  Claims outcomes(writes.size(), std::nullopt);
  std::vector<std::string> ids;
  for (const WriteRequest* write : writes) {
    if (!write->request_id.empty()) ids.push_back(write->request_id);
  }
  if (claimed == nullptr || claimed->rows() == static_cast<int>(ids.size())) return outcomes;
  absl::flat_hash_set<std::string> fresh;
  for (int row = 0; row < claimed->rows(); ++row) fresh.emplace(claimed->Text(row, 0));
  std::vector<std::string> seen;
  for (const std::string& id : ids) {
    if (!fresh.contains(id)) seen.push_back(id);
  }
  CAUNOI_ASSIGN_OR_RETURN(
      pg::Result earlier,
      connection.Execute({"write_log_lookup_each", lookup_each_sql_},
                         {pg::ArrayLiteral(std::span<const std::string>(seen))}));
  absl::flat_hash_map<std::string, int> row_of;
  for (int row = 0; row < earlier.rows(); ++row) row_of.emplace(earlier.Text(row, 0), row);
  for (size_t i = 0; i < writes.size(); ++i) {
    const WriteRequest& write = *writes[i];
    if (write.request_id.empty() || fresh.contains(write.request_id)) continue;
    auto row = row_of.find(write.request_id);
    if (row == row_of.end()) {
      outcomes[i] = CheckRetryOf("", "", write);
    } else if (absl::Status retry =
                   CheckRetryOf(earlier.Text(row->second, 1), earlier.Text(row->second, 2), write);
               !retry.ok()) {
      outcomes[i] = retry;
    } else {
      outcomes[i] = std::string(earlier.Text(row->second, 3));
    }
  }
  return outcomes;
}

void WriteLog::Unclaim(pg::Connection& connection, std::span<const std::string> request_ids) {
  if (request_ids.empty()) return;
  connection.Defer({"write_log_unclaim", unclaim_sql_}, {pg::ArrayLiteral(request_ids)});
}

void WriteLog::AppendCreatedEach(pg::Connection& connection, std::span<const Created> created) {
  if (created.empty()) return;
  std::vector<pg::Param> actors, resources, request_ids, reasons, afters, resource_ids,
      actor_localities, trace_ids;
  for (const Created& entry : created) {
    actors.emplace_back(entry.write->actor);
    actor_localities.push_back(
        entry.write->actor_locality.empty() ? pg::Param() : pg::Param(entry.write->actor_locality));
    resources.emplace_back(entry.resource);
    request_ids.push_back(entry.write->request_id.empty() ? pg::Param()
                                                          : pg::Param(entry.write->request_id));
    reasons.push_back(entry.write->reason.empty() ? pg::Param() : pg::Param(entry.write->reason));
    afters.emplace_back(entry.after_json);
    resource_ids.emplace_back(entry.resource_id);
    trace_ids.push_back(entry.write->trace_id.empty() ? pg::Param()
                                                      : pg::Param(entry.write->trace_id));
  }
  WakeFeedAfterCommit(connection);
  connection.Defer(
      {"write_log_append_created_each", append_created_each_sql_},
      {pg::ArrayLiteral(actors), pg::ArrayLiteral(resources), pg::ArrayLiteral(request_ids),
       pg::ArrayLiteral(reasons), pg::ArrayLiteral(afters), pg::ArrayLiteral(resource_ids),
       pg::ArrayLiteral(actor_localities), pg::ArrayLiteral(trace_ids)});
}

namespace {

Params AuditParams(const WriteRequest& write, const AuditEntry& entry) {
  Params params;
  params.Text(write.actor)
      .Text(entry.action)
      .Text(entry.resource)
      .TextOrNull(write.request_id)
      .TextOrNull(write.reason)
      .TextOrNull(entry.before_json)
      .TextOrNull(entry.after_json)
      .Text(pg::ArrayLiteral(std::span<const std::string>(entry.changed_fields)))
      .TextOrNull(write.actor_locality)
      .TextOrNull(write.trace_id);
  return params;
}

}  // namespace

void WriteLog::Append(pg::Connection& connection, const WriteRequest& write,
                      const AuditEntry& entry) {
  WakeFeedAfterCommit(connection);
  connection.Defer({"write_log_append", append_sql_}, AuditParams(write, entry).Take());
}

void WriteLog::AppendCreated(pg::Connection& connection, const WriteRequest& write,
                             absl::string_view resource_id, const AuditEntry& entry) {
  WakeFeedAfterCommit(connection);
  Params params = AuditParams(write, entry);
  params.Text(resource_id);
  connection.Defer({"write_log_append_created", append_created_sql_}, params.Take());
}

absl::StatusOr<std::vector<v1::AuditRecord>> WriteLog::List(pg::Connection& connection,
                                                            const AuditQuery& query,
                                                            absl::string_view before_id,
                                                            int limit) {
  Params params;
  params.TextOrNull(query.resource)
      .TextOrNull(before_id)
      .Int64(limit)
      .TextOrNull(query.actor)
      .TextOrNull(query.actor_locality);
  for (const std::optional<absl::Time>& time : {query.start, query.end}) {
    if (time) {
      params.Text(absl::FormatTime(absl::RFC3339_full, *time, absl::UTCTimeZone()));
    } else {
      params.Null();
    }
  }
  CAUNOI_ASSIGN_OR_RETURN(pg::Result result,
                          connection.Execute({"write_log_list", list_sql_}, params.Take()));
  std::vector<v1::AuditRecord> records;
  for (int row = 0; row < result.rows(); ++row) {
    RowReader reader(result, row);
    v1::AuditRecord& record = records.emplace_back();
    record.set_name(absl::StrCat("auditRecords/", reader.Text()));
    record.set_resource(reader.Text());
    record.set_action(reader.Text());
    record.set_actor(reader.Text());
    reader.Timestamp(record.mutable_time());
    record.set_request_id(reader.Text());
    record.set_reason(reader.Text());
    record.set_before_json(reader.Text());
    record.set_after_json(reader.Text());
    // A JSON array of plain field names: strip the brackets and quotes.
    const std::string fields = reader.Text();
    for (absl::string_view field : absl::StrSplit(
             absl::StripPrefix(absl::StripSuffix(fields, "]"), "["), ',', absl::SkipEmpty())) {
      record.add_changed_fields(std::string(
          absl::StripSuffix(absl::StripPrefix(absl::StripAsciiWhitespace(field), "\""), "\"")));
    }
    const std::string locality = reader.Text();
    if (!locality.empty()) record.set_actor_locality(absl::StrCat("localities/", locality));
    record.set_trace_id(reader.Text());
  }
  return records;
}

}  // namespace caunoi::resource
