#include "services/reports/compliance.h"

#include <algorithm>
#include <map>
#include <optional>
#include <tuple>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/node_hash_map.h"
#include "common/api/commune_name.h"
#include "common/api/dates.h"
#include "common/api/locality_name.h"

namespace caunoi::reports {
namespace {

struct Cell {
  periods::Period period;
  absl::CivilDay due;
  int64_t expected = 0;
  int64_t on_time = 0;
  int64_t late = 0;
};

// A period of one cadence, by its first day: (days since the epoch, kind,
// cutoff day). Labels are formatted once per answer row, not per cell.
using PeriodKey = std::tuple<int64_t, int, int>;

PeriodKey KeyOf(const periods::Period& period) {
  static const absl::CivilDay kEpoch(1970, 1, 1);  // made once: a civil day is normalized
  return {period.first - kEpoch, static_cast<int>(period.kind), period.cutoff_day};
}

// Places by number, in name order, so that cells are keyed by integers.
class Places {
 public:
  int Of(const std::string& place) {
    auto [at, added] = numbers_.try_emplace(place, 0);
    if (added) at->second = static_cast<int>(numbers_.size()) - 1;
    return at->second;
  }
  // Numbers renumbered in name order (std::map iterates sorted), with the
  // names they stand for.
  std::vector<int> Ranks(std::vector<std::string>& names) const {
    std::vector<int> rank(numbers_.size());
    names.clear();
    for (const auto& [name, number] : numbers_) {
      rank[number] = static_cast<int>(names.size());
      names.push_back(name);
    }
    return rank;
  }

 private:
  std::map<std::string, int> numbers_;
};

// Counts as plain numbers while they are added up; each answer row's
// message is made once, at the end.
struct Counts {
  int64_t expected = 0;
  int64_t on_time = 0;
  int64_t late = 0;
  int64_t missing_within_deadline = 0;
  int64_t missing_overdue = 0;

