#include "services/reports/alerts/alert_producer.h"

#include <algorithm>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "common/api/commune_name.h"
#include "common/api/dates.h"
#include "common/api/resource_name.h"
#include "common/logging/log.h"
#include "common/metrics/metrics.h"
#include "common/period/period.h"
#include "common/status/status_macros.h"
#include "services/reports/alerts/alert_scope.h"

namespace caunoi::reports {
namespace {

// The longest reminder a rule may ask for (alert_rules.cc).
constexpr int kReminderHorizonDays = 60;
constexpr absl::Duration kPassTime = absl::Minutes(2);
// Each document or organization looked up for a pass's alerts.
constexpr absl::Duration kLookupTime = absl::Seconds(10);

// The level above a place: a commune's province; a province's, the centre.
std::string LevelAbove(absl::string_view locality_id, absl::string_view commune_place) {
  if (!commune_place.empty()) return PlaceName(locality_id);
  return "central";
}

}  // namespace

// Something that falls due, with what its alerts say.
struct AlertProducer::Item {
  std::string item;
  absl::CivilDay due;
  int64_t document_id = 0;
  std::optional<int64_t> unit_id;
  std::string locality_id;
  std::string commune_place;
  std::string what;  // "Nhiệm vụ 2 «…» (05-TT/TU)"
  // Whether `what` still needs the document's symbol (a duty's period).
  bool needs_symbol = false;
  std::string issuer;  // "organizations/3"; "" when unknown
};

// Documents and organizations asked once per pass.
class AlertProducer::Lookups {
 public:
  Lookups(OrganizationsClient& organizations, DirectivesClient& directives)
      : organizations_(organizations), directives_(directives) {}

  const v1::Document* Document(int64_t id) {
    auto [it, fresh] = documents_.try_emplace(id);
    if (fresh) {
      absl::StatusOr<v1::Document> document = directives_.ReadDocument(
          absl::StrCat("directives/", id), "document", absl::Now() + kLookupTime);
      if (document.ok()) it->second = *std::move(document);
    }
    return it->second.name().empty() ? nullptr : &it->second;
  }
  std::string ParentOf(int64_t unit_id) {
    auto [it, fresh] = parents_.try_emplace(unit_id);
    if (fresh) {
      absl::StatusOr<v1::Organization> unit = organizations_.ReadOrganization(
          absl::StrCat("organizations/", unit_id), "unit", absl::Now() + kLookupTime);
      if (unit.ok()) it->second = unit->parent();
    }
    return it->second;
  }

