#include "services/directives/issuer_fit.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/status/errors.h"

namespace caunoi::directives {
namespace {

absl::Status Misfit(const DocumentSymbol& symbol, const v1::Organization& issuer,
                    absl::string_view wanted) {
  return InvalidFieldError(
      "document.symbol",
      absl::StrCat("the issuer code ", symbol.issuer_code, " is for ", wanted, "; ", issuer.name(),
                   " (", issuer.display_name(), ") is not one"));
}

}  // namespace

absl::Status CheckIssuerFits(const DocumentSymbol& symbol, const v1::Organization& issuer) {
  const absl::string_view code = symbol.issuer_code;
  if (absl::EndsWith(code, "TW") && issuer.level() != v1::ORGANIZATION_LEVEL_CENTRAL) {
    return Misfit(symbol, issuer, "a central body");
  }
  if (code == "TU" && (issuer.kind() != v1::ORGANIZATION_KIND_PARTY_COMMITTEE ||
                       issuer.level() != v1::ORGANIZATION_LEVEL_PROVINCIAL)) {
    return Misfit(symbol, issuer, "a provincial Party committee");
  }
  if ((code == "UBND" || absl::StartsWith(code, "UBND-")) &&
      issuer.kind() != v1::ORGANIZATION_KIND_PEOPLES_COMMITTEE) {
    return Misfit(symbol, issuer, "a People's Committee");
  }
  return absl::OkStatus();
}

}  // namespace caunoi::directives
