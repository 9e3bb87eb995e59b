#ifndef CAUNOI_TESTS_SUPPORT_SUBPROCESS_H_
#define CAUNOI_TESTS_SUPPORT_SUBPROCESS_H_

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace caunoi::testing {

// Runs argv to completion, output appended to `log_file` (or discarded),
// from the directory "/" (so a switched user can always read it).
absl::StatusOr<int> RunCommand(const std::vector<std::string>& argv,
                               const std::string& log_file = "");

// Starts argv in the background with extra environment, stderr and stdout
// appended to `log_file`.
absl::StatusOr<pid_t> Spawn(const std::vector<std::string>& argv,
                            const std::map<std::string, std::string>& environment,
                            const std::string& log_file);

// The exit code, or -signal when killed; DEADLINE_EXCEEDED if still running.
absl::StatusOr<int> WaitForExit(pid_t pid, absl::Duration timeout);

// A TCP socket bound to a free port on 127.0.0.1, and that port; fd is -1
// when none could be had. The caller closes it.
struct LoopbackSocket {
  int fd = -1;
  int port = 0;
};
LoopbackSocket BindLoopback();

// A port on 127.0.0.1 that was free a moment ago.
int PickFreePort();

// A fresh directory under /tmp (short, since Unix socket paths are limited),
// removed with everything in it when this process exits.
std::string MakeTempDirectory(const std::string& prefix);
// Removes them now (a program ended by a signal runs no exit handlers).
void RemoveTempDirectories();

std::string ReadFileTail(const std::string& path, size_t max_bytes = 4000);

}  // namespace caunoi::testing

#endif  // CAUNOI_TESTS_SUPPORT_SUBPROCESS_H_
