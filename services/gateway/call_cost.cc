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
};

}  // namespace

bool IsAggregate(absl::string_view method_name) {
  if (absl::StartsWith(method_name, "Summarize")) return true;
  for (absl::string_view aggregate : kAggregates) {
    if (method_name == aggregate) return true;
  }
  return false;
}

double CallCost(absl::string_view method_name, double aggregate_cost) {
  return IsAggregate(method_name) ? aggregate_cost : 1;
}

}  // namespace caunoi::gateway
