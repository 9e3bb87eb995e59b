#include "deploy/local/demo/organizations_demo.h"

#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/api/dates.h"
#include "common/status/status_macros.h"
#include "deploy/local/demo/invoke.h"

namespace caunoi::demo {
namespace {

using Stub = v1::OrganizationService::Stub;

struct TierSince {
  v1::CountryTier tier;
  absl::CivilDay since;
};

struct CountrySeed {
  const char* code;
  const char* vietnamese_name;
  const char* english_name;
  std::vector<TierSince> tiers;
};

// Partner countries of Hanoi's bilateral friendship associations that the
// schema's reference data does not already hold, with the dates their
// partnership frameworks were established.
std::vector<CountrySeed> PartnerCountries() {
  using Day = absl::CivilDay;
  constexpr auto kComprehensive = v1::COUNTRY_TIER_COMPREHENSIVE_STRATEGIC_PARTNER;
  constexpr auto kStrategic = v1::COUNTRY_TIER_STRATEGIC_PARTNER;
  return {
      {"JP", "Nhật Bản", "Japan", {{kComprehensive, Day(2023, 11, 27)}}},
      {"KR", "Hàn Quốc", "Republic of Korea", {{kComprehensive, Day(2022, 12, 5)}}},
      {"RU", "Liên bang Nga", "Russian Federation", {{kComprehensive, Day(2012, 7, 27)}}},
      {"US", "Hoa Kỳ", "United States", {{kComprehensive, Day(2023, 9, 10)}}},
      {"FR", "Pháp", "France", {{kComprehensive, Day(2024, 10, 7)}}},
      {"DE", "Đức", "Germany", {{kStrategic, Day(2011, 10, 11)}}},
      {"GB", "Vương quốc Anh", "United Kingdom", {{kStrategic, Day(2010, 9, 8)}}},
      {"IN", "Ấn Độ", "India", {{kComprehensive, Day(2016, 9, 3)}}},
      {"CU", "Cu-ba", "Cuba", {}},
      {"AU", "Ô-xtrây-li-a", "Australia", {{kComprehensive, Day(2024, 3, 7)}}},
      {"IT", "I-ta-li-a", "Italy", {{kStrategic, Day(2013, 1, 21)}}},
      {"PL", "Ba Lan", "Poland", {}},
      {"HU", "Hung-ga-ri", "Hungary", {}},
      {"CZ", "Séc", "Czechia", {}},
      {"BG", "Bun-ga-ri", "Bulgaria", {}},
      {"MN", "Mông Cổ", "Mongolia", {}},
  };
}

// HAUFO's 25 member associations, by partner country.
constexpr const char* kHanoiAssociationCountries[] = {
    "JP", "KR", "CN", "LA", "KH", "RU", "US", "FR", "DE", "GB", "IN", "CU", "TH",
    "SG", "ID", "MY", "PH", "MM", "AU", "IT", "PL", "HU", "CZ", "BG", "MN"};

class Loader {
 public:
  explicit Loader(Stub& stub) : stub_(stub) {}

