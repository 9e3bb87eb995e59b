// The rest of the registry through the real server: countries and tiers,
// terms, people, positions, leadership planning, partners, partnerships,
// and the per-locality statistics the gateway reads.
#include "common/api/dates.h"
#include "common/status/errors.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/organizations_server_test.h"
#include "tests/support/rpc.h"

namespace caunoi {
namespace {

using ::caunoi::testing::IsOk;
using ::caunoi::testing::StatusIs;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;
using Stub = v1::OrganizationService::Stub;

class RegistryTest : public caunoi::testing::OrganizationsServerTest {
 protected:
  // Calls a Create/Update/Get method and returns its result, failing the
  // test on error.
  template <typename Request, typename Response>
  Response Must(grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                const Request& request) {
    return caunoi::testing::MustCallRpc(*stub_, method, request);
  }

  v1::Organization CreateOrganization(const std::string& display_name, const std::string& locality,
                                      v1::OrganizationKind kind) {
    v1::CreateOrganizationRequest request;
    request.mutable_organization()->set_display_name(display_name);
    request.mutable_organization()->set_kind(kind);
    request.mutable_organization()->set_level(v1::ORGANIZATION_LEVEL_PROVINCIAL);
    request.mutable_organization()->set_locality(locality);
    return Must(&Stub::CreateOrganization, request);
  }

  v1::Country CreateCountry(const std::string& code, const std::string& vietnamese,
                            const std::string& english, v1::CountryTier tier,
                            absl::CivilDay since) {
    v1::CreateCountryRequest request;
    request.mutable_country()->set_code(code);
    request.mutable_country()->set_vietnamese_name(vietnamese);
    request.mutable_country()->set_english_name(english);
    v1::CountryTierSpan* span = request.mutable_country()->add_tiers();
    span->set_tier(tier);
    *span->mutable_since() = api::ToDate(since);
    return Must(&Stub::CreateCountry, request);
  }
};

TEST_F(RegistryTest, SeededCountriesCarryAseanAndNeighbourTiers) {
  v1::ListCountriesRequest request;
  request.set_filter("tier = NEIGHBOUR");
  v1::ListCountriesResponse neighbours = Must(&Stub::ListCountries, request);
  std::vector<std::string> codes;
  for (const auto& country : neighbours.countries()) codes.push_back(country.code());
  EXPECT_THAT(codes, ElementsAre("CN", "KH", "LA"));

  request.set_filter("tier = ASEAN_MEMBER");
  request.set_page_size(4);
  int members = 0;
  for (int pages = 0; pages < 10; ++pages) {
    v1::ListCountriesResponse page = Must(&Stub::ListCountries, request);
    members += page.countries_size();
    if (page.next_page_token().empty()) break;
    request.set_page_token(page.next_page_token());
  }
  EXPECT_EQ(members, 10);  // Timor-Leste's admission counts from 2025-10-26

  v1::GetCountryRequest get;
  get.set_name("countries/LA");
  v1::Country laos = Must(&Stub::GetCountry, get);
  EXPECT_EQ(laos.vietnamese_name(), "Lào");
  EXPECT_THAT(laos.current_tiers(),
              UnorderedElementsAre(v1::COUNTRY_TIER_NEIGHBOUR, v1::COUNTRY_TIER_ASEAN_MEMBER));
  ASSERT_EQ(laos.tiers_size(), 2);
  EXPECT_FALSE(laos.tiers(0).has_since());
  EXPECT_EQ(laos.tiers(1).since().year(), 1997);

  v1::ListCountriesRequest search;
  search.set_filter("name : \"trung quoc\"");
  v1::ListCountriesResponse found = Must(&Stub::ListCountries, search);
  ASSERT_EQ(found.countries_size(), 1);
  EXPECT_EQ(found.countries(0).code(), "CN");
}

TEST_F(RegistryTest, CountryCrudWithTiersOverTime) {
  v1::Country japan =
      CreateCountry("JP", "Nhật Bản", "Japan", v1::COUNTRY_TIER_COMPREHENSIVE_STRATEGIC_PARTNER,
                    absl::CivilDay(2023, 11, 27));
  EXPECT_EQ(japan.name(), "countries/JP");
  EXPECT_THAT(japan.current_tiers(), ElementsAre(v1::COUNTRY_TIER_COMPREHENSIVE_STRATEGIC_PARTNER));

  v1::CreateCountryRequest duplicate;
  duplicate.mutable_country()->set_code("JP");
  duplicate.mutable_country()->set_vietnamese_name("Nhật Bản");
  v1::Country ignored;
  EXPECT_THAT(Call(&Stub::CreateCountry, duplicate, &ignored),
              StatusIs(absl::StatusCode::kAlreadyExists));
  duplicate.mutable_country()->set_code("jp");
  EXPECT_THAT(Call(&Stub::CreateCountry, duplicate, &ignored),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("country.code")));

