#include "services/reports/webhooks/webhook_sender.h"

#include <curl/curl.h>

#include <algorithm>
#include <memory>
#include <random>

#include "absl/strings/str_cat.h"
#include "common/logging/log.h"
#include "common/metrics/metrics.h"
#include "services/reports/webhooks/webhook_signature.h"

namespace caunoi::reports {
namespace {

constexpr int kBatch = 16;
// Long enough for one attempt of every delivery taken at once.
constexpr absl::Duration kLease = absl::Minutes(5);

struct Answer {
  int status = 0;
  std::string error;
};

size_t Discard(char*, size_t size, size_t count, void*) { return size * count; }

Answer Post(const std::string& url, const std::string& body,
            const std::vector<std::string>& headers, absl::Duration timeout) {
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return {0, "libcurl could not start"};
  curl_slist* list = nullptr;
  for (const std::string& header : headers) list = curl_slist_append(list, header.c_str());
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> header_list(list,
                                                                          curl_slist_free_all);
  char error[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_POST, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS,
                   static_cast<long>(absl::ToInt64Milliseconds(timeout)));
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, Discard);
  // Only web protocols, and no redirects: a receiver answers itself.
  curl_easy_setopt(curl.get(), CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl.get(), CURLOPT_FOLLOWLOCATION, 0L);
  const CURLcode code = curl_easy_perform(curl.get());
  if (code != CURLE_OK) return {0, error[0] ? error : curl_easy_strerror(code)};
  long status = 0;
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
  return {static_cast<int>(status), status >= 200 && status < 300 ? "" : "not a 2xx answer"};
}

}  // namespace

WebhookSender::WebhookSender(WebhookStore& store, SenderOptions options)
    : store_(store), options_(options) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
}

absl::Duration WebhookSender::Backoff(int attempts) const {
  absl::Duration wait = options_.initial_backoff;
  for (int i = 1; i < attempts && wait < options_.max_backoff; ++i) wait *= 2;
  wait = std::min(wait, options_.max_backoff);
  // Up to a fifth more, so that receivers coming back are not met all at once.
  thread_local std::mt19937 random(std::random_device{}());
  return wait + wait * std::uniform_real_distribution<double>(0, 0.2)(random);
}

int WebhookSender::SendDue() {
  absl::StatusOr<std::vector<DueDelivery>> due = store_.TakeDue(kBatch, kLease);
  if (!due.ok()) {
    log::Warning("webhooks.take_failed", {{"detail", due.status().ToString()}});
    return 0;
  }
  for (const DueDelivery& delivery : *due) {
    if (delivery.url.empty()) {
      (void)store_.Attempted(delivery.id, false, 0, "the webhook was deleted", std::nullopt);
      continue;
    }
    const int64_t timestamp = absl::ToUnixSeconds(absl::Now());
    const std::string body =
        absl::StrCat(R"({"type":"alert.)", delivery.event, R"(","timestamp":")",
                     absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::Now(), absl::UTCTimeZone()),
                     R"(","data":)", delivery.alert_json, "}");
    absl::StatusOr<std::string> signature =
        SignWebhook(delivery.secret, delivery.message_id, timestamp, body);
    Answer answer;
    if (signature.ok()) {
      answer =
          Post(delivery.url, body,
               {"content-type: application/json", absl::StrCat("webhook-id: ", delivery.message_id),
                absl::StrCat("webhook-timestamp: ", timestamp),
                absl::StrCat("webhook-signature: ", *signature)},
               options_.timeout);
    } else {
      answer.error = std::string(signature.status().message());
    }
    const bool delivered = answer.error.empty();
    const int attempts = delivery.attempts + 1;
    std::optional<absl::Time> retry_at;
    if (!delivered && attempts < options_.max_attempts) retry_at = absl::Now() + Backoff(attempts);
    metrics::Counter("caunoi_webhook_attempts_total", "webhook delivery attempts",
                     {{"outcome", delivered ? "delivered" : (retry_at ? "retry" : "dead")}})
        .Increment();
    const absl::Status recorded =
        store_.Attempted(delivery.id, delivered, answer.status, answer.error, retry_at);
    if (!recorded.ok()) {
      // Attempted again once its lease ends; receivers de-duplicate by id.
      log::Warning("webhooks.record_failed", {{"detail", recorded.ToString()}});
    }
  }
  return static_cast<int>(due->size());
}

void WebhookSender::Run(absl::Notification& stopping) {
  while (!stopping.HasBeenNotified()) {
    if (SendDue() < kBatch) stopping.WaitForNotificationWithTimeout(options_.poll);
  }
}

}  // namespace caunoi::reports
