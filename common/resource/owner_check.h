#ifndef CAUNOI_COMMON_RESOURCE_OWNER_CHECK_H_
#define CAUNOI_COMMON_RESOURCE_OWNER_CHECK_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/api/deadline.h"
#include "common/auth/principal.h"
#include "common/resource/resource_store.h"
#include "grpcpp/server_context.h"

namespace caunoi::resource {

// Who may write a record is decided by the record that owns it: `name`
// ("directives/3/tasks/7", or "directives/3" itself) belongs to the record
// of `owner`'s collection with the same leading id ("directives/3"), which
// `check_owner` judges (usually auth::CheckWrite on its locality). Reads
// nothing for a call that names no principal; a malformed or unknown name
// is left to the handler to report as it would without a principal.
template <typename M>
absl::Status CheckOwnerWrite(const grpc::ServerContextBase& context, ResourceStore& store,
                             const ResourceTable<M>& owner, absl::string_view name,
                             absl::FunctionRef<absl::Status(const M&)> check_owner) {
  absl::StatusOr<std::optional<auth::Principal>> caller = auth::CallerOf(context);
  if (!caller.ok()) return caller.status();
  if (!caller->has_value()) return absl::OkStatus();
  const absl::string_view collection = owner.pattern.substr(0, owner.pattern.find('/'));
  const std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  int64_t id = 0;
  if (parts.size() < 2 || parts[0] != collection || !absl::SimpleAtoi(parts[1], &id)) {
    return absl::OkStatus();
  }
  absl::StatusOr<M> record = store.Get(owner, absl::StrCat(collection, "/", id), absl::StrCat(id),
                                       api::RequestDeadline(context));
  if (absl::IsNotFound(record.status())) return absl::OkStatus();
  if (!record.ok()) return record.status();
  return check_owner(*record);
}

}  // namespace caunoi::resource

#endif  // CAUNOI_COMMON_RESOURCE_OWNER_CHECK_H_
