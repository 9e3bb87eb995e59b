#include "services/reports/alerts/alert_scope.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/api/commune_name.h"

namespace caunoi::reports {

AlertScope ScopeOf(const std::optional<auth::Principal>& principal) {
  if (!principal) return {};
  if (principal->role == auth::Role::kUnit) {
    return {.unit = true, .organization_id = principal->organization_id};
  }
  return {.place = principal->locality_id};
}

bool AlertVisible(const v1::Alert& alert, const AlertScope& scope) {
  auto addressed = [&](const std::string& name) {
    return std::find(alert.addressees().begin(), alert.addressees().end(), name) !=
           alert.addressees().end();
  };
  if (scope.unit) {
    const std::string unit = absl::StrCat("organizations/", scope.organization_id);
    return alert.unit() == unit || addressed(unit);
  }
  if (scope.place.empty()) return true;
  const std::string place = PlaceName(scope.place);
  if (scope.place.find('/') != std::string::npos)
    return alert.commune() == place || addressed(place);
  return alert.locality() == place || addressed(place);
}

}  // namespace caunoi::reports
