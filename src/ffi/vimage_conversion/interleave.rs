//! Conversion.h §1.1 / §1.2 from C: dropping and adding the fourth channel, interleave and
//! de-interleave, the generic strided forms. Thin wrappers: argument checks here, pixels in
//! [`crate::ops::interleave`].
//!
//! Sizes: one-to-one and interleaving functions work on the destination's size and want every
//! source at least that large (`kvImageRoiLargerThanInputBuffer`; the 16U functions return
//! `kvImageBufferSizeMismatch`, the code their header documents). De-interleaving functions
//! work on the first destination plane's size; the other planes must be exactly that size
//! (`kvImageBufferSizeMismatch`).

use std::ffi::{c_uint, c_void};

use crate::error::{Error, Result};
use crate::ffi::buffers::{buffer, call, matching, optional, plane, size_of, source};
use crate::kernels::interleave::Sample;
use crate::kernels::rows::{InPlace, Plane, span};
use crate::ops::interleave::{self as ops, ChannelOrder as Order, Strided, Three};
use crate::types::*;

/// A source plane of `w x h` samples of `bits` bits. `mismatch`: a too-small buffer is
/// `kvImageBufferSizeMismatch` (16U functions) rather than `kvImageRoiLargerThanInputBuffer`.
///
/// # Safety
/// `buf` describes caller memory (the C contract).
unsafe fn src(
    buf: &vImage_Buffer,
    w: usize,
    h: usize,
    bits: usize,
    name: &'static str,
    mismatch: bool,
) -> Result<Plane> {
    if mismatch && !buf.data.is_null() && ((buf.width as usize) < w || (buf.height as usize) < h) {
        return Err(Error::BufferSizeMismatch(name));
    }
    // SAFETY: forwarded.
    unsafe { source(buf, w, h, bits, name) }
}

/// 4 -> 3 channels.
///
/// # Safety
/// NULL or valid buffer descriptions of caller memory.
#[allow(clippy::too_many_arguments)]
unsafe fn drop_alpha(
    name: &str,
    s: *const vImage_Buffer,
    d: *const vImage_Buffer,
    flags: vImage_Flags,
    elem: usize,
    order: Order,
    in_place: InPlace,
    mismatch: bool,
) -> vImage_Error {
    call(name, flags, |f| {
        // SAFETY: NULL or valid buffer descriptions (the C contract).
        let (s, d) = unsafe { (buffer(s, "src")?, buffer(d, "dest")?) };
        let (w, h) = size_of(d);
        let bits = 8 * elem;
        // SAFETY: the buffers describe caller memory (the C contract).
        let (dp, sp) = unsafe {
            (
                plane(d, w, h, 3 * bits, "dest")?,
                src(s, w, h, 4 * bits, "src", mismatch)?,
            )
        };
        ops::drop_alpha(sp, dp, w, h, elem, order, in_place, f)
    })
}

/// 3 -> 4 channels.
///
/// # Safety
/// NULL or valid buffer descriptions of caller memory.
#[allow(clippy::too_many_arguments)]
unsafe fn add_alpha<T: Sample>(
    name: &str,
    rgb: *const vImage_Buffer,
    a: *const vImage_Buffer,
    alpha: T,
    d: *const vImage_Buffer,
    premultiply: bool,
    flags: vImage_Flags,
    order: Order,
    mismatch: bool,
) -> vImage_Error {
    call(name, flags, |f| {
        // SAFETY: NULL or valid buffer descriptions (the C contract).
        let (rgb, a, d) = unsafe { (buffer(rgb, "rgbSrc")?, optional(a), buffer(d, "dest")?) };
        let (w, h) = size_of(d);
        let bits = 8 * T::SIZE;
        // SAFETY: the buffers describe caller memory (the C contract).
        let (dp, sp, ap) = unsafe {
            (
                plane(d, w, h, 4 * bits, "dest")?,
                src(rgb, w, h, 3 * bits, "rgbSrc", mismatch)?,
                match a {
                    Some(a) => Some(src(a, w, h, bits, "aSrc", mismatch)?),
                    None => None,
                },
            )
        };
        ops::add_alpha(sp, ap, alpha, dp, w, h, order, premultiply, f)
    })
}

/// N planes -> N channels.
///
/// # Safety
/// NULL or valid buffer descriptions of caller memory.
unsafe fn interleave<const N: usize>(
    name: &str,
    planes: [*const vImage_Buffer; N],
    d: *const vImage_Buffer,
    flags: vImage_Flags,
    elem: usize,
    mismatch: bool,
) -> vImage_Error {
    call(name, flags, |f| {
        // SAFETY: NULL or valid buffer descriptions (the C contract).
        let d = unsafe { buffer(d, "dest")? };
        let mut ps = [None; N];
        for (p, b) in ps.iter_mut().zip(planes) {
            // SAFETY: as above.
            *p = Some(unsafe { buffer(b, "planar source")? });
        }
        let (w, h) = size_of(d);
        let bits = 8 * elem;
        // SAFETY: the buffers describe caller memory (the C contract).
        let dp = unsafe { plane(d, w, h, N * bits, "dest")? };
        let mut sp = [dp; N];
        for (s, p) in sp.iter_mut().zip(ps) {
            // SAFETY: as above.
            *s = unsafe { src(p.expect("set above"), w, h, bits, "planar source", mismatch)? };
        }
        match <[Plane; 3]>::try_from(&sp[..]) {
            Ok(three) => ops::interleave3(three, dp, w, h, elem, f),
            Err(_) => ops::interleave4(
                <[Plane; 4]>::try_from(&sp[..]).map_err(|_| Error::Internal("3 or 4 planes"))?,
                dp,
                w,
                h,
                elem,
                f,
            ),
        }
    })
}

