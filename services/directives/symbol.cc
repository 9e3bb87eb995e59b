#include "services/directives/symbol.h"

#include <optional>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/status/quoted.h"

namespace caunoi::directives {
namespace {

constexpr int kMaxNumberDigits = 6;
constexpr size_t kMaxCodeLength = 12;
constexpr int kMaxIssuerSegments = 3;

// One symbol character, normalized: an upper-case ASCII letter or digit,
// or a separator ('-', '/'); nullopt for anything else.
std::optional<char> NextSymbolChar(absl::string_view text, size_t& pos) {
  const unsigned char c = static_cast<unsigned char>(text[pos]);
  if (c < 0x80) {
    ++pos;
    if (absl::ascii_isalnum(c)) return absl::ascii_toupper(c);
    if (c == '-' || c == '/') return static_cast<char>(c);
    return std::nullopt;
  }
  // Two-byte letters: Đ đ (U+0110, U+0111), Ư ư (U+01AF, U+01B0).
  if (pos + 1 < text.size()) {
    const unsigned char next = static_cast<unsigned char>(text[pos + 1]);
    const char32_t code = ((c & 0x1F) << 6) | (next & 0x3F);
    const bool two_bytes = (c & 0xE0) == 0xC0 && (next & 0xC0) == 0x80;
    if (two_bytes && (code == 0x110 || code == 0x111 || code == 0x1AF || code == 0x1B0)) {
      pos += 2;
      return code <= 0x111 ? 'D' : 'W';
    }
  }
  // En and em dashes are written for hyphens.
  if (text.substr(pos, 3) == "\u2013" || text.substr(pos, 3) == "\u2014") {
    pos += 3;
    return '-';
  }
  return std::nullopt;
}

bool IsCode(absl::string_view code) {
  if (code.empty() || code.size() > kMaxCodeLength) return false;
  for (char c : code) {
    if (!absl::ascii_isupper(c) && !absl::ascii_isdigit(c)) return false;
  }
  return absl::ascii_isupper(code[0]);
}

absl::Status Malformed(absl::string_view symbol, absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat(Quoted(symbol), " is not a document symbol: ", why,
                   " (expected e.g. \"12-CT/TW\" or \"2722/KH-UBND\")"));
}

}  // namespace

absl::StatusOr<DocumentSymbol> ParseSymbol(absl::string_view symbol) {
  std::string text;  // normalized characters, spaces dropped
  const absl::string_view trimmed = absl::StripAsciiWhitespace(symbol);
  for (size_t pos = 0; pos < trimmed.size();) {
    if (trimmed[pos] == ' ') {
      ++pos;
      continue;
    }
    std::optional<char> c = NextSymbolChar(trimmed, pos);
    if (!c.has_value()) return Malformed(symbol, "it holds a character no symbol uses");
    text.push_back(*c);
  }
  if (text.empty()) return Malformed(symbol, "it is empty");

  size_t digits = 0;
  while (digits < text.size() && absl::ascii_isdigit(text[digits])) ++digits;
  if (digits == 0) return Malformed(symbol, "it does not start with a number");
  if (digits > kMaxNumberDigits) return Malformed(symbol, "the number is too long");
  DocumentSymbol parsed;
  for (size_t i = 0; i < digits; ++i) parsed.number = parsed.number * 10 + (text[i] - '0');
  if (parsed.number == 0) return Malformed(symbol, "the number is zero");
  if (digits == text.size()) return Malformed(symbol, "the type and issuer are missing");

  const char first_separator = text[digits];
  const char second_separator = first_separator == '-' ? '/' : '-';
  const absl::string_view rest = absl::string_view(text).substr(digits + 1);
  const size_t split = rest.find(second_separator);
  if (split == absl::string_view::npos) {
    return Malformed(symbol, absl::StrCat("expected \"", std::string(1, second_separator),
                                          "\" between the type and the issuer"));
  }
  parsed.type_code = std::string(rest.substr(0, split));
  if (!IsCode(parsed.type_code)) return Malformed(symbol, "the type code is not letters");

  // The issuer may have segments ("UBND-VX"), joined by the hyphen.
  std::vector<std::string> segments;
  for (absl::string_view segment : absl::StrSplit(rest.substr(split + 1), '-')) {
    if (!IsCode(segment)) return Malformed(symbol, "the issuer code is not letters");
    segments.emplace_back(segment);
  }
  if (segments.size() > kMaxIssuerSegments) return Malformed(symbol, "the issuer is too long");
  parsed.issuer_code = absl::StrJoin(segments, "-");
  parsed.normalized = absl::StrCat(parsed.number, std::string(1, first_separator), parsed.type_code,
                                   std::string(1, second_separator), parsed.issuer_code);
  return parsed;
}

std::string FoldSymbolWords(absl::string_view query) {
  std::vector<std::string> words;
  for (absl::string_view word : absl::StrSplit(query, ' ', absl::SkipEmpty())) {
    if (absl::StatusOr<DocumentSymbol> symbol = ParseSymbol(word); symbol.ok()) {
      words.push_back(symbol->normalized);
      continue;
    }
    if (!absl::StrContains(word, '/')) {
      words.emplace_back(word);
      continue;
    }
    std::string folded;
    for (size_t pos = 0; pos < word.size();) {
      const size_t start = pos;
      std::optional<char> c = NextSymbolChar(word, pos);
      if (c.has_value() && (*c == 'D' || *c == 'W') && pos - start == 2) {
        folded.push_back(*c);
      } else {
        if (pos == start) ++pos;
        absl::StrAppend(&folded, word.substr(start, pos - start));
      }
    }
    words.push_back(std::move(folded));
  }
  return absl::StrJoin(words, " ");
}

}  // namespace caunoi::directives
