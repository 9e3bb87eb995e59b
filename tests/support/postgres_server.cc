#include "tests/support/postgres_server.h"

#include <fcntl.h>
#include <pwd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <vector>

#include "absl/strings/str_cat.h"
#include "tests/support/stop_on_signal.h"
#include "tests/support/subprocess.h"

namespace caunoi::testing {
namespace {

constexpr char kBin[] = "/usr/lib/postgresql/15/bin/";
// Bump when the template's contents change.
constexpr char kTemplateVersion[] = "v1";

bool RunningAsRoot() { return geteuid() == 0; }

// PostgreSQL refuses root; as root, run it as `postgres`.
std::vector<std::string> AsOwner(std::vector<std::string> argv) {
  if (!RunningAsRoot()) return argv;
  std::vector<std::string> wrapped = {"runuser", "-u", "postgres", "--"};
  wrapped.insert(wrapped.end(), argv.begin(), argv.end());
  return wrapped;
}

absl::Status GiveToOwner(const std::string& path) {
  if (!RunningAsRoot()) return absl::OkStatus();
  const passwd* owner = getpwnam("postgres");
  if (owner == nullptr) return absl::FailedPreconditionError("no postgres user: run `make deps`");
  if (chown(path.c_str(), owner->pw_uid, owner->pw_gid) != 0) {
    return absl::InternalError(absl::StrCat("chown ", path));
  }
  return absl::OkStatus();
}

absl::Status Check(absl::StatusOr<int> exit_code, absl::string_view what,
                   const std::string& log_file) {
  if (!exit_code.ok()) return exit_code.status();
  if (*exit_code != 0) {
    return absl::InternalError(
        absl::StrCat(what, " failed (exit ", *exit_code, "):\n", ReadFileTail(log_file)));
  }
  return absl::OkStatus();
}

// random_page_cost as deploy/ sets it: the data is in memory, where the
// default (4, for spinning disks) keeps the planner off selective indexes.
std::string StartOptions(const std::string& directory, int port, bool durable) {
  return absl::StrCat(
      "-p ", port, " -c listen_addresses=127.0.0.1 -c unix_socket_directories=", directory,
      " -c max_connections=200 -c random_page_cost=1.1",
      durable ? "" : " -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
}

absl::Status PgCtlStart(const std::string& directory, int port, bool durable = false) {
  const std::string log = absl::StrCat(directory, "/server.log");
  return Check(RunCommand(AsOwner({absl::StrCat(kBin, "pg_ctl"), "-D",
                                   absl::StrCat(directory, "/data"), "-l", log, "-w", "-t", "60",
                                   "-o", StartOptions(directory, port, durable), "start"}),
                          absl::StrCat(directory, "/pg_ctl.log")),
               "pg_ctl start", log);
}

absl::Status PgCtlStop(const std::string& directory) {
  return Check(RunCommand(AsOwner({absl::StrCat(kBin, "pg_ctl"), "-D",
                                   absl::StrCat(directory, "/data"), "-m", "fast", "-w", "stop"}),
                          absl::StrCat(directory, "/pg_ctl.log")),
               "pg_ctl stop", absl::StrCat(directory, "/pg_ctl.log"));
}

// initdb, then create the database, in a scratch directory renamed into
// place: concurrent test processes either see a whole template or none.
absl::Status BuildTemplate(const std::string& template_directory) {
  const std::string scratch = MakeTempDirectory("caunoi-pg-scratch");
  if (scratch.empty()) return absl::InternalError("mkdtemp failed");
  const std::string log = absl::StrCat(scratch, "/initdb.log");
  if (auto s = GiveToOwner(scratch); !s.ok()) return s;
  chmod(scratch.c_str(), 0755);
  if (auto s =
          Check(RunCommand(AsOwner({absl::StrCat(kBin, "initdb"), "-D",
                                    absl::StrCat(scratch, "/data"), "-U", "caunoi", "--auth=trust",
                                    "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"}),
                           log),
                "initdb", log);
      !s.ok()) {
    return s;
  }
  const int port = PickFreePort();
  if (auto s = PgCtlStart(scratch, port); !s.ok()) return s;
  const absl::Status created = Check(
      RunCommand(
          {"psql", absl::StrCat("host=", scratch, " port=", port, " user=caunoi dbname=postgres"),
           "-qc", "CREATE DATABASE caunoi"},
          log),
      "CREATE DATABASE", log);
  const absl::Status stopped = PgCtlStop(scratch);
  if (!created.ok()) return created;
  if (!stopped.ok()) return stopped;
  std::error_code error;
  std::filesystem::rename(absl::StrCat(scratch, "/data"), template_directory, error);
  std::filesystem::remove_all(scratch, error);
  return absl::OkStatus();
}

absl::StatusOr<std::string> EnsureTemplate() {
  const std::string directory =
      absl::StrCat("/tmp/caunoi-pg-template-", geteuid(), "-", kTemplateVersion);
  const std::string lock_path = absl::StrCat(directory, ".lock");
  const int lock = open(lock_path.c_str(), O_CREAT | O_RDWR, 0644);
  if (lock < 0 || flock(lock, LOCK_EX) != 0) return absl::InternalError("cannot lock template");
  absl::Status status = absl::OkStatus();
  if (!std::filesystem::exists(absl::StrCat(directory, "/PG_VERSION"))) {
    std::error_code ignored;
    std::filesystem::remove_all(directory, ignored);
    status = BuildTemplate(directory);
  }
  flock(lock, LOCK_UN);
  close(lock);
  if (!status.ok()) return status;
  return directory;
}

}  // namespace

absl::StatusOr<std::unique_ptr<PostgresServer>> PostgresServer::Start(Options options) {
  absl::StatusOr<std::string> template_directory = EnsureTemplate();
  if (!template_directory.ok()) return template_directory.status();
  const std::string directory = MakeTempDirectory("caunoi-pg");
  if (directory.empty()) return absl::InternalError("mkdtemp failed");
  chmod(directory.c_str(), 0755);
  if (auto s = GiveToOwner(directory); !s.ok()) return s;
  // cp -a keeps the owner and the 0700 mode PostgreSQL insists on.
  if (auto s =
          Check(RunCommand({"cp", "-a", *template_directory, absl::StrCat(directory, "/data")}),
                "copying the template", "");
      !s.ok()) {
    return s;
  }
  absl::Status started;
  for (int attempt = 0; attempt < 3; ++attempt) {
    const int port = PickFreePort();  // may be taken by the time we start: retry
    started = PgCtlStart(directory, port, options.durable);
    if (started.ok()) {
      auto server = std::unique_ptr<PostgresServer>(new PostgresServer(directory, port, options));
      server->running_ = true;
      server->stop_at_signal_ = AtSignal([directory] { (void)PgCtlStop(directory); });
      return server;
    }
  }
  return started;
}

PostgresServer::~PostgresServer() {
  if (stop_at_signal_ >= 0) CancelAtSignal(stop_at_signal_);
  if (running_) (void)PgCtlStop(directory_);
  std::error_code ignored;
  std::filesystem::remove_all(directory_, ignored);
}

std::string PostgresServer::dsn() const {
  return absl::StrCat("host=", directory_, " port=", port_, " user=caunoi dbname=caunoi");
}

absl::Status PostgresServer::Stop() {
  absl::Status status = PgCtlStop(directory_);
  if (status.ok()) running_ = false;
  return status;
}

absl::Status PostgresServer::Resume() {
  absl::Status status = PgCtlStart(directory_, port_, options_.durable);
  if (status.ok()) running_ = true;
  return status;
}

}  // namespace caunoi::testing
