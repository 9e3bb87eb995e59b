// Indicator values added up (SummarizeIndicators) against sums the test
// computes itself, a unit of a province merged in 2025 counted once, and
// spreadsheets in and out.
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/testing/error_details.h"
#include "tests/integration/reports_fixture.h"

namespace caunoi {
namespace {

using ::caunoi::testing::IsOk;
using ::caunoi::testing::StatusIs;
using ::testing::HasSubstr;
using Stub = v1::ReportService::Stub;

// One report the test files: its unit, period, values and fate.
struct Filed {
  int unit;  // index into units_
  std::string period;
  int64_t cadres;
  int64_t funds;
  bool accepted;
};

class IndicatorTotalsTest : public ReportsTest {
 protected:
  void SetUp() override {
    ReportsTest::SetUp();
    if (HasFatalFailure()) return;
    auto org_stub = v1::OrganizationService::NewStub(organizations_->NewChannel());
    units_.push_back(unit_);  // HAUFO, Hanoi
    // One in Ho Chi Minh City, one of old Bình Dương (pre2025-74), which
    // the 2025 merger put in Ho Chi Minh City.
    for (const auto& [name, locality] : std::vector<std::pair<std::string, std::string>>{
             {"Liên hiệp hữu nghị Thành phố Hồ Chí Minh", "localities/79"},
             {"Liên hiệp hữu nghị tỉnh Bình Dương", "localities/pre2025-74"}}) {
      v1::CreateOrganizationRequest create;
      create.mutable_organization()->set_display_name(name);
      create.mutable_organization()->set_kind(v1::ORGANIZATION_KIND_FRIENDSHIP_UNION);
      create.mutable_organization()->set_level(v1::ORGANIZATION_LEVEL_PROVINCIAL);
      create.mutable_organization()->set_locality(locality);
      units_.push_back(caunoi::testing::MustCallRpc(
                           *org_stub, &v1::OrganizationService::Stub::CreateOrganization, create)
                           .name());
    }
    for (const std::string& unit : units_) {
      v1::CreateObligationRequest duty = ObligationRequest("2022-H1");
      duty.mutable_obligation()->set_unit(unit);
      obligations_.push_back(Must(&Stub::CreateObligation, duty));
    }
  }

  void File(const std::vector<Filed>& filed) {
    for (const Filed& one : filed) {
      v1::CreateReportRequest create;
      create.set_parent(obligations_[one.unit].name());
      create.mutable_report()->set_period(one.period);
      v1::IndicatorValue* cadres = create.mutable_report()->add_values();
      cadres->set_indicator("indicators/cadres_trained");
      cadres->set_amount(one.cadres);
      v1::IndicatorValue* funds = create.mutable_report()->add_values();
      funds->set_indicator("funds_vnd");
      funds->set_amount(one.funds);
      v1::Report report = Must(&Stub::CreateReport, create);
      v1::SubmitReportRequest submit;
      submit.set_name(report.name());
      Must(&Stub::SubmitReport, submit);
      if (one.accepted) {
        v1::ReviewReportRequest accept;
        accept.set_name(report.name());
        Must(&Stub::AcceptReport, accept);
      }
    }
  }

  v1::SummarizeIndicatorsResponse Summarize(v1::IndicatorGrouping grouping, bool submitted) {
    v1::SummarizeIndicatorsRequest request;
    request.add_documents(document_);
    request.add_indicators("cadres_trained");
    request.set_from_period("2022-H1");
    request.set_to_period("2022-H2");
    request.set_group_by(grouping);
    request.set_include_submitted(submitted);
    return Must(&Stub::SummarizeIndicators, request);
  }

