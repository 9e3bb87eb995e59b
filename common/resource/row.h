#ifndef CAUNOI_COMMON_RESOURCE_ROW_H_
#define CAUNOI_COMMON_RESOURCE_ROW_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "caunoi/v1/common.pb.h"
#include "common/pg/connection.h"
#include "common/pg/result.h"
#include "google/protobuf/timestamp.pb.h"

// Moving values between resources and SQL rows, column by column in the
// order the statement names them, so a row mapping reads like its SELECT.
namespace caunoi::resource {

// Reads one row left to right.
class RowReader {
 public:
  RowReader(const pg::Result& result, int row) : result_(result), row_(row) {}

  bool NextIsNull() const { return result_.IsNull(row_, column_); }
  std::string Text();  // "" for NULL
  // The text itself, valid while the result lives; "" for NULL.
  absl::string_view View();
  std::optional<std::string> OptionalText();
  int64_t Int64();  // 0 for NULL
  bool Bool();      // false for NULL
  // A date column (written as YYYY-MM-DD); nullopt for NULL.
  std::optional<v1::Date> OptionalDate();
  // Microseconds since the epoch; see the kTimestampMicros helper below.
  void Timestamp(google::protobuf::Timestamp* timestamp);
  void Skip(int columns) { column_ += columns; }

 private:
  const pg::Result& result_;
  int row_;
  int column_ = 0;
};

// SQL that selects a timestamptz column as microseconds since the epoch.
#define CAUNOI_MICROS(column) "(extract(epoch FROM " column ") * 1000000)::bigint"

// Builds statement parameters left to right.
class Params {
 public:
  Params() = default;
  explicit Params(std::vector<pg::Param> leading) : params_(std::move(leading)) {}

  Params& Text(absl::string_view value);
  // Empty text becomes NULL.
  Params& TextOrNull(absl::string_view value);
  Params& Int64(int64_t value);
  Params& Bool(bool value);
  // An unset date becomes NULL.
  Params& Date(const v1::Date& date, bool present);
  Params& Null();
  Params& Append(std::vector<pg::Param> more);

  std::vector<pg::Param> Take() { return std::move(params_); }

 private:
  std::vector<pg::Param> params_;
};

}  // namespace caunoi::resource

#endif  // CAUNOI_COMMON_RESOURCE_ROW_H_
