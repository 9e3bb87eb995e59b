// The directives service through real servers: directives_server asks a
// real organizations_server about localities and assignees, both on one
// throwaway PostgreSQL.
#include <algorithm>
#include <csignal>
#include <functional>
#include <map>
#include <set>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "caunoi/v1/directives.grpc.pb.h"
#include "caunoi/v1/organizations.grpc.pb.h"
#include "common/api/dates.h"
#include "common/api/resource_name.h"
#include "common/pg/connection.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "services/directives/symbol.h"
#include "tests/support/directives_database_test.h"
#include "tests/support/issuers.h"
#include "tests/support/postgres_test.h"
#include "tests/support/rpc.h"
#include "tests/support/server_process.h"

namespace caunoi {
namespace {

using ::caunoi::testing::IsOk;
using ::caunoi::testing::StatusIs;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;
using Stub = v1::DirectiveService::Stub;
using OrgStub = v1::OrganizationService::Stub;

class DirectivesTest : public caunoi::testing::DirectivesDatabaseTest {
 protected:
  void SetUp() override {
    DirectivesDatabaseTest::SetUp();
    if (HasFatalFailure()) return;
    org_stub_ = v1::OrganizationService::NewStub(organizations_->NewChannel());
  }

  template <typename Request, typename Response>
  absl::Status Call(grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                    const Request& request, Response* response) {
    return caunoi::testing::CallRpc(*stub_, method, request, response);
  }
  template <typename Request, typename Response>
  Response Must(grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                const Request& request) {
    return caunoi::testing::MustCallRpc(*stub_, method, request);
  }

  std::string CreateOrganization(const std::string& display_name) {
    v1::CreateOrganizationRequest request;
    request.mutable_organization()->set_display_name(display_name);
    request.mutable_organization()->set_kind(v1::ORGANIZATION_KIND_FRIENDSHIP_UNION);
    request.mutable_organization()->set_level(v1::ORGANIZATION_LEVEL_PROVINCIAL);
    request.mutable_organization()->set_locality("localities/01");
    v1::Organization created;
    EXPECT_THAT(
        caunoi::testing::CallRpc(*org_stub_, &OrgStub::CreateOrganization, request, &created),
        IsOk());
    return created.name();
  }

  static v1::Document Doc(const std::string& symbol, const std::string& body,
                          const std::string& locality, absl::CivilDay issued,
                          const std::string& title, std::vector<std::string> parents = {}) {
    v1::Document document;
    document.set_symbol(symbol);
    document.set_issuing_body(body);
    document.set_level(locality.empty() ? v1::DOCUMENT_LEVEL_CENTRAL
                                        : v1::DOCUMENT_LEVEL_PROVINCIAL);
    document.set_locality(locality);
    *document.mutable_issue_date() = api::ToDate(issued);
    document.set_title(title);
    for (const std::string& parent : parents) document.add_parents(parent);
    return document;
  }

  // The issuer of documents with `symbol`'s issuer code in `locality`: one
  // organization each, made on first use.
  std::string IssuerFor(const std::string& symbol, const std::string& locality) {
    absl::StatusOr<directives::DocumentSymbol> parsed = directives::ParseSymbol(symbol);
    if (!parsed.ok()) return "";
    const std::string key = locality + "|" + parsed->issuer_code;
    auto found = issuers_.find(key);
    if (found != issuers_.end()) return found->second;
    absl::StatusOr<std::string> created =
        caunoi::testing::CreateIssuer(*org_stub_, symbol, locality);
    EXPECT_THAT(created.status(), IsOk());
    return issuers_[key] = created.value_or("");
  }

  // Creates `document`, naming the issuer for its symbol and locality when
  // it names none.
  absl::StatusOr<v1::Document> Create(const v1::Document& document,
                                      const std::string& request_id = "") {
    v1::CreateDocumentRequest request;
    *request.mutable_document() = document;
    if (document.issuing_organization().empty()) {
      request.mutable_document()->set_issuing_organization(
          IssuerFor(document.symbol(), document.locality()));
    }
    request.set_request_id(request_id);
    v1::Document created;
    absl::Status status = Call(&Stub::CreateDocument, request, &created);
    if (!status.ok()) return status;
    return created;
  }

  // Reads `stub`'s document changes after `cursor` into `seen` until it
  // holds `until` of them or `wait` passes, then disconnects.
  static void ReadChanges(Stub& stub, const std::string& cursor, size_t until,
                          std::vector<v1::DocumentChange>& seen, absl::Duration wait) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + wait));
    v1::WatchDocumentsRequest request;
    request.set_cursor(cursor);
    auto stream = stub.WatchDocuments(&context, request);
    v1::DocumentChange change;
    while (seen.size() < until && stream->Read(&change)) seen.push_back(change);
    context.TryCancel();
    stream->Finish();
  }

  std::vector<std::string> Symbols(const std::string& filter) {
    v1::ListDocumentsRequest request;
    request.set_filter(filter);
    request.set_page_size(100);
    v1::ListDocumentsResponse response;
    EXPECT_THAT(Call(&Stub::ListDocuments, request, &response), IsOk()) << filter;
    std::vector<std::string> symbols;
    for (const auto& document : response.documents()) symbols.push_back(document.symbol());
    return symbols;
  }

  // 12-CT/TW and the documents that concretize it, as the articles tell.
  void CreateCascade() {
    auto ct12 = Create(Doc("12-CT/TW", "Ban Bí thư Trung ương Đảng", "", absl::CivilDay(2022, 1, 5),
                           "Tăng cường sự lãnh đạo của Đảng, nâng cao hiệu quả đối ngoại nhân "
                           "dân trong tình hình mới"));
    ASSERT_THAT(ct12.status(), IsOk());
    ct12_ = *ct12;
    auto hd01 = Create(Doc("01-HD/BĐNTW", "Ban Đối ngoại Trung ương", "",
                           absl::CivilDay(2022, 4, 18), "Hướng dẫn thực hiện Chỉ thị 12-CT/TW"));
    ASSERT_THAT(hd01.status(), IsOk());
    hd01_ = *hd01;
    v1::Document circular = Doc("05-TT/TU", "Ban Thường vụ Thành ủy Hà Nội", "localities/01",
                                absl::CivilDay(2022, 5, 23),
                                "Tăng cường sự lãnh đạo của Đảng, nâng cao hiệu quả đối ngoại "
                                "nhân dân trong tình hình mới trên địa bàn Hà Nội",
                                {ct12_.name()});
    circular.set_summary("Cụ thể hóa Chỉ thị số 12-CT/TƯ ngày 5-1-2022 của Ban Bí thư");
    auto tt05 = Create(circular);
    ASSERT_THAT(tt05.status(), IsOk());
    tt05_ = *tt05;
    auto ct24 = Create(Doc("24-CT/TU", "Ban Thường vụ Tỉnh ủy", "localities/pre2025-74",
                           absl::CivilDay(2022, 5, 11),
                           "Tăng cường sự lãnh đạo của Đảng, nâng cao hiệu quả đối ngoại nhân "
                           "dân trong tình hình mới",
                           {ct12_.name(), hd01_.name()}));
    ASSERT_THAT(ct24.status(), IsOk());
    ct24_ = *ct24;
  }

  std::unique_ptr<OrgStub> org_stub_;
  std::map<std::string, std::string> issuers_;
  v1::Document ct12_, hd01_, tt05_, ct24_;
};

