#ifndef CAUNOI_DEPLOY_LOCAL_DEMO_ORGANIZATIONS_DEMO_H_
#define CAUNOI_DEPLOY_LOCAL_DEMO_ORGANIZATIONS_DEMO_H_

#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "caunoi/v1/organizations.grpc.pb.h"

namespace caunoi::demo {

// The organizations the source articles describe: VUFO; HAUFO with its 25
// member associations, 40,000+ members (17 Aug 2023), its 6th congress and
// chair; HUFO; a provincial union; the Fatherland Front committees; the
// people and posts named; partner countries and partners abroad. Every
// create carries a fixed request_id, so loading twice changes nothing.
// Returns the resource names of the organizations other demo data cites,
// by key ("vufo", "haufo", "hufo", "vff-hanoi", "people-committee-hcmc").
absl::StatusOr<std::map<std::string, std::string>> LoadOrganizations(
    v1::OrganizationService::Stub& stub);

}  // namespace caunoi::demo

#endif  // CAUNOI_DEPLOY_LOCAL_DEMO_ORGANIZATIONS_DEMO_H_
