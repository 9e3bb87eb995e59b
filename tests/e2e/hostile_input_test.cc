// Hostile input through the gateway harms no one else: errors stay small
// whatever a request held, and values without bounds are refused before
// they can break a total.
#include <cstdint>
#include <limits>
#include <thread>

#include "common/api/dates.h"
#include "common/pg/connection.h"
#include "common/status/errors.h"
#include "common/testing/error_details.h"
#include "tests/e2e/gateway_fixture.h"

namespace caunoi {
namespace {

using ::caunoi::testing::FieldOf;
using ::caunoi::testing::IsOk;
using ::caunoi::testing::StatusIs;
using HostileInputTest = GatewayTest;

// A unary call as a plain gRPC client makes it, keeping the raw status.
grpc::Status GetDocument(v1::DirectiveService::Stub& stub, const std::string& token,
                         const std::string& name) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  context.AddMetadata("authorization", "Bearer " + token);
  v1::GetDocumentRequest request;
  request.set_name(name);
  v1::Document document;
  return stub.GetDocument(&context, request, &document);
}

TEST_F(HostileInputTest, AnOversizedNameLeavesEveryoneElsesCallsUntouched) {
  const std::string valid = FindDocument("12-CT/TW");
  ASSERT_FALSE(valid.empty());
  const std::string hostile = "directives/" + std::string(100 * 1024, 'x');
  auto reader = v1::DirectiveService::NewStub(gateway_->NewChannel());
  auto hanoi = v1::DirectiveService::NewStub(gateway_->NewChannel());
  for (int i = 0; i < 20; ++i) {
    const grpc::Status refused = GetDocument(*reader, kReader, hostile);
    ASSERT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << refused.error_message().substr(0, 200);
    EXPECT_LT(refused.error_message().size(), 200u);
    EXPECT_LT(refused.error_details().size(), 1024u);
    // The same connection, and another principal's, go on answering.
    EXPECT_TRUE(GetDocument(*reader, kReader, valid).ok());
    EXPECT_TRUE(GetDocument(*hanoi, kHanoi, valid).ok());
  }
}

// How many statements of the organizations server wait on a lock now.
int64_t WaitingOnALock(pg::Connection& observer) {
  constexpr pg::Statement kWaiting{
      "waiting_on_a_lock",
      "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'caunoi-organizations'"
      " AND state = 'active' AND wait_event_type = 'Lock'"};
  absl::StatusOr<pg::Result> counted = observer.Execute(kWaiting);
  if (!counted.ok()) return -1;
  return std::stoll(counted->OptionalText(0, 0).value_or("-1"));
}

// A caller that gives up takes its database work with it: the statement
// waiting on a row another transaction holds ends within a second of the
// cancel, long before the call's own 20-second deadline, and writes nothing.
TEST_F(HostileInputTest, ACancelledCallEndsItsDatabaseStatement) {
  auto holder = Connect("test-holder");
  auto observer = Connect("test-observer");
  ASSERT_NE(holder, nullptr);
  ASSERT_NE(observer, nullptr);
  ASSERT_THAT(holder
                  ->ExecuteScript("BEGIN; SELECT 1 FROM organizations.organizations"
                                  " WHERE id = 2 FOR UPDATE")
                  .status(),
              IsOk());

  v1::UpdateOrganizationRequest request;
  request.mutable_organization()->set_name(kHaufoName);
  request.mutable_organization()->set_english_name("Hanoi Union of Friendship Organizations (X)");
  request.mutable_update_mask()->add_paths("english_name");
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(20)));
  context.AddMetadata("authorization", std::string("Bearer ") + kCentral);
  grpc::Status answer;
  std::thread caller([&] {
    auto stub = v1::OrganizationService::NewStub(gateway_->NewChannel());
    v1::Organization updated;
    answer = stub->UpdateOrganization(&context, request, &updated);
  });
  const absl::Time waiting_since = absl::Now();
  while (WaitingOnALock(*observer) == 0 && absl::Now() - waiting_since < absl::Seconds(10)) {
    absl::SleepFor(absl::Milliseconds(20));
  }
  ASSERT_EQ(WaitingOnALock(*observer), 1) << "the update never reached its row lock";

  context.TryCancel();
  const absl::Time cancelled_at = absl::Now();
  while (WaitingOnALock(*observer) > 0 && absl::Now() - cancelled_at < absl::Seconds(10)) {
    absl::SleepFor(absl::Milliseconds(20));
  }
  const absl::Duration lingered = absl::Now() - cancelled_at;
  caller.join();
  EXPECT_EQ(answer.error_code(), grpc::StatusCode::CANCELLED);
  EXPECT_EQ(WaitingOnALock(*observer), 0);
  EXPECT_LT(lingered, absl::Seconds(1));

  ASSERT_THAT(holder->ExecuteScript("ROLLBACK").status(), IsOk());
  v1::GetOrganizationRequest get;
  get.set_name(kHaufoName);
  v1::Organization haufo;
  ASSERT_THAT(
      Call<v1::OrganizationService>(gateway_->NewChannel(), kReader,
                                    &v1::OrganizationService::Stub::GetOrganization, get, &haufo),
      IsOk());
  EXPECT_NE(haufo.english_name(), request.organization().english_name());
}

