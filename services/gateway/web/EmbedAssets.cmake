# Script mode: writes OUTPUT, a C++ file holding every file under DIR (the
# dashboard's HTML, CSS, scripts and icon) as caunoi::gateway::web::Asset
# values, so the gateway serves the page with no files at run time.
file(GLOB_RECURSE FILES RELATIVE ${DIR} ${DIR}/*)
list(SORT FILES)
set(delimiter "caunoi_asset")
set(body "")
foreach(name IN LISTS FILES)
  file(READ ${DIR}/${name} text)
  string(FIND "${text}" ")${delimiter}\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "${name} contains the raw-string delimiter")
  endif()
  string(APPEND body "      {\"/${name}\", R\"${delimiter}(${text})${delimiter}\"},\n")
endforeach()
file(WRITE ${OUTPUT}.tmp "// Generated from services/gateway/web/assets by EmbedAssets.cmake.
#include \"services/gateway/web/assets.h\"

namespace caunoi::gateway::web {

std::span<const Asset> Assets() {
  static const Asset kAssets[] = {
${body}  };
  return kAssets;
}

}  // namespace caunoi::gateway::web
")
file(COPY_FILE ${OUTPUT}.tmp ${OUTPUT} ONLY_IF_DIFFERENT)
