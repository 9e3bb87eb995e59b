#ifndef CAUNOI_SERVICES_ORGANIZATIONS_ORGANIZATIONS_STORE_H_
#define CAUNOI_SERVICES_ORGANIZATIONS_ORGANIZATIONS_STORE_H_

#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "caunoi/v1/organizations.pb.h"
#include "common/pg/pool.h"
#include "services/organizations/locality_requests.h"

namespace caunoi::organizations {

// What a code meant on a date, and who holds it today.
struct LocalityResolution {
  v1::Locality locality;
  v1::Locality current;
};

// Every SQL statement of the organizations service. Reads run in read-only
// transactions bounded by `deadline`.
class OrganizationsStore {
 public:
  explicit OrganizationsStore(pg::Pool& pool) : pool_(pool) {}

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

 private:
  pg::Pool& pool_;
};

}  // namespace caunoi::organizations

#endif  // CAUNOI_SERVICES_ORGANIZATIONS_ORGANIZATIONS_STORE_H_
