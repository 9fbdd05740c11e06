#!/usr/bin/env bash
# AddressSanitizer + LeakSanitizer run of the C test suite: `bash tests/asan.sh`.
#
# Needs the nightly toolchain (`-Zsanitizer=address` is unstable); without it this prints a
# note and exits 0. Steps:
#  1. builds the library with `RUSTFLAGS=-Zsanitizer=address cargo +nightly build --target
#     x86_64-unknown-linux-gnu` into target/asan (its own target dir, so the ordinary builds
#     are untouched; `--target` keeps the flag off build.rs and the proc macros). Our code is
#     instrumented; the Rust standard library is not (that needs -Zbuild-std): std's own
#     accesses are not checked, but its malloc/free/memcpy still go through ASan's
#     interceptors.
#  2. proves ASan is really in: the library must reference __asan_init (instrumented), every
#     test binary must load libasan (ldd), and three canaries must be caught: a heap overflow
#     in C, a heap overflow inside libvimage's own Rust code (vImageConvert_AnyToAny told that
#     a 40-byte allocation holds 48 bytes; frame #0 must be a vimage function in src/*.rs),
#     and a leaked CGImage (LeakSanitizer).
#  3. compiles every tests/c/*.c (and *.cpp) with `-fsanitize=address -fno-omit-frame-pointer
#     -g` against include/, links it to the ASan-built libvimage.so and runs it with
#     detect_leaks=1; any sanitizer report or non-zero exit fails the script.
#
# Runtime: the C objects are compiled by cc (GCC) with -fsanitize=address, so the program
# loads GCC's shared libasan first; the instrumented libvimage.so leaves its __asan_*
# references undefined (rustc links a sanitizer runtime only into executables) and they bind
# to that one runtime, so C and Rust share one shadow memory and one allocator. The shared
# library is used rather than libvimage.a: linking the staticlib would also work, but the .so
# is what ships to C users and keeps each test binary small. Step 2 checks that every __asan_*
# symbol the library needs is exported by that libasan (LLVM's instrumentation is newer than
# GCC's runtime).
#
# Environment: CC / CXX choose the compilers (default cc / c++; they must support
# -fsanitize=address). Takes under a minute from a clean clone (the nightly build of the crate
# and its build dependencies, about 35 s on 2 cores, is most of it; the programs take seconds).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

if ! cargo +nightly --version >/dev/null 2>&1; then
  echo "asan: the nightly toolchain is not installed (cargo +nightly); skipping the AddressSanitizer run"
  exit 0
fi
if [ "$(uname -m)" != x86_64 ] || [ "$(uname -s)" != Linux ]; then
  echo "asan: runs on x86_64 Linux only; skipping"
  exit 0
fi

CC=${CC:-cc}
CXX=${CXX:-c++}
TARGET=x86_64-unknown-linux-gnu
TARGET_DIR=$ROOT/target/asan
LIB_DIR=$TARGET_DIR/$TARGET/debug
OUT=$TARGET_DIR/c-tests
SAN_FLAGS=(-fsanitize=address -fno-omit-frame-pointer -g -O1)
C_FLAGS=(-std=c11 -Wall -Wextra -Werror -pedantic -pthread)
CXX_FLAGS=(-std=c++17 -Wall -Wextra -Werror -pedantic -pthread)
LINK=(-L"$LIB_DIR" -lvimage -Wl,-rpath,"$LIB_DIR" -Wl,--disable-new-dtags)

# detect_leaks: LeakSanitizer at exit (the default on x86_64 Linux; explicit here).
# allocator_may_return_null: the tests ask for impossible sizes on purpose (vImageBuffer_Init
#   of 2^62 bytes, apple-abi.md §7.7) and expect kvImageMemoryAllocationError, i.e. a NULL
#   from posix_memalign as glibc gives; ASan's default is to abort instead.
# No LSan suppressions are needed: nothing of ours or of std leaks (the never-freed constant
#   strings and static colour spaces stay reachable from statics, which LSan does not report).
#   Add `suppressions=FILE` to LSAN_OPTIONS only for leaks in code that is not ours.
export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:allocator_may_return_null=1:detect_stack_use_after_return=1:strict_init_order=1:check_initialization_order=1"
export LSAN_OPTIONS="report_objects=1"
# The programs run their full iteration counts: under ASan the whole suite takes seconds, so
# VIMAGE_TEST_UNDER_VALGRIND (which shrinks the loops of threads.c and convert.c) stays unset.
unset VIMAGE_TEST_UNDER_VALGRIND
unset CARGO_ENCODED_RUSTFLAGS

echo "== asan: $(cargo +nightly --version)"
echo "== asan: building libvimage with -Zsanitizer=address into target/asan"
RUSTFLAGS="-Zsanitizer=address" cargo +nightly build --lib --target "$TARGET" \
  --target-dir "$TARGET_DIR"
