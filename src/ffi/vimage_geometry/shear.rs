//! Geometry.h: vImageHorizontalShear_* / vImageVerticalShear_* (float and `D` double forms) and
//! the resampling-filter functions. Thin wrappers over [`crate::geometry::shear`] and
//! [`crate::geometry::filter`].

use std::ffi::{c_ulong, c_void};

use super::scale::image;
use crate::error::Error;
use crate::ffi::buffers::call;
use crate::geometry::filter::{FILTER_SIZE, FilterData};
use crate::geometry::scale::Format;
use crate::geometry::shear::{Axis, Shear, shear};
use crate::types::*;

/// The geometry arguments of a shear call.
struct ShearArgs {
    axis: Axis,
    offset: (vImagePixelCount, vImagePixelCount),
    translate: f64,
    slope: f64,
}

/// # Safety
/// As the exported shears.
#[allow(clippy::too_many_arguments)]
unsafe fn run(
    name: &str,
    fmt: Format,
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    a: ShearArgs,
    filter: ResamplingFilter,
    background: Option<&[u8]>,
    flags: vImage_Flags,
) -> vImage_Error {
    call(name, flags, |f| {
        let bpp = fmt.bytes_per_pixel();
        // SAFETY: the caller's contract.
        let (s, d) = unsafe { (image(src, "src", bpp)?, image(dest, "dest", bpp)?) };
        // SAFETY: a filter argument is NULL or a filter this library made (C contract).
        let flt = unsafe { FilterData::read(filter)? };
        if !a.translate.is_finite() || !a.slope.is_finite() {
            return Err(Error::InvalidParameter(
                "translate and shearSlope must be finite",
            ));
        }
        let g = Shear {
            axis: a.axis,
            offset: (a.offset.0 as usize, a.offset.1 as usize),
            translate: a.translate,
            slope: a.slope,
        };
        shear(&s, &d, fmt, g, &flt, background, f)
    })
}

/// The bytes of an array background argument (`const Pixel_8888` and friends), NULL allowed.
///
/// # Safety
/// `p` is NULL or points to `n` readable elements of `T`.
unsafe fn back_array<'a, T>(p: *const T, n: usize) -> Option<&'a [u8]> {
    // SAFETY: the caller's contract.
    (!p.is_null()).then(|| unsafe {
        std::slice::from_raw_parts(p.cast::<u8>(), n * std::mem::size_of::<T>())
    })
}

/// Geometry.h: horizontal shear of Planar8 through `filter` (the sampling equation is in
/// `crate::geometry::shear`).
///
/// # Safety
/// `src` and `dest` are NULL or valid, non-overlapping buffers; `filter` is NULL or a filter
/// made by this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageHorizontalShear_Planar8(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    srcOffsetToROI_X: vImagePixelCount,
    srcOffsetToROI_Y: vImagePixelCount,
    xTranslate: f32,
    shearSlope: f32,
    filter: ResamplingFilter,
    backColor: Pixel_8,
    flags: vImage_Flags,
) -> vImage_Error {
    let back = backColor.to_ne_bytes();
    let g = ShearArgs {
        axis: Axis::Horizontal,
        offset: (srcOffsetToROI_X, srcOffsetToROI_Y),
        translate: xTranslate as f64,
        slope: shearSlope as f64,
    };
    // SAFETY: forwarded from the C caller.
    unsafe {
        run(
            "vImageHorizontalShear_Planar8",
            Format::PLANAR8,
            src,
            dest,
            g,
            filter,
            Some(&back),
            flags,
        )
    }
}

/// Geometry.h: horizontal shear of Planar16S through `filter` (the sampling equation is in
/// `crate::geometry::shear`).
///
/// # Safety
/// `src` and `dest` are NULL or valid, non-overlapping buffers; `filter` is NULL or a filter
/// made by this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageHorizontalShear_Planar16S(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    srcOffsetToROI_X: vImagePixelCount,
    srcOffsetToROI_Y: vImagePixelCount,
    xTranslate: f32,
    shearSlope: f32,
    filter: ResamplingFilter,
    backColor: Pixel_16S,
    flags: vImage_Flags,
) -> vImage_Error {
    let back = backColor.to_ne_bytes();
    let g = ShearArgs {
        axis: Axis::Horizontal,
        offset: (srcOffsetToROI_X, srcOffsetToROI_Y),
        translate: xTranslate as f64,
        slope: shearSlope as f64,
    };
    // SAFETY: forwarded from the C caller.
    unsafe {
        run(
            "vImageHorizontalShear_Planar16S",
            Format::PLANAR16S,
            src,
            dest,
            g,
            filter,
            Some(&back),
            flags,
        )
    }
}

/// Geometry.h: horizontal shear of Planar16U through `filter` (the sampling equation is in
/// `crate::geometry::shear`).
///
/// # Safety
/// `src` and `dest` are NULL or valid, non-overlapping buffers; `filter` is NULL or a filter
/// made by this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageHorizontalShear_Planar16U(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    srcOffsetToROI_X: vImagePixelCount,
    srcOffsetToROI_Y: vImagePixelCount,
    xTranslate: f32,
    shearSlope: f32,
    filter: ResamplingFilter,
    backColor: Pixel_16U,
    flags: vImage_Flags,
) -> vImage_Error {
    let back = backColor.to_ne_bytes();
    let g = ShearArgs {
        axis: Axis::Horizontal,
        offset: (srcOffsetToROI_X, srcOffsetToROI_Y),
        translate: xTranslate as f64,
        slope: shearSlope as f64,
    };
    // SAFETY: forwarded from the C caller.
    unsafe {
        run(
            "vImageHorizontalShear_Planar16U",
            Format::PLANAR16U,
            src,
            dest,
            g,
            filter,
            Some(&back),
            flags,
        )
    }
}