  absl::StatusOr<std::map<std::string, std::string>> Run() {
    CAUNOI_RETURN_IF_ERROR(LoadCountries());
    CAUNOI_ASSIGN_OR_RETURN(
        std::string vufo,
        Organization("vufo", "Liên hiệp các tổ chức hữu nghị Việt Nam",
                     v1::ORGANIZATION_KIND_FRIENDSHIP_UNION, v1::ORGANIZATION_LEVEL_CENTRAL, "", "",
                     "Viet Nam Union of Friendship Organizations", "VUFO"));
    CAUNOI_ASSIGN_OR_RETURN(
        std::string haufo,
        Organization("haufo", "Liên hiệp các tổ chức hữu nghị thành phố Hà Nội",
                     v1::ORGANIZATION_KIND_FRIENDSHIP_UNION, v1::ORGANIZATION_LEVEL_PROVINCIAL,
                     "localities/01", vufo, "Hanoi Union of Friendship Organizations", "HAUFO"));
    CAUNOI_ASSIGN_OR_RETURN(
        std::string hufo,
        Organization("hufo", "Liên hiệp các tổ chức hữu nghị Thành phố Hồ Chí Minh",
                     v1::ORGANIZATION_KIND_FRIENDSHIP_UNION, v1::ORGANIZATION_LEVEL_PROVINCIAL,
                     "localities/79", vufo, "Ho Chi Minh City Union of Friendship Organizations",
                     "HUFO"));
    CAUNOI_RETURN_IF_ERROR(Organization("quang-ninh-ufo",
                                        "Liên hiệp các tổ chức hữu nghị tỉnh Quảng Ninh",
                                        v1::ORGANIZATION_KIND_FRIENDSHIP_UNION,
                                        v1::ORGANIZATION_LEVEL_PROVINCIAL, "localities/22", vufo)
                               .status());
    std::map<std::string, std::string> associations;
    for (const char* code : kHanoiAssociationCountries) {
      CAUNOI_ASSIGN_OR_RETURN(
          associations[code],
          Organization(
              absl::StrCat("hanoi-association-", code),
              absl::StrCat("Hội hữu nghị Việt Nam - ", country_names_[code], " thành phố Hà Nội"),
              v1::ORGANIZATION_KIND_FRIENDSHIP_ASSOCIATION, v1::ORGANIZATION_LEVEL_PROVINCIAL,
              "localities/01", haufo, "", "", absl::StrCat("countries/", code)));
    }
    CAUNOI_ASSIGN_OR_RETURN(
        std::string central_front,
        Organization("vff-central", "Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam",
                     v1::ORGANIZATION_KIND_FATHERLAND_FRONT_COMMITTEE,
                     v1::ORGANIZATION_LEVEL_CENTRAL, "", "", "", "MTTQ"));
    CAUNOI_ASSIGN_OR_RETURN(
        std::string hanoi_front,
        Organization("vff-hanoi", "Ủy ban Mặt trận Tổ quốc Việt Nam thành phố Hà Nội",
                     v1::ORGANIZATION_KIND_FATHERLAND_FRONT_COMMITTEE,
                     v1::ORGANIZATION_LEVEL_PROVINCIAL, "localities/01", central_front));
    CAUNOI_RETURN_IF_ERROR(
        Organization("vff-hcmc", "Ủy ban Mặt trận Tổ quốc Việt Nam Thành phố Hồ Chí Minh",
                     v1::ORGANIZATION_KIND_FATHERLAND_FRONT_COMMITTEE,
                     v1::ORGANIZATION_LEVEL_PROVINCIAL, "localities/79", central_front)
            .status());
    CAUNOI_ASSIGN_OR_RETURN(
        std::string hanoi_party,
        Organization("party-hanoi", "Thành ủy Hà Nội", v1::ORGANIZATION_KIND_PARTY_COMMITTEE,
                     v1::ORGANIZATION_LEVEL_PROVINCIAL, "localities/01"));
    CAUNOI_ASSIGN_OR_RETURN(
        std::string foreign_affairs_hanoi,
        Organization("dept-foreign-affairs-hanoi", "Sở Ngoại vụ thành phố Hà Nội",
                     v1::ORGANIZATION_KIND_DEPARTMENT, v1::ORGANIZATION_LEVEL_PROVINCIAL,
                     "localities/01"));
    // Bình Định, where the provincial directive 24-CT/TU is filed, as it was
    // before the 2025 merger.
    CAUNOI_ASSIGN_OR_RETURN(
        std::string people_committee_binh_dinh,
        Organization("people-committee-binh-dinh", "Ủy ban nhân dân tỉnh Bình Định",
                     v1::ORGANIZATION_KIND_PEOPLES_COMMITTEE, v1::ORGANIZATION_LEVEL_PROVINCIAL,
                     "localities/pre2025-52"));
    CAUNOI_ASSIGN_OR_RETURN(
        std::string people_committee_hcmc,
        Organization("people-committee-hcmc", "Ủy ban nhân dân Thành phố Hồ Chí Minh",
                     v1::ORGANIZATION_KIND_PEOPLES_COMMITTEE, v1::ORGANIZATION_LEVEL_PROVINCIAL,
                     "localities/79"));
    // The bodies that issued the demo's documents; a document's issuer is
    // an organization of the registry.
    CAUNOI_ASSIGN_OR_RETURN(
        std::string secretariat,
        Organization("party-secretariat", "Ban Bí thư Trung ương Đảng",
                     v1::ORGANIZATION_KIND_PARTY_COMMITTEE, v1::ORGANIZATION_LEVEL_CENTRAL, ""));
    CAUNOI_ASSIGN_OR_RETURN(
        std::string politburo,
        Organization("party-politburo", "Bộ Chính trị", v1::ORGANIZATION_KIND_PARTY_COMMITTEE,
                     v1::ORGANIZATION_LEVEL_CENTRAL, ""));
    CAUNOI_ASSIGN_OR_RETURN(
        std::string external_relations,
        Organization("party-external-relations", "Ban Đối ngoại Trung ương",
                     v1::ORGANIZATION_KIND_OTHER, v1::ORGANIZATION_LEVEL_CENTRAL, ""));
    CAUNOI_ASSIGN_OR_RETURN(
        std::string binh_dinh_party,
        Organization("party-binh-dinh", "Tỉnh ủy Bình Định", v1::ORGANIZATION_KIND_PARTY_COMMITTEE,
                     v1::ORGANIZATION_LEVEL_PROVINCIAL, "localities/pre2025-52"));

    CAUNOI_RETURN_IF_ERROR(MemberCount(haufo));
    CAUNOI_ASSIGN_OR_RETURN(std::string haufo_term, Term("haufo-6", haufo, 6, 2022, 2027));
    CAUNOI_ASSIGN_OR_RETURN(std::string front_term,
                            Term("vff-hanoi-17", hanoi_front, 17, 2019, 2024));
    CAUNOI_ASSIGN_OR_RETURN(std::string party_term,
                            Term("party-hanoi-17", hanoi_party, 17, 2020, 2025));
    CAUNOI_ASSIGN_OR_RETURN(std::string huong, Person("nguyen-lan-huong", "Nguyễn Lan Hương"));
    CAUNOI_ASSIGN_OR_RETURN(std::string tuyen, Person("nguyen-thi-tuyen", "Nguyễn Thị Tuyến"));
    CAUNOI_RETURN_IF_ERROR(Position("huong-haufo", haufo_term, huong, v1::POSITION_ROLE_CHAIR,
                                    "Chủ tịch Liên hiệp các tổ chức hữu nghị thành phố Hà Nội"));
    CAUNOI_RETURN_IF_ERROR(Position("huong-vff", front_term, huong, v1::POSITION_ROLE_CHAIR,
                                    "Chủ tịch Ủy ban MTTQ Việt Nam thành phố Hà Nội"));
    CAUNOI_RETURN_IF_ERROR(Position("tuyen-party", party_term, tuyen, v1::POSITION_ROLE_OTHER,
                                    "Phó Bí thư Thường trực Thành ủy"));
    CAUNOI_RETURN_IF_ERROR(Candidate(haufo_term, huong));

    CAUNOI_ASSIGN_OR_RETURN(std::string japan_embassy,
                            Partner("embassy-jp", "Đại sứ quán Nhật Bản tại Việt Nam",
                                    v1::PARTNER_KIND_EMBASSY, "countries/JP"));
    CAUNOI_ASSIGN_OR_RETURN(
        std::string india_consulate,
        Partner("consulate-in-hcmc", "Tổng Lãnh sự quán Ấn Độ tại Thành phố Hồ Chí Minh",
                v1::PARTNER_KIND_EMBASSY, "countries/IN"));
    CAUNOI_ASSIGN_OR_RETURN(std::string lao_friendship,
                            Partner("lao-vietnam-friendship", "Hội hữu nghị Lào - Việt Nam",
                                    v1::PARTNER_KIND_FOREIGN_PEOPLES_ORGANIZATION, "countries/LA"));
    CAUNOI_RETURN_IF_ERROR(Partner("vietnamese-in-laos", "Hội người Việt Nam tại Lào",
                                   v1::PARTNER_KIND_OVERSEAS_VIETNAMESE_ASSOCIATION, "countries/LA")
                               .status());
    CAUNOI_RETURN_IF_ERROR(Partnership("haufo-embassy-jp", haufo, japan_embassy));
    CAUNOI_RETURN_IF_ERROR(Partnership("hufo-consulate-in", hufo, india_consulate));
    CAUNOI_RETURN_IF_ERROR(Partnership("hanoi-lao-friendship", associations["LA"], lao_friendship));
    return std::map<std::string, std::string>{
        {"vufo", vufo},
        {"haufo", haufo},
        {"hufo", hufo},
        {"vff-hanoi", hanoi_front},
        {"party-hanoi", hanoi_party},
        {"people-committee-hcmc", people_committee_hcmc},
        {"people-committee-binh-dinh", people_committee_binh_dinh},
        {"party-secretariat", secretariat},
        {"party-politburo", politburo},
        {"party-external-relations", external_relations},
        {"party-binh-dinh", binh_dinh_party},
        {"consulate-in-hcmc", india_consulate},
        {"dept-foreign-affairs-hanoi", foreign_affairs_hanoi}};
  }

