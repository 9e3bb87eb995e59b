#include "services/gateway/status_service.h"

// A directive's rollout across the localities: who concretized it and how
// fast, their tasks, dissemination and reports, gathered from the three
// services.
#include <map>

#include "common/client/dependency_call.h"
#include "services/gateway/fanout.h"

namespace caunoi::gateway {

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
  if (RefusesTheCallersInput(implementation.status)) {
    return ExplainDependencyAnswer(implementation.status, "directives", "document",
                                   request.document());
  }

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

}  // namespace caunoi::gateway
