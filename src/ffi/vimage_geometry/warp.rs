//! Geometry.h: vImageRotate_* and vImageAffineWarp_* / AffineWarpD_* / AffineWarpCG_* entry
//! points. Thin wrappers: check the buffers, read the transform (as f64) and the background
//! colour, call [`crate::geometry::warp`]. `tempBuffer` is not needed (the query returns 0) and
//! is ignored.

use std::ffi::c_void;

use crate::error::{Error, Result};
use crate::ffi::buffers::{array, call};
use crate::geometry::warp::{self, Format, Transform};
use crate::types::*;

use super::rotate90::surface;

/// A required transform argument.
///
/// # Safety
/// `t` is NULL or points to a readable transform.
unsafe fn transform<T: Copy>(t: *const T) -> Result<T> {
    // SAFETY: the caller's contract.
    unsafe { t.as_ref() }
        .copied()
        .ok_or(Error::NullPointer("transform"))
}

fn single(t: vImage_AffineTransform) -> Transform {
    [t.a, t.b, t.c, t.d, t.tx, t.ty].map(f64::from)
}

fn double(t: vImage_AffineTransform_Double) -> Transform {
    [t.a, t.b, t.c, t.d, t.tx, t.ty]
}

fn cg(t: vImage_CGAffineTransform) -> Transform {
    [t.a, t.b, t.c, t.d, t.tx, t.ty]
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageRotate_Planar8(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    angleInRadians: f32,
    backColor: Pixel_8,
    flags: vImage_Flags,
) -> vImage_Error {
    let _ = tempBuffer;
    call("vImageRotate_Planar8", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions (the C contract).
        let (s, d) = unsafe { (surface(src, "src", 1)?, surface(dest, "dest", 1)?) };
        let back = Some([f32::from(backColor), 0.0, 0.0, 0.0]);
        warp::rotate(s, d, Format::Planar8, angleInRadians, back, f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageRotate_PlanarF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    angleInRadians: f32,
    backColor: Pixel_F,
    flags: vImage_Flags,
) -> vImage_Error {
    let _ = tempBuffer;
    call("vImageRotate_PlanarF", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions (the C contract).
        let (s, d) = unsafe { (surface(src, "src", 4)?, surface(dest, "dest", 4)?) };
        let back = Some([backColor, 0.0, 0.0, 0.0]);
        warp::rotate(s, d, Format::PlanarF, angleInRadians, back, f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageRotate_ARGB8888(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    angleInRadians: f32,
    backColor: *const u8,
    flags: vImage_Flags,
) -> vImage_Error {
    let _ = tempBuffer;
    call("vImageRotate_ARGB8888", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions (the C contract).
        let (s, d) = unsafe { (surface(src, "src", 4)?, surface(dest, "dest", 4)?) };
        let back = if backColor.is_null() {
            None
        } else {
            // SAFETY: a non-NULL backColor points to 4 channels (the C contract).
            let c = unsafe { array::<u8, 4>(backColor, "backColor")? };
            Some(c.map(f32::from))
        };
        warp::rotate(s, d, Format::ARGB8888, angleInRadians, back, f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageRotate_ARGB16U(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    angleInRadians: f32,
    backColor: *const u16,
    flags: vImage_Flags,
) -> vImage_Error {
    let _ = tempBuffer;
    call("vImageRotate_ARGB16U", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions (the C contract).
        let (s, d) = unsafe { (surface(src, "src", 8)?, surface(dest, "dest", 8)?) };
        let back = if backColor.is_null() {
            None
        } else {
            // SAFETY: a non-NULL backColor points to 4 channels (the C contract).
            let c = unsafe { array::<u16, 4>(backColor, "backColor")? };
            Some(c.map(f32::from))
        };
        warp::rotate(s, d, Format::ARGB16U, angleInRadians, back, f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageRotate_ARGB16S(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    angleInRadians: f32,
    backColor: *const i16,
    flags: vImage_Flags,
) -> vImage_Error {
    let _ = tempBuffer;
    call("vImageRotate_ARGB16S", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions (the C contract).
        let (s, d) = unsafe { (surface(src, "src", 8)?, surface(dest, "dest", 8)?) };
        let back = if backColor.is_null() {
            None
        } else {
            // SAFETY: a non-NULL backColor points to 4 channels (the C contract).
            let c = unsafe { array::<i16, 4>(backColor, "backColor")? };
            Some(c.map(f32::from))
        };
        warp::rotate(s, d, Format::ARGB16S, angleInRadians, back, f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageRotate_ARGBFFFF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    angleInRadians: f32,
    backColor: *const f32,
    flags: vImage_Flags,
) -> vImage_Error {
    let _ = tempBuffer;
    call("vImageRotate_ARGBFFFF", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions (the C contract).
        let (s, d) = unsafe { (surface(src, "src", 16)?, surface(dest, "dest", 16)?) };
        let back = if backColor.is_null() {
            None
        } else {
            // SAFETY: a non-NULL backColor points to 4 channels (the C contract).
            let c = unsafe { array::<f32, 4>(backColor, "backColor")? };
            Some(c.map(f32::from))
        };
        warp::rotate(s, d, Format::ARGBFFFF, angleInRadians, back, f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageAffineWarp_Planar8(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    transform: *const vImage_AffineTransform,
    backColor: Pixel_8,
    flags: vImage_Flags,
) -> vImage_Error {
    let _ = tempBuffer;
    call("vImageAffineWarp_Planar8", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions and transform (the C contract).
        let (s, d, t) = unsafe {
            (
                surface(src, "src", 1)?,
                surface(dest, "dest", 1)?,
                single(self::transform(transform)?),
            )
        };
        let back = Some([f32::from(backColor), 0.0, 0.0, 0.0]);
        warp::affine(s, d, Format::Planar8, t, back, f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageAffineWarp_PlanarF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    transform: *const vImage_AffineTransform,
    backColor: Pixel_F,
    flags: vImage_Flags,
) -> vImage_Error {
    let _ = tempBuffer;
    call("vImageAffineWarp_PlanarF", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions and transform (the C contract).
        let (s, d, t) = unsafe {
            (
                surface(src, "src", 4)?,
                surface(dest, "dest", 4)?,
                single(self::transform(transform)?),
            )
        };
        let back = Some([backColor, 0.0, 0.0, 0.0]);
        warp::affine(s, d, Format::PlanarF, t, back, f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageAffineWarp_ARGB8888(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    transform: *const vImage_AffineTransform,
    backColor: *const u8,
    flags: vImage_Flags,
) -> vImage_Error {
    let _ = tempBuffer;
    call("vImageAffineWarp_ARGB8888", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions and transform (the C contract).
        let (s, d, t) = unsafe {
            (
                surface(src, "src", 4)?,
                surface(dest, "dest", 4)?,
                single(self::transform(transform)?),
            )
        };
        let back = if backColor.is_null() {
            None
        } else {
            // SAFETY: a non-NULL backColor points to 4 channels (the C contract).
            let c = unsafe { array::<u8, 4>(backColor, "backColor")? };
            Some(c.map(f32::from))
        };
        warp::affine(s, d, Format::ARGB8888, t, back, f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageAffineWarp_ARGB16U(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    transform: *const vImage_AffineTransform,
    backColor: *const u16,
    flags: vImage_Flags,
) -> vImage_Error {
    let _ = tempBuffer;
    call("vImageAffineWarp_ARGB16U", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions and transform (the C contract).
        let (s, d, t) = unsafe {
            (
                surface(src, "src", 8)?,
                surface(dest, "dest", 8)?,
                single(self::transform(transform)?),
            )
        };
        let back = if backColor.is_null() {
            None
        } else {
            // SAFETY: a non-NULL backColor points to 4 channels (the C contract).
            let c = unsafe { array::<u16, 4>(backColor, "backColor")? };
            Some(c.map(f32::from))
        };
        warp::affine(s, d, Format::ARGB16U, t, back, f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageAffineWarp_ARGB16S(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    transform: *const vImage_AffineTransform,
    backColor: *const i16,
    flags: vImage_Flags,
) -> vImage_Error {
    let _ = tempBuffer;
    call("vImageAffineWarp_ARGB16S", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions and transform (the C contract).
        let (s, d, t) = unsafe {
            (
                surface(src, "src", 8)?,
                surface(dest, "dest", 8)?,
                single(self::transform(transform)?),
            )
        };
        let back = if backColor.is_null() {
            None
        } else {
            // SAFETY: a non-NULL backColor points to 4 channels (the C contract).
            let c = unsafe { array::<i16, 4>(backColor, "backColor")? };
            Some(c.map(f32::from))
        };
        warp::affine(s, d, Format::ARGB16S, t, back, f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageAffineWarp_ARGBFFFF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    transform: *const vImage_AffineTransform,
    backColor: *const f32,
    flags: vImage_Flags,
) -> vImage_Error {
    let _ = tempBuffer;
    call("vImageAffineWarp_ARGBFFFF", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions and transform (the C contract).
        let (s, d, t) = unsafe {
            (
                surface(src, "src", 16)?,
                surface(dest, "dest", 16)?,
                single(self::transform(transform)?),
            )
        };
        let back = if backColor.is_null() {
            None
        } else {
            // SAFETY: a non-NULL backColor points to 4 channels (the C contract).
            let c = unsafe { array::<f32, 4>(backColor, "backColor")? };
            Some(c.map(f32::from))
        };
        warp::affine(s, d, Format::ARGBFFFF, t, back, f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageAffineWarpD_Planar8(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    transform: *const vImage_AffineTransform_Double,
    backColor: Pixel_8,
    flags: vImage_Flags,
) -> vImage_Error {
    let _ = tempBuffer;
    call("vImageAffineWarpD_Planar8", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions and transform (the C contract).
        let (s, d, t) = unsafe {
            (
                surface(src, "src", 1)?,
                surface(dest, "dest", 1)?,
                double(self::transform(transform)?),
            )
        };
        let back = Some([f32::from(backColor), 0.0, 0.0, 0.0]);
        warp::affine(s, d, Format::Planar8, t, back, f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageAffineWarpD_PlanarF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    transform: *const vImage_AffineTransform_Double,
    backColor: Pixel_F,
    flags: vImage_Flags,
) -> vImage_Error {
    let _ = tempBuffer;
    call("vImageAffineWarpD_PlanarF", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions and transform (the C contract).
        let (s, d, t) = unsafe {
            (
                surface(src, "src", 4)?,
                surface(dest, "dest", 4)?,
                double(self::transform(transform)?),
            )
        };
        let back = Some([backColor, 0.0, 0.0, 0.0]);
        warp::affine(s, d, Format::PlanarF, t, back, f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageAffineWarpD_ARGB8888(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    transform: *const vImage_AffineTransform_Double,
    backColor: *const u8,
    flags: vImage_Flags,
) -> vImage_Error {
    let _ = tempBuffer;
    call("vImageAffineWarpD_ARGB8888", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions and transform (the C contract).
        let (s, d, t) = unsafe {
            (
                surface(src, "src", 4)?,
                surface(dest, "dest", 4)?,
                double(self::transform(transform)?),
            )
        };
        let back = if backColor.is_null() {
            None
        } else {
            // SAFETY: a non-NULL backColor points to 4 channels (the C contract).
            let c = unsafe { array::<u8, 4>(backColor, "backColor")? };
            Some(c.map(f32::from))
        };
        warp::affine(s, d, Format::ARGB8888, t, back, f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageAffineWarpD_ARGB16U(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    transform: *const vImage_AffineTransform_Double,
    backColor: *const u16,
    flags: vImage_Flags,
) -> vImage_Error {
    let _ = tempBuffer;
    call("vImageAffineWarpD_ARGB16U", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions and transform (the C contract).
        let (s, d, t) = unsafe {
            (
                surface(src, "src", 8)?,
                surface(dest, "dest", 8)?,
                double(self::transform(transform)?),
            )
        };
        let back = if backColor.is_null() {
            None
        } else {
            // SAFETY: a non-NULL backColor points to 4 channels (the C contract).
            let c = unsafe { array::<u16, 4>(backColor, "backColor")? };
            Some(c.map(f32::from))
        };
        warp::affine(s, d, Format::ARGB16U, t, back, f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageAffineWarpD_ARGB16S(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    transform: *const vImage_AffineTransform_Double,
    backColor: *const i16,
    flags: vImage_Flags,
) -> vImage_Error {
    let _ = tempBuffer;
    call("vImageAffineWarpD_ARGB16S", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions and transform (the C contract).
        let (s, d, t) = unsafe {
            (
                surface(src, "src", 8)?,
                surface(dest, "dest", 8)?,
                double(self::transform(transform)?),
            )
        };
        let back = if backColor.is_null() {
            None
        } else {
            // SAFETY: a non-NULL backColor points to 4 channels (the C contract).
            let c = unsafe { array::<i16, 4>(backColor, "backColor")? };
            Some(c.map(f32::from))
        };
        warp::affine(s, d, Format::ARGB16S, t, back, f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageAffineWarpD_ARGBFFFF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    transform: *const vImage_AffineTransform_Double,
    backColor: *const f32,
    flags: vImage_Flags,
) -> vImage_Error {
    let _ = tempBuffer;
    call("vImageAffineWarpD_ARGBFFFF", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions and transform (the C contract).
        let (s, d, t) = unsafe {
            (
                surface(src, "src", 16)?,
                surface(dest, "dest", 16)?,
                double(self::transform(transform)?),
            )
        };
        let back = if backColor.is_null() {
            None
        } else {
            // SAFETY: a non-NULL backColor points to 4 channels (the C contract).
            let c = unsafe { array::<f32, 4>(backColor, "backColor")? };
            Some(c.map(f32::from))
        };
        warp::affine(s, d, Format::ARGBFFFF, t, back, f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageAffineWarpCG_Planar8(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    transform: *const vImage_CGAffineTransform,
    backColor: Pixel_8,
    flags: vImage_Flags,
) -> vImage_Error {
    let _ = tempBuffer;
    call("vImageAffineWarpCG_Planar8", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions and transform (the C contract).
        let (s, d, t) = unsafe {
            (
                surface(src, "src", 1)?,
                surface(dest, "dest", 1)?,
                cg(self::transform(transform)?),
            )
        };
        let back = Some([f32::from(backColor), 0.0, 0.0, 0.0]);
        warp::affine(s, d, Format::Planar8, t, back, f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageAffineWarpCG_PlanarF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    transform: *const vImage_CGAffineTransform,
    backColor: Pixel_F,
    flags: vImage_Flags,
) -> vImage_Error {
    let _ = tempBuffer;
    call("vImageAffineWarpCG_PlanarF", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions and transform (the C contract).
        let (s, d, t) = unsafe {
            (
                surface(src, "src", 4)?,
                surface(dest, "dest", 4)?,
                cg(self::transform(transform)?),
            )
        };
        let back = Some([backColor, 0.0, 0.0, 0.0]);
        warp::affine(s, d, Format::PlanarF, t, back, f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageAffineWarpCG_ARGB8888(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    transform: *const vImage_CGAffineTransform,
    backColor: *const u8,
    flags: vImage_Flags,
) -> vImage_Error {
    let _ = tempBuffer;
    call("vImageAffineWarpCG_ARGB8888", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions and transform (the C contract).
        let (s, d, t) = unsafe {
            (
                surface(src, "src", 4)?,
                surface(dest, "dest", 4)?,
                cg(self::transform(transform)?),
            )
        };
        let back = if backColor.is_null() {
            None
        } else {
            // SAFETY: a non-NULL backColor points to 4 channels (the C contract).
            let c = unsafe { array::<u8, 4>(backColor, "backColor")? };
            Some(c.map(f32::from))
        };
        warp::affine(s, d, Format::ARGB8888, t, back, f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageAffineWarpCG_ARGB16U(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    transform: *const vImage_CGAffineTransform,
    backColor: *const u16,
    flags: vImage_Flags,
) -> vImage_Error {
    let _ = tempBuffer;
    call("vImageAffineWarpCG_ARGB16U", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions and transform (the C contract).
        let (s, d, t) = unsafe {
            (
                surface(src, "src", 8)?,
                surface(dest, "dest", 8)?,
                cg(self::transform(transform)?),
            )
        };
        let back = if backColor.is_null() {
            None
        } else {
            // SAFETY: a non-NULL backColor points to 4 channels (the C contract).
            let c = unsafe { array::<u16, 4>(backColor, "backColor")? };
            Some(c.map(f32::from))
        };
        warp::affine(s, d, Format::ARGB16U, t, back, f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageAffineWarpCG_ARGB16S(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    transform: *const vImage_CGAffineTransform,
    backColor: *const i16,
    flags: vImage_Flags,
) -> vImage_Error {
    let _ = tempBuffer;
    call("vImageAffineWarpCG_ARGB16S", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions and transform (the C contract).
        let (s, d, t) = unsafe {
            (
                surface(src, "src", 8)?,
                surface(dest, "dest", 8)?,
                cg(self::transform(transform)?),
            )
        };
        let back = if backColor.is_null() {
            None
        } else {
            // SAFETY: a non-NULL backColor points to 4 channels (the C contract).
            let c = unsafe { array::<i16, 4>(backColor, "backColor")? };
            Some(c.map(f32::from))
        };
        warp::affine(s, d, Format::ARGB16S, t, back, f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageAffineWarpCG_ARGBFFFF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    transform: *const vImage_CGAffineTransform,
    backColor: *const f32,
    flags: vImage_Flags,
) -> vImage_Error {
    let _ = tempBuffer;
    call("vImageAffineWarpCG_ARGBFFFF", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions and transform (the C contract).
        let (s, d, t) = unsafe {
            (
                surface(src, "src", 16)?,
                surface(dest, "dest", 16)?,
                cg(self::transform(transform)?),
            )
        };
        let back = if backColor.is_null() {
            None
        } else {
            // SAFETY: a non-NULL backColor points to 4 channels (the C contract).
            let c = unsafe { array::<f32, 4>(backColor, "backColor")? };
            Some(c.map(f32::from))
        };
        warp::affine(s, d, Format::ARGBFFFF, t, back, f)
    })
}