TEST_F(DirectivesTest, DocumentsKeepTheSymbolAsWrittenAndParseIt) {
  ASSERT_NO_FATAL_FAILURE(CreateCascade());
  EXPECT_EQ(hd01_.symbol(), "01-HD/BĐNTW");
  EXPECT_EQ(hd01_.normalized_symbol(), "1-HD/BDNTW");
  EXPECT_EQ(hd01_.type(), v1::DOCUMENT_TYPE_GUIDANCE);
  EXPECT_EQ(tt05_.type(), v1::DOCUMENT_TYPE_CIRCULAR);
  EXPECT_EQ(tt05_.number(), 5);
  EXPECT_EQ(ct24_.locality(), "localities/pre2025-74");
  EXPECT_EQ(ct24_.current_locality(), "localities/79");
  EXPECT_THAT(ct24_.parents(), ElementsAre(ct12_.name(), hd01_.name()));
  EXPECT_EQ(ct24_.status(), v1::DOCUMENT_STATUS_ISSUED);

  v1::GetDocumentRequest get;
  get.set_name(tt05_.name());
  v1::Document read = Must(&Stub::GetDocument, get);
  EXPECT_EQ(read.title(), tt05_.title());
  EXPECT_EQ(read.etag(), tt05_.etag());
}

TEST_F(DirectivesTest, CascadeShowsLagsAndLocalitiesWithoutADocument) {
  ASSERT_NO_FATAL_FAILURE(CreateCascade());
  v1::GetCascadeRequest request;
  request.set_name(ct12_.name());
  v1::GetCascadeResponse cascade = Must(&Stub::GetCascade, request);
  EXPECT_EQ(cascade.root().name(), ct12_.name());
  ASSERT_EQ(cascade.entries_size(), 2);
  EXPECT_EQ(cascade.entries(0).document().symbol(), "24-CT/TU");
  EXPECT_EQ(cascade.entries(0).lag_days(), 126);
  EXPECT_EQ(cascade.entries(1).document().symbol(), "05-TT/TU");
  EXPECT_EQ(cascade.entries(1).lag_days(), 138);
  EXPECT_EQ(cascade.entries(1).depth(), 1);
  EXPECT_EQ(cascade.localities_without_document_size(), 32);
  EXPECT_THAT(cascade.localities_without_document(), Not(Contains("localities/01")));
  EXPECT_THAT(cascade.localities_without_document(), Not(Contains("localities/79")));
  EXPECT_THAT(cascade.localities_without_document(), Contains("localities/48"));

  // Below a plan nothing was issued: no entries, and no locality reached.
  request.set_name(tt05_.name());
  cascade = Must(&Stub::GetCascade, request);
  EXPECT_EQ(cascade.root().name(), tt05_.name());
  EXPECT_EQ(cascade.entries_size(), 0);
  EXPECT_EQ(cascade.localities_without_document_size(), 34);
  EXPECT_TRUE(cascade.next_page_token().empty());
}

TEST_F(DirectivesTest, CascadePagesAreSlicesOfOneOrderWithTheWholeCascadesLocalities) {
  ASSERT_NO_FATAL_FAILURE(CreateCascade());
  v1::GetCascadeRequest request;
  request.set_name(ct12_.name());
  const v1::GetCascadeResponse whole = Must(&Stub::GetCascade, request);
  ASSERT_EQ(whole.entries_size(), 2);
  EXPECT_TRUE(whole.next_page_token().empty());

  request.set_page_size(1);
  std::vector<std::string> paged;
  for (int page = 0; page < 5; ++page) {
    const v1::GetCascadeResponse part = Must(&Stub::GetCascade, request);
    EXPECT_EQ(part.root().name(), ct12_.name());
    ASSERT_LE(part.entries_size(), 1);
    for (const v1::CascadeEntry& entry : part.entries()) paged.push_back(entry.document().name());
    // Every page names the localities the whole cascade has not reached.
    EXPECT_THAT(part.localities_without_document(),
                ::testing::ElementsAreArray(whole.localities_without_document()));
    if (part.next_page_token().empty()) break;
    request.set_page_token(part.next_page_token());
  }
  EXPECT_THAT(paged,
              ElementsAre(whole.entries(0).document().name(), whole.entries(1).document().name()));

  request.set_page_token("not-a-token");
  v1::GetCascadeResponse ignored;
  absl::Status refused = Call(&Stub::GetCascade, request, &ignored);
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("page_token")));
  request.clear_page_token();
  request.set_page_size(-1);
  EXPECT_THAT(Call(&Stub::GetCascade, request, &ignored),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("page_size")));
  request.clear_page_size();
  request.set_name("directives/424242");
  EXPECT_THAT(Call(&Stub::GetCascade, request, &ignored),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("directives/424242")));
}

