#ifndef CAUNOI_SERVICES_REPORTS_WEBHOOKS_WEBHOOK_SENDER_H_
#define CAUNOI_SERVICES_REPORTS_WEBHOOKS_WEBHOOK_SENDER_H_

#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "services/reports/webhooks/webhook_store.h"

namespace caunoi::reports {

struct SenderOptions {
  // Attempts before a delivery is dead-lettered.
  int max_attempts = 12;
  // The wait after the first failure, doubled after each (with jitter).
  absl::Duration initial_backoff = absl::Seconds(1);
  absl::Duration max_backoff = absl::Minutes(10);
  absl::Duration timeout = absl::Seconds(10);
  // How often it looks for due deliveries when idle.
  absl::Duration poll = absl::Milliseconds(500);
};

// POSTs due deliveries with libcurl, signed; a 2xx answer delivers, any
// other (or none) is retried with exponential backoff, then dead. Any
// replica may run one: deliveries are leased while attempted.
class WebhookSender {
 public:
  WebhookSender(WebhookStore& store, SenderOptions options);
  void Run(absl::Notification& stopping);
  // Attempts what is due now; returns how many were attempted.
  int SendDue();

 private:
  // The wait before attempt `attempts` + 1.
  absl::Duration Backoff(int attempts) const;

  WebhookStore& store_;
  const SenderOptions options_;
};

}  // namespace caunoi::reports

#endif  // CAUNOI_SERVICES_REPORTS_WEBHOOKS_WEBHOOK_SENDER_H_
