#include "services/reports/alerts/alert_events.h"

#include "absl/strings/match.h"
#include "caunoi/v1/reports.pb.h"
#include "google/protobuf/util/json_util.h"

namespace caunoi::reports {

changes::Decoder AlertDecoder() {
  return [](const v1::Change& change) -> std::shared_ptr<const google::protobuf::Message> {
    if (!change.has_state() || !absl::StartsWith(change.resource(), "alerts/")) return nullptr;
    std::string json;
    if (!google::protobuf::util::MessageToJsonString(change.state(), &json).ok()) return nullptr;
    auto alert = std::make_shared<v1::Alert>();
    google::protobuf::util::JsonParseOptions options;
    options.ignore_unknown_fields = true;
    if (!google::protobuf::util::JsonStringToMessage(json, alert.get(), options).ok()) {
      return nullptr;
    }
    return alert;
  };
}

}  // namespace caunoi::reports
