#include "common/resource/row.h"

#include "absl/strings/str_cat.h"
#include "common/api/dates.h"
#include "common/api/text.h"
#include "google/protobuf/util/time_util.h"

namespace caunoi::resource {

std::string RowReader::Text() { return std::string(result_.Text(row_, column_++)); }

std::optional<std::string> RowReader::OptionalText() {
  if (NextIsNull()) {
    ++column_;
    return std::nullopt;
  }
  return Text();
}

absl::string_view RowReader::View() { return result_.Text(row_, column_++); }

int64_t RowReader::Int64() {
  int64_t value = 0;
  return pg::ParseInt64(result_.Text(row_, column_++), value) ? value : 0;
}

bool RowReader::Bool() {
  const bool null = NextIsNull();
  const bool value = !null && result_.Bool(row_, column_);
  ++column_;
  return value;
}

std::optional<v1::Date> RowReader::OptionalDate() {
  std::optional<v1::Date> date;
  if (!NextIsNull()) {
    absl::StatusOr<absl::CivilDay> day = api::ParseIsoDate(result_.Text(row_, column_));
    if (day.ok()) date = api::ToDate(*day);
  }
  ++column_;
  return date;
}

void RowReader::Timestamp(google::protobuf::Timestamp* timestamp) {
  *timestamp = google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(Int64());
}

Params& Params::Text(absl::string_view value) {
  params_.emplace_back(api::ToNfc(value));
  return *this;
}

Params& Params::TextOrNull(absl::string_view value) {
  if (value.empty()) return Null();
  return Text(value);
}

Params& Params::Int64(int64_t value) {
  params_.emplace_back(absl::StrCat(value));
  return *this;
}

Params& Params::Bool(bool value) {
  params_.emplace_back(value ? "true" : "false");
  return *this;
}

Params& Params::Date(const v1::Date& date, bool present) {
  if (!present) return Null();
  params_.emplace_back(api::FormatIsoDate(api::ToCivilDayUnchecked(date)));
  return *this;
}

Params& Params::Null() {
  params_.emplace_back(std::nullopt);
  return *this;
}

Params& Params::Append(std::vector<pg::Param> more) {
  for (pg::Param& param : more) params_.push_back(std::move(param));
  return *this;
}

}  // namespace caunoi::resource
