//! Exact 8-bit gray <-> RGB model changes through lookup tables.
//!
//! The reference converts through linear light in f64: gray (gamma 2.2) -> linear -> sRGB, and
//! RGB -> `0.2126 R + 0.7152 G + 0.0722 B` of the linear values -> gamma 1/2.2. With 8-bit
//! inputs both directions are functions of a few bytes:
//!
//! * gray -> RGB is a 256-entry byte table, built by calling the reference itself;
//! * RGB -> gray: `y = W_r[r] + W_g[g] + W_b[b]` with the reference's own f64 products (same
//!   operations, same order, so `y` is bit-identical), then the reference's final step
//!   `quantize(y^(1/2.2), 255)` is a step function of `y`: its 255 thresholds are found by
//!   bisection over f64 bit patterns, and a table indexed by the exponent and top 8 mantissa
//!   bits of `y` gives the value at the start of each bucket; one comparison with the next
//!   threshold finishes. Every bucket holds at most one threshold (checked when building).
//!
//! `tests::rgb_to_gray_is_exact_for_every_triple` checks all 2^24 inputs against the
//! reference (ignored by default; a sampled version always runs).

use std::sync::OnceLock;

use crate::convert::layout::{Alpha, Layout, Packing, Sample};
use crate::convert::reference::{self, Num, Pixel, quantize};
use crate::format::ColorModel;

/// A `Samples` 8-bit layout of `model` with no alpha (for asking the reference).
fn plain8(model: ColorModel) -> Layout {
    Layout {
        model: Some(model),
        alpha: Alpha::None,
        alpha_first: false,
        sample: Sample::Uint(8),
        packing: Packing::Samples,
        little_endian: false,
        swap_pixel: false,
        byte_order_unit: None,
        bits_per_pixel: 8 * model.components(),
    }
}

fn value(n: Num) -> u8 {
    match n {
        Num::Int(v, _) => v as u8,
        Num::Real(_) => unreachable!("8-bit destinations hold integers"),
    }
}

/// Gray byte -> the sRGB byte of each colour channel.
pub(super) fn gray_to_rgb_table() -> &'static [u8; 256] {
    static TABLE: OnceLock<[u8; 256]> = OnceLock::new();
    TABLE.get_or_init(|| {
        let (gray, rgb) = (plain8(ColorModel::Gray), plain8(ColorModel::Rgb));
        std::array::from_fn(|g| {
            let px = Pixel {
                colour: [Num::Int(g as u32, 255); 4],
                alpha: Num::Int(255, 255),
            };
            value(reference::convert_pixel(&gray, &rgb, &[0.0; 4], px).colour[0])
        })
    })
}

pub(super) fn gray_to_rgb_bytes(src: &[u8], dst: &mut [u8]) {
    let t = gray_to_rgb_table();
    for (d, &s) in dst.iter_mut().zip(src) {
        *d = t[s as usize];
    }
}

// ---- RGB -> gray ---------------------------------------------------------------------------------

/// The reference's sRGB decoding (`reference::srgb_to_linear`), operation for operation.
fn srgb_to_linear(v: f64) -> f64 {
    if v <= 0.04045 {
        v / 12.92
    } else {
        ((v + 0.055) / 1.055).powf(2.4)
    }
}

/// The reference's last step for an RGB -> gray destination channel.
fn gray_of_luminance(y: f64) -> u8 {
    quantize(y.max(0.0).powf(1.0 / 2.2), 255) as u8
}

/// Mantissa bits of `y` that index the bucket table, below the exponent.
const BUCKET_MANTISSA_BITS: u32 = 8;
const BUCKET_SHIFT: u32 = 52 - BUCKET_MANTISSA_BITS;
/// Bucket 1 starts at 2^-22 (bucket 0 holds everything below it, which is below the first
/// threshold, about 1.1e-6); the last bucket starts at 2.0 and takes everything above.
const BUCKET_BASE: u64 = f64::from_bits((1023 - 22) << 52).to_bits() >> BUCKET_SHIFT;
const BUCKETS: usize = ((2.0f64.to_bits() >> BUCKET_SHIFT) - BUCKET_BASE + 1) as usize;

pub(crate) struct RgbToGrayTables {
    /// `weight * srgb_to_linear(v / 255)` for R, G and B, as the reference computes them.
    weighted: [[f64; 256]; 3],
    /// `threshold[k]`: the least `y` whose gray is at least `k` (`threshold[256]` = infinity).
    threshold: [f64; 257],
    /// The gray at the start of each bucket of `y`.
    bucket: [u8; BUCKETS],
}

