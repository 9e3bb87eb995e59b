// The kept closure of document links against a walk of the links
// themselves, after a random mix of links added, removed and moved (one
// and several a statement, on a graph where one document is reached by
// several paths); and the implementation status and the cascade read
// through it against the same walk.
#include <map>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "caunoi/v1/directives.grpc.pb.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/directives_database_test.h"
#include "tests/support/rpc.h"

namespace caunoi {
namespace {

using ::caunoi::testing::IsOk;
using ::testing::IsEmpty;
using ::testing::Not;
using Stub = v1::DirectiveService::Stub;

// Every path enumerated: the pairs, how many paths join them and the
// length of the shortest.
constexpr char kWalkedPairs[] =
    "WITH RECURSIVE walk (a, d, n) AS (SELECT parent_id, child_id, 1"
    "  FROM directives.document_links"
    " UNION ALL SELECT w.a, l.child_id, w.n + 1 FROM walk w"
    "  JOIN directives.document_links l ON l.parent_id = w.d)"
    " SELECT a, d, count(*), min(n) FROM walk GROUP BY 1, 2 ORDER BY 1, 2";
constexpr char kKeptPairs[] =
    "SELECT ancestor_id, descendant_id, paths, depth FROM directives.document_closure"
    " ORDER BY 1, 2";

class DocumentClosureTest : public caunoi::testing::DirectivesDatabaseTest {};

TEST_F(DocumentClosureTest, KeptPairsAndTheDocumentsBelowEqualAWalkOfTheLinks) {
  // A central root (1000) and 40 documents of Hanoi, Ho Chi Minh City and
  // Huế, issued a day apart; some issued the same day, so that documents
  // of equal lag are ordered by id.
  InsertDirectiveAndPlans(1000, 40, "(ARRAY['01', '79', '46'])[n % 3 + 1]",
                          "date '2025-02-01' + n / 3");

  // Links only from a lower id to a higher one: never a cycle, often
  // several paths to one document.
  std::mt19937 random(20261203);
  auto pick = [&](int n) { return static_cast<int>(random() % n); };
  auto some_link = [&]() {
    const int child = 1001 + pick(40);
    const int parent = child - 1 - pick(child - 1000);
    return std::make_pair(parent, child);
  };
  auto absent = [&](std::pair<int, int> link) {
    return absl::StrCat("SELECT ", link.first, ", ", link.second,
                        " WHERE NOT EXISTS (SELECT 1 FROM directives.document_links"
                        " WHERE parent_id = ",
                        link.first, " AND child_id = ", link.second, ")");
  };
  constexpr char kSomeLink[] =
      "(SELECT child_id, parent_id FROM directives.document_links ORDER BY 1, 2 OFFSET ";
  for (int step = 0; step < 400; ++step) {
    switch (pick(6)) {
      case 0:
      case 1: {  // one link, or several in one statement
        std::vector<std::string> links;
        for (int i = 0; i < 1 + pick(4); ++i) links.push_back(absent(some_link()));
        Run(
            absl::StrCat("INSERT INTO directives.document_links (parent_id, child_id)"
                         " SELECT DISTINCT * FROM (",
                         absl::StrJoin(links, " UNION ALL "), ") l ON CONFLICT DO NOTHING"));
        break;
      }
      case 2:  // one link removed
        Run(absl::StrCat("DELETE FROM directives.document_links WHERE (child_id, parent_id) IN ",
                         kSomeLink, pick(60), " LIMIT 1)"));
        break;
      case 3:  // a document's links all removed at once
        Run(absl::StrCat("DELETE FROM directives.document_links WHERE child_id = ",
                         1001 + pick(40)));
        break;
      case 4:  // a link moved to another (earlier) parent
        Run(absl::StrCat(
            "UPDATE directives.document_links l SET parent_id = m.new_parent FROM (SELECT"
            " child_id, parent_id, 1000 + ",
            pick(1000),
            " % (child_id - 1000) AS new_parent FROM directives.document_links"
            " ORDER BY 1, 2 OFFSET ",
            pick(60),
            " LIMIT 1) m WHERE l.child_id = m.child_id AND l.parent_id = m.parent_id"
            " AND NOT EXISTS (SELECT 1 FROM directives.document_links x"
            "  WHERE x.child_id = m.child_id AND x.parent_id = m.new_parent)"));
        break;
      case 5:  // the root's own documents
        Run(absl::StrCat("INSERT INTO directives.document_links (parent_id, child_id) ",
                         absent({1000, 1001 + pick(40)})));
        break;
    }
    if (step % 50 == 49) {
      ASSERT_EQ(Rows(kKeptPairs), Rows(kWalkedPairs)) << "after step " << step;
    }
  }
  const std::vector<std::string> walked = Rows(kWalkedPairs);
  ASSERT_THAT(walked, Not(IsEmpty()));
  EXPECT_EQ(Rows(kKeptPairs), walked);
  EXPECT_THAT(Rows("SELECT 1 FROM directives.document_closure d"
                   " JOIN directives.document_closure u ON u.ancestor_id = d.descendant_id"
                   " AND u.descendant_id = d.ancestor_id"),
              IsEmpty());

  // The documents below the root, per locality, earliest first and then
  // by id, as the walk finds them.
  v1::GetImplementationStatusRequest request;
  request.set_name("directives/1000");
  v1::GetImplementationStatusResponse status;
  ASSERT_THAT(caunoi::testing::CallRpc(*stub_, &Stub::GetImplementationStatus, request, &status),
              IsOk());
  std::vector<std::string> answered;
  for (const v1::LocalityImplementation& locality : status.localities()) {
    for (const v1::ImplementingDocument& document : locality.documents()) {
      answered.push_back(
          absl::StrCat(locality.locality(), "|", document.name(), "|", document.lag_days()));
    }
  }
  const std::vector<std::string> expected = Rows(
      "WITH RECURSIVE below (id) AS (SELECT child_id FROM directives.document_links"
      "  WHERE parent_id = 1000 UNION SELECT l.child_id FROM directives.document_links l"
      "  JOIN below b ON l.parent_id = b.id)"
      " SELECT 'localities/' || d.current_locality_id || '|directives/' || d.id || '|'"
      "  || (d.issue_date - date '2025-01-05')"
      " FROM below JOIN directives.documents d USING (id)"
      " ORDER BY d.current_locality_id, d.issue_date, d.id");
  ASSERT_GT(expected.size(), 5u);
  EXPECT_EQ(answered, expected);

  // The cascade: each document below once, at the length of its shortest
  // path, nearest first, then earliest, then by id.
  v1::GetCascadeRequest cascade_request;
  cascade_request.set_name("directives/1000");
  v1::GetCascadeResponse cascade;
  ASSERT_THAT(caunoi::testing::CallRpc(*stub_, &Stub::GetCascade, cascade_request, &cascade),
              IsOk());
  std::vector<std::string> cascaded;
  for (const v1::CascadeEntry& entry : cascade.entries()) {
    cascaded.push_back(absl::StrCat(entry.document().name(), "|", entry.depth()));
  }
  EXPECT_EQ(cascaded, Rows("WITH RECURSIVE walk (id, n) AS (SELECT child_id, 1"
                           "  FROM directives.document_links WHERE parent_id = 1000"
                           " UNION ALL SELECT l.child_id, w.n + 1 FROM walk w"
                           "  JOIN directives.document_links l ON l.parent_id = w.id)"
                           " SELECT 'directives/' || d.id || '|' || min(w.n)"
                           " FROM walk w JOIN directives.documents d USING (id)"
                           " GROUP BY d.id, d.issue_date ORDER BY min(w.n), d.issue_date, d.id"));

  // Emptied at once, and filled again from nothing.
  Run("TRUNCATE directives.document_links");
  EXPECT_THAT(Rows(kKeptPairs), IsEmpty());
  Run("INSERT INTO directives.document_links (parent_id, child_id) VALUES (1000, 1001),"
      " (1001, 1002), (1000, 1002)");
  EXPECT_EQ(Rows(kKeptPairs), Rows(kWalkedPairs));
}

}  // namespace
}  // namespace caunoi
