"""vimage: Apple's vImage <-> CoreGraphics bridge on Linux, on numpy arrays.

The Rust library ``libvimage.so`` (the same C ABI as Apple's vImage) is loaded with cffi in ABI
mode from ``vimage._native``; ``vimage.lib`` / ``vimage.ffi`` give the raw C functions. The
Python layer adds:

- :class:`Format`: a ``vImage_CGImageFormat`` (named formats: ``Format.named("RGBA8888")``);
- :class:`Image`: a ``CGImageRef`` made from an array, by copy or without copying
  (``Image.from_array(arr, "RGBA8888", copy=False)``), read back with :meth:`Image.to_numpy`
  (``vImageBuffer_InitWithCGImage``) or viewed with :meth:`Image.pixels` (zero-copy);
- :class:`Converter` / :func:`convert`: ``vImageConverter`` + ``vImageConvert_AnyToAny``;
- pixel operations on arrays: :func:`premultiply`, :func:`unpremultiply`, :func:`permute`,
  :func:`flatten`, :func:`clip_to_alpha`;
- :class:`Error` for every ``vImage_Error`` (``.code``, ``.name``).
"""

from __future__ import annotations

import sys
import threading

import numpy as np

from . import _native
from ._native import ffi, lib


def _pin_library() -> None:
    """Keep libvimage mapped until the process ends.

    cffi unmaps the library when its ``lib`` object is collected, which at interpreter shutdown
    can come before the last ``ffi.gc`` finaliser (CGImageRelease...) runs; a second reference
    through ctypes, which never unloads, keeps those calls valid.
    """
    import ctypes
    import os

    for name in os.listdir(os.path.dirname(_native.__file__)):
        if name.endswith(".so"):
            ctypes.CDLL(os.path.join(os.path.dirname(_native.__file__), name))


_pin_library()

__all__ = [
    "Error",
    "Format",
    "FORMAT_NAMES",
    "Image",
    "Converter",
    "convert",
    "premultiply",
    "unpremultiply",
    "permute",
    "flatten",
    "clip_to_alpha",
    "error_name",
    "ffi",
    "lib",
]

# --------------------------------------------------------------------------------------------
# Errors


def _error_names() -> dict[int, str]:
    names = {}
    for name in dir(lib):
        if name.startswith("kvImage") and not name.startswith(("kvImageConvert_", "kvImageBufferTypeCode_")):
            try:
                value = getattr(lib, name)
            except (AttributeError, ffi.error):
                continue
            if isinstance(value, int) and value < 0:
                names.setdefault(value, name)
    names[0] = "kvImageNoError"
    return names


_ERROR_NAMES = _error_names()


def error_name(code: int) -> str:
    """The ``kvImage...`` name of a ``vImage_Error`` code (``"unknown error <code>"`` if none)."""
    return _ERROR_NAMES.get(int(code), f"unknown error {int(code)}")


class Error(Exception):
    """A vImage call failed: ``.code`` is the ``vImage_Error``, ``.name`` its ``kvImage`` name."""

    def __init__(self, code: int, function: str | None = None):
        self.code = int(code)
        self.name = error_name(self.code)
        self.function = function
        where = f"{function}: " if function else ""
        super().__init__(f"{where}{self.name} ({self.code})")


def _check(code: int, function: str) -> None:
    if code < 0:
        raise Error(code, function)


# --------------------------------------------------------------------------------------------
# Formats

_LITTLE = sys.byteorder == "little"
_ORDER16_HOST = lib.kCGBitmapByteOrder16Little if _LITTLE else lib.kCGBitmapByteOrder16Big
_ORDER32_HOST = lib.kCGBitmapByteOrder32Little if _LITTLE else lib.kCGBitmapByteOrder32Big
_FLOAT = lib.kCGBitmapFloatComponents


