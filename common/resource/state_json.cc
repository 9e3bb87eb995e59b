#include "common/resource/state_json.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "common/json/json_string.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/util/json_util.h"

namespace caunoi::resource {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// The shortest of `short_digits` or `long_digits` significant digits that
// reads back as the same value, as protobuf prints floating point.
template <typename Float>
void AppendFloat(std::string& out, Float value, int short_digits, int long_digits) {
  if (std::isnan(value)) {
    out.append("\"NaN\"");
    return;
  }
  if (std::isinf(value)) {
    out.append(value > 0 ? "\"Infinity\"" : "\"-Infinity\"");
    return;
  }
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.*g", short_digits, static_cast<double>(value));
  if (static_cast<Float>(std::strtod(buffer, nullptr)) != value) {
    std::snprintf(buffer, sizeof buffer, "%.*g", long_digits, static_cast<double>(value));
  }
  out.append(buffer);
}

// RFC 3339 in UTC with 0, 3, 6 or 9 fractional digits, as protobuf does.
void AppendTimestamp(std::string& out, int64_t seconds, int32_t nanos) {
  const absl::CivilSecond civil =
      absl::ToCivilSecond(absl::FromUnixSeconds(seconds), absl::UTCTimeZone());
  absl::StrAppendFormat(&out, "\"%04d-%02d-%02dT%02d:%02d:%02d", civil.year(), civil.month(),
                        civil.day(), civil.hour(), civil.minute(), civil.second());
  if (nanos % 1000000 == 0 && nanos != 0) {
    absl::StrAppendFormat(&out, ".%03d", nanos / 1000000);
  } else if (nanos % 1000 == 0 && nanos != 0) {
    absl::StrAppendFormat(&out, ".%06d", nanos / 1000);
  } else if (nanos != 0) {
    absl::StrAppendFormat(&out, ".%09d", nanos);
  }
  out.append("Z\"");
}

void AppendMessage(std::string& out, const Message& message);

// One value of `field`: the field's own when `index` < 0, else its
// `index`th element.
void AppendValue(std::string& out, const Message& message, const FieldDescriptor& field,
                 int index) {
  const Reflection& reflection = *message.GetReflection();
  const bool repeated = index >= 0;
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
      absl::StrAppend(&out, repeated ? reflection.GetRepeatedInt32(message, &field, index)
                                     : reflection.GetInt32(message, &field));
      break;
    case FieldDescriptor::CPPTYPE_UINT32:
      absl::StrAppend(&out, repeated ? reflection.GetRepeatedUInt32(message, &field, index)
                                     : reflection.GetUInt32(message, &field));
      break;
    case FieldDescriptor::CPPTYPE_INT64:
      absl::StrAppend(&out, "\"",
                      repeated ? reflection.GetRepeatedInt64(message, &field, index)
                               : reflection.GetInt64(message, &field),
                      "\"");
      break;
    case FieldDescriptor::CPPTYPE_UINT64:
      absl::StrAppend(&out, "\"",
                      repeated ? reflection.GetRepeatedUInt64(message, &field, index)
                               : reflection.GetUInt64(message, &field),
                      "\"");
      break;
    case FieldDescriptor::CPPTYPE_DOUBLE:
      AppendFloat(out,
                  repeated ? reflection.GetRepeatedDouble(message, &field, index)
                           : reflection.GetDouble(message, &field),
                  15, 17);
      break;
    case FieldDescriptor::CPPTYPE_FLOAT:
      AppendFloat(out,
                  repeated ? reflection.GetRepeatedFloat(message, &field, index)
                           : reflection.GetFloat(message, &field),
                  6, 9);
      break;
    case FieldDescriptor::CPPTYPE_BOOL:
      out.append((repeated ? reflection.GetRepeatedBool(message, &field, index)
                           : reflection.GetBool(message, &field))
                     ? "true"
                     : "false");
      break;
    case FieldDescriptor::CPPTYPE_ENUM: {
      const int number = repeated ? reflection.GetRepeatedEnumValue(message, &field, index)
                                  : reflection.GetEnumValue(message, &field);
      const auto* value = field.enum_type()->FindValueByNumber(number);
      if (value != nullptr) {
        json::AppendString(out, value->name());
      } else {
        absl::StrAppend(&out, number);  // a value this build does not know
      }
      break;
    }
    case FieldDescriptor::CPPTYPE_STRING: {
      std::string scratch;
      const std::string& text =
          repeated ? reflection.GetRepeatedStringReference(message, &field, index, &scratch)
                   : reflection.GetStringReference(message, &field, &scratch);
      if (field.type() == FieldDescriptor::TYPE_BYTES) {
        json::AppendString(out, absl::Base64Escape(text));
      } else {
        json::AppendString(out, text);
      }
      break;
    }
    case FieldDescriptor::CPPTYPE_MESSAGE:
      AppendMessage(out, repeated ? reflection.GetRepeatedMessage(message, &field, index)
                                  : reflection.GetMessage(message, &field));
      break;
  }
}

