#ifndef CAUNOI_COMMON_API_FILTER_H_
#define CAUNOI_COMMON_API_FILTER_H_

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

struct FilterField {
  absl::string_view name;
  bool equals;  // accepts `=`
  bool has;     // accepts `:`
};

// Parses `filter` and checks each term against `allowed`; every problem is
// INVALID_ARGUMENT on the field "filter", naming the offending term.
absl::StatusOr<std::vector<FilterTerm>> ParseFilter(absl::string_view filter,
                                                    std::span<const FilterField> allowed);

}  // namespace caunoi::api

#endif  // CAUNOI_COMMON_API_FILTER_H_
