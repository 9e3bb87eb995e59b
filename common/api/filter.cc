#include "common/api/filter.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "common/status/quoted.h"
#include "common/status/status_macros.h"

namespace caunoi::api {
namespace {

absl::Status FilterError(absl::string_view description) {
  return InvalidFieldError("filter", description);
}

bool IsWordChar(char c) {
  return absl::ascii_isalnum(c) || c == '_' || c == '-' || c == '/' || c == '.';
}

class Lexer {
 public:
  explicit Lexer(absl::string_view text) : rest_(text) {}

  void SkipSpace() {
    while (!rest_.empty() && absl::ascii_isspace(rest_.front())) rest_.remove_prefix(1);
  }
  bool AtEnd() {
    SkipSpace();
    return rest_.empty();
  }
  bool Consume(char c) {
    SkipSpace();
    if (rest_.empty() || rest_.front() != c) return false;
    rest_.remove_prefix(1);
    return true;
  }
  absl::string_view Word() {
    SkipSpace();
    size_t length = 0;
    while (length < rest_.size() && IsWordChar(rest_[length])) ++length;
    absl::string_view word = rest_.substr(0, length);
    rest_.remove_prefix(length);
    return word;
  }
  absl::StatusOr<std::string> Value() {
    SkipSpace();
    if (rest_.empty() || rest_.front() != '"') {
      absl::string_view word = Word();
      if (word.empty()) return FilterError("expected a value");
      return std::string(word);
    }
    rest_.remove_prefix(1);
    std::string value;
    while (!rest_.empty() && rest_.front() != '"') {
      if (rest_.front() == '\\') {
        rest_.remove_prefix(1);
        if (rest_.empty()) break;
      }
      value.push_back(rest_.front());
      rest_.remove_prefix(1);
    }
    if (rest_.empty()) return FilterError("unterminated quoted value");
    rest_.remove_prefix(1);
    return value;
  }
  absl::string_view Rest() const { return rest_; }

 private:
  absl::string_view rest_;
};

const FilterField* Find(std::span<const FilterField> allowed, absl::string_view name) {
  for (const FilterField& field : allowed) {
    if (field.name == name) return &field;
  }
  return nullptr;
}

}  // namespace

absl::StatusOr<std::vector<FilterTerm>> ParseFilter(absl::string_view filter,
                                                    std::span<const FilterField> allowed) {
  std::vector<FilterTerm> terms;
  Lexer lexer(filter);
  if (lexer.AtEnd()) return terms;
  while (true) {
    const absl::string_view field = lexer.Word();
    if (field.empty())
      return FilterError(absl::StrCat("expected a field at \"", lexer.Rest(), "\""));
    const FilterField* known = Find(allowed, field);
    if (known == nullptr) return FilterError(absl::StrCat("unknown field \"", field, "\""));
    FilterOperator op;
    if (lexer.Consume('=')) {
      op = FilterOperator::kEquals;
    } else if (lexer.Consume(':')) {
      op = FilterOperator::kHas;
    } else {
      return FilterError(absl::StrCat("expected = or : after \"", field, "\""));
    }
    if ((op == FilterOperator::kEquals && !known->equals) ||
        (op == FilterOperator::kHas && !known->has)) {
      return FilterError(absl::StrCat(Quoted(field), " does not support ",
                                      op == FilterOperator::kEquals ? "=" : ":"));
    }
    absl::StatusOr<std::string> value = lexer.Value();
    if (!value.ok()) return value.status();
    terms.push_back(FilterTerm{std::string(field), op, *std::move(value)});
    if (lexer.AtEnd()) return terms;
    if (lexer.Word() != "AND") {
      return FilterError(absl::StrCat("expected AND at \"", lexer.Rest(), "\""));
    }
  }
}

absl::StatusOr<std::vector<std::optional<std::string>>> BindFilter(
    const std::vector<FilterTerm>& terms, std::span<const FilterField> fields) {
  std::vector<std::optional<std::string>> params(fields.size());
  for (const FilterTerm& term : terms) {
    for (size_t i = 0; i < fields.size(); ++i) {
      if (fields[i].name != term.field) continue;
      if (fields[i].bind == nullptr) {
        params[i] = term.value;
      } else {
        CAUNOI_ASSIGN_OR_RETURN(params[i], fields[i].bind(term, fields[i].pattern));
      }
    }
  }
  return params;
}

}  // namespace caunoi::api
