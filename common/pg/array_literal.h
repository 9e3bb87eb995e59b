#ifndef CAUNOI_COMMON_PG_ARRAY_LITERAL_H_
#define CAUNOI_COMMON_PG_ARRAY_LITERAL_H_

#include <span>
#include <string>

#include "common/pg/connection.h"

namespace caunoi::pg {

// The values as one PostgreSQL array literal ("{"a","b\"c",NULL}"), to be
// passed as a single parameter and cast in SQL ($1::text[], $2::bigint[]):
// how one statement takes a column of many rows. Every element is quoted
// and escaped; a nullopt element is NULL.
std::string ArrayLiteral(std::span<const Param> values);
std::string ArrayLiteral(std::span<const std::string> values);

}  // namespace caunoi::pg

#endif  // CAUNOI_COMMON_PG_ARRAY_LITERAL_H_