/// Geometry.h: horizontal shear of PlanarF through `filter` (the sampling equation is in
/// `crate::geometry::shear`).
///
/// # Safety
/// `src` and `dest` are NULL or valid, non-overlapping buffers; `filter` is NULL or a filter
/// made by this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageHorizontalShear_PlanarF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    srcOffsetToROI_X: vImagePixelCount,
    srcOffsetToROI_Y: vImagePixelCount,
    xTranslate: f32,
    shearSlope: f32,
    filter: ResamplingFilter,
    backColor: Pixel_F,
    flags: vImage_Flags,
) -> vImage_Error {
    let back = backColor.to_ne_bytes();
    let g = ShearArgs {
        axis: Axis::Horizontal,
        offset: (srcOffsetToROI_X, srcOffsetToROI_Y),
        translate: xTranslate as f64,
        slope: shearSlope as f64,
    };
    // SAFETY: forwarded from the C caller.
    unsafe {
        run(
            "vImageHorizontalShear_PlanarF",
            Format::PLANARF,
            src,
            dest,
            g,
            filter,
            Some(&back),
            flags,
        )
    }
}

/// Geometry.h: horizontal shear of XRGB2101010W through `filter` (the sampling equation is in
/// `crate::geometry::shear`).
///
/// # Safety
/// `src` and `dest` are NULL or valid, non-overlapping buffers; `filter` is NULL or a filter
/// made by this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageHorizontalShear_XRGB2101010W(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    srcOffsetToROI_X: vImagePixelCount,
    srcOffsetToROI_Y: vImagePixelCount,
    xTranslate: f32,
    shearSlope: f32,
    filter: ResamplingFilter,
    backColor: Pixel_32U,
    flags: vImage_Flags,
) -> vImage_Error {
    let back = backColor.to_ne_bytes();
    let g = ShearArgs {
        axis: Axis::Horizontal,
        offset: (srcOffsetToROI_X, srcOffsetToROI_Y),
        translate: xTranslate as f64,
        slope: shearSlope as f64,
    };
    // SAFETY: forwarded from the C caller.
    unsafe {
        run(
            "vImageHorizontalShear_XRGB2101010W",
            Format::XRGB2101010W,
            src,
            dest,
            g,
            filter,
            Some(&back),
            flags,
        )
    }
}

/// Geometry.h: horizontal shear of ARGB8888 through `filter` (the sampling equation is in
/// `crate::geometry::shear`).
///
/// # Safety
/// `src` and `dest` are NULL or valid, non-overlapping buffers; `filter` is NULL or a filter
/// made by this library; `backColor` is NULL or a whole pixel.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageHorizontalShear_ARGB8888(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    srcOffsetToROI_X: vImagePixelCount,
    srcOffsetToROI_Y: vImagePixelCount,
    xTranslate: f32,
    shearSlope: f32,
    filter: ResamplingFilter,
    backColor: *const u8,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: NULL or a whole pixel (C contract).
    let back = unsafe { back_array(backColor, 4) };
    let g = ShearArgs {
        axis: Axis::Horizontal,
        offset: (srcOffsetToROI_X, srcOffsetToROI_Y),
        translate: xTranslate as f64,
        slope: shearSlope as f64,
    };
    // SAFETY: forwarded from the C caller.
    unsafe {
        run(
            "vImageHorizontalShear_ARGB8888",
            Format::ARGB8888,
            src,
            dest,
            g,
            filter,
            back,
            flags,
        )
    }
}

/// Geometry.h: horizontal shear of ARGB16U through `filter` (the sampling equation is in
/// `crate::geometry::shear`).
///
/// # Safety
/// `src` and `dest` are NULL or valid, non-overlapping buffers; `filter` is NULL or a filter
/// made by this library; `backColor` is NULL or a whole pixel.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageHorizontalShear_ARGB16U(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    srcOffsetToROI_X: vImagePixelCount,
    srcOffsetToROI_Y: vImagePixelCount,
    xTranslate: f32,
    shearSlope: f32,
    filter: ResamplingFilter,
    backColor: *const u16,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: NULL or a whole pixel (C contract).
    let back = unsafe { back_array(backColor, 4) };
    let g = ShearArgs {
        axis: Axis::Horizontal,
        offset: (srcOffsetToROI_X, srcOffsetToROI_Y),
        translate: xTranslate as f64,
        slope: shearSlope as f64,
    };
    // SAFETY: forwarded from the C caller.
    unsafe {
        run(
            "vImageHorizontalShear_ARGB16U",
            Format::ARGB16U,
            src,
            dest,
            g,
            filter,
            back,
            flags,
        )
    }
}

/// Geometry.h: horizontal shear of ARGB16S through `filter` (the sampling equation is in
/// `crate::geometry::shear`).
///
/// # Safety
/// `src` and `dest` are NULL or valid, non-overlapping buffers; `filter` is NULL or a filter
/// made by this library; `backColor` is NULL or a whole pixel.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageHorizontalShear_ARGB16S(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    srcOffsetToROI_X: vImagePixelCount,
    srcOffsetToROI_Y: vImagePixelCount,
    xTranslate: f32,
    shearSlope: f32,
    filter: ResamplingFilter,
    backColor: *const i16,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: NULL or a whole pixel (C contract).
    let back = unsafe { back_array(backColor, 4) };
    let g = ShearArgs {
        axis: Axis::Horizontal,
        offset: (srcOffsetToROI_X, srcOffsetToROI_Y),
        translate: xTranslate as f64,
        slope: shearSlope as f64,
    };
    // SAFETY: forwarded from the C caller.
    unsafe {
        run(
            "vImageHorizontalShear_ARGB16S",
            Format::ARGB16S,
            src,
            dest,
            g,
            filter,
            back,
            flags,
        )
    }
}

