#include "services/reports/alerts/alert_events.h"

#include "absl/strings/match.h"
#include "caunoi/v1/reports.pb.h"

namespace caunoi::reports {

changes::Decoder AlertDecoder() {
  return [](const v1::Change& change,
            absl::string_view state) -> std::shared_ptr<const google::protobuf::Message> {
    auto alert = std::make_shared<v1::Alert>();
    if (!absl::StartsWith(change.resource(), "alerts/") || !changes::StateAs(state, *alert)) {
      return nullptr;
    }
    return alert;
  };
}

}  // namespace caunoi::reports
