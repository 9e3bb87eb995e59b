# caunoi_embed_migrations(<target> NAMESPACE <ns> DIR <dir> SCHEMA <schema>)
# Compiles every <dir>/NNNN_<what>.sql into <target> as
#   std::span<const caunoi::pg::Migration> <ns>::Migrations();
# so a server binary carries its schema and needs no files at run time. A
# migration whose whole text is "-- caunoi:shared <path>" takes the text of
# <path> (from the source root) with @schema@ replaced by <schema>: tables
# every service keeps alike are written once.
function(caunoi_embed_migrations target)
  cmake_parse_arguments(ARG "" "NAMESPACE;DIR;SCHEMA" "" ${ARGN})
  file(GLOB shared_files CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/common/resource/*.sql
       ${PROJECT_SOURCE_DIR}/common/changes/*.sql)
  file(GLOB sql_files CONFIGURE_DEPENDS ${ARG_DIR}/[0-9][0-9][0-9][0-9]_*.sql)
  list(SORT sql_files)
  set(output ${CMAKE_CURRENT_BINARY_DIR}/${target}_migrations.cc)
  # The list of files, rewritten only when it changes: a migration removed
  # leaves every remaining file older than the output, and only this
  # list's change regenerates it.
  set(listed ${CMAKE_CURRENT_BINARY_DIR}/${target}_migrations.list)
  file(CONFIGURE OUTPUT ${listed} CONTENT "${sql_files}")
  add_custom_command(
    OUTPUT ${output}
    COMMAND ${CMAKE_COMMAND} -DOUTPUT=${output} -DNAMESPACE=${ARG_NAMESPACE}
            -DDIR=${ARG_DIR} -DSCHEMA=${ARG_SCHEMA} -DSOURCE_ROOT=${PROJECT_SOURCE_DIR}
            -P ${PROJECT_SOURCE_DIR}/common/pg/EmbedMigrations.cmake
    DEPENDS ${sql_files} ${shared_files} ${listed}
            ${PROJECT_SOURCE_DIR}/common/pg/EmbedMigrations.cmake
    COMMENT "Embedding migrations of ${target}")
  target_sources(${target} PRIVATE ${output})
endfunction()
