#include "services/gateway/rate_limiter.h"

#include <algorithm>

namespace caunoi::gateway {

RateLimiter::Bucket& RateLimiter::Refill(const std::string& principal, absl::Time now) {
  auto [it, inserted] = buckets_.try_emplace(principal, Bucket{burst_, now});
  Bucket& bucket = it->second;
  const double elapsed = std::max(0.0, absl::ToDoubleSeconds(now - bucket.updated));
  bucket.tokens = std::min(burst_, bucket.tokens + elapsed * per_second_);
  bucket.updated = now;
  return bucket;
}

absl::Duration RateLimiter::Take(const std::string& principal, absl::Time now, double cost) {
  cost = std::min(cost, burst_);
  absl::MutexLock lock(&mutex_);
  Bucket& bucket = Refill(principal, now);
  if (bucket.tokens >= cost) {
    bucket.tokens -= cost;
    return absl::ZeroDuration();
  }
  return absl::Seconds((cost - bucket.tokens) / per_second_);
}

void RateLimiter::Charge(const std::string& principal, absl::Time now, double tokens) {
  absl::MutexLock lock(&mutex_);
  Bucket& bucket = Refill(principal, now);
  bucket.tokens = std::max(-burst_, bucket.tokens - tokens);
}

}  // namespace caunoi::gateway
