#ifndef CAUNOI_SERVICES_GATEWAY_TOKEN_TABLE_H_
#define CAUNOI_SERVICES_GATEWAY_TOKEN_TABLE_H_

#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "common/auth/principal.h"

// Bearer tokens, stored only as SHA-256 hashes. The file (a mounted
// Kubernetes Secret in production) has one principal per line:
//
//   # sha256(token)                                                   name   locality  role
//   9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 so-ngoai-vu-ha-noi 01 locality
//
// locality is a current two-digit code, or "central"; role is central,
// locality, reader or operator. Reload() picks up a rotated file without a
// restart.
namespace caunoi::gateway {

class TokenTable {
 public:
  // Reads `path`; INVALID_ARGUMENT naming the line on a malformed entry.
  absl::Status Load(const std::string& path);
  // Reloads when the file changed since the last load; keeps the old table
  // when the new file is malformed.
  absl::Status ReloadIfChanged();

  // The principal of `token`, or nullopt.
  std::optional<auth::Principal> Find(absl::string_view token) const;

  size_t size() const;

 private:
  std::string path_;
  mutable absl::Mutex mutex_;
  absl::flat_hash_map<std::string, auth::Principal> by_hash_ ABSL_GUARDED_BY(mutex_);
  std::string contents_ ABSL_GUARDED_BY(mutex_);
};

// Lower-case hex SHA-256 of `text`, as the token file stores tokens.
std::string Sha256Hex(absl::string_view text);

// The table parsed from a token file's text.
absl::StatusOr<absl::flat_hash_map<std::string, auth::Principal>> ParseTokenFile(
    absl::string_view contents);

}  // namespace caunoi::gateway

#endif  // CAUNOI_SERVICES_GATEWAY_TOKEN_TABLE_H_
