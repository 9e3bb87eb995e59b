#include "tests/support/subprocess.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

extern char** environ;

namespace caunoi::testing {
namespace {

// `die_with_parent`: the child is killed if the thread that started it dies
// first (a crashed test must not leave servers running); tests start
// servers from their main thread.
pid_t ForkExec(const std::vector<std::string>& argv,
               const std::map<std::string, std::string>& environment, const std::string& log_file,
               bool die_with_parent) {
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid != 0) return pid;
  // Child: only async-signal-safe work from here on.
  if (die_with_parent) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(125);  // the parent died before prctl
  }
  const int out = log_file.empty() ? open("/dev/null", O_WRONLY)
                                   : open(log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (out >= 0) {
    dup2(out, STDOUT_FILENO);
    dup2(out, STDERR_FILENO);
    close(out);
  }
  const int in = open("/dev/null", O_RDONLY);
  if (in >= 0) dup2(in, STDIN_FILENO);
  for (const auto& [key, value] : environment) setenv(key.c_str(), value.c_str(), 1);
  if (chdir("/") != 0) _exit(126);
  execvp(args[0], args.data());
  _exit(127);
}

}  // namespace

absl::StatusOr<int> RunCommand(const std::vector<std::string>& argv, const std::string& log_file) {
  const pid_t pid = ForkExec(argv, {}, log_file, /*die_with_parent=*/false);
  if (pid < 0) return absl::InternalError(absl::StrCat("fork: ", std::strerror(errno)));
  return WaitForExit(pid, absl::Minutes(2));
}

absl::StatusOr<pid_t> Spawn(const std::vector<std::string>& argv,
                            const std::map<std::string, std::string>& environment,
                            const std::string& log_file) {
  const pid_t pid = ForkExec(argv, environment, log_file, /*die_with_parent=*/true);
  if (pid < 0) return absl::InternalError(absl::StrCat("fork: ", std::strerror(errno)));
  return pid;
}

absl::StatusOr<int> WaitForExit(pid_t pid, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (true) {
    int status = 0;
    const pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) {
      if (WIFEXITED(status)) return WEXITSTATUS(status);
      if (WIFSIGNALED(status)) return -WTERMSIG(status);
    } else if (done < 0) {
      return absl::InternalError(absl::StrCat("waitpid: ", std::strerror(errno)));
    }
    if (absl::Now() > deadline) {
      return absl::DeadlineExceededError(absl::StrCat("process ", pid, " still running"));
    }
    absl::SleepFor(absl::Milliseconds(10));
  }
}

LoopbackSocket BindLoopback() {
  LoopbackSocket bound;
  bound.fd = socket(AF_INET, SOCK_STREAM, 0);
  if (bound.fd < 0) return bound;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof(address);
  if (bind(bound.fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      getsockname(bound.fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    close(bound.fd);
    return {};
  }
  bound.port = ntohs(address.sin_port);
  return bound;
}

int PickFreePort() {
  const LoopbackSocket bound = BindLoopback();
  if (bound.fd >= 0) close(bound.fd);
  return bound.port;
}

namespace {

// The directories this process made, removed as it exits: scratch files
// of one run must not pile up in /tmp for the next. (Children end with
// _exit, so only the process that made them removes them.)
std::mutex made_mutex;
std::vector<std::string>* made = nullptr;

}  // namespace

void RemoveTempDirectories() {
  std::lock_guard<std::mutex> lock(made_mutex);
  if (made == nullptr) return;
  for (const std::string& directory : *made) {
    std::error_code ignored;
    std::filesystem::remove_all(directory, ignored);
  }
  made->clear();
}

std::string MakeTempDirectory(const std::string& prefix) {
  std::string pattern = absl::StrCat("/tmp/", prefix, "-XXXXXX");
  if (mkdtemp(pattern.data()) == nullptr) return "";
  std::lock_guard<std::mutex> lock(made_mutex);
  if (made == nullptr) {
    made = new std::vector<std::string>();
    std::atexit(RemoveTempDirectories);
  }
  made->push_back(pattern);
  return pattern;
}

std::string ReadFileTail(const std::string& path, size_t max_bytes) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string text = buffer.str();
  return text.size() > max_bytes ? text.substr(text.size() - max_bytes) : text;
}

}  // namespace caunoi::testing
