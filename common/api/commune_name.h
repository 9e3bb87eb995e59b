#ifndef CAUNOI_COMMON_API_COMMUNE_NAME_H_
#define CAUNOI_COMMON_API_COMMUNE_NAME_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "caunoi/v1/organizations.pb.h"
#include "google/protobuf/repeated_field.h"
#include "google/protobuf/repeated_ptr_field.h"

// Communes below today's provinces, named "localities/01/communes/00004",
// and the place of a record: its province, or the commune within it
// ("01" or "01/00004"), which is what write rules compare.
namespace caunoi {

// A five-digit commune code, as the official lists write it.
bool IsCommuneCode(absl::string_view code);

inline constexpr absl::string_view kCommunePattern = "localities/{code}/communes/{code}";

struct CommuneRef {
  std::string province_id;  // "01"
  std::string code;         // "00004"
};

// "localities/01/communes/00004" -> {"01", "00004"}; INVALID_ARGUMENT
// naming `field` otherwise.
absl::StatusOr<CommuneRef> ParseCommuneName(absl::string_view name, absl::string_view field);
std::string CommuneName(absl::string_view province_id, absl::string_view code);

// Commune codes per province id, gathered from rows that may name one
// commune several times: views of the rows, which must outlive them.
// Answers listing the communes that acted or reported are built this way.
using CommuneCodes = absl::flat_hash_map<absl::string_view, std::vector<absl::string_view>>;

// The codes in `joined` ("00004,00008"), added to `province_id`'s.
void AddJoinedCodes(absl::string_view province_id, absl::string_view joined, CommuneCodes& codes);

// `province_id`'s communes with `codes`, each once and in code order,
// added by name to `names`, or (`by_code`) by code alone as numbers (4 for
// "00004") to `numbers`; `codes` is sorted in the doing.
void AddCommunes(absl::string_view province_id, std::vector<absl::string_view>& codes, bool by_code,
                 google::protobuf::RepeatedPtrField<std::string>& names,
                 google::protobuf::RepeatedField<int32_t>& numbers);
// "localities/01/communes/00004" -> 4; nullopt for any other name.
std::optional<int32_t> CommuneNumber(absl::string_view name);

// "01" for a province's own record, "01/00004" for one of its commune's.
std::string PlaceId(absl::string_view province_id, absl::string_view commune_code);
// The place of a record by the names it carries: its current locality
// ("localities/01", "" for central) and its commune (may be empty).
std::string PlaceOf(absl::string_view current_locality, absl::string_view commune);
// "01" -> "localities/01"; "01/00004" -> "localities/01/communes/00004".
std::string PlaceName(absl::string_view place_id);

// Whether `commune`, as the registry holds it, may be named by a record of
// `current_locality` dated `day` (today for records without a date):
// INVALID_ARGUMENT naming `field` with reason COMMUNE_OF_ANOTHER_LOCALITY
// or COMMUNE_NOT_IN_FORCE (a retired code, or one not yet in force).
absl::Status CheckCommuneFits(const v1::Commune& commune, absl::string_view current_locality,
                              absl::CivilDay day, absl::string_view field);

}  // namespace caunoi

#endif  // CAUNOI_COMMON_API_COMMUNE_NAME_H_
