#include "common/resource/state_json.h"

#include <cstdint>
#include <limits>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "caunoi/v1/common.pb.h"
#include "caunoi/v1/directives.pb.h"
#include "caunoi/v1/gateway.pb.h"
#include "caunoi/v1/organizations.pb.h"
#include "caunoi/v1/reports.pb.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"

namespace caunoi::resource {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// Texts a state holds: Vietnamese, symbols, and what JSON must escape.
const std::vector<std::string>& Texts() {
  static const auto* texts = new std::vector<std::string>{
      "",
      "12-CT/TƯ",
      "Hội hữu nghị Việt Nam – Nhật Bản",
      "quote \" and backslash \\ and slash /",
      "line\nbreak\ttab\rreturn\x01\x1f",
      "<b>&amp;</b>",
      "\xe2\x80\xa8 and \xe2\x80\xa9 and \xef\xbb\xbf",
      "😀 Cầu Nối",
  };
  return *texts;
}

class RandomState {
 public:
  explicit RandomState(uint32_t seed) : random_(seed) {}

  void Fill(Message& message, int depth) {
    const Descriptor& type = *message.GetDescriptor();
    const Reflection& reflection = *message.GetReflection();
    if (type.full_name() == "google.protobuf.Timestamp") {
      // 0001-01-01 to 9999-12-31, as a Timestamp may hold.
      std::uniform_int_distribution<int64_t> seconds(-62135596800, 253402300799);
      reflection.SetInt64(&message, type.FindFieldByNumber(1), seconds(random_));
      const int32_t nanos[] = {0, 5000000, 123000, 999999999, 1, 120000000};
      reflection.SetInt32(&message, type.FindFieldByNumber(2), nanos[Pick(6)]);
      return;
    }
    if (type.full_name() == "google.protobuf.Struct") {
      google::protobuf::Struct& object = dynamic_cast<google::protobuf::Struct&>(message);
      (*object.mutable_fields())["tên"].set_string_value(Texts()[Pick(Texts().size())]);
      (*object.mutable_fields())["số"].set_number_value(12.5);
      return;
    }
    if (type.file()->name().rfind("google/protobuf/", 0) == 0) return;
    for (int i = 0; i < type.field_count(); ++i) {
      const FieldDescriptor& field = *type.field(i);
      if (Pick(3) == 0) continue;
      if (field.cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE && !field.is_map() && depth >= 3) {
        continue;
      }
      if (field.is_map()) {
        // Distinct keys, as a map holds them.
        std::set<std::string> keys;
        for (size_t n = Pick(4); n > 0; --n) {
          auto entry = std::unique_ptr<Message>(
              reflection.GetMessageFactory()->GetPrototype(field.message_type())->New());
          SetOne(*entry, *field.message_type()->map_key(), depth);
          SetOne(*entry, *field.message_type()->map_value(), depth);
          // The API's maps are keyed by strings.
          const FieldDescriptor& key = *field.message_type()->map_key();
          if (!keys.insert(entry->GetReflection()->GetString(*entry, &key)).second) continue;
          reflection.AddAllocatedMessage(&message, &field, entry.release());
        }
      } else if (field.is_repeated()) {
        for (size_t n = Pick(4); n > 0; --n) AddOne(message, field, depth);
      } else {
        SetOne(message, field, depth);
      }
    }
  }

 private:
  size_t Pick(size_t count) { return std::uniform_int_distribution<size_t>(0, count - 1)(random_); }

  int64_t Integer() {
    const int64_t values[] = {0,
                              1,
                              -1,
                              42,
                              std::numeric_limits<int32_t>::max(),
                              std::numeric_limits<int32_t>::min(),
                              std::numeric_limits<int64_t>::max(),
                              std::numeric_limits<int64_t>::min(),
                              9007199254740993};
    return values[Pick(9)];
  }
  double Real() {
    const double values[] = {0,
                             0.1,
                             -2.5,
                             100000,
                             1e21,
                             1.2345678901234567e-7,
                             0.30000000000000004,
                             12345678.9,
                             std::numeric_limits<double>::infinity(),
                             std::numeric_limits<double>::quiet_NaN()};
    return values[Pick(10)];
  }
  int Enum(const FieldDescriptor& field) {
    if (Pick(8) == 0) return 77;  // a number this build does not know
    return field.enum_type()
        ->value(static_cast<int>(Pick(field.enum_type()->value_count())))
        ->number();
  }
  std::string Bytes() {
    std::string bytes(Pick(9), '\0');
    for (char& byte : bytes) byte = static_cast<char>(Pick(256));
    return bytes;
  }

  void SetOne(Message& message, const FieldDescriptor& field, int depth) {
    const Reflection& reflection = *message.GetReflection();
    switch (field.cpp_type()) {
      case FieldDescriptor::CPPTYPE_INT32:
        return reflection.SetInt32(&message, &field, static_cast<int32_t>(Integer()));
      case FieldDescriptor::CPPTYPE_INT64:
        return reflection.SetInt64(&message, &field, Integer());
      case FieldDescriptor::CPPTYPE_UINT32:
        return reflection.SetUInt32(&message, &field, static_cast<uint32_t>(Integer()));
      case FieldDescriptor::CPPTYPE_UINT64:
        return reflection.SetUInt64(&message, &field, static_cast<uint64_t>(Integer()));
      case FieldDescriptor::CPPTYPE_DOUBLE:
        return reflection.SetDouble(&message, &field, Real());
      case FieldDescriptor::CPPTYPE_FLOAT:
        return reflection.SetFloat(&message, &field, static_cast<float>(Real()));
      case FieldDescriptor::CPPTYPE_BOOL:
        return reflection.SetBool(&message, &field, Pick(2) == 1);
      case FieldDescriptor::CPPTYPE_ENUM:
        return reflection.SetEnumValue(&message, &field, Enum(field));
      case FieldDescriptor::CPPTYPE_STRING:
        return reflection.SetString(
            &message, &field,
            field.type() == FieldDescriptor::TYPE_BYTES ? Bytes() : Texts()[Pick(Texts().size())]);
      case FieldDescriptor::CPPTYPE_MESSAGE:
        return Fill(*reflection.MutableMessage(&message, &field), depth + 1);
    }
  }

