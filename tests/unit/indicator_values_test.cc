// A report's values as stored and as spreadsheet cells read them.
#include "services/reports/indicators/indicator_values.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/reports/spreadsheets/csv_writer.h"
#include "services/reports/spreadsheets/report_sheet.h"

namespace caunoi::reports {
namespace {

TEST(IndicatorValuesTest, TheStoredObjectReadsBackAsWritten) {
  google::protobuf::RepeatedPtrField<v1::IndicatorValue> values;
  v1::IndicatorValue* amount = values.Add();
  amount->set_indicator("indicators/funds_vnd");
  amount->set_amount(1'000'000'000'000'000);
  v1::IndicatorValue* yes = values.Add();
  yes->set_indicator("has_plan");
  yes->set_yes(false);
  v1::IndicatorValue* text = values.Add();
  text->set_indicator("note");
  text->set_text("Hội \"Hữu nghị\"\nđã họp\\ 😀");
  const std::string json = ValuesJson(values);
  EXPECT_EQ(json.substr(0, 49), "{\"funds_vnd\": 1000000000000000, \"has_plan\": false");
  absl::StatusOr<std::vector<v1::IndicatorValue>> read = ValuesFromJson(json);
  ASSERT_TRUE(read.ok()) << read.status();
  ASSERT_EQ(read->size(), 3u);
  EXPECT_EQ((*read)[0].indicator(), "indicators/funds_vnd");
  EXPECT_EQ((*read)[0].amount(), 1'000'000'000'000'000);
  EXPECT_TRUE((*read)[1].has_yes());
  EXPECT_EQ((*read)[2].text(), "Hội \"Hữu nghị\"\nđã họp\\ 😀");
  // As PostgreSQL may print it: escapes and surrogate pairs.
  read = ValuesFromJson("{\"note\": \"\\u0110\\u00e0 N\\u1eb5ng \\ud83d\\ude00\", \"n\": 0}");
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ((*read)[0].text(), "Đà Nẵng 😀");
  EXPECT_TRUE((*read)[1].has_amount());
  EXPECT_FALSE(ValuesFromJson("{\"n\": 1.5}").ok());
  EXPECT_FALSE(ValuesFromJson("{\"n\": 1").ok());
  EXPECT_TRUE(ValuesFromJson("{}")->empty());
}

TEST(IndicatorValuesTest, ChangedFiguresReplaceTheDefaultsValues) {
  v1::Report report;
  v1::IndicatorValue* note = report.add_values();
  note->set_indicator("indicators/note");
  note->set_text("x");
  v1::IndicatorValue* cadres = report.add_values();
  cadres->set_indicator("indicators/cadres_trained");
  cadres->set_amount(5);
  // Figures as read: the values stand.
  *report.mutable_figures() = FiguresOf(report.values());
  EXPECT_EQ(EffectiveValues(report).size(), 2);
  // Figures changed: the defaults' values follow them, the others stay.
  report.mutable_figures()->set_cadres_trained(7);
  report.mutable_figures()->set_members(0);
  auto values = EffectiveValues(report);
  ASSERT_EQ(values.size(), 2);
  EXPECT_EQ(values[0].indicator(), "indicators/note");
  EXPECT_EQ(values[1].amount(), 7);
}

TEST(ReportSheetTest, CellsReadAsPeopleTypeThem) {
  const IndicatorRule count{.code = "cadres_trained", .unit = v1::INDICATOR_UNIT_PEOPLE};
  const IndicatorRule yes_no{.code = "has_plan", .unit = v1::INDICATOR_UNIT_YES_NO};
  EXPECT_EQ((*CellValue("1.200.000", count))->amount(), 1'200'000);
  EXPECT_EQ((*CellValue("1,200", count))->amount(), 1200);
  EXPECT_EQ((*CellValue(" 45 ", count))->amount(), 45);
  EXPECT_FALSE(CellValue("", count)->has_value());  // not reported
  EXPECT_FALSE(CellValue("1.5", count).ok());
  EXPECT_FALSE(CellValue("1.20.000", count).ok());
  EXPECT_FALSE(CellValue("-3", count).ok());
  EXPECT_FALSE(CellValue("1.200,000", count).ok());
  EXPECT_TRUE((*CellValue("có", yes_no))->yes());
  EXPECT_FALSE((*CellValue("Không", yes_no))->yes());
  EXPECT_FALSE(CellValue("có lẽ", yes_no).ok());
}

TEST(ReportSheetTest, CsvOutQuotesWhatNeedsIt) {
  std::string out;
  AppendCsvRow(out, {"organizations/2", "Tổ chức 3 hội nghị, 1 lớp", "nói \"có\"", "a\nb"});
  EXPECT_EQ(out, "organizations/2,\"Tổ chức 3 hội nghị, 1 lớp\",\"nói \"\"có\"\"\",\"a\nb\"\r\n");
}

}  // namespace
}  // namespace caunoi::reports
