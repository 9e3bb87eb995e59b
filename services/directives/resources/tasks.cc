// Numbered tasks inside a document, with their assignees and deadlines.
#include "common/api/locality_name.h"
#include "services/directives/resources/resources.h"

namespace caunoi::directives {
namespace {

constexpr resource::ConstraintRule kConstraints[] = {
    {"task_number_unique", "task.number", absl::StatusCode::kAlreadyExists,
     "the document already has a task with this number"},
    {"task_commune_in_locality", "task.commune", absl::StatusCode::kInvalidArgument,
     "lies outside the locality of the task's document"},
};

// Stored as its place, "01/00004" (see migration 0012).
std::string EncodeCommune(const google::protobuf::Message& task) {
  return PlaceOf("", static_cast<const v1::Task&>(task).commune());
}
void DecodeCommune(absl::string_view place, google::protobuf::Message& task) {
  if (!place.empty()) static_cast<v1::Task&>(task).set_commune(PlaceName(place));
}

// A commune filter as the place it is stored as.
absl::StatusOr<pg::Param> CommunePlaceFilter(const api::FilterTerm& term, absl::string_view) {
  CAUNOI_ASSIGN_OR_RETURN(CommuneRef commune, ParseCommuneName(term.value, "filter"));
  return PlaceId(commune.province_id, commune.code);
}

// Co-operators are the handful of bodies working with the lead.
constexpr resource::Column kColumns[] = {
    {.field = "number", .required = true, .text = {.max_chars = 16}},
    {.field = "title", .required = true, .text = {.max_chars = 2000}},
    {.field = "description", .text = {.max_chars = 20000, .multiline = true}},
    {.field = "lead", .pattern = "organizations/{}", .required = true},
    {.field = "co_operators",
     .pattern = "organizations/{}",
     .column = "co_operator_ids",
     .max = 100},
    {.field = "phase"},
    {.field = "due_date"},
    {.field = "reporting_cadence"},
    {.field = "cutoff_day"},
    {.field = "completed_date"},
    {.field = "commune",
     .column = "commune_place",
     .encode = EncodeCommune,
     .decode = DecodeCommune},
};

absl::Status Validate(const v1::Task& task) {
  if (!task.commune().empty()) {
    CAUNOI_RETURN_IF_ERROR(ParseCommuneName(task.commune(), "task.commune").status());
  }
  if (task.phase() == v1::TASK_PHASE_UNSPECIFIED && !task.has_due_date()) {
    return InvalidFieldError("task.due_date", "a task needs a due date or a phase");
  }
  if (task.reporting_cadence() == v1::REPORTING_CADENCE_CUSTOM) {
    if (task.cutoff_day() < 1 || task.cutoff_day() > 28) {
      return InvalidFieldError("task.cutoff_day", "must be 1..28 for a custom reporting period");
    }
  } else if (task.cutoff_day() != 0) {
    return InvalidFieldError("task.cutoff_day", "is only set with a CUSTOM reporting cadence");
  }
  return absl::OkStatus();
}

constexpr api::FilterField kFilterFields[] = {
    {"status", true, false, resource::EnumFilter<v1::TaskStatus>},
    {"assignee", true, false, resource::ReferenceFilter, "organizations/{}"},
    {"phase", true, false, resource::EnumFilter<v1::TaskPhase>},
    {"locality", true, false, resource::LocalityFilter},
    {"commune", true, false, CommunePlaceFilter},
};

// Status and progress are derived on every read, never stored.
void ReadDerived(resource::RowReader& row, v1::Task& task) {
  task.set_status(resource::EnumFromRow<v1::TaskStatus>(row));
  task.set_progress_percent(static_cast<int32_t>(row.Int64()));
  if (auto unit = row.OptionalText()) task.set_current_locality(LocalityName(*unit));
}

constexpr resource::StoredTable kTable = {
    .names = {"task", "task", "directives.tasks", kTaskPattern},
    .columns = kColumns,
    .constraints = kConstraints,
    .parent_column = "document_id",
    .extra_reads = "directives.task_status(r.due_date, r.completed_date, " CAUNOI_TODAY
                   "),"
                   " (SELECT p.percent FROM directives.progress_updates p WHERE p.task_id = r.id"
                   "   ORDER BY p.id DESC LIMIT 1),"
                   " (SELECT d.current_locality_id FROM directives.documents d"
                   "   WHERE d.id = r.document_id)",
    .read_extra = resource::ReadExtraAs<v1::Task, ReadDerived>,
    // $3 is the document id, or "-" for every document; $7 the locality
    // filter as written, $9 its current unit, resolved by the handler.
    .list =
        "WHERE ($1::bigint IS NULL OR r.id > $1)"
        "  AND ($3::text = '-' OR r.document_id = NULLIF($3::text, '-')::bigint)"
        "  AND ($4::text IS NULL OR directives.task_status(r.due_date,"
        "       r.completed_date, " CAUNOI_TODAY
        ") = $4)"
        "  AND ($5::bigint IS NULL OR r.lead_id = $5 OR r.co_operator_ids @> ARRAY[$5::bigint])"
        "  AND ($6::text IS NULL OR r.phase = $6)"
        "  AND ($7::text IS NULL OR EXISTS (SELECT 1 FROM directives.documents d"
        "       WHERE d.id = r.document_id"
        "         AND (d.locality_id = $7 OR d.current_locality_id = $9::text)))"
        "  AND ($8::text IS NULL OR r.commune_place = $8)"
        " ORDER BY r.id LIMIT $2",
    .filters = kFilterFields,
    .every_parent = true,
};

}  // namespace

CAUNOI_DEFINE_STANDARD_RESOURCE(Task, kTaskSpec, kTaskList, kTable, Validate, nullptr);

}  // namespace caunoi::directives
