// Organizations, their hierarchy, member counts and search through the real
// organizations_server and PostgreSQL, including the write contract:
// request_id, etag, update masks and the audit log.
#include <atomic>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "common/api/dates.h"
#include "common/client/organizations_client.h"
#include "common/pg/connection.h"
#include "common/status/errors.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/organizations_server_test.h"

namespace caunoi {
namespace {

using ::caunoi::testing::IsOk;
using ::caunoi::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;
using Stub = v1::OrganizationService::Stub;

v1::Organization Org(const std::string& display_name, v1::OrganizationKind kind,
                     v1::OrganizationLevel level, const std::string& locality = "",
                     const std::string& parent = "") {
  v1::Organization organization;
  organization.set_display_name(display_name);
  organization.set_kind(kind);
  organization.set_level(level);
  organization.set_locality(locality);
  organization.set_parent(parent);
  return organization;
}

class OrganizationsTest : public caunoi::testing::OrganizationsServerTest {
 protected:
  absl::StatusOr<v1::Organization> Create(const v1::Organization& organization,
                                          const std::string& request_id = "") {
    v1::CreateOrganizationRequest request;
    *request.mutable_organization() = organization;
    request.set_request_id(request_id);
    v1::Organization created;
    absl::Status status = Call(&Stub::CreateOrganization, request, &created);
    if (!status.ok()) return status;
    return created;
  }

  v1::Organization MustCreate(const v1::Organization& organization) {
    absl::StatusOr<v1::Organization> created = Create(organization);
    EXPECT_THAT(created.status(), IsOk());
    return created.value_or(v1::Organization());
  }

  // Old Bình Dương comes under Đồng Nai instead of Hồ Chí Minh City, as a
  // correction of the merger's table would have it.
  void MoveBinhDuongUnderDongNai() {
    auto connection = Connect("organizations-test");
    ASSERT_NE(connection, nullptr);
    ASSERT_THAT(connection
                    ->ExecuteScript("UPDATE organizations.localities SET successor_id = '75'"
                                    " WHERE id = 'pre2025-74'")
                    .status(),
                IsOk());
  }

  // Names of every organization matching `filter`, across all pages.
  std::vector<std::string> Names(const std::string& filter, int page_size = 0) {
    std::vector<std::string> names;
    v1::ListOrganizationsRequest request;
    request.set_filter(filter);
    request.set_page_size(page_size);
    for (int pages = 0; pages < 100; ++pages) {
      v1::ListOrganizationsResponse response;
      absl::Status status = Call(&Stub::ListOrganizations, request, &response);
      EXPECT_THAT(status, IsOk()) << filter;
      if (!status.ok()) break;
      for (const auto& organization : response.organizations()) {
        names.push_back(organization.display_name());
      }
      if (response.next_page_token().empty()) break;
      request.set_page_token(response.next_page_token());
    }
    return names;
  }

  absl::StatusOr<v1::Organization> Update(const v1::Organization& patch,
                                          std::vector<std::string> paths,
                                          const std::string& reason = "") {
    v1::UpdateOrganizationRequest request;
    *request.mutable_organization() = patch;
    for (const std::string& path : paths) request.mutable_update_mask()->add_paths(path);
    request.set_reason(reason);
    v1::Organization updated;
    absl::Status status = Call(&Stub::UpdateOrganization, request, &updated);
    if (!status.ok()) return status;
    return updated;
  }

  std::vector<v1::AuditRecord> Audit(const std::string& resource) {
    v1::ListAuditRecordsRequest request;
    request.set_resource(resource);
    v1::ListAuditRecordsResponse response;
    EXPECT_THAT(Call(&Stub::ListAuditRecords, request, &response), IsOk());
    return {response.audit_records().begin(), response.audit_records().end()};
  }

