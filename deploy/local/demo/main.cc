// Loads the demo data set into running servers through their APIs:
//   caunoi_demo --organizations=127.0.0.1:50052 --directives=127.0.0.1:50051
//               --reports=127.0.0.1:50053
// Each later part needs the earlier ones: without --directives only the
// organizations are loaded, without --reports no reports (nor the generated
// report history of the 34 localities).
#include <iostream>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "common/client/channel.h"
#include "deploy/local/demo/directives_demo.h"
#include "deploy/local/demo/history_demo.h"
#include "deploy/local/demo/organizations_demo.h"
#include "deploy/local/demo/reports_demo.h"

ABSL_FLAG(std::string, organizations, "127.0.0.1:50052", "organizations server address");
ABSL_FLAG(std::string, directives, "", "directives server address");
ABSL_FLAG(std::string, reports, "", "reports server address");

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  auto organizations = caunoi::v1::OrganizationService::NewStub(
      caunoi::MakeInsecureChannel(absl::GetFlag(FLAGS_organizations)));
  // Loading takes a while; say what is under way, not only when it is done.
  std::cout << "demo: loading the registry: VUFO, HAUFO and its 25 member associations,"
               " the Fatherland Front, partner countries and partners abroad"
            << std::endl;
  auto loaded = caunoi::demo::LoadOrganizations(*organizations);
  if (!loaded.ok()) {
    std::cerr << "demo: organizations: " << loaded.status() << "\n";
    return 1;
  }
  std::cout << "demo: organizations loaded\n";
  if (absl::GetFlag(FLAGS_directives).empty()) return 0;
  auto directives = caunoi::v1::DirectiveService::NewStub(
      caunoi::MakeInsecureChannel(absl::GetFlag(FLAGS_directives)));
  std::cout << "demo: loading the directives: 12-CT/TW and the documents concretizing it,"
               " 38-CT/TW with Ho Chi Minh City's plan and its tasks, 12-KL/TW"
            << std::endl;
  auto documents = caunoi::demo::LoadDirectives(*directives, *loaded);
  if (!documents.ok()) {
    std::cerr << "demo: directives: " << documents.status() << "\n";
    return 1;
  }
  std::cout << "demo: directives loaded\n";
  if (absl::GetFlag(FLAGS_reports).empty()) return 0;
  auto reports =
      caunoi::v1::ReportService::NewStub(caunoi::MakeInsecureChannel(absl::GetFlag(FLAGS_reports)));
  std::cout << "demo: loading obligations, reports, activities and proposals" << std::endl;
  if (absl::Status status = caunoi::demo::LoadReports(*reports, *loaded, *documents);
      !status.ok()) {
    std::cerr << "demo: reports: " << status << "\n";
    return 1;
  }
  std::cout << "demo: reports loaded\n";
  std::cout << "demo: loading the report history of the 34 localities since 2022" << std::endl;
  if (absl::Status status = caunoi::demo::LoadHistory(*organizations, *reports, *documents);
      !status.ok()) {
    std::cerr << "demo: history: " << status << "\n";
    return 1;
  }
  std::cout << "demo: report history of the 34 localities loaded\n";
  // The alerts what was loaded calls for, now rather than at the
  // producer's next pass.
  caunoi::v1::ProduceAlertsResponse alerts;
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Minutes(2)));
  if (grpc::Status status =
          reports->ProduceAlerts(&context, caunoi::v1::ProduceAlertsRequest(), &alerts);
      !status.ok()) {
    std::cerr << "demo: alerts: " << status.error_message() << "\n";
    return 1;
  }
  std::cout << "demo: " << alerts.produced() << " alerts produced\n";
  return 0;
}
