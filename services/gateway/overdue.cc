#include "services/gateway/status_service.h"

// What is overdue: open tasks past their due dates and reports missing
// past theirs, oldest first.
#include <algorithm>
#include <tuple>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/api/dates.h"
#include "common/api/deadline.h"
#include "common/api/locality_name.h"
#include "common/api/page_token.h"
#include "common/api/resource_name.h"
#include "common/status/errors.h"
#include "common/status/status_macros.h"
#include "services/gateway/fanout.h"
#include "services/gateway/status_answer.h"

namespace caunoi::gateway {
namespace {

constexpr int kMaxListPages = 20;

// Whether `section` answered and another page follows; readies the request
// for it.
template <typename Request, typename Response>
bool NextPage(Section<Request, Response>& section) {
  if (!section.status.ok() || section.response.next_page_token().empty()) return false;
  section.request.set_page_token(section.response.next_page_token());
  return true;
}

}  // namespace

grpc::Status StatusService::ListOverdue(grpc::ServerContext* context,
                                        const v1::ListOverdueRequest* request,
                                        v1::ListOverdueResponse* response) {
  return Answer<v1::ListOverdueResponse>(
      *context, gatekeeper_, turns_, "ListOverdue", response,
      [&]() -> absl::StatusOr<v1::ListOverdueResponse> {
        CAUNOI_ASSIGN_OR_RETURN(int page_size, api::ResolvePageSize(request->page_size(), 50, 500));
        if (!request->locality().empty()) {
          CAUNOI_RETURN_IF_ERROR(ParseLocalityName(request->locality(), "locality").status());
        }
        const std::string query = absl::StrCat("overdue|", request->locality());
        int offset = 0;
        if (!request->page_token().empty()) {
          CAUNOI_ASSIGN_OR_RETURN(std::vector<std::string> key,
                                  api::DecodePageToken(request->page_token(), query));
          if (key.size() != 1 || !absl::SimpleAtoi(key[0], &offset) || offset < 0) {
            return InvalidFieldError("page_token", "is not a token of this query");
          }
        }
        const absl::Time deadline = api::RequestDeadline(*context);
        const absl::CivilDay today = api::TodayInVietnam();
        v1::ListOverdueResponse answer;
        std::vector<v1::OverdueItem> items;

        // The most overdue tasks and missing reports first, as many of each
        // as this page reaches (either may fill it), read side by side.
        const int wanted = offset + page_size;
        Section<v1::ListTasksFallingDueRequest, v1::ListTasksFallingDueResponse> tasks("tasks");
        // The earliest due date a task may have.
        *tasks.request.mutable_due_from() = api::ToDate(absl::CivilDay(1945, 1, 1));
        *tasks.request.mutable_due_to() = api::ToDate(today - 1);
        tasks.request.set_locality(request->locality());
        tasks.request.set_page_size(std::min(wanted, 5000));
        Section<v1::ListMissingReportsRequest, v1::ListMissingReportsResponse> missing("reports");
        missing.request.set_locality(request->locality());
        missing.request.set_page_size(std::min(wanted, 1000));
        std::vector<v1::TaskFallingDue> overdue_tasks;
        std::vector<v1::MissingReports> missing_reports;
        bool more_tasks = true;
        bool more_missing = true;
        for (int page = 0; page < kMaxListPages && (more_tasks || more_missing); ++page) {
          Fanout fanout;
          if (more_tasks) {
            fanout.Run(tasks, SectionDeadline(deadline), [&](auto* c, auto* q, auto* r, auto done) {
              directives_->async()->ListTasksFallingDue(c, q, r, std::move(done));
            });
          }
          if (more_missing) {
            fanout.Run(missing, SectionDeadline(deadline),
                       [&](auto* c, auto* q, auto* r, auto done) {
                         reports_->async()->ListMissingReports(c, q, r, std::move(done));
                       });
          }
          fanout.Wait();
          if (more_tasks) {
            for (v1::TaskFallingDue& task : *tasks.response.mutable_tasks()) {
              overdue_tasks.push_back(std::move(task));
            }
            more_tasks = static_cast<int>(overdue_tasks.size()) < wanted && NextPage(tasks);
          }
          if (more_missing) {
            for (v1::MissingReports& entry : *missing.response.mutable_missing_reports()) {
              missing_reports.push_back(std::move(entry));
            }
            more_missing = static_cast<int>(missing_reports.size()) < wanted && NextPage(missing);
          }
        }
        if (Report(tasks, answer.mutable_sections())) {
          for (const v1::TaskFallingDue& task : overdue_tasks) {
            v1::OverdueItem item;
            item.set_kind(v1::OverdueItem::KIND_TASK);
            item.set_locality(task.current_locality());
            item.set_name(task.task());
            item.set_title(task.title());
            *item.mutable_due_date() = task.due_date();
            item.set_days_overdue(
                static_cast<int32_t>(today - api::ToCivilDayUnchecked(task.due_date())));
            items.push_back(std::move(item));
          }
        }
        if (Report(missing, answer.mutable_sections())) {
          for (const v1::MissingReports& entry : missing_reports) {
            v1::OverdueItem item;
            item.set_kind(v1::OverdueItem::KIND_MISSING_REPORTS);
            item.set_locality(entry.locality());
            item.set_name(entry.document());
            item.set_title(
                absl::StrCat(entry.missing(), " report(s) missing for ", entry.period()));
            item.set_period(entry.period());
            item.set_missing(entry.missing());
            *item.mutable_due_date() = entry.due_date();
            item.set_days_overdue(
                static_cast<int32_t>(today - api::ToCivilDayUnchecked(entry.due_date())));
            items.push_back(std::move(item));
          }
        }

        // Both lists read are the first of their orders (due date first), so
        // items sort in those orders too: every page is then a slice of one
        // order.
        std::stable_sort(
            items.begin(), items.end(), [](const v1::OverdueItem& a, const v1::OverdueItem& b) {
              if (a.days_overdue() != b.days_overdue()) {
                return a.days_overdue() > b.days_overdue();
              }
              if (a.kind() != b.kind()) return a.kind() > b.kind();
              if (a.kind() == v1::OverdueItem::KIND_TASK) {
                return api::NumericResourceId(a.name()) < api::NumericResourceId(b.name());
              }
              if (a.name() != b.name())
                return api::NumericResourceId(a.name()) < api::NumericResourceId(b.name());
              return std::tie(a.locality(), a.period()) < std::tie(b.locality(), b.period());
            });
        const size_t end = std::min(items.size(), static_cast<size_t>(offset + page_size));
        for (size_t i = static_cast<size_t>(offset); i < end; ++i) *answer.add_items() = items[i];
        if (end < items.size() || !tasks.response.next_page_token().empty() ||
            !missing.response.next_page_token().empty()) {
          answer.set_next_page_token(api::EncodePageToken(query, {absl::StrCat(end)}));
        }
        return answer;
      });
}

}  // namespace caunoi::gateway
