#include "tests/support/stop_on_signal.h"

#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/support/postgres_server.h"
#include "tests/support/subprocess.h"

namespace caunoi::testing {
namespace {

// Exited processes whose parent has not reaped them yet count as gone.
bool Running(pid_t pid) {
  std::ifstream stat(absl::StrCat("/proc/", pid, "/stat"));
  std::string line;
  if (!std::getline(stat, line)) return false;
  const size_t name_end = line.rfind(')');
  return name_end != std::string::npos && name_end + 2 < line.size() && line[name_end + 2] != 'Z';
}

// A file for the child to leave word in: not under MakeTempDirectory, whose
// directories the signalled child removes (a forked child knows its
// parent's).
std::string WordFile(const std::string& name) {
  const std::string path = absl::StrCat("/tmp/caunoi-signalled-", getpid(), "-", name);
  std::filesystem::remove(path);
  return path;
}

// The child: starts a PostgreSQL, says where it lives and which process
// runs it, then is stopped by SIGTERM as `make bench` would be by Ctrl-C.
void StartPostgresThenGetStopped(const std::string& report) {
  StopOnSignal();
  auto postgres = PostgresServer::Start();
  if (!postgres.ok()) std::_Exit(3);
  const std::string& directory = (*postgres)->directory();
  std::ifstream pid_file(absl::StrCat(directory, "/data/postmaster.pid"));
  std::string postmaster;
  std::getline(pid_file, postmaster);
  std::ofstream(report) << directory << "\n" << postmaster << "\n";
  kill(getpid(), SIGTERM);
  while (true) pause();  // the signal's cleanup ends the program
}

// Runs `body` in a child process and returns how it ended (WaitForExit's
// code, -signal when killed). Not a death test: gtest's would also wait for
// every process holding the child's descriptors, a PostgreSQL left running
// among them.
absl::StatusOr<int> InChild(const std::function<void()>& body) {
  const pid_t child = fork();
  if (child == 0) {
    body();
    std::_Exit(0);
  }
  absl::StatusOr<int> ended = WaitForExit(child, absl::Seconds(60));
  if (!ended.ok()) {  // the cleanup never ended it: do not leave it behind
    kill(child, SIGKILL);
    (void)WaitForExit(child, absl::Seconds(10));
  }
  return ended;
}

TEST(StopOnSignalTest, ASignalledProgramStopsItsPostgresAndRemovesItsDirectories) {
  const std::string report = WordFile("report");
  const absl::StatusOr<int> ended = InChild([&] { StartPostgresThenGetStopped(report); });
  ASSERT_TRUE(ended.ok()) << ended.status();
  EXPECT_EQ(*ended, -SIGTERM);

  std::ifstream in(report);
  std::string directory, postmaster;
  ASSERT_TRUE(std::getline(in, directory) && std::getline(in, postmaster));
  std::filesystem::remove(report);
  pid_t pid = 0;
  ASSERT_TRUE(absl::SimpleAtoi(postmaster, &pid)) << postmaster;
  ASSERT_GT(pid, 0);
  // pg_ctl stop waits for the postmaster to exit before the program ends.
  EXPECT_FALSE(Running(pid)) << "PostgreSQL " << pid << " still runs";
  if (Running(pid)) kill(pid, SIGQUIT);
  EXPECT_FALSE(std::filesystem::exists(directory)) << directory;
}

TEST(StopOnSignalTest, ACancelledCleanupDoesNotRun) {
  const std::string marker = WordFile("ran");
  std::filesystem::remove(marker + ".cancelled");
  EXPECT_EXIT(
      {
        StopOnSignal();
        const int cancelled = AtSignal([marker] { std::ofstream(marker + ".cancelled") << 1; });
        AtSignal([marker] { std::ofstream(marker) << 1; });
        CancelAtSignal(cancelled);
        kill(getpid(), SIGINT);
        while (true) pause();
      },
      ::testing::KilledBySignal(SIGINT), "");
  EXPECT_TRUE(std::filesystem::remove(marker));
  EXPECT_FALSE(std::filesystem::exists(marker + ".cancelled"));
}

}  // namespace
}  // namespace caunoi::testing
