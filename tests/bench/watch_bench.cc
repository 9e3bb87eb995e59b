#include "tests/bench/watch_bench.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <memory>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "caunoi/v1/gateway.grpc.pb.h"
#include "caunoi/v1/organizations.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/support/client_callback.h"
#include "tests/bench/bench_suite.h"

namespace caunoi::bench {
namespace {

constexpr char kWatcher[] = "bench-watcher";
constexpr int kConnections = 100;
constexpr absl::Duration kSettle = absl::Seconds(120);
// One change at a time: each is timed to all the watchers before the next.
constexpr absl::Duration kBetweenWrites = absl::Seconds(1);

int64_t ResidentBytes(pid_t pid) {
  std::ifstream status(absl::StrCat("/proc/", pid, "/status"));
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) {
      int64_t kilobytes = 0;
      std::string digits;
      for (char c : line) {
        if (c >= '0' && c <= '9') digits += c;
      }
      (void)absl::SimpleAtoi(digits, &kilobytes);
      return kilobytes * 1024;
    }
  }
  return 0;
}

// When each write was answered, in order: the watchers see the writes'
// changes in that order.
struct Writes {
  absl::Mutex mutex;
  std::vector<absl::Time> answered ABSL_GUARDED_BY(mutex);
};

// One watcher: reads the stream as bytes until cancelled, timing each
// change against its write. The bench does not decode what it reads: on
// two shared cores its own work would weigh on what it measures (the
// tests check what the stream says).
class Watcher final : public grpc::ClientBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
 public:
  Watcher(grpc::GenericStub& stub, const grpc::ByteBuffer& request, Writes& writes,
          std::atomic<int>& open)
      : request_(request), writes_(writes), open_(open) {
    context_.AddMetadata("authorization", absl::StrCat("Bearer ", kWatcher));
    stub.PrepareBidiStreamingCall(&context_, "/caunoi.v1.GatewayService/WatchChanges",
                                  grpc::StubOptions(), this);
    StartWriteLast(&request_, grpc::WriteOptions());
    StartRead(&change_);
    StartCall();
  }
  void OnReadInitialMetadataDone(bool ok) override {
    if (ok) ++open_;
  }
  void OnReadDone(bool ok) override {
    if (!ok) return;
    const absl::Time now = absl::Now();
    {
      absl::MutexLock lock(&writes_.mutex);
      const size_t k = latencies_.size();
      // A change can come before its write's answer: count it as at once.
      latencies_.push_back(k < writes_.answered.size()
                               ? std::max(absl::ZeroDuration(), now - writes_.answered[k])
                               : absl::ZeroDuration());
    }
    StartRead(&change_);
  }
  void OnDone(const grpc::Status&) override {
    absl::MutexLock lock(&mutex_);
    done_ = true;
  }
  void Cancel() { context_.TryCancel(); }
  void AwaitDone() {
    absl::MutexLock lock(&mutex_);
    mutex_.Await(absl::Condition(&done_));
  }
  // Read once the stream is done.
  const std::vector<absl::Duration>& latencies() const { return latencies_; }

 private:
  grpc::ByteBuffer request_;
  Writes& writes_;
  std::atomic<int>& open_;
  grpc::ClientContext context_;
  grpc::ByteBuffer change_;
  std::vector<absl::Duration> latencies_;
  absl::Mutex mutex_;
  bool done_ ABSL_GUARDED_BY(mutex_) = false;
};

}  // namespace

