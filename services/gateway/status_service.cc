#include "services/gateway/status_service.h"

#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/api/dates.h"
#include "common/api/deadline.h"
#include "common/api/enum_token.h"
#include "common/api/locality_name.h"
#include "common/api/page_token.h"
#include "common/api/resource_name.h"
#include "common/changes/change_stream.h"
#include "common/metrics/metrics.h"
#include "common/period/period_range.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "common/status/status_macros.h"
#include "services/gateway/fanout.h"

namespace caunoi::gateway {
namespace {

std::string CacheKey(const v1::GetDirectiveRolloutRequest& request) {
  return absl::StrCat(request.document(), "|", request.from_period(), "|", request.to_period(), "|",
                      request.locality(), "|", request.totals_only());
}

// `rollout` serialized as a slice every caller can share.
grpc::Slice Serialized(const v1::DirectiveRollout& rollout) {
  return grpc::Slice(rollout.SerializeAsString());
}

// A cached answer with its age appended as field 8 (cache_age_ms): a field
// repeated later in the bytes wins, so the shared bytes need no copy.
grpc::ByteBuffer WithAge(const grpc::Slice& bytes, absl::Duration age) {
  std::string suffix(1, static_cast<char>(8 << 3));  // field 8, varint
  for (uint64_t value = static_cast<uint64_t>(absl::ToInt64Milliseconds(age));; value >>= 7) {
    if (value < 0x80) {
      suffix.push_back(static_cast<char>(value));
      break;
    }
    suffix.push_back(static_cast<char>((value & 0x7f) | 0x80));
  }
  grpc::Slice slices[] = {bytes, grpc::Slice(suffix)};
  return grpc::ByteBuffer(slices, 2);
}
constexpr size_t kMaxCachedRollouts = 1000;

}  // namespace

StatusService::StatusService(Backend& directives, Backend& organizations, Backend& reports,
                             Gatekeeper& gatekeeper, MergedChanges& changes, StatusOptions options)
    : directives_(v1::DirectiveService::NewStub(directives.channel())),
      organizations_(v1::OrganizationService::NewStub(organizations.channel())),
      localities_(organizations.channel()),
      reports_(v1::ReportService::NewStub(reports.channel())),
      gatekeeper_(gatekeeper),
      changes_(changes),
      options_(options),
      turns_(options.aggregates_at_once),
      work_(options.aggregates_at_once) {}

grpc::ServerWriteReactor<grpc::ByteBuffer>* StatusService::WatchChanges(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request) {
  using Refused = changes::RefusedStream<grpc::ByteBuffer>;
  absl::StatusOr<Admission> admission = gatekeeper_.Admit(*context, "WatchChanges", true);
  if (!admission.ok()) return new Refused(ToGrpcStatus(admission.status()));
  std::vector<grpc::Slice> slices;
  v1::WatchChangesRequest watch;
  std::string bytes;
  if (request->Dump(&slices).ok()) {
    for (const grpc::Slice& slice : slices) {
      bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
    }
  }
  if (!watch.ParseFromString(bytes)) {
    return new Refused(ToGrpcStatus(ErrorWithReason(
        absl::StatusCode::kInvalidArgument,
        "the request could not be parsed as a WatchChangesRequest", "MALFORMED_REQUEST")));
  }
  // Held while the stream lasts, as the gateway's forwarded streams hold it.
  return changes_.Watch(watch, std::make_shared<Admission>(*std::move(admission)));
}

absl::Time StatusService::SectionDeadline(absl::Time deadline) const {
  // A little is kept back to assemble the answer before the caller's
  // deadline passes.
  return std::min(absl::Now() + options_.section_timeout, deadline - absl::Milliseconds(20));
}

absl::Status StatusService::CachedRollout(const v1::GetDirectiveRolloutRequest& request,
                                          absl::Time deadline, v1::DirectiveRollout& rollout) {
  CAUNOI_RETURN_IF_ERROR(
      api::ParseResourceName(request.document(), "directives/{}", "document").status());
  CAUNOI_RETURN_IF_ERROR(
      periods::ParsePeriodRange(request.from_period(), request.to_period()).status());
  const std::string key = CacheKey(request);
  if (options_.rollout_cache_ttl <= absl::ZeroDuration())
    return Rollout(request, deadline, rollout);
  auto served = [&rollout](const CachedAnswer& answer, absl::Time now) {
    rollout = answer.rollout;
    rollout.set_cache_age_ms(absl::ToInt64Milliseconds(now - answer.computed));
    return absl::OkStatus();
  };
  // A computation's answer, copied for this caller, or its error.
  auto copied = [&rollout](const absl::StatusOr<v1::DirectiveRollout>& result) {
    if (result.ok()) rollout = *result;
    return result.status();
  };
  std::shared_ptr<Flight> flight;
  bool leader = false;
  {
    absl::MutexLock lock(&cache_mutex_);
    const absl::Time now = absl::Now();
    auto cached = cache_.find(key);
    if (cached != cache_.end() && now - cached->second.computed < options_.rollout_cache_ttl) {
      return served(cached->second, now);
    }
    auto under_way = flights_.find(key);
    if (under_way != flights_.end()) {
      if (cached != cache_.end()) return served(cached->second, now);
      flight = under_way->second;
    } else {
      flight = std::make_shared<Flight>();
      flights_[key] = flight;
      leader = true;
    }
  }
  if (!leader) {
    if (!flight->done.WaitForNotificationWithDeadline(deadline)) {
      return absl::DeadlineExceededError("the rollout is still being computed");
    }
    return copied(flight->result);
  }
  metrics::Counter("caunoi_gateway_rollouts_served_total", "rollouts answered, by source",
                   {{"source", "computed"}})
      .Increment();
  v1::DirectiveRollout computed;
  if (absl::Status status = Rollout(request, deadline, computed); status.ok()) {
    flight->result = std::move(computed);
  } else {
    flight->result = std::move(status);
  }
  {
    absl::MutexLock lock(&cache_mutex_);
    const bool complete =
        flight->result.ok() &&
        std::all_of(flight->result->sections().begin(), flight->result->sections().end(),
                    [](const v1::SectionStatus& section) { return section.available(); });
    // Only complete answers are kept, so a backend's recovery shows at once.
    if (complete) {
      if (cache_.size() >= kMaxCachedRollouts) cache_.clear();
      cache_[key] = CachedAnswer{absl::Now(), *flight->result, Serialized(*flight->result)};
    }
    flights_.erase(key);
  }
  flight->done.Notify();
  return copied(flight->result);
}

std::optional<grpc::ByteBuffer> StatusService::ServedBytes(const std::string& key) {
  if (options_.rollout_cache_ttl <= absl::ZeroDuration()) return std::nullopt;
  absl::MutexLock lock(&cache_mutex_);
  auto cached = cache_.find(key);
  if (cached == cache_.end()) return std::nullopt;
  const absl::Duration age = absl::Now() - cached->second.computed;
  if (age >= options_.rollout_cache_ttl && !flights_.contains(key)) return std::nullopt;
  metrics::Counter("caunoi_gateway_rollouts_served_total", "rollouts answered, by source",
                   {{"source", "cache"}})
      .Increment();
  metrics::Gauge("caunoi_gateway_rollout_cache_age_seconds",
                 "age of the last rollout served from the cache")
      .Set(absl::ToDoubleSeconds(age));
  return WithAge(cached->second.bytes, age);
}

grpc::ServerUnaryReactor* StatusService::GetDirectiveRollout(grpc::CallbackServerContext* context,
                                                             const grpc::ByteBuffer* request,
                                                             grpc::ByteBuffer* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  auto request_message = std::make_shared<v1::GetDirectiveRolloutRequest>();
  std::vector<grpc::Slice> slices;
  if (!request->Dump(&slices).ok()) {
    reactor->Finish(grpc::Status(grpc::StatusCode::INTERNAL, "the request could not be read"));
    return reactor;
  }
  std::string bytes;
  for (const grpc::Slice& slice : slices) {
    bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  if (!request_message->ParseFromString(bytes)) {
    reactor->Finish(ToGrpcStatus(ErrorWithReason(
        absl::StatusCode::kInvalidArgument,
        "the request could not be parsed as a GetDirectiveRolloutRequest", "MALFORMED_REQUEST")));
    return reactor;
  }
  absl::StatusOr<Admission> admitted = gatekeeper_.Admit(*context, "GetDirectiveRollout");
  if (!admitted.ok()) {
    reactor->Finish(ToGrpcStatus(admitted.status()));
    return reactor;
  }
  // Held until the answer is computed.
  auto admission = std::make_shared<Admission>(*std::move(admitted));
  if (std::optional<grpc::ByteBuffer> cached = ServedBytes(CacheKey(*request_message))) {
    *response = *std::move(cached);
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }
  // Computing waits on the backends: not on one of gRPC's threads.
  const absl::Time deadline = api::RequestDeadline(*context);
  work_.Schedule([this, reactor, response, request_message, deadline, admission] {
    absl::StatusOr<Turns::Turn> turn = turns_.Take(deadline);
    if (!turn.ok()) {
      reactor->Finish(ToGrpcStatus(turn.status()));
      return;
    }
    // The answer and the backends' answers it is made of share one arena,
    // freed at once: a national rollout is thousands of small messages.
    google::protobuf::ArenaOptions arena_options;
    arena_options.start_block_size = 16 << 10;
    arena_options.max_block_size = 1 << 20;
    google::protobuf::Arena arena(arena_options);
    auto* rollout = google::protobuf::Arena::CreateMessage<v1::DirectiveRollout>(&arena);
    if (absl::Status computed = CachedRollout(*request_message, deadline, *rollout);
        !computed.ok()) {
      reactor->Finish(ToGrpcStatus(computed));
      return;
    }
    grpc::Slice serialized = Serialized(*rollout);
    *response = grpc::ByteBuffer(&serialized, 1);
    reactor->Finish(grpc::Status::OK);
  });
  return reactor;
}

}  // namespace caunoi::gateway
