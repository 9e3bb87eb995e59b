// Expected reports as obligations × periods, and rates that never exceed
// 100%, including a unit whose obligation passed to its successor mid-year.
#include "services/reports/compliance.h"

#include <map>
#include <random>
#include <tuple>

#include "absl/strings/str_format.h"
#include "common/api/commune_name.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace caunoi::reports {
namespace {

periods::Period P(absl::string_view label) { return *periods::ParsePeriod(label); }

const v1::PeriodCompliance* Find(const v1::SummarizeComplianceResponse& response,
                                 absl::string_view locality, absl::string_view period) {
  for (const v1::PeriodCompliance& row : response.periods()) {
    if (row.locality() == locality && row.period() == period) return &row;
  }
  return nullptr;
}

TEST(ComplianceTest, ExpectsOneReportPerObligationAndBegunPeriod) {
  const ComplianceWindow window{std::nullopt, absl::CivilDay(2023, 8, 1),
                                absl::CivilDay(2023, 8, 1)};
  // Two units of Hanoi reporting half-yearly since 2022-H1, 15 timely days.
  const std::vector<ObligationGroup> groups = {{"01", 15, P("2022-H1"), std::nullopt, 2}};
  const std::vector<ReportTally> tallies = {{"01", "2022-H1", 15, 2, 0},
                                            {"01", "2022-H2", 15, 0, 1}};
  const v1::SummarizeComplianceResponse response = SummarizeCompliance(groups, tallies, window);

  ASSERT_EQ(response.periods_size(), 4);  // 2022-H1, 2022-H2, 2023-H1, 2023-H2 (begun)
  const v1::PeriodCompliance* h1 = Find(response, "localities/01", "2022-H1");
  ASSERT_NE(h1, nullptr);
  EXPECT_EQ(h1->counts().expected(), 2);
  EXPECT_EQ(h1->counts().on_time(), 2);
  EXPECT_DOUBLE_EQ(h1->counts().on_time_rate(), 1.0);
  EXPECT_EQ(h1->due_date().month(), 7);
  EXPECT_EQ(h1->due_date().day(), 15);

  const v1::PeriodCompliance* h2 = Find(response, "localities/01", "2022-H2");
  ASSERT_NE(h2, nullptr);
  EXPECT_EQ(h2->counts().late(), 1);
  EXPECT_EQ(h2->counts().missing_overdue(), 1);
  EXPECT_DOUBLE_EQ(h2->counts().reporting_rate(), 0.5);

  // 2023-H1 was due 2023-07-15: overdue on 2023-08-01. 2023-H2 is under way.
  EXPECT_EQ(Find(response, "localities/01", "2023-H1")->counts().missing_overdue(), 2);
  EXPECT_EQ(Find(response, "localities/01", "2023-H2")->counts().missing_within_deadline(), 2);

  ASSERT_EQ(response.localities_size(), 1);
  EXPECT_EQ(response.localities(0).counts().expected(), 8);
  EXPECT_EQ(response.total().on_time(), 2);
  EXPECT_EQ(response.total().late(), 1);
  EXPECT_DOUBLE_EQ(response.total().reporting_rate(), 3.0 / 8.0);
}

TEST(ComplianceTest, AMergedUnitsObligationPassesToItsSuccessorWithoutDoubleCounting) {
  // Bình Dương's union reported monthly until 2025-06; from 2025-07 Ho Chi
  // Minh City's union reports for the merged city. Both roll up to 79.
  const ComplianceWindow window{absl::CivilDay(2025, 1, 1), absl::CivilDay(2025, 12, 31),
                                absl::CivilDay(2026, 1, 20)};
  const std::vector<ObligationGroup> groups = {
      {"79", 10, P("2024-01"), P("2025-06"), 1},
      {"79", 10, P("2025-07"), std::nullopt, 1},
  };
  std::vector<ReportTally> tallies;
  for (int month = 1; month <= 12; ++month) {
    tallies.push_back({"79", absl::StrFormat("2025-%02d", month), 10, 1, 0});
  }
  const v1::SummarizeComplianceResponse response = SummarizeCompliance(groups, tallies, window);

  ASSERT_EQ(response.periods_size(), 12);
  for (const v1::PeriodCompliance& row : response.periods()) {
    EXPECT_EQ(row.counts().expected(), 1) << row.period();
    EXPECT_LE(row.counts().reporting_rate(), 1.0) << row.period();
  }
  EXPECT_EQ(response.total().expected(), 12);
  EXPECT_DOUBLE_EQ(response.total().on_time_rate(), 1.0);
}

TEST(ComplianceTest, AReportOutsideTheObligationsPresentWindowNeverRaisesTheRateAboveOne) {
  // The obligation was shortened to end in 2024-Q2 after a 2024-Q3 report
  // had been filed: that report still counts as expected.
  const ComplianceWindow window{std::nullopt, absl::CivilDay(2025, 1, 1),
                                absl::CivilDay(2025, 1, 1)};
  const std::vector<ObligationGroup> groups = {{"46", 0, P("2024-Q1"), P("2024-Q2"), 1}};
  const std::vector<ReportTally> tallies = {{"46", "2024-Q3", 0, 1, 0}};
  const v1::SummarizeComplianceResponse response = SummarizeCompliance(groups, tallies, window);
  const v1::PeriodCompliance* q3 = Find(response, "localities/46", "2024-Q3");
  ASSERT_NE(q3, nullptr);
  EXPECT_EQ(q3->counts().expected(), 1);
  EXPECT_DOUBLE_EQ(q3->counts().reporting_rate(), 1.0);
  EXPECT_EQ(response.total().expected(), 3);
}

TEST(ComplianceTest, TheWindowStartsAtTheFirstPeriodBeginningInIt) {
  const ComplianceWindow window{absl::CivilDay(2023, 2, 10), absl::CivilDay(2023, 12, 31),
                                absl::CivilDay(2024, 3, 1)};
  const std::vector<ObligationGroup> groups = {{"", 0, P("2022-Q1"), std::nullopt, 1}};
  const v1::SummarizeComplianceResponse response = SummarizeCompliance(groups, {}, window);
  ASSERT_EQ(response.periods_size(), 3);  // 2023-Q2..Q4: Q1 began before the window
  EXPECT_EQ(response.periods(0).period(), "2023-Q2");
  EXPECT_EQ(response.periods(0).locality(), "");
  EXPECT_EQ(response.total().missing_overdue(), 3);
}

// The arithmetic spelled out one cell at a time, as a reader would count
// it: (place, period label, timely days) cells, then one row per place and
// period with the earliest due date.
struct ReferenceRow {
  absl::CivilDay due;
  int64_t expected = 0, on_time = 0, late = 0, missing_within = 0, missing_overdue = 0;
};
std::map<std::pair<std::string, std::string>, ReferenceRow> Recount(
    const std::vector<ObligationGroup>& groups, const std::vector<ReportTally>& tallies,
    const ComplianceWindow& window) {
  struct Cell {
    periods::Period period;
    int64_t expected = 0, on_time = 0, late = 0;
  };
  std::map<std::tuple<std::string, std::string, int>, Cell> cells;
  for (const ObligationGroup& group : groups) {
    for (const periods::Period& period : ExpectedPeriods(group.first, group.last, window)) {
      Cell& cell = cells[{group.locality_id, period.Label(), group.timely_days}];
      cell.period = period;
      cell.expected += group.obligations;
    }
  }
  for (const ReportTally& tally : tallies) {
    absl::StatusOr<periods::Period> period = periods::ParsePeriod(tally.period);
    if (!period.ok()) continue;
    Cell& cell = cells[{tally.locality_id, period->Label(), tally.timely_days}];
    cell.period = *period;
    cell.on_time += tally.on_time;
    cell.late += tally.late;
  }
  std::map<std::pair<std::string, std::string>, ReferenceRow> rows;
  for (const auto& [key, cell] : cells) {
    const auto& [place, label, timely_days] = key;
    const absl::CivilDay due = periods::DueDate(cell.period, timely_days);
    auto [row, added] = rows.try_emplace({place, label});
    if (added || due < row->second.due) row->second.due = due;
    const int64_t expected = std::max(cell.expected, cell.on_time + cell.late);
    row->second.expected += expected;
    row->second.on_time += cell.on_time;
    row->second.late += cell.late;
    (window.today <= due ? row->second.missing_within : row->second.missing_overdue) +=
        expected - cell.on_time - cell.late;
  }
  return rows;
}

TEST(ComplianceTest, EveryRowEqualsACountOneCellAtATimeInPlaceThenPeriodOrder) {
  std::mt19937 random(20261203);
  const std::vector<std::string> places = {"", "01", "01/00004", "01/00008", "79", "79/26734"};
  const std::vector<std::string> labels = {"2024",    "2024-H2",    "2025-Q1", "2025-01", "2025-02",
                                           "2024-12", "2025-01@20", "2024-Q4", "2025",    "junk"};
  auto pick = [&](const auto& from) { return from[random() % from.size()]; };
  for (int round = 0; round < 200; ++round) {
    std::vector<ObligationGroup> groups;
    for (int i = random() % 6; i > 0; --i) {
      std::string first = pick(labels);
      if (first == "junk") first = "2024-06";
      std::optional<periods::Period> last;
      if (random() % 3 == 0) last = periods::NextPeriod(periods::NextPeriod(P(first)));
      groups.push_back({pick(places), static_cast<int>(random() % 3) * 10, P(first), last,
                        static_cast<int64_t>(random() % 4)});
    }
    std::vector<ReportTally> tallies;
    for (int i = random() % 8; i > 0; --i) {
      tallies.push_back({pick(places), pick(labels), static_cast<int>(random() % 3) * 10,
                         static_cast<int64_t>(random() % 3), static_cast<int64_t>(random() % 2)});
    }
    std::optional<absl::CivilDay> from;
    if (random() % 2 == 0) from = absl::CivilDay(2024, 1 + random() % 12, 1);
    const absl::CivilDay today = absl::CivilDay(2025, 1, 1) + static_cast<int>(random() % 120);
    const ComplianceWindow window{from, today, today};
    const auto expected = Recount(groups, tallies, window);
    const v1::SummarizeComplianceResponse response = SummarizeCompliance(groups, tallies, window);

    ASSERT_EQ(response.periods_size(), static_cast<int>(expected.size())) << "round " << round;
    std::map<std::string, std::string> place_of_name;
    for (const std::string& place : places) {
      place_of_name[place.empty() ? "" : PlaceName(place)] = place;
    }
    std::pair<std::string, std::pair<absl::CivilDay, std::string>> previous;
    for (int i = 0; i < response.periods_size(); ++i) {
      const v1::PeriodCompliance& row = response.periods(i);
      const std::string place = place_of_name[row.locality()];
      const auto found = expected.find({place, row.period()});
      ASSERT_NE(found, expected.end()) << row.locality() << " " << row.period();
      const ReferenceRow& want = found->second;
      EXPECT_EQ(row.counts().expected(), want.expected) << round << " " << row.period();
      EXPECT_EQ(row.counts().on_time(), want.on_time) << round << " " << row.period();
      EXPECT_EQ(row.counts().late(), want.late) << round << " " << row.period();
      EXPECT_EQ(row.counts().missing_within_deadline(), want.missing_within) << round;
      EXPECT_EQ(row.counts().missing_overdue(), want.missing_overdue) << round;
      EXPECT_EQ(absl::CivilDay(row.due_date().year(), row.due_date().month(), row.due_date().day()),
                want.due)
          << round << " " << row.period();
      const auto key = std::make_pair(place, std::make_pair(P(row.period()).first, row.period()));
      if (i > 0) {
        EXPECT_LT(previous, key) << "round " << round << ": rows out of order";
      }
      previous = key;
    }
  }
}
}  // namespace
}  // namespace caunoi::reports