impl RgbToGrayTables {
    /// `None` if some bucket would hold two thresholds (the kernel is then not used).
    fn build() -> Option<Box<RgbToGrayTables>> {
        const WEIGHTS: [f64; 3] = [0.2126, 0.7152, 0.0722];
        let weighted =
            WEIGHTS.map(|w| std::array::from_fn(|v| w * srgb_to_linear(v as f64 / 255.0)));
        let mut threshold = [f64::INFINITY; 257];
        threshold[0] = 0.0;
        let top = 2.0f64.to_bits();
        debug_assert_eq!(gray_of_luminance(2.0), 255);
        for (k, t) in threshold.iter_mut().enumerate().take(256).skip(1) {
            // Least bit pattern whose gray is >= k (the function is non-decreasing in y; the
            // exhaustive test confirms it wherever an input lands).
            let (mut lo, mut hi) = (0u64, top);
            while hi - lo > 1 {
                let mid = lo + (hi - lo) / 2;
                if u32::from(gray_of_luminance(f64::from_bits(mid))) >= k as u32 {
                    hi = mid;
                } else {
                    lo = mid;
                }
            }
            *t = f64::from_bits(hi);
        }
        let start = |i: usize| -> f64 {
            if i == 0 {
                0.0
            } else {
                f64::from_bits((BUCKET_BASE + i as u64) << BUCKET_SHIFT)
            }
        };
        let mut ok = threshold[1] > start(1);
        let bucket = std::array::from_fn(|i| {
            let s = start(i);
            let k = threshold[1..256].iter().filter(|&&t| t <= s).count();
            // At most one threshold inside the bucket: the next but one lies beyond it.
            if i + 1 < BUCKETS {
                ok &= threshold.get(k + 2).is_none_or(|&t| t >= start(i + 1));
            }
            k as u8
        });
        ok.then(|| {
            Box::new(RgbToGrayTables {
                weighted,
                threshold,
                bucket,
            })
        })
    }

    /// The reference's gray for a luminance `y` in [0, 2) (or above: 255).
    #[inline(always)]
    pub fn gray(&self, y: f64) -> u8 {
        let i =
            ((y.to_bits() >> BUCKET_SHIFT).saturating_sub(BUCKET_BASE) as usize).min(BUCKETS - 1);
        let k = self.bucket[i];
        k + u8::from(y >= self.threshold[k as usize + 1])
    }

    /// Exactly the reference's luminance for an 8-bit R, G, B.
    #[inline(always)]
    pub fn luminance(&self, r: u8, g: u8, b: u8) -> f64 {
        self.weighted[0][r as usize] + self.weighted[1][g as usize] + self.weighted[2][b as usize]
    }
}

/// The tables, built on first use (about a millisecond); `None` if they cannot be exact.
pub(crate) fn rgb_to_gray_tables() -> Option<&'static RgbToGrayTables> {
    static TABLES: OnceLock<Option<Box<RgbToGrayTables>>> = OnceLock::new();
    TABLES.get_or_init(RgbToGrayTables::build).as_deref()
}

/// `n` pixels of `samples` bytes with R, G, B at `rgb` -> a gray byte each, followed by the
/// alpha byte when `alpha` is given.
pub(super) fn rgb_to_gray(
    rgb: [u8; 3],
    alpha: Option<u8>,
    samples: usize,
    src: &[u8],
    dst: &mut [u8],
    n: usize,
) {
    let t = rgb_to_gray_tables().expect("planned only when the tables exist");
    let rgb = rgb.map(usize::from);
    let src = &src[..n * samples];
    match (samples, alpha) {
        (3, None) => rgb_to_gray_n::<3, false>(t, rgb, 0, src, &mut dst[..n]),
        (4, None) => rgb_to_gray_n::<4, false>(t, rgb, 0, src, &mut dst[..n]),
        (4, Some(a)) => rgb_to_gray_n::<4, true>(t, rgb, a.into(), src, &mut dst[..2 * n]),
        _ => unreachable!("8-bit RGB pixels have 3 or 4 bytes, alpha only with 4"),
    }
}

/// `N`-byte pixels -> a gray byte each (and the alpha byte after it when `ALPHA`).
#[inline(always)]
fn rgb_to_gray_n<const N: usize, const ALPHA: bool>(
    t: &RgbToGrayTables,
    [r, g, b]: [usize; 3],
    a: usize,
    src: &[u8],
    dst: &mut [u8],
) {
    let out = if ALPHA { 2 } else { 1 };
    for (d, s) in dst.chunks_exact_mut(out).zip(src.chunks_exact(N)) {
        let s: &[u8; N] = s.try_into().expect("chunk of N bytes");
        // Positions are below N: the remainders only tell the compiler so.
        d[0] = t.gray(t.luminance(s[r % N], s[g % N], s[b % N]));
        if ALPHA {
            d[1] = s[a % N];
        }
    }
}
