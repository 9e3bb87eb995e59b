#include "common/changes/change_store.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/api/page_token.h"
#include "common/changes/json_struct.h"
#include "common/pg/array_literal.h"
#include "common/pg/commit_wakeup.h"
#include "common/resource/row.h"
#include "common/status/errors.h"
#include "common/status/status_macros.h"
#include "google/protobuf/util/json_util.h"

namespace caunoi::changes {
namespace {

constexpr int kDefaultPage = 100;
constexpr int kMaxPage = 1000;

// `oldest` is the last position the retention removed: reading resumes
// after it.
absl::Status CursorTooOld(int64_t cursor, int64_t oldest) {
  return ErrorWithReason(
      absl::StatusCode::kOutOfRange,
      absl::StrCat("cursor ", cursor,
                   " is older than the change retention; the oldest cursor still held is ", oldest),
      "CURSOR_EXPIRED", {{"oldest_cursor", absl::StrCat(oldest)}});
}

}  // namespace

bool StateAs(absl::string_view state, google::protobuf::Message& message) {
  if (state.empty()) return false;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  return google::protobuf::util::JsonStringToMessage(
             google::protobuf::StringPiece(state.data(), state.size()), &message, options)
      .ok();
}

absl::StatusOr<std::optional<int64_t>> ParseCursor(absl::string_view cursor,
                                                   absl::string_view field) {
  if (cursor.empty()) return std::nullopt;
  int64_t position = 0;
  if (!absl::SimpleAtoi(cursor, &position) || position < 0) {
    return InvalidFieldError(field, "is not a cursor this service sent");
  }
  return position;
}

ChangeStore::ChangeStore(pg::Pool& pool, absl::string_view schema, Decoder decoder)
    : pool_(pool),
      decoder_(decoder ? std::make_shared<const Decoder>(std::move(decoder)) : nullptr),
      channel_(pg::ChangesChannel(schema)),
      lock_key_(absl::StrCat(schema, ".changes")),
      read_sql_(absl::StrCat(
          "SELECT c.position, a.resource, a.action, coalesce(c.locality, ''), ",
          CAUNOI_MICROS("a.time"),
          ", a.actor, coalesce(a.after, a.before)::text, a.after IS NULL"
          // Each change's audit record by its key, whatever the planner
          // knows of the log (OFFSET 0 keeps the subquery from being merged
          // into a join it may plan otherwise): before autovacuum first
          // analyzed the log, the planner guessed a third of the changes
          // follow any position and hashed the whole log on every read,
          // 12-28 ms a read within 8,000 writes of a fresh database.
          " FROM ",
          schema, ".changes c CROSS JOIN LATERAL (SELECT * FROM ", schema,
          ".audit_log a WHERE a.id = c.audit_id OFFSET 0) a"
          " WHERE c.position > $1 AND ($3::text IS NULL OR c.locality = $3)"
          " AND ($4::text[] IS NULL OR split_part(a.resource, '/', 1) = ANY($4::text[]))"
          " ORDER BY c.position LIMIT $2")),
      latest_sql_(
          absl::StrCat("SELECT last_position, pruned_through FROM ", schema, ".change_head")),
      // Takes every queued change committed so far, in the order each was
      // audited, and writes it into the log after the last position given.
      number_sql_(absl::StrCat(
          "WITH queued AS (DELETE FROM ", schema,
          ".change_queue RETURNING audit_id, locality, time),"
          " head AS (SELECT last_position FROM ",
          schema,
          ".change_head),"
          " numbered AS (INSERT INTO ",
          schema,
          ".changes (position, audit_id, locality, time)"
          " SELECT head.last_position + row_number() OVER (ORDER BY queued.audit_id),"
          " queued.audit_id, queued.locality, queued.time FROM queued, head RETURNING position)"
          " UPDATE ",
          schema,
          ".change_head SET last_position = (SELECT max(position) FROM numbered)"
          " WHERE EXISTS (SELECT 1 FROM numbered) RETURNING last_position")),
      prune_sql_(absl::StrCat(
          "WITH gone AS (DELETE FROM ", schema,
          ".changes WHERE time < now() - $1::interval RETURNING position)"
          " UPDATE ",
          schema,
          ".change_head SET pruned_through = greatest(pruned_through,"
          " coalesce((SELECT max(position) FROM gone), 0)) RETURNING pruned_through")) {}

absl::StatusOr<std::vector<EventPtr>> ChangeStore::Read(int64_t position, int limit,
                                                        const std::string& locality,
                                                        const std::vector<std::string>& collections,
                                                        absl::Time deadline,
                                                        int64_t* head_position) {
  CAUNOI_ASSIGN_OR_RETURN(pg::Pool::Lease lease, pool_.Acquire(deadline));
  if (position == 0) {
    // "From the oldest held": what the retention removed is not missed.
    CAUNOI_ASSIGN_OR_RETURN(pg::Result head, lease->Execute({"changes_head", latest_sql_}));
    CAUNOI_ASSIGN_OR_RETURN(position, head.Int64(0, 1));
  }
  pg::Param locality_param;
  if (!locality.empty()) locality_param = locality;
  pg::Param collections_param;
  if (!collections.empty()) collections_param = pg::ArrayLiteral(collections);
  CAUNOI_ASSIGN_OR_RETURN(
      pg::Result rows,
      lease->Execute({"changes_read", read_sql_}, {absl::StrCat(position), absl::StrCat(limit),
                                                   locality_param, collections_param}));
  // Read after the rows: a retention run between the two is then noticed.
  CAUNOI_ASSIGN_OR_RETURN(pg::Result head, lease->Execute({"changes_head", latest_sql_}));
  CAUNOI_ASSIGN_OR_RETURN(const int64_t pruned_through, head.Int64(0, 1));
  if (position < pruned_through) return CursorTooOld(position, pruned_through);
  if (head_position != nullptr) {
    CAUNOI_ASSIGN_OR_RETURN(*head_position, head.Int64(0, 0));
  }
  std::vector<EventPtr> events;
  events.reserve(rows.rows());
  for (int row = 0; row < rows.rows(); ++row) {
    resource::RowReader reader(rows, row);
    auto event = std::make_shared<ChangeEvent>();
    event->position = reader.Int64();
    v1::Change& change = event->change;
    change.set_resource(reader.Text());
    change.set_action(reader.Text());
    change.set_locality(reader.Text());
    reader.Timestamp(change.mutable_time());
    change.set_actor(reader.Text());
    std::string state = reader.Text();
    if (reader.Bool()) state.clear();  // a delete: the change carries no state
    if (!state.empty()) {
      // Written by the service itself from its own messages.
      if (!ParseJsonObject(state, *change.mutable_state())) change.clear_state();
    }
    if (decoder_ != nullptr) event->DecodeOnDemand(decoder_, std::move(state));
    events.push_back(std::move(event));
  }
  return events;
}

absl::StatusOr<std::vector<EventPtr>> ChangeStore::ReadAfter(int64_t position, int limit,
                                                             absl::Time deadline) {
  return Read(position, limit, "", {}, deadline);
}

absl::StatusOr<v1::ListChangesResponse> ChangeStore::List(const v1::ListChangesRequest& request,
                                                          absl::Time deadline) {
  CAUNOI_ASSIGN_OR_RETURN(const int limit,
                          api::ResolvePageSize(request.page_size(), kDefaultPage, kMaxPage));
  CAUNOI_ASSIGN_OR_RETURN(std::optional<int64_t> cursor, ParseCursor(request.cursor(), "cursor"));
  const int64_t after = cursor.value_or(0);
  int64_t head = 0;
  CAUNOI_ASSIGN_OR_RETURN(
      std::vector<EventPtr> events,
      Read(after, limit, request.locality(),
           {request.collections().begin(), request.collections().end()}, deadline, &head));
  v1::ListChangesResponse response;
  response.set_head_cursor(absl::StrCat(head));
  int64_t last = after;
  for (const EventPtr& event : events) {
    v1::Change& change = *response.add_changes();
    change = event->change;
    change.set_cursor(absl::StrCat(event->position));
    last = event->position;
  }
  response.set_next_cursor(absl::StrCat(last));
  return response;
}

absl::StatusOr<int64_t> ChangeStore::Latest(absl::Time deadline) {
  CAUNOI_ASSIGN_OR_RETURN(pg::Pool::Lease lease, pool_.Acquire(deadline));
  CAUNOI_ASSIGN_OR_RETURN(pg::Result head, lease->Execute({"changes_head", latest_sql_}));
  return head.Int64(0, 0);
}

absl::StatusOr<int64_t> ChangeStore::Number(pg::Connection& connection) {
  CAUNOI_RETURN_IF_ERROR(connection.ExecuteScript("BEGIN").status());
  absl::StatusOr<int64_t> last = [&]() -> absl::StatusOr<int64_t> {
    CAUNOI_RETURN_IF_ERROR(connection
                               .Execute({"changes_number_lock",
                                         "SELECT pg_advisory_xact_lock("
                                         "hashtext($1))"},
                                        {lock_key_})
                               .status());
    CAUNOI_ASSIGN_OR_RETURN(pg::Result numbered,
                            connection.Execute({"changes_number", number_sql_}));
    if (numbered.rows() == 0) {  // nothing pending: nothing written, nothing to flush
      CAUNOI_ASSIGN_OR_RETURN(pg::Result head, connection.Execute({"changes_head", latest_sql_}));
      return head.Int64(0, 0);
    }
    // Wakes the feeds of the other replicas, which find these numbered;
    // one NOTIFY per numbering, never one per writer.
    CAUNOI_RETURN_IF_ERROR(
        connection.Execute({"changes_notify", "SELECT pg_notify($1, '')"}, {channel_}).status());
    return numbered.Int64(0, 0);
  }();
  CAUNOI_RETURN_IF_ERROR(connection.ExecuteScript(last.ok() ? "COMMIT" : "ROLLBACK").status());
  return last;
}

absl::StatusOr<int64_t> ChangeStore::Prune(absl::Duration retention, absl::Time deadline) {
  CAUNOI_ASSIGN_OR_RETURN(pg::Pool::Lease lease, pool_.Acquire(deadline));
  CAUNOI_ASSIGN_OR_RETURN(
      pg::Result head, lease->Execute({"changes_prune", prune_sql_},
                                      {absl::StrCat(absl::ToInt64Seconds(retention), " seconds")}));
  return head.Int64(0, 0);
}

}  // namespace caunoi::changes
