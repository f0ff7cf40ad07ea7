# cmake -DNM=nm -DOBJECTS=a.o[;b.o] -P defines_none.cmake
# Fails when the objects define (T or W) any function the GCX_INSTANTIATE_TEMPLATES unit is meant
# to compile, or do not define the reader its own structs' bool member needs.
execute_process(COMMAND ${NM} -C --defined-only ${OBJECTS} OUTPUT_VARIABLE symbols RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${NM} failed (${rc})")
endif()
string(REPLACE "\n" ";" lines "${symbols}")
set(code_lines)
foreach(line IN LISTS lines)
  if(line MATCHES "^[0-9a-f]+ [TtWw] ")
    list(APPEND code_lines "${line}")
  endif()
endforeach()

set(must_not
    "gcx::v0::session::create\\("
    "gcx::v0::session::session\\(gcx::v0::client_config"
    "gcx::v0::lookup_operation<gcx::v0::json::boost_json>::next\\("
    "gcx::v0::strategy_operation<gcx::v0::json::boost_json>::next\\("
    "gcx::v0::api_call<gcx::v0::json::boost_json>::"
    "read_value<gcx::v0::json::boost_json, gcx::v0::external_contact>"
    "read_value<gcx::v0::json::boost_json, std::optional<gcx::v0::external_contact> >"
    "read_struct<gcx::v0::json::boost_json, gcx::v0::phone_number>"
    "read_value<gcx::v0::json::boost_json, gcx::v0::raw_json>"
    "gcx::v0::request_governor::request_governor\\(")
set(failed FALSE)
foreach(pattern IN LISTS must_not)
  foreach(line IN LISTS code_lines)
    if(line MATCHES "${pattern}")
      message(SEND_ERROR "defined here, expected in the GCX_INSTANTIATE_TEMPLATES unit: ${line}")
      set(failed TRUE)
      break()
    endif()
  endforeach()
endforeach()

set(own_walk FALSE)
foreach(line IN LISTS code_lines)
  # The reader of the test structs' bool member: its address is in their member tables, so it is
  # emitted at any optimisation level.
  if(line MATCHES "read_member<gcx::v0::json::boost_json, bool>")
    set(own_walk TRUE)
  endif()
endforeach()
if(NOT own_walk)
  message(SEND_ERROR "read_member<..., bool> (the test structs' own walk) is not defined here: the check reads nothing real")
  set(failed TRUE)
endif()
list(LENGTH code_lines n)
if(failed)
  message(FATAL_ERROR "${n} functions defined; see above")
endif()
message(STATUS "${n} functions defined, none of the machinery")
