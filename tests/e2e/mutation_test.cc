// Every create RPC through the gateway, from a valid request, with one
// input field at a time made hostile (blank, oversized, NUL, bidirectional
// controls, huge and negative numbers, far dates, unknown enum numbers,
// overlong and repeated lists): each is refused with a clear status and a
// small error, and the valid request is still accepted after them.
#include <cstdint>
#include <functional>
#include <limits>
#include <set>
#include <type_traits>

#include "common/api/dates.h"
#include "common/status/errors.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/reflection.h"
#include "tests/e2e/gateway_fixture.h"

namespace caunoi {
namespace {

using ::caunoi::testing::IsOk;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

// One hostile variant of a valid request, with a label for the failure.
struct Variant {
  std::string field;
  std::string label;
  std::function<void(Message& resource)> apply;
};

// The hostile variants of every input field of `resource` but `skip`.
std::vector<Variant> HostileVariants(const Message& resource, const std::set<std::string>& skip) {
  std::vector<Variant> variants;
  const google::protobuf::Descriptor* descriptor = resource.GetDescriptor();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const FieldDescriptor* field = descriptor->field(i);
    if (skip.count(field->name()) > 0) continue;
    auto add = [&](const std::string& what, std::function<void(Message&)> apply) {
      variants.push_back({field->name(), field->name() + " " + what, std::move(apply)});
    };
    if (field->is_repeated()) {
      if (field->type() != FieldDescriptor::TYPE_STRING) continue;
      const std::string sample =
          resource.GetReflection()->FieldSize(resource, field) > 0
              ? resource.GetReflection()->GetRepeatedString(resource, field, 0)
              : "organizations/1";
      add("repeated", [field, sample](Message& m) {
        m.GetReflection()->ClearField(&m, field);
        m.GetReflection()->AddString(&m, field, sample);
        m.GetReflection()->AddString(&m, field, sample);
      });
      add("x1000", [field, sample](Message& m) {
        for (int n = 0; n < 1000; ++n) m.GetReflection()->AddString(&m, field, sample);
      });
      continue;
    }
    switch (field->cpp_type()) {
      case FieldDescriptor::CPPTYPE_STRING:
        for (const auto& [what, value] : std::vector<std::pair<std::string, std::string>>{
                 {"blank", "   "},
                 {"100KB", std::string(100 * 1024, 'x')},
                 {"NUL", std::string("a\0b", 3)},
                 {"bidi", "\u202eoN"},
                 {"newline+tab", "a\n\tb"}}) {
          // Newlines and tabs are fine in notes and summaries.
          if (what == "newline+tab" && field->name() != "title" && field->name() != "symbol" &&
              field->name() != "display_name") {
            continue;
          }
          add(what, [field, value = value](Message& m) {
            m.GetReflection()->SetString(&m, field, value);
          });
        }
        break;
      case FieldDescriptor::CPPTYPE_INT64:
        add("negative", [field](Message& m) { m.GetReflection()->SetInt64(&m, field, -1); });
        add("huge", [field](Message& m) {
          m.GetReflection()->SetInt64(&m, field, std::numeric_limits<int64_t>::max());
        });
        break;
      case FieldDescriptor::CPPTYPE_INT32:
        add("negative", [field](Message& m) { m.GetReflection()->SetInt32(&m, field, -1); });
        add("huge", [field](Message& m) {
          m.GetReflection()->SetInt32(&m, field, std::numeric_limits<int32_t>::max());
        });
        break;
      case FieldDescriptor::CPPTYPE_ENUM:
        add("unknown", [field](Message& m) { m.GetReflection()->SetEnumValue(&m, field, 99); });
        break;
      case FieldDescriptor::CPPTYPE_MESSAGE:
        if (field->message_type()->full_name() != "caunoi.v1.Date") break;
        add("year 9999", [field](Message& m) {
          auto* date = static_cast<v1::Date*>(m.GetReflection()->MutableMessage(&m, field));
          *date = api::ToDate(absl::CivilDay(9999, 12, 31));
        });
        add("month 13", [field](Message& m) {
          auto* date = static_cast<v1::Date*>(m.GetReflection()->MutableMessage(&m, field));
          *date = api::ToDate(absl::CivilDay(2024, 1, 1));
          date->set_month(13);
        });
        break;
      default:
        break;
    }
  }
  return variants;
}

class MutationTest : public GatewayTest {
 protected:
  // Sends every hostile variant of `valid` (whose resource `resource_of`
  // picks) with `token`, expecting each refused with a small error, then
  // the valid request itself accepted.
  template <typename Service, typename Request, typename Response>
  void ExpectEveryVariantRefused(
      const std::string& token,
      grpc::Status (Service::Stub::*method)(grpc::ClientContext*, const Request&, Response*),
      const Request& valid, std::type_identity_t<std::function<Message&(Request&)>> resource_of,
      const std::set<std::string>& skip) {
    Request probe = valid;
    const std::vector<Variant> variants = HostileVariants(resource_of(probe), skip);
    EXPECT_GE(variants.size(), 8u) << "too few input fields to mutate";
    for (const Variant& variant : variants) {
      Request request = valid;
      variant.apply(resource_of(request));
      auto stub = Service::NewStub(gateway_->NewChannel());
      grpc::ClientContext context;
      context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
      context.AddMetadata("authorization", "Bearer " + token);
      Response response;
      const grpc::Status status = (stub.get()->*method)(&context, request, &response);
      EXPECT_TRUE(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT ||
                  status.error_code() == grpc::StatusCode::NOT_FOUND ||
                  status.error_code() == grpc::StatusCode::FAILED_PRECONDITION)
          << variant.label << ": " << status.error_code() << " "
          << status.error_message().substr(0, 200);
      EXPECT_LT(status.error_message().size(), 600u) << variant.label;
      EXPECT_LT(status.error_details().size(), 2048u) << variant.label;
    }
    Response created;
    EXPECT_THAT(Call<Service>(gateway_->NewChannel(), token, method, valid, &created), IsOk())
        << "the valid request, after its variants";
  }

