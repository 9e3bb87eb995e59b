// CSV out as spreadsheet programs open it: UTF-8 after a byte-order mark
// (so Vietnamese diacritics survive), CRLF lines, fields quoted when they
// hold a comma, quote or line break.
#ifndef CAUNOI_SERVICES_REPORTS_SPREADSHEETS_CSV_WRITER_H_
#define CAUNOI_SERVICES_REPORTS_SPREADSHEETS_CSV_WRITER_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace caunoi::reports {

inline constexpr absl::string_view kUtf8ByteOrderMark = "\xEF\xBB\xBF";

// Appends one row to `out`.
void AppendCsvRow(std::string& out, const std::vector<std::string>& fields);

}  // namespace caunoi::reports

#endif  // CAUNOI_SERVICES_REPORTS_SPREADSHEETS_CSV_WRITER_H_
