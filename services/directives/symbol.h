#ifndef CAUNOI_SERVICES_DIRECTIVES_SYMBOL_H_
#define CAUNOI_SERVICES_DIRECTIVES_SYMBOL_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

// Document symbols (số ký hiệu) as Party and state documents write them:
//   12-CT/TW, 12-CT/TƯ, 05-TT/TU, 01-HD/BĐNTW   number-TYPE/ISSUER
//   2722/KH-UBND, 15/QĐ-UBND-VX                 number/TYPE-ISSUER
// Pure functions, no dependencies beyond Abseil (they are fuzzed alone).
namespace caunoi::directives {

struct DocumentSymbol {
  int64_t number = 0;       // 12 for "012-CT/TW"
  std::string type_code;    // normalized: "CT", "QD", "CTR"
  std::string issuer_code;  // normalized: "TW" for both TW and TƯ, "BDNTW"
  // The form used for matching: number without leading zeros, codes
  // normalized, the written separator style kept: "12-CT/TW", "2722/KH-UBND".
  std::string normalized;
};

// INVALID_ARGUMENT with the reason when `symbol` is not a symbol. Codes are
// normalized to upper-case ASCII: Đ becomes D and Ư becomes W (so TƯ, the
// Vietnamese spelling of Trung ương, matches TW and never TU, Tỉnh ủy).
absl::StatusOr<DocumentSymbol> ParseSymbol(absl::string_view symbol);

// A search query with the symbol folding applied to its words, so a text
// search matches symbols as `symbol =` does: each word that is a symbol
// becomes its normalized form ("12-CT/TƯ" -> "12-CT/TW"), and in any other
// word holding a '/' (a symbol's tail, "CT/TƯ") Đ becomes D and Ư becomes W.
std::string FoldSymbolWords(absl::string_view query);

}  // namespace caunoi::directives

#endif  // CAUNOI_SERVICES_DIRECTIVES_SYMBOL_H_
