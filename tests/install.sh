#!/usr/bin/env bash
# The installed result, tested as a user would use it (issue 10):
#   1. `make install PREFIX=<tmp>`: the file set, the SONAME links, no RPATH, nothing that points
#      into the build tree; a DESTDIR staging install writes the same tree with no staging path
#      inside; `make uninstall` removes everything.
#   2. examples/passthrough.c built with only `pkg-config --cflags --libs vimage` (shared) and
#      `pkg-config --static` (static), run.
#   3. CMake `find_package(vimage CONFIG)` (cmake/example: C shared, C static, C++17), run; again
#      after moving the prefix elsewhere (relocatable) and with the unfilled cmake files in
#      share/cmake/vimage (how `cargo cinstall` installs them).
# Needs cc, c++, make, pkg-config, cmake, readelf. Prints `install: N passed, M failed`.
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/vimage-install.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
PREFIX="$WORK/prefix"
VERSION="$(sed -n 's/^version *= *"\([^"]*\)".*/\1/p' Cargo.toml | head -n 1)"
passed=0
failed=0

ok() { passed=$((passed + 1)); echo "ok   - $*"; }
fail() { failed=$((failed + 1)); echo "FAIL - $*"; }
check() { # check "description" command...
    local what="$1"
    shift
    if "$@" >"$WORK/last.log" 2>&1; then ok "$what"; else fail "$what"; sed 's/^/       /' "$WORK/last.log" | tail -n 30; fi
}
for tool in cc c++ make pkg-config cmake readelf; do
    command -v "$tool" >/dev/null 2>&1 || { echo "install.sh: $tool is required"; exit 1; }
done

# ---- 1. make install --------------------------------------------------------------------------
echo "== make install PREFIX=$PREFIX"
if ! make --no-print-directory install PREFIX="$PREFIX" >"$WORK/install.log" 2>&1; then
    cat "$WORK/install.log"
    echo "install: 0 passed, 1 failed"
    exit 1
fi
ok "make install PREFIX=..."
# The install probes rustc for the static libraries; it once wrote its probe with `-o /dev/null`,
# which rustc does by renaming a file over the path: as root, /dev/null became a regular file.
check "/dev/null is still the null device after make install" test -c /dev/null

LIB="$PREFIX/lib"
files_present() {
    local f
    for f in "lib/libvimage.so.$VERSION" lib/libvimage.a lib/pkgconfig/vimage.pc \
        lib/cmake/vimage/vimageConfig.cmake lib/cmake/vimage/vimageConfigVersion.cmake; do
        [ -f "$PREFIX/$f" ] || { echo "missing $f"; return 1; }
    done
    [ "$(readlink "$LIB/libvimage.so.0")" = "libvimage.so.$VERSION" ] || { echo "libvimage.so.0 -> $(readlink "$LIB/libvimage.so.0")"; return 1; }
    [ "$(readlink "$LIB/libvimage.so")" = "libvimage.so.0" ] || { echo "libvimage.so -> $(readlink "$LIB/libvimage.so")"; return 1; }
}
check "lib/libvimage.so.$VERSION, .so.0 and .so links, libvimage.a, vimage.pc, CMake files" files_present

headers_complete() { # every header of include/, the Apple-named folders included, and nothing else
    diff <(cd include && find . -name '*.h' | LC_ALL=C sort) \
        <(cd "$PREFIX/include/vimage" && find . -type f | LC_ALL=C sort)
}
check "every include/**/*.h installed under include/vimage/" headers_complete

soname_is_0() {
    local soname
    soname="$(readelf -d "$LIB/libvimage.so.$VERSION" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')"
    echo "SONAME: $soname"
    [ "$soname" = "libvimage.so.0" ]
}
check "SONAME libvimage.so.0" soname_is_0

no_build_tree_paths() {
    if readelf -d "$LIB/libvimage.so.$VERSION" | grep -E '\((RPATH|RUNPATH)\)'; then return 1; fi
    # Text files (pc, cmake, headers) must not name the build tree or the work folder.
    if grep -rIl -e "$ROOT" -e "$ROOT/target" "$PREFIX"; then return 1; fi
    # Symbolic links stay inside the prefix.
    local l
    for l in $(find "$PREFIX" -type l); do
        case "$(readlink -f "$l")" in "$PREFIX"/*) ;; *) echo "$l leaves the prefix"; return 1 ;; esac
    done
}
check "no RPATH/RUNPATH, no build-tree path in the installed text files, links stay in the prefix" no_build_tree_paths

staged_install() {
    local stage="$WORK/stage"
    make --no-print-directory install DESTDIR="$stage" PREFIX=/opt/vimage-test >/dev/null || return 1
    [ -f "$stage/opt/vimage-test/lib/libvimage.so.$VERSION" ] || { echo "nothing under DESTDIR/PREFIX"; return 1; }
    grep -q '^prefix=/opt/vimage-test$' "$stage/opt/vimage-test/lib/pkgconfig/vimage.pc" || return 1
    if grep -rIl -e "$stage" -e "$ROOT" "$stage"; then echo "staging or build path inside"; return 1; fi
    make --no-print-directory uninstall DESTDIR="$stage" PREFIX=/opt/vimage-test >/dev/null || return 1
    if [ -n "$(find "$stage" -type f -o -type l)" ]; then find "$stage" -type f -o -type l; return 1; fi
}
check "make install DESTDIR=... (staged) then make uninstall leaves no file" staged_install

# ---- 2. pkg-config ------------------------------------------------------------------------------
export PKG_CONFIG_PATH="$LIB/pkgconfig"
unset PKG_CONFIG_LIBDIR || true

pc_shared() {
    local flags
    flags="$(pkg-config --cflags --libs vimage)" || return 1
    echo "flags: $flags"
    # shellcheck disable=SC2086
    cc -std=c11 -Wall -Wextra -Werror examples/passthrough.c $flags -o "$WORK/pc_shared" || return 1
    readelf -d "$WORK/pc_shared" | grep -q 'NEEDED.*\[libvimage.so.0\]' || { echo "no DT_NEEDED libvimage.so.0"; return 1; }
    LD_LIBRARY_PATH="$LIB" ldd "$WORK/pc_shared" | grep libvimage
    [ "$(LD_LIBRARY_PATH="$LIB" ldd "$WORK/pc_shared" | sed -n 's/.*libvimage.so.0 => \([^ ]*\).*/\1/p')" = "$LIB/libvimage.so.0" ] || return 1
    LD_LIBRARY_PATH="$LIB" VIMAGE_DEMO_OUT="$WORK/pc_shared.ppm" "$WORK/pc_shared"
}
check "pkg-config --cflags --libs vimage: passthrough.c builds and runs against the installed libvimage.so.0" pc_shared

pc_static() {
    local flags
    # -l:libvimage.a picks the archive where -lvimage would prefer the shared library.
    flags="$(pkg-config --cflags --libs --static vimage | sed 's/-lvimage\b/-l:libvimage.a/')" || return 1
    echo "flags: $flags"
    # shellcheck disable=SC2086
    cc -std=c11 -Wall -Wextra -Werror examples/passthrough.c $flags -o "$WORK/pc_static" || return 1
    if readelf -d "$WORK/pc_static" | grep 'NEEDED.*libvimage'; then echo "still needs libvimage"; return 1; fi
    VIMAGE_DEMO_OUT="$WORK/pc_static.ppm" "$WORK/pc_static"
}
check "pkg-config --static: passthrough.c linked with libvimage.a runs without libvimage.so" pc_static

# ---- 3. CMake -----------------------------------------------------------------------------------
cmake_build() { # cmake_build <prefix> <build dir>
    local prefix="$1" build="$2"
    cmake -S cmake/example -B "$build" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release \
        -DVIMAGE_EXAMPLES_DIR="$ROOT/examples" >"$build.configure.log" 2>&1 || { cat "$build.configure.log"; return 1; }
    grep -q "vimage_DIR:PATH=$prefix/" "$build/CMakeCache.txt" || { grep vimage_DIR "$build/CMakeCache.txt"; return 1; }
    cmake --build "$build" -j 2 || return 1
    if readelf -d "$build/passthrough_static" | grep 'NEEDED.*libvimage'; then return 1; fi
    readelf -d "$build/passthrough" | grep -q 'NEEDED.*\[libvimage.so.0\]' || return 1
    # The programs find the library through the prefix they were linked with, never the build tree.
    if readelf -d "$build/passthrough" "$build/roundtrip_cpp" | grep -E 'R(UN)?PATH' | grep -v "$prefix/lib"; then return 1; fi
    VIMAGE_DEMO_OUT="$build/p.ppm" "$build/passthrough" &&
        VIMAGE_DEMO_OUT="$build/ps.ppm" "$build/passthrough_static" &&
        "$build/roundtrip_cpp"
}
check "CMake find_package(vimage CONFIG): vimage::vimage (C), vimage::vimage_static (C), C++17" \
    cmake_build "$PREFIX" "$WORK/cmake"

relocated() {
    cp -a "$PREFIX" "$WORK/moved" && rm -rf "$PREFIX.hidden" && mv "$PREFIX" "$PREFIX.hidden" || return 1
    cmake_build "$WORK/moved" "$WORK/cmake-moved"
    local status=$?
    mv "$PREFIX.hidden" "$PREFIX"
    return $status
}
check "the CMake package is relocatable (prefix moved after install)" relocated

cargo_c_layout() { # the cmake files as cargo cinstall installs them: unfilled, in share/cmake/vimage
    local p="$WORK/cargo-c"
    cp -a "$PREFIX" "$p" && rm -rf "$p/lib/cmake" && mkdir -p "$p/share/cmake/vimage" &&
        cp cmake/vimageConfig.cmake cmake/vimageConfigVersion.cmake "$p/share/cmake/vimage/" || return 1
    cmake_build "$p" "$WORK/cmake-cargo-c"
}
check "the unfilled CMake files work from share/cmake/vimage (cargo-c layout)" cargo_c_layout

version_check() { # find_package(vimage 1.0) must refuse a 0.x package
    mkdir -p "$WORK/v1" && cat >"$WORK/v1/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.16)
project(v1 NONE)
find_package(vimage 1.0 CONFIG QUIET)
if(vimage_FOUND)
  message(FATAL_ERROR "vimage ${vimage_VERSION} accepted for 1.0")
endif()
find_package(vimage 0.1 CONFIG REQUIRED)
message(STATUS "vimage ${vimage_VERSION}")
CMAKE
    cmake -S "$WORK/v1" -B "$WORK/v1/build" -DCMAKE_PREFIX_PATH="$PREFIX"
}
check "vimageConfigVersion.cmake: 0.x satisfies 0.1, not 1.0" version_check

uninstalled() {
    make --no-print-directory uninstall PREFIX="$PREFIX" >/dev/null || return 1
    if [ -n "$(find "$PREFIX" -type f -o -type l)" ]; then find "$PREFIX" -type f -o -type l; return 1; fi
}
check "make uninstall removes every installed file" uninstalled

echo "install: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
