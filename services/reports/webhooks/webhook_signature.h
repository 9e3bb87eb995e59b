#ifndef CAUNOI_SERVICES_REPORTS_WEBHOOKS_WEBHOOK_SIGNATURE_H_
#define CAUNOI_SERVICES_REPORTS_WEBHOOKS_WEBHOOK_SIGNATURE_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

// Signatures as Standard Webhooks 1.0 makes them: HMAC-SHA256 of
// "{webhook-id}.{webhook-timestamp}.{body}" with the key a secret
// "whsec_<base64>" holds, sent as "v1,<base64>".
namespace caunoi::reports {

// A fresh secret of 24 random bytes.
std::string NewWebhookSecret();

// INVALID_ARGUMENT when `secret` is not "whsec_" and base64.
absl::StatusOr<std::string> SignWebhook(absl::string_view secret, absl::string_view message_id,
                                        int64_t timestamp, absl::string_view body);

}  // namespace caunoi::reports

#endif  // CAUNOI_SERVICES_REPORTS_WEBHOOKS_WEBHOOK_SIGNATURE_H_
