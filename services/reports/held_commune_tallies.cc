#include "services/reports/held_commune_tallies.h"

#include <algorithm>
#include <tuple>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/api/dates.h"

namespace caunoi::reports {
namespace {

// A tally row's identity: document, place, period, timely days.
using Key = std::tuple<int64_t, absl::string_view, absl::string_view, int>;

}  // namespace

std::shared_ptr<const HeldCommuneTallies::Version> HeldCommuneTallies::Start(
    const std::string& key) {
  if (rows_held_ == 0) return std::make_shared<Version>();
  absl::MutexLock locked(&lock_);
  auto [found, added] = held_.try_emplace(key);
  if (added) {
    recent_.push_front(key);
  } else {
    recent_.splice(recent_.begin(), recent_, found->second.recent);
  }
  found->second.recent = recent_.begin();
  return found->second.version;
}

void HeldCommuneTallies::Keep(const std::string& key, std::shared_ptr<const Version> version) {
  if (rows_held_ == 0) return;
  absl::MutexLock locked(&lock_);
  auto found = held_.find(key);
  if (found == held_.end()) return;  // let go meanwhile
  // Any version is exact as of its snapshot, so a read from either is
  // right; the newer leaves less to ask for. A snapshot whose xmin is
  // higher was taken after the other, and sees all the other saw; of two
  // with the same xmin neither is known to be the newer: the one held
  // stays.
  std::shared_ptr<const Version>& held = found->second.version;
  if (version->xmin <= held->xmin) return;
  rows_held_now_ += version->rows->tallies.size();
  rows_held_now_ -= held->rows->tallies.size();
  held = std::move(version);
  // The least recently read go first; the one just read stays, even alone
  // over the bound.
  while (rows_held_now_ > rows_held_ && recent_.back() != key) {
    auto oldest = held_.find(recent_.back());
    rows_held_now_ -= oldest->second.version->rows->tallies.size();
    held_.erase(oldest);
    recent_.pop_back();
  }
}

size_t HeldCommuneTallies::rows_held() const {
  absl::MutexLock locked(&lock_);
  return rows_held_now_;
}

absl::StatusOr<HeldCommuneTallies::Tallies> HeldCommuneTallies::Read(
    const std::string& documents, const std::string& locality_id,
    std::optional<absl::CivilDay> from, absl::CivilDay to, AskChanged ask_changed) {
  const std::string key = absl::StrCat(locality_id, " ", documents);
  const std::shared_ptr<const Version> start = Start(key);
  absl::StatusOr<ChangedTallies> changed = ask_changed(start->xmin);
  if (!changed.ok()) return changed.status();

  auto version = std::make_shared<Version>();
  version->xmin = changed->xmin;
  if (changed->rows.empty()) {
    version->rows = start->rows;
  } else {
    auto rows = std::make_shared<Rows>(*start->rows);
    // The changed rows by identity, each matched with the row held once.
    absl::flat_hash_map<Key, size_t> unmatched;
    for (size_t i = 0; i < changed->rows.size(); ++i) {
      const ChangedTally& row = changed->rows[i];
      unmatched.emplace(
          Key(row.document_id, row.tally.locality_id, row.tally.period, row.tally.timely_days), i);
    }
    for (size_t i = 0; i < rows->tallies.size() && !unmatched.empty(); ++i) {
      ReportTally& tally = rows->tallies[i];
      auto found = unmatched.find(
          Key(rows->documents[i], tally.locality_id, tally.period, tally.timely_days));
      if (found == unmatched.end()) continue;
      tally = changed->rows[found->second].tally;
      unmatched.erase(found);
    }
    for (const ChangedTally& row : changed->rows) {
      if (!unmatched.contains(Key(row.document_id, row.tally.locality_id, row.tally.period,
                                  row.tally.timely_days))) {
        continue;
      }
      rows->tallies.push_back(row.tally);
      rows->documents.push_back(row.document_id);
      rows->period_firsts.push_back(row.period_first);
    }
    const auto [first, last] =
        std::minmax_element(rows->period_firsts.begin(), rows->period_firsts.end());
    rows->first_period_first = *first;
    rows->last_period_first = *last;
    version->rows = std::move(rows);
  }
  Keep(key, version);

  const Rows& rows = *version->rows;
  const std::string first = from ? api::FormatIsoDate(*from) : "";
  const std::string last = api::FormatIsoDate(to);
  if (rows.first_period_first >= first && rows.last_period_first <= last) {
    return Tallies(version->rows, &rows.tallies);  // every row: none copied
  }
  auto within = std::make_shared<std::vector<ReportTally>>();
  for (size_t i = 0; i < rows.tallies.size(); ++i) {
    if (rows.period_firsts[i] >= first && rows.period_firsts[i] <= last) {
      within->push_back(rows.tallies[i]);
    }
  }
  return within;
}

}  // namespace caunoi::reports