/// Geometry.h: horizontal shear of ARGBFFFF through `filter` (the sampling equation is in
/// `crate::geometry::shear`).
///
/// # Safety
/// `src` and `dest` are NULL or valid, non-overlapping buffers; `filter` is NULL or a filter
/// made by this library; `backColor` is NULL or a whole pixel.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageHorizontalShear_ARGBFFFF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    srcOffsetToROI_X: vImagePixelCount,
    srcOffsetToROI_Y: vImagePixelCount,
    xTranslate: f32,
    shearSlope: f32,
    filter: ResamplingFilter,
    backColor: *const f32,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: NULL or a whole pixel (C contract).
    let back = unsafe { back_array(backColor, 4) };
    let g = ShearArgs {
        axis: Axis::Horizontal,
        offset: (srcOffsetToROI_X, srcOffsetToROI_Y),
        translate: xTranslate as f64,
        slope: shearSlope as f64,
    };
    // SAFETY: forwarded from the C caller.
    unsafe {
        run(
            "vImageHorizontalShear_ARGBFFFF",
            Format::ARGBFFFF,
            src,
            dest,
            g,
            filter,
            back,
            flags,
        )
    }
}

/// Geometry.h: horizontal shear of CbCr8 through `filter` (the sampling equation is in
/// `crate::geometry::shear`).
///
/// # Safety
/// `src` and `dest` are NULL or valid, non-overlapping buffers; `filter` is NULL or a filter
/// made by this library; `backColor` is NULL or a whole pixel.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageHorizontalShear_CbCr8(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    srcOffsetToROI_X: vImagePixelCount,
    srcOffsetToROI_Y: vImagePixelCount,
    xTranslate: f32,
    shearSlope: f32,
    filter: ResamplingFilter,
    backColor: *const u8,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: NULL or a whole pixel (C contract).
    let back = unsafe { back_array(backColor, 2) };
    let g = ShearArgs {
        axis: Axis::Horizontal,
        offset: (srcOffsetToROI_X, srcOffsetToROI_Y),
        translate: xTranslate as f64,
        slope: shearSlope as f64,
    };
    // SAFETY: forwarded from the C caller.
    unsafe {
        run(
            "vImageHorizontalShear_CbCr8",
            Format::CBCR8,
            src,
            dest,
            g,
            filter,
            back,
            flags,
        )
    }
}

/// Geometry.h: horizontal shear of CbCr16U through `filter` (the sampling equation is in
/// `crate::geometry::shear`).
///
/// # Safety
/// `src` and `dest` are NULL or valid, non-overlapping buffers; `filter` is NULL or a filter
/// made by this library; `backColor` is NULL or a whole pixel.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageHorizontalShear_CbCr16U(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    srcOffsetToROI_X: vImagePixelCount,
    srcOffsetToROI_Y: vImagePixelCount,
    xTranslate: f32,
    shearSlope: f32,
    filter: ResamplingFilter,
    backColor: *const u16,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: NULL or a whole pixel (C contract).
    let back = unsafe { back_array(backColor, 2) };
    let g = ShearArgs {
        axis: Axis::Horizontal,
        offset: (srcOffsetToROI_X, srcOffsetToROI_Y),
        translate: xTranslate as f64,
        slope: shearSlope as f64,
    };
    // SAFETY: forwarded from the C caller.
    unsafe {
        run(
            "vImageHorizontalShear_CbCr16U",
            Format::CBCR16U,
            src,
            dest,
            g,
            filter,
            back,
            flags,
        )
    }
}

/// Geometry.h: vertical shear of Planar8 through `filter` (the sampling equation is in
/// `crate::geometry::shear`).
///
/// # Safety
/// `src` and `dest` are NULL or valid, non-overlapping buffers; `filter` is NULL or a filter
/// made by this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageVerticalShear_Planar8(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    srcOffsetToROI_X: vImagePixelCount,
    srcOffsetToROI_Y: vImagePixelCount,
    yTranslate: f32,
    shearSlope: f32,
    filter: ResamplingFilter,
    backColor: Pixel_8,
    flags: vImage_Flags,
) -> vImage_Error {
    let back = backColor.to_ne_bytes();
    let g = ShearArgs {
        axis: Axis::Vertical,
        offset: (srcOffsetToROI_X, srcOffsetToROI_Y),
        translate: yTranslate as f64,
        slope: shearSlope as f64,
    };
    // SAFETY: forwarded from the C caller.
    unsafe {
        run(
            "vImageVerticalShear_Planar8",
            Format::PLANAR8,
            src,
            dest,
            g,
            filter,
            Some(&back),
            flags,
        )
    }
}

/// Geometry.h: vertical shear of Planar16S through `filter` (the sampling equation is in
/// `crate::geometry::shear`).
///
/// # Safety
/// `src` and `dest` are NULL or valid, non-overlapping buffers; `filter` is NULL or a filter
/// made by this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageVerticalShear_Planar16S(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    srcOffsetToROI_X: vImagePixelCount,
    srcOffsetToROI_Y: vImagePixelCount,
    yTranslate: f32,
    shearSlope: f32,
    filter: ResamplingFilter,
    backColor: Pixel_16S,
    flags: vImage_Flags,
) -> vImage_Error {
    let back = backColor.to_ne_bytes();
    let g = ShearArgs {
        axis: Axis::Vertical,
        offset: (srcOffsetToROI_X, srcOffsetToROI_Y),
        translate: yTranslate as f64,
        slope: shearSlope as f64,
    };
    // SAFETY: forwarded from the C caller.
    unsafe {
        run(
            "vImageVerticalShear_Planar16S",
            Format::PLANAR16S,
            src,
            dest,
            g,
            filter,
            Some(&back),
            flags,
        )
    }
}

