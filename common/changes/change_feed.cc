#include "common/changes/change_feed.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "common/logging/log.h"
#include "common/metrics/metrics.h"
#include "common/pg/commit_wakeup.h"
#include "common/status/status_macros.h"

namespace caunoi::changes {
namespace {

constexpr int kReadPage = 1000;
constexpr absl::Duration kReconnectDelay = absl::Seconds(1);
constexpr absl::Duration kStatementTime = absl::Seconds(30);

}  // namespace

ChangeFeed::ChangeFeed(ChangeStore& store, FeedOptions options)
    : store_(store),
      options_(options),
      hub_(store, options.hub_capacity),
      wake_fd_(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {
  pg::SubscribeToCommits(store_.channel(), [fd = wake_fd_] {
    const uint64_t one = 1;
    (void)!write(fd, &one, sizeof one);
  });
  thread_ = std::thread([this] { Run(); });
}

ChangeFeed::~ChangeFeed() {
  pg::UnsubscribeFromCommits(store_.channel());
  stopping_ = true;
  const uint64_t one = 1;
  (void)!write(wake_fd_, &one, sizeof one);
  thread_.join();
  close(wake_fd_);
}

void ChangeFeed::Run() {
  while (!stopping_) {
    absl::StatusOr<std::unique_ptr<pg::Connection>> connection =
        pg::Connection::Open(store_.pool().options().dsn, "caunoi-change-feed");
    absl::Status status = connection.ok() ? Follow(**connection) : connection.status();
    if (stopping_) return;
    log::Warning("changes.feed_interrupted", {{"detail", status.ToString()}});
    absl::SleepFor(kReconnectDelay);
  }
}

absl::Status ChangeFeed::Follow(pg::Connection& connection) {
  CAUNOI_RETURN_IF_ERROR(
      connection
          .ExecuteScript(absl::StrCat("LISTEN ", connection.QuoteIdentifier(store_.channel())))
          .status());
  absl::Time numbered = absl::Now();
  CAUNOI_ASSIGN_OR_RETURN(int64_t last, store_.Number(connection));
  // Watchers with an older cursor read the log itself; the hub holds what
  // is numbered from now on.
  if (!hub_.started()) hub_.Start(last);
  while (!stopping_) {
    CAUNOI_RETURN_IF_ERROR(PublishUpTo(last));
    if (absl::Now() >= next_prune_) {
      absl::StatusOr<int64_t> pruned =
          store_.Prune(options_.retention, absl::Now() + kStatementTime);
      if (!pruned.ok()) return pruned.status();
      next_prune_ = absl::Now() + options_.prune_every;
    }
    CAUNOI_RETURN_IF_ERROR(connection.WaitForNotification(options_.quiet_check, wake_fd_).status());
    if (const absl::Duration since = absl::Now() - numbered; since < options_.number_every) {
      absl::SleepFor(options_.number_every - since);
      // What was notified meanwhile committed before the numbering starts,
      // so it is numbered now rather than waking the feed once more.
      CAUNOI_RETURN_IF_ERROR(
          connection.WaitForNotification(absl::ZeroDuration(), wake_fd_).status());
    }
    numbered = absl::Now();
    CAUNOI_ASSIGN_OR_RETURN(last, store_.Number(connection));
  }
  return absl::OkStatus();
}

absl::Status ChangeFeed::PublishUpTo(int64_t last) {
  while (hub_.latest() < last) {
    absl::StatusOr<std::vector<EventPtr>> read =
        store_.ReadAfter(hub_.latest(), kReadPage, absl::Now() + kStatementTime);
    if (read.status().code() == absl::StatusCode::kOutOfRange) {
      // Away longer than the retention: start over from the head; the
      // watchers behind find out when they read the log.
      hub_.Start(last);
      return absl::OkStatus();
    }
    CAUNOI_ASSIGN_OR_RETURN(std::vector<EventPtr> events, std::move(read));
    if (events.empty()) break;
    metrics::Counter("caunoi_changes_published_total", "changes published to watchers")
        .Increment(static_cast<double>(events.size()));
    hub_.Publish(std::move(events));
  }
  return absl::OkStatus();
}

}  // namespace caunoi::changes
