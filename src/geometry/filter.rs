//! Resampling filters: the per-output coefficient tables `vImageScale_*` runs on, and the
//! `ResamplingFilter` object of `vImageNewResamplingFilter*` that the shears use.
//!
//! A table gives, for every output sample of one axis, the first source index and `taps`
//! weights (zero-padded). Sample positions follow the pixel-centre mapping
//! `sx = (dx + 0.5) * n_in / n_out - 0.5`; when shrinking the kernel is widened by
//! `n_in / n_out`; indices past either end are clamped (edge replication), which folds their
//! weight onto the edge sample; each output's weights are normalised to sum to 1 in float64 and
//! then rounded to f32 and to i16 fixed point (`1 << WEIGHT_BITS` = 1.0, the rounding residue
//! put on the largest weight so the integer weights sum exactly to one).

use std::ffi::c_void;

use super::lanczos::Lanczos;
use crate::error::{Error, Result};

/// Fixed-point precision of the i16 weights: `1 << WEIGHT_BITS` is 1.0.
pub const WEIGHT_BITS: u32 = 14;

/// One axis's coefficient table.
#[derive(Clone, Debug)]
pub struct Table {
    /// Weights per output (the longest window; shorter ones are zero-padded).
    pub taps: usize,
    /// First source index of every output; `start + taps <= n_in`.
    pub start: Vec<u32>,
    /// `n_out * taps` weights in f32.
    pub wf: Vec<f32>,
    /// `n_out * taps` weights in i16 fixed point.
    pub wi: Vec<i16>,
}

impl Table {
    /// The table of `vImageScale_*` for `n_in` source samples onto `n_out` (both > 0).
    pub fn scale(n_in: usize, n_out: usize, kernel: Lanczos) -> Table {
        if n_in == n_out {
            // Same size: a copy. (Direct sampling would give the same result up to the
            // ~1e-17 weights sin(pi k) leaves at the integers; this makes it bit-exact, and
            // keeps 0 * inf out of float images.)
            return Table {
                taps: 1,
                start: (0..n_out as u32).collect(),
                wf: vec![1.0; n_out],
                wi: vec![1 << WEIGHT_BITS; n_out],
            };
        }
        let ratio = n_in as f64 / n_out as f64;
        let widen = ratio.max(1.0);
        let support = kernel.radius() * widen;
        let windows: Vec<(usize, Vec<f64>)> = (0..n_out)
            .map(|dx| {
                let centre = (dx as f64 + 0.5) * ratio - 0.5;
                window(centre, support, n_in, |t| kernel.weight(t / widen))
            })
            .collect();
        Table::from_windows(n_in, &windows)
    }

    /// The same table with `taps` rounded up to a multiple of `group` (zero weights after
    /// each window) and starts moved left where needed so every padded window stays inside
    /// `0..n_in`; `None` when the padded window is longer than the source. The weights of
    /// every output are unchanged, so results are identical; SIMD kernels just skip tails.
    pub fn padded(&self, n_in: usize, group: usize) -> Option<Table> {
        let taps = self.taps.div_ceil(group) * group;
        if taps == self.taps {
            return Some(self.clone());
        }
        if taps > n_in {
            return None;
        }
        let n_out = self.start.len();
        let mut t = Table {
            taps,
            start: Vec::with_capacity(n_out),
            wf: vec![0.0; n_out * taps],
            wi: vec![0; n_out * taps],
        };
        for o in 0..n_out {
            let s = self.start[o] as usize;
            let ns = s.min(n_in - taps);
            let off = s - ns;
            t.start.push(ns as u32);
            t.wf[o * taps + off..][..self.taps]
                .copy_from_slice(&self.wf[o * self.taps..][..self.taps]);
            t.wi[o * taps + off..][..self.taps]
                .copy_from_slice(&self.wi[o * self.taps..][..self.taps]);
        }
        Some(t)
    }

