#include "common/pg/database_probe.h"

namespace caunoi::pg {

constexpr Statement kPing{"probe_ping", "SELECT 1"};

DatabaseProbe::DatabaseProbe(std::string dsn, std::string application_name)
    : dsn_(std::move(dsn)), application_name_(std::move(application_name)) {}

absl::Status DatabaseProbe::Check() {
  if (connection_ == nullptr || connection_->IsBroken()) {
    connection_.reset();
    absl::StatusOr<std::unique_ptr<Connection>> opened = Connection::Open(dsn_, application_name_);
    if (!opened.ok()) return opened.status();
    connection_ = *std::move(opened);
  }
  absl::Status status = connection_->Execute(kPing).status();
  if (!status.ok()) connection_.reset();
  return status;
}

}  // namespace caunoi::pg
