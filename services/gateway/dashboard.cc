#include "services/gateway/status_service.h"

// One locality at a glance: its documents, overdue tasks, registry, activities
// by partner tier, and open proposals.
#include <map>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/api/deadline.h"
#include "common/api/enum_token.h"
#include "common/client/dependency_call.h"
#include "common/status/status_macros.h"
#include "services/gateway/fanout.h"
#include "services/gateway/status_answer.h"

namespace caunoi::gateway {

grpc::Status StatusService::GetLocalityDashboard(grpc::ServerContext* context,
                                                 const v1::GetLocalityDashboardRequest* request,
                                                 v1::LocalityDashboard* response) {
  return Answer<v1::LocalityDashboard>(
      *context, gatekeeper_, turns_, "GetLocalityDashboard", response,
      [&]() -> absl::StatusOr<v1::LocalityDashboard> {
        const absl::Time deadline = api::RequestDeadline(*context);
        // First which of today's units the locality is (or became).
        CAUNOI_ASSIGN_OR_RETURN(const v1::Locality locality,
                                localities_.GetLocality(request->locality(), "locality", deadline));
        const std::string current = locality.current() ? locality.name() : locality.successor();
        v1::LocalityDashboard dashboard;
        dashboard.set_locality(current);
        dashboard.set_display_name(locality.current() ? locality.display_name() : "");

        const absl::Time section_deadline = SectionDeadline(deadline);
        Section<v1::ListDocumentsRequest, v1::ListDocumentsResponse> documents("documents");
        documents.request.set_page_size(100);
        documents.request.set_filter(absl::StrCat("locality = \"", current, "\""));
        Section<v1::SummarizeOverdueTasksRequest, v1::SummarizeOverdueTasksResponse> tasks("tasks");
        tasks.request.set_locality(current);
        Section<v1::GetLocalityStatsRequest, v1::GetLocalityStatsResponse> stats("organizations");
        stats.request.add_localities(current);
        Section<v1::SummarizeActivitiesRequest, v1::SummarizeActivitiesResponse> activities(
            "activities");
        activities.request.set_locality(current);
        Section<v1::ListCountriesRequest, v1::ListCountriesResponse> countries("countries");
        countries.request.set_page_size(500);
        Section<v1::SummarizeOpenProposalsRequest, v1::SummarizeOpenProposalsResponse> proposals(
            "proposals");
        proposals.request.set_locality(current);
        Section<v1::SummarizeIndicatorsRequest, v1::SummarizeIndicatorsResponse> indicators(
            "indicators");
        indicators.request.add_documents(request->document());
        indicators.request.set_locality(current);
        indicators.request.set_group_by(v1::INDICATOR_GROUPING_PERIOD);
        indicators.request.set_include_submitted(true);
        Fanout fanout;
        if (!request->document().empty()) {
          fanout.Run(indicators, section_deadline, [&](auto* c, auto* q, auto* r, auto done) {
            reports_->async()->SummarizeIndicators(c, q, r, std::move(done));
          });
        }
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
        fanout.Run(proposals, section_deadline, [&](auto* c, auto* q, auto* r, auto done) {
          reports_->async()->SummarizeOpenProposals(c, q, r, std::move(done));
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
        if (!request->document().empty()) {
          if (RefusesTheCallersInput(indicators.status)) {
            return ExplainDependencyAnswer(indicators.status, "reports", "document",
                                           request->document());
          }
          if (Report(indicators, dashboard.mutable_sections())) {
            for (v1::IndicatorTotal& total : *indicators.response.mutable_totals()) {
              total.set_locality(current);
              *dashboard.add_indicators() = std::move(total);
            }
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
        if (Report(proposals, dashboard.mutable_sections())) {
          for (const v1::OpenProposalCount& count : proposals.response.counts()) {
            (*dashboard.mutable_open_proposals_by_age())[absl::StrCat(count.min_age_days())] +=
                count.proposals();
          }
        }
        return dashboard;
      });
}

}  // namespace caunoi::gateway