// A principal runs one aggregate at a time: while its first waits (on a
// table another transaction holds), a second is refused at the gateway
// with AGGREGATES_IN_FLIGHT, another principal's is let through, and once
// the first has answered the principal may ask again.
TEST_F(HostileInputTest, OnePrincipalRunsOneAggregateAtATime) {
  auto holder = Connect("test-holder");
  ASSERT_NE(holder, nullptr);
  ASSERT_THAT(holder
                  ->ExecuteScript("BEGIN; LOCK TABLE organizations.organizations"
                                  " IN ACCESS EXCLUSIVE MODE")
                  .status(),
              IsOk());
  auto stats = [&](const char* token) {
    v1::GetLocalityStatsRequest request;
    v1::GetLocalityStatsResponse response;
    return Call<v1::OrganizationService>(gateway_->NewChannel(), token,
                                         &v1::OrganizationService::Stub::GetLocalityStats, request,
                                         &response);
  };
  absl::Status first, other;
  std::thread reader([&] { first = stats(kReader); });
  absl::SleepFor(absl::Milliseconds(500));  // the first is running, waiting on the lock
  std::thread hanoi([&] { other = stats(kHanoi); });
  const absl::Status second = stats(kReader);
  EXPECT_THAT(second, StatusIs(absl::StatusCode::kResourceExhausted));
  EXPECT_EQ(testing::ReasonOf(second), "AGGREGATES_IN_FLIGHT");
  absl::SleepFor(absl::Milliseconds(300));
  ASSERT_THAT(holder->ExecuteScript("ROLLBACK").status(), IsOk());
  reader.join();
  hanoi.join();
  EXPECT_THAT(first, IsOk());
  EXPECT_THAT(other, IsOk());
  EXPECT_THAT(stats(kReader), IsOk());
}

TEST_F(HostileInputTest, FiguresWithoutBoundsAreRefusedBeforeTheyBreakATotal) {
  v1::CreateActivityRequest request;
  v1::Activity* activity = request.mutable_activity();
  activity->set_title("Giao lưu hữu nghị");
  *activity->mutable_start_date() = api::ToDate(absl::CivilDay(2024, 5, 2));
  activity->set_organizer(kHaufoName);
  activity->set_locality("localities/01");
  activity->set_kind(v1::ACTIVITY_KIND_EXCHANGE);
  activity->set_participants(std::numeric_limits<int64_t>::max());
  v1::Activity created;
  absl::Status refused = Call<v1::ReportService>(
      gateway_->NewChannel(), kHaufo, &v1::ReportService::Stub::CreateActivity, request, &created);
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kInvalidArgument));
  ASSERT_TRUE(GetBadRequest(refused).has_value());
  EXPECT_EQ(GetBadRequest(refused)->field_violations(0).field(), "activity.participants");
  activity->set_participants(10'000'000);
  for (int i = 0; i < 2; ++i) {
    ASSERT_THAT(
        Call<v1::ReportService>(gateway_->NewChannel(), kHaufo,
                                &v1::ReportService::Stub::CreateActivity, request, &created),
        IsOk());
  }
  v1::SummarizeActivitiesRequest summary;
  summary.set_locality("localities/01");
  v1::SummarizeActivitiesResponse counts;
  ASSERT_THAT(
      Call<v1::ReportService>(gateway_->NewChannel(), kReader,
                              &v1::ReportService::Stub::SummarizeActivities, summary, &counts),
      IsOk());

  v1::CreateReportRequest report;
  report.set_parent("obligations/1");
  report.mutable_report()->set_period("2026-H2");
  report.mutable_report()->mutable_figures()->set_funds_vnd(std::numeric_limits<int64_t>::max());
  v1::Report filed;
  absl::Status figures = Call<v1::ReportService>(
      gateway_->NewChannel(), kHaufo, &v1::ReportService::Stub::CreateReport, report, &filed);
  ASSERT_TRUE(GetBadRequest(figures).has_value());
  EXPECT_EQ(GetBadRequest(figures)->field_violations(0).field(), "report.figures.funds_vnd");
}