// Earliest due first, each day's in id order, page after page; a token
// serves only the range and locality it was made for.
TEST_F(DirectivesTest, TasksFallingDuePageInDueDateOrder) {
  ASSERT_NO_FATAL_FAILURE(CreateCascade());
  auto connection = Connect("falling-due");
  ASSERT_NE(connection, nullptr);
  ASSERT_THAT(connection
                  ->ExecuteScript(absl::StrCat(
                      "INSERT INTO directives.tasks (document_id, number, title, due_date)"
                      " SELECT ",
                      api::ResourceId(tt05_.name()),
                      ", 'p' || n, 'Nhiệm vụ', date '2024-03-01' + (n * 7) % 5"
                      " FROM generate_series(1, 9) n"))
                  .status(),
              IsOk());
  v1::ListTasksFallingDueRequest request;
  *request.mutable_due_from() = api::ToDate(absl::CivilDay(2024, 3, 1));
  *request.mutable_due_to() = api::ToDate(absl::CivilDay(2024, 3, 31));
  request.set_locality("localities/01");
  request.set_page_size(2);
  std::vector<std::pair<std::string, int64_t>> listed;  // (due date, task id)
  std::string first_token;
  for (int page = 0; page < 10; ++page) {
    const v1::ListTasksFallingDueResponse response = Must(&Stub::ListTasksFallingDue, request);
    for (const v1::TaskFallingDue& task : response.tasks()) {
      int64_t id = 0;
      ASSERT_TRUE(absl::SimpleAtoi(api::ResourceId(task.task()), &id));
      listed.emplace_back(api::FormatIsoDate(api::ToCivilDayUnchecked(task.due_date())), id);
    }
    if (response.next_page_token().empty()) break;
    if (first_token.empty()) first_token = response.next_page_token();
    request.set_page_token(response.next_page_token());
  }
  EXPECT_EQ(listed.size(), 9u);
  EXPECT_TRUE(std::is_sorted(listed.begin(), listed.end()));
  // Ho Chi Minh City has none of them.
  request.clear_page_token();
  request.set_locality("localities/79");
  EXPECT_EQ(Must(&Stub::ListTasksFallingDue, request).tasks_size(), 0);
  request.set_page_token(first_token);
  v1::ListTasksFallingDueResponse ignored;
  EXPECT_THAT(Call(&Stub::ListTasksFallingDue, request, &ignored),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("page_token")));
}

TEST_F(DirectivesTest, IdentityIsIssuerSymbolAndYearWhateverTheSpelling) {
  ASSERT_NO_FATAL_FAILURE(CreateCascade());
  absl::Status duplicate = Create(Doc("12-CT/TƯ", "Ban Bí thư Trung ương Đảng", "",
                                      absl::CivilDay(2022, 1, 5), "Chỉ thị 12"))
                               .status();
  EXPECT_THAT(duplicate, StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr(ct12_.name())));
  ASSERT_TRUE(GetErrorInfo(duplicate).has_value());
  EXPECT_EQ(GetErrorInfo(duplicate)->metadata().at("existing"), ct12_.name());
  // The issuer is an organization: however its body is worded, the same
  // issuer, symbol and year is one document.
  v1::Document reworded =
      Doc("12-CT/TW", "Ban Bí thư", "", absl::CivilDay(2022, 1, 5), "Chỉ thị 12 (ghi khác)");
  reworded.set_issuing_organization(ct12_.issuing_organization());
  absl::Status same_issuer = Create(reworded).status();
  EXPECT_THAT(same_issuer, StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr(ct12_.name())));
  // Hanoi's own 24-CT/TU is another document.
  EXPECT_THAT(Create(Doc("24-CT/TU", "Ban Thường vụ Thành ủy Hà Nội", "localities/01",
                         absl::CivilDay(2023, 6, 1), "Chỉ thị 24 của Thành ủy Hà Nội"))
                  .status(),
              IsOk());
  // A retried create returns the first result.
  v1::Document kl12 = Doc("12-KL/TW", "Bộ Chính trị", "", absl::CivilDay(2022, 8, 12),
                          "Kết luận về công tác người Việt Nam ở nước ngoài");
  auto first = Create(kl12, "kl12");
  ASSERT_THAT(first.status(), IsOk());
  EXPECT_EQ(Create(kl12, "kl12")->name(), first->name());
}

TEST_F(DirectivesTest, SearchesBySymbolAnySpellingAndByTextWithoutDiacritics) {
  ASSERT_NO_FATAL_FAILURE(CreateCascade());
  EXPECT_THAT(Symbols("symbol = \"12-CT/TƯ\""), ElementsAre("12-CT/TW"));
  EXPECT_THAT(Symbols("text : \"doi ngoai nhan dan\" AND level = PROVINCIAL"),
              ElementsAre("05-TT/TU", "24-CT/TU"));
  EXPECT_THAT(Symbols("text : \"tren dia ban ha noi\""), ElementsAre("05-TT/TU"));
  // Typed without diacritics, the TƯ spelling in the summary matches.
  EXPECT_THAT(Symbols("text : \"12-CT/TU\""), ElementsAre("05-TT/TU"));
  EXPECT_THAT(Symbols("parent = \"" + hd01_.name() + "\""), ElementsAre("24-CT/TU"));
  EXPECT_THAT(Symbols("type = CIRCULAR AND year = 2022"), ElementsAre("05-TT/TU"));
  // A pre-2025 unit stands for its successor's area, and back.
  EXPECT_THAT(Symbols("locality = \"localities/79\""), ElementsAre("24-CT/TU"));
  EXPECT_THAT(Symbols("locality = \"localities/pre2025-74\""), ElementsAre("24-CT/TU"));
}

TEST_F(DirectivesTest, CorrectionsCarryAReasonToTheAuditLog) {
  v1::Document kl12 = *Create(Doc("12-KL/TW", "Bộ Chính trị", "", absl::CivilDay(2022, 8, 12),
                                  "Kết luận về công tác người Việt Nam ở nước ngoài"));
  v1::UpdateDocumentRequest correct;
  correct.mutable_document()->set_name(kl12.name());
  correct.mutable_document()->set_etag(kl12.etag());
  *correct.mutable_document()->mutable_issue_date() = api::ToDate(absl::CivilDay(2021, 8, 12));
  correct.mutable_update_mask()->add_paths("issue_date");
  correct.set_reason("the article misdated it; it was 2021");
  v1::Document corrected = Must(&Stub::UpdateDocument, correct);
  EXPECT_EQ(corrected.issue_date().year(), 2021);
  v1::ListDirectiveAuditRecordsRequest audit;
  audit.set_resource(kl12.name());
  v1::ListDirectiveAuditRecordsResponse records = Must(&Stub::ListDirectiveAuditRecords, audit);
  ASSERT_EQ(records.audit_records_size(), 2);
  EXPECT_EQ(records.audit_records(0).reason(), "the article misdated it; it was 2021");
  EXPECT_THAT(records.audit_records(0).before_json(), HasSubstr("2022"));
  // The stale etag is refused.
  EXPECT_THAT(Call(&Stub::UpdateDocument, correct, &corrected),
              StatusIs(absl::StatusCode::kAborted));
}