/// 3 planes + a constant -> 4 channels.
///
/// # Safety
/// NULL or valid buffer descriptions of caller memory.
unsafe fn interleave_constant(
    name: &str,
    planes: [*const vImage_Buffer; 3],
    constant: &[u8],
    first: bool,
    d: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    call(name, flags, |f| {
        // SAFETY: NULL or valid buffer descriptions (the C contract).
        let (p0, p1, p2, d) = unsafe {
            (
                buffer(planes[0], "planar source")?,
                buffer(planes[1], "planar source")?,
                buffer(planes[2], "planar source")?,
                buffer(d, "dest")?,
            )
        };
        let (w, h) = size_of(d);
        let bits = 8 * constant.len();
        // SAFETY: the buffers describe caller memory (the C contract).
        let (dp, sp) = unsafe {
            (
                plane(d, w, h, 4 * bits, "dest")?,
                [
                    source(p0, w, h, bits, "planar source")?,
                    source(p1, w, h, bits, "planar source")?,
                    source(p2, w, h, bits, "planar source")?,
                ],
            )
        };
        ops::interleave_with_constant(sp, constant, first, dp, w, h, f)
    })
}

/// Checked destination planes for a de-interleave: the first defines the size, the others
/// must match it.
///
/// # Safety
/// NULL or valid buffer descriptions of caller memory.
unsafe fn dest_planes<const N: usize>(
    planes: [*const vImage_Buffer; N],
    bits: usize,
) -> Result<([Plane; N], usize, usize)> {
    let mut bufs = [None; N];
    for (b, p) in bufs.iter_mut().zip(planes) {
        // SAFETY: NULL or valid buffer descriptions (the C contract).
        *b = Some(unsafe { buffer(p, "planar destination")? });
    }
    let first = bufs[0].expect("set above");
    let (w, h) = size_of(first);
    // SAFETY: the buffers describe caller memory (the C contract).
    let p0 = unsafe { plane(first, w, h, bits, "planar destination")? };
    let mut out = [p0; N];
    for (o, b) in out.iter_mut().zip(bufs).skip(1) {
        // SAFETY: as above.
        *o = unsafe { matching(b.expect("set above"), w, h, bits, "planar destination")? };
    }
    Ok((out, w, h))
}

/// N channels -> 4 planes.
///
/// # Safety
/// NULL or valid buffer descriptions of caller memory.
unsafe fn deinterleave4(
    name: &str,
    s: *const vImage_Buffer,
    planes: [*const vImage_Buffer; 4],
    flags: vImage_Flags,
    elem: usize,
    mismatch: bool,
) -> vImage_Error {
    call(name, flags, |f| {
        // SAFETY: NULL or valid buffer descriptions of caller memory (the C contract).
        let (s, (dp, w, h)) = unsafe { (buffer(s, "src")?, dest_planes(planes, 8 * elem)?) };
        // SAFETY: as above.
        let sp = unsafe { src(s, w, h, 32 * elem, "src", mismatch)? };
        ops::deinterleave4(sp, dp, w, h, elem, f)
    })
}

/// 3 or 4 channels -> 3 planes.
///
/// # Safety
/// NULL or valid buffer descriptions of caller memory.
unsafe fn deinterleave3(
    name: &str,
    s: *const vImage_Buffer,
    planes: [*const vImage_Buffer; 3],
    flags: vImage_Flags,
    elem: usize,
    which: Three,
    mismatch: bool,
) -> vImage_Error {
    call(name, flags, |f| {
        // SAFETY: NULL or valid buffer descriptions of caller memory (the C contract).
        let (s, (dp, w, h)) = unsafe { (buffer(s, "src")?, dest_planes(planes, 8 * elem)?) };
        let channels = if which == Three::Rgb { 3 } else { 4 };
        // SAFETY: as above.
        let sp = unsafe { src(s, w, h, channels * 8 * elem, "src", mismatch)? };
        ops::deinterleave3(sp, dp, w, h, elem, which, f)
    })
}

