#ifndef CAUNOI_COMMON_RESOURCE_RESOURCE_TABLE_H_
#define CAUNOI_COMMON_RESOURCE_RESOURCE_TABLE_H_

#include <span>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/pg/connection.h"
#include "common/resource/row.h"

namespace caunoi::resource {

// A constraint a write can violate, and what the caller is told: the
// request field it concerns and the code (INVALID_ARGUMENT names the field;
// NOT_FOUND says which reference is missing). `when_deleting` explains a
// foreign key that blocks a delete.
struct ConstraintRule {
  absl::string_view constraint;
  absl::string_view field;
  absl::StatusCode code;
  absl::string_view message;
  absl::string_view when_deleting = "";
};

// How resource M lives in one table. Every table has columns id, revision
// (the etag), create_time and update_time.
template <typename M>
struct ResourceTable {
  // Resource name pattern, e.g. "organizations/{}/terms/{}".
  absl::string_view pattern;
  // The row of one resource: $1 id.
  pg::Statement select;
  // $1.. the parent ids of a nested resource, then the columns; RETURNING id.
  pg::Statement insert;
  // $1 id, $2 the revision read, then the columns; bumps revision and
  // update_time; RETURNING id, so no row means a concurrent write won.
  pg::Statement update;
  // $1 id, $2 the revision read; RETURNING id.
  pg::Statement remove;
  M (*from_row)(RowReader& row);
  std::span<const ConstraintRule> constraints;
  // Optional: writes rows that belong to the resource but live in other
  // tables (a document's links), after its own row is inserted or updated
  // and before it is read back, in the same transaction; `created` tells a
  // create from an update.
  absl::Status (*write_children)(pg::Connection& connection, absl::string_view id,
                                 const M& resource, bool created) = nullptr;
};

}  // namespace caunoi::resource

#endif  // CAUNOI_COMMON_RESOURCE_RESOURCE_TABLE_H_
