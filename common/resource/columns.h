#ifndef CAUNOI_COMMON_RESOURCE_COLUMNS_H_
#define CAUNOI_COMMON_RESOURCE_COLUMNS_H_

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/api/text.h"
#include "common/pg/connection.h"
#include "common/resource/row.h"
#include "google/protobuf/message.h"

// A resource's stored fields declared once, as a list of its message's
// fields in the order its table's statements name them; the values insert
// and update bind, the row mapping and the updatable paths all follow from
// it.
namespace caunoi::resource {

struct Column {
  absl::string_view field;
  // For a reference to another resource: the pattern of the names it holds
  // ("organizations/{}"). It is stored as the last id, and read back from
  // as many columns as the pattern has ids (a term is its organization's id,
  // then its own).
  absl::string_view pattern = "";
  // The stored column when not the field's name (a reference's is
  // "<field>_id" unless named here).
  absl::string_view column = "";
  // What a select reads when not "r.<column>" (ids from a joined table).
  absl::string_view read = "";

  // What a valid value is. Text follows `text`; a reference must match
  // its pattern ("localities/{}" takes any locality id); a list of
  // references holds distinct names, at most `max`; an enum must be known;
  // a date must be a real day; an integer lies in [min, max] when max is
  // set. `required`: not empty, not unspecified, not unset.
  bool required = false;
  api::TextRule text = {};
  int64_t min = 0;
  int64_t max = 0;
  // An enum left unspecified is stored as this token ("OPEN"), or NULL.
  absl::string_view unset = "";
  // A date or integer that may not come before another field's value
  // ("until" not before "since"), when both are set.
  absl::string_view not_before = "";
  // Set on create, never updated (a country's code).
  bool immutable = false;
  // A value stored in a form of its own (a JSON list): how it is written
  // and read back; the resource's own checks validate it.
  std::string (*encode)(const google::protobuf::Message& resource) = nullptr;
  void (*decode)(absl::string_view stored, google::protobuf::Message& resource) = nullptr;
};

// Notes, summaries and other long text with line breaks.
inline constexpr api::TextRule kNoteText = {.max_chars = api::kMaxNoteChars, .multiline = true};

// The values of `columns` of `message`: text as given, enum values as
// tokens, dates (NULL when unset), references as ids (NULL when empty),
// integers and booleans.
std::vector<pg::Param> ColumnValues(const google::protobuf::Message& message,
                                    std::span<const Column> columns);

// INVALID_ARGUMENT naming "<field>.<column>" for the first stored value
// its column's rules refuse.
absl::Status ValidateColumns(const google::protobuf::Message& message,
                             std::span<const Column> columns, absl::string_view field);

// The inverse: reads `columns` from `row` into `message`.
void ReadColumns(RowReader& row, google::protobuf::Message& message,
                 std::span<const Column> columns);

}  // namespace caunoi::resource

#endif  // CAUNOI_COMMON_RESOURCE_COLUMNS_H_