 private:
  static std::string RequestId(absl::string_view key) { return absl::StrCat("demo:", key); }

  absl::Status LoadCountries() {
    v1::ListCountriesRequest list;
    list.set_page_size(500);
    CAUNOI_ASSIGN_OR_RETURN(v1::ListCountriesResponse existing,
                            Invoke(stub_, &Stub::ListCountries, list));
    for (const v1::Country& country : existing.countries()) {
      country_names_[country.code()] = country.vietnamese_name();
    }
    for (const CountrySeed& seed : PartnerCountries()) {
      country_names_[seed.code] = seed.vietnamese_name;
      v1::CreateCountryRequest request;
      request.set_request_id(RequestId(absl::StrCat("country:", seed.code)));
      v1::Country* country = request.mutable_country();
      country->set_code(seed.code);
      country->set_vietnamese_name(seed.vietnamese_name);
      country->set_english_name(seed.english_name);
      for (const TierSince& tier : seed.tiers) {
        v1::CountryTierSpan* span = country->add_tiers();
        span->set_tier(tier.tier);
        *span->mutable_since() = api::ToDate(tier.since);
      }
      CAUNOI_RETURN_IF_ERROR(Invoke(stub_, &Stub::CreateCountry, request).status());
    }
    return absl::OkStatus();
  }