  Counts& operator+=(const Counts& counts) {
    expected += counts.expected;
    on_time += counts.on_time;
    late += counts.late;
    missing_within_deadline += counts.missing_within_deadline;
    missing_overdue += counts.missing_overdue;
    return *this;
  }
};

// The counts with their rates (none when nothing is expected).
void Fill(const Counts& counts, v1::ComplianceCounts& into) {
  into.set_expected(counts.expected);
  into.set_on_time(counts.on_time);
  into.set_late(counts.late);
  into.set_missing_within_deadline(counts.missing_within_deadline);
  into.set_missing_overdue(counts.missing_overdue);
  if (counts.expected == 0) return;
  const double expected = static_cast<double>(counts.expected);
  into.set_reporting_rate(static_cast<double>(counts.on_time + counts.late) / expected);
  into.set_on_time_rate(static_cast<double>(counts.on_time) / expected);
}

// One cell's counts. A report filed for a period its obligation covered
// when filed stays expected even if the obligation's window later shrank:
// never > 100%.
Counts CountsOf(const Cell& cell, absl::CivilDay today) {
  Counts counts{.expected = std::max(cell.expected, cell.on_time + cell.late),
                .on_time = cell.on_time,
                .late = cell.late};
  const int64_t missing = counts.expected - cell.on_time - cell.late;
  if (today <= cell.due) {
    counts.missing_within_deadline = missing;
  } else {
    counts.missing_overdue = missing;
  }
  return counts;
}

using Cells = absl::flat_hash_map<std::tuple<int, PeriodKey, int>, Cell>;

// Each place's counts and the total, without rows per period: no label is
// formatted and nothing sorted but the places.
v1::SummarizeComplianceResponse Totals(const Cells& cells, const std::vector<int>& rank,
                                       const std::vector<std::string>& names,
                                       absl::CivilDay today) {
  std::vector<Counts> by_place(names.size());
  std::vector<bool> seen(names.size(), false);
  Counts total;
  for (const auto& [key, cell] : cells) {
    const int place = rank[std::get<0>(key)];
    const Counts counts = CountsOf(cell, today);
    by_place[place] += counts;
    total += counts;
    seen[place] = true;
  }
  v1::SummarizeComplianceResponse response;
  for (size_t place = 0; place < names.size(); ++place) {
    if (!seen[place]) continue;
    v1::LocalityCompliance* locality = response.add_localities();
    if (!names[place].empty()) locality->set_locality(PlaceName(names[place]));
    Fill(by_place[place], *locality->mutable_counts());
  }
  Fill(total, *response.mutable_total());
  return response;
}

}  // namespace

std::vector<periods::Period> ExpectedPeriods(const periods::Period& first,
                                             const std::optional<periods::Period>& last,
                                             const ComplianceWindow& window) {
  const absl::CivilDay to = std::min(window.to, window.today);
  periods::Period period = first;
  if (window.from && period.first < *window.from) {
    period = periods::PeriodContaining(period.kind, *window.from, period.cutoff_day);
    if (period.first < *window.from) period = periods::NextPeriod(period);
  }
  std::vector<periods::Period> expected;
  for (; period.first <= to && (!last || period.first <= last->first);
       period = periods::NextPeriod(period)) {
    expected.push_back(period);
  }
  return expected;
}

v1::SummarizeComplianceResponse SummarizeCompliance(const std::vector<ObligationGroup>& groups,
                                                    const std::vector<ReportTally>& tallies,
                                                    const ComplianceWindow& window,
                                                    bool with_periods) {
  Places places;
  // (place number, period, timely days) -> cell.
  Cells cells;
  // Groups of many places share their terms: each sequence of periods is
  // walked once.
  std::map<std::tuple<PeriodKey, int, std::optional<PeriodKey>>,
           std::vector<std::pair<periods::Period, absl::CivilDay>>>
      sequences;
  for (const ObligationGroup& group : groups) {
    const int place = places.Of(group.locality_id);
    std::optional<PeriodKey> last;
    if (group.last) last = KeyOf(*group.last);
    auto [sequence, added] = sequences.try_emplace({KeyOf(group.first), group.timely_days, last});
    if (added) {
      for (const periods::Period& period : ExpectedPeriods(group.first, group.last, window)) {
        sequence->second.emplace_back(period, periods::DueDate(period, group.timely_days));
      }
    }
    for (const auto& [period, due] : sequence->second) {
      Cell& cell = cells[{place, KeyOf(period), group.timely_days}];
      cell.period = period;
      cell.due = due;
      cell.expected += group.obligations;
    }
  }
  absl::flat_hash_map<std::string, std::optional<periods::Period>> parsed;
  for (const ReportTally& tally : tallies) {
    auto [known, added] = parsed.try_emplace(tally.period);
    if (added) {
      absl::StatusOr<periods::Period> period = periods::ParsePeriod(tally.period);
      if (period.ok()) known->second = *period;
    }
    if (!known->second) continue;
    const periods::Period& period = *known->second;
    Cell& cell = cells[{places.Of(tally.locality_id), KeyOf(period), tally.timely_days}];
    cell.period = period;
    cell.due = periods::DueDate(period, tally.timely_days);
    cell.on_time += tally.on_time;
    cell.late += tally.late;
  }

  std::vector<std::string> names;
  const std::vector<int> rank = places.Ranks(names);
  if (!with_periods) return Totals(cells, rank, names, window.today);

  // Cells of one place and period differ only in timely days; they are
  // summed into one row, whose due date is the earliest. Rows come in
  // place name order, then by period start and label; a label is formatted
  // once per period, however many places share it.
  struct Row {
    int place;
    absl::CivilDay first;
    const std::string* label;
    PeriodKey key;
    absl::CivilDay due;
    Counts counts;
  };
  absl::node_hash_map<PeriodKey, std::string> labels;  // rows point at them
  absl::flat_hash_map<std::tuple<int, PeriodKey>, size_t> row_of;
  std::vector<Row> rows;
  rows.reserve(cells.size());
  for (const auto& [key, cell] : cells) {
    const auto& [place, period_key, timely_days] = key;
    const Counts counts = CountsOf(cell, window.today);
    auto [at, inserted] = row_of.try_emplace({rank[place], period_key}, rows.size());
    if (inserted) {
      auto [label, added] = labels.try_emplace(period_key);
      if (added) label->second = cell.period.Label();
      rows.push_back(
          Row{rank[place], cell.period.first, &label->second, period_key, cell.due, counts});
      continue;
    }
    Row& row = rows[at->second];
    row.due = std::min(row.due, cell.due);
    row.counts += counts;
  }
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    return std::tie(a.place, a.first, *a.label, a.key) <
           std::tie(b.place, b.first, *b.label, b.key);
  });

  v1::SummarizeComplianceResponse response;
  response.mutable_periods()->Reserve(static_cast<int>(rows.size()));
  Counts total;
  Counts place_total;
  std::string name;
  auto close_place = [&] {
    if (response.localities_size() > 0) {
      Fill(place_total, *response.mutable_localities()->rbegin()->mutable_counts());
    }
    place_total = Counts();
  };
  for (size_t i = 0; i < rows.size(); ++i) {
    const Row& row = rows[i];
    if (i == 0 || row.place != rows[i - 1].place) {
      close_place();
      name = names[row.place].empty() ? "" : PlaceName(names[row.place]);
      response.add_localities()->set_locality(name);
    }
    place_total += row.counts;
    total += row.counts;
    v1::PeriodCompliance* period = response.add_periods();
    if (!name.empty()) period->set_locality(name);
    period->set_period(*row.label);
    *period->mutable_due_date() = api::ToDate(row.due);
    Fill(row.counts, *period->mutable_counts());
  }
  close_place();
  Fill(total, *response.mutable_total());
  return response;
}

}  // namespace caunoi::reports
