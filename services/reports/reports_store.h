#ifndef CAUNOI_SERVICES_REPORTS_REPORTS_STORE_H_
#define CAUNOI_SERVICES_REPORTS_REPORTS_STORE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "caunoi/v1/reports.pb.h"
#include "common/batch/batcher.h"
#include "common/pg/pool.h"
#include "common/resource/resource_store.h"
#include "services/reports/report_filing.h"

namespace caunoi::reports {

// A batch of an export: reports whose period begins from `from` to `to`,
// of obligations of current locality `locality_id` (empty: any), by id
// after `after_id`.
struct ExportQuery {
  absl::CivilDay from;
  absl::CivilDay to;
  std::string locality_id;
  std::string after_id;
  int limit;
};

// A step of the review workflow.
struct Transition {
  std::vector<v1::ReportState> from;  // states it may start from
  v1::ReportState to;
  // Whether a reviewer's comment is required (return, reopen).
  bool needs_comment = false;
};

// The reports service's SQL beyond the standard methods (whose statements
// live with each resource in resources/).
class ReportsStore {
 public:
  explicit ReportsStore(pg::Pool& pool)
      : pool_(pool),
        resources_(pool, "reports"),
        filings_(
            kFilingBatch, kFilingQueue, kFilingWorkers,
            [this](std::span<Filing* const> filings, absl::FunctionRef<void()> let_next_begin) {
              FileBatch(filings, let_next_begin);
            }) {}

  resource::ResourceStore& resources() { return resources_; }

  // Queues the report for filing (see FileReports), sharing a transaction
  // and its commit with the filings that arrive meanwhile, and returns at
  // once: the filing's `done` gets the result on a filing worker's thread,
  // so no handler thread sleeps per filing. ALREADY_EXISTS names the report
  // the obligation already has for the period. RESOURCE_EXHAUSTED, with
  // nothing queued, when kFilingQueue filings wait already.
  absl::Status FileReport(Filing filing);

  absl::StatusOr<std::vector<v1::Report>> ExportBatch(const ExportQuery& query,
                                                      absl::Time deadline);

  // Obligations recorded before they kept their unit's locality, in id
  // order after `after_id`, at most `limit`.
  absl::StatusOr<std::vector<v1::Obligation>> ObligationsWithoutUnitLocality(int64_t after_id,
                                                                             int limit,
                                                                             absl::Time deadline);

  // Assignees of proposals that do not keep their assignee's locality
  // (assigned before proposals kept it), by id after `after_id`, at most
  // `limit`.
  absl::StatusOr<std::vector<int64_t>> AssigneesWithoutLocality(int64_t after_id, int limit,
                                                                absl::Time deadline);
  // Those proposals of `assignee_id` keep `locality_id` ("01"); one
  // reassigned meanwhile was given its new assignee's by that write.
  absl::Status KeepAssigneeLocality(int64_t assignee_id, absl::string_view locality_id,
                                    absl::Time deadline);

  // Moves the report along the workflow, audited with the comment as the
  // reason. FAILED_PRECONDITION when its state does not allow the step.
  absl::StatusOr<v1::Report> Move(absl::string_view name, absl::string_view id,
                                  absl::string_view etag, const Transition& transition,
                                  absl::string_view comment, absl::CivilDay today,
                                  const resource::WriteRequest& write);

 private:
  // Concurrent filings share a transaction and its commit, so their round
  // trips and durable commits are paid once per batch. A batch lets the
  // next one start once only its commit is left: two overlap, the next
  // reading while this one flushes and answers, and each holds all that
  // queued meanwhile (two batches taken at will split the callers between
  // them, each paying its statements for fewer filings).
  static constexpr int kFilingBatch = 64;
  static constexpr int kFilingWorkers = 2;
  // As many as the batches of a few seconds' filing at full speed.
  static constexpr int kFilingQueue = 4096;
  // Authorizes, files and answers a batch taken by a filing worker.
  void FileBatch(std::span<Filing* const> filings, absl::FunctionRef<void()> let_next_begin);
  // Files a batch, and each filing alone when the batch as a whole failed
  // (one filing's deadline or constraint must not fail the others).
  void FileTogether(std::span<Filing* const> filings, absl::FunctionRef<void()> let_next_begin);
  // ALREADY_EXISTS naming the report the obligation already has for this
  // period; OK when it has none.
  absl::Status CheckPeriodFree(absl::string_view obligation_id, const v1::Report& report,
                               absl::Time deadline);

  pg::Pool& pool_;
  resource::ResourceStore resources_;
  batch::Batcher<Filing> filings_;
};

}  // namespace caunoi::reports

#endif  // CAUNOI_SERVICES_REPORTS_REPORTS_STORE_H_
