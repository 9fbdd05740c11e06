# CMake package of vimage: find_package(vimage CONFIG) gives the imported targets
#   vimage::vimage         the shared library (libvimage.so, SONAME libvimage.so.0)
#   vimage::vimage_static  the static library (libvimage.a and the system libraries it needs)
# both with the include directory that holds <Accelerate/Accelerate.h>, <vImage/vImage.h>,
# <CoreGraphics/CoreGraphics.h>, <CoreFoundation/CoreFoundation.h> and vimage.h.
#
# Relocatable: every path is computed from this file's own location. `make install` fills in the
# @VIMAGE_...@ values (paths relative to this folder); installed as is (cargo cinstall copies it
# to <prefix>/share/cmake/vimage/), it finds the files under the prefix itself.

set(_vimage_libdir_rel "@VIMAGE_LIBDIR_REL@")
set(_vimage_includedir_rel "@VIMAGE_INCLUDEDIR_REL@")
set(_vimage_static_libs "@VIMAGE_STATIC_LIBS@")

if(_vimage_libdir_rel MATCHES "^@")
  # Not filled in: <prefix>/share/cmake/vimage/ (cargo-c) or <prefix>/lib*/cmake/vimage/.
  get_filename_component(_vimage_prefix "${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)
  set(_vimage_libdir "")
  foreach(_vimage_dir "lib/${CMAKE_LIBRARY_ARCHITECTURE}" lib64 lib)
    if(EXISTS "${_vimage_prefix}/${_vimage_dir}/libvimage.so.0")
      set(_vimage_libdir "${_vimage_prefix}/${_vimage_dir}")
      break()
    endif()
  endforeach()
  set(_vimage_includedir "${_vimage_prefix}/include/vimage")
  set(_vimage_static_libs "")
  if(EXISTS "${_vimage_libdir}/pkgconfig/vimage.pc")
    file(STRINGS "${_vimage_libdir}/pkgconfig/vimage.pc" _vimage_private REGEX "^Libs.private:")
    string(REGEX MATCHALL "-l[^ ]+" _vimage_flags "${_vimage_private}")
    foreach(_vimage_flag IN LISTS _vimage_flags)
      string(SUBSTRING "${_vimage_flag}" 2 -1 _vimage_name)
      list(APPEND _vimage_static_libs "${_vimage_name}")
    endforeach()
  endif()
else()
  get_filename_component(_vimage_libdir "${CMAKE_CURRENT_LIST_DIR}/${_vimage_libdir_rel}" ABSOLUTE)
  get_filename_component(_vimage_includedir "${CMAKE_CURRENT_LIST_DIR}/${_vimage_includedir_rel}" ABSOLUTE)
endif()

if(NOT EXISTS "${_vimage_libdir}/libvimage.so.0" OR NOT EXISTS "${_vimage_includedir}/vimage.h")
  set(vimage_FOUND FALSE)
  set(vimage_NOT_FOUND_MESSAGE
      "vimage: libvimage.so.0 or include/vimage/vimage.h is missing next to ${CMAKE_CURRENT_LIST_FILE}")
  return()
endif()

if(NOT TARGET vimage::vimage)
  add_library(vimage::vimage SHARED IMPORTED)
  set_target_properties(vimage::vimage PROPERTIES
    IMPORTED_LOCATION "${_vimage_libdir}/libvimage.so.0"
    IMPORTED_SONAME "libvimage.so.0"
    INTERFACE_INCLUDE_DIRECTORIES "${_vimage_includedir}")
endif()

if(NOT TARGET vimage::vimage_static AND EXISTS "${_vimage_libdir}/libvimage.a")
  add_library(vimage::vimage_static STATIC IMPORTED)
  set_target_properties(vimage::vimage_static PROPERTIES
    IMPORTED_LOCATION "${_vimage_libdir}/libvimage.a"
    IMPORTED_LINK_INTERFACE_LANGUAGES "C"
    INTERFACE_INCLUDE_DIRECTORIES "${_vimage_includedir}"
    INTERFACE_LINK_LIBRARIES "${_vimage_static_libs}")
endif()

set(vimage_INCLUDE_DIRS "${_vimage_includedir}")
set(vimage_LIBRARIES vimage::vimage)

unset(_vimage_libdir_rel)
unset(_vimage_includedir_rel)
unset(_vimage_static_libs)
unset(_vimage_prefix)
unset(_vimage_libdir)
unset(_vimage_includedir)
