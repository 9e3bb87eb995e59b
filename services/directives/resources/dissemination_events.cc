// Dissemination of a document: conferences and other events with a
// head-count ("hội nghị quán triệt" for 23,000+ cadres).
#include "services/directives/resources/resources.h"

namespace caunoi::directives {
namespace {

constexpr resource::Column kColumns[] = {
    {.field = "organizer", .pattern = "organizations/{}"},
    {.field = "date", .required = true},
    {.field = "format", .required = true},
    {.field = "audience", .text = resource::kNoteText},
    {.field = "head_count", .max = 100'000'000},
    {.field = "at_least"},
    {.field = "locality", .pattern = "localities/{}"},
};

constexpr resource::StoredTable kTable = {
    .names = {"event", "dissemination_event", "directives.dissemination_events", kEventPattern},
    .columns = kColumns,
    .parent_column = "document_id",
};

}  // namespace

CAUNOI_DEFINE_STANDARD_RESOURCE(DisseminationEvent, kEventSpec, kEventList, kTable, nullptr,
                                nullptr);

}  // namespace caunoi::directives
