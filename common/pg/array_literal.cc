#include "common/pg/array_literal.h"

namespace caunoi::pg {
namespace {

void AppendQuoted(std::string& out, const std::string& value) {
  out.push_back('"');
  for (const char c : value) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
}

template <typename T, typename Append>
std::string Join(std::span<const T> values, Append append) {
  std::string out = "{";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out.push_back(',');
    append(out, values[i]);
  }
  out.push_back('}');
  return out;
}

}  // namespace

std::string ArrayLiteral(std::span<const Param> values) {
  return Join(values, [](std::string& out, const Param& value) {
    if (value.has_value()) {
      AppendQuoted(out, *value);
    } else {
      out += "NULL";
    }
  });
}

std::string ArrayLiteral(std::span<const std::string> values) { return Join(values, AppendQuoted); }

}  // namespace caunoi::pg
