//! Richardson–Lucy deconvolution: `e[n+1] = e[n] * (psf0 ∗ (e[0] / (psf1 ∗ e[n])))`, in f32 over
//! the whole source buffer (so that the edge modes see the buffer's edges and the region of
//! interest gets the same values as in a full-image call), each `∗` a float general
//! convolution ([`super::general::convolve_float`]) in the call's edge mode.

use super::general::{FloatKernel, convolve_float};
use super::{Dst, Job, Src, alloc};
use crate::error::Result;

/// The destination sample type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Out {
    /// 8-bit: `clamp(e + 0.5, 0, 255)` truncated.
    U8,
    F32,
}

/// Scratch bytes (what `kvImageGetTempBufferSize` reports): four float copies of the source.
pub fn temp_size(src_w: usize, src_h: usize, ch: usize) -> usize {
    src_w
        .saturating_mul(src_h)
        .saturating_mul(ch)
        .saturating_mul(16)
}

fn floats(b: &[u8]) -> impl Iterator<Item = f32> + '_ {
    b.chunks_exact(4)
        .map(|c| f32::from_ne_bytes([c[0], c[1], c[2], c[3]]))
}

#[allow(clippy::too_many_arguments)]
pub fn richardson_lucy(
    job: &Job,
    ch: usize,
    psf0: &FloatKernel,
    psf1: &FloatKernel,
    iterations: u32,
    bg: [f32; 4],
    out: Out,
    leave_alpha: bool,
) -> Result<()> {
    let (sw, sh) = (job.src.width(), job.src.height());
    let (w, h) = (job.dst.width(), job.dst.height());
    let spp = match out {
        Out::U8 => 1,
        Out::F32 => 4,
    };
    if iterations == 0 {
        for y in 0..h {
            // SAFETY: one row at a time on this thread.
            let row = unsafe { job.dst.row_mut(y) };
            row.copy_from_slice(
                &job.src.row(y + job.oy)[job.ox * ch * spp..(job.ox + w) * ch * spp],
            );
        }
        return Ok(());
    }
    // e0: the whole source as packed f32 samples.
    let n = sw * sh * ch;
    let mut e0 = alloc(n * 4, 0u8)?;
    for y in 0..sh {
        let row = job.src.row(y);
        let o = &mut e0[y * sw * ch * 4..(y + 1) * sw * ch * 4];
        match out {
            Out::U8 => {
                for (d, s) in o.chunks_exact_mut(4).zip(row) {
                    d.copy_from_slice(&f32::from(*s).to_ne_bytes());
                }
            }
            Out::F32 => o.copy_from_slice(row),
        }
    }
    let mut e = e0.clone();
    let mut tmp = alloc(n * 4, 0u8)?;
    // The ratio image's missing pixels: observed / estimated background = 1.
    let ratio_bg = [1.0f32; 4];
    let conv = |input: Vec<u8>, output: &mut [u8], k: &FloatKernel, bg: [f32; 4]| -> Result<()> {
        let src = Src::from_vec(input, sw, sh, ch * 4);
        let dst = Dst::of_slice(output, sw, sh, ch * 4);
        let sub = Job {
            src: &src,
            dst: &dst,
            ox: 0,
            oy: 0,
            edge: job.edge,
            tile: job.tile,
        };
        convolve_float(&sub, ch, k, bg)
    };
    for _ in 0..iterations {
        // tmp = psf1 ∗ e
        conv(e.clone(), &mut tmp, psf1, bg)?;
        // tmp = e0 / tmp (0 where the blurred estimate is 0)
        for (t, o) in tmp.chunks_exact_mut(4).zip(floats(&e0)) {
            let b = f32::from_ne_bytes([t[0], t[1], t[2], t[3]]);
            let r = if b != 0.0 { o / b } else { 0.0 };
            t.copy_from_slice(&r.to_ne_bytes());
        }
        // tmp2 = psf0 ∗ ratio; e *= tmp2
        let mut corr = alloc(n * 4, 0u8)?;
        conv(tmp.clone(), &mut corr, psf0, ratio_bg)?;
        for (d, c) in e.chunks_exact_mut(4).zip(floats(&corr)) {
            let v = f32::from_ne_bytes([d[0], d[1], d[2], d[3]]) * c;
            d.copy_from_slice(&v.to_ne_bytes());
        }
    }
    for y in 0..h {
        // SAFETY: one row at a time on this thread.
        let row = unsafe { job.dst.row_mut(y) };
        let er =
            &e[((y + job.oy) * sw + job.ox) * ch * 4..((y + job.oy) * sw + job.ox + w) * ch * 4];
        match out {
            Out::U8 => {
                for (o, v) in row.iter_mut().zip(floats(er)) {
                    *o = (v + 0.5).clamp(0.0, 255.0) as u8;
                }
            }
            Out::F32 => row.copy_from_slice(er),
        }
        if leave_alpha {
            for (x, px) in row.chunks_exact_mut(ch * spp).enumerate() {
                px[..spp].copy_from_slice(&job.src.pixel(x + job.ox, y + job.oy)[..spp]);
            }
        }
    }
    Ok(())
}