/// Geometry.h: vertical shear of Planar16U through `filter` (the sampling equation is in
/// `crate::geometry::shear`).
///
/// # Safety
/// `src` and `dest` are NULL or valid, non-overlapping buffers; `filter` is NULL or a filter
/// made by this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageVerticalShear_Planar16U(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    srcOffsetToROI_X: vImagePixelCount,
    srcOffsetToROI_Y: vImagePixelCount,
    yTranslate: f32,
    shearSlope: f32,
    filter: ResamplingFilter,
    backColor: Pixel_16U,
    flags: vImage_Flags,
) -> vImage_Error {
    let back = backColor.to_ne_bytes();
    let g = ShearArgs {
        axis: Axis::Vertical,
        offset: (srcOffsetToROI_X, srcOffsetToROI_Y),
        translate: yTranslate as f64,
        slope: shearSlope as f64,
    };
    // SAFETY: forwarded from the C caller.
    unsafe {
        run(
            "vImageVerticalShear_Planar16U",
            Format::PLANAR16U,
            src,
            dest,
            g,
            filter,
            Some(&back),
            flags,
        )
    }
}

/// Geometry.h: vertical shear of PlanarF through `filter` (the sampling equation is in
/// `crate::geometry::shear`).
///
/// # Safety
/// `src` and `dest` are NULL or valid, non-overlapping buffers; `filter` is NULL or a filter
/// made by this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageVerticalShear_PlanarF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    srcOffsetToROI_X: vImagePixelCount,
    srcOffsetToROI_Y: vImagePixelCount,
    yTranslate: f32,
    shearSlope: f32,
    filter: ResamplingFilter,
    backColor: Pixel_F,
    flags: vImage_Flags,
) -> vImage_Error {
    let back = backColor.to_ne_bytes();
    let g = ShearArgs {
        axis: Axis::Vertical,
        offset: (srcOffsetToROI_X, srcOffsetToROI_Y),
        translate: yTranslate as f64,
        slope: shearSlope as f64,
    };
    // SAFETY: forwarded from the C caller.
    unsafe {
        run(
            "vImageVerticalShear_PlanarF",
            Format::PLANARF,
            src,
            dest,
            g,
            filter,
            Some(&back),
            flags,
        )
    }
}

/// Geometry.h: vertical shear of XRGB2101010W through `filter` (the sampling equation is in
/// `crate::geometry::shear`).
///
/// # Safety
/// `src` and `dest` are NULL or valid, non-overlapping buffers; `filter` is NULL or a filter
/// made by this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageVerticalShear_XRGB2101010W(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    srcOffsetToROI_X: vImagePixelCount,
    srcOffsetToROI_Y: vImagePixelCount,
    yTranslate: f32,
    shearSlope: f32,
    filter: ResamplingFilter,
    backColor: Pixel_32U,
    flags: vImage_Flags,
) -> vImage_Error {
    let back = backColor.to_ne_bytes();
    let g = ShearArgs {
        axis: Axis::Vertical,
        offset: (srcOffsetToROI_X, srcOffsetToROI_Y),
        translate: yTranslate as f64,
        slope: shearSlope as f64,
    };
    // SAFETY: forwarded from the C caller.
    unsafe {
        run(
            "vImageVerticalShear_XRGB2101010W",
            Format::XRGB2101010W,
            src,
            dest,
            g,
            filter,
            Some(&back),
            flags,
        )
    }
}

/// Geometry.h: vertical shear of ARGB8888 through `filter` (the sampling equation is in
/// `crate::geometry::shear`).
///
/// # Safety
/// `src` and `dest` are NULL or valid, non-overlapping buffers; `filter` is NULL or a filter
/// made by this library; `backColor` is NULL or a whole pixel.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageVerticalShear_ARGB8888(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    srcOffsetToROI_X: vImagePixelCount,
    srcOffsetToROI_Y: vImagePixelCount,
    yTranslate: f32,
    shearSlope: f32,
    filter: ResamplingFilter,
    backColor: *const u8,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: NULL or a whole pixel (C contract).
    let back = unsafe { back_array(backColor, 4) };
    let g = ShearArgs {
        axis: Axis::Vertical,
        offset: (srcOffsetToROI_X, srcOffsetToROI_Y),
        translate: yTranslate as f64,
        slope: shearSlope as f64,
    };
    // SAFETY: forwarded from the C caller.
    unsafe {
        run(
            "vImageVerticalShear_ARGB8888",
            Format::ARGB8888,
            src,
            dest,
            g,
            filter,
            back,
            flags,
        )
    }
}

/// Geometry.h: vertical shear of ARGB16U through `filter` (the sampling equation is in
/// `crate::geometry::shear`).
///
/// # Safety
/// `src` and `dest` are NULL or valid, non-overlapping buffers; `filter` is NULL or a filter
/// made by this library; `backColor` is NULL or a whole pixel.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageVerticalShear_ARGB16U(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    srcOffsetToROI_X: vImagePixelCount,
    srcOffsetToROI_Y: vImagePixelCount,
    yTranslate: f32,
    shearSlope: f32,
    filter: ResamplingFilter,
    backColor: *const u16,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: NULL or a whole pixel (C contract).
    let back = unsafe { back_array(backColor, 4) };
    let g = ShearArgs {
        axis: Axis::Vertical,
        offset: (srcOffsetToROI_X, srcOffsetToROI_Y),
        translate: yTranslate as f64,
        slope: shearSlope as f64,
    };
    // SAFETY: forwarded from the C caller.
    unsafe {
        run(
            "vImageVerticalShear_ARGB16U",
            Format::ARGB16U,
            src,
            dest,
            g,
            filter,
            back,
            flags,
        )
    }
}

