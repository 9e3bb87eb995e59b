#include "deploy/local/demo/history_demo.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/api/dates.h"
#include "common/api/fingerprint.h"
#include "common/status/status_macros.h"
#include "deploy/local/demo/invoke.h"

namespace caunoi::demo {
namespace {

using OrganizationStub = v1::OrganizationService::Stub;
using ReportStub = v1::ReportService::Stub;

constexpr int kTimelyDays = 15;

// "Thành phố Hà Nội" → "thành phố Hà Nội", as it reads after "... hữu nghị".
std::string InSentence(const std::string& display_name) {
  for (const char* prefix : {"Thành phố ", "Tỉnh "}) {
    if (absl::StartsWith(display_name, prefix)) {
      const bool city = absl::string_view(prefix) == "Thành phố ";
      return absl::StrCat(city ? "thành phố " : "tỉnh ",
                          display_name.substr(std::string(prefix).size()));
    }
  }
  return display_name;
}

absl::StatusOr<std::string> UnionOf(OrganizationStub& stub, const v1::Locality& locality) {
  v1::ListOrganizationsRequest find;
  find.set_filter(absl::StrCat("locality = \"", locality.name(),
                               "\" AND kind = FRIENDSHIP_UNION AND level = PROVINCIAL"));
  CAUNOI_ASSIGN_OR_RETURN(v1::ListOrganizationsResponse found,
                          Invoke(stub, &OrganizationStub::ListOrganizations, find));
  if (found.organizations_size() > 0) return found.organizations(0).name();
  v1::CreateOrganizationRequest create;
  create.set_request_id(absl::StrCat("demo:history:union:", locality.code()));
  v1::Organization* organization = create.mutable_organization();
  organization->set_display_name(
      absl::StrCat("Liên hiệp các tổ chức hữu nghị ", InSentence(locality.display_name())));
  organization->set_kind(v1::ORGANIZATION_KIND_FRIENDSHIP_UNION);
  organization->set_level(v1::ORGANIZATION_LEVEL_PROVINCIAL);
  organization->set_locality(locality.name());
  CAUNOI_ASSIGN_OR_RETURN(v1::Organization created,
                          Invoke(stub, &OrganizationStub::CreateOrganization, create));
  return created.name();
}

// The half-years from 2022-H1 whose reports were due before `today`, with
// their last days.
std::vector<std::pair<std::string, absl::CivilDay>> PastHalfYears(absl::CivilDay today) {
  std::vector<std::pair<std::string, absl::CivilDay>> periods;
  for (int year = 2022;; ++year) {
    for (int half = 1; half <= 2; ++half) {
      const absl::CivilDay last =
          half == 1 ? absl::CivilDay(year, 6, 30) : absl::CivilDay(year, 12, 31);
      if (today <= last + kTimelyDays) return periods;
      periods.emplace_back(absl::StrCat(year, "-H", half), last);
    }
  }
}

}  // namespace

absl::Status LoadHistory(OrganizationStub& organizations, ReportStub& reports,
                         const std::map<std::string, std::string>& documents) {
  v1::ListLocalitiesRequest list;
  list.set_page_size(50);
  CAUNOI_ASSIGN_OR_RETURN(v1::ListLocalitiesResponse localities,
                          Invoke(organizations, &OrganizationStub::ListLocalities, list));
  const absl::CivilDay today = api::TodayInVietnam();
  for (const v1::Locality& locality : localities.localities()) {
    CAUNOI_ASSIGN_OR_RETURN(std::string unit, UnionOf(organizations, locality));
    v1::CreateObligationRequest duty;
    duty.set_request_id(absl::StrCat("demo:history:obligation:", locality.code()));
    duty.mutable_obligation()->set_document(documents.at("ct-12"));
    duty.mutable_obligation()->set_unit(unit);
    duty.mutable_obligation()->set_cadence(v1::CADENCE_HALF_YEARLY);
    duty.mutable_obligation()->set_timely_days(kTimelyDays);
    duty.mutable_obligation()->set_first_period("2022-H1");
    CAUNOI_ASSIGN_OR_RETURN(v1::Obligation obligation,
                            Invoke(reports, &ReportStub::CreateObligation, duty));
    for (const auto& [period, last_day] : PastHalfYears(today)) {
      // 0..99, fixed per locality and period: 12% missing, 18% late.
      const uint64_t draw = api::Fnv1a(absl::StrCat(locality.code(), "/", period)) % 100;
      if (draw < 12) continue;
      const absl::CivilDay due = last_day + kTimelyDays;
      const absl::CivilDay submitted =
          draw < 30 ? due + static_cast<int>(1 + draw % 45) : due - static_cast<int>(draw % 20);
      v1::CreateReportRequest report;
      report.set_request_id(absl::StrCat("demo:history:report:", locality.code(), ":", period));
      report.set_parent(obligation.name());
      report.mutable_report()->set_period(period);
      report.mutable_report()->set_summary(absl::StrCat(
          "Báo cáo kết quả thực hiện Chỉ thị 12-CT/TW ", period, " của ", locality.display_name()));
      // 12-CT/TW's indicators; a locality that held no delegation that
      // half-year leaves the cell blank (not reported), as offices do.
      const std::pair<const char*, int64_t> values[] = {
          {"dissemination_sessions", static_cast<int64_t>(1 + draw % 6)},
          {"dissemination_attendance", static_cast<int64_t>(150 + draw * 37)},
          {"cadres_trained", static_cast<int64_t>(10 + draw)},
          {"delegations_received", static_cast<int64_t>(draw % 4)},
          {"delegations_sent", static_cast<int64_t>(draw % 3)},
          {"new_partnerships", static_cast<int64_t>(draw % 5 == 0 ? 1 : 0)},
          {"funds_vnd", static_cast<int64_t>(draw * 2'500'000)},
      };
      for (const auto& [code, amount] : values) {
        if (amount == 0 && absl::StartsWith(code, "delegations")) continue;
        v1::IndicatorValue* value = report.mutable_report()->add_values();
        value->set_indicator(absl::StrCat("indicators/", code));
        value->set_amount(amount);
      }
      *report.mutable_submitted_on() = api::ToDate(std::min(submitted, today));
      report.set_reason("Báo cáo gửi bằng văn bản giấy, nhập lại theo ngày nhận");
      CAUNOI_RETURN_IF_ERROR(Invoke(reports, &ReportStub::CreateReport, report).status());
    }
  }
  return absl::OkStatus();
}

}  // namespace caunoi::demo
