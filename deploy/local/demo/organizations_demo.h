#ifndef CAUNOI_DEPLOY_LOCAL_DEMO_ORGANIZATIONS_DEMO_H_
#define CAUNOI_DEPLOY_LOCAL_DEMO_ORGANIZATIONS_DEMO_H_

#include <memory>

#include "absl/status/status.h"
#include "caunoi/v1/organizations.grpc.pb.h"

namespace caunoi::demo {

// The organizations the source articles describe: VUFO; HAUFO with its 25
// member associations, 40,000+ members (17 Aug 2023), its 6th congress and
// chair; HUFO; a provincial union; the Fatherland Front committees; the
// people and posts named; partner countries and partners abroad. Every
// create carries a fixed request_id, so loading twice changes nothing.
absl::Status LoadOrganizations(v1::OrganizationService::Stub& stub);

}  // namespace caunoi::demo

#endif  // CAUNOI_DEPLOY_LOCAL_DEMO_ORGANIZATIONS_DEMO_H_