  absl::StatusOr<std::string> Organization(absl::string_view key, absl::string_view display_name,
                                           v1::OrganizationKind kind, v1::OrganizationLevel level,
                                           absl::string_view locality = "",
                                           absl::string_view parent = "",
                                           absl::string_view english_name = "",
                                           absl::string_view abbreviation = "",
                                           absl::string_view country = "") {
    v1::CreateOrganizationRequest request;
    request.set_request_id(RequestId(absl::StrCat("organization:", key)));
    v1::Organization* organization = request.mutable_organization();
    organization->set_display_name(std::string(display_name));
    organization->set_kind(kind);
    organization->set_level(level);
    organization->set_locality(std::string(locality));
    organization->set_parent(std::string(parent));
    organization->set_english_name(std::string(english_name));
    organization->set_abbreviation(std::string(abbreviation));
    organization->set_country(std::string(country));
    CAUNOI_ASSIGN_OR_RETURN(v1::Organization created,
                            Invoke(stub_, &Stub::CreateOrganization, request));
    return created.name();
  }

  // "Hơn 40.000 hội viên", reported on 17 August 2023.
  absl::Status MemberCount(absl::string_view haufo) {
    v1::CreateMemberCountRequest request;
    request.set_request_id(RequestId("member-count:haufo:2023-08-17"));
    request.set_parent(std::string(haufo));
    request.mutable_member_count()->set_count(40000);
    request.mutable_member_count()->set_at_least(true);
    *request.mutable_member_count()->mutable_as_of() = api::ToDate(absl::CivilDay(2023, 8, 17));
    request.mutable_member_count()->set_source("Lao động Thủ đô, 17/8/2023");
    return Invoke(stub_, &Stub::CreateMemberCount, request).status();
  }