/// The plane covering every channel of a strided image, and where each channel sits in it.
/// `None` when there is no pixel.
///
/// # Safety
/// `channels` points to `count` pointers into caller memory that holds `height` rows of
/// `width` pixels `stride` bytes apart per channel, rows `row_bytes` apart.
unsafe fn strided(
    channels: *const *const u8,
    count: usize,
    stride: usize,
    width: usize,
    height: usize,
    row_bytes: usize,
    elem: usize,
) -> Result<Option<(Plane, Strided)>> {
    if channels.is_null() {
        return Err(Error::NullPointer("channel pointer array"));
    }
    let mut ptrs = Vec::with_capacity(count);
    for i in 0..count {
        // SAFETY: `count` readable entries (the C contract).
        let p = unsafe { channels.add(i).read_unaligned() };
        if p.is_null() {
            return Err(Error::NullPointer("channel pointer"));
        }
        ptrs.push(p as usize);
    }
    if width == 0 || height == 0 {
        return Ok(None);
    }
    let base = *ptrs.iter().min().expect("count > 0");
    let offsets: Vec<usize> = ptrs.iter().map(|p| p - base).collect();
    // The channels are samples of one pixel of `stride` bytes (Apple: "pixels that are
    // srcStrideBytes bytes in size"); pointers further apart would make the image's span
    // cover memory it does not describe.
    if offsets
        .iter()
        .any(|&o| o.checked_add(elem).is_none_or(|end| end > stride))
    {
        return Err(Error::InvalidParameter(
            "channel pointers must lie within one pixel of strideBytes bytes",
        ));
    }
    let overflow = Error::InvalidParameter("strided image overflows the address space");
    let row_len = (width - 1)
        .checked_mul(stride)
        .and_then(|v| v.checked_add(*offsets.iter().max().expect("count > 0")))
        .and_then(|v| v.checked_add(elem))
        .ok_or(overflow.clone())?;
    if height > 1 && row_bytes < row_len {
        return Err(Error::InvalidParameter(
            "rowBytes shorter than a row of the strided image",
        ));
    }
    let total = span(height, row_bytes, row_len).ok_or(overflow.clone())?;
    if total > isize::MAX as usize || base.checked_add(total).is_none() {
        return Err(overflow);
    }
    // SAFETY: the span is what the caller's pointers, stride and rowBytes describe (the C
    // contract); sizes checked above.
    let plane = unsafe { Plane::new(base as *mut u8, row_bytes, row_len, height) };
    Ok(Some((
        plane,
        Strided {
            offsets,
            stride,
            elem,
        },
    )))
}

/// Reads `count` buffer pointers from a C array.
///
/// # Safety
/// `list` is NULL or points to `count` readable entries, each NULL or a valid buffer.
unsafe fn buffer_list<'a>(
    list: *const *const vImage_Buffer,
    count: usize,
    name: &'static str,
) -> Result<Vec<&'a vImage_Buffer>> {
    if list.is_null() {
        return Err(Error::NullPointer(name));
    }
    (0..count)
        // SAFETY: `count` readable entries, each NULL or valid (the C contract).
        .map(|i| unsafe { buffer(list.add(i).read_unaligned(), name) })
        .collect()
}

/// ChunkyToPlanar8 / F.
///
/// # Safety
/// The C contract of `vImageConvert_ChunkyToPlanar8`.
#[allow(clippy::too_many_arguments)]
unsafe fn chunky_to_planar(
    name: &str,
    channels: *const *const u8,
    planes: *const *const vImage_Buffer,
    count: c_uint,
    stride: usize,
    width: vImagePixelCount,
    height: vImagePixelCount,
    row_bytes: usize,
    flags: vImage_Flags,
    elem: usize,
) -> vImage_Error {
    call(name, flags, |f| {
        let (w, h, n) = (width as usize, height as usize, count as usize);
        if n == 0 {
            return Err(Error::InvalidParameter("channelCount is 0"));
        }
        // SAFETY: the C contract.
        let bufs = unsafe { buffer_list(planes, n, "destPlanarBuffers")? };
        // SAFETY: the C contract.
        let Some((sp, layout)) = (unsafe { strided(channels, n, stride, w, h, row_bytes, elem)? })
        else {
            return Ok(());
        };
        let mut dps = Vec::with_capacity(n);
        for b in bufs {
            if (b.width as usize) < w || (b.height as usize) < h {
                return Err(Error::BufferSizeMismatch(
                    "destination plane smaller than srcWidth x srcHeight",
                ));
            }
            // SAFETY: the buffer describes caller memory (the C contract).
            dps.push(unsafe { plane(b, w, h, 8 * elem, "destPlanarBuffers")? });
        }
        ops::chunky_to_planar(sp, &layout, &dps, w, h, f)
    })
}

/// PlanarToChunky8 / F.
///
/// # Safety
/// The C contract of `vImageConvert_PlanarToChunky8`.
#[allow(clippy::too_many_arguments)]
unsafe fn planar_to_chunky(
    name: &str,
    planes: *const *const vImage_Buffer,
    channels: *const *const u8,
    count: c_uint,
    stride: usize,
    width: vImagePixelCount,
    height: vImagePixelCount,
    row_bytes: usize,
    flags: vImage_Flags,
    elem: usize,
) -> vImage_Error {
    call(name, flags, |f| {
        let (w, h, n) = (width as usize, height as usize, count as usize);
        if n == 0 {
            return Err(Error::InvalidParameter("channelCount is 0"));
        }
        // SAFETY: the C contract.
        let bufs = unsafe { buffer_list(planes, n, "srcPlanarBuffers")? };
        // SAFETY: the C contract.
        let Some((dp, layout)) = (unsafe { strided(channels, n, stride, w, h, row_bytes, elem)? })
        else {
            return Ok(());
        };
        let mut sps = Vec::with_capacity(n);
        for b in bufs {
            // SAFETY: the buffer describes caller memory (the C contract).
            sps.push(unsafe { source(b, w, h, 8 * elem, "srcPlanarBuffers")? });
        }
        ops::planar_to_chunky(&sps, &layout, dp, w, h, f)
    })
}

