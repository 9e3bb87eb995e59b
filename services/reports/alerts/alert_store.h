#ifndef CAUNOI_SERVICES_REPORTS_ALERTS_ALERT_STORE_H_
#define CAUNOI_SERVICES_REPORTS_ALERTS_ALERT_STORE_H_

#include <cstdint>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "caunoi/v1/reports.pb.h"
#include "common/pg/pool.h"
#include "common/resource/write_log.h"
#include "services/reports/alerts/alert_rules.h"
#include "services/reports/alerts/alert_scope.h"

namespace caunoi::reports {

// A report duty as the producer reads it.
struct Duty {
  int64_t obligation_id = 0;
  int64_t document_id = 0;
  int64_t unit_id = 0;
  std::string locality_id;
  std::string commune_place;
  std::string first_period;
  std::string last_period;  // "" when open-ended
  int timely_days = 0;
};

// An alert the producer means to record; recorded once whatever happens.
struct AlertDraft {
  v1::AlertKind kind;
  std::string item;
  absl::CivilDay due;
  int days_before = 0;
  int days_overdue = 0;
  int64_t document_id = 0;
  std::optional<int64_t> unit_id;
  std::string locality_id;
  std::string commune_place;
  std::vector<std::string> addressees = {};
  std::string summary = "";
};

// An item still open and when it is due: alerts of the item for another
// due date are resolved.
struct OpenItem {
  std::string item;
  absl::CivilDay due;
};

struct ProductionResult {
  int produced = 0;
  int resolved = 0;
};

// The SQL of alerts and their rules (migrations/0014_alerts.sql).
class AlertStore {
 public:
  explicit AlertStore(pg::Pool& pool);

  absl::StatusOr<v1::AlertRules> GetRules(int64_t document_id, absl::Time deadline);
  absl::StatusOr<v1::AlertRules> SetRules(int64_t document_id, const v1::AlertRules& rules,
                                          const resource::WriteRequest& write);
  // Every document's rules that differ from the defaults.
  absl::StatusOr<absl::flat_hash_map<int64_t, AlertRuleSet>> AllRules(absl::Time deadline);

  // Duties in force on `day` or later.
  absl::StatusOr<std::vector<Duty>> DutiesSince(absl::CivilDay day, absl::Time deadline);
  // Of (obligation, period) pairs, those with a report submitted or
  // accepted.
  absl::StatusOr<std::set<std::pair<int64_t, std::string>>> FinishedPeriods(
      std::span<const std::pair<int64_t, std::string>> periods, absl::Time deadline);
  // The keys (item, kind, due date, days before) already recorded for
  // `items`, as AlertKey writes them.
  absl::StatusOr<absl::flat_hash_set<std::string>> RecordedKeys(std::span<const std::string> items,
                                                                absl::Time deadline);

  // In one transaction, one producer at a time: records `drafts` not yet
  // recorded, each with its audit record and the webhook deliveries it
  // calls for; returns how many were new.
  absl::StatusOr<int> RecordAlerts(std::span<const AlertDraft> drafts, absl::Time deadline);
  // In one transaction, one producer at a time: resolves every alert due
  // from `resolve_from` on whose item is no longer open with that due date,
  // each with its audit record and deliveries; returns how many.
  absl::StatusOr<int> ResolveAlerts(std::span<const OpenItem> open, absl::CivilDay resolve_from,
                                    absl::Time deadline);

  absl::StatusOr<v1::Alert> Get(int64_t id, const AlertScope& scope, absl::Time deadline);
  // Newest first; `bound` holds the filter's values in the order of
  // AlertFilterFields(), `after_id` the page token (0 for the first).
  absl::StatusOr<v1::ListAlertsResponse> List(const std::vector<std::optional<std::string>>& bound,
                                              const AlertScope& scope, int64_t before_id, int limit,
                                              absl::Time deadline);
  // NOT_FOUND when the caller cannot see it; FAILED_PRECONDITION once
  // resolved; acknowledging twice keeps the first.
  absl::StatusOr<v1::Alert> Acknowledge(int64_t id, const AlertScope& scope,
                                        const resource::WriteRequest& write);

 private:
  pg::Pool& pool_;
  resource::WriteLog log_;
};

// "item|KIND|2026-12-03|7".
std::string AlertKey(absl::string_view item, v1::AlertKind kind, absl::CivilDay due,
                     int days_before);

}  // namespace caunoi::reports

#endif  // CAUNOI_SERVICES_REPORTS_ALERTS_ALERT_STORE_H_