  // VUFO -> HAUFO -> two bilateral associations, and HUFO in Ho Chi Minh City.
  void CreateHierarchy() {
    vufo_ = MustCreate(Org("Liên hiệp các tổ chức hữu nghị Việt Nam",
                           v1::ORGANIZATION_KIND_FRIENDSHIP_UNION, v1::ORGANIZATION_LEVEL_CENTRAL));
    v1::Organization haufo = Org("Liên hiệp các tổ chức hữu nghị thành phố Hà Nội",
                                 v1::ORGANIZATION_KIND_FRIENDSHIP_UNION,
                                 v1::ORGANIZATION_LEVEL_PROVINCIAL, "localities/01", vufo_.name());
    haufo.set_abbreviation("HAUFO");
    haufo_ = MustCreate(haufo);
    v1::Organization japan = Org("Hội hữu nghị Việt Nam - Nhật Bản thành phố Hà Nội",
                                 v1::ORGANIZATION_KIND_FRIENDSHIP_ASSOCIATION,
                                 v1::ORGANIZATION_LEVEL_PROVINCIAL, "localities/01", haufo_.name());
    japan.set_country("countries/TH");
    japan_ = MustCreate(japan);
    laos_ = MustCreate(Org("Hội hữu nghị Việt Nam - Lào thành phố Hà Nội",
                           v1::ORGANIZATION_KIND_FRIENDSHIP_ASSOCIATION,
                           v1::ORGANIZATION_LEVEL_PROVINCIAL, "localities/01", haufo_.name()));
    // Recorded before the 2025 merger under Bình Dương, now part of HCMC.
    binh_duong_ = MustCreate(Org(
        "Liên hiệp các tổ chức hữu nghị tỉnh Bình Dương", v1::ORGANIZATION_KIND_FRIENDSHIP_UNION,
        v1::ORGANIZATION_LEVEL_PROVINCIAL, "localities/pre2025-74", vufo_.name()));
    hufo_ = MustCreate(Org("Liên hiệp các tổ chức hữu nghị Thành phố Hồ Chí Minh",
                           v1::ORGANIZATION_KIND_FRIENDSHIP_UNION,
                           v1::ORGANIZATION_LEVEL_PROVINCIAL, "localities/79", vufo_.name()));
  }