// ---- §1.1 dropping the fourth channel ---------------------------------------------------------
/// ARGB8888 -> RGB888: channels 1, 2, 3; in place IP-B.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_ARGB8888toRGB888(
    argbSrc: *const vImage_Buffer,
    rgbDest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract (NULL or valid buffers).
    unsafe {
        drop_alpha(
            "vImageConvert_ARGB8888toRGB888",
            argbSrc,
            rgbDest,
            flags,
            1,
            Order::Argb,
            InPlace::SameStart,
            false,
        )
    }
}

/// RGBA8888 -> RGB888: channels 0, 1, 2; in place IP-B.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_RGBA8888toRGB888(
    rgbaSrc: *const vImage_Buffer,
    rgbDest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract (NULL or valid buffers).
    unsafe {
        drop_alpha(
            "vImageConvert_RGBA8888toRGB888",
            rgbaSrc,
            rgbDest,
            flags,
            1,
            Order::Rgba,
            InPlace::SameStart,
            false,
        )
    }
}

/// BGRA8888 -> RGB888: channels 2, 1, 0; in place IP-B.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_BGRA8888toRGB888(
    bgraSrc: *const vImage_Buffer,
    rgbDest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract (NULL or valid buffers).
    unsafe {
        drop_alpha(
            "vImageConvert_BGRA8888toRGB888",
            bgraSrc,
            rgbDest,
            flags,
            1,
            Order::Bgra,
            InPlace::SameStart,
            false,
        )
    }
}

/// ARGB16U -> RGB16U: channels 1, 2, 3; not in place.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_ARGB16UtoRGB16U(
    argbSrc: *const vImage_Buffer,
    rgbDest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract (NULL or valid buffers).
    unsafe {
        drop_alpha(
            "vImageConvert_ARGB16UtoRGB16U",
            argbSrc,
            rgbDest,
            flags,
            2,
            Order::Argb,
            InPlace::No,
            true,
        )
    }
}

/// RGBA16U -> RGB16U: channels 0, 1, 2; in place IP-A.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_RGBA16UtoRGB16U(
    rgbaSrc: *const vImage_Buffer,
    rgbDest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract (NULL or valid buffers).
    unsafe {
        drop_alpha(
            "vImageConvert_RGBA16UtoRGB16U",
            rgbaSrc,
            rgbDest,
            flags,
            2,
            Order::Rgba,
            InPlace::Exact,
            true,
        )
    }
}

/// BGRA16U -> RGB16U: channels 2, 1, 0; not in place.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_BGRA16UtoRGB16U(
    bgraSrc: *const vImage_Buffer,
    rgbDest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract (NULL or valid buffers).
    unsafe {
        drop_alpha(
            "vImageConvert_BGRA16UtoRGB16U",
            bgraSrc,
            rgbDest,
            flags,
            2,
            Order::Bgra,
            InPlace::No,
            true,
        )
    }
}

/// ARGBFFFF -> RGBFFF: channels 1, 2, 3; in place IP-B.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_ARGBFFFFtoRGBFFF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract (NULL or valid buffers).
    unsafe {
        drop_alpha(
            "vImageConvert_ARGBFFFFtoRGBFFF",
            src,
            dest,
            flags,
            4,
            Order::Argb,
            InPlace::SameStart,
            false,
        )
    }
}

/// RGBAFFFF -> RGBFFF: channels 0, 1, 2; in place IP-B.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_RGBAFFFFtoRGBFFF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract (NULL or valid buffers).
    unsafe {
        drop_alpha(
            "vImageConvert_RGBAFFFFtoRGBFFF",
            src,
            dest,
            flags,
            4,
            Order::Rgba,
            InPlace::SameStart,
            false,
        )
    }
}

/// BGRAFFFF -> RGBFFF: channels 2, 1, 0; in place IP-B.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_BGRAFFFFtoRGBFFF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract (NULL or valid buffers).
    unsafe {
        drop_alpha(
            "vImageConvert_BGRAFFFFtoRGBFFF",
            src,
            dest,
            flags,
            4,
            Order::Bgra,
            InPlace::SameStart,
            false,
        )
    }
}

// ---- §1.1 adding the fourth channel ------------------------------------------------------------

