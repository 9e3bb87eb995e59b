#ifndef CAUNOI_SERVICES_DIRECTIVES_RESOURCES_DOCUMENT_COLUMNS_H_
#define CAUNOI_SERVICES_DIRECTIVES_RESOURCES_DOCUMENT_COLUMNS_H_

#include "common/resource/resource_helpers.h"

// The SELECT list of a document (alias d), read by DocumentFromRow.
#define CAUNOI_DOCUMENT_COLUMNS                                                        \
  "d.id, d.type, d.symbol, d.number, d.type_code, d.issuer_code, d.normalized_symbol," \
  " d.level, d.issuing_body, d.issuing_organization_id, d.locality_id,"                \
  " d.current_locality_id, d.issue_date::text, d.title, d.summary, d.status,"          \
  " d.status_date::text, d.superseded_by_id,"                                          \
  " (SELECT string_agg(l.parent_id::text, ',' ORDER BY l.parent_id)"                   \
  "   FROM directives.document_links l WHERE l.child_id = d.id), "                     \
  "d.commune_code, " CAUNOI_STANDARD_COLUMNS("d") ", " CAUNOI_DELETE_TIME_COLUMN("d")

#endif  // CAUNOI_SERVICES_DIRECTIVES_RESOURCES_DOCUMENT_COLUMNS_H_
