#!/usr/bin/env bash
# Packaging checks (issue 10), called from .ci/run after `make demo` (which builds the release
# library that `make install` then only copies):
#   1. tests/install.sh: make install into a temporary prefix; pkg-config shared + static,
#      CMake find_package (C, C++17), SONAME, relocation, nothing pointing into the build tree.
#   2. pip install ./python into a fresh venv (pip's isolated build: maturin + cffi from PyPI,
#      the library from cargo), then the pytest suite against the installed package.
# Installs what it needs: pkg-config / g++ / python3-venv from Debian when missing; cmake, pytest
# (and numpy, cffi through the package) from PyPI into the venv. cargo-c is not needed.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"

need_apt=()
command -v pkg-config >/dev/null 2>&1 || need_apt+=(pkg-config)
command -v c++ >/dev/null 2>&1 || need_apt+=(g++)
command -v python3 >/dev/null 2>&1 || need_apt+=(python3)
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || need_apt+=(python3-venv python3-pip)
if [ ${#need_apt[@]} -gt 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "== installing ${need_apt[*]} (Debian)"
    export DEBIAN_FRONTEND=noninteractive
    (apt-get update -qq && apt-get install -y -qq "${need_apt[@]}") || echo "warning: could not install ${need_apt[*]}"
fi

# One venv for both halves, under target/ (ignored by git, reused by the next run).
VENV="${VIMAGE_PACKAGING_VENV:-$ROOT/target/packaging-venv}"
start=$(date +%s)
rm -rf "$VENV"
python3 -m venv "$VENV"
"$VENV/bin/python" -m pip install -q --disable-pip-version-check pytest
command -v cmake >/dev/null 2>&1 || "$VENV/bin/python" -m pip install -q --disable-pip-version-check cmake
echo "== venv ready in $(( $(date +%s) - start )) s"

echo "== tests/install.sh (make install, pkg-config, CMake)"
start=$(date +%s)
PATH="$VENV/bin:$PATH" bash tests/install.sh
echo "== install test took $(( $(date +%s) - start )) s"

# The wheel build shares target/ (cargo's own dependency builds are reused; the vimage crate is
# built once more, as a cdylib only, which is what maturin asks cargo for).
echo "== pip install ./python"
start=$(date +%s)
"$VENV/bin/python" -m pip install --disable-pip-version-check ./python
echo "== Python package built and installed in $(( $(date +%s) - start )) s"

echo "== pytest python/tests"
# Run from outside python/ so that `import vimage` is the installed package, not the sources.
cd "$ROOT/target"
"$VENV/bin/python" -m pytest -p no:cacheprovider -q "$ROOT/python/tests"
