# Run by cmake --install (install(SCRIPT) in dist/CMakeLists.txt): installs
# the systemd units, the services naming turtled's installed path.  The
# prefix is the one given now (--prefix DIR, or /usr under cpack).  The
# services are written straight to the destination: the build tree may
# not be writable by whoever installs.
if(IS_ABSOLUTE "${TURTLENET_BINDIR}")
  set(TURTLED_BIN "${TURTLENET_BINDIR}/turtled")
else()
  set(TURTLED_BIN "${CMAKE_INSTALL_PREFIX}/${TURTLENET_BINDIR}/turtled")
endif()
foreach(kind system user)
  if(kind STREQUAL system)
    set(dir "${TURTLENET_SYSTEMD_SYSTEM_DIR}")
  else()
    set(dir "${TURTLENET_SYSTEMD_USER_DIR}")
  endif()
  if(NOT IS_ABSOLUTE "${dir}")
    set(dir "${CMAKE_INSTALL_PREFIX}/${dir}")
  endif()
  file(INSTALL "${TURTLENET_UNIT_SRC}/${kind}/turtled.socket"
    DESTINATION "${dir}" FILE_PERMISSIONS OWNER_READ OWNER_WRITE
    GROUP_READ WORLD_READ)
  message(STATUS "Installing: $ENV{DESTDIR}${dir}/turtled.service")
  configure_file("${TURTLENET_UNIT_SRC}/${kind}/turtled.service.in"
    "$ENV{DESTDIR}${dir}/turtled.service" @ONLY)
  list(APPEND CMAKE_INSTALL_MANIFEST_FILES "${dir}/turtled.service")
endforeach()
