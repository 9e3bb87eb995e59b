#ifndef CAUNOI_COMMON_CHANGES_JSON_STRUCT_H_
#define CAUNOI_COMMON_CHANGES_JSON_STRUCT_H_

#include "absl/strings/string_view.h"
#include "google/protobuf/struct.pb.h"

// A change's state arrives from PostgreSQL as JSON text, a page of changes
// at a time. protobuf's own JSON parser goes through type resolution and
// an object writer for every value, about ten times the cost of reading
// the text once; this reads it straight into a Struct.
namespace caunoi::changes {

// Parses one JSON object (RFC 8259) into `out`, as protobuf's JSON parser
// would; false, with `out` unspecified, for anything else or nesting
// deeper than 100.
bool ParseJsonObject(absl::string_view json, google::protobuf::Struct& out);

}  // namespace caunoi::changes

#endif  // CAUNOI_COMMON_CHANGES_JSON_STRUCT_H_