  // The strategic partnership preceded the upgrade: record both spans.
  v1::UpdateCountryRequest update;
  update.mutable_country()->set_name(japan.name());
  update.mutable_country()->set_etag(japan.etag());
  v1::CountryTierSpan* strategic = update.mutable_country()->add_tiers();
  strategic->set_tier(v1::COUNTRY_TIER_STRATEGIC_PARTNER);
  *strategic->mutable_since() = api::ToDate(absl::CivilDay(2009, 4, 20));
  *strategic->mutable_until() = api::ToDate(absl::CivilDay(2023, 11, 27));
  *update.mutable_country()->add_tiers() = japan.tiers(0);
  update.mutable_update_mask()->add_paths("tiers");
  update.set_reason("tier history from the joint statement");
  v1::Country updated = Must(&Stub::UpdateCountry, update);
  EXPECT_EQ(updated.tiers_size(), 2);
  EXPECT_THAT(updated.current_tiers(),
              ElementsAre(v1::COUNTRY_TIER_COMPREHENSIVE_STRATEGIC_PARTNER));

  v1::CountryTierSpan* backwards = update.mutable_country()->mutable_tiers(0);
  *backwards->mutable_until() = api::ToDate(absl::CivilDay(2000, 1, 1));
  update.mutable_country()->set_etag(updated.etag());
  absl::Status bad = Call(&Stub::UpdateCountry, update, &ignored);
  ASSERT_TRUE(GetBadRequest(bad).has_value()) << bad;
  EXPECT_EQ(GetBadRequest(bad)->field_violations(0).field(), "country.tiers[0].until");

