//! Geometry.h: vImageRotate90_* entry points. Thin wrappers: check the buffers, read the
//! background colour, call [`crate::geometry::rotate90`].

use crate::error::Result;
use crate::ffi::buffers::{array, buffer, call, plane, size_of};
use crate::geometry::rotate90;
use crate::kernels::warp::Surface;
use crate::types::*;

/// A checked buffer argument as a surface of its own size, `bpp` bytes per pixel.
///
/// # Safety
/// `buf` is NULL or a valid buffer description of caller memory (the C contract).
pub(super) unsafe fn surface(
    buf: *const vImage_Buffer,
    name: &'static str,
    bpp: usize,
) -> Result<Surface> {
    // SAFETY: the caller's contract.
    let b = unsafe { buffer(buf, name)? };
    let (w, h) = size_of(b);
    // SAFETY: as above; `plane` checks NULL data, rowBytes and the span.
    unsafe { plane(b, w, h, bpp * 8, name)? };
    // SAFETY: checked just above; the memory is the caller's (the C contract).
    Ok(unsafe { Surface::new(b.data.cast(), b.rowBytes, w, h, bpp) })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageRotate90_Planar8(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    rotationConstant: u8,
    backColor: Pixel_8,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageRotate90_Planar8", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions (the C contract).
        let (s, d) = unsafe { (surface(src, "src", 1)?, surface(dest, "dest", 1)?) };
        let back = Some(backColor.to_ne_bytes().to_vec());
        rotate90::rotate90(s, d, rotationConstant, back.as_deref(), f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageRotate90_Planar16U(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    rotationConstant: u8,
    backColor: Pixel_16U,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageRotate90_Planar16U", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions (the C contract).
        let (s, d) = unsafe { (surface(src, "src", 2)?, surface(dest, "dest", 2)?) };
        let back = Some(backColor.to_ne_bytes().to_vec());
        rotate90::rotate90(s, d, rotationConstant, back.as_deref(), f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageRotate90_PlanarF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    rotationConstant: u8,
    backColor: Pixel_F,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageRotate90_PlanarF", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions (the C contract).
        let (s, d) = unsafe { (surface(src, "src", 4)?, surface(dest, "dest", 4)?) };
        let back = Some(backColor.to_bits().to_ne_bytes().to_vec());
        rotate90::rotate90(s, d, rotationConstant, back.as_deref(), f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageRotate90_ARGB8888(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    rotationConstant: u8,
    backColor: *const u8,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageRotate90_ARGB8888", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions (the C contract).
        let (s, d) = unsafe { (surface(src, "src", 4)?, surface(dest, "dest", 4)?) };
        let back = if backColor.is_null() {
            None
        } else {
            // SAFETY: a non-NULL backColor points to 4 channels (the C contract).
            let c = unsafe { array::<u8, 4>(backColor, "backColor")? };
            Some(c.iter().flat_map(|v| v.to_ne_bytes()).collect::<Vec<u8>>())
        };
        rotate90::rotate90(s, d, rotationConstant, back.as_deref(), f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageRotate90_ARGB16U(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    rotationConstant: u8,
    backColor: *const u16,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageRotate90_ARGB16U", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions (the C contract).
        let (s, d) = unsafe { (surface(src, "src", 8)?, surface(dest, "dest", 8)?) };
        let back = if backColor.is_null() {
            None
        } else {
            // SAFETY: a non-NULL backColor points to 4 channels (the C contract).
            let c = unsafe { array::<u16, 4>(backColor, "backColor")? };
            Some(c.iter().flat_map(|v| v.to_ne_bytes()).collect::<Vec<u8>>())
        };
        rotate90::rotate90(s, d, rotationConstant, back.as_deref(), f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageRotate90_ARGB16S(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    rotationConstant: u8,
    backColor: *const i16,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageRotate90_ARGB16S", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions (the C contract).
        let (s, d) = unsafe { (surface(src, "src", 8)?, surface(dest, "dest", 8)?) };
        let back = if backColor.is_null() {
            None
        } else {
            // SAFETY: a non-NULL backColor points to 4 channels (the C contract).
            let c = unsafe { array::<i16, 4>(backColor, "backColor")? };
            Some(c.iter().flat_map(|v| v.to_ne_bytes()).collect::<Vec<u8>>())
        };
        rotate90::rotate90(s, d, rotationConstant, back.as_deref(), f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageRotate90_ARGBFFFF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    rotationConstant: u8,
    backColor: *const f32,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageRotate90_ARGBFFFF", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions (the C contract).
        let (s, d) = unsafe { (surface(src, "src", 16)?, surface(dest, "dest", 16)?) };
        let back = if backColor.is_null() {
            None
        } else {
            // SAFETY: a non-NULL backColor points to 4 channels (the C contract).
            let c = unsafe { array::<f32, 4>(backColor, "backColor")? };
            Some(
                c.iter()
                    .flat_map(|v| v.to_bits().to_ne_bytes())
                    .collect::<Vec<u8>>(),
            )
        };
        rotate90::rotate90(s, d, rotationConstant, back.as_deref(), f)
    })
}
