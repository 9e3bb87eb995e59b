#include "services/reports/alerts/alert_store.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/api/dates.h"
#include "common/api/enum_token.h"
#include "common/pg/array_literal.h"
#include "common/pg/commit_wakeup.h"
#include "common/pg/transaction.h"
#include "common/resource/row.h"
#include "common/status/errors.h"
#include "common/status/status_macros.h"
#include "google/protobuf/util/json_util.h"

namespace caunoi::reports {
namespace {

// The alert producer writes as itself in the audit log.
constexpr absl::string_view kProducer = "alert-producer";

constexpr pg::Statement kGetRules{"alert_rules_get",
                                  "SELECT reminder_days::text, escalation_days, revision"
                                  " FROM reports.alert_rules WHERE document_id = $1"};
constexpr pg::Statement kSetRules{
    "alert_rules_set",
    "INSERT INTO reports.alert_rules AS r"
    " (document_id, reminder_days, escalation_days)"
    " VALUES ($1, $2::integer[], $3) ON CONFLICT (document_id) DO UPDATE SET"
    " reminder_days = excluded.reminder_days, escalation_days = excluded.escalation_days,"
    " revision = r.revision + 1,"
    " update_time = now()"
    " RETURNING reminder_days::text, escalation_days, revision"};
constexpr pg::Statement kAllRules{"alert_rules_all",
                                  "SELECT document_id, reminder_days::text, escalation_days"
                                  " FROM reports.alert_rules"};
constexpr pg::Statement kDuties{
    "alert_duties",
    "SELECT id, document_id, unit_id, coalesce(locality_id, ''),"
    " CASE WHEN commune_code IS NULL THEN '' ELSE locality_id || '/' || commune_code END,"
    " first_period, coalesce(last_period, ''), timely_days"
    " FROM reports.obligations WHERE last_day IS NULL OR last_day >= $1::date ORDER BY id"};
constexpr pg::Statement kFinished{
    "alert_finished_periods",
    "SELECT r.obligation_id, r.period FROM reports.reports r"
    " JOIN unnest($1::bigint[], $2::text[]) AS p(obligation_id, period)"
    " ON r.obligation_id = p.obligation_id AND r.period = p.period"
    " WHERE r.state IN ('SUBMITTED', 'ACCEPTED')"};
constexpr pg::Statement kRecordedKeys{
    "alert_recorded_keys",
    "SELECT item, kind, due_date::text, days_before FROM reports.alerts"
    " WHERE item = ANY($1::text[])"};
constexpr pg::Statement kProducerLock{
    "alert_producer_lock", "SELECT pg_advisory_xact_lock(hashtext('reports.alert_producer'))"};

// The deliveries an alert's change calls for: one per live webhook whose
// owner may see it and that asked for its kind.
#define CAUNOI_DELIVERIES(rows, event)                                                         \
  "INSERT INTO reports.deliveries (webhook_id, alert_id, event, message_id)"                   \
  " SELECT w.id, (x.alert).id, '" event "', 'msg_' || w.id || '_' || (x.alert).id || '_" event \
  "' FROM " rows                                                                               \
  " x JOIN reports.webhooks w ON w.delete_time IS NULL"                                        \
  " AND (w.kinds = '{}' OR (x.alert).kind = ANY(w.kinds))"                                     \
  " AND reports.alert_visible(x.alert, w.owner_role, w.owner_place, w.owner_organization_id)"  \
  " ON CONFLICT DO NOTHING"

constexpr pg::Statement kInsertAlerts{
    "alert_insert",
    "WITH fresh AS ("
    "  INSERT INTO reports.alerts AS a (kind, item, due_date, days_before, days_overdue,"
    "   document_id, unit_id, locality_id, commune_place, addressees, summary)"
    "  SELECT d.kind, d.item, d.due, d.before, d.overdue, d.document_id, d.unit_id,"
    "   nullif(d.locality_id, ''), d.place, string_to_array(d.addressees, ' '), d.summary"
    "  FROM unnest($1::text[], $2::text[], $3::date[], $4::integer[], $5::integer[],"
    "   $6::bigint[], $7::bigint[], $8::text[], $9::text[], $10::text[], $11::text[])"
    "   AS d(kind, item, due, before, overdue, document_id, unit_id, locality_id, place,"
    "   addressees, summary)"
    "  ON CONFLICT ON CONSTRAINT alert_once DO NOTHING RETURNING a AS alert),"
    " audit AS (INSERT INTO reports.audit_log (actor, action, resource, after)"
    "  SELECT $12, 'create', 'alerts/' || (x.alert).id, reports.alert_json(x.alert) FROM fresh x),"
    " deliveries AS (" CAUNOI_DELIVERIES("fresh", "created") ")"
    " SELECT count(*) FROM fresh"};
constexpr pg::Statement kResolveAlerts{
    "alert_resolve",
    "WITH open_items AS (SELECT * FROM unnest($1::text[], $2::date[]) AS o(item, due)),"
    " resolved AS ("
    "  UPDATE reports.alerts a SET state = 'RESOLVED', resolve_time = now()"
    "  WHERE a.state <> 'RESOLVED' AND a.due_date >= $3::date AND NOT EXISTS ("
    "   SELECT 1 FROM open_items o WHERE o.item = a.item AND o.due = a.due_date)"
    "  RETURNING a AS alert),"
    " audit AS (INSERT INTO reports.audit_log (actor, action, resource, after, changed_fields)"
    "  SELECT $4, 'update', 'alerts/' || (x.alert).id, reports.alert_json(x.alert), '{state}'"
    "  FROM resolved x),"
    " deliveries AS (" CAUNOI_DELIVERIES("resolved", "resolved") ")"
    " SELECT count(*) FROM resolved"};

constexpr pg::Statement kGetAlert{
    "alert_get",
    "SELECT reports.alert_json(a)::text, a.state FROM reports.alerts a"
    " WHERE a.id = $1 AND reports.alert_visible(a, $2, $3, $4)"};
constexpr pg::Statement kGetAlertForUpdate{
    "alert_get_for_update",
    "SELECT reports.alert_json(a)::text, a.state FROM reports.alerts a"
    " WHERE a.id = $1 AND reports.alert_visible(a, $2, $3, $4) FOR UPDATE"};
constexpr pg::Statement kAcknowledge{
    "alert_acknowledge",
    "UPDATE reports.alerts a SET state = 'ACKNOWLEDGED', acknowledged_by = $2,"
    " acknowledge_time = now() WHERE a.id = $1 RETURNING reports.alert_json(a)::text"};
constexpr pg::Statement kListAlerts{
    "alert_list",
    "SELECT reports.alert_json(a)::text, a.id FROM reports.alerts a"
    " WHERE reports.alert_visible(a, $1, $2, $3) AND ($4::bigint = 0 OR a.id < $4)"
    " AND ($5::text IS NULL OR a.kind = $5) AND ($6::text IS NULL OR a.state = $6)"
    " AND ($7::text IS NULL OR a.item = $7)"
    " AND ($8::text IS NULL OR a.document_id = $8::bigint)"
    " AND ($9::text IS NULL OR a.unit_id = $9::bigint)"
    " AND ($10::text IS NULL OR a.locality_id = $10)"
    " AND ($11::text IS NULL OR $11 = ANY(a.addressees))"
    " AND ($12::text IS NULL OR a.due_date = $12::date)"
    " ORDER BY a.id DESC LIMIT $13"};

// AlertKey from the key's columns as the database holds them.
std::string KeyText(absl::string_view item, absl::string_view kind, absl::string_view due,
                    int64_t days_before) {
  return absl::StrCat(item, "|", kind, "|", due, "|", days_before);
}

std::vector<pg::Param> ScopeParams(const AlertScope& scope) {
  return {scope.unit ? "unit" : "", scope.place, scope.organization_id};
}

absl::StatusOr<v1::Alert> AlertFromJson(absl::string_view json) {
  v1::Alert alert;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  if (!google::protobuf::util::JsonStringToMessage(std::string(json), &alert, options).ok()) {
    return absl::InternalError("an alert could not be read back");
  }
  return alert;
}

std::vector<int> IntArray(absl::string_view literal) {
  std::vector<int> values;
  literal = absl::StripPrefix(absl::StripSuffix(literal, "}"), "{");
  for (absl::string_view part : absl::StrSplit(literal, ',', absl::SkipEmpty())) {
    int value = 0;
    if (absl::SimpleAtoi(part, &value)) values.push_back(value);
  }
  return values;
}

v1::AlertRules RulesFromRow(const pg::Result& rows, int row, int64_t document_id) {
  resource::RowReader reader(rows, row);
  v1::AlertRules rules;
  rules.set_name(absl::StrCat("directives/", document_id, "/alertRules"));
  for (int days : IntArray(reader.Text())) rules.add_reminder_days(days);
  rules.set_escalation_days(static_cast<int32_t>(reader.Int64()));
  rules.set_etag(absl::StrCat(reader.Int64()));
  return rules;
}

std::string RulesJson(const v1::AlertRules& rules) {
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(rules, &json);
  return json;
}

}  // namespace

std::string AlertKey(absl::string_view item, v1::AlertKind kind, absl::CivilDay due,
                     int days_before) {
  return KeyText(item, api::EnumToken(kind), api::FormatIsoDate(due), days_before);
}

AlertStore::AlertStore(pg::Pool& pool) : pool_(pool), log_("reports") {}

absl::StatusOr<v1::AlertRules> AlertStore::GetRules(int64_t document_id, absl::Time deadline) {
  return pg::Transact<v1::AlertRules>(
      pool_, pg::ReadOnly(deadline),
      [&](pg::Connection& connection) -> absl::StatusOr<v1::AlertRules> {
        CAUNOI_ASSIGN_OR_RETURN(pg::Result rows,
                                connection.Execute(kGetRules, {absl::StrCat(document_id)}));
        if (rows.rows() == 0) {
          v1::AlertRules rules = DefaultAlertRules();
          rules.set_name(absl::StrCat("directives/", document_id, "/alertRules"));
          rules.set_etag("0");
          return rules;
        }
        return RulesFromRow(rows, 0, document_id);
      });
}

absl::StatusOr<v1::AlertRules> AlertStore::SetRules(int64_t document_id,
                                                    const v1::AlertRules& rules,
                                                    const resource::WriteRequest& write) {
  return pg::Transact<v1::AlertRules>(
      pool_, {.deadline = write.deadline},
      [&](pg::Connection& connection) -> absl::StatusOr<v1::AlertRules> {
        CAUNOI_ASSIGN_OR_RETURN(pg::Result before,
                                connection.Execute(kGetRules, {absl::StrCat(document_id)}));
        std::optional<v1::AlertRules> previous;
        if (before.rows() > 0) previous = RulesFromRow(before, 0, document_id);
        if (!rules.etag().empty() && rules.etag() != (previous ? previous->etag() : "0")) {
          return absl::AbortedError("the alert rules changed since they were read; read again");
        }
        std::vector<std::string> days;
        for (int day : rules.reminder_days()) days.push_back(absl::StrCat(day));
        CAUNOI_ASSIGN_OR_RETURN(
            pg::Result rows,
            connection.Execute(kSetRules, {absl::StrCat(document_id), pg::ArrayLiteral(days),
                                           absl::StrCat(rules.escalation_days())}));
        v1::AlertRules stored = RulesFromRow(rows, 0, document_id);
        log_.Append(connection, write,
                    {.action = previous ? "update" : "create",
                     .resource = stored.name(),
                     .before_json = previous ? RulesJson(*previous) : "",
                     .after_json = RulesJson(stored),
                     .changed_fields = {"reminder_days", "escalation_days"}});
        return stored;
      });
}

absl::StatusOr<absl::flat_hash_map<int64_t, AlertRuleSet>> AlertStore::AllRules(
    absl::Time deadline) {
  return pg::Transact<absl::flat_hash_map<int64_t, AlertRuleSet>>(
      pool_, pg::ReadOnly(deadline),
      [&](pg::Connection& connection)
          -> absl::StatusOr<absl::flat_hash_map<int64_t, AlertRuleSet>> {
        CAUNOI_ASSIGN_OR_RETURN(pg::Result rows, connection.Execute(kAllRules));
        absl::flat_hash_map<int64_t, AlertRuleSet> all;
        for (int i = 0; i < rows.rows(); ++i) {
          resource::RowReader reader(rows, i);
          const int64_t document_id = reader.Int64();
          AlertRuleSet& set = all[document_id];
          set.reminder_days = IntArray(reader.Text());
          set.escalation_days = static_cast<int>(reader.Int64());
        }
        return all;
      });
}

absl::StatusOr<std::vector<Duty>> AlertStore::DutiesSince(absl::CivilDay day, absl::Time deadline) {
  return pg::Transact<std::vector<Duty>>(
      pool_, pg::ReadOnly(deadline),
      [&](pg::Connection& connection) -> absl::StatusOr<std::vector<Duty>> {
        CAUNOI_ASSIGN_OR_RETURN(pg::Result rows,
                                connection.Execute(kDuties, {api::FormatIsoDate(day)}));
        std::vector<Duty> duties(rows.rows());
        for (int i = 0; i < rows.rows(); ++i) {
          resource::RowReader reader(rows, i);
          Duty& duty = duties[i];
          duty.obligation_id = reader.Int64();
          duty.document_id = reader.Int64();
          duty.unit_id = reader.Int64();
          duty.locality_id = reader.Text();
          duty.commune_place = reader.Text();
          duty.first_period = reader.Text();
          duty.last_period = reader.Text();
          duty.timely_days = static_cast<int>(reader.Int64());
        }
        return duties;
      });
}

absl::StatusOr<std::set<std::pair<int64_t, std::string>>> AlertStore::FinishedPeriods(
    std::span<const std::pair<int64_t, std::string>> periods, absl::Time deadline) {
  std::vector<std::string> ids, labels;
  for (const auto& [id, label] : periods) {
    ids.push_back(absl::StrCat(id));
    labels.push_back(label);
  }
  return pg::Transact<std::set<std::pair<int64_t, std::string>>>(
      pool_, pg::ReadOnly(deadline),
      [&](pg::Connection& connection) -> absl::StatusOr<std::set<std::pair<int64_t, std::string>>> {
        CAUNOI_ASSIGN_OR_RETURN(
            pg::Result rows,
            connection.Execute(kFinished, {pg::ArrayLiteral(ids), pg::ArrayLiteral(labels)}));
        std::set<std::pair<int64_t, std::string>> finished;
        for (int i = 0; i < rows.rows(); ++i) {
          resource::RowReader reader(rows, i);
          const int64_t id = reader.Int64();
          finished.emplace(id, reader.Text());
        }
        return finished;
      });
}

absl::StatusOr<absl::flat_hash_set<std::string>> AlertStore::RecordedKeys(
    std::span<const std::string> items, absl::Time deadline) {
  return pg::Transact<absl::flat_hash_set<std::string>>(
      pool_, pg::ReadOnly(deadline),
      [&](pg::Connection& connection) -> absl::StatusOr<absl::flat_hash_set<std::string>> {
        CAUNOI_ASSIGN_OR_RETURN(pg::Result rows,
                                connection.Execute(kRecordedKeys, {pg::ArrayLiteral(items)}));
        absl::flat_hash_set<std::string> keys;
        for (int i = 0; i < rows.rows(); ++i) {
          resource::RowReader reader(rows, i);
          const std::string item = reader.Text();
          const std::string kind = reader.Text();
          const std::string due = reader.Text();
          keys.insert(KeyText(item, kind, due, reader.Int64()));
        }
        return keys;
      });
}

absl::StatusOr<int> AlertStore::RecordAlerts(std::span<const AlertDraft> drafts,
                                             absl::Time deadline) {
  if (drafts.empty()) return 0;
  std::vector<pg::Param> kinds, items, dues, befores, overdues, documents, units, localities,
      places, addressees, summaries;
  for (const AlertDraft& draft : drafts) {
    kinds.emplace_back(api::EnumToken(draft.kind));
    items.emplace_back(draft.item);
    dues.emplace_back(api::FormatIsoDate(draft.due));
    befores.emplace_back(absl::StrCat(draft.days_before));
    overdues.emplace_back(absl::StrCat(draft.days_overdue));
    documents.emplace_back(absl::StrCat(draft.document_id));
    units.push_back(draft.unit_id ? pg::Param(absl::StrCat(*draft.unit_id)) : pg::Param());
    localities.emplace_back(draft.locality_id);
    places.emplace_back(draft.commune_place);
    addressees.emplace_back(absl::StrJoin(draft.addressees, " "));
    summaries.emplace_back(draft.summary);
  }
  return pg::Transact<int>(
      pool_, {.deadline = deadline}, [&](pg::Connection& connection) -> absl::StatusOr<int> {
        CAUNOI_RETURN_IF_ERROR(connection.Execute(kProducerLock).status());
        // Alerts are audited, and so become changes.
        connection.AfterCommit([] { pg::WakeAfterCommit(pg::ChangesChannel("reports")); });
        CAUNOI_ASSIGN_OR_RETURN(
            pg::Result inserted,
            connection.Execute(
                kInsertAlerts,
                {pg::ArrayLiteral(kinds), pg::ArrayLiteral(items), pg::ArrayLiteral(dues),
                 pg::ArrayLiteral(befores), pg::ArrayLiteral(overdues), pg::ArrayLiteral(documents),
                 pg::ArrayLiteral(units), pg::ArrayLiteral(localities), pg::ArrayLiteral(places),
                 pg::ArrayLiteral(addressees), pg::ArrayLiteral(summaries),
                 std::string(kProducer)}));
        CAUNOI_ASSIGN_OR_RETURN(const int64_t count, inserted.Int64(0, 0));
        return static_cast<int>(count);
      });
}

absl::StatusOr<int> AlertStore::ResolveAlerts(std::span<const OpenItem> open,
                                              absl::CivilDay resolve_from, absl::Time deadline) {
  std::vector<std::string> open_items, open_dues;
  for (const OpenItem& item : open) {
    open_items.push_back(item.item);
    open_dues.push_back(api::FormatIsoDate(item.due));
  }
  return pg::Transact<int>(
      pool_, {.deadline = deadline}, [&](pg::Connection& connection) -> absl::StatusOr<int> {
        CAUNOI_RETURN_IF_ERROR(connection.Execute(kProducerLock).status());
        connection.AfterCommit([] { pg::WakeAfterCommit(pg::ChangesChannel("reports")); });
        CAUNOI_ASSIGN_OR_RETURN(
            pg::Result resolved,
            connection.Execute(kResolveAlerts,
                               {pg::ArrayLiteral(open_items), pg::ArrayLiteral(open_dues),
                                api::FormatIsoDate(resolve_from), std::string(kProducer)}));
        CAUNOI_ASSIGN_OR_RETURN(const int64_t count, resolved.Int64(0, 0));
        return static_cast<int>(count);
      });
}

absl::StatusOr<v1::Alert> AlertStore::Get(int64_t id, const AlertScope& scope,
                                          absl::Time deadline) {
  return pg::Transact<v1::Alert>(
      pool_, pg::ReadOnly(deadline), [&](pg::Connection& connection) -> absl::StatusOr<v1::Alert> {
        std::vector<pg::Param> params = {absl::StrCat(id)};
        for (pg::Param& param : ScopeParams(scope)) params.push_back(std::move(param));
        CAUNOI_ASSIGN_OR_RETURN(pg::Result rows, connection.Execute(kGetAlert, params));
        if (rows.rows() == 0) {
          return absl::NotFoundError(absl::StrCat("alerts/", id, " does not exist"));
        }
        return AlertFromJson(rows.Text(0, 0));
      });
}

absl::StatusOr<v1::ListAlertsResponse> AlertStore::List(
    const std::vector<std::optional<std::string>>& bound, const AlertScope& scope,
    int64_t before_id, int limit, absl::Time deadline) {
  return pg::Transact<v1::ListAlertsResponse>(
      pool_, pg::ReadOnly(deadline),
      [&](pg::Connection& connection) -> absl::StatusOr<v1::ListAlertsResponse> {
        std::vector<pg::Param> params = ScopeParams(scope);
        params.emplace_back(absl::StrCat(before_id));
        for (const std::optional<std::string>& value : bound) params.push_back(value);
        params.emplace_back(absl::StrCat(limit));
        CAUNOI_ASSIGN_OR_RETURN(pg::Result rows, connection.Execute(kListAlerts, params));
        v1::ListAlertsResponse response;
        int64_t last_id = 0;
        for (int i = 0; i < rows.rows(); ++i) {
          CAUNOI_ASSIGN_OR_RETURN(*response.add_alerts(), AlertFromJson(rows.Text(i, 0)));
          CAUNOI_ASSIGN_OR_RETURN(last_id, rows.Int64(i, 1));
        }
        if (rows.rows() == limit) response.set_next_page_token(absl::StrCat(last_id));
        return response;
      });
}

absl::StatusOr<v1::Alert> AlertStore::Acknowledge(int64_t id, const AlertScope& scope,
                                                  const resource::WriteRequest& write) {
  return pg::Transact<v1::Alert>(
      pool_, {.deadline = write.deadline},
      [&](pg::Connection& connection) -> absl::StatusOr<v1::Alert> {
        std::vector<pg::Param> params = {absl::StrCat(id)};
        for (pg::Param& param : ScopeParams(scope)) params.push_back(std::move(param));
        CAUNOI_ASSIGN_OR_RETURN(pg::Result rows, connection.Execute(kGetAlertForUpdate, params));
        if (rows.rows() == 0) {
          return absl::NotFoundError(absl::StrCat("alerts/", id, " does not exist"));
        }
        const std::string before(rows.Text(0, 0));
        const absl::string_view state = rows.Text(0, 1);
        if (state == "RESOLVED") {
          return ErrorWithReason(absl::StatusCode::kFailedPrecondition,
                                 absl::StrCat("alerts/", id,
                                              " is resolved: its item was finished"
                                              " or its due date moved"),
                                 "ALERT_RESOLVED");
        }
        if (state == "ACKNOWLEDGED") return AlertFromJson(before);
        CAUNOI_ASSIGN_OR_RETURN(pg::Result updated,
                                connection.Execute(kAcknowledge, {absl::StrCat(id), write.actor}));
        const std::string after(updated.Text(0, 0));
        log_.Append(connection, write,
                    {.action = "update",
                     .resource = absl::StrCat("alerts/", id),
                     .before_json = before,
                     .after_json = after,
                     .changed_fields = {"state", "acknowledged_by"}});
        return AlertFromJson(after);
      });
}

}  // namespace caunoi::reports
