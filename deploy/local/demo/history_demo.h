#ifndef CAUNOI_DEPLOY_LOCAL_DEMO_HISTORY_DEMO_H_
#define CAUNOI_DEPLOY_LOCAL_DEMO_HISTORY_DEMO_H_

#include <map>
#include <string>

#include "absl/status/status.h"
#include "caunoi/v1/organizations.grpc.pb.h"
#include "caunoi/v1/reports.grpc.pb.h"

namespace caunoi::demo {

// Generated, not from the articles: so the gateway has a country to show,
// each of today's 34 localities gets a provincial friendship union (the
// existing one where the demo has it), a duty to report half-yearly on
// 12-CT/TW, and its reports since 2022-H1 as filed on paper: most on time,
// some late, some missing, the same on every run (seeded by locality and
// period). Takes the document names LoadDirectives returns.
absl::Status LoadHistory(v1::OrganizationService::Stub& organizations,
                         v1::ReportService::Stub& reports,
                         const std::map<std::string, std::string>& documents);

}  // namespace caunoi::demo

#endif  // CAUNOI_DEPLOY_LOCAL_DEMO_HISTORY_DEMO_H_
