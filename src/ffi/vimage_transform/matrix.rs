//! Transform.h: vImageMatrixMultiply_* entry points. Thin wrappers over
//! [`crate::transform::matrix`]: check the buffers, read the C arrays, call.

use crate::error::{Error, Result};
use crate::ffi::buffers::{array, buffer, call, plane, size_of, source};
use crate::ffi::vimage_morphology::image;
use crate::kernels::matrix::Sample;
use crate::kernels::rows::Plane;
use crate::transform::matrix::{self as mm, Planar};
use crate::types::*;

/// A one-to-one operation's planes: `dest` defines the size.
///
/// # Safety
/// NULL or valid buffer descriptions (the C contract).
unsafe fn pair(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    src_bits: usize,
    dst_bits: usize,
) -> Result<(Plane, Plane, usize, usize)> {
    // SAFETY: forwarded from the caller.
    let (s, d) = unsafe { (buffer(src, "src")?, buffer(dest, "dest")?) };
    let (w, h) = size_of(d);
    // SAFETY: the buffers describe caller memory (the C contract); geometry checked inside.
    let (dp, sp) = unsafe {
        (
            plane(d, w, h, dst_bits, "dest")?,
            source(s, w, h, src_bits, "src")?,
        )
    };
    Ok((sp, dp, w, h))
}

/// An optional C array of `N` values.
///
/// # Safety
/// `p` is NULL or points to `N` readable values.
unsafe fn opt_array<T: Copy, const N: usize>(p: *const T) -> Option<[T; N]> {
    // SAFETY: forwarded; non-NULL checked.
    (!p.is_null()).then(|| unsafe { array::<T, N>(p, "bias") }.ok())?
}

/// `vImageMatrixMultiply_ARGB8888`: `out[j] = clamp((sum_i (p[i] + pre_bias[i]) *
/// matrix[4i + j] + post_bias[j]) / divisor)`, NULL post_bias = divisor / 2.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageMatrixMultiply_ARGB8888(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    matrix: *const i16,
    divisor: i32,
    pre_bias: *const i16,
    post_bias: *const i32,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageMatrixMultiply_ARGB8888", flags, |f| {
        // SAFETY: the C contract: valid or NULL buffers, matrix of 16, biases of 4 or NULL.
        unsafe {
            let (s, d, w, h) = pair(src, dest, 32, 32)?;
            let m = array::<i16, 16>(matrix, "matrix")?;
            let (pre, post) = (opt_array(pre_bias), opt_array(post_bias));
            mm::argb8888(s, d, w, h, &m, divisor, pre, post, f)
        }
    })
}

/// `vImageMatrixMultiply_ARGBFFFF`: `out[j] = sum_i (p[i] + pre_bias[i]) * matrix[4i + j] +
/// post_bias[j]`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageMatrixMultiply_ARGBFFFF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    matrix: *const f32,
    pre_bias: *const f32,
    post_bias: *const f32,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageMatrixMultiply_ARGBFFFF", flags, |f| {
        // SAFETY: as in vImageMatrixMultiply_ARGB8888.
        unsafe {
            let (s, d, w, h) = pair(src, dest, 128, 128)?;
            let m = array::<f32, 16>(matrix, "matrix")?;
            let (pre, post) = (opt_array(pre_bias), opt_array(post_bias));
            mm::argbffff(s, d, w, h, &m, pre, post, f)
        }
    })
}

/// `vImageMatrixMultiply_ARGB8888ToPlanar8`: one output, `post_bias` a plain value.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageMatrixMultiply_ARGB8888ToPlanar8(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    matrix: *const i16,
    divisor: i32,
    pre_bias: *const i16,
    post_bias: i32,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageMatrixMultiply_ARGB8888ToPlanar8", flags, |f| {
        // SAFETY: the C contract: valid or NULL buffers, matrix of 4, pre_bias of 4 or NULL.
        unsafe {
            let (s, d, w, h) = pair(src, dest, 32, 8)?;
            let m = array::<i16, 4>(matrix, "matrix")?;
            mm::argb8888_to_planar8(s, d, w, h, m, divisor, opt_array(pre_bias), post_bias, f)
        }
    })
}

/// `vImageMatrixMultiply_ARGBFFFFToPlanarF`: one output, `post_bias` a plain value.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageMatrixMultiply_ARGBFFFFToPlanarF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    matrix: *const f32,
    pre_bias: *const f32,
    post_bias: f32,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageMatrixMultiply_ARGBFFFFToPlanarF", flags, |f| {
        // SAFETY: as in vImageMatrixMultiply_ARGB8888ToPlanar8.
        unsafe {
            let (s, d, w, h) = pair(src, dest, 128, 32)?;
            let m = array::<f32, 4>(matrix, "matrix")?;
            mm::argbffff_to_planarf(s, d, w, h, m, opt_array(pre_bias), post_bias, f)
        }
    })
}

