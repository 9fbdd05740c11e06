//! Alpha.h: premultiply, unpremultiply, blends, clip to alpha. Thin checks over
//! [`crate::ops::alpha`]. The BGRA / RGBA spellings Apple defines as macros
//! (`vImagePremultiplyData_BGRA8888`, `vImagePremultipliedAlphaBlend_RGBA8888`,
//! `vImageClipToAlpha_BGRA8888`, ...) are exported as functions too, for dlsym / ctypes users.

use crate::error::{Error, Result};
use crate::ffi::buffers::{array, buffer, plane, size_of, source};
use crate::ffi::guard;
use crate::flags::Flags;
use crate::kernels::rows::Plane;
use crate::ops::alpha::{self, BlendMode, ConstAlpha, Depth, Planar};
use crate::types::*;

/// The common body of the functions of this family and of Flatten: flags (bits outside
/// `allowed` are `kvImageUnknownFlagsBit`), NULL buffers (`kvImageNullPointerArgument`), with
/// `same_size_sources` sources of different sizes (`kvImageBufferSizeMismatch`), the
/// destination's size, then every source at least that size (`kvImageRoiLargerThanInputBuffer`);
/// `body` gets the checked planes, the size and the flags.
///
/// # Safety
/// Every buffer pointer is NULL or points to a `vImage_Buffer` describing caller memory as
/// vImage documents.
#[allow(clippy::too_many_arguments)]
pub(crate) unsafe fn op<const S: usize>(
    function: &str,
    flags: vImage_Flags,
    allowed: Flags,
    srcs: [(*const vImage_Buffer, &'static str); S],
    src_bits: usize,
    dest: *const vImage_Buffer,
    dest_bits: usize,
    same_size_sources: bool,
    body: impl FnOnce([Plane; S], Plane, usize, usize, Flags) -> Result<()>,
) -> vImage_Error {
    guard(function, flags, || {
        let f = Flags::check(flags, allowed)?;
        let mut bufs: [Option<&vImage_Buffer>; S] = [None; S];
        for (b, (p, name)) in bufs.iter_mut().zip(srcs) {
            // SAFETY: the caller's contract.
            *b = Some(unsafe { buffer(p, name)? });
        }
        // SAFETY: the caller's contract.
        let d = unsafe { buffer(dest, "dest")? };
        if same_size_sources
            && bufs
                .windows(2)
                .any(|w| w[0].map(size_of) != w[1].map(size_of))
        {
            return Err(Error::BufferSizeMismatch("the sources differ in size"));
        }
        let (w, h) = size_of(d);
        // SAFETY: the buffer describes caller memory (the caller's contract).
        let dp = unsafe { plane(d, w, h, dest_bits, "dest")? };
        let mut planes = [dp; S];
        for ((p, b), (_, name)) in planes.iter_mut().zip(bufs).zip(srcs) {
            let b = b.ok_or(Error::Internal("unchecked buffer"))?;
            // SAFETY: as above.
            *p = unsafe { source(b, w, h, src_bits, name)? };
        }
        body(planes, dp, w, h, f)?;
        Ok(kvImageNoError)
    })
    .unwrap_or_else(|e| e.code())
}

/// `(src, dest, flags)` premultiply / unpremultiply of four channels.
unsafe fn premultiply4(
    function: &str,
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
    depth: Depth,
    a: usize,
    unpremultiply: bool,
) -> vImage_Error {
    let bits = depth.bits_per_pixel();
    // SAFETY: forwarded caller contract.
    unsafe {
        op(
            function,
            flags,
            Flags::all(),
            [(src, "src")],
            bits,
            dest,
            bits,
            false,
            |[s], d, w, h, f| {
                if unpremultiply {
                    alpha::unpremultiply(depth, a, s, d, w, h, f)
                } else {
                    alpha::premultiply(depth, a, s, d, w, h, f)
                }
            },
        )
    }
}

/// `(src, alpha, dest, flags)` planar premultiply / unpremultiply.
unsafe fn premultiply_planar(
    function: &str,
    src: *const vImage_Buffer,
    alpha_buf: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
    depth: Planar,
    unpremultiply: bool,
) -> vImage_Error {
    let bits = depth.bits_per_pixel();
    // SAFETY: forwarded caller contract.
    unsafe {
        op(
            function,
            flags,
            Flags::all(),
            [(src, "src"), (alpha_buf, "alpha")],
            bits,
            dest,
            bits,
            false,
            |[s, a], d, w, h, f| {
                if unpremultiply {
                    alpha::unpremultiply_planar(depth, s, a, d, w, h, f)
                } else {
                    alpha::premultiply_planar(depth, s, a, d, w, h, f)
                }
            },
        )
    }
}

/// `(srcTop, srcBottom, dest, flags)` of `bits`-bit pixels.
unsafe fn two(
    function: &str,
    top: *const vImage_Buffer,
    bottom: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
    bits: usize,
    body: impl FnOnce(Plane, Plane, Plane, usize, usize, Flags) -> Result<()>,
) -> vImage_Error {
    // SAFETY: forwarded caller contract.
    unsafe {
        op(
            function,
            flags,
            Flags::all(),
            [(top, "srcTop"), (bottom, "srcBottom")],
            bits,
            dest,
            bits,
            false,
            |[t, b], d, w, h, f| body(t, b, d, w, h, f),
        )
    }
}

/// Three planar sources and a planar destination.
unsafe fn three(
    function: &str,
    srcs: [(*const vImage_Buffer, &'static str); 3],
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
    depth: Planar,
    body: impl FnOnce([Plane; 3], Plane, usize, usize, Flags) -> Result<()>,
) -> vImage_Error {
    let bits = depth.bits_per_pixel();
    // SAFETY: forwarded caller contract.
    unsafe {
        op(
            function,
            flags,
            Flags::all(),
            srcs,
            bits,
            dest,
            bits,
            false,
            body,
        )
    }
}

/// `vImagePremultipliedAlphaBlendWithPermute_*`: srcTop and srcBottom of different sizes are
/// `kvImageBufferSizeMismatch`; a NULL map is `kvImageNullPointerArgument`.
#[allow(clippy::too_many_arguments)]
unsafe fn with_permute(
    function: &str,
    a: usize,
    top: *const vImage_Buffer,
    bottom: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    permute_map: *const u8,
    opaque: bool,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded caller contract; the map is NULL or 4 readable bytes.
    unsafe {
        op(
            function,
            flags,
            Flags::all(),
            [(top, "srcTop"), (bottom, "srcBottom")],
            32,
            dest,
            32,
            true,
            |[t, b], d, w, h, f| {
                let map = array::<u8, 4>(permute_map, "permuteMap")?;
                alpha::premultiplied_blend_with_permute(a, t, b, d, w, h, map, opaque, f)
            },
        )
    }
}

// ---- premultiply / unpremultiply ----

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImagePremultiplyData_ARGB8888(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract: each buffer pointer is NULL or a valid description of caller memory.
    unsafe {
        premultiply4(
            "vImagePremultiplyData_ARGB8888",
            src,
            dest,
            flags,
            Depth::U8,
            0,
            false,
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImagePremultiplyData_RGBA8888(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract: each buffer pointer is NULL or a valid description of caller memory.
    unsafe {
        premultiply4(
            "vImagePremultiplyData_RGBA8888",
            src,
            dest,
            flags,
            Depth::U8,
            3,
            false,
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImagePremultiplyData_BGRA8888(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract: each buffer pointer is NULL or a valid description of caller memory.
    unsafe {
        premultiply4(
            "vImagePremultiplyData_BGRA8888",
            src,
            dest,
            flags,
            Depth::U8,
            3,
            false,
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImagePremultiplyData_ARGB16U(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract: each buffer pointer is NULL or a valid description of caller memory.
    unsafe {
        premultiply4(
            "vImagePremultiplyData_ARGB16U",
            src,
            dest,
            flags,
            Depth::U16,
            0,
            false,
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImagePremultiplyData_RGBA16U(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract: each buffer pointer is NULL or a valid description of caller memory.
    unsafe {
        premultiply4(
            "vImagePremultiplyData_RGBA16U",
            src,
            dest,
            flags,
            Depth::U16,
            3,
            false,
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImagePremultiplyData_BGRA16U(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract: each buffer pointer is NULL or a valid description of caller memory.
    unsafe {
        premultiply4(
            "vImagePremultiplyData_BGRA16U",
            src,
            dest,
            flags,
            Depth::U16,
            3,
            false,
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImagePremultiplyData_ARGBFFFF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract: each buffer pointer is NULL or a valid description of caller memory.
    unsafe {
        premultiply4(
            "vImagePremultiplyData_ARGBFFFF",
            src,
            dest,
            flags,
            Depth::F32,
            0,
            false,
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImagePremultiplyData_RGBAFFFF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract: each buffer pointer is NULL or a valid description of caller memory.
    unsafe {
        premultiply4(
            "vImagePremultiplyData_RGBAFFFF",
            src,
            dest,
            flags,
            Depth::F32,
            3,
            false,
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImagePremultiplyData_BGRAFFFF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract: each buffer pointer is NULL or a valid description of caller memory.
    unsafe {
        premultiply4(
            "vImagePremultiplyData_BGRAFFFF",
            src,
            dest,
            flags,
            Depth::F32,
            3,
            false,
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImagePremultiplyData_ARGB16Q12(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract: each buffer pointer is NULL or a valid description of caller memory.
    unsafe {
        premultiply4(
            "vImagePremultiplyData_ARGB16Q12",
            src,
            dest,
            flags,
            Depth::Q12,
            0,
            false,
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImagePremultiplyData_RGBA16Q12(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract: each buffer pointer is NULL or a valid description of caller memory.
    unsafe {
        premultiply4(
            "vImagePremultiplyData_RGBA16Q12",
            src,
            dest,
            flags,
            Depth::Q12,
            3,
            false,
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImagePremultiplyData_Planar8(
    src: *const vImage_Buffer,
    alpha: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract: each buffer pointer is NULL or a valid description of caller memory.
    unsafe {
        premultiply_planar(
            "vImagePremultiplyData_Planar8",
            src,
            alpha,
            dest,
            flags,
            Planar::U8,
            false,
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImagePremultiplyData_PlanarF(
    src: *const vImage_Buffer,
    alpha: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract: each buffer pointer is NULL or a valid description of caller memory.
    unsafe {
        premultiply_planar(
            "vImagePremultiplyData_PlanarF",
            src,
            alpha,
            dest,
            flags,
            Planar::F32,
            false,
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageUnpremultiplyData_ARGB8888(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract: each buffer pointer is NULL or a valid description of caller memory.
    unsafe {
        premultiply4(
            "vImageUnpremultiplyData_ARGB8888",
            src,
            dest,
            flags,
            Depth::U8,
            0,
            true,
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageUnpremultiplyData_RGBA8888(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract: each buffer pointer is NULL or a valid description of caller memory.
    unsafe {
        premultiply4(
            "vImageUnpremultiplyData_RGBA8888",
            src,
            dest,
            flags,
            Depth::U8,
            3,
            true,
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageUnpremultiplyData_BGRA8888(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract: each buffer pointer is NULL or a valid description of caller memory.
    unsafe {
        premultiply4(
            "vImageUnpremultiplyData_BGRA8888",
            src,
            dest,
            flags,
            Depth::U8,
            3,
            true,
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageUnpremultiplyData_ARGB16U(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract: each buffer pointer is NULL or a valid description of caller memory.
    unsafe {
        premultiply4(
            "vImageUnpremultiplyData_ARGB16U",
            src,
            dest,
            flags,
            Depth::U16,
            0,
            true,
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageUnpremultiplyData_RGBA16U(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract: each buffer pointer is NULL or a valid description of caller memory.
    unsafe {
        premultiply4(
            "vImageUnpremultiplyData_RGBA16U",
            src,
            dest,
            flags,
            Depth::U16,
            3,
            true,
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageUnpremultiplyData_BGRA16U(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract: each buffer pointer is NULL or a valid description of caller memory.
    unsafe {
        premultiply4(
            "vImageUnpremultiplyData_BGRA16U",
            src,
            dest,
            flags,
            Depth::U16,
            3,
            true,
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageUnpremultiplyData_ARGBFFFF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract: each buffer pointer is NULL or a valid description of caller memory.
    unsafe {
        premultiply4(
            "vImageUnpremultiplyData_ARGBFFFF",
            src,
            dest,
            flags,
            Depth::F32,
            0,
            true,
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageUnpremultiplyData_RGBAFFFF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract: each buffer pointer is NULL or a valid description of caller memory.
    unsafe {
        premultiply4(
            "vImageUnpremultiplyData_RGBAFFFF",
            src,
            dest,
            flags,
            Depth::F32,
            3,
            true,
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageUnpremultiplyData_BGRAFFFF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract: each buffer pointer is NULL or a valid description of caller memory.
    unsafe {
        premultiply4(
            "vImageUnpremultiplyData_BGRAFFFF",
            src,
            dest,
            flags,
            Depth::F32,
            3,
            true,
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageUnpremultiplyData_ARGB16Q12(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract: each buffer pointer is NULL or a valid description of caller memory.
    unsafe {
        premultiply4(
            "vImageUnpremultiplyData_ARGB16Q12",
            src,
            dest,
            flags,
            Depth::Q12,
            0,
            true,
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageUnpremultiplyData_RGBA16Q12(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract: each buffer pointer is NULL or a valid description of caller memory.
    unsafe {
        premultiply4(
            "vImageUnpremultiplyData_RGBA16Q12",
            src,
            dest,
            flags,
            Depth::Q12,
            3,
            true,
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageUnpremultiplyData_Planar8(
    src: *const vImage_Buffer,
    alpha: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract: each buffer pointer is NULL or a valid description of caller memory.
    unsafe {
        premultiply_planar(
            "vImageUnpremultiplyData_Planar8",
            src,
            alpha,
            dest,
            flags,
            Planar::U8,
            true,
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageUnpremultiplyData_PlanarF(
    src: *const vImage_Buffer,
    alpha: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract: each buffer pointer is NULL or a valid description of caller memory.
    unsafe {
        premultiply_planar(
            "vImageUnpremultiplyData_PlanarF",
            src,
            alpha,
            dest,
            flags,
            Planar::F32,
            true,
        )
    }
}

// ---- premultiplied alpha blend ----

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImagePremultipliedAlphaBlend_ARGB8888(
    srcTop: *const vImage_Buffer,
    srcBottom: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract: each buffer pointer is NULL or a valid description of caller memory.
    unsafe {
        two(
            "vImagePremultipliedAlphaBlend_ARGB8888",
            srcTop,
            srcBottom,
            dest,
            flags,
            Planar::U8.bits_per_pixel() * 4,
            |t, b, d, w, h, f| alpha::premultiplied_blend(Planar::U8, 0, t, b, d, w, h, f),
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImagePremultipliedAlphaBlend_BGRA8888(
    srcTop: *const vImage_Buffer,
    srcBottom: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract: each buffer pointer is NULL or a valid description of caller memory.
    unsafe {
        two(
            "vImagePremultipliedAlphaBlend_BGRA8888",
            srcTop,
            srcBottom,
            dest,
            flags,
            Planar::U8.bits_per_pixel() * 4,
            |t, b, d, w, h, f| alpha::premultiplied_blend(Planar::U8, 3, t, b, d, w, h, f),
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImagePremultipliedAlphaBlend_RGBA8888(
    srcTop: *const vImage_Buffer,
    srcBottom: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract: each buffer pointer is NULL or a valid description of caller memory.
    unsafe {
        two(
            "vImagePremultipliedAlphaBlend_RGBA8888",
            srcTop,
            srcBottom,
            dest,
            flags,
            Planar::U8.bits_per_pixel() * 4,
            |t, b, d, w, h, f| alpha::premultiplied_blend(Planar::U8, 3, t, b, d, w, h, f),
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImagePremultipliedAlphaBlend_ARGBFFFF(
    srcTop: *const vImage_Buffer,
    srcBottom: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract: each buffer pointer is NULL or a valid description of caller memory.
    unsafe {
        two(
            "vImagePremultipliedAlphaBlend_ARGBFFFF",
            srcTop,
            srcBottom,
            dest,
            flags,
            Planar::F32.bits_per_pixel() * 4,
            |t, b, d, w, h, f| alpha::premultiplied_blend(Planar::F32, 0, t, b, d, w, h, f),
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImagePremultipliedAlphaBlend_BGRAFFFF(
    srcTop: *const vImage_Buffer,
    srcBottom: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract: each buffer pointer is NULL or a valid description of caller memory.
    unsafe {
        two(
            "vImagePremultipliedAlphaBlend_BGRAFFFF",
            srcTop,
            srcBottom,
            dest,
            flags,
            Planar::F32.bits_per_pixel() * 4,
            |t, b, d, w, h, f| alpha::premultiplied_blend(Planar::F32, 3, t, b, d, w, h, f),
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImagePremultipliedAlphaBlend_RGBAFFFF(
    srcTop: *const vImage_Buffer,
    srcBottom: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract: each buffer pointer is NULL or a valid description of caller memory.
    unsafe {
        two(
            "vImagePremultipliedAlphaBlend_RGBAFFFF",
            srcTop,
            srcBottom,
            dest,
            flags,
            Planar::F32.bits_per_pixel() * 4,
            |t, b, d, w, h, f| alpha::premultiplied_blend(Planar::F32, 3, t, b, d, w, h, f),
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImagePremultipliedAlphaBlend_Planar8(
    srcTop: *const vImage_Buffer,
    srcTopAlpha: *const vImage_Buffer,
    srcBottom: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract: each buffer pointer is NULL or a valid description of caller memory.
    unsafe {
        three(
            "vImagePremultipliedAlphaBlend_Planar8",
            [
                (srcTop, "srcTop"),
                (srcTopAlpha, "srcTopAlpha"),
                (srcBottom, "srcBottom"),
            ],
            dest,
            flags,
            Planar::U8,
            |[t, ta, b], d, w, h, f| {
                alpha::premultiplied_blend_planar(Planar::U8, t, ta, b, d, w, h, f)
            },
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImagePremultipliedAlphaBlend_PlanarF(
    srcTop: *const vImage_Buffer,
    srcTopAlpha: *const vImage_Buffer,
    srcBottom: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract: each buffer pointer is NULL or a valid description of caller memory.
    unsafe {
        three(
            "vImagePremultipliedAlphaBlend_PlanarF",
            [
                (srcTop, "srcTop"),
                (srcTopAlpha, "srcTopAlpha"),
                (srcBottom, "srcBottom"),
            ],
            dest,
            flags,
            Planar::F32,
            |[t, ta, b], d, w, h, f| {
                alpha::premultiplied_blend_planar(Planar::F32, t, ta, b, d, w, h, f)
            },
        )
    }
}

// ---- non-premultiplied alpha blend ----

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageAlphaBlend_ARGB8888(
    srcTop: *const vImage_Buffer,
    srcBottom: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract: each buffer pointer is NULL or a valid description of caller memory.
    unsafe {
        two(
            "vImageAlphaBlend_ARGB8888",
            srcTop,
            srcBottom,
            dest,
            flags,
            Planar::U8.bits_per_pixel() * 4,
            |t, b, d, w, h, f| alpha::alpha_blend(Planar::U8, t, b, d, w, h, f),
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageAlphaBlend_ARGBFFFF(
    srcTop: *const vImage_Buffer,
    srcBottom: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract: each buffer pointer is NULL or a valid description of caller memory.
    unsafe {
        two(
            "vImageAlphaBlend_ARGBFFFF",
            srcTop,
            srcBottom,
            dest,
            flags,
            Planar::F32.bits_per_pixel() * 4,
            |t, b, d, w, h, f| alpha::alpha_blend(Planar::F32, t, b, d, w, h, f),
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageAlphaBlend_Planar8(
    srcTop: *const vImage_Buffer,
    srcTopAlpha: *const vImage_Buffer,
    srcBottom: *const vImage_Buffer,
    srcBottomAlpha: *const vImage_Buffer,
    alpha: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract: each buffer pointer is NULL or a valid description of caller memory.
    unsafe {
        op(
            "vImageAlphaBlend_Planar8",
            flags,
            Flags::all(),
            [
                (srcTop, "srcTop"),
                (srcTopAlpha, "srcTopAlpha"),
                (srcBottom, "srcBottom"),
                (srcBottomAlpha, "srcBottomAlpha"),
                (alpha, "alpha"),
            ],
            Planar::U8.bits_per_pixel(),
            dest,
            Planar::U8.bits_per_pixel(),
            false,
            |s, d, w, h, f| alpha::alpha_blend_planar(Planar::U8, s, d, w, h, f),
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageAlphaBlend_PlanarF(
    srcTop: *const vImage_Buffer,
    srcTopAlpha: *const vImage_Buffer,
    srcBottom: *const vImage_Buffer,
    srcBottomAlpha: *const vImage_Buffer,
    alpha: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract: each buffer pointer is NULL or a valid description of caller memory.
    unsafe {
        op(
            "vImageAlphaBlend_PlanarF",
            flags,
            Flags::all(),
            [
                (srcTop, "srcTop"),
                (srcTopAlpha, "srcTopAlpha"),
                (srcBottom, "srcBottom"),
                (srcBottomAlpha, "srcBottomAlpha"),
                (alpha, "alpha"),
            ],
            Planar::F32.bits_per_pixel(),
            dest,
            Planar::F32.bits_per_pixel(),
            false,
            |s, d, w, h, f| alpha::alpha_blend_planar(Planar::F32, s, d, w, h, f),
        )
    }
}

// ---- premultiplied blend with a constant alpha ----

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImagePremultipliedConstAlphaBlend_ARGB8888(
    srcTop: *const vImage_Buffer,
    constAlpha: Pixel_8,
    srcBottom: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract: each buffer pointer is NULL or a valid description of caller memory.
    unsafe {
        two(
            "vImagePremultipliedConstAlphaBlend_ARGB8888",
            srcTop,
            srcBottom,
            dest,
            flags,
            Planar::U8.bits_per_pixel() * 4,
            |t, b, d, w, h, f| {
                alpha::const_alpha_blend(ConstAlpha::U8(constAlpha), t, b, d, w, h, f)
            },
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImagePremultipliedConstAlphaBlend_ARGBFFFF(
    srcTop: *const vImage_Buffer,
    constAlpha: Pixel_F,
    srcBottom: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract: each buffer pointer is NULL or a valid description of caller memory.
    unsafe {
        two(
            "vImagePremultipliedConstAlphaBlend_ARGBFFFF",
            srcTop,
            srcBottom,
            dest,
            flags,
            Planar::F32.bits_per_pixel() * 4,
            |t, b, d, w, h, f| {
                alpha::const_alpha_blend(ConstAlpha::F32(constAlpha), t, b, d, w, h, f)
            },
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImagePremultipliedConstAlphaBlend_Planar8(
    srcTop: *const vImage_Buffer,
    constAlpha: Pixel_8,
    srcTopAlpha: *const vImage_Buffer,
    srcBottom: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract: each buffer pointer is NULL or a valid description of caller memory.
    unsafe {
        three(
            "vImagePremultipliedConstAlphaBlend_Planar8",
            [
                (srcTop, "srcTop"),
                (srcTopAlpha, "srcTopAlpha"),
                (srcBottom, "srcBottom"),
            ],
            dest,
            flags,
            Planar::U8,
            |[t, ta, b], d, w, h, f| {
                alpha::const_alpha_blend_planar(ConstAlpha::U8(constAlpha), t, ta, b, d, w, h, f)
            },
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImagePremultipliedConstAlphaBlend_PlanarF(
    srcTop: *const vImage_Buffer,
    constAlpha: Pixel_F,
    srcTopAlpha: *const vImage_Buffer,
    srcBottom: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract: each buffer pointer is NULL or a valid description of caller memory.
    unsafe {
        three(
            "vImagePremultipliedConstAlphaBlend_PlanarF",
            [
                (srcTop, "srcTop"),
                (srcTopAlpha, "srcTopAlpha"),
                (srcBottom, "srcBottom"),
            ],
            dest,
            flags,
            Planar::F32,
            |[t, ta, b], d, w, h, f| {
                alpha::const_alpha_blend_planar(ConstAlpha::F32(constAlpha), t, ta, b, d, w, h, f)
            },
        )
    }
}

// ---- non-premultiplied top over premultiplied bottom ----

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageAlphaBlend_NonpremultipliedToPremultiplied_ARGB8888(
    srcTop: *const vImage_Buffer,
    srcBottom: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract: each buffer pointer is NULL or a valid description of caller memory.
    unsafe {
        two(
            "vImageAlphaBlend_NonpremultipliedToPremultiplied_ARGB8888",
            srcTop,
            srcBottom,
            dest,
            flags,
            Planar::U8.bits_per_pixel() * 4,
            |t, b, d, w, h, f| {
                alpha::nonpremultiplied_to_premultiplied(Planar::U8, t, b, d, w, h, f)
            },
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageAlphaBlend_NonpremultipliedToPremultiplied_ARGBFFFF(
    srcTop: *const vImage_Buffer,
    srcBottom: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract: each buffer pointer is NULL or a valid description of caller memory.
    unsafe {
        two(
            "vImageAlphaBlend_NonpremultipliedToPremultiplied_ARGBFFFF",
            srcTop,
            srcBottom,
            dest,
            flags,
            Planar::F32.bits_per_pixel() * 4,
            |t, b, d, w, h, f| {
                alpha::nonpremultiplied_to_premultiplied(Planar::F32, t, b, d, w, h, f)
            },
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageAlphaBlend_NonpremultipliedToPremultiplied_Planar8(
    srcTop: *const vImage_Buffer,
    srcTopAlpha: *const vImage_Buffer,
    srcBottom: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract: each buffer pointer is NULL or a valid description of caller memory.
    unsafe {
        three(
            "vImageAlphaBlend_NonpremultipliedToPremultiplied_Planar8",
            [
                (srcTop, "srcTop"),
                (srcTopAlpha, "srcTopAlpha"),
                (srcBottom, "srcBottom"),
            ],
            dest,
            flags,
            Planar::U8,
            |[t, ta, b], d, w, h, f| {
                alpha::nonpremultiplied_to_premultiplied_planar(Planar::U8, t, ta, b, d, w, h, f)
            },
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageAlphaBlend_NonpremultipliedToPremultiplied_PlanarF(
    srcTop: *const vImage_Buffer,
    srcTopAlpha: *const vImage_Buffer,
    srcBottom: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract: each buffer pointer is NULL or a valid description of caller memory.
    unsafe {
        three(
            "vImageAlphaBlend_NonpremultipliedToPremultiplied_PlanarF",
            [
                (srcTop, "srcTop"),
                (srcTopAlpha, "srcTopAlpha"),
                (srcBottom, "srcBottom"),
            ],
            dest,
            flags,
            Planar::F32,
            |[t, ta, b], d, w, h, f| {
                alpha::nonpremultiplied_to_premultiplied_planar(Planar::F32, t, ta, b, d, w, h, f)
            },
        )
    }
}

// ---- premultiplied blend with a permuted top ----

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImagePremultipliedAlphaBlendWithPermute_ARGB8888(
    srcTop: *const vImage_Buffer,
    srcBottom: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    permuteMap: *const u8,
    makeDestAlphaOpaque: bool,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract: each buffer pointer is NULL or a valid description of caller memory.
    unsafe {
        with_permute(
            "vImagePremultipliedAlphaBlendWithPermute_ARGB8888",
            0,
            srcTop,
            srcBottom,
            dest,
            permuteMap,
            makeDestAlphaOpaque,
            flags,
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImagePremultipliedAlphaBlendWithPermute_RGBA8888(
    srcTop: *const vImage_Buffer,
    srcBottom: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    permuteMap: *const u8,
    makeDestAlphaOpaque: bool,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract: each buffer pointer is NULL or a valid description of caller memory.
    unsafe {
        with_permute(
            "vImagePremultipliedAlphaBlendWithPermute_RGBA8888",
            3,
            srcTop,
            srcBottom,
            dest,
            permuteMap,
            makeDestAlphaOpaque,
            flags,
        )
    }
}

// ---- SVG blend modes ----

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImagePremultipliedAlphaBlendMultiply_RGBA8888(
    srcTop: *const vImage_Buffer,
    srcBottom: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract: each buffer pointer is NULL or a valid description of caller memory.
    unsafe {
        two(
            "vImagePremultipliedAlphaBlendMultiply_RGBA8888",
            srcTop,
            srcBottom,
            dest,
            flags,
            32,
            |t, b, d, w, h, f| {
                alpha::premultiplied_blend_mode(BlendMode::Multiply, t, b, d, w, h, f)
            },
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImagePremultipliedAlphaBlendScreen_RGBA8888(
    srcTop: *const vImage_Buffer,
    srcBottom: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract: each buffer pointer is NULL or a valid description of caller memory.
    unsafe {
        two(
            "vImagePremultipliedAlphaBlendScreen_RGBA8888",
            srcTop,
            srcBottom,
            dest,
            flags,
            32,
            |t, b, d, w, h, f| alpha::premultiplied_blend_mode(BlendMode::Screen, t, b, d, w, h, f),
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImagePremultipliedAlphaBlendDarken_RGBA8888(
    srcTop: *const vImage_Buffer,
    srcBottom: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract: each buffer pointer is NULL or a valid description of caller memory.
    unsafe {
        two(
            "vImagePremultipliedAlphaBlendDarken_RGBA8888",
            srcTop,
            srcBottom,
            dest,
            flags,
            32,
            |t, b, d, w, h, f| alpha::premultiplied_blend_mode(BlendMode::Darken, t, b, d, w, h, f),
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImagePremultipliedAlphaBlendLighten_RGBA8888(
    srcTop: *const vImage_Buffer,
    srcBottom: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract: each buffer pointer is NULL or a valid description of caller memory.
    unsafe {
        two(
            "vImagePremultipliedAlphaBlendLighten_RGBA8888",
            srcTop,
            srcBottom,
            dest,
            flags,
            32,
            |t, b, d, w, h, f| {
                alpha::premultiplied_blend_mode(BlendMode::Lighten, t, b, d, w, h, f)
            },
        )
    }
}

// ---- clip to alpha ----

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageClipToAlpha_ARGB8888(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract: each buffer pointer is NULL or a valid description of caller memory.
    unsafe {
        op(
            "vImageClipToAlpha_ARGB8888",
            flags,
            Flags::all(),
            [(src, "src")],
            Planar::U8.bits_per_pixel() * 4,
            dest,
            Planar::U8.bits_per_pixel() * 4,
            false,
            |[s], d, w, h, f| alpha::clip_to_alpha(Planar::U8, 0, s, d, w, h, f),
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageClipToAlpha_ARGBFFFF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract: each buffer pointer is NULL or a valid description of caller memory.
    unsafe {
        op(
            "vImageClipToAlpha_ARGBFFFF",
            flags,
            Flags::all(),
            [(src, "src")],
            Planar::F32.bits_per_pixel() * 4,
            dest,
            Planar::F32.bits_per_pixel() * 4,
            false,
            |[s], d, w, h, f| alpha::clip_to_alpha(Planar::F32, 0, s, d, w, h, f),
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageClipToAlpha_RGBA8888(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract: each buffer pointer is NULL or a valid description of caller memory.
    unsafe {
        op(
            "vImageClipToAlpha_RGBA8888",
            flags,
            Flags::all(),
            [(src, "src")],
            Planar::U8.bits_per_pixel() * 4,
            dest,
            Planar::U8.bits_per_pixel() * 4,
            false,
            |[s], d, w, h, f| alpha::clip_to_alpha(Planar::U8, 3, s, d, w, h, f),
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageClipToAlpha_RGBAFFFF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract: each buffer pointer is NULL or a valid description of caller memory.
    unsafe {
        op(
            "vImageClipToAlpha_RGBAFFFF",
            flags,
            Flags::all(),
            [(src, "src")],
            Planar::F32.bits_per_pixel() * 4,
            dest,
            Planar::F32.bits_per_pixel() * 4,
            false,
            |[s], d, w, h, f| alpha::clip_to_alpha(Planar::F32, 3, s, d, w, h, f),
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageClipToAlpha_BGRA8888(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract: each buffer pointer is NULL or a valid description of caller memory.
    unsafe {
        op(
            "vImageClipToAlpha_BGRA8888",
            flags,
            Flags::all(),
            [(src, "src")],
            Planar::U8.bits_per_pixel() * 4,
            dest,
            Planar::U8.bits_per_pixel() * 4,
            false,
            |[s], d, w, h, f| alpha::clip_to_alpha(Planar::U8, 3, s, d, w, h, f),
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageClipToAlpha_BGRAFFFF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract: each buffer pointer is NULL or a valid description of caller memory.
    unsafe {
        op(
            "vImageClipToAlpha_BGRAFFFF",
            flags,
            Flags::all(),
            [(src, "src")],
            Planar::F32.bits_per_pixel() * 4,
            dest,
            Planar::F32.bits_per_pixel() * 4,
            false,
            |[s], d, w, h, f| alpha::clip_to_alpha(Planar::F32, 3, s, d, w, h, f),
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageClipToAlpha_Planar8(
    src: *const vImage_Buffer,
    alpha: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract: each buffer pointer is NULL or a valid description of caller memory.
    unsafe {
        op(
            "vImageClipToAlpha_Planar8",
            flags,
            Flags::all(),
            [(src, "src"), (alpha, "alpha")],
            Planar::U8.bits_per_pixel(),
            dest,
            Planar::U8.bits_per_pixel(),
            false,
            |[s, a], d, w, h, f| alpha::clip_to_alpha_planar(Planar::U8, s, a, d, w, h, f),
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageClipToAlpha_PlanarF(
    src: *const vImage_Buffer,
    alpha: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract: each buffer pointer is NULL or a valid description of caller memory.
    unsafe {
        op(
            "vImageClipToAlpha_PlanarF",
            flags,
            Flags::all(),
            [(src, "src"), (alpha, "alpha")],
            Planar::F32.bits_per_pixel(),
            dest,
            Planar::F32.bits_per_pixel(),
            false,
            |[s, a], d, w, h, f| alpha::clip_to_alpha_planar(Planar::F32, s, a, d, w, h, f),
        )
    }
}