  v1::Organization vufo_, haufo_, japan_, laos_, binh_duong_, hufo_;
};

TEST_F(OrganizationsTest, CreateThenGetRoundTripsExactly) {
  CreateHierarchy();
  EXPECT_THAT(haufo_.name(), ::testing::StartsWith("organizations/"));
  EXPECT_FALSE(haufo_.etag().empty());
  EXPECT_EQ(haufo_.status(), v1::ORGANIZATION_STATUS_ACTIVE);
  EXPECT_EQ(haufo_.current_locality(), "localities/01");
  EXPECT_EQ(binh_duong_.locality(), "localities/pre2025-74");
  EXPECT_EQ(binh_duong_.current_locality(), "localities/79");

  v1::GetOrganizationRequest request;
  request.set_name(haufo_.name());
  v1::Organization got;
  ASSERT_THAT(Call(&Stub::GetOrganization, request, &got), IsOk());
  EXPECT_EQ(got.display_name(), "Liên hiệp các tổ chức hữu nghị thành phố Hà Nội");
  EXPECT_EQ(got.abbreviation(), "HAUFO");
  EXPECT_EQ(got.parent(), vufo_.name());
  EXPECT_EQ(got.etag(), haufo_.etag());
}

TEST_F(OrganizationsTest, ListFiltersByEveryField) {
  CreateHierarchy();
  const std::string haufo_name = haufo_.display_name();
  EXPECT_THAT(Names("kind = FRIENDSHIP_ASSOCIATION"),
              UnorderedElementsAre(japan_.display_name(), laos_.display_name()));
  EXPECT_THAT(Names("level = CENTRAL"), ElementsAre(vufo_.display_name()));
  EXPECT_THAT(Names("parent = \"" + haufo_.name() + "\""),
              ElementsAre(japan_.display_name(), laos_.display_name()));
  EXPECT_EQ(Names("ancestor = \"" + vufo_.name() + "\"").size(), 5u);
  EXPECT_THAT(Names("country = \"countries/TH\""), ElementsAre(japan_.display_name()));
  EXPECT_THAT(Names("country_tier = ASEAN_MEMBER"), ElementsAre(japan_.display_name()));
  EXPECT_THAT(Names("country_tier = NEIGHBOUR"), ::testing::IsEmpty());
  EXPECT_EQ(Names("status = ACTIVE").size(), 6u);
  // A pre-2025 unit stands for its successor's area, and the successor
  // finds what was recorded under the units it absorbed.
  EXPECT_THAT(Names("locality = \"localities/79\""),
              UnorderedElementsAre(binh_duong_.display_name(), hufo_.display_name()));
  EXPECT_THAT(Names("locality = \"localities/pre2025-74\""),
              UnorderedElementsAre(binh_duong_.display_name(), hufo_.display_name()));
  EXPECT_THAT(Names("locality = \"localities/01\" AND kind = FRIENDSHIP_UNION"),
              ElementsAre(haufo_name));
}

TEST_F(OrganizationsTest, AUnitThatComesUnderAnotherTakesItsOrganizationsAlong) {
  CreateHierarchy();
  ASSERT_THAT(Names("locality = \"localities/79\""),
              UnorderedElementsAre(binh_duong_.display_name(), hufo_.display_name()));
  // Were old Bình Dương to come under Đồng Nai instead, its
  // organization's area follows.
  ASSERT_NO_FATAL_FAILURE(MoveBinhDuongUnderDongNai());
  EXPECT_THAT(Names("locality = \"localities/79\""), ElementsAre(hufo_.display_name()));
  EXPECT_THAT(Names("locality = \"localities/75\""), ElementsAre(binh_duong_.display_name()));
  EXPECT_THAT(Names("locality = \"localities/pre2025-74\""),
              ElementsAre(binh_duong_.display_name()));
}

// What the other services ask: a locality's unit of today, kept for a
// while (localities change only with a migration) and asked again after.
TEST_F(OrganizationsTest, ALocalitysUnitOfTodayIsKeptForItsTimeThenAskedAgain) {
  OrganizationsClient kept(server_->NewChannel());
  OrganizationsClient asked(server_->NewChannel(), absl::ZeroDuration());
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  EXPECT_EQ(kept.CurrentLocalityId("localities/pre2025-74", "locality", deadline).value_or(""),
            "79");
  EXPECT_THAT(kept.CurrentLocalityId("localities/99", "locality", deadline),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("no such locality")));
  ASSERT_NO_FATAL_FAILURE(MoveBinhDuongUnderDongNai());
  EXPECT_EQ(kept.CurrentLocalityId("localities/pre2025-74", "locality", deadline).value_or(""),
            "79");
  EXPECT_EQ(asked.CurrentLocalityId("localities/pre2025-74", "locality", deadline).value_or(""),
            "75");
}

TEST_F(OrganizationsTest, TodaysLocalitiesAreKeptWholeForTheirTime) {
  OrganizationsClient kept(server_->NewChannel());
  OrganizationsClient asked(server_->NewChannel(), absl::ZeroDuration());
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  EXPECT_FALSE(kept.KeptLocalities().has_value());  // nothing asked yet
  const absl::StatusOr<std::vector<std::string>> today = kept.CurrentLocalities(deadline);
  ASSERT_THAT(today.status(), IsOk());
  EXPECT_EQ(today->size(), 34u);
  const std::optional<v1::ListLocalitiesResponse> list = kept.KeptLocalities();
  ASSERT_TRUE(list.has_value());
  ASSERT_EQ(list->localities_size(), 34);
  EXPECT_EQ(list->localities(0).name(), today->front());
  EXPECT_FALSE(list->localities(0).display_name().empty());

  // An incomplete list is never kept; with no time to keep, nothing is.
  v1::ListLocalitiesResponse first_page;
  *first_page.add_localities() = list->localities(0);
  first_page.set_next_page_token("more");
  kept.KeepLocalities(first_page);
  EXPECT_EQ(kept.KeptLocalities()->localities_size(), 34);
  ASSERT_THAT(asked.CurrentLocalities(deadline).status(), IsOk());
  EXPECT_FALSE(asked.KeptLocalities().has_value());
}

TEST_F(OrganizationsTest, NameSearchMatchesEveryWordWithOrWithoutDiacritics) {
  CreateHierarchy();
  EXPECT_THAT(
      Names("display_name : \"huu nghi ha noi\""),
      UnorderedElementsAre(haufo_.display_name(), japan_.display_name(), laos_.display_name()));
  EXPECT_THAT(Names("display_name : \"hoi huu nghi lao\""), ElementsAre(laos_.display_name()));
  EXPECT_THAT(Names("display_name : \"Hội hữu nghị\" AND parent = \"" + haufo_.name() + "\""),
              ElementsAre(japan_.display_name(), laos_.display_name()));
  EXPECT_THAT(Names("display_name : \"HAUFO\""), ElementsAre(haufo_.display_name()));
  EXPECT_THAT(Names("display_name : \"BINH DUONG\""), ElementsAre(binh_duong_.display_name()));
}

TEST_F(OrganizationsTest, PageTokenIsStableUnderConcurrentInserts) {
  CreateHierarchy();
  v1::ListOrganizationsRequest request;
  request.set_page_size(4);
  v1::ListOrganizationsResponse first;
  ASSERT_THAT(Call(&Stub::ListOrganizations, request, &first), IsOk());
  ASSERT_EQ(first.organizations_size(), 4);
  ASSERT_FALSE(first.next_page_token().empty());
  MustCreate(Org("Hội hữu nghị mới", v1::ORGANIZATION_KIND_FRIENDSHIP_ASSOCIATION,
                 v1::ORGANIZATION_LEVEL_PROVINCIAL, "localities/01", haufo_.name()));
  request.set_page_token(first.next_page_token());
  v1::ListOrganizationsResponse second;
  ASSERT_THAT(Call(&Stub::ListOrganizations, request, &second), IsOk());
  std::set<std::string> seen;
  for (const auto& o : first.organizations()) seen.insert(o.name());
  for (const auto& o : second.organizations()) {
    EXPECT_TRUE(seen.insert(o.name()).second) << o.name() << " appeared twice";
  }
  EXPECT_EQ(seen.size(), 7u);  // the six, then the new one at the end

  request.set_filter("kind = OTHER");
  EXPECT_THAT(Call(&Stub::ListOrganizations, request, &second),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(OrganizationsTest, RetriedCreateReturnsTheFirstResultAndCreatesNothing) {
  vufo_ = MustCreate(Org("Liên hiệp các tổ chức hữu nghị Việt Nam",
                         v1::ORGANIZATION_KIND_FRIENDSHIP_UNION, v1::ORGANIZATION_LEVEL_CENTRAL));
  const v1::Organization fresh =
      Org("Ủy ban MTTQ Việt Nam thành phố Hà Nội", v1::ORGANIZATION_KIND_FATHERLAND_FRONT_COMMITTEE,
          v1::ORGANIZATION_LEVEL_PROVINCIAL, "localities/01");
  absl::StatusOr<v1::Organization> first = Create(fresh, "req-7f3a");
  ASSERT_THAT(first.status(), IsOk());
  // Concurrent retries of the same request all get the same resource.
  std::vector<std::thread> threads;
  std::vector<std::string> names(4);
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      absl::StatusOr<v1::Organization> again = Create(fresh, "req-7f3a");
      names[i] = again.ok() ? again->name() : again.status().ToString();
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (const std::string& name : names) EXPECT_EQ(name, first->name());
  EXPECT_EQ(Names("").size(), 2u);
  EXPECT_EQ(Audit(first->name()).size(), 1u);

  v1::Organization different = fresh;
  different.set_display_name("Một tổ chức khác");
  absl::Status reused = Create(different, "req-7f3a").status();
  EXPECT_THAT(reused, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("request_id")));
  EXPECT_EQ(Names("").size(), 2u);
}

TEST_F(OrganizationsTest, UpdateAppliesOnlyTheMaskAndIsAudited) {
  CreateHierarchy();
  v1::Organization patch;
  patch.set_name(haufo_.name());
  patch.set_etag(haufo_.etag());
  patch.set_english_name("Hanoi Union of Friendship Organizations");
  patch.set_display_name("ignored: not in the mask");
  *patch.mutable_founded() = api::ToDate(absl::CivilDay(1985, 1, 1));
  absl::StatusOr<v1::Organization> updated =
      Update(patch, {"english_name", "founded"}, "correcting the date from the article");
  ASSERT_THAT(updated.status(), IsOk());
  EXPECT_EQ(updated->english_name(), "Hanoi Union of Friendship Organizations");
  EXPECT_EQ(updated->display_name(), haufo_.display_name());
  EXPECT_EQ(updated->founded().year(), 1985);
  EXPECT_NE(updated->etag(), haufo_.etag());

  std::vector<v1::AuditRecord> audit = Audit(haufo_.name());
  ASSERT_EQ(audit.size(), 2u);  // newest first
  EXPECT_EQ(audit[0].action(), "update");
  EXPECT_EQ(audit[0].reason(), "correcting the date from the article");
  EXPECT_THAT(audit[0].changed_fields(), ElementsAre("english_name", "founded"));
  EXPECT_THAT(audit[0].before_json(), ::testing::Not(HasSubstr("Hanoi Union")));
  EXPECT_THAT(audit[0].after_json(), HasSubstr("Hanoi Union"));
  EXPECT_THAT(audit[0].actor(), HasSubstr("127.0.0.1"));
  EXPECT_EQ(audit[1].action(), "create");

  // The old etag is stale now.
  patch.set_english_name("again");
  EXPECT_THAT(Update(patch, {"english_name"}).status(),
              StatusIs(absl::StatusCode::kAborted, HasSubstr("etag")));
  // So is a path outside the updatable fields.
  patch.set_etag(updated->etag());
  EXPECT_THAT(Update(patch, {"current_locality"}).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("update_mask")));
}

TEST_F(OrganizationsTest, OfTwoUpdatesFromOneEtagExactlyOneWins) {
  CreateHierarchy();
  std::atomic<int> won{0}, aborted{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([&, i] {
      v1::Organization patch;
      patch.set_name(laos_.name());
      patch.set_etag(laos_.etag());
      patch.set_english_name("writer " + std::to_string(i));
      absl::Status status = Update(patch, {"english_name"}).status();
      if (status.ok()) ++won;
      if (status.code() == absl::StatusCode::kAborted) ++aborted;
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(won.load(), 1);
  EXPECT_EQ(aborted.load(), 5);
  EXPECT_EQ(Audit(laos_.name()).size(), 2u);
}

TEST_F(OrganizationsTest, HierarchyRefusesCyclesAndMissingParents) {
  CreateHierarchy();
  v1::Organization patch;
  patch.set_name(vufo_.name());
  patch.set_parent(japan_.name());
  absl::Status cycle = Update(patch, {"parent"}).status();
  EXPECT_THAT(cycle, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("cycle")));
  ASSERT_TRUE(GetBadRequest(cycle).has_value());
  EXPECT_EQ(GetBadRequest(cycle)->field_violations(0).field(), "organization.parent");

  patch.set_parent(vufo_.name());
  EXPECT_THAT(Update(patch, {"parent"}).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("own member")));

  EXPECT_THAT(
      Create(Org("Hội mồ côi", v1::ORGANIZATION_KIND_FRIENDSHIP_ASSOCIATION,
                 v1::ORGANIZATION_LEVEL_PROVINCIAL, "localities/01", "organizations/999999"))
          .status(),
      StatusIs(absl::StatusCode::kNotFound, HasSubstr("organization.parent")));
  EXPECT_EQ(Names("").size(), 6u);
}

TEST_F(OrganizationsTest, MovingAnOrganizationCarriesItsSubtree) {
  CreateHierarchy();
  v1::Organization patch;
  patch.set_name(haufo_.name());
  patch.set_parent(hufo_.name());
  ASSERT_THAT(Update(patch, {"parent"}, "illustrating a move").status(), IsOk());
  EXPECT_THAT(
      Names("ancestor = \"" + hufo_.name() + "\""),
      UnorderedElementsAre(haufo_.display_name(), japan_.display_name(), laos_.display_name()));
  // Now HUFO's chain leads through VUFO to HAUFO's members: HUFO cannot
  // move under them.
  patch.set_name(hufo_.name());
  patch.set_parent(japan_.name());
  EXPECT_THAT(Update(patch, {"parent"}).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("cycle")));
  patch.set_name(haufo_.name());
  patch.clear_parent();
  ASSERT_THAT(Update(patch, {"parent"}).status(), IsOk());
  EXPECT_THAT(Names("ancestor = \"" + haufo_.name() + "\""),
              UnorderedElementsAre(japan_.display_name(), laos_.display_name()));
  EXPECT_THAT(Names("ancestor = \"" + vufo_.name() + "\""),
              UnorderedElementsAre(binh_duong_.display_name(), hufo_.display_name()));
}

TEST_F(OrganizationsTest, TreeReturnsTheWholeSubtreeInOneCall) {
  CreateHierarchy();
  v1::GetOrganizationTreeRequest request;
  request.set_name(vufo_.name());
  v1::GetOrganizationTreeResponse tree;
  ASSERT_THAT(Call(&Stub::GetOrganizationTree, request, &tree), IsOk());
  ASSERT_EQ(tree.nodes_size(), 6);
  EXPECT_EQ(tree.nodes(0).organization().name(), vufo_.name());
  EXPECT_EQ(tree.nodes(0).depth(), 0);
  EXPECT_EQ(tree.nodes(1).organization().name(), haufo_.name());
  EXPECT_EQ(tree.nodes(2).organization().name(), japan_.name());
  EXPECT_EQ(tree.nodes(2).depth(), 2);

  request.set_max_depth(1);
  ASSERT_THAT(Call(&Stub::GetOrganizationTree, request, &tree), IsOk());
  // (the response accumulates: clear and ask again)
  tree.Clear();
  ASSERT_THAT(Call(&Stub::GetOrganizationTree, request, &tree), IsOk());
  EXPECT_EQ(tree.nodes_size(), 4);

  request.set_name("organizations/424242");
  EXPECT_THAT(Call(&Stub::GetOrganizationTree, request, &tree),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(OrganizationsTest, TreePagesAreSlicesOfTheWholeDepthFirstOrder) {
  CreateHierarchy();
  auto names_of = [](const v1::GetOrganizationTreeResponse& page) {
    std::vector<std::string> names;
    for (const v1::OrganizationTreeNode& node : page.nodes()) {
      names.push_back(absl::StrCat(node.organization().name(), "@", node.depth()));
    }
    return names;
  };
  v1::GetOrganizationTreeRequest request;
  request.set_name(vufo_.name());
  v1::GetOrganizationTreeResponse whole;
  ASSERT_THAT(Call(&Stub::GetOrganizationTree, request, &whole), IsOk());
  ASSERT_EQ(whole.nodes_size(), 6);
  EXPECT_TRUE(whole.next_page_token().empty());

  for (int page_size : {1, 4}) {
    std::vector<std::string> paged;
    request.set_page_size(page_size);
    request.clear_page_token();
    int pages = 0;
    do {
      v1::GetOrganizationTreeResponse page;
      ASSERT_THAT(Call(&Stub::GetOrganizationTree, request, &page), IsOk());
      EXPECT_LE(page.nodes_size(), page_size);
      for (std::string& name : names_of(page)) paged.push_back(std::move(name));
      request.set_page_token(page.next_page_token());
      ASSERT_LT(++pages, 10);
    } while (!request.page_token().empty());
    EXPECT_EQ(paged, names_of(whole)) << "pages of " << page_size;
  }

  // A token belongs to its tree and depth.
  request.set_page_size(2);
  request.clear_page_token();
  v1::GetOrganizationTreeResponse page;
  ASSERT_THAT(Call(&Stub::GetOrganizationTree, request, &page), IsOk());
  ASSERT_FALSE(page.next_page_token().empty());
  request.set_page_token(page.next_page_token());
  request.set_max_depth(1);
  EXPECT_THAT(Call(&Stub::GetOrganizationTree, request, &page),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("page_token")));
  request.set_max_depth(0);
  request.set_name(haufo_.name());
  EXPECT_THAT(Call(&Stub::GetOrganizationTree, request, &page),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("page_token")));
  request.clear_page_token();
  request.set_page_size(-1);
  EXPECT_THAT(Call(&Stub::GetOrganizationTree, request, &page),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("page_size")));
}

