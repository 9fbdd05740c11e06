"""Tests of the vimage Python package (run against the installed package: pip install ./python)."""

import gc
import itertools
import subprocess
import sys
import textwrap
import threading
import weakref

import numpy as np
import pytest

import vimage


def rgba(h=5, w=7, seed=0):
    rng = np.random.default_rng(seed)
    return rng.integers(0, 256, size=(h, w, 4), dtype=np.uint8)


class Tracked(bytearray):
    """A buffer-protocol object that records when (and on which thread) it is freed."""

    freed = []
    serial = itertools.count()

    def __init__(self, *args):
        super().__init__(*args)
        self.token = next(Tracked.serial)

    def __del__(self):
        Tracked.freed.append((self.token, threading.get_ident()))


def tracked_array(h=4, w=6):
    buf = Tracked(h * w * 4)
    arr = np.frombuffer(buf, dtype=np.uint8).reshape(h, w, 4)  # writable view of buf
    arr[...] = rgba(h, w)
    return buf, arr


def freed(obj_id):
    gc.collect()
    return [t for i, t in Tracked.freed if i == obj_id]


# ---- formats --------------------------------------------------------------------------------

ISSUE_FORMATS = ["ARGB8888", "RGBA8888", "BGRA8888", "RGB888", "Planar8",
                 "ARGB16U", "RGBA16U", "ARGBFFFF", "RGBAFFFF", "PlanarF"]


def test_issue_format_names_exist():
    for name in ISSUE_FORMATS:
        assert name in vimage.FORMAT_NAMES
        fmt = vimage.Format(name)
        assert fmt.name == name and repr(fmt) == f"vimage.Format({name!r})"


@pytest.mark.parametrize("name", vimage.FORMAT_NAMES)
def test_every_named_format_round_trips(name):
    fmt = vimage.Format(name)
    shape = fmt.array_shape(3, 5)
    rng = np.random.default_rng(1)
    if fmt.dtype.kind == "f":
        arr = rng.random(shape, dtype=np.float32)
    else:
        arr = rng.integers(0, np.iinfo(fmt.dtype).max, size=shape, dtype=fmt.dtype, endpoint=True)
    if fmt.alpha_info in (vimage.lib.kCGImageAlphaPremultipliedFirst, vimage.lib.kCGImageAlphaPremultipliedLast):
        alpha = 0 if fmt.alpha_info == vimage.lib.kCGImageAlphaPremultipliedFirst else 3
        if name.startswith("BGRA"):
            alpha = 3
        arr[..., alpha] = arr.max()  # opaque: premultiplied colour stays valid
    img = vimage.Image.from_array(arr, name)
    assert (img.width, img.height) == (5, 3)
    assert img.bits_per_pixel == fmt.bits_per_pixel
    assert img.bits_per_component == fmt.bits_per_component
    assert img.bitmap_info == fmt.bitmap_info
    np.testing.assert_array_equal(img.to_numpy(), arr)


def test_format_fields_and_equality():
    f = vimage.Format(bits_per_component=8, bits_per_pixel=32,
                      bitmap_info=vimage.lib.kCGImageAlphaLast)
    assert f == vimage.Format("RGBA8888")
    assert f != vimage.Format("ARGB8888")
    assert (f.channels, f.dtype, f.components) == (4, np.uint8, 4)
    assert vimage.Format("PlanarF").dtype == np.float32 and vimage.Format("PlanarF").channels == 1
    assert vimage.Format("RGBA8888", color_space="DisplayP3").color_space != vimage.ffi.NULL


def test_unknown_names():
    with pytest.raises(ValueError, match="unknown format"):
        vimage.Format("RGBA9999")
    with pytest.raises(ValueError, match="unknown colour space"):
        vimage.Format("RGBA8888", color_space="NoSuchSpace")


# ---- copy / zero-copy -----------------------------------------------------------------------

