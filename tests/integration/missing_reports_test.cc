// ListMissingReports through real servers: every document's periods with
// reports missing past their due dates, counted as SummarizeCompliance
// counts them, most overdue first, paged.
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "caunoi/v1/reports.grpc.pb.h"
#include "common/api/dates.h"
#include "common/api/resource_name.h"
#include "common/testing/error_details.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/reports_fixture.h"
#include "tests/support/issuers.h"
#include "tests/support/rpc.h"

namespace caunoi {
namespace {

using ::caunoi::testing::FieldOf;
using ::caunoi::testing::IsOk;
using ::testing::Not;
using Stub = v1::ReportService::Stub;

// One missing-reports entry as a comparable row.
using Row = std::tuple<std::string, int64_t, std::string, std::string, int64_t>;

Row RowOf(const v1::MissingReports& missing) {
  return {api::FormatIsoDate(api::ToCivilDayUnchecked(missing.due_date())),
          api::NumericResourceId(missing.document()), missing.locality(), missing.period(),
          missing.missing()};
}

class MissingReportsTest : public ReportsTest {
 protected:
  // Another central document to report on.
  std::string CreateDocument(const std::string& symbol) {
    auto organizations = v1::OrganizationService::NewStub(organizations_->NewChannel());
    absl::StatusOr<std::string> issuer = caunoi::testing::CreateIssuer(*organizations, symbol, "");
    EXPECT_THAT(issuer.status(), IsOk());
    v1::CreateDocumentRequest request;
    request.mutable_document()->set_symbol(symbol);
    request.mutable_document()->set_issuing_body("Ban Bí thư Trung ương Đảng");
    request.mutable_document()->set_issuing_organization(issuer.value_or(""));
    request.mutable_document()->set_level(v1::DOCUMENT_LEVEL_CENTRAL);
    *request.mutable_document()->mutable_issue_date() = api::ToDate(absl::CivilDay(2023, 3, 1));
    request.mutable_document()->set_title("Về công tác đối ngoại nhân dân trong tình hình mới");
    auto directives = v1::DirectiveService::NewStub(directives_->NewChannel());
    return caunoi::testing::MustCallRpc(*directives, &v1::DirectiveService::Stub::CreateDocument,
                                        request)
        .name();
  }

  std::string CreateUnit(const std::string& locality) {
    auto organizations = v1::OrganizationService::NewStub(organizations_->NewChannel());
    v1::CreateOrganizationRequest request;
    request.mutable_organization()->set_display_name(
        "Liên hiệp các tổ chức hữu nghị Thành phố Hồ Chí Minh");
    request.mutable_organization()->set_kind(v1::ORGANIZATION_KIND_FRIENDSHIP_UNION);
    request.mutable_organization()->set_level(v1::ORGANIZATION_LEVEL_PROVINCIAL);
    request.mutable_organization()->set_locality(locality);
    return caunoi::testing::MustCallRpc(*organizations,
                                        &v1::OrganizationService::Stub::CreateOrganization, request)
        .name();
  }

  v1::Obligation Oblige(const std::string& document, const std::string& unit, v1::Cadence cadence,
                        const std::string& first_period) {
    v1::CreateObligationRequest request = ObligationRequest(first_period);
    request.mutable_obligation()->set_document(document);
    request.mutable_obligation()->set_unit(unit);
    request.mutable_obligation()->set_cadence(cadence);
    return Must(&Stub::CreateObligation, request);
  }

  void Submit(const v1::Obligation& obligation, const std::string& period) {
    v1::SubmitReportRequest submit;
    submit.set_name(Must(&Stub::CreateReport, ReportRequest(obligation, period)).name());
    Must(&Stub::SubmitReport, submit);
  }

  // What SummarizeCompliance says is missing past its due date, document
  // by document, in ListMissingReports' order.
  std::vector<Row> Recompute(const std::vector<std::string>& documents,
                             const std::string& locality) {
    std::set<Row> rows;
    for (const std::string& document : documents) {
      v1::SummarizeComplianceRequest request;
      request.add_documents(document);
      request.set_locality(locality);
      const v1::SummarizeComplianceResponse summary = Must(&Stub::SummarizeCompliance, request);
      for (const v1::PeriodCompliance& period : summary.periods()) {
        if (period.counts().missing_overdue() == 0) continue;
        rows.emplace(api::FormatIsoDate(api::ToCivilDayUnchecked(period.due_date())),
                     api::NumericResourceId(document), period.locality(), period.period(),
                     period.counts().missing_overdue());
      }
    }
    return {rows.begin(), rows.end()};
  }

