//! Box and tent convolution with running sums: the cost per pixel does not depend on the
//! kernel size, and the sums are exact integers, so the bytes equal those of the direct
//! convolution with the explicit kernel (all ones, or the separable tent weights 1, 2, .., m,
//! .., 2, 1) and divisor = the weight sum: `(sum + W / 2) / W`, per pixel in every edge mode.
//!
//! Per band: vertical sums of the source rows over the widened columns (a running box:
//! `+ new row - old row`; a running tent: `t += u - l` with the two half boxes `u`, `l` kept
//! by running sums too), the columns outside the image filled by the edge mode, then the same
//! running sums horizontally, then one exact division per sample.

use super::{Edge, Job, alloc, inside_taps};
use crate::error::Result;
use crate::kernels::convolve::{self as k, Acc};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    Box,
    Tent,
}

impl Shape {
    /// Weight of tap `j` of `n`.
    fn weight(self, j: usize, n: usize) -> u64 {
        match self {
            Shape::Box => 1,
            Shape::Tent => (j + 1).min(n - j) as u64,
        }
    }

    /// Sum of the weights of taps `[j0, j1)` of `n`.
    fn sum(self, (j0, j1): (usize, usize), n: usize) -> u64 {
        (j0..j1).map(|j| self.weight(j, n)).sum()
    }

    /// Sum of all `n` weights.
    fn total(self, n: usize) -> u64 {
        match self {
            Shape::Box => n as u64,
            Shape::Tent => {
                let m = n.div_ceil(2) as u64;
                m * m
            }
        }
    }
}

/// Scratch bytes one band uses (what `kvImageGetTempBufferSize` reports).
pub fn temp_size(width: usize, kh: usize, kw: usize, ch: usize, shape: Shape) -> usize {
    let ext = (width + kw - 1) * ch;
    let acc = if shape.total(kh) as u128 * shape.total(kw) as u128 * 255 < 1 << 32 {
        4
    } else {
        8
    };
    let rows = if shape == Shape::Tent { 3 } else { 1 };
    ext.saturating_mul(acc * rows + 2) + width * ch * acc
}

/// Box or tent convolution of 8-bit `ch`-channel pixels (1 or 4). With `leave_alpha`,
/// channel 0 of every pixel is copied from the source.
pub fn box_tent(
    job: &Job,
    ch: usize,
    kh: usize,
    kw: usize,
    shape: Shape,
    bg: [u8; 4],
    leave_alpha: bool,
) -> Result<()> {
    if let Some(r) = run_fast4(job, ch, kh, kw, shape, bg, leave_alpha) {
        return r;
    }
    let total = u128::from(shape.total(kh)) * u128::from(shape.total(kw));
    if total * 255 < 1 << 32 {
        run::<u32>(job, ch, kh, kw, shape, bg, leave_alpha)
    } else {
        run::<u64>(job, ch, kh, kw, shape, bg, leave_alpha)
    }
}

