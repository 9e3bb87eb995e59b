#ifndef CAUNOI_SERVICES_ORGANIZATIONS_RESOURCES_ORGANIZATION_COLUMNS_H_
#define CAUNOI_SERVICES_ORGANIZATIONS_RESOURCES_ORGANIZATION_COLUMNS_H_

#include "services/organizations/resources/resource_helpers.h"

// The SELECT list of a member count (table alias `t`) in the order its
// spec's rows are read, and how many columns it spans.
#define CAUNOI_MEMBER_COUNT_COLUMNS(t)                                               \
  t ".organization_id, " t ".id, " t ".count, " t ".as_of::text, " t ".at_least, " t \
    ".source, " CAUNOI_STANDARD_COLUMNS(t)

namespace caunoi::organizations {
inline constexpr int kMemberCountColumns = 9;
}

// The SELECT list of an organization, read by OrganizationFromRow: its own
// columns, today's unit for its locality, and one member count.
#define CAUNOI_ORGANIZATION_COLUMNS                                                       \
  "o.id, o.display_name, o.english_name, o.abbreviation, o.kind, o.level, o.locality_id," \
  " coalesce(l.successor_id, l.id), o.parent_id, o.country_code, o.founded::text,"        \
  " o.status, o.status_date::text, o.merged_into_id, "                                    \
  "o.commune_code, " CAUNOI_MEMBER_COUNT_COLUMNS("mc") ", " CAUNOI_STANDARD_COLUMNS(      \
      "o") ", " CAUNOI_DELETE_TIME_COLUMN("o")

// The FROM clause for CAUNOI_ORGANIZATION_COLUMNS over the live
// organizations: the member count is the latest observation, restricted
// further by `condition` on `m`.
#define CAUNOI_ORGANIZATION_FROM(condition) \
  CAUNOI_ORGANIZATION_FROM_TABLE("organizations.organizations", condition)

// The same over `table`: organization_rows reads deleted ones too.
#define CAUNOI_ORGANIZATION_FROM_TABLE(table, condition)                \
  table                                                                 \
      " o"                                                              \
      " LEFT JOIN organizations.localities l ON l.id = o.locality_id"   \
      " LEFT JOIN LATERAL (SELECT * FROM organizations.member_counts m" \
      "   WHERE m.organization_id = o.id " condition                    \
      "   ORDER BY m.as_of DESC, m.id DESC LIMIT 1) mc ON true"

#endif  // CAUNOI_SERVICES_ORGANIZATIONS_RESOURCES_ORGANIZATION_COLUMNS_H_
