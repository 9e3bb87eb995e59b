#include "services/gateway/status_service.h"

// A directive's rollout across the localities: who concretized it and how
// fast, their tasks, dissemination and reports, gathered from the three
// services. Asked for one locality, it drills down to that locality's
// communes.
#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/api/commune_name.h"
#include "common/api/locality_name.h"
#include "common/client/dependency_call.h"
#include "services/gateway/fanout.h"

namespace caunoi::gateway {
namespace {

// Locality name -> its communes that acted, by code as a number: the
// sections are asked for numbers, since a national rollout gathers some
// 6,600 of them from the two answers only to count them.
using ActedCommunes = absl::flat_hash_map<absl::string_view, absl::flat_hash_set<int32_t>>;

// The rollout's places by name, each made on the answer's arena (as the
// sections' answers are, so that their parts move in without a copy) and
// handed to the answer in the end.
class Places {
 public:
  explicit Places(v1::DirectiveRollout& rollout) : rollout_(rollout) {}
  Places(const Places&) = delete;
  Places& operator=(const Places&) = delete;
  ~Places() {
    if (rollout_.GetArena() != nullptr) return;
    for (const auto& [name, entry] : entries_) delete entry;
  }

  v1::LocalityRollout& operator[](const std::string& name) {
    auto [at, added] = entries_.try_emplace(name, nullptr);
    if (added) {
      at->second = google::protobuf::Arena::CreateMessage<v1::LocalityRollout>(rollout_.GetArena());
      at->second->set_locality(name);
    }
    return *at->second;
  }
  v1::LocalityRollout* Find(const std::string& name) const {
    auto at = entries_.find(name);
    return at == entries_.end() ? nullptr : at->second;
  }
  const std::map<std::string, v1::LocalityRollout*>& entries() const { return entries_; }

  // Each place into the answer, in `order`, which names every place once.
  void MoveInto(const std::vector<std::string>& order) {
    for (const std::string& name : order) {
      auto at = entries_.find(name);
      rollout_.mutable_localities()->UnsafeArenaAddAllocated(at->second);
      entries_.erase(at);
    }
  }

