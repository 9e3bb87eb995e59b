#include "tests/bench/load_loop.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <thread>
#include <vector>

#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "tests/bench/cpu_time.h"

namespace caunoi::bench {
namespace {

// Latencies and errors gathered over one or more runs of one call.
struct Samples {
  std::vector<absl::Duration> latencies;
  int64_t errors = 0;
  absl::Duration elapsed;
  CpuShare cpu;

  // Runs `call` from `concurrency` closed-loop threads for `duration`.
  void Run(int concurrency, absl::Duration duration, const std::function<bool(int)>& call,
           absl::Duration pace = absl::ZeroDuration()) {
    std::vector<std::vector<absl::Duration>> per_thread(concurrency);
    std::atomic<int64_t> failed = 0;
    const CpuClock cpu_start = ReadCpuClock();
    const absl::Time start = absl::Now();
    const absl::Time stop = start + duration;
    std::vector<std::thread> threads;
    for (int t = 0; t < concurrency; ++t) {
      threads.emplace_back([&, t] {
        per_thread[t].reserve(1 << 16);
        absl::Time next = start;
        while (true) {
          if (pace > absl::ZeroDuration()) {
            next += pace;
            absl::SleepFor(next - absl::Now());
          }
          const absl::Time begin = absl::Now();
          if (begin >= stop) break;
          if (!call(t)) failed.fetch_add(1);
          per_thread[t].push_back(absl::Now() - begin);
        }
      });
    }
    for (std::thread& thread : threads) thread.join();
    elapsed += absl::Now() - start;
    cpu.Add(cpu_start, ReadCpuClock());
    errors += failed.load();
    for (const auto& latencies_of_thread : per_thread) {
      latencies.insert(latencies.end(), latencies_of_thread.begin(), latencies_of_thread.end());
    }
  }

  // Also says it on stderr at once: a full run takes many minutes, and
  // the table of ratios comes only at its end.
  LoadResult Summary(const std::string& name) {
    std::sort(latencies.begin(), latencies.end());
    LoadResult result;
    result.name = name;
    result.calls = static_cast<int64_t>(latencies.size());
    result.errors = errors;
    result.per_second = static_cast<double>(latencies.size()) / absl::ToDoubleSeconds(elapsed);
    if (!latencies.empty()) {
      result.p50 = latencies[latencies.size() / 2];
      result.p99 = latencies[std::min(latencies.size() - 1, latencies.size() * 99 / 100)];
    }
    result.bench_cpu_share = cpu.Share();
    result.busy_cpu_per_call = cpu.BusyPerCall(result.calls);
    std::fprintf(stderr, "measured %s: %.0f/s, p50 %.3f ms, p99 %.3f ms, %lld errors%s\n",
                 name.c_str(), result.per_second, absl::ToDoubleMilliseconds(result.p50),
                 absl::ToDoubleMilliseconds(result.p99), static_cast<long long>(result.errors),
                 BenchShareNote(result).c_str());
    return result;
  }
};

}  // namespace

std::string BenchShareNote(const LoadResult& result) {
  std::string note;
  if (result.bench_cpu_share.has_value()) {
    note = absl::StrFormat(", bench %.0f %% of busy CPU", 100 * *result.bench_cpu_share);
  }
  if (result.busy_cpu_per_call.has_value()) {
    absl::StrAppendFormat(&note, ", %.0f µs CPU a call",
                          absl::ToDoubleMicroseconds(*result.busy_cpu_per_call));
  }
  return note;
}

LoadResult ServedByTheBench(LoadResult result) {
  result.bench_cpu_share.reset();
  return result;
}

LoadResult RunLoad(const std::string& name, int concurrency, absl::Duration duration,
                   const std::function<bool(int)>& call) {
  // First the same calls unmeasured, at the same concurrency: each of a
  // server's connections plans a statement afresh the first five times it
  // runs it (PostgreSQL's custom plans, before its generic one), and a
  // burst brings up the server's threads. A figure measures the service
  // running, not the first use of each connection.
  Samples warm_up;
  warm_up.Run(concurrency, std::min(duration / 4, absl::Seconds(1)), call);
  Samples samples;
  samples.Run(concurrency, duration, call);
  return samples.Summary(name);
}

std::vector<LoadResult> RunInTurns(const std::vector<NamedCall>& calls, int concurrency,
                                   absl::Duration duration, int slices, absl::Duration pace) {
  std::vector<Samples> samples(calls.size());
  const absl::Duration slice = duration / slices;
  for (int i = 0; i < slices; ++i) {
    for (size_t c = 0; c < calls.size(); ++c) {
      samples[c].Run(concurrency, slice, calls[c].call, pace);
    }
  }
  std::vector<LoadResult> results;
  for (size_t c = 0; c < calls.size(); ++c) results.push_back(samples[c].Summary(calls[c].name));
  return results;
}

std::pair<LoadResult, LoadResult> RunAlternating(const std::string& name_a,
                                                 const std::function<bool(int)>& call_a,
                                                 const std::string& name_b,
                                                 const std::function<bool(int)>& call_b,
                                                 int concurrency, absl::Duration duration,
                                                 int slices, absl::Duration pace) {
  std::vector<LoadResult> results =
      RunInTurns({{name_a, call_a}, {name_b, call_b}}, concurrency, duration, slices, pace);
  return {std::move(results[0]), std::move(results[1])};
}

}  // namespace caunoi::bench
