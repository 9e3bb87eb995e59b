#include "common/metrics/metrics.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <map>
#include <mutex>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "google/protobuf/descriptor.h"
#include "prometheus/client_metric.h"
#include "prometheus/collectable.h"
#include "prometheus/exposer.h"
#include "prometheus/metric_family.h"

namespace caunoi::metrics {
namespace {

using Clock = std::chrono::steady_clock;

// Latencies from a millisecond to a minute, as go-grpc-prometheus buckets
// them and then some: the suite's aggregates take seconds.
const std::vector<double>& LatencyBuckets() {
  static const auto* buckets = new std::vector<double>{
      0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
  return *buckets;
}

// "/caunoi.v1.ReportService/CreateReport" -> service and method labels.
prometheus::Labels MethodLabels(absl::string_view full_method, absl::string_view type) {
  absl::string_view path = full_method;
  if (!path.empty() && path[0] == '/') path.remove_prefix(1);
  const size_t slash = path.find('/');
  return {
      {"grpc_type", std::string(type)},
      {"grpc_service", std::string(path.substr(0, slash))},
      {"grpc_method", slash == absl::string_view::npos ? "" : std::string(path.substr(slash + 1))}};
}

// A forwarding server serves every method generically (as a bidi stream);
// the method's own kind is in the descriptors linked in, when it is known.
const char* TypeName(absl::string_view full_method, const char* otherwise) {
  std::string dotted(full_method.substr(full_method.empty() ? 0 : 1));
  std::replace(dotted.begin(), dotted.end(), '/', '.');
  if (const google::protobuf::MethodDescriptor* method =
          google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(dotted)) {
    if (method->client_streaming()) {
      return method->server_streaming() ? "bidi_stream" : "client_stream";
    }
    return method->server_streaming() ? "server_stream" : "unary";
  }
  return otherwise;
}

const char* ServerTypeName(grpc::experimental::ServerRpcInfo::Type type) {
  using Type = grpc::experimental::ServerRpcInfo::Type;
  switch (type) {
    case Type::UNARY:
      return "unary";
    case Type::CLIENT_STREAMING:
      return "client_stream";
    case Type::SERVER_STREAMING:
      return "server_stream";
    default:
      return "bidi_stream";
  }
}

}  // namespace

namespace internal {

// One method's series, made on its first call: the labels, the descriptor
// lookup and the families' own maps are not paid again per call.
struct MethodSeries {
  prometheus::Labels labels;
  prometheus::Counter* started;
  prometheus::Histogram* seconds;
  std::array<prometheus::Counter*, 17> handled{};  // by code, made on first use
};

// One side's families: started, handled by code, handling time.
class CallFamilies {
 public:
  explicit CallFamilies(absl::string_view side)
      : started_(prometheus::BuildCounter()
                     .Name(absl::StrCat("grpc_", side, "_started_total"))
                     .Help(absl::StrCat("RPCs started on the ", side))
                     .Register(Registry())),
        handled_(prometheus::BuildCounter()
                     .Name(absl::StrCat("grpc_", side, "_handled_total"))
                     .Help(absl::StrCat("RPCs completed on the ", side, ", by code"))
                     .Register(Registry())),
        seconds_(prometheus::BuildHistogram()
                     .Name(absl::StrCat("grpc_", side, "_handling_seconds"))
                     .Help(absl::StrCat("Time from start to status on the ", side))
                     .Register(Registry())) {}

  // `type` names the kind of call when the descriptors do not know it.
  MethodSeries& For(absl::string_view full_method, const char* type) {
    absl::MutexLock lock(&mutex_);
    std::unique_ptr<MethodSeries>& series = methods_[full_method];
    if (series == nullptr) {
      series = std::make_unique<MethodSeries>();
      series->labels = MethodLabels(full_method, TypeName(full_method, type));
      series->started = &started_.Add(series->labels);
      series->seconds = &seconds_.Add(series->labels, LatencyBuckets());
    }
    return *series;
  }

  prometheus::Counter& Handled(MethodSeries& series, grpc::StatusCode code) {
    const size_t index = std::min<size_t>(static_cast<size_t>(code), series.handled.size() - 1);
    absl::MutexLock lock(&mutex_);
    if (series.handled[index] == nullptr) {
      prometheus::Labels with_code = series.labels;
      with_code["grpc_code"] = absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
      series.handled[index] = &handled_.Add(with_code);
    }
    return *series.handled[index];
  }

 private:
  prometheus::Family<prometheus::Counter>& started_;
  prometheus::Family<prometheus::Counter>& handled_;
  prometheus::Family<prometheus::Histogram>& seconds_;
  absl::Mutex mutex_;
  absl::flat_hash_map<std::string, std::unique_ptr<MethodSeries>> methods_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace internal

namespace {

using internal::CallFamilies;

CallFamilies& ServerFamilies() {
  static auto* families = new CallFamilies("server");
  return *families;
}

CallFamilies& ClientFamilies() {
  static auto* families = new CallFamilies("client");
  return *families;
}

// Counts one call, finished at the hook point where its status is known:
// being sent (server) or received (client).
class CallInterceptor final : public grpc::experimental::Interceptor {
 public:
  CallInterceptor(CountedCall::Side side, const char* method, const char* type,
                  grpc::experimental::InterceptionHookPoints status_point)
      : call_(side, method, type), status_point_(status_point) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(status_point_)) {
      call_.Finish(status_point_ == grpc::experimental::InterceptionHookPoints::PRE_SEND_STATUS
                       ? methods->GetSendStatus().error_code()
                       : methods->GetRecvStatus()->error_code());
    }
    methods->Proceed();
  }