def _named_formats() -> dict[str, tuple[int, int, int, bool]]:
    """name -> (bits per component, bits per pixel, bitmap info, gray)."""
    a = lib
    table = {}
    for suffix, bpc, extra in (("8888", 8, 0), ("16U", 16, _ORDER16_HOST), ("FFFF", 32, _ORDER32_HOST | _FLOAT)):
        bpp = 4 * bpc
        table["ARGB" + suffix] = (bpc, bpp, a.kCGImageAlphaFirst | extra, False)
        table["RGBA" + suffix] = (bpc, bpp, a.kCGImageAlphaLast | extra, False)
        table["ARGB" + suffix + "Premultiplied"] = (bpc, bpp, a.kCGImageAlphaPremultipliedFirst | extra, False)
        table["RGBA" + suffix + "Premultiplied"] = (bpc, bpp, a.kCGImageAlphaPremultipliedLast | extra, False)
        table["XRGB" + suffix] = (bpc, bpp, a.kCGImageAlphaNoneSkipFirst | extra, False)
        table["RGBX" + suffix] = (bpc, bpp, a.kCGImageAlphaNoneSkipLast | extra, False)
    # BGRA is ARGB read as one little-endian 32-bit word (8-bit components only).
    table["BGRA8888"] = (8, 32, a.kCGImageAlphaFirst | a.kCGBitmapByteOrder32Little, False)
    table["BGRA8888Premultiplied"] = (8, 32, a.kCGImageAlphaPremultipliedFirst | a.kCGBitmapByteOrder32Little, False)
    table["BGRX8888"] = (8, 32, a.kCGImageAlphaNoneSkipFirst | a.kCGBitmapByteOrder32Little, False)
    table["RGB888"] = (8, 24, a.kCGImageAlphaNone, False)
    table["RGB16U"] = (16, 48, a.kCGImageAlphaNone | _ORDER16_HOST, False)
    table["RGBFFF"] = (32, 96, a.kCGImageAlphaNone | _ORDER32_HOST | _FLOAT, False)
    table["Planar8"] = (8, 8, a.kCGImageAlphaNone, True)
    table["Planar16U"] = (16, 16, a.kCGImageAlphaNone | _ORDER16_HOST, True)
    table["PlanarF"] = (32, 32, a.kCGImageAlphaNone | _ORDER32_HOST | _FLOAT, True)
    return table


_NAMED = _named_formats()
FORMAT_NAMES = tuple(_NAMED)


def _color_space_names() -> dict[str, object]:
    """Short name -> the exported ``kCGColorSpace...`` CFStringRef (``"SRGB"``, ``"DisplayP3"``)."""
    out = {}
    for name in dir(lib):
        if name.startswith("kCGColorSpace") and not name.startswith("kCGColorSpaceModel"):
            try:
                value = getattr(lib, name)
            except (AttributeError, ffi.error):
                continue
            if isinstance(value, ffi.CData):
                out[name[len("kCGColorSpace"):]] = value
    return out


_COLOR_SPACE_NAMES = _color_space_names()


def _color_space(spec):
    """A CGColorSpaceRef (owned, released by the GC) for None / a name / a raw CGColorSpaceRef."""
    if spec is None:
        return ffi.NULL
    if isinstance(spec, ffi.CData):
        ref = lib.CGColorSpaceRetain(spec)
    elif spec == "DeviceRGB":
        ref = lib.CGColorSpaceCreateDeviceRGB()
    elif spec == "DeviceGray":
        ref = lib.CGColorSpaceCreateDeviceGray()
    elif spec == "DeviceCMYK":
        ref = lib.CGColorSpaceCreateDeviceCMYK()
    else:
        key = spec[len("kCGColorSpace"):] if spec.startswith("kCGColorSpace") else spec
        matches = [v for k, v in _COLOR_SPACE_NAMES.items() if k.lower() == key.lower()]
        if not matches:
            raise ValueError(
                f"unknown colour space {spec!r}; use DeviceRGB, DeviceGray, DeviceCMYK or one of "
                + ", ".join(sorted(_COLOR_SPACE_NAMES))
            )
        ref = lib.CGColorSpaceCreateWithName(matches[0])
    if ref == ffi.NULL:
        raise ValueError(f"colour space {spec!r} could not be created")
    return ffi.gc(ref, lib.CGColorSpaceRelease)


