// Timestamped progress entries on a task.
#include "services/directives/resources/resources.h"

namespace caunoi::directives {
namespace {

#define CAUNOI_PROGRESS_COLUMNS \
  "p.id, t.document_id, p.task_id, p.note, p.percent, p.author, " CAUNOI_STANDARD_COLUMNS("p")
#define CAUNOI_PROGRESS_FROM \
  "directives.progress_updates p JOIN directives.tasks t ON t.id = p.task_id"

constexpr resource::Column kColumns[] = {{"note"}, {"percent"}, {"author"}};
constexpr auto kUpdatable = resource::FieldsOf(kColumns);

absl::Status Validate(const v1::ProgressUpdate& update) {
  if (update.percent() < 0 || update.percent() > 100) {
    return InvalidFieldError("progress_update.percent", "must be 0..100");
  }
  CAUNOI_RETURN_IF_ERROR(api::ValidateText(update.note(), "progress_update.note",
                                           {.max_chars = api::kMaxNoteChars, .multiline = true}));
  return api::ValidateText(update.author(), "progress_update.author", {});
}

}  // namespace

v1::ProgressUpdate ProgressFromRow(resource::RowReader& row) {
  v1::ProgressUpdate update;
  const std::string id = row.Text();
  const std::string document_id = row.Text();
  update.set_name(api::FormatResourceName(kProgressPattern, {document_id, row.Text(), id}));
  resource::ReadColumns(row, update, kColumns);
  ReadStandardColumns(row, update);
  return update;
}

const resource::ResourceSpec<v1::ProgressUpdate> kProgressSpec = {
    .table =
        {
            .pattern = kProgressPattern,
            .select = {"progress_get", "SELECT " CAUNOI_PROGRESS_COLUMNS
                                       " FROM " CAUNOI_PROGRESS_FROM " WHERE p.id = $1"},
            // Guarded: the task must belong to the document named.
            .insert = {"progress_insert",
                       "INSERT INTO directives.progress_updates (task_id, note, percent, author)"
                       " SELECT t.id, $3, $4, $5 FROM directives.tasks t"
                       " WHERE t.id = $2 AND t.document_id = $1 RETURNING id"},
            .update = {"progress_update",
                       "UPDATE directives.progress_updates SET note = $3, percent = $4,"
                       " author = $5, revision = revision + 1, update_time = now()"
                       " WHERE id = $1 AND revision = $2 RETURNING id"},
            .remove = {"progress_delete",
                       "DELETE FROM directives.progress_updates WHERE id = $1 AND revision = $2"
                       " RETURNING id"},
            .from_row = ProgressFromRow,
            .constraints = {},
        },
    .field = "progress_update",
    .updatable = kUpdatable,
    .validate = Validate,
    .columns = resource::ColumnsOf<v1::ProgressUpdate, kColumns>,
};

const resource::ListSpec kProgressList = {
    .statement = {"progress_list", "SELECT " CAUNOI_PROGRESS_COLUMNS " FROM " CAUNOI_PROGRESS_FROM
                                   " WHERE t.document_id = $3 AND p.task_id = $4"
                                   "   AND ($1::bigint IS NULL OR p.id > $1)"
                                   " ORDER BY p.id LIMIT $2"},
};

}  // namespace caunoi::directives