namespace caunoi::reports {
namespace {

TEST(ComplianceTest, TotalsOnlyGiveEachPlacesCountsAsThePeriodRowsSumThem) {
  const ComplianceWindow window{std::nullopt, absl::CivilDay(2026, 3, 1),
                                absl::CivilDay(2026, 3, 1)};
  // The city's own unit yearly, two wards monthly with different grace, one
  // ward's report filed where its shortened duty no longer expects one.
  const std::vector<ObligationGroup> groups = {
      {"01", 15, P("2025"), std::nullopt, 1},
      {"01/00004", 10, P("2025-07"), std::nullopt, 3},
      {"01/00008", 5, P("2025-07"), P("2025-12"), 1},
  };
  const std::vector<ReportTally> tallies = {
      {"01", "2025", 15, 1, 0},
      {"01/00004", "2025-07", 10, 2, 1},
      {"01/00004", "2026-02", 10, 1, 0},
      {"01/00008", "2026-01", 5, 0, 1},
      {"", "2025", 30, 1, 0},
  };
  const v1::SummarizeComplianceResponse periods = SummarizeCompliance(groups, tallies, window);
  const v1::SummarizeComplianceResponse totals =
      SummarizeCompliance(groups, tallies, window, /*with_periods=*/false);
  EXPECT_EQ(totals.periods_size(), 0);
  ASSERT_EQ(totals.localities_size(), periods.localities_size());
  for (int i = 0; i < totals.localities_size(); ++i) {
    EXPECT_EQ(totals.localities(i).SerializeAsString(), periods.localities(i).SerializeAsString())
        << totals.localities(i).locality();
  }
  EXPECT_EQ(totals.total().SerializeAsString(), periods.total().SerializeAsString());
  EXPECT_EQ(totals.localities(1).locality(), "localities/01");
  EXPECT_EQ(totals.localities(2).locality(), "localities/01/communes/00004");
  // 00008 filed for 2026-01 after its duty ended in 2025-12: still expected.
  EXPECT_EQ(totals.localities(3).counts().expected(), 7);
}

}  // namespace
}  // namespace caunoi::reports