  v1::DeleteCountryRequest remove;
  remove.set_name(japan.name());
  google::protobuf::Empty empty;
  EXPECT_THAT(Call(&Stub::DeleteCountry, remove, &empty), IsOk());
  v1::GetCountryRequest get;
  get.set_name(japan.name());
  EXPECT_THAT(Call(&Stub::GetCountry, get, &ignored), StatusIs(absl::StatusCode::kNotFound));
}

// One person chairs HAUFO and the city's Fatherland Front committee.
TEST_F(RegistryTest, TermsPositionsAndLeadershipPlanning) {
  v1::Organization haufo =
      CreateOrganization("Liên hiệp các tổ chức hữu nghị thành phố Hà Nội", "localities/01",
                         v1::ORGANIZATION_KIND_FRIENDSHIP_UNION);
  v1::Organization front =
      CreateOrganization("Ủy ban MTTQ Việt Nam thành phố Hà Nội", "localities/01",
                         v1::ORGANIZATION_KIND_FATHERLAND_FRONT_COMMITTEE);
  v1::CreateTermRequest term_request;
  term_request.set_parent(haufo.name());
  term_request.mutable_term()->set_congress_ordinal(6);
  term_request.mutable_term()->set_start_year(2022);
  term_request.mutable_term()->set_end_year(2027);
  v1::Term term = Must(&Stub::CreateTerm, term_request);
  EXPECT_THAT(term.name(), ::testing::StartsWith(haufo.name() + "/terms/"));
  term_request.set_parent(front.name());
  term_request.mutable_term()->set_congress_ordinal(18);
  term_request.mutable_term()->set_start_year(2024);
  term_request.mutable_term()->set_end_year(2029);
  v1::Term front_term = Must(&Stub::CreateTerm, term_request);

  v1::Term ignored_term;
  term_request.mutable_term()->set_end_year(2020);
  absl::Status backwards = Call(&Stub::CreateTerm, term_request, &ignored_term);
  ASSERT_TRUE(GetBadRequest(backwards).has_value()) << backwards;
  EXPECT_EQ(GetBadRequest(backwards)->field_violations(0).field(), "term.end_year");

  v1::CreatePersonRequest person_request;
  person_request.mutable_person()->set_full_name("Nguyễn Lan Hương");
  v1::Person chair = Must(&Stub::CreatePerson, person_request);

  v1::CreatePositionRequest position_request;
  position_request.mutable_position()->set_term(term.name());
  position_request.mutable_position()->set_person(chair.name());
  position_request.mutable_position()->set_role(v1::POSITION_ROLE_CHAIR);
  position_request.mutable_position()->set_title("Chủ tịch");
  v1::Position haufo_chair = Must(&Stub::CreatePosition, position_request);
  position_request.mutable_position()->set_term(front_term.name());
  Must(&Stub::CreatePosition, position_request);

  // A term named under the wrong organization does not exist.
  position_request.mutable_position()->set_term(
      haufo.name() + "/terms/" +
      std::string(front_term.name().substr(front_term.name().rfind('/') + 1)));
  v1::Position ignored;
  EXPECT_THAT(Call(&Stub::CreatePosition, position_request, &ignored),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("position.term")));

  v1::ListPositionsRequest by_person;
  by_person.set_filter("person = \"" + chair.name() + "\"");
  v1::ListPositionsResponse posts = Must(&Stub::ListPositions, by_person);
  ASSERT_EQ(posts.positions_size(), 2);
  EXPECT_EQ(posts.positions(0).term(), term.name());
  EXPECT_EQ(posts.positions(1).term(), front_term.name());
  by_person.set_filter("organization = \"" + front.name() + "\" AND role = CHAIR");
  EXPECT_EQ(Must(&Stub::ListPositions, by_person).positions_size(), 1);

  v1::ListPeopleRequest people;
  people.set_filter("full_name : \"nguyen lan huong\"");
  EXPECT_EQ(Must(&Stub::ListPeople, people).people_size(), 1);

  v1::CreateLeadershipCandidateRequest plan;
  plan.mutable_leadership_candidate()->set_term(term.name());
  plan.mutable_leadership_candidate()->set_person(chair.name());
  plan.mutable_leadership_candidate()->set_role(v1::POSITION_ROLE_CHAIR);
  plan.mutable_leadership_candidate()->set_status(v1::CANDIDATE_STATUS_PROPOSED);
  v1::LeadershipCandidate candidate = Must(&Stub::CreateLeadershipCandidate, plan);
  v1::UpdateLeadershipCandidateRequest approve;
  approve.mutable_leadership_candidate()->set_name(candidate.name());
  approve.mutable_leadership_candidate()->set_status(v1::CANDIDATE_STATUS_APPROVED);
  approve.mutable_update_mask()->add_paths("status");
  EXPECT_EQ(Must(&Stub::UpdateLeadershipCandidate, approve).status(),
            v1::CANDIDATE_STATUS_APPROVED);
  v1::ListLeadershipCandidatesRequest approved;
  approved.set_filter("status = APPROVED AND term = \"" + term.name() + "\"");
  EXPECT_EQ(Must(&Stub::ListLeadershipCandidates, approved).leadership_candidates_size(), 1);

