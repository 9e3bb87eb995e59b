// The README's grpcurl lines are code: each runs, as written, against the
// demo data `make run` loads, through a client that knows the API only from
// the servers' reflection (tests/readme/run_grpcurl_lines.py).
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/e2e/gateway_fixture.h"

namespace caunoi {
namespace {

using ::testing::HasSubstr;

class ReadmeTest : public GatewayTest {
 protected:
  // Runs the README runner on `readme` with the README's addresses mapped to
  // this test's servers; returns its exit code and fills `output`.
  int RunLines(const std::string& readme, std::string* output) {
    const std::string log = caunoi::testing::MakeTempDirectory("caunoi-readme") + "/out";
    absl::StatusOr<int> exit_code = caunoi::testing::RunCommand(
        {"/usr/bin/python3", std::string(CAUNOI_SOURCE_DIR) + "/tests/readme/run_grpcurl_lines.py",
         "--readme", readme, "--address", "127.0.0.1:50050=" + gateway_->address(), "--address",
         "127.0.0.1:50051=" + directives_->address(), "--address",
         "127.0.0.1:50052=" + organizations_->address(), "--address",
         "127.0.0.1:50053=" + reports_->address()},
        log);
    EXPECT_THAT(exit_code.status(), caunoi::testing::IsOk());
    std::ifstream in(log);
    std::stringstream text;
    text << in.rdbuf();
    *output = text.str();
    return exit_code.ok() ? *exit_code : -1;
  }
};

TEST_F(ReadmeTest, EveryGrpcurlLineRunsAsWritten) {
  std::string output;
  const int exit_code = RunLines(std::string(CAUNOI_SOURCE_DIR) + "/README.md", &output);
  EXPECT_EQ(exit_code, 0) << output;
  EXPECT_THAT(output, HasSubstr(" not as written"));
  EXPECT_THAT(output, ::testing::ContainsRegex("[5-9][0-9] grpcurl lines run, 0 not as written"))
      << output;
  // The lines that show an error show the one the README names.
  EXPECT_THAT(output, HasSubstr("PERMISSION_DENIED, as the README says"));

  // A line written wrong (an enum value by its short name, which protojson
  // refuses) fails the run, named by its line.
  const std::string broken = caunoi::testing::MakeTempDirectory("caunoi-readme") + "/README.md";
  std::ofstream(broken)
      << "```sh\n"
         "grpcurl -plaintext 127.0.0.1:50052 list\n"
         "grpcurl -plaintext -d '{\"organization\":{\"display_name\":\"Hội hữu nghị\","
         "\"kind\":\"FRIENDSHIP_ASSOCIATION\",\"level\":\"ORGANIZATION_LEVEL_COMMUNE\","
         "\"locality\":\"localities/01\"}}' 127.0.0.1:50052 "
         "caunoi.v1.OrganizationService/CreateOrganization\n"
         "```\n";
  EXPECT_EQ(RunLines(broken, &output), 1) << output;
  EXPECT_THAT(output, HasSubstr("2 grpcurl lines run, 1 not as written"));
  EXPECT_THAT(output, HasSubstr("README:3: ParseError"));
}

}  // namespace
}  // namespace caunoi
