// The task counts kept by statement triggers, per document and per
// commune, open tasks split at the task horizon, against a recomputation
// from the tasks themselves, after a random mix of writes and horizon
// moves; and the task aggregates read from them, nationally and per
// commune of a province, against the same recomputation, with the
// communes that acted.
#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "caunoi/v1/directives.grpc.pb.h"
#include "common/api/commune_name.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/commune_task_counts_sql.h"
#include "tests/support/directives_database_test.h"
#include "tests/support/rpc.h"

namespace caunoi {
namespace {

using ::caunoi::testing::IsOk;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::IsEmpty;
using ::testing::IsSupersetOf;
using ::testing::Not;
using Stub = v1::DirectiveService::Stub;

constexpr char kToday[] = "((now() AT TIME ZONE 'UTC') + interval '7 hours')::date";

class TaskCountsTest : public caunoi::testing::DirectivesDatabaseTest {
 protected:
  // The implementation status of directives/900, nationally or drilled
  // into `locality`.
  v1::GetImplementationStatusResponse StatusOf(const std::string& locality,
                                               bool communes_by_code = false) {
    v1::GetImplementationStatusRequest request;
    request.set_name("directives/900");
    request.set_locality(locality);
    request.set_communes_by_code(communes_by_code);
    v1::GetImplementationStatusResponse status;
    EXPECT_THAT(caunoi::testing::CallRpc(*stub_, &Stub::GetImplementationStatus, request, &status),
                IsOk());
    return status;
  }

  // "place|status" -> tasks, as the status answers it.
  std::map<std::string, int64_t> StatusesByPlace(const std::string& locality) {
    const v1::GetImplementationStatusResponse status = StatusOf(locality);
    std::map<std::string, int64_t> by_place;
    for (const v1::LocalityImplementation& place : status.localities()) {
      for (const auto& [key, count] : place.tasks_by_status()) {
        by_place[absl::StrCat(place.locality(), "|", key)] += count;
      }
    }
    return by_place;
  }

  // "locality|commune" for each commune the status says acted. Asked by
  // code, it must name the same communes by number, and none by name.
  std::vector<std::string> ActingCommunes(const std::string& locality) {
    const v1::GetImplementationStatusResponse status = StatusOf(locality);
    const v1::GetImplementationStatusResponse by_code = StatusOf(locality, true);
    EXPECT_EQ(by_code.localities_size(), status.localities_size());
    std::vector<std::string> acting;
    for (int i = 0; i < status.localities_size(); ++i) {
      const v1::LocalityImplementation& place = status.localities(i);
      std::vector<int32_t> numbers;
      for (const std::string& commune : place.acting_communes()) {
        acting.push_back(absl::StrCat(place.locality(), "|", commune));
        numbers.push_back(CommuneNumber(commune).value_or(-1));
      }
      if (i >= by_code.localities_size()) continue;
      EXPECT_EQ(by_code.localities(i).locality(), place.locality());
      EXPECT_THAT(by_code.localities(i).acting_commune_codes(), ElementsAreArray(numbers))
          << place.locality();
      EXPECT_THAT(by_code.localities(i).acting_communes(), IsEmpty()) << place.locality();
    }
    return acting;
  }