# The library's SONAME is libvimage.so.0 (build.rs): binaries linked with -lvimage load that.
ln -sfn libvimage.so "$LIB_DIR/libvimage.so.0"
rm -rf "$OUT"
mkdir -p "$OUT"

fail() {
  echo "asan: FAILED: $*" >&2
  exit 1
}

# ---- 2. is ASan really linked in? ---------------------------------------------------------
# (Listings go to variables first: `grep -q` in a pipeline would stop reading early, and
# pipefail would then report the writer's SIGPIPE.)
LIB_SYMBOLS=$(nm -D "$LIB_DIR/libvimage.so")
grep -q ' U __asan_init$' <<<"$LIB_SYMBOLS" ||
  fail "libvimage.so is not instrumented (no reference to __asan_init)"
echo "asan: libvimage.so is instrumented ($(grep -c ' U __asan_' <<<"$LIB_SYMBOLS") undefined __asan_* references)"
# GCC links the shared libasan: it must define everything the LLVM-instrumented library uses.
# (clang links its runtime statically into each program, which exports it; the canaries below
# fail if a symbol is missing there.)
LIBASAN=$("$CC" -print-file-name=libasan.so)
if [ -e "$LIBASAN" ]; then
  missing=$(comm -23 \
    <(awk '$1 == "U" && $2 ~ /^__(asan|lsan|sanitizer)_/ { print $2 }' <<<"$LIB_SYMBOLS" | sort -u) \
    <(nm -D --defined-only "$(readlink -f "$LIBASAN")" | awk '{ print $3 }' | sort -u))
  [ -z "$missing" ] || fail "the instrumented library needs symbols $CC's libasan lacks: $missing"
  echo "asan: $(readlink -f "$LIBASAN") defines all of them"
fi

# Builds $1 (a source file) into $OUT/$2 with the sanitizer and links it to libvimage.
build() {
  local src=$1 bin=$2
  case "$src" in
    *.cpp) "$CXX" "${CXX_FLAGS[@]}" "${SAN_FLAGS[@]}" -I include "$src" -o "$OUT/$bin" "${LINK[@]}" ;;
    *) "$CC" "${C_FLAGS[@]}" "${SAN_FLAGS[@]}" -I include "$src" -o "$OUT/$bin" "${LINK[@]}" ;;
  esac
  # The ASan runtime is in: ldd lists the shared libasan (GCC), or the binary itself
  # defines __asan_init (clang's static runtime).
  local libs
  libs=$(ldd "$OUT/$bin")
  grep -q 'libasan\.so' <<<"$libs" ||
    grep -q ' __asan_init$' <<<"$(nm -D --defined-only "$OUT/$bin")" ||
    fail "$bin has no ASan runtime (neither libasan.so nor __asan_init)"
  grep -qF "libvimage.so.0 => $LIB_DIR/libvimage.so.0" <<<"$libs" ||
    fail "$bin does not load the ASan-built libvimage"
}

# Runs $OUT/$1 and requires a sanitizer report matching $2 (a canary must be caught).
expect_caught() {
  local bin=$1 pattern=$2 log=$OUT/$1.log
  if timeout 120 "$OUT/$bin" >"$log" 2>&1; then
    cat "$log" >&2
    fail "canary $bin was not caught (it exited with status 0)"
  fi
  grep -Eq "$pattern" "$log" || { cat "$log" >&2; fail "canary $bin: no report matching /$pattern/"; }
  echo "asan: canary $bin caught: $(grep -Em1 'ERROR: (Address|Leak)Sanitizer' "$log" | sed 's/^==[0-9]*==//')"
}

cat >"$OUT/canary_c_overflow.c" <<'EOF'
/* Heap overflow in C: one byte past a malloc'd block. */
#include <Accelerate/Accelerate.h>
#include <stdlib.h>
int main(int argc, char **argv) {
  (void)argv;
  volatile unsigned char *p = malloc(16);
  p[16 + (argc - 1)] = 1;
  free((void *)p);
  return (int)vImageBuffer_GetSize(NULL).width;
}
EOF
cat >"$OUT/canary_rust_overflow.c" <<'EOF'
/* Heap overflow inside libvimage's Rust code: the buffers claim 3 rows of 16 bytes (48) but
   the source allocation has 40, so the conversion's own loads run past it. Only an
   instrumented library can report this read (no C code and no intercepted libc call makes
   it). */
