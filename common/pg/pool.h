#ifndef CAUNOI_COMMON_PG_POOL_H_
#define CAUNOI_COMMON_PG_POOL_H_

#include <list>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/pg/connection.h"

namespace caunoi::pg {

struct PoolOptions {
  std::string dsn;
  std::string application_name = "caunoi";
  int size = 8;
  // Keeps `size` connections open from the start, opened in the background
  // (and again after PostgreSQL restarts), instead of when callers first
  // need them: opening one takes PostgreSQL a new backend, 20 ms or more on
  // a loaded machine, and a burst of callers each opening its own waits on
  // the others' too.
  bool open_ahead = false;
};

// A bounded set of connections, opened on demand (or ahead of it). A
// connection found broken (the server restarted) is dropped with every idle
// one, since they share its fate; the next Acquire reconnects.
class Pool {
 public:
  class Lease {
   public:
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    Connection& operator*() const { return *connection_; }
    Connection* operator->() const { return connection_.get(); }

   private:
    friend class Pool;
    Lease(Pool* pool, std::unique_ptr<Connection> connection)
        : pool_(pool), connection_(std::move(connection)) {}
    Pool* pool_;
    std::unique_ptr<Connection> connection_;
  };

  explicit Pool(PoolOptions options);
  ~Pool();

  // Waits until a connection is free or `deadline` passes
  // (DEADLINE_EXCEEDED), callers served in arrival order; a failed connect
  // is UNAVAILABLE.
  absl::StatusOr<Lease> Acquire(absl::Time deadline);

  const PoolOptions& options() const { return options_; }

 private:
  void Release(std::unique_ptr<Connection> connection);
  // With open_ahead: opens connections while fewer than `size` are open,
  // waiting longer after each failure while PostgreSQL is unreachable.
  void OpenAhead();

  const PoolOptions options_;
  absl::Mutex mutex_;
  bool stopping_ ABSL_GUARDED_BY(mutex_) = false;
  std::vector<std::unique_ptr<Connection>> idle_ ABSL_GUARDED_BY(mutex_);
  int open_ ABSL_GUARDED_BY(mutex_) = 0;  // idle + leased + connecting
  // One place per caller waiting for a connection, in arrival order.
  std::list<int> waiting_ ABSL_GUARDED_BY(mutex_);
  std::thread opener_;  // with open_ahead; joined before the rest goes
};

}  // namespace caunoi::pg

#endif  // CAUNOI_COMMON_PG_POOL_H_
