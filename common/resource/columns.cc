#include "common/resource/columns.h"

#include <algorithm>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/strip.h"
#include "caunoi/v1/common.pb.h"
#include "common/api/dates.h"
#include "common/api/resource_name.h"

namespace caunoi::resource {
namespace {

using google::protobuf::FieldDescriptor;

const FieldDescriptor* FieldOf(const google::protobuf::Message& message, const Column& column) {
  // The columns are the resource's own declaration: a wrong name is a bug.
  const FieldDescriptor* field =
      message.GetDescriptor()->FindFieldByName(std::string(column.field));
  if (field == nullptr) std::abort();
  return field;
}

// ORGANIZATION_KIND_FRIENDSHIP_UNION is stored as FRIENDSHIP_UNION (see
// common/api/enum_token.h).
absl::string_view EnumPrefix(const google::protobuf::EnumDescriptor& type) {
  absl::string_view prefix = type.value(0)->name();
  absl::ConsumeSuffix(&prefix, "UNSPECIFIED");
  return prefix;
}

int PatternIds(absl::string_view pattern) {
  return static_cast<int>(std::count(pattern.begin(), pattern.end(), '{'));
}

}  // namespace

std::vector<pg::Param> ColumnValues(const google::protobuf::Message& message,
                                    std::span<const Column> columns) {
  const google::protobuf::Reflection& reflection = *message.GetReflection();
  Params params;
  for (const Column& column : columns) {
    const FieldDescriptor* field = FieldOf(message, column);
    switch (field->cpp_type()) {
      case FieldDescriptor::CPPTYPE_STRING: {
        const std::string value = reflection.GetString(message, field);
        if (column.pattern.empty()) {
          params.Text(value);
        } else {
          params.TextOrNull(api::ResourceId(value));
        }
        break;
      }
      case FieldDescriptor::CPPTYPE_ENUM: {
        const google::protobuf::EnumValueDescriptor* value = reflection.GetEnum(message, field);
        absl::string_view token = value->name();
        absl::ConsumePrefix(&token, EnumPrefix(*field->enum_type()));
        params.Text(token);
        break;
      }
      case FieldDescriptor::CPPTYPE_MESSAGE:  // a v1::Date
        params.Date(static_cast<const v1::Date&>(reflection.GetMessage(message, field)),
                    reflection.HasField(message, field));
        break;
      case FieldDescriptor::CPPTYPE_BOOL:
        params.Bool(reflection.GetBool(message, field));
        break;
      case FieldDescriptor::CPPTYPE_INT32:
        params.Int64(reflection.GetInt32(message, field));
        break;
      case FieldDescriptor::CPPTYPE_INT64:
        params.Int64(reflection.GetInt64(message, field));
        break;
      default:
        std::abort();  // no stored field has another type
    }
  }
  return params.Take();
}

void ReadColumns(RowReader& row, google::protobuf::Message& message,
                 std::span<const Column> columns) {
  const google::protobuf::Reflection& reflection = *message.GetReflection();
  for (const Column& column : columns) {
    const FieldDescriptor* field = FieldOf(message, column);
    switch (field->cpp_type()) {
      case FieldDescriptor::CPPTYPE_STRING: {
        if (column.pattern.empty()) {
          reflection.SetString(&message, field, row.Text());
          break;
        }
        std::vector<std::string> ids;
        bool present = true;
        for (int i = 0; i < PatternIds(column.pattern); ++i) {
          std::optional<std::string> id = row.OptionalText();
          present = present && id.has_value();
          ids.push_back(id.value_or(""));
        }
        if (present) {
          reflection.SetString(&message, field, api::FormatResourceName(column.pattern, ids));
        }
        break;
      }
      case FieldDescriptor::CPPTYPE_ENUM: {
        const google::protobuf::EnumDescriptor& type = *field->enum_type();
        const google::protobuf::EnumValueDescriptor* value =
            type.FindValueByName(absl::StrCat(EnumPrefix(type), row.Text()));
        reflection.SetEnumValue(&message, field, value == nullptr ? 0 : value->number());
        break;
      }
      case FieldDescriptor::CPPTYPE_MESSAGE:
        if (std::optional<v1::Date> date = row.OptionalDate()) {
          reflection.MutableMessage(&message, field)->CopyFrom(*date);
        }
        break;
      case FieldDescriptor::CPPTYPE_BOOL:
        reflection.SetBool(&message, field, row.Bool());
        break;
      case FieldDescriptor::CPPTYPE_INT32:
        reflection.SetInt32(&message, field, static_cast<int32_t>(row.Int64()));
        break;
      case FieldDescriptor::CPPTYPE_INT64:
        reflection.SetInt64(&message, field, row.Int64());
        break;
      default:
        std::abort();
    }
  }
}

}  // namespace caunoi::resource
