//! Histogram.h, the safe core: histograms, equalization, contrast stretch, ends-in contrast
//! stretch and histogram specification, for Planar8, PlanarF, ARGB8888 and ARGBFFFF.
//!
//! Every transform is two passes: a read-only pass over the source collects per-channel
//! statistics (a histogram, or the minimum and maximum for the float contrast stretch) band by
//! band across threads ([`tile::for_each_band`], merged under a lock), then a table is built
//! and applied through the row driver ([`run`], in place IP-B). The tables:
//!
//! - 8-bit: 256 entries per channel, indexed by the sample;
//! - float: `histogram_entries` entries per channel, indexed by the sample's bin
//!   `clip(entries * (x - minVal) / (maxVal - minVal), 0, entries - 1)` (f32, Apple's formula;
//!   NaN falls in bin 0); bin `i`'s value is `minVal + (maxVal - minVal) * t` for the
//!   transform's `t` in [0, 1] (f64, rounded once to f32).
//!
//! The curves (Apple documents only their outline; the README records these choices):
//! - equalization: `t = cdf(i) / N` (8-bit: `(255 * cdf + N / 2) / N`, ties up);
//! - ends-in stretch: `lo` = the largest level with at most `percent_low`% of the pixels
//!   strictly below it, `hi` = the smallest with at most `percent_high`% strictly above;
//!   levels <= lo map to 0, >= hi to the top, linear (rounded, ties up) between; when lo >=
//!   hi the image is thresholded at `(lo + hi) / 2`, and an image of a single level is left
//!   unchanged. The 8-bit contrast stretch is the ends-in stretch with 0% and 0%;
//! - float contrast stretch: Apple's formula `(x - lo) * ((max - min) / (hi - lo)) + min` with
//!   the image's exact lo, hi (NaN ignored); a single-valued image is left unchanged;
//! - specification: level `r` maps to the smallest level `z` whose normalized desired
//!   cumulative count reaches the source's at `r` (exact integer comparison).

pub mod kernels;

use std::sync::Mutex;

use crate::error::{Error, Result};
use crate::flags::Flags;
use crate::kernels::rows::{InPlace, Plane, run};
use crate::kernels::tile;

/// A read-only view of a source image for the statistics pass.
#[derive(Clone, Copy, Debug)]
pub struct Source {
    ptr: *const u8,
    stride: usize,
    row_len: usize,
    rows: usize,
}

// SAFETY: a Source only describes caller memory that nothing writes while the statistics pass
// runs (the write pass starts after it); rows are only read.
unsafe impl Send for Source {}
// SAFETY: as above.
unsafe impl Sync for Source {}

impl Source {
    /// # Safety
    /// `ptr` is valid for reads of `row_len` bytes at `ptr + y * stride` for every `y < rows`
    /// while the operation runs, and nothing writes that memory meanwhile.
    pub unsafe fn new(ptr: *const u8, stride: usize, row_len: usize, rows: usize) -> Source {
        Source {
            ptr,
            stride,
            row_len,
            rows,
        }
    }

    /// A view of a Rust slice (tests and the safe API).
    pub fn of_slice(data: &[u8], stride: usize, row_len: usize, rows: usize) -> Result<Source> {
        let need = crate::kernels::rows::span(rows, stride, row_len)
            .ok_or(Error::InvalidParameter("plane overflows"))?;
        if need > data.len() || (rows > 1 && stride < row_len) {
            return Err(Error::InvalidParameter("slice shorter than the plane"));
        }
        // SAFETY: the slice spans every row and is borrowed for the call.
        Ok(unsafe { Source::new(data.as_ptr(), stride, row_len, rows) })
    }

    fn row(&self, y: usize) -> &[u8] {
        assert!(y < self.rows);
        // SAFETY: the constructor's contract: row y is readable and not written meanwhile.
        unsafe { std::slice::from_raw_parts(self.ptr.add(y * self.stride), self.row_len) }
    }
}

