#include "services/organizations/locality_requests.h"

#include <algorithm>
#include <array>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/api/dates.h"
#include "common/api/filter.h"
#include "common/api/locality_name.h"
#include "common/api/page_token.h"
#include "common/status/errors.h"
#include "common/status/status_macros.h"

namespace caunoi::organizations {
namespace {

constexpr absl::string_view kCollection = "localities/";

constexpr std::array<api::FilterField, 4> kFilterFields = {{
    {"kind", true, false},
    {"code", true, false},
    {"successor", true, false},
    {"display_name", false, true},
}};

// Binds a page token to everything that shapes the result set.
std::string QueryFingerprint(const v1::ListLocalitiesRequest& request) {
  return absl::StrCat("localities|", request.filter(), "|", request.order_by(), "|",
                      request.include_superseded() ? "all" : "current");
}

absl::Status ApplyTerm(const api::FilterTerm& term, LocalityQuery& query) {
  if (term.field == "kind") {
    if (term.value == "CITY" || term.value == "LOCALITY_KIND_CITY") {
      query.kind = "city";
    } else if (term.value == "PROVINCE" || term.value == "LOCALITY_KIND_PROVINCE") {
      query.kind = "province";
    } else {
      return InvalidFieldError(
          "filter", absl::StrCat("kind must be CITY or PROVINCE, not \"", term.value, "\""));
    }
  } else if (term.field == "code") {
    CAUNOI_RETURN_IF_ERROR(ValidateLocalityCode(term.value, "filter"));
    query.code = term.value;
  } else if (term.field == "successor") {
    CAUNOI_ASSIGN_OR_RETURN(std::string id, ParseLocalityName(term.value, "filter"));
    query.successor_id = std::move(id);
  } else if (term.field == "display_name") {
    if (absl::StripAsciiWhitespace(term.value).empty()) {
      return InvalidFieldError("filter", "display_name needs a non-empty value");
    }
    query.name_contains = term.value;
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateLocalityCode(absl::string_view code, absl::string_view field) {
  if (code.empty()) return InvalidFieldError(field, "a locality code is required, e.g. \"80\"");
  if (!IsLocalityCode(code)) {
    return InvalidFieldError(
        field, absl::StrCat("locality code \"", code, "\" must be two digits, e.g. \"80\""));
  }
  return absl::OkStatus();
}

absl::StatusOr<LocalityQuery> ParseListLocalitiesRequest(const v1::ListLocalitiesRequest& request) {
  LocalityQuery query;
  CAUNOI_ASSIGN_OR_RETURN(
      query.page_size,
      api::ResolvePageSize(request.page_size(), kDefaultLocalityPageSize, kMaxLocalityPageSize));
  if (!request.order_by().empty() && absl::StripAsciiWhitespace(request.order_by()) != "code") {
    return InvalidFieldError("order_by", "only \"code\" is supported");
  }
  CAUNOI_ASSIGN_OR_RETURN(std::vector<api::FilterTerm> terms,
                          api::ParseFilter(request.filter(), kFilterFields));
  for (const api::FilterTerm& term : terms) CAUNOI_RETURN_IF_ERROR(ApplyTerm(term, query));
  query.include_superseded = request.include_superseded();

  if (!request.page_token().empty()) {
    CAUNOI_ASSIGN_OR_RETURN(std::vector<std::string> key,
                            api::DecodePageToken(request.page_token(), QueryFingerprint(request)));
    if (key.size() != 2) return InvalidFieldError("page_token", "is not a localities token");
    query.after = std::make_pair(key[0], key[1]);
  }
  return query;
}

std::string NextLocalitiesPageToken(const v1::ListLocalitiesRequest& request,
                                    const v1::Locality& last) {
  // The page ended at a locality this server produced, so its name is valid.
  const std::string id(absl::StripPrefix(last.name(), kCollection));
  return api::EncodePageToken(QueryFingerprint(request), {last.code(), id});
}

absl::StatusOr<absl::CivilDay> ParseResolveDate(const v1::ResolveLocalityCodeRequest& request) {
  if (!request.has_as_of()) {
    return InvalidFieldError("as_of",
                             "is required: locality codes were reused on 2025-07-01, so a code "
                             "means nothing without the date it was written");
  }
  return api::ToCivilDay(request.as_of(), "as_of");
}

}  // namespace caunoi::organizations
