#include "tests/support/server_process.h"

#include <signal.h>

#include <deque>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/client/channel.h"
#include "gtest/gtest.h"
#include "tests/support/grpc_probes.h"
#include "tests/support/subprocess.h"

namespace caunoi::testing {

absl::StatusOr<std::unique_ptr<ServerProcess>> ServerProcess::Start(
    const std::string& binary, const std::vector<std::string>& args,
    const std::map<std::string, std::string>& environment, absl::Duration timeout) {
  const std::string directory = MakeTempDirectory("caunoi-server");
  const std::string port_file = absl::StrCat(directory, "/port");
  std::vector<std::string> argv = {binary, "--listen=127.0.0.1:0",
                                   absl::StrCat("--port_file=", port_file)};
  // Tests write to the services directly, as `make run`'s demo loader does;
  // a test of the refusal sets CAUNOI_DEVELOPMENT_MODE=false.
  if (!environment.contains("CAUNOI_DEVELOPMENT_MODE")) argv.push_back("--development_mode");
  argv.insert(argv.end(), args.begin(), args.end());
  absl::StatusOr<pid_t> pid = Spawn(argv, environment, absl::StrCat(directory, "/server.log"));
  if (!pid.ok()) return pid.status();
  auto process = std::unique_ptr<ServerProcess>(new ServerProcess(*pid, directory));

  const absl::Time deadline = absl::Now() + timeout;
  while (process->port_ == 0) {
    std::ifstream in(port_file);
    std::string text;
    if (in >> text && absl::SimpleAtoi(text, &process->port_)) break;
    if (absl::StatusOr<int> exited = caunoi::testing::WaitForExit(*pid, absl::ZeroDuration());
        exited.ok()) {
      process->exited_ = true;
      return absl::InternalError(
          absl::StrCat(binary, " exited with ", *exited, ":\n", process->log()));
    }
    if (absl::Now() > deadline) {
      return absl::DeadlineExceededError(absl::StrCat(binary, " did not start:\n", process->log()));
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
  // A server with a probe port (its main port may speak TLS) is asked
  // there, as Kubernetes asks it.
  auto probe = environment.find("CAUNOI_HEALTH_LISTEN");
  auto channel =
      probe == environment.end() ? process->NewChannel() : MakeInsecureChannel(probe->second);
  while (HealthStatus(channel, "") != HealthState::kServing) {
    if (absl::Now() > deadline) {
      return absl::DeadlineExceededError(
          absl::StrCat(binary, " never reported SERVING:\n", process->log()));
    }
    absl::SleepFor(absl::Milliseconds(50));
  }
  return process;
}

ServerProcess::~ServerProcess() {
  if (!exited_) {
    kill(pid_, SIGKILL);
    (void)caunoi::testing::WaitForExit(pid_, absl::Seconds(10));
  }
  // A failing test shows what the server said, which its directory takes
  // away.
  if (::testing::Test::HasFailure()) {
    std::ifstream log(absl::StrCat(directory_, "/server.log"));
    std::deque<std::string> tail;
    for (std::string line; std::getline(log, line);) {
      tail.push_back(line);
      if (tail.size() > 30) tail.pop_front();
    }
    std::cerr << "--- last lines of " << directory_ << "/server.log\n";
    for (const std::string& line : tail) std::cerr << line << "\n";
  }
  std::error_code ignored;
  std::filesystem::remove_all(directory_, ignored);
}

std::string ServerProcess::address() const { return absl::StrCat("127.0.0.1:", port_); }

std::shared_ptr<grpc::Channel> ServerProcess::NewChannel() const {
  return MakeInsecureChannel(address());
}

std::string ServerProcess::log() const {
  return ReadFileTail(absl::StrCat(directory_, "/server.log"));
}

std::string ServerProcess::LogOnceItHolds(absl::string_view text, absl::Duration timeout) const {
  const absl::Time deadline = absl::Now() + timeout;
  std::string written = log();
  while (!absl::StrContains(written, text) && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(20));
    written = log();
  }
  return written;
}

void ServerProcess::Signal(int signal_number) { kill(pid_, signal_number); }

absl::StatusOr<int> ServerProcess::WaitForExit(absl::Duration timeout) {
  absl::StatusOr<int> code = caunoi::testing::WaitForExit(pid_, timeout);
  if (code.ok()) exited_ = true;
  return code;
}

}  // namespace caunoi::testing