    /// Builds the table from `(first index, weights)` windows already clamped into `0..n_in`.
    fn from_windows(n_in: usize, windows: &[(usize, Vec<f64>)]) -> Table {
        let taps = windows
            .iter()
            .map(|(_, w)| w.len())
            .max()
            .unwrap_or(1)
            .clamp(1, n_in.max(1));
        let n_out = windows.len();
        let mut start = Vec::with_capacity(n_out);
        let mut wf = vec![0f32; n_out * taps];
        let mut wi = vec![0i16; n_out * taps];
        for (o, (lo, w)) in windows.iter().enumerate() {
            let s = (*lo).min(n_in - taps);
            start.push(s as u32);
            let off = lo - s;
            let f = &mut wf[o * taps..][..taps];
            let q = &mut wi[o * taps..][..taps];
            let one = (1i32 << WEIGHT_BITS) as f64;
            let mut sum = 0i32;
            let mut big = off;
            for (k, &v) in w.iter().enumerate() {
                f[off + k] = v as f32;
                let r = (v * one).round() as i32;
                q[off + k] = r as i16;
                sum += r;
                if v.abs() > w[big - off].abs() {
                    big = off + k;
                }
            }
            q[big] = (q[big] as i32 + (1 << WEIGHT_BITS) - sum) as i16;
        }
        Table {
            taps,
            start,
            wf,
            wi,
        }
    }
}

/// The normalised weights of the source samples within `support` of `centre` (kernel `k` of
/// the signed distance), indices clamped into `0..n_in`: `(first index, weights)`.
pub fn window(centre: f64, support: f64, n_in: usize, k: impl Fn(f64) -> f64) -> (usize, Vec<f64>) {
    let last = n_in as i64 - 1;
    let lo = (centre - support).ceil() as i64;
    let hi = (centre + support).floor() as i64;
    let (clo, chi) = (lo.clamp(0, last), hi.clamp(0, last));
    let mut w = vec![0f64; (chi - clo + 1) as usize];
    for i in lo..=hi {
        let v = k(i as f64 - centre);
        w[(i.clamp(0, last) - clo) as usize] += v;
    }
    let sum: f64 = w.iter().sum();
    if sum != 0.0 {
        w.iter_mut().for_each(|v| *v /= sum);
    }
    (clo as usize, w)
}

// ---- ResamplingFilter --------------------------------------------------------------------------

/// A user kernel: `kernelFunc(xArray, yArray, count, userData)`.
pub type KernelFunc =
    unsafe extern "C" fn(x: *const f32, y: *mut f32, count: std::ffi::c_ulong, user: *mut c_void);

const MAGIC: u64 = 0x7669_6d67_5253_4646; // "vimgRSFF"

/// What a `ResamplingFilter` points at: a plain struct the caller may also place in its own
/// buffer (`vImageNewResamplingFilterForFunctionUsingBuffer`), so it holds no Rust-owned data.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct FilterData {
    magic: u64,
    /// The filter's scale: 2 doubles the axis, 0.5 halves it, negative flips.
    pub scale: f64,
    /// Half-width of the kernel in its own units (3 for Lanczos3).
    pub kernel_width: f64,
    /// NULL: the built-in Lanczos kernel (`lanczos5` picks Lanczos5).
    pub func: Option<KernelFunc>,
    pub user_data: *mut c_void,
    pub lanczos5: bool,
}

/// Bytes a filter occupies (`vImageGetResamplingFilterSize`).
pub const FILTER_SIZE: usize = std::mem::size_of::<FilterData>();

impl FilterData {
    /// A filter of `scale` with the built-in kernel (`lanczos5`) or `func` over
    /// `[-kernel_width, kernel_width]`.
    pub fn new(
        scale: f32,
        func: Option<KernelFunc>,
        kernel_width: f32,
        user_data: *mut c_void,
        lanczos5: bool,
    ) -> Result<FilterData> {
        if !scale.is_finite() || scale == 0.0 {
            return Err(Error::InvalidParameter("scale must be finite and non-zero"));
        }
        let kernel_width = match func {
            None => {
                if lanczos5 {
                    5.0
                } else {
                    3.0
                }
            }
            Some(_) => {
                if !(kernel_width.is_finite() && kernel_width > 0.0) {
                    return Err(Error::InvalidParameter(
                        "kernelWidth must be finite and positive",
                    ));
                }
                kernel_width as f64
            }
        };
        Ok(FilterData {
            magic: MAGIC,
            scale: scale as f64,
            kernel_width,
            func,
            user_data,
            lanczos5,
        })
    }

    /// Reads a filter made by this library.
    ///
    /// # Safety
    /// `p` is NULL or points to `FILTER_SIZE` readable bytes.
    pub unsafe fn read(p: *const c_void) -> Result<FilterData> {
        if p.is_null() {
            return Err(Error::NullPointer("filter"));
        }
        // SAFETY: the caller's contract; any alignment.
        let magic = unsafe { p.cast::<u64>().read_unaligned() };
        if magic != MAGIC {
            return Err(Error::InvalidParameter(
                "not a ResamplingFilter made by vImage",
            ));
        }
        // SAFETY: as above; the magic says it was written as a FilterData.
        Ok(unsafe { p.cast::<FilterData>().read_unaligned() })
    }

