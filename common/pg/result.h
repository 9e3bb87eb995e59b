#ifndef CAUNOI_COMMON_PG_RESULT_H_
#define CAUNOI_COMMON_PG_RESULT_H_

#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

struct pg_result;

namespace caunoi::pg {

// An integer column's text: PostgreSQL's digits after an optional minus,
// or anything SimpleAtoi reads. False otherwise, "" (NULL) included.
bool ParseInt64(absl::string_view text, int64_t& value);

// A successful query's rows, in text format. Owns the libpq result.
class Result {
 public:
  explicit Result(pg_result* result);

  int rows() const;
  int columns() const;
  bool IsNull(int row, int column) const;
  // The text value; empty for NULL.
  absl::string_view Text(int row, int column) const;
  std::optional<std::string> OptionalText(int row, int column) const;
  absl::StatusOr<int64_t> Int64(int row, int column) const;
  bool Bool(int row, int column) const;
  // Rows changed by INSERT/UPDATE/DELETE.
  int64_t AffectedRows() const;
  // The libpq result, for error inspection inside common/pg only.
  const pg_result* raw() const { return result_.get(); }

 private:
  struct Deleter {
    void operator()(pg_result* result) const;
  };
  std::unique_ptr<pg_result, Deleter> result_;
};

}  // namespace caunoi::pg

#endif  // CAUNOI_COMMON_PG_RESULT_H_
