#include "services/gateway/status_service.h"

#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/api/dates.h"
#include "common/api/deadline.h"
#include "common/api/enum_token.h"
#include "common/api/locality_name.h"
#include "common/api/page_token.h"
#include "common/api/resource_name.h"
#include "common/period/period_range.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "common/status/status_macros.h"
#include "services/gateway/fanout.h"

namespace caunoi::gateway {
namespace {

constexpr int kMaxListPages = 20;

std::string CacheKey(const v1::GetDirectiveRolloutRequest& request) {
  return absl::StrCat(request.document(), "|", request.from_period(), "|", request.to_period());
}

// `rollout` serialized as a slice every caller can share.
grpc::Slice Serialized(const v1::DirectiveRollout& rollout) {
  return grpc::Slice(rollout.SerializeAsString());
}

// A cached answer with its age appended as field 8 (cache_age_ms): a field
// repeated later in the bytes wins, so the shared bytes need no copy.
grpc::ByteBuffer WithAge(const grpc::Slice& bytes, absl::Duration age) {
  std::string suffix(1, static_cast<char>(8 << 3));  // field 8, varint
  for (uint64_t value = static_cast<uint64_t>(absl::ToInt64Milliseconds(age));; value >>= 7) {
    if (value < 0x80) {
      suffix.push_back(static_cast<char>(value));
      break;
    }
    suffix.push_back(static_cast<char>((value & 0x7f) | 0x80));
  }
  grpc::Slice slices[] = {bytes, grpc::Slice(suffix)};
  return grpc::ByteBuffer(slices, 2);
}
constexpr size_t kMaxCachedRollouts = 1000;

// A backend refusing the caller's own input is the caller's error, not a
// missing section.
bool IsCallersFault(const grpc::Status& status) {
  return status.error_code() == grpc::StatusCode::NOT_FOUND ||
         status.error_code() == grpc::StatusCode::INVALID_ARGUMENT;
}

template <typename Response>
grpc::Status Answer(const grpc::ServerContext& context, Gatekeeper& gatekeeper,
                    absl::string_view method, Response* response,
                    absl::FunctionRef<absl::StatusOr<Response>()> body) {
  absl::StatusOr<Admission> admission = gatekeeper.Admit(context, method);
  if (!admission.ok()) return ToGrpcStatus(admission.status());
  absl::StatusOr<Response> answer = body();
  if (!answer.ok()) return ToGrpcStatus(answer.status());
  *response = *std::move(answer);
  return grpc::Status::OK;
}

}  // namespace

StatusService::StatusService(Backend& directives, Backend& organizations, Backend& reports,
                             Gatekeeper& gatekeeper, StatusOptions options)
    : directives_(v1::DirectiveService::NewStub(directives.channel())),
      organizations_(v1::OrganizationService::NewStub(organizations.channel())),
      reports_(v1::ReportService::NewStub(reports.channel())),
      gatekeeper_(gatekeeper),
      options_(options) {}

absl::Time StatusService::SectionDeadline(absl::Time deadline) const {
  // A little is kept back to assemble the answer before the caller's
  // deadline passes.
  return std::min(absl::Now() + options_.section_timeout, deadline - absl::Milliseconds(20));
}

absl::StatusOr<v1::DirectiveRollout> StatusService::Rollout(
    const v1::GetDirectiveRolloutRequest& request, absl::Time deadline) {
  const absl::Time section_deadline = SectionDeadline(deadline);
  Section<v1::ListLocalitiesRequest, v1::ListLocalitiesResponse> localities("localities");
  localities.request.set_page_size(100);
  Section<v1::GetImplementationStatusRequest, v1::GetImplementationStatusResponse> implementation(
      "implementation");
  implementation.request.set_name(request.document());

  Fanout fanout;
  fanout.Run(localities, section_deadline, [&](auto* c, auto* q, auto* r, auto done) {
    organizations_->async()->ListLocalities(c, q, r, std::move(done));
  });
  fanout.Run(implementation, section_deadline, [&](auto* c, auto* q, auto* r, auto done) {
    directives_->async()->GetImplementationStatus(c, q, r, std::move(done));
  });
  fanout.Wait();
  if (IsCallersFault(implementation.status)) return FromGrpcStatus(implementation.status);

  // Reports are owed on the directive and on the documents concretizing it
  // (Hanoi reports on its 05-TT/TU), so they are counted once those are known.
  Section<v1::SummarizeComplianceRequest, v1::SummarizeComplianceResponse> reports("reports");
  reports.request.add_documents(request.document());
  for (const v1::LocalityImplementation& found : implementation.response.localities()) {
    for (const v1::ImplementingDocument& document : found.documents()) {
      reports.request.add_documents(document.name());
    }
  }
  reports.request.set_from_period(request.from_period());
  reports.request.set_to_period(request.to_period());
  Fanout then;
  then.Run(reports, SectionDeadline(deadline), [&](auto* c, auto* q, auto* r, auto done) {
    reports_->async()->SummarizeCompliance(c, q, r, std::move(done));
  });
  then.Wait();

  v1::DirectiveRollout rollout;
  rollout.set_document(request.document());
  std::map<std::string, v1::LocalityRollout> by_locality;
  const bool listed = Report(localities, rollout.mutable_sections());
  if (listed) {
    for (const v1::Locality& locality : localities.response.localities()) {
      v1::LocalityRollout& entry = by_locality[locality.name()];
      entry.set_locality(locality.name());
      entry.set_display_name(locality.display_name());
    }
  }
  auto entry_for = [&](const std::string& name) -> v1::LocalityRollout& {
    v1::LocalityRollout& entry = by_locality[name];
    entry.set_locality(name);
    return entry;
  };
  const bool implemented = Report(implementation, rollout.mutable_sections());
  if (implemented) {
    for (const v1::LocalityImplementation& found : implementation.response.localities()) {
      v1::LocalityRollout& entry = entry_for(found.locality());
      for (const v1::ImplementingDocument& document : found.documents()) {
        v1::ConcretizingDocument* added = entry.add_documents();
        added->set_name(document.name());
        added->set_symbol(document.symbol());
        *added->mutable_issue_date() = document.issue_date();
        added->set_lag_days(document.lag_days());
      }
      for (const auto& [status, count] : found.tasks_by_status()) {
        (*entry.mutable_tasks_by_status())[status] += count;
        (*rollout.mutable_tasks_by_status())[status] += count;
      }
      entry.set_dissemination_events(found.dissemination_events());
      entry.set_disseminated_head_count(found.disseminated_head_count());
      rollout.set_disseminated_head_count(rollout.disseminated_head_count() +
                                          found.disseminated_head_count());
    }
  }
  if (Report(reports, rollout.mutable_sections())) {
    for (const v1::PeriodCompliance& period : reports.response.periods()) {
      if (!period.locality().empty()) *entry_for(period.locality()).add_report_periods() = period;
    }
    for (const v1::LocalityCompliance& locality : reports.response.localities()) {
      if (!locality.locality().empty()) {
        *entry_for(locality.locality()).mutable_reports() = locality.counts();
      }
    }
    *rollout.mutable_reports() = reports.response.total();
  }
  for (auto& [name, entry] : by_locality) {
    if (listed && implemented && entry.documents().empty()) {
      rollout.add_localities_not_implementing(name);
    }
    *rollout.add_localities() = std::move(entry);
  }
  return rollout;
}

absl::StatusOr<v1::DirectiveRollout> StatusService::CachedRollout(
    const v1::GetDirectiveRolloutRequest& request, absl::Time deadline) {
  CAUNOI_RETURN_IF_ERROR(
      api::ParseResourceName(request.document(), "directives/{}", "document").status());
  CAUNOI_RETURN_IF_ERROR(
      periods::ParsePeriodRange(request.from_period(), request.to_period()).status());
  const std::string key = CacheKey(request);
  if (options_.rollout_cache_ttl <= absl::ZeroDuration()) return Rollout(request, deadline);
  auto served = [](const CachedAnswer& answer, absl::Time now) {
    v1::DirectiveRollout rollout = answer.rollout;
    rollout.set_cache_age_ms(absl::ToInt64Milliseconds(now - answer.computed));
    return rollout;
  };
  std::shared_ptr<Flight> flight;
  bool leader = false;
  {
    absl::MutexLock lock(&cache_mutex_);
    const absl::Time now = absl::Now();
    auto cached = cache_.find(key);
    if (cached != cache_.end() && now - cached->second.computed < options_.rollout_cache_ttl) {
      return served(cached->second, now);
    }
    auto under_way = flights_.find(key);
    if (under_way != flights_.end()) {
      if (cached != cache_.end()) return served(cached->second, now);
      flight = under_way->second;
    } else {
      flight = std::make_shared<Flight>();
      flights_[key] = flight;
      leader = true;
    }
  }
  if (!leader) {
    if (!flight->done.WaitForNotificationWithDeadline(deadline)) {
      return absl::DeadlineExceededError("the rollout is still being computed");
    }
    return flight->result;
  }
  flight->result = Rollout(request, deadline);
  {
    absl::MutexLock lock(&cache_mutex_);
    const bool complete =
        flight->result.ok() &&
        std::all_of(flight->result->sections().begin(), flight->result->sections().end(),
                    [](const v1::SectionStatus& section) { return section.available(); });
    // Only complete answers are kept, so a backend's recovery shows at once.
    if (complete) {
      if (cache_.size() >= kMaxCachedRollouts) cache_.clear();
      cache_[key] = CachedAnswer{absl::Now(), *flight->result, Serialized(*flight->result)};
    }
    flights_.erase(key);
  }
  flight->done.Notify();
  return flight->result;
}

std::optional<grpc::ByteBuffer> StatusService::ServedBytes(const std::string& key) {
  if (options_.rollout_cache_ttl <= absl::ZeroDuration()) return std::nullopt;
  absl::MutexLock lock(&cache_mutex_);
  auto cached = cache_.find(key);
  if (cached == cache_.end()) return std::nullopt;
  const absl::Duration age = absl::Now() - cached->second.computed;
  if (age >= options_.rollout_cache_ttl && !flights_.contains(key)) return std::nullopt;
  return WithAge(cached->second.bytes, age);
}

grpc::ServerUnaryReactor* StatusService::GetDirectiveRollout(grpc::CallbackServerContext* context,
                                                             const grpc::ByteBuffer* request,
                                                             grpc::ByteBuffer* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  auto request_message = std::make_shared<v1::GetDirectiveRolloutRequest>();
  std::vector<grpc::Slice> slices;
  if (!request->Dump(&slices).ok()) {
    reactor->Finish(grpc::Status(grpc::StatusCode::INTERNAL, "the request could not be read"));
    return reactor;
  }
  std::string bytes;
  for (const grpc::Slice& slice : slices) {
    bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  if (!request_message->ParseFromString(bytes)) {
    reactor->Finish(ToGrpcStatus(ErrorWithReason(
        absl::StatusCode::kInvalidArgument,
        "the request could not be parsed as a GetDirectiveRolloutRequest", "MALFORMED_REQUEST")));
    return reactor;
  }
  absl::StatusOr<Admission> admitted = gatekeeper_.Admit(*context, "GetDirectiveRollout");
  if (!admitted.ok()) {
    reactor->Finish(ToGrpcStatus(admitted.status()));
    return reactor;
  }
  // Held until the answer is computed.
  auto admission = std::make_shared<Admission>(*std::move(admitted));
  if (std::optional<grpc::ByteBuffer> cached = ServedBytes(CacheKey(*request_message))) {
    *response = *std::move(cached);
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }
  // Computing waits on the backends: not on one of gRPC's threads.
  const absl::Time deadline = api::RequestDeadline(*context);
  work_.Schedule([this, reactor, response, request_message, deadline, admission] {
    absl::StatusOr<v1::DirectiveRollout> rollout = CachedRollout(*request_message, deadline);
    if (!rollout.ok()) {
      reactor->Finish(ToGrpcStatus(rollout.status()));
      return;
    }
    grpc::Slice serialized = Serialized(*rollout);
    *response = grpc::ByteBuffer(&serialized, 1);
    reactor->Finish(grpc::Status::OK);
  });
  return reactor;
}

grpc::Status StatusService::CompareLocalities(grpc::ServerContext* context,
                                              const v1::CompareLocalitiesRequest* request,
                                              v1::CompareLocalitiesResponse* response) {
  return Answer<v1::CompareLocalitiesResponse>(
      *context, gatekeeper_, "CompareLocalities", response,
      [&]() -> absl::StatusOr<v1::CompareLocalitiesResponse> {
        if (request->metric() == v1::LOCALITY_METRIC_UNSPECIFIED ||
            !v1::LocalityMetric_IsValid(request->metric())) {
          return InvalidFieldError("metric", "name the metric to compare");
        }
        v1::GetDirectiveRolloutRequest rollout_request;
        rollout_request.set_document(request->document());
        rollout_request.set_from_period(request->from_period());
        rollout_request.set_to_period(request->to_period());
        CAUNOI_ASSIGN_OR_RETURN(v1::DirectiveRollout rollout,
                                CachedRollout(rollout_request, api::RequestDeadline(*context)));
        v1::CompareLocalitiesResponse compared;
        *compared.mutable_sections() = rollout.sections();
        bool lower_first = false;
        for (const v1::LocalityRollout& locality : rollout.localities()) {
          v1::LocalityRank* rank = compared.add_ranks();
          rank->set_locality(locality.locality());
          rank->set_display_name(locality.display_name());
          rank->set_has_value(true);
          switch (request->metric()) {
            case v1::LOCALITY_METRIC_IMPLEMENTATION_LAG_DAYS:
              lower_first = true;
              rank->set_has_value(!locality.documents().empty());
              if (rank->has_value()) rank->set_value(locality.documents(0).lag_days());
              break;
            case v1::LOCALITY_METRIC_REPORTING_RATE:
              rank->set_has_value(locality.reports().expected() > 0);
              rank->set_value(locality.reports().reporting_rate());
              break;
            case v1::LOCALITY_METRIC_ON_TIME_RATE:
              rank->set_has_value(locality.reports().expected() > 0);
              rank->set_value(locality.reports().on_time_rate());
              break;
            case v1::LOCALITY_METRIC_DISSEMINATED_HEAD_COUNT:
              rank->set_value(static_cast<double>(locality.disseminated_head_count()));
              break;
            default: {
              lower_first = true;
              auto overdue = locality.tasks_by_status().find("OPEN_OVERDUE");
              rank->set_value(overdue == locality.tasks_by_status().end()
                                  ? 0.0
                                  : static_cast<double>(overdue->second));
            }
          }
        }
        auto* ranks = compared.mutable_ranks();
        std::stable_sort(ranks->begin(), ranks->end(),
                         [&](const v1::LocalityRank& a, const v1::LocalityRank& b) {
                           if (a.has_value() != b.has_value()) return a.has_value();
                           return lower_first ? a.value() < b.value() : a.value() > b.value();
                         });
        // Equal values share a rank ("1224").
        for (int i = 0; i < ranks->size(); ++i) {
          const bool tie = i > 0 && (*ranks)[i].has_value() == (*ranks)[i - 1].has_value() &&
                           (*ranks)[i].value() == (*ranks)[i - 1].value();
          (*ranks)[i].set_rank(tie ? (*ranks)[i - 1].rank() : i + 1);
        }
        return compared;
      });
}

grpc::Status StatusService::GetLocalityDashboard(grpc::ServerContext* context,
                                                 const v1::GetLocalityDashboardRequest* request,
                                                 v1::LocalityDashboard* response) {
  return Answer<v1::LocalityDashboard>(
      *context, gatekeeper_, "GetLocalityDashboard", response,
      [&]() -> absl::StatusOr<v1::LocalityDashboard> {
        CAUNOI_RETURN_IF_ERROR(ParseLocalityName(request->locality(), "locality").status());
        const absl::Time deadline = api::RequestDeadline(*context);
        // First which of today's units the locality is (or became).
        grpc::ClientContext resolve;
        resolve.set_deadline(absl::ToChronoTime(SectionDeadline(deadline)));
        v1::GetLocalityRequest get;
        get.set_name(request->locality());
        v1::Locality locality;
        if (grpc::Status found = organizations_->GetLocality(&resolve, get, &locality);
            !found.ok()) {
          if (IsCallersFault(found)) return FromGrpcStatus(found);
          return ErrorWithReason(absl::StatusCode::kUnavailable,
                                 absl::StrCat("the organizations service could not resolve the"
                                              " locality: ",
                                              found.error_message()),
                                 "DEPENDENCY_UNAVAILABLE", {{"dependency", "organizations"}});
        }
        const std::string current = locality.current() ? locality.name() : locality.successor();
        v1::LocalityDashboard dashboard;
        dashboard.set_locality(current);
        dashboard.set_display_name(locality.current() ? locality.display_name() : "");

        const absl::Time section_deadline = SectionDeadline(deadline);
        Section<v1::ListDocumentsRequest, v1::ListDocumentsResponse> documents("documents");
        documents.request.set_page_size(100);
        documents.request.set_filter(absl::StrCat("locality = \"", current, "\""));
        Section<v1::SummarizeOverdueTasksRequest, v1::SummarizeOverdueTasksResponse> tasks("tasks");
        Section<v1::GetLocalityStatsRequest, v1::GetLocalityStatsResponse> stats("organizations");
        stats.request.add_localities(current);
        Section<v1::SummarizeActivitiesRequest, v1::SummarizeActivitiesResponse> activities(
            "activities");
        activities.request.set_locality(current);
        Section<v1::ListCountriesRequest, v1::ListCountriesResponse> countries("countries");
        countries.request.set_page_size(500);
        Section<v1::ListOrganizationsRequest, v1::ListOrganizationsResponse> members("assignees");
        members.request.set_page_size(500);
        members.request.set_filter(absl::StrCat("locality = \"", current, "\""));
        Fanout fanout;
        fanout.Run(documents, section_deadline, [&](auto* c, auto* q, auto* r, auto done) {
          directives_->async()->ListDocuments(c, q, r, std::move(done));
        });
        fanout.Run(tasks, section_deadline, [&](auto* c, auto* q, auto* r, auto done) {
          directives_->async()->SummarizeOverdueTasks(c, q, r, std::move(done));
        });
        fanout.Run(stats, section_deadline, [&](auto* c, auto* q, auto* r, auto done) {
          organizations_->async()->GetLocalityStats(c, q, r, std::move(done));
        });
        fanout.Run(activities, section_deadline, [&](auto* c, auto* q, auto* r, auto done) {
          reports_->async()->SummarizeActivities(c, q, r, std::move(done));
        });
        fanout.Run(countries, section_deadline, [&](auto* c, auto* q, auto* r, auto done) {
          organizations_->async()->ListCountries(c, q, r, std::move(done));
        });
        fanout.Run(members, section_deadline, [&](auto* c, auto* q, auto* r, auto done) {
          organizations_->async()->ListOrganizations(c, q, r, std::move(done));
        });
        fanout.Wait();

        if (Report(documents, dashboard.mutable_sections())) {
          for (const v1::Document& document : documents.response.documents()) {
            v1::ConcretizingDocument* added = dashboard.add_documents();
            added->set_name(document.name());
            added->set_symbol(document.symbol());
            *added->mutable_issue_date() = document.issue_date();
          }
        }
        if (Report(tasks, dashboard.mutable_sections())) {
          for (const v1::LocalityOverdue& overdue : tasks.response.localities()) {
            if (overdue.locality() == current) {
              dashboard.set_overdue_tasks(overdue.overdue_tasks());
              dashboard.set_max_days_overdue(overdue.max_days_overdue());
            }
          }
        }
        if (Report(stats, dashboard.mutable_sections()) && stats.response.stats_size() > 0) {
          dashboard.set_organizations(stats.response.stats(0).organizations());
          dashboard.set_members(stats.response.stats(0).members());
        }
        const bool tiers_known = Report(countries, dashboard.mutable_sections());
        if (Report(activities, dashboard.mutable_sections())) {
          std::map<std::string, std::vector<std::string>> tiers_of;  // country → tiers today
          for (const v1::Country& country : countries.response.countries()) {
            for (int tier : country.current_tiers()) {
              tiers_of[country.name()].push_back(
                  api::EnumToken(static_cast<v1::CountryTier>(tier)));
            }
          }
          std::map<std::string, v1::CountryTierActivities> by_tier;
          for (const v1::ActivityCount& count : activities.response.counts()) {
            (*dashboard.mutable_activities_by_kind())[api::EnumToken(count.kind())] +=
                count.activities();
            std::vector<std::string> tiers = {""};
            if (tiers_known && !count.partner_country().empty()) {
              auto found = tiers_of.find(count.partner_country());
              if (found != tiers_of.end() && !found->second.empty()) tiers = found->second;
            }
            for (const std::string& tier : tiers) {
              v1::CountryTierActivities& entry = by_tier[tier];
              entry.set_tier(tier);
              entry.set_activities(entry.activities() + count.activities());
              entry.set_participants(entry.participants() + count.participants());
            }
          }
          for (auto& [tier, entry] : by_tier) *dashboard.add_activities_by_tier() = entry;
        }
        if (Report(members, dashboard.mutable_sections())) {
          Section<v1::SummarizeOpenProposalsRequest, v1::SummarizeOpenProposalsResponse> proposals(
              "proposals");
          for (const v1::Organization& organization : members.response.organizations()) {
            proposals.request.add_assignees(organization.name());
          }
          if (proposals.request.assignees().empty()) {
            v1::SectionStatus* section = dashboard.add_sections();
            section->set_section("proposals");
            section->set_available(true);
          } else {
            Fanout then;
            then.Run(proposals, SectionDeadline(deadline),
                     [&](auto* c, auto* q, auto* r, auto done) {
                       reports_->async()->SummarizeOpenProposals(c, q, r, std::move(done));
                     });
            then.Wait();
            if (Report(proposals, dashboard.mutable_sections())) {
              for (const v1::OpenProposalCount& count : proposals.response.counts()) {
                (*dashboard.mutable_open_proposals_by_age())[absl::StrCat(count.min_age_days())] +=
                    count.proposals();
              }
            }
          }
        }
        return dashboard;
      });
}

grpc::Status StatusService::ListOverdue(grpc::ServerContext* context,
                                        const v1::ListOverdueRequest* request,
                                        v1::ListOverdueResponse* response) {
  return Answer<v1::ListOverdueResponse>(
      *context, gatekeeper_, "ListOverdue", response,
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

        // Overdue tasks, each with its document's locality.
        Section<v1::ListTasksRequest, v1::ListTasksResponse> tasks("tasks");
        std::vector<v1::Task> overdue_tasks;
        tasks.request.set_parent("directives/-");
        tasks.request.set_filter(request->locality().empty()
                                     ? "status = OPEN_OVERDUE"
                                     : absl::StrCat("status = OPEN_OVERDUE AND locality = \"",
                                                    request->locality(), "\""));
        tasks.request.set_page_size(500);
        for (int page = 0; page < kMaxListPages; ++page) {
          grpc::ClientContext call;
          call.set_deadline(absl::ToChronoTime(SectionDeadline(deadline)));
          tasks.status = directives_->ListTasks(&call, tasks.request, &tasks.response);
          if (!tasks.status.ok()) break;
          for (v1::Task& task : *tasks.response.mutable_tasks()) overdue_tasks.push_back(task);
          if (tasks.response.next_page_token().empty()) break;
          tasks.request.set_page_token(tasks.response.next_page_token());
        }
        if (Report(tasks, answer.mutable_sections())) {
          for (const v1::Task& task : overdue_tasks) {
            v1::OverdueItem item;
            item.set_kind(v1::OverdueItem::KIND_TASK);
            item.set_locality(task.current_locality());
            item.set_name(task.name());
            item.set_title(task.title());
            *item.mutable_due_date() = task.due_date();
            item.set_days_overdue(
                static_cast<int32_t>(today - api::ToCivilDayUnchecked(task.due_date())));
            items.push_back(std::move(item));
          }
        }

        // Missing reports: each document with obligations, summarized.
        Section<v1::ListObligationsRequest, v1::ListObligationsResponse> obligations("reports");
        std::set<std::string> documents;
        obligations.request.set_page_size(500);
        if (!request->locality().empty()) {
          obligations.request.set_filter(absl::StrCat("locality = \"", request->locality(), "\""));
        }
        for (int page = 0; page < kMaxListPages; ++page) {
          grpc::ClientContext call;
          call.set_deadline(absl::ToChronoTime(SectionDeadline(deadline)));
          obligations.status =
              reports_->ListObligations(&call, obligations.request, &obligations.response);
          if (!obligations.status.ok()) break;
          for (const v1::Obligation& obligation : obligations.response.obligations()) {
            documents.insert(obligation.document());
          }
          if (obligations.response.next_page_token().empty()) break;
          obligations.request.set_page_token(obligations.response.next_page_token());
        }
        for (const std::string& document : documents) {
          if (!obligations.status.ok()) break;
          grpc::ClientContext call;
          call.set_deadline(absl::ToChronoTime(SectionDeadline(deadline)));
          v1::SummarizeComplianceRequest summarize;
          summarize.add_documents(document);
          summarize.set_locality(request->locality());
          v1::SummarizeComplianceResponse summary;
          obligations.status = reports_->SummarizeCompliance(&call, summarize, &summary);
          for (const v1::PeriodCompliance& period : summary.periods()) {
            if (period.counts().missing_overdue() == 0) continue;
            v1::OverdueItem item;
            item.set_kind(v1::OverdueItem::KIND_MISSING_REPORTS);
            item.set_locality(period.locality());
            item.set_name(document);
            item.set_title(absl::StrCat(period.counts().missing_overdue(),
                                        " report(s) missing for ", period.period()));
            item.set_period(period.period());
            item.set_missing(period.counts().missing_overdue());
            *item.mutable_due_date() = period.due_date();
            item.set_days_overdue(
                static_cast<int32_t>(today - api::ToCivilDayUnchecked(period.due_date())));
            items.push_back(std::move(item));
          }
        }
        Report(obligations, answer.mutable_sections());

        std::stable_sort(items.begin(), items.end(),
                         [](const v1::OverdueItem& a, const v1::OverdueItem& b) {
                           if (a.days_overdue() != b.days_overdue()) {
                             return a.days_overdue() > b.days_overdue();
                           }
                           return a.name() < b.name();
                         });
        const size_t end = std::min(items.size(), static_cast<size_t>(offset + page_size));
        for (size_t i = static_cast<size_t>(offset); i < end; ++i) *answer.add_items() = items[i];
        if (end < items.size()) {
          answer.set_next_page_token(api::EncodePageToken(query, {absl::StrCat(end)}));
        }
        return answer;
      });
}

}  // namespace caunoi::gateway