  // Every page of ListMissingReports, in the order received.
  std::vector<Row> ListAll(const std::string& locality, int page_size) {
    v1::ListMissingReportsRequest request;
    request.set_locality(locality);
    request.set_page_size(page_size);
    std::vector<Row> rows;
    for (int pages = 0; pages < 100; ++pages) {
      v1::ListMissingReportsResponse page = Must(&Stub::ListMissingReports, request);
      EXPECT_LE(page.missing_reports_size(), page_size);
      for (const v1::MissingReports& missing : page.missing_reports()) {
        rows.push_back(RowOf(missing));
      }
      if (page.next_page_token().empty()) return rows;
      request.set_page_token(page.next_page_token());
    }
    ADD_FAILURE() << "more than 100 pages";
    return rows;
  }
};

TEST_F(MissingReportsTest, EveryDocumentsOverduePeriodsMostOverdueFirstInPages) {
  const std::string second_document = CreateDocument("38-CT/TW");
  const std::string hcmc_unit = CreateUnit("localities/79");
  const v1::Obligation hanoi_half_years =
      Oblige(document_, unit_, v1::CADENCE_HALF_YEARLY, "2022-H1");
  const v1::Obligation hanoi_quarters =
      Oblige(second_document, unit_, v1::CADENCE_QUARTERLY, "2024-Q1");
  const v1::Obligation hcmc_years = Oblige(second_document, hcmc_unit, v1::CADENCE_YEARLY, "2023");
  Oblige(document_, hcmc_unit, v1::CADENCE_HALF_YEARLY, "2023-H2");
  Submit(hanoi_half_years, "2022-H1");
  Submit(hanoi_half_years, "2023-H1");
  Submit(hanoi_quarters, "2024-Q2");
  Submit(hcmc_years, "2024");

  const std::vector<std::string> documents = {document_, second_document};
  const std::vector<Row> expected = Recompute(documents, "");
  // Half-years, quarters and years since 2022 leave many periods missing.
  ASSERT_GT(expected.size(), 10u);
  for (int page_size : {1, 3, 1000}) {
    EXPECT_EQ(ListAll("", page_size), expected) << "pages of " << page_size;
  }
  // What was submitted is not missing; what was not, is.
  const std::vector<Row> all = ListAll("", 1000);
  auto period_of = [&](const std::string& document, const std::string& locality,
                       const std::string& period) {
    for (const Row& row : all) {
      if (std::get<1>(row) == api::NumericResourceId(document) && std::get<2>(row) == locality &&
          std::get<3>(row) == period) {
        return std::get<4>(row);
      }
    }
    return int64_t{0};
  };
  EXPECT_EQ(period_of(document_, "localities/01", "2022-H1"), 0);
  EXPECT_EQ(period_of(document_, "localities/01", "2022-H2"), 1);
  EXPECT_EQ(period_of(second_document, "localities/01", "2024-Q2"), 0);
  EXPECT_EQ(period_of(second_document, "localities/01", "2024-Q1"), 1);
  EXPECT_EQ(period_of(second_document, "localities/79", "2024"), 0);
  EXPECT_EQ(period_of(second_document, "localities/79", "2023"), 1);

  // One locality: the same recomputation, none of another's.
  const std::vector<Row> hcmc = ListAll("localities/79", 2);
  EXPECT_EQ(hcmc, Recompute(documents, "localities/79"));
  EXPECT_THAT(hcmc, Not(::testing::IsEmpty()));
  for (const Row& row : hcmc) EXPECT_EQ(std::get<2>(row), "localities/79");

  // A token belongs to its locality; bad sizes and places are refused.
  v1::ListMissingReportsRequest request;
  request.set_page_size(1);
  v1::ListMissingReportsResponse page = Must(&Stub::ListMissingReports, request);
  ASSERT_FALSE(page.next_page_token().empty());
  request.set_page_token(page.next_page_token());
  request.set_locality("localities/79");
  EXPECT_EQ(FieldOf(Call(&Stub::ListMissingReports, request, &page)), "page_token");
  request.clear_page_token();
  request.set_page_size(-1);
  EXPECT_EQ(FieldOf(Call(&Stub::ListMissingReports, request, &page)), "page_size");
  request.set_page_size(0);
  request.set_locality("localities/99");
  EXPECT_FALSE(Call(&Stub::ListMissingReports, request, &page).ok());
}

}  // namespace
}  // namespace caunoi
