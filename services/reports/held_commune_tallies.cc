#include "services/reports/held_commune_tallies.h"

#include <algorithm>
#include <tuple>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/api/commune_name.h"
#include "common/api/dates.h"
#include "common/resource/row.h"

namespace caunoi::reports {
namespace {

// The rows of documents $1 in locality $2 changed by a transaction at or
// above $3, with the xmin of the statement's own snapshot (on a row of its
// own when none changed): every transaction that snapshot cannot see has
// an id at or above it, so the next read asks from there.
constexpr pg::Statement kChangedTallies{
    "held_commune_tallies_changed",
    "SELECT s.xmin::text, t.document_id, t.commune_code, t.period, t.period_first, t.timely_days,"
    "       t.on_time, t.late"
    " FROM (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin) s"
    " LEFT JOIN LATERAL (SELECT document_id, commune_code, period, period_first, timely_days,"
    "                           on_time, late"
    "                    FROM reports.report_tallies"
    "                    WHERE document_id = ANY($1::bigint[]) AND locality_id = $2"
    "                      AND changed_by >= $3::xid8) t ON true"};

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
    std::optional<absl::CivilDay> from, absl::CivilDay to, Send send) {
  const std::string key = absl::StrCat(locality_id, " ", documents);
  const std::shared_ptr<const Version> start = Start(key);
  absl::StatusOr<const pg::Result*> sent =
      send({kChangedTallies, {documents, locality_id, absl::StrCat(start->xmin)}});
  if (!sent.ok()) return sent.status();
  const pg::Result& changed = **sent;

  auto version = std::make_shared<Version>();
  // Every row carries the snapshot's xmin; the first is there even when
  // nothing changed.
  if (changed.rows() > 0) (void)absl::SimpleAtoi(changed.Text(0, 0), &version->xmin);
  if (changed.rows() == 0 || changed.IsNull(0, 1)) {
    version->rows = start->rows;
  } else {
    auto rows = std::make_shared<Rows>(*start->rows);
    // What changed, by identity, to be matched with the rows held once.
    Rows read;
    for (int i = 0; i < changed.rows(); ++i) {
      resource::RowReader row(changed, i);
      row.Skip(1);
      read.documents.push_back(row.Int64());
      ReportTally& tally = read.tallies.emplace_back();
      tally.locality_id = PlaceId(locality_id, row.View());
      tally.period = row.Text();
      read.period_firsts.push_back(row.Text());
      tally.timely_days = static_cast<int>(row.Int64());
      tally.on_time = row.Int64();
      tally.late = row.Int64();
    }
    absl::flat_hash_map<Key, size_t> unmatched;
    for (size_t i = 0; i < read.tallies.size(); ++i) {
      const ReportTally& tally = read.tallies[i];
      unmatched.emplace(Key(read.documents[i], tally.locality_id, tally.period, tally.timely_days),
                        i);
    }
    for (size_t i = 0; i < rows->tallies.size() && !unmatched.empty(); ++i) {
      ReportTally& tally = rows->tallies[i];
      auto found = unmatched.find(
          Key(rows->documents[i], tally.locality_id, tally.period, tally.timely_days));
      if (found == unmatched.end()) continue;
      tally = read.tallies[found->second];
      unmatched.erase(found);
    }
    for (size_t i = 0; i < read.tallies.size(); ++i) {
      const ReportTally& tally = read.tallies[i];
      if (!unmatched.contains(
              Key(read.documents[i], tally.locality_id, tally.period, tally.timely_days))) {
        continue;
      }
      rows->tallies.push_back(tally);
      rows->documents.push_back(read.documents[i]);
      rows->period_firsts.push_back(read.period_firsts[i]);
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
