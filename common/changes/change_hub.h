#ifndef CAUNOI_COMMON_CHANGES_CHANGE_HUB_H_
#define CAUNOI_COMMON_CHANGES_CHANGE_HUB_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/call_once.h"
#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "caunoi/v1/common.pb.h"
#include "google/protobuf/message.h"
#include "grpcpp/support/slice.h"

namespace caunoi::changes {

// Decodes a change's state into the service's own message where a stream
// needs it typed; returns null for changes it does not concern. `state` is
// the state's JSON as stored (empty for a delete): parsed from it, not from
// the change's Struct, which would have to be printed back to JSON first.
using Decoder = std::function<std::shared_ptr<const google::protobuf::Message>(
    const v1::Change& change, absl::string_view state)>;

// One committed change, shared read-only by every watcher it reaches.
struct ChangeEvent {
  int64_t position = 0;
  v1::Change change;  // its cursor left empty: each stream writes its own
  // `change` serialized once where thousands of watchers are written the
  // same bytes (the gateway); each adds only its cursor.
  grpc::Slice wire;

  // The state as a service's own message where a stream needs it typed (a
  // Document for WatchDocuments, an Alert for WatchAlerts); null for a
  // change the decoder does not concern. Decoded by the first watcher that
  // asks, once for all, so changes nobody watches typed are never decoded.
  const google::protobuf::Message* Typed() const;
  // Set by the store that read the change: how to decode `state`, its JSON
  // as stored, which is kept until then.
  void DecodeOnDemand(std::shared_ptr<const Decoder> decoder, std::string state);

 private:
  std::shared_ptr<const Decoder> decoder_;
  mutable absl::once_flag decoded_;
  mutable std::string state_;
  mutable std::shared_ptr<const google::protobuf::Message> typed_;
};
using EventPtr = std::shared_ptr<const ChangeEvent>;

// Where changes older than a hub's memory are read from: the change log
// in a service, the service's ListChanges at the gateway.
class ChangeSource {
 public:
  virtual ~ChangeSource() = default;
  // Up to `limit` changes after `position`, in order; OUT_OF_RANGE when the
  // retention removed some of them.
  virtual absl::StatusOr<std::vector<EventPtr>> ReadAfter(int64_t position, int limit,
                                                          absl::Time deadline) = 0;
};

// Told once when a hub it waits on has something newer.
class ChangeWaiter {
 public:
  virtual ~ChangeWaiter() = default;
  virtual void Wake() = 0;
};

// The in-process fan-out: one reader of the change log publishes here,
// and every watcher of the process reads the same recent changes from
// memory at its own pace. A watcher holds no thread and no queue: when it
// has caught up it registers to be woken by the next publish.
class ChangeHub {
 public:
  // Keeps the last `capacity` changes; `source` serves older ones.
  ChangeHub(ChangeSource& source, size_t capacity);

  // Where the hub starts: it holds every change after `position` that is
  // published from now on.
  void Start(int64_t position);
  // Changes after the last published, in order.
  void Publish(std::vector<EventPtr> events);

  enum class Read { kEvents, kWait, kBackfill };
  // Appends to `out` up to `limit` changes after `position`: kEvents. When
  // there are none yet, registers `waiter` to be woken once (kWait). When
  // `position` predates what the hub holds, kBackfill: read `source()`.
  Read ReadAfter(int64_t position, size_t limit, std::vector<EventPtr>& out,
                 std::shared_ptr<ChangeWaiter> waiter);
  // The position before which the hub holds nothing: a backfill that
  // finds nothing after `position` may continue from here.
  int64_t floor() const;
  int64_t latest() const;
  bool started() const;
  ChangeSource& source() { return source_; }
  size_t waiting() const;

 private:
  ChangeSource& source_;
  const size_t capacity_;
  mutable absl::Mutex mutex_;
  bool started_ ABSL_GUARDED_BY(mutex_) = false;
  int64_t floor_ ABSL_GUARDED_BY(mutex_) = 0;
  int64_t latest_ ABSL_GUARDED_BY(mutex_) = 0;
  std::deque<EventPtr> recent_ ABSL_GUARDED_BY(mutex_);
  std::vector<std::shared_ptr<ChangeWaiter>> waiters_ ABSL_GUARDED_BY(mutex_);
};

// Whether `change` passes a watcher's locality and collections.
bool Matches(const v1::Change& change, const std::string& locality,
             const google::protobuf::RepeatedPtrField<std::string>& collections);

}  // namespace caunoi::changes

#endif  // CAUNOI_COMMON_CHANGES_CHANGE_HUB_H_
