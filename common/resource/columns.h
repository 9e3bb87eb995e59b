#ifndef CAUNOI_COMMON_RESOURCE_COLUMNS_H_
#define CAUNOI_COMMON_RESOURCE_COLUMNS_H_

#include <array>
#include <cstddef>
#include <span>
#include <vector>

#include "absl/strings/string_view.h"
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
};

// The values of `columns` of `message`: text as given, enum values as
// tokens, dates (NULL when unset), references as ids (NULL when empty),
// integers and booleans.
std::vector<pg::Param> ColumnValues(const google::protobuf::Message& message,
                                    std::span<const Column> columns);

// The inverse: reads `columns` from `row` into `message`.
void ReadColumns(RowReader& row, google::protobuf::Message& message,
                 std::span<const Column> columns);

// The spec's `columns` for a resource whose stored fields are `kColumns`.
template <typename M, const auto& kColumns>
std::vector<pg::Param> ColumnsOf(const M& message) {
  return ColumnValues(message, kColumns);
}

// The field names of `columns`: the paths an update may write.
template <size_t N>
constexpr std::array<absl::string_view, N> FieldsOf(const Column (&columns)[N]) {
  std::array<absl::string_view, N> fields;
  for (size_t i = 0; i < N; ++i) fields[i] = columns[i].field;
  return fields;
}

}  // namespace caunoi::resource

#endif  // CAUNOI_COMMON_RESOURCE_COLUMNS_H_
