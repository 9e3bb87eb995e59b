#ifndef CAUNOI_COMMON_AUTH_DUTY_H_
#define CAUNOI_COMMON_AUTH_DUTY_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "grpcpp/server_context.h"

// Who sets a duty to report and who reviews what is reported under it. The
// centre judges localities by their reporting rates, so the reporting side
// never grades itself: the issuer of the duty's document sets its clock
// (cadence, periods, timely days) and reviews the reports, or a reviewer
// the duty names does.
namespace caunoi::auth {

struct DutyIssuer {
  // The issuing document's current locality ("01"); "" for a central one.
  std::string locality_id;
  // The document's issuing organization ("5"), "" when it names none.
  std::string organization_id;
  // The reviewer the obligation names, with its current locality; "" when
  // it names none.
  std::string reviewer_id = "";
  std::string reviewer_locality_id = "";
};

// PERMISSION_DENIED with reason ISSUER_ONLY unless the caller is the
// issuer's side: central, a locality principal of a local document's
// locality, or a unit principal of the issuing organization. A call with no
// principal passes (the suite's own callers).
absl::Status CheckIssuer(const grpc::ServerContextBase& context, const DutyIssuer& issuer,
                         absl::string_view what);

// PERMISSION_DENIED with reason REVIEWER_ONLY unless the caller may review
// reports of `unit_id` under the duty: the issuer's side as above, or the
// named reviewer (its unit principal, or its locality's principal). The
// reporting unit never reviews its own reports.
absl::Status CheckReviewer(const grpc::ServerContextBase& context, const DutyIssuer& issuer,
                           absl::string_view unit_id, absl::string_view what);

}  // namespace caunoi::auth

#endif  // CAUNOI_COMMON_AUTH_DUTY_H_
