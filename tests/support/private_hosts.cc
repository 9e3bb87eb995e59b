#include "tests/support/private_hosts.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"

namespace caunoi::testing {
namespace {

constexpr char kHosts[] = "/etc/hosts";

struct PrivateHosts {
  absl::Mutex mutex;
  absl::Status entered ABSL_GUARDED_BY(mutex) =
      absl::FailedPreconditionError("EnterPrivateHosts was not called from main");
  std::string original ABSL_GUARDED_BY(mutex);
  std::map<std::string, std::vector<std::string>> names ABSL_GUARDED_BY(mutex);
};

PrivateHosts& State() {
  static PrivateHosts* const state = new PrivateHosts;
  return *state;
}

absl::Status ErrnoError(absl::string_view what) {
  return absl::FailedPreconditionError(absl::StrCat(what, ": ", std::strerror(errno)));
}

// Replaces the file's bytes in place with one write: the bind mount holds
// the inode, so the file must not be renamed over.
absl::Status Overwrite(const char* path, const std::string& text) {
  const int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
  if (fd < 0) return ErrnoError(absl::StrCat("open ", path));
  const ssize_t written = write(fd, text.data(), text.size());
  close(fd);
  if (written != static_cast<ssize_t>(text.size())) return ErrnoError(absl::StrCat("write ", path));
  return absl::OkStatus();
}

absl::Status Enter(std::string& original) {
  std::ifstream machine(kHosts);
  std::stringstream text;
  text << machine.rdbuf();
  original = text.str();
  if (!original.empty() && original.back() != '\n') original.push_back('\n');
  if (unshare(CLONE_NEWNS) != 0) return ErrnoError("unshare(CLONE_NEWNS)");
  // Nothing mounted here may reach the machine's namespace.
  if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
    return ErrnoError("mount --make-rprivate /");
  }
  char copy[] = "/tmp/caunoi-hosts-XXXXXX";
  const int fd = mkstemp(copy);
  if (fd < 0) return ErrnoError("mkstemp");
  close(fd);
  absl::Status written = Overwrite(copy, original);
  if (written.ok() && mount(copy, kHosts, nullptr, MS_BIND, nullptr) != 0) {
    written = ErrnoError("mount --bind over /etc/hosts");
  }
  // The mount keeps the copy's inode; its name is not needed.
  unlink(copy);
  return written;
}

}  // namespace

absl::Status EnterPrivateHosts() {
  PrivateHosts& state = State();
  absl::MutexLock lock(&state.mutex);
  state.entered = Enter(state.original);
  return state.entered;
}

absl::Status SetHostAddresses(const std::string& name, const std::vector<std::string>& addresses) {
  PrivateHosts& state = State();
  absl::MutexLock lock(&state.mutex);
  if (!state.entered.ok()) return state.entered;
  state.names[name] = addresses;
  std::string text = state.original;
  for (const auto& [host, its_addresses] : state.names) {
    for (const std::string& address : its_addresses)
      absl::StrAppend(&text, address, " ", host, "\n");
  }
  return Overwrite(kHosts, text);
}

}  // namespace caunoi::testing