// Creates share the link graph's lock; edits of links and issue dates hold
// it alone. Two edits racing to link two documents to each other never
// both succeed, and a parent's issue date never moves past a child
// created under it at the same moment.
TEST_F(DirectivesTest, ConcurrentWritesNeverCloseACycleNorMisdateAChild) {
  ASSERT_NO_FATAL_FAILURE(CreateCascade());
  auto hanoi = [&](const std::string& symbol, absl::CivilDay day, const std::string& parent) {
    return Doc(symbol, "Ban Thường vụ Thành ủy Hà Nội", "localities/01", day, "Kế hoạch", {parent});
  };
  const absl::StatusOr<v1::Document> a =
      Create(hanoi("06-KH/TU", absl::CivilDay(2022, 6, 1), ct12_.name()));
  const absl::StatusOr<v1::Document> b =
      Create(hanoi("08-KH/TU", absl::CivilDay(2022, 6, 1), ct12_.name()));
  ASSERT_THAT(a.status(), IsOk());
  ASSERT_THAT(b.status(), IsOk());
  auto link = [&](const v1::Document& child, std::vector<std::string> parents) {
    v1::UpdateDocumentRequest request;
    request.mutable_document()->set_name(child.name());
    for (const std::string& parent : parents) request.mutable_document()->add_parents(parent);
    request.mutable_update_mask()->add_paths("parents");
    v1::Document updated;
    return Call(&Stub::UpdateDocument, request, &updated);
  };
  for (int round = 0; round < 8; ++round) {
    absl::Status a_under_b, b_under_a;
    std::thread first([&] { a_under_b = link(*a, {ct12_.name(), b->name()}); });
    std::thread second([&] { b_under_a = link(*b, {ct12_.name(), a->name()}); });
    first.join();
    second.join();
    EXPECT_FALSE(a_under_b.ok() && b_under_a.ok()) << "round " << round << " closed a cycle";
    EXPECT_TRUE(a_under_b.ok() || b_under_a.ok()) << a_under_b << " / " << b_under_a;
    ASSERT_THAT(link(*a, {ct12_.name()}), IsOk());
    ASSERT_THAT(link(*b, {ct12_.name()}), IsOk());
  }

  // Children of A created side by side while A's issue date is moved to
  // after theirs.
  constexpr int kChildren = 8;
  std::vector<absl::Status> created(kChildren);
  absl::Status moved;
  std::vector<std::thread> writers;
  for (int i = 0; i < kChildren; ++i) {
    writers.emplace_back([&, i] {
      created[i] =
          Create(hanoi(absl::StrCat(20 + i, "-KH/TU"), absl::CivilDay(2022, 7, 1), a->name()))
              .status();
    });
  }
  writers.emplace_back([&] {
    v1::UpdateDocumentRequest request;
    request.mutable_document()->set_name(a->name());
    *request.mutable_document()->mutable_issue_date() = api::ToDate(absl::CivilDay(2022, 8, 1));
    request.mutable_update_mask()->add_paths("issue_date");
    v1::Document updated;
    moved = Call(&Stub::UpdateDocument, request, &updated);
  });
  for (std::thread& writer : writers) writer.join();
  int children = 0;
  for (const absl::Status& status : created) children += status.ok() ? 1 : 0;
  v1::GetDocumentRequest get;
  get.set_name(a->name());
  const v1::Document parent = Must(&Stub::GetDocument, get);
  if (moved.ok()) {
    // Moved first: every child dated before A's new date was refused.
    EXPECT_EQ(parent.issue_date().month(), 8);
    EXPECT_EQ(children, 0);
  } else {
    EXPECT_THAT(moved, StatusIs(absl::StatusCode::kInvalidArgument));
    EXPECT_EQ(parent.issue_date().month(), 6);
    EXPECT_EQ(children, kChildren);
  }
  EXPECT_EQ(Symbols("parent = \"" + a->name() + "\"").size(), static_cast<size_t>(children));
}

TEST_F(DirectivesTest, BadInputNamesTheField) {
  ASSERT_NO_FATAL_FAILURE(CreateCascade());
  struct Case {
    std::string label;
    v1::Document document;
    std::string field;
    absl::StatusCode code = absl::StatusCode::kInvalidArgument;
  };
  auto base = [&] {
    return Doc("07-KH/TU", "Ban Thường vụ Thành ủy Hà Nội", "localities/01",
               absl::CivilDay(2022, 6, 1), "Kế hoạch", {ct12_.name()});
  };
  std::vector<Case> cases;
  cases.push_back({"malformed symbol", base(), "document.symbol"});
  cases.back().document.set_symbol("KH Thành ủy");
  cases.push_back({"type against symbol", base(), "document.type"});
  cases.back().document.set_type(v1::DOCUMENT_TYPE_DIRECTIVE);
  cases.push_back({"31 February", base(), "document.issue_date.day"});
  cases.back().document.mutable_issue_date()->set_month(2);
  cases.back().document.mutable_issue_date()->set_day(31);
  cases.push_back({"unknown locality", base(), "document.locality"});
  cases.back().document.set_locality("localities/99");
  cases.back().document.set_issuing_organization(tt05_.issuing_organization());
  cases.push_back({"parent issued later", base(), "document.parents"});
  cases.back().document.clear_parents();
  cases.back().document.add_parents(tt05_.name());
  cases.back().document.mutable_issue_date()->set_month(3);
  cases.push_back({"missing parent", base(), "document.parents", absl::StatusCode::kNotFound});
  cases.back().document.clear_parents();
  cases.back().document.add_parents("directives/999999");
  cases.push_back(
      {"unknown issuer", base(), "document.issuing_organization", absl::StatusCode::kNotFound});
  cases.back().document.set_issuing_organization("organizations/424242");
  cases.push_back({"blank title", base(), "document.title"});
  cases.back().document.set_title("  ");
  cases.push_back({"a /TU symbol from a central body", base(), "document.symbol"});
  cases.back().document.set_issuing_organization(ct12_.issuing_organization());
  cases.push_back({"a /TW symbol from a provincial body", base(), "document.symbol"});
  cases.back().document.set_symbol("07-KH/TW");
  cases.back().document.set_issuing_organization(tt05_.issuing_organization());
  cases.push_back({"a /UBND symbol from a Party committee", base(), "document.symbol"});
  cases.back().document.set_symbol("2722/KH-UBND");
  cases.back().document.set_issuing_organization(tt05_.issuing_organization());

  const size_t before = Symbols("").size();
  for (const Case& c : cases) {
    absl::Status status = Create(c.document).status();
    EXPECT_THAT(status, StatusIs(c.code)) << c.label;
    if (c.code == absl::StatusCode::kInvalidArgument) {
      ASSERT_TRUE(GetBadRequest(status).has_value()) << c.label << ": " << status;
      EXPECT_EQ(GetBadRequest(status)->field_violations(0).field(), c.field) << c.label;
    } else {
      EXPECT_THAT(status.message(), HasSubstr(c.field)) << c.label;
    }
  }
  // An issuer is an organization, never free text alone.
  v1::CreateDocumentRequest unnamed;
  *unnamed.mutable_document() = base();
  v1::Document ignored;
  absl::Status no_issuer = Call(&Stub::CreateDocument, unnamed, &ignored);
  ASSERT_TRUE(GetBadRequest(no_issuer).has_value()) << no_issuer;
  EXPECT_EQ(GetBadRequest(no_issuer)->field_violations(0).field(), "document.issuing_organization");
  EXPECT_EQ(Symbols("").size(), before);

  // 12-CT/TW cannot concretize what concretizes it.
  v1::UpdateDocumentRequest cycle;
  cycle.mutable_document()->set_name(ct12_.name());
  cycle.mutable_document()->add_parents(tt05_.name());
  cycle.mutable_update_mask()->add_paths("parents");
  absl::Status status = Call(&Stub::UpdateDocument, cycle, &ignored);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument));

  v1::ParseCitationRequest parse;
  parse.set_symbol("24-CT/TU");
  parse.set_written_date("31-2-2022");
  v1::ParseCitationResponse parsed;
  absl::Status bad_date = Call(&Stub::ParseCitation, parse, &parsed);
  ASSERT_TRUE(GetBadRequest(bad_date).has_value());
  EXPECT_EQ(GetBadRequest(bad_date)->field_violations(0).field(), "written_date");
  parse.set_written_date("11/5/2022");
  parsed = Must(&Stub::ParseCitation, parse);
  EXPECT_EQ(parsed.date().day(), 11);
  EXPECT_EQ(parsed.type(), v1::DOCUMENT_TYPE_DIRECTIVE);
}

