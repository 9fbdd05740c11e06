//! Convolution.h entry points: check the arguments, read the C arrays, call
//! [`crate::convolve::convolution`].
//!
//! Checks, in this order: NULL `src` / `dest` / kernel (`kvImageNullPointerArgument`), unknown
//! flag bits, even kernel sizes (`kvImageInvalidKernelSize`), not exactly one edge mode
//! (`kvImageInvalidEdgeStyle`), a destination larger than the source
//! (`kvImageRoiLargerThanInputBuffer`), `dest->width + srcOffsetToROI_X > src->width`
//! (`kvImageInvalidOffset_X`, Y likewise), a NULL background in `kvImageBackgroundColorFill`
//! mode, then the pixel pointers and row sizes. With `kvImageGetTempBufferSize` the function
//! returns the scratch size after the geometry checks, without looking at pixel pointers.
//!
//! The caller's `tempBuffer` is never written: scratch is small (a few widened rows per
//! band) and each band (thread) allocates its own; the size query reports what one band uses.

use std::ffi::c_void;

use crate::convolve::convolution::boxtent::{self, Shape};
use crate::convolve::convolution::deconvolve::{self, richardson_lucy};
use crate::convolve::convolution::general::{
    self, FloatKernel, IntKernel, convolve_float, convolve_int,
};
use crate::convolve::convolution::separable::{self, Out, sep};
use crate::convolve::convolution::{Dst, Edge, Job, Src, alloc, check_kernel_size};
use crate::error::{Error, Result};
use crate::ffi::buffers::{array, buffer, call_size, plane};
use crate::flags::Flags;
use crate::types::*;

/// The checked geometry of one call.
struct Setup {
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    ox: usize,
    oy: usize,
    edge: Edge,
    tile: bool,
    query: bool,
    /// Destination width and height, source width and height.
    w: usize,
    h: usize,
    sw: usize,
    sh: usize,
}

impl Setup {
    /// Checks the pixel pointers and row sizes, then runs `f` on the job (nothing to do for
    /// an empty destination).
    ///
    /// # Safety
    /// `src`, `dest` (already checked non-NULL) describe caller memory (the C contract).
    unsafe fn run(
        &self,
        src_bpp: usize,
        dst_bpp: usize,
        f: impl FnOnce(&Job) -> Result<()>,
    ) -> Result<()> {
        if self.w == 0 || self.h == 0 {
            return Ok(());
        }
        // SAFETY: non-NULL (checked by `setup`) and valid (the C contract).
        let (s, d) = unsafe { (&*self.src, &*self.dest) };
        // SAFETY: the buffers describe caller memory (the C contract); geometry checked inside.
        unsafe {
            plane(s, self.sw, self.sh, src_bpp * 8, "src")?;
            plane(d, self.w, self.h, dst_bpp * 8, "dest")?;
        }
        // SAFETY: `plane` checked that both spans are well formed; the C contract makes them
        // valid memory; `detached` copies a source that overlaps the destination.
        let (sp, dp) = unsafe {
            (
                Src::from_raw(s.data.cast(), s.rowBytes, self.sw, self.sh, src_bpp),
                Dst::from_raw(d.data.cast(), d.rowBytes, self.w, self.h, dst_bpp),
            )
        };
        let sp = sp.detached(&dp)?;
        f(&Job {
            src: &sp,
            dst: &dp,
            ox: self.ox,
            oy: self.oy,
            edge: self.edge,
            tile: self.tile,
        })
    }
}

/// Checks buffers, kernel size, edge mode, region of interest (not the pixel pointers).
///
/// # Safety
/// `src`, `dest`: NULL or valid buffer descriptions of caller memory (the C contract).
unsafe fn setup(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    ox: vImagePixelCount,
    oy: vImagePixelCount,
    kh: u32,
    kw: u32,
    f: Flags,
) -> Result<Setup> {
    // SAFETY: forwarded from the caller.
    let (s, d) = unsafe { (buffer(src, "src")?, buffer(dest, "dest")?) };
    check_kernel_size(kh, kw)?;
    let edge = Edge::from_flags(f)?;
    let (w, h) = (d.width as usize, d.height as usize);
    let (sw, sh) = (s.width as usize, s.height as usize);
    if w > sw || h > sh {
        return Err(Error::RoiLargerThanInput("dest is larger than src"));
    }
    let (ox, oy) = (ox as usize, oy as usize);
    if ox.checked_add(w).is_none_or(|e| e > sw) {
        return Err(Error::InvalidOffsetX(
            "dest->width + srcOffsetToROI_X > src->width",
        ));
    }
    if oy.checked_add(h).is_none_or(|e| e > sh) {
        return Err(Error::InvalidOffsetY(
            "dest->height + srcOffsetToROI_Y > src->height",
        ));
    }
    Ok(Setup {
        src,
        dest,
        ox,
        oy,
        edge,
        tile: !f.contains(Flags::DO_NOT_TILE),
        query: f.contains(Flags::GET_TEMP_BUFFER_SIZE),
        w,
        h,
        sw,
        sh,
    })
}

