#ifndef CAUNOI_SERVICES_DIRECTIVES_RESOURCES_RESOURCES_H_
#define CAUNOI_SERVICES_DIRECTIVES_RESOURCES_RESOURCES_H_

#include "absl/strings/string_view.h"
#include "caunoi/v1/directives.pb.h"
#include "common/resource/columns.h"
#include "common/resource/resource_helpers.h"
#include "common/resource/standard_methods.h"
#include "common/resource/stored_table.h"

// The resources of the directives service, each defined in its own file
// here: its table, its checks and its List query.
namespace caunoi::directives {

inline constexpr absl::string_view kDocumentPattern = "directives/{}";
inline constexpr absl::string_view kTaskPattern = "directives/{}/tasks/{}";
inline constexpr absl::string_view kProgressPattern = "directives/{}/tasks/{}/progressUpdates/{}";
inline constexpr absl::string_view kEventPattern = "directives/{}/disseminationEvents/{}";

#define CAUNOI_DECLARE_RESOURCE(Type, spec, list)     \
  extern const resource::ResourceSpec<v1::Type> spec; \
  extern const resource::ListSpec list;

CAUNOI_DECLARE_RESOURCE(Document, kDocumentSpec, kDocumentList)
CAUNOI_DECLARE_RESOURCE(Task, kTaskSpec, kTaskList)
CAUNOI_DECLARE_RESOURCE(ProgressUpdate, kProgressSpec, kProgressList)
CAUNOI_DECLARE_RESOURCE(DisseminationEvent, kEventSpec, kEventList)

#undef CAUNOI_DECLARE_RESOURCE

v1::Document DocumentFromRow(resource::RowReader& row);

// The document type a symbol's type code stands for ("CT" -> DIRECTIVE);
// UNSPECIFIED for a code we do not know.
v1::DocumentType TypeOfCode(absl::string_view type_code);

}  // namespace caunoi::directives

#endif  // CAUNOI_SERVICES_DIRECTIVES_RESOURCES_RESOURCES_H_
