# Proto code generation; generated code lives only in the build tree.
set(GOOGLEAPIS_DIR /usr/share/gocode/src/github.com/gogo/googleapis)
set(GRPC_PROTO_DIR /usr/share/grpc-proto)
foreach(dir ${GOOGLEAPIS_DIR} ${GRPC_PROTO_DIR})
  if(NOT EXISTS ${dir})
    message(FATAL_ERROR "${dir} is missing: run `make deps`")
  endif()
endforeach()


# caunoi_generate(<target> IMPORT_DIR <dir> PROTOS <paths relative to dir>
#                  [GRPC] [DEPENDS <proto targets>])
# Runs protoc (and the gRPC plugin) into the build tree; the generated files
# keep the proto's relative path (e.g. caunoi/v1/common.pb.h) under the
# calling directory's build tree.
function(caunoi_generate target)
  cmake_parse_arguments(ARG "GRPC" "IMPORT_DIR" "PROTOS;DEPENDS" ${ARGN})
  set(GENERATED_DIR ${CMAKE_CURRENT_BINARY_DIR}/generated)
  file(MAKE_DIRECTORY ${GENERATED_DIR})
  set(sources)
  foreach(proto IN LISTS ARG_PROTOS)
    string(REGEX REPLACE "\\.proto$" "" stem ${proto})
    set(outputs ${GENERATED_DIR}/${stem}.pb.h ${GENERATED_DIR}/${stem}.pb.cc)
    set(plugin_args)
    if(ARG_GRPC)
      list(APPEND outputs ${GENERATED_DIR}/${stem}.grpc.pb.h ${GENERATED_DIR}/${stem}.grpc.pb.cc)
      set(plugin_args --grpc_out=${GENERATED_DIR}
          --plugin=protoc-gen-grpc=$<TARGET_FILE:gRPC::grpc_cpp_plugin>)
    endif()
    add_custom_command(
      OUTPUT ${outputs}
      COMMAND protobuf::protoc --cpp_out=${GENERATED_DIR} ${plugin_args}
              -I ${ARG_IMPORT_DIR} -I ${PROJECT_SOURCE_DIR}/protos -I ${GOOGLEAPIS_DIR}
              ${ARG_IMPORT_DIR}/${proto}
      DEPENDS ${ARG_IMPORT_DIR}/${proto} protobuf::protoc
      COMMENT "protoc ${proto}")
    list(APPEND sources ${outputs})
  endforeach()
  add_library(${target} STATIC ${sources})
  target_include_directories(${target} PUBLIC ${GENERATED_DIR})
  target_link_libraries(${target} PUBLIC protobuf::libprotobuf ${ARG_DEPENDS})
  if(ARG_GRPC)
    target_link_libraries(${target} PUBLIC gRPC::grpc++)
  endif()
endfunction()

