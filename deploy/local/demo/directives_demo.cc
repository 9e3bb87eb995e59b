#include "deploy/local/demo/directives_demo.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "common/api/dates.h"
#include "common/status/status_macros.h"
#include "deploy/local/demo/invoke.h"

namespace caunoi::demo {
namespace {

using Stub = v1::DirectiveService::Stub;

struct DocumentSeed {
  const char* key;
  const char* symbol;
  const char* issuing_body;
  const char* issuer;    // organization key
  const char* locality;  // "" for central documents
  absl::CivilDay issued;
  const char* title;
  const char* summary;
  std::vector<const char*> parents;  // keys of documents loaded before
};

const char* const kTitle12 =
    "Về tăng cường sự lãnh đạo của Đảng, nâng cao hiệu quả công tác đối ngoại nhân dân trong "
    "tình hình mới";

std::vector<DocumentSeed> Documents() {
  return {
      {"ct-12",
       "12-CT/TW",
       "Ban Bí thư Trung ương Đảng",
       "party-secretariat",
       "",
       absl::CivilDay(2022, 1, 5),
       kTitle12,
       "",
       {}},
      {"hd-01",
       "01-HD/BĐNTW",
       "Ban Đối ngoại Trung ương",
       "party-external-relations",
       "",
       absl::CivilDay(2022, 4, 18),
       "Hướng dẫn thực hiện Chỉ thị số 12-CT/TW của Ban Bí thư",
       "",
       {"ct-12"}},
      {"tt-05",
       "05-TT/TU",
       "Ban Thường vụ Thành ủy Hà Nội",
       "party-hanoi",
       "localities/01",
       absl::CivilDay(2022, 5, 23),
       "Về tăng cường sự lãnh đạo của Đảng, nâng cao hiệu quả đối ngoại nhân dân trong tình "
       "hình mới trên địa bàn Hà Nội",
       "Cụ thể hóa Chỉ thị số 12-CT/TƯ ngày 5-1-2022 của Ban Bí thư.",
       {"ct-12"}},
      // The article does not name its province; the demo files it under
      // Bình Định (since 1 July 2025 part of Gia Lai) for illustration.
      {"ct-24",
       "24-CT/TU",
       "Ban Thường vụ Tỉnh ủy",
       "party-binh-dinh",
       "localities/pre2025-52",
       absl::CivilDay(2022, 5, 11),
       "Về tăng cường sự lãnh đạo của Đảng, nâng cao hiệu quả đối ngoại nhân dân trong tình "
       "hình mới",
       "Quán triệt Chỉ thị 12-CT/TW và Hướng dẫn 01-HD/BĐNTW; định kỳ báo cáo kết quả thực "
       "hiện. (Bài nguồn không nêu tên tỉnh; dữ liệu mẫu gán địa phương để minh họa.)",
       {"ct-12", "hd-01"}},
      // The articles cite 38-CT/TW without its date; the demo records the
      // date it is commonly cited with, to be checked against the original.
      {"ct-38",
       "38-CT/TW",
       "Ban Bí thư Trung ương Đảng",
       "party-secretariat",
       "",
       absl::CivilDay(2019, 12, 20),
       "Về tiếp tục đổi mới, phát huy vai trò và nâng cao chất lượng, hiệu quả hoạt động của "
       "Liên hiệp các tổ chức hữu nghị Việt Nam trong tình hình mới",
       "Ngày ban hành cần đối chiếu với văn bản gốc.",
       {}},
      // Reported on 27 Nov 2021 without its own date: recorded on that day.
      {"kh-2722",
       "2722/KH-UBND",
       "Ủy ban nhân dân Thành phố Hồ Chí Minh",
       "people-committee-hcmc",
       "localities/79",
       absl::CivilDay(2021, 11, 27),
       "Triển khai thực hiện Chỉ thị 38-CT/TW của Ban Bí thư",
       "Xác định các nhóm giải pháp trọng tâm, cụ thể hóa thành các nhiệm vụ cho từng giai "
       "đoạn (ngắn hạn và dài hạn).",
       {"ct-38"}},
      // As the article dates it; corrected below.
      {"kl-12",
       "12-KL/TW",
       "Bộ Chính trị",
       "party-politburo",
       "",
       absl::CivilDay(2022, 8, 12),
       "Về công tác người Việt Nam ở nước ngoài trong tình hình mới",
       "",
       {}},
  };
}

struct TaskSeed {
  const char* number;
  const char* title;
  const char* lead;  // organization key
  v1::TaskPhase phase;
};

// The four main contents of Ho Chi Minh City's plan 2722/KH-UBND.
std::vector<TaskSeed> PlanTasks() {
  return {
      {"1", "Tuyên truyền, phổ biến Chỉ thị 38-CT/TW đến các cấp chính quyền, sở, ban, ngành",
       "hufo", v1::TASK_PHASE_SHORT_TERM},
      {"2", "Hoàn thiện khung pháp lý cho hoạt động đối ngoại nhân dân của Thành phố",
       "people-committee-hcmc", v1::TASK_PHASE_LONG_TERM},
      {"3",
       "Đa dạng hóa quan hệ, ưu tiên các nước láng giềng, ASEAN, các nước lớn, đối tác chiến "
       "lược và đối tác chiến lược toàn diện",
       "hufo", v1::TASK_PHASE_LONG_TERM},
      {"4", "Liên hiệp hữu nghị Thành phố xây dựng Chương trình hành động thực hiện Chỉ thị",
       "hufo", v1::TASK_PHASE_SHORT_TERM},
  };
}

class Loader {
 public:
  Loader(Stub& stub, const std::map<std::string, std::string>& organizations)
      : stub_(stub), organizations_(organizations) {}

