// The change state's JSON reader (common/changes/json_struct.h) against
// protobuf's own JSON parser: the same Struct for what PostgreSQL writes,
// and a refusal for what is not one JSON object.
#include "common/changes/json_struct.h"

#include <random>
#include <string>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"

namespace caunoi::changes {
namespace {

using google::protobuf::Struct;
using google::protobuf::util::MessageDifferencer;

Struct ProtobufParse(const std::string& json, bool* ok) {
  Struct parsed;
  *ok = google::protobuf::util::JsonStringToMessage(json, &parsed).ok();
  return parsed;
}

TEST(JsonStructTest, ReadsWhatPostgresqlWritesAsProtobufDoes) {
  const std::string documents[] = {
      "{}",
      R"({"name": "obligations/7/reports/12", "period": "2026-H1", "state": "SUBMITTED",)"
      R"( "summary": "Đã tổ chức quán triệt Chỉ thị 12-CT/TW cho 120 cán bộ",)"
      R"( "figures": {"cadresTrained": 120, "disseminationSessions": 3},)"
      R"( "reviewed": false, "submitTime": "2026-07-10T02:03:04.500Z", "reviewer": null})",
      R"({"a":[1,-2.5,0,1e3,-0.25E-2,12345678901234,[],{},[[true,false,null]]]})",
      R"({ "escapes" : "tab\there \"quoted\" back\\slash \/ \b\f\n\r" })",
      R"({"unicode": "\u0110\u1ea1i h\u1ed9i \ud83c\udf89 \u00e1", "raw": "Hà Nội 🎉"})",
      R"({"nested": {"deeper": {"deepest": {"list": [{"k": "v"}, {"k": ""}]}}}})",
      "{\n\t\"spaced\" :\r\n [ 1 , 2 ] \n}",
  };
  for (const std::string& json : documents) {
    bool protobuf_ok = false;
    const Struct expected = ProtobufParse(json, &protobuf_ok);
    ASSERT_TRUE(protobuf_ok) << json;
    Struct ours;
    ASSERT_TRUE(ParseJsonObject(json, ours)) << json;
    EXPECT_TRUE(MessageDifferencer::Equals(ours, expected))
        << json << "\nours: " << ours.DebugString() << "\nprotobuf: " << expected.DebugString();
  }
}

// Random Structs written by protobuf read back as they were.
void Fill(google::protobuf::Value& value, std::mt19937& random, int depth) {
  const char* const words[] = {"", "Hà Nội", "12-CT/TW", "a\"b\\c\n", "\x01", "đối ngoại", "🎉"};
  switch (std::uniform_int_distribution<int>(0, depth > 3 ? 3 : 5)(random)) {
    case 0:
      value.set_number_value(std::uniform_real_distribution<double>(-1e9, 1e9)(random));
      break;
    case 1:
      value.set_string_value(words[std::uniform_int_distribution<int>(0, 6)(random)]);
      break;
    case 2:
      value.set_bool_value(random() % 2 == 0);
      break;
    case 3:
      value.set_null_value(google::protobuf::NULL_VALUE);
      break;
    case 4:
      for (int i = std::uniform_int_distribution<int>(0, 4)(random); i > 0; --i) {
        Fill(*value.mutable_list_value()->add_values(), random, depth + 1);
      }
      value.mutable_list_value();
      break;
    default:
      for (int i = std::uniform_int_distribution<int>(0, 4)(random); i > 0; --i) {
        Fill((*value.mutable_struct_value()->mutable_fields())[absl::StrCat("k", random() % 9)],
             random, depth + 1);
      }
      value.mutable_struct_value();
  }
}

TEST(JsonStructTest, RandomStructsReadBackAsWritten) {
  std::mt19937 random(20261203);
  for (int round = 0; round < 500; ++round) {
    Struct original;
    for (int i = std::uniform_int_distribution<int>(0, 6)(random); i > 0; --i) {
      Fill((*original.mutable_fields())[absl::StrCat("f", i)], random, 0);
    }
    std::string json;
    ASSERT_TRUE(google::protobuf::util::MessageToJsonString(original, &json).ok());
    Struct ours;
    ASSERT_TRUE(ParseJsonObject(json, ours)) << json;
    EXPECT_TRUE(MessageDifferencer::ApproximatelyEquals(ours, original)) << json;
  }
}

TEST(JsonStructTest, RefusesWhatIsNotOneJsonObject) {
  const std::string refused[] = {
      "",
      "[]",
      "\"text\"",
      "{",
      R"({"a":})",
      R"({"a":1,})",
      R"({"a":01})",
      R"({"a":1.})",
      R"({"a":-})",
      R"({"a":.5})",
      R"({"a":1e})",
      R"({"a":1e999})",
      R"({"a":tru})",
      R"({"a":nul})",
      R"({'a':1})",
      R"({a:1})",
      R"({"a":"\x"})",
      R"({"a":"\u12"})",
      R"({"a":"\ud800"})",
      R"({"a":"\udc00"})",
      R"({"a":"\ud800\u0041"})",
      "{\"a\":\"line\nbreak\"}",
      R"({"a":"unterminated)",
      R"({"a":[1,2})",
      R"({} {})",
      R"({"a":1} x)",
      R"({"dup": 1, "dup": {"x": 2}})",
  };
  for (const std::string& json : refused) {
    Struct ours;
    EXPECT_FALSE(ParseJsonObject(json, ours)) << json;
  }
  // Nesting is bounded rather than recursing without end.
  std::string deep = "{\"a\":";
  for (int i = 0; i < 200; ++i) deep += "[";
  for (int i = 0; i < 200; ++i) deep += "]";
  deep += "}";
  Struct ours;
  EXPECT_FALSE(ParseJsonObject(deep, ours));
  std::string shallow = "{\"a\":[[[[1]]]]}";
  EXPECT_TRUE(ParseJsonObject(shallow, ours));
}

}  // namespace
}  // namespace caunoi::changes