class Format:
    """A ``vImage_CGImageFormat``: how the pixels of an image or a buffer are laid out.

    ``Format("RGBA8888")`` / ``Format.named("RGBA8888")`` for the named formats
    (:data:`FORMAT_NAMES`), or any combination of fields::

        Format(bits_per_component=16, bits_per_pixel=64,
               bitmap_info=lib.kCGImageAlphaLast | lib.kCGBitmapByteOrder16Little,
               color_space="DisplayP3")

    ``color_space`` is None (sRGB; DeviceGray for the named Planar formats), a name
    (``"SRGB"``, ``"DisplayP3"``, ``"LinearSRGB"``, ``"DeviceGray"``, ...) or a CGColorSpaceRef.
    """

    def __init__(self, name=None, *, bits_per_component=None, bits_per_pixel=None, bitmap_info=0,
                 color_space=None, rendering_intent=0, decode=None):
        if name is not None:
            if name not in _NAMED:
                raise ValueError(f"unknown format {name!r}; known: {', '.join(FORMAT_NAMES)}")
            bits_per_component, bits_per_pixel, bitmap_info, gray = _NAMED[name]
            if gray and color_space is None:
                color_space = "DeviceGray"  # NULL means RGB to vImage
        elif bits_per_component is None or bits_per_pixel is None:
            raise TypeError("give a format name or bits_per_component and bits_per_pixel")
        self.name = name
        self._space = _color_space(color_space)
        self._c = ffi.new("vImage_CGImageFormat *")
        self._c.bitsPerComponent = bits_per_component
        self._c.bitsPerPixel = bits_per_pixel
        self._c.colorSpace = self._space
        self._c.bitmapInfo = bitmap_info
        self._c.version = 0
        self._c.renderingIntent = rendering_intent
        if decode is not None:
            self._decode = ffi.new("CGFloat[]", [float(v) for v in decode])
            self._c.decode = self._decode
        else:
            self._decode = None

    @classmethod
    def named(cls, name: str, color_space=None) -> "Format":
        return cls(name, color_space=color_space)

    @classmethod
    def _of(cls, spec) -> "Format":
        if isinstance(spec, Format):
            return spec
        if isinstance(spec, str):
            return cls(spec)
        raise TypeError(f"expected a format name or a vimage.Format, not {type(spec).__name__}")

    bits_per_component = property(lambda self: self._c.bitsPerComponent)
    bits_per_pixel = property(lambda self: self._c.bitsPerPixel)
    bitmap_info = property(lambda self: self._c.bitmapInfo)
    rendering_intent = property(lambda self: self._c.renderingIntent)
    alpha_info = property(lambda self: self._c.bitmapInfo & lib.kCGBitmapAlphaInfoMask)
    is_float = property(lambda self: bool(self._c.bitmapInfo & _FLOAT))

    @property
    def color_space(self):
        """The CGColorSpaceRef (``ffi.NULL`` for the default)."""
        return self._space

    @property
    def components(self) -> int:
        """Colour + alpha components (``vImageCGImageFormat_GetComponentCount``)."""
        return lib.vImageCGImageFormat_GetComponentCount(self._c)

    @property
    def channels(self) -> int:
        """Array channels per pixel: the last axis of the arrays of this format (1: 2-D arrays)."""
        bpc, bpp = self._c.bitsPerComponent, self._c.bitsPerPixel
        if bpc in (8, 16, 32) and bpp % bpc == 0:
            return bpp // bpc
        return 1  # packed (565, 1555, 2101010...): one integer per pixel

    @property
    def dtype(self) -> np.dtype:
        bpc, bpp = self._c.bitsPerComponent, self._c.bitsPerPixel
        if bpc in (8, 16, 32) and bpp % bpc == 0:
            if self.is_float:
                return np.dtype(np.float16 if bpc == 16 else np.float32)
            return np.dtype({8: np.uint8, 16: np.uint16, 32: np.uint32}[bpc])
        return np.dtype({8: np.uint8, 16: np.uint16, 32: np.uint32}.get(bpp, np.uint8))

    def array_shape(self, height: int, width: int) -> tuple:
        return (height, width) if self.channels == 1 else (height, width, self.channels)

    def __eq__(self, other):
        if not isinstance(other, Format):
            return NotImplemented
        return bool(lib.vImageCGImageFormat_IsEqual(self._c, other._c))

    __hash__ = None

    def __repr__(self):
        if self.name:
            return f"vimage.Format({self.name!r})"
        return (f"vimage.Format(bits_per_component={self.bits_per_component}, "
                f"bits_per_pixel={self.bits_per_pixel}, bitmap_info={self.bitmap_info:#x})")


