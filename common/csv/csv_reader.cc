#include "common/csv/csv_reader.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "common/status/errors.h"

namespace caunoi::csv {
namespace {

constexpr absl::string_view kByteOrderMark = "\xEF\xBB\xBF";

absl::Status LineError(absl::string_view field, int line, absl::string_view what) {
  return InvalidFieldError(field, absl::StrCat("line ", line, ": ", what));
}

bool IsBlank(const std::vector<std::string>& fields) {
  return fields.size() == 1 && fields[0].empty();
}

}  // namespace

std::optional<int> Table::Column(absl::string_view column) const {
  for (size_t i = 0; i < header.size(); ++i) {
    if (header[i] == column) return static_cast<int>(i);
  }
  return std::nullopt;
}

absl::StatusOr<Table> ReadTable(absl::string_view text, absl::string_view field) {
  absl::ConsumePrefix(&text, kByteOrderMark);
  std::vector<Row> rows;
  Row row{.line = 1, .fields = {}};
  std::string value;
  int line = 1;
  size_t i = 0;
  auto end_row = [&] {
    row.fields.push_back(std::move(value));
    value.clear();
    if (!IsBlank(row.fields)) rows.push_back(std::move(row));
    row = Row{.line = line, .fields = {}};
  };
  while (i < text.size()) {
    const char c = text[i];
    if (c == '"' && value.empty()) {
      // A quoted field runs to the next quote not doubled.
      const int opened = line;
      ++i;
      for (;;) {
        if (i >= text.size()) return LineError(field, opened, "a quoted field is never closed");
        if (text[i] == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            value.push_back('"');
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        if (text[i] == '\n') ++line;
        value.push_back(text[i++]);
      }
      if (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
        return LineError(field, line, "text follows a closing quote; double a quote inside one");
      }
      continue;
    }
    if (c == ',') {
      row.fields.push_back(std::move(value));
      value.clear();
      ++i;
    } else if (c == '\r' || c == '\n') {
      i += (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ? 2 : 1;
      ++line;
      end_row();
    } else {
      value.push_back(c);
      ++i;
    }
  }
  if (!value.empty() || !row.fields.empty()) end_row();

  if (rows.empty()) return InvalidFieldError(field, "is empty; the first line names the columns");
  Table table;
  table.header = std::move(rows.front().fields);
  for (std::string& name : table.header) name = std::string(absl::StripAsciiWhitespace(name));
  for (size_t r = 1; r < rows.size(); ++r) {
    if (rows[r].fields.size() != table.header.size()) {
      return LineError(field, rows[r].line,
                       absl::StrCat("has ", rows[r].fields.size(), " fields; the header names ",
                                    table.header.size()));
    }
    table.rows.push_back(std::move(rows[r]));
  }
  return table;
}

absl::StatusOr<std::vector<int>> RequireColumns(const Table& table,
                                                const std::vector<absl::string_view>& columns,
                                                absl::string_view field) {
  std::vector<int> positions;
  std::vector<absl::string_view> missing;
  for (absl::string_view column : columns) {
    if (std::optional<int> at = table.Column(column)) {
      positions.push_back(*at);
    } else {
      missing.push_back(column);
    }
  }
  if (!missing.empty()) {
    return InvalidFieldError(
        field, absl::StrCat("line 1: the header lacks the column(s) ", absl::StrJoin(missing, ", "),
                            "; it names ", absl::StrJoin(table.header, ",")));
  }
  return positions;
}

}  // namespace caunoi::csv
