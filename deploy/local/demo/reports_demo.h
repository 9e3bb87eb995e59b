#ifndef CAUNOI_DEPLOY_LOCAL_DEMO_REPORTS_DEMO_H_
#define CAUNOI_DEPLOY_LOCAL_DEMO_REPORTS_DEMO_H_

#include <map>
#include <string>

#include "absl/status/status.h"
#include "caunoi/v1/reports.grpc.pb.h"

namespace caunoi::demo {

// HAUFO's duty to report half-yearly on 05-TT/TU, its report on the first
// half of 2022 (the conference of 30 May), and the proposals HAUFO raised at
// the working session of 17 Aug 2023, assigned onward to the city's
// departments. Takes the names LoadOrganizations and LoadDirectives return.
absl::Status LoadReports(v1::ReportService::Stub& stub,
                         const std::map<std::string, std::string>& organizations,
                         const std::map<std::string, std::string>& documents);

}  // namespace caunoi::demo

#endif  // CAUNOI_DEPLOY_LOCAL_DEMO_REPORTS_DEMO_H_