def test_copy_round_trip_does_not_share():
    a = rgba()
    img = vimage.Image.from_array(a, "RGBA8888", copy=True)
    assert not np.shares_memory(img.pixels(), a)
    before = a.copy()
    a[...] = 0
    np.testing.assert_array_equal(img.to_numpy(), before)
    np.testing.assert_array_equal(img.pixels(), before)


def test_zero_copy_both_ways():
    a = rgba()
    img = vimage.Image.from_array(a, "RGBA8888", copy=False)
    view = img.pixels()
    assert np.shares_memory(view, a)  # the image's pixels are the array's
    assert not view.flags.writeable
    out = img.to_numpy("RGBA8888")  # a new array, through vImageBuffer_InitWithCGImage
    assert not np.shares_memory(out, a)
    np.testing.assert_array_equal(out, a)
    a[0, 0] = (1, 2, 3, 4)  # the wrapped memory is the image
    np.testing.assert_array_equal(img.to_numpy()[0, 0], (1, 2, 3, 4))


def test_to_numpy_reorders():
    a = rgba()
    img = vimage.Image.from_array(a, "RGBA8888")
    np.testing.assert_array_equal(img.to_numpy("ARGB8888"), a[..., [3, 0, 1, 2]])
    np.testing.assert_array_equal(img.to_numpy("BGRA8888"), a[..., [2, 1, 0, 3]])
    opaque = a.copy()
    opaque[..., 3] = 255
    np.testing.assert_array_equal(vimage.Image.from_array(opaque, "RGBA8888").to_numpy("RGB888"), a[..., :3])


def test_buffer_protocol_sources():
    a = rgba(2, 3)
    mv = memoryview(bytearray(a.tobytes())).cast("B", (2, 3, 4))
    img = vimage.Image.from_array(mv, "RGBA8888", copy=False)
    np.testing.assert_array_equal(img.to_numpy(), a)
    ro = memoryview(a.tobytes()).cast("B", (2, 3, 4))  # read-only bytes can be wrapped too
    np.testing.assert_array_equal(vimage.Image.from_array(ro, "RGBA8888", copy=False).to_numpy(), a)
    gray = vimage.Image.from_array(np.arange(6, dtype=np.uint8).reshape(2, 3), "Planar8", copy=False)
    assert gray.pixels().shape == (2, 3)


def test_strided_rows():
    big = rgba(6, 10)
    sub = big[1:5, 2:8]  # rows at big's stride
    img = vimage.Image.from_array(sub, "RGBA8888", copy=False)
    assert img.bytes_per_row == big.strides[0]
    assert np.shares_memory(img.pixels(), big)
    np.testing.assert_array_equal(img.to_numpy(), sub)
    with pytest.raises(ValueError, match="packed"):
        vimage.Image.from_array(big[:, ::2], "RGBA8888", copy=False)
    np.testing.assert_array_equal(vimage.Image.from_array(big[:, ::2], "RGBA8888").to_numpy(), big[:, ::2])


# ---- lifetime -------------------------------------------------------------------------------

def test_source_alive_until_release():
    a = rgba()
    ref = weakref.ref(a)
    img = vimage.Image.from_array(a, "RGBA8888", copy=False)
    del a
    gc.collect()
    assert ref() is not None  # the image holds it
    del img
    gc.collect()
    assert ref() is None  # released by the callback


@pytest.mark.parametrize("order", ["image_first", "view_first"])
def test_callback_once_after_last_reference(order):
    buf, arr = tracked_array()
    key = buf.token
    img = vimage.Image.from_array(arr, "RGBA8888", copy=False)
    view = img.pixels()
    del buf, arr
    assert freed(key) == []
    if order == "image_first":
        del img
        assert freed(key) == []  # the view keeps the image alive
        assert view[0, 0].tolist() == rgba(4, 6)[0, 0].tolist()
        del view
    else:
        del view
        assert freed(key) == []
        del img
    assert len(freed(key)) == 1


def test_reference_cycle_collected():
    buf, arr = tracked_array()
    key = buf.token
    holder = {"img": vimage.Image.from_array(arr, "RGBA8888", copy=False)}
    holder["self"] = holder
    del buf, arr, holder
    gc.collect()
    assert len(freed(key)) == 1


