#ifndef CAUNOI_COMMON_CHANGES_CHANGE_STORE_H_
#define CAUNOI_COMMON_CHANGES_CHANGE_STORE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "caunoi/v1/common.pb.h"
#include "common/changes/change_hub.h"
#include "common/pg/connection.h"
#include "common/pg/pool.h"

namespace caunoi::changes {

// The SQL of a service's change log (common/changes/change_log.sql and
// change_queue.sql).
class ChangeStore final : public ChangeSource {
 public:
  // `schema` is a fixed identifier from code, e.g. "reports".
  ChangeStore(pg::Pool& pool, absl::string_view schema, Decoder decoder = nullptr);

  absl::StatusOr<std::vector<EventPtr>> ReadAfter(int64_t position, int limit,
                                                  absl::Time deadline) override;
  // A page of ListChanges: the request's cursor and filters.
  absl::StatusOr<v1::ListChangesResponse> List(const v1::ListChangesRequest& request,
                                               absl::Time deadline);
  // The last position given.
  absl::StatusOr<int64_t> Latest(absl::Time deadline);

  // Moves the committed changes waiting in the queue into the log,
  // numbered in the order they were written, one numbering at a time
  // across replicas (common/changes/change_queue.sql). Returns the last
  // position given.
  absl::StatusOr<int64_t> Number(pg::Connection& connection);
  // Removes the changes older than `retention`; a cursor below the last
  // removed position is OUT_OF_RANGE from then on.
  absl::StatusOr<int64_t> Prune(absl::Duration retention, absl::Time deadline);

  const std::string& channel() const { return channel_; }
  pg::Pool& pool() { return pool_; }

 private:
  // Reads up to `limit` numbered changes after `position` (OUT_OF_RANGE
  // when the retention removed some), filtered by locality and
  // collections when given.
  // A cursor of 0 reads from the oldest change held. `head`, when given,
  // receives the newest position.
  absl::StatusOr<std::vector<EventPtr>> Read(int64_t position, int limit,
                                             const std::string& locality,
                                             const std::vector<std::string>& collections,
                                             absl::Time deadline, int64_t* head = nullptr);

  pg::Pool& pool_;
  const std::shared_ptr<const Decoder> decoder_;  // null when nothing is decoded
  const std::string channel_;
  const std::string lock_key_;
  std::string read_sql_, latest_sql_, number_sql_, prune_sql_;
};

// Reads a change's stored `state` into `message`, a message of the
// service's own; false when it has none (a delete) or it does not fit.
bool StateAs(absl::string_view state, google::protobuf::Message& message);

// "0" → 0, "" → nullopt (from now on); INVALID_ARGUMENT naming `field`
// otherwise.
absl::StatusOr<std::optional<int64_t>> ParseCursor(absl::string_view cursor,
                                                   absl::string_view field);

}  // namespace caunoi::changes

#endif  // CAUNOI_COMMON_CHANGES_CHANGE_STORE_H_
