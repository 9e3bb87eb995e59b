#ifndef CAUNOI_SERVICES_REPORTS_WEBHOOKS_WEBHOOK_STORE_H_
#define CAUNOI_SERVICES_REPORTS_WEBHOOKS_WEBHOOK_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "caunoi/v1/reports.pb.h"
#include "common/auth/principal.h"
#include "common/pg/pool.h"
#include "common/resource/write_log.h"

namespace caunoi::reports {

// A delivery taken to be attempted: it is leased, so another replica does
// not attempt it meanwhile, and attempted again if this one dies.
struct DueDelivery {
  int64_t id = 0;
  std::string url;
  std::string secret;
  std::string message_id;
  std::string event;  // "created" | "resolved"
  std::string alert_json;
  int attempts = 0;
};

// The SQL of webhooks and their deliveries (migrations/0014_alerts.sql).
class WebhookStore {
 public:
  explicit WebhookStore(pg::Pool& pool);

  // The caller (nullopt: the suite itself, registering for everything)
  // owns the webhook and receives what it may see.
  absl::StatusOr<v1::Webhook> Create(const v1::Webhook& webhook,
                                     const std::optional<auth::Principal>& owner,
                                     const std::string& secret,
                                     const resource::WriteRequest& write);
  // NOT_FOUND unless `owner` registered it (every one for central).
  absl::StatusOr<v1::Webhook> Get(int64_t id, const std::optional<auth::Principal>& owner,
                                  absl::Time deadline);
  absl::StatusOr<v1::ListWebhooksResponse> List(const std::optional<auth::Principal>& owner,
                                                int64_t after_id, int limit, absl::Time deadline);
  absl::Status Delete(int64_t id, const std::optional<auth::Principal>& owner,
                      const resource::WriteRequest& write);
  // NOT_FOUND unless `owner` may see the webhook (as Get).
  absl::StatusOr<v1::ListDeliveriesResponse> ListDeliveries(
      int64_t webhook_id, const std::optional<auth::Principal>& owner,
      const std::optional<std::string>& state, int64_t after_id, int limit, absl::Time deadline);

  // Up to `limit` deliveries due now, leased for `lease`.
  absl::StatusOr<std::vector<DueDelivery>> TakeDue(int limit, absl::Duration lease);
  // After an attempt: delivered, or tried again at `retry_at`, or dead
  // when `retry_at` is nullopt.
  absl::Status Attempted(int64_t id, bool delivered, int http_status, const std::string& error,
                         std::optional<absl::Time> retry_at);

 private:
  pg::Pool& pool_;
  resource::WriteLog log_;
};

}  // namespace caunoi::reports

#endif  // CAUNOI_SERVICES_REPORTS_WEBHOOKS_WEBHOOK_STORE_H_
