//! General convolution (`vImageConvolve_*`, `vImageConvolveWithBias_*`,
//! `vImageConvolveMultiKernel_*`): for each output row, every non-zero kernel tap is a
//! multiply-accumulate of one widened source row (two taps per pass for 8-bit data), then the
//! row is divided (8-bit) or biased (float).
//!
//! 8-bit: a 32-bit wrapping accumulator (Apple's, whose overflow is modular: the order of the
//! additions cannot change the result), `(sum + bias) / divisor` with C's truncating division,
//! clamped to [0, 255]. Float: `sum` of the taps in kernel order (rows top to bottom, each row
//! left to right; a multiply then an add, no fused multiply-add), then `+ bias`.

use super::edges::{Extender, Ring};
use super::{Edge, Job, alloc, inside_taps};
use crate::error::Result;
use crate::kernels::convolve as k;

/// An int16 kernel per channel (the same four times except for MultiKernel), with divisors
/// (never 0) and biases.
pub struct IntKernel {
    pub height: usize,
    pub width: usize,
    /// `taps[c][i * width + j]`.
    pub taps: [Vec<i32>; 4],
    pub divisor: [i32; 4],
    pub bias: [i32; 4],
    /// `vImageConvolve_*`: the bias is `divisor / 2` of the (possibly rescaled) divisor.
    pub half: bool,
}

/// A float kernel per channel, with biases.
pub struct FloatKernel {
    pub height: usize,
    pub width: usize,
    pub taps: [Vec<f32>; 4],
    pub bias: [f32; 4],
}

/// Sums of a kernel over rectangles, from a table of prefix sums.
struct Prefix {
    w: usize,
    t: Vec<f64>,
    ti: Vec<i128>,
}

impl Prefix {
    fn new<T: Copy>(
        taps: &[T],
        h: usize,
        w: usize,
        f: impl Fn(T) -> (f64, i128),
    ) -> Result<Prefix> {
        let mut t = alloc((h + 1) * (w + 1), 0.0)?;
        let mut ti = alloc((h + 1) * (w + 1), 0i128)?;
        for i in 0..h {
            for j in 0..w {
                let (v, vi) = f(taps[i * w + j]);
                let at = (i + 1) * (w + 1) + j + 1;
                t[at] = v + t[at - 1] + t[at - w - 1] - t[at - w - 2];
                ti[at] = vi + ti[at - 1] + ti[at - w - 1] - ti[at - w - 2];
            }
        }
        Ok(Prefix { w, t, ti })
    }

    fn at(&self, i: usize, j: usize) -> usize {
        i * (self.w + 1) + j
    }

    /// Sum over rows `[i0, i1)` and columns `[j0, j1)`: (float, exact integer).
    fn rect(&self, (i0, i1): (usize, usize), (j0, j1): (usize, usize)) -> (f64, i128) {
        let (a, b, c, d) = (
            self.at(i1, j1),
            self.at(i0, j1),
            self.at(i1, j0),
            self.at(i0, j0),
        );
        (
            self.t[a] - self.t[b] - self.t[c] + self.t[d],
            self.ti[a] - self.ti[b] - self.ti[c] + self.ti[d],
        )
    }

    fn total(&self, h: usize) -> (f64, i128) {
        self.rect((0, h), (0, self.w))
    }
}

/// Non-zero taps `(i, j, k4)` with `k4` the 4-periodic multiplier of the row's elements.
fn taps4<T: Copy + Default + PartialEq>(
    taps: &[Vec<T>; 4],
    h: usize,
    w: usize,
    ch: usize,
) -> Vec<(usize, usize, [T; 4])> {
    let mut out = Vec::new();
    for i in 0..h {
        for j in 0..w {
            let at = i * w + j;
            let k4: [T; 4] = std::array::from_fn(|c| taps[if ch == 4 { c } else { 0 }][at]);
            if k4.iter().any(|v| *v != T::default()) {
                out.push((i, j, k4));
            }
        }
    }
    out
}

/// Scratch bytes one band uses (what `kvImageGetTempBufferSize` reports).
pub fn temp_size(width: usize, kh: usize, kw: usize, ch: usize, elem: usize) -> usize {
    let acc = (width * ch).div_ceil(16) * 16 + 16;
    kh.saturating_mul((kw - 1) * ch + acc).saturating_mul(elem) + acc * 4
}