  absl::StatusOr<std::map<std::string, std::string>> Run() {
    for (const DocumentSeed& seed : Documents()) CAUNOI_RETURN_IF_ERROR(Document(seed));
    CAUNOI_RETURN_IF_ERROR(CorrectConclusionDate());
    for (const TaskSeed& seed : PlanTasks()) CAUNOI_RETURN_IF_ERROR(Task(seed));
    CAUNOI_RETURN_IF_ERROR(Conference());
    CAUNOI_RETURN_IF_ERROR(TaskDueSoon());
    return documents_;
  }

 private:
  static std::string RequestId(absl::string_view key) { return absl::StrCat("demo:", key); }

  absl::Status Document(const DocumentSeed& seed) {
    v1::CreateDocumentRequest request;
    request.set_request_id(RequestId(absl::StrCat("document:", seed.key)));
    v1::Document* document = request.mutable_document();
    document->set_symbol(seed.symbol);
    document->set_issuing_body(seed.issuing_body);
    document->set_issuing_organization(organizations_.at(seed.issuer));
    document->set_level(*seed.locality ? v1::DOCUMENT_LEVEL_PROVINCIAL
                                       : v1::DOCUMENT_LEVEL_CENTRAL);
    document->set_locality(seed.locality);
    *document->mutable_issue_date() = api::ToDate(seed.issued);
    document->set_title(seed.title);
    document->set_summary(seed.summary);
    for (const char* parent : seed.parents) document->add_parents(documents_[parent]);
    CAUNOI_ASSIGN_OR_RETURN(v1::Document created, Invoke(stub_, &Stub::CreateDocument, request));
    documents_[seed.key] = created.name();
    return absl::OkStatus();
  }

  // Kết luận 12-KL/TW was issued on 12 August 2021, not 2022.
  absl::Status CorrectConclusionDate() {
    v1::GetDocumentRequest get;
    get.set_name(documents_["kl-12"]);
    CAUNOI_ASSIGN_OR_RETURN(v1::Document current, Invoke(stub_, &Stub::GetDocument, get));
    if (current.issue_date().year() == 2021) return absl::OkStatus();  // loaded before
    v1::UpdateDocumentRequest request;
    request.mutable_document()->set_name(current.name());
    request.mutable_document()->set_etag(current.etag());
    *request.mutable_document()->mutable_issue_date() = api::ToDate(absl::CivilDay(2021, 8, 12));
    request.mutable_update_mask()->add_paths("issue_date");
    request.set_reason("the article dates it 12/8/2022; Kết luận 12-KL/TW was issued in 2021");
    return Invoke(stub_, &Stub::UpdateDocument, request).status();
  }

  absl::Status Task(const TaskSeed& seed) {
    v1::CreateTaskRequest request;
    request.set_request_id(RequestId(absl::StrCat("task:kh-2722:", seed.number)));
    request.set_parent(documents_["kh-2722"]);
    request.mutable_task()->set_number(seed.number);
    request.mutable_task()->set_title(seed.title);
    request.mutable_task()->set_lead(organizations_.at(seed.lead));
    request.mutable_task()->set_phase(seed.phase);
    request.mutable_task()->set_reporting_cadence(v1::REPORTING_CADENCE_YEARLY);
    return Invoke(stub_, &Stub::CreateTask, request).status();
  }

  // A task of 05-TT/TU due five days after the demo is loaded, so that the
  // alert producer has a reminder to give HAUFO.
  absl::Status TaskDueSoon() {
    v1::CreateTaskRequest request;
    request.set_request_id(RequestId("task:tt-05:so-ket"));
    request.set_parent(documents_["tt-05"]);
    v1::Task* task = request.mutable_task();
    task->set_number("1");
    task->set_title(
        "Sơ kết công tác đối ngoại nhân dân năm của Liên hiệp các tổ chức hữu nghị"
        " thành phố, báo cáo Thành ủy");
    task->set_lead(organizations_.at("haufo"));
    *task->mutable_due_date() = api::ToDate(api::TodayInVietnam() + 5);
    return Invoke(stub_, &Stub::CreateTask, request).status();
  }

  // HAUFO's conference of 30 May 2022 on 05-TT/TU (no head-count given).
  absl::Status Conference() {
    v1::CreateDisseminationEventRequest request;
    request.set_request_id(RequestId("event:haufo-2022-05-30"));
    request.set_parent(documents_["tt-05"]);
    v1::DisseminationEvent* event = request.mutable_dissemination_event();
    event->set_organizer(organizations_.at("haufo"));
    *event->mutable_date() = api::ToDate(absl::CivilDay(2022, 5, 30));
    event->set_format(v1::DISSEMINATION_FORMAT_CONFERENCE);
    event->set_audience(
        "Hội nghị quán triệt Thông tri 05-TT/TU; nói chuyện chuyên đề \"Bác Hồ với đối ngoại "
        "nhân dân\"");
    event->set_locality("localities/01");
    return Invoke(stub_, &Stub::CreateDisseminationEvent, request).status();
  }

  Stub& stub_;
  const std::map<std::string, std::string>& organizations_;
  std::map<std::string, std::string> documents_;
};

}  // namespace

absl::StatusOr<std::map<std::string, std::string>> LoadDirectives(
    Stub& stub, const std::map<std::string, std::string>& organizations) {
  return Loader(stub, organizations).Run();
}

}  // namespace caunoi::demo
