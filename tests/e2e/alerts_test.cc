// Alerts end to end: what falls due (tasks, report duties) produces
// reminders, overdue alerts and escalations once each, scoped to who may
// see them; finishing resolves and a moved due date re-arms; the producer
// survives kill -9; watchers resume from cursors; webhooks are signed and
// retried until a refusing receiver accepts.
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <csignal>
#include <map>
#include <set>
#include <thread>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "caunoi/v1/gateway.grpc.pb.h"
#include "common/api/dates.h"
#include "common/pg/array_literal.h"
#include "common/pg/connection.h"
#include "common/testing/error_details.h"
#include "tests/e2e/gateway_fixture.h"
#include "tests/support/webhook_receiver.h"

namespace caunoi {
namespace {

using ::caunoi::testing::IsOk;
using ::caunoi::testing::StatusIs;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;
using DirectiveStub = v1::DirectiveService;
using ReportStub = v1::ReportService;

class AlertsTest : public GatewayTest {
 protected:
  // Hanoi gives HAUFO a task of 05-TT/TU due on `due`.
  v1::Task HanoiTask(const std::string& number, absl::CivilDay due) {
    v1::CreateTaskRequest request;
    request.set_parent(FindDocument("05-TT/TU"));
    request.mutable_task()->set_number(number);
    request.mutable_task()->set_title(absl::StrCat("Nhiệm vụ kiểm thử ", number));
    request.mutable_task()->set_lead(kHaufoName);
    *request.mutable_task()->mutable_due_date() = api::ToDate(due);
    v1::Task task;
    EXPECT_THAT(Call<DirectiveStub>(gateway_->NewChannel(), kHanoi,
                                    &DirectiveStub::Stub::CreateTask, request, &task),
                IsOk());
    return task;
  }

  v1::ProduceAlertsResponse Produce(const std::shared_ptr<grpc::Channel>& channel,
                                    const std::string& token = kCentral) {
    v1::ProduceAlertsResponse produced;
    EXPECT_THAT(Call<ReportStub>(channel, token, &ReportStub::Stub::ProduceAlerts,
                                 v1::ProduceAlertsRequest(), &produced, absl::Seconds(60)),
                IsOk());
    return produced;
  }

  std::vector<v1::Alert> Alerts(const std::string& token, const std::string& filter,
                                std::shared_ptr<grpc::Channel> channel = nullptr) {
    v1::ListAlertsRequest request;
    request.set_filter(filter);
    request.set_page_size(500);
    v1::ListAlertsResponse found;
    EXPECT_THAT(Call<ReportStub>(channel ? channel : gateway_->NewChannel(), token,
                                 &ReportStub::Stub::ListAlerts, request, &found),
                IsOk());
    return {found.alerts().begin(), found.alerts().end()};
  }

