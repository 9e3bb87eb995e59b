// Timestamped progress entries on a task.
#include "services/directives/resources/resources.h"

namespace caunoi::directives {
namespace {

constexpr resource::Column kColumns[] = {
    {.field = "note", .text = resource::kNoteText},
    {.field = "percent", .max = 100},
    {.field = "author"},
};

constexpr resource::StoredTable kTable = {
    .names = {"progress", "progress_update", "directives.progress_updates", kProgressPattern},
    .columns = kColumns,
    .parent_ids = "t.document_id, r.task_id",
    .joins = "JOIN directives.tasks t ON t.id = r.task_id",
    // Guarded: the task must belong to the document named.
    .insert =
        "INSERT INTO directives.progress_updates (task_id, note, percent, author)"
        " SELECT t.id, $3, $4, $5 FROM directives.tasks t"
        " WHERE t.id = $2 AND t.document_id = $1 RETURNING id",
    .list =
        "WHERE t.document_id = $3 AND r.task_id = $4 AND ($1::bigint IS NULL OR r.id > $1)"
        " ORDER BY r.id LIMIT $2",
};

}  // namespace

CAUNOI_DEFINE_STANDARD_RESOURCE(ProgressUpdate, kProgressSpec, kProgressList, kTable, nullptr,
                                nullptr);

}  // namespace caunoi::directives
