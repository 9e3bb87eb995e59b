#include "services/reports/webhooks/webhook_signature.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace caunoi::reports {

std::string NewWebhookSecret() {
  unsigned char key[24];
  RAND_bytes(key, sizeof key);
  return absl::StrCat(
      "whsec_", absl::Base64Escape(absl::string_view(reinterpret_cast<char*>(key), sizeof key)));
}

absl::StatusOr<std::string> SignWebhook(absl::string_view secret, absl::string_view message_id,
                                        int64_t timestamp, absl::string_view body) {
  std::string key;
  if (!absl::ConsumePrefix(&secret, "whsec_") || !absl::Base64Unescape(secret, &key) ||
      key.empty()) {
    return absl::InvalidArgumentError("a webhook secret is \"whsec_\" and base64");
  }
  const std::string signed_content = absl::StrCat(message_id, ".", timestamp, ".", body);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(signed_content.data()), signed_content.size(), mac,
       &length);
  return absl::StrCat("v1,",
                      absl::Base64Escape(absl::string_view(reinterpret_cast<char*>(mac), length)));
}

}  // namespace caunoi::reports