TEST_F(HostileInputTest, ValuesThatMakeNoSenseAreRefusedNamingTheField) {
  auto channel = gateway_->NewChannel();
  const v1::Document ct12 = DemoDocument("12-CT/TW");
  ASSERT_FALSE(ct12.name().empty());
  const std::string& directive = ct12.name();
  v1::CreateDocumentRequest document;
  document.mutable_document()->set_symbol("97-CT/TW");
  document.mutable_document()->set_issuing_body("Ban Bí thư");
  document.mutable_document()->set_issuing_organization(ct12.issuing_organization());
  document.mutable_document()->set_level(v1::DOCUMENT_LEVEL_CENTRAL);
  document.mutable_document()->set_title("Chỉ thị");
  *document.mutable_document()->mutable_issue_date() = api::ToDate(absl::CivilDay(9999, 12, 31));
  v1::Document created;
  auto create_document = [&](const v1::CreateDocumentRequest& request) {
    return Call<v1::DirectiveService>(
        channel, kCentral, &v1::DirectiveService::Stub::CreateDocument, request, &created);
  };
  EXPECT_EQ(FieldOf(create_document(document)), "document.issue_date.year");
  *document.mutable_document()->mutable_issue_date() = api::ToDate(absl::CivilDay(2024, 3, 1));
  // 70,000 parents are refused before any of them is looked at.
  v1::CreateDocumentRequest many_parents = document;
  for (int i = 0; i < 70'000; ++i) many_parents.mutable_document()->add_parents(directive);
  const absl::Time start = absl::Now();
  EXPECT_EQ(FieldOf(create_document(many_parents)), "document.parents");
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));
  v1::CreateDocumentRequest twice = document;
  twice.mutable_document()->add_parents(directive);
  twice.mutable_document()->add_parents(directive);
  EXPECT_EQ(FieldOf(create_document(twice)), "document.parents[1]");
  v1::CreateDocumentRequest unknown_status = document;
  unknown_status.mutable_document()->set_status(static_cast<v1::DocumentStatus>(99));
  EXPECT_EQ(FieldOf(create_document(unknown_status)), "document.status");

  v1::CreateTaskRequest task;
  task.set_parent(directive);
  task.mutable_task()->set_number("9");
  task.mutable_task()->set_title("Nhiệm vụ");
  task.mutable_task()->set_lead(kHaufoName);
  task.mutable_task()->set_phase(static_cast<v1::TaskPhase>(99));
  v1::Task created_task;
  auto create_task = [&](const v1::CreateTaskRequest& request) {
    return Call<v1::DirectiveService>(channel, kCentral, &v1::DirectiveService::Stub::CreateTask,
                                      request, &created_task);
  };
  EXPECT_EQ(FieldOf(create_task(task)), "task.phase");
  task.mutable_task()->set_phase(v1::TASK_PHASE_LONG_TERM);
  task.mutable_task()->add_co_operators("organizations/1");
  task.mutable_task()->add_co_operators("organizations/1");
  EXPECT_EQ(FieldOf(create_task(task)), "task.co_operators[1]");

  v1::CreateReportRequest blank;
  blank.set_parent("obligations/1");
  blank.mutable_report()->set_period("2026-H2");
  blank.mutable_report()->set_summary("   ");
  v1::Report report;
  EXPECT_EQ(FieldOf(Call<v1::ReportService>(channel, kHaufo, &v1::ReportService::Stub::CreateReport,
                                            blank, &report)),
            "report.summary");
}

}  // namespace
}  // namespace caunoi
