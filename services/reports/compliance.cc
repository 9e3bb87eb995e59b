#include "services/reports/compliance.h"

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "common/api/commune_name.h"
#include "common/api/dates.h"
#include "common/api/locality_name.h"

namespace caunoi::reports {
namespace {

struct Cell {
  int period = 0;  // index in the answer's Periods
  absl::CivilDay due;
  int64_t expected = 0;
  int64_t on_time = 0;
  int64_t late = 0;
};

// Places, periods and timely days numbered as they are met, so that a
// cell is keyed by one integer and rows are sorted by one.
template <typename Key>
class Numbering {
 public:
  // The number of `key`, and whether it was just given.
  std::pair<int, bool> Of(const Key& key) {
    auto [at, added] = numbers_.try_emplace(key, static_cast<int>(numbers_.size()));
    return {at->second, added};
  }
  size_t size() const { return numbers_.size(); }
  const absl::flat_hash_map<Key, int>& numbers() const { return numbers_; }

 private:
  absl::flat_hash_map<Key, int> numbers_;
};

// A period of one cadence, by its first day: (days since the epoch, kind,
// cutoff day).
using PeriodKey = std::tuple<int64_t, int, int>;

PeriodKey KeyOf(const periods::Period& period) {
  static const absl::CivilDay kEpoch(1970, 1, 1);  // made once: a civil day is normalized
  return {period.first - kEpoch, static_cast<int>(period.kind), period.cutoff_day};
}

// The periods met, each with its label formatted once however many places
// share it.
class Periods {
 public:
  int Of(const periods::Period& period) {
    auto [number, added] = numbers_.Of(KeyOf(period));
    if (added) periods_.push_back(period);
    return number;
  }
  const periods::Period& operator[](int number) const { return periods_[number]; }
  // Each period's place in answer order: by first day, then label.
  std::vector<int> Order(std::vector<std::string>& labels) const {
    labels.clear();
    labels.reserve(periods_.size());
    for (const periods::Period& period : periods_) labels.push_back(period.Label());
    std::vector<int> sorted(periods_.size());
    for (size_t i = 0; i < sorted.size(); ++i) sorted[i] = static_cast<int>(i);
    std::sort(sorted.begin(), sorted.end(), [&](int a, int b) {
      return std::tie(periods_[a].first, labels[a]) < std::tie(periods_[b].first, labels[b]);
    });
    std::vector<int> order(sorted.size());
    for (size_t i = 0; i < sorted.size(); ++i) order[sorted[i]] = static_cast<int>(i);
    return order;
  }

