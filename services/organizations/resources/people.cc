// People who hold posts; one person may hold several across organizations.
#include "services/organizations/resources/resource_helpers.h"
#include "services/organizations/resources/resources.h"

namespace caunoi::organizations {
namespace {

constexpr resource::Column kColumns[] = {
    {.field = "full_name", .required = true},
    {.field = "note", .text = resource::kNoteText},
};

constexpr api::FilterField kFilters[] = {
    {"full_name", false, true, resource::SearchFilter, "",
     "strpos(r.search_name, organizations.fold_text($)) > 0"},
};

constexpr resource::StoredTable kTable = {
    .names = {"person", "person", "organizations.people", kPersonPattern},
    .columns = kColumns,
    .filters = kFilters,
};

}  // namespace

CAUNOI_DEFINE_STANDARD_RESOURCE(Person, kPersonSpec, kPersonList, kTable, nullptr, nullptr);

}  // namespace caunoi::organizations
