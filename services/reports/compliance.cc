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

// What one place owes and filed in one period under one timely rule.
struct Cell {
  absl::CivilDay due;
  int64_t expected = 0;
  int64_t on_time = 0;
  int64_t late = 0;
};

// Places, periods and columns numbered as they are met, so that a cell is
// found by index and rows are sorted by one integer.
template <typename Key>
class Numbering {
 public:
  // The number of `key`, and whether it was just given.
  std::pair<int, bool> Of(const Key& key) {
    auto [at, added] = numbers_.try_emplace(key, static_cast<int>(numbers_.size()));
    return {at->second, added};
  }
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

// A period under one timely rule: a place's cells are kept by column.
struct Column {
  int period = 0;  // its number among the Periods met
  absl::CivilDay due;
};

class Columns {
 public:
  explicit Columns(const Periods& periods) : periods_(periods) {}
  int Of(int period, int timely_days) {
    const uint64_t key = (static_cast<uint64_t>(period) << 32) | static_cast<uint32_t>(timely_days);
    auto [number, added] = numbers_.Of(key);
    if (added) columns_.push_back({period, periods::DueDate(periods_[period], timely_days)});
    return number;
  }
  const Column& operator[](int number) const { return columns_[number]; }
  size_t size() const { return columns_.size(); }

 private:
  const Periods& periods_;
  Numbering<uint64_t> numbers_;
  std::vector<Column> columns_;
};

// Items (groups or tallies) by the rank of their place: those of rank r
// are order[begin[r]] to order[begin[r + 1] - 1]. An item of place -1 is
// left out.
struct ByRank {
  std::vector<int> begin;
  std::vector<int> order;
};

ByRank SortByRank(const std::vector<int>& place_of, const std::vector<int>& rank) {
  ByRank by;
  by.begin.assign(rank.size() + 1, 0);
  for (const int place : place_of) {
    if (place >= 0) ++by.begin[rank[place] + 1];
  }
  for (size_t r = 1; r < by.begin.size(); ++r) by.begin[r] += by.begin[r - 1];
  by.order.resize(by.begin.back());
  std::vector<int> next(by.begin.begin(), by.begin.end() - 1);
  for (size_t i = 0; i < place_of.size(); ++i) {
    if (place_of[i] >= 0) by.order[next[rank[place_of[i]]]++] = static_cast<int>(i);
  }
  return by;
}

// One place's cells at a time, found by column through a table as long as
// the columns, cleared between places: a province's thousands of cells
// never sit in one hashed table.
class PlaceCells {
 public:
  explicit PlaceCells(const Columns& columns) : columns_(columns), slot_(columns.size(), -1) {}

  Cell& At(int column) {
    int& slot = slot_[column];
    if (slot < 0) {
      slot = static_cast<int>(cells_.size());
      cells_.push_back({column, Cell{.due = columns_[column].due}});
    }
    return cells_[slot].second;
  }
  // (column, cell) of the place, in the order first met.
  std::vector<std::pair<int, Cell>>& cells() { return cells_; }
  void Clear() {
    for (const auto& [column, cell] : cells_) slot_[column] = -1;
    cells_.clear();
  }