/// Runs `per_row` over every row of `src` in bands (threads unless `DO_NOT_TILE`), each band
/// into its own `init()` accumulator, merged into one.
fn gather<H: Send>(
    src: &Source,
    width: usize,
    flags: Flags,
    init: impl Fn() -> H + Sync,
    per_row: impl Fn(&mut H, &[u8]) + Sync,
    merge: impl Fn(&mut H, H) + Sync,
) -> H {
    let total = Mutex::new(init());
    let tile_ok = !flags.contains(Flags::DO_NOT_TILE);
    tile::for_each_band(width, src.rows, tile_ok, |band| {
        let mut h = init();
        for y in band {
            per_row(&mut h, src.row(y));
        }
        let mut t = total.lock().unwrap_or_else(|e| e.into_inner());
        merge(&mut t, h);
    });
    total.into_inner().unwrap_or_else(|e| e.into_inner())
}

/// Histograms of `C` interleaved 8-bit channels (`C` = 1 or 4).
fn hist8<const C: usize>(src: &Source, width: usize, flags: Flags) -> [[u64; 256]; C] {
    gather(
        src,
        width,
        flags,
        || [[0u64; 256]; C],
        |h, row| kernels::count8::<C>(h, &row[..width * C]),
        |t, h| {
            for (tc, hc) in t.iter_mut().zip(h.iter()) {
                for (a, b) in tc.iter_mut().zip(hc.iter()) {
                    *a += *b;
                }
            }
        },
    )
}

/// The float binning of Histogram.h.
#[derive(Clone, Copy, Debug)]
pub struct Bins {
    pub entries: usize,
    pub min: f32,
    pub max: f32,
}

impl Bins {
    /// Checks Apple's rules: `entries > 0`, `maxVal >= minVal` (NaN limits are refused too).
    pub fn new(entries: u32, min: f32, max: f32) -> Result<Bins> {
        if entries == 0 {
            return Err(Error::InvalidParameter("histogram_entries is 0"));
        }
        #[allow(clippy::neg_cmp_op_on_partial_ord)] // NaN limits are refused too
        if !(max >= min) {
            return Err(Error::InvalidParameter(
                "maxVal is less than minVal (or NaN)",
            ));
        }
        Ok(Bins {
            entries: entries as usize,
            min,
            max,
        })
    }

    /// `clip(entries * (x - min) / (max - min), 0, entries - 1)`, truncated; NaN -> 0.
    #[inline(always)]
    pub fn bin(&self, x: f32) -> usize {
        let v = self.entries as f32 * (x - self.min) / (self.max - self.min);
        let v = v.max(0.0).min((self.entries - 1) as f32);
        (v as usize).min(self.entries - 1)
    }

    /// The float value of `t` in [0, 1] on this range.
    fn value(&self, t: f64) -> f32 {
        (self.min as f64 + (self.max as f64 - self.min as f64) * t) as f32
    }

    /// Scratch bytes the float functions use for `channels` channels: a histogram (8 bytes)
    /// and a table (4 bytes) per bin.
    pub fn temp_size(&self, channels: usize) -> usize {
        self.entries.saturating_mul(12).saturating_mul(channels)
    }
}

fn zeroed<T: Clone + Default>(n: usize) -> Result<Vec<T>> {
    let mut v = Vec::new();
    v.try_reserve_exact(n)
        .map_err(|_| Error::Allocation(n.saturating_mul(std::mem::size_of::<T>())))?;
    v.resize(n, T::default());
    Ok(v)
}

fn read_f32(b: &[u8]) -> f32 {
    f32::from_ne_bytes([b[0], b[1], b[2], b[3]])
}

/// Histograms of `channels` interleaved float channels (`channels` = 1 or 4).
fn hist_f(
    src: &Source,
    width: usize,
    channels: usize,
    bins: &Bins,
    flags: Flags,
) -> Result<Vec<Vec<u64>>> {
    // One allocation up front to surface an allocation failure as an error.
    let probe = zeroed::<u64>(bins.entries * channels)?;
    drop(probe);
    let init = || vec![vec![0u64; bins.entries]; channels];
    Ok(gather(
        src,
        width,
        flags,
        init,
        |h, row| {
            for (i, s) in row[..width * channels * 4].chunks_exact(4).enumerate() {
                h[i % channels][bins.bin(read_f32(s))] += 1;
            }
        },
        |t, h| {
            for (tc, hc) in t.iter_mut().zip(h.iter()) {
                for (a, b) in tc.iter_mut().zip(hc.iter()) {
                    *a += *b;
                }
            }
        },
    ))
}

// ---- histograms ---------------------------------------------------------------------------

