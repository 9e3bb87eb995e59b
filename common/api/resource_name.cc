#include "common/api/resource_name.h"

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "common/status/errors.h"
#include "common/status/quoted.h"

namespace caunoi::api {
namespace {

constexpr size_t kMaxIdDigits = 18;  // fits a bigint

bool IsNumericId(absl::string_view id) {
  if (id.empty() || id.size() > kMaxIdDigits || id[0] == '0') return false;
  for (char c : id) {
    if (!absl::ascii_isdigit(c)) return false;
  }
  return true;
}

bool IsCode(absl::string_view id) {
  if (id.empty() || id.size() > 8) return false;
  for (char c : id) {
    if (!absl::ascii_isupper(c) && !absl::ascii_isdigit(c)) return false;
  }
  return true;
}

// A lower-case identifier: letters, digits and underscores, a letter first.
bool IsKey(absl::string_view id) {
  if (id.empty() || id.size() > 63 || !absl::ascii_islower(id[0])) return false;
  for (char c : id) {
    if (!absl::ascii_islower(c) && !absl::ascii_isdigit(c) && c != '_') return false;
  }
  return true;
}

std::string Example(absl::string_view pattern) {
  return absl::StrReplaceAll(pattern, {{"{code}", "JP"}, {"{key}", "cadres_trained"}, {"{}", "1"}});
}

}  // namespace

absl::StatusOr<std::vector<std::string>> ParseResourceName(absl::string_view name,
                                                           absl::string_view pattern,
                                                           absl::string_view field) {
  if (name.empty()) {
    return InvalidFieldError(field, absl::StrCat("is required, e.g. \"", Example(pattern), "\""));
  }
  const std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  const std::vector<absl::string_view> expected = absl::StrSplit(pattern, '/');
  std::vector<std::string> ids;
  bool matches = parts.size() == expected.size();
  for (size_t i = 0; matches && i < parts.size(); ++i) {
    if (expected[i] == "{}") {
      matches = IsNumericId(parts[i]);
    } else if (expected[i] == "{code}") {
      matches = IsCode(parts[i]);
    } else if (expected[i] == "{key}") {
      matches = IsKey(parts[i]);
    } else {
      matches = parts[i] == expected[i];
      continue;
    }
    if (matches) ids.emplace_back(parts[i]);
  }
  if (!matches) {
    return InvalidFieldError(
        field, absl::StrCat(Quoted(name), " is not a name of the form \"", Example(pattern), "\""));
  }
  return ids;
}

std::string FormatResourceName(absl::string_view pattern, const std::vector<std::string>& ids) {
  // One pass, no copies of the parts: lists name every row this way.
  std::string name;
  name.reserve(pattern.size() + 16);
  size_t next = 0;
  bool first = true;
  for (absl::string_view part : absl::StrSplit(pattern, '/')) {
    if (!first) name.push_back('/');
    first = false;
    if ((part == "{}" || part == "{code}" || part == "{key}") && next < ids.size()) {
      name.append(ids[next++]);
    } else {
      name.append(part.data(), part.size());
    }
  }
  return name;
}

absl::string_view ResourceId(absl::string_view name) {
  const size_t slash = name.rfind('/');
  return slash == absl::string_view::npos ? name : name.substr(slash + 1);
}

int64_t NumericResourceId(absl::string_view name) {
  int64_t id = 0;
  return absl::SimpleAtoi(ResourceId(name), &id) ? id : 0;
}

absl::StatusOr<std::vector<std::string>> ParseParentOrEvery(absl::string_view parent,
                                                            absl::string_view pattern) {
  const absl::string_view collection = pattern.substr(0, pattern.find('/'));
  if (parent == absl::StrCat(collection, "/-")) return std::vector<std::string>{"-"};
  return ParseResourceName(parent, pattern, "parent");
}

}  // namespace caunoi::api