  v1::ListTermsRequest terms;
  terms.set_parent(haufo.name());
  EXPECT_EQ(Must(&Stub::ListTerms, terms).terms_size(), 1);

  // A term with posts recorded in it cannot go; its posts can.
  v1::DeleteTermRequest delete_term;
  delete_term.set_name(term.name());
  google::protobuf::Empty empty;
  EXPECT_THAT(Call(&Stub::DeleteTerm, delete_term, &empty),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  v1::DeletePositionRequest delete_position;
  delete_position.set_name(haufo_chair.name());
  EXPECT_THAT(Call(&Stub::DeletePosition, delete_position, &empty), IsOk());
  v1::DeleteLeadershipCandidateRequest delete_candidate;
  delete_candidate.set_name(candidate.name());
  EXPECT_THAT(Call(&Stub::DeleteLeadershipCandidate, delete_candidate, &empty), IsOk());
  EXPECT_THAT(Call(&Stub::DeleteTerm, delete_term, &empty), IsOk());

  v1::UpdatePersonRequest rename;
  rename.mutable_person()->set_name(chair.name());
  rename.mutable_person()->set_note("Chủ tịch HAUFO, Chủ tịch Ủy ban MTTQ thành phố");
  v1::Person noted = Must(&Stub::UpdatePerson, rename);
  EXPECT_EQ(noted.full_name(), "Nguyễn Lan Hương");
  v1::GetPersonRequest get_person;
  get_person.set_name(chair.name());
  EXPECT_EQ(Must(&Stub::GetPerson, get_person).note(), noted.note());
}

TEST_F(RegistryTest, PartnersPartnershipsAndLocalityStats) {
  CreateCountry("IN", "Ấn Độ", "India", v1::COUNTRY_TIER_COMPREHENSIVE_STRATEGIC_PARTNER,
                absl::CivilDay(2016, 9, 3));
  v1::Organization hufo =
      CreateOrganization("Liên hiệp các tổ chức hữu nghị Thành phố Hồ Chí Minh", "localities/79",
                         v1::ORGANIZATION_KIND_FRIENDSHIP_UNION);
  // Recorded under Bình Dương before the merger; counted in HCMC now.
  v1::Organization binh_duong =
      CreateOrganization("Hội hữu nghị Việt Nam - Lào tỉnh Bình Dương", "localities/pre2025-74",
                         v1::ORGANIZATION_KIND_FRIENDSHIP_ASSOCIATION);

  v1::CreatePartnerRequest partner_request;
  partner_request.mutable_partner()->set_display_name("Tổng Lãnh sự quán Ấn Độ tại TP.HCM");
  partner_request.mutable_partner()->set_kind(v1::PARTNER_KIND_EMBASSY);
  partner_request.mutable_partner()->set_country("countries/IN");
  v1::Partner consulate = Must(&Stub::CreatePartner, partner_request);
  partner_request.mutable_partner()->set_display_name("Hội hữu nghị Lào - Việt Nam");
  partner_request.mutable_partner()->set_kind(v1::PARTNER_KIND_FOREIGN_PEOPLES_ORGANIZATION);
  partner_request.mutable_partner()->set_country("countries/LA");
  v1::Partner lao_association = Must(&Stub::CreatePartner, partner_request);
  partner_request.mutable_partner()->set_country("countries/XX");
  v1::Partner ignored;
  absl::Status unknown = Call(&Stub::CreatePartner, partner_request, &ignored);
  ASSERT_TRUE(GetBadRequest(unknown).has_value()) << unknown;
  EXPECT_EQ(GetBadRequest(unknown)->field_violations(0).field(), "partner.country");

  v1::ListPartnersRequest neighbours;
  neighbours.set_filter("country_tier = NEIGHBOUR");
  v1::ListPartnersResponse listed = Must(&Stub::ListPartners, neighbours);
  ASSERT_EQ(listed.partners_size(), 1);
  EXPECT_EQ(listed.partners(0).name(), lao_association.name());

  auto partner_with = [&](const v1::Organization& organization, const v1::Partner& partner) {
    v1::CreatePartnershipRequest request;
    request.mutable_partnership()->set_organization(organization.name());
    request.mutable_partnership()->set_partner(partner.name());
    request.mutable_partnership()->set_status(v1::PARTNERSHIP_STATUS_ACTIVE);
    *request.mutable_partnership()->mutable_since() = api::ToDate(absl::CivilDay(2021, 1, 1));
    return Must(&Stub::CreatePartnership, request);
  };
  v1::Partnership indian = partner_with(hufo, consulate);
  partner_with(binh_duong, lao_association);

  v1::CreateMemberCountRequest count;
  count.set_parent(hufo.name());
  count.mutable_member_count()->set_count(12000);
  *count.mutable_member_count()->mutable_as_of() = api::ToDate(absl::CivilDay(2024, 5, 1));
  Must(&Stub::CreateMemberCount, count);
  count.set_parent(binh_duong.name());
  count.mutable_member_count()->set_count(300);
  Must(&Stub::CreateMemberCount, count);

  v1::GetLocalityStatsRequest stats_request;
  stats_request.add_localities("localities/79");
  stats_request.add_localities("localities/01");
  v1::GetLocalityStatsResponse stats = Must(&Stub::GetLocalityStats, stats_request);
  ASSERT_EQ(stats.stats_size(), 2);
  const v1::LocalityStats& hanoi = stats.stats(0);
  const v1::LocalityStats& hcmc = stats.stats(1);
  EXPECT_EQ(hanoi.locality(), "localities/01");
  EXPECT_EQ(hanoi.organizations(), 0);
  EXPECT_EQ(hcmc.locality(), "localities/79");
  EXPECT_EQ(hcmc.organizations(), 2);
  EXPECT_EQ(hcmc.members(), 12300);
  EXPECT_THAT(hcmc.organizations_by_kind(),
              UnorderedElementsAre(Pair("FRIENDSHIP_UNION", 1), Pair("FRIENDSHIP_ASSOCIATION", 1)));
  EXPECT_THAT(hcmc.partnerships_by_country_tier(),
              UnorderedElementsAre(Pair("COMPREHENSIVE_STRATEGIC_PARTNER", 1), Pair("NEIGHBOUR", 1),
                                   Pair("ASEAN_MEMBER", 1)));

  // Before the member counts were taken, nobody was counted.
  *stats_request.mutable_as_of() = api::ToDate(absl::CivilDay(2020, 1, 1));
  EXPECT_EQ(Must(&Stub::GetLocalityStats, stats_request).stats(1).members(), 0);
  stats_request.add_localities("localities/pre2025-74");
  v1::GetLocalityStatsResponse refused;
  absl::Status not_current = Call(&Stub::GetLocalityStats, stats_request, &refused);
  ASSERT_TRUE(GetBadRequest(not_current).has_value()) << not_current;
  EXPECT_EQ(GetBadRequest(not_current)->field_violations(0).field(), "localities[2]");
  stats_request.clear_localities();
  EXPECT_EQ(Must(&Stub::GetLocalityStats, stats_request).stats_size(), 34);

  v1::UpdatePartnershipRequest end;
  end.mutable_partnership()->set_name(indian.name());
  end.mutable_partnership()->set_status(v1::PARTNERSHIP_STATUS_ENDED);
  *end.mutable_partnership()->mutable_until() = api::ToDate(absl::CivilDay(2020, 1, 1));
  end.mutable_update_mask()->add_paths("status");
  end.mutable_update_mask()->add_paths("until");
  v1::Partnership ignored_partnership;
  absl::Status before_start = Call(&Stub::UpdatePartnership, end, &ignored_partnership);
  ASSERT_TRUE(GetBadRequest(before_start).has_value()) << before_start;
  EXPECT_EQ(GetBadRequest(before_start)->field_violations(0).field(), "partnership.until");
  *end.mutable_partnership()->mutable_until() = api::ToDate(absl::CivilDay(2025, 1, 1));
  EXPECT_EQ(Must(&Stub::UpdatePartnership, end).status(), v1::PARTNERSHIP_STATUS_ENDED);

  v1::ListPartnershipsRequest active;
  active.set_filter("status = ACTIVE");
  EXPECT_EQ(Must(&Stub::ListPartnerships, active).partnerships_size(), 1);
  v1::GetPartnershipRequest get;
  get.set_name(indian.name());
  EXPECT_EQ(Must(&Stub::GetPartnership, get).until().year(), 2025);

  v1::DeletePartnerRequest delete_partner;
  delete_partner.set_name(consulate.name());
  google::protobuf::Empty empty;
  EXPECT_THAT(Call(&Stub::DeletePartner, delete_partner, &empty),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  v1::DeletePartnershipRequest delete_partnership;
  delete_partnership.set_name(indian.name());
  EXPECT_THAT(Call(&Stub::DeletePartnership, delete_partnership, &empty), IsOk());
  EXPECT_THAT(Call(&Stub::DeletePartner, delete_partner, &empty), IsOk());
  v1::UpdatePartnerRequest rename;
  rename.mutable_partner()->set_name(lao_association.name());
  rename.mutable_partner()->set_note("đối tác truyền thống");
  EXPECT_EQ(Must(&Stub::UpdatePartner, rename).note(), "đối tác truyền thống");
  v1::GetPartnerRequest get_partner;
  get_partner.set_name(lao_association.name());
  EXPECT_EQ(Must(&Stub::GetPartner, get_partner).country(), "countries/LA");
}

// The standard methods the scenarios above do not reach, and request_id on
// resources other than organizations.
TEST_F(RegistryTest, RemainingStandardMethods) {
  v1::Organization haufo =
      CreateOrganization("Liên hiệp các tổ chức hữu nghị thành phố Hà Nội", "localities/01",
                         v1::ORGANIZATION_KIND_FRIENDSHIP_UNION);
  v1::CreateMemberCountRequest count;
  count.set_parent(haufo.name());
  count.mutable_member_count()->set_count(40000);
  *count.mutable_member_count()->mutable_as_of() = api::ToDate(absl::CivilDay(2023, 8, 17));
  v1::MemberCount observed = Must(&Stub::CreateMemberCount, count);
  v1::UpdateMemberCountRequest correct;
  *correct.mutable_member_count() = observed;
  correct.mutable_member_count()->set_at_least(true);
  correct.mutable_member_count()->set_source("Lao động Thủ đô");
  correct.mutable_update_mask()->add_paths("at_least");
  correct.mutable_update_mask()->add_paths("source");
  correct.set_reason("the article says more than 40,000");
  v1::MemberCount corrected = Must(&Stub::UpdateMemberCount, correct);
  EXPECT_TRUE(corrected.at_least());
  EXPECT_EQ(corrected.count(), 40000);
  v1::DeleteMemberCountRequest remove_count;
  remove_count.set_name(corrected.name());
  remove_count.set_etag(corrected.etag());
  google::protobuf::Empty empty;
  EXPECT_THAT(Call(&Stub::DeleteMemberCount, remove_count, &empty), IsOk());

  v1::CreateTermRequest term_request;
  term_request.set_parent(haufo.name());
  term_request.set_request_id("term-6");
  term_request.mutable_term()->set_congress_ordinal(6);
  term_request.mutable_term()->set_start_year(2022);
  term_request.mutable_term()->set_end_year(2027);
  v1::Term term = Must(&Stub::CreateTerm, term_request);
  EXPECT_EQ(Must(&Stub::CreateTerm, term_request).name(), term.name());
  v1::UpdateTermRequest dates;
  dates.mutable_term()->set_name(term.name());
  *dates.mutable_term()->mutable_congress_start() = api::ToDate(absl::CivilDay(2022, 9, 20));
  dates.mutable_update_mask()->add_paths("congress_start");
  Must(&Stub::UpdateTerm, dates);
  v1::GetTermRequest get_term;
  get_term.set_name(term.name());
  v1::Term read = Must(&Stub::GetTerm, get_term);
  EXPECT_EQ(read.congress_start().month(), 9);
  EXPECT_EQ(read.end_year(), 2027);
  v1::ListTermsRequest terms;
  terms.set_parent(haufo.name());
  EXPECT_EQ(Must(&Stub::ListTerms, terms).terms_size(), 1);

  v1::CreatePersonRequest person_request;
  person_request.set_request_id("person-huong");
  person_request.mutable_person()->set_full_name("Nguyễn Lan Hương");
  v1::Person person = Must(&Stub::CreatePerson, person_request);
  EXPECT_EQ(Must(&Stub::CreatePerson, person_request).name(), person.name());
  v1::ListPeopleRequest everyone;
  EXPECT_EQ(Must(&Stub::ListPeople, everyone).people_size(), 1);

  v1::CreatePositionRequest position_request;
  position_request.mutable_position()->set_term(term.name());
  position_request.mutable_position()->set_person(person.name());
  position_request.mutable_position()->set_role(v1::POSITION_ROLE_VICE_CHAIR);
  v1::Position position = Must(&Stub::CreatePosition, position_request);
  v1::UpdatePositionRequest promote;
  promote.mutable_position()->set_name(position.name());
  promote.mutable_position()->set_etag(position.etag());
  promote.mutable_position()->set_role(v1::POSITION_ROLE_CHAIR);
  promote.mutable_update_mask()->add_paths("role");
  Must(&Stub::UpdatePosition, promote);
  v1::GetPositionRequest get_position;
  get_position.set_name(position.name());
  EXPECT_EQ(Must(&Stub::GetPosition, get_position).role(), v1::POSITION_ROLE_CHAIR);

  v1::CreateLeadershipCandidateRequest plan;
  plan.mutable_leadership_candidate()->set_term(term.name());
  plan.mutable_leadership_candidate()->set_person(person.name());
  plan.mutable_leadership_candidate()->set_role(v1::POSITION_ROLE_CHAIR);
  plan.mutable_leadership_candidate()->set_status(v1::CANDIDATE_STATUS_PROPOSED);
  v1::LeadershipCandidate candidate = Must(&Stub::CreateLeadershipCandidate, plan);
  v1::GetLeadershipCandidateRequest get_candidate;
  get_candidate.set_name(candidate.name());
  EXPECT_EQ(Must(&Stub::GetLeadershipCandidate, get_candidate).person(), person.name());

  // A person with posts cannot be deleted; without them they can.
  v1::DeletePersonRequest remove_person;
  remove_person.set_name(person.name());
  EXPECT_THAT(Call(&Stub::DeletePerson, remove_person, &empty),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  v1::DeletePositionRequest remove_position;
  remove_position.set_name(position.name());
  EXPECT_THAT(Call(&Stub::DeletePosition, remove_position, &empty), IsOk());
  v1::DeleteLeadershipCandidateRequest remove_candidate;
  remove_candidate.set_name(candidate.name());
  EXPECT_THAT(Call(&Stub::DeleteLeadershipCandidate, remove_candidate, &empty), IsOk());
  EXPECT_THAT(Call(&Stub::DeletePerson, remove_person, &empty), IsOk());
  v1::GetPersonRequest get_person;
  get_person.set_name(person.name());
  v1::Person gone;
  EXPECT_THAT(Call(&Stub::GetPerson, get_person, &gone), StatusIs(absl::StatusCode::kNotFound));
}

}  // namespace
}  // namespace caunoi
