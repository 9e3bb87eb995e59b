#ifndef CAUNOI_COMMON_API_FILTER_H_
#define CAUNOI_COMMON_API_FILTER_H_

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

// The subset of AIP-160 filters our List methods accept: terms joined by
// AND, each `field = value` (equality) or `field : value` (has / contains).
// A value is a bare word (letters, digits, _ - / .) or a double-quoted
// string with \" and \\ escapes; quoted strings may hold any UTF-8.
namespace caunoi::api {

enum class FilterOperator { kEquals, kHas };

struct FilterTerm {
  std::string field;
  FilterOperator op;
  std::string value;
};

// How a term's value becomes its query parameter, checked against
// `pattern` where it names a resource; INVALID_ARGUMENT on "filter".
using FilterBinder = absl::StatusOr<std::optional<std::string>> (*)(const FilterTerm& term,
                                                                    absl::string_view pattern);

struct FilterField {
  absl::string_view name;
  bool equals;                  // accepts `=`
  bool has;                     // accepts `:`
  FilterBinder bind = nullptr;  // nullptr: the value as given
  absl::string_view pattern = "";
  // For a List query written from its fields: the SQL condition a row
  // meets, with `$` standing for the bound value ("r.status = $").
  absl::string_view where = "";
};

// Parses `filter` and checks each term against `allowed`; every problem is
// INVALID_ARGUMENT on the field "filter", naming the offending term.
absl::StatusOr<std::vector<FilterTerm>> ParseFilter(absl::string_view filter,
                                                    std::span<const FilterField> allowed);

// The query parameters of `terms`: one per field of `fields`, in order,
// bound by the field's binder; nullopt for a field no term names.
absl::StatusOr<std::vector<std::optional<std::string>>> BindFilter(
    const std::vector<FilterTerm>& terms, std::span<const FilterField> fields);

}  // namespace caunoi::api

#endif  // CAUNOI_COMMON_API_FILTER_H_
