// Dissemination of a document: conferences and other events with a
// head-count ("hội nghị quán triệt" for 23,000+ cadres).
#include "common/api/locality_name.h"
#include "services/directives/resources/resources.h"

namespace caunoi::directives {
namespace {

#define CAUNOI_EVENT_COLUMNS                                                               \
  "e.id, e.document_id, e.organizer_id, e.date::text, e.format, e.audience, e.head_count," \
  " e.at_least, e.locality_id, " CAUNOI_STANDARD_COLUMNS("e")

constexpr resource::ConstraintRule kConstraints[] = {
    {"event_document_exists", "parent", absl::StatusCode::kNotFound, "the document does not exist"},
};

constexpr resource::Column kColumns[] = {{"organizer", "organizations/{}"},
                                         {"date"},
                                         {"format"},
                                         {"audience"},
                                         {"head_count"},
                                         {"at_least"},
                                         {"locality", "localities/{}"}};
constexpr auto kUpdatable = resource::FieldsOf(kColumns);

constexpr int64_t kMaxHeadCount = 100'000'000;

absl::Status Validate(const v1::DisseminationEvent& event) {
  CAUNOI_RETURN_IF_ERROR(ValidateReference(event.organizer(), "organizations/{}",
                                           "dissemination_event.organizer", false));
  if (!event.has_date()) return InvalidFieldError("dissemination_event.date", "is required");
  CAUNOI_RETURN_IF_ERROR(api::ToCivilDay(event.date(), "dissemination_event.date").status());
  CAUNOI_RETURN_IF_ERROR(ValidateEnum(event.format(), "dissemination_event.format"));
  CAUNOI_RETURN_IF_ERROR(api::ValidateText(event.audience(), "dissemination_event.audience",
                                           {.max_chars = api::kMaxNoteChars, .multiline = true}));
  if (event.head_count() < 0 || event.head_count() > kMaxHeadCount) {
    return InvalidFieldError("dissemination_event.head_count", "must be 0..100,000,000");
  }
  if (!event.locality().empty()) {
    CAUNOI_RETURN_IF_ERROR(
        ParseLocalityName(event.locality(), "dissemination_event.locality").status());
  }
  return absl::OkStatus();
}

}  // namespace

v1::DisseminationEvent EventFromRow(resource::RowReader& row) {
  v1::DisseminationEvent event;
  const std::string id = row.Text();
  event.set_name(api::FormatResourceName(kEventPattern, {row.Text(), id}));
  resource::ReadColumns(row, event, kColumns);
  ReadStandardColumns(row, event);
  return event;
}

const resource::ResourceSpec<v1::DisseminationEvent> kEventSpec = {
    .table =
        {
            .pattern = kEventPattern,
            .select = {"event_get", "SELECT " CAUNOI_EVENT_COLUMNS
                                    " FROM directives.dissemination_events e WHERE e.id = $1"},
            .insert = {"event_insert",
                       "INSERT INTO directives.dissemination_events (document_id, organizer_id,"
                       " date, format, audience, head_count, at_least, locality_id)"
                       " VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id"},
            .update = {"event_update",
                       "UPDATE directives.dissemination_events SET organizer_id = $3,"
                       " date = $4, format = $5, audience = $6, head_count = $7,"
                       " at_least = $8, locality_id = $9, revision = revision + 1,"
                       " update_time = now() WHERE id = $1 AND revision = $2 RETURNING id"},
            .remove = {"event_delete",
                       "DELETE FROM directives.dissemination_events"
                       " WHERE id = $1 AND revision = $2 RETURNING id"},
            .from_row = EventFromRow,
            .constraints = kConstraints,
        },
    .field = "dissemination_event",
    .updatable = kUpdatable,
    .validate = Validate,
    .columns = resource::ColumnsOf<v1::DisseminationEvent, kColumns>,
};

const resource::ListSpec kEventList = {
    .statement = {"event_list",
                  "SELECT " CAUNOI_EVENT_COLUMNS " FROM directives.dissemination_events e"
                  " WHERE e.document_id = $3 AND ($1::bigint IS NULL OR e.id > $1)"
                  " ORDER BY e.id LIMIT $2"},
};

}  // namespace caunoi::directives
