# turtlenet_debian_depends(OUT LIB...): a Depends line for the Debian
# package when dpkg-shlibdeps is not there: libc6 and the package owning
# each shared library (the file a -dev package's .so symlink points to).
# No version constraints: dpkg-shlibdeps is the tool that knows those.
function(turtlenet_debian_depends out)
  set(pkgs libc6)
  foreach(lib ${ARGN})
    if(NOT IS_ABSOLUTE "${lib}" OR NOT lib MATCHES "\\.so")
      continue()
    endif()
    get_filename_component(real "${lib}" REALPATH)
    execute_process(COMMAND dpkg-query -S "${real}"
      OUTPUT_VARIABLE owner RESULT_VARIABLE rc ERROR_QUIET)
    if(rc EQUAL 0 AND owner MATCHES "^([^:, ]+)")
      list(APPEND pkgs ${CMAKE_MATCH_1})
    endif()
  endforeach()
  list(REMOVE_DUPLICATES pkgs)
  list(JOIN pkgs ", " line)
  set(${out} "${line}" PARENT_SCOPE)
endfunction()