 private:
  v1::DirectiveRollout& rollout_;
  std::map<std::string, v1::LocalityRollout*> entries_;
};

// The sections' answers are moved into the rollout, not copied: a
// national one carries thousands of documents and report periods.
void AddImplementation(v1::GetImplementationStatusResponse& implementation, Places& entries,
                       ActedCommunes& acted, v1::DirectiveRollout& rollout) {
  for (v1::LocalityImplementation& found : *implementation.mutable_localities()) {
    v1::LocalityRollout& entry = entries[found.locality()];
    entry.mutable_documents()->Reserve(found.documents_size());
    for (v1::ImplementingDocument& document : *found.mutable_documents()) {
      v1::ConcretizingDocument* added = entry.add_documents();
      added->set_name(std::move(*document.mutable_name()));
      added->set_symbol(std::move(*document.mutable_symbol()));
      added->mutable_issue_date()->Swap(document.mutable_issue_date());
      added->set_lag_days(document.lag_days());
    }
    for (const auto& [status, count] : found.tasks_by_status()) {
      (*entry.mutable_tasks_by_status())[status] += count;
      (*rollout.mutable_tasks_by_status())[status] += count;
    }
    entry.set_commune_documents(found.commune_documents());
    entry.set_dissemination_events(found.dissemination_events());
    entry.set_disseminated_head_count(found.disseminated_head_count());
    rollout.set_disseminated_head_count(rollout.disseminated_head_count() +
                                        found.disseminated_head_count());
    acted[found.locality()].insert(found.acting_commune_codes().begin(),
                                   found.acting_commune_codes().end());
  }
}

void AddCompliance(v1::SummarizeComplianceResponse& compliance, Places& entries,
                   ActedCommunes& acted, v1::DirectiveRollout& rollout) {
  // Each period is handed over whole, not copied or swapped into a new
  // one: the answer and the places share its arena (or the heap). They
  // come place by place, so a place is looked up once.
  auto& periods = *compliance.mutable_periods();
  std::vector<v1::PeriodCompliance*> released(periods.size());
  periods.UnsafeArenaExtractSubrange(0, periods.size(), released.data());
  v1::LocalityRollout* entry = nullptr;
  for (v1::PeriodCompliance* period : released) {
    if (period->locality().empty()) {
      if (period->GetArena() == nullptr) delete period;
      continue;
    }
    if (entry == nullptr || entry->locality() != period->locality()) {
      entry = &entries[period->locality()];
    }
    entry->mutable_report_periods()->UnsafeArenaAddAllocated(period);
  }
  for (const v1::LocalityCompliance& locality : compliance.localities()) {
    if (locality.locality().empty()) continue;
    *entries[locality.locality()].mutable_reports() = locality.counts();
    acted[locality.locality()].insert(locality.reporting_commune_codes().begin(),
                                      locality.reporting_commune_codes().end());
  }
  *rollout.mutable_reports() = compliance.total();
}

// A locality has implemented the directive once it or one of its
// communes issued a document below it.
bool Implemented(const v1::LocalityRollout& entry) {
  return !entry.documents().empty() || entry.commune_documents() > 0;
}

// A place has acted once it issued a document below the directive,
// completed a task of one, or submitted a report on one.
bool Acted(const v1::LocalityRollout& entry) {
  if (Implemented(entry)) return true;
  for (const auto& [status, count] : entry.tasks_by_status()) {
    if (count > 0 && status.rfind("DONE", 0) == 0) return true;
  }
  return entry.reports().on_time() + entry.reports().late() > 0;
}

// Totals per place and period become each place's totals over the range
// and the country's per period. Averages are recomputed from sums and
// counts, never averaged twice.
void AddIndicators(const v1::SummarizeIndicatorsResponse& found, const Places& entries,
                   v1::DirectiveRollout& rollout) {
  std::map<std::pair<std::string, std::string>, v1::IndicatorTotal> by_place, by_period;
  auto add = [](v1::IndicatorTotal& into, const v1::IndicatorTotal& total) {
    into.set_indicator(total.indicator());
    into.set_aggregation(total.aggregation());
    into.set_sum(into.sum() + total.sum());
    into.set_reports(into.reports() + total.reports());
    into.set_reports_counted(into.reports_counted() + total.reports_counted());
    into.set_reports_missing(into.reports_missing() + total.reports_missing());
    into.set_average(into.reports() > 0 ? into.sum() / static_cast<double>(into.reports()) : 0);
  };
  for (const v1::IndicatorTotal& total : found.totals()) {
    v1::IndicatorTotal& place = by_place[{total.locality(), total.indicator()}];
    place.set_locality(total.locality());
    add(place, total);
    v1::IndicatorTotal& period = by_period[{total.period(), total.indicator()}];
    period.set_period(total.period());
    add(period, total);
  }
  for (auto& [key, total] : by_place) {
    if (v1::LocalityRollout* entry = entries.Find(key.first)) {
      *entry->add_indicators() = std::move(total);
    }
  }
  for (auto& [key, total] : by_period) *rollout.add_indicators() = std::move(total);
}

}  // namespace

absl::Status StatusService::Rollout(const v1::GetDirectiveRolloutRequest& request,
                                    absl::Time deadline, v1::DirectiveRollout& rollout) {
  const bool drilled = !request.locality().empty();
  if (drilled) CAUNOI_RETURN_IF_ERROR(ParseLocalityName(request.locality(), "locality").status());
  const absl::Time section_deadline = SectionDeadline(deadline);
  google::protobuf::Arena* arena = rollout.GetArena();
  Section<v1::ListLocalitiesRequest, v1::ListLocalitiesResponse> localities("localities");
  localities.request.set_page_size(100);
  Section<v1::ListCommunesRequest, v1::ListCommunesResponse> communes("communes");
  communes.request.set_parent(request.locality());
  communes.request.set_page_size(500);  // the most communes a province has is about 170
  Section<v1::GetImplementationStatusRequest, v1::GetImplementationStatusResponse> implementation(
      "implementation", arena);
  implementation.request.set_name(request.document());
  implementation.request.set_locality(request.locality());
  implementation.request.set_communes_by_code(true);

  // Reports are owed on the directive and on the documents concretizing it
  // (Hanoi reports on its 05-TT/TU), which the implementation status names.
  Section<v1::SummarizeComplianceRequest, v1::SummarizeComplianceResponse> reports("reports",
                                                                                   arena);
  reports.request.set_from_period(request.from_period());
  reports.request.set_to_period(request.to_period());
  reports.request.set_locality(request.locality());
  // Drilled down, each place carries its totals; a hundred communes'
  // months would make the answer a megabyte.
  reports.request.set_by_commune(drilled);
  reports.request.set_totals_only(drilled || request.totals_only());
  reports.request.set_communes_by_code(true);
  // The directive's own indicators, per place and period, in one call.
  Section<v1::SummarizeIndicatorsRequest, v1::SummarizeIndicatorsResponse> indicators("indicators");
  indicators.request.add_documents(request.document());
  indicators.request.set_from_period(request.from_period());
  indicators.request.set_to_period(request.to_period());
  indicators.request.set_group_by(v1::INDICATOR_GROUPING_LOCALITY_AND_PERIOD);
  indicators.request.set_include_submitted(true);
  indicators.request.set_locality(request.locality());
  auto count_reports_on = [&](const std::vector<std::string>& below, Fanout& fanout) {
    reports.request.clear_documents();
    reports.request.add_documents(request.document());
    for (const std::string& name : below) reports.request.add_documents(name);
    fanout.Run(reports, SectionDeadline(deadline), [&](auto* c, auto* q, auto* r, auto done) {
      reports_->async()->SummarizeCompliance(c, q, r, std::move(done));
    });
  };

  // Today's units change only with a migration: a kept list is used when
  // there is one, and one asked for is kept.
  std::optional<v1::ListLocalitiesResponse> kept_localities = localities_.KeptLocalities();
  const std::string hint_key = absl::StrCat(request.document(), "|", request.locality());
  const std::optional<std::vector<std::string>> guessed_below = below_hints_.Find(hint_key);
  Fanout first;
  if (kept_localities) {
    localities.response = *std::move(kept_localities);
  } else {
    first.Run(localities, section_deadline, [&](auto* c, auto* q, auto* r, auto done) {
      organizations_->async()->ListLocalities(c, q, r, std::move(done));
    });
  }
  first.Run(indicators, section_deadline, [&](auto* c, auto* q, auto* r, auto done) {
    reports_->async()->SummarizeIndicators(c, q, r, std::move(done));
  });
  // A province's communes, reference data, are kept the same way.
  std::optional<v1::ListCommunesResponse> kept_communes;
  if (drilled) kept_communes = localities_.KeptCommunes(request.locality());
  if (kept_communes) {
    communes.response = *std::move(kept_communes);
  } else if (drilled) {
    first.Run(communes, section_deadline, [&](auto* c, auto* q, auto* r, auto done) {
      organizations_->async()->ListCommunes(c, q, r, std::move(done));
    });
  }
  first.Run(implementation, section_deadline, [&](auto* c, auto* q, auto* r, auto done) {
    directives_->async()->GetImplementationStatus(c, q, r, std::move(done));
  });
  if (guessed_below) count_reports_on(*guessed_below, first);
  first.Wait();
  if (!kept_localities && localities.status.ok()) localities_.KeepLocalities(localities.response);
  if (drilled && !kept_communes && communes.status.ok()) {
    localities_.KeepCommunes(request.locality(), communes.response);
  }
  if (RefusesTheCallersInput(implementation.status)) {
    const bool about_locality =
        absl::StrContains(implementation.status.error_message(), "locality");
    return ExplainDependencyAnswer(implementation.status, "directives",
                                   about_locality ? "locality" : "document",
                                   about_locality ? request.locality() : request.document());
  }
  // Counted again when the guess was wrong (a document since added or
  // removed below the directive) or there was none. Without an
  // implementation status the guess is the best list there is.
  if (implementation.status.ok()) {
    std::vector<std::string> below = BelowHints::Sorted(
        std::vector<std::string>(implementation.response.documents_below().begin(),
                                 implementation.response.documents_below().end()));
    if (guessed_below != below) {
      Fanout then;
      count_reports_on(below, then);
      then.Wait();
    }
    below_hints_.Keep(hint_key, std::move(below));
  } else if (!guessed_below) {
    Fanout then;
    count_reports_on({}, then);
    then.Wait();
  }

  rollout.set_document(request.document());
  rollout.set_locality(request.locality());
  // The places listed: today's localities, or the drilled-down one first
  // and then its communes, each with its display name.
  Places entries(rollout);
  std::vector<std::string> order;
  const bool listed = Report(localities, rollout.mutable_sections()) &&
                      (!drilled || Report(communes, rollout.mutable_sections()));
  std::map<std::string, int> communes_of;
  if (listed) {
    for (const v1::Locality& locality : localities.response.localities()) {
      communes_of[locality.name()] = locality.communes();
      if (drilled && locality.name() != request.locality()) continue;
      entries[locality.name()].set_display_name(locality.display_name());
      order.push_back(locality.name());
    }
    for (const v1::Commune& commune : communes.response.communes()) {
      entries[commune.name()].set_display_name(commune.display_name());
      order.push_back(commune.name());
    }
  }
  ActedCommunes acted;
  const bool implemented = Report(implementation, rollout.mutable_sections());
  if (implemented) AddImplementation(implementation.response, entries, acted, rollout);
  const bool reported = Report(reports, rollout.mutable_sections());
  if (reported) AddCompliance(reports.response, entries, acted, rollout);
  if (Report(indicators, rollout.mutable_sections())) {
    AddIndicators(indicators.response, entries, rollout);
  }

  // Places a backend named that the list did not (none, when both agree)
  // still appear, after the listed ones.
  for (const auto& [name, entry] : entries.entries()) {
    if (std::find(order.begin(), order.end(), name) == order.end()) order.push_back(name);
  }
  int communes_acted = 0;
  std::vector<std::optional<int32_t>> commune_of(order.size());  // by place in `order`
  for (size_t i = 0; i < order.size(); ++i) {
    v1::LocalityRollout& entry = entries[order[i]];
    commune_of[i] = CommuneNumber(order[i]);
    if (drilled && commune_of[i] && Acted(entry)) acted[request.locality()].insert(*commune_of[i]);
    if (!commune_of[i]) entry.set_communes(communes_of[order[i]]);
  }
  for (size_t i = 0; i < order.size(); ++i) {
    const std::string& name = order[i];
    v1::LocalityRollout& entry = entries[name];
    if (!commune_of[i]) {
      entry.set_communes_acted(static_cast<int32_t>(acted[name].size()));
      communes_acted += entry.communes_acted();
    }
    // Nationally, localities without a concretizing document; drilled
    // down, communes that have not acted.
    if (listed && implemented &&
        (drilled ? reported && commune_of[i] && !acted[request.locality()].contains(*commune_of[i])
                 : !Implemented(entry))) {
      rollout.add_localities_not_implementing(name);
    }
  }
  entries.MoveInto(order);
  rollout.set_communes_acted(communes_acted);
  return absl::OkStatus();
}

}  // namespace caunoi::gateway
