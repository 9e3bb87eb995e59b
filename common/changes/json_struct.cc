#include "common/changes/json_struct.h"

#include <cmath>
#include <cstdint>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "common/api/text.h"

namespace caunoi::changes {
namespace {

constexpr int kMaxDepth = 100;

class Parser {
 public:
  explicit Parser(absl::string_view text) : text_(text) {}

  bool Document(google::protobuf::Struct& out) {
    SkipSpace();
    if (!Object(out, 0)) return false;
    SkipSpace();
    return at_ == text_.size();
  }

 private:
  bool Object(google::protobuf::Struct& out, int depth) {
    if (!Consume('{') || depth > kMaxDepth) return false;
    auto& fields = *out.mutable_fields();
    SkipSpace();
    if (Consume('}')) return true;
    while (true) {
      SkipSpace();
      std::string key;
      if (!String(key)) return false;
      SkipSpace();
      if (!Consume(':')) return false;
      // A repeated key is refused, as protobuf's parser refuses it.
      if (fields.contains(key) || !Value(fields[key], depth + 1)) return false;
      SkipSpace();
      if (Consume('}')) return true;
      if (!Consume(',')) return false;
    }
  }

  bool Array(google::protobuf::ListValue& out, int depth) {
    if (!Consume('[') || depth > kMaxDepth) return false;
    SkipSpace();
    if (Consume(']')) return true;
    while (true) {
      if (!Value(*out.add_values(), depth + 1)) return false;
      SkipSpace();
      if (Consume(']')) return true;
      if (!Consume(',')) return false;
    }
  }

  bool Value(google::protobuf::Value& out, int depth) {
    SkipSpace();
    if (at_ == text_.size()) return false;
    switch (text_[at_]) {
      case '{':
        return Object(*out.mutable_struct_value(), depth);
      case '[':
        return Array(*out.mutable_list_value(), depth);
      case '"':
        return String(*out.mutable_string_value());
      case 't':
        out.set_bool_value(true);
        return Literal("true");
      case 'f':
        out.set_bool_value(false);
        return Literal("false");
      case 'n':
        out.set_null_value(google::protobuf::NULL_VALUE);
        return Literal("null");
      default:
        return Number(out);
    }
  }

  bool Number(google::protobuf::Value& out) {
    const size_t start = at_;
    Consume('-');
    if (Consume('0')) {
      // no further integer digits
    } else if (!Digits()) {
      return false;
    }
    if (Consume('.') && !Digits()) return false;
    if (Consume('e') || Consume('E')) {
      if (!Consume('+')) Consume('-');
      if (!Digits()) return false;
    }
    double value = 0;
    if (!absl::SimpleAtod(text_.substr(start, at_ - start), &value) || !std::isfinite(value)) {
      return false;
    }
    out.set_number_value(value);
    return true;
  }

  bool String(std::string& out) {
    if (!Consume('"')) return false;
    while (at_ < text_.size()) {
      const size_t run = text_.find_first_of("\"\\", at_);
      if (run == absl::string_view::npos) return false;
      for (size_t i = at_; i < run; ++i) {
        if (static_cast<unsigned char>(text_[i]) < 0x20) return false;
      }
      out.append(text_.data() + at_, run - at_);
      at_ = run + 1;
      if (text_[run] == '"') return true;
      if (!Escape(out)) return false;
    }
    return false;
  }

  // After a backslash.
  bool Escape(std::string& out) {
    if (at_ == text_.size()) return false;
    const char c = text_[at_++];
    switch (c) {
      case '"':
      case '\\':
      case '/':
        out.push_back(c);
        return true;
      case 'b':
        out.push_back('\b');
        return true;
      case 'f':
        out.push_back('\f');
        return true;
      case 'n':
        out.push_back('\n');
        return true;
      case 'r':
        out.push_back('\r');
        return true;
      case 't':
        out.push_back('\t');
        return true;
      case 'u':
        break;
      default:
        return false;
    }
    uint32_t code = 0;
    if (!Hex4(code)) return false;
    if (code >= 0xDC00 && code <= 0xDFFF) return false;  // a lone low surrogate
    if (code >= 0xD800 && code <= 0xDBFF) {
      uint32_t low = 0;
      if (!Consume('\\') || !Consume('u') || !Hex4(low) || low < 0xDC00 || low > 0xDFFF) {
        return false;
      }
      code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
    }
    api::AppendUtf8(out, code);
    return true;
  }

  bool Hex4(uint32_t& code) {
    if (text_.size() - at_ < 4) return false;
    for (int i = 0; i < 4; ++i) {
      const char c = text_[at_++];
      if (!absl::ascii_isxdigit(c)) return false;
      code = code * 16 + static_cast<uint32_t>(
                             absl::ascii_isdigit(c) ? c - '0' : absl::ascii_tolower(c) - 'a' + 10);
    }
    return true;
  }

  bool Digits() {
    const size_t start = at_;
    while (at_ < text_.size() && absl::ascii_isdigit(text_[at_])) ++at_;
    return at_ > start;
  }

  bool Literal(absl::string_view word) {
    if (text_.substr(at_, word.size()) != word) return false;
    at_ += word.size();
    return true;
  }

  bool Consume(char c) {
    if (at_ < text_.size() && text_[at_] == c) {
      ++at_;
      return true;
    }
    return false;
  }

  void SkipSpace() {
    while (at_ < text_.size() &&
           (text_[at_] == ' ' || text_[at_] == '\n' || text_[at_] == '\r' || text_[at_] == '\t')) {
      ++at_;
    }
  }

  absl::string_view text_;
  size_t at_ = 0;
};

}  // namespace

bool ParseJsonObject(absl::string_view json, google::protobuf::Struct& out) {
  out.Clear();
  return Parser(json).Document(out);
}

}  // namespace caunoi::changes
