//! Transform.h: gamma, piecewise and lookup-table entry points. Thin wrappers: check the
//! arguments, read the C arrays, call [`crate::transform::curves`].
//!
//! Sizes: `dest` defines the operation; a smaller source is `kvImageBufferSizeMismatch` for the
//! piecewise gamma and lookup-table functions (their documented code) and
//! `kvImageRoiLargerThanInputBuffer` for the others (the common rule).

use std::ffi::{c_int, c_void};

use crate::error::{Error, Result};
use crate::ffi::buffers::{array, buffer, call, plane, size_of, source};
use crate::ffi::guard_value;
use crate::flags::Flags;
use crate::kernels::rows::Plane;
use crate::transform::curves::{
    self as c, Boundary, Format, Gamma, Piecewise, PiecewiseGamma, Rational,
};
use crate::types::*;

/// What a source smaller than `dest` returns.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Small {
    Roi,
    Mismatch,
}

/// A one-to-one operation's planes: `dest` (of `dst_bits` per sample) defines the size.
///
/// # Safety
/// `src`, `dest`: NULL or valid buffer descriptions of caller memory (the C contract).
unsafe fn pair(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    src_bits: usize,
    dst_bits: usize,
    small: Small,
) -> Result<(Plane, Plane, usize, usize)> {
    // SAFETY: forwarded from the caller.
    let (s, d) = unsafe { (buffer(src, "src")?, buffer(dest, "dest")?) };
    let (w, h) = size_of(d);
    if small == Small::Mismatch
        && !s.data.is_null()
        && ((s.width as usize) < w || (s.height as usize) < h)
    {
        return Err(Error::BufferSizeMismatch(
            "the destination is larger than the source",
        ));
    }
    // SAFETY: the buffers describe caller memory (the C contract); geometry checked inside.
    let (dp, sp) = unsafe {
        (
            plane(d, w, h, dst_bits, "dest")?,
            source(s, w, h, src_bits, "src")?,
        )
    };
    Ok((sp, dp, w, h))
}

