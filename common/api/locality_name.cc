#include "common/api/locality_name.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/status/errors.h"
#include "common/status/quoted.h"

namespace caunoi {
namespace {

constexpr absl::string_view kCollection = "localities/";
constexpr absl::string_view kSupersededPrefix = "pre2025-";

}  // namespace

absl::StatusOr<std::string> ParseLocalityName(absl::string_view name, absl::string_view field) {
  if (name.empty()) {
    return InvalidFieldError(field, "is required, e.g. \"localities/79\"");
  }
  absl::string_view id = name;
  const bool in_collection = absl::ConsumePrefix(&id, kCollection);
  absl::string_view code = id;
  absl::ConsumePrefix(&code, kSupersededPrefix);
  if (!in_collection || !IsLocalityCode(code)) {
    return InvalidFieldError(field, absl::StrCat(Quoted(name),
                                                 " is not a locality name; expected "
                                                 "localities/{code} or localities/pre2025-{code}"));
  }
  return std::string(id);
}

bool IsLocalityCode(absl::string_view code) {
  return code.size() == 2 && absl::ascii_isdigit(code[0]) && absl::ascii_isdigit(code[1]);
}

std::string LocalityName(absl::string_view id) { return absl::StrCat(kCollection, id); }

bool IsDissolvedLocality(absl::string_view name) {
  return absl::ConsumePrefix(&name, kCollection) && absl::StartsWith(name, kSupersededPrefix);
}

absl::Status CheckInForceOn(absl::string_view locality, absl::CivilDay day,
                            absl::string_view successor, absl::string_view field) {
  if (!IsDissolvedLocality(locality) || day < kMergerDay) return absl::OkStatus();
  return InvalidFieldError(
      field,
      absl::StrCat(locality, " was dissolved on ", absl::FormatCivilTime(kMergerDay),
                   "; a record of ", absl::FormatCivilTime(day), " names its successor ",
                   successor),
      "LOCALITY_DISSOLVED",
      {{"successor", std::string(successor)}, {"dissolved_on", absl::FormatCivilTime(kMergerDay)}});
}

}  // namespace caunoi
