// Loads the demo data set into running servers through their APIs:
//   caunoi_demo --organizations=127.0.0.1:50052 --directives=127.0.0.1:50051
// Without --directives only the organizations are loaded.
#include <iostream>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "common/client/channel.h"
#include "deploy/local/demo/directives_demo.h"
#include "deploy/local/demo/organizations_demo.h"

ABSL_FLAG(std::string, organizations, "127.0.0.1:50052", "organizations server address");
ABSL_FLAG(std::string, directives, "", "directives server address");

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  auto organizations = caunoi::v1::OrganizationService::NewStub(
      caunoi::MakeInsecureChannel(absl::GetFlag(FLAGS_organizations)));
  auto loaded = caunoi::demo::LoadOrganizations(*organizations);
  if (!loaded.ok()) {
    std::cerr << "demo: organizations: " << loaded.status() << "\n";
    return 1;
  }
  std::cout << "demo: organizations loaded\n";
  if (absl::GetFlag(FLAGS_directives).empty()) return 0;
  auto directives = caunoi::v1::DirectiveService::NewStub(
      caunoi::MakeInsecureChannel(absl::GetFlag(FLAGS_directives)));
  if (absl::Status status = caunoi::demo::LoadDirectives(*directives, *loaded); !status.ok()) {
    std::cerr << "demo: directives: " << status << "\n";
    return 1;
  }
  std::cout << "demo: directives loaded\n";
  return 0;
}