TEST_F(DirectivesTest, WithTheOrganizationsServiceDownNothingIsWritten) {
  const size_t before = Symbols("").size();
  ASSERT_FALSE(IssuerFor("05-TT/TU", "localities/01").empty());
  organizations_->Signal(SIGKILL);
  ASSERT_THAT(organizations_->WaitForExit(absl::Seconds(10)).status(), IsOk());
  absl::Status status = Create(Doc("05-TT/TU", "Ban Thường vụ Thành ủy Hà Nội", "localities/01",
                                   absl::CivilDay(2022, 5, 23), "Thông tri 05"))
                            .status();
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_EQ(Symbols("").size(), before);
}

TEST_F(DirectivesTest, TasksDeriveTheirStatusFromDates) {
  ASSERT_NO_FATAL_FAILURE(CreateCascade());
  const std::string haufo = CreateOrganization("Liên hiệp các tổ chức hữu nghị thành phố Hà Nội");
  const std::string front = CreateOrganization("Ủy ban MTTQ Việt Nam thành phố Hà Nội");
  auto task = [&](const std::string& number, absl::CivilDay due,
                  std::optional<absl::CivilDay> done) {
    v1::CreateTaskRequest request;
    request.set_parent(tt05_.name());
    request.mutable_task()->set_number(number);
    request.mutable_task()->set_title("Quán triệt Thông tri 05-TT/TU");
    request.mutable_task()->set_lead(haufo);
    request.mutable_task()->add_co_operators(front);
    *request.mutable_task()->mutable_due_date() = api::ToDate(due);
    if (done) *request.mutable_task()->mutable_completed_date() = api::ToDate(*done);
    request.mutable_task()->set_reporting_cadence(v1::REPORTING_CADENCE_CUSTOM);
    request.mutable_task()->set_cutoff_day(14);
    return Must(&Stub::CreateTask, request);
  };
  const absl::CivilDay today = api::TodayInVietnam();
  v1::Task on_time = task("1", absl::CivilDay(2022, 6, 30), absl::CivilDay(2022, 5, 30));
  v1::Task late = task("2", absl::CivilDay(2022, 6, 30), absl::CivilDay(2022, 7, 15));
  v1::Task overdue = task("3", absl::CivilDay(2022, 12, 31), std::nullopt);
  v1::Task open = task("4", today + 30, std::nullopt);
  EXPECT_EQ(on_time.status(), v1::TASK_STATUS_DONE_ON_TIME);
  EXPECT_EQ(late.status(), v1::TASK_STATUS_DONE_LATE);
  EXPECT_EQ(overdue.status(), v1::TASK_STATUS_OPEN_OVERDUE);
  EXPECT_EQ(open.status(), v1::TASK_STATUS_OPEN_WITHIN_DEADLINE);
  EXPECT_THAT(overdue.name(), ::testing::StartsWith(tt05_.name() + "/tasks/"));

  v1::ListTasksRequest across;
  across.set_parent("directives/-");
  across.set_filter("status = OPEN_OVERDUE AND assignee = \"" + front + "\"");
  v1::ListTasksResponse listed = Must(&Stub::ListTasks, across);
  ASSERT_EQ(listed.tasks_size(), 1);
  EXPECT_EQ(listed.tasks(0).name(), overdue.name());

  v1::CreateProgressUpdateRequest progress;
  progress.set_parent(overdue.name());
  progress.mutable_progress_update()->set_percent(40);
  progress.mutable_progress_update()->set_note("Đã tổ chức 3 hội nghị");
  Must(&Stub::CreateProgressUpdate, progress);
  progress.mutable_progress_update()->set_percent(70);
  v1::ProgressUpdate latest = Must(&Stub::CreateProgressUpdate, progress);
  v1::GetTaskRequest get;
  get.set_name(overdue.name());
  EXPECT_EQ(Must(&Stub::GetTask, get).progress_percent(), 70);
  v1::ListProgressUpdatesRequest history;
  history.set_parent(overdue.name());
  EXPECT_EQ(Must(&Stub::ListProgressUpdates, history).progress_updates_size(), 2);
  v1::GetProgressUpdateRequest get_progress;
  get_progress.set_name(latest.name());
  EXPECT_EQ(Must(&Stub::GetProgressUpdate, get_progress).percent(), 70);
  v1::UpdateProgressUpdateRequest fix;
  fix.mutable_progress_update()->set_name(latest.name());
  fix.mutable_progress_update()->set_percent(75);
  fix.mutable_update_mask()->add_paths("percent");
  EXPECT_EQ(Must(&Stub::UpdateProgressUpdate, fix).percent(), 75);
  progress.mutable_progress_update()->set_percent(140);
  v1::ProgressUpdate ignored_progress;
  EXPECT_THAT(Call(&Stub::CreateProgressUpdate, progress, &ignored_progress),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("percent")));

  // Marking the overdue task done today makes it late, not overdue.
  v1::UpdateTaskRequest finish;
  finish.mutable_task()->set_name(overdue.name());
  *finish.mutable_task()->mutable_completed_date() = api::ToDate(today);
  finish.mutable_update_mask()->add_paths("completed_date");
  EXPECT_EQ(Must(&Stub::UpdateTask, finish).status(), v1::TASK_STATUS_DONE_LATE);

  v1::CreateTaskRequest unknown;
  unknown.set_parent(tt05_.name());
  unknown.mutable_task()->set_number("9");
  unknown.mutable_task()->set_title("Nhiệm vụ");
  unknown.mutable_task()->set_lead("organizations/987654");
  unknown.mutable_task()->set_phase(v1::TASK_PHASE_LONG_TERM);
  v1::Task ignored;
  EXPECT_THAT(Call(&Stub::CreateTask, unknown, &ignored),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("task.lead")));
  unknown.mutable_task()->set_lead(haufo);
  unknown.mutable_task()->clear_phase();
  absl::Status no_deadline = Call(&Stub::CreateTask, unknown, &ignored);
  ASSERT_TRUE(GetBadRequest(no_deadline).has_value());
  EXPECT_EQ(GetBadRequest(no_deadline)->field_violations(0).field(), "task.due_date");

  v1::DeleteTaskRequest remove;
  remove.set_name(open.name());
  google::protobuf::Empty empty;
  EXPECT_THAT(Call(&Stub::DeleteTask, remove, &empty), IsOk());
  v1::ListTasksRequest in_document;
  in_document.set_parent(tt05_.name());
  EXPECT_EQ(Must(&Stub::ListTasks, in_document).tasks_size(), 3);
}