# --------------------------------------------------------------------------------------------
# Arrays <-> vImage_Buffer


def _as_array(obj) -> np.ndarray:
    return obj if isinstance(obj, np.ndarray) else np.asarray(obj)


def _geometry(arr: np.ndarray, channels: int | None = None):
    """(height, width, channels) of an image array, checking its layout."""
    if arr.ndim == 2:
        h, w = arr.shape
        c = 1
    elif arr.ndim == 3:
        h, w, c = arr.shape
    else:
        raise ValueError(f"expected an array of shape (height, width) or (height, width, channels), got {arr.shape}")
    if channels is not None and c != channels:
        raise ValueError(f"expected {channels} channel(s), the array has {c} (shape {arr.shape})")
    return h, w, c


def _row_layout_ok(arr: np.ndarray) -> bool:
    """Pixels packed within each row, rows at a positive stride (what a vImage_Buffer can say)."""
    h, w, c = _geometry(arr)
    item = arr.itemsize
    if arr.ndim == 3 and c > 1 and arr.strides[2] != item:
        return False
    if w > 1 and arr.strides[1] != c * item:
        return False
    return h <= 1 or arr.strides[0] >= w * c * item


def _buffer(arr: np.ndarray, writable: bool = False):
    """A ``vImage_Buffer *`` describing ``arr`` (which the caller keeps alive during the call)."""
    if writable and not arr.flags.writeable:
        raise ValueError("the output array is read-only")
    if not _row_layout_ok(arr):
        raise ValueError("the array's pixels are not packed within its rows; pass np.ascontiguousarray(arr)")
    h, w, c = _geometry(arr)
    buf = ffi.new("vImage_Buffer *")
    buf.data = ffi.cast("void *", arr.__array_interface__["data"][0])
    buf.height = h
    buf.width = w
    buf.rowBytes = arr.strides[0] if h > 1 else w * c * arr.itemsize
    return buf


def _input(obj, dtype=None, channels=None) -> np.ndarray:
    arr = _as_array(obj)
    if dtype is not None and arr.dtype != dtype:
        raise TypeError(f"expected {np.dtype(dtype)} pixels, got {arr.dtype}")
    _geometry(arr, channels)
    if not _row_layout_ok(arr):
        arr = np.ascontiguousarray(arr)
    return arr


def _output(out, shape, dtype) -> np.ndarray:
    if out is None:
        return np.empty(shape, dtype)
    if out.shape != tuple(shape) or out.dtype != dtype:
        raise ValueError(f"out must have shape {tuple(shape)} and dtype {np.dtype(dtype)}, got {out.shape} {out.dtype}")
    return out


# --------------------------------------------------------------------------------------------
# Images

# Objects lent to images created without a copy, by the address of their cffi handle; the
# release callback removes the entry, which drops the last reference the library held.
_lent: dict[int, object] = {}
_lent_lock = threading.Lock()


def _on_release(user_data, buf_data, _lent=_lent, _lock=_lent_lock, _ffi=ffi):
    # Runs on the thread that released the image's last reference (any thread, or interpreter
    # shutdown): only the captured dict and lock are used, never module globals.
    try:
        key = int(_ffi.cast("uintptr_t", user_data))
        with _lock:
            handle = _lent.pop(key, None)
        del handle  # the array (and the object it came from) may be freed here
    except BaseException:  # pragma: no cover - nothing may unwind into C
        pass


