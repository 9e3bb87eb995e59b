#include "services/gateway/rate_limiter.h"

#include <algorithm>

namespace caunoi::gateway {

absl::Duration RateLimiter::Take(const std::string& principal, absl::Time now) {
  absl::MutexLock lock(&mutex_);
  auto [it, inserted] = buckets_.try_emplace(principal, Bucket{burst_, now});
  Bucket& bucket = it->second;
  const double elapsed = std::max(0.0, absl::ToDoubleSeconds(now - bucket.updated));
  bucket.tokens = std::min(burst_, bucket.tokens + elapsed * per_second_);
  bucket.updated = now;
  if (bucket.tokens >= 1.0) {
    bucket.tokens -= 1.0;
    return absl::ZeroDuration();
  }
  return absl::Seconds((1.0 - bucket.tokens) / per_second_);
}

}  // namespace caunoi::gateway