  // The same for an update of the resource named `name`: each variant
  // patches one field (`valid` gives the other fields' sample values) with
  // an update_mask of that field alone.
  template <typename Service, typename Request, typename Response>
  void ExpectEveryPatchRefused(const std::string& token,
                               grpc::Status (Service::Stub::*method)(grpc::ClientContext*,
                                                                     const Request&, Response*),
                               const Message& valid, const std::string& name,
                               std::type_identity_t<std::function<Message&(Request&)>> resource_of,
                               const std::set<std::string>& skip) {
    const std::vector<Variant> variants = HostileVariants(valid, skip);
    EXPECT_GE(variants.size(), 4u) << "too few updatable fields to mutate";
    for (const Variant& variant : variants) {
      Request request;
      Message& patch = resource_of(request);
      patch.CopyFrom(valid);
      variant.apply(patch);
      const google::protobuf::FieldDescriptor* name_field =
          patch.GetDescriptor()->FindFieldByName("name");
      patch.GetReflection()->SetString(&patch, name_field, name);
      // Unconditional, so one variant's outcome cannot decide the next's.
      patch.GetReflection()->ClearField(&patch, patch.GetDescriptor()->FindFieldByName("etag"));
      request.mutable_update_mask()->add_paths(variant.field);
      Response response;
      const absl::Status status =
          Call<Service>(gateway_->NewChannel(), token, method, request, &response);
      EXPECT_TRUE(absl::IsInvalidArgument(status) || absl::IsNotFound(status) ||
                  absl::IsFailedPrecondition(status))
          << variant.label << ": " << status.ToString().substr(0, 200);
      EXPECT_LT(status.message().size(), 600u) << variant.label;
    }
  }