/// RGB888 + alpha plane (or the constant `alpha` when `aSrc` is NULL) -> ARGB8888, optionally premultiplied; not in place.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_RGB888toARGB8888(
    rgbSrc: *const vImage_Buffer,
    aSrc: *const vImage_Buffer,
    alpha: Pixel_8,
    argbDest: *const vImage_Buffer,
    premultiply: bool,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract (NULL or valid buffers).
    unsafe {
        add_alpha::<u8>(
            "vImageConvert_RGB888toARGB8888",
            rgbSrc,
            aSrc,
            alpha,
            argbDest,
            premultiply,
            flags,
            Order::Argb,
            false,
        )
    }
}

/// RGB888 + alpha plane (or the constant `alpha` when `aSrc` is NULL) -> RGBA8888, optionally premultiplied; not in place.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_RGB888toRGBA8888(
    rgbSrc: *const vImage_Buffer,
    aSrc: *const vImage_Buffer,
    alpha: Pixel_8,
    rgbaDest: *const vImage_Buffer,
    premultiply: bool,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract (NULL or valid buffers).
    unsafe {
        add_alpha::<u8>(
            "vImageConvert_RGB888toRGBA8888",
            rgbSrc,
            aSrc,
            alpha,
            rgbaDest,
            premultiply,
            flags,
            Order::Rgba,
            false,
        )
    }
}

/// RGB888 + alpha plane (or the constant `alpha` when `aSrc` is NULL) -> BGRA8888, optionally premultiplied; not in place.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_RGB888toBGRA8888(
    rgbSrc: *const vImage_Buffer,
    aSrc: *const vImage_Buffer,
    alpha: Pixel_8,
    bgraDest: *const vImage_Buffer,
    premultiply: bool,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract (NULL or valid buffers).
    unsafe {
        add_alpha::<u8>(
            "vImageConvert_RGB888toBGRA8888",
            rgbSrc,
            aSrc,
            alpha,
            bgraDest,
            premultiply,
            flags,
            Order::Bgra,
            false,
        )
    }
}

/// RGB16U + alpha plane (or the constant `alpha` when `aSrc` is NULL) -> ARGB16U, optionally premultiplied; not in place.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_RGB16UtoARGB16U(
    rgbSrc: *const vImage_Buffer,
    aSrc: *const vImage_Buffer,
    alpha: Pixel_16U,
    argbDest: *const vImage_Buffer,
    premultiply: bool,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract (NULL or valid buffers).
    unsafe {
        add_alpha::<u16>(
            "vImageConvert_RGB16UtoARGB16U",
            rgbSrc,
            aSrc,
            alpha,
            argbDest,
            premultiply,
            flags,
            Order::Argb,
            true,
        )
    }
}

/// RGB16U + alpha plane (or the constant `alpha` when `aSrc` is NULL) -> RGBA16U, optionally premultiplied; not in place.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_RGB16UtoRGBA16U(
    rgbSrc: *const vImage_Buffer,
    aSrc: *const vImage_Buffer,
    alpha: Pixel_16U,
    rgbaDest: *const vImage_Buffer,
    premultiply: bool,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract (NULL or valid buffers).
    unsafe {
        add_alpha::<u16>(
            "vImageConvert_RGB16UtoRGBA16U",
            rgbSrc,
            aSrc,
            alpha,
            rgbaDest,
            premultiply,
            flags,
            Order::Rgba,
            true,
        )
    }
}

/// RGB16U + alpha plane (or the constant `alpha` when `aSrc` is NULL) -> BGRA16U, optionally premultiplied; not in place.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_RGB16UtoBGRA16U(
    rgbSrc: *const vImage_Buffer,
    aSrc: *const vImage_Buffer,
    alpha: Pixel_16U,
    bgraDest: *const vImage_Buffer,
    premultiply: bool,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract (NULL or valid buffers).
    unsafe {
        add_alpha::<u16>(
            "vImageConvert_RGB16UtoBGRA16U",
            rgbSrc,
            aSrc,
            alpha,
            bgraDest,
            premultiply,
            flags,
            Order::Bgra,
            true,
        )
    }
}

/// RGBFFF + alpha plane (or the constant `alpha` when `aSrc` is NULL) -> ARGBFFFF, optionally premultiplied; not in place.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_RGBFFFtoARGBFFFF(
    rgbSrc: *const vImage_Buffer,
    aSrc: *const vImage_Buffer,
    alpha: Pixel_F,
    argbDest: *const vImage_Buffer,
    premultiply: bool,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract (NULL or valid buffers).
    unsafe {
        add_alpha::<f32>(
            "vImageConvert_RGBFFFtoARGBFFFF",
            rgbSrc,
            aSrc,
            alpha,
            argbDest,
            premultiply,
            flags,
            Order::Argb,
            false,
        )
    }
}

/// RGBFFF + alpha plane (or the constant `alpha` when `aSrc` is NULL) -> RGBAFFFF, optionally premultiplied; not in place.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_RGBFFFtoRGBAFFFF(
    rgbSrc: *const vImage_Buffer,
    aSrc: *const vImage_Buffer,
    alpha: Pixel_F,
    rgbaDest: *const vImage_Buffer,
    premultiply: bool,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract (NULL or valid buffers).
    unsafe {
        add_alpha::<f32>(
            "vImageConvert_RGBFFFtoRGBAFFFF",
            rgbSrc,
            aSrc,
            alpha,
            rgbaDest,
            premultiply,
            flags,
            Order::Rgba,
            false,
        )
    }
}