  static std::vector<std::string> Kinds(const std::vector<v1::Alert>& alerts) {
    std::vector<std::string> kinds;
    for (const v1::Alert& alert : alerts) {
      kinds.push_back(
          absl::StrCat(v1::AlertKind_Name(alert.kind()), " ", v1::AlertState_Name(alert.state())));
    }
    return kinds;
  }
};

TEST_F(AlertsTest, DueSoonOverdueEscalatedFinishedAndMoved) {
  const absl::CivilDay today = api::TodayInVietnam();
  const v1::Task soon = HanoiTask("90", today + 1);
  const v1::Task late = HanoiTask("91", today - 20);
  const v1::Document tt05 = DemoDocument("05-TT/TU");
  const v1::ProduceAlertsResponse first = Produce(gateway_->NewChannel());
  EXPECT_GE(first.produced(), 3);
  EXPECT_EQ(api::ToCivilDayUnchecked(first.today()), today);

  // Due tomorrow: a reminder to HAUFO, which sees it with its own token.
  std::vector<v1::Alert> reminder = Alerts(kHaufo, "item = \"" + soon.name() + "\"");
  ASSERT_EQ(reminder.size(), 1u);
  EXPECT_EQ(reminder[0].kind(), v1::ALERT_KIND_REMINDER);
  EXPECT_EQ(reminder[0].days_before(), 1);
  EXPECT_EQ(reminder[0].unit(), kHaufoName);
  EXPECT_EQ(reminder[0].locality(), "localities/01");
  EXPECT_THAT(reminder[0].addressees(), ElementsAre(kHaufoName));
  EXPECT_THAT(reminder[0].summary(), ::testing::HasSubstr("Nhắc hạn"));

  // Twenty days late: overdue to HAUFO and, past 15 days, escalated to
  // the circular's issuer, HAUFO's parent and the level above Hanoi.
  std::vector<v1::Alert> overdue = Alerts(kCentral, "item = \"" + late.name() + "\"");
  ASSERT_EQ(overdue.size(), 2u);
  EXPECT_THAT(Kinds(overdue), UnorderedElementsAre("ALERT_KIND_OVERDUE ALERT_STATE_PENDING",
                                                   "ALERT_KIND_ESCALATION ALERT_STATE_PENDING"));
  for (const v1::Alert& alert : overdue) {
    EXPECT_EQ(alert.days_overdue(), 20);
    if (alert.kind() == v1::ALERT_KIND_ESCALATION) {
      EXPECT_THAT(alert.addressees(), Contains(tt05.issuing_organization()));
      EXPECT_THAT(alert.addressees(), Contains("central"));
      EXPECT_GE(alert.addressees_size(), 3);  // with HAUFO's parent
    } else {
      EXPECT_THAT(alert.addressees(), ElementsAre(kHaufoName));
    }
  }
  // The demo's report duty: HAUFO's half-yearly report on 05-TT/TU has
  // not come since 2022, so this year's first half is escalated too.
  std::vector<v1::Alert> duty =
      Alerts(kHanoi, "kind = ESCALATION AND document = \"" + tt05.name() + "\"");
  bool report_escalated = false;
  for (const v1::Alert& alert : duty) {
    report_escalated |= absl::StrContains(alert.item(), "/periods/");
  }
  EXPECT_TRUE(report_escalated);

  // Scoped: Ho Chi Minh City sees none of Hanoi's; asking for one by name
  // is NOT_FOUND, as is acknowledging it.
  EXPECT_TRUE(Alerts(kHoChiMinhCity, "item = \"" + late.name() + "\"").empty());
  v1::GetAlertRequest get;
  get.set_name(overdue[0].name());
  v1::Alert seen;
  EXPECT_THAT(Call<ReportStub>(gateway_->NewChannel(), kHoChiMinhCity, &ReportStub::Stub::GetAlert,
                               get, &seen),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(
      Call<ReportStub>(gateway_->NewChannel(), kHanoi, &ReportStub::Stub::GetAlert, get, &seen),
      IsOk());

  // Produced once: a second pass records nothing new.
  EXPECT_EQ(Produce(gateway_->NewChannel()).produced(), 0);
  EXPECT_EQ(Alerts(kCentral, "item = \"" + late.name() + "\"").size(), 2u);

  // HAUFO acknowledges its reminder; another locality cannot.
  v1::AcknowledgeAlertRequest acknowledge;
  acknowledge.set_name(reminder[0].name());
  acknowledge.set_comment("Đã phân công");
  v1::Alert acknowledged;
  EXPECT_THAT(Call<ReportStub>(gateway_->NewChannel(), kHoChiMinhCity,
                               &ReportStub::Stub::AcknowledgeAlert, acknowledge, &acknowledged),
              StatusIs(absl::StatusCode::kNotFound));
  ASSERT_THAT(Call<ReportStub>(gateway_->NewChannel(), kHaufo, &ReportStub::Stub::AcknowledgeAlert,
                               acknowledge, &acknowledged),
              IsOk());
  EXPECT_EQ(acknowledged.state(), v1::ALERT_STATE_ACKNOWLEDGED);
  EXPECT_EQ(acknowledged.acknowledged_by(), "haufo");
  v1::ListReportAuditRecordsRequest audit;
  audit.set_resource(reminder[0].name());
  v1::ListReportAuditRecordsResponse records;
  ASSERT_THAT(Call<ReportStub>(gateway_->NewChannel(), kCentral,
                               &ReportStub::Stub::ListReportAuditRecords, audit, &records),
              IsOk());
  std::vector<std::string> history;
  for (const v1::AuditRecord& record : records.audit_records()) {
    history.push_back(absl::StrCat(record.action(), " ", record.actor()));
  }
  EXPECT_THAT(history, ElementsAre("update haufo", "create alert-producer"));

  // Finishing the late task resolves its alerts.
  v1::UpdateTaskRequest finish;
  finish.mutable_task()->set_name(late.name());
  *finish.mutable_task()->mutable_completed_date() = api::ToDate(today);
  finish.mutable_update_mask()->add_paths("completed_date");
  v1::Task finished;
  ASSERT_THAT(Call<DirectiveStub>(gateway_->NewChannel(), kHanoi, &DirectiveStub::Stub::UpdateTask,
                                  finish, &finished),
              IsOk());
  // Moving the other's due date re-arms it: the old reminder is resolved
  // and a new one follows for the new date.
  v1::UpdateTaskRequest move;
  move.mutable_task()->set_name(soon.name());
  *move.mutable_task()->mutable_due_date() = api::ToDate(today + 5);
  move.mutable_update_mask()->add_paths("due_date");
  v1::Task moved;
  ASSERT_THAT(Call<DirectiveStub>(gateway_->NewChannel(), kHanoi, &DirectiveStub::Stub::UpdateTask,
                                  move, &moved),
              IsOk());
  const v1::ProduceAlertsResponse second = Produce(gateway_->NewChannel());
  EXPECT_GE(second.resolved(), 3);
  EXPECT_THAT(Kinds(Alerts(kCentral, "item = \"" + late.name() + "\"")),
              UnorderedElementsAre("ALERT_KIND_OVERDUE ALERT_STATE_RESOLVED",
                                   "ALERT_KIND_ESCALATION ALERT_STATE_RESOLVED"));
  std::vector<v1::Alert> rearmed = Alerts(kHaufo, "item = \"" + soon.name() + "\"");
  ASSERT_EQ(rearmed.size(), 2u);  // newest first
  EXPECT_EQ(rearmed[0].state(), v1::ALERT_STATE_PENDING);
  EXPECT_EQ(rearmed[0].days_before(), 7);
  EXPECT_EQ(api::ToCivilDayUnchecked(rearmed[0].due_date()), today + 5);
  EXPECT_EQ(rearmed[1].state(), v1::ALERT_STATE_RESOLVED);

  // Bad input is named.
  v1::ListAlertsRequest bad;
  bad.set_filter("kind = SOON");
  v1::ListAlertsResponse none;
  EXPECT_THAT(
      Call<ReportStub>(gateway_->NewChannel(), kCentral, &ReportStub::Stub::ListAlerts, bad, &none),
      StatusIs(absl::StatusCode::kInvalidArgument));
  v1::ProduceAlertsResponse refused;
  EXPECT_THAT(Call<ReportStub>(gateway_->NewChannel(), kHanoi, &ReportStub::Stub::ProduceAlerts,
                               v1::ProduceAlertsRequest(), &refused),
              StatusIs(absl::StatusCode::kPermissionDenied));
}

TEST_F(AlertsTest, RulesAreTheIssuersAndChangeWhatIsProduced) {
  const v1::Document tt05 = DemoDocument("05-TT/TU");
  v1::GetAlertRulesRequest get;
  get.set_name(tt05.name() + "/alertRules");
  v1::AlertRules rules;
  ASSERT_THAT(Call<ReportStub>(gateway_->NewChannel(), kReader, &ReportStub::Stub::GetAlertRules,
                               get, &rules),
              IsOk());
  EXPECT_TRUE(rules.defaults());
  EXPECT_THAT(rules.reminder_days(), ElementsAre(7, 1));
  EXPECT_EQ(rules.escalation_days(), 15);

  v1::SetAlertRulesRequest set;
  set.mutable_rules()->set_name(get.name());
  set.mutable_rules()->add_reminder_days(3);
  set.mutable_rules()->set_escalation_days(30);
  set.set_reason("Thành ủy cho thêm thời gian");
  v1::AlertRules stored;
  // Not the reporting unit's to bend.
  EXPECT_THAT(Call<ReportStub>(gateway_->NewChannel(), kHaufo, &ReportStub::Stub::SetAlertRules,
                               set, &stored),
              StatusIs(absl::StatusCode::kPermissionDenied));
  set.mutable_rules()->add_reminder_days(3);
  EXPECT_THAT(Call<ReportStub>(gateway_->NewChannel(), kHanoi, &ReportStub::Stub::SetAlertRules,
                               set, &stored),
              StatusIs(absl::StatusCode::kInvalidArgument));
  set.mutable_rules()->mutable_reminder_days()->RemoveLast();
  ASSERT_THAT(Call<ReportStub>(gateway_->NewChannel(), kHanoi, &ReportStub::Stub::SetAlertRules,
                               set, &stored),
              IsOk());
  EXPECT_FALSE(stored.defaults());

  // Twenty days late is no longer escalated; four days ahead is no
  // reminder yet.
  const absl::CivilDay today = api::TodayInVietnam();
  const v1::Task late = HanoiTask("92", today - 20);
  const v1::Task ahead = HanoiTask("93", today + 4);
  Produce(gateway_->NewChannel());
  EXPECT_THAT(Kinds(Alerts(kCentral, "item = \"" + late.name() + "\"")),
              ElementsAre("ALERT_KIND_OVERDUE ALERT_STATE_PENDING"));
  EXPECT_TRUE(Alerts(kCentral, "item = \"" + ahead.name() + "\"").empty());
}

TEST_F(AlertsTest, KillNineWhileProducingLeavesEachAlertExactlyOnce) {
  const absl::CivilDay today = api::TodayInVietnam();
  std::vector<std::string> items;
  for (int i = 0; i < 150; ++i) items.push_back(HanoiTask(absl::StrCat("k", i), today - 30).name());
  // Kill the reports server at several moments of a pass (called
  // directly: the gateway stays out of the way of the restarts); a
  // restarted server makes a pass of its own as it starts.
  for (const int millis : {5, 30, 80, 200}) {
    std::thread pass([&] {
      v1::ProduceAlertsResponse produced;
      (void)Call<ReportStub>(reports_->NewChannel(), "", &ReportStub::Stub::ProduceAlerts,
                             v1::ProduceAlertsRequest(), &produced, absl::Seconds(30));
    });
    absl::SleepFor(absl::Milliseconds(millis));
    reports_->Signal(SIGKILL);
    pass.join();
    reports_ = StartServer(CAUNOI_REPORTS_SERVER,
                           {{"CAUNOI_DATABASE_URL", postgres_->dsn()},
                            {"CAUNOI_ORGANIZATIONS_ADDRESS", organizations_->address()},
                            {"CAUNOI_DIRECTIVES_ADDRESS", directives_->address()}});
    ASSERT_NE(reports_, nullptr);
  }
  Produce(reports_->NewChannel(), "");
  Produce(reports_->NewChannel(), "");
  std::map<std::string, int> counts;
  for (const v1::Alert& alert :
       Alerts("", "document = \"" + FindDocument("05-TT/TU") + "\"", reports_->NewChannel())) {
    ++counts[absl::StrCat(alert.item(), " ", v1::AlertKind_Name(alert.kind()))];
  }
  for (const std::string& item : items) {
    EXPECT_EQ(counts[item + " ALERT_KIND_OVERDUE"], 1) << item;
    EXPECT_EQ(counts[item + " ALERT_KIND_ESCALATION"], 1) << item;
  }
}

// A pass records its alerts a batch at a time, each batch in a transaction
// of its own, so that a backlog too large for one pass is kept as far as
// the pass got; no alert is recorded twice.
TEST_F(AlertsTest, APassRecordsItsAlertsInTransactionsOfTheSizeAsked) {
  const absl::CivilDay today = api::TodayInVietnam();
  std::vector<std::string> items;
  for (int i = 0; i < 30; ++i) items.push_back(HanoiTask(absl::StrCat("b", i), today - 30).name());
  reports_->Signal(SIGKILL);
  ASSERT_THAT(reports_->WaitForExit(absl::Seconds(10)).status(), IsOk());
  reports_ = StartServer(CAUNOI_REPORTS_SERVER,
                         {{"CAUNOI_DATABASE_URL", postgres_->dsn()},
                          {"CAUNOI_ORGANIZATIONS_ADDRESS", organizations_->address()},
                          {"CAUNOI_DIRECTIVES_ADDRESS", directives_->address()}},
                         {"--alerts_per_transaction=7"});
  ASSERT_NE(reports_, nullptr);
  Produce(reports_->NewChannel(), "");
  EXPECT_EQ(Produce(reports_->NewChannel(), "").produced(), 0);

  auto connection = Connect("alerts-check");
  ASSERT_NE(connection, nullptr);
  // Rows written by one transaction share its id (xmin).
  auto batches =
      connection->Execute({"alert_batches",
                           "SELECT count(*), count(DISTINCT (item, kind)), max(n),"
                           " count(DISTINCT tx) FROM (SELECT item, kind, xmin::text AS tx,"
                           " count(*) OVER (PARTITION BY xmin::text) AS n"
                           " FROM reports.alerts WHERE item = ANY($1::text[])) a"},
                          {pg::ArrayLiteral(std::span<const std::string>(items))});
  ASSERT_THAT(batches.status(), IsOk());
  EXPECT_EQ(*batches->Int64(0, 0), 60);  // an overdue alert and an escalation each
  EXPECT_EQ(*batches->Int64(0, 1), 60);
  EXPECT_LE(*batches->Int64(0, 2), 7);
  EXPECT_GE(*batches->Int64(0, 3), 60 / 7);
}

// The signature a receiver checks, computed here from the secret.
std::string Sign(const std::string& secret, const std::string& id, const std::string& timestamp,
                 const std::string& body) {
  std::string key;
  EXPECT_TRUE(absl::Base64Unescape(absl::StripPrefix(secret, "whsec_"), &key));
  const std::string content = absl::StrCat(id, ".", timestamp, ".", body);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(content.data()), content.size(), mac, &length);
  return absl::StrCat("v1,",
                      absl::Base64Escape(absl::string_view(reinterpret_cast<char*>(mac), length)));
}

TEST_F(AlertsTest, ARefusingReceiverGetsEveryAlertSignedAndNoneTwiceOnceItAccepts) {
  // Retries come quickly here so that a 30 s refusal is waited out.
  reports_ = StartServer(CAUNOI_REPORTS_SERVER,
                         {{"CAUNOI_DATABASE_URL", postgres_->dsn()},
                          {"CAUNOI_ORGANIZATIONS_ADDRESS", organizations_->address()},
                          {"CAUNOI_DIRECTIVES_ADDRESS", directives_->address()},
                          {"CAUNOI_WEBHOOK_INITIAL_BACKOFF", "500ms"},
                          {"CAUNOI_WEBHOOK_MAX_BACKOFF", "3s"},
                          {"CAUNOI_WEBHOOK_MAX_ATTEMPTS", "40"}});
  ASSERT_NE(reports_, nullptr);
  gateway_ = StartGateway({});
  ASSERT_NE(gateway_, nullptr);
  caunoi::testing::WebhookReceiver receiver(absl::Now() + absl::Seconds(30));
  ASSERT_NE(receiver.port(), 0);
  // A webhook receives the alerts produced from its registration on.
  std::set<std::string> before;
  for (const v1::Alert& alert : Alerts(kHaufo, "")) before.insert(alert.name());

  v1::CreateWebhookRequest create;
  create.mutable_webhook()->set_url(receiver.url());
  v1::Webhook webhook;
  ASSERT_THAT(Call<ReportStub>(gateway_->NewChannel(), kHaufo, &ReportStub::Stub::CreateWebhook,
                               create, &webhook),
              IsOk());
  ASSERT_TRUE(absl::StartsWith(webhook.secret(), "whsec_"));
  create.mutable_webhook()->set_url("file:///etc/passwd");
  v1::Webhook refused;
  EXPECT_THAT(Call<ReportStub>(gateway_->NewChannel(), kHaufo, &ReportStub::Stub::CreateWebhook,
                               create, &refused),
              StatusIs(absl::StatusCode::kInvalidArgument));

  const absl::CivilDay today = api::TodayInVietnam();
  for (int i = 0; i < 5; ++i) HanoiTask(absl::StrCat("w", i), today - 2);
  Produce(gateway_->NewChannel());
  // What HAUFO may see is what it is sent.
  std::set<std::string> expected;
  for (const v1::Alert& alert : Alerts(kHaufo, "")) {
    if (!before.contains(alert.name())) expected.insert(alert.name());
  }
  ASSERT_GE(expected.size(), 5u);

  v1::ListDeliveriesRequest list;
  list.set_parent(webhook.name());
  list.set_page_size(500);
  v1::ListDeliveriesResponse deliveries;
  const absl::Time give_up = absl::Now() + absl::Seconds(90);
  while (absl::Now() < give_up) {
    ASSERT_THAT(Call<ReportStub>(gateway_->NewChannel(), kHaufo, &ReportStub::Stub::ListDeliveries,
                                 list, &deliveries),
                IsOk());
    bool all = deliveries.deliveries_size() == static_cast<int>(expected.size());
    for (const v1::Delivery& delivery : deliveries.deliveries()) {
      all &= delivery.state() == v1::DELIVERY_STATE_DELIVERED;
    }
    if (all) break;
    absl::SleepFor(absl::Milliseconds(500));
  }
  std::set<std::string> delivered_alerts;
  for (const v1::Delivery& delivery : deliveries.deliveries()) {
    EXPECT_EQ(delivery.state(), v1::DELIVERY_STATE_DELIVERED) << delivery.name();
    EXPECT_GT(delivery.attempts(), 1) << "the receiver refused at first";
    delivered_alerts.insert(delivery.alert());
  }
  EXPECT_EQ(delivered_alerts, expected);

  // At the receiver: refusals first, then each message accepted once, each
  // signature valid over its id, timestamp and body.
  std::map<std::string, int> accepted;
  int refusals = 0;
  for (const auto& request : receiver.requests()) {
    const std::string& id = request.headers.at("webhook-id");
    const std::string& timestamp = request.headers.at("webhook-timestamp");
    EXPECT_EQ(request.headers.at("webhook-signature"),
              Sign(webhook.secret(), id, timestamp, request.body))
        << id;
    int64_t sent = 0;
    ASSERT_TRUE(absl::SimpleAtoi(timestamp, &sent));
    EXPECT_LT(std::abs(absl::ToUnixSeconds(request.time) - sent), 300);
    EXPECT_THAT(request.body, ::testing::HasSubstr("\"type\":\"alert.created\""));
    if (request.answered == 204) {
      ++accepted[id];
    } else {
      ++refusals;
    }
  }
  EXPECT_GT(refusals, 0);
  EXPECT_EQ(accepted.size(), expected.size());
  for (const auto& [id, times] : accepted) EXPECT_EQ(times, 1) << id;
}

TEST_F(AlertsTest, WatchersResumeFromTheirCursorsAndAnExpiredCursorIsOutOfRange) {
  // WatchAlerts through the gateway: HAUFO reads what exists, leaves,
  // misses nothing made meanwhile, and never sees Ho Chi Minh City's.
  const absl::CivilDay today = api::TodayInVietnam();
  HanoiTask("r1", today - 3);
  Produce(gateway_->NewChannel());
  auto watch_alerts = [&](const std::string& cursor, size_t until,
                          std::vector<v1::AlertEvent>& seen) {
    auto stub = ReportStub::NewStub(gateway_->NewChannel());
    grpc::ClientContext context;
    context.AddMetadata("authorization", std::string("Bearer ") + kHaufo);
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
    v1::WatchAlertsRequest request;
    request.set_cursor(cursor);
    auto stream = stub->WatchAlerts(&context, request);
    v1::AlertEvent event;
    while (seen.size() < until && stream->Read(&event)) seen.push_back(event);
    context.TryCancel();
    (void)stream->Finish();
  };
  std::vector<v1::AlertEvent> seen;
  watch_alerts("0", 1, seen);
  ASSERT_EQ(seen.size(), 1u);
  const v1::Task later = HanoiTask("r2", today - 3);
  Produce(gateway_->NewChannel());
  // Alerts of HAUFO's so far, and the new one.
  const size_t total = Alerts(kHaufo, "").size();
  watch_alerts(seen.back().cursor(), total, seen);
  std::set<std::string> names;
  int64_t previous = 0;
  for (const v1::AlertEvent& event : seen) {
    int64_t position = 0;
    ASSERT_TRUE(absl::SimpleAtoi(event.cursor(), &position));
    EXPECT_GT(position, previous);
    previous = position;
    EXPECT_TRUE(event.alert().unit() == kHaufoName ||
                std::find(event.alert().addressees().begin(), event.alert().addressees().end(),
                          kHaufoName) != event.alert().addressees().end());
    names.insert(event.alert().name());
  }
  EXPECT_EQ(names.size(), total);
  bool saw_later = false;
  for (const v1::AlertEvent& event : seen) saw_later |= event.alert().item() == later.name();
  EXPECT_TRUE(saw_later);

  // The gateway's merged WatchChanges: a watcher of Hanoi's changes that
  // left sees a task written while it was away, and only Hanoi's.
  auto watch_changes = [&](const std::string& cursor, const std::string& locality,
                           absl::Duration wait, std::vector<v1::Change>& changes) {
    auto stub = v1::GatewayService::NewStub(gateway_->NewChannel());
    grpc::ClientContext context;
    context.AddMetadata("authorization", std::string("Bearer ") + kReader);
    context.set_deadline(absl::ToChronoTime(absl::Now() + wait));
    v1::WatchChangesRequest request;
    request.set_cursor(cursor);
    request.set_locality(locality);
    auto stream = stub->WatchChanges(&context, request);
    v1::Change change;
    while (stream->Read(&change)) changes.push_back(change);
    return FromGrpcStatus(stream->Finish());
  };
  std::vector<v1::Change> hanoi;
  EXPECT_THAT(watch_changes("0", "localities/01", absl::Seconds(3), hanoi),
              StatusIs(absl::StatusCode::kDeadlineExceeded));
  ASSERT_FALSE(hanoi.empty());
  for (const v1::Change& change : hanoi) EXPECT_EQ(change.locality(), "localities/01");
  const std::string resume = hanoi.back().cursor();
  EXPECT_TRUE(absl::StartsWith(resume, "d")) << resume;
  const v1::Task away = HanoiTask("r3", today + 30);
  std::vector<v1::Change> after;
  (void)watch_changes(resume, "localities/01", absl::Seconds(3), after);
  bool saw_away = false;
  for (const v1::Change& change : after) {
    saw_away |= change.resource() == away.name() && change.action() == "create";
  }
  EXPECT_TRUE(saw_away);
  std::vector<v1::Change> elsewhere;
  (void)watch_changes(resume, "localities/79", absl::Seconds(2), elsewhere);
  for (const v1::Change& change : elsewhere) EXPECT_NE(change.resource(), away.name());
  std::vector<v1::Change> garbage;
  EXPECT_THAT(watch_changes("x1", "", absl::Seconds(2), garbage),
              StatusIs(absl::StatusCode::kInvalidArgument));

  // A replica keeping changes for one second removes the older ones when
  // it starts; a cursor before them is OUT_OF_RANGE, naming the oldest.
  absl::SleepFor(absl::Milliseconds(1500));
  auto short_memory = StartServer(CAUNOI_DIRECTIVES_SERVER,
                                  {{"CAUNOI_DATABASE_URL", postgres_->dsn()},
                                   {"CAUNOI_ORGANIZATIONS_ADDRESS", organizations_->address()},
                                   {"CAUNOI_CHANGE_RETENTION", "1s"}});
  ASSERT_NE(short_memory, nullptr);
  v1::ListChangesRequest old;
  old.set_cursor("1");
  v1::ListChangesResponse page;
  absl::Status expired;
  const absl::Time give_up = absl::Now() + absl::Seconds(10);
  do {
    expired = Call<DirectiveStub>(short_memory->NewChannel(), "", &DirectiveStub::Stub::ListChanges,
                                  old, &page);
    if (!expired.ok()) break;
    absl::SleepFor(absl::Milliseconds(100));
  } while (absl::Now() < give_up);
  EXPECT_THAT(expired, StatusIs(absl::StatusCode::kOutOfRange));
  EXPECT_THAT(std::string(expired.message()), ::testing::HasSubstr("oldest cursor still held"));
  old.set_cursor("0");  // from the oldest still held
  EXPECT_THAT(Call<DirectiveStub>(short_memory->NewChannel(), "", &DirectiveStub::Stub::ListChanges,
                                  old, &page),
              IsOk());
}

}  // namespace
}  // namespace caunoi