/// Geometry.h: vertical shear of ARGB16S through `filter` (the sampling equation is in
/// `crate::geometry::shear`).
///
/// # Safety
/// `src` and `dest` are NULL or valid, non-overlapping buffers; `filter` is NULL or a filter
/// made by this library; `backColor` is NULL or a whole pixel.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageVerticalShear_ARGB16S(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    srcOffsetToROI_X: vImagePixelCount,
    srcOffsetToROI_Y: vImagePixelCount,
    yTranslate: f32,
    shearSlope: f32,
    filter: ResamplingFilter,
    backColor: *const i16,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: NULL or a whole pixel (C contract).
    let back = unsafe { back_array(backColor, 4) };
    let g = ShearArgs {
        axis: Axis::Vertical,
        offset: (srcOffsetToROI_X, srcOffsetToROI_Y),
        translate: yTranslate as f64,
        slope: shearSlope as f64,
    };
    // SAFETY: forwarded from the C caller.
    unsafe {
        run(
            "vImageVerticalShear_ARGB16S",
            Format::ARGB16S,
            src,
            dest,
            g,
            filter,
            back,
            flags,
        )
    }
}

/// Geometry.h: vertical shear of ARGBFFFF through `filter` (the sampling equation is in
/// `crate::geometry::shear`).
///
/// # Safety
/// `src` and `dest` are NULL or valid, non-overlapping buffers; `filter` is NULL or a filter
/// made by this library; `backColor` is NULL or a whole pixel.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageVerticalShear_ARGBFFFF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    srcOffsetToROI_X: vImagePixelCount,
    srcOffsetToROI_Y: vImagePixelCount,
    yTranslate: f32,
    shearSlope: f32,
    filter: ResamplingFilter,
    backColor: *const f32,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: NULL or a whole pixel (C contract).
    let back = unsafe { back_array(backColor, 4) };
    let g = ShearArgs {
        axis: Axis::Vertical,
        offset: (srcOffsetToROI_X, srcOffsetToROI_Y),
        translate: yTranslate as f64,
        slope: shearSlope as f64,
    };
    // SAFETY: forwarded from the C caller.
    unsafe {
        run(
            "vImageVerticalShear_ARGBFFFF",
            Format::ARGBFFFF,
            src,
            dest,
            g,
            filter,
            back,
            flags,
        )
    }
}

/// Geometry.h: vertical shear of CbCr8 through `filter` (the sampling equation is in
/// `crate::geometry::shear`).
///
/// # Safety
/// `src` and `dest` are NULL or valid, non-overlapping buffers; `filter` is NULL or a filter
/// made by this library; `backColor` is NULL or a whole pixel.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageVerticalShear_CbCr8(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    srcOffsetToROI_X: vImagePixelCount,
    srcOffsetToROI_Y: vImagePixelCount,
    yTranslate: f32,
    shearSlope: f32,
    filter: ResamplingFilter,
    backColor: *const u8,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: NULL or a whole pixel (C contract).
    let back = unsafe { back_array(backColor, 2) };
    let g = ShearArgs {
        axis: Axis::Vertical,
        offset: (srcOffsetToROI_X, srcOffsetToROI_Y),
        translate: yTranslate as f64,
        slope: shearSlope as f64,
    };
    // SAFETY: forwarded from the C caller.
    unsafe {
        run(
            "vImageVerticalShear_CbCr8",
            Format::CBCR8,
            src,
            dest,
            g,
            filter,
            back,
            flags,
        )
    }
}

/// Geometry.h: vertical shear of CbCr16U through `filter` (the sampling equation is in
/// `crate::geometry::shear`).
///
/// # Safety
/// `src` and `dest` are NULL or valid, non-overlapping buffers; `filter` is NULL or a filter
/// made by this library; `backColor` is NULL or a whole pixel.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageVerticalShear_CbCr16U(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    srcOffsetToROI_X: vImagePixelCount,
    srcOffsetToROI_Y: vImagePixelCount,
    yTranslate: f32,
    shearSlope: f32,
    filter: ResamplingFilter,
    backColor: *const u16,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: NULL or a whole pixel (C contract).
    let back = unsafe { back_array(backColor, 2) };
    let g = ShearArgs {
        axis: Axis::Vertical,
        offset: (srcOffsetToROI_X, srcOffsetToROI_Y),
        translate: yTranslate as f64,
        slope: shearSlope as f64,
    };
    // SAFETY: forwarded from the C caller.
    unsafe {
        run(
            "vImageVerticalShear_CbCr16U",
            Format::CBCR16U,
            src,
            dest,
            g,
            filter,
            back,
            flags,
        )
    }
}

/// Geometry.h: horizontal shear of Planar8 through `filter` (the sampling equation is in
/// `crate::geometry::shear`).
///
/// # Safety
/// `src` and `dest` are NULL or valid, non-overlapping buffers; `filter` is NULL or a filter
/// made by this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageHorizontalShearD_Planar8(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    srcOffsetToROI_X: vImagePixelCount,
    srcOffsetToROI_Y: vImagePixelCount,
    xTranslate: f64,
    shearSlope: f64,
    filter: ResamplingFilter,
    backColor: Pixel_8,
    flags: vImage_Flags,
) -> vImage_Error {
    let back = backColor.to_ne_bytes();
    let g = ShearArgs {
        axis: Axis::Horizontal,
        offset: (srcOffsetToROI_X, srcOffsetToROI_Y),
        translate: xTranslate,
        slope: shearSlope,
    };
    // SAFETY: forwarded from the C caller.
    unsafe {
        run(
            "vImageHorizontalShearD_Planar8",
            Format::PLANAR8,
            src,
            dest,
            g,
            filter,
            Some(&back),
            flags,
        )
    }
}

