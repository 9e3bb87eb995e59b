#ifndef CAUNOI_TESTS_BENCH_FILING_ALONGSIDE_H_
#define CAUNOI_TESTS_BENCH_FILING_ALONGSIDE_H_

#include <atomic>
#include <cstdint>
#include <thread>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "caunoi/v1/reports.grpc.pb.h"

namespace caunoi::bench {

// Units filing and submitting their monthly reports at a steady rate while
// reads are measured, so that the reads find tallies changed since the
// last: each submission changes one. Obligation after obligation, month
// after month from `first_month` for `months`; it stops when
// destroyed or when every report is filed. Several writers keep the rate
// while the reads slow each filing down.
class FilingAlongside {
 public:
  FilingAlongside(v1::ReportService::Stub& reports, std::vector<int64_t> obligations,
                  absl::CivilMonth first_month, int months, int per_second);
  FilingAlongside(const FilingAlongside&) = delete;
  FilingAlongside& operator=(const FilingAlongside&) = delete;
  ~FilingAlongside() { Stop(); }

  // Stops filing once the call under way is answered.
  void Stop();

  // Reports submitted, and calls failed (the first failure is printed).
  int64_t submitted() const { return submitted_; }
  int64_t failed() const { return failed_; }

 private:
  // One writer: the next report due, until none is left or it stops.
  void Run();
  // Creates report `n` and submits it; false on a failed call.
  bool File(int64_t n);

  v1::ReportService::Stub& reports_;
  const std::vector<int64_t> obligations_;
  const absl::CivilMonth first_month_;
  const int months_;
  const int per_second_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> explained_{false};
  std::atomic<int64_t> submitted_{0};
  std::atomic<int64_t> failed_{0};
  std::atomic<int64_t> next_{0};
  absl::Time start_ = absl::Now();
  std::vector<std::thread> writers_;
};

}  // namespace caunoi::bench

#endif  // CAUNOI_TESTS_BENCH_FILING_ALONGSIDE_H_
