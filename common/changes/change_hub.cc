#include "common/changes/change_hub.h"

#include <algorithm>
#include <utility>

#include "absl/strings/match.h"

namespace caunoi::changes {

const google::protobuf::Message* ChangeEvent::Typed() const {
  absl::call_once(decoded_, [this] {
    if (decoder_ != nullptr) typed_ = (*decoder_)(change, state_);
    std::string().swap(state_);
  });
  return typed_.get();
}

void ChangeEvent::DecodeOnDemand(std::shared_ptr<const Decoder> decoder, std::string state) {
  decoder_ = std::move(decoder);
  state_ = std::move(state);
}

ChangeHub::ChangeHub(ChangeSource& source, size_t capacity)
    : source_(source), capacity_(std::max<size_t>(capacity, 1)) {}

void ChangeHub::Start(int64_t position) {
  std::vector<std::shared_ptr<ChangeWaiter>> woken;
  {
    absl::MutexLock lock(&mutex_);
    started_ = true;
    floor_ = latest_ = position;
    recent_.clear();
    woken.swap(waiters_);
  }
  for (const std::shared_ptr<ChangeWaiter>& waiter : woken) waiter->Wake();
}

void ChangeHub::Publish(std::vector<EventPtr> events) {
  std::vector<std::shared_ptr<ChangeWaiter>> woken;
  {
    absl::MutexLock lock(&mutex_);
    for (EventPtr& event : events) {
      if (event->position <= latest_) continue;  // published already
      latest_ = event->position;
      recent_.push_back(std::move(event));
    }
    while (recent_.size() > capacity_) {
      floor_ = recent_.front()->position;
      recent_.pop_front();
    }
    woken.swap(waiters_);
  }
  // Outside the lock: a woken watcher reads from the hub at once.
  for (const std::shared_ptr<ChangeWaiter>& waiter : woken) waiter->Wake();
}

ChangeHub::Read ChangeHub::ReadAfter(int64_t position, size_t limit, std::vector<EventPtr>& out,
                                     std::shared_ptr<ChangeWaiter> waiter) {
  absl::MutexLock lock(&mutex_);
  if (!started_) {
    waiters_.push_back(std::move(waiter));
    return Read::kWait;
  }
  if (position < floor_) return Read::kBackfill;
  auto first = std::upper_bound(
      recent_.begin(), recent_.end(), position,
      [](int64_t value, const EventPtr& event) { return value < event->position; });
  if (first == recent_.end()) {
    waiters_.push_back(std::move(waiter));
    return Read::kWait;
  }
  for (auto it = first; it != recent_.end() && limit > 0; ++it, --limit) out.push_back(*it);
  return Read::kEvents;
}

int64_t ChangeHub::floor() const {
  absl::MutexLock lock(&mutex_);
  return floor_;
}

int64_t ChangeHub::latest() const {
  absl::MutexLock lock(&mutex_);
  return latest_;
}

bool ChangeHub::started() const {
  absl::MutexLock lock(&mutex_);
  return started_;
}

size_t ChangeHub::waiting() const {
  absl::MutexLock lock(&mutex_);
  return waiters_.size();
}

bool Matches(const v1::Change& change, const std::string& locality,
             const google::protobuf::RepeatedPtrField<std::string>& collections) {
  if (!locality.empty() && change.locality() != locality) return false;
  if (collections.empty()) return true;
  const absl::string_view resource = change.resource();
  for (const std::string& collection : collections) {
    if (absl::StartsWith(resource, collection) &&
        (resource.size() == collection.size() || resource[collection.size()] == '/')) {
      return true;
    }
  }
  return false;
}

}  // namespace caunoi::changes
