#ifndef CAUNOI_COMMON_CHANGES_CHANGE_STREAM_H_
#define CAUNOI_COMMON_CHANGES_CHANGE_STREAM_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "common/changes/backfill_pool.h"
#include "common/changes/change_hub.h"
#include "common/metrics/metrics.h"
#include "common/status/grpc_status.h"
#include "grpcpp/impl/codegen/proto_utils.h"
#include "grpcpp/support/server_callback.h"

namespace caunoi::changes {

// A stream refused before it began.
template <typename Out>
class RefusedStream final : public grpc::ServerWriteReactor<Out> {
 public:
  explicit RefusedStream(const grpc::Status& status) { this->Finish(status); }
  void OnDone() override { delete this; }
};

// Where one watched hub stands: every change up to `position` was written
// or skipped.
struct StreamSource {
  ChangeHub* hub;
  int64_t position;
};

// A server stream of changes read from one hub or several (the gateway
// merges three), held by no thread: it writes one message at a time, and
// when it has caught up it waits to be woken by the hub's next publish.
// Changes older than a hub holds are read on the backfill pool. `render`
// turns a change of source i into the message to write, given the cursor
// that resumes after it, or returns false to skip it (another locality,
// an alert the caller may not see).
template <typename Out>
class ChangeStream final : public grpc::ServerWriteReactor<Out> {
 public:
  using Render = std::function<bool(size_t source, const ChangeEvent& event,
                                    const std::string& cursor, Out& out)>;
  using CursorOf = std::function<std::string(std::span<const int64_t> positions)>;

  static grpc::ServerWriteReactor<Out>* Open(std::vector<StreamSource> sources, Render render,
                                             CursorOf cursor_of, BackfillPool& backfills) {
    auto* stream =
        new ChangeStream(std::move(sources), std::move(render), std::move(cursor_of), backfills);
    // The watcher learns at once that it is listening, before any change.
    stream->StartSendInitialMetadata();
    stream->Pump();
    return stream;
  }

  void OnWriteDone(bool ok) override {
    absl::MutexLock lock(&inbox_->mutex);
    writing_ = false;
    if (!ok) {
      FinishLocked(grpc::Status::CANCELLED);
      return;
    }
    PumpLocked();
  }
  void OnCancel() override {
    absl::MutexLock lock(&inbox_->mutex);
    FinishLocked(grpc::Status::CANCELLED);
  }
  void OnDone() override {
    {
      absl::MutexLock lock(&inbox_->mutex);
      inbox_->stream = nullptr;
    }
    Watchers().Decrement();
    delete this;
  }

 private:
  // What the hubs and backfill tasks hold: it outlives the stream, and
  // forgets it once the call is done.
  struct Inbox {
    absl::Mutex mutex;
    ChangeStream* stream ABSL_GUARDED_BY(mutex);
  };
  class SourceWaiter final : public ChangeWaiter {
   public:
    SourceWaiter(std::shared_ptr<Inbox> inbox, size_t source)
        : inbox_(std::move(inbox)), source_(source) {}
    void Wake() override {
      absl::MutexLock lock(&inbox_->mutex);
      if (inbox_->stream == nullptr) return;
      inbox_->stream->sources_[source_].waiting = false;
      inbox_->stream->PumpLocked();
    }

   private:
    const std::shared_ptr<Inbox> inbox_;
    const size_t source_;
  };
  struct Source {
    ChangeHub* hub;
    int64_t position;
    std::shared_ptr<ChangeWaiter> waiter;
    bool waiting = false;
  };
  static constexpr size_t kBatch = 64;
  static constexpr int kBackfillPage = 500;

  static prometheus::Gauge& Watchers() {
    return metrics::Gauge("caunoi_change_watchers", "change and alert streams open");
  }