_release_callback = ffi.callback("void(*)(void *, void *)", _on_release)


def _immortal(obj) -> None:
    """Never free ``obj``: an image released during interpreter shutdown, after this module was
    torn down, still calls the release callback."""
    import ctypes

    ctypes.pythonapi.Py_IncRef(ctypes.py_object(obj))


_immortal(_release_callback)


class _PixelView:
    """Exposes an image's pixel memory to numpy while keeping the image alive."""

    def __init__(self, image, interface):
        self._image = image
        self.__array_interface__ = interface


class Image:
    """A ``CGImageRef`` (released when the last Python reference, view or image, goes away)."""

    __slots__ = ("_ref", "_format", "_data", "_shape", "_row_bytes", "_dtype", "__weakref__")

    def __init__(self):
        raise TypeError("use vimage.Image.from_array(...)")

    @classmethod
    def from_array(cls, obj, format="RGBA8888", copy: bool = True) -> "Image":
        """An image of the pixels of ``obj``, any buffer-protocol object of shape
        ``(height, width, channels)`` (or ``(height, width)`` for one channel) whose dtype and
        channel count match ``format``.

        ``copy=True`` copies the pixels (later changes to ``obj`` do not show);
        ``copy=False`` wraps them (``kvImageNoAllocate``): the image keeps ``obj`` alive until the
        library's release callback runs, after the last reference to the image (and to its
        :meth:`pixels` views) is gone, on whatever thread that happens.
        """
        fmt = Format._of(format)
        arr = _as_array(obj)
        if arr.dtype != fmt.dtype:
            raise TypeError(f"format {fmt!r} takes {fmt.dtype} pixels, got {arr.dtype}")
        h, w, c = _geometry(arr)
        if c != fmt.channels:
            raise ValueError(f"format {fmt!r} has {fmt.channels} channel(s) per pixel, the array has {c}")
        if copy:
            arr = np.array(arr, order="C", copy=True)
        elif not _row_layout_ok(arr):
            raise ValueError("copy=False needs pixels packed within rows (np.ascontiguousarray makes a copy)")
        buf = _buffer(arr)
        handle = ffi.new_handle(arr)  # arr.base keeps obj (and its buffer export) alive
        key = int(ffi.cast("uintptr_t", handle))
        with _lent_lock:
            _lent[key] = handle
        err = ffi.new("vImage_Error *")
        ref = lib.vImageCreateCGImageFromBuffer(buf, fmt._c, _release_callback, handle,
                                                lib.kvImageNoAllocate, err)
        if ref == ffi.NULL:
            with _lent_lock:
                _lent.pop(key, None)
            raise Error(err[0], "vImageCreateCGImageFromBuffer")
        self = object.__new__(cls)
        self._ref = ffi.gc(ref, lib.CGImageRelease, size=arr.nbytes)
        self._format = fmt
        self._data = int(ffi.cast("uintptr_t", buf.data))
        self._shape = arr.shape
        self._row_bytes = int(buf.rowBytes)
        self._dtype = arr.dtype
        return self

    @property
    def cgimage(self):
        """The CGImageRef (valid while this object lives)."""
        return self._ref

    width = property(lambda self: lib.CGImageGetWidth(self._ref))
    height = property(lambda self: lib.CGImageGetHeight(self._ref))
    bits_per_component = property(lambda self: lib.CGImageGetBitsPerComponent(self._ref))
    bits_per_pixel = property(lambda self: lib.CGImageGetBitsPerPixel(self._ref))
    bytes_per_row = property(lambda self: lib.CGImageGetBytesPerRow(self._ref))
    bitmap_info = property(lambda self: lib.CGImageGetBitmapInfo(self._ref))
    alpha_info = property(lambda self: lib.CGImageGetAlphaInfo(self._ref))

    @property
    def format(self) -> Format:
        """The format the image was created with."""
        return self._format

    def to_numpy(self, format=None, background=None) -> np.ndarray:
        """A new array of the image in ``format`` (default: its own), written by
        ``vImageBuffer_InitWithCGImage`` straight into the array (``kvImageNoAllocate``).
        ``background`` (one value per colour channel, 0..1) flattens alpha away."""
        fmt = self._format if format is None else Format._of(format)
        out = np.empty(fmt.array_shape(self.height, self.width), fmt.dtype)
        buf = _buffer(out, writable=True)
        bg = ffi.NULL if background is None else ffi.new("CGFloat[]", [float(v) for v in background])
        code = lib.vImageBuffer_InitWithCGImage(buf, fmt._c, bg, self._ref, lib.kvImageNoAllocate)
        _check(code, "vImageBuffer_InitWithCGImage")
        return out

    def pixels(self) -> np.ndarray:
        """A read-only, zero-copy view of the image's own pixels; the view keeps the image alive."""
        strides = (self._row_bytes,) + tuple(
            self._dtype.itemsize * (self._shape[2] if len(self._shape) == 3 and i == 0 else 1)
            for i in range(len(self._shape) - 1)
        )
        interface = {
            "version": 3,
            "shape": self._shape,
            "typestr": self._dtype.str,
            "data": (self._data, True),
            "strides": strides,
        }
        return np.asarray(_PixelView(self, interface))

    def __repr__(self):
        return f"<vimage.Image {self.width}x{self.height} {self._format!r}>"


