# cmake -DCXX=... -DSTD=17 -DSRC=file.cpp -DINCLUDES="dir;dir" -DEXPECT=text -DMAX_LINES=n -P expect_failure.cmake
# Succeeds only if compiling SRC fails, the diagnostic contains EXPECT, reports exactly one error,
# and is at most MAX_LINES lines long.

set(args -std=c++${STD} -fsyntax-only)
foreach(dir ${INCLUDES})
  # the generator expressions may yield $<BUILD_INTERFACE:...>-free plain paths, possibly empty
  if(dir)
    list(APPEND args -I${dir})
  endif()
endforeach()

execute_process(
  COMMAND ${CXX} ${args} ${SRC}
  RESULT_VARIABLE rc
  OUTPUT_VARIABLE out
  ERROR_VARIABLE out)

if(rc EQUAL 0)
  message(FATAL_ERROR "${SRC} compiled, but it must not")
endif()
string(FIND "${out}" "${EXPECT}" at)
if(at EQUAL -1)
  message(FATAL_ERROR "${SRC} failed to compile, but without \"${EXPECT}\":\n${out}")
endif()

# "file:line:col: error: ..." lines; clang's trailing "1 error generated." does not match.
# (Match only the marker: the message itself contains ';', which would split a CMake list.)
string(REGEX MATCHALL ": error: " errors "${out}")
list(LENGTH errors error_count)
if(NOT error_count EQUAL 1)
  message(FATAL_ERROR "${SRC}: expected exactly one error, got ${error_count}:\n${out}")
endif()

string(REGEX MATCHALL "\n" newlines "${out}")
list(LENGTH newlines line_count)
if(line_count GREATER MAX_LINES)
  message(FATAL_ERROR "${SRC}: diagnostic is ${line_count} lines, more than ${MAX_LINES}:\n${out}")
endif()
message(STATUS "${SRC}: refused as expected (1 error, ${line_count} lines)")
