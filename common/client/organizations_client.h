#ifndef CAUNOI_COMMON_CLIENT_ORGANIZATIONS_CLIENT_H_
#define CAUNOI_COMMON_CLIENT_ORGANIZATIONS_CLIENT_H_

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "caunoi/v1/organizations.grpc.pb.h"
#include "common/api/filter.h"

namespace caunoi {

// What other services ask the organizations service, which owns localities
// and organizations. Every call is bounded by the caller's
// deadline (and at most a few seconds); when the organizations service
// cannot answer, the result is UNAVAILABLE, so the write is refused whole.
class OrganizationsClient {
 public:
  explicit OrganizationsClient(std::shared_ptr<grpc::Channel> channel,
                               absl::Duration locality_ttl = absl::Minutes(1));

  // OK when `name` ("organizations/{id}") exists for a new record to name;
  // NOT_FOUND naming `field` when it does not, FAILED_PRECONDITION when it
  // was deleted, INVALID_ARGUMENT when it is malformed.
  absl::Status CheckOrganization(absl::string_view name, absl::string_view field,
                                 absl::Time deadline);
  // The same check, returning the organization.
  absl::StatusOr<v1::Organization> GetOrganization(absl::string_view name, absl::string_view field,
                                                   absl::Time deadline);
  // The organization, deleted or not: for what an existing record already
  // names.
  absl::StatusOr<v1::Organization> ReadOrganization(absl::string_view name, absl::string_view field,
                                                    absl::Time deadline);

  // OK when the country ("countries/JP") or partner ("partners/{id}")
  // exists; NOT_FOUND naming `field` otherwise.
  absl::Status CheckCountry(absl::string_view name, absl::string_view field, absl::Time deadline);
  absl::Status CheckPartner(absl::string_view name, absl::string_view field, absl::Time deadline);

  // OK when `commune` ("localities/01/communes/00004") may be named by a
  // record of `current_locality` dated `day`: NOT_FOUND naming `field` for
  // an unknown code, INVALID_ARGUMENT for a malformed name, a commune of
  // another locality, or one not in force that day (see CheckCommuneFits).
  absl::Status CheckCommune(absl::string_view commune, absl::string_view current_locality,
                            absl::CivilDay day, absl::string_view field, absl::Time deadline);

  // The locality, for what changes only with a migration (a merger): its
  // names, whether it is current, its successor. An answer is kept for
  // `locality_ttl` instead of asked for on every write and read (its
  // commune count may be that old). Errors as GetOrganization's.
  absl::StatusOr<v1::Locality> GetLocality(absl::string_view locality, absl::string_view field,
                                           absl::Time deadline);

  // The id of today's unit holding `locality` ("localities/pre2025-74" ->
  // "79"), from GetLocality; INVALID_ARGUMENT naming `field` when there is
  // no such locality.
  absl::StatusOr<std::string> CurrentLocalityId(absl::string_view locality, absl::string_view field,
                                                absl::Time deadline);

  // The same for an optional filter: nullopt, asking nothing, when
  // `locality` is empty.
  absl::StatusOr<std::optional<std::string>> CurrentLocalityIdIfNamed(absl::string_view locality,
                                                                      absl::string_view field,
                                                                      absl::Time deadline);

  // The id of today's unit named by a `locality = ...` term of `filter`,
  // if it has one: a filter on a locality means its current unit's area.
  absl::StatusOr<std::optional<std::string>> CurrentLocalityInFilter(
      absl::string_view filter, std::span<const api::FilterField> fields, absl::Time deadline);

  // The ISO codes of the countries holding `tier` today ("ASEAN_MEMBER").
  absl::StatusOr<std::vector<std::string>> CountriesWithTier(absl::string_view tier,
                                                             absl::Time deadline);

  // Today's 34 units, by resource name.
  absl::StatusOr<std::vector<std::string>> CurrentLocalities(absl::Time deadline);

  // Today's units as ListLocalities lists them (names, display names,
  // commune counts), when a complete answer younger than `locality_ttl`
  // is kept; a caller that asked organizations itself keeps its answer
  // with KeepLocalities.
  std::optional<v1::ListLocalitiesResponse> KeptLocalities();
  void KeepLocalities(const v1::ListLocalitiesResponse& response);

  // The communes of `locality` ("localities/01") as ListCommunes lists
  // them, by name and display name only, when a complete answer younger
  // than `locality_ttl` is kept: reference data, changed by an import. A
  // caller that asked organizations itself keeps its answer with
  // KeepCommunes.
  std::optional<v1::ListCommunesResponse> KeptCommunes(absl::string_view locality);
  void KeepCommunes(absl::string_view locality, const v1::ListCommunesResponse& response);

 private:
  struct KeptLocality {
    v1::Locality locality;
    absl::Time until;
  };
  // A list answer kept until `until`.
  template <typename Response>
  struct KeptList {
    Response response;
    absl::Time until;
  };

  std::unique_ptr<v1::OrganizationService::Stub> stub_;
  const absl::Duration locality_ttl_;
  absl::Mutex mutex_;
  // Only names that exist: at most the country's hundred-odd localities.
  absl::flat_hash_map<std::string, KeptLocality> localities_ ABSL_GUARDED_BY(mutex_);
  std::optional<KeptList<v1::ListLocalitiesResponse>> todays_ ABSL_GUARDED_BY(mutex_);
  // By locality; only answers organizations gave, so a few dozen.
  absl::flat_hash_map<std::string, KeptList<v1::ListCommunesResponse>> communes_
      ABSL_GUARDED_BY(mutex_);
};

}  // namespace caunoi

#endif  // CAUNOI_COMMON_CLIENT_ORGANIZATIONS_CLIENT_H_
