#include "common/api/commune_name.h"

#include <algorithm>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/api/dates.h"
#include "common/api/locality_name.h"
#include "common/status/errors.h"
#include "common/status/quoted.h"

namespace caunoi {

bool IsCommuneCode(absl::string_view code) {
  return code.size() == 5 && std::all_of(code.begin(), code.end(), absl::ascii_isdigit);
}

absl::StatusOr<CommuneRef> ParseCommuneName(absl::string_view name, absl::string_view field) {
  const std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  if (parts.size() != 4 || parts[0] != "localities" || parts[2] != "communes" ||
      !IsCommuneCode(parts[3]) ||
      !ParseLocalityName(absl::StrCat("localities/", parts[1]), field).ok() ||
      absl::StartsWith(parts[1], "pre2025-")) {
    return InvalidFieldError(field,
                             absl::StrCat(Quoted(name),
                                          " is not a commune name; expected "
                                          "localities/{province}/communes/{five-digit code}, e.g. "
                                          "\"localities/01/communes/00004\""));
  }
  return CommuneRef{std::string(parts[1]), std::string(parts[3])};
}

std::string CommuneName(absl::string_view province_id, absl::string_view code) {
  return absl::StrCat("localities/", province_id, "/communes/", code);
}

void AddJoinedCodes(absl::string_view province_id, absl::string_view joined, CommuneCodes& codes) {
  std::vector<absl::string_view>& of_province = codes[province_id];
  for (absl::string_view code : absl::StrSplit(joined, ',')) of_province.push_back(code);
}

void AddCommunes(absl::string_view province_id, std::vector<absl::string_view>& codes, bool by_code,
                 google::protobuf::RepeatedPtrField<std::string>& names,
                 google::protobuf::RepeatedField<int32_t>& numbers) {
  if (by_code) {
    std::vector<int32_t> sorted;
    sorted.reserve(codes.size());
    for (absl::string_view code : codes) {
      int32_t number = 0;
      if (absl::SimpleAtoi(code, &number)) sorted.push_back(number);
    }
    std::sort(sorted.begin(), sorted.end());
    sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
    numbers.Add(sorted.begin(), sorted.end());
    return;
  }
  std::sort(codes.begin(), codes.end());
  codes.erase(std::unique(codes.begin(), codes.end()), codes.end());
  names.Reserve(names.size() + static_cast<int>(codes.size()));
  for (absl::string_view code : codes) *names.Add() = CommuneName(province_id, code);
}

std::optional<int32_t> CommuneNumber(absl::string_view name) {
  if (!absl::StrContains(name, "/communes/")) return std::nullopt;  // a locality's, most often
  absl::StatusOr<CommuneRef> commune = ParseCommuneName(name, "commune");
  int32_t number = 0;
  if (!commune.ok() || !absl::SimpleAtoi(commune->code, &number)) return std::nullopt;
  return number;
}

std::string PlaceId(absl::string_view province_id, absl::string_view commune_code) {
  if (commune_code.empty()) return std::string(province_id);
  return absl::StrCat(province_id, "/", commune_code);
}

std::string PlaceOf(absl::string_view current_locality, absl::string_view commune) {
  absl::StatusOr<CommuneRef> parsed = ParseCommuneName(commune, "commune");
  if (parsed.ok()) return PlaceId(parsed->province_id, parsed->code);
  absl::StatusOr<std::string> locality = ParseLocalityName(current_locality, "locality");
  return locality.ok() ? *locality : "";
}

std::string PlaceName(absl::string_view place_id) {
  const std::pair<absl::string_view, absl::string_view> parts =
      absl::StrSplit(place_id, absl::MaxSplits('/', 1));
  if (parts.second.empty()) return LocalityName(parts.first);
  return CommuneName(parts.first, parts.second);
}

absl::Status CheckCommuneFits(const v1::Commune& commune, absl::string_view current_locality,
                              absl::CivilDay day, absl::string_view field) {
  if (commune.province() != current_locality) {
    return InvalidFieldError(
        field,
        absl::StrCat(commune.name(), " (", commune.display_name(), ") lies in ", commune.province(),
                     ", not in ",
                     current_locality.empty() ? "a central record's area" : current_locality),
        "COMMUNE_OF_ANOTHER_LOCALITY", {{"province", commune.province()}});
  }
  const bool started =
      !commune.has_valid_from() || api::ToCivilDayUnchecked(commune.valid_from()) <= day;
  const bool ended =
      commune.has_valid_until() && api::ToCivilDayUnchecked(commune.valid_until()) <= day;
  if (started && !ended) return absl::OkStatus();
  const std::string when = absl::FormatCivilTime(day);
  return InvalidFieldError(
      field,
      ended ? absl::StrCat(commune.name(), " (", commune.display_name(), ") was retired on ",
                           absl::FormatCivilTime(api::ToCivilDayUnchecked(commune.valid_until())),
                           "; a record of ", when, " names the commune in force then")
            : absl::StrCat(commune.name(), " (", commune.display_name(), ") came into force on ",
                           absl::FormatCivilTime(api::ToCivilDayUnchecked(commune.valid_from())),
                           ", after ", when),
      "COMMUNE_NOT_IN_FORCE", {{"commune", commune.name()}});
}

}  // namespace caunoi