 private:
  const Columns& columns_;
  std::vector<int> slot_;
  std::vector<std::pair<int, Cell>> cells_;
};

// Where a column's row goes in the answer: its period's place in answer
// order, and the periods' labels.
struct AnswerPeriods {
  const Columns& columns;
  const std::vector<int>& order;
  const std::vector<std::string>& labels;
};

// One place's rows (`name`, its cells), in answer order: cells of one
// period that differ only in timely days are summed into one row, whose
// due date is the earliest. The place's counts.
Counts AddPeriodRows(std::vector<std::pair<int, Cell>>& cells, const AnswerPeriods& periods,
                     const std::string& name, absl::CivilDay today,
                     v1::SummarizeComplianceResponse& response) {
  auto order_of = [&](const std::pair<int, Cell>& entry) {
    return periods.order[periods.columns[entry.first].period];
  };
  std::sort(cells.begin(), cells.end(),
            [&](const auto& a, const auto& b) { return order_of(a) < order_of(b); });
  Counts place_total;
  for (size_t i = 0; i < cells.size();) {
    absl::CivilDay due = cells[i].second.due;
    Counts counts;
    size_t end = i;
    for (; end < cells.size() && order_of(cells[end]) == order_of(cells[i]); ++end) {
      due = std::min(due, cells[end].second.due);
      counts += CountsOf(cells[end].second, today);
    }
    v1::PeriodCompliance* period = response.add_periods();
    if (!name.empty()) period->set_locality(name);
    period->set_period(periods.labels[periods.columns[cells[i].first].period]);
    *period->mutable_due_date() = api::ToDate(due);
    Fill(counts, *period->mutable_counts());
    place_total += counts;
    i = end;
  }
  return place_total;
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

void SummarizeCompliance(const std::vector<ObligationGroup>& groups,
                         const std::vector<ReportTally>& tallies, const ComplianceWindow& window,
                         bool with_periods, v1::SummarizeComplianceResponse& response) {
  Numbering<std::string> places;
  Periods periods_met;
  Columns columns(periods_met);
  // Groups of many places share their terms: each sequence of periods is
  // walked once, into the columns it expects a report in.
  using Sequence = std::vector<int>;
  std::map<std::tuple<PeriodKey, int, std::optional<PeriodKey>>, Sequence> sequences;
  std::vector<const Sequence*> sequence_of;  // by group
  std::vector<int> group_place;
  sequence_of.reserve(groups.size());
  group_place.reserve(groups.size());
  for (const ObligationGroup& group : groups) {
    std::optional<PeriodKey> last;
    if (group.last) last = KeyOf(*group.last);
    auto [sequence, added] = sequences.try_emplace({KeyOf(group.first), group.timely_days, last});
    if (added) {
      for (const periods::Period& period : ExpectedPeriods(group.first, group.last, window)) {
        sequence->second.push_back(columns.Of(periods_met.Of(period), group.timely_days));
      }
    }
    sequence_of.push_back(&sequence->second);
    group_place.push_back(places.Of(group.locality_id).first);
  }
  // Labels to period numbers, each label parsed once; a tally of an
  // unparsable one counts nowhere (place -1).
  // What each tally adds to its cell, kept apart from its strings: read
  // place by place, the tallies of a province are visited out of order, and
  // a cache line then holds two of these instead of less than one tally.
  struct Filed {
    int column = 0;
    int64_t on_time = 0;
    int64_t late = 0;
  };
  absl::flat_hash_map<absl::string_view, std::optional<int>> parsed;
  std::vector<int> tally_place(tallies.size(), -1);
  std::vector<Filed> filed(tallies.size());
  for (size_t i = 0; i < tallies.size(); ++i) {
    const ReportTally& tally = tallies[i];
    auto [known, added] = parsed.try_emplace(tally.period);
    if (added) {
      absl::StatusOr<periods::Period> period = periods::ParsePeriod(tally.period);
      if (period.ok()) known->second = periods_met.Of(*period);
    }
    if (!known->second) continue;
    tally_place[i] = places.Of(tally.locality_id).first;
    filed[i] = {columns.Of(*known->second, tally.timely_days), tally.on_time, tally.late};
  }

  std::vector<std::string> names;
  const std::vector<int> rank = Ranks(places, names);
  const ByRank groups_by_rank = SortByRank(group_place, rank);
  const ByRank tallies_by_rank = SortByRank(tally_place, rank);
  std::vector<std::string> labels;
  std::vector<int> period_order;
  if (with_periods) period_order = periods_met.Order(labels);

  // Places in name order, each with its rows (AddPeriodRows).
  PlaceCells place_cells(columns);
  Counts total;
  for (size_t place = 0; place < names.size(); ++place) {
    for (int g = groups_by_rank.begin[place]; g < groups_by_rank.begin[place + 1]; ++g) {
      const int group = groups_by_rank.order[g];
      for (const int column : *sequence_of[group]) {
        place_cells.At(column).expected += groups[group].obligations;
      }
    }
    for (int t = tallies_by_rank.begin[place]; t < tallies_by_rank.begin[place + 1]; ++t) {
      const Filed& tally = filed[tallies_by_rank.order[t]];
      Cell& cell = place_cells.At(tally.column);
      cell.on_time += tally.on_time;
      cell.late += tally.late;
    }
    std::vector<std::pair<int, Cell>>& cells = place_cells.cells();
    if (cells.empty()) continue;
    v1::LocalityCompliance* locality = response.add_localities();
    const std::string name = names[place].empty() ? "" : PlaceName(names[place]);
    if (!name.empty()) locality->set_locality(name);
    Counts place_total;
    if (with_periods) {
      place_total =
          AddPeriodRows(cells, {columns, period_order, labels}, name, window.today, response);
    } else {
      for (const auto& [column, cell] : cells) place_total += CountsOf(cell, window.today);
    }
    Fill(place_total, *locality->mutable_counts());
    total += place_total;
    place_cells.Clear();
  }
  Fill(total, *response.mutable_total());
}

v1::SummarizeComplianceResponse SummarizeCompliance(const std::vector<ObligationGroup>& groups,
                                                    const std::vector<ReportTally>& tallies,
                                                    const ComplianceWindow& window,
                                                    bool with_periods) {
  v1::SummarizeComplianceResponse response;
  SummarizeCompliance(groups, tallies, window, with_periods, response);
  return response;
}

}  // namespace caunoi::reports
