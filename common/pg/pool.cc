#include "common/pg/pool.h"

#include <algorithm>

#include "absl/time/clock.h"
#include "common/calls/caller_watch.h"
#include "common/metrics/metrics.h"
#include "common/status/errors.h"

namespace caunoi::pg {
namespace {

constexpr absl::Duration kCallerCheckInterval = absl::Milliseconds(100);
// Between attempts to open a connection ahead while PostgreSQL refuses:
// doubling from the first, so an outage logs a few failures, not one a
// second.
constexpr absl::Duration kFirstOpenRetry = absl::Milliseconds(250);
constexpr absl::Duration kLongestOpenRetry = absl::Seconds(30);

}  // namespace

Pool::Lease::Lease(Lease&& other) noexcept
    : pool_(other.pool_), connection_(std::move(other.connection_)) {}

Pool::Lease::~Lease() {
  if (connection_ != nullptr) pool_->Release(std::move(connection_));
}

Pool::Pool(PoolOptions options) : options_(std::move(options)) {
  if (options_.open_ahead) opener_ = std::thread([this] { OpenAhead(); });
}

Pool::~Pool() {
  {
    absl::MutexLock lock(&mutex_);
    stopping_ = true;
  }
  if (opener_.joinable()) opener_.join();
}

void Pool::OpenAhead() {
  absl::Duration retry = kFirstOpenRetry;
  while (true) {
    {
      absl::MutexLock lock(&mutex_);
      auto wanted = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) {
        return stopping_ || open_ < options_.size;
      };
      mutex_.Await(absl::Condition(&wanted));
      if (stopping_) return;
      ++open_;  // counted while it connects, as a caller's would be
    }
    absl::StatusOr<std::unique_ptr<Connection>> opened =
        Connection::Open(options_.dsn, options_.application_name);
    absl::MutexLock lock(&mutex_);
    if (opened.ok()) {
      idle_.push_back(*std::move(opened));
      retry = kFirstOpenRetry;
      continue;
    }
    --open_;
    const absl::Time resume = absl::Now() + retry;
    retry = std::min(2 * retry, kLongestOpenRetry);
    auto stopping = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) { return stopping_; };
    if (mutex_.AwaitWithDeadline(absl::Condition(&stopping), resume)) return;
  }
}

absl::StatusOr<Pool::Lease> Pool::Acquire(absl::Time deadline) {
  std::unique_ptr<Connection> reused;
  {
    absl::MutexLock lock(&mutex_);
    auto available = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) {
      return !idle_.empty() || open_ < options_.size;
    };
    if (!waiting_.empty() || !available()) {
      metrics::Counter("caunoi_db_pool_waits_total",
                       "times a call waited for a free database connection")
          .Increment();
      // In turn: a connection freed goes to the oldest waiter, never to a
      // caller arriving after it, so no caller waits out many turns.
      const auto place = waiting_.insert(waiting_.end(), 0);
      auto my_turn = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) {
        return waiting_.begin() == place && available();
      };
      // In slices, so a caller that went away stops waiting for a connection.
      while (!mutex_.AwaitWithDeadline(absl::Condition(&my_turn),
                                       std::min(deadline, absl::Now() + kCallerCheckInterval))) {
        if (calls::CallerGone()) {
          waiting_.erase(place);
          return absl::CancelledError("the caller went away");
        }
        if (absl::Now() >= deadline) {
          waiting_.erase(place);
          return ErrorWithReason(absl::StatusCode::kDeadlineExceeded,
                                 "no database connection became free before the deadline",
                                 "DATABASE_POOL_EXHAUSTED");
        }
      }
      waiting_.erase(place);
    }
    while (!idle_.empty() && reused == nullptr) {
      reused = std::move(idle_.back());
      idle_.pop_back();
      if (reused->IsBroken()) {
        reused.reset();
        --open_;
      }
    }
    if (reused == nullptr) ++open_;
    metrics::Gauge("caunoi_db_pool_in_use", "database connections lent out")
        .Set(static_cast<double>(open_ - static_cast<int>(idle_.size())));
  }
  if (reused != nullptr) return Lease(this, std::move(reused));

  absl::StatusOr<std::unique_ptr<Connection>> opened =
      Connection::Open(options_.dsn, options_.application_name);
  if (!opened.ok()) {
    absl::MutexLock lock(&mutex_);
    --open_;
    return opened.status();
  }
  return Lease(this, *std::move(opened));
}

void Pool::Release(std::unique_ptr<Connection> connection) {
  if (connection->ReadyForReuse()) {
    absl::MutexLock lock(&mutex_);
    idle_.push_back(std::move(connection));
    metrics::Gauge("caunoi_db_pool_in_use", "database connections lent out")
        .Set(static_cast<double>(open_ - static_cast<int>(idle_.size())));
    return;
  }
  const bool broken = connection->IsBroken();
  std::vector<std::unique_ptr<Connection>> dropped;
  absl::MutexLock lock(&mutex_);
  if (!broken) {  // left inside a transaction: close just this one
    --open_;
    dropped.push_back(std::move(connection));
    return;
  }
  --open_;
  open_ -= static_cast<int>(idle_.size());
  dropped.swap(idle_);
  dropped.push_back(std::move(connection));
  // `dropped` closes after the lock is released (declared before it).
}

}  // namespace caunoi::pg
