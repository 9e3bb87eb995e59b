#ifndef CAUNOI_COMMON_API_FINGERPRINT_H_
#define CAUNOI_COMMON_API_FINGERPRINT_H_

#include <cstdint>

#include "absl/strings/string_view.h"

namespace caunoi::api {

// 64-bit FNV-1a: stable across processes and releases (unlike absl::Hash),
// for checksums and request fingerprints that are stored or sent. Not a
// defence against a deliberate collision.
inline uint64_t Fnv1a(absl::string_view data) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (const char c : data) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

}  // namespace caunoi::api

#endif  // CAUNOI_COMMON_API_FINGERPRINT_H_