/// `n` elements of a C array (unaligned reads).
///
/// # Safety
/// `p` is NULL or points to `n` readable elements.
unsafe fn read<T: Copy>(p: *const T, n: usize, name: &'static str) -> Result<Vec<T>> {
    if p.is_null() {
        return Err(Error::NullPointer(name));
    }
    let mut v = alloc(n, None)?;
    for (i, o) in v.iter_mut().enumerate() {
        // SAFETY: the caller's contract: n readable elements.
        *o = Some(unsafe { p.add(i).read_unaligned() });
    }
    Ok(v.into_iter().flatten().collect())
}

fn kernel_len(kh: u32, kw: u32) -> Result<usize> {
    (kh as usize)
        .checked_mul(kw as usize)
        .ok_or(Error::InvalidKernelSize("kernel too large"))
}

/// The background of a four-channel function: read only in `kvImageBackgroundColorFill` mode.
///
/// # Safety
/// `p` is NULL or points to 4 readable elements.
unsafe fn bg4<T: Copy + Default>(p: *const T, edge: Edge) -> Result<[T; 4]> {
    if edge == Edge::Background {
        // SAFETY: forwarded.
        unsafe { array(p, "backgroundColor") }
    } else {
        Ok([T::default(); 4])
    }
}

// ---- general convolution ------------------------------------------------------------------------

/// 8-bit general convolution of `ch` channels with per-channel kernels, divisors, biases.
///
/// # Safety
/// As [`setup`]; each kernel pointer NULL or `kh * kw` readable int16.
#[allow(clippy::too_many_arguments)]
unsafe fn conv8(
    name: &str,
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    ox: vImagePixelCount,
    oy: vImagePixelCount,
    kernels: [*const i16; 4],
    kh: u32,
    kw: u32,
    params: impl FnOnce() -> Result<([i32; 4], [i32; 4], bool)>,
    bg: impl FnOnce(Edge) -> Result<[u8; 4]>,
    ch: usize,
    flags: vImage_Flags,
) -> vImage_Error {
    call_size(name, flags, |f| {
        for k in kernels {
            if k.is_null() {
                return Err(Error::NullPointer("kernel"));
            }
        }
        // SAFETY: forwarded from the caller.
        let s = unsafe { setup(src, dest, ox, oy, kh, kw, f)? };
        let (div, bias, half) = params()?;
        let (kh, kw) = (kh as usize, kw as usize);
        if s.query {
            return Ok(general::temp_size(s.w, kh, kw, ch, 1));
        }
        let bg = bg(s.edge)?;
        let n = kernel_len(kh as u32, kw as u32)?;
        let mut taps: [Vec<i32>; 4] = Default::default();
        for (c, t) in taps
            .iter_mut()
            .enumerate()
            .take(if ch == 4 { 4 } else { 1 })
        {
            // SAFETY: the caller's contract: kh * kw readable int16.
            *t = unsafe { read(kernels[c], n, "kernel")? }
                .into_iter()
                .map(i32::from)
                .collect();
        }
        let kern = IntKernel {
            height: kh,
            width: kw,
            taps,
            divisor: div.map(|d| if d == 0 { 1 } else { d }),
            bias,
            half,
        };
        // SAFETY: the buffers were checked non-NULL by `setup`; the C contract covers the rest.
        unsafe { s.run(ch, ch, |job| convolve_int(job, ch, &kern, bg)) }?;
        Ok(0)
    })
}