/// RGBFFF + alpha plane (or the constant `alpha` when `aSrc` is NULL) -> BGRAFFFF, optionally premultiplied; not in place.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_RGBFFFtoBGRAFFFF(
    rgbSrc: *const vImage_Buffer,
    aSrc: *const vImage_Buffer,
    alpha: Pixel_F,
    bgraDest: *const vImage_Buffer,
    premultiply: bool,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract (NULL or valid buffers).
    unsafe {
        add_alpha::<f32>(
            "vImageConvert_RGBFFFtoBGRAFFFF",
            rgbSrc,
            aSrc,
            alpha,
            bgraDest,
            premultiply,
            flags,
            Order::Bgra,
            false,
        )
    }
}

// ---- §1.2 interleave / de-interleave -----------------------------------------------------------

/// Four Planar8 planes -> ARGB8888, plane k to channel k; not in place.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_Planar8toARGB8888(
    srcA: *const vImage_Buffer,
    srcR: *const vImage_Buffer,
    srcG: *const vImage_Buffer,
    srcB: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract (NULL or valid buffers).
    unsafe {
        interleave(
            "vImageConvert_Planar8toARGB8888",
            [srcA, srcR, srcG, srcB],
            dest,
            flags,
            1,
            false,
        )
    }
}

/// Four PlanarF planes -> ARGBFFFF, plane k to channel k; not in place.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_PlanarFtoARGBFFFF(
    srcA: *const vImage_Buffer,
    srcR: *const vImage_Buffer,
    srcG: *const vImage_Buffer,
    srcB: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract (NULL or valid buffers).
    unsafe {
        interleave(
            "vImageConvert_PlanarFtoARGBFFFF",
            [srcA, srcR, srcG, srcB],
            dest,
            flags,
            4,
            false,
        )
    }
}

/// Four Planar16U planes -> ARGB16U, plane k to channel k; not in place.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_Planar16UtoARGB16U(
    aSrc: *const vImage_Buffer,
    rSrc: *const vImage_Buffer,
    gSrc: *const vImage_Buffer,
    bSrc: *const vImage_Buffer,
    argbDest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract (NULL or valid buffers).
    unsafe {
        interleave(
            "vImageConvert_Planar16UtoARGB16U",
            [aSrc, rSrc, gSrc, bSrc],
            argbDest,
            flags,
            2,
            true,
        )
    }
}

/// ARGB8888 -> four Planar8 planes, channel k to plane k; not in place.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_ARGB8888toPlanar8(
    srcARGB: *const vImage_Buffer,
    destA: *const vImage_Buffer,
    destR: *const vImage_Buffer,
    destG: *const vImage_Buffer,
    destB: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract (NULL or valid buffers).
    unsafe {
        deinterleave4(
            "vImageConvert_ARGB8888toPlanar8",
            srcARGB,
            [destA, destR, destG, destB],
            flags,
            1,
            false,
        )
    }
}

/// ARGBFFFF -> four PlanarF planes, channel k to plane k; not in place.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_ARGBFFFFtoPlanarF(
    srcARGB: *const vImage_Buffer,
    destA: *const vImage_Buffer,
    destR: *const vImage_Buffer,
    destG: *const vImage_Buffer,
    destB: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract (NULL or valid buffers).
    unsafe {
        deinterleave4(
            "vImageConvert_ARGBFFFFtoPlanarF",
            srcARGB,
            [destA, destR, destG, destB],
            flags,
            4,
            false,
        )
    }
}

/// ARGB16U -> four Planar16U planes, channel k to plane k; not in place.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_ARGB16UtoPlanar16U(
    argbSrc: *const vImage_Buffer,
    aDest: *const vImage_Buffer,
    rDest: *const vImage_Buffer,
    gDest: *const vImage_Buffer,
    bDest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract (NULL or valid buffers).
    unsafe {
        deinterleave4(
            "vImageConvert_ARGB16UtoPlanar16U",
            argbSrc,
            [aDest, rDest, gDest, bDest],
            flags,
            2,
            true,
        )
    }
}

/// Three Planar8 planes -> RGB888, plane k to channel k; not in place.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_Planar8toRGB888(
    planarRed: *const vImage_Buffer,
    planarGreen: *const vImage_Buffer,
    planarBlue: *const vImage_Buffer,
    rgbDest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract (NULL or valid buffers).
    unsafe {
        interleave(
            "vImageConvert_Planar8toRGB888",
            [planarRed, planarGreen, planarBlue],
            rgbDest,
            flags,
            1,
            false,
        )
    }
}

/// Three PlanarF planes -> RGBFFF, plane k to channel k; not in place.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_PlanarFtoRGBFFF(
    planarRed: *const vImage_Buffer,
    planarGreen: *const vImage_Buffer,
    planarBlue: *const vImage_Buffer,
    rgbDest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract (NULL or valid buffers).
    unsafe {
        interleave(
            "vImageConvert_PlanarFtoRGBFFF",
            [planarRed, planarGreen, planarBlue],
            rgbDest,
            flags,
            4,
            false,
        )
    }
}

