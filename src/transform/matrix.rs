//! vImageMatrixMultiply_*: pixels as row vectors times a matrix, with pre / post bias.
//!
//! `out[j] = (sum_i (in[i] + pre[i]) * matrix[i * N + j] + post[j]) / divisor`, clamped: row `i`
//! of the matrix is source channel (plane) `i`, column `j` destination channel `j` (memory
//! positions, whatever the channel names). Integer forms: NULL post-bias = `divisor / 2` for
//! every output, NULL pre-bias = 0, C truncating division, divisor 0 treated as 1, 32-bit
//! wrapping accumulators; float forms: no divisor, NULL biases add nothing. Arithmetic details in
//! [`crate::kernels::matrix`].
//!
//! In place: the interleaved forms when source and destination have the same data pointer
//! and rowBytes (IP-A); the planar forms when every source that meets a destination has
//! exactly its pointer and rowBytes (all destinations of a row are computed before any is
//! stored). Partial overlaps are `kvImageInvalidParameter`.

use std::ops::Range;

use crate::convolve::morphology::Image;
use crate::error::{Error, Result};
use crate::flags::Flags;
use crate::kernels::matrix::{self as k, Divisor, F1, F4, Int1, Int4, Sample};
use crate::kernels::rows::{InPlace, Plane, run};
use crate::kernels::tile;

/// `vImageMatrixMultiply_ARGB8888`.
#[allow(clippy::too_many_arguments)]
pub fn argb8888(
    src: Plane,
    dst: Plane,
    width: usize,
    height: usize,
    matrix: &[i16; 16],
    divisor: i32,
    pre: Option<[i16; 4]>,
    post: Option<[i32; 4]>,
    flags: Flags,
) -> Result<()> {
    let kern = Int4::new(matrix, divisor, pre.unwrap_or([0; 4]), post);
    run(
        [src],
        [dst],
        width,
        height,
        InPlace::Exact,
        flags,
        |s, d, w| k::argb8888(&kern, s[0], d[0], w),
    )
}

/// `vImageMatrixMultiply_ARGBFFFF`.
#[allow(clippy::too_many_arguments)]
pub fn argbffff(
    src: Plane,
    dst: Plane,
    width: usize,
    height: usize,
    matrix: &[f32; 16],
    pre: Option<[f32; 4]>,
    post: Option<[f32; 4]>,
    flags: Flags,
) -> Result<()> {
    let kern = F4 {
        m: std::array::from_fn(|i| std::array::from_fn(|j| matrix[i * 4 + j])),
        pre,
        post,
    };
    run(
        [src],
        [dst],
        width,
        height,
        InPlace::Exact,
        flags,
        |s, d, w| k::argbffff(&kern, s[0], d[0], w),
    )
}

/// `vImageMatrixMultiply_ARGB8888ToPlanar8`: `post` is a plain value (no default).
#[allow(clippy::too_many_arguments)]
pub fn argb8888_to_planar8(
    src: Plane,
    dst: Plane,
    width: usize,
    height: usize,
    matrix: [i16; 4],
    divisor: i32,
    pre: Option<[i16; 4]>,
    post: i32,
    flags: Flags,
) -> Result<()> {
    let kern = Int1::new(matrix, divisor, pre.unwrap_or([0; 4]), post);
    run(
        [src],
        [dst],
        width,
        height,
        InPlace::Exact,
        flags,
        |s, d, w| k::argb8888_to_planar8(&kern, s[0], d[0], w),
    )
}

/// `vImageMatrixMultiply_ARGBFFFFToPlanarF`.
#[allow(clippy::too_many_arguments)]
pub fn argbffff_to_planarf(
    src: Plane,
    dst: Plane,
    width: usize,
    height: usize,
    matrix: [f32; 4],
    pre: Option<[f32; 4]>,
    post: f32,
    flags: Flags,
) -> Result<()> {
    let kern = F1 {
        m: matrix,
        pre,
        post,
    };
    run(
        [src],
        [dst],
        width,
        height,
        InPlace::Exact,
        flags,
        |s, d, w| k::argbffff_to_planarf(&kern, s[0], d[0], w),
    )
}

/// Matrix and biases of a planar call (`src_planes x dest_planes`, row-major).
#[derive(Clone, Copy, Debug)]
pub enum Planar<'a> {
    /// Planar8 or Planar16S: matrix, divisor, pre-bias, post-bias.
    Int {
        matrix: &'a [i16],
        divisor: i32,
        pre: Option<&'a [i16]>,
        post: Option<&'a [i32]>,
    },
    /// PlanarF: matrix, pre-bias, post-bias.
    Float {
        matrix: &'a [f32],
        pre: Option<&'a [f32]>,
        post: Option<&'a [f32]>,
    },
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