def test_copy_does_not_keep_source():
    a = rgba()
    ref = weakref.ref(a)
    img = vimage.Image.from_array(a, "RGBA8888", copy=True)
    del a
    gc.collect()
    assert ref() is None
    assert img.to_numpy().shape == (5, 7, 4)


def test_release_on_the_thread_that_drops_the_last_reference():
    buf, arr = tracked_array()
    key = buf.token
    box = [vimage.Image.from_array(arr, "RGBA8888", copy=False)]
    del buf, arr
    ready, go = threading.Event(), threading.Event()
    seen = {}

    def worker(img):
        ready.set()
        go.wait(10)
        seen["pixels"] = img.to_numpy()[0, 0].tolist()
        seen["thread"] = threading.get_ident()
        del img  # last reference: the release callback runs here

    t = threading.Thread(target=worker, args=(box.pop(),))
    t.start()
    ready.wait(10)
    gc.collect()
    assert freed(key) == []
    go.set()
    t.join(10)
    gone = freed(key)
    assert gone == [seen["thread"]] and seen["thread"] != threading.get_ident()


def test_many_threads():
    errors = []
    gc.collect()
    lent_before = len(vimage._lent)

    def work(seed):
        try:
            for i in range(50):
                a = rgba(8, 8, seed * 100 + i)
                img = vimage.Image.from_array(a, "RGBA8888", copy=bool(i % 2))
                np.testing.assert_array_equal(img.to_numpy("BGRA8888"), a[..., [2, 1, 0, 3]])
                del img
        except Exception as e:  # pragma: no cover
            errors.append(e)

    threads = [threading.Thread(target=work, args=(s,)) for s in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    gc.collect()
    assert len(vimage._lent) == lent_before


def test_release_at_interpreter_shutdown():
    # The tracked class lives in its own namespace: a class of __main__ would tie __main__'s
    # globals (IMAGE included) to the lent buffer, and Python never clears a module dict that
    # is still referenced at shutdown.
    script = textwrap.dedent("""
        import numpy as np, vimage
        ns = {}
        exec("import os\\nclass Tracked(bytearray):\\n"
             "    def __del__(self):\\n        os.write(1, b'released\\\\n')\\n", ns)
        buf = ns["Tracked"](16)
        arr = np.frombuffer(buf, dtype=np.uint8).reshape(2, 2, 4)
        IMAGE = vimage.Image.from_array(arr, "RGBA8888", copy=False)
        VIEW = IMAGE.pixels()
        del buf, arr, ns
        print("exiting", flush=True)
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["exiting", "released"], (out.stdout, out.stderr)


# ---- errors ---------------------------------------------------------------------------------

def test_error_mapping():
    with pytest.raises(vimage.Error) as e:
        vimage.Image.from_array(rgba(), vimage.Format(bits_per_component=8, bits_per_pixel=32,
                                                      bitmap_info=vimage.lib.kCGImageAlphaLast | (9 << 12)))
    assert e.value.code < 0 and e.value.name.startswith("kvImage")
    assert e.value.name in str(e.value)
    for name in ("kvImageInvalidImageFormat", "kvImageUnsupportedConversion", "kvImageNullPointerArgument",
                 "kvImageInvalidParameter", "kvImageBufferSizeMismatch"):
        code = getattr(vimage.lib, name)
        err = vimage.Error(code)
        assert (err.code, err.name) == (code, name)
    assert vimage.error_name(0) == "kvImageNoError"
    assert vimage.error_name(-1).startswith("unknown")


def test_unsupported_conversion_raises():
    with pytest.raises(vimage.Error):
        vimage.Converter("RGBA8888", vimage.Format(bits_per_component=8, bits_per_pixel=32,
                                                   bitmap_info=vimage.lib.kCGImageAlphaLast,
                                                   color_space="DeviceCMYK"))


def test_argument_errors():
    with pytest.raises(TypeError, match="uint8"):
        vimage.Image.from_array(np.zeros((2, 2, 4), np.float32), "RGBA8888")
    with pytest.raises(ValueError, match="channel"):
        vimage.Image.from_array(np.zeros((2, 2, 3), np.uint8), "RGBA8888")
    with pytest.raises(ValueError, match="shape"):
        vimage.Image.from_array(np.zeros(4, np.uint8), "Planar8")
    with pytest.raises(TypeError):
        vimage.Image()
    with pytest.raises(ValueError, match="read-only"):
        vimage.premultiply(rgba(), out=_readonly(rgba()))


def _readonly(a):
    a.flags.writeable = False
    return a


# ---- converter and pixel operations ----------------------------------------------------------

def test_converter():
    a = rgba()
    np.testing.assert_array_equal(vimage.convert(a, "RGBA8888", "BGRA8888"), a[..., [2, 1, 0, 3]])
    conv = vimage.Converter("RGB888", "RGBA8888")
    rgb = a[..., :3].copy()
    out = conv.convert(rgb)
    np.testing.assert_array_equal(out[..., :3], rgb)
    assert (out[..., 3] == 255).all()
    buf = np.empty_like(a)
    assert conv.convert(rgb, out=buf) is buf


def _premultiply_ref(a):
    c = a[..., :3].astype(np.uint32) * a[..., 3:].astype(np.uint32)
    return np.concatenate([((c + 127) // 255).astype(np.uint8), a[..., 3:]], axis=-1)


def test_premultiply_unpremultiply():
    a = rgba(16, 16)
    p = vimage.premultiply(a)
    np.testing.assert_array_equal(p, _premultiply_ref(a))
    np.testing.assert_array_equal(vimage.premultiply(a[..., [3, 0, 1, 2]], "ARGB"), p[..., [3, 0, 1, 2]])
    u = vimage.unpremultiply(p)
    assert np.abs(u.astype(int) - a.astype(int))[a[..., 3] > 128].max() <= 1
    in_place = a.copy()
    assert vimage.premultiply(in_place, out=in_place) is in_place
    np.testing.assert_array_equal(in_place, p)
    f = a.astype(np.float32) / 255
    np.testing.assert_allclose(vimage.premultiply(f)[..., :3], f[..., :3] * f[..., 3:], rtol=1e-6)
    w = a.astype(np.uint16) * 257
    assert vimage.premultiply(w).dtype == np.uint16


def test_permute():
    a = rgba()
    np.testing.assert_array_equal(vimage.permute(a, (2, 1, 0, 3)), a[..., [2, 1, 0, 3]])
    np.testing.assert_array_equal(vimage.permute(a[..., :3].copy(), (2, 1, 0)), a[..., [2, 1, 0]])
    f = a.astype(np.float32)
    np.testing.assert_array_equal(vimage.permute(f, (3, 0, 1, 2)), f[..., [3, 0, 1, 2]])
    with pytest.raises(ValueError):
        vimage.permute(a, (0, 1, 2))


def test_flatten_and_clip():
    a = rgba()
    a[..., 3] = 255
    np.testing.assert_array_equal(vimage.flatten(a, (0, 0, 0)), a[..., :3])
    clear = a.copy()
    clear[..., 3] = 0
    assert (vimage.flatten(clear, (10, 20, 30)) == (10, 20, 30)).all()
    clipped = vimage.clip_to_alpha(vimage.premultiply(rgba()))
    assert (clipped[..., :3] <= clipped[..., 3:]).all()


# ---- the documented example -------------------------------------------------------------------

def test_documented_python_example_runs():
    """The ```python blocks of the README that import vimage run as is."""
    import pathlib
    import re

    root = pathlib.Path(__file__).resolve().parents[2]
    blocks = []
    readme = (root / "README.md").read_text()
    blocks += [b for b in re.findall(r"```python\n(.*?)```", readme, re.S) if "import vimage" in b]
    assert blocks, "README.md has no ```python example that imports vimage"
    for block in blocks:
        exec(compile(block, "documented example", "exec"), {})