/// Geometry.h: horizontal shear of PlanarF through `filter` (the sampling equation is in
/// `crate::geometry::shear`).
///
/// # Safety
/// `src` and `dest` are NULL or valid, non-overlapping buffers; `filter` is NULL or a filter
/// made by this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageHorizontalShearD_PlanarF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    srcOffsetToROI_X: vImagePixelCount,
    srcOffsetToROI_Y: vImagePixelCount,
    xTranslate: f64,
    shearSlope: f64,
    filter: ResamplingFilter,
    backColor: Pixel_F,
    flags: vImage_Flags,
) -> vImage_Error {
    let back = backColor.to_ne_bytes();
    let g = ShearArgs {
        axis: Axis::Horizontal,
        offset: (srcOffsetToROI_X, srcOffsetToROI_Y),
        translate: xTranslate,
        slope: shearSlope,
    };
    // SAFETY: forwarded from the C caller.
    unsafe {
        run(
            "vImageHorizontalShearD_PlanarF",
            Format::PLANARF,
            src,
            dest,
            g,
            filter,
            Some(&back),
            flags,
        )
    }
}

/// Geometry.h: horizontal shear of ARGB8888 through `filter` (the sampling equation is in
/// `crate::geometry::shear`).
///
/// # Safety
/// `src` and `dest` are NULL or valid, non-overlapping buffers; `filter` is NULL or a filter
/// made by this library; `backColor` is NULL or a whole pixel.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageHorizontalShearD_ARGB8888(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    srcOffsetToROI_X: vImagePixelCount,
    srcOffsetToROI_Y: vImagePixelCount,
    xTranslate: f64,
    shearSlope: f64,
    filter: ResamplingFilter,
    backColor: *const u8,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: NULL or a whole pixel (C contract).
    let back = unsafe { back_array(backColor, 4) };
    let g = ShearArgs {
        axis: Axis::Horizontal,
        offset: (srcOffsetToROI_X, srcOffsetToROI_Y),
        translate: xTranslate,
        slope: shearSlope,
    };
    // SAFETY: forwarded from the C caller.
    unsafe {
        run(
            "vImageHorizontalShearD_ARGB8888",
            Format::ARGB8888,
            src,
            dest,
            g,
            filter,
            back,
            flags,
        )
    }
}

/// Geometry.h: horizontal shear of ARGB16U through `filter` (the sampling equation is in
/// `crate::geometry::shear`).
///
/// # Safety
/// `src` and `dest` are NULL or valid, non-overlapping buffers; `filter` is NULL or a filter
/// made by this library; `backColor` is NULL or a whole pixel.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageHorizontalShearD_ARGB16U(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    srcOffsetToROI_X: vImagePixelCount,
    srcOffsetToROI_Y: vImagePixelCount,
    xTranslate: f64,
    shearSlope: f64,
    filter: ResamplingFilter,
    backColor: *const u16,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: NULL or a whole pixel (C contract).
    let back = unsafe { back_array(backColor, 4) };
    let g = ShearArgs {
        axis: Axis::Horizontal,
        offset: (srcOffsetToROI_X, srcOffsetToROI_Y),
        translate: xTranslate,
        slope: shearSlope,
    };
    // SAFETY: forwarded from the C caller.
    unsafe {
        run(
            "vImageHorizontalShearD_ARGB16U",
            Format::ARGB16U,
            src,
            dest,
            g,
            filter,
            back,
            flags,
        )
    }
}

/// Geometry.h: horizontal shear of ARGB16S through `filter` (the sampling equation is in
/// `crate::geometry::shear`).
///
/// # Safety
/// `src` and `dest` are NULL or valid, non-overlapping buffers; `filter` is NULL or a filter
/// made by this library; `backColor` is NULL or a whole pixel.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageHorizontalShearD_ARGB16S(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    srcOffsetToROI_X: vImagePixelCount,
    srcOffsetToROI_Y: vImagePixelCount,
    xTranslate: f64,
    shearSlope: f64,
    filter: ResamplingFilter,
    backColor: *const i16,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: NULL or a whole pixel (C contract).
    let back = unsafe { back_array(backColor, 4) };
    let g = ShearArgs {
        axis: Axis::Horizontal,
        offset: (srcOffsetToROI_X, srcOffsetToROI_Y),
        translate: xTranslate,
        slope: shearSlope,
    };
    // SAFETY: forwarded from the C caller.
    unsafe {
        run(
            "vImageHorizontalShearD_ARGB16S",
            Format::ARGB16S,
            src,
            dest,
            g,
            filter,
            back,
            flags,
        )
    }
}

/// Geometry.h: horizontal shear of ARGBFFFF through `filter` (the sampling equation is in
/// `crate::geometry::shear`).
///
/// # Safety
/// `src` and `dest` are NULL or valid, non-overlapping buffers; `filter` is NULL or a filter
/// made by this library; `backColor` is NULL or a whole pixel.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageHorizontalShearD_ARGBFFFF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    srcOffsetToROI_X: vImagePixelCount,
    srcOffsetToROI_Y: vImagePixelCount,
    xTranslate: f64,
    shearSlope: f64,
    filter: ResamplingFilter,
    backColor: *const f32,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: NULL or a whole pixel (C contract).
    let back = unsafe { back_array(backColor, 4) };
    let g = ShearArgs {
        axis: Axis::Horizontal,
        offset: (srcOffsetToROI_X, srcOffsetToROI_Y),
        translate: xTranslate,
        slope: shearSlope,
    };
    // SAFETY: forwarded from the C caller.
    unsafe {
        run(
            "vImageHorizontalShearD_ARGBFFFF",
            Format::ARGBFFFF,
            src,
            dest,
            g,
            filter,
            back,
            flags,
        )
    }
}

