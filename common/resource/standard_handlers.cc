#include "common/resource/standard_handlers.h"

#include "absl/strings/match.h"
#include "absl/strings/strip.h"

namespace caunoi::resource::internal {

const google::protobuf::FieldDescriptor* FieldOf(const google::protobuf::Message& message,
                                                 absl::string_view name) {
  return message.GetDescriptor()->FindFieldByName(std::string(name));
}

// A field the request type lacks reads as its default, as an unset one does.
std::string StringField(const google::protobuf::Message& message, absl::string_view name) {
  const google::protobuf::FieldDescriptor* field = FieldOf(message, name);
  return field == nullptr ? std::string() : message.GetReflection()->GetString(message, field);
}

int32_t IntField(const google::protobuf::Message& message, absl::string_view name) {
  const google::protobuf::FieldDescriptor* field = FieldOf(message, name);
  return field == nullptr ? 0 : message.GetReflection()->GetInt32(message, field);
}

const google::protobuf::Message& MessageField(const google::protobuf::Message& message,
                                              absl::string_view name) {
  return message.GetReflection()->GetMessage(message, FieldOf(message, name));
}

std::string MethodOf(const google::protobuf::Message& request) {
  return std::string(absl::StripSuffix(request.GetDescriptor()->name(), "Request"));
}

absl::string_view ParentPattern(absl::string_view pattern) {
  const size_t collection = pattern.rfind('/', pattern.rfind('/') - 1);
  if (collection == absl::string_view::npos) return "";
  return pattern.substr(0, collection);
}

}  // namespace caunoi::resource::internal
