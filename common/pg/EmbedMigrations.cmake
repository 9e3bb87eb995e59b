# Script mode: writes OUTPUT, a C++ file holding DIR/NNNN_*.sql as
# caunoi::pg::Migration values, shared texts expanded for SCHEMA.
file(GLOB FILES ${DIR}/[0-9][0-9][0-9][0-9]_*.sql)
list(SORT FILES)
set(delimiter "caunoi_sql")
set(body "")
foreach(file IN LISTS FILES)
  get_filename_component(name ${file} NAME)
  string(REGEX MATCH "^([0-9]+)_" _ ${name})
  math(EXPR version "${CMAKE_MATCH_1}")
  file(READ ${file} sql)
  # A line "-- caunoi:shared <path>" stands for that file, written once for
  # every schema that includes it.
  while(sql MATCHES "-- caunoi:shared ([^\n]+)")
    set(line "${CMAKE_MATCH_0}")
    set(shared ${SOURCE_ROOT}/${CMAKE_MATCH_1})
    if(NOT EXISTS ${shared} OR NOT SCHEMA)
      message(FATAL_ERROR "${file}: cannot include ${shared} (SCHEMA \"${SCHEMA}\")")
    endif()
    file(READ ${shared} text)
    string(REPLACE "@schema@" "${SCHEMA}" text "${text}")
    string(REPLACE "${line}" "${text}" sql "${sql}")
  endwhile()
  string(FIND "${sql}" ")${delimiter}\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "${file} contains the raw-string delimiter")
  endif()
  string(APPEND body "    {${version}, \"${name}\", R\"${delimiter}(${sql})${delimiter}\"},\n")
endforeach()
file(WRITE ${OUTPUT}.tmp "// Generated from migrations/*.sql by common/pg/EmbedMigrations.cmake.
#include <span>

#include \"common/pg/migrator.h\"

namespace ${NAMESPACE} {

std::span<const caunoi::pg::Migration> Migrations() {
  static constexpr caunoi::pg::Migration kMigrations[] = {
${body}  };
  return kMigrations;
}

}  // namespace ${NAMESPACE}
")
file(RENAME ${OUTPUT}.tmp ${OUTPUT})