/// Geometry.h: vertical shear of Planar8 through `filter` (the sampling equation is in
/// `crate::geometry::shear`).
///
/// # Safety
/// `src` and `dest` are NULL or valid, non-overlapping buffers; `filter` is NULL or a filter
/// made by this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageVerticalShearD_Planar8(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    srcOffsetToROI_X: vImagePixelCount,
    srcOffsetToROI_Y: vImagePixelCount,
    yTranslate: f64,
    shearSlope: f64,
    filter: ResamplingFilter,
    backColor: Pixel_8,
    flags: vImage_Flags,
) -> vImage_Error {
    let back = backColor.to_ne_bytes();
    let g = ShearArgs {
        axis: Axis::Vertical,
        offset: (srcOffsetToROI_X, srcOffsetToROI_Y),
        translate: yTranslate,
        slope: shearSlope,
    };
    // SAFETY: forwarded from the C caller.
    unsafe {
        run(
            "vImageVerticalShearD_Planar8",
            Format::PLANAR8,
            src,
            dest,
            g,
            filter,
            Some(&back),
            flags,
        )
    }
}

/// Geometry.h: vertical shear of PlanarF through `filter` (the sampling equation is in
/// `crate::geometry::shear`).
///
/// # Safety
/// `src` and `dest` are NULL or valid, non-overlapping buffers; `filter` is NULL or a filter
/// made by this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageVerticalShearD_PlanarF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    srcOffsetToROI_X: vImagePixelCount,
    srcOffsetToROI_Y: vImagePixelCount,
    yTranslate: f64,
    shearSlope: f64,
    filter: ResamplingFilter,
    backColor: Pixel_F,
    flags: vImage_Flags,
) -> vImage_Error {
    let back = backColor.to_ne_bytes();
    let g = ShearArgs {
        axis: Axis::Vertical,
        offset: (srcOffsetToROI_X, srcOffsetToROI_Y),
        translate: yTranslate,
        slope: shearSlope,
    };
    // SAFETY: forwarded from the C caller.
    unsafe {
        run(
            "vImageVerticalShearD_PlanarF",
            Format::PLANARF,
            src,
            dest,
            g,
            filter,
            Some(&back),
            flags,
        )
    }
}

/// Geometry.h: vertical shear of ARGB8888 through `filter` (the sampling equation is in
/// `crate::geometry::shear`).
///
/// # Safety
/// `src` and `dest` are NULL or valid, non-overlapping buffers; `filter` is NULL or a filter
/// made by this library; `backColor` is NULL or a whole pixel.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageVerticalShearD_ARGB8888(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    srcOffsetToROI_X: vImagePixelCount,
    srcOffsetToROI_Y: vImagePixelCount,
    yTranslate: f64,
    shearSlope: f64,
    filter: ResamplingFilter,
    backColor: *const u8,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: NULL or a whole pixel (C contract).
    let back = unsafe { back_array(backColor, 4) };
    let g = ShearArgs {
        axis: Axis::Vertical,
        offset: (srcOffsetToROI_X, srcOffsetToROI_Y),
        translate: yTranslate,
        slope: shearSlope,
    };
    // SAFETY: forwarded from the C caller.
    unsafe {
        run(
            "vImageVerticalShearD_ARGB8888",
            Format::ARGB8888,
            src,
            dest,
            g,
            filter,
            back,
            flags,
        )
    }
}

/// Geometry.h: vertical shear of ARGB16U through `filter` (the sampling equation is in
/// `crate::geometry::shear`).
///
/// # Safety
/// `src` and `dest` are NULL or valid, non-overlapping buffers; `filter` is NULL or a filter
/// made by this library; `backColor` is NULL or a whole pixel.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageVerticalShearD_ARGB16U(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    srcOffsetToROI_X: vImagePixelCount,
    srcOffsetToROI_Y: vImagePixelCount,
    yTranslate: f64,
    shearSlope: f64,
    filter: ResamplingFilter,
    backColor: *const u16,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: NULL or a whole pixel (C contract).
    let back = unsafe { back_array(backColor, 4) };
    let g = ShearArgs {
        axis: Axis::Vertical,
        offset: (srcOffsetToROI_X, srcOffsetToROI_Y),
        translate: yTranslate,
        slope: shearSlope,
    };
    // SAFETY: forwarded from the C caller.
    unsafe {
        run(
            "vImageVerticalShearD_ARGB16U",
            Format::ARGB16U,
            src,
            dest,
            g,
            filter,
            back,
            flags,
        )
    }
}

/// Geometry.h: vertical shear of ARGB16S through `filter` (the sampling equation is in
/// `crate::geometry::shear`).
///
/// # Safety
/// `src` and `dest` are NULL or valid, non-overlapping buffers; `filter` is NULL or a filter
/// made by this library; `backColor` is NULL or a whole pixel.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageVerticalShearD_ARGB16S(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    srcOffsetToROI_X: vImagePixelCount,
    srcOffsetToROI_Y: vImagePixelCount,
    yTranslate: f64,
    shearSlope: f64,
    filter: ResamplingFilter,
    backColor: *const i16,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: NULL or a whole pixel (C contract).
    let back = unsafe { back_array(backColor, 4) };
    let g = ShearArgs {
        axis: Axis::Vertical,
        offset: (srcOffsetToROI_X, srcOffsetToROI_Y),
        translate: yTranslate,
        slope: shearSlope,
    };
    // SAFETY: forwarded from the C caller.
    unsafe {
        run(
            "vImageVerticalShearD_ARGB16S",
            Format::ARGB16S,
            src,
            dest,
            g,
            filter,
            back,
            flags,
        )
    }
}

