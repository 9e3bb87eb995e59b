#ifndef CAUNOI_SERVICES_REPORTS_REPORT_FILING_H_
#define CAUNOI_SERVICES_REPORTS_REPORT_FILING_H_

#include <functional>
#include <span>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "caunoi/v1/reports.pb.h"
#include "common/auth/principal.h"
#include "common/resource/resource_store.h"

namespace caunoi::reports {

// One CreateReport, validated by its handler and waiting to be written.
struct Filing {
  std::string obligation_id;
  std::string obligation_name;  // the request's parent
  v1::Report report;            // valid, with state and submission set
  resource::WriteRequest write;
  // Who files it; AdmitReport decides against the obligation as read in
  // the filing's transaction, which saves a read of its own on the
  // hottest write path.
  std::optional<auth::Principal> caller;
  // A check that must read before the filing (only the reviewing side may
  // record a report as submitted on paper): run on the filing worker, not
  // on gRPC's thread; none for an ordinary filing.
  std::function<absl::Status()> authorize;
  // Told the result once filed (see ReportsStore::FileReport).
  std::function<void(absl::StatusOr<v1::Report>)> done;

  absl::StatusOr<v1::Report> result = absl::UnknownError("not filed yet");
};

// Files many reports in one transaction, whatever their number, so
// concurrent filings share round trips and one commit: three round trips
// when each filing has a request_id of its own and none is a retry (BEGIN,
// the obligations' read and the claims; the insert; the audit records,
// claims given back by refused filings and COMMIT), more otherwise. Each
// filing gets the result the single create would give it: the report, or
// its own refusal (an unknown obligation, a refusal by AdmitReport, a
// request_id reused for another request, ALREADY_EXISTS on report.period).
// A retry racing its original in the same batch gets the original's result.
// Returns an error only when the batch as a whole failed, and then nothing
// of it was written. `before_last_round_trip` is called when only the
// last round trip is left to send (again on a retry), so the next batch
// can start reading while this one commits.
absl::Status FileReports(resource::ResourceStore& store, std::span<Filing* const> filings,
                         absl::FunctionRef<void()> before_last_round_trip);

}  // namespace caunoi::reports

#endif  // CAUNOI_SERVICES_REPORTS_REPORT_FILING_H_
