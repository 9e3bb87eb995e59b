#ifndef CAUNOI_SERVICES_GATEWAY_CALL_COST_H_
#define CAUNOI_SERVICES_GATEWAY_CALL_COST_H_

#include "absl/strings/string_view.h"

namespace caunoi::gateway {

// How many of its principal's rate tokens a call takes. A point read or a
// write takes one; an aggregate over a whole registry, a directive's whole
// cascade or the whole country does the work of dozens of them and takes
// `aggregate_cost`, so a principal at its rate cannot keep the database
// busy for everyone else.
double CallCost(absl::string_view method_name, double aggregate_cost);

// Whether the method is such an aggregate.
bool IsAggregate(absl::string_view method_name);

}  // namespace caunoi::gateway

#endif  // CAUNOI_SERVICES_GATEWAY_CALL_COST_H_