// ---- gamma functions ----------------------------------------------------------------------

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageCreateGammaFunction(
    gamma: f32,
    gamma_type: c_int,
    flags: vImage_Flags,
) -> GammaFunction {
    guard_value(std::ptr::null_mut(), || {
        if Flags::check(flags, Flags::all()).is_err() {
            return std::ptr::null_mut();
        }
        match Gamma::new(gamma, gamma_type) {
            Some(g) => Box::into_raw(Box::new(g)).cast::<c_void>(),
            None => std::ptr::null_mut(),
        }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageDestroyGammaFunction(f: GammaFunction) {
    if !f.is_null() {
        // SAFETY: made by vImageCreateGammaFunction and not yet destroyed (the C contract).
        drop(unsafe { Box::from_raw(f.cast::<Gamma>()) });
    }
}

/// The gamma behind a `GammaFunction`.
///
/// # Safety
/// `g` is NULL or made by vImageCreateGammaFunction and not destroyed.
unsafe fn gamma_of(g: GammaFunction) -> Result<Gamma> {
    if g.is_null() {
        return Err(Error::NullPointer("gamma"));
    }
    // SAFETY: the caller's contract.
    Ok(unsafe { *g.cast::<Gamma>() })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageGamma_Planar8toPlanarF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    gamma: GammaFunction,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageGamma_Planar8toPlanarF", flags, |f| {
        // SAFETY: NULL or valid buffers and gamma function (the C contract).
        let ((sp, dp, w, h), g) =
            unsafe { (pair(src, dest, 8, 32, Small::Roi)?, gamma_of(gamma)?) };
        c::gamma_8_to_f(sp, dp, w, h, g, f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageGamma_PlanarFtoPlanar8(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    gamma: GammaFunction,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageGamma_PlanarFtoPlanar8", flags, |f| {
        // SAFETY: NULL or valid buffers and gamma function (the C contract).
        let ((sp, dp, w, h), g) =
            unsafe { (pair(src, dest, 32, 8, Small::Roi)?, gamma_of(gamma)?) };
        c::gamma_f_to_8(sp, dp, w, h, g, f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageGamma_PlanarF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    gamma: GammaFunction,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageGamma_PlanarF", flags, |f| {
        // SAFETY: NULL or valid buffers and gamma function (the C contract).
        let ((sp, dp, w, h), g) =
            unsafe { (pair(src, dest, 32, 32, Small::Roi)?, gamma_of(gamma)?) };
        c::gamma_f(sp, dp, w, h, g, f)
    })
}

// ---- piecewise gamma ----------------------------------------------------------------------

fn bits(f: Format) -> usize {
    match f {
        Format::Planar8 => 8,
        Format::Planar16Q12 => 16,
        Format::PlanarF => 32,
    }
}

/// Checks and runs one piecewise gamma function.
///
/// # Safety
/// As the exported functions.
#[allow(clippy::too_many_arguments)]
unsafe fn piecewise(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    exponential: *const f32,
    gamma: f32,
    linear: *const f32,
    boundary: Boundary,
    symmetric: bool,
    input: Format,
    output: Format,
    f: Flags,
) -> Result<()> {
    // SAFETY: NULL or 3- and 2-entry arrays (the C contract).
    let (e, l) = unsafe {
        (
            array::<f32, 3>(exponential, "exponentialCoeffs")?,
            array::<f32, 2>(linear, "linearCoeffs")?,
        )
    };
    // SAFETY: forwarded from the caller.
    let (sp, dp, w, h) = unsafe { pair(src, dest, bits(input), bits(output), Small::Mismatch)? };
    let p = PiecewiseGamma {
        exponential: e,
        gamma,
        linear: l,
        boundary,
        symmetric,
    };
    c::piecewise_gamma(sp, dp, w, h, input, output, p, f)
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImagePiecewiseGamma_Planar8(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    exponentialCoeffs: *const f32,
    gamma: f32,
    linearCoeffs: *const f32,
    boundary: Pixel_8,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImagePiecewiseGamma_Planar8", flags, |f| {
        // SAFETY: NULL or valid buffers and coefficient arrays (the C contract).
        unsafe {
            piecewise(
                src,
                dest,
                exponentialCoeffs,
                gamma,
                linearCoeffs,
                Boundary::U8(boundary),
                false,
                Format::Planar8,
                Format::Planar8,
                f,
            )
        }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImagePiecewiseGamma_Planar8toPlanar16Q12(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    exponentialCoeffs: *const f32,
    gamma: f32,
    linearCoeffs: *const f32,
    boundary: Pixel_8,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImagePiecewiseGamma_Planar8toPlanar16Q12", flags, |f| {
        // SAFETY: NULL or valid buffers and coefficient arrays (the C contract).
        unsafe {
            piecewise(
                src,
                dest,
                exponentialCoeffs,
                gamma,
                linearCoeffs,
                Boundary::U8(boundary),
                false,
                Format::Planar8,
                Format::Planar16Q12,
                f,
            )
        }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImagePiecewiseGamma_Planar16Q12(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    exponentialCoeffs: *const f32,
    gamma: f32,
    linearCoeffs: *const f32,
    boundary: Pixel_16S,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImagePiecewiseGamma_Planar16Q12", flags, |f| {
        // SAFETY: NULL or valid buffers and coefficient arrays (the C contract).
        unsafe {
            piecewise(
                src,
                dest,
                exponentialCoeffs,
                gamma,
                linearCoeffs,
                Boundary::Q12(boundary),
                false,
                Format::Planar16Q12,
                Format::Planar16Q12,
                f,
            )
        }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImagePiecewiseGamma_Planar16Q12toPlanar8(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    exponentialCoeffs: *const f32,
    gamma: f32,
    linearCoeffs: *const f32,
    boundary: Pixel_16S,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImagePiecewiseGamma_Planar16Q12toPlanar8", flags, |f| {
        // SAFETY: NULL or valid buffers and coefficient arrays (the C contract).
        unsafe {
            piecewise(
                src,
                dest,
                exponentialCoeffs,
                gamma,
                linearCoeffs,
                Boundary::Q12(boundary),
                false,
                Format::Planar16Q12,
                Format::Planar8,
                f,
            )
        }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImagePiecewiseGamma_Planar8toPlanarF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    exponentialCoeffs: *const f32,
    gamma: f32,
    linearCoeffs: *const f32,
    boundary: Pixel_8,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImagePiecewiseGamma_Planar8toPlanarF", flags, |f| {
        // SAFETY: NULL or valid buffers and coefficient arrays (the C contract).
        unsafe {
            piecewise(
                src,
                dest,
                exponentialCoeffs,
                gamma,
                linearCoeffs,
                Boundary::U8(boundary),
                false,
                Format::Planar8,
                Format::PlanarF,
                f,
            )
        }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImagePiecewiseGamma_PlanarF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    exponentialCoeffs: *const f32,
    gamma: f32,
    linearCoeffs: *const f32,
    boundary: f32,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImagePiecewiseGamma_PlanarF", flags, |f| {
        // SAFETY: NULL or valid buffers and coefficient arrays (the C contract).
        unsafe {
            piecewise(
                src,
                dest,
                exponentialCoeffs,
                gamma,
                linearCoeffs,
                Boundary::F(boundary),
                false,
                Format::PlanarF,
                Format::PlanarF,
                f,
            )
        }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImagePiecewiseGamma_PlanarFtoPlanar8(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    exponentialCoeffs: *const f32,
    gamma: f32,
    linearCoeffs: *const f32,
    boundary: f32,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImagePiecewiseGamma_PlanarFtoPlanar8", flags, |f| {
        // SAFETY: NULL or valid buffers and coefficient arrays (the C contract).
        unsafe {
            piecewise(
                src,
                dest,
                exponentialCoeffs,
                gamma,
                linearCoeffs,
                Boundary::F(boundary),
                false,
                Format::PlanarF,
                Format::Planar8,
                f,
            )
        }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageSymmetricPiecewiseGamma_Planar16Q12(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    exponentialCoeffs: *const f32,
    gamma: f32,
    linearCoeffs: *const f32,
    boundary: Pixel_16S,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageSymmetricPiecewiseGamma_Planar16Q12", flags, |f| {
        // SAFETY: NULL or valid buffers and coefficient arrays (the C contract).
        unsafe {
            piecewise(
                src,
                dest,
                exponentialCoeffs,
                gamma,
                linearCoeffs,
                Boundary::Q12(boundary),
                true,
                Format::Planar16Q12,
                Format::Planar16Q12,
                f,
            )
        }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageSymmetricPiecewiseGamma_PlanarF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    exponentialCoeffs: *const f32,
    gamma: f32,
    linearCoeffs: *const f32,
    boundary: f32,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageSymmetricPiecewiseGamma_PlanarF", flags, |f| {
        // SAFETY: NULL or valid buffers and coefficient arrays (the C contract).
        unsafe {
            piecewise(
                src,
                dest,
                exponentialCoeffs,
                gamma,
                linearCoeffs,
                Boundary::F(boundary),
                true,
                Format::PlanarF,
                Format::PlanarF,
                f,
            )
        }
    })
}

// ---- piecewise polynomials ----------------------------------------------------------------

/// Reads `2^log2segments` polynomials of `order + 1` coefficients and their boundaries.
///
/// # Safety
/// `coefficients` is NULL or holds `N` pointers (each NULL or to `order + 1` floats);
/// `boundaries` is NULL or holds `N + 1` floats.
unsafe fn read_piecewise(
    coefficients: *const *const f32,
    boundaries: *const f32,
    order: u32,
    log2segments: u32,
    name: &'static str,
) -> Result<Piecewise> {
    if coefficients.is_null() {
        return Err(Error::NullPointer(name));
    }
    if boundaries.is_null() {
        return Err(Error::NullPointer("boundaries"));
    }
    if log2segments > 24 {
        return Err(Error::InvalidParameter("log2segments is larger than 24"));
    }
    let n = 1usize << log2segments;
    let terms = order as usize + 1;
    let total = n
        .checked_mul(terms)
        .ok_or(Error::InvalidParameter("polynomial too large"))?;
    let mut coeffs = Vec::new();
    coeffs
        .try_reserve_exact(total)
        .map_err(|_| Error::Allocation(total.saturating_mul(4)))?;
    for i in 0..n {
        // SAFETY: N readable pointers (the C contract).
        let p = unsafe { coefficients.add(i).read_unaligned() };
        if p.is_null() {
            return Err(Error::NullPointer(name));
        }
        // SAFETY: order + 1 readable floats (the C contract).
        coeffs.extend((0..terms).map(|k| unsafe { p.add(k).read_unaligned() }));
    }
    // SAFETY: N + 1 readable floats (the C contract).
    let bounds = (0..=n)
        .map(|k| unsafe { boundaries.add(k).read_unaligned() })
        .collect();
    Piecewise::new(bounds, coeffs, terms)
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImagePiecewisePolynomial_PlanarF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    coefficients: *mut *const f32,
    boundaries: *const f32,
    order: u32,
    log2segments: u32,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImagePiecewisePolynomial_PlanarF", flags, |f| {
        // SAFETY: NULL or valid buffers and arrays (the C contract).
        let ((sp, dp, w, h), p) = unsafe {
            (
                pair(src, dest, 32, 32, Small::Roi)?,
                read_piecewise(
                    coefficients,
                    boundaries,
                    order,
                    log2segments,
                    "coefficients",
                )?,
            )
        };
        c::polynomial_f(sp, dp, w, h, &p, false, f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImagePiecewisePolynomial_Planar8toPlanarF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    coefficients: *mut *const f32,
    boundaries: *const f32,
    order: u32,
    log2segments: u32,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImagePiecewisePolynomial_Planar8toPlanarF", flags, |f| {
        // SAFETY: NULL or valid buffers and arrays (the C contract).
        let ((sp, dp, w, h), p) = unsafe {
            (
                pair(src, dest, 8, 32, Small::Roi)?,
                read_piecewise(
                    coefficients,
                    boundaries,
                    order,
                    log2segments,
                    "coefficients",
                )?,
            )
        };
        c::polynomial_8_to_f(sp, dp, w, h, &p, f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImagePiecewisePolynomial_PlanarFtoPlanar8(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    coefficients: *mut *const f32,
    boundaries: *const f32,
    order: u32,
    log2segments: u32,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImagePiecewisePolynomial_PlanarFtoPlanar8", flags, |f| {
        // SAFETY: NULL or valid buffers and arrays (the C contract).
        let ((sp, dp, w, h), p) = unsafe {
            (
                pair(src, dest, 32, 8, Small::Roi)?,
                read_piecewise(
                    coefficients,
                    boundaries,
                    order,
                    log2segments,
                    "coefficients",
                )?,
            )
        };
        c::polynomial_f_to_8(sp, dp, w, h, &p, f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageSymmetricPiecewisePolynomial_PlanarF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    coefficients: *mut *const f32,
    boundaries: *const f32,
    order: u32,
    log2segments: u32,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageSymmetricPiecewisePolynomial_PlanarF", flags, |f| {
        // SAFETY: NULL or valid buffers and arrays (the C contract).
        let ((sp, dp, w, h), p) = unsafe {
            (
                pair(src, dest, 32, 32, Small::Roi)?,
                read_piecewise(
                    coefficients,
                    boundaries,
                    order,
                    log2segments,
                    "coefficients",
                )?,
            )
        };
        c::polynomial_f(sp, dp, w, h, &p, true, f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImagePiecewiseRational_PlanarF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    topCoefficients: *mut *const f32,
    bottomCoefficients: *mut *const f32,
    boundaries: *const f32,
    topOrder: u32,
    bottomOrder: u32,
    log2segments: u32,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImagePiecewiseRational_PlanarF", flags, |f| {
        // SAFETY: NULL or valid buffers and arrays (the C contract).
        let ((sp, dp, w, h), top, bottom) = unsafe {
            (
                pair(src, dest, 32, 32, Small::Roi)?,
                read_piecewise(
                    topCoefficients,
                    boundaries,
                    topOrder,
                    log2segments,
                    "topCoefficients",
                )?,
                read_piecewise(
                    bottomCoefficients,
                    boundaries,
                    bottomOrder,
                    log2segments,
                    "bottomCoefficients",
                )?,
            )
        };
        c::rational_f(sp, dp, w, h, &Rational { top, bottom }, f)
    })
}

// ---- lookup tables ------------------------------------------------------------------------

/// The `N`-byte entries a Planar8 source expands to: bytes `offset..offset + N` of each of
/// the 256 `stride`-byte entries of `table`.
///
/// # Safety
/// `table` is NULL or holds `256 * stride` readable bytes.
unsafe fn entries<const N: usize>(
    table: *const u8,
    stride: usize,
    offset: usize,
    name: &'static str,
) -> Result<[[u8; N]; 256]> {
    if table.is_null() {
        return Err(Error::NullPointer(name));
    }
    Ok(std::array::from_fn(|v| {
        // SAFETY: 256 entries of `stride` bytes (the C contract).
        std::array::from_fn(|b| unsafe { table.add(v * stride + offset + b).read() })
    }))
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageLookupTable_Planar8toPlanarF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    table: *const Pixel_F,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageLookupTable_Planar8toPlanarF", flags, |f| {
        // SAFETY: NULL or valid buffers and a 256-entry table (the C contract).
        let (t, (sp, dp, w, h)) = unsafe {
            (
                entries::<4>(table.cast::<u8>(), 4, 0, "table")?,
                pair(src, dest, 8, 32, Small::Mismatch)?,
            )
        };
        c::lookup8::<4>(sp, dp, w, h, &t, f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageLookupTable_Planar8toPlanar16(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    table: *const Pixel_16U,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageLookupTable_Planar8toPlanar16", flags, |f| {
        // SAFETY: NULL or valid buffers and a 256-entry table (the C contract).
        let (t, (sp, dp, w, h)) = unsafe {
            (
                entries::<2>(table.cast::<u8>(), 2, 0, "table")?,
                pair(src, dest, 8, 16, Small::Mismatch)?,
            )
        };
        c::lookup8::<2>(sp, dp, w, h, &t, f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageLookupTable_8to64U(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    LUT: *const u64,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageLookupTable_8to64U", flags, |f| {
        // SAFETY: NULL or valid buffers and a 256-entry table (the C contract).
        let (t, (sp, dp, w, h)) = unsafe {
            (
                entries::<8>(LUT.cast::<u8>(), 8, 0, "LUT")?,
                pair(src, dest, 8, 64, Small::Mismatch)?,
            )
        };
        c::lookup8::<8>(sp, dp, w, h, &t, f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageLookupTable_Planar8toPlanar24(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    table: *const u32,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageLookupTable_Planar8toPlanar24", flags, |f| {
        // SAFETY: NULL or valid buffers and a 256-entry table (the C contract).
        let (t, (sp, dp, w, h)) = unsafe {
            (
                entries::<3>(table.cast::<u8>(), 4, 1, "table")?,
                pair(src, dest, 8, 24, Small::Mismatch)?,
            )
        };
        c::lookup8::<3>(sp, dp, w, h, &t, f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageLookupTable_Planar8toPlanar48(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    table: *const u64,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageLookupTable_Planar8toPlanar48", flags, |f| {
        // SAFETY: NULL or valid buffers and a 256-entry table (the C contract).
        let (t, (sp, dp, w, h)) = unsafe {
            (
                entries::<6>(table.cast::<u8>(), 8, 2, "table")?,
                pair(src, dest, 8, 48, Small::Mismatch)?,
            )
        };
        c::lookup8::<6>(sp, dp, w, h, &t, f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageLookupTable_Planar8toPlanar96(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    table: *const Pixel_FFFF,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageLookupTable_Planar8toPlanar96", flags, |f| {
        // SAFETY: NULL or valid buffers and a 256-entry table (the C contract).
        let (t, (sp, dp, w, h)) = unsafe {
            (
                entries::<12>(table.cast::<u8>(), 16, 4, "table")?,
                pair(src, dest, 8, 96, Small::Mismatch)?,
            )
        };
        c::lookup8::<12>(sp, dp, w, h, &t, f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageLookupTable_Planar8toPlanar128(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    table: *const Pixel_FFFF,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageLookupTable_Planar8toPlanar128", flags, |f| {
        // SAFETY: NULL or valid buffers and a 256-entry table (the C contract).
        let (t, (sp, dp, w, h)) = unsafe {
            (
                entries::<16>(table.cast::<u8>(), 16, 0, "table")?,
                pair(src, dest, 8, 128, Small::Mismatch)?,
            )
        };
        c::lookup8::<16>(sp, dp, w, h, &t, f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageLookupTable_Planar16(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    table: *const Pixel_16U,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageLookupTable_Planar16", flags, |f| {
        // SAFETY: NULL or valid buffers (the C contract).
        if table.is_null() {
            return Err(Error::NullPointer("table"));
        }
        // SAFETY: NULL or valid buffers (the C contract).
        let (sp, dp, w, h) = unsafe { pair(src, dest, 16, 16, Small::Mismatch)? };
        // SAFETY: 65536 readable entries (the C contract).
        let t: Vec<u16> = (0..65536)
            .map(|i| unsafe { table.add(i).read_unaligned() })
            .collect();
        c::lookup16(sp, dp, w, h, &t, f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageLookupTable_PlanarFtoPlanar8(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    table: *const Pixel_8,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageLookupTable_PlanarFtoPlanar8", flags, |f| {
        // SAFETY: NULL or valid buffers and a 4096-entry table (the C contract).
        let (t, (sp, dp, w, h)) = unsafe {
            (
                array::<u8, 4096>(table, "table")?,
                pair(src, dest, 32, 8, Small::Mismatch)?,
            )
        };
        c::lookup_f_to_8(sp, dp, w, h, &t, f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageInterpolatedLookupTable_PlanarF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    table: *const Pixel_F,
    tableEntries: vImagePixelCount,
    maxFloat: f32,
    minFloat: f32,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageInterpolatedLookupTable_PlanarF", flags, |f| {
        // SAFETY: NULL or valid buffers (the C contract).
        let (sp, dp, w, h) = unsafe { pair(src, dest, 32, 32, Small::Roi)? };
        if table.is_null() {
            return Err(Error::NullPointer("table"));
        }
        if tableEntries == 0 {
            return Err(Error::InvalidParameter("tableEntries is 0"));
        }
        let n = (tableEntries as usize)
            .checked_add(1)
            .ok_or(Error::InvalidParameter("tableEntries too large"))?;
        let mut t = Vec::new();
        t.try_reserve_exact(n)
            .map_err(|_| Error::Allocation(n.saturating_mul(4)))?;
        // SAFETY: tableEntries + 1 readable floats (the C contract).
        t.extend((0..n).map(|i| unsafe { table.add(i).read_unaligned() }));
        c::interpolated_lookup(sp, dp, w, h, &t, maxFloat, minFloat, f)
    })
}
