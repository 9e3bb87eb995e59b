#include "services/reports/spreadsheets/report_sheet.h"

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/api/resource_name.h"
#include "common/status/errors.h"
#include "services/reports/indicators/indicator_values.h"

namespace caunoi::reports {
namespace {

// "1.200.000", "1,200,000", "1 200 000" and "1200000" are one number: a
// separator only between groups of three digits, so "1.5" is refused, not
// read as 15.
std::optional<int64_t> WholeNumber(absl::string_view cell) {
  std::string digits;
  int group = -1;  // digits since the last separator; -1 before any
  char separator = 0;
  for (const char c : cell) {
    if (absl::ascii_isdigit(c)) {
      digits.push_back(c);
      if (group >= 0) ++group;
      continue;
    }
    if (c != '.' && c != ',' && c != ' ') return std::nullopt;
    if ((separator != 0 && c != separator) || digits.empty() || (group >= 0 && group != 3)) {
      return std::nullopt;
    }
    separator = c;
    group = 0;
  }
  if (digits.empty() || (group >= 0 && group != 3)) return std::nullopt;
  int64_t value = 0;
  if (!absl::SimpleAtoi(digits, &value)) return std::nullopt;
  return value;
}

std::optional<bool> YesNo(absl::string_view cell) {
  const std::string folded = absl::AsciiStrToLower(cell);
  for (absl::string_view yes : {"có", "co", "yes", "x", "1", "true", "đã", "da"}) {
    if (folded == yes) return true;
  }
  for (absl::string_view no : {"không", "khong", "no", "0", "false", "chưa", "chua"}) {
    if (folded == no) return false;
  }
  return std::nullopt;
}

}  // namespace

v1::ImportError ImportErrorAt(int line, absl::string_view column, absl::string_view message) {
  v1::ImportError error;
  error.set_row(line);
  error.set_column(std::string(column));
  error.set_message(std::string(message));
  return error;
}

absl::StatusOr<std::optional<v1::IndicatorValue>> CellValue(absl::string_view cell,
                                                            const IndicatorRule& rule) {
  cell = absl::StripAsciiWhitespace(cell);
  if (cell.empty()) return std::nullopt;
  v1::IndicatorValue value;
  value.set_indicator(absl::StrCat("indicators/", rule.code));
  switch (rule.unit) {
    case v1::INDICATOR_UNIT_YES_NO: {
      std::optional<bool> yes = YesNo(cell);
      if (!yes) return absl::InvalidArgumentError("takes có or không (yes or no)");
      value.set_yes(*yes);
      break;
    }
    case v1::INDICATOR_UNIT_TEXT:
      value.set_text(std::string(cell));
      break;
    default: {
      std::optional<int64_t> amount = WholeNumber(cell);
      if (!amount) {
        return absl::InvalidArgumentError(
            absl::StrCat("\"", cell, "\" is not a whole number of 0 or more"));
      }
      value.set_amount(*amount);
    }
  }
  return value;
}

absl::StatusOr<ReportSheet> ReadReportSheet(const csv::Table& table,
                                            const std::map<std::string, std::string>& codes,
                                            const IndicatorSet& set) {
  absl::StatusOr<std::vector<int>> required = csv::RequireColumns(table, {"unit", "period"}, "csv");
  if (!required.ok()) return required.status();
  const int unit_column = (*required)[0];
  const int period_column = (*required)[1];
  const std::optional<int> summary_column = table.Column("summary");
  ReportSheet sheet;
  // The indicator each other column holds.
  std::vector<std::pair<int, IndicatorRule>> indicators;
  for (int i = 0; i < static_cast<int>(table.header.size()); ++i) {
    const std::string& heading = table.header[i];
    if (i == unit_column || i == period_column || i == summary_column) continue;
    bool export_only = false;
    for (absl::string_view column : kExportOnlyColumns) export_only |= heading == column;
    if (export_only) continue;
    auto code = codes.find(heading);
    if (code == codes.end()) {
      sheet.errors.push_back(ImportErrorAt(1, heading, "names no indicator (by code or name)"));
      continue;
    }
    const IndicatorRule* rule = set.Find(code->second);
    if (rule == nullptr) {
      sheet.errors.push_back(ImportErrorAt(
          1, heading, absl::StrCat(code->second, " is not an indicator of the document")));
      continue;
    }
    indicators.emplace_back(i, *rule);
  }
  if (!sheet.errors.empty()) return sheet;  // a wrong heading makes every row wrong

  for (const csv::Row& row : table.rows) {
    SheetRow parsed;
    parsed.line = row.line;
    bool valid = true;
    absl::string_view unit = absl::StripAsciiWhitespace(row.fields[unit_column]);
    absl::ConsumePrefix(&unit, "organizations/");
    int64_t unit_number = 0;
    if (!absl::SimpleAtoi(unit, &unit_number) || unit_number <= 0) {
      sheet.errors.push_back(ImportErrorAt(row.line, table.header[unit_column],
                                           "must name a unit as organizations/{id}"));
      valid = false;
    }
    parsed.unit_id = std::string(unit);
    parsed.period = std::string(absl::StripAsciiWhitespace(row.fields[period_column]));
    if (summary_column) parsed.summary = row.fields[*summary_column];
    for (const auto& [column, rule] : indicators) {
      absl::StatusOr<std::optional<v1::IndicatorValue>> value = CellValue(row.fields[column], rule);
      if (!value.ok()) {
        sheet.errors.push_back(
            ImportErrorAt(row.line, table.header[column], value.status().message()));
        valid = false;
      } else if (value->has_value()) {
        *parsed.values.Add() = **value;
      }
    }
    if (valid) sheet.rows.push_back(std::move(parsed));
  }
  return sheet;
}

}  // namespace caunoi::reports
