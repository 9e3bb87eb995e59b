#include "services/gateway/merged_changes.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/changes/change_stream.h"
#include "common/logging/log.h"
#include "common/status/errors.h"

namespace caunoi::gateway {
namespace {

constexpr absl::Duration kRetry = absl::Seconds(1);
constexpr absl::Duration kCallTime = absl::Seconds(10);
constexpr char kLetters[] = {'d', 'o', 'r'};

absl::Status FromGrpc(const grpc::Status& status) {
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
}

changes::EventPtr EventOf(v1::Change change) {
  auto event = std::make_shared<changes::ChangeEvent>();
  (void)absl::SimpleAtoi(change.cursor(), &event->position);
  change.clear_cursor();
  event->wire = grpc::Slice(change.SerializeAsString());
  event->change = std::move(change);
  return event;
}

// "" → from now on (nullopt); "0" → every change held; "d12.o40.r7".
absl::StatusOr<std::optional<std::vector<int64_t>>> ParseMergedCursor(absl::string_view cursor,
                                                                      size_t services) {
  if (cursor.empty()) return std::nullopt;
  if (cursor == "0") return std::vector<int64_t>(services, 0);
  std::vector<absl::string_view> parts = absl::StrSplit(cursor, '.');
  std::vector<int64_t> positions(services, 0);
  if (parts.size() != services) {
    return InvalidFieldError("cursor", "is not a cursor this stream sent");
  }
  for (size_t i = 0; i < services; ++i) {
    if (parts[i].empty() || parts[i][0] != kLetters[i] ||
        !absl::SimpleAtoi(parts[i].substr(1), &positions[i]) || positions[i] < 0) {
      return InvalidFieldError("cursor", "is not a cursor this stream sent");
    }
  }
  return positions;
}

// A Change holding only its cursor: serialized, it goes before the shared
// bytes of the rest, and the two parse as one message.
grpc::Slice CursorField(const std::string& cursor) {
  v1::Change only_cursor;
  only_cursor.set_cursor(cursor);
  return grpc::Slice(only_cursor.SerializeAsString());
}

}  // namespace

UpstreamChanges::UpstreamChanges(std::string service, ChangeCalls calls, size_t capacity)
    : service_(std::move(service)), calls_(std::move(calls)), hub_(*this, capacity) {
  thread_ = std::thread([this] { Follow(); });
}

UpstreamChanges::~UpstreamChanges() {
  {
    absl::MutexLock lock(&mutex_);
    stopping_ = true;
    if (stream_ != nullptr) stream_->TryCancel();
  }
  thread_.join();
}

absl::StatusOr<std::vector<changes::EventPtr>> UpstreamChanges::ReadAfter(int64_t position,
                                                                          int limit,
                                                                          absl::Time deadline) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(std::min(deadline, absl::Now() + kCallTime)));
  v1::ListChangesRequest request;
  request.set_cursor(absl::StrCat(position));
  request.set_page_size(limit);
  v1::ListChangesResponse response;
  const grpc::Status status = calls_.list(&context, request, &response);
  if (!status.ok()) return FromGrpc(status);
  std::vector<changes::EventPtr> events;
  for (v1::Change& change : *response.mutable_changes())
    events.push_back(EventOf(std::move(change)));
  return events;
}

void UpstreamChanges::Follow() {
  while (true) {
    const absl::Status status = FollowOnce();
    absl::MutexLock lock(&mutex_);
    if (stopping_) return;
    log::Warning("gateway.changes_interrupted",
                 {{"backend", service_}, {"detail", status.ToString()}});
    mutex_.AwaitWithTimeout(absl::Condition(&stopping_), kRetry);
    if (stopping_) return;
  }
}

absl::Status UpstreamChanges::FollowOnce() {
  if (!hub_.started()) {
    // Where the service stands now: watchers with older cursors ask it.
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + kCallTime));
    v1::ListChangesRequest request;
    request.set_cursor("0");
    request.set_page_size(1);
    v1::ListChangesResponse response;
    const grpc::Status status = calls_.list(&context, request, &response);
    if (!status.ok()) return FromGrpc(status);
    int64_t head = 0;
    (void)absl::SimpleAtoi(response.head_cursor(), &head);
    hub_.Start(head);
  }
  grpc::ClientContext context;
  {
    absl::MutexLock lock(&mutex_);
    if (stopping_) return absl::OkStatus();
    stream_ = &context;
  }
  v1::WatchChangesRequest request;
  request.set_cursor(absl::StrCat(hub_.latest()));
  std::unique_ptr<grpc::ClientReader<v1::Change>> reader = calls_.watch(&context, request);
  v1::Change change;
  while (reader->Read(&change)) hub_.Publish({EventOf(std::move(change))});
  const grpc::Status status = reader->Finish();
  absl::MutexLock lock(&mutex_);
  stream_ = nullptr;
  if (status.error_code() == grpc::StatusCode::OUT_OF_RANGE) {
    // Away longer than the service keeps changes: start again from now.
    hub_.Start(0);
  }
  return FromGrpc(status);
}

MergedChanges::MergedChanges(std::vector<UpstreamChanges*> upstreams)
    : upstreams_(std::move(upstreams)), backfills_(2) {}

grpc::ServerWriteReactor<grpc::ByteBuffer>* MergedChanges::Watch(
    const v1::WatchChangesRequest& request, std::shared_ptr<const void> admission) {
  absl::StatusOr<std::optional<std::vector<int64_t>>> cursor =
      ParseMergedCursor(request.cursor(), upstreams_.size());
  if (!cursor.ok()) {
    return new changes::RefusedStream<grpc::ByteBuffer>(ToGrpcStatus(cursor.status()));
  }
  std::vector<changes::StreamSource> sources;
  for (size_t i = 0; i < upstreams_.size(); ++i) {
    changes::ChangeHub& hub = upstreams_[i]->hub();
    sources.push_back({&hub, cursor->has_value() ? (**cursor)[i] : hub.latest()});
  }
  return changes::ChangeStream<grpc::ByteBuffer>::Open(
      std::move(sources),
      [locality = request.locality(), collections = request.collections(),
       admission = std::move(admission)](size_t, const changes::ChangeEvent& event,
                                         const std::string& cursor, grpc::ByteBuffer& out) {
        if (!changes::Matches(event.change, locality, collections)) return false;
        grpc::Slice slices[] = {CursorField(cursor), event.wire};
        out = grpc::ByteBuffer(slices, 2);
        return true;
      },
      [](std::span<const int64_t> positions) {
        std::string cursor;
        for (size_t i = 0; i < positions.size(); ++i) {
          absl::StrAppend(&cursor, i == 0 ? "" : ".", std::string(1, kLetters[i]), positions[i]);
        }
        return cursor;
      },
      backfills_);
}

}  // namespace caunoi::gateway
