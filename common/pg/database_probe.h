#ifndef CAUNOI_COMMON_PG_DATABASE_PROBE_H_
#define CAUNOI_COMMON_PG_DATABASE_PROBE_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "common/pg/connection.h"

namespace caunoi::pg {

// Answers "is the database reachable now" for the health service, on a
// connection of its own so a busy pool never makes a healthy server look
// down. Reconnects on the next check after a failure. Not thread-safe.
class DatabaseProbe {
 public:
  DatabaseProbe(std::string dsn, std::string application_name);
  absl::Status Check();

 private:
  const std::string dsn_;
  const std::string application_name_;
  std::unique_ptr<Connection> connection_;
};

}  // namespace caunoi::pg

#endif  // CAUNOI_COMMON_PG_DATABASE_PROBE_H_