/// `vImageHistogramCalculation_Planar8` / `_ARGB8888` (`C` = 1 / 4): the histograms of the
/// channels whose slot in `out` is `Some`, overwritten (not accumulated).
pub fn histogram8<const C: usize>(
    src: Source,
    width: usize,
    out: [Option<&mut [u64; 256]>; C],
    flags: Flags,
) {
    if flags.contains(Flags::GET_TEMP_BUFFER_SIZE) {
        return;
    }
    let h = hist8::<C>(&src, width, flags);
    for (o, hc) in out.into_iter().zip(h.iter()) {
        if let Some(o) = o {
            *o = *hc;
        }
    }
}

/// `vImageHistogramCalculation_PlanarF` / `_ARGBFFFF` (`out.len()` = 1 / 4 channels).
pub fn histogram_f(
    src: Source,
    width: usize,
    bins: Bins,
    out: Vec<Option<&mut [u64]>>,
    flags: Flags,
) -> Result<()> {
    if flags.contains(Flags::GET_TEMP_BUFFER_SIZE) {
        return Ok(());
    }
    let h = hist_f(&src, width, out.len(), &bins, flags)?;
    for (o, hc) in out.into_iter().zip(h.iter()) {
        if let Some(o) = o {
            o.copy_from_slice(&hc[..o.len()]);
        }
    }
    Ok(())
}

// ---- 8-bit tables ------------------------------------------------------------------------

/// What the 8-bit transforms build a table from.
#[derive(Clone, Copy, Debug)]
pub enum Curve8<'a> {
    Equalize,
    /// Ends-in stretch with percent low / high (the plain stretch is 0, 0).
    EndsIn(u32, u32),
    /// Specification to the desired histogram.
    Specify(&'a [u64; 256]),
}

fn cdf(h: &[u64]) -> Vec<u64> {
    h.iter()
        .scan(0u64, |acc, &v| {
            *acc = acc.wrapping_add(v);
            Some(*acc)
        })
        .collect()
}

/// `(lo, hi)` of the ends-in stretch over a histogram of `h.len()` levels.
pub fn ends_in_limits(h: &[u64], percent_low: u32, percent_high: u32) -> (usize, usize) {
    let n = h.iter().sum::<u64>() as u128;
    let c = cdf(h);
    let levels = h.len();
    // lo: the largest level with count(below) * 100 <= N * percent_low.
    let mut lo = 0;
    for v in 0..levels {
        let below = if v == 0 { 0 } else { c[v - 1] } as u128;
        if below * 100 <= n * percent_low as u128 {
            lo = v;
        } else {
            break;
        }
    }
    // hi: the smallest level with count(above) * 100 <= N * percent_high.
    let mut hi = levels - 1;
    for v in (0..levels).rev() {
        let above = n - c[v] as u128;
        if above * 100 <= n * percent_high as u128 {
            hi = v;
        } else {
            break;
        }
    }
    (lo, hi)
}

/// The ends-in map as fractions of the top level, or None for "leave unchanged".
/// Returns per level `Some(num, den)`: the output is `top * num / den`.
fn ends_in_map(h: &[u64], percent_low: u32, percent_high: u32) -> Option<Vec<(u64, u64)>> {
    let first = h.iter().position(|&c| c != 0)?;
    let last = h.iter().rposition(|&c| c != 0)?;
    if first == last {
        return None;
    }
    let (lo, hi) = ends_in_limits(h, percent_low, percent_high);
    Some(
        (0..h.len())
            .map(|v| {
                if lo >= hi {
                    let t = (lo + hi) / 2;
                    (u64::from(v > t), 1)
                } else if v <= lo {
                    (0, 1)
                } else if v >= hi {
                    (1, 1)
                } else {
                    ((v - lo) as u64, (hi - lo) as u64)
                }
            })
            .collect(),
    )
}

/// `round(top * num / den)` with ties up.
fn ratio(top: u64, num: u128, den: u128) -> u64 {
    ((2 * top as u128 * num + den) / (2 * den)) as u64
}

