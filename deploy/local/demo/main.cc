// Loads the demo data set into running servers:
//   caunoi_demo --organizations=127.0.0.1:50052
#include <iostream>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "common/client/channel.h"
#include "deploy/local/demo/organizations_demo.h"

ABSL_FLAG(std::string, organizations, "127.0.0.1:50052", "organizations server address");

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  auto stub = caunoi::v1::OrganizationService::NewStub(
      caunoi::MakeInsecureChannel(absl::GetFlag(FLAGS_organizations)));
  absl::Status status = caunoi::demo::LoadOrganizations(*stub);
  if (!status.ok()) {
    std::cerr << "demo: organizations: " << status << "\n";
    return 1;
  }
  std::cout << "demo: organizations loaded\n";
  return 0;
}
