#ifndef CAUNOI_COMMON_CSV_CSV_READER_H_
#define CAUNOI_COMMON_CSV_CSV_READER_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

// Spreadsheet files as provincial offices and the statistics office keep
// them: RFC 4180 CSV (quoted fields with "" inside and line breaks, CRLF
// or LF), UTF-8 with or without a byte order mark.
namespace caunoi::csv {

struct Row {
  int line = 0;  // where the row starts, counting from 1 (the header is 1)
  std::vector<std::string> fields;
};

struct Table {
  std::vector<std::string> header;
  std::vector<Row> rows;

  // The position of `column` in the header; nullopt when absent.
  std::optional<int> Column(absl::string_view column) const;
};

// The header row and the rows below it; blank lines are skipped.
// INVALID_ARGUMENT naming `field` and the line for an unterminated quote,
// text after a closing quote, or a row whose field count is not the
// header's.
absl::StatusOr<Table> ReadTable(absl::string_view text, absl::string_view field);

// The positions of `columns` in `table`'s header, in that order;
// INVALID_ARGUMENT naming `field` and every column missing.
absl::StatusOr<std::vector<int>> RequireColumns(const Table& table,
                                                const std::vector<absl::string_view>& columns,
                                                absl::string_view field);

}  // namespace caunoi::csv

#endif  // CAUNOI_COMMON_CSV_CSV_READER_H_