  std::vector<std::string> units_;
  std::vector<v1::Obligation> obligations_;
};

const std::vector<Filed> kFiled = {
    {0, "2022-H1", 120, 5'000'000, true},  {0, "2022-H2", 80, 0, false},
    {1, "2022-H1", 300, 12'000'000, true}, {2, "2022-H1", 45, 1'500'000, true},
    {2, "2022-H2", 15, 0, true},
};

TEST_F(IndicatorTotalsTest, TotalsMatchASumComputedHereAndAMergedUnitCountsOnce) {
  File(kFiled);
  // Computed here, from what was filed.
  int64_t accepted = 0, all = 0;
  std::map<std::string, int64_t> by_period;
  for (const Filed& one : kFiled) {
    all += one.cadres;
    if (one.accepted) {
      accepted += one.cadres;
      by_period[one.period] += one.cadres;
    }
  }
  v1::SummarizeIndicatorsResponse national = Summarize(v1::INDICATOR_GROUPING_UNSPECIFIED, false);
  ASSERT_EQ(national.totals_size(), 1);
  EXPECT_EQ(national.totals(0).indicator(), "indicators/cadres_trained");
  EXPECT_EQ(national.totals(0).sum(), accepted);
  EXPECT_EQ(national.totals(0).reports(), 4);
  EXPECT_DOUBLE_EQ(national.totals(0).average(), accepted / 4.0);
  // 3 duties × 2 half-years expected, 4 accepted.
  EXPECT_EQ(national.totals(0).reports_counted(), 4);
  EXPECT_EQ(national.totals(0).reports_missing(), 2);
  v1::SummarizeIndicatorsResponse with_submitted =
      Summarize(v1::INDICATOR_GROUPING_UNSPECIFIED, true);
  ASSERT_EQ(with_submitted.totals_size(), 1);
  EXPECT_EQ(with_submitted.totals(0).sum(), all);
  EXPECT_EQ(with_submitted.totals(0).reports_missing(), 1);

  v1::SummarizeIndicatorsResponse periods = Summarize(v1::INDICATOR_GROUPING_PERIOD, false);
  ASSERT_EQ(periods.totals_size(), 2);
  for (const v1::IndicatorTotal& total : periods.totals()) {
    EXPECT_EQ(total.sum(), by_period[total.period()]) << total.period();
  }
  // Every unit here is a province's.
  v1::SummarizeIndicatorsResponse levels = Summarize(v1::INDICATOR_GROUPING_LEVEL, false);
  ASSERT_EQ(levels.totals_size(), 1);
  EXPECT_EQ(levels.totals(0).level(), "PROVINCIAL");
  EXPECT_EQ(levels.totals(0).sum(), accepted);
  // Old Bình Dương's unit is counted in Ho Chi Minh City, once.
  v1::SummarizeIndicatorsResponse localities = Summarize(v1::INDICATOR_GROUPING_LOCALITY, false);
  ASSERT_EQ(localities.totals_size(), 2);
  EXPECT_EQ(localities.totals(0).locality(), "localities/01");
  EXPECT_EQ(localities.totals(0).sum(), 120);
  EXPECT_EQ(localities.totals(1).locality(), "localities/79");
  EXPECT_EQ(localities.totals(1).sum(), 300 + 45 + 15);
  EXPECT_EQ(localities.totals(1).reports(), 3);
  int64_t sum_of_localities = 0;
  for (const v1::IndicatorTotal& total : localities.totals()) sum_of_localities += total.sum();
  EXPECT_EQ(sum_of_localities, national.totals(0).sum());

  // Reopening an accepted report takes it out of the accepted totals.
  v1::ListReportsRequest list;
  list.set_parent(obligations_[1].name());
  v1::ListReportsResponse hcmc = Must(&Stub::ListReports, list);
  ASSERT_EQ(hcmc.reports_size(), 1);
  v1::ReviewReportRequest reopen;
  reopen.set_name(hcmc.reports(0).name());
  reopen.set_comment("Số liệu cần đối chiếu lại");
  Must(&Stub::ReopenReport, reopen);
  EXPECT_EQ(Summarize(v1::INDICATOR_GROUPING_UNSPECIFIED, false).totals(0).sum(), accepted - 300);
}

std::string Sheet(const std::vector<std::string>& lines) {
  std::string csv = "\xEF\xBB\xBF";  // as spreadsheet programs save it
  for (const std::string& line : lines) absl::StrAppend(&csv, line, "\r\n");
  return csv;
}

TEST_F(IndicatorTotalsTest, ASpreadsheetComesInWholeOrNotAtAll) {
  const std::string hanoi = units_[0], hcmc = units_[1];
  // Indicators by code and by name without diacritics; a thousands separator.
  v1::ImportReportsRequest request;
  request.set_document(document_);
  request.set_request_id("import-2022");
  request.set_csv(Sheet({"unit,period,cadres_trained,Kinh phi van dong (dong),summary",
                         hanoi + ",2022-H1,120,5.000.000,Đã quán triệt",
                         hcmc + ",2022-H1,300,,\"Tổ chức 3 hội nghị, 1 lớp tập huấn\""}));
  v1::ImportReportsResponse imported = Must(&Stub::ImportReports, request);
  EXPECT_EQ(imported.rows(), 2);
  EXPECT_EQ(imported.created(), 2);
  EXPECT_FALSE(imported.repeated());
  v1::ListReportsRequest list;
  list.set_parent("obligations/-");
  v1::ListReportsResponse listed = Must(&Stub::ListReports, list);
  ASSERT_EQ(listed.reports_size(), 2);
  EXPECT_EQ(listed.reports(0).summary(), "Đã quán triệt");
  EXPECT_EQ(listed.reports(0).figures().funds_vnd(), 5'000'000);
  EXPECT_EQ(listed.reports(0).state(), v1::REPORT_STATE_DRAFT);
  // The blank funds cell is "not reported".
  ASSERT_EQ(listed.reports(1).values_size(), 1);
  EXPECT_EQ(listed.reports(1).summary(), "Tổ chức 3 hội nghị, 1 lớp tập huấn");

  // The same file again under its request_id changes nothing.
  imported = Must(&Stub::ImportReports, request);
  EXPECT_TRUE(imported.repeated());
  EXPECT_EQ(imported.created(), 0);

  // Errors in several rows: nothing written, each named by line and column.
  request.set_request_id("import-2022-h2");
  request.set_csv(Sheet({"unit,period,cadres_trained,funds_vnd",
                         hanoi + ",2022-H2,80,1.5",        // line 2: a fraction
                         hcmc + ",2022-H2,-4,0",           // line 3: negative
                         "organizations/999,2022-H2,1,1",  // line 4: no duty
                         hanoi + ",2022-Q9,1,1",           // line 5: no such period
                         hcmc + ",2022-H1,1,1"}));         // a draft: replaced
  v1::ImportReportsResponse refused;
  absl::Status status = Call(&Stub::ImportReports, request, &refused);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(caunoi::testing::ReasonOf(status), "IMPORT_REFUSED");
  std::optional<google::rpc::BadRequest> bad = GetBadRequest(status);
  ASSERT_TRUE(bad.has_value());
  std::vector<std::string> fields;
  for (const auto& violation : bad->field_violations()) fields.push_back(violation.field());
  EXPECT_THAT(fields, ::testing::ElementsAre("csv[2].funds_vnd", "csv[3].cadres_trained",
                                             "csv[4].unit", "csv[5].period"));
  EXPECT_EQ(Must(&Stub::ListReports, list).reports_size(), 2);
  // With allow_partial, the good row is written and the others listed.
  request.set_allow_partial(true);
  imported = Must(&Stub::ImportReports, request);
  EXPECT_EQ(imported.updated(), 1);
  EXPECT_EQ(imported.errors_size(), 4);
  EXPECT_EQ(imported.errors(0).row(), 2);
  EXPECT_EQ(imported.errors(0).column(), "funds_vnd");

  // A heading that names no indicator refuses the file.
  request.set_request_id("");
  request.set_csv(Sheet({"unit,period,khong co chi tieu nay", hanoi + ",2022-H2,1"}));
  request.set_allow_partial(false);
  EXPECT_EQ(caunoi::testing::FieldOf(Call(&Stub::ImportReports, request, &refused)),
            "csv[1].khong co chi tieu nay");
}

TEST_F(IndicatorTotalsTest, AnExportImportsBackToTheSameValues) {
  File(kFiled);
  v1::ExportReportsCsvRequest request;
  request.set_document(document_);
  request.set_from_period("2022-H1");
  request.set_to_period("2022-H2");
  grpc::ClientContext context;
  auto reader = stub_->ExportReportsCsv(&context, request);
  std::string csv;
  v1::CsvChunk chunk;
  while (reader->Read(&chunk)) csv += chunk.data();
  ASSERT_TRUE(reader->Finish().ok());
  ASSERT_EQ(csv.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_THAT(csv, HasSubstr("Số cán bộ được tập huấn, bồi dưỡng"));
  const std::vector<std::string> lines = absl::StrSplit(csv, "\r\n", absl::SkipEmpty());
  ASSERT_EQ(lines.size(), kFiled.size() + 1);

  // Another document, with duties for the same units and none of their reports.
  auto directive_stub = v1::DirectiveService::NewStub(directives_->NewChannel());
  v1::GetDocumentRequest get;
  get.set_name(document_);
  v1::Document original =
      caunoi::testing::MustCallRpc(*directive_stub, &v1::DirectiveService::Stub::GetDocument, get);
  v1::CreateDocumentRequest copy;
  *copy.mutable_document() = original;
  copy.mutable_document()->clear_name();
  copy.mutable_document()->set_symbol("38-CT/TW");
  copy.mutable_document()->clear_normalized_symbol();
  v1::Document second = caunoi::testing::MustCallRpc(
      *directive_stub, &v1::DirectiveService::Stub::CreateDocument, copy);
  for (const std::string& unit : units_) {
    v1::CreateObligationRequest duty = ObligationRequest("2022-H1");
    duty.mutable_obligation()->set_document(second.name());
    duty.mutable_obligation()->set_unit(unit);
    Must(&Stub::CreateObligation, duty);
  }
  v1::ImportReportsRequest back;
  back.set_document(second.name());
  back.set_csv(csv);
  v1::ImportReportsResponse imported = Must(&Stub::ImportReports, back);
  EXPECT_EQ(imported.created(), static_cast<int>(kFiled.size()));

  // The same values, period for period (units report once a period each).
  auto values_of = [&](const std::string& document) {
    std::vector<std::string> values;
    v1::ListReportsRequest list;
    list.set_parent("obligations/-");
    list.set_filter(absl::StrCat("document = \"", document, "\""));
    list.set_page_size(100);
    const v1::ListReportsResponse listed = Must(&Stub::ListReports, list);
    for (const v1::Report& report : listed.reports()) {
      for (const v1::IndicatorValue& value : report.values()) {
        values.push_back(
            absl::StrCat(report.period(), " ", value.indicator(), " ", value.amount()));
      }
    }
    std::sort(values.begin(), values.end());
    return values;
  };
  EXPECT_EQ(values_of(document_).size(), 2 * kFiled.size());
  EXPECT_EQ(values_of(document_), values_of(second.name()));

  // The compliance table as a spreadsheet: a row per locality and period.
  v1::ExportComplianceCsvRequest compliance;
  compliance.set_document(document_);
  compliance.set_from_period("2022-H1");
  compliance.set_to_period("2022-H2");
  grpc::ClientContext compliance_context;
  auto table = stub_->ExportComplianceCsv(&compliance_context, compliance);
  std::string sheet;
  while (table->Read(&chunk)) sheet += chunk.data();
  ASSERT_TRUE(table->Finish().ok());
  EXPECT_EQ(sheet.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_THAT(sheet, HasSubstr("Địa phương,Kỳ báo cáo,Hạn nộp,Phải nộp,Đúng hạn"));
  // Hanoi's 2022-H1: one expected, submitted and accepted (filed today, so late).
  EXPECT_THAT(sheet, HasSubstr("localities/01,2022-H1,2022-07-15,1,0,1,0,0,1.0000,0.0000"));
}

}  // namespace
}  // namespace caunoi