/// Three Planar16U planes -> RGB16U, plane k to channel k; not in place.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_Planar16UtoRGB16U(
    rSrc: *const vImage_Buffer,
    gSrc: *const vImage_Buffer,
    bSrc: *const vImage_Buffer,
    rgbDest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract (NULL or valid buffers).
    unsafe {
        interleave(
            "vImageConvert_Planar16UtoRGB16U",
            [rSrc, gSrc, bSrc],
            rgbDest,
            flags,
            2,
            true,
        )
    }
}

/// RGB888 -> three Planar8 planes, channel k to plane k; not in place.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_RGB888toPlanar8(
    rgbSrc: *const vImage_Buffer,
    redDest: *const vImage_Buffer,
    greenDest: *const vImage_Buffer,
    blueDest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract (NULL or valid buffers).
    unsafe {
        deinterleave3(
            "vImageConvert_RGB888toPlanar8",
            rgbSrc,
            [redDest, greenDest, blueDest],
            flags,
            1,
            Three::Rgb,
            false,
        )
    }
}

/// RGBFFF -> three PlanarF planes, channel k to plane k; not in place.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_RGBFFFtoPlanarF(
    rgbSrc: *const vImage_Buffer,
    redDest: *const vImage_Buffer,
    greenDest: *const vImage_Buffer,
    blueDest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract (NULL or valid buffers).
    unsafe {
        deinterleave3(
            "vImageConvert_RGBFFFtoPlanarF",
            rgbSrc,
            [redDest, greenDest, blueDest],
            flags,
            4,
            Three::Rgb,
            false,
        )
    }
}

/// RGB16U -> three Planar16U planes, channel k to plane k; not in place.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_RGB16UtoPlanar16U(
    rgbSrc: *const vImage_Buffer,
    rDest: *const vImage_Buffer,
    gDest: *const vImage_Buffer,
    bDest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract (NULL or valid buffers).
    unsafe {
        deinterleave3(
            "vImageConvert_RGB16UtoPlanar16U",
            rgbSrc,
            [rDest, gDest, bDest],
            flags,
            2,
            Three::Rgb,
            true,
        )
    }
}

/// XRGB8888 -> three Planar8 planes, channel 0 dropped, channel k to plane k - 1; not in place.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_XRGB8888ToPlanar8(
    src: *const vImage_Buffer,
    red: *const vImage_Buffer,
    green: *const vImage_Buffer,
    blue: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract (NULL or valid buffers).
    unsafe {
        deinterleave3(
            "vImageConvert_XRGB8888ToPlanar8",
            src,
            [red, green, blue],
            flags,
            1,
            Three::DropFirst,
            false,
        )
    }
}

/// BGRX8888 -> three Planar8 planes, channel 3 dropped, channel k to plane k; not in place.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_BGRX8888ToPlanar8(
    src: *const vImage_Buffer,
    blue: *const vImage_Buffer,
    green: *const vImage_Buffer,
    red: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract (NULL or valid buffers).
    unsafe {
        deinterleave3(
            "vImageConvert_BGRX8888ToPlanar8",
            src,
            [blue, green, red],
            flags,
            1,
            Three::DropLast,
            false,
        )
    }
}

/// XRGBFFFF -> three PlanarF planes, channel 0 dropped, channel k to plane k - 1; not in place.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_XRGBFFFFToPlanarF(
    src: *const vImage_Buffer,
    red: *const vImage_Buffer,
    green: *const vImage_Buffer,
    blue: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract (NULL or valid buffers).
    unsafe {
        deinterleave3(
            "vImageConvert_XRGBFFFFToPlanarF",
            src,
            [red, green, blue],
            flags,
            4,
            Three::DropFirst,
            false,
        )
    }
}

/// BGRXFFFF -> three PlanarF planes, channel 3 dropped, channel k to plane k; not in place.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_BGRXFFFFToPlanarF(
    src: *const vImage_Buffer,
    blue: *const vImage_Buffer,
    green: *const vImage_Buffer,
    red: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract (NULL or valid buffers).
    unsafe {
        deinterleave3(
            "vImageConvert_BGRXFFFFToPlanarF",
            src,
            [blue, green, red],
            flags,
            4,
            Three::DropLast,
            false,
        )
    }
}

/// Constant `alpha` + three planes -> (alpha, p1, p2, p3); not in place.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_Planar8ToXRGB8888(
    alpha: Pixel_8,
    red: *const vImage_Buffer,
    green: *const vImage_Buffer,
    blue: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract (NULL or valid buffers).
    unsafe {
        interleave_constant(
            "vImageConvert_Planar8ToXRGB8888",
            [red, green, blue],
            &alpha.to_ne_bytes(),
            true,
            dest,
            flags,
        )
    }
}