fn run<A: Acc>(
    job: &Job,
    ch: usize,
    kh: usize,
    kw: usize,
    shape: Shape,
    bg: [u8; 4],
    leave_alpha: bool,
) -> Result<()> {
    let (rh, rw) = (kh / 2, kw / 2);
    let (w, sw, sh) = (job.dst.width(), job.src.width(), job.src.height());
    // Widened columns [ox - rw, ox + w + rw); the part inside the image is [xa, xb).
    let x0 = job.ox as isize - rw as isize;
    let xa = x0.max(0) as usize;
    let xb = (job.ox + w + rw).min(sw);
    let off = (xa as isize - x0) as usize;
    let n_in = (xb - xa) * ch;
    let ext = (w + kw - 1) * ch;
    let wy = shape.total(kh);
    let wtot = wy * shape.total(kw);
    let (xl, xr) = job.interior_x(rw);
    let used_x: Vec<u64> = (0..w)
        .map(|x| shape.sum(inside_taps(x + job.ox, kw, sw), kw))
        .collect();
    let bg_row: Vec<u8> = (0..n_in).map(|e| bg[e % ch]).collect();
    let zero_row = vec![0u8; n_in];
    // Row `sy` of the in-image columns, or the row standing for it.
    let vrow = |sy: isize| -> &[u8] {
        let in_image = (0..sh as isize).contains(&sy);
        match job.edge {
            Edge::Extend | Edge::CopyInPlace => {
                &job.src.row(sy.clamp(0, sh as isize - 1) as usize)[xa * ch..xb * ch]
            }
            Edge::Background if !in_image => &bg_row,
            Edge::Truncate if !in_image => &zero_row,
            _ => &job.src.row(sy as usize)[xa * ch..xb * ch],
        }
    };
    job.bands(|band| {
        let mut v = alloc(ext, A::default())?;
        let (mut u, mut l) = match shape {
            Shape::Box => (Vec::new(), Vec::new()),
            Shape::Tent => (alloc(n_in, A::default())?, alloc(n_in, A::default())?),
        };
        let mut sums = alloc(w * ch, A::default())?;
        // Constant columns outside the image.
        if job.edge == Edge::Background {
            for (e, s) in v.iter_mut().enumerate() {
                *s = A::from_u64(wy * u64::from(bg[e % ch]));
            }
        }
        let (y0, y1) = (band.start, band.end);
        let c0 = (y0 + job.oy) as isize;
        // Vertical sums at the band's first row, directly.
        {
            let mid = &mut v[off * ch..off * ch + n_in];
            mid.fill(A::default());
            for i in 0..kh {
                k::add_row(
                    mid,
                    vrow(c0 - rh as isize + i as isize),
                    shape.weight(i, kh),
                );
            }
            if shape == Shape::Tent {
                let m = rh as isize + 1;
                for kk in 1..=m {
                    k::add_row(&mut u, vrow(c0 + kk), 1);
                }
                for kk in 1 - m..=0 {
                    k::add_row(&mut l, vrow(c0 + kk), 1);
                }
            }
        }
        for y in y0..y1 {
            let c = (y + job.oy) as isize;
            if y > y0 {
                let mid = &mut v[off * ch..off * ch + n_in];
                match shape {
                    Shape::Box => {
                        k::box_step(mid, vrow(c + rh as isize), vrow(c - rh as isize - 1))
                    }
                    Shape::Tent => {
                        // From centre c - 1 to c.
                        let m = rh as isize + 1;
                        k::tent_step(mid, &mut u, &mut l, vrow(c + m), vrow(c), vrow(c - m))
                    }
                }
            }
            // Columns outside the image.
            if matches!(job.edge, Edge::Extend | Edge::CopyInPlace) {
                let (left, rest) = v.split_at_mut(off * ch);
                let (mid, right) = rest.split_at_mut(n_in);
                for px in left.chunks_exact_mut(ch) {
                    px.copy_from_slice(&mid[..ch]);
                }
                for px in right.chunks_exact_mut(ch) {
                    px.copy_from_slice(&mid[n_in - ch..]);
                }
            }
            match (shape, ch) {
                (Shape::Box, 1) => k::hbox::<A, 1>(&mut sums, &v, kw),
                (Shape::Box, _) => k::hbox::<A, 4>(&mut sums, &v, kw),
                (Shape::Tent, 1) => k::htent::<A, 1>(&mut sums, &v, kw),
                (Shape::Tent, _) => k::htent::<A, 4>(&mut sums, &v, kw),
            }
            // SAFETY: row y belongs to this band alone.
            let out = unsafe { job.dst.row_mut(y) };
            let inside_y = job.inside_y(y, rh);
            match job.edge {
                Edge::Extend | Edge::Background => k::finish_fixed(out, &sums, wtot),
                Edge::CopyInPlace | Edge::Truncate => {
                    if inside_y {
                        k::finish_fixed(&mut out[xl * ch..xr * ch], &sums[xl * ch..xr * ch], wtot);
                    }
                    let used_y = shape.sum(inside_taps(y + job.oy, kh, sh), kh);
                    for x in (0..w).filter(|&x| !inside_y || x < xl || x >= xr) {
                        let px = &mut out[x * ch..(x + 1) * ch];
                        if job.edge == Edge::CopyInPlace {
                            job.copy_pixel(x, y, px);
                            continue;
                        }
                        let d = (used_y * used_x[x]).max(1);
                        for (c, o) in px.iter_mut().enumerate() {
                            *o = ((sums[x * ch + c].to_u64() + d / 2) / d).min(255) as u8;
                        }
                    }
                }
            }
            if leave_alpha {
                for (x, px) in out.chunks_exact_mut(ch).enumerate() {
                    px[0] = job.src.pixel(x + job.ox, y + job.oy)[0];
                }
            }
        }
        Ok(())
    })
}

