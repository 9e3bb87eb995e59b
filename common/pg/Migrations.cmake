# caunoi_embed_migrations(<target> NAMESPACE <ns> DIR <dir>)
# Compiles every <dir>/NNNN_<what>.sql into <target> as
#   std::span<const caunoi::pg::Migration> <ns>::Migrations();
# so a server binary carries its schema and needs no files at run time.
function(caunoi_embed_migrations target)
  cmake_parse_arguments(ARG "" "NAMESPACE;DIR" "" ${ARGN})
  file(GLOB sql_files CONFIGURE_DEPENDS ${ARG_DIR}/[0-9][0-9][0-9][0-9]_*.sql)
  list(SORT sql_files)
  set(output ${CMAKE_CURRENT_BINARY_DIR}/${target}_migrations.cc)
  add_custom_command(
    OUTPUT ${output}
    COMMAND ${CMAKE_COMMAND} -DOUTPUT=${output} -DNAMESPACE=${ARG_NAMESPACE}
            -DDIR=${ARG_DIR} -P ${PROJECT_SOURCE_DIR}/common/pg/EmbedMigrations.cmake
    DEPENDS ${sql_files} ${PROJECT_SOURCE_DIR}/common/pg/EmbedMigrations.cmake
    COMMENT "Embedding migrations of ${target}")
  target_sources(${target} PRIVATE ${output})
endfunction()
