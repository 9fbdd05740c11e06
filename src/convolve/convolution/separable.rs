//! Separable convolution (`vImageSepConvolve_*`, macOS 11): in f32, each widened source row is
//! filtered horizontally (`h[x] = sum over j of kx[j] * p[x + j]`, j ascending, from 0), a ring
//! keeps the last `ky.len()` filtered rows, and the output is
//! `sum over i of ky[i] * h_i[x]` (i ascending, from 0), times the truncation scale, then
//! `+ bias` (Planar8to16U: `scale * sum + bias`); integer outputs add 0.5, clamp and truncate.

use super::edges::{Extender, Ring, Sample};
use super::{Edge, Job, alloc, inside_taps};
use crate::error::Result;
use crate::kernels::convolve as k;

/// The destination sample and its arithmetic.
#[derive(Clone, Copy, Debug)]
pub enum Out {
    U8,
    U16,
    F32,
    /// 16-bit output of an 8-bit source: `scale * sum + bias + 0.5`.
    U16Scaled(f32),
}

/// Scratch bytes one band uses (what `kvImageGetTempBufferSize` reports).
pub fn temp_size(width: usize, kx: usize, ky: usize) -> usize {
    ((width + kx - 1) * 8 + ky.saturating_mul(width) * 4 + width * 4).saturating_mul(1)
}

/// `(sum of all, sum over [j0, j1))` of a 1-D kernel, in f64.
fn part(k: &[f32], (j0, j1): (usize, usize)) -> (f64, f64) {
    let all = k.iter().map(|v| f64::from(*v)).sum();
    let used = k[j0..j1].iter().map(|v| f64::from(*v)).sum();
    (all, used)
}

/// The factor of `kvImageTruncateKernel` for one axis: total / used (1 when either is 0).
fn factor(k: &[f32], taps: (usize, usize)) -> f64 {
    let (all, used) = part(k, taps);
    if all != 0.0 && used != 0.0 {
        all / used
    } else {
        1.0
    }
}

/// Separable convolution of a one-channel image of samples `T`.
pub fn sep<T: Sample + Into<f32>>(
    job: &Job,
    kx: &[f32],
    ky: &[f32],
    bias: f32,
    bg: T,
    out: Out,
) -> Result<()> {
    let (kw, kh) = (kx.len(), ky.len());
    let (rw, rh) = (kw / 2, kh / 2);
    let w = job.dst.width();
    let (xl, xr) = job.interior_x(rw);
    let fx: Vec<f64> = (0..w)
        .map(|x| factor(kx, inside_taps(x + job.ox, kw, job.src.width())))
        .collect();
    job.bands(|band| {
        let ext = Extender::<T>::new(job.src, job.edge, 1, job.ox, rw, w, [bg; 4]);
        let mut raw = alloc(ext.samples(), T::default())?;
        let mut wide = alloc(ext.samples(), 0f32)?;
        let mut ring = Ring::<f32>::new(kh, w)?;
        let mut acc = alloc(w, 0f32)?;
        let mut slots = alloc(kh, 0usize)?;
        for y in band {
            let sy0 = (y + job.oy) as isize - rh as isize;
            for (i, s) in slots.iter_mut().enumerate() {
                *s = ring.slot(sy0 + i as isize, |sy, h| {
                    ext.build(sy, &mut raw);
                    for (o, v) in wide.iter_mut().zip(&raw) {
                        *o = (*v).into();
                    }
                    h.fill(0.0);
                    for (j, kj) in kx.iter().enumerate() {
                        k::mac1_f32(h, &wide[j..j + w], *kj);
                    }
                });
            }
            acc.fill(0.0);
            for (i, ki) in ky.iter().enumerate() {
                k::mac1_f32(&mut acc, ring.row(slots[i]), *ki);
            }
            // SAFETY: row y belongs to this band alone.
            let row = unsafe { job.dst.row_mut(y) };
            let inside_y = job.inside_y(y, rh);
            let fy = factor(ky, inside_taps(y + job.oy, kh, job.src.height()));
            for x in 0..w {
                let interior = inside_y && x >= xl && x < xr;
                let scale = match job.edge {
                    Edge::Truncate if !interior => (fx[x] * fy) as f32,
                    Edge::CopyInPlace if !interior => {
                        copy(job, x, y, row, out);
                        continue;
                    }
                    _ => 1.0,
                };
                let s = if scale == 1.0 { acc[x] } else { acc[x] * scale };
                store(row, x, s, bias, out);
            }
        }
        Ok(())
    })
}

fn store(row: &mut [u8], x: usize, sum: f32, bias: f32, out: Out) {
    match out {
        Out::U8 => row[x] = (sum + bias + 0.5).clamp(0.0, 255.0) as u8,
        Out::U16 => {
            let v = (sum + bias + 0.5).clamp(0.0, 65535.0) as u16;
            row[2 * x..2 * x + 2].copy_from_slice(&v.to_ne_bytes());
        }
        Out::U16Scaled(scale) => {
            let v = (scale * sum + bias + 0.5).clamp(0.0, 65535.0) as u16;
            row[2 * x..2 * x + 2].copy_from_slice(&v.to_ne_bytes());
        }
        Out::F32 => row[4 * x..4 * x + 4].copy_from_slice(&(sum + bias).to_ne_bytes()),
    }
}

/// `kvImageCopyInPlace` at an edge: the source pixel unchanged (an 8-bit pixel widened to 16
/// bits keeps its value).
fn copy(job: &Job, x: usize, y: usize, row: &mut [u8], out: Out) {
    let p = job.src.pixel(x + job.ox, y + job.oy);
    match out {
        Out::U16Scaled(_) => row[2 * x..2 * x + 2].copy_from_slice(&u16::from(p[0]).to_ne_bytes()),
        _ => row[x * p.len()..(x + 1) * p.len()].copy_from_slice(p),
    }
}
