//! Conversion.h flattening: a four-channel image composited over a solid background colour,
//! into three channels (`vImageFlatten_*ToRGB888 / ToRGBFFF`, background alpha ignored) or four
//! (`vImageFlatten_ARGB8888` ..., background premultiplied). The background is in the source's
//! channel order. `vImageFlatten_BGRA8888` (usable through `_RGBA8888`) is exported too.

use crate::ffi::buffers::array;
use crate::ffi::vimage_alpha::op;
use crate::flags::Flags;
use crate::ops::alpha::{self, Background, Depth, Order};
use crate::types::*;

/// The ToRGB888 / ToRGBFFF functions accept kvImageDoNotTile (and the diagnostics flag) only.
const TO_RGB_FLAGS: Flags = Flags::DO_NOT_TILE.union(Flags::PRINT_DIAGNOSTICS);

unsafe fn to_rgb(
    function: &str,
    order: Order,
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    background: *const u8,
    premultiplied: bool,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded caller contract; the background is NULL or 4 readable bytes.
    unsafe {
        op(
            function,
            flags,
            TO_RGB_FLAGS,
            [(src, "src")],
            32,
            dest,
            24,
            false,
            |[s], d, w, h, f| {
                let bg = array::<u8, 4>(background, "backgroundColor")?;
                alpha::flatten_to_rgb888(order, s, d, w, h, bg, premultiplied, f)
            },
        )
    }
}

unsafe fn to_rgbfff(
    function: &str,
    order: Order,
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    background: *const f32,
    premultiplied: bool,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded caller contract; the background is NULL or 4 readable floats.
    unsafe {
        op(
            function,
            flags,
            TO_RGB_FLAGS,
            [(src, "src")],
            128,
            dest,
            96,
            false,
            |[s], d, w, h, f| {
                let bg = array::<f32, 4>(background, "backgroundColor")?;
                alpha::flatten_to_rgbfff(order, s, d, w, h, bg, premultiplied, f)
            },
        )
    }
}

/// A background colour argument of a four-channel flatten: `Pixel_8888`, `Pixel_ARGB_16U`,
/// `Pixel_FFFF` or `Pixel_ARGB_16S`.
trait BackgroundArg: Copy {
    /// # Safety
    /// `p` is NULL or points to 4 readable elements.
    unsafe fn read(p: *const Self) -> crate::error::Result<Background>;
}

macro_rules! background_arg {
    ($t:ty, $v:ident) => {
        impl BackgroundArg for $t {
            unsafe fn read(p: *const Self) -> crate::error::Result<Background> {
                // SAFETY: forwarded caller contract.
                Ok(Background::$v(unsafe {
                    array::<$t, 4>(p, "backgroundColor")?
                }))
            }
        }
    };
}
background_arg!(u8, U8);
background_arg!(u16, U16);
background_arg!(f32, F32);
background_arg!(i16, Q12);

