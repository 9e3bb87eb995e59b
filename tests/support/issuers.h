#ifndef CAUNOI_TESTS_SUPPORT_ISSUERS_H_
#define CAUNOI_TESTS_SUPPORT_ISSUERS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "caunoi/v1/organizations.grpc.pb.h"

namespace caunoi::testing {

// Creates an organization fit to issue documents with `symbol` in
// `locality` ("" for a central one): a central Party body for a code
// ending in TW, the provincial Party committee for TU, the People's
// Committee for UBND, a department otherwise. Sends `bearer` as the token
// when it is not empty. Returns the organization's name.
absl::StatusOr<std::string> CreateIssuer(v1::OrganizationService::Stub& stub,
                                         absl::string_view symbol, absl::string_view locality,
                                         absl::string_view bearer = "");

}  // namespace caunoi::testing

#endif  // CAUNOI_TESTS_SUPPORT_ISSUERS_H_