// A map's key as JSON writes object keys: always a string.
void AppendMapKey(std::string& out, const Message& entry, const FieldDescriptor& key) {
  if (key.cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
    AppendValue(out, entry, key, -1);
  } else if (key.cpp_type() == FieldDescriptor::CPPTYPE_BOOL) {
    out.append(entry.GetReflection()->GetBool(entry, &key) ? "\"true\"" : "\"false\"");
  } else {
    std::string number;
    AppendValue(number, entry, key, -1);
    if (number.front() == '"') {
      out.append(number);
    } else {
      absl::StrAppend(&out, "\"", number, "\"");
    }
  }
}

void AppendField(std::string& out, const Message& message, const FieldDescriptor& field) {
  const Reflection& reflection = *message.GetReflection();
  if (field.is_map()) {
    const FieldDescriptor& key = *field.message_type()->map_key();
    const FieldDescriptor& value = *field.message_type()->map_value();
    out.push_back('{');
    for (int i = 0; i < reflection.FieldSize(message, &field); ++i) {
      const Message& entry = reflection.GetRepeatedMessage(message, &field, i);
      if (i > 0) out.push_back(',');
      AppendMapKey(out, entry, key);
      out.push_back(':');
      AppendValue(out, entry, value, -1);
    }
    out.push_back('}');
  } else if (field.is_repeated()) {
    out.push_back('[');
    for (int i = 0; i < reflection.FieldSize(message, &field); ++i) {
      if (i > 0) out.push_back(',');
      AppendValue(out, message, field, i);
    }
    out.push_back(']');
  } else {
    AppendValue(out, message, field, -1);
  }
}

void AppendMessage(std::string& out, const Message& message) {
  const Descriptor& type = *message.GetDescriptor();
  if (type.full_name() == "google.protobuf.Timestamp") {
    const Reflection& reflection = *message.GetReflection();
    AppendTimestamp(out, reflection.GetInt64(message, type.FindFieldByNumber(1)),
                    reflection.GetInt32(message, type.FindFieldByNumber(2)));
    return;
  }
  if (type.file()->name().rfind("google/protobuf/", 0) == 0) {
    // Struct, Value, Any, wrappers and the like: rare in a state.
    google::protobuf::util::JsonPrintOptions options;
    options.preserve_proto_field_names = true;
    std::string json;
    if (!google::protobuf::util::MessageToJsonString(message, &json, options).ok()) json = "null";
    out.append(json);
    return;
  }
  std::vector<const FieldDescriptor*> fields;
  message.GetReflection()->ListFields(message, &fields);
  out.push_back('{');
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out.push_back(',');
    json::AppendString(out, fields[i]->name());
    out.push_back(':');
    AppendField(out, message, *fields[i]);
  }
  out.push_back('}');
}

}  // namespace

std::string ToJson(const Message& message) {
  std::string json;
  json.reserve(512);
  AppendMessage(json, message);
  return json;
}

}  // namespace caunoi::resource