/// 8-bit general convolution of `ch` (1 or 4) channels.
pub fn convolve_int(job: &Job, ch: usize, kern: &IntKernel, bg: [u8; 4]) -> Result<()> {
    let (kh, kw) = (kern.height, kern.width);
    let (rh, rw) = (kh / 2, kw / 2);
    let w = job.dst.width();
    let taps = taps4(&kern.taps, kh, kw, ch);
    let ks: Vec<[i32; 4]> = taps.iter().map(|t| t.2).collect();
    let prefix = if job.edge == Edge::Truncate {
        let mut p = Vec::new();
        for c in 0..ch {
            p.push(Prefix::new(&kern.taps[c], kh, kw, |v| {
                (f64::from(v), i128::from(v))
            })?);
        }
        p
    } else {
        Vec::new()
    };
    let bias = if kern.half {
        kern.divisor.map(|d| d / 2)
    } else {
        kern.bias
    };
    let (xl, xr) = job.interior_x(rw);
    job.bands(|band| {
        let ext = Extender::<u8>::new(job.src, job.edge, ch, job.ox, rw, w, bg);
        let nacc = (w * ch).div_ceil(16) * 16;
        let mut ring = Ring::<u8>::new(kh, (kw - 1) * ch + nacc)?;
        let mut acc = alloc(nacc, 0i32)?;
        let mut slots = alloc(kh, 0usize)?;
        for y in band {
            let sy0 = (y + job.oy) as isize - rh as isize;
            for (i, s) in slots.iter_mut().enumerate() {
                *s = ring.slot(sy0 + i as isize, |sy, out| ext.build(sy, out));
            }
            let rows: Vec<&[u8]> = taps
                .iter()
                .map(|(i, j, _)| &ring.row(slots[*i])[j * ch..j * ch + nacc])
                .collect();
            k::dot_rows_u8(&mut acc, &rows, &ks);
            // SAFETY: row y belongs to this band alone.
            let out = unsafe { job.dst.row_mut(y) };
            let inside_y = job.inside_y(y, rh);
            match job.edge {
                Edge::Extend | Edge::Background => k::finish_i32(out, &acc, bias, kern.divisor),
                Edge::CopyInPlace => {
                    if inside_y {
                        k::finish_i32(
                            &mut out[xl * ch..xr * ch],
                            &acc[xl * ch..],
                            bias,
                            kern.divisor,
                        );
                    }
                    for x in (0..w).filter(|&x| !inside_y || x < xl || x >= xr) {
                        job.copy_pixel(x, y, &mut out[x * ch..(x + 1) * ch]);
                    }
                }
                Edge::Truncate => {
                    if inside_y {
                        k::finish_i32(
                            &mut out[xl * ch..xr * ch],
                            &acc[xl * ch..],
                            bias,
                            kern.divisor,
                        );
                    }
                    let rows = inside_taps(y + job.oy, kh, job.src.height());
                    for x in (0..w).filter(|&x| !inside_y || x < xl || x >= xr) {
                        let cols = inside_taps(x + job.ox, kw, job.src.width());
                        for c in 0..ch {
                            let p = &prefix[c];
                            let (_, used) = p.rect(rows, cols);
                            let (_, total) = p.total(kh);
                            let d = i128::from(kern.divisor[c]);
                            let (mut dd, mut b) = (d, i128::from(bias[c]));
                            if total != 0 {
                                dd = d * used / total;
                                b = if kern.half {
                                    dd / 2
                                } else {
                                    i128::from(kern.bias[c]) * used / total
                                };
                            }
                            if dd == 0 {
                                dd = 1;
                                if kern.half {
                                    b = 0;
                                }
                            }
                            let n = i128::from(acc[x * ch + c]) + b;
                            out[x * ch + c] = (n / dd).clamp(0, 255) as u8;
                        }
                    }
                }
            }
        }
        Ok(())
    })
}

/// Float general convolution of `ch` (1 or 4) channels.
pub fn convolve_float(job: &Job, ch: usize, kern: &FloatKernel, bg: [f32; 4]) -> Result<()> {
    let (kh, kw) = (kern.height, kern.width);
    let (rh, rw) = (kh / 2, kw / 2);
    let w = job.dst.width();
    let taps = taps4(&kern.taps, kh, kw, ch);
    let ks: Vec<[f32; 4]> = taps.iter().map(|t| t.2).collect();
    let mut prefix = Vec::new();
    if job.edge == Edge::Truncate {
        for c in 0..ch {
            prefix.push(Prefix::new(&kern.taps[c], kh, kw, |v| (f64::from(v), 0))?);
        }
    }
    let (xl, xr) = job.interior_x(rw);
    job.bands(|band| {
        let ext = Extender::<f32>::new(job.src, job.edge, ch, job.ox, rw, w, bg);
        let nacc = (w * ch).div_ceil(16) * 16;
        let mut ring = Ring::<f32>::new(kh, (kw - 1) * ch + nacc)?;
        let mut acc = alloc(nacc, 0f32)?;
        let mut slots = alloc(kh, 0usize)?;
        for y in band {
            let sy0 = (y + job.oy) as isize - rh as isize;
            for (i, s) in slots.iter_mut().enumerate() {
                *s = ring.slot(sy0 + i as isize, |sy, out| ext.build(sy, out));
            }
            let rows: Vec<&[f32]> = taps
                .iter()
                .map(|(i, j, _)| &ring.row(slots[*i])[j * ch..j * ch + nacc])
                .collect();
            k::dot_rows_f32(&mut acc, &rows, &ks);
            // SAFETY: row y belongs to this band alone.
            let out = unsafe { job.dst.row_mut(y) };
            let inside_y = job.inside_y(y, rh);
            let all = !matches!(job.edge, Edge::CopyInPlace | Edge::Truncate);
            let (a, b) = if all {
                (0, w)
            } else if inside_y {
                (xl, xr)
            } else {
                (0, 0)
            };
            for (e, o) in out[a * ch * 4..b * ch * 4].chunks_exact_mut(4).enumerate() {
                let e = a * ch + e;
                o.copy_from_slice(&(acc[e] + kern.bias[e % ch]).to_ne_bytes());
            }
            if all {
                continue;
            }
            let rows = inside_taps(y + job.oy, kh, job.src.height());
            for x in (0..w).filter(|&x| x < a || x >= b) {
                let px = &mut out[x * ch * 4..(x + 1) * ch * 4];
                if job.edge == Edge::CopyInPlace {
                    job.copy_pixel(x, y, px);
                    continue;
                }
                let cols = inside_taps(x + job.ox, kw, job.src.width());
                for c in 0..ch {
                    let (used, _) = prefix[c].rect(rows, cols);
                    let (total, _) = prefix[c].total(kh);
                    let scale = if used != 0.0 && total != 0.0 {
                        (total / used) as f32
                    } else {
                        1.0
                    };
                    let v = acc[x * ch + c] * scale + kern.bias[c];
                    px[c * 4..c * 4 + 4].copy_from_slice(&v.to_ne_bytes());
                }
            }
        }
        Ok(())
    })
}