 private:
  Numbering<PeriodKey> numbers_;
  std::vector<periods::Period> periods_;
};

// Numbers below 2^21 each (places, periods and timely days met in one
// answer) packed into one key.
uint64_t CellKey(int place, int period, int timely) {
  return (static_cast<uint64_t>(place) << 42) | (static_cast<uint64_t>(period) << 21) |
         static_cast<uint64_t>(timely);
}
int PlaceOf(uint64_t cell_key) { return static_cast<int>(cell_key >> 42); }

// Places in name order (the numbers they were given renumbered), with the
// names they stand for.
std::vector<int> Ranks(const Numbering<std::string>& places, std::vector<std::string>& names) {
  std::vector<std::pair<absl::string_view, int>> sorted(places.numbers().begin(),
                                                        places.numbers().end());
  std::sort(sorted.begin(), sorted.end());
  std::vector<int> rank(sorted.size());
  names.clear();
  for (const auto& [name, number] : sorted) {
    rank[number] = static_cast<int>(names.size());
    names.emplace_back(name);
  }
  return rank;
}

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

using Cells = absl::flat_hash_map<uint64_t, Cell>;

// Each place's counts and the total, without rows per period: no label is
// formatted and nothing sorted but the places.
v1::SummarizeComplianceResponse Totals(const Cells& cells, const std::vector<int>& rank,
                                       const std::vector<std::string>& names,
                                       absl::CivilDay today) {
  std::vector<Counts> by_place(names.size());
  std::vector<bool> seen(names.size(), false);
  Counts total;
  for (const auto& [key, cell] : cells) {
    const int place = rank[PlaceOf(key)];
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
  Numbering<std::string> places;
  Numbering<int> timely;
  Periods periods_met;
  Cells cells;
  // Groups of many places share their terms: each sequence of periods is
  // walked once.
  using Sequence = std::vector<std::pair<int, absl::CivilDay>>;  // period, due date
  std::map<std::tuple<PeriodKey, int, std::optional<PeriodKey>>, Sequence> sequences;
  std::vector<const Sequence*> sequence_of;  // by group
  sequence_of.reserve(groups.size());
  size_t cells_at_most = tallies.size();
  for (const ObligationGroup& group : groups) {
    std::optional<PeriodKey> last;
    if (group.last) last = KeyOf(*group.last);
    auto [sequence, added] = sequences.try_emplace({KeyOf(group.first), group.timely_days, last});
    if (added) {
      for (const periods::Period& period : ExpectedPeriods(group.first, group.last, window)) {
        sequence->second.emplace_back(periods_met.Of(period),
                                      periods::DueDate(period, group.timely_days));
      }
    }
    sequence_of.push_back(&sequence->second);
    cells_at_most += sequence->second.size();
  }
  cells.reserve(cells_at_most);
  for (size_t i = 0; i < groups.size(); ++i) {
    const ObligationGroup& group = groups[i];
    const int place = places.Of(group.locality_id).first;
    const int days = timely.Of(group.timely_days).first;
    for (const auto& [period, due] : *sequence_of[i]) {
      Cell& cell = cells[CellKey(place, period, days)];
      cell.period = period;
      cell.due = due;
      cell.expected += group.obligations;
    }
  }
  // Labels to period numbers, each label parsed once (unparsable ones
  // count nowhere).
  absl::flat_hash_map<absl::string_view, std::optional<int>> parsed;
  for (const ReportTally& tally : tallies) {
    auto [known, added] = parsed.try_emplace(tally.period);
    if (added) {
      absl::StatusOr<periods::Period> period = periods::ParsePeriod(tally.period);
      if (period.ok()) known->second = periods_met.Of(*period);
    }
    if (!known->second) continue;
    const int period = *known->second;
    auto [at, new_cell] = cells.try_emplace(
        CellKey(places.Of(tally.locality_id).first, period, timely.Of(tally.timely_days).first));
    Cell& cell = at->second;
    // A cell a group made already has its period and due date, which
    // depend only on its key.
    if (new_cell) {
      cell.period = period;
      cell.due = periods::DueDate(periods_met[period], tally.timely_days);
    }
    cell.on_time += tally.on_time;
    cell.late += tally.late;
  }

  std::vector<std::string> names;
  const std::vector<int> rank = Ranks(places, names);
  if (!with_periods) return Totals(cells, rank, names, window.today);

  // Cells of one place and period differ only in timely days; they are
  // summed into one row, whose due date is the earliest. Rows come in
  // place name order, then by period start and label.
  std::vector<std::string> labels;
  const std::vector<int> period_order = periods_met.Order(labels);
  struct Row {
    uint64_t order;  // place rank, then the period's place in answer order
    int period;
    absl::CivilDay due;
    Counts counts;
  };
  absl::flat_hash_map<uint64_t, size_t> row_of;
  row_of.reserve(cells.size());
  std::vector<Row> rows;
  rows.reserve(cells.size());
  for (const auto& [key, cell] : cells) {
    const Counts counts = CountsOf(cell, window.today);
    const uint64_t order = (static_cast<uint64_t>(rank[PlaceOf(key)]) << 32) |
                           static_cast<uint64_t>(period_order[cell.period]);
    auto [at, inserted] = row_of.try_emplace(order, rows.size());
    if (inserted) {
      rows.push_back(Row{order, cell.period, cell.due, counts});
      continue;
    }
    Row& row = rows[at->second];
    row.due = std::min(row.due, cell.due);
    row.counts += counts;
  }
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.order < b.order; });

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
    const uint64_t place = row.order >> 32;
    if (i == 0 || place != rows[i - 1].order >> 32) {
      close_place();
      name = names[place].empty() ? "" : PlaceName(names[place]);
      response.add_localities()->set_locality(name);
    }
    place_total += row.counts;
    total += row.counts;
    v1::PeriodCompliance* period = response.add_periods();
    if (!name.empty()) period->set_locality(name);
    period->set_period(labels[row.period]);
    *period->mutable_due_date() = api::ToDate(row.due);
    Fill(row.counts, *period->mutable_counts());
  }
  close_place();
  Fill(total, *response.mutable_total());
  return response;
}

}  // namespace caunoi::reports
