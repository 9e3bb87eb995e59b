#include "services/directives/directives_store.h"

#include <algorithm>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "common/api/commune_name.h"
#include "common/api/dates.h"
#include "common/api/locality_name.h"
#include "common/api/resource_name.h"
#include "common/pg/transaction.h"
#include "common/resource/resource_helpers.h"
#include "common/resource/row.h"
#include "common/status/errors.h"
#include "common/status/status_macros.h"
#include "services/directives/resources/document_columns.h"
#include "services/directives/resources/resources.h"
#include "services/directives/symbol.h"

namespace caunoi::directives {
namespace {

// Each descendant once, at its shortest depth (kept in the closure: the
// graph may reach a document by several paths), with its lag from the root
// in days, and on every row the localities the whole cascade reached (the
// page may hold only some of them): a page past the end is a lone row of
// NULLs carrying them. The page is chosen on narrow rows (id, depth, date)
// and only its documents are read whole: sorting every descendant's whole
// row cost more than the rest of the statement.
constexpr pg::Statement kCascade{
    "document_cascade",
    "WITH reached AS MATERIALIZED ("
    "   SELECT c.descendant_id AS id, c.depth, k.issue_date, k.current_locality_id"
    "   FROM directives.document_closure c JOIN directives.documents k ON k.id = c.descendant_id"
    "   WHERE c.ancestor_id = $1)"
    " SELECT " CAUNOI_DOCUMENT_COLUMNS
    ", p.depth, p.lag, u.localities"
    " FROM (SELECT string_agg(l, ',') AS localities FROM (SELECT DISTINCT current_locality_id"
    "   FROM reached WHERE current_locality_id IS NOT NULL) AS r (l)) u"
    " LEFT JOIN ((SELECT s.id, s.depth, s.issue_date, s.issue_date - r.issue_date AS lag"
    "   FROM reached s JOIN directives.documents r ON r.id = $1"
    "   WHERE (s.depth, s.issue_date, s.id) > ($2::int, $3::date, $4::bigint)"
    "   ORDER BY s.depth, s.issue_date, s.id LIMIT $5) p"
    "   JOIN directives.documents d ON d.id = p.id) ON true"
    " ORDER BY p.depth, p.issue_date, p.id"};

// Open tasks by due date, for the alert producer (tasks_by_due_date).
constexpr pg::Statement kTasksFallingDue{
    "tasks_falling_due",
    "SELECT t.id, t.document_id, t.number, t.title, coalesce(t.lead_id::text, ''), t.due_date,"
    " d.symbol, coalesce(d.issuing_organization_id::text, ''),"
    " coalesce(d.current_locality_id, ''), t.commune_place"
    " FROM directives.tasks t JOIN directives.documents d ON d.id = t.document_id"
    " WHERE t.completed_date IS NULL AND t.due_date BETWEEN $1::date AND $2::date"
    "   AND (t.due_date, t.id) > ($3::date, $4::bigint)"
    "   AND ($6::text IS NULL OR d.locality_id = $6 OR d.current_locality_id = $6)"
    " ORDER BY t.due_date, t.id LIMIT $5"};

// Rows of (unit, kind, key, symbol, date, value) for the documents below
// $1, their tasks by status (from the tallies), their dissemination events
// and, per document, its communes with a task done ('acting': the codes
// joined by commas, under the document's locality). The unit is today's
// locality or, drilling down into locality $2, its place: the locality
// itself or "01/00004" for a commune's. Nationally the communes' documents
// are 'counted' per locality, not listed: their ids and their communes'
// codes, each joined by commas (a row each cost PostgreSQL and the server
// more than the joining). A commune with a document has acted too: the
// server adds it from these rows. In no order. $2 is always written
// "$2::text": the national statement below is this text with NULL put in
// its place.
constexpr pg::Statement kImplementationStatus{
    "document_implementation_status",
    "WITH below AS (SELECT descendant_id AS id FROM directives.document_closure"
    "   WHERE ancestor_id = $1),"
    " docs AS (SELECT d.id, d.symbol, d.issue_date, d.current_locality_id AS locality,"
    "   d.commune_code,"
    "   d.current_locality_id || CASE WHEN $2::text IS NOT NULL AND d.commune_code IS NOT NULL"
    "     THEN '/' || d.commune_code ELSE '' END AS unit,"
    "   d.issue_date - (SELECT r.issue_date FROM directives.documents r WHERE r.id = $1) AS lag,"
    "   $2::text IS NULL AND (d.level = 'COMMUNE' OR d.commune_code IS NOT NULL) AS counted"
    "   FROM directives.documents d JOIN below USING (id)"
    "   WHERE d.current_locality_id IS NOT NULL"
    "     AND ($2::text IS NULL OR d.current_locality_id = $2::text)),"
    // The documents' ids as one array, so that the tallies are read through
    // their keys whatever the planner guesses of the recursion.
    " ids AS (SELECT array_agg(id) AS ids FROM docs),"
    " acting AS (SELECT docs.locality, array_to_string(a.communes, ',') AS communes"
    "   FROM directives.acting_communes a JOIN docs ON docs.id = a.document_id"
    "   WHERE a.document_id = ANY((SELECT ids FROM ids)::bigint[])"
    "     AND cardinality(a.communes) > 0),"
    // Each unit's counts, open tasks split at the horizon. Drilling down, a
    // commune's tasks move from its document's place to the commune's.
    " counts AS (SELECT docs.unit, c.before_horizon, c.from_horizon, c.done_on_time,"
    "   c.done_late FROM directives.task_counts c JOIN docs ON docs.id = c.document_id"
    "   UNION ALL SELECT u.unit, u.sign * c.before_horizon, u.sign * c.from_horizon,"
    "   u.sign * c.done_on_time, u.sign * c.done_late"
    "   FROM directives.commune_task_counts c JOIN docs ON docs.id = c.document_id"
    "   CROSS JOIN LATERAL (VALUES (docs.locality || '/' || c.commune_code, 1),"
    "     (docs.unit, -1)) AS u (unit, sign)"
    "   WHERE $2::text IS NOT NULL AND c.document_id = ANY((SELECT ids FROM ids)::bigint[])),"
    " per_unit AS (SELECT unit, sum(before_horizon) AS before_horizon,"
    "   sum(from_horizon) AS from_horizon, sum(done_on_time) AS done_on_time,"
    "   sum(done_late) AS done_late FROM counts GROUP BY 1),"
    // The open tasks due between the horizon and today (a day or so), each
    // unit's as its counts are. They are read by due date on their own
    // (MATERIALIZED) and only then matched to the documents: the plan kept
    // for the statement otherwise guesses a few documents and probes the
    // tallies once per document, a few milliseconds nationally.
    " due_between AS MATERIALIZED (SELECT t.document_id, t.due_key, t.tasks, h.day"
    "   FROM directives.task_horizon h JOIN directives.task_tallies t"
    "     ON t.outcome = 'OPEN' AND t.due_key >= least(h.day, " CAUNOI_TODAY
    ")"
    "     AND t.due_key < greatest(h.day, " CAUNOI_TODAY
    ")),"
    " commune_due_between AS MATERIALIZED (SELECT t.document_id, t.commune_code, t.due_key,"
    "   t.tasks, h.day FROM directives.task_horizon h JOIN directives.commune_task_tallies t"
    "     ON t.outcome = 'OPEN' AND t.due_key >= least(h.day, " CAUNOI_TODAY
    ")"
    "     AND t.due_key < greatest(h.day, " CAUNOI_TODAY
    ")),"
    " open_between AS (SELECT docs.unit, b.due_key, b.tasks, b.day"
    "   FROM due_between b JOIN docs ON docs.id = b.document_id"
    "   UNION ALL SELECT u.unit, b.due_key, u.sign * b.tasks, b.day"
    "   FROM commune_due_between b JOIN docs ON docs.id = b.document_id"
    "   CROSS JOIN LATERAL (VALUES (docs.locality || '/' || b.commune_code, 1),"
    "     (docs.unit, -1)) AS u (unit, sign)"
    "   WHERE $2::text IS NOT NULL),"
    // Open tasks as if due on -infinity (before the horizon) or infinity
    // (from it); those due between the horizon and today moved to their
    // own due date.
    " task_rows AS (SELECT p.unit, side.outcome, side.due_key, side.tasks"
    "   FROM per_unit p"
    "   CROSS JOIN LATERAL (VALUES ('OPEN', '-infinity'::date, p.before_horizon),"
    "     ('OPEN', 'infinity'::date, p.from_horizon),"
    "     ('DONE_ON_TIME', 'infinity'::date, p.done_on_time),"
    "     ('DONE_LATE', 'infinity'::date, p.done_late)) AS side (outcome, due_key, tasks)"
    "   UNION ALL SELECT o.unit, 'OPEN', moved.due_key, moved.tasks FROM open_between o"
    "   CROSS JOIN LATERAL (VALUES (o.due_key, o.tasks), (CASE WHEN o.due_key < o.day"
    "     THEN '-infinity'::date ELSE 'infinity'::date END, -o.tasks)) AS moved (due_key, tasks)),"
    " task_counts AS (SELECT unit,"
    "   CASE WHEN outcome <> 'OPEN' THEN outcome"
    "        WHEN due_key < " CAUNOI_TODAY
    " THEN 'OPEN_OVERDUE' ELSE 'OPEN_WITHIN_DEADLINE' END AS status,"
    "   sum(tasks)::bigint AS n FROM task_rows GROUP BY 1, 2 HAVING sum(tasks) > 0),"
    " events AS (SELECT docs.unit, count(*) AS n, sum(e.head_count)::bigint AS heads"
    "   FROM directives.dissemination_events e JOIN docs ON docs.id = e.document_id"
    "   GROUP BY 1)"
    " SELECT unit, 'document', id::text, symbol, issue_date::text, lag::bigint FROM docs"
    "   WHERE NOT counted"
    " UNION ALL SELECT unit, 'counted', string_agg(id::text, ','), string_agg(commune_code, ','),"
    "   NULL, 0 FROM docs WHERE counted GROUP BY unit"
    " UNION ALL SELECT unit, 'tasks', status, NULL, NULL, n FROM task_counts"
    " UNION ALL SELECT unit, 'events', n::text, NULL, NULL, heads FROM events"
    " UNION ALL SELECT locality, 'acting', communes, NULL, NULL, 0 FROM acting"};

// The same nationally, the locality NULL in the text itself: the plan
// PostgreSQL then keeps for it leaves out what only a drill-down reads.
// Planned once rather than on each call, a call costs it a millisecond or
// two less.
const pg::Statement& NationalImplementationStatus() {
  static const auto* sql =
      new std::string(absl::StrReplaceAll(kImplementationStatus.sql, {{"$2::text", "NULL::text"}}));
  static const pg::Statement statement{"document_implementation_status_national", *sql};
  return statement;
}

constexpr pg::Statement kAdvanceTaskHorizon{
    "advance_task_horizon", "SELECT directives.advance_task_horizon(" CAUNOI_TODAY ")::text"};

// Overdue per document: those due before the horizon, with those due
// between it and today (or less those due between today and a horizon
// ahead of it); the longest overdue from the earliest open due date. Only
// current locality $1's documents, unless NULL.
constexpr pg::Statement kOverdueByLocality{
    "task_overdue_by_locality",
    "WITH h AS (SELECT day, " CAUNOI_TODAY
    " AS today FROM directives.task_horizon),"
    " moved AS (SELECT t.document_id,"
    "   sum(CASE WHEN t.due_key < h.day THEN -t.tasks ELSE t.tasks END) AS tasks"
    "   FROM directives.task_tallies t CROSS JOIN h"
    "   WHERE t.outcome = 'OPEN' AND t.due_key >= least(h.day, h.today)"
    "     AND t.due_key < greatest(h.day, h.today) GROUP BY 1),"
    " overdue AS (SELECT o.document_id, d.current_locality_id AS locality,"
    "   o.before_horizon + coalesce(m.tasks, 0) AS tasks"
    "   FROM directives.task_counts o JOIN directives.documents d ON d.id = o.document_id"
    "   LEFT JOIN moved m USING (document_id)"
    "   WHERE o.before_horizon + coalesce(m.tasks, 0) > 0"
    "     AND ($1::text IS NULL OR d.current_locality_id = $1))"
    " SELECT coalesce(o.locality, ''), sum(o.tasks)::bigint,"
    "   (SELECT today FROM h) - min((SELECT min(t.due_key) FROM directives.task_tallies t"
    "     WHERE t.document_id = o.document_id AND t.outcome = 'OPEN' AND t.tasks > 0))"
    " FROM overdue o GROUP BY 1 ORDER BY 2 DESC, 1"};

}  // namespace

absl::StatusOr<CascadePage> DirectivesStore::GetCascade(absl::string_view name,
                                                        absl::string_view id,
                                                        const CascadeKey& after, int limit,
                                                        absl::Time deadline) {
  return pg::Transact<CascadePage>(
      pool_, pg::ReadOnly(deadline),
      [&](pg::Connection& connection) -> absl::StatusOr<CascadePage> {
        CascadePage page;
        v1::GetCascadeResponse& response = page.response;
        // The root, and the page with the localities reached, in one round trip.
        CAUNOI_ASSIGN_OR_RETURN(std::vector<pg::Result> read,
                                connection.ExecuteTogether(
                                    {{kDocumentSpec.table.select, {std::string(id)}},
                                     {kCascade,
                                      {std::string(id), absl::StrCat(after.depth), after.issue_date,
                                       absl::StrCat(after.id), absl::StrCat(limit)}}}));
        CAUNOI_ASSIGN_OR_RETURN(*response.mutable_root(),
                                resources_.FromSelect(kDocumentSpec.table, read[0], name));
        const pg::Result& below = read[1];
        for (int i = 0; i < below.rows(); ++i) {
          if (below.IsNull(i, 0)) break;  // the page is past the end
          resource::RowReader row(below, i);
          v1::CascadeEntry* entry = response.add_entries();
          *entry->mutable_document() = DocumentFromRow(row);
          entry->set_depth(static_cast<int32_t>(row.Int64()));
          entry->set_lag_days(static_cast<int32_t>(row.Int64()));
        }
        if (response.entries_size() == limit) {
          const v1::CascadeEntry& last = response.entries(response.entries_size() - 1);
          page.last = CascadeKey{.depth = last.depth(),
                                 .issue_date = api::FormatIsoDate(
                                     api::ToCivilDayUnchecked(last.document().issue_date())),
                                 .id = std::string(api::ResourceId(last.document().name()))};
        }
        const int localities = below.columns() - 1;
        if (below.rows() > 0 && !below.IsNull(0, localities)) {
          for (absl::string_view id : absl::StrSplit(below.Text(0, localities), ',')) {
            page.reached_localities.insert(LocalityName(id));
          }
        }
        return page;
      });
}

absl::StatusOr<v1::GetImplementationStatusResponse> DirectivesStore::GetImplementationStatus(
    absl::string_view name, absl::string_view id, const pg::Param& locality_id,
    bool communes_by_code, absl::Time deadline) {
  return pg::Transact<v1::GetImplementationStatusResponse>(
      pool_, pg::ReadOnly(deadline),
      [&](pg::Connection& connection) -> absl::StatusOr<v1::GetImplementationStatusResponse> {
        // A root that does not exist is NOT_FOUND, not an empty answer.
        CAUNOI_RETURN_IF_ERROR(resources_.Read(connection, kDocumentSpec.table, name, id).status());
        CAUNOI_ASSIGN_OR_RETURN(
            pg::Result rows,
            locality_id ? connection.Execute(kImplementationStatus, {std::string(id), locality_id})
                        : connection.Execute(NationalImplementationStatus(), {std::string(id)}));
        // The rows come in no order (sorting every one of them cost
        // PostgreSQL more than the whole answer's assembly): each unit's
        // entry is found by name, and put in order at the end.
        absl::flat_hash_map<std::string, v1::LocalityImplementation> units;
        std::vector<std::string> below;  // listed or counted, by name
        CommuneCodes acting;             // per locality id, its communes that acted
        for (int i = 0; i < rows.rows(); ++i) {
          resource::RowReader row(rows, i);
          const std::string unit = row.Text();
          auto [at, added] = units.try_emplace(unit);
          v1::LocalityImplementation& locality = at->second;
          if (added) locality.set_locality(PlaceName(unit));
          const std::string kind = row.Text();
          const std::string key = row.Text();
          if (kind == "document") {
            v1::ImplementingDocument* document = locality.add_documents();
            document->set_name(api::FormatResourceName(kDocumentPattern, {key}));
            below.push_back(document->name());
            document->set_symbol(row.Text());
            if (auto date = row.OptionalDate()) *document->mutable_issue_date() = *date;
            document->set_lag_days(static_cast<int32_t>(row.Int64()));
            // Drilled down, a commune's document is its commune's: "01/00004".
            const absl::string_view place = rows.Text(i, 0);
            if (const size_t slash = place.find('/'); slash != absl::string_view::npos) {
              acting[place.substr(0, slash)].push_back(place.substr(slash + 1));
            }
          } else if (kind == "counted") {
            for (absl::string_view id : absl::StrSplit(rows.Text(i, 2), ',')) {
              locality.set_commune_documents(locality.commune_documents() + 1);
              below.push_back(api::FormatResourceName(kDocumentPattern, {std::string(id)}));
            }
            if (!rows.IsNull(i, 3)) AddJoinedCodes(rows.Text(i, 0), rows.Text(i, 3), acting);
          } else if (kind == "acting") {
            AddJoinedCodes(rows.Text(i, 0), rows.Text(i, 2), acting);
          } else if (kind == "tasks") {
            row.Skip(2);
            (*locality.mutable_tasks_by_status())[key] = row.Int64();
          } else {
            row.Skip(2);
            int64_t events = 0;
            absl::SimpleAtoi(key, &events);
            locality.set_dissemination_events(events);
            locality.set_disseminated_head_count(row.Int64());
          }
        }
        // A locality whose communes acted is listed though nothing else is
        // its own.
        for (const auto& [locality_id, codes] : acting) {
          auto [at, added] = units.try_emplace(locality_id);
          if (added) at->second.set_locality(PlaceName(locality_id));
        }
        std::vector<std::string> order;
        order.reserve(units.size());
        for (const auto& [unit, locality] : units) order.push_back(unit);
        std::sort(order.begin(), order.end());
        v1::GetImplementationStatusResponse response;
        response.mutable_documents_below()->Reserve(static_cast<int>(below.size()));
        for (std::string& name : below) response.add_documents_below(std::move(name));
        response.mutable_localities()->Reserve(static_cast<int>(order.size()));
        for (const std::string& unit : order) {
          v1::LocalityImplementation& locality = units[unit];
          // Earliest first, then by id: "directives/{id}" names of one
          // length compare as their numbers do.
          auto& documents = *locality.mutable_documents();
          std::sort(documents.pointer_begin(), documents.pointer_end(),
                    [](const v1::ImplementingDocument* a, const v1::ImplementingDocument* b) {
                      return std::make_tuple(a->lag_days(), a->name().size(),
                                             absl::string_view(a->name())) <
                             std::make_tuple(b->lag_days(), b->name().size(),
                                             absl::string_view(b->name()));
                    });
          if (auto found = acting.find(unit); found != acting.end()) {
            AddCommunes(unit, found->second, communes_by_code, *locality.mutable_acting_communes(),
                        *locality.mutable_acting_commune_codes());
          }
          *response.add_localities() = std::move(locality);
        }
        return response;
      });
}

absl::StatusOr<FallingDuePage> DirectivesStore::ListTasksFallingDue(
    absl::CivilDay from, absl::CivilDay to, const pg::Param& locality_id,
    const FallingDueKey& after, int limit, absl::Time deadline) {
  return pg::Transact<FallingDuePage>(
      pool_, pg::ReadOnly(deadline),
      [&](pg::Connection& connection) -> absl::StatusOr<FallingDuePage> {
        CAUNOI_ASSIGN_OR_RETURN(
            pg::Result rows,
            connection.Execute(
                kTasksFallingDue,
                {api::FormatIsoDate(from), api::FormatIsoDate(to), api::FormatIsoDate(after.due),
                 absl::StrCat(after.id), absl::StrCat(limit), locality_id}));
        FallingDuePage page;
        v1::ListTasksFallingDueResponse& response = page.response;
        FallingDueKey last;
        for (int i = 0; i < rows.rows(); ++i) {
          resource::RowReader row(rows, i);
          v1::TaskFallingDue& task = *response.add_tasks();
          last.id = row.Int64();
          const std::string document_id = row.Text();
          task.set_document(api::FormatResourceName(kDocumentPattern, {document_id}));
          task.set_task(absl::StrCat(task.document(), "/tasks/", last.id));
          task.set_number(row.Text());
          task.set_title(row.Text());
          const std::string lead = row.Text();
          if (!lead.empty()) task.set_lead(absl::StrCat("organizations/", lead));
          if (std::optional<v1::Date> due = row.OptionalDate()) {
            *task.mutable_due_date() = *due;
            last.due = api::ToCivilDayUnchecked(*due);
          }
          task.set_document_symbol(row.Text());
          const std::string issuer = row.Text();
          if (!issuer.empty())
            task.set_issuing_organization(absl::StrCat("organizations/", issuer));
          const std::string locality = row.Text();
          if (!locality.empty()) task.set_current_locality(LocalityName(locality));
          if (const std::string place = row.Text(); !place.empty()) {
            task.set_commune(PlaceName(place));
          }
        }
        if (rows.rows() == limit) page.last = last;
        return page;
      });
}

absl::StatusOr<v1::SummarizeOverdueTasksResponse> DirectivesStore::SummarizeOverdueTasks(
    const pg::Param& locality_id, absl::Time deadline) {
  return pg::Transact<v1::SummarizeOverdueTasksResponse>(
      pool_, pg::ReadOnly(deadline),
      [&](pg::Connection& connection) -> absl::StatusOr<v1::SummarizeOverdueTasksResponse> {
        CAUNOI_ASSIGN_OR_RETURN(pg::Result rows,
                                connection.Execute(kOverdueByLocality, {locality_id}));
        v1::SummarizeOverdueTasksResponse response;
        for (int i = 0; i < rows.rows(); ++i) {
          resource::RowReader row(rows, i);
          v1::LocalityOverdue* overdue = response.add_localities();
          const std::string unit = row.Text();
          if (!unit.empty()) overdue->set_locality(LocalityName(unit));
          overdue->set_overdue_tasks(row.Int64());
          overdue->set_max_days_overdue(static_cast<int32_t>(row.Int64()));
        }
        return response;
      });
}

absl::StatusOr<std::string> DirectivesStore::AdvanceTaskHorizon(absl::Time deadline) {
  return pg::Transact<std::string>(pool_, {.deadline = deadline},
                                   [&](pg::Connection& connection) -> absl::StatusOr<std::string> {
                                     CAUNOI_ASSIGN_OR_RETURN(
                                         pg::Result day, connection.Execute(kAdvanceTaskHorizon));
                                     return std::string(day.Text(0, 0));
                                   });
}

}  // namespace caunoi::directives
