#ifndef CAUNOI_SERVICES_REPORTS_ALERTS_ALERT_RULES_H_
#define CAUNOI_SERVICES_REPORTS_ALERTS_ALERT_RULES_H_

#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "caunoi/v1/reports.pb.h"

// Which alerts an item calls for on a given day: the pure rules behind the
// alert producer.
namespace caunoi::reports {

struct AlertRuleSet {
  // Days before the due date a reminder is meant, e.g. {7, 1}.
  std::vector<int> reminder_days = {7, 1};
  int escalation_days = 15;
};

// The defaults, as a document without rules of its own has them.
v1::AlertRules DefaultAlertRules();
AlertRuleSet RuleSetOf(const v1::AlertRules& rules);

// INVALID_ARGUMENT naming the field: reminder days 1..60, distinct, at
// most five; escalation 1..365 days.
absl::Status ValidateAlertRules(const v1::AlertRules& rules);

struct DueAlert {
  v1::AlertKind kind;
  int days_before = 0;   // a reminder's
  int days_overdue = 0;  // an overdue alert's or escalation's
};

// On `today`, for an item due on `due`: before it, the nearest reminder
// whose day has come (one item, one reminder at a time); from the day
// after, the overdue alert, and the escalation once `escalation_days`
// have passed. Nothing on the due day itself.
std::vector<DueAlert> AlertsDue(const AlertRuleSet& rules, absl::CivilDay due,
                                absl::CivilDay today);

// How far ahead any rule looks.
int LongestReminder(const AlertRuleSet& rules);

}  // namespace caunoi::reports

#endif  // CAUNOI_SERVICES_REPORTS_ALERTS_ALERT_RULES_H_