/// The 256-entry table of an 8-bit transform for one channel's histogram.
pub fn table8(h: &[u64; 256], curve: Curve8) -> [u8; 256] {
    let identity: [u8; 256] = std::array::from_fn(|i| i as u8);
    let n = h.iter().sum::<u64>();
    match curve {
        Curve8::Equalize => {
            if n == 0 {
                return identity;
            }
            let c = cdf(h);
            std::array::from_fn(|v| ratio(255, c[v] as u128, n as u128) as u8)
        }
        Curve8::EndsIn(pl, ph) => match ends_in_map(h, pl, ph) {
            None => identity,
            Some(m) => std::array::from_fn(|v| ratio(255, m[v].0 as u128, m[v].1 as u128) as u8),
        },
        Curve8::Specify(desired) => {
            let (cs, cd) = (cdf(h), cdf(desired));
            let nd = cd[255] as u128;
            let ns = n as u128;
            let mut z = 0;
            std::array::from_fn(|r| {
                // Smallest z with cd[z] / nd >= cs[r] / ns (monotone in r).
                while z < 255 && (cd[z] as u128) * ns < (cs[r] as u128) * nd {
                    z += 1;
                }
                z as u8
            })
        }
    }
}

/// `vImageEqualization_*8`, `vImageContrastStretch_*8`, `vImageEndsInContrastStretch_*8`,
/// `vImageHistogramSpecification_*8` (`C` = 1 / 4 channels; `curves[c]` per channel, `None`
/// copies the channel: LeaveAlphaUnchanged).
pub fn transform8<const C: usize>(
    src: Source,
    src_plane: Plane,
    dst: Plane,
    width: usize,
    height: usize,
    curves: [Option<Curve8>; C],
    flags: Flags,
) -> Result<()> {
    if flags.contains(Flags::GET_TEMP_BUFFER_SIZE) {
        return run(
            [src_plane],
            [dst],
            width,
            height,
            InPlace::SameStart,
            flags,
            |_, _, _| {},
        );
    }
    let h = hist8::<C>(&src, width, flags);
    let tables: [[u8; 256]; C] = std::array::from_fn(|c| match curves[c] {
        Some(curve) => table8(&h[c], curve),
        None => std::array::from_fn(|i| i as u8),
    });
    run(
        [src_plane],
        [dst],
        width,
        height,
        InPlace::SameStart,
        flags,
        |s, d, w| kernels::apply8::<C>(&tables, &s[0][..w * C], &mut d[0][..w * C]),
    )
}

// ---- float --------------------------------------------------------------------------------

/// What the float transforms do per channel.
#[derive(Clone, Copy, Debug)]
pub enum CurveF<'a> {
    Equalize,
    /// Apple's exact min / max stretch onto [minVal, maxVal].
    Stretch,
    EndsIn(u32, u32),
    /// Desired histogram of `entries` bins.
    Specify(&'a [u64]),
}

/// Per-channel float operation of the write pass.
#[derive(Clone, Debug)]
enum OpF {
    Copy,
    Table(Vec<f32>),
    /// `(x - lo) * scale + min`.
    Linear {
        lo: f32,
        scale: f32,
        min: f32,
    },
}

fn table_f(h: &[u64], bins: &Bins, curve: CurveF) -> Result<OpF> {
    let e = bins.entries;
    let n = h.iter().sum::<u64>();
    let mut t = zeroed::<f32>(e)?;
    match curve {
        CurveF::Equalize => {
            let c = cdf(h);
            for (o, &ci) in t.iter_mut().zip(c.iter()) {
                *o = bins.value(if n == 0 { 0.0 } else { ci as f64 / n as f64 });
            }
        }
        CurveF::EndsIn(pl, ph) => match ends_in_map(h, pl, ph) {
            None => return Ok(OpF::Copy),
            Some(m) => {
                for (o, &(num, den)) in t.iter_mut().zip(m.iter()) {
                    *o = bins.value(num as f64 / den as f64);
                }
            }
        },
        CurveF::Specify(desired) => {
            let (cs, cd) = (cdf(h), cdf(desired));
            let nd = cd[e - 1] as u128;
            let ns = n as u128;
            let mut z = 0;
            for (r, o) in t.iter_mut().enumerate() {
                while z < e - 1 && (cd[z] as u128) * ns < (cs[r] as u128) * nd {
                    z += 1;
                }
                *o = bins.value(if e == 1 {
                    0.0
                } else {
                    z as f64 / (e - 1) as f64
                });
            }
        }
        CurveF::Stretch => unreachable!("the stretch needs no histogram"),
    }
    Ok(OpF::Table(t))
}

