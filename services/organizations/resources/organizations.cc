// Vietnamese organizations and their member-of hierarchy.
#include "services/organizations/locality_requests.h"
#include "services/organizations/resources/organization_columns.h"
#include "services/organizations/resources/resource_helpers.h"
#include "services/organizations/resources/resources.h"

namespace caunoi::organizations {
namespace {

constexpr resource::ConstraintRule kConstraints[] = {
    {"organization_locality_exists", "organization.locality", absl::StatusCode::kInvalidArgument,
     "no such locality"},
    {"organization_parent_exists", "organization.parent", absl::StatusCode::kNotFound,
     "the parent organization does not exist",
     "the organization still has member organizations; move or delete them first"},
    {"organization_country_exists", "organization.country", absl::StatusCode::kInvalidArgument,
     "no such country; create it first (ISO 3166-1 alpha-2 code)"},
    {"organization_merged_into_exists", "organization.merged_into", absl::StatusCode::kNotFound,
     "the organization it merged into does not exist",
     "another organization is recorded as merged into this one"},
    {"organization_commune_exists", "organization.commune", absl::StatusCode::kNotFound,
     "no such commune"},
};

constexpr absl::string_view kUpdatable[] = {
    "display_name", "english_name", "abbreviation", "kind",    "level",
    "locality",     "parent",       "country",      "founded", "status",
    "status_date",  "merged_into",  "commune",
};

constexpr int kMaxAbbreviationChars = 32;

absl::Status Validate(const v1::Organization& organization) {
  CAUNOI_RETURN_IF_ERROR(
      resource::ValidateOptionalEnum(organization.status(), "organization.status"));
  CAUNOI_RETURN_IF_ERROR(api::ValidateText(organization.display_name(), "organization.display_name",
                                           {.required = true}));
  CAUNOI_RETURN_IF_ERROR(
      api::ValidateText(organization.english_name(), "organization.english_name", {}));
  CAUNOI_RETURN_IF_ERROR(api::ValidateText(organization.abbreviation(), "organization.abbreviation",
                                           {.max_chars = kMaxAbbreviationChars}));
  CAUNOI_RETURN_IF_ERROR(resource::ValidateEnum(organization.kind(), "organization.kind"));
  CAUNOI_RETURN_IF_ERROR(resource::ValidateEnum(organization.level(), "organization.level"));
  if (organization.locality().empty()) {
    if (organization.level() != v1::ORGANIZATION_LEVEL_CENTRAL) {
      return InvalidFieldError("organization.locality",
                               "is required below the central level, e.g. \"localities/01\"");
    }
  } else {
    CAUNOI_RETURN_IF_ERROR(
        ParseLocalityName(organization.locality(), "organization.locality").status());
  }
  if (!organization.commune().empty()) {
    if (organization.locality().empty()) {
      return InvalidFieldError("organization.commune", "is set only with organization.locality");
    }
    CAUNOI_RETURN_IF_ERROR(
        ParseCommuneName(organization.commune(), "organization.commune").status());
  }
  CAUNOI_RETURN_IF_ERROR(resource::ValidateReference(organization.parent(), kOrganizationPattern,
                                                     "organization.parent", false));
  if (!organization.name().empty() && organization.parent() == organization.name()) {
    return InvalidFieldError("organization.parent", "an organization cannot be its own member");
  }
  CAUNOI_RETURN_IF_ERROR(resource::ValidateReference(organization.country(), kCountryPattern,
                                                     "organization.country", false));
  CAUNOI_RETURN_IF_ERROR(resource::ValidateOptionalDate(
      organization.has_founded(), organization.founded(), "organization.founded"));
  CAUNOI_RETURN_IF_ERROR(resource::ValidateOptionalDate(
      organization.has_status_date(), organization.status_date(), "organization.status_date"));
  CAUNOI_RETURN_IF_ERROR(resource::ValidateSpan(
      organization.has_founded(), organization.founded(), organization.has_status_date(),
      organization.status_date(), "organization.status_date"));
  const v1::OrganizationStatus status = organization.status();
  if (status == v1::ORGANIZATION_STATUS_DISSOLVED || status == v1::ORGANIZATION_STATUS_MERGED) {
    if (!organization.has_status_date()) {
      return InvalidFieldError("organization.status_date",
                               "is required when the organization is dissolved or merged");
    }
  }
  if (status == v1::ORGANIZATION_STATUS_MERGED) {
    CAUNOI_RETURN_IF_ERROR(resource::ValidateReference(
        organization.merged_into(), kOrganizationPattern, "organization.merged_into", true));
    if (organization.merged_into() == organization.name()) {
      return InvalidFieldError("organization.merged_into", "cannot be the organization itself");
    }
  } else if (!organization.merged_into().empty()) {
    return InvalidFieldError("organization.merged_into", "is only set when status is MERGED");
  }
  return absl::OkStatus();
}

std::vector<pg::Param> Columns(const v1::Organization& organization) {
  const v1::OrganizationStatus status = organization.status() == v1::ORGANIZATION_STATUS_UNSPECIFIED
                                            ? v1::ORGANIZATION_STATUS_ACTIVE
                                            : organization.status();
  resource::Params params;
  params.Text(organization.display_name())
      .Text(organization.english_name())
      .Text(organization.abbreviation())
      .Text(api::EnumToken(organization.kind()))
      .Text(api::EnumToken(organization.level()))
      .Append({resource::LocalityParam(organization.locality()),
               resource::IdParam(organization.parent()), resource::IdParam(organization.country())})
      .Date(organization.founded(), organization.has_founded())
      .Text(api::EnumToken(status))
      .Date(organization.status_date(), organization.has_status_date())
      .Append({resource::IdParam(organization.merged_into()),
               resource::IdParam(organization.commune())});
  return params.Take();
}

constexpr api::FilterField kFilterFields[] = {
    {"locality", true, false, resource::LocalityFilter},
    {"kind", true, false, resource::EnumFilter<v1::OrganizationKind>},
    {"level", true, false, resource::EnumFilter<v1::OrganizationLevel>},
    {"status", true, false, resource::EnumFilter<v1::OrganizationStatus>},
    {"parent", true, false, resource::ReferenceFilter, kOrganizationPattern},
    {"ancestor", true, false, resource::ReferenceFilter, kOrganizationPattern},
    {"country", true, false, resource::ReferenceFilter, kCountryPattern},
    {"country_tier", true, false, resource::EnumFilter<v1::CountryTier>},
    {"display_name", false, true, resource::SearchFilter},
    {"commune", true, false, resource::CommuneFilter},
};

// Hierarchy writes take this lock: creates shared (they only read their
// parent's chain), updates exclusive (they may move a subtree), so no two
// moves can close a loop between them.
constexpr pg::Statement kLockHierarchyShared{
    "organization_lock_hierarchy_shared",
    "SELECT pg_advisory_xact_lock_shared(hashtext('organizations.organizations.parent_id'))"};
constexpr pg::Statement kLockHierarchy{
    "organization_lock_hierarchy",
    "SELECT pg_advisory_xact_lock(hashtext('organizations.organizations.parent_id'))"};

// Whether $2 is $1 or one of $1's ancestors.
constexpr pg::Statement kIsAncestorOrSelf{
    "organization_is_ancestor",
    "SELECT EXISTS (SELECT 1 FROM organizations.organizations"
    " WHERE id = $1 AND (id = $2 OR ancestors @> ARRAY[$2::bigint]))"};

// The commune named, with today's unit of locality $2.
constexpr pg::Statement kCommuneOfLocality{
    "organization_commune_of_locality",
    "SELECT c.code, c.display_name, c.province_id, c.valid_from::text, c.valid_until::text,"
    "       (SELECT coalesce(l.successor_id, l.id) FROM organizations.localities l"
    "         WHERE l.id = $2)"
    " FROM organizations.communes c WHERE c.code = $1"};

// Inside a write: the commune lies in the organization's locality today
// and is in force.
absl::Status CheckCommune(pg::Connection& connection, const v1::Organization& organization) {
  if (organization.commune().empty()) return absl::OkStatus();
  CAUNOI_ASSIGN_OR_RETURN(
      pg::Result result,
      connection.Execute(kCommuneOfLocality,
                         {std::string(api::ResourceId(organization.commune())),
                          *ParseLocalityName(organization.locality(), "organization.locality")}));
  // An unknown code is left to the foreign key, which names the field.
  if (result.rows() == 0) return absl::OkStatus();
  resource::RowReader row(result, 0);
  v1::Commune commune;
  const std::string code = row.Text();
  commune.set_display_name(row.Text());
  const std::string province = row.Text();
  commune.set_name(CommuneName(province, code));
  commune.set_province(LocalityName(province));
  if (auto date = row.OptionalDate()) *commune.mutable_valid_from() = *date;
  if (auto date = row.OptionalDate()) *commune.mutable_valid_until() = *date;
  const std::optional<std::string> current = row.OptionalText();
  return CheckCommuneFits(commune, current ? LocalityName(*current) : "", api::TodayInVietnam(),
                          "organization.commune");
}

// Inside a write: the new parent must not be the organization or below
// it. Hierarchy changes are serialized so two concurrent moves cannot close
// a loop between them.
absl::Status CheckHierarchy(pg::Connection& connection, const v1::Organization& organization) {
  const bool creating = organization.name().empty();
  CAUNOI_RETURN_IF_ERROR(
      connection.Execute(creating ? kLockHierarchyShared : kLockHierarchy).status());
  CAUNOI_RETURN_IF_ERROR(CheckCommune(connection, organization));
  if (creating || organization.parent().empty()) return absl::OkStatus();
  CAUNOI_ASSIGN_OR_RETURN(
      pg::Result result,
      connection.Execute(kIsAncestorOrSelf, {std::string(api::ResourceId(organization.parent())),
                                             std::string(api::ResourceId(organization.name()))}));
  if (result.Bool(0, 0)) {
    return InvalidFieldError(
        "organization.parent",
        absl::StrCat(organization.parent(), " is a member of ", organization.name(),
                     " (directly or below), so this would make a cycle"));
  }
  return absl::OkStatus();
}

}  // namespace

v1::Organization OrganizationFromRow(resource::RowReader& row) {
  v1::Organization organization;
  organization.set_name(api::FormatResourceName(kOrganizationPattern, {row.Text()}));
  organization.set_display_name(row.Text());
  organization.set_english_name(row.Text());
  organization.set_abbreviation(row.Text());
  organization.set_kind(resource::EnumFromRow<v1::OrganizationKind>(row));
  organization.set_level(resource::EnumFromRow<v1::OrganizationLevel>(row));
  if (auto id = row.OptionalText()) organization.set_locality(LocalityName(*id));
  if (auto id = row.OptionalText()) organization.set_current_locality(LocalityName(*id));
  if (auto id = row.OptionalText()) {
    organization.set_parent(api::FormatResourceName(kOrganizationPattern, {*id}));
  }
  if (auto id = row.OptionalText()) {
    organization.set_country(api::FormatResourceName(kCountryPattern, {*id}));
  }
  if (auto date = row.OptionalDate()) *organization.mutable_founded() = *date;
  organization.set_status(resource::EnumFromRow<v1::OrganizationStatus>(row));
  if (auto date = row.OptionalDate()) *organization.mutable_status_date() = *date;
  if (auto id = row.OptionalText()) {
    organization.set_merged_into(api::FormatResourceName(kOrganizationPattern, {*id}));
  }
  if (auto code = row.OptionalText()) {
    organization.set_commune(CommuneName(api::ResourceId(organization.current_locality()), *code));
  }
  if (!row.NextIsNull()) {
    *organization.mutable_member_count() = kMemberCountSpec.table.from_row(row);
  } else {
    row.Skip(kMemberCountColumns);
  }
  resource::ReadStandardColumns(row, organization);
  ReadDeleteTime(row, organization);
  return organization;
}

const resource::ResourceSpec<v1::Organization> kOrganizationSpec = {
    .table =
        {
            .pattern = kOrganizationPattern,
            // Deleted ones too: what other records name keeps resolving.
            .select = {"organization_get",
                       "SELECT " CAUNOI_ORGANIZATION_COLUMNS
                       " FROM " CAUNOI_ORGANIZATION_FROM_TABLE("organizations.organization_rows",
                                                               "") " WHERE o.id = $1"},
            .insert = {"organization_insert",
                       "INSERT INTO organizations.organizations (display_name, english_name,"
                       " abbreviation, kind, level, locality_id, parent_id, country_code, founded,"
                       " status, status_date, merged_into_id, commune_code)"
                       " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
                       " RETURNING id"},
            .update = {"organization_update",
                       "UPDATE organizations.organizations SET display_name = $3,"
                       " english_name = $4, abbreviation = $5, kind = $6, level = $7,"
                       " locality_id = $8, parent_id = $9, country_code = $10, founded = $11,"
                       " status = $12, status_date = $13, merged_into_id = $14,"
                       " commune_code = $15,"
                       " revision = revision + 1, update_time = now()"
                       " WHERE id = $1 AND revision = $2 RETURNING id"},
            .remove = {"organization_delete",
                       "UPDATE organizations.organizations SET delete_time = now(),"
                       " revision = revision + 1, update_time = now()"
                       " WHERE id = $1 AND revision = $2 RETURNING id"},
            .from_row = OrganizationFromRow,
            .constraints = kConstraints,
        },
    .field = "organization",
    .updatable = kUpdatable,
    .validate = Validate,
    .columns = Columns,
    .check = CheckHierarchy,
};

const resource::ListSpec kOrganizationList = {
    .statement =
        {"organization_list",
         "SELECT " CAUNOI_ORGANIZATION_COLUMNS " FROM " CAUNOI_ORGANIZATION_FROM(
             "") " WHERE ($1::bigint IS NULL OR o.id > $1)"
                 // A locality stands for its current unit's whole area.
                 "   AND ($3::text IS NULL OR o.current_locality_id = ("
                 "     SELECT coalesce(y.successor_id, y.id)"
                 "       FROM organizations.localities y WHERE y.id = $3))"
                 "   AND ($4::text IS NULL OR o.kind = $4)"
                 "   AND ($5::text IS NULL OR o.level = $5)"
                 "   AND ($6::text IS NULL OR o.status = $6)"
                 "   AND ($7::bigint IS NULL OR o.parent_id = $7)"
                 "   AND ($8::bigint IS NULL OR o.ancestors @> ARRAY[$8::bigint])"
                 "   AND ($9::text IS NULL OR o.country_code = $9)"
                 "   AND ($10::text IS NULL OR EXISTS (SELECT 1 FROM organizations.countries c"
                 "     WHERE c.code = o.country_code"
                 "       AND organizations.has_tier(c.tiers, $10, " CAUNOI_TODAY ")))"
                 "   AND ($11::text IS NULL OR o.search_vector @@"
                 "        plainto_tsquery('simple', organizations.fold_text($11)))"
                 "   AND ($12::text IS NULL OR o.commune_code = $12)"
                 " ORDER BY o.id LIMIT $2"},
    .filter_fields = kFilterFields,
};

}  // namespace caunoi::organizations
