#include "services/reports/alerts/alert_rules.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"

namespace caunoi::reports {
namespace {

constexpr int kMaxReminderDays = 60;
constexpr int kMaxReminders = 5;
constexpr int kMaxEscalationDays = 365;

}  // namespace

v1::AlertRules DefaultAlertRules() {
  v1::AlertRules rules;
  rules.add_reminder_days(7);
  rules.add_reminder_days(1);
  rules.set_escalation_days(15);
  rules.set_defaults(true);
  return rules;
}

AlertRuleSet RuleSetOf(const v1::AlertRules& rules) {
  AlertRuleSet set;
  set.reminder_days.assign(rules.reminder_days().begin(), rules.reminder_days().end());
  set.escalation_days = rules.escalation_days();
  return set;
}

absl::Status ValidateAlertRules(const v1::AlertRules& rules) {
  if (rules.reminder_days_size() > kMaxReminders) {
    return InvalidFieldError("rules.reminder_days",
                             absl::StrCat("holds at most ", kMaxReminders, " days"));
  }
  std::set<int> seen;
  for (int i = 0; i < rules.reminder_days_size(); ++i) {
    const int days = rules.reminder_days(i);
    const std::string field = absl::StrCat("rules.reminder_days[", i, "]");
    if (days < 1 || days > kMaxReminderDays) {
      return InvalidFieldError(field, absl::StrCat("must be 1..", kMaxReminderDays));
    }
    if (!seen.insert(days).second) return InvalidFieldError(field, "is given twice");
  }
  if (rules.escalation_days() < 1 || rules.escalation_days() > kMaxEscalationDays) {
    return InvalidFieldError("rules.escalation_days",
                             absl::StrCat("must be 1..", kMaxEscalationDays));
  }
  return absl::OkStatus();
}

std::vector<DueAlert> AlertsDue(const AlertRuleSet& rules, absl::CivilDay due,
                                absl::CivilDay today) {
  std::vector<DueAlert> alerts;
  if (today < due) {
    const int days_left = static_cast<int>(due - today);
    int nearest = 0;
    for (int days : rules.reminder_days) {
      if (days >= days_left && (nearest == 0 || days < nearest)) nearest = days;
    }
    if (nearest > 0) alerts.push_back({v1::ALERT_KIND_REMINDER, nearest, 0});
  } else if (today > due) {
    const int late = static_cast<int>(today - due);
    alerts.push_back({v1::ALERT_KIND_OVERDUE, 0, late});
    if (late >= rules.escalation_days) alerts.push_back({v1::ALERT_KIND_ESCALATION, 0, late});
  }
  return alerts;
}

int LongestReminder(const AlertRuleSet& rules) {
  int longest = 0;
  for (int days : rules.reminder_days) longest = std::max(longest, days);
  return longest;
}

}  // namespace caunoi::reports
