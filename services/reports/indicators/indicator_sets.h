// Which indicators a report on a document carries, and whether a report's
// values fit them: each indicator of the set, of its unit's kind, once; a
// required one present before the report is submitted.
#ifndef CAUNOI_SERVICES_REPORTS_INDICATORS_INDICATOR_SETS_H_
#define CAUNOI_SERVICES_REPORTS_INDICATORS_INDICATOR_SETS_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "caunoi/v1/reports.pb.h"

namespace caunoi::reports {

struct IndicatorRule {
  std::string code;
  v1::IndicatorUnit unit = v1::INDICATOR_UNIT_UNSPECIFIED;
  bool required = false;
};

struct IndicatorSet {
  // In the document's order.
  std::vector<IndicatorRule> rules;
  // False: the document has no set and takes the default indicators.
  bool own = false;

  const IndicatorRule* Find(absl::string_view code) const;
};

// Document id ("3") → its set; every id asked for has one.
using IndicatorSets = absl::flat_hash_map<std::string, IndicatorSet>;

// INVALID_ARGUMENT naming `field`[i] (and the indicator) for a value
// outside the set, of the wrong kind, out of range, or given twice.
absl::Status CheckValues(const IndicatorSet& set,
                         const google::protobuf::RepeatedPtrField<v1::IndicatorValue>& values,
                         absl::string_view field);

// FAILED_PRECONDITION (REQUIRED_INDICATOR_MISSING) naming the first required
// indicator the values lack.
absl::Status CheckRequired(const IndicatorSet& set,
                           const google::protobuf::RepeatedPtrField<v1::IndicatorValue>& values);

}  // namespace caunoi::reports

#endif  // CAUNOI_SERVICES_REPORTS_INDICATORS_INDICATOR_SETS_H_
