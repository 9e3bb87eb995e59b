#include "tests/support/certificates.h"

#include <fstream>
#include <iterator>
#include <vector>

#include "absl/strings/str_cat.h"
#include "tests/support/subprocess.h"

namespace caunoi::testing {
namespace {

absl::Status RunAll(const std::vector<std::vector<std::string>>& commands) {
  for (const auto& command : commands) {
    absl::StatusOr<int> exit_code = RunCommand(command);
    if (!exit_code.ok()) return exit_code.status();
    if (*exit_code != 0) {
      return absl::InternalError(
          absl::StrCat(command[0], " ", command[1], " exited with ", *exit_code));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status MakeCertificates(const std::string& directory) {
  std::ofstream(directory + "/san.ext") << "subjectAltName=IP:127.0.0.1,DNS:localhost\n";
  return RunAll({
      {"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", directory + "/ca.key",
       "-out", directory + "/ca.crt", "-subj", "/CN=caunoi-test-ca", "-days", "2"},
      {"openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", directory + "/tls.key", "-out",
       directory + "/tls.csr", "-subj", "/CN=127.0.0.1"},
      {"openssl", "x509", "-req", "-in", directory + "/tls.csr", "-CA", directory + "/ca.crt",
       "-CAkey", directory + "/ca.key", "-CAcreateserial", "-out", directory + "/tls.crt", "-days",
       "2", "-extfile", directory + "/san.ext"},
  });
}

absl::Status MakeClientCertificate(const std::string& directory) {
  return RunAll({
      {"openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", directory + "/client.key",
       "-out", directory + "/client.csr", "-subj", "/CN=caunoi-gateway"},
      {"openssl", "x509", "-req", "-in", directory + "/client.csr", "-CA", directory + "/ca.crt",
       "-CAkey", directory + "/ca.key", "-CAcreateserial", "-out", directory + "/client.crt",
       "-days", "2"},
  });
}

std::string ReadPem(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace caunoi::testing