/// Geometry.h: vertical shear of ARGBFFFF through `filter` (the sampling equation is in
/// `crate::geometry::shear`).
///
/// # Safety
/// `src` and `dest` are NULL or valid, non-overlapping buffers; `filter` is NULL or a filter
/// made by this library; `backColor` is NULL or a whole pixel.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageVerticalShearD_ARGBFFFF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    srcOffsetToROI_X: vImagePixelCount,
    srcOffsetToROI_Y: vImagePixelCount,
    yTranslate: f64,
    shearSlope: f64,
    filter: ResamplingFilter,
    backColor: *const f32,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: NULL or a whole pixel (C contract).
    let back = unsafe { back_array(backColor, 4) };
    let g = ShearArgs {
        axis: Axis::Vertical,
        offset: (srcOffsetToROI_X, srcOffsetToROI_Y),
        translate: yTranslate,
        slope: shearSlope,
    };
    // SAFETY: forwarded from the C caller.
    unsafe {
        run(
            "vImageVerticalShearD_ARGBFFFF",
            Format::ARGBFFFF,
            src,
            dest,
            g,
            filter,
            back,
            flags,
        )
    }
}

// ---- resampling filters ------------------------------------------------------------------------

/// Geometry.h: a heap-allocated filter of `scale` with the built-in kernel (Lanczos3, Lanczos5
/// with `kvImageHighQualityResampling`). NULL when `scale` is 0 or not finite, or on an
/// unknown flag bit.
#[unsafe(no_mangle)]
pub extern "C" fn vImageNewResamplingFilter(scale: f32, flags: vImage_Flags) -> ResamplingFilter {
    crate::ffi::guard_value(std::ptr::null_mut(), || {
        if flags & !crate::flags::Flags::all().bits() != 0 {
            return std::ptr::null_mut();
        }
        let hq = flags & kvImageHighQualityResampling != 0;
        match FilterData::new(scale, None, 0.0, std::ptr::null_mut(), hq) {
            Ok(f) => Box::into_raw(Box::new(f)).cast(),
            Err(_) => std::ptr::null_mut(),
        }
    })
}

/// Geometry.h: frees a filter made by `vImageNewResamplingFilter` (NULL ignored).
///
/// # Safety
/// `filter` is NULL or came from `vImageNewResamplingFilter` and is not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageDestroyResamplingFilter(filter: ResamplingFilter) {
    crate::ffi::guard_value((), || {
        // SAFETY: a filter argument is NULL or a filter of ours (C contract).
        if filter.is_null() || unsafe { FilterData::read(filter) }.is_err() {
            return;
        }
        // SAFETY: made by Box::into_raw in vImageNewResamplingFilter (the caller's contract).
        drop(unsafe { Box::from_raw(filter.cast::<FilterData>()) });
    })
}

/// Geometry.h: writes a filter for `kernelFunc` over `[-kernelWidth, kernelWidth]` (the
/// built-in kernel when NULL) into the caller's buffer of `vImageGetResamplingFilterSize`
/// bytes.
///
/// # Safety
/// `filter` is NULL or holds `vImageGetResamplingFilterSize` writable bytes; `kernelFunc` and
/// `userData` stay valid while the filter is used.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageNewResamplingFilterForFunctionUsingBuffer(
    filter: ResamplingFilter,
    scale: f32,
    kernelFunc: Option<
        unsafe extern "C" fn(
            xArray: *const f32,
            yArray: *mut f32,
            count: c_ulong,
            userData: *mut c_void,
        ),
    >,
    kernelWidth: f32,
    userData: *mut c_void,
    flags: vImage_Flags,
) -> vImage_Error {
    call(
        "vImageNewResamplingFilterForFunctionUsingBuffer",
        flags,
        |f| {
            if filter.is_null() {
                return Err(Error::NullPointer("filter"));
            }
            let hq = f.contains(crate::flags::Flags::HIGH_QUALITY_RESAMPLING);
            let data = FilterData::new(scale, kernelFunc, kernelWidth, userData, hq)?;
            // SAFETY: the caller's buffer holds FILTER_SIZE writable bytes (C contract).
            unsafe { data.write(filter) };
            Ok(())
        },
    )
}

/// Geometry.h: bytes a filter needs (the same for every scale and kernel here).
#[unsafe(no_mangle)]
pub extern "C" fn vImageGetResamplingFilterSize(
    scale: f32,
    kernelFunc: Option<
        unsafe extern "C" fn(
            xArray: *const f32,
            yArray: *mut f32,
            count: c_ulong,
            userData: *mut c_void,
        ),
    >,
    kernelWidth: f32,
    flags: vImage_Flags,
) -> usize {
    let _ = (scale, kernelFunc, kernelWidth, flags);
    FILTER_SIZE
}

/// Geometry.h: the furthest source pixel (in the resampled axis) a shear with this filter
/// reads from a sample position: `ceil(kernelWidth / min(|scale|, 1))`. 0 for NULL or a
/// foreign pointer.
///
/// # Safety
/// `filter` is NULL or a filter made by this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageGetResamplingFilterExtent(
    filter: ResamplingFilter,
    flags: vImage_Flags,
) -> vImagePixelCount {
    let _ = flags;
    crate::ffi::guard_value(0, || {
        // SAFETY: the caller's contract.
        unsafe { FilterData::read(filter) }.map_or(0, |f| f.extent() as vImagePixelCount)
    })
}
