#include "services/reports/indicators/indicator_sets.h"

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "common/api/enum_token.h"
#include "common/api/text.h"
#include "common/status/errors.h"
#include "common/status/quoted.h"
#include "services/reports/indicators/indicator_values.h"

namespace caunoi::reports {
namespace {

// Far above any real report, and low enough that national totals over
// millions of reports stay exact.
constexpr int64_t kMaxAmount = 1'000'000'000'000'000;
constexpr int kMaxTextChars = 2000;

bool Fits(v1::IndicatorUnit unit, const v1::IndicatorValue& value) {
  switch (unit) {
    case v1::INDICATOR_UNIT_COUNT:
    case v1::INDICATOR_UNIT_PEOPLE:
    case v1::INDICATOR_UNIT_VND:
      return value.has_amount();
    case v1::INDICATOR_UNIT_YES_NO:
      return value.has_yes();
    case v1::INDICATOR_UNIT_TEXT:
      return value.has_text();
    default:
      return false;
  }
}

absl::string_view KindOf(v1::IndicatorUnit unit) {
  switch (unit) {
    case v1::INDICATOR_UNIT_YES_NO:
      return "a yes/no answer (yes)";
    case v1::INDICATOR_UNIT_TEXT:
      return "a text (text)";
    default:
      return "a whole number of 0 or more (amount)";
  }
}

}  // namespace

const IndicatorRule* IndicatorSet::Find(absl::string_view code) const {
  for (const IndicatorRule& rule : rules) {
    if (rule.code == code) return &rule;
  }
  return nullptr;
}

absl::Status CheckValues(const IndicatorSet& set,
                         const google::protobuf::RepeatedPtrField<v1::IndicatorValue>& values,
                         absl::string_view field) {
  absl::flat_hash_set<std::string> seen;
  for (int i = 0; i < values.size(); ++i) {
    const v1::IndicatorValue& value = values[i];
    const std::string code = IndicatorCode(value.indicator());
    const std::string at = absl::StrCat(field, "[", i, "]");
    const IndicatorRule* rule = set.Find(code);
    if (rule == nullptr) {
      return InvalidFieldError(
          absl::StrCat(at, ".indicator"),
          absl::StrCat(Quoted(code), " is not an indicator of the document's set"),
          "INDICATOR_NOT_IN_SET", {{"indicator", code}});
    }
    if (!seen.insert(code).second) {
      return InvalidFieldError(absl::StrCat(at, ".indicator"),
                               absl::StrCat(Quoted(code), " is given twice"));
    }
    if (!Fits(rule->unit, value)) {
      return InvalidFieldError(at, absl::StrCat(code, " takes ", KindOf(rule->unit)),
                               "INDICATOR_VALUE_INVALID", {{"indicator", code}});
    }
    if (value.has_amount() && (value.amount() < 0 || value.amount() > kMaxAmount)) {
      return InvalidFieldError(absl::StrCat(at, ".amount"),
                               absl::StrCat(code, " must be from 0 to ", kMaxAmount),
                               "INDICATOR_VALUE_INVALID", {{"indicator", code}});
    }
    if (value.has_text()) {
      if (absl::Status text = api::ValidateText(value.text(), absl::StrCat(at, ".text"),
                                                {.max_chars = kMaxTextChars, .multiline = true});
          !text.ok()) {
        return text;
      }
    }
  }
  return absl::OkStatus();
}

absl::Status CheckRequired(const IndicatorSet& set,
                           const google::protobuf::RepeatedPtrField<v1::IndicatorValue>& values) {
  for (const IndicatorRule& rule : set.rules) {
    if (!rule.required) continue;
    bool given = false;
    for (const v1::IndicatorValue& value : values) {
      given = given || IndicatorCode(value.indicator()) == rule.code;
    }
    if (!given) {
      return ErrorWithReason(absl::StatusCode::kFailedPrecondition,
                             absl::StrCat("the document requires indicator ", Quoted(rule.code),
                                          "; give its value before submitting"),
                             "REQUIRED_INDICATOR_MISSING", {{"indicator", rule.code}});
    }
  }
  return absl::OkStatus();
}

}  // namespace caunoi::reports