/// The planes of a planar call.
///
/// # Safety
/// `list` is NULL or points to `count` pointers, each NULL or a valid buffer description.
unsafe fn planes(
    list: *mut *const vImage_Buffer,
    count: u32,
    elem: usize,
    name: &'static str,
) -> Result<Vec<crate::convolve::morphology::Image>> {
    if list.is_null() {
        return Err(Error::NullPointer(name));
    }
    (0..count as usize)
        .map(|i| {
            // SAFETY: the caller's array holds `count` pointers.
            let b = unsafe { buffer(list.add(i).read(), name)? };
            // SAFETY: a buffer description of caller memory.
            unsafe { image(b, elem, name) }
        })
        .collect()
}

/// A C array of `n` values (`n` may be 0).
///
/// # Safety
/// `p` is NULL or points to `n` readable values.
unsafe fn slice<'a, T>(p: *const T, n: usize, name: &'static str) -> Result<&'a [T]> {
    if p.is_null() {
        return Err(Error::NullPointer(name));
    }
    // SAFETY: the caller's contract; Apple requires natural alignment of these arrays.
    Ok(unsafe { std::slice::from_raw_parts(p, n) })
}

#[allow(clippy::too_many_arguments)]
unsafe fn planar_int(
    name: &str,
    sample: Sample,
    srcs: *mut *const vImage_Buffer,
    dests: *mut *const vImage_Buffer,
    src_planes: u32,
    dest_planes: u32,
    matrix: *const i16,
    divisor: i32,
    pre_bias: *const i16,
    post_bias: *const i32,
    flags: vImage_Flags,
) -> vImage_Error {
    call(name, flags, |f| {
        let (n, m) = (src_planes as usize, dest_planes as usize);
        if !(1..=255).contains(&n) || !(1..=255).contains(&m) {
            return Err(Error::InvalidKernelSize(
                "src_planes and dest_planes must be 1...255",
            ));
        }
        let elem = if sample == Sample::U8 { 1 } else { 2 };
        // SAFETY: the C contract: arrays of the stated lengths, or NULL where allowed.
        unsafe {
            let (s, d) = (
                planes(srcs, src_planes, elem, "srcs")?,
                planes(dests, dest_planes, elem, "dests")?,
            );
            let matrix = slice(matrix, n * m, "matrix")?;
            let pre = (!pre_bias.is_null()).then(|| std::slice::from_raw_parts(pre_bias, n));
            let post = (!post_bias.is_null()).then(|| std::slice::from_raw_parts(post_bias, m));
            let p = Planar::Int {
                matrix,
                divisor,
                pre,
                post,
            };
            mm::planar(sample, &s, &d, p, f)
        }
    })
}

/// `vImageMatrixMultiply_Planar8`: `src_planes` planes into `dest_planes` planes through a
/// `src_planes x dest_planes` row-major matrix.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageMatrixMultiply_Planar8(
    srcs: *mut *const vImage_Buffer,
    dests: *mut *const vImage_Buffer,
    src_planes: u32,
    dest_planes: u32,
    matrix: *const i16,
    divisor: i32,
    pre_bias: *const i16,
    post_bias: *const i32,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract, forwarded.
    unsafe {
        planar_int(
            "vImageMatrixMultiply_Planar8",
            Sample::U8,
            srcs,
            dests,
            src_planes,
            dest_planes,
            matrix,
            divisor,
            pre_bias,
            post_bias,
            flags,
        )
    }
}

/// `vImageMatrixMultiply_Planar16S`: as Planar8 on int16 samples, clamped to -32768...32767.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageMatrixMultiply_Planar16S(
    srcs: *mut *const vImage_Buffer,
    dests: *mut *const vImage_Buffer,
    src_planes: u32,
    dest_planes: u32,
    matrix: *const i16,
    divisor: i32,
    pre_bias: *const i16,
    post_bias: *const i32,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract, forwarded.
    unsafe {
        planar_int(
            "vImageMatrixMultiply_Planar16S",
            Sample::S16,
            srcs,
            dests,
            src_planes,
            dest_planes,
            matrix,
            divisor,
            pre_bias,
            post_bias,
            flags,
        )
    }
}

/// `vImageMatrixMultiply_PlanarF`: float planes, no divisor.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageMatrixMultiply_PlanarF(
    srcs: *mut *const vImage_Buffer,
    dests: *mut *const vImage_Buffer,
    src_planes: u32,
    dest_planes: u32,
    matrix: *const f32,
    pre_bias: *const f32,
    post_bias: *const f32,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageMatrixMultiply_PlanarF", flags, |f| {
        let (n, m) = (src_planes as usize, dest_planes as usize);
        if !(1..=255).contains(&n) || !(1..=255).contains(&m) {
            return Err(Error::InvalidKernelSize(
                "src_planes and dest_planes must be 1...255",
            ));
        }
        // SAFETY: the C contract: arrays of the stated lengths, or NULL where allowed.
        unsafe {
            let (s, d) = (
                planes(srcs, src_planes, 4, "srcs")?,
                planes(dests, dest_planes, 4, "dests")?,
            );
            let matrix = slice(matrix, n * m, "matrix")?;
            let pre = (!pre_bias.is_null()).then(|| std::slice::from_raw_parts(pre_bias, n));
            let post = (!post_bias.is_null()).then(|| std::slice::from_raw_parts(post_bias, m));
            mm::planar(Sample::F32, &s, &d, Planar::Float { matrix, pre, post }, f)
        }
    })
}
