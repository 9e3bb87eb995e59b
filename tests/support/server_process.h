#ifndef CAUNOI_TESTS_SUPPORT_SERVER_PROCESS_H_
#define CAUNOI_TESTS_SUPPORT_SERVER_PROCESS_H_

#include <sys/types.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "grpcpp/channel.h"

namespace caunoi::testing {

// One of our server binaries, started on a free port of 127.0.0.1.
class ServerProcess {
 public:
  // Starts `binary` with --listen=127.0.0.1:0 and --port_file, plus `args`
  // and `environment`, and waits until it serves and health says SERVING
  // (asked on CAUNOI_HEALTH_LISTEN when the environment sets it).
  static absl::StatusOr<std::unique_ptr<ServerProcess>> Start(
      const std::string& binary, const std::vector<std::string>& args = {},
      const std::map<std::string, std::string>& environment = {},
      absl::Duration timeout = absl::Seconds(60));
  // Kills the process if it still runs.
  ~ServerProcess();

  int port() const { return port_; }
  std::string address() const;
  std::shared_ptr<grpc::Channel> NewChannel() const;
  pid_t pid() const { return pid_; }
  std::string log() const;
  // The log once it holds `text`, or as it is when `timeout` has passed: a
  // server may write a call's line after its caller has the answer.
  std::string LogOnceItHolds(absl::string_view text,
                             absl::Duration timeout = absl::Seconds(10)) const;

  void Signal(int signal_number);
  // Exit code, or -signal.
  absl::StatusOr<int> WaitForExit(absl::Duration timeout);

 private:
  ServerProcess(pid_t pid, std::string directory) : pid_(pid), directory_(std::move(directory)) {}

  const pid_t pid_;
  const std::string directory_;
  int port_ = 0;
  bool exited_ = false;
};

}  // namespace caunoi::testing

#endif  // CAUNOI_TESTS_SUPPORT_SERVER_PROCESS_H_
