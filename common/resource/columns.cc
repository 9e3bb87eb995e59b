#include "common/resource/columns.h"

#include <algorithm>
#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "caunoi/v1/common.pb.h"
#include "common/api/commune_name.h"
#include "common/api/dates.h"
#include "common/api/locality_name.h"
#include "common/api/resource_name.h"
#include "common/pg/array_literal.h"
#include "common/status/errors.h"
#include "common/status/status_macros.h"
#include "google/protobuf/reflection.h"

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

bool IsLocality(const Column& column) { return absl::StartsWith(column.pattern, "localities/"); }

absl::Status ValidateReferenceColumn(const Column& column, absl::string_view name,
                                     absl::string_view path) {
  if (name.empty()) {
    return column.required ? InvalidFieldError(path, "is required") : absl::OkStatus();
  }
  if (column.pattern == kCommunePattern) return ParseCommuneName(name, path).status();
  if (IsLocality(column)) return ParseLocalityName(name, path).status();
  return api::ParseResourceName(name, column.pattern, path).status();
}

absl::Status ValidateRepeated(const google::protobuf::Message& message,
                              const FieldDescriptor& field, const Column& column,
                              absl::string_view path) {
  const google::protobuf::Reflection& reflection = *message.GetReflection();
  const int size = reflection.FieldSize(message, &field);
  if (column.max > 0 && size > column.max) {
    return InvalidFieldError(path, absl::StrCat("holds ", size, " names; at most ", column.max));
  }
  absl::flat_hash_set<std::string> seen;
  for (int i = 0; i < size; ++i) {
    const std::string item = absl::StrCat(path, "[", i, "]");
    const std::string name = reflection.GetRepeatedString(message, &field, i);
    if (name.empty()) return InvalidFieldError(item, "is required");
    CAUNOI_RETURN_IF_ERROR(ValidateReferenceColumn(column, name, item));
    if (!seen.insert(name).second) return InvalidFieldError(item, "is listed twice");
  }
  return absl::OkStatus();
}

absl::Status ValidateColumn(const google::protobuf::Message& message, const FieldDescriptor& field,
                            const Column& column, absl::string_view path) {
  const google::protobuf::Reflection& reflection = *message.GetReflection();
  if (field.is_repeated()) return ValidateRepeated(message, field, column, path);
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING: {
      const std::string value = reflection.GetString(message, &field);
      if (!column.pattern.empty()) return ValidateReferenceColumn(column, value, path);
      api::TextRule rule = column.text;
      rule.required = rule.required || column.required;
      return api::ValidateText(value, path, rule);
    }
    case FieldDescriptor::CPPTYPE_ENUM: {
      const int number = reflection.GetEnumValue(message, &field);
      if (number == 0) {
        return column.required ? InvalidFieldError(path, "is required") : absl::OkStatus();
      }
      if (field.enum_type()->FindValueByNumber(number) == nullptr) {
        return InvalidFieldError(path, absl::StrCat(number, " is not a known value"));
      }
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_MESSAGE:  // a v1::Date
      if (!reflection.HasField(message, &field)) {
        return column.required ? InvalidFieldError(path, "is required") : absl::OkStatus();
      }
      return api::ToCivilDay(static_cast<const v1::Date&>(reflection.GetMessage(message, &field)),
                             path)
          .status();
    case FieldDescriptor::CPPTYPE_INT32:
    case FieldDescriptor::CPPTYPE_INT64: {
      const int64_t value = field.cpp_type() == FieldDescriptor::CPPTYPE_INT32
                                ? reflection.GetInt32(message, &field)
                                : reflection.GetInt64(message, &field);
      if (column.max > 0 && (value < column.min || value > column.max)) {
        return InvalidFieldError(path, absl::StrCat("must be ", column.min, " to ", column.max));
      }
      return absl::OkStatus();
    }
    default:
      return absl::OkStatus();
  }
}

// A date as a day number, an integer as itself; nullopt when unset.
std::optional<int64_t> Ordinal(const google::protobuf::Message& message,
                               const FieldDescriptor& field) {
  const google::protobuf::Reflection& reflection = *message.GetReflection();
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_MESSAGE:
      if (!reflection.HasField(message, &field)) return std::nullopt;
      return api::ToCivilDayUnchecked(
                 static_cast<const v1::Date&>(reflection.GetMessage(message, &field))) -
             absl::CivilDay(1970, 1, 1);
    case FieldDescriptor::CPPTYPE_INT32:
      return reflection.GetInt32(message, &field);
    case FieldDescriptor::CPPTYPE_INT64:
      return reflection.GetInt64(message, &field);
    default:
      std::abort();  // the columns' own declaration: a bug
  }
}

absl::Status ValidateOrder(const google::protobuf::Message& message, const FieldDescriptor& field,
                           const Column& column, absl::string_view resource_field,
                           absl::string_view path) {
  const FieldDescriptor* earlier =
      message.GetDescriptor()->FindFieldByName(std::string(column.not_before));
  if (earlier == nullptr) std::abort();
  const std::optional<int64_t> start = Ordinal(message, *earlier);
  const std::optional<int64_t> end = Ordinal(message, field);
  if (start && end && *end < *start) {
    return InvalidFieldError(
        path, absl::StrCat("must not be before ", resource_field, ".", column.not_before));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateColumns(const google::protobuf::Message& message,
                             std::span<const Column> columns, absl::string_view field) {
  for (const Column& column : columns) {
    if (column.encode != nullptr) continue;
    CAUNOI_RETURN_IF_ERROR(ValidateColumn(message, *FieldOf(message, column), column,
                                          absl::StrCat(field, ".", column.field)));
  }
  // Order across fields once each is known to be valid.
  for (const Column& column : columns) {
    if (column.not_before.empty()) continue;
    CAUNOI_RETURN_IF_ERROR(ValidateOrder(message, *FieldOf(message, column), column, field,
                                         absl::StrCat(field, ".", column.field)));
  }
  return absl::OkStatus();
}

std::vector<pg::Param> ColumnValues(const google::protobuf::Message& message,
                                    std::span<const Column> columns) {
  const google::protobuf::Reflection& reflection = *message.GetReflection();
  Params params;
  for (const Column& column : columns) {
    if (column.encode != nullptr) {
      params.Text(column.encode(message));
      continue;
    }
    const FieldDescriptor* field = FieldOf(message, column);
    if (field->is_repeated()) {  // references, stored as an array of ids
      std::vector<std::string> ids;
      for (const std::string& name : reflection.GetRepeatedFieldRef<std::string>(message, field)) {
        ids.emplace_back(api::ResourceId(name));
      }
      params.Text(pg::ArrayLiteral(std::span<const std::string>(ids)));
      continue;
    }
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
        if (value->number() != 0) {
          params.Text(token);
        } else {
          params.TextOrNull(column.unset);  // the column's default, or NULL
        }
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
    if (column.decode != nullptr) {
      column.decode(row.Text(), message);
      continue;
    }
    const FieldDescriptor* field = FieldOf(message, column);
    if (field->is_repeated()) {  // read as "id,id,..."
      for (absl::string_view id : absl::StrSplit(row.Text(), ',', absl::SkipEmpty())) {
        reflection.AddString(&message, field,
                             api::FormatResourceName(column.pattern, {std::string(id)}));
      }
      continue;
    }
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
