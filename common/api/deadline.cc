#include "common/api/deadline.h"

#include <algorithm>

#include "absl/time/clock.h"

namespace caunoi::api {

absl::Time RequestDeadline(const grpc::ServerContextBase& context, absl::Duration cap) {
  const absl::Time capped = absl::Now() + cap;
  const auto deadline = context.deadline();
  if (deadline == std::chrono::system_clock::time_point::max()) return capped;
  return std::min(capped, absl::FromChrono(deadline));
}

}  // namespace caunoi::api