WatchResult MeasureWatchers(const std::string& dsn, const std::string& organizations_address,
                            int subscribers, int changes) {
  WatchResult result;
  result.subscribers = subscribers;
  result.changes = changes;
  absl::StatusOr<BenchSuite> suite = StartBenchSuite(dsn, organizations_address);
  if (!suite.ok()) return result;
  // Many watchers of one principal: its call rate is not what is measured.
  auto gateway =
      suite->StartGateway({absl::StrCat(kWatcher, " doc-gia central reader")}, {},
                          {{"CAUNOI_RATE_PER_SECOND", "100000"}, {"CAUNOI_RATE_BURST", "100000"}});
  if (!gateway.ok()) {
    std::fprintf(stderr, "gateway did not start: %s\n", gateway.status().ToString().c_str());
    return result;
  }
  absl::SleepFor(absl::Seconds(1));
  result.idle_rss_bytes = ResidentBytes((*gateway)->pid());

  std::vector<std::unique_ptr<grpc::GenericStub>> stubs;
  for (int i = 0; i < kConnections; ++i) {
    grpc::ChannelArguments arguments;
    arguments.SetInt("caunoi.bench.connection", i);  // a connection each
    stubs.push_back(std::make_unique<grpc::GenericStub>(grpc::CreateCustomChannel(
        (*gateway)->address(), grpc::InsecureChannelCredentials(), arguments)));
  }
  v1::WatchChangesRequest watch;
  watch.add_collections("organizations");
  const grpc::Slice request_bytes(watch.SerializeAsString());
  const grpc::ByteBuffer request(&request_bytes, 1);
  Writes writes;
  std::atomic<int> open{0};
  std::vector<std::unique_ptr<Watcher>> watchers;
  for (int i = 0; i < subscribers; ++i) {
    watchers.push_back(std::make_unique<Watcher>(*stubs[i % kConnections], request, writes, open));
  }
  const absl::Time settle_by = absl::Now() + kSettle;
  while (open < subscribers && absl::Now() < settle_by) absl::SleepFor(absl::Milliseconds(100));
  result.open = open;
  std::printf("watchers: %d of %d streams open\n", result.open, subscribers);
  std::fflush(stdout);
  absl::SleepFor(absl::Seconds(1));
  result.watched_rss_bytes = ResidentBytes((*gateway)->pid());

  auto organizations = v1::OrganizationService::NewStub(
      grpc::CreateChannel(organizations_address, grpc::InsecureChannelCredentials()));
  for (int i = 0; i < changes; ++i) {
    v1::CreateOrganizationRequest request;
    request.mutable_organization()->set_display_name(absl::StrCat("Hội hữu nghị đo thử ", i));
    request.mutable_organization()->set_kind(v1::ORGANIZATION_KIND_FRIENDSHIP_ASSOCIATION);
    request.mutable_organization()->set_level(v1::ORGANIZATION_LEVEL_PROVINCIAL);
    request.mutable_organization()->set_locality("localities/01");
    v1::Organization created;
    grpc::ClientContext context;
    const grpc::Status status = organizations->CreateOrganization(&context, request, &created);
    const absl::Time answered = absl::Now();
    if (!status.ok()) {
      std::fprintf(stderr, "a write failed: %s\n", status.error_message().c_str());
      return result;
    }
    {
      absl::MutexLock lock(&writes.mutex);
      writes.answered.push_back(answered);
    }
    absl::SleepFor(kBetweenWrites);
  }
  absl::SleepFor(absl::Seconds(3));  // the last change's way to every watcher
  for (auto& watcher : watchers) watcher->Cancel();
  std::vector<absl::Duration> all;
  for (auto& watcher : watchers) {
    watcher->AwaitDone();
    if (static_cast<int>(watcher->latencies().size()) >= changes) ++result.saw_all;
    all.insert(all.end(), watcher->latencies().begin(), watcher->latencies().end());
  }
  if (!all.empty()) {
    std::sort(all.begin(), all.end());
    result.p50 = all[all.size() / 2];
    result.p99 = all[std::min(all.size() - 1, all.size() * 99 / 100)];
    result.max = all.back();
  }
  result.complete = result.open == subscribers && result.saw_all == subscribers;
  return result;
}

bool PrintWatchers(const WatchResult& result) {
  const double watched_mib = static_cast<double>(result.watched_rss_bytes) / (1 << 20);
  std::printf(
      "WatchChanges through the gateway: %d watchers (%d open, %d saw all %d changes);"
      " gateway resident %.0f MiB idle, %.0f MiB watched; change to watcher p50 %.1f ms,"
      " p99 %.1f ms, max %.1f ms\n",
      result.subscribers, result.open, result.saw_all, result.changes,
      static_cast<double>(result.idle_rss_bytes) / (1 << 20), watched_mib,
      absl::ToDoubleMilliseconds(result.p50), absl::ToDoubleMilliseconds(result.p99),
      absl::ToDoubleMilliseconds(result.max));
  std::printf("target: under 1 GiB resident (%s), p99 under 1 s (%s)\n",
              watched_mib < 1024 ? "met" : "not met",
              result.p99 < absl::Seconds(1) ? "met" : "not met");
  if (!result.complete) std::fprintf(stderr, "watchers measurement incomplete\n");
  return result.complete;
}

}  // namespace caunoi::bench
