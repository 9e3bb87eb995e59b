#include "services/reports/indicators/indicator_values.h"

#include <cstdint>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "common/api/text.h"
#include "common/json/json_string.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/util/message_differencer.h"

namespace caunoi::reports {
namespace {

namespace protobuf = google::protobuf;

constexpr absl::string_view kIndicatorPrefix = "indicators/";

// Reads the flat objects PostgreSQL prints for the column: string keys,
// values that are whole numbers, booleans or strings.
class FlatObjectReader {
 public:
  explicit FlatObjectReader(absl::string_view text) : text_(text) {}

  absl::StatusOr<std::vector<v1::IndicatorValue>> Read() {
    std::vector<v1::IndicatorValue> values;
    if (!Take('{')) return Malformed();
    if (Take('}')) return End(values);
    do {
      v1::IndicatorValue value;
      std::string key;
      if (!String(key) || !Take(':')) return Malformed();
      value.set_indicator(absl::StrCat(kIndicatorPrefix, key));
      Space();
      if (Peek() == '"') {
        if (!String(*value.mutable_text())) return Malformed();
      } else if (Literal("true")) {
        value.set_yes(true);
      } else if (Literal("false")) {
        value.set_yes(false);
      } else {
        int64_t amount = 0;
        if (!Number(amount)) return Malformed();
        value.set_amount(amount);
      }
      values.push_back(std::move(value));
    } while (Take(','));
    if (!Take('}')) return Malformed();
    return End(values);
  }

 private:
  absl::Status Malformed() const {
    return absl::InternalError(absl::StrCat("stored indicator values unreadable at ", at_));
  }
  absl::StatusOr<std::vector<v1::IndicatorValue>> End(std::vector<v1::IndicatorValue>& values) {
    Space();
    if (at_ != text_.size()) return Malformed();
    return std::move(values);
  }
  void Space() {
    while (at_ < text_.size() && absl::ascii_isspace(text_[at_])) ++at_;
  }
  char Peek() const { return at_ < text_.size() ? text_[at_] : '\0'; }
  bool Take(char c) {
    Space();
    if (Peek() != c) return false;
    ++at_;
    return true;
  }
  bool Literal(absl::string_view word) {
    if (!absl::StartsWith(text_.substr(at_), word)) return false;
    at_ += word.size();
    return true;
  }
  bool Number(int64_t& amount) {
    const size_t start = at_;
    if (Peek() == '-') ++at_;
    while (at_ < text_.size() && absl::ascii_isdigit(text_[at_])) ++at_;
    return at_ > start && absl::SimpleAtoi(text_.substr(start, at_ - start), &amount);
  }
  bool Hex4(uint32_t& code_unit) {
    if (at_ + 4 > text_.size()) return false;
    code_unit = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = text_[at_++];
      code_unit <<= 4;
      if (c >= '0' && c <= '9')
        code_unit |= c - '0';
      else if (c >= 'a' && c <= 'f')
        code_unit |= c - 'a' + 10;
      else if (c >= 'A' && c <= 'F')
        code_unit |= c - 'A' + 10;
      else
        return false;
    }
    return true;
  }
  bool String(std::string& out) {
    if (!Take('"')) return false;
    while (at_ < text_.size()) {
      const char c = text_[at_++];
      if (c == '"') return true;
      if (c != '\\') {
        out.push_back(c);
        continue;
      }
      if (at_ >= text_.size()) return false;
      const char escaped = text_[at_++];
      switch (escaped) {
        case '"':
        case '\\':
        case '/':
          out.push_back(escaped);
          break;
        case 'b':
          out.push_back('\b');
          break;
        case 'f':
          out.push_back('\f');
          break;
        case 'n':
          out.push_back('\n');
          break;
        case 'r':
          out.push_back('\r');
          break;
        case 't':
          out.push_back('\t');
          break;
        case 'u': {
          uint32_t unit = 0;
          if (!Hex4(unit)) return false;
          if (unit >= 0xD800 && unit < 0xDC00 && Literal("\\u")) {
            uint32_t low = 0;
            if (!Hex4(low)) return false;
            unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
          }
          api::AppendUtf8(out, unit);
          break;
        }
        default:
          return false;
      }
    }
    return false;
  }

  absl::string_view text_;
  size_t at_ = 0;
};

const protobuf::FieldDescriptor* FigureField(absl::string_view code) {
  return v1::ReportFigures::descriptor()->FindFieldByName(std::string(code));
}

bool AllZero(const v1::ReportFigures& figures) {
  return protobuf::util::MessageDifferencer::Equals(figures, v1::ReportFigures());
}

}  // namespace

std::string IndicatorCode(absl::string_view indicator) {
  absl::ConsumePrefix(&indicator, kIndicatorPrefix);
  return std::string(indicator);
}

std::string ValuesJson(const protobuf::RepeatedPtrField<v1::IndicatorValue>& values) {
  std::string json = "{";
  for (const v1::IndicatorValue& value : values) {
    if (json.size() > 1) json.append(", ");
    json::AppendString(json, IndicatorCode(value.indicator()));
    json.append(": ");
    switch (value.value_case()) {
      case v1::IndicatorValue::kAmount:
        absl::StrAppend(&json, value.amount());
        break;
      case v1::IndicatorValue::kYes:
        json.append(value.yes() ? "true" : "false");
        break;
      case v1::IndicatorValue::kText:
        json::AppendString(json, value.text());
        break;
      case v1::IndicatorValue::VALUE_NOT_SET:
        json.append("null");
        break;
    }
  }
  json.append("}");
  return json;
}

absl::StatusOr<std::vector<v1::IndicatorValue>> ValuesFromJson(absl::string_view json) {
  return FlatObjectReader(json).Read();
}

const std::vector<std::string>& DefaultIndicatorCodes() {
  static const auto* const kCodes = [] {
    auto* codes = new std::vector<std::string>();
    const protobuf::Descriptor* figures = v1::ReportFigures::descriptor();
    for (int i = 0; i < figures->field_count(); ++i) codes->push_back(figures->field(i)->name());
    return codes;
  }();
  return *kCodes;
}

v1::ReportFigures FiguresOf(const protobuf::RepeatedPtrField<v1::IndicatorValue>& values) {
  v1::ReportFigures figures;
  const protobuf::Reflection* reflection = figures.GetReflection();
  for (const v1::IndicatorValue& value : values) {
    const protobuf::FieldDescriptor* field = FigureField(IndicatorCode(value.indicator()));
    if (field != nullptr && value.has_amount()) {
      reflection->SetInt64(&figures, field, value.amount());
    }
  }
  return figures;
}

protobuf::RepeatedPtrField<v1::IndicatorValue> EffectiveValues(const v1::Report& report) {
  if (AllZero(report.figures()) ||
      protobuf::util::MessageDifferencer::Equals(report.figures(), FiguresOf(report.values()))) {
    return report.values();
  }
  protobuf::RepeatedPtrField<v1::IndicatorValue> values;
  for (const v1::IndicatorValue& value : report.values()) {
    if (FigureField(IndicatorCode(value.indicator())) == nullptr) *values.Add() = value;
  }
  const protobuf::Reflection* reflection = report.figures().GetReflection();
  for (const std::string& code : DefaultIndicatorCodes()) {
    const int64_t amount = reflection->GetInt64(report.figures(), FigureField(code));
    if (amount == 0) continue;
    v1::IndicatorValue* value = values.Add();
    value->set_indicator(absl::StrCat(kIndicatorPrefix, code));
    value->set_amount(amount);
  }
  return values;
}

}  // namespace caunoi::reports
