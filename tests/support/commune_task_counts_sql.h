#ifndef CAUNOI_TESTS_SUPPORT_COMMUNE_TASK_COUNTS_SQL_H_
#define CAUNOI_TESTS_SUPPORT_COMMUNE_TASK_COUNTS_SQL_H_

namespace caunoi::testing {

// A commune's tasks per document, open ones split at the task horizon, as
// kept and as recomputed from the tasks: equal rows, in the same order.
inline constexpr char kKeptCommuneTaskCounts[] =
    "SELECT document_id, commune_code, before_horizon, from_horizon, done_on_time, done_late"
    " FROM directives.commune_task_counts WHERE before_horizon <> 0 OR from_horizon <> 0"
    " OR done_on_time <> 0 OR done_late <> 0 ORDER BY 1, 2";
inline constexpr char kRecomputedCommuneTaskCounts[] =
    "SELECT document_id, split_part(commune_place, '/', 2),"
    " count(*) FILTER (WHERE completed_date IS NULL AND due_date < h.day),"
    " count(*) FILTER (WHERE completed_date IS NULL AND (due_date >= h.day OR due_date IS NULL)),"
    " count(*) FILTER (WHERE completed_date <= due_date"
    "   OR completed_date IS NOT NULL AND due_date IS NULL),"
    " count(*) FILTER (WHERE completed_date > due_date)"
    " FROM directives.tasks CROSS JOIN directives.task_horizon h WHERE commune_place <> ''"
    " GROUP BY 1, 2 ORDER BY 1, 2";

// Each document's communes with a task done, as kept and as recomputed
// from the tasks: the codes in order, joined by commas.
inline constexpr char kKeptActingCommunes[] =
    "SELECT document_id, array_to_string(ARRAY(SELECT unnest(communes) ORDER BY 1), ',')"
    " FROM directives.acting_communes WHERE cardinality(communes) > 0 ORDER BY 1";
inline constexpr char kRecomputedActingCommunes[] =
    "SELECT document_id, string_agg(DISTINCT split_part(commune_place, '/', 2), ','"
    "   ORDER BY split_part(commune_place, '/', 2))"
    " FROM directives.tasks WHERE commune_place <> '' AND completed_date IS NOT NULL"
    " GROUP BY 1 ORDER BY 1";

}  // namespace caunoi::testing

#endif  // CAUNOI_TESTS_SUPPORT_COMMUNE_TASK_COUNTS_SQL_H_
