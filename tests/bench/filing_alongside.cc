#include "tests/bench/filing_alongside.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grpcpp/client_context.h"
#include "tests/bench/bench_suite.h"

namespace caunoi::bench {
namespace {

// Enough writers for the rate when a filing waits on reads for a few
// tenths of a second.
constexpr int kWriters = 16;

}  // namespace

FilingAlongside::FilingAlongside(v1::ReportService::Stub& reports, std::vector<int64_t> obligations,
                                 absl::CivilMonth first_month, int months, int per_second)
    : reports_(reports),
      obligations_(std::move(obligations)),
      first_month_(first_month),
      months_(months),
      per_second_(per_second) {
  for (int i = 0; i < kWriters; ++i) writers_.emplace_back([this] { Run(); });
}

void FilingAlongside::Stop() {
  stop_ = true;
  for (std::thread& writer : writers_) {
    if (writer.joinable()) writer.join();
  }
}

void FilingAlongside::Run() {
  const int64_t reports = static_cast<int64_t>(obligations_.size()) * months_;
  // An open loop: a slow call delays the next ones but not the rate.
  for (int64_t n = next_++; n < reports && !stop_; n = next_++) {
    const absl::Time due = start_ + n * absl::Seconds(1) / per_second_;
    while (!stop_ && absl::Now() < due) {
      absl::SleepFor(std::min(due - absl::Now(), absl::Milliseconds(50)));
    }
    if (stop_) break;
    if (File(n)) {
      ++submitted_;
    } else {
      ++failed_;
    }
  }
}

bool FilingAlongside::File(int64_t n) {
  const int64_t month = n / static_cast<int64_t>(obligations_.size());
  v1::CreateReportRequest create;
  create.set_parent(absl::StrCat("obligations/", obligations_[n % obligations_.size()]));
  create.set_request_id(absl::StrCat("bench-alongside-", n));
  create.mutable_report()->set_period(absl::FormatCivilTime(first_month_ + month));
  create.mutable_report()->set_summary("Kết quả thực hiện trong tháng");
  v1::Report created;
  {
    grpc::ClientContext context;
    if (!Explained(reports_.CreateReport(&context, create, &created), explained_)) return false;
  }
  v1::SubmitReportRequest submit;
  submit.set_name(created.name());
  submit.set_etag(created.etag());
  v1::Report submitted;
  grpc::ClientContext context;
  return Explained(reports_.SubmitReport(&context, submit, &submitted), explained_);
}

}  // namespace caunoi::bench
