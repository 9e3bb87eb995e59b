#include "services/gateway/call_cost.h"

#include "absl/strings/match.h"

namespace caunoi::gateway {
namespace {

// Measured in `make bench`: each reads thousands to millions of rows.
constexpr absl::string_view kAggregates[] = {
    "GetLocalityStats",
    "GetOrganizationTree",
    "GetCascade",
    "GetImplementationStatus",
    "SummarizeOverdueTasks",
    "ExportReports",
    "GetDirectiveRollout",
    "GetLocalityDashboard",
    "CompareLocalities",
    "ListOverdue",
    "WatchDocuments",
};

}  // namespace

double CallCost(absl::string_view method_name, double aggregate_cost) {
  if (absl::StartsWith(method_name, "Summarize")) return aggregate_cost;
  for (absl::string_view aggregate : kAggregates) {
    if (method_name == aggregate) return aggregate_cost;
  }
  return 1;
}

}  // namespace caunoi::gateway