  // A list as the reader sees it.
  template <typename Service, typename Request, typename Response>
  Response ReadList(grpc::Status (Service::Stub::*method)(grpc::ClientContext*, const Request&,
                                                          Response*),
                    const Request& request) {
    Response response;
    EXPECT_THAT(Call<Service>(gateway_->NewChannel(), kReader, method, request, &response), IsOk());
    return response;
  }
};

const std::set<std::string> kOutputOnly = {"name", "etag", "create_time", "update_time",
                                           "current_locality"};

std::set<std::string> Plus(std::set<std::string> more) {
  more.insert(kOutputOnly.begin(), kOutputOnly.end());
  return more;
}

TEST_F(MutationTest, EveryCreateRefusesEachHostileField) {
  const std::string directive = FindDocument("12-CT/TW");
  ASSERT_FALSE(directive.empty());

  v1::CreateDocumentRequest document;
  document.set_request_id("mutation-document");
  document.mutable_document()->set_symbol("96-CT/TW");
  document.mutable_document()->set_issuing_body("Ban Bí thư");
  document.mutable_document()->set_issuing_organization(CentralIssuer());
  document.mutable_document()->set_level(v1::DOCUMENT_LEVEL_CENTRAL);
  document.mutable_document()->set_title("Chỉ thị");
  *document.mutable_document()->mutable_issue_date() = api::ToDate(absl::CivilDay(2024, 3, 1));
  document.mutable_document()->add_parents(directive);
  ExpectEveryVariantRefused<v1::DirectiveService>(
      kCentral, &v1::DirectiveService::Stub::CreateDocument, document,
      [](v1::CreateDocumentRequest& r) -> Message& { return *r.mutable_document(); },
      Plus({"number", "type_code", "issuer_code", "normalized_symbol"}));

  v1::CreateTaskRequest task;
  task.set_parent(directive);
  task.mutable_task()->set_number("9");
  task.mutable_task()->set_title("Nhiệm vụ");
  task.mutable_task()->set_lead(kHaufoName);
  task.mutable_task()->set_phase(v1::TASK_PHASE_LONG_TERM);
  task.mutable_task()->add_co_operators("organizations/1");
  ExpectEveryVariantRefused<v1::DirectiveService>(
      kCentral, &v1::DirectiveService::Stub::CreateTask, task,
      [](v1::CreateTaskRequest& r) -> Message& { return *r.mutable_task(); },
      Plus({"status", "progress_percent"}));

  v1::CreateOrganizationRequest organization;
  organization.mutable_organization()->set_display_name("Hội hữu nghị thử");
  organization.mutable_organization()->set_kind(v1::ORGANIZATION_KIND_FRIENDSHIP_ASSOCIATION);
  organization.mutable_organization()->set_level(v1::ORGANIZATION_LEVEL_PROVINCIAL);
  organization.mutable_organization()->set_locality("localities/01");
  ExpectEveryVariantRefused<v1::OrganizationService>(
      kCentral, &v1::OrganizationService::Stub::CreateOrganization, organization,
      [](v1::CreateOrganizationRequest& r) -> Message& { return *r.mutable_organization(); },
      Plus({"member_count"}));

  v1::CreateActivityRequest activity;
  activity.mutable_activity()->set_title("Giao lưu hữu nghị");
  *activity.mutable_activity()->mutable_start_date() = api::ToDate(absl::CivilDay(2024, 5, 2));
  activity.mutable_activity()->set_organizer(kHaufoName);
  activity.mutable_activity()->set_locality("localities/01");
  activity.mutable_activity()->set_kind(v1::ACTIVITY_KIND_EXCHANGE);
  activity.mutable_activity()->set_participants(120);
  activity.mutable_activity()->add_partner_countries("countries/LA");
  activity.mutable_activity()->add_documents(directive);
  ExpectEveryVariantRefused<v1::ReportService>(
      kHaufo, &v1::ReportService::Stub::CreateActivity, activity,
      [](v1::CreateActivityRequest& r) -> Message& { return *r.mutable_activity(); }, Plus({}));

  v1::CreateProposalRequest proposal;
  proposal.mutable_proposal()->set_text("Đề nghị bổ sung kinh phí");
  proposal.mutable_proposal()->set_raised_by(kHaufoName);
  *proposal.mutable_proposal()->mutable_raised_date() = api::ToDate(absl::CivilDay(2024, 1, 10));
  ExpectEveryVariantRefused<v1::ReportService>(
      kHaufo, &v1::ReportService::Stub::CreateProposal, proposal,
      [](v1::CreateProposalRequest& r) -> Message& { return *r.mutable_proposal(); },
      Plus({"age_days", "assignments"}));

  v1::CreateReportRequest report;
  report.set_parent("obligations/1");
  report.mutable_report()->set_period("2026-H2");
  report.mutable_report()->set_summary("Báo cáo 6 tháng cuối năm");
  ExpectEveryVariantRefused<v1::ReportService>(
      kHaufo, &v1::ReportService::Stub::CreateReport, report,
      [](v1::CreateReportRequest& r) -> Message& { return *r.mutable_report(); },
      Plus({"state", "submitted_date", "due_date", "timeliness", "review_comment", "commune"}));
}

TEST_F(MutationTest, TheRegistryDutiesAndEventsRefuseEachHostileField) {
  const std::string directive = FindDocument("05-TT/TU");
  ASSERT_FALSE(directive.empty());

  v1::CreateDisseminationEventRequest event;
  event.set_parent(directive);
  event.mutable_dissemination_event()->set_organizer(kHaufoName);
  *event.mutable_dissemination_event()->mutable_date() = api::ToDate(absl::CivilDay(2024, 6, 1));
  event.mutable_dissemination_event()->set_format(v1::DISSEMINATION_FORMAT_CONFERENCE);
  event.mutable_dissemination_event()->set_audience("Cán bộ chủ chốt");
  event.mutable_dissemination_event()->set_head_count(300);
  event.mutable_dissemination_event()->set_locality("localities/01");
  ExpectEveryVariantRefused<v1::DirectiveService>(
      kHanoi, &v1::DirectiveService::Stub::CreateDisseminationEvent, event,
      [](v1::CreateDisseminationEventRequest& r) -> Message& {
        return *r.mutable_dissemination_event();
      },
      Plus({"at_least"}));

  v1::CreateMemberCountRequest count;
  count.set_parent(kHaufoName);
  count.mutable_member_count()->set_count(41000);
  *count.mutable_member_count()->mutable_as_of() = api::ToDate(absl::CivilDay(2024, 12, 31));
  count.mutable_member_count()->set_source("Báo cáo tổng kết năm 2024");
  ExpectEveryVariantRefused<v1::OrganizationService>(
      kHanoi, &v1::OrganizationService::Stub::CreateMemberCount, count,
      [](v1::CreateMemberCountRequest& r) -> Message& { return *r.mutable_member_count(); },
      Plus({"at_least"}));

  v1::CreatePersonRequest person;
  person.mutable_person()->set_full_name("Trần Văn Thử");
  person.mutable_person()->set_note("Cán bộ đối ngoại");
  ExpectEveryVariantRefused<v1::OrganizationService>(
      kCentral, &v1::OrganizationService::Stub::CreatePerson, person,
      [](v1::CreatePersonRequest& r) -> Message& { return *r.mutable_person(); }, Plus({}));

  v1::CreatePartnerRequest partner;
  partner.mutable_partner()->set_display_name("Hội hữu nghị thử");
  partner.mutable_partner()->set_kind(v1::PARTNER_KIND_FOREIGN_PEOPLES_ORGANIZATION);
  partner.mutable_partner()->set_country("countries/LA");
  partner.mutable_partner()->set_note("Đối tác");
  ExpectEveryVariantRefused<v1::OrganizationService>(
      kCentral, &v1::OrganizationService::Stub::CreatePartner, partner,
      [](v1::CreatePartnerRequest& r) -> Message& { return *r.mutable_partner(); }, Plus({}));

  v1::CreateObligationRequest duty;
  duty.mutable_obligation()->set_document(directive);
  duty.mutable_obligation()->set_unit("organizations/1");  // VUFO reports to Hanoi, for the test
  duty.mutable_obligation()->set_cadence(v1::CADENCE_HALF_YEARLY);
  duty.mutable_obligation()->set_timely_days(15);
  duty.mutable_obligation()->set_first_period("2022-H2");
  duty.mutable_obligation()->set_reviewer("organizations/3");
  ExpectEveryVariantRefused<v1::ReportService>(
      kHanoi, &v1::ReportService::Stub::CreateObligation, duty,
      [](v1::CreateObligationRequest& r) -> Message& { return *r.mutable_obligation(); },
      Plus({"locality", "unit_locality", "commune"}));
}

TEST_F(MutationTest, EveryUpdateRefusesEachHostilePatch) {
  const v1::Document circular = DemoDocument("05-TT/TU");
  ASSERT_FALSE(circular.name().empty());
  ExpectEveryPatchRefused<v1::DirectiveService, v1::UpdateDocumentRequest, v1::Document>(
      kHanoi, &v1::DirectiveService::Stub::UpdateDocument, circular, circular.name(),
      [](v1::UpdateDocumentRequest& r) -> Message& { return *r.mutable_document(); },
      Plus({"number", "type_code", "issuer_code", "normalized_symbol", "etag", "parents",
            "status_date", "superseded_by"}));

  v1::GetOrganizationRequest get_unit;
  get_unit.set_name(kHaufoName);
  v1::Organization haufo;
  ASSERT_THAT(Call<v1::OrganizationService>(gateway_->NewChannel(), kReader,
                                            &v1::OrganizationService::Stub::GetOrganization,
                                            get_unit, &haufo),
              IsOk());
  haufo.clear_member_count();
  ExpectEveryPatchRefused<v1::OrganizationService, v1::UpdateOrganizationRequest, v1::Organization>(
      kHanoi, &v1::OrganizationService::Stub::UpdateOrganization, haufo, haufo.name(),
      [](v1::UpdateOrganizationRequest& r) -> Message& { return *r.mutable_organization(); },
      Plus({"member_count", "parent", "merged_into", "status_date", "country", "founded"}));

  v1::GetObligationRequest get_duty;
  get_duty.set_name("obligations/1");
  v1::Obligation duty;
  ASSERT_THAT(Call<v1::ReportService>(gateway_->NewChannel(), kReader,
                                      &v1::ReportService::Stub::GetObligation, get_duty, &duty),
              IsOk());
  duty.set_reviewer("organizations/3");
  ExpectEveryPatchRefused<v1::ReportService, v1::UpdateObligationRequest, v1::Obligation>(
      kHanoi, &v1::ReportService::Stub::UpdateObligation, duty, duty.name(),
      [](v1::UpdateObligationRequest& r) -> Message& { return *r.mutable_obligation(); },
      Plus({"document", "unit", "locality", "unit_locality", "last_period", "commune"}));
}

TEST_F(MutationTest, TheRecordsBelowRefuseEachHostilePatch) {
  // HCMC's plan 2722/KH-UBND sets the demo's tasks.
  v1::ListTasksRequest tasks;
  tasks.set_parent(FindDocument("2722/KH-UBND"));
  const v1::ListTasksResponse task_list =
      ReadList<v1::DirectiveService>(&v1::DirectiveService::Stub::ListTasks, tasks);
  ASSERT_GT(task_list.tasks_size(), 0);
  ExpectEveryPatchRefused<v1::DirectiveService, v1::UpdateTaskRequest, v1::Task>(
      kHoChiMinhCity, &v1::DirectiveService::Stub::UpdateTask, task_list.tasks(0),
      task_list.tasks(0).name(),
      [](v1::UpdateTaskRequest& r) -> Message& { return *r.mutable_task(); }, Plus({}));

  v1::ListActivitiesRequest activities;
  const v1::ListActivitiesResponse activity_list =
      ReadList<v1::ReportService>(&v1::ReportService::Stub::ListActivities, activities);
  ASSERT_GT(activity_list.activities_size(), 0);
  ExpectEveryPatchRefused<v1::ReportService, v1::UpdateActivityRequest, v1::Activity>(
      kCentral, &v1::ReportService::Stub::UpdateActivity, activity_list.activities(0),
      activity_list.activities(0).name(),
      [](v1::UpdateActivityRequest& r) -> Message& { return *r.mutable_activity(); }, Plus({}));

  v1::ListPeopleRequest people;
  const v1::ListPeopleResponse person_list =
      ReadList<v1::OrganizationService>(&v1::OrganizationService::Stub::ListPeople, people);
  ASSERT_GT(person_list.people_size(), 0);
  ExpectEveryPatchRefused<v1::OrganizationService, v1::UpdatePersonRequest, v1::Person>(
      kCentral, &v1::OrganizationService::Stub::UpdatePerson, person_list.people(0),
      person_list.people(0).name(),
      [](v1::UpdatePersonRequest& r) -> Message& { return *r.mutable_person(); }, Plus({}));

  v1::ListTermsRequest terms;
  terms.set_parent(kHaufoName);
  const v1::ListTermsResponse term_list =
      ReadList<v1::OrganizationService>(&v1::OrganizationService::Stub::ListTerms, terms);
  ASSERT_GT(term_list.terms_size(), 0);
  ExpectEveryPatchRefused<v1::OrganizationService, v1::UpdateTermRequest, v1::Term>(
      kHanoi, &v1::OrganizationService::Stub::UpdateTerm, term_list.terms(0),
      term_list.terms(0).name(),
      [](v1::UpdateTermRequest& r) -> Message& { return *r.mutable_term(); }, Plus({}));

  v1::ListDisseminationEventsRequest events;
  events.set_parent(FindDocument("05-TT/TU"));
  const v1::ListDisseminationEventsResponse event_list =
      ReadList<v1::DirectiveService>(&v1::DirectiveService::Stub::ListDisseminationEvents, events);
  ASSERT_GT(event_list.dissemination_events_size(), 0);
  ExpectEveryPatchRefused<v1::DirectiveService, v1::UpdateDisseminationEventRequest,
                          v1::DisseminationEvent>(
      kHanoi, &v1::DirectiveService::Stub::UpdateDisseminationEvent,
      event_list.dissemination_events(0), event_list.dissemination_events(0).name(),
      [](v1::UpdateDisseminationEventRequest& r) -> Message& {
        return *r.mutable_dissemination_event();
      },
      Plus({}));

  v1::ListProposalsRequest proposals;
  const v1::ListProposalsResponse proposal_list =
      ReadList<v1::ReportService>(&v1::ReportService::Stub::ListProposals, proposals);
  ASSERT_GT(proposal_list.proposals_size(), 0);
  ExpectEveryPatchRefused<v1::ReportService, v1::UpdateProposalRequest, v1::Proposal>(
      kCentral, &v1::ReportService::Stub::UpdateProposal, proposal_list.proposals(0),
      proposal_list.proposals(0).name(),
      [](v1::UpdateProposalRequest& r) -> Message& { return *r.mutable_proposal(); }, Plus({}));

  v1::ListPartnersRequest partners;
  const v1::ListPartnersResponse partner_list =
      ReadList<v1::OrganizationService>(&v1::OrganizationService::Stub::ListPartners, partners);
  ASSERT_GT(partner_list.partners_size(), 0);
  ExpectEveryPatchRefused<v1::OrganizationService, v1::UpdatePartnerRequest, v1::Partner>(
      kCentral, &v1::OrganizationService::Stub::UpdatePartner, partner_list.partners(0),
      partner_list.partners(0).name(),
      [](v1::UpdatePartnerRequest& r) -> Message& { return *r.mutable_partner(); }, Plus({}));

  v1::ListMemberCountsRequest counts;
  counts.set_parent(kHaufoName);
  const v1::ListMemberCountsResponse count_list =
      ReadList<v1::OrganizationService>(&v1::OrganizationService::Stub::ListMemberCounts, counts);
  ASSERT_GT(count_list.member_counts_size(), 0);
  ExpectEveryPatchRefused<v1::OrganizationService, v1::UpdateMemberCountRequest, v1::MemberCount>(
      kHanoi, &v1::OrganizationService::Stub::UpdateMemberCount, count_list.member_counts(0),
      count_list.member_counts(0).name(),
      [](v1::UpdateMemberCountRequest& r) -> Message& { return *r.mutable_member_count(); },
      Plus({}));

  v1::ListPartnershipsRequest partnerships;
  const v1::ListPartnershipsResponse partnership_list = ReadList<v1::OrganizationService>(
      &v1::OrganizationService::Stub::ListPartnerships, partnerships);
  ASSERT_GT(partnership_list.partnerships_size(), 0);
  ExpectEveryPatchRefused<v1::OrganizationService, v1::UpdatePartnershipRequest, v1::Partnership>(
      kCentral, &v1::OrganizationService::Stub::UpdatePartnership, partnership_list.partnerships(0),
      partnership_list.partnerships(0).name(),
      [](v1::UpdatePartnershipRequest& r) -> Message& { return *r.mutable_partnership(); },
      Plus({}));

  v1::ListCountriesRequest countries;
  const v1::ListCountriesResponse country_list =
      ReadList<v1::OrganizationService>(&v1::OrganizationService::Stub::ListCountries, countries);
  ASSERT_GT(country_list.countries_size(), 0);
  ExpectEveryPatchRefused<v1::OrganizationService, v1::UpdateCountryRequest, v1::Country>(
      kCentral, &v1::OrganizationService::Stub::UpdateCountry, country_list.countries(0),
      country_list.countries(0).name(),
      [](v1::UpdateCountryRequest& r) -> Message& { return *r.mutable_country(); }, Plus({}));

  v1::ListPositionsRequest positions;
  positions.set_filter(absl::StrCat("organization = \"", kHaufoName, "\""));
  const v1::ListPositionsResponse position_list =
      ReadList<v1::OrganizationService>(&v1::OrganizationService::Stub::ListPositions, positions);
  ASSERT_GT(position_list.positions_size(), 0);
  ExpectEveryPatchRefused<v1::OrganizationService, v1::UpdatePositionRequest, v1::Position>(
      kCentral, &v1::OrganizationService::Stub::UpdatePosition, position_list.positions(0),
      position_list.positions(0).name(),
      [](v1::UpdatePositionRequest& r) -> Message& { return *r.mutable_position(); }, Plus({}));

  v1::ListLeadershipCandidatesRequest candidates;
  const v1::ListLeadershipCandidatesResponse candidate_list = ReadList<v1::OrganizationService>(
      &v1::OrganizationService::Stub::ListLeadershipCandidates, candidates);
  ASSERT_GT(candidate_list.leadership_candidates_size(), 0);
  ExpectEveryPatchRefused<v1::OrganizationService, v1::UpdateLeadershipCandidateRequest,
                          v1::LeadershipCandidate>(
      kCentral, &v1::OrganizationService::Stub::UpdateLeadershipCandidate,
      candidate_list.leadership_candidates(0), candidate_list.leadership_candidates(0).name(),
      [](v1::UpdateLeadershipCandidateRequest& r) -> Message& {
        return *r.mutable_leadership_candidate();
      },
      Plus({}));
}

// A draft report and a progress note, made for the purpose, refuse every
// hostile patch: a submitted report would refuse them all for its state.
TEST_F(MutationTest, ADraftReportAndAProgressNoteRefuseEachHostilePatch) {
  v1::ListObligationsRequest duties;
  duties.set_filter(absl::StrCat("unit = \"", kHaufoName, "\""));
  const v1::ListObligationsResponse duty_list =
      ReadList<v1::ReportService>(&v1::ReportService::Stub::ListObligations, duties);
  ASSERT_GT(duty_list.obligations_size(), 0);
  v1::CreateReportRequest filing;
  filing.set_parent(duty_list.obligations(0).name());
  filing.mutable_report()->set_period("2024-H1");
  filing.mutable_report()->set_summary("Báo cáo sáu tháng đầu năm 2024");
  v1::Report draft;
  ASSERT_THAT(Call<v1::ReportService>(gateway_->NewChannel(), kHaufo,
                                      &v1::ReportService::Stub::CreateReport, filing, &draft),
              IsOk());
  ExpectEveryPatchRefused<v1::ReportService, v1::UpdateReportRequest, v1::Report>(
      kHaufo, &v1::ReportService::Stub::UpdateReport, draft, draft.name(),
      [](v1::UpdateReportRequest& r) -> Message& { return *r.mutable_report(); },
      Plus({"period", "state", "submitted_date", "due_date", "timeliness", "review_comment",
            "commune"}));

  v1::ListTasksRequest tasks;
  tasks.set_parent(FindDocument("2722/KH-UBND"));
  const v1::ListTasksResponse task_list =
      ReadList<v1::DirectiveService>(&v1::DirectiveService::Stub::ListTasks, tasks);
  ASSERT_GT(task_list.tasks_size(), 0);
  v1::CreateProgressUpdateRequest progress;
  progress.set_parent(task_list.tasks(0).name());
  progress.mutable_progress_update()->set_note("Đã tổ chức hội nghị triển khai");
  progress.mutable_progress_update()->set_percent(40);
  progress.mutable_progress_update()->set_author("Sở Ngoại vụ");
  v1::ProgressUpdate note;
  ASSERT_THAT(Call<v1::DirectiveService>(gateway_->NewChannel(), kHoChiMinhCity,
                                         &v1::DirectiveService::Stub::CreateProgressUpdate,
                                         progress, &note),
              IsOk());
  ExpectEveryPatchRefused<v1::DirectiveService, v1::UpdateProgressUpdateRequest,
                          v1::ProgressUpdate>(
      kHoChiMinhCity, &v1::DirectiveService::Stub::UpdateProgressUpdate, note, note.name(),
      [](v1::UpdateProgressUpdateRequest& r) -> Message& { return *r.mutable_progress_update(); },
      Plus({}));
}

}  // namespace
}  // namespace caunoi
