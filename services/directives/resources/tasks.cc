// Numbered tasks inside a document, with their assignees and deadlines.
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/api/locality_name.h"
#include "services/directives/resources/resources.h"

namespace caunoi::directives {
namespace {

// Status and progress are derived on every read, never stored.
#define CAUNOI_TASK_COLUMNS                                                                   \
  "t.id, t.document_id, t.number, t.title, t.description, t.lead_id,"                         \
  " array_to_string(t.co_operator_ids, ','), t.phase, t.due_date::text, t.reporting_cadence," \
  " t.cutoff_day, t.completed_date::text,"                                                    \
  " directives.task_status(t.due_date, t.completed_date, " CAUNOI_TODAY                       \
  "),"                                                                                        \
  " (SELECT p.percent FROM directives.progress_updates p WHERE p.task_id = t.id"              \
  "   ORDER BY p.id DESC LIMIT 1),"                                                           \
  " (SELECT d.current_locality_id FROM directives.documents d WHERE d.id = "                  \
  "t.document_id), " CAUNOI_STANDARD_COLUMNS("t")

constexpr resource::ConstraintRule kConstraints[] = {
    {"task_document_exists", "parent", absl::StatusCode::kNotFound, "the document does not exist"},
    {"task_number_unique", "task.number", absl::StatusCode::kAlreadyExists,
     "the document already has a task with this number"},
};

constexpr absl::string_view kUpdatable[] = {
    "number", "title",    "description",       "lead",       "co_operators",
    "phase",  "due_date", "reporting_cadence", "cutoff_day", "completed_date"};

constexpr int kMaxNumberChars = 16;

absl::Status Validate(const v1::Task& task) {
  CAUNOI_RETURN_IF_ERROR(ValidateOptionalEnum(task.phase(), "task.phase"));
  CAUNOI_RETURN_IF_ERROR(ValidateOptionalEnum(task.reporting_cadence(), "task.reporting_cadence"));
  CAUNOI_RETURN_IF_ERROR(api::ValidateText(task.number(), "task.number",
                                           {.required = true, .max_chars = kMaxNumberChars}));
  CAUNOI_RETURN_IF_ERROR(
      api::ValidateText(task.title(), "task.title", {.required = true, .max_chars = 2000}));
  CAUNOI_RETURN_IF_ERROR(api::ValidateText(task.description(), "task.description",
                                           {.max_chars = 20000, .multiline = true}));
  CAUNOI_RETURN_IF_ERROR(ValidateReference(task.lead(), "organizations/{}", "task.lead", true));
  // Co-operators are the handful of bodies working with the lead.
  constexpr int kMaxCoOperators = 100;
  CAUNOI_RETURN_IF_ERROR(resource::ValidateReferenceList(task.co_operators(), "organizations/{}",
                                                         "task.co_operators", kMaxCoOperators));
  if (task.phase() == v1::TASK_PHASE_UNSPECIFIED && !task.has_due_date()) {
    return InvalidFieldError("task.due_date", "a task needs a due date or a phase");
  }
  CAUNOI_RETURN_IF_ERROR(
      ValidateOptionalDate(task.has_due_date(), task.due_date(), "task.due_date"));
  CAUNOI_RETURN_IF_ERROR(ValidateOptionalDate(task.has_completed_date(), task.completed_date(),
                                              "task.completed_date"));
  if (task.reporting_cadence() == v1::REPORTING_CADENCE_CUSTOM) {
    if (task.cutoff_day() < 1 || task.cutoff_day() > 28) {
      return InvalidFieldError("task.cutoff_day", "must be 1..28 for a custom reporting period");
    }
  } else if (task.cutoff_day() != 0) {
    return InvalidFieldError("task.cutoff_day", "is only set with a CUSTOM reporting cadence");
  }
  return absl::OkStatus();
}

std::string OptionalToken(int value, std::string token) { return value == 0 ? "" : token; }

std::vector<pg::Param> Columns(const v1::Task& task) {
  resource::Params params;
  params.Text(task.number())
      .Text(task.title())
      .Text(task.description())
      .Append({IdParam(task.lead())})
      .Text(IdArray(task.co_operators()))
      .TextOrNull(OptionalToken(task.phase(), api::EnumToken(task.phase())))
      .Date(task.due_date(), task.has_due_date())
      .TextOrNull(OptionalToken(task.reporting_cadence(), api::EnumToken(task.reporting_cadence())))
      .Int64(task.cutoff_day())
      .Date(task.completed_date(), task.has_completed_date());
  return params.Take();
}

constexpr api::FilterField kFilterFields[] = {
    {"status", true, false, EnumFilter<v1::TaskStatus>},
    {"assignee", true, false, ReferenceFilter, "organizations/{}"},
    {"phase", true, false, EnumFilter<v1::TaskPhase>},
    {"locality", true, false, LocalityFilter},
};

}  // namespace

v1::Task TaskFromRow(resource::RowReader& row) {
  v1::Task task;
  const std::string id = row.Text();
  task.set_name(api::FormatResourceName(kTaskPattern, {row.Text(), id}));
  task.set_number(row.Text());
  task.set_title(row.Text());
  task.set_description(row.Text());
  if (auto lead = row.OptionalText()) task.set_lead(absl::StrCat("organizations/", *lead));
  for (absl::string_view co : absl::StrSplit(row.Text(), ',', absl::SkipEmpty())) {
    task.add_co_operators(absl::StrCat("organizations/", co));
  }
  task.set_phase(EnumFromRow<v1::TaskPhase>(row));
  if (auto date = row.OptionalDate()) *task.mutable_due_date() = *date;
  task.set_reporting_cadence(EnumFromRow<v1::ReportingCadence>(row));
  task.set_cutoff_day(static_cast<int32_t>(row.Int64()));
  if (auto date = row.OptionalDate()) *task.mutable_completed_date() = *date;
  task.set_status(EnumFromRow<v1::TaskStatus>(row));
  task.set_progress_percent(static_cast<int32_t>(row.Int64()));
  if (auto unit = row.OptionalText()) task.set_current_locality(LocalityName(*unit));
  ReadStandardColumns(row, task);
  return task;
}

const resource::ResourceSpec<v1::Task> kTaskSpec = {
    .table =
        {
            .pattern = kTaskPattern,
            .select = {"task_get",
                       "SELECT " CAUNOI_TASK_COLUMNS " FROM directives.tasks t WHERE t.id = $1"},
            .insert = {"task_insert",
                       "INSERT INTO directives.tasks (document_id, number, title, description,"
                       " lead_id, co_operator_ids, phase, due_date, reporting_cadence,"
                       " cutoff_day, completed_date)"
                       " VALUES ($1, $2, $3, $4, $5, $6::bigint[], $7, $8, $9, $10, $11)"
                       " RETURNING id"},
            .update = {"task_update",
                       "UPDATE directives.tasks SET number = $3, title = $4, description = $5,"
                       " lead_id = $6, co_operator_ids = $7::bigint[], phase = $8,"
                       " due_date = $9, reporting_cadence = $10, cutoff_day = $11,"
                       " completed_date = $12, revision = revision + 1, update_time = now()"
                       " WHERE id = $1 AND revision = $2 RETURNING id"},
            .remove = {"task_delete",
                       "DELETE FROM directives.tasks WHERE id = $1 AND revision = $2"
                       " RETURNING id"},
            .from_row = TaskFromRow,
            .constraints = kConstraints,
        },
    .field = "task",
    .updatable = kUpdatable,
    .validate = Validate,
    .columns = Columns,
};

// $3 is the document id, or "-" for every document; $7 the locality filter
// as written, $8 its current unit, resolved by the handler.
const resource::ListSpec kTaskList = {
    .statement = {"task_list",
                  "SELECT " CAUNOI_TASK_COLUMNS " FROM directives.tasks t"
                  " WHERE ($1::bigint IS NULL OR t.id > $1)"
                  "   AND ($3::text = '-' OR t.document_id = NULLIF($3::text, '-')::bigint)"
                  "   AND ($4::text IS NULL OR directives.task_status(t.due_date,"
                  "        t.completed_date, " CAUNOI_TODAY ") = $4)"
                  "   AND ($5::bigint IS NULL OR t.lead_id = $5"
                  "        OR t.co_operator_ids @> ARRAY[$5::bigint])"
                  "   AND ($6::text IS NULL OR t.phase = $6)"
                  "   AND ($7::text IS NULL OR EXISTS (SELECT 1 FROM directives.documents d"
                  "        WHERE d.id = t.document_id"
                  "          AND (d.locality_id = $7 OR d.current_locality_id = $8::text)))"
                  " ORDER BY t.id LIMIT $2"},
    .filter_fields = kFilterFields,
};

}  // namespace caunoi::directives