/// Float general convolution of `ch` channels with per-channel kernels and biases.
///
/// # Safety
/// As [`conv8`] with float kernels.
#[allow(clippy::too_many_arguments)]
unsafe fn convf(
    name: &str,
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    ox: vImagePixelCount,
    oy: vImagePixelCount,
    kernels: [*const f32; 4],
    kh: u32,
    kw: u32,
    bias: impl FnOnce() -> Result<[f32; 4]>,
    bg: impl FnOnce(Edge) -> Result<[f32; 4]>,
    ch: usize,
    flags: vImage_Flags,
) -> vImage_Error {
    call_size(name, flags, |f| {
        for k in kernels {
            if k.is_null() {
                return Err(Error::NullPointer("kernel"));
            }
        }
        // SAFETY: forwarded from the caller.
        let s = unsafe { setup(src, dest, ox, oy, kh, kw, f)? };
        let bias = bias()?;
        let (kh, kw) = (kh as usize, kw as usize);
        if s.query {
            return Ok(general::temp_size(s.w, kh, kw, ch, 4));
        }
        let bg = bg(s.edge)?;
        let n = kernel_len(kh as u32, kw as u32)?;
        let mut taps: [Vec<f32>; 4] = Default::default();
        for (c, t) in taps
            .iter_mut()
            .enumerate()
            .take(if ch == 4 { 4 } else { 1 })
        {
            // SAFETY: the caller's contract: kh * kw readable floats.
            *t = unsafe { read(kernels[c], n, "kernel")? };
        }
        let kern = FloatKernel {
            height: kh,
            width: kw,
            taps,
            bias,
        };
        // SAFETY: the buffers were checked non-NULL by `setup`; the C contract covers the rest.
        unsafe { s.run(4 * ch, 4 * ch, |job| convolve_float(job, ch, &kern, bg)) }?;
        Ok(0)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvolve_Planar8(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    srcOffsetToROI_X: vImagePixelCount,
    srcOffsetToROI_Y: vImagePixelCount,
    kernel: *const i16,
    kernel_height: u32,
    kernel_width: u32,
    divisor: i32,
    backgroundColor: Pixel_8,
    flags: vImage_Flags,
) -> vImage_Error {
    let _ = tempBuffer;
    // SAFETY: the C contract of this function.
    unsafe {
        conv8(
            "vImageConvolve_Planar8",
            src,
            dest,
            srcOffsetToROI_X,
            srcOffsetToROI_Y,
            [kernel; 4],
            kernel_height,
            kernel_width,
            || Ok(([divisor; 4], [0; 4], true)),
            |_| Ok([backgroundColor; 4]),
            1,
            flags,
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvolve_PlanarF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    srcOffsetToROI_X: vImagePixelCount,
    srcOffsetToROI_Y: vImagePixelCount,
    kernel: *const f32,
    kernel_height: u32,
    kernel_width: u32,
    backgroundColor: Pixel_F,
    flags: vImage_Flags,
) -> vImage_Error {
    let _ = tempBuffer;
    // SAFETY: the C contract of this function.
    unsafe {
        convf(
            "vImageConvolve_PlanarF",
            src,
            dest,
            srcOffsetToROI_X,
            srcOffsetToROI_Y,
            [kernel; 4],
            kernel_height,
            kernel_width,
            || Ok([0.0; 4]),
            |_| Ok([backgroundColor; 4]),
            1,
            flags,
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvolve_ARGB8888(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    srcOffsetToROI_X: vImagePixelCount,
    srcOffsetToROI_Y: vImagePixelCount,
    kernel: *const i16,
    kernel_height: u32,
    kernel_width: u32,
    divisor: i32,
    backgroundColor: *const u8,
    flags: vImage_Flags,
) -> vImage_Error {
    let _ = tempBuffer;
    // SAFETY: the C contract of this function.
    unsafe {
        conv8(
            "vImageConvolve_ARGB8888",
            src,
            dest,
            srcOffsetToROI_X,
            srcOffsetToROI_Y,
            [kernel; 4],
            kernel_height,
            kernel_width,
            || Ok(([divisor; 4], [0; 4], true)),
            |e| bg4(backgroundColor, e),
            4,
            flags,
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvolve_ARGBFFFF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    srcOffsetToROI_X: vImagePixelCount,
    srcOffsetToROI_Y: vImagePixelCount,
    kernel: *const f32,
    kernel_height: u32,
    kernel_width: u32,
    backgroundColor: *const f32,
    flags: vImage_Flags,
) -> vImage_Error {
    let _ = tempBuffer;
    // SAFETY: the C contract of this function.
    unsafe {
        convf(
            "vImageConvolve_ARGBFFFF",
            src,
            dest,
            srcOffsetToROI_X,
            srcOffsetToROI_Y,
            [kernel; 4],
            kernel_height,
            kernel_width,
            || Ok([0.0; 4]),
            |e| bg4(backgroundColor, e),
            4,
            flags,
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvolveWithBias_Planar8(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    srcOffsetToROI_X: vImagePixelCount,
    srcOffsetToROI_Y: vImagePixelCount,
    kernel: *const i16,
    kernel_height: u32,
    kernel_width: u32,
    divisor: i32,
    bias: i32,
    backgroundColor: Pixel_8,
    flags: vImage_Flags,
) -> vImage_Error {
    let _ = tempBuffer;
    // SAFETY: the C contract of this function.
    unsafe {
        conv8(
            "vImageConvolveWithBias_Planar8",
            src,
            dest,
            srcOffsetToROI_X,
            srcOffsetToROI_Y,
            [kernel; 4],
            kernel_height,
            kernel_width,
            || Ok(([divisor; 4], [bias; 4], false)),
            |_| Ok([backgroundColor; 4]),
            1,
            flags,
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvolveWithBias_PlanarF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    srcOffsetToROI_X: vImagePixelCount,
    srcOffsetToROI_Y: vImagePixelCount,
    kernel: *const f32,
    kernel_height: u32,
    kernel_width: u32,
    bias: f32,
    backgroundColor: Pixel_F,
    flags: vImage_Flags,
) -> vImage_Error {
    let _ = tempBuffer;
    // SAFETY: the C contract of this function.
    unsafe {
        convf(
            "vImageConvolveWithBias_PlanarF",
            src,
            dest,
            srcOffsetToROI_X,
            srcOffsetToROI_Y,
            [kernel; 4],
            kernel_height,
            kernel_width,
            || Ok([bias; 4]),
            |_| Ok([backgroundColor; 4]),
            1,
            flags,
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvolveWithBias_ARGB8888(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    srcOffsetToROI_X: vImagePixelCount,
    srcOffsetToROI_Y: vImagePixelCount,
    kernel: *const i16,
    kernel_height: u32,
    kernel_width: u32,
    divisor: i32,
    bias: i32,
    backgroundColor: *const u8,
    flags: vImage_Flags,
) -> vImage_Error {
    let _ = tempBuffer;
    // SAFETY: the C contract of this function.
    unsafe {
        conv8(
            "vImageConvolveWithBias_ARGB8888",
            src,
            dest,
            srcOffsetToROI_X,
            srcOffsetToROI_Y,
            [kernel; 4],
            kernel_height,
            kernel_width,
            || Ok(([divisor; 4], [bias; 4], false)),
            |e| bg4(backgroundColor, e),
            4,
            flags,
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvolveWithBias_ARGBFFFF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    srcOffsetToROI_X: vImagePixelCount,
    srcOffsetToROI_Y: vImagePixelCount,
    kernel: *const f32,
    kernel_height: u32,
    kernel_width: u32,
    bias: f32,
    backgroundColor: *const f32,
    flags: vImage_Flags,
) -> vImage_Error {
    let _ = tempBuffer;
    // SAFETY: the C contract of this function.
    unsafe {
        convf(
            "vImageConvolveWithBias_ARGBFFFF",
            src,
            dest,
            srcOffsetToROI_X,
            srcOffsetToROI_Y,
            [kernel; 4],
            kernel_height,
            kernel_width,
            || Ok([bias; 4]),
            |e| bg4(backgroundColor, e),
            4,
            flags,
        )
    }
}

/// The four kernel pointers of a MultiKernel call (NULL array: all NULL).
///
/// # Safety
/// `kernels` is NULL or points to 4 readable pointers.
unsafe fn four<T>(kernels: *mut *const T) -> [*const T; 4] {
    if kernels.is_null() {
        return [std::ptr::null(); 4];
    }
    // SAFETY: the caller's contract.
    std::array::from_fn(|i| unsafe { kernels.add(i).read_unaligned() })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvolveMultiKernel_ARGB8888(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    srcOffsetToROI_X: vImagePixelCount,
    srcOffsetToROI_Y: vImagePixelCount,
    kernels: *mut *const i16,
    kernel_height: u32,
    kernel_width: u32,
    divisors: *const i32,
    biases: *const i32,
    backgroundColor: *const u8,
    flags: vImage_Flags,
) -> vImage_Error {
    let _ = tempBuffer;
    // SAFETY: the C contract of this function.
    unsafe {
        conv8(
            "vImageConvolveMultiKernel_ARGB8888",
            src,
            dest,
            srcOffsetToROI_X,
            srcOffsetToROI_Y,
            four(kernels),
            kernel_height,
            kernel_width,
            || {
                Ok((
                    array(divisors, "divisors")?,
                    array(biases, "biases")?,
                    false,
                ))
            },
            |e| bg4(backgroundColor, e),
            4,
            flags,
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvolveMultiKernel_ARGBFFFF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    srcOffsetToROI_X: vImagePixelCount,
    srcOffsetToROI_Y: vImagePixelCount,
    kernels: *mut *const f32,
    kernel_height: u32,
    kernel_width: u32,
    biases: *const f32,
    backgroundColor: *const f32,
    flags: vImage_Flags,
) -> vImage_Error {
    let _ = tempBuffer;
    // SAFETY: the C contract of this function.
    unsafe {
        convf(
            "vImageConvolveMultiKernel_ARGBFFFF",
            src,
            dest,
            srcOffsetToROI_X,
            srcOffsetToROI_Y,
            four(kernels),
            kernel_height,
            kernel_width,
            || array(biases, "biases"),
            |e| bg4(backgroundColor, e),
            4,
            flags,
        )
    }
}

// ---- box and tent -------------------------------------------------------------------------------

/// # Safety
/// As [`setup`].
#[allow(clippy::too_many_arguments)]
unsafe fn box_tent(
    name: &str,
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    ox: vImagePixelCount,
    oy: vImagePixelCount,
    kh: u32,
    kw: u32,
    bg: impl FnOnce(Edge) -> Result<[u8; 4]>,
    ch: usize,
    shape: Shape,
    flags: vImage_Flags,
) -> vImage_Error {
    call_size(name, flags, |f| {
        // SAFETY: forwarded from the caller.
        let s = unsafe { setup(src, dest, ox, oy, kh, kw, f)? };
        let (kh, kw) = (kh as usize, kw as usize);
        if s.query {
            return Ok(boxtent::temp_size(s.w, kh, kw, ch, shape));
        }
        let bg = bg(s.edge)?;
        let leave_alpha = ch == 4 && f.contains(Flags::LEAVE_ALPHA_UNCHANGED);
        // SAFETY: the buffers were checked non-NULL by `setup`; the C contract covers the rest.
        unsafe {
            s.run(ch, ch, |job| {
                boxtent::box_tent(job, ch, kh, kw, shape, bg, leave_alpha)
            })
        }?;
        Ok(0)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageBoxConvolve_Planar8(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    srcOffsetToROI_X: vImagePixelCount,
    srcOffsetToROI_Y: vImagePixelCount,
    kernel_height: u32,
    kernel_width: u32,
    backgroundColor: Pixel_8,
    flags: vImage_Flags,
) -> vImage_Error {
    let _ = tempBuffer;
    // SAFETY: the C contract of this function.
    unsafe {
        box_tent(
            "vImageBoxConvolve_Planar8",
            src,
            dest,
            srcOffsetToROI_X,
            srcOffsetToROI_Y,
            kernel_height,
            kernel_width,
            |_| Ok([backgroundColor; 4]),
            1,
            Shape::Box,
            flags,
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageBoxConvolve_ARGB8888(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    srcOffsetToROI_X: vImagePixelCount,
    srcOffsetToROI_Y: vImagePixelCount,
    kernel_height: u32,
    kernel_width: u32,
    backgroundColor: *const u8,
    flags: vImage_Flags,
) -> vImage_Error {
    let _ = tempBuffer;
    // SAFETY: the C contract of this function.
    unsafe {
        box_tent(
            "vImageBoxConvolve_ARGB8888",
            src,
            dest,
            srcOffsetToROI_X,
            srcOffsetToROI_Y,
            kernel_height,
            kernel_width,
            |e| bg4(backgroundColor, e),
            4,
            Shape::Box,
            flags,
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageTentConvolve_Planar8(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    srcOffsetToROI_X: vImagePixelCount,
    srcOffsetToROI_Y: vImagePixelCount,
    kernel_height: u32,
    kernel_width: u32,
    backgroundColor: Pixel_8,
    flags: vImage_Flags,
) -> vImage_Error {
    let _ = tempBuffer;
    // SAFETY: the C contract of this function.
    unsafe {
        box_tent(
            "vImageTentConvolve_Planar8",
            src,
            dest,
            srcOffsetToROI_X,
            srcOffsetToROI_Y,
            kernel_height,
            kernel_width,
            |_| Ok([backgroundColor; 4]),
            1,
            Shape::Tent,
            flags,
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageTentConvolve_ARGB8888(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    srcOffsetToROI_X: vImagePixelCount,
    srcOffsetToROI_Y: vImagePixelCount,
    kernel_height: u32,
    kernel_width: u32,
    backgroundColor: *const u8,
    flags: vImage_Flags,
) -> vImage_Error {
    let _ = tempBuffer;
    // SAFETY: the C contract of this function.
    unsafe {
        box_tent(
            "vImageTentConvolve_ARGB8888",
            src,
            dest,
            srcOffsetToROI_X,
            srcOffsetToROI_Y,
            kernel_height,
            kernel_width,
            |e| bg4(backgroundColor, e),
            4,
            Shape::Tent,
            flags,
        )
    }
}

// ---- separable ----------------------------------------------------------------------------------

/// The sample type of a separable call's source.
enum SepSrc {
    U8(u8),
    U16(u16),
    F32(f32),
}

/// # Safety
/// As [`setup`]; `kx`, `ky` NULL or `kw`, `kh` readable floats.
#[allow(clippy::too_many_arguments)]
unsafe fn sep_call(
    name: &str,
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    ox: vImagePixelCount,
    oy: vImagePixelCount,
    kx: *const f32,
    kw: u32,
    ky: *const f32,
    kh: u32,
    bias: f32,
    bg: SepSrc,
    out: Out,
    flags: vImage_Flags,
) -> vImage_Error {
    call_size(name, flags, |f| {
        if kx.is_null() {
            return Err(Error::NullPointer("kernelX"));
        }
        if ky.is_null() {
            return Err(Error::NullPointer("kernelY"));
        }
        let sb = match bg {
            SepSrc::U8(_) => 1,
            SepSrc::U16(_) => 2,
            SepSrc::F32(_) => 4,
        };
        let db = match out {
            Out::U8 => 1,
            Out::U16 | Out::U16Scaled(_) => 2,
            Out::F32 => 4,
        };
        // SAFETY: forwarded from the caller.
        let s = unsafe { setup(src, dest, ox, oy, kh, kw, f)? };
        if s.query {
            return Ok(separable::temp_size(s.w, kw as usize, kh as usize));
        }
        // SAFETY: the caller's contract.
        let (kxv, kyv) = unsafe {
            (
                read(kx, kw as usize, "kernelX")?,
                read(ky, kh as usize, "kernelY")?,
            )
        };
        // SAFETY: the buffers were checked non-NULL by `setup`; the C contract covers the rest.
        unsafe {
            s.run(sb, db, |job| match bg {
                SepSrc::U8(b) => sep(job, &kxv, &kyv, bias, b, out),
                SepSrc::U16(b) => sep(job, &kxv, &kyv, bias, b, out),
                SepSrc::F32(b) => sep(job, &kxv, &kyv, bias, b, out),
            })
        }?;
        Ok(0)
    })
}

/// `backgroundColor` is typed `Pixel_16U` in Apple's header; values above 255 count as 255.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageSepConvolve_Planar8(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    srcOffsetToROI_X: vImagePixelCount,
    srcOffsetToROI_Y: vImagePixelCount,
    kernelX: *const f32,
    kernelX_width: u32,
    kernelY: *const f32,
    kernelY_width: u32,
    bias: f32,
    backgroundColor: Pixel_16U,
    flags: vImage_Flags,
) -> vImage_Error {
    let _ = tempBuffer;
    // SAFETY: the C contract of this function.
    unsafe {
        sep_call(
            "vImageSepConvolve_Planar8",
            src,
            dest,
            srcOffsetToROI_X,
            srcOffsetToROI_Y,
            kernelX,
            kernelX_width,
            kernelY,
            kernelY_width,
            bias,
            SepSrc::U8(backgroundColor.min(255) as u8),
            Out::U8,
            flags,
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageSepConvolve_PlanarF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    srcOffsetToROI_X: vImagePixelCount,
    srcOffsetToROI_Y: vImagePixelCount,
    kernelX: *const f32,
    kernelX_width: u32,
    kernelY: *const f32,
    kernelY_width: u32,
    bias: f32,
    backgroundColor: Pixel_F,
    flags: vImage_Flags,
) -> vImage_Error {
    let _ = tempBuffer;
    // SAFETY: the C contract of this function.
    unsafe {
        sep_call(
            "vImageSepConvolve_PlanarF",
            src,
            dest,
            srcOffsetToROI_X,
            srcOffsetToROI_Y,
            kernelX,
            kernelX_width,
            kernelY,
            kernelY_width,
            bias,
            SepSrc::F32(backgroundColor),
            Out::F32,
            flags,
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageSepConvolve_Planar16U(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    srcOffsetToROI_X: vImagePixelCount,
    srcOffsetToROI_Y: vImagePixelCount,
    kernelX: *const f32,
    kernelX_width: u32,
    kernelY: *const f32,
    kernelY_width: u32,
    bias: f32,
    backgroundColor: Pixel_16U,
    flags: vImage_Flags,
) -> vImage_Error {
    let _ = tempBuffer;
    // SAFETY: the C contract of this function.
    unsafe {
        sep_call(
            "vImageSepConvolve_Planar16U",
            src,
            dest,
            srcOffsetToROI_X,
            srcOffsetToROI_Y,
            kernelX,
            kernelX_width,
            kernelY,
            kernelY_width,
            bias,
            SepSrc::U16(backgroundColor),
            Out::U16,
            flags,
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageSepConvolve_Planar8to16U(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    srcOffsetToROI_X: vImagePixelCount,
    srcOffsetToROI_Y: vImagePixelCount,
    kernelX: *const f32,
    kernelX_width: u32,
    kernelY: *const f32,
    kernelY_width: u32,
    scale: f32,
    bias: f32,
    backgroundColor: Pixel_8,
    flags: vImage_Flags,
) -> vImage_Error {
    let _ = tempBuffer;
    // SAFETY: the C contract of this function.
    unsafe {
        sep_call(
            "vImageSepConvolve_Planar8to16U",
            src,
            dest,
            srcOffsetToROI_X,
            srcOffsetToROI_Y,
            kernelX,
            kernelX_width,
            kernelY,
            kernelY_width,
            bias,
            SepSrc::U8(backgroundColor),
            Out::U16Scaled(scale),
            flags,
        )
    }
}

// ---- Richardson–Lucy ----------------------------------------------------------------------------

/// A normalized float kernel from int16 taps and a divisor (0 counts as 1).
fn int_psf(taps: Vec<i16>, kh: usize, kw: usize, divisor: i32) -> FloatKernel {
    let d = if divisor == 0 { 1.0 } else { divisor as f32 };
    let t: Vec<f32> = taps.into_iter().map(|v| f32::from(v) / d).collect();
    FloatKernel {
        height: kh,
        width: kw,
        taps: [t.clone(), t.clone(), t.clone(), t],
        bias: [0.0; 4],
    }
}

fn float_psf(taps: Vec<f32>, kh: usize, kw: usize) -> FloatKernel {
    FloatKernel {
        height: kh,
        width: kw,
        taps: [taps.clone(), taps.clone(), taps.clone(), taps],
        bias: [0.0; 4],
    }
}

/// The kernels of a Richardson–Lucy call, read after the checks.
enum Psf {
    Int(*const i16, *const i16, i32, i32),
    Float(*const f32, *const f32),
}

/// # Safety
/// As [`setup`]; `kernel` NULL or `kh * kw` readable elements, `kernel2` NULL or
/// `kh2 * kw2` (NULL: `kernel2` is `kernel`, with its size and divisor).
#[allow(clippy::too_many_arguments)]
unsafe fn rl_call(
    name: &str,
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    ox: vImagePixelCount,
    oy: vImagePixelCount,
    psf: Psf,
    sizes: [u32; 4],
    bg: impl FnOnce(Edge) -> Result<[f32; 4]>,
    iterations: u32,
    ch: usize,
    float: bool,
    flags: vImage_Flags,
) -> vImage_Error {
    call_size(name, flags, |f| {
        let [kh, kw, kh2, kw2] = sizes;
        let (k1null, k2null) = match psf {
            Psf::Int(a, b, _, _) => (a.is_null(), b.is_null()),
            Psf::Float(a, b) => (a.is_null(), b.is_null()),
        };
        if k1null {
            return Err(Error::NullPointer("kernel"));
        }
        let spp = if float { 4 } else { 1 };
        // SAFETY: forwarded from the caller.
        let s = unsafe { setup(src, dest, ox, oy, kh, kw, f)? };
        let (kh2, kw2) = if k2null {
            (kh, kw)
        } else {
            check_kernel_size(kh2, kw2).map(|(a, b)| (a as u32, b as u32))?
        };
        if s.query {
            return Ok(deconvolve::temp_size(s.sw, s.sh, ch));
        }
        let bg = bg(s.edge)?;
        let (n1, n2) = (kernel_len(kh, kw)?, kernel_len(kh2, kw2)?);
        let (a, b) = (kh as usize, kw as usize);
        let (a2, b2) = (kh2 as usize, kw2 as usize);
        // SAFETY: the caller's contract on the kernel arrays.
        let (p0, p1) = unsafe {
            match psf {
                Psf::Int(k1, k2, d1, d2) => {
                    let t1 = read(k1, n1, "kernel")?;
                    let p0 = int_psf(t1.clone(), a, b, d1);
                    let p1 = if k2null {
                        int_psf(t1, a, b, d1)
                    } else {
                        int_psf(read(k2, n2, "kernel2")?, a2, b2, d2)
                    };
                    (p0, p1)
                }
                Psf::Float(k1, k2) => {
                    let t1 = read(k1, n1, "kernel")?;
                    let p0 = float_psf(t1.clone(), a, b);
                    let p1 = if k2null {
                        float_psf(t1, a, b)
                    } else {
                        float_psf(read(k2, n2, "kernel2")?, a2, b2)
                    };
                    (p0, p1)
                }
            }
        };
        let out = if float {
            deconvolve::Out::F32
        } else {
            deconvolve::Out::U8
        };
        let leave_alpha = ch == 4 && f.contains(Flags::LEAVE_ALPHA_UNCHANGED);
        // SAFETY: the buffers were checked non-NULL by `setup`; the C contract covers the rest.
        unsafe {
            s.run(ch * spp, ch * spp, |job| {
                richardson_lucy(job, ch, &p0, &p1, iterations, bg, out, leave_alpha)
            })
        }?;
        Ok(0)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageRichardsonLucyDeConvolve_Planar8(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    srcOffsetToROI_X: vImagePixelCount,
    srcOffsetToROI_Y: vImagePixelCount,
    kernel: *const i16,
    kernel2: *const i16,
    kernel_height: u32,
    kernel_width: u32,
    kernel_height2: u32,
    kernel_width2: u32,
    divisor: i32,
    divisor2: i32,
    backgroundColor: Pixel_8,
    iterationCount: u32,
    flags: vImage_Flags,
) -> vImage_Error {
    let _ = tempBuffer;
    // SAFETY: the C contract of this function.
    unsafe {
        rl_call(
            "vImageRichardsonLucyDeConvolve_Planar8",
            src,
            dest,
            srcOffsetToROI_X,
            srcOffsetToROI_Y,
            Psf::Int(kernel, kernel2, divisor, divisor2),
            [kernel_height, kernel_width, kernel_height2, kernel_width2],
            |_| Ok([f32::from(backgroundColor); 4]),
            iterationCount,
            1,
            false,
            flags,
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageRichardsonLucyDeConvolve_PlanarF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    srcOffsetToROI_X: vImagePixelCount,
    srcOffsetToROI_Y: vImagePixelCount,
    kernel: *const f32,
    kernel2: *const f32,
    kernel_height: u32,
    kernel_width: u32,
    kernel_height2: u32,
    kernel_width2: u32,
    backgroundColor: Pixel_F,
    iterationCount: u32,
    flags: vImage_Flags,
) -> vImage_Error {
    let _ = tempBuffer;
    // SAFETY: the C contract of this function.
    unsafe {
        rl_call(
            "vImageRichardsonLucyDeConvolve_PlanarF",
            src,
            dest,
            srcOffsetToROI_X,
            srcOffsetToROI_Y,
            Psf::Float(kernel, kernel2),
            [kernel_height, kernel_width, kernel_height2, kernel_width2],
            |_| Ok([backgroundColor; 4]),
            iterationCount,
            1,
            true,
            flags,
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageRichardsonLucyDeConvolve_ARGB8888(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    srcOffsetToROI_X: vImagePixelCount,
    srcOffsetToROI_Y: vImagePixelCount,
    kernel: *const i16,
    kernel2: *const i16,
    kernel_height: u32,
    kernel_width: u32,
    kernel_height2: u32,
    kernel_width2: u32,
    divisor: i32,
    divisor2: i32,
    backgroundColor: *const u8,
    iterationCount: u32,
    flags: vImage_Flags,
) -> vImage_Error {
    let _ = tempBuffer;
    // SAFETY: the C contract of this function.
    unsafe {
        rl_call(
            "vImageRichardsonLucyDeConvolve_ARGB8888",
            src,
            dest,
            srcOffsetToROI_X,
            srcOffsetToROI_Y,
            Psf::Int(kernel, kernel2, divisor, divisor2),
            [kernel_height, kernel_width, kernel_height2, kernel_width2],
            |e| Ok(bg4(backgroundColor, e)?.map(f32::from)),
            iterationCount,
            4,
            false,
            flags,
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageRichardsonLucyDeConvolve_ARGBFFFF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    srcOffsetToROI_X: vImagePixelCount,
    srcOffsetToROI_Y: vImagePixelCount,
    kernel: *const f32,
    kernel2: *const f32,
    kernel_height: u32,
    kernel_width: u32,
    kernel_height2: u32,
    kernel_width2: u32,
    backgroundColor: *const f32,
    iterationCount: u32,
    flags: vImage_Flags,
) -> vImage_Error {
    let _ = tempBuffer;
    // SAFETY: the C contract of this function.
    unsafe {
        rl_call(
            "vImageRichardsonLucyDeConvolve_ARGBFFFF",
            src,
            dest,
            srcOffsetToROI_X,
            srcOffsetToROI_Y,
            Psf::Float(kernel, kernel2),
            [kernel_height, kernel_width, kernel_height2, kernel_width2],
            |e| bg4(backgroundColor, e),
            iterationCount,
            4,
            true,
            flags,
        )
    }
}

// ---- legacy -------------------------------------------------------------------------------------

/// Deprecated by Apple (use `kvImageGetTempBufferSize`): the scratch size of a general
/// convolution of `dest`'s width with `bytesPerPixel`-byte pixels (1 or 4: 8-bit, 4 or 16:
/// float); 0 for NULL buffers or even kernel sizes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageGetMinimumTempBufferSizeForConvolution(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    kernel_height: u32,
    kernel_width: u32,
    flags: vImage_Flags,
    bytesPerPixel: usize,
) -> usize {
    let _ = flags;
    crate::ffi::guard_value(0, || {
        // SAFETY: NULL or valid buffer descriptions (the C contract).
        let (Some(_), Some(d)) = (unsafe { src.as_ref() }, unsafe { dest.as_ref() }) else {
            return 0;
        };
        let Ok((kh, kw)) = check_kernel_size(kernel_height, kernel_width) else {
            return 0;
        };
        let (ch, elem) = match bytesPerPixel {
            1 => (1, 1),
            4 => (4, 1),
            16 => (4, 4),
            n => (1, n.max(1)),
        };
        general::temp_size(d.width as usize, kh, kw, ch, elem)
    })
}