/// Per-channel (lo, hi) of the float samples, NaN ignored; (inf, -inf) when none.
fn min_max_f(src: &Source, width: usize, channels: usize, flags: Flags) -> Vec<(f32, f32)> {
    gather(
        src,
        width,
        flags,
        || vec![(f32::INFINITY, f32::NEG_INFINITY); channels],
        |m, row| {
            for (i, s) in row[..width * channels * 4].chunks_exact(4).enumerate() {
                let x = read_f32(s);
                let e = &mut m[i % channels];
                e.0 = e.0.min(x);
                e.1 = e.1.max(x);
            }
        },
        |t, m| {
            for (a, b) in t.iter_mut().zip(m.iter()) {
                a.0 = a.0.min(b.0);
                a.1 = a.1.max(b.1);
            }
        },
    )
}

/// The float forms of the four transforms (`curves.len()` = 1 / 4 channels; `None` copies the
/// channel). Returns the temp-buffer size with `kvImageGetTempBufferSize`, else 0.
#[allow(clippy::too_many_arguments)]
pub fn transform_f(
    src: Source,
    src_plane: Plane,
    dst: Plane,
    width: usize,
    height: usize,
    bins: Bins,
    curves: &[Option<CurveF>],
    flags: Flags,
) -> Result<usize> {
    let channels = curves.len();
    let stretch_only = curves
        .iter()
        .all(|c| matches!(c, None | Some(CurveF::Stretch)));
    if flags.contains(Flags::GET_TEMP_BUFFER_SIZE) {
        run(
            [src_plane],
            [dst],
            width,
            height,
            InPlace::SameStart,
            flags,
            |_, _, _| {},
        )?;
        return Ok(if stretch_only {
            0
        } else {
            bins.temp_size(channels)
        });
    }
    let hist = if stretch_only {
        Vec::new()
    } else {
        hist_f(&src, width, channels, &bins, flags)?
    };
    let limits = if curves.iter().any(|c| matches!(c, Some(CurveF::Stretch))) {
        min_max_f(&src, width, channels, flags)
    } else {
        Vec::new()
    };
    let mut ops = Vec::with_capacity(channels);
    for (c, curve) in curves.iter().enumerate() {
        ops.push(match curve {
            None => OpF::Copy,
            Some(CurveF::Stretch) => {
                let (lo, hi) = limits[c];
                #[allow(clippy::neg_cmp_op_on_partial_ord)] // also no samples (inf, -inf)
                if !(hi > lo) {
                    OpF::Copy
                } else {
                    OpF::Linear {
                        lo,
                        scale: (bins.max - bins.min) / (hi - lo),
                        min: bins.min,
                    }
                }
            }
            Some(curve) => table_f(&hist[c], &bins, *curve)?,
        });
    }
    run(
        [src_plane],
        [dst],
        width,
        height,
        InPlace::SameStart,
        flags,
        |s, d, w| {
            let n = w * channels * 4;
            for (i, (o, x)) in d[0][..n]
                .chunks_exact_mut(4)
                .zip(s[0][..n].chunks_exact(4))
                .enumerate()
            {
                let y = match &ops[i % channels] {
                    OpF::Copy => {
                        o.copy_from_slice(x);
                        continue;
                    }
                    OpF::Table(t) => t[bins.bin(read_f32(x))],
                    OpF::Linear { lo, scale, min } => (read_f32(x) - lo) * scale + min,
                };
                o.copy_from_slice(&y.to_ne_bytes());
            }
        },
    )?;
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ends_in_zero_percent_is_the_image_range() {
        let mut h = [0u64; 256];
        h[10] = 3;
        h[20] = 5;
        h[200] = 1;
        assert_eq!(ends_in_limits(&h, 0, 0), (10, 200));
        let t = table8(&h, Curve8::EndsIn(0, 0));
        assert_eq!((t[10], t[200], t[0], t[255]), (0, 255, 0, 255));
        // 105 of 190 levels: 255 * 95 / 190 = 127.5 -> 128 (ties up).
        assert_eq!(t[105], 128);
    }

    #[test]
    fn specification_to_own_histogram_is_near_identity() {
        let mut h = [0u64; 256];
        for (i, v) in h.iter_mut().enumerate() {
            *v = (i as u64 % 7) + 1;
        }
        let t = table8(&h, Curve8::Specify(&h));
        assert!(t.iter().enumerate().all(|(i, &v)| v as usize == i));
    }
}
