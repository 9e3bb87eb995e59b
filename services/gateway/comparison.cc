#include "services/gateway/status_service.h"

// Localities ranked by one measure of a directive's rollout.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/api/deadline.h"
#include "common/status/errors.h"
#include "common/status/status_macros.h"
#include "services/gateway/status_answer.h"

namespace caunoi::gateway {

grpc::Status StatusService::CompareLocalities(grpc::ServerContext* context,
                                              const v1::CompareLocalitiesRequest* request,
                                              v1::CompareLocalitiesResponse* response) {
  return Answer<v1::CompareLocalitiesResponse>(
      *context, gatekeeper_, turns_, "CompareLocalities", response,
      [&]() -> absl::StatusOr<v1::CompareLocalitiesResponse> {
        if (request->metric() == v1::LOCALITY_METRIC_UNSPECIFIED ||
            !v1::LocalityMetric_IsValid(request->metric())) {
          return InvalidFieldError("metric", "name the metric to compare");
        }
        const bool by_indicator = request->metric() == v1::LOCALITY_METRIC_INDICATOR;
        if (by_indicator && request->indicator().empty()) {
          return InvalidFieldError("indicator", "name the indicator to compare by");
        }
        v1::GetDirectiveRolloutRequest rollout_request;
        rollout_request.set_document(request->document());
        rollout_request.set_from_period(request->from_period());
        rollout_request.set_to_period(request->to_period());
        rollout_request.set_totals_only(true);  // a ranking reads no period rows
        v1::DirectiveRollout rollout;
        CAUNOI_RETURN_IF_ERROR(
            CachedRollout(rollout_request, api::RequestDeadline(*context), rollout));
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
            case v1::LOCALITY_METRIC_INDICATOR: {
              rank->set_has_value(false);
              for (const v1::IndicatorTotal& total : locality.indicators()) {
                if (total.indicator() != request->indicator() &&
                    total.indicator() != absl::StrCat("indicators/", request->indicator())) {
                  continue;
                }
                rank->set_has_value(total.reports() > 0);
                rank->set_value(total.aggregation() == v1::INDICATOR_AGGREGATION_AVERAGE
                                    ? total.average()
                                    : total.sum());
              }
              break;
            }
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

}  // namespace caunoi::gateway
