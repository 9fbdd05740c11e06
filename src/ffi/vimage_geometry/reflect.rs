//! Geometry.h: vImageHorizontalReflect_* / vImageVerticalReflect_* entry points.

use crate::ffi::buffers::call;
use crate::geometry::reflect;
use crate::types::*;

use super::rotate90::surface;

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageHorizontalReflect_Planar8(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageHorizontalReflect_Planar8", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions (the C contract).
        let (s, d) = unsafe { (surface(src, "src", 1)?, surface(dest, "dest", 1)?) };
        reflect::horizontal(s, d, f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageHorizontalReflect_Planar16U(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageHorizontalReflect_Planar16U", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions (the C contract).
        let (s, d) = unsafe { (surface(src, "src", 2)?, surface(dest, "dest", 2)?) };
        reflect::horizontal(s, d, f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageHorizontalReflect_PlanarF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageHorizontalReflect_PlanarF", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions (the C contract).
        let (s, d) = unsafe { (surface(src, "src", 4)?, surface(dest, "dest", 4)?) };
        reflect::horizontal(s, d, f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageHorizontalReflect_ARGB8888(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageHorizontalReflect_ARGB8888", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions (the C contract).
        let (s, d) = unsafe { (surface(src, "src", 4)?, surface(dest, "dest", 4)?) };
        reflect::horizontal(s, d, f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageHorizontalReflect_ARGB16U(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageHorizontalReflect_ARGB16U", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions (the C contract).
        let (s, d) = unsafe { (surface(src, "src", 8)?, surface(dest, "dest", 8)?) };
        reflect::horizontal(s, d, f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageHorizontalReflect_ARGB16S(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageHorizontalReflect_ARGB16S", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions (the C contract).
        let (s, d) = unsafe { (surface(src, "src", 8)?, surface(dest, "dest", 8)?) };
        reflect::horizontal(s, d, f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageHorizontalReflect_ARGBFFFF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageHorizontalReflect_ARGBFFFF", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions (the C contract).
        let (s, d) = unsafe { (surface(src, "src", 16)?, surface(dest, "dest", 16)?) };
        reflect::horizontal(s, d, f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageVerticalReflect_Planar8(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageVerticalReflect_Planar8", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions (the C contract).
        let (s, d) = unsafe { (surface(src, "src", 1)?, surface(dest, "dest", 1)?) };
        reflect::vertical(s, d, f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageVerticalReflect_Planar16U(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageVerticalReflect_Planar16U", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions (the C contract).
        let (s, d) = unsafe { (surface(src, "src", 2)?, surface(dest, "dest", 2)?) };
        reflect::vertical(s, d, f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageVerticalReflect_PlanarF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageVerticalReflect_PlanarF", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions (the C contract).
        let (s, d) = unsafe { (surface(src, "src", 4)?, surface(dest, "dest", 4)?) };
        reflect::vertical(s, d, f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageVerticalReflect_ARGB8888(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageVerticalReflect_ARGB8888", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions (the C contract).
        let (s, d) = unsafe { (surface(src, "src", 4)?, surface(dest, "dest", 4)?) };
        reflect::vertical(s, d, f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageVerticalReflect_ARGB16U(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageVerticalReflect_ARGB16U", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions (the C contract).
        let (s, d) = unsafe { (surface(src, "src", 8)?, surface(dest, "dest", 8)?) };
        reflect::vertical(s, d, f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageVerticalReflect_ARGB16S(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageVerticalReflect_ARGB16S", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions (the C contract).
        let (s, d) = unsafe { (surface(src, "src", 8)?, surface(dest, "dest", 8)?) };
        reflect::vertical(s, d, f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageVerticalReflect_ARGBFFFF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageVerticalReflect_ARGBFFFF", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions (the C contract).
        let (s, d) = unsafe { (surface(src, "src", 16)?, surface(dest, "dest", 16)?) };
        reflect::vertical(s, d, f)
    })
}