  // The same recomputed from the tasks: `place` names a task's place (of
  // task t and its document d), `where` chooses the tasks.
  std::map<std::string, int64_t> RecomputedStatuses(const std::string& place,
                                                    const std::string& where) {
    std::map<std::string, int64_t> by_place;
    for (const std::string& row : Rows(absl::StrCat(
             "SELECT ", place, " || '|' || CASE WHEN t.completed_date IS NULL AND t.due_date < ",
             kToday,
             " THEN 'OPEN_OVERDUE'"
             " WHEN t.completed_date IS NULL THEN 'OPEN_WITHIN_DEADLINE'"
             " WHEN t.due_date IS NULL OR t.completed_date <= t.due_date THEN 'DONE_ON_TIME'"
             " ELSE 'DONE_LATE' END, count(*)"
             " FROM directives.tasks t JOIN directives.documents d ON d.id = t.document_id"
             " WHERE ",
             where, " GROUP BY 1"))) {
      const size_t bar = row.rfind('|');
      by_place[row.substr(0, bar)] = std::stoll(row.substr(bar + 1));
    }
    return by_place;
  }
};

TEST_F(TaskCountsTest, KeptCountsAndTheAggregatesEqualARecomputation) {
  // A central root concretized by six documents of Hanoi, Ho Chi Minh City
  // and the centre.
  InsertDirectiveAndPlans(900, 6, "CASE n % 3 WHEN 0 THEN '01' WHEN 1 THEN '79' ELSE '01' END",
                          "date '2025-02-01' + n");
  Run("INSERT INTO directives.document_links SELECT 900 + n, 900 FROM generate_series(1, 6) n;");

  std::mt19937 random(20261202);
  auto pick = [&](int n) { return static_cast<int>(random() % n); };
  // A due date within 40 days of today either way, today itself more often
  // than the others, or none.
  auto due = [&]() -> std::string {
    if (pick(8) == 0) return "NULL";
    if (pick(8) == 0) return kToday;
    return absl::StrCat(kToday, " + ", pick(81) - 40);
  };
  auto completed = [&]() -> std::string {
    return pick(3) == 0 ? absl::StrCat(kToday, " - ", pick(60)) : "NULL";
  };
  // Most tasks are the document's locality's own, some placed in one of
  // two of its communes.
  auto commune_of = [&](int document) -> std::string {
    if (pick(3) == 0) return "''";
    return absl::StrCat("(SELECT current_locality_id FROM directives.documents WHERE id = ",
                        document, ") || '/0000", pick(2) == 0 ? "4" : "8", "'");
  };
  const std::string some_task = "(SELECT id FROM directives.tasks ORDER BY id OFFSET ";
  for (int step = 0; step < 300; ++step) {
    const std::string task = absl::StrCat(some_task, pick(30), " LIMIT 1)");
    switch (pick(8)) {
      case 0:
      case 1: {  // several in one statement
        std::vector<std::string> rows;
        for (int i = 0; i < 1 + pick(8); ++i) {
          const int document = 901 + pick(6);
          rows.push_back(absl::StrCat("(", document, ", '", step, ".", i, "', 'Nhiệm vụ', ", due(),
                                      ", ", completed(), ", ", commune_of(document), ")"));
        }
        Run(
            absl::StrCat("INSERT INTO directives.tasks (document_id, number, title, due_date,"
                         " completed_date, commune_place) VALUES ",
                         absl::StrJoin(rows, ", ")));
        break;
      }
      case 2:  // a due date moved
        Run(absl::StrCat("UPDATE directives.tasks SET due_date = ", due(), " WHERE id = ", task));
        break;
      case 3:  // finished or reopened, a few at once
        Run(absl::StrCat("UPDATE directives.tasks SET completed_date = ", completed(),
                         " WHERE id % 4 = ", pick(4)));
        break;
      case 4: {  // moved to another document, and so perhaps into another commune
        const int document = 901 + pick(6);
        Run(absl::StrCat("UPDATE directives.tasks SET document_id = ", document,
                         ", commune_place = ", commune_of(document), " WHERE id = ", task));
        break;
      }
      case 5:  // deleted
        Run(absl::StrCat("DELETE FROM directives.tasks WHERE id = ", task));
        break;
      case 6:  // the horizon moved forward or back
        Run(absl::StrCat("SELECT directives.advance_task_horizon(", kToday, " + ", pick(61) - 30,
                         ")"));
        break;
      case 7:  // retitled, a few at once, counting nothing anew
        Run(absl::StrCat("UPDATE directives.tasks SET title = 'Nhiệm vụ ", step,
                         "' WHERE id % 3 = ", pick(3)));
        break;
    }
  }

  // With the horizon where the random moves left it, a month back, a
  // month ahead and at today.
  for (const int offset : {999, -30, 30, 0}) {
    if (offset != 999) {
      Run(absl::StrCat("SELECT directives.advance_task_horizon(", kToday, " + ", offset, ")"));
    }
    SCOPED_TRACE(Rows("SELECT day FROM directives.task_horizon")[0]);
    EXPECT_EQ(Rows("SELECT document_id, before_horizon, from_horizon, done_on_time, done_late"
                   " FROM directives.task_counts WHERE before_horizon <> 0"
                   " OR from_horizon <> 0 OR done_on_time <> 0 OR done_late <> 0 ORDER BY 1"),
              Rows("SELECT document_id,"
                   " count(*) FILTER (WHERE completed_date IS NULL AND due_date < h.day),"
                   " count(*) FILTER (WHERE completed_date IS NULL"
                   "   AND (due_date >= h.day OR due_date IS NULL)),"
                   " count(*) FILTER (WHERE completed_date <= due_date"
                   "   OR completed_date IS NOT NULL AND due_date IS NULL),"
                   " count(*) FILTER (WHERE completed_date > due_date)"
                   " FROM directives.tasks CROSS JOIN directives.task_horizon h"
                   " GROUP BY 1 ORDER BY 1"));
    EXPECT_EQ(Rows(caunoi::testing::kKeptCommuneTaskCounts),
              Rows(caunoi::testing::kRecomputedCommuneTaskCounts));
    const std::vector<std::string> acting = Rows(caunoi::testing::kRecomputedActingCommunes);
    EXPECT_THAT(acting, Not(IsEmpty()));
    EXPECT_EQ(Rows(caunoi::testing::kKeptActingCommunes), acting);

    // Overdue per locality, read through the server.
    v1::SummarizeOverdueTasksResponse overdue;
    ASSERT_THAT(caunoi::testing::CallRpc(*stub_, &Stub::SummarizeOverdueTasks,
                                         v1::SummarizeOverdueTasksRequest(), &overdue),
                IsOk());
    std::vector<std::string> answered;
    for (const v1::LocalityOverdue& locality : overdue.localities()) {
      answered.push_back(absl::StrCat(locality.locality(), "|", locality.overdue_tasks(), "|",
                                      locality.max_days_overdue()));
    }
    const std::vector<std::string> recomputed = Rows(
        absl::StrCat("SELECT 'localities/' || d.current_locality_id, count(*), max(", kToday,
                     " - t.due_date) FROM directives.tasks t JOIN directives.documents d"
                     " ON d.id = t.document_id WHERE t.completed_date IS NULL AND t.due_date < ",
                     kToday, " GROUP BY d.current_locality_id ORDER BY 2 DESC, 1"));
    EXPECT_THAT(recomputed, Not(IsEmpty()));
    EXPECT_EQ(answered, recomputed);

    // Tasks by status per locality below the root, then drilled down into
    // Hanoi: the city's own tasks and each commune's.
    EXPECT_EQ(StatusesByPlace(""),
              RecomputedStatuses("'localities/' || d.current_locality_id", "true"));
    const std::map<std::string, int64_t> hanoi = RecomputedStatuses(
        "'localities/01' || CASE WHEN t.commune_place = '' THEN ''"
        " ELSE '/communes/' || split_part(t.commune_place, '/', 2) END",
        "d.current_locality_id = '01'");
    EXPECT_THAT(hanoi, Not(IsEmpty()));
    EXPECT_EQ(StatusesByPlace("localities/01"), hanoi);
  }

  // A commune whose only task is open has not acted; one whose only task
  // was done late has.
  for (const auto& [document, commune, due, completed] :
       {std::tuple(902, "00012", "NULL", "NULL"),
        std::tuple(903, "00016", "date '2025-03-01'", "date '2025-03-09'")}) {
    Run(absl::StrCat(
        "INSERT INTO directives.tasks (document_id, number, title, due_date, completed_date,"
        " commune_place) SELECT id, 'x', 'Nhiệm vụ', ",
        due, ", ", completed, ", current_locality_id || '/", commune,
        "' FROM directives.documents WHERE id = ", document));
  }

  // Every task of one commune of a plan reopened: that commune no longer
  // acted there.
  Run("UPDATE directives.tasks SET completed_date = NULL WHERE document_id = 901"
      " AND commune_place LIKE '%/00004'");
  EXPECT_EQ(Rows(caunoi::testing::kKeptActingCommunes),
            Rows(caunoi::testing::kRecomputedActingCommunes));

  // Two communes' own plans below the root: Hanoi's 00020, which has no
  // task, and 00004, which may have one done as well.
  Run("INSERT INTO directives.documents (id, type, symbol, number, type_code, issuer_code,"
      " normalized_symbol, level, issuing_body, locality_id, current_locality_id, commune_code,"
      " issue_date, title, status)"
      " SELECT 950 + n, 'PLAN', n || '/KH-UBND', n, 'KH', 'UBND', n || '/KH-UBND', 'COMMUNE',"
      " 'Ủy ban nhân dân phường', '01', '01', c, '2025-03-01', 'Kế hoạch', 'ISSUED'"
      " FROM (VALUES (1, '00020'), (2, '00004')) AS p (n, c);"
      "INSERT INTO directives.document_links SELECT 950 + n, 900 FROM generate_series(1, 2) n;");

  // The communes that acted: those with a task of theirs done or a
  // document of their own, each once, in code order, under the locality of
  // the document.
  const std::vector<std::string> acting = Rows(
      "SELECT DISTINCT 'localities/' || locality || '|localities/' || locality || '/communes/'"
      " || commune FROM (SELECT d.current_locality_id, split_part(t.commune_place, '/', 2)"
      "   FROM directives.tasks t JOIN directives.documents d ON d.id = t.document_id"
      "   WHERE t.completed_date IS NOT NULL AND t.commune_place <> ''"
      "   UNION ALL SELECT current_locality_id, commune_code FROM directives.documents"
      "   WHERE commune_code IS NOT NULL) AS a (locality, commune) ORDER BY 1");
  EXPECT_THAT(acting, Contains("localities/01|localities/01/communes/00020"));
  EXPECT_THAT(acting, Not(IsEmpty()));
  EXPECT_EQ(ActingCommunes(""), acting);
  // Nationally the two plans are counted under Hanoi, not listed, and
  // named among the documents below with the city's own.
  const v1::GetImplementationStatusResponse national = StatusOf("");
  std::vector<std::string> hanoi_counted;
  for (const v1::LocalityImplementation& place : national.localities()) {
    if (place.locality() == "localities/01") {
      hanoi_counted.push_back(absl::StrCat(place.commune_documents()));
    }
  }
  EXPECT_THAT(hanoi_counted, ElementsAre("2"));
  EXPECT_THAT(national.documents_below(),
              IsSupersetOf({"directives/951", "directives/952", "directives/901"}));
  EXPECT_EQ(national.documents_below_size(), 6 + 2);
  std::vector<std::string> in_hanoi;
  for (const std::string& entry : acting) {
    if (entry.starts_with("localities/01|")) in_hanoi.push_back(entry);
  }
  EXPECT_THAT(in_hanoi, Not(IsEmpty()));
  EXPECT_EQ(ActingCommunes("localities/01"), in_hanoi);
}

// An edit that moves no task between counts (a title) writes no count or
// tally row, so that it neither grows them nor waits for another edit of
// the same document's tasks; an edit that does move one writes its rows.
TEST_F(TaskCountsTest, AnEditThatMovesNothingCountedWritesNoCount) {
  InsertDirectiveAndPlans(900, 2, "'01'", "date '2025-02-01' + n");
  Run("INSERT INTO directives.tasks (document_id, number, title, due_date, completed_date,"
      " commune_place) SELECT 901 + n % 2, n::text, 'Nhiệm vụ', date '2025-03-01' + n,"
      " CASE WHEN n % 3 = 0 THEN date '2025-03-05' END,"
      " CASE WHEN n % 2 = 0 THEN '01/00004' ELSE '' END FROM generate_series(1, 12) n");
  // Each kept row's version, by table and key.
  const std::string versions =
      "SELECT 'documents', document_id::text, xmin::text FROM directives.task_counts"
      " UNION ALL SELECT 'communes', document_id || '/' || commune_code, xmin::text"
      "   FROM directives.commune_task_counts"
      " UNION ALL SELECT 'tallies', document_id || '/' || outcome || '/' || due_key, xmin::text"
      "   FROM directives.task_tallies"
      " UNION ALL SELECT 'commune tallies', document_id || '/' || outcome || '/' || commune_code"
      "   || '/' || due_key, xmin::text FROM directives.commune_task_tallies ORDER BY 1, 2";
  const std::vector<std::string> before = Rows(versions);
  EXPECT_THAT(Rows("SELECT 1 FROM directives.commune_task_counts"), Not(IsEmpty()));

  Run("UPDATE directives.tasks SET title = 'Nhiệm vụ đã sửa', number = number || 'a'");
  EXPECT_EQ(Rows(versions), before);

  // One of the commune's tasks done: its document's and its commune's
  // counts are rewritten.
  Run("UPDATE directives.tasks SET completed_date = date '2025-03-02'"
      " WHERE id = (SELECT min(id) FROM directives.tasks WHERE commune_place <> ''"
      "   AND completed_date IS NULL)");
  std::vector<std::string> rewritten;
  for (const std::string& row : Rows(versions)) {
    if (std::find(before.begin(), before.end(), row) == before.end()) {
      rewritten.push_back(row.substr(0, row.find('|')));
    }
  }
  EXPECT_THAT(rewritten, IsSupersetOf({"documents", "communes"}));
  EXPECT_EQ(std::count(rewritten.begin(), rewritten.end(), "documents"), 1);
  EXPECT_EQ(std::count(rewritten.begin(), rewritten.end(), "communes"), 1);
  EXPECT_EQ(Rows(caunoi::testing::kKeptCommuneTaskCounts),
            Rows(caunoi::testing::kRecomputedCommuneTaskCounts));
}

}  // namespace
}  // namespace caunoi
