# Version file of the vimage CMake package. Compatible when the major version is the one asked
# for and the version is at least the one asked for: the ABI is libvimage.so.0, whose SONAME
# stays .so.0 across 0.x releases. `make install` fills in @VIMAGE_VERSION@; installed as is
# (cargo cinstall), the version is read from the vimage.pc beside the library.

set(PACKAGE_VERSION "@VIMAGE_VERSION@")
if(PACKAGE_VERSION MATCHES "^@")
  get_filename_component(_vimage_prefix "${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)
  set(PACKAGE_VERSION "")
  foreach(_vimage_dir "lib/${CMAKE_LIBRARY_ARCHITECTURE}" lib64 lib)
    if(EXISTS "${_vimage_prefix}/${_vimage_dir}/pkgconfig/vimage.pc")
      file(STRINGS "${_vimage_prefix}/${_vimage_dir}/pkgconfig/vimage.pc" _vimage_line REGEX "^Version:")
      string(REGEX REPLACE "^Version: *" "" PACKAGE_VERSION "${_vimage_line}")
      break()
    endif()
  endforeach()
  unset(_vimage_prefix)
  unset(_vimage_line)
endif()

if("${PACKAGE_VERSION}" STREQUAL "")
  set(PACKAGE_VERSION_UNSUITABLE TRUE)
elseif(NOT "${PACKAGE_FIND_VERSION}" STREQUAL "" AND PACKAGE_VERSION VERSION_LESS PACKAGE_FIND_VERSION)
  set(PACKAGE_VERSION_COMPATIBLE FALSE)
else()
  string(REGEX MATCH "^[0-9]+" _vimage_major "${PACKAGE_VERSION}")
  if("${PACKAGE_FIND_VERSION}" STREQUAL "" OR "${PACKAGE_FIND_VERSION_MAJOR}" STREQUAL "${_vimage_major}")
    set(PACKAGE_VERSION_COMPATIBLE TRUE)
  else()
    set(PACKAGE_VERSION_COMPATIBLE FALSE)
  endif()
  if("${PACKAGE_FIND_VERSION}" STREQUAL "${PACKAGE_VERSION}")
    set(PACKAGE_VERSION_EXACT TRUE)
  endif()
  unset(_vimage_major)
endif()

# The library is built for 64-bit Linux only.
if(NOT "${CMAKE_SIZEOF_VOID_P}" STREQUAL "" AND NOT "${CMAKE_SIZEOF_VOID_P}" STREQUAL "8")
  set(PACKAGE_VERSION "${PACKAGE_VERSION} (64bit)")
  set(PACKAGE_VERSION_UNSUITABLE TRUE)
endif()