# --------------------------------------------------------------------------------------------
# Converter


class Converter:
    """A ``vImageConverterRef`` between two formats (``vImageConverter_CreateWithCGImageFormat``)."""

    def __init__(self, source, destination, background=None, flags: int = 0):
        self.source = Format._of(source)
        self.destination = Format._of(destination)
        bg = ffi.NULL if background is None else ffi.new("CGFloat[]", [float(v) for v in background])
        err = ffi.new("vImage_Error *")
        ref = lib.vImageConverter_CreateWithCGImageFormat(self.source._c, self.destination._c, bg, flags, err)
        if ref == ffi.NULL:
            raise Error(err[0], "vImageConverter_CreateWithCGImageFormat")
        self._ref = ffi.gc(ref, lib.vImageConverter_Release)
        if (lib.vImageConverter_GetNumberOfSourceBuffers(ref) != 1
                or lib.vImageConverter_GetNumberOfDestinationBuffers(ref) != 1):
            raise ValueError("only converters between single-buffer (chunky or one-plane) formats are supported")

    def convert(self, arr, out=None, flags: int = 0) -> np.ndarray:
        """Convert an array of the source format into a (new, or ``out``) array of the destination's."""
        src = _input(arr, self.source.dtype, self.source.channels)
        h, w, _ = _geometry(src)
        dst = _output(out, self.destination.array_shape(h, w), self.destination.dtype)
        code = lib.vImageConvert_AnyToAny(self._ref, _buffer(src), _buffer(dst, writable=True), ffi.NULL, flags)
        _check(code, "vImageConvert_AnyToAny")
        return dst


def convert(arr, source, destination, out=None, background=None) -> np.ndarray:
    """Convert pixels between two formats: ``convert(a, "RGBA8888", "BGRA8888")``."""
    return Converter(source, destination, background).convert(arr, out)


# --------------------------------------------------------------------------------------------
# Pixel operations

_DEPTH = {np.dtype(np.uint8): "8888", np.dtype(np.uint16): "16U", np.dtype(np.float32): "FFFF"}
_ORDERS = ("RGBA", "ARGB", "BGRA")


def _four_channel(name: str, arr, order: str, out):
    src = _input(arr, channels=4)
    depth = _DEPTH.get(src.dtype)
    if order not in _ORDERS or depth is None:
        raise TypeError(f"{name} takes uint8, uint16 or float32 pixels in order RGBA, ARGB or BGRA")
    func = getattr(lib, f"{name}_{order}{depth}", None)
    if func is None:
        raise TypeError(f"{name}_{order}{depth} does not exist in this vImage")
    dst = _output(out, src.shape, src.dtype)
    code = func(_buffer(src), _buffer(dst, writable=True), 0)
    _check(code, f"{name}_{order}{depth}")
    return dst