/// Three planes + constant `alpha` -> (p1, p2, p3, alpha); not in place.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_Planar8ToBGRX8888(
    blue: *const vImage_Buffer,
    green: *const vImage_Buffer,
    red: *const vImage_Buffer,
    alpha: Pixel_8,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract (NULL or valid buffers).
    unsafe {
        interleave_constant(
            "vImageConvert_Planar8ToBGRX8888",
            [blue, green, red],
            &alpha.to_ne_bytes(),
            false,
            dest,
            flags,
        )
    }
}

/// Constant `alpha` + three planes -> (alpha, p1, p2, p3); not in place.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_PlanarFToXRGBFFFF(
    alpha: Pixel_F,
    red: *const vImage_Buffer,
    green: *const vImage_Buffer,
    blue: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract (NULL or valid buffers).
    unsafe {
        interleave_constant(
            "vImageConvert_PlanarFToXRGBFFFF",
            [red, green, blue],
            &alpha.to_ne_bytes(),
            true,
            dest,
            flags,
        )
    }
}

/// Three planes + constant `alpha` -> (p1, p2, p3, alpha); not in place.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_PlanarFToBGRXFFFF(
    blue: *const vImage_Buffer,
    green: *const vImage_Buffer,
    red: *const vImage_Buffer,
    alpha: Pixel_F,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract (NULL or valid buffers).
    unsafe {
        interleave_constant(
            "vImageConvert_PlanarFToBGRXFFFF",
            [blue, green, red],
            &alpha.to_ne_bytes(),
            false,
            dest,
            flags,
        )
    }
}

// ---- §1.2 generic strided forms -------------------------------------------------------------

/// Channel i of a strided image (pixel 0 at `srcChannels[i]`, pixels `srcStrideBytes` apart, rows `srcRowBytes` apart) -> plane i; not in place.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_ChunkyToPlanar8(
    srcChannels: *mut *const c_void,
    destPlanarBuffers: *mut *const vImage_Buffer,
    channelCount: c_uint,
    srcStrideBytes: usize,
    srcWidth: vImagePixelCount,
    srcHeight: vImagePixelCount,
    srcRowBytes: usize,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract (NULL or valid buffers).
    unsafe {
        chunky_to_planar(
            "vImageConvert_ChunkyToPlanar8",
            srcChannels.cast_const().cast(),
            destPlanarBuffers.cast_const(),
            channelCount,
            srcStrideBytes,
            srcWidth,
            srcHeight,
            srcRowBytes,
            flags,
            1,
        )
    }
}

/// Plane i -> channel i of a strided image (pixel 0 at `destChannels[i]`, pixels `destStrideBytes` apart, rows `destRowBytes` apart); other bytes untouched; not in place.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_PlanarToChunky8(
    srcPlanarBuffers: *mut *const vImage_Buffer,
    destChannels: *mut *mut c_void,
    channelCount: c_uint,
    destStrideBytes: usize,
    destWidth: vImagePixelCount,
    destHeight: vImagePixelCount,
    destRowBytes: usize,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract (NULL or valid buffers).
    unsafe {
        planar_to_chunky(
            "vImageConvert_PlanarToChunky8",
            srcPlanarBuffers.cast_const(),
            destChannels.cast_const().cast(),
            channelCount,
            destStrideBytes,
            destWidth,
            destHeight,
            destRowBytes,
            flags,
            1,
        )
    }
}

/// Channel i of a strided image (pixel 0 at `srcChannels[i]`, pixels `srcStrideBytes` apart, rows `srcRowBytes` apart) -> plane i; not in place.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_ChunkyToPlanarF(
    srcChannels: *mut *const c_void,
    destPlanarBuffers: *mut *const vImage_Buffer,
    channelCount: c_uint,
    srcStrideBytes: usize,
    srcWidth: vImagePixelCount,
    srcHeight: vImagePixelCount,
    srcRowBytes: usize,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract (NULL or valid buffers).
    unsafe {
        chunky_to_planar(
            "vImageConvert_ChunkyToPlanarF",
            srcChannels.cast_const().cast(),
            destPlanarBuffers.cast_const(),
            channelCount,
            srcStrideBytes,
            srcWidth,
            srcHeight,
            srcRowBytes,
            flags,
            4,
        )
    }
}

/// Plane i -> channel i of a strided image (pixel 0 at `destChannels[i]`, pixels `destStrideBytes` apart, rows `destRowBytes` apart); other bytes untouched; not in place.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_PlanarToChunkyF(
    srcPlanarBuffers: *mut *const vImage_Buffer,
    destChannels: *mut *mut c_void,
    channelCount: c_uint,
    destStrideBytes: usize,
    destWidth: vImagePixelCount,
    destHeight: vImagePixelCount,
    destRowBytes: usize,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract (NULL or valid buffers).
    unsafe {
        planar_to_chunky(
            "vImageConvert_PlanarToChunkyF",
            srcPlanarBuffers.cast_const(),
            destChannels.cast_const().cast(),
            channelCount,
            destStrideBytes,
            destWidth,
            destHeight,
            destRowBytes,
            flags,
            4,
        )
    }
}