  void AddOne(Message& message, const FieldDescriptor& field, int depth) {
    const Reflection& reflection = *message.GetReflection();
    switch (field.cpp_type()) {
      case FieldDescriptor::CPPTYPE_INT32:
        return reflection.AddInt32(&message, &field, static_cast<int32_t>(Integer()));
      case FieldDescriptor::CPPTYPE_INT64:
        return reflection.AddInt64(&message, &field, Integer());
      case FieldDescriptor::CPPTYPE_UINT32:
        return reflection.AddUInt32(&message, &field, static_cast<uint32_t>(Integer()));
      case FieldDescriptor::CPPTYPE_UINT64:
        return reflection.AddUInt64(&message, &field, static_cast<uint64_t>(Integer()));
      case FieldDescriptor::CPPTYPE_DOUBLE:
        return reflection.AddDouble(&message, &field, Real());
      case FieldDescriptor::CPPTYPE_FLOAT:
        return reflection.AddFloat(&message, &field, static_cast<float>(Real()));
      case FieldDescriptor::CPPTYPE_BOOL:
        return reflection.AddBool(&message, &field, Pick(2) == 1);
      case FieldDescriptor::CPPTYPE_ENUM:
        return reflection.AddEnumValue(&message, &field, Enum(field));
      case FieldDescriptor::CPPTYPE_STRING:
        return reflection.AddString(
            &message, &field,
            field.type() == FieldDescriptor::TYPE_BYTES ? Bytes() : Texts()[Pick(Texts().size())]);
      case FieldDescriptor::CPPTYPE_MESSAGE:
        return Fill(*reflection.AddMessage(&message, &field), depth + 1);
    }
  }

  std::mt19937 random_;
};

// Every message type the API declares, nested ones too, maps' entries left
// out.
std::vector<const Descriptor*> ApiMessages() {
  std::vector<const Descriptor*> types;
  std::vector<const Descriptor*> pending;
  for (const google::protobuf::FileDescriptor* file :
       {v1::Change::descriptor()->file(), v1::Document::descriptor()->file(),
        v1::GetImplementationStatusRequest::descriptor()->file(),
        v1::Organization::descriptor()->file(), v1::Report::descriptor()->file()}) {
    for (int i = 0; i < file->message_type_count(); ++i) pending.push_back(file->message_type(i));
  }
  while (!pending.empty()) {
    const Descriptor* type = pending.back();
    pending.pop_back();
    if (type->map_key() != nullptr) continue;  // a map's entry
    types.push_back(type);
    for (int i = 0; i < type->nested_type_count(); ++i) pending.push_back(type->nested_type(i));
  }
  return types;
}

google::protobuf::Value Parsed(const std::string& json) {
  google::protobuf::Value value;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(json, &value).ok()) << json;
  return value;
}

// The audit log keeps states as jsonb, so what must agree with protobuf's
// printer is the JSON value: names, types and values, whatever the order
// of keys or the escapes chosen.
TEST(StateJsonTest, EveryApiMessageReadsAsTheSameJsonAsProtobufPrintsIt) {
  google::protobuf::DynamicMessageFactory factory;
  factory.SetDelegateToGeneratedFactory(true);  // Struct as itself
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  RandomState random(20261203);
  const std::vector<const Descriptor*> types = ApiMessages();
  ASSERT_GT(types.size(), 100u);
  int compared = 0;
  for (const Descriptor* type : types) {
    SCOPED_TRACE(type->full_name());
    for (int round = 0; round < 40; ++round) {
      std::unique_ptr<Message> message(factory.GetPrototype(type)->New());
      random.Fill(*message, 0);
      std::string expected;
      ASSERT_TRUE(google::protobuf::util::MessageToJsonString(*message, &expected, options).ok());
      const std::string actual = ToJson(*message);
      google::protobuf::util::MessageDifferencer differencer;
      std::string difference;
      differencer.ReportDifferencesToString(&difference);
      EXPECT_TRUE(differencer.Compare(Parsed(expected), Parsed(actual)))
          << "protobuf: " << expected << "\nours:     " << actual << "\n"
          << difference;
      ++compared;
    }
  }
  EXPECT_EQ(compared, static_cast<int>(types.size()) * 40);
}

TEST(StateJsonTest, AReportReadsAsItsFieldsWithDefaultsLeftOut) {
  v1::Report report;
  report.set_name("obligations/7/reports/12");
  report.set_period("2026-11");
  report.set_summary("Kết quả \"tháng\" 11");
  report.set_state(v1::REPORT_STATE_SUBMITTED);
  report.mutable_submitted_date()->set_year(2026);
  report.mutable_create_time()->set_seconds(1764720000);
  report.mutable_create_time()->set_nanos(5000000);
  EXPECT_EQ(ToJson(report),
            "{\"name\":\"obligations/7/reports/12\",\"period\":\"2026-11\","
            "\"summary\":\"Kết quả \\\"tháng\\\" 11\",\"state\":\"REPORT_STATE_SUBMITTED\","
            "\"submitted_date\":{\"year\":2026},\"create_time\":\"2025-12-03T00:00:00.005Z\"}");
}

}  // namespace
}  // namespace caunoi::resource