TEST_F(DirectivesTest, DisseminationEvents) {
  ASSERT_NO_FATAL_FAILURE(CreateCascade());
  const std::string haufo = CreateOrganization("Liên hiệp các tổ chức hữu nghị thành phố Hà Nội");
  v1::CreateDisseminationEventRequest request;
  request.set_parent(tt05_.name());
  v1::DisseminationEvent* event = request.mutable_dissemination_event();
  event->set_organizer(haufo);
  *event->mutable_date() = api::ToDate(absl::CivilDay(2022, 5, 30));
  event->set_format(v1::DISSEMINATION_FORMAT_CONFERENCE);
  event->set_audience("cán bộ, hội viên các hội thành viên");
  event->set_head_count(100);
  event->set_locality("localities/01");
  v1::DisseminationEvent created = Must(&Stub::CreateDisseminationEvent, request);
  EXPECT_THAT(created.name(), ::testing::StartsWith(tt05_.name() + "/disseminationEvents/"));

  v1::UpdateDisseminationEventRequest update;
  update.mutable_dissemination_event()->set_name(created.name());
  update.mutable_dissemination_event()->set_head_count(120);
  update.mutable_dissemination_event()->set_at_least(true);
  update.mutable_update_mask()->add_paths("head_count");
  update.mutable_update_mask()->add_paths("at_least");
  EXPECT_EQ(Must(&Stub::UpdateDisseminationEvent, update).head_count(), 120);
  v1::GetDisseminationEventRequest get;
  get.set_name(created.name());
  EXPECT_TRUE(Must(&Stub::GetDisseminationEvent, get).at_least());
  v1::ListDisseminationEventsRequest list;
  list.set_parent(tt05_.name());
  EXPECT_EQ(Must(&Stub::ListDisseminationEvents, list).dissemination_events_size(), 1);

  event->set_head_count(-3);
  v1::DisseminationEvent ignored;
  absl::Status negative = Call(&Stub::CreateDisseminationEvent, request, &ignored);
  ASSERT_TRUE(GetBadRequest(negative).has_value());
  EXPECT_EQ(GetBadRequest(negative)->field_violations(0).field(), "dissemination_event.head_count");

  // A document with events cannot be deleted until they are.
  v1::DeleteDocumentRequest remove_document;
  remove_document.set_name(tt05_.name());
  google::protobuf::Empty empty;
  EXPECT_THAT(Call(&Stub::DeleteDocument, remove_document, &empty),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  v1::DeleteDisseminationEventRequest remove_event;
  remove_event.set_name(created.name());
  EXPECT_THAT(Call(&Stub::DeleteDisseminationEvent, remove_event, &empty), IsOk());
  EXPECT_THAT(Call(&Stub::DeleteDocument, remove_document, &empty), IsOk());
}

// A watcher reads part of the feed, disconnects, changes happen, and it
// resumes from its last cursor: it gets every change exactly in order.
TEST_F(DirectivesTest, WatcherResumesFromItsCursorAndMissesNothing) {
  ASSERT_NO_FATAL_FAILURE(CreateCascade());  // four creates
  std::vector<v1::DocumentChange> seen;
  auto read = [&](const std::string& cursor, size_t until) {
    ReadChanges(*stub_, cursor, until, seen, absl::Seconds(10));  // then disconnects mid-stream
  };
  read("0", 2);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].action(), "create");
  EXPECT_EQ(seen[0].name(), ct12_.name());

  // While disconnected: an update, a create and a delete.
  v1::UpdateDocumentRequest update;
  update.mutable_document()->set_name(tt05_.name());
  update.mutable_document()->set_summary("Cụ thể hóa Chỉ thị 12-CT/TW");
  update.mutable_update_mask()->add_paths("summary");
  Must(&Stub::UpdateDocument, update);
  auto extra = Create(Doc("12-KL/TW", "Bộ Chính trị", "", absl::CivilDay(2021, 8, 12),
                          "Kết luận về công tác người Việt Nam ở nước ngoài"));
  ASSERT_THAT(extra.status(), IsOk());
  v1::DeleteDocumentRequest remove;
  remove.set_name(extra->name());
  google::protobuf::Empty empty;
  ASSERT_THAT(Call(&Stub::DeleteDocument, remove, &empty), IsOk());

  read(seen.back().cursor(), 7);
  ASSERT_EQ(seen.size(), 7u);
  std::vector<std::string> actions;
  std::set<std::string> cursors;
  for (const auto& change : seen) {
    actions.push_back(change.action() + " " + change.name());
    EXPECT_TRUE(cursors.insert(change.cursor()).second) << "repeated " << change.cursor();
  }
  EXPECT_THAT(actions, ElementsAre("create " + ct12_.name(), "create " + hd01_.name(),
                                   "create " + tt05_.name(), "create " + ct24_.name(),
                                   "update " + tt05_.name(), "create " + extra->name(),
                                   "delete " + extra->name()));
  EXPECT_EQ(seen[4].document().summary(), "Cụ thể hóa Chỉ thị 12-CT/TW");
  EXPECT_FALSE(seen[6].has_document());

  // A live watcher sees a change made after it connected.
  grpc::ClientContext live;
  live.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  v1::WatchDocumentsRequest from_now;
  auto stream = stub_->WatchDocuments(&live, from_now);
  absl::SleepFor(absl::Milliseconds(300));
  auto late = Create(Doc("38-CT/TW", "Ban Bí thư Trung ương Đảng", "", absl::CivilDay(2019, 12, 20),
                         "Về tiếp tục đổi mới hoạt động của Liên hiệp các tổ chức hữu nghị"));
  ASSERT_THAT(late.status(), IsOk());
  v1::DocumentChange next;
  ASSERT_TRUE(stream->Read(&next));
  EXPECT_EQ(next.name(), late->name());
  live.TryCancel();
  stream->Finish();

  grpc::ClientContext bad;
  v1::WatchDocumentsRequest garbage;
  garbage.set_cursor("abc");
  auto refused = stub_->WatchDocuments(&bad, garbage);
  while (refused->Read(&next)) {
  }
  EXPECT_EQ(refused->Finish().error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

// Changes that commit while the feed waits to number the previous ones
// are numbered together: a watcher following them live and one replaying
// the log afterwards each see every change once, in one cursor order.
TEST_F(DirectivesTest, ChangesWrittenInABurstAreEachSeenOnceInOneOrder) {
  const std::string body = "Ủy ban nhân dân thành phố Hà Nội";
  auto first = Create(Doc("1-KH/UBND", body, "localities/01", absl::CivilDay(2023, 1, 2), "1"));
  ASSERT_THAT(first.status(), IsOk());  // and its issuer, before the writers share the fixture
  // The first document's change, as the position every watcher starts after.
  std::string start;
  {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
    v1::WatchDocumentsRequest request;
    request.set_cursor("0");
    auto stream = stub_->WatchDocuments(&context, request);
    v1::DocumentChange change;
    while (start.empty() && stream->Read(&change)) {
      if (change.name() == first->name()) start = change.cursor();
    }
    context.TryCancel();
    stream->Finish();
  }
  ASSERT_FALSE(start.empty());

  constexpr int kWriters = 4;
  constexpr int kEach = 25;
  const auto watch = [&](std::vector<v1::DocumentChange>& seen) {
    ReadChanges(*stub_, start, kWriters * kEach, seen, absl::Seconds(30));
  };
  std::vector<v1::DocumentChange> live;
  std::thread follower([&] { watch(live); });
  std::vector<std::thread> writers;
  std::vector<std::vector<std::string>> created(kWriters);
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      for (int i = 0; i < kEach; ++i) {
        const int number = 100 + w * kEach + i;
        auto document = Create(Doc(absl::StrCat(number, "-KH/UBND"), body, "localities/01",
                                   absl::CivilDay(2023, 1, 2), absl::StrCat(number)));
        EXPECT_THAT(document.status(), IsOk());
        if (document.ok()) created[w].push_back(document->name());
      }
    });
  }
  for (std::thread& writer : writers) writer.join();
  follower.join();
  std::vector<v1::DocumentChange> replayed;
  watch(replayed);

  std::set<std::string> names;
  for (const std::vector<std::string>& each : created) names.insert(each.begin(), each.end());
  ASSERT_EQ(names.size(), static_cast<size_t>(kWriters * kEach));
  for (const std::vector<v1::DocumentChange>* seen : {&live, &replayed}) {
    ASSERT_EQ(seen->size(), names.size());
    std::set<std::string> seen_names;
    int64_t previous = 0;
    ASSERT_TRUE(absl::SimpleAtoi(start, &previous));
    for (const v1::DocumentChange& change : *seen) {
      int64_t cursor = 0;
      ASSERT_TRUE(absl::SimpleAtoi(change.cursor(), &cursor));
      EXPECT_GT(cursor, previous) << change.name();
      previous = cursor;
      EXPECT_EQ(change.action(), "create");
      EXPECT_TRUE(seen_names.insert(change.name()).second) << "seen twice: " << change.name();
    }
    EXPECT_EQ(seen_names, names);
  }
  for (size_t i = 0; i < live.size(); ++i) {
    EXPECT_EQ(live[i].cursor(), replayed[i].cursor());
    EXPECT_EQ(live[i].name(), replayed[i].name());
  }
}