 private:
  OrganizationsClient& organizations_;
  DirectivesClient& directives_;
  absl::flat_hash_map<int64_t, v1::Document> documents_;
  absl::flat_hash_map<int64_t, std::string> parents_;
};

AlertProducer::AlertProducer(AlertStore& store, OrganizationsClient& organizations,
                             DirectivesClient& directives, ProducerOptions options)
    : store_(store), organizations_(organizations), directives_(directives), options_(options) {}

absl::Status AlertProducer::GatherTasks(absl::CivilDay from, absl::CivilDay to,
                                        std::vector<Item>& items) {
  CAUNOI_ASSIGN_OR_RETURN(
      std::vector<v1::TaskFallingDue> tasks,
      directives_.ListTasksFallingDue(api::ToDate(from), api::ToDate(to), absl::Now() + kPassTime));
  for (const v1::TaskFallingDue& task : tasks) {
    Item item;
    item.item = task.task();
    item.due = api::ToCivilDayUnchecked(task.due_date());
    item.document_id = api::NumericResourceId(task.document());
    if (!task.lead().empty()) item.unit_id = api::NumericResourceId(task.lead());
    item.locality_id = std::string(api::ResourceId(task.current_locality()));
    if (!task.commune().empty()) {
      item.commune_place = PlaceOf(task.current_locality(), task.commune());
    }
    item.what = absl::StrCat("Nhiệm vụ ", task.number(), " «", task.title(), "» (",
                             task.document_symbol(), ")");
    item.issuer = task.issuing_organization();
    items.push_back(std::move(item));
  }
  return absl::OkStatus();
}

absl::Status AlertProducer::GatherDuties(absl::CivilDay from, absl::CivilDay to,
                                         std::vector<Item>& items) {
  CAUNOI_ASSIGN_OR_RETURN(std::vector<Duty> duties,
                          store_.DutiesSince(from, absl::Now() + kPassTime));
  struct Due {
    const Duty* duty;
    std::string period;
    absl::CivilDay due;
  };
  std::vector<Due> dues;
  std::vector<std::pair<int64_t, std::string>> keys;
  for (const Duty& duty : duties) {
    absl::StatusOr<periods::Period> first = periods::ParsePeriod(duty.first_period);
    if (!first.ok()) continue;
    std::optional<periods::Period> last;
    if (!duty.last_period.empty()) {
      absl::StatusOr<periods::Period> parsed = periods::ParsePeriod(duty.last_period);
      if (parsed.ok()) last = *parsed;
    }
    // Start near the window instead of walking years of months.
    periods::Period period = *first;
    const absl::CivilDay near = from - duty.timely_days - 1;
    if (period.last < near) {
      period = periods::PeriodContaining(first->kind, near, first->cutoff_day);
    }
    for (; period.first <= to; period = periods::NextPeriod(period)) {
      const absl::CivilDay due = periods::DueDate(period, duty.timely_days);
      if (due >= from && due <= to) {
        dues.push_back({&duty, period.Label(), due});
        keys.emplace_back(duty.obligation_id, period.Label());
      }
      if (last && period == *last) break;
    }
  }
  CAUNOI_ASSIGN_OR_RETURN(auto finished, store_.FinishedPeriods(keys, absl::Now() + kPassTime));
  for (const Due& due : dues) {
    if (finished.contains({due.duty->obligation_id, due.period})) continue;
    Item item;
    item.item = absl::StrCat("obligations/", due.duty->obligation_id, "/periods/", due.period);
    item.due = due.due;
    item.document_id = due.duty->document_id;
    item.unit_id = due.duty->unit_id;
    item.locality_id = due.duty->locality_id;
    item.commune_place = due.duty->commune_place;
    item.what = absl::StrCat("Báo cáo kỳ ", due.period);
    item.needs_symbol = true;
    items.push_back(std::move(item));
  }
  return absl::OkStatus();
}

absl::StatusOr<ProductionResult> AlertProducer::Produce(absl::CivilDay today) {
  const absl::CivilDay from = today - options_.lookback_days;
  const absl::CivilDay to = today + kReminderHorizonDays;
  CAUNOI_ASSIGN_OR_RETURN(auto rules, store_.AllRules(absl::Now() + kPassTime));
  std::vector<Item> items;
  CAUNOI_RETURN_IF_ERROR(GatherTasks(from, to, items));
  CAUNOI_RETURN_IF_ERROR(GatherDuties(from, to, items));

  std::vector<OpenItem> open;
  std::vector<std::pair<const Item*, DueAlert>> due_alerts;
  std::vector<std::string> alerted_items;
  const AlertRuleSet defaults;
  for (const Item& item : items) {
    open.push_back({item.item, item.due});
    auto found = rules.find(item.document_id);
    const AlertRuleSet& set = found == rules.end() ? defaults : found->second;
    std::vector<DueAlert> alerts = AlertsDue(set, item.due, today);
    if (!alerts.empty()) alerted_items.push_back(item.item);
    for (const DueAlert& alert : alerts) due_alerts.emplace_back(&item, alert);
  }
  CAUNOI_ASSIGN_OR_RETURN(auto recorded,
                          store_.RecordedKeys(alerted_items, absl::Now() + kPassTime));

  Lookups lookups(organizations_, directives_);
  ProductionResult result;
  std::vector<AlertDraft> drafts;
  auto record = [&]() -> absl::Status {
    CAUNOI_ASSIGN_OR_RETURN(const int produced,
                            store_.RecordAlerts(drafts, absl::Now() + kPassTime));
    result.produced += produced;
    metrics::Counter("caunoi_alerts_produced_total", "alerts recorded by the producer")
        .Increment(produced);
    drafts.clear();
    return absl::OkStatus();
  };
  for (const auto& [item, alert] : due_alerts) {
    if (recorded.contains(AlertKey(item->item, alert.kind, item->due, alert.days_before))) continue;
    AlertDraft draft{.kind = alert.kind,
                     .item = item->item,
                     .due = item->due,
                     .days_before = alert.days_before,
                     .days_overdue = alert.days_overdue,
                     .document_id = item->document_id,
                     .unit_id = item->unit_id,
                     .locality_id = item->locality_id,
                     .commune_place = item->commune_place};
    const v1::Document* document = lookups.Document(item->document_id);
    const std::string what = document != nullptr && item->needs_symbol
                                 ? absl::StrCat(item->what, " theo ", document->symbol())
                                 : item->what;
    const std::string due = api::FormatIsoDate(item->due);
    auto add = [&](std::string addressee) {
      if (addressee.empty()) return;
      if (std::find(draft.addressees.begin(), draft.addressees.end(), addressee) ==
          draft.addressees.end()) {
        draft.addressees.push_back(std::move(addressee));
      }
    };
    if (alert.kind == v1::ALERT_KIND_ESCALATION) {
      add(!item->issuer.empty() ? item->issuer
          : document != nullptr ? document->issuing_organization()
                                : "");
      if (item->unit_id) add(lookups.ParentOf(*item->unit_id));
      add(item->locality_id.empty() ? "central"
                                    : LevelAbove(item->locality_id, item->commune_place));
      draft.summary = absl::StrCat("Báo cáo cấp trên: ", what, " quá hạn ", alert.days_overdue,
                                   " ngày (hạn ", due, ").");
    } else {
      add(item->unit_id                  ? absl::StrCat("organizations/", *item->unit_id)
          : !item->commune_place.empty() ? PlaceName(item->commune_place)
          : !item->locality_id.empty()   ? PlaceName(item->locality_id)
                                         : "central");
      draft.summary = alert.kind == v1::ALERT_KIND_REMINDER
                          ? absl::StrCat("Nhắc hạn: ", what, " đến hạn ", due, " (còn ",
                                         static_cast<int>(item->due - today), " ngày).")
                          : absl::StrCat("Quá hạn: ", what, " đã quá hạn ", alert.days_overdue,
                                         " ngày (hạn ", due, ").");
    }
    drafts.push_back(std::move(draft));
    if (static_cast<int>(drafts.size()) >= options_.alerts_per_transaction) {
      CAUNOI_RETURN_IF_ERROR(record());
    }
  }
  CAUNOI_RETURN_IF_ERROR(record());
  CAUNOI_ASSIGN_OR_RETURN(result.resolved,
                          store_.ResolveAlerts(open, from, absl::Now() + kPassTime));
  metrics::Counter("caunoi_alerts_resolved_total", "alerts resolved by the producer")
      .Increment(result.resolved);
  return result;
}

void AlertProducer::Run(absl::Notification& stopping) {
  while (!stopping.HasBeenNotified()) {
    absl::StatusOr<ProductionResult> result = Produce(api::TodayInVietnam());
    if (!result.ok()) {
      log::Warning("alerts.pass_failed", {{"detail", result.status().ToString()}});
    } else if (result->produced > 0 || result->resolved > 0) {
      log::Info("alerts.pass", {{"produced", absl::StrCat(result->produced)},
                                {"resolved", absl::StrCat(result->resolved)}});
    }
    stopping.WaitForNotificationWithTimeout(options_.interval);
  }
}

}  // namespace caunoi::reports