TEST_F(OrganizationsTest, MemberCountsAreDatedObservations) {
  CreateHierarchy();
  auto record = [&](int64_t count, absl::CivilDay day, bool at_least) {
    v1::CreateMemberCountRequest request;
    request.set_parent(haufo_.name());
    request.mutable_member_count()->set_count(count);
    *request.mutable_member_count()->mutable_as_of() = api::ToDate(day);
    request.mutable_member_count()->set_at_least(at_least);
    v1::MemberCount created;
    EXPECT_THAT(Call(&Stub::CreateMemberCount, request, &created), IsOk());
    return created;
  };
  record(35000, absl::CivilDay(2021, 6, 30), false);
  v1::MemberCount latest = record(40000, absl::CivilDay(2023, 8, 17), true);
  EXPECT_THAT(latest.name(), ::testing::StartsWith(haufo_.name() + "/memberCounts/"));

  v1::GetOrganizationRequest get;
  get.set_name(haufo_.name());
  v1::Organization organization;
  ASSERT_THAT(Call(&Stub::GetOrganization, get, &organization), IsOk());
  EXPECT_EQ(organization.member_count().count(), 40000);
  EXPECT_TRUE(organization.member_count().at_least());

  *get.mutable_member_count_as_of() = api::ToDate(absl::CivilDay(2022, 12, 31));
  ASSERT_THAT(Call(&Stub::GetOrganization, get, &organization), IsOk());
  EXPECT_EQ(organization.member_count().count(), 35000);
  *get.mutable_member_count_as_of() = api::ToDate(absl::CivilDay(2020, 1, 1));
  organization.Clear();
  ASSERT_THAT(Call(&Stub::GetOrganization, get, &organization), IsOk());
  EXPECT_FALSE(organization.has_member_count());

  v1::ListMemberCountsRequest list;
  list.set_parent(haufo_.name());
  v1::ListMemberCountsResponse counts;
  ASSERT_THAT(Call(&Stub::ListMemberCounts, list, &counts), IsOk());
  EXPECT_EQ(counts.member_counts_size(), 2);

  // A member count belongs to its organization: another's name does not reach it.
  v1::GetMemberCountRequest wrong;
  wrong.set_name(vufo_.name() + "/memberCounts/" +
                 latest.name().substr(latest.name().rfind('/') + 1));
  v1::MemberCount found;
  EXPECT_THAT(Call(&Stub::GetMemberCount, wrong, &found), StatusIs(absl::StatusCode::kNotFound));
  wrong.set_name(latest.name());
  EXPECT_THAT(Call(&Stub::GetMemberCount, wrong, &found), IsOk());
  EXPECT_EQ(found.count(), 40000);
}

