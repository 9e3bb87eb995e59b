#include "services/reports/webhooks/webhook_store.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/api/enum_token.h"
#include "common/pg/array_literal.h"
#include "common/pg/transaction.h"
#include "common/resource/row.h"
#include "common/status/errors.h"
#include "common/status/status_macros.h"
#include "google/protobuf/util/json_util.h"

namespace caunoi::reports {
namespace {

#define CAUNOI_WEBHOOK_COLUMNS \
  "w.id, w.url, w.kinds::text, w.owner, " CAUNOI_MICROS("w.create_time")

// Central principals (and the suite itself) see every webhook; others
// their own.
constexpr pg::Statement kInsertWebhook{
    "webhook_insert",
    "INSERT INTO reports.webhooks AS w (url, kinds, owner, owner_role, owner_place,"
    " owner_organization_id, secret) VALUES ($1, $2::text[], $3, $4, $5, $6, $7)"
    " RETURNING " CAUNOI_WEBHOOK_COLUMNS};
constexpr pg::Statement kGetWebhook{
    "webhook_get",
    "SELECT " CAUNOI_WEBHOOK_COLUMNS
    " FROM reports.webhooks w"
    " WHERE w.id = $1 AND w.delete_time IS NULL AND ($2::text IS NULL OR w.owner = $2)"};
constexpr pg::Statement kListWebhooks{
    "webhook_list",
    "SELECT " CAUNOI_WEBHOOK_COLUMNS
    " FROM reports.webhooks w"
    " WHERE w.delete_time IS NULL AND ($1::text IS NULL OR w.owner = $1) AND w.id > $2"
    " ORDER BY w.id LIMIT $3"};
constexpr pg::Statement kDeleteWebhook{
    "webhook_delete",
    "UPDATE reports.webhooks w SET delete_time = now()"
    " WHERE w.id = $1 AND w.delete_time IS NULL AND ($2::text IS NULL OR w.owner = $2)"
    " RETURNING " CAUNOI_WEBHOOK_COLUMNS};
constexpr pg::Statement kListDeliveries{
    "delivery_list",
    "SELECT d.id, d.alert_id, d.message_id, d.state, d.attempts, d.last_status, d.last_error, "
    CAUNOI_MICROS("d.next_attempt_time") ", " CAUNOI_MICROS("d.deliver_time")
    " FROM reports.deliveries d WHERE d.webhook_id = $1 AND ($2::text IS NULL OR d.state = $2)"
    " AND d.id > $3 ORDER BY d.id LIMIT $4"};
constexpr pg::Statement kTakeDue{
    "delivery_take_due",
    "WITH due AS (SELECT d.id FROM reports.deliveries d"
    "  WHERE d.state = 'PENDING' AND d.next_attempt_time <= now()"
    "  ORDER BY d.next_attempt_time LIMIT $1 FOR UPDATE SKIP LOCKED)"
    " UPDATE reports.deliveries d SET next_attempt_time = now() + $2::interval"
    " FROM due, reports.webhooks w, reports.alerts a"
    " WHERE d.id = due.id AND w.id = d.webhook_id AND a.id = d.alert_id"
    " RETURNING d.id, w.url, w.secret, d.message_id, d.event, reports.alert_json(a)::text,"
    " d.attempts, w.delete_time IS NOT NULL"};
constexpr pg::Statement kAttempted{
    "delivery_attempted",
    "UPDATE reports.deliveries SET attempts = attempts + 1, last_status = $2, last_error = $3,"
    " state = CASE WHEN $4 THEN 'DELIVERED' WHEN $5::timestamptz IS NULL THEN 'DEAD'"
    "  ELSE 'PENDING' END,"
    " deliver_time = CASE WHEN $4 THEN now() END,"
    " next_attempt_time = coalesce($5::timestamptz, next_attempt_time)"
    " WHERE id = $1 AND state = 'PENDING'"};

pg::Param OwnerFilter(const std::optional<auth::Principal>& owner) {
  if (!owner || owner->role == auth::Role::kCentral) return std::nullopt;
  return owner->name;
}

v1::Webhook WebhookFromRow(const pg::Result& rows, int row) {
  resource::RowReader reader(rows, row);
  v1::Webhook webhook;
  webhook.set_name(absl::StrCat("webhooks/", reader.Int64()));
  webhook.set_url(reader.Text());
  absl::string_view kinds = reader.Text();
  kinds = absl::StripPrefix(absl::StripSuffix(kinds, "}"), "{");
  for (absl::string_view kind : absl::StrSplit(kinds, ',', absl::SkipEmpty())) {
    if (auto parsed = api::ParseEnumToken<v1::AlertKind>(kind)) webhook.add_kinds(*parsed);
  }
  webhook.set_owner(reader.Text());
  reader.Timestamp(webhook.mutable_create_time());
  return webhook;
}

std::string Json(const google::protobuf::Message& message) {
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(message, &json);
  return json;
}

}  // namespace

WebhookStore::WebhookStore(pg::Pool& pool) : pool_(pool), log_("reports") {}

absl::StatusOr<v1::Webhook> WebhookStore::Create(const v1::Webhook& webhook,
                                                 const std::optional<auth::Principal>& owner,
                                                 const std::string& secret,
                                                 const resource::WriteRequest& write) {
  std::vector<std::string> kinds;
  for (int kind : webhook.kinds())
    kinds.push_back(api::EnumToken(static_cast<v1::AlertKind>(kind)));
  return pg::Transact<v1::Webhook>(
      pool_, {.deadline = write.deadline},
      [&](pg::Connection& connection) -> absl::StatusOr<v1::Webhook> {
        CAUNOI_ASSIGN_OR_RETURN(
            pg::Result rows,
            connection.Execute(
                kInsertWebhook,
                {webhook.url(), pg::ArrayLiteral(kinds), owner ? owner->name : std::string("suite"),
                 // The suite's own callers see what central principals see.
                 owner ? std::string(auth::RoleName(owner->role)) : std::string("central"),
                 owner ? owner->locality_id : "", owner ? owner->organization_id : "", secret}));
        // The audit record never holds the secret.
        v1::Webhook stored = WebhookFromRow(rows, 0);
        log_.Append(connection, write,
                    {.action = "create",
                     .resource = stored.name(),
                     .before_json = "",
                     .after_json = Json(stored),
                     .changed_fields = {}});
        stored.set_secret(secret);
        return stored;
      });
}

absl::StatusOr<v1::Webhook> WebhookStore::Get(int64_t id,
                                              const std::optional<auth::Principal>& owner,
                                              absl::Time deadline) {
  return pg::Transact<v1::Webhook>(
      pool_, pg::ReadOnly(deadline),
      [&](pg::Connection& connection) -> absl::StatusOr<v1::Webhook> {
        CAUNOI_ASSIGN_OR_RETURN(
            pg::Result rows,
            connection.Execute(kGetWebhook, {absl::StrCat(id), OwnerFilter(owner)}));
        if (rows.rows() == 0) {
          return absl::NotFoundError(absl::StrCat("webhooks/", id, " does not exist"));
        }
        return WebhookFromRow(rows, 0);
      });
}

absl::StatusOr<v1::ListWebhooksResponse> WebhookStore::List(
    const std::optional<auth::Principal>& owner, int64_t after_id, int limit, absl::Time deadline) {
  return pg::Transact<v1::ListWebhooksResponse>(
      pool_, pg::ReadOnly(deadline),
      [&](pg::Connection& connection) -> absl::StatusOr<v1::ListWebhooksResponse> {
        CAUNOI_ASSIGN_OR_RETURN(
            pg::Result rows,
            connection.Execute(kListWebhooks,
                               {OwnerFilter(owner), absl::StrCat(after_id), absl::StrCat(limit)}));
        v1::ListWebhooksResponse response;
        for (int i = 0; i < rows.rows(); ++i) *response.add_webhooks() = WebhookFromRow(rows, i);
        if (rows.rows() == limit) {
          response.set_next_page_token(
              std::string(absl::StripPrefix(response.webhooks().rbegin()->name(), "webhooks/")));
        }
        return response;
      });
}

absl::Status WebhookStore::Delete(int64_t id, const std::optional<auth::Principal>& owner,
                                  const resource::WriteRequest& write) {
  return pg::RunInTransaction(pool_, {.deadline = write.deadline}, [&](pg::Connection& connection) {
    CAUNOI_ASSIGN_OR_RETURN(
        pg::Result rows,
        connection.Execute(kDeleteWebhook, {absl::StrCat(id), OwnerFilter(owner)}));
    if (rows.rows() == 0) {
      return absl::NotFoundError(absl::StrCat("webhooks/", id, " does not exist"));
    }
    const v1::Webhook gone = WebhookFromRow(rows, 0);
    log_.Append(connection, write,
                {.action = "delete",
                 .resource = gone.name(),
                 .before_json = Json(gone),
                 .after_json = "",
                 .changed_fields = {}});
    return absl::OkStatus();
  });
}

absl::StatusOr<v1::ListDeliveriesResponse> WebhookStore::ListDeliveries(
    int64_t webhook_id, const std::optional<auth::Principal>& owner,
    const std::optional<std::string>& state, int64_t after_id, int limit, absl::Time deadline) {
  return pg::Transact<v1::ListDeliveriesResponse>(
      pool_, pg::ReadOnly(deadline),
      [&](pg::Connection& connection) -> absl::StatusOr<v1::ListDeliveriesResponse> {
        CAUNOI_ASSIGN_OR_RETURN(
            pg::Result webhook,
            connection.Execute(kGetWebhook, {absl::StrCat(webhook_id), OwnerFilter(owner)}));
        if (webhook.rows() == 0) {
          return absl::NotFoundError(absl::StrCat("webhooks/", webhook_id, " does not exist"));
        }
        CAUNOI_ASSIGN_OR_RETURN(
            pg::Result rows,
            connection.Execute(kListDeliveries, {absl::StrCat(webhook_id), state,
                                                 absl::StrCat(after_id), absl::StrCat(limit)}));
        v1::ListDeliveriesResponse response;
        int64_t last_id = 0;
        for (int i = 0; i < rows.rows(); ++i) {
          resource::RowReader reader(rows, i);
          v1::Delivery& delivery = *response.add_deliveries();
          last_id = reader.Int64();
          delivery.set_name(absl::StrCat("webhooks/", webhook_id, "/deliveries/", last_id));
          delivery.set_alert(absl::StrCat("alerts/", reader.Int64()));
          delivery.set_message_id(reader.Text());
          delivery.set_state(api::ParseEnumToken<v1::DeliveryState>(reader.Text())
                                 .value_or(v1::DELIVERY_STATE_UNSPECIFIED));
          delivery.set_attempts(static_cast<int32_t>(reader.Int64()));
          delivery.set_last_status(static_cast<int32_t>(reader.Int64()));
          delivery.set_last_error(reader.Text());
          reader.Timestamp(delivery.mutable_next_attempt_time());
          if (reader.NextIsNull()) {
            reader.Skip(1);
          } else {
            reader.Timestamp(delivery.mutable_deliver_time());
          }
        }
        if (rows.rows() == limit) response.set_next_page_token(absl::StrCat(last_id));
        return response;
      });
}

absl::StatusOr<std::vector<DueDelivery>> WebhookStore::TakeDue(int limit, absl::Duration lease) {
  return pg::Transact<std::vector<DueDelivery>>(
      pool_, {.deadline = absl::Now() + absl::Seconds(30)},
      [&](pg::Connection& connection) -> absl::StatusOr<std::vector<DueDelivery>> {
        CAUNOI_ASSIGN_OR_RETURN(
            pg::Result rows,
            connection.Execute(kTakeDue, {absl::StrCat(limit),
                                          absl::StrCat(absl::ToInt64Seconds(lease), " seconds")}));
        std::vector<DueDelivery> due;
        for (int i = 0; i < rows.rows(); ++i) {
          resource::RowReader reader(rows, i);
          DueDelivery delivery;
          delivery.id = reader.Int64();
          delivery.url = reader.Text();
          delivery.secret = reader.Text();
          delivery.message_id = reader.Text();
          delivery.event = reader.Text();
          delivery.alert_json = reader.Text();
          delivery.attempts = static_cast<int>(reader.Int64());
          if (reader.Bool()) delivery.url.clear();  // the webhook was deleted
          due.push_back(std::move(delivery));
        }
        return due;
      });
}

absl::Status WebhookStore::Attempted(int64_t id, bool delivered, int http_status,
                                     const std::string& error, std::optional<absl::Time> retry_at) {
  pg::Param retry;
  if (retry_at) retry = absl::FormatTime("%Y-%m-%dT%H:%M:%E6S%Ez", *retry_at, absl::UTCTimeZone());
  return pg::RunInTransaction(
      pool_, {.deadline = absl::Now() + absl::Seconds(30)}, [&](pg::Connection& connection) {
        return connection
            .Execute(kAttempted, {absl::StrCat(id), absl::StrCat(http_status), error,
                                  delivered ? "true" : "false", retry})
            .status();
      });
}

}  // namespace caunoi::reports
