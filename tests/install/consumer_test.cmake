# install_consumer_test: the outside project of docs/library.md, built
# against an installed echotrace. Run by ctest (tests/CMakeLists.txt) as
#   cmake -DBUILD_DIR=... -DSOURCE_DIR=... -DWORK_DIR=... -DECHOTRACE=...
#         -DLIBDIR=... -DGENERATOR=... -DCXX=... [-DLINK_FLAGS=...]
#         -P consumer_test.cmake
# Steps: take the first ```cmake and ```cpp blocks of docs/library.md (so
# the page cannot go stale), `cmake --install BUILD_DIR` into WORK_DIR/prefix,
# configure and build the consumer with CMAKE_PREFIX_PATH=that prefix,
# ingest three documents with the CLI and expect "3 documents" from the
# consumer, and exit code 1 with a message for a store that does not exist.

function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (exit ${rc}):\n${out}\n${err}")
  endif()
endfunction()

file(READ ${SOURCE_DIR}/docs/library.md doc)
foreach(lang cmake cpp)
  # The block's text between its fence lines (code blocks hold no backticks).
  string(REGEX MATCH "\n```${lang}\n([^`]*)```" block "${doc}")
  if(NOT block)
    message(FATAL_ERROR "docs/library.md has no ```${lang} block")
  endif()
  set(code_${lang} "${CMAKE_MATCH_1}")
endforeach()
string(FIND "${code_cmake}" "find_package(echotrace" at)
if(at LESS 0)
  message(FATAL_ERROR "the ```cmake block of docs/library.md does not find_package(echotrace)")
endif()

file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR}/consumer)
file(WRITE ${WORK_DIR}/consumer/CMakeLists.txt "${code_cmake}")
file(WRITE ${WORK_DIR}/consumer/main.cc "${code_cpp}")

run("cmake --install" ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${WORK_DIR}/prefix)
foreach(f include/echotrace/store.h ${LIBDIR}/cmake/echotrace/echotraceConfig.cmake
          ${LIBDIR}/cmake/echotrace/echotraceConfigVersion.cmake ${LIBDIR}/pkgconfig/echotrace.pc)
  if(NOT EXISTS ${WORK_DIR}/prefix/${f})
    message(FATAL_ERROR "cmake --install did not write ${f}")
  endif()
endforeach()

set(configure ${CMAKE_COMMAND} -S ${WORK_DIR}/consumer -B ${WORK_DIR}/consumer-build
    -G ${GENERATOR} -DCMAKE_CXX_COMPILER=${CXX} -DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix)
if(LINK_FLAGS)
  list(APPEND configure "-DCMAKE_EXE_LINKER_FLAGS=${LINK_FLAGS}")
endif()
run("configuring the consumer" ${configure})
run("building the consumer" ${CMAKE_COMMAND} --build ${WORK_DIR}/consumer-build)

file(WRITE ${WORK_DIR}/posts.jsonl
  "{\"id\":\"a\",\"text\":\"The grain embargo was staged\",\"author\":\"ann\"}\n"
  "{\"id\":\"b\",\"text\":\"Nobody staged the grain embargo\",\"author\":\"bob\"}\n"
  "{\"id\":\"c\",\"text\":\"Prices rose after the embargo\",\"author\":\"cy\"}\n")
run("echotrace ingest" ${ECHOTRACE} ingest --quiet --db ${WORK_DIR}/s.db ${WORK_DIR}/posts.jsonl)

execute_process(COMMAND ${WORK_DIR}/consumer-build/count_documents ${WORK_DIR}/s.db
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0 OR NOT out STREQUAL "3 documents\n")
  message(FATAL_ERROR "count_documents s.db: exit ${rc}, printed '${out}' (want '3 documents'):\n${err}")
endif()
execute_process(COMMAND ${WORK_DIR}/consumer-build/count_documents ${WORK_DIR}/missing.db
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 1 OR NOT err MATCHES "missing.db")
  message(FATAL_ERROR "count_documents missing.db: exit ${rc} (want 1), stderr '${err}'")
endif()
file(REMOVE_RECURSE ${WORK_DIR})
message(STATUS "install_consumer_test: the docs/library.md consumer printed '3 documents'")