  ChangeStream(std::vector<StreamSource> sources, Render render, CursorOf cursor_of,
               BackfillPool& backfills)
      : render_(std::move(render)),
        cursor_of_(std::move(cursor_of)),
        backfills_(backfills),
        inbox_(std::make_shared<Inbox>()) {
    inbox_->stream = this;
    for (size_t i = 0; i < sources.size(); ++i) {
      sources_.push_back(
          Source{sources[i].hub, sources[i].position, std::make_shared<SourceWaiter>(inbox_, i)});
      positions_.push_back(sources[i].position);
    }
    Watchers().Increment();
  }

  void Pump() {
    absl::MutexLock lock(&inbox_->mutex);
    PumpLocked();
  }

  // Writes the next change the caller may see, or waits for one. Holding
  // the inbox's lock: reactions run on other threads, never inline.
  void PumpLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(inbox_->mutex) {
    if (writing_ || backfilling_ || finished_) return;
    while (true) {
      if (buffer_.empty() && !Fill()) return;
      auto [source, event] = std::move(buffer_.front());
      buffer_.pop_front();
      positions_[source] = sources_[source].position = event->position;
      message_.Clear();
      if (!render_(source, *event, cursor_of_(positions_), message_)) continue;
      writing_ = true;
      this->StartWrite(&message_);
      return;
    }
  }

  // Reads what the hubs hold next; false when there is nothing to write
  // yet (waiting on the hubs, or a backfill under way).
  bool Fill() ABSL_EXCLUSIVE_LOCKS_REQUIRED(inbox_->mutex) {
    for (size_t i = 0; i < sources_.size(); ++i) {
      Source& source = sources_[i];
      if (source.waiting) continue;
      std::vector<EventPtr> events;
      switch (source.hub->ReadAfter(source.position, kBatch, events, source.waiter)) {
        case ChangeHub::Read::kEvents:
          for (EventPtr& event : events) buffer_.emplace_back(i, std::move(event));
          break;
        case ChangeHub::Read::kWait:
          source.waiting = true;
          break;
        case ChangeHub::Read::kBackfill:
          if (buffer_.empty()) {
            Backfill(i);
            return false;
          }
          break;
      }
    }
    return !buffer_.empty();
  }

  void Backfill(size_t index) ABSL_EXCLUSIVE_LOCKS_REQUIRED(inbox_->mutex) {
    backfilling_ = true;
    ChangeHub* hub = sources_[index].hub;
    const int64_t after = sources_[index].position;
    backfills_.Run([inbox = inbox_, hub, after, index] {
      const int64_t floor = hub->floor();
      absl::StatusOr<std::vector<EventPtr>> events =
          hub->source().ReadAfter(after, kBackfillPage, absl::Now() + absl::Seconds(30));
      absl::MutexLock lock(&inbox->mutex);
      ChangeStream* stream = inbox->stream;
      if (stream == nullptr) return;
      stream->backfilling_ = false;
      if (!events.ok()) {
        stream->FinishLocked(ToGrpcStatus(events.status()));
        return;
      }
      if (events->empty()) {
        // Nothing held between `after` and what the hub holds.
        stream->sources_[index].position = std::max(after, floor);
        stream->positions_[index] = stream->sources_[index].position;
      }
      for (EventPtr& event : *events) stream->buffer_.emplace_back(index, std::move(event));
      stream->PumpLocked();
    });
  }

  void FinishLocked(const grpc::Status& status) ABSL_EXCLUSIVE_LOCKS_REQUIRED(inbox_->mutex) {
    if (finished_) return;
    finished_ = true;
    this->Finish(status);
  }

  const Render render_;
  const CursorOf cursor_of_;
  BackfillPool& backfills_;
  const std::shared_ptr<Inbox> inbox_;
  std::vector<Source> sources_;
  std::vector<int64_t> positions_;
  std::deque<std::pair<size_t, EventPtr>> buffer_;
  bool writing_ = false;
  bool backfilling_ = false;
  bool finished_ = false;
  Out message_;
};

}  // namespace caunoi::changes

#endif  // CAUNOI_COMMON_CHANGES_CHANGE_STREAM_H_
