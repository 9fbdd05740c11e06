"""PEP 517 backend of the vimage Python package: maturin, plus a cffi-readable header.

maturin's ``bindings = "cffi"`` reads ``<cargo target dir>/header.h`` when it exists and feeds
it to ``cffi.FFI.cdef``. The checked-in ``include/vimage.h`` has ``#include``, ``#if``,
``extern "C"`` and shifted ``#define`` values that cdef cannot parse, so before every build this
backend writes the cleaned declarations (``vimage_cdef.clean_header``) there, then hands over
to maturin unchanged.
"""

from __future__ import annotations

import json
import os
import subprocess

import maturin as _maturin
from maturin import *  # noqa: F401,F403  (every PEP 517 hook maturin has)

import vimage_cdef

try:
    import tomllib
except ModuleNotFoundError:  # Python < 3.11
    import tomli as tomllib  # type: ignore


def _manifest_path() -> str:
    with open("pyproject.toml", "rb") as f:
        config = tomllib.load(f).get("tool", {}).get("maturin", {})
    return os.path.abspath(config.get("manifest-path", "Cargo.toml"))


def _target_dir(manifest: str) -> str:
    if os.environ.get("CARGO_TARGET_DIR"):
        return os.path.abspath(os.environ["CARGO_TARGET_DIR"])
    out = subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--no-deps", "--offline",
         "--manifest-path", manifest],
        check=True, stdout=subprocess.PIPE,
    ).stdout
    return json.loads(out)["target_directory"]


def write_cffi_header() -> str:
    manifest = _manifest_path()
    header = os.path.join(os.path.dirname(manifest), "include", "vimage.h")
    with open(header, encoding="utf-8") as f:
        cleaned = vimage_cdef.clean_header(f.read())
    target = _target_dir(manifest)
    os.makedirs(target, exist_ok=True)
    path = os.path.join(target, "header.h")
    with open(path, "w", encoding="utf-8") as f:
        f.write(cleaned)
    return path


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    write_cffi_header()
    return _maturin.build_wheel(wheel_directory, config_settings, metadata_directory)


if hasattr(_maturin, "build_editable"):

    def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
        write_cffi_header()
        return _maturin.build_editable(wheel_directory, config_settings, metadata_directory)
