#include "services/reports/alerts/alert_rules.h"

#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/reports/alerts/alert_scope.h"
#include "services/reports/webhooks/webhook_signature.h"

namespace caunoi::reports {
namespace {

using ::caunoi::testing::IsOk;
using ::caunoi::testing::StatusIs;
using ::testing::HasSubstr;

std::vector<std::string> Due(const AlertRuleSet& rules, absl::CivilDay due, absl::CivilDay today) {
  std::vector<std::string> out;
  for (const DueAlert& alert : AlertsDue(rules, due, today)) {
    out.push_back(absl::StrCat(v1::AlertKind_Name(alert.kind), " ", alert.days_before, " ",
                               alert.days_overdue));
  }
  return out;
}

TEST(AlertRules, TheNearestReminderThenOverdueThenEscalation) {
  const AlertRuleSet rules;  // 7 and 1 days before, escalation after 15
  const absl::CivilDay due(2026, 12, 10);
  EXPECT_TRUE(Due(rules, due, due - 8).empty());
  EXPECT_THAT(Due(rules, due, due - 7), ::testing::ElementsAre("ALERT_KIND_REMINDER 7 0"));
  EXPECT_THAT(Due(rules, due, due - 2), ::testing::ElementsAre("ALERT_KIND_REMINDER 7 0"));
  EXPECT_THAT(Due(rules, due, due - 1), ::testing::ElementsAre("ALERT_KIND_REMINDER 1 0"));
  EXPECT_TRUE(Due(rules, due, due).empty());
  EXPECT_THAT(Due(rules, due, due + 1), ::testing::ElementsAre("ALERT_KIND_OVERDUE 0 1"));
  EXPECT_THAT(Due(rules, due, due + 14), ::testing::ElementsAre("ALERT_KIND_OVERDUE 0 14"));
  EXPECT_THAT(Due(rules, due, due + 15),
              ::testing::ElementsAre("ALERT_KIND_OVERDUE 0 15", "ALERT_KIND_ESCALATION 0 15"));
}

TEST(AlertRules, ValidationNamesTheField) {
  v1::AlertRules rules = DefaultAlertRules();
  EXPECT_THAT(ValidateAlertRules(rules), IsOk());
  rules.add_reminder_days(7);
  EXPECT_THAT(ValidateAlertRules(rules),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("rules.reminder_days[2]")));
  rules = DefaultAlertRules();
  rules.set_escalation_days(0);
  EXPECT_THAT(ValidateAlertRules(rules),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("rules.escalation_days")));
  rules = DefaultAlertRules();
  rules.add_reminder_days(61);
  EXPECT_THAT(ValidateAlertRules(rules), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(AlertScopes, AUnitALocalityACommuneAndTheCentre) {
  v1::Alert alert;
  alert.set_unit("organizations/2");
  alert.set_locality("localities/01");
  alert.set_commune("localities/01/communes/00004");
  alert.add_addressees("organizations/7");
  alert.add_addressees("central");
  EXPECT_TRUE(AlertVisible(alert, {}));
  EXPECT_TRUE(AlertVisible(alert, {.unit = true, .organization_id = "2"}));
  EXPECT_TRUE(AlertVisible(alert, {.unit = true, .organization_id = "7"}));
  EXPECT_FALSE(AlertVisible(alert, {.unit = true, .organization_id = "3"}));
  EXPECT_TRUE(AlertVisible(alert, {.place = "01"}));
  EXPECT_FALSE(AlertVisible(alert, {.place = "79"}));
  EXPECT_TRUE(AlertVisible(alert, {.place = "01/00004"}));
  EXPECT_FALSE(AlertVisible(alert, {.place = "01/00008"}));
}

// The example of the Standard Webhooks specification.
TEST(WebhookSignature, MatchesTheStandardsExample) {
  absl::StatusOr<std::string> signature =
      SignWebhook("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek",
                  1614265330, R"({"test": 2432232314})");
  ASSERT_THAT(signature.status(), IsOk());
  EXPECT_EQ(*signature, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  EXPECT_THAT(SignWebhook("secret", "id", 1, "{}").status(),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_TRUE(NewWebhookSecret().starts_with("whsec_"));
  EXPECT_NE(NewWebhookSecret(), NewWebhookSecret());
}

}  // namespace
}  // namespace caunoi::reports
