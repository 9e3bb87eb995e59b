#ifndef CAUNOI_DEPLOY_LOCAL_DEMO_DIRECTIVES_DEMO_H_
#define CAUNOI_DEPLOY_LOCAL_DEMO_DIRECTIVES_DEMO_H_

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "caunoi/v1/directives.grpc.pb.h"

namespace caunoi::demo {

// The documents the source articles describe and how they cascade:
// 12-CT/TW (5 Jan 2022) with 01-HD/BĐNTW, Hanoi's 05-TT/TU and a
// province's 24-CT/TU concretizing it; 38-CT/TW with Ho Chi Minh City's
// 2722/KH-UBND and its four main tasks; 12-KL/TW, loaded with the date the
// article gives and then corrected with a reason; HAUFO's conference of 30
// May 2022 on 05-TT/TU. `organizations` comes from LoadOrganizations.
// Returns the documents' resource names by key ("ct-12", "tt-05", ...).
absl::StatusOr<std::map<std::string, std::string>> LoadDirectives(
    v1::DirectiveService::Stub& stub, const std::map<std::string, std::string>& organizations);

}  // namespace caunoi::demo

#endif  // CAUNOI_DEPLOY_LOCAL_DEMO_DIRECTIVES_DEMO_H_