 private:
  CountedCall call_;
  const grpc::experimental::InterceptionHookPoints status_point_;
};

class ServerFactory final : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    return new CallInterceptor(CountedCall::Side::kServed, info->method(),
                               ServerTypeName(info->type()),
                               grpc::experimental::InterceptionHookPoints::PRE_SEND_STATUS);
  }
};

class ClientFactory final : public grpc::experimental::ClientInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateClientInterceptor(
      grpc::experimental::ClientRpcInfo* info) override {
    return new CallInterceptor(CountedCall::Side::kMade, info->method(), "unary",
                               grpc::experimental::InterceptionHookPoints::POST_RECV_STATUS);
  }
};

}  // namespace

CountedCall::CountedCall(Side side, absl::string_view full_method, const char* type)
    : families_(side == Side::kServed ? ServerFamilies() : ClientFamilies()),
      series_(families_.For(full_method, type)),
      start_(Clock::now()) {
  series_.started->Increment();
}

CountedCall::~CountedCall() { Finish(grpc::StatusCode::CANCELLED); }

void CountedCall::Finish(grpc::StatusCode code) {
  if (finished_) return;
  finished_ = true;
  families_.Handled(series_, code).Increment();
  series_.seconds->Observe(std::chrono::duration<double>(Clock::now() - start_).count());
}

prometheus::Registry& Registry() {
  static auto* registry =
      new std::shared_ptr<prometheus::Registry>(std::make_shared<prometheus::Registry>());
  return **registry;
}

namespace {

// Every ScrapedGauge alive, collected beside the registry.
class ScrapedGauges final : public prometheus::Collectable {
 public:
  struct Entry {
    std::string name;
    std::string help;
    std::function<GaugeSeries()> read;
  };

  void Add(const ScrapedGauge* key, Entry entry) {
    absl::MutexLock lock(&mutex_);
    entries_.emplace_back(key, std::move(entry));
  }
  void Remove(const ScrapedGauge* key) {
    absl::MutexLock lock(&mutex_);
    std::erase_if(entries_, [key](const auto& held) { return held.first == key; });
  }

  std::vector<prometheus::MetricFamily> Collect() const override {
    absl::MutexLock lock(&mutex_);
    std::vector<prometheus::MetricFamily> families;
    for (const auto& [key, entry] : entries_) {
      prometheus::MetricFamily family{.name = entry.name,
                                      .help = entry.help,
                                      .type = prometheus::MetricType::Gauge,
                                      .metric = {}};
      for (const auto& [labels, value] : entry.read()) {
        prometheus::ClientMetric metric;
        for (const auto& [label, text] : labels) metric.label.push_back({label, text});
        metric.gauge.value = value;
        family.metric.push_back(std::move(metric));
      }
      families.push_back(std::move(family));
    }
    return families;
  }

 private:
  mutable absl::Mutex mutex_;
  // By handle, in the order they were made.
  std::vector<std::pair<const ScrapedGauge*, Entry>> entries_ ABSL_GUARDED_BY(mutex_);
};

std::shared_ptr<ScrapedGauges>& Scraped() {
  static auto* scraped = new std::shared_ptr<ScrapedGauges>(std::make_shared<ScrapedGauges>());
  return *scraped;
}

}  // namespace

ScrapedGauge::ScrapedGauge(std::string name, std::string help, std::function<GaugeSeries()> read) {
  Scraped()->Add(this, {std::move(name), std::move(help), std::move(read)});
}

ScrapedGauge::~ScrapedGauge() { Scraped()->Remove(this); }

absl::StatusOr<int> Serve(const std::string& address) {
  static std::mutex mutex;
  static prometheus::Exposer* exposer = nullptr;  // lives as long as the process
  std::lock_guard<std::mutex> lock(mutex);
  if (exposer != nullptr) return absl::FailedPreconditionError("metrics are already served");
  try {
    exposer = new prometheus::Exposer(address, 1);
  } catch (const std::exception& error) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot serve metrics on ", address, ": ", error.what()));
  }
  static auto* registry = new std::shared_ptr<prometheus::Registry>(
      std::shared_ptr<prometheus::Registry>(&Registry(), [](prometheus::Registry*) {}));
  exposer->RegisterCollectable(*registry);
  exposer->RegisterCollectable(Scraped());
  const std::vector<int> ports = exposer->GetListeningPorts();
  return ports.empty() ? 0 : ports.front();
}

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> ServerCalls() {
  return std::make_unique<ServerFactory>();
}

std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface> ClientCalls() {
  return std::make_unique<ClientFactory>();
}

namespace {

// One family of each name for the process, made on first use.
template <typename Metric, typename Builder>
prometheus::Family<Metric>& FamilyNamed(const std::string& name, const std::string& help,
                                        Builder (*build)()) {
  static absl::Mutex mutex;
  static auto* families = new std::map<std::string, prometheus::Family<Metric>*>;
  absl::MutexLock lock(&mutex);
  prometheus::Family<Metric>*& family = (*families)[name];
  if (family == nullptr) family = &build().Name(name).Help(help).Register(Registry());
  return *family;
}

}  // namespace

prometheus::Counter& Counter(const std::string& name, const std::string& help,
                             const prometheus::Labels& labels) {
  return FamilyNamed<prometheus::Counter>(name, help, prometheus::BuildCounter).Add(labels);
}

prometheus::Gauge& Gauge(const std::string& name, const std::string& help,
                         const prometheus::Labels& labels) {
  return FamilyNamed<prometheus::Gauge>(name, help, prometheus::BuildGauge).Add(labels);
}

prometheus::Histogram& Histogram(const std::string& name, const std::string& help,
                                 const std::vector<double>& buckets) {
  return FamilyNamed<prometheus::Histogram>(name, help, prometheus::BuildHistogram)
      .Add({}, buckets);
}

}  // namespace caunoi::metrics
