#include "services/reports/reports_service.h"

// Activities beyond their standard methods: the partner-country tier their
// lists resolve, and updates that may move them.
#include "common/api/commune_name.h"
#include "common/api/deadline.h"
#include "common/api/field_mask.h"
#include "common/api/filter.h"
#include "common/auth/principal.h"
#include "common/resource/reply.h"
#include "common/status/grpc_status.h"
#include "common/status/status_macros.h"
#include "services/reports/resources/resources.h"

namespace caunoi::reports {

using api::MaskCovers;

// A tier means the countries holding it today, as the organizations
// service records them.
absl::StatusOr<resource::ListValues> ReportsService::TierCountries(
    const grpc::ServerContext& context, const google::protobuf::Message& request) {
  const auto& list = static_cast<const v1::ListActivitiesRequest&>(request);
  std::optional<std::string> tier_countries;
  CAUNOI_ASSIGN_OR_RETURN(std::vector<api::FilterTerm> terms,
                          api::ParseFilter(list.filter(), kActivityList.filter_fields));
  for (const api::FilterTerm& term : terms) {
    if (term.field != "partner_country_tier") continue;
    CAUNOI_ASSIGN_OR_RETURN(std::optional<std::string> tier,
                            resource::EnumFilter<v1::CountryTier>(term));
    CAUNOI_ASSIGN_OR_RETURN(
        std::vector<std::string> codes,
        organizations_.CountriesWithTier(tier.value_or(""), api::RequestDeadline(context)));
    tier_countries = CountriesParam(codes);
  }
  return resource::ListValues{tier_countries};
}

grpc::Status ReportsService::UpdateActivity(grpc::ServerContext* context,
                                            const v1::UpdateActivityRequest* request,
                                            v1::Activity* response) {
  absl::StatusOr<v1::Activity> updated = [&]() -> absl::StatusOr<v1::Activity> {
    CAUNOI_ASSIGN_OR_RETURN(
        google::protobuf::FieldMask mask,
        api::WithDerivedPath(request->update_mask(), "locality", "current_locality"));
    v1::Activity patch = request->activity();
    CAUNOI_RETURN_IF_ERROR(ResolveActivity(patch, mask, api::RequestDeadline(*context)));
    CAUNOI_RETURN_IF_ERROR(CheckActivityWrite(*context, patch.name()));
    auto writes = [&](absl::string_view field, bool set) {
      return MaskCovers(mask, field) && (mask.paths_size() > 0 || set);
    };
    if (writes("locality", !patch.locality().empty()) ||
        writes("commune", !patch.commune().empty())) {
      CAUNOI_RETURN_IF_ERROR(
          auth::CheckUnitWrite(*context, PlaceOf(patch.current_locality(), patch.commune()),
                               api::ResourceId(patch.organizer()), "an activity there"));
    }
    return resource::UpdateResource(store_.resources(), kActivitySpec, *context, "UpdateActivity",
                                    *request, patch, mask, request->reason());
  }();
  return resource::Reply(std::move(updated), response);
}

}  // namespace caunoi::reports
