#ifndef CAUNOI_SERVICES_REPORTS_ALERTS_ALERT_SCOPE_H_
#define CAUNOI_SERVICES_REPORTS_ALERTS_ALERT_SCOPE_H_

#include <optional>
#include <string>

#include "caunoi/v1/reports.pb.h"
#include "common/auth/principal.h"

namespace caunoi::reports {

// What a caller may see of the alerts: a unit its own and what is
// addressed to it; a place (province "01" or commune "01/00004") its
// records' and what is addressed to it; everything when neither is set
// (central principals, readers of the whole country, the suite itself).
// The SQL function reports.alert_visible says the same for the database.
struct AlertScope {
  bool unit = false;
  std::string place = "";
  std::string organization_id = "";
};

AlertScope ScopeOf(const std::optional<auth::Principal>& principal);
bool AlertVisible(const v1::Alert& alert, const AlertScope& scope);

}  // namespace caunoi::reports

#endif  // CAUNOI_SERVICES_REPORTS_ALERTS_ALERT_SCOPE_H_
