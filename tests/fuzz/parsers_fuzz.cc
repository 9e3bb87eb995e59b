// libFuzzer target for the symbol and date parsers: they must never crash,
// and what they accept must be stable (a normalized symbol parses to
// itself; an accepted date prints and parses back to the same day).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "absl/strings/str_format.h"
#include "services/directives/symbol.h"
#include "services/directives/written_date.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<caunoi::directives::DocumentSymbol> symbol =
      caunoi::directives::ParseSymbol(input);
  if (symbol.ok()) {
    absl::StatusOr<caunoi::directives::DocumentSymbol> again =
        caunoi::directives::ParseSymbol(symbol->normalized);
    if (!again.ok() || again->normalized != symbol->normalized) {
      std::fprintf(stderr, "normalized symbol does not parse to itself\n");
      std::abort();
    }
  }
  absl::StatusOr<absl::CivilDay> day = caunoi::directives::ParseWrittenDate(input);
  if (day.ok()) {
    const std::string iso =
        absl::StrFormat("%04d-%02d-%02d", day->year(), day->month(), day->day());
    absl::StatusOr<absl::CivilDay> again = caunoi::directives::ParseWrittenDate(iso);
    if (!again.ok() || *again != *day) {
      std::fprintf(stderr, "accepted date does not round-trip\n");
      std::abort();
    }
  }
  return 0;
}
