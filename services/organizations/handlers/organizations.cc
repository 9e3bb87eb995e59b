#include "services/organizations/organizations_service.h"

// Organizations beyond their standard methods: a count as of a date, the
// tree below one, and totals per locality.
#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/api/dates.h"
#include "common/api/deadline.h"
#include "common/api/locality_name.h"
#include "common/api/page_token.h"
#include "common/api/resource_name.h"
#include "common/resource/reply.h"
#include "common/status/grpc_status.h"
#include "common/status/quoted.h"
#include "common/status/status_macros.h"
#include "services/organizations/resources/resource_helpers.h"

namespace caunoi::organizations {
namespace {

// A chain of ids as PostgreSQL writes a bigint array: "{3,17,4242}".
bool IsIdPath(absl::string_view path) {
  if (!absl::ConsumePrefix(&path, "{") || !absl::ConsumeSuffix(&path, "}") || path.empty()) {
    return false;
  }
  return std::all_of(path.begin(), path.end(),
                     [](char c) { return absl::ascii_isdigit(c) || c == ','; }) &&
         !absl::StrContains(path, ",,") && path.front() != ',' && path.back() != ',';
}

}  // namespace

grpc::Status OrganizationsService::GetOrganization(grpc::ServerContext* context,
                                                   const v1::GetOrganizationRequest* request,
                                                   v1::Organization* response) {
  if (!request->has_member_count_as_of()) return organizations_.Get(*context, *request, response);
  absl::Status status = [&]() -> absl::Status {
    CAUNOI_ASSIGN_OR_RETURN(std::vector<std::string> ids,
                            api::ParseResourceName(request->name(), kOrganizationPattern, "name"));
    CAUNOI_ASSIGN_OR_RETURN(absl::CivilDay as_of,
                            api::ToCivilDay(request->member_count_as_of(), "member_count_as_of"));
    CAUNOI_ASSIGN_OR_RETURN(*response, store_.GetOrganizationAsOf(request->name(), ids[0], as_of,
                                                                  api::RequestDeadline(*context)));
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

grpc::Status OrganizationsService::GetOrganizationTree(
    grpc::ServerContext* context, const v1::GetOrganizationTreeRequest* request,
    v1::GetOrganizationTreeResponse* response) {
  absl::Status status = [&]() -> absl::Status {
    CAUNOI_ASSIGN_OR_RETURN(std::vector<std::string> ids,
                            api::ParseResourceName(request->name(), kOrganizationPattern, "name"));
    if (request->max_depth() < 0) return InvalidFieldError("max_depth", "must not be negative");
    CAUNOI_ASSIGN_OR_RETURN(const int page_size,
                            api::ResolvePageSize(request->page_size(), 500, 2000));
    // A token is bound to the subtree and depth it pages.
    const std::string query = absl::StrCat(request->name(), "/", request->max_depth());
    pg::Param after_path;
    if (!request->page_token().empty()) {
      CAUNOI_ASSIGN_OR_RETURN(std::vector<std::string> key,
                              api::DecodePageToken(request->page_token(), query));
      if (key.size() != 1 || !IsIdPath(key[0])) {
        return InvalidFieldError("page_token", "is not a token of this tree");
      }
      after_path = key[0];
    }
    CAUNOI_ASSIGN_OR_RETURN(
        TreePage page,
        store_.GetOrganizationTree(request->name(), ids[0], request->max_depth(), after_path,
                                   page_size, api::RequestDeadline(*context)));
    for (v1::OrganizationTreeNode& node : page.nodes) *response->add_nodes() = std::move(node);
    if (page.last_path.has_value()) {
      response->set_next_page_token(api::EncodePageToken(query, {*page.last_path}));
    }
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

grpc::Status OrganizationsService::GetLocalityStats(grpc::ServerContext* context,
                                                    const v1::GetLocalityStatsRequest* request,
                                                    v1::GetLocalityStatsResponse* response) {
  absl::Status status = [&]() -> absl::Status {
    std::vector<std::string> ids;
    for (int i = 0; i < request->localities_size(); ++i) {
      CAUNOI_ASSIGN_OR_RETURN(
          std::string id,
          ParseLocalityName(request->localities(i), absl::StrCat("localities[", i, "]")));
      ids.push_back(std::move(id));
    }
    absl::CivilDay as_of = api::TodayInVietnam();
    if (request->has_as_of()) {
      CAUNOI_ASSIGN_OR_RETURN(as_of, api::ToCivilDay(request->as_of(), "as_of"));
    }
    CAUNOI_ASSIGN_OR_RETURN(std::vector<LocalityTotals> totals,
                            store_.GetLocalityStats(ids, as_of, api::RequestDeadline(*context)));
    for (size_t i = 0; i < ids.size(); ++i) {
      const bool found = std::any_of(totals.begin(), totals.end(), [&](const LocalityTotals& t) {
        return t.locality_id == ids[i];
      });
      if (!found) {
        return InvalidFieldError(
            absl::StrCat("localities[", i, "]"),
            absl::StrCat(Quoted(request->localities(i)), " is not a current locality"));
      }
    }
    for (const LocalityTotals& total : totals) {
      v1::LocalityStats* stats = response->add_stats();
      stats->set_locality(LocalityName(total.locality_id));
      int64_t organizations = 0;
      for (const auto& [kind, count] : total.organizations_by_kind) {
        (*stats->mutable_organizations_by_kind())[kind] = count;
        organizations += count;
      }
      stats->set_organizations(organizations);
      stats->set_members(total.members);
      for (const auto& [tier, count] : total.partnerships_by_country_tier) {
        (*stats->mutable_partnerships_by_country_tier())[tier] = count;
      }
    }
    *response->mutable_as_of() = api::ToDate(as_of);
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

}  // namespace caunoi::organizations
