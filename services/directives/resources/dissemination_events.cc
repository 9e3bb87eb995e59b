// Dissemination of a document: conferences and other events with a
// head-count ("hội nghị quán triệt" for 23,000+ cadres).
#include "common/api/locality_name.h"
#include "services/directives/resources/resources.h"

namespace caunoi::directives {
namespace {

constexpr resource::Column kColumns[] = {{"organizer", "organizations/{}"},
                                         {"date"},
                                         {"format"},
                                         {"audience"},
                                         {"head_count"},
                                         {"at_least"},
                                         {"locality", "localities/{}"}};
constexpr resource::StoredTable kTable = {.key = "event",
                                          .field = "dissemination_event",
                                          .table = "directives.dissemination_events",
                                          .pattern = kEventPattern,
                                          .columns = kColumns,
                                          .parent_column = "document_id"};

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

const resource::ResourceSpec<v1::DisseminationEvent> kEventSpec =
    resource::StandardSpec<v1::DisseminationEvent, kTable>({.validate = Validate});

const resource::ListSpec kEventList = {
    .statement = resource::ListStatementOf<v1::DisseminationEvent, kTable>(
        "WHERE r.document_id = $3 AND ($1::bigint IS NULL OR r.id > $1) ORDER BY r.id LIMIT $2"),
};

}  // namespace caunoi::directives
