// The gateway's token file, role rules and rate limiter, without servers.
#include <string>
#include <thread>
#include <vector>

#include "common/auth/principal.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/gateway/call_cost.h"
#include "services/gateway/rate_limiter.h"
#include "services/gateway/token_table.h"

namespace caunoi::gateway {
namespace {

using ::testing::HasSubstr;

TEST(TokenTableTest, HashesAreSha256Hex) {
  EXPECT_EQ(Sha256Hex("test"), "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
}

// Each thread keeps one context for every hash it makes: no hash carries
// anything of the one before, on its thread or another.
TEST(TokenTableTest, HashesAreTheSameOnEveryThreadAndEveryTime) {
  constexpr absl::string_view kEmpty =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  constexpr absl::string_view kAbc =
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
  std::vector<std::string> wrong[2];
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 500; ++i) {
        const bool empty = (i + t) % 2 == 0;
        const std::string hash = Sha256Hex(empty ? "" : "abc");
        if (hash != (empty ? kEmpty : kAbc)) wrong[t].push_back(hash);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(wrong[0], std::vector<std::string>{});
  EXPECT_EQ(wrong[1], std::vector<std::string>{});
}

TEST(TokenTableTest, ParsesPrincipalsAndSkipsComments) {
  const std::string file = "# hash name locality role\n\n" + Sha256Hex("a") +
                           "  ha-noi  01  locality\n" + Sha256Hex("b") +
                           "\tban-doi-ngoai\tcentral\tcentral\n";
  auto table = ParseTokenFile(file);
  ASSERT_TRUE(table.ok()) << table.status();
  ASSERT_EQ(table->size(), 2u);
  const auth::Principal& hanoi = table->at(Sha256Hex("a"));
  EXPECT_EQ(hanoi.name, "ha-noi");
  EXPECT_EQ(hanoi.locality_id, "01");
  EXPECT_EQ(hanoi.role, auth::Role::kLocality);
  EXPECT_EQ(table->at(Sha256Hex("b")).locality_id, "");
}

TEST(TokenTableTest, AUnitPrincipalNamesItsOrganization) {
  auto table = ParseTokenFile(Sha256Hex("u") + " haufo 01 unit organizations/2\n");
  ASSERT_TRUE(table.ok()) << table.status();
  const auth::Principal& haufo = table->at(Sha256Hex("u"));
  EXPECT_EQ(haufo.role, auth::Role::kUnit);
  EXPECT_EQ(haufo.locality_id, "01");
  EXPECT_EQ(haufo.organization_id, "2");
}

TEST(TokenTableTest, RefusesMalformedLinesNamingThem) {
  const std::string hash = Sha256Hex("a");
  const std::pair<std::string, std::string> cases[] = {
      {"plaintext-token ha-noi 01 locality", "line 1: the hash"},
      {hash + " ha-noi 1 locality", "locality must be"},
      {hash + " ha-noi 01 admin", "role must be"},
      {hash + " ha-noi central locality", "needs a locality code"},
      {hash + " trung-uong 01 central", "central principal"},
      {hash + " ha-noi 01", "expected"},
      {hash + " haufo 01 unit", "only a unit principal"},
      {hash + " ha-noi 01 locality organizations/2", "only a unit principal"},
      {hash + " haufo 01 unit haufo", "organizations/2"},
      {hash + " haufo 01 unit organizations/02", "organizations/2"},
      {hash + " haufo central unit organizations/2", "needs a locality code"},
      {hash + " a 01 locality\n" + hash + " b 01 locality", "line 2: the same token"},
      {hash + " phuong 01/4 locality", "a commune like 01/00004"},
      {hash + " phuong 01/ locality", "a commune like 01/00004"},
      {hash + " phuong 1/00004 locality", "a commune like 01/00004"},
  };
  for (const auto& [file, error] : cases) {
    auto table = ParseTokenFile(file);
    EXPECT_FALSE(table.ok()) << file;
    EXPECT_THAT(std::string(table.status().message()), HasSubstr(error)) << file;
  }
}

TEST(TokenTableTest, ACommunesPrincipalNamesItsProvinceAndCode) {
  auto table = ParseTokenFile(Sha256Hex("w") + " phuong-ba-dinh 01/00004 locality\n");
  ASSERT_TRUE(table.ok()) << table.status();
  EXPECT_EQ(table->at(Sha256Hex("w")).locality_id, "01/00004");
}

TEST(AuthTest, AProvinceWritesItsCommunesRecordsAndACommuneOnlyItsOwn) {
  const auth::Principal hanoi{"ha-noi", "01", auth::Role::kLocality};
  const auth::Principal ba_dinh{"phuong-ba-dinh", "01/00004", auth::Role::kLocality};
  const auth::Principal hcmc{"tp-hcm", "79", auth::Role::kLocality};
  auto may = [](const auth::Principal& principal, absl::string_view place) {
    return auth::CheckUnitWrite(principal, place, "7", "a record").ok();
  };
  EXPECT_TRUE(may(hanoi, "01"));
  EXPECT_TRUE(may(hanoi, "01/00004"));
  EXPECT_TRUE(may(ba_dinh, "01/00004"));
  EXPECT_FALSE(may(ba_dinh, "01"));
  EXPECT_FALSE(may(ba_dinh, "01/00008"));
  EXPECT_FALSE(may(ba_dinh, "01/000041"));
  EXPECT_FALSE(may(hcmc, "01/00004"));
  EXPECT_FALSE(may(hanoi, "010/00004"));
  absl::Status denied = auth::CheckUnitWrite(ba_dinh, "01/00008", "7", "a report");
  EXPECT_THAT(std::string(denied.message()),
              HasSubstr("localities/01/communes/00008, not localities/01/communes/00004"));
}

TEST(AuthTest, ReadMethodsAreKnownByTheirNames) {
  for (const char* read :
       {"GetReport", "ListOrganizations", "SummarizeCompliance", "ExportReports", "WatchDocuments",
        "ResolveLocalityCode", "GetDirectiveRollout", "CompareLocalities"}) {
    EXPECT_TRUE(auth::IsReadMethod(read)) << read;
  }
  for (const char* write : {"CreateReport", "UpdateTask", "DeleteTerm", "SubmitReport",
                            "AcceptReport", "ReopenReport"}) {
    EXPECT_FALSE(auth::IsReadMethod(write)) << write;
  }
  EXPECT_EQ(auth::EncodePrincipal({"ha-noi", "01", auth::Role::kLocality}), "ha-noi;01;locality;");
  EXPECT_EQ(auth::EncodePrincipal({"haufo", "01", auth::Role::kUnit, "2"}), "haufo;01;unit;2");
}

// An aggregate takes its cost in tokens: two fit in a burst of 50, a third
// waits for the 20 tokens it lacks, and a cost above the burst takes the whole burst.
TEST(RateLimiterTest, AnAggregateTakesItsCost) {
  RateLimiter limiter(/*per_second=*/10, /*burst=*/50);
  const absl::Time start = absl::Now();
  const double aggregate = CallCost("SummarizeCompliance", 20);
  EXPECT_EQ(aggregate, 20);
  EXPECT_EQ(CallCost("GetLocalityStats", 20), 20);
  EXPECT_EQ(CallCost("GetLocality", 20), 1);
  EXPECT_TRUE(IsAggregate("GetDirectiveRollout"));
  EXPECT_FALSE(IsAggregate("ListOrganizations"));
  EXPECT_EQ(limiter.Take("reader", start, aggregate), absl::ZeroDuration());
  EXPECT_EQ(limiter.Take("reader", start, aggregate), absl::ZeroDuration());
  EXPECT_EQ(limiter.Take("reader", start, aggregate), absl::Seconds(1));
  EXPECT_EQ(limiter.Take("reader", start, 1), absl::ZeroDuration());  // 10 tokens were left
  EXPECT_EQ(limiter.Take("other", start, 1000), absl::ZeroDuration());
  EXPECT_GT(limiter.Take("other", start, 1), absl::ZeroDuration());
}

// Work charged after the fact empties the bucket below zero: the next
// call waits until the rate has paid it back.
TEST(RateLimiterTest, ACallsWorkIsChargedAfterItAnswers) {
  RateLimiter limiter(/*per_second=*/10, /*burst=*/20);
  const absl::Time start = absl::Now();
  EXPECT_EQ(limiter.Take("reader", start), absl::ZeroDuration());
  limiter.Charge("reader", start, 29);  // 19 left, 29 more: 10 owed
  EXPECT_EQ(limiter.Take("reader", start), absl::Milliseconds(1100));
  EXPECT_EQ(limiter.Take("reader", start + absl::Milliseconds(1100)), absl::ZeroDuration());
  limiter.Charge("other", start, 1000);  // owes at most one burst
  EXPECT_EQ(limiter.Take("other", start), absl::Milliseconds(2100));
}

TEST(RateLimiterTest, AllowsTheBurstThenTheRate) {
  RateLimiter limiter(/*per_second=*/2, /*burst=*/3);
  const absl::Time start = absl::FromUnixSeconds(1'700'000'000);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(limiter.Take("ha-noi", start), absl::ZeroDuration());
  const absl::Duration wait = limiter.Take("ha-noi", start);
  EXPECT_EQ(wait, absl::Milliseconds(500));
  EXPECT_EQ(limiter.Take("tp-hcm", start), absl::ZeroDuration());  // its own bucket
  EXPECT_EQ(limiter.Take("ha-noi", start + absl::Milliseconds(500)), absl::ZeroDuration());
  EXPECT_GT(limiter.Take("ha-noi", start + absl::Milliseconds(500)), absl::ZeroDuration());
}

}  // namespace
}  // namespace caunoi::gateway
