#include "common/api/page_token.h"

#include <cstdint>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/api/fingerprint.h"
#include "common/status/errors.h"

namespace caunoi::api {
namespace {

constexpr absl::string_view kVersion = "p1";
constexpr size_t kChecksumHexLength = 16;

std::string Hex(uint64_t value) { return absl::StrFormat("%016x", value); }

// Length-prefixed so any byte may appear in a key: "<len>:<bytes>".
void AppendField(std::string& out, absl::string_view field) {
  absl::StrAppend(&out, field.size(), ":", field);
}

bool ReadField(absl::string_view& in, absl::string_view& field) {
  const size_t colon = in.find(':');
  size_t length = 0;
  if (colon == absl::string_view::npos || colon == 0 || colon > 6 ||
      !absl::SimpleAtoi(in.substr(0, colon), &length) || in.size() - colon - 1 < length) {
    return false;
  }
  field = in.substr(colon + 1, length);
  in.remove_prefix(colon + 1 + length);
  return true;
}

absl::Status Forged(absl::string_view why) {
  return InvalidFieldError("page_token", absl::StrCat(why, "; start again without a page_token"));
}

}  // namespace

std::string EncodePageToken(absl::string_view query, const std::vector<std::string>& last_key) {
  std::string body;
  AppendField(body, kVersion);
  AppendField(body, Hex(Fnv1a(query)));
  for (const std::string& part : last_key) AppendField(body, part);
  absl::StrAppend(&body, Hex(Fnv1a(body)));
  return absl::WebSafeBase64Escape(body);
}

absl::StatusOr<std::vector<std::string>> DecodePageToken(absl::string_view token,
                                                         absl::string_view query) {
  std::string body;
  if (!absl::WebSafeBase64Unescape(token, &body) || body.size() < kChecksumHexLength) {
    return Forged("is not a token this server issued");
  }
  absl::string_view payload(body.data(), body.size() - kChecksumHexLength);
  const absl::string_view checksum(body.data() + payload.size(), kChecksumHexLength);
  if (checksum != Hex(Fnv1a(payload))) return Forged("is corrupted");

  absl::string_view version, fingerprint;
  if (!ReadField(payload, version) || version != kVersion || !ReadField(payload, fingerprint)) {
    return Forged("is not a token this server issued");
  }
  if (fingerprint != Hex(Fnv1a(query))) {
    return Forged("was issued for a different filter or ordering");
  }
  std::vector<std::string> key;
  while (!payload.empty()) {
    absl::string_view part;
    if (!ReadField(payload, part)) return Forged("is corrupted");
    key.emplace_back(part);
  }
  return key;
}

absl::StatusOr<int> ResolvePageSize(int requested, int default_size, int max_size) {
  if (requested < 0) return InvalidFieldError("page_size", "must not be negative");
  if (requested == 0) return default_size;
  return std::min(requested, max_size);
}

}  // namespace caunoi::api
