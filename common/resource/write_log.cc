#include "common/resource/write_log.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/resource/row.h"
#include "common/status/errors.h"
#include "common/status/status_macros.h"

namespace caunoi::resource {
namespace {

// A PostgreSQL text[] literal; elements are quoted and escaped.
std::string TextArray(const std::vector<std::string>& values) {
  std::vector<std::string> quoted;
  quoted.reserve(values.size());
  for (const std::string& value : values) {
    quoted.push_back(
        absl::StrCat("\"", absl::StrReplaceAll(value, {{"\\", "\\\\"}, {"\"", "\\\""}}), "\""));
  }
  return absl::StrCat("{", absl::StrJoin(quoted, ","), "}");
}

}  // namespace

WriteLog::WriteLog(absl::string_view schema)
    : claim_sql_(absl::StrCat("INSERT INTO ", schema,
                              ".request_log (request_id, method, fingerprint) VALUES ($1, $2, $3)"
                              " ON CONFLICT (request_id) DO NOTHING")),
      lookup_sql_(absl::StrCat("SELECT method, fingerprint, resource_id FROM ", schema,
                               ".request_log WHERE request_id = $1")),
      append_sql_(absl::StrCat("INSERT INTO ", schema,
                               ".audit_log (actor, action, resource, request_id, reason, before,"
                               " after, changed_fields)"
                               " VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8::text[])")),
      // No request_id ($4 NULL) updates nothing.
      append_created_sql_(absl::StrCat("WITH remembered AS (UPDATE ", schema,
                                       ".request_log SET resource_id = $9 WHERE request_id = $4) ",
                                       append_sql_)),
      list_sql_(absl::StrCat("SELECT id, resource, action, actor, " CAUNOI_MICROS("time"),
                             ", coalesce(request_id, ''), coalesce(reason, ''),"
                             " coalesce(before::text, ''), coalesce(after::text, ''),"
                             " array_to_json(changed_fields)::text FROM ",
                             schema,
                             ".audit_log WHERE resource = $1 AND ($2::bigint IS NULL OR id < $2)"
                             " ORDER BY id DESC LIMIT $3")) {}

absl::StatusOr<std::optional<std::string>> WriteLog::Claim(pg::Connection& connection,
                                                           const WriteRequest& write) {
  CAUNOI_ASSIGN_OR_RETURN(pg::Result claimed,
                          connection.Execute({"write_log_claim", claim_sql_},
                                             {write.request_id, write.method, write.fingerprint}));
  if (claimed.AffectedRows() == 1) return std::nullopt;
  CAUNOI_ASSIGN_OR_RETURN(pg::Result earlier, connection.Execute({"write_log_lookup", lookup_sql_},
                                                                 {write.request_id}));
  if (earlier.rows() != 1 || earlier.Text(0, 0) != write.method ||
      earlier.Text(0, 1) != write.fingerprint) {
    return InvalidFieldError("request_id",
                             "was already used for a different request; use a new request_id");
  }
  return std::string(earlier.Text(0, 2));
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
      .Text(TextArray(entry.changed_fields));
  return params;
}

}  // namespace

absl::Status WriteLog::Append(pg::Connection& connection, const WriteRequest& write,
                              const AuditEntry& entry) {
  return connection.Execute({"write_log_append", append_sql_}, AuditParams(write, entry).Take())
      .status();
}

absl::Status WriteLog::AppendCreated(pg::Connection& connection, const WriteRequest& write,
                                     absl::string_view resource_id, const AuditEntry& entry) {
  Params params = AuditParams(write, entry);
  params.Text(resource_id);
  return connection.Execute({"write_log_append_created", append_created_sql_}, params.Take())
      .status();
}

absl::StatusOr<std::vector<v1::AuditRecord>> WriteLog::List(pg::Connection& connection,
                                                            absl::string_view resource,
                                                            absl::string_view before_id,
                                                            int limit) {
  Params params;
  params.Text(resource).TextOrNull(before_id).Int64(limit);
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
  }
  return records;
}

}  // namespace caunoi::resource
