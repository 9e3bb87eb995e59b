#include "services/directives/document_changes.h"

#include "caunoi/v1/directives.pb.h"
#include "common/api/resource_name.h"
#include "google/protobuf/util/json_util.h"
#include "services/directives/resources/resources.h"

namespace caunoi::directives {

bool IsDocumentName(absl::string_view resource) {
  return api::ParseResourceName(resource, kDocumentPattern, "resource").ok();
}

changes::Decoder DocumentDecoder() {
  return [](const v1::Change& change) -> std::shared_ptr<const google::protobuf::Message> {
    if (!change.has_state() || !IsDocumentName(change.resource())) return nullptr;
    std::string json;
    if (!google::protobuf::util::MessageToJsonString(change.state(), &json).ok()) return nullptr;
    auto document = std::make_shared<v1::Document>();
    google::protobuf::util::JsonParseOptions options;
    options.ignore_unknown_fields = true;
    if (!google::protobuf::util::JsonStringToMessage(json, document.get(), options).ok()) {
      return nullptr;
    }
    return document;
  };
}

}  // namespace caunoi::directives