    /// Writes the filter at `p`.
    ///
    /// # Safety
    /// `p` points to `FILTER_SIZE` writable bytes.
    pub unsafe fn write(self, p: *mut c_void) {
        // SAFETY: the caller's contract; any alignment.
        unsafe { p.cast::<FilterData>().write_unaligned(self) }
    }

    /// Source pixels the kernel spans on either side of a sample (widened when shrinking).
    pub fn support(&self) -> f64 {
        self.kernel_width / self.scale.abs().min(1.0)
    }

    /// `vImageGetResamplingFilterExtent`: the furthest source pixel a sample can read.
    pub fn extent(&self) -> usize {
        self.support().ceil() as usize
    }

    /// Weights of the source samples within reach of the position `centre` (source pixel
    /// units): for every integer `i` with `|i - centre| <= support`, `x = (i - centre) *
    /// min(|scale|, 1)` (the kernel's own units, in `[-kernel_width, kernel_width]`) goes to
    /// the kernel. The built-in kernel is normalised to sum 1; a user kernel's values are used
    /// as it returns them (Apple leaves normalisation to the kernel function). Returns the
    /// first index (may be negative); the weights are left in `s.w`.
    pub fn weights(&self, centre: f64, s: &mut Scratch) -> i64 {
        let shrink = self.scale.abs().min(1.0);
        let support = self.support();
        let lo = (centre - support).ceil() as i64;
        let hi = (centre + support).floor() as i64;
        s.w.clear();
        match self.func {
            None => {
                let k = if self.lanczos5 {
                    Lanczos::Five
                } else {
                    Lanczos::Three
                };
                s.w.extend((lo..=hi).map(|i| k.weight((i as f64 - centre) * shrink)));
                let sum: f64 = s.w.iter().sum();
                if sum != 0.0 {
                    s.w.iter_mut().for_each(|v| *v /= sum);
                }
            }
            Some(f) => {
                s.xs.clear();
                s.xs.extend((lo..=hi).map(|i| ((i as f64 - centre) * shrink) as f32));
                let n = s.xs.len();
                s.ys.clear();
                s.ys.resize(n, 0.0);
                if n > 0 {
                    // SAFETY: the kernel function and its userData are valid for the filter's
                    // lifetime (Apple's contract); both arrays hold `n` floats.
                    unsafe { f(s.xs.as_ptr(), s.ys.as_mut_ptr(), n as _, self.user_data) };
                }
                s.w.extend(s.ys.iter().map(|&v| v as f64));
            }
        }
        lo
    }
}

/// Reusable buffers of [`FilterData::weights`].
#[derive(Default)]
pub struct Scratch {
    xs: Vec<f32>,
    ys: Vec<f32>,
    /// The weights of the last call.
    pub w: Vec<f64>,
}

// SAFETY: the filter is plain data; its user pointer is only handed back to the user's kernel
// function, which Apple requires to be callable while the filter lives.
unsafe impl Send for FilterData {}
// SAFETY: as above.
unsafe impl Sync for FilterData {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_sum_to_one_and_stay_inside() {
        for (n_in, n_out) in [
            (1, 1),
            (1, 5),
            (5, 1),
            (7, 3),
            (3, 7),
            (10, 10),
            (100, 33),
            (33, 100),
        ] {
            for k in [Lanczos::Three, Lanczos::Five] {
                let t = Table::scale(n_in, n_out, k);
                assert_eq!(t.start.len(), n_out);
                for o in 0..n_out {
                    assert!(t.start[o] as usize + t.taps <= n_in);
                    let s: i32 = t.wi[o * t.taps..][..t.taps].iter().map(|&v| v as i32).sum();
                    assert_eq!(s, 1 << WEIGHT_BITS, "{n_in}->{n_out} o={o}");
                    let f: f32 = t.wf[o * t.taps..][..t.taps].iter().sum();
                    assert!((f - 1.0).abs() < 1e-5);
                }
            }
        }
    }

    #[test]
    fn user_kernel_sees_its_own_units() {
        let f = FilterData::new(0.5, None, 0.0, std::ptr::null_mut(), false).unwrap();
        assert_eq!(f.support(), 6.0);
        assert_eq!(f.extent(), 6);
        let mut s = Scratch::default();
        let lo = f.weights(10.25, &mut s);
        assert_eq!(lo, 5);
        assert_eq!(s.w.len(), 12);
        assert!((s.w.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    }
}