TEST_F(OrganizationsTest, DeleteNeedsNoMembersAndIsAudited) {
  CreateHierarchy();
  v1::DeleteOrganizationRequest request;
  request.set_name(haufo_.name());
  google::protobuf::Empty empty;
  EXPECT_THAT(Call(&Stub::DeleteOrganization, request, &empty),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("member organizations")));

  request.set_name(laos_.name());
  request.set_etag("999");
  EXPECT_THAT(Call(&Stub::DeleteOrganization, request, &empty),
              StatusIs(absl::StatusCode::kAborted));
  request.set_etag(laos_.etag());
  request.set_reason("recorded twice");
  ASSERT_THAT(Call(&Stub::DeleteOrganization, request, &empty), IsOk());
  // Kept to be read by its name, with its delete_time; never changed again.
  v1::GetOrganizationRequest get;
  get.set_name(laos_.name());
  v1::Organization gone;
  ASSERT_THAT(Call(&Stub::GetOrganization, get, &gone), IsOk());
  EXPECT_TRUE(gone.has_delete_time());
  EXPECT_EQ(gone.display_name(), laos_.display_name());
  request.clear_etag();
  EXPECT_THAT(Call(&Stub::DeleteOrganization, request, &empty),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("was deleted")));
  v1::UpdateOrganizationRequest rename;
  rename.mutable_organization()->set_name(laos_.name());
  rename.mutable_organization()->set_english_name("Laos");
  rename.mutable_update_mask()->add_paths("english_name");
  v1::Organization renamed;
  EXPECT_THAT(Call(&Stub::UpdateOrganization, rename, &renamed),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("was deleted")));
  std::vector<v1::AuditRecord> audit = Audit(laos_.name());
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_EQ(audit[0].action(), "delete");
  EXPECT_EQ(audit[0].reason(), "recorded twice");
  EXPECT_TRUE(audit[0].after_json().empty());
}

