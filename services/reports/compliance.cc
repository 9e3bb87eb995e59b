#include "services/reports/compliance.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "common/api/commune_name.h"
#include "common/api/dates.h"
#include "common/api/locality_name.h"

namespace caunoi::reports {
namespace {

struct Cell {
  absl::CivilDay first;
  absl::CivilDay due;
  int64_t expected = 0;
  int64_t on_time = 0;
  int64_t late = 0;
};

// (locality, period label, timely days)
using CellKey = std::tuple<std::string, std::string, int>;

void Add(v1::ComplianceCounts& into, const v1::ComplianceCounts& counts) {
  into.set_expected(into.expected() + counts.expected());
  into.set_on_time(into.on_time() + counts.on_time());
  into.set_late(into.late() + counts.late());
  into.set_missing_within_deadline(into.missing_within_deadline() +
                                   counts.missing_within_deadline());
  into.set_missing_overdue(into.missing_overdue() + counts.missing_overdue());
}

void SetRates(v1::ComplianceCounts& counts) {
  if (counts.expected() == 0) return;
  const double expected = static_cast<double>(counts.expected());
  counts.set_reporting_rate(static_cast<double>(counts.on_time() + counts.late()) / expected);
  counts.set_on_time_rate(static_cast<double>(counts.on_time()) / expected);
}

}  // namespace

v1::SummarizeComplianceResponse SummarizeCompliance(const std::vector<ObligationGroup>& groups,
                                                    const std::vector<ReportTally>& tallies,
                                                    const ComplianceWindow& window) {
  const absl::CivilDay to = std::min(window.to, window.today);
  std::map<CellKey, Cell> cells;
  for (const ObligationGroup& group : groups) {
    periods::Period period = group.first;
    if (window.from && period.first < *window.from) {
      period = periods::PeriodContaining(period.kind, *window.from, period.cutoff_day);
      if (period.first < *window.from) period = periods::NextPeriod(period);
    }
    for (; period.first <= to && (!group.last || period.first <= group.last->first);
         period = periods::NextPeriod(period)) {
      Cell& cell = cells[{group.locality_id, period.Label(), group.timely_days}];
      cell.first = period.first;
      cell.due = periods::DueDate(period, group.timely_days);
      cell.expected += group.obligations;
    }
  }
  for (const ReportTally& tally : tallies) {
    const absl::StatusOr<periods::Period> period = periods::ParsePeriod(tally.period);
    if (!period.ok()) continue;
    Cell& cell = cells[{tally.locality_id, period->Label(), tally.timely_days}];
    cell.first = period->first;
    cell.due = periods::DueDate(*period, tally.timely_days);
    cell.on_time += tally.on_time;
    cell.late += tally.late;
  }

  // Cells of one locality and period differ only in timely days; they are
  // summed into one row, whose due date is the earliest.
  std::map<std::tuple<std::string, absl::CivilDay, std::string>, v1::PeriodCompliance> rows;
  for (const auto& [key, cell] : cells) {
    const auto& [locality, label, timely_days] = key;
    v1::ComplianceCounts counts;
    // A report filed for a period its obligation covered when filed stays
    // expected even if the obligation's window later shrank: never > 100%.
    counts.set_expected(std::max(cell.expected, cell.on_time + cell.late));
    counts.set_on_time(cell.on_time);
    counts.set_late(cell.late);
    const int64_t missing = counts.expected() - cell.on_time - cell.late;
    if (window.today <= cell.due) {
      counts.set_missing_within_deadline(missing);
    } else {
      counts.set_missing_overdue(missing);
    }
    auto [row, inserted] = rows.try_emplace({locality, cell.first, label});
    if (inserted) {
      if (!locality.empty()) row->second.set_locality(PlaceName(locality));
      row->second.set_period(label);
      *row->second.mutable_due_date() = api::ToDate(cell.due);
    } else if (cell.due < api::ToCivilDayUnchecked(row->second.due_date())) {
      *row->second.mutable_due_date() = api::ToDate(cell.due);
    }
    Add(*row->second.mutable_counts(), counts);
  }

  v1::SummarizeComplianceResponse response;
  for (auto& [key, row] : rows) {
    const v1::ComplianceCounts& counts = row.counts();
    if (response.localities_size() == 0 ||
        response.localities().rbegin()->locality() != row.locality()) {
      response.add_localities()->set_locality(row.locality());
    }
    Add(*response.mutable_localities()->rbegin()->mutable_counts(), counts);
    Add(*response.mutable_total(), counts);
    SetRates(*row.mutable_counts());
    *response.add_periods() = std::move(row);
  }
  for (v1::LocalityCompliance& locality : *response.mutable_localities()) {
    SetRates(*locality.mutable_counts());
  }
  SetRates(*response.mutable_total());
  return response;
}

}  // namespace caunoi::reports