/// The four-channel fast path (AVX2) for the edge modes whose divisor is the same at every
/// pixel (extend, background): column sums kept in u16 (a vertical weight sum of at most
/// 257, so `255 * weight < 2^16`), the horizontal running sum fused with the exact
/// multiply-high division of [`k::Magic`] (no row of 32-bit sums), and the source row the next
/// output row adds prefetched while the current one is summed horizontally. `None` when it
/// does not apply (then [`run`] does the work).
fn run_fast4(
    job: &Job,
    ch: usize,
    kh: usize,
    kw: usize,
    shape: Shape,
    bg: [u8; 4],
    leave_alpha: bool,
) -> Option<Result<()>> {
    let wy = shape.total(kh);
    let wtot = u128::from(wy) * u128::from(shape.total(kw));
    if ch != 4
        || !matches!(job.edge, Edge::Extend | Edge::Background)
        || wy * 255 >= 1 << 16
        || wtot * 255 >= 1 << 32
        || crate::kernels::Level::detect() != crate::kernels::Level::Avx2
    {
        return None;
    }
    let magic = k::Magic::new(wtot as u64)?;
    let (rh, rw) = (kh / 2, kw / 2);
    let (w, sw, sh) = (job.dst.width(), job.src.width(), job.src.height());
    let x0 = job.ox as isize - rw as isize;
    let xa = x0.max(0) as usize;
    let xb = (job.ox + w + rw).min(sw);
    let off = (xa as isize - x0) as usize;
    let n_in = (xb - xa) * ch;
    let ext = (w + kw - 1) * ch;
    let bg_row: Vec<u8> = (0..n_in).map(|e| bg[e % ch]).collect();
    let vrow = |sy: isize| -> &[u8] {
        match job.edge {
            Edge::Background if !(0..sh as isize).contains(&sy) => &bg_row,
            _ => &job.src.row(sy.clamp(0, sh as isize - 1) as usize)[xa * ch..xb * ch],
        }
    };
    Some(job.bands(|band| {
        // Two pixels more than the widened row: read by the kernel, never used.
        let mut v = alloc(ext + 2 * ch, 0u16)?;
        let (mut u, mut l) = match shape {
            Shape::Box => (Vec::new(), Vec::new()),
            Shape::Tent => (alloc(n_in, 0u16)?, alloc(n_in, 0u16)?),
        };
        let mut scratch = Vec::new();
        if job.edge == Edge::Background {
            for (e, s) in v[..ext].iter_mut().enumerate() {
                *s = (wy * u64::from(bg[e % ch])) as u16;
            }
        }
        let (y0, y1) = (band.start, band.end);
        let c0 = (y0 + job.oy) as isize;
        let m = rh as isize + 1;
        {
            let mid = &mut v[off * ch..off * ch + n_in];
            mid.fill(0);
            for i in 0..kh {
                k::add_row(
                    mid,
                    vrow(c0 - rh as isize + i as isize),
                    shape.weight(i, kh),
                );
            }
            if shape == Shape::Tent {
                for kk in 1..=m {
                    k::add_row(&mut u, vrow(c0 + kk), 1);
                }
                for kk in 1 - m..=0 {
                    k::add_row(&mut l, vrow(c0 + kk), 1);
                }
                // u becomes the difference u - l (the vertical tent by its second difference).
                for (u, l) in u.iter_mut().zip(&l) {
                    *u = u.wrapping_sub(*l);
                }
            }
        }
        let hsum = match shape {
            Shape::Box => k::HSum::Box,
            Shape::Tent if wy * 255 < 1 << 15 => k::HSum::TentSmall,
            Shape::Tent => k::HSum::Tent,
        };
        for y in y0..y1 {
            let c = (y + job.oy) as isize;
            if y > y0 {
                let mid = &mut v[off * ch..off * ch + n_in];
                match shape {
                    Shape::Box => {
                        k::box_step(mid, vrow(c + rh as isize), vrow(c - rh as isize - 1))
                    }
                    Shape::Tent => k::tent_step2(mid, &mut u, vrow(c + m), vrow(c), vrow(c - m)),
                }
            }
            if job.edge == Edge::Extend {
                let (left, rest) = v[..ext].split_at_mut(off * ch);
                let (mid, right) = rest.split_at_mut(n_in);
                for px in left.chunks_exact_mut(ch) {
                    px.copy_from_slice(&mid[..ch]);
                }
                for px in right.chunks_exact_mut(ch) {
                    px.copy_from_slice(&mid[n_in - ch..]);
                }
            }
            // The row the next step adds.
            let next = match shape {
                Shape::Box => c + 1 + rh as isize,
                Shape::Tent => c + 1 + m,
            };
            // SAFETY: row y belongs to this band alone.
            let out = unsafe { job.dst.row_mut(y) };
            let pf = [vrow(next)];
            let done = k::hsum4_div(out, &v, kw, hsum, magic, &mut scratch, &pf);
            debug_assert!(done, "AVX2 checked above");
            if leave_alpha {
                for (x, px) in out.chunks_exact_mut(ch).enumerate() {
                    px[0] = job.src.pixel(x + job.ox, y + job.oy)[0];
                }
            }
        }
        Ok(())
    }))
}