  absl::StatusOr<std::string> Term(absl::string_view key, absl::string_view organization,
                                   int ordinal, int start_year, int end_year) {
    v1::CreateTermRequest request;
    request.set_request_id(RequestId(absl::StrCat("term:", key)));
    request.set_parent(std::string(organization));
    request.mutable_term()->set_congress_ordinal(ordinal);
    request.mutable_term()->set_start_year(start_year);
    request.mutable_term()->set_end_year(end_year);
    CAUNOI_ASSIGN_OR_RETURN(v1::Term created, Invoke(stub_, &Stub::CreateTerm, request));
    return created.name();
  }

  absl::StatusOr<std::string> Person(absl::string_view key, absl::string_view full_name) {
    v1::CreatePersonRequest request;
    request.set_request_id(RequestId(absl::StrCat("person:", key)));
    request.mutable_person()->set_full_name(std::string(full_name));
    CAUNOI_ASSIGN_OR_RETURN(v1::Person created, Invoke(stub_, &Stub::CreatePerson, request));
    return created.name();
  }

  absl::Status Position(absl::string_view key, absl::string_view term, absl::string_view person,
                        v1::PositionRole role, absl::string_view title) {
    v1::CreatePositionRequest request;
    request.set_request_id(RequestId(absl::StrCat("position:", key)));
    request.mutable_position()->set_term(std::string(term));
    request.mutable_position()->set_person(std::string(person));
    request.mutable_position()->set_role(role);
    request.mutable_position()->set_title(std::string(title));
    return Invoke(stub_, &Stub::CreatePosition, request).status();
  }

  absl::Status Candidate(absl::string_view term, absl::string_view person) {
    v1::CreateLeadershipCandidateRequest request;
    request.set_request_id(RequestId("candidate:haufo-6-chair"));
    v1::LeadershipCandidate* candidate = request.mutable_leadership_candidate();
    candidate->set_term(std::string(term));
    candidate->set_person(std::string(person));
    candidate->set_role(v1::POSITION_ROLE_CHAIR);
    candidate->set_status(v1::CANDIDATE_STATUS_APPOINTED);
    candidate->set_note("Quy hoạch nhiệm kỳ 2022-2027, biểu quyết sau rà soát nhiệm kỳ 2017-2022");
    return Invoke(stub_, &Stub::CreateLeadershipCandidate, request).status();
  }

  absl::StatusOr<std::string> Partner(absl::string_view key, absl::string_view display_name,
                                      v1::PartnerKind kind, absl::string_view country) {
    v1::CreatePartnerRequest request;
    request.set_request_id(RequestId(absl::StrCat("partner:", key)));
    request.mutable_partner()->set_display_name(std::string(display_name));
    request.mutable_partner()->set_kind(kind);
    request.mutable_partner()->set_country(std::string(country));
    CAUNOI_ASSIGN_OR_RETURN(v1::Partner created, Invoke(stub_, &Stub::CreatePartner, request));
    return created.name();
  }

  absl::Status Partnership(absl::string_view key, absl::string_view organization,
                           absl::string_view partner) {
    v1::CreatePartnershipRequest request;
    request.set_request_id(RequestId(absl::StrCat("partnership:", key)));
    request.mutable_partnership()->set_organization(std::string(organization));
    request.mutable_partnership()->set_partner(std::string(partner));
    request.mutable_partnership()->set_status(v1::PARTNERSHIP_STATUS_ACTIVE);
    return Invoke(stub_, &Stub::CreatePartnership, request).status();
  }

  Stub& stub_;
  std::map<std::string, std::string> country_names_;
};

}  // namespace

absl::StatusOr<std::map<std::string, std::string>> LoadOrganizations(Stub& stub) {
  return Loader(stub).Run();
}

}  // namespace caunoi::demo