#include <Accelerate/Accelerate.h>
#include <stdlib.h>
#include <string.h>
int main(void) {
  vImage_CGImageFormat premul = {8, 32, NULL, kCGImageAlphaPremultipliedLast, 0, NULL,
                                 kCGRenderingIntentDefault};
  vImage_CGImageFormat straight = premul;
  straight.bitmapInfo = kCGImageAlphaLast;
  vImageConverterRef c = vImageConverter_CreateWithCGImageFormat(&premul, &straight, NULL,
                                                                 kvImageDoNotTile, NULL);
  unsigned char *src = malloc(40), *dst = malloc(48);
  memset(src, 0x80, 40);
  vImage_Buffer s = {src, 3, 4, 16}, d = {dst, 3, 4, 16};
  vImage_Error e = vImageConvert_AnyToAny(c, &s, &d, NULL, kvImageDoNotTile);
  free(src);
  free(dst);
  vImageConverter_Release(c);
  return (int)e;
}
EOF
cat >"$OUT/canary_leak.c" <<'EOF'
/* A CGImage that is never released: LeakSanitizer must report it at exit. */
#include <Accelerate/Accelerate.h>
static unsigned char pixels[16];
int main(void) {
  vImage_Buffer b = {pixels, 2, 2, 8};
  vImage_CGImageFormat f = {8, 32, NULL, kCGImageAlphaPremultipliedLast, 0, NULL,
                            kCGRenderingIntentDefault};
  CGImageRef image = vImageCreateCGImageFromBuffer(&b, &f, NULL, NULL, kvImageNoFlags, NULL);
  return image == NULL;
}
EOF
for canary in canary_c_overflow canary_rust_overflow canary_leak; do
  build "$OUT/$canary.c" "$canary"
done
expect_caught canary_c_overflow 'ERROR: AddressSanitizer: heap-buffer-overflow'
# The faulting frame (#0) must be a vimage function in one of our .rs files (GCC's
# symbolizer prints Rust v0 names mangled: _RNv...6vimage7convert...).
expect_caught canary_rust_overflow 'ERROR: AddressSanitizer: heap-buffer-overflow'
if ! grep -Eq '^ *#0 0x[0-9a-f]+ in [^ ]*vimage[^ ]* [^ ]*src/[^ ]*\.rs:[0-9]+' \
  "$OUT/canary_rust_overflow.log"; then
  cat "$OUT/canary_rust_overflow.log" >&2
  fail "canary_rust_overflow: the overflow was not reported in libvimage's own code"
fi
expect_caught canary_leak 'ERROR: LeakSanitizer: detected memory leaks'

# ---- 3. the test suite --------------------------------------------------------------------
status=0
count=0
for src in tests/c/*.c tests/c/*.cpp; do
  [ -e "$src" ] || continue
  name=$(basename "$src")
  # interpose.c links a second library (tests/c/lib/foreign_cf.c): built below.
  [ "$name" = interpose.c ] && continue
  bin=${name%.*}
  build "$src" "$bin"
  log=$OUT/$bin.log
  start=$SECONDS
  if timeout 300 "$OUT/$bin" >"$log" 2>&1 && ! grep -Eq "ERROR: [A-Za-z]+Sanitizer|runtime error:" "$log"; then
    echo "asan: $name ok ($((SECONDS - start)) s): $(tail -n1 "$log")"
  else
    echo "asan: $name FAILED:" >&2
    cat "$log" >&2
    status=1
  fi
  count=$((count + 1))
done
# interpose.c beside a stand-in CoreFoundation, linked ahead of libvimage and after it.
"$CC" "${C_FLAGS[@]}" "${SAN_FLAGS[@]}" -shared -fPIC tests/c/lib/foreign_cf.c -o "$OUT/libforeigncf.so"
for mode in foreign-first ours-first; do
  if [ "$mode" = foreign-first ]; then
    order=(-L"$OUT" -lforeigncf "${LINK[@]}")
  else
    order=("${LINK[@]}" -L"$OUT" -lforeigncf)
  fi
  "$CC" "${C_FLAGS[@]}" "${SAN_FLAGS[@]}" -I include tests/c/interpose.c -o "$OUT/interpose-$mode" \
    -Wl,--no-as-needed "${order[@]}" -Wl,-rpath,"$OUT"
  log=$OUT/interpose-$mode.log
  if timeout 300 "$OUT/interpose-$mode" "$mode" >"$log" 2>&1 && ! grep -Eq "ERROR: [A-Za-z]+Sanitizer|runtime error:" "$log"; then
    echo "asan: interpose.c ($mode) ok"
  else
    echo "asan: interpose.c ($mode) FAILED:" >&2
    cat "$log" >&2
    status=1
  fi
  count=$((count + 1))
done
[ "$count" -gt 0 ] || fail "no C programs found in tests/c"
[ "$status" -eq 0 ] || fail "a C program failed under AddressSanitizer/LeakSanitizer (see above)"
echo "asan: all $count C programs passed under AddressSanitizer + LeakSanitizer"