// A second replica on the same database: its watchers see the documents
// written through the first (the first's feed numbers them and NOTIFYs),
// and the first's watchers those written through the second.
TEST_F(DirectivesTest, EachReplicasWatchersSeeWhatTheOtherWrote) {
  auto second = StartDirectivesServer();
  ASSERT_TRUE(second.ok()) << second.status();
  auto second_stub = v1::DirectiveService::NewStub((*second)->NewChannel());
  const std::string body = "Ủy ban nhân dân thành phố Hà Nội";
  auto first = Create(Doc("1-KH/UBND", body, "localities/01", absl::CivilDay(2023, 1, 2), "1"));
  ASSERT_THAT(first.status(), IsOk());  // its issuer too, before the second replica writes

  // Watches `stub`'s replica from now until it has seen `name` created.
  const auto sees = [&](Stub& stub, const std::function<std::string()>& write) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(20)));
    v1::WatchDocumentsRequest from_now;
    auto stream = stub.WatchDocuments(&context, from_now);
    absl::SleepFor(absl::Milliseconds(300));  // the watcher in place before the write
    const std::string name = write();
    v1::DocumentChange change;
    bool seen = false;
    while (!seen && stream->Read(&change)) seen = change.name() == name;
    context.TryCancel();
    stream->Finish();
    return seen;
  };
  EXPECT_TRUE(sees(*second_stub, [&] {
    auto written = Create(Doc("2-KH/UBND", body, "localities/01", absl::CivilDay(2023, 1, 3), "2"));
    EXPECT_THAT(written.status(), IsOk());
    return written.value_or(v1::Document()).name();
  }));
  EXPECT_TRUE(sees(*stub_, [&] {
    v1::CreateDocumentRequest request;
    *request.mutable_document() =
        Doc("3-KH/UBND", body, "localities/01", absl::CivilDay(2023, 1, 4), "3");
    request.mutable_document()->set_issuing_organization(first->issuing_organization());
    v1::Document written;
    grpc::ClientContext context;
    EXPECT_TRUE(second_stub->CreateDocument(&context, request, &written).ok());
    return written.name();
  }));
}