// Each class of bad input names its field, and nothing is written.
TEST_F(OrganizationsTest, BadInputIsInvalidArgumentNamingTheField) {
  CreateHierarchy();
  struct Case {
    std::string label;
    v1::Organization organization;
    std::string field;
  };
  auto base = [&] {
    return Org("Hội hữu nghị", v1::ORGANIZATION_KIND_FRIENDSHIP_ASSOCIATION,
               v1::ORGANIZATION_LEVEL_PROVINCIAL, "localities/01", haufo_.name());
  };
  std::vector<Case> cases;
  cases.push_back({"empty name", base(), "organization.display_name"});
  cases.back().organization.set_display_name("");
  cases.push_back({"blank name", base(), "organization.display_name"});
  cases.back().organization.set_display_name(" \t ");
  cases.push_back({"long name", base(), "organization.display_name"});
  cases.back().organization.set_display_name(std::string(513, 'a'));
  cases.push_back({"control character", base(), "organization.display_name"});
  cases.back().organization.set_display_name("Hội\x01");
  cases.push_back({"unknown locality", base(), "organization.locality"});
  cases.back().organization.set_locality("localities/99");
  cases.push_back({"malformed locality", base(), "organization.locality"});
  cases.back().organization.set_locality("Hà Nội");
  cases.push_back({"unknown country", base(), "organization.country"});
  cases.back().organization.set_country("countries/ZZ");
  cases.push_back({"no kind", base(), "organization.kind"});
  cases.back().organization.clear_kind();
  cases.push_back({"no locality below the centre", base(), "organization.locality"});
  cases.back().organization.clear_locality();
  cases.push_back({"founded on 31 February", base(), "organization.founded.day"});
  *cases.back().organization.mutable_founded() = v1::Date();
  cases.back().organization.mutable_founded()->set_year(2022);
  cases.back().organization.mutable_founded()->set_month(2);
  cases.back().organization.mutable_founded()->set_day(31);
  cases.push_back({"merged without target", base(), "organization.status_date"});
  cases.back().organization.set_status(v1::ORGANIZATION_STATUS_MERGED);

  for (const Case& c : cases) {
    absl::Status status = Create(c.organization).status();
    EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument)) << c.label;
    std::optional<google::rpc::BadRequest> bad = GetBadRequest(status);
    ASSERT_TRUE(bad.has_value()) << c.label << ": " << status;
    EXPECT_EQ(bad->field_violations(0).field(), c.field) << c.label;
  }
  EXPECT_EQ(Names("").size(), 6u);

  v1::CreateMemberCountRequest count;
  count.set_parent(haufo_.name());
  *count.mutable_member_count()->mutable_as_of() = api::ToDate(absl::CivilDay(2023, 1, 1));
  v1::MemberCount created;
  for (int64_t absurd : {int64_t{-1}, int64_t{100'000'001}}) {
    count.mutable_member_count()->set_count(absurd);
    absl::Status status = Call(&Stub::CreateMemberCount, count, &created);
    EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument)) << absurd;
    ASSERT_TRUE(GetBadRequest(status).has_value());
    EXPECT_EQ(GetBadRequest(status)->field_violations(0).field(), "member_count.count");
  }
  count.set_parent("organizations/777777");
  count.mutable_member_count()->set_count(10);
  EXPECT_THAT(Call(&Stub::CreateMemberCount, count, &created),
              StatusIs(absl::StatusCode::kNotFound));

  // Invalid UTF-8 fails protobuf's parse before any handler runs; it is
  // still the caller's error, and names the field.
  v1::Organization invalid_utf8 = base();
  invalid_utf8.set_display_name("H\xe1\xbb\x99i \xff");
  absl::Status utf8 = Create(invalid_utf8).status();
  EXPECT_THAT(utf8, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("UTF-8")));
  ASSERT_TRUE(GetBadRequest(utf8).has_value()) << utf8;
  EXPECT_EQ(GetBadRequest(utf8)->field_violations(0).field(), "organization.display_name");
  EXPECT_EQ(Names("").size(), 6u);

  v1::GetOrganizationRequest get;
  get.set_name("organisations/1");
  v1::Organization organization;
  EXPECT_THAT(Call(&Stub::GetOrganization, get, &organization),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("name")));
}

}  // namespace
}  // namespace caunoi