def premultiply(arr, order: str = "RGBA", out=None) -> np.ndarray:
    """Multiply colour by alpha (``vImagePremultiplyData_<order><depth>``); ``out=arr`` works in place.
    ``order`` is where alpha sits: ``"RGBA"``, ``"ARGB"`` or ``"BGRA"``."""
    return _four_channel("vImagePremultiplyData", arr, order, out)


def unpremultiply(arr, order: str = "RGBA", out=None) -> np.ndarray:
    """Divide colour by alpha (``vImageUnpremultiplyData_<order><depth>``)."""
    return _four_channel("vImageUnpremultiplyData", arr, order, out)


def clip_to_alpha(arr, order: str = "RGBA", out=None) -> np.ndarray:
    """Clamp each colour channel to at most alpha (``vImageClipToAlpha_<order><depth>``)."""
    return _four_channel("vImageClipToAlpha", arr, order, out)


_PERMUTE = {
    (np.dtype(np.uint8), 4): "vImagePermuteChannels_ARGB8888",
    (np.dtype(np.uint16), 4): "vImagePermuteChannels_ARGB16U",
    (np.dtype(np.float32), 4): "vImagePermuteChannels_ARGBFFFF",
    (np.dtype(np.uint8), 3): "vImagePermuteChannels_RGB888",
}


def permute(arr, order, out=None) -> np.ndarray:
    """Reorder channels: output channel ``i`` is input channel ``order[i]``
    (``vImagePermuteChannels_*``), e.g. ``permute(rgba, (2, 1, 0, 3))`` gives BGRA."""
    src = _input(arr)
    _, _, c = _geometry(src)
    name = _PERMUTE.get((src.dtype, c))
    if name is None:
        raise TypeError("permute takes 4-channel uint8/uint16/float32 or 3-channel uint8 arrays")
    order = [int(i) for i in order]
    if len(order) != c:
        raise ValueError(f"order needs {c} entries, got {len(order)}")
    dst = _output(out, src.shape, src.dtype)
    code = getattr(lib, name)(_buffer(src), _buffer(dst, writable=True), ffi.new("uint8_t[]", order), 0)
    _check(code, name)
    return dst


def flatten(arr, background, order: str = "RGBA", premultiplied: bool = False) -> np.ndarray:
    """Composite over an opaque ``background`` colour and drop alpha: 4-channel uint8 or float32
    in, 3-channel RGB out (``vImageFlatten_<order><depth>To<RGB888|RGBFFF>``). ``background`` is
    (r, g, b) in the array's own scale (0..255 for uint8, 0..1 for float32)."""
    src = _input(arr, channels=4)
    if src.dtype == np.uint8:
        name, ctype, scalar, opaque = f"vImageFlatten_{order}8888ToRGB888", "uint8_t[4]", int, 255
    elif src.dtype == np.float32:
        name, ctype, scalar, opaque = f"vImageFlatten_{order}FFFFToRGBFFF", "float[4]", float, 1.0
    else:
        raise TypeError("flatten takes uint8 or float32 pixels")
    func = getattr(lib, name, None)
    if func is None or order not in _ORDERS:
        raise TypeError(f"{name} does not exist in this vImage")
    r, g, b = (scalar(v) for v in background)
    # The background pixel is in the source's channel order, alpha opaque.
    values = {"RGBA": (r, g, b, opaque), "ARGB": (opaque, r, g, b), "BGRA": (b, g, r, opaque)}[order]
    bg = ffi.new(ctype, values)
    h, w, _ = _geometry(src)
    dst = np.empty((h, w, 3), src.dtype)
    code = func(_buffer(src), _buffer(dst, writable=True), bg, bool(premultiplied), 0)
    _check(code, name)
    return dst