TEST_F(DirectivesTest, GatewayAggregatesPerLocality) {
  ASSERT_NO_FATAL_FAILURE(CreateCascade());
  const std::string haufo = CreateOrganization("Liên hiệp các tổ chức hữu nghị thành phố Hà Nội");
  std::vector<v1::Task> tasks;
  for (const auto& [number, due] :
       {std::pair{"1", absl::CivilDay(2022, 12, 31)}, std::pair{"2", absl::CivilDay(2023, 6, 30)},
        std::pair{"3", api::TodayInVietnam() + 60}}) {
    v1::CreateTaskRequest request;
    request.set_parent(tt05_.name());
    request.mutable_task()->set_number(number);
    request.mutable_task()->set_title("Nhiệm vụ");
    request.mutable_task()->set_lead(haufo);
    *request.mutable_task()->mutable_due_date() = api::ToDate(due);
    tasks.push_back(Must(&Stub::CreateTask, request));
  }
  // Tasks across documents, by their document's locality.
  v1::ListTasksRequest in_hanoi;
  in_hanoi.set_parent("directives/-");
  in_hanoi.set_filter("status = OPEN_OVERDUE AND locality = \"localities/01\"");
  v1::ListTasksResponse overdue_in_hanoi = Must(&Stub::ListTasks, in_hanoi);
  ASSERT_EQ(overdue_in_hanoi.tasks_size(), 2);
  EXPECT_EQ(overdue_in_hanoi.tasks(0).current_locality(), "localities/01");
  in_hanoi.set_filter("locality = \"localities/79\"");
  EXPECT_EQ(Must(&Stub::ListTasks, in_hanoi).tasks_size(), 0);
  in_hanoi.set_filter("locality = \"hanoi\"");
  v1::ListTasksResponse refused;
  EXPECT_THAT(Call(&Stub::ListTasks, in_hanoi, &refused),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("filter")));

  v1::CreateDisseminationEventRequest event;
  event.set_parent(tt05_.name());
  *event.mutable_dissemination_event()->mutable_date() = api::ToDate(absl::CivilDay(2022, 5, 30));
  event.mutable_dissemination_event()->set_format(v1::DISSEMINATION_FORMAT_CONFERENCE);
  event.mutable_dissemination_event()->set_head_count(23000);
  Must(&Stub::CreateDisseminationEvent, event);

  v1::GetImplementationStatusRequest request;
  request.set_name(ct12_.name());
  v1::GetImplementationStatusResponse status = Must(&Stub::GetImplementationStatus, request);
  ASSERT_EQ(status.localities_size(), 2);
  const v1::LocalityImplementation& hanoi = status.localities(0);
  EXPECT_EQ(hanoi.locality(), "localities/01");
  ASSERT_EQ(hanoi.documents_size(), 1);
  EXPECT_EQ(hanoi.documents(0).symbol(), "05-TT/TU");
  EXPECT_EQ(hanoi.documents(0).lag_days(), 138);
  EXPECT_EQ(hanoi.tasks_by_status().at("OPEN_OVERDUE"), 2);
  EXPECT_EQ(hanoi.tasks_by_status().at("OPEN_WITHIN_DEADLINE"), 1);
  EXPECT_EQ(hanoi.dissemination_events(), 1);
  EXPECT_EQ(hanoi.disseminated_head_count(), 23000);
  EXPECT_EQ(status.localities(1).locality(), "localities/79");
  EXPECT_EQ(status.localities(1).documents(0).lag_days(), 126);

  v1::SummarizeOverdueTasksResponse overdue =
      Must(&Stub::SummarizeOverdueTasks, v1::SummarizeOverdueTasksRequest());
  ASSERT_EQ(overdue.localities_size(), 1);
  EXPECT_EQ(overdue.localities(0).locality(), "localities/01");
  EXPECT_EQ(overdue.localities(0).overdue_tasks(), 2);
  EXPECT_EQ(overdue.localities(0).max_days_overdue(),
            api::TodayInVietnam() - absl::CivilDay(2022, 12, 31));
  // One locality's alone: Hanoi's the same, Ho Chi Minh City's none.
  v1::SummarizeOverdueTasksRequest of_locality;
  of_locality.set_locality("localities/01");
  v1::SummarizeOverdueTasksResponse hanoi_overdue = Must(&Stub::SummarizeOverdueTasks, of_locality);
  ASSERT_EQ(hanoi_overdue.localities_size(), 1);
  EXPECT_EQ(hanoi_overdue.localities(0).SerializeAsString(),
            overdue.localities(0).SerializeAsString());
  of_locality.set_locality("localities/79");
  EXPECT_EQ(Must(&Stub::SummarizeOverdueTasks, of_locality).localities_size(), 0);
  of_locality.set_locality("provinces/01");
  v1::SummarizeOverdueTasksResponse not_a_locality;
  EXPECT_THAT(Call(&Stub::SummarizeOverdueTasks, of_locality, &not_a_locality),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("locality")));

  // Completing the first task after its due date and deleting the third
  // move the counts: the aggregates follow every task write.
  v1::UpdateTaskRequest complete;
  *complete.mutable_task() = tasks[0];
  *complete.mutable_task()->mutable_completed_date() = api::ToDate(absl::CivilDay(2023, 1, 9));
  complete.mutable_update_mask()->add_paths("completed_date");
  Must(&Stub::UpdateTask, complete);
  v1::DeleteTaskRequest remove;
  remove.set_name(tasks[2].name());
  remove.set_etag(tasks[2].etag());
  Must(&Stub::DeleteTask, remove);
  status = Must(&Stub::GetImplementationStatus, request);
  EXPECT_THAT(status.localities(0).tasks_by_status(),
              UnorderedElementsAre(Pair("DONE_LATE", 1), Pair("OPEN_OVERDUE", 1)));
  overdue = Must(&Stub::SummarizeOverdueTasks, v1::SummarizeOverdueTasksRequest());
  ASSERT_EQ(overdue.localities_size(), 1);
  EXPECT_EQ(overdue.localities(0).overdue_tasks(), 1);
  EXPECT_EQ(overdue.localities(0).max_days_overdue(),
            api::TodayInVietnam() - absl::CivilDay(2023, 6, 30));

  request.set_name("directives/4242");
  v1::GetImplementationStatusResponse missing;
  EXPECT_THAT(Call(&Stub::GetImplementationStatus, request, &missing),
              StatusIs(absl::StatusCode::kNotFound));
}

}  // namespace
}  // namespace caunoi
