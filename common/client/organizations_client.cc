#include "common/client/organizations_client.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/api/commune_name.h"
#include "common/api/locality_name.h"
#include "common/api/resource_name.h"
#include "common/client/dependency_call.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "common/status/status_macros.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"

namespace caunoi {

OrganizationsClient::OrganizationsClient(std::shared_ptr<grpc::Channel> channel,
                                         absl::Duration locality_ttl)
    : stub_(v1::OrganizationService::NewStub(std::move(channel))), locality_ttl_(locality_ttl) {}

absl::Status OrganizationsClient::CheckOrganization(absl::string_view name, absl::string_view field,
                                                    absl::Time deadline) {
  return GetOrganization(name, field, deadline).status();
}

absl::StatusOr<v1::Organization> OrganizationsClient::GetOrganization(absl::string_view name,
                                                                      absl::string_view field,
                                                                      absl::Time deadline) {
  return RefuseDeleted(ReadOrganization(name, field, deadline), field);
}

absl::StatusOr<v1::Organization> OrganizationsClient::ReadOrganization(absl::string_view name,
                                                                       absl::string_view field,
                                                                       absl::Time deadline) {
  return GetFromDependency(*stub_, &v1::OrganizationService::Stub::GetOrganization, "organizations",
                           "organizations/{}", name, field, deadline);
}

absl::Status OrganizationsClient::CheckCountry(absl::string_view name, absl::string_view field,
                                               absl::Time deadline) {
  return GetFromDependency(*stub_, &v1::OrganizationService::Stub::GetCountry, "organizations",
                           "countries/{code}", name, field, deadline)
      .status();
}

absl::Status OrganizationsClient::CheckPartner(absl::string_view name, absl::string_view field,
                                               absl::Time deadline) {
  return GetFromDependency(*stub_, &v1::OrganizationService::Stub::GetPartner, "organizations",
                           "partners/{}", name, field, deadline)
      .status();
}

absl::Status OrganizationsClient::CheckCommune(absl::string_view commune,
                                               absl::string_view current_locality,
                                               absl::CivilDay day, absl::string_view field,
                                               absl::Time deadline) {
  CAUNOI_RETURN_IF_ERROR(ParseCommuneName(commune, field).status());
  CAUNOI_ASSIGN_OR_RETURN(
      v1::Commune found,
      GetFromDependency(*stub_, &v1::OrganizationService::Stub::GetCommune, "organizations",
                        kCommunePattern, commune, field, deadline));
  return CheckCommuneFits(found, current_locality, day, field);
}

absl::StatusOr<v1::Locality> OrganizationsClient::GetLocality(absl::string_view locality,
                                                              absl::string_view field,
                                                              absl::Time deadline) {
  CAUNOI_RETURN_IF_ERROR(ParseLocalityName(locality, field).status());
  const absl::Time now = absl::Now();
  {
    absl::MutexLock lock(&mutex_);
    auto kept = localities_.find(locality);
    if (kept != localities_.end() && now < kept->second.until) return kept->second.locality;
  }
  grpc::ClientContext context;
  BoundDependencyCall(context, deadline);
  v1::GetLocalityRequest request;
  request.set_name(std::string(locality));
  v1::Locality found;
  CAUNOI_RETURN_IF_ERROR(ExplainDependencyAnswer(stub_->GetLocality(&context, request, &found),
                                                 "organizations", field, locality));
  absl::MutexLock lock(&mutex_);
  localities_[locality] = {.locality = found, .until = now + locality_ttl_};
  return found;
}

absl::StatusOr<std::string> OrganizationsClient::CurrentLocalityId(absl::string_view locality,
                                                                   absl::string_view field,
                                                                   absl::Time deadline) {
  absl::StatusOr<v1::Locality> found = GetLocality(locality, field, deadline);
  if (absl::IsNotFound(found.status())) {
    return InvalidFieldError(field, absl::StrCat("no such locality: \"", locality, "\""));
  }
  CAUNOI_RETURN_IF_ERROR(found.status());
  return ParseLocalityName(found->current() ? found->name() : found->successor(), field);
}

absl::StatusOr<std::optional<std::string>> OrganizationsClient::CurrentLocalityIdIfNamed(
    absl::string_view locality, absl::string_view field, absl::Time deadline) {
  if (locality.empty()) return std::nullopt;
  return CurrentLocalityId(locality, field, deadline);
}

absl::StatusOr<std::optional<std::string>> OrganizationsClient::CurrentLocalityInFilter(
    absl::string_view filter, std::span<const api::FilterField> fields, absl::Time deadline) {
  CAUNOI_ASSIGN_OR_RETURN(std::vector<api::FilterTerm> terms, api::ParseFilter(filter, fields));
  for (const api::FilterTerm& term : terms) {
    if (term.field == "locality") return CurrentLocalityId(term.value, "filter", deadline);
  }
  return std::nullopt;
}

std::optional<v1::ListLocalitiesResponse> OrganizationsClient::KeptLocalities() {
  absl::MutexLock lock(&mutex_);
  if (!todays_ || absl::Now() >= todays_->until) return std::nullopt;
  return todays_->response;
}

void OrganizationsClient::KeepLocalities(const v1::ListLocalitiesResponse& response) {
  if (!response.next_page_token().empty()) return;  // only the whole list
  absl::MutexLock lock(&mutex_);
  todays_ = KeptList<v1::ListLocalitiesResponse>{.response = response,
                                                 .until = absl::Now() + locality_ttl_};
}

std::optional<v1::ListCommunesResponse> OrganizationsClient::KeptCommunes(
    absl::string_view locality) {
  absl::MutexLock lock(&mutex_);
  const auto kept = communes_.find(locality);
  if (kept == communes_.end() || absl::Now() >= kept->second.until) return std::nullopt;
  return kept->second.response;
}

void OrganizationsClient::KeepCommunes(absl::string_view locality,
                                       const v1::ListCommunesResponse& response) {
  if (!response.next_page_token().empty()) return;  // only the whole list
  v1::ListCommunesResponse names;
  names.mutable_communes()->Reserve(response.communes_size());
  for (const v1::Commune& commune : response.communes()) {
    v1::Commune* kept = names.add_communes();
    kept->set_name(commune.name());
    kept->set_display_name(commune.display_name());
  }
  absl::MutexLock lock(&mutex_);
  communes_[locality] = {.response = std::move(names), .until = absl::Now() + locality_ttl_};
}

absl::StatusOr<std::vector<std::string>> OrganizationsClient::CurrentLocalities(
    absl::Time deadline) {
  std::optional<v1::ListLocalitiesResponse> kept = KeptLocalities();
  v1::ListLocalitiesResponse response;
  if (kept) {
    response = *std::move(kept);
  } else {
    grpc::ClientContext context;
    BoundDependencyCall(context, deadline);
    v1::ListLocalitiesRequest request;
    request.set_page_size(200);
    CAUNOI_RETURN_IF_ERROR(
        ExplainDependencyAnswer(stub_->ListLocalities(&context, request, &response),
                                "organizations", "localities", "localities"));
    KeepLocalities(response);
  }
  std::vector<std::string> names;
  for (const v1::Locality& locality : response.localities()) names.push_back(locality.name());
  return names;
}

absl::StatusOr<std::vector<std::string>> OrganizationsClient::CountriesWithTier(
    absl::string_view tier, absl::Time deadline) {
  grpc::ClientContext context;
  BoundDependencyCall(context, deadline);
  v1::ListCountriesRequest request;
  request.set_page_size(500);
  request.set_filter(absl::StrCat("tier = ", tier));
  v1::ListCountriesResponse response;
  CAUNOI_RETURN_IF_ERROR(ExplainDependencyAnswer(stub_->ListCountries(&context, request, &response),
                                                 "organizations", "filter", tier));
  std::vector<std::string> codes;
  for (const v1::Country& country : response.countries()) codes.push_back(country.code());
  return codes;
}

}  // namespace caunoi
