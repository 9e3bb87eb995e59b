#ifndef CAUNOI_SERVICES_ORGANIZATIONS_COMMUNE_LIST_H_
#define CAUNOI_SERVICES_ORGANIZATIONS_COMMUNE_LIST_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "caunoi/v1/organizations.pb.h"

// An official commune list as ImportCommunes receives it, read and checked
// whole before anything is written.
namespace caunoi::organizations {

struct ListedCommune {
  std::string code;          // "00004"
  std::string display_name;  // "Phường Ba Đình"
  std::string kind;          // "WARD"
  std::string province_id;   // "01"
};

struct ListedPredecessor {
  std::string commune_code;  // today's commune
  std::string code;          // the pre-list commune's; "" when it had none
  std::string display_name;
  std::string merge;  // "WHOLE"
  std::string district;
  std::string province_code;
};

struct CommuneList {
  absl::CivilDay valid_from;
  std::vector<ListedCommune> communes;
  // In the file's order, which is each commune's ordinal order.
  std::vector<ListedPredecessor> predecessors;
};

// INVALID_ARGUMENT naming the file field, line and column of the first
// fault: a missing column, a malformed code, an unknown kind or merge, a
// commune listed twice, lineage for a commune the list lacks.
absl::StatusOr<CommuneList> ParseImportCommunesRequest(const v1::ImportCommunesRequest& request);

}  // namespace caunoi::organizations

#endif  // CAUNOI_SERVICES_ORGANIZATIONS_COMMUNE_LIST_H_
