#include "services/directives/document_changes.h"

#include "caunoi/v1/directives.pb.h"
#include "common/api/resource_name.h"
#include "services/directives/resources/resources.h"

namespace caunoi::directives {

bool IsDocumentName(absl::string_view resource) {
  return api::ParseResourceName(resource, kDocumentPattern, "resource").ok();
}

changes::Decoder DocumentDecoder() {
  return [](const v1::Change& change,
            absl::string_view state) -> std::shared_ptr<const google::protobuf::Message> {
    auto document = std::make_shared<v1::Document>();
    if (!IsDocumentName(change.resource()) || !changes::StateAs(state, *document)) return nullptr;
    return document;
  };
}

}  // namespace caunoi::directives