#[allow(clippy::too_many_arguments)]
unsafe fn flatten4<T: BackgroundArg>(
    function: &str,
    depth: Depth,
    a: usize,
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    background: *const T,
    premultiplied: bool,
    flags: vImage_Flags,
) -> vImage_Error {
    let bits = depth.bits_per_pixel();
    // SAFETY: forwarded caller contract; the background is NULL or 4 readable elements.
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
                let bg = T::read(background)?;
                alpha::flatten4(a, s, d, w, h, bg, premultiplied, f)
            },
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageFlatten_ARGB8888ToRGB888(
    argb8888Src: *const vImage_Buffer,
    rgb888dest: *const vImage_Buffer,
    backgroundColor: *const u8,
    isImagePremultiplied: bool,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract: each buffer pointer is NULL or a valid description of caller memory.
    unsafe {
        to_rgb(
            "vImageFlatten_ARGB8888ToRGB888",
            Order::Argb,
            argb8888Src,
            rgb888dest,
            backgroundColor,
            isImagePremultiplied,
            flags,
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageFlatten_ARGBFFFFToRGBFFF(
    argbFFFFSrc: *const vImage_Buffer,
    rgbFFFdest: *const vImage_Buffer,
    backgroundColor: *const f32,
    isImagePremultiplied: bool,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract: each buffer pointer is NULL or a valid description of caller memory.
    unsafe {
        to_rgbfff(
            "vImageFlatten_ARGBFFFFToRGBFFF",
            Order::Argb,
            argbFFFFSrc,
            rgbFFFdest,
            backgroundColor,
            isImagePremultiplied,
            flags,
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageFlatten_RGBA8888ToRGB888(
    rgba8888Src: *const vImage_Buffer,
    rgb888dest: *const vImage_Buffer,
    backgroundColor: *const u8,
    isImagePremultiplied: bool,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract: each buffer pointer is NULL or a valid description of caller memory.
    unsafe {
        to_rgb(
            "vImageFlatten_RGBA8888ToRGB888",
            Order::Rgba,
            rgba8888Src,
            rgb888dest,
            backgroundColor,
            isImagePremultiplied,
            flags,
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageFlatten_RGBAFFFFToRGBFFF(
    rgbaFFFFSrc: *const vImage_Buffer,
    rgbFFFdest: *const vImage_Buffer,
    backgroundColor: *const f32,
    isImagePremultiplied: bool,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract: each buffer pointer is NULL or a valid description of caller memory.
    unsafe {
        to_rgbfff(
            "vImageFlatten_RGBAFFFFToRGBFFF",
            Order::Rgba,
            rgbaFFFFSrc,
            rgbFFFdest,
            backgroundColor,
            isImagePremultiplied,
            flags,
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageFlatten_BGRA8888ToRGB888(
    bgra8888Src: *const vImage_Buffer,
    rgb888dest: *const vImage_Buffer,
    backgroundColor: *const u8,
    isImagePremultiplied: bool,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract: each buffer pointer is NULL or a valid description of caller memory.
    unsafe {
        to_rgb(
            "vImageFlatten_BGRA8888ToRGB888",
            Order::Bgra,
            bgra8888Src,
            rgb888dest,
            backgroundColor,
            isImagePremultiplied,
            flags,
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageFlatten_BGRAFFFFToRGBFFF(
    bgraFFFFSrc: *const vImage_Buffer,
    rgbFFFdest: *const vImage_Buffer,
    backgroundColor: *const f32,
    isImagePremultiplied: bool,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract: each buffer pointer is NULL or a valid description of caller memory.
    unsafe {
        to_rgbfff(
            "vImageFlatten_BGRAFFFFToRGBFFF",
            Order::Bgra,
            bgraFFFFSrc,
            rgbFFFdest,
            backgroundColor,
            isImagePremultiplied,
            flags,
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageFlatten_ARGB8888(
    argbSrc: *const vImage_Buffer,
    argbDst: *const vImage_Buffer,
    argbBackgroundColorPtr: *const u8,
    isImagePremultiplied: bool,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract: each buffer pointer is NULL or a valid description of caller memory.
    unsafe {
        flatten4(
            "vImageFlatten_ARGB8888",
            Depth::U8,
            0,
            argbSrc,
            argbDst,
            argbBackgroundColorPtr,
            isImagePremultiplied,
            flags,
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageFlatten_RGBA8888(
    rgbaSrc: *const vImage_Buffer,
    rgbaDst: *const vImage_Buffer,
    rgbaBackgroundColorPtr: *const u8,
    isImagePremultiplied: bool,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract: each buffer pointer is NULL or a valid description of caller memory.
    unsafe {
        flatten4(
            "vImageFlatten_RGBA8888",
            Depth::U8,
            3,
            rgbaSrc,
            rgbaDst,
            rgbaBackgroundColorPtr,
            isImagePremultiplied,
            flags,
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageFlatten_BGRA8888(
    bgraSrc: *const vImage_Buffer,
    bgraDst: *const vImage_Buffer,
    bgraBackgroundColorPtr: *const u8,
    isImagePremultiplied: bool,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract: each buffer pointer is NULL or a valid description of caller memory.
    unsafe {
        flatten4(
            "vImageFlatten_BGRA8888",
            Depth::U8,
            3,
            bgraSrc,
            bgraDst,
            bgraBackgroundColorPtr,
            isImagePremultiplied,
            flags,
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageFlatten_ARGB16U(
    argbSrc: *const vImage_Buffer,
    argbDst: *const vImage_Buffer,
    argbBackgroundColorPtr: *const u16,
    isImagePremultiplied: bool,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract: each buffer pointer is NULL or a valid description of caller memory.
    unsafe {
        flatten4(
            "vImageFlatten_ARGB16U",
            Depth::U16,
            0,
            argbSrc,
            argbDst,
            argbBackgroundColorPtr,
            isImagePremultiplied,
            flags,
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageFlatten_RGBA16U(
    rgbaSrc: *const vImage_Buffer,
    rgbaDst: *const vImage_Buffer,
    rgbaBackgroundColorPtr: *const u16,
    isImagePremultiplied: bool,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract: each buffer pointer is NULL or a valid description of caller memory.
    unsafe {
        flatten4(
            "vImageFlatten_RGBA16U",
            Depth::U16,
            3,
            rgbaSrc,
            rgbaDst,
            rgbaBackgroundColorPtr,
            isImagePremultiplied,
            flags,
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageFlatten_ARGBFFFF(
    argbSrc: *const vImage_Buffer,
    argbDst: *const vImage_Buffer,
    argbBackgroundColorPtr: *const f32,
    isImagePremultiplied: bool,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract: each buffer pointer is NULL or a valid description of caller memory.
    unsafe {
        flatten4(
            "vImageFlatten_ARGBFFFF",
            Depth::F32,
            0,
            argbSrc,
            argbDst,
            argbBackgroundColorPtr,
            isImagePremultiplied,
            flags,
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageFlatten_RGBAFFFF(
    rgbaSrc: *const vImage_Buffer,
    rgbaDst: *const vImage_Buffer,
    rgbaBackgroundColorPtr: *const f32,
    isImagePremultiplied: bool,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract: each buffer pointer is NULL or a valid description of caller memory.
    unsafe {
        flatten4(
            "vImageFlatten_RGBAFFFF",
            Depth::F32,
            3,
            rgbaSrc,
            rgbaDst,
            rgbaBackgroundColorPtr,
            isImagePremultiplied,
            flags,
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageFlatten_ARGB16Q12(
    argbSrc: *const vImage_Buffer,
    argbDst: *const vImage_Buffer,
    argbBackgroundColorPtr: *const i16,
    isImagePremultiplied: bool,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract: each buffer pointer is NULL or a valid description of caller memory.
    unsafe {
        flatten4(
            "vImageFlatten_ARGB16Q12",
            Depth::Q12,
            0,
            argbSrc,
            argbDst,
            argbBackgroundColorPtr,
            isImagePremultiplied,
            flags,
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageFlatten_RGBA16Q12(
    argbSrc: *const vImage_Buffer,
    argbDst: *const vImage_Buffer,
    argbBackgroundColorPtr: *const i16,
    isImagePremultiplied: bool,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract: each buffer pointer is NULL or a valid description of caller memory.
    unsafe {
        flatten4(
            "vImageFlatten_RGBA16Q12",
            Depth::Q12,
            3,
            argbSrc,
            argbDst,
            argbBackgroundColorPtr,
            isImagePremultiplied,
            flags,
        )
    }
}
