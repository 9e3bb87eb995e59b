#ifndef CAUNOI_SERVICES_DIRECTIVES_ISSUER_FIT_H_
#define CAUNOI_SERVICES_DIRECTIVES_ISSUER_FIT_H_

#include "absl/status/status.h"
#include "caunoi/v1/organizations.pb.h"
#include "services/directives/symbol.h"

namespace caunoi::directives {

// A symbol's issuer code names the kind of body that issued it: a code
// ending in TW (TW, BĐNTW) a central body, TU a provincial Party committee,
// UBND a People's Committee. INVALID_ARGUMENT on "document.symbol" when
// `issuer` is not such a body; other codes fit any issuer.
absl::Status CheckIssuerFits(const DocumentSymbol& symbol, const v1::Organization& issuer);

}  // namespace caunoi::directives

#endif  // CAUNOI_SERVICES_DIRECTIVES_ISSUER_FIT_H_
