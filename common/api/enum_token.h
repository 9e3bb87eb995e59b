#ifndef CAUNOI_COMMON_API_ENUM_TOKEN_H_
#define CAUNOI_COMMON_API_ENUM_TOKEN_H_

#include <optional>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "google/protobuf/generated_enum_reflection.h"

// Proto enum values as short tokens: ORGANIZATION_KIND_FRIENDSHIP_UNION is
// stored and filtered as "FRIENDSHIP_UNION". The prefix is whatever precedes
// "UNSPECIFIED" in the enum's zero value, as AIP-126 names it.
namespace caunoi::api {

template <typename E>
absl::string_view EnumPrefix() {
  const std::string& zero = google::protobuf::GetEnumDescriptor<E>()->value(0)->name();
  absl::string_view prefix = zero;
  absl::ConsumeSuffix(&prefix, "UNSPECIFIED");
  return prefix;
}

template <typename E>
std::string EnumToken(E value) {
  const auto* found = google::protobuf::GetEnumDescriptor<E>()->FindValueByNumber(value);
  if (found == nullptr) return "";
  absl::string_view token = found->name();
  absl::ConsumePrefix(&token, EnumPrefix<E>());
  return std::string(token);
}

// Accepts the token or the full value name; never the zero value.
template <typename E>
std::optional<E> ParseEnumToken(absl::string_view token) {
  const auto* descriptor = google::protobuf::GetEnumDescriptor<E>();
  const auto* found = descriptor->FindValueByName(std::string(token));
  if (found == nullptr) {
    found = descriptor->FindValueByName(absl::StrCat(EnumPrefix<E>(), token));
  }
  if (found == nullptr || found->number() == 0) return std::nullopt;
  return static_cast<E>(found->number());
}

}  // namespace caunoi::api

#endif  // CAUNOI_COMMON_API_ENUM_TOKEN_H_