/// `vImageMatrixMultiply_Planar8` / `_Planar16S` / `_PlanarF`: `srcs.len()` source planes into
/// `dsts.len()` destination planes (1...255 each, else `kvImageInvalidKernelSize`), the
/// destinations all of one size (`kvImageBufferSizeMismatch`), the sources at least as large
/// (`kvImageRoiLargerThanInputBuffer`). Slices in `p` hold `srcs.len() * dsts.len()` matrix
/// values, `srcs.len()` pre-biases and `dsts.len()` post-biases.
pub fn planar(
    sample: Sample,
    srcs: &[Image],
    dsts: &[Image],
    p: Planar<'_>,
    flags: Flags,
) -> Result<()> {
    let (n, m) = (srcs.len(), dsts.len());
    if !(1..=255).contains(&n) || !(1..=255).contains(&m) {
        return Err(Error::InvalidKernelSize(
            "src_planes and dest_planes must be 1...255",
        ));
    }
    let (w, h) = (dsts[0].width(), dsts[0].height());
    if dsts.iter().any(|d| d.width() != w || d.height() != h) {
        return Err(Error::BufferSizeMismatch("dest planes differ in size"));
    }
    if srcs.iter().any(|s| s.width() < w || s.height() < h) {
        return Err(Error::RoiLargerThanInput(
            "a src plane is smaller than dest",
        ));
    }
    let elem = match sample {
        Sample::U8 => 1,
        Sample::S16 => 2,
        Sample::F32 => 4,
    };
    let ext = |i: &Image| i.extent(0..h, 0..w, elem);
    for (a, d) in dsts.iter().enumerate() {
        if dsts[a + 1..].iter().any(|e| overlaps(&ext(d), &ext(e))) {
            return Err(Error::InvalidParameter("destination planes overlap"));
        }
        for s in srcs {
            if overlaps(&ext(s), &ext(d)) && (s.ptr() != d.ptr() || s.stride() != d.stride()) {
                return Err(Error::InvalidParameter(
                    "source and destination overlap; in place needs the same data pointer and rowBytes",
                ));
            }
        }
    }
    match p {
        Planar::Int {
            matrix, pre, post, ..
        } => {
            if sample == Sample::F32
                || matrix.len() < n * m
                || pre.is_some_and(|v| v.len() < n)
                || post.is_some_and(|v| v.len() < m)
            {
                return Err(Error::Internal("planar matrix arguments"));
            }
        }
        Planar::Float { matrix, pre, post } => {
            if sample != Sample::F32
                || matrix.len() < n * m
                || pre.is_some_and(|v| v.len() < n)
                || post.is_some_and(|v| v.len() < m)
            {
                return Err(Error::Internal("planar matrix arguments"));
            }
        }
    }
    if flags.contains(Flags::GET_TEMP_BUFFER_SIZE) || w == 0 || h == 0 {
        return Ok(());
    }
    let threads = tile::thread_count(w, h, !flags.contains(Flags::DO_NOT_TILE));
    tile::run_queue(tile::bands(h, threads), threads, |band| {
        planar_band(sample, srcs, dsts, p, w, elem, band)
    });
    Ok(())
}

fn planar_band(
    sample: Sample,
    srcs: &[Image],
    dsts: &[Image],
    p: Planar<'_>,
    w: usize,
    elem: usize,
    band: Range<usize>,
) {
    let (n, m) = (srcs.len(), dsts.len());
    let row = w * elem;
    // Every destination row of y is staged here before any is stored (in-place sources).
    let mut stage = vec![0u8; m * row];
    match p {
        Planar::Int {
            matrix,
            divisor,
            pre,
            post,
        } => {
            let div = Divisor::new(divisor);
            let bias: Vec<i32> = (0..m)
                .map(|j| {
                    let post = post.map_or(div.value() / 2, |v| v[j]);
                    (0..n).fold(post, |b, i| {
                        let pre = pre.map_or(0, |v| v[i]) as i32;
                        b.wrapping_add(pre.wrapping_mul(matrix[i * m + j] as i32))
                    })
                })
                .collect();
            let mut acc = vec![0i32; w];
            for y in band {
                for (j, out) in stage.chunks_exact_mut(row).enumerate() {
                    acc.fill(bias[j]);
                    for (i, s) in srcs.iter().enumerate() {
                        // SAFETY: row y, columns 0..w of a source (checked at least dest-sized);
                        // destinations are written only after this slice is gone, and a
                        // destination meeting it is exactly this row (checked above).
                        let sr = unsafe { s.read(y, 0, w, elem) };
                        let mv = matrix[i * m + j] as i32;
                        match sample {
                            Sample::U8 => k::acc_u8(&mut acc, sr, mv),
                            _ => k::acc_s16(&mut acc, sr, mv),
                        }
                    }
                    match sample {
                        Sample::U8 => k::finish_u8(&acc, div, out),
                        _ => k::finish_s16(&acc, div, out),
                    }
                }
                store(dsts, &stage, y, w, elem);
            }
        }
        Planar::Float { matrix, pre, post } => {
            let mut acc = vec![0f32; w];
            for y in band {
                for (j, out) in stage.chunks_exact_mut(row).enumerate() {
                    for (i, s) in srcs.iter().enumerate() {
                        let pb = pre.map(|v| v[i]);
                        // SAFETY: as in the integer branch above.
                        let sr = unsafe { s.read(y, 0, w, elem) };
                        k::accf(&mut acc, sr, pb, matrix[i * m + j], i == 0);
                    }
                    k::finishf(&acc, post.map(|v| v[j]), out);
                }
                store(dsts, &stage, y, w, elem);
            }
        }
    }
}

fn store(dsts: &[Image], stage: &[u8], y: usize, w: usize, elem: usize) {
    for (d, out) in dsts.iter().zip(stage.chunks_exact(w * elem)) {
        // SAFETY: row y of a destination, owned by this band's thread; no source slice is
        // alive; destinations do not overlap each other (checked).
        unsafe { d.write(y, 0, w, elem) }.copy_from_slice(out);
    }
}
