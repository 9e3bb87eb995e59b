#ifndef CAUNOI_SERVICES_ORGANIZATIONS_ORGANIZATIONS_STORE_H_
#define CAUNOI_SERVICES_ORGANIZATIONS_ORGANIZATIONS_STORE_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "caunoi/v1/organizations.pb.h"
#include "common/pg/pool.h"
#include "common/resource/resource_store.h"
#include "services/organizations/commune_list.h"
#include "services/organizations/locality_requests.h"

namespace caunoi::organizations {

// What a code meant on a date, and who holds it today.
struct LocalityResolution {
  v1::Locality locality;
  v1::Locality current;
};

// One locality's counts, as GetLocalityStats reports them.
struct LocalityTotals {
  std::string locality_id;
  std::map<std::string, int64_t> organizations_by_kind;
  int64_t members = 0;
  std::map<std::string, int64_t> partnerships_by_country_tier;
};

// One page of a subtree, and the path (ancestors and id, as an array
// literal) of its last node when another page may follow.
struct TreePage {
  std::vector<v1::OrganizationTreeNode> nodes;
  std::optional<std::string> last_path;
};

// The organizations service's SQL beyond the standard methods (whose
// statements live with each resource in resources/). Reads run in read-only
// transactions bounded by `deadline`.
class OrganizationsStore {
 public:
  explicit OrganizationsStore(pg::Pool& pool) : pool_(pool), resources_(pool, "organizations") {}

  // The standard methods over this service's tables.
  resource::ResourceStore& resources() { return resources_; }

  // NOT_FOUND (reason LOCALITY_NOT_FOUND) when there is no such unit.
  absl::StatusOr<v1::Locality> GetLocality(absl::string_view id, absl::Time deadline);

  // Up to query.page_size + 1 rows, ordered by (code, id); the extra row
  // only tells the caller another page exists.
  absl::StatusOr<std::vector<v1::Locality>> ListLocalities(const LocalityQuery& query,
                                                           absl::Time deadline);

  // NOT_FOUND with reason LOCALITY_CODE_RETIRED (metadata: successor) when
  // the code was no longer in use on `as_of`, LOCALITY_CODE_UNKNOWN when it
  // never was.
  absl::StatusOr<LocalityResolution> ResolveLocalityCode(absl::string_view code,
                                                         absl::CivilDay as_of, absl::Time deadline);
  // The same for a commune's five-digit code: the commune of today's list
  // on or after 2025-07-01, the pre-2025 commune and the communes it went
  // into before.
  absl::StatusOr<v1::ResolveLocalityCodeResponse> ResolveCommuneCode(absl::string_view code,
                                                                     absl::CivilDay as_of,
                                                                     absl::Time deadline);

  // Brings `list` in whole (see ImportCommunes in organizations.proto),
  // with one audit record of what changed.
  absl::StatusOr<v1::ImportCommunesResponse> ImportCommunes(const CommuneList& list,
                                                            const resource::WriteRequest& write);

  // The organization with the member count in force on `as_of`.
  absl::StatusOr<v1::Organization> GetOrganizationAsOf(absl::string_view name, absl::string_view id,
                                                       absl::CivilDay as_of, absl::Time deadline);

  // The root and its descendants down to `max_depth` levels (0: all), each
  // with its depth, depth first: at most `limit` of them after the node at
  // `after_path` (none: from the root).
  absl::StatusOr<TreePage> GetOrganizationTree(absl::string_view name, absl::string_view id,
                                               int max_depth, const pg::Param& after_path,
                                               int limit, absl::Time deadline);

  // Totals per current locality in `locality_ids` (all current ones when
  // empty), in one aggregate query.
  absl::StatusOr<std::vector<LocalityTotals>> GetLocalityStats(
      const std::vector<std::string>& locality_ids, absl::CivilDay as_of, absl::Time deadline);

 private:
  pg::Pool& pool_;
  resource::ResourceStore resources_;
};

}  // namespace caunoi::organizations

#endif  // CAUNOI_SERVICES_ORGANIZATIONS_ORGANIZATIONS_STORE_H_
