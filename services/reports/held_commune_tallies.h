#ifndef CAUNOI_SERVICES_REPORTS_HELD_COMMUNE_TALLIES_H_
#define CAUNOI_SERVICES_REPORTS_HELD_COMMUNE_TALLIES_H_

#include <cstdint>
#include <list>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "services/reports/compliance.h"

// A province's report tallies per commune, held by the server between
// reads. Each read asks the store only for the rows changed since the
// previous read of the same documents and province (each row names the
// transaction that last changed it), and answers from the rows held: a
// province's 12,600 rows cost a read the few that changed, not all of
// them. The answer is what a read of every row in the same snapshot would
// give.
namespace caunoi::reports {

// A tally row changed, as the store read it.
struct ChangedTally {
  int64_t document_id = 0;
  std::string period_first;  // ISO
  ReportTally tally;         // its place "01/00004", or "01" for the locality's own
};

// The rows changed at or above a transaction id, read in one snapshot,
// and that snapshot's xmin: every transaction it could not see has an id
// at or above it, so the next read asks from there.
struct ChangedTallies {
  uint64_t xmin = 0;
  std::vector<ChangedTally> rows;
};

class HeldCommuneTallies {
 public:
  // At most `rows_held` rows, those read least recently let go first; 0
  // holds nothing, so every read asks for every row.
  explicit HeldCommuneTallies(size_t rows_held) : rows_held_(rows_held) {}

  // Reads the rows changed by a transaction at or above the id given.
  using AskChanged = absl::FunctionRef<absl::StatusOr<ChangedTallies>(uint64_t since)>;
  using Tallies = std::shared_ptr<const std::vector<ReportTally>>;

  // The tallies of `documents` (an array literal of ids) in the locality
  // `locality_id`, per place within it, whose period begins within
  // [from, to] (unbounded before when `from` is unset), as of the snapshot
  // `ask_changed` read in.
  absl::StatusOr<Tallies> Read(const std::string& documents, const std::string& locality_id,
                               std::optional<absl::CivilDay> from, absl::CivilDay to,
                               AskChanged ask_changed);

  size_t rows_held() const;

 private:
  // One documents-and-province's rows, never changed once made.
  struct Rows {
    std::vector<ReportTally> tallies;
    // Beside each tally: its document, its period's first day (ISO, so
    // that the window compares as text).
    std::vector<int64_t> documents;
    std::vector<std::string> period_firsts;
    std::string first_period_first, last_period_first;  // of all of them
  };
  // The rows as of one snapshot. A read answers from the version it
  // started from and what changed since, so no lock is held while
  // PostgreSQL answers.
  struct Version {
    uint64_t xmin = 0;  // of the snapshot the rows are as of; 0: none read
    std::shared_ptr<const Rows> rows = std::make_shared<Rows>();
  };
  struct Held {
    std::shared_ptr<const Version> version = std::make_shared<Version>();
    std::list<std::string>::iterator recent;  // its key among the recently read
  };

  // The version of `key` to start from, marked read just now.
  std::shared_ptr<const Version> Start(const std::string& key);
  // Kept for `key` unless a newer one is already held.
  void Keep(const std::string& key, std::shared_ptr<const Version> version);

  const size_t rows_held_;
  mutable absl::Mutex lock_;
  absl::flat_hash_map<std::string, Held> held_ ABSL_GUARDED_BY(lock_);
  std::list<std::string> recent_ ABSL_GUARDED_BY(lock_);  // most recent first
  size_t rows_held_now_ ABSL_GUARDED_BY(lock_) = 0;
};

}  // namespace caunoi::reports

#endif  // CAUNOI_SERVICES_REPORTS_HELD_COMMUNE_TALLIES_H_
