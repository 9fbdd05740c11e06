//! Row kernels of the depth family (Conversion.h §1.3): element conversions between 8-bit,
//! 16-bit (unsigned, signed, 16Q12, half) and 32-bit float samples, and the 12-bit packed
//! format.
//!
//! Every kernel is a safe loop over `chunks_exact` of byte rows (elements are not aligned and
//! are read with `from_ne_bytes`), written so that LLVM vectorizes it. The arithmetic-heavy
//! ones are compiled twice by [`multiversion!`]: once for the baseline and once with AVX2
//! enabled, picked at run time. Both copies are the same source, so they give the same bits
//! (Rust never contracts `a * b + c` into an FMA). Half-float conversions use F16C when the CPU
//! has it (exact IEEE conversions, checked against the scalar code for every input in the
//! tests).
//!
//! Kernels that the conversion engine already has are reused from [`super`], not copied:
//! 16 -> 8-bit narrowing (`narrow16`), 8-bit -> float `v / 255` (`encode_f32`), 8-bit <->
//! half (`encode_half` / `quant_half`) and every byte permute / fill ([`super::Kernel::byte_map`]).

// `x.max(lo).min(hi)` is deliberate: unlike `clamp`, it maps NaN to `lo` (and vectorizes).
#![allow(clippy::manual_clamp)]

use super::{Level, scalar};
use crate::convert::reference::{f64_to_half, half_to_f32};

/// Whether this build and CPU may run the AVX2 copy of a kernel.
#[inline]
fn avx2() -> bool {
    Level::detect() >= Level::Avx2
}

/// Defines `pub fn $name(args)`: an `#[inline(always)]` body compiled once plainly and once
/// inside an `avx2` target-feature function, the latter chosen when the CPU has AVX2.
macro_rules! multiversion {
    ($(#[$meta:meta])* pub fn $name:ident($($arg:ident: $ty:ty),* $(,)?) $body:block) => {
        $(#[$meta])*
        pub fn $name($($arg: $ty),*) {
            #[inline(always)]
            fn body($($arg: $ty),*) $body
            #[cfg(target_arch = "x86_64")]
            #[target_feature(enable = "avx2")]
            fn with_avx2($($arg: $ty),*) {
                body($($arg),*)
            }
            #[cfg(target_arch = "x86_64")]
            if avx2() {
                // SAFETY: avx2() checked that the CPU has AVX2.
                return unsafe { with_avx2($($arg),*) };
            }
            body($($arg),*)
        }
    };
}

const MAGIC: f32 = 12_582_912.0; // 1.5 * 2^23

/// Round to nearest, ties to even, of `v` in `[-2^22, 2^22]` (default rounding mode): the
/// addition leaves no fraction bits, the subtraction is exact.
#[inline(always)]
fn rint(v: f32) -> f32 {
    (v + MAGIC) - MAGIC
}

#[inline(always)]
fn rd_f32(s: &[u8]) -> f32 {
    f32::from_ne_bytes([s[0], s[1], s[2], s[3]])
}

#[inline(always)]
fn rd_u16(s: &[u8]) -> u16 {
    u16::from_ne_bytes([s[0], s[1]])
}

// ---- 8-bit <-> float ----------------------------------------------------------------------------

/// `Planar8toPlanarF`'s value of every byte, with C's evaluation of Apple's formula
/// `(maxFloat - minFloat) * (float) p / 255.0 + minFloat`: the product in float, the division
/// and the addition in double (`255.0` is a double constant), rounded once to float.
pub fn planar8_to_f_table(max: f32, min: f32) -> [f32; 256] {
    std::array::from_fn(|p| {
        let prod = (max - min) * p as f32;
        (f64::from(prod) / 255.0 + f64::from(min)) as f32
    })
}

/// Bytes -> floats through a 256-entry table.
pub fn lut8_to_f32(table: &[f32; 256], src: &[u8], dst: &mut [u8]) {
    for (d, &s) in dst.chunks_exact_mut(4).zip(src) {
        d.copy_from_slice(&table[s as usize].to_ne_bytes());
    }
}

/// Bytes -> `v / 255` as float (the engine's SIMD kernel; equal to
/// `planar8_to_f_table(1.0, 0.0)`).
pub fn u8_to_unit_f32(src: &[u8], dst: &mut [u8]) {
    super::encode_f32(Level::detect(), cfg!(target_endian = "little"), src, dst);
}

/// `PlanarFtoPlanar8`'s value of one float: `255 * (x - min) / range + 0.5` in float,
/// clipped to `[0, 255]` (NaN -> 0) and truncated.
#[inline(always)]
fn half_up8(x: f32, min: f32, range: f32) -> u32 {
    let v = 255.0f32 * (x - min) / range + 0.5f32;
    // Selects (maxps / minps): a NaN `v` fails the comparison and becomes 0.
    let v = if v > 0.0 { v } else { 0.0 };
    let v = if v < 255.0 { v } else { 255.0 };
    // SAFETY: v is a number in [0, 255], so the truncation is in range of i32.
    (unsafe { v.to_int_unchecked::<i32>() }) as u32
}

/// `PlanarFtoPlanar8`: `SATURATED_CLIP_0_to_255(255.0f * (x - min) / (max - min) + 0.5f)`
/// truncated, all in float; NaN -> 0.
pub fn f32_to_u8_half_up(src: &[u8], dst: &mut [u8], max: f32, min: f32) {
    let range = max - min;
    let n = dst.len().min(src.len() / 4);
    let mut done = 0;
    #[cfg(target_arch = "x86_64")]
    if avx2() {
        // SAFETY: avx2() checked that the CPU has AVX2.
        done = unsafe { x86_avx2::half_up8(&src[..4 * n], &mut dst[..n], min, range) };
    }
    for (d, s) in dst[done..n].iter_mut().zip(src[4 * done..].chunks_exact(4)) {
        *d = half_up8(rd_f32(s), min, range) as u8;
    }
}

/// `PlanarFToARGB8888`'s per-channel arithmetic: `lrintf(clamp(x, min, max) * k + b)` with
/// `k = 255 / (max - min)`, `b = -min * k`; max == min gives the constant
/// `lrintf(clip(255 * max))`; NaN -> 0.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rint8 {
    lo: f32,
    hi: f32,
    k: f32,
    b: f32,
    /// The result for a NaN sample: 0, or the constant of a constant channel.
    nan: u32,
    constant: Option<u8>,
}

impl Rint8 {
    pub fn new(max: f32, min: f32) -> Rint8 {
        let constant = (max == min).then(|| {
            let v = 255.0f32 * max;
            if v.is_nan() {
                0
            } else {
                v.clamp(0.0, 255.0).round_ties_even() as u8
            }
        });
        if let Some(c) = constant {
            return Rint8::constant(c);
        }
        let k = 255.0f32 / (max - min);
        Rint8 {
            // max < min is allowed: clamp to the interval between them.
            lo: min.min(max),
            hi: max.max(min),
            k,
            b: -min * k,
            nan: 0,
            constant,
        }
    }

    /// The byte `c` whatever the sample (NaN included): `clamp(x, c, c) * 1 + 0`.
    pub fn constant(c: u8) -> Rint8 {
        let f = f32::from(c);
        Rint8 {
            lo: f,
            hi: f,
            k: 1.0,
            b: 0.0,
            nan: u32::from(c),
            constant: Some(c),
        }
    }

    /// Branch-free (selects, so it vectorizes) and equal to
    /// `if x.is_nan() { nan } else { rint(clip(clamp(x, lo, hi) * k + b, 0, 255)) }` with
    /// f32::max / f32::min clamps: a select may pick the other zero of `±0`, which only
    /// changes the sign of a zero before the rounding to an integer; a NaN parameter makes
    /// `k` (or `b`) NaN and the result 0 either way.
    #[inline(always)]
    fn one(&self, x: f32) -> u32 {
        let c = if x > self.lo { x } else { self.lo };
        let c = if c < self.hi { c } else { self.hi };
        let v = c * self.k + self.b;
        let v = if v > 0.0 { v } else { 0.0 };
        let v = if v < 255.0 { v } else { 255.0 };
        // v + MAGIC has no fraction bits (ties to even): its low mantissa bits are rint(v).
        let r = (v + MAGIC).to_bits().wrapping_sub(MAGIC.to_bits());
        if x.is_nan() { self.nan } else { r }
    }
}

multiversion! {
    /// One float plane -> channel `channel` of `bpp`-byte pixels (`bpp` 1 for a plane).
    pub fn f32_to_u8_rint(src: &[u8], dst: &mut [u8], bpp: usize, channel: usize, r: &Rint8) {
        if let Some(c) = r.constant {
            for d in dst.chunks_exact_mut(bpp) {
                d[channel] = c;
            }
            return;
        }
        let r = *r;
        if bpp == 1 {
            for (d, s) in dst.iter_mut().zip(src.chunks_exact(4)) {
                *d = r.one(rd_f32(s)) as u8;
            }
        } else {
            for (d, s) in dst.chunks_exact_mut(bpp).zip(src.chunks_exact(4)) {
                d[channel] = r.one(rd_f32(s)) as u8;
            }
        }
    }
}

/// Four float planes -> four-byte pixels, byte `c` of a pixel being plane `c` through `r[c]`
/// (a [`Rint8::constant`] ignores its plane, which may be any readable row).
pub fn f32x4_to_8888_rint(s: [&[u8]; 4], dst: &mut [u8], r: &[Rint8; 4]) {
    let n = s.iter().fold(dst.len() / 4, |n, p| n.min(p.len() / 4));
    let mut done = 0;
    #[cfg(target_arch = "x86_64")]
    if avx2() {
        let s = s.map(|p| &p[..4 * n]);
        // SAFETY: avx2() checked that the CPU has AVX2.
        done = unsafe { x86_avx2::rint8x4(s, &mut dst[..4 * n], r) };
    }
    for i in done..n {
        let at = 4 * i;
        let p = r[0].one(rd_f32(&s[0][at..]))
            | (r[1].one(rd_f32(&s[1][at..])) << 8)
            | (r[2].one(rd_f32(&s[2][at..])) << 16)
            | (r[3].one(rd_f32(&s[3][at..])) << 24);
        dst[at..at + 4].copy_from_slice(&p.to_le_bytes());
    }
}

/// AVX2 forms of the float -> 8-bit conversions: the same float operations in the same
/// order, one instruction each (`maxps` / `minps` are exactly the selects of the scalar code,
/// `x > lo ? x : lo`, NaN in the first operand giving the second).
#[cfg(target_arch = "x86_64")]
mod x86_avx2 {
    use std::arch::x86_64::*;

    use super::{MAGIC, Rint8};

    /// `half_up8` on whole groups of 32 samples; returns how many it did.
    #[target_feature(enable = "avx2")]
    pub(super) fn half_up8(src: &[u8], dst: &mut [u8], min: f32, range: f32) -> usize {
        let n = (src.len() / 4).min(dst.len()) / 32 * 32;
        let (vmin, vrange) = (_mm256_set1_ps(min), _mm256_set1_ps(range));
        let (k255, half, zero) = (
            _mm256_set1_ps(255.0),
            _mm256_set1_ps(0.5),
            _mm256_setzero_ps(),
        );
        let order = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
        // A power-of-two range has an exact reciprocal: then `y / range` and `y * (1 / range)`
        // are both the rounding of the same real number, so they are equal for every y.
        let pow2 = range.is_normal() && range.to_bits() & 0x7f_ffff == 0;
        let vinv = _mm256_set1_ps(1.0 / range);
        let one = |p: *const u8| {
            // SAFETY: the caller passes a pointer to 32 readable bytes.
            let x = unsafe { _mm256_loadu_ps(p.cast()) };
            let y = _mm256_mul_ps(k255, _mm256_sub_ps(x, vmin));
            let q = if pow2 {
                _mm256_mul_ps(y, vinv)
            } else {
                _mm256_div_ps(y, vrange)
            };
            let v = _mm256_add_ps(q, half);
            _mm256_cvttps_epi32(_mm256_min_ps(_mm256_max_ps(v, zero), k255))
        };
        for (s, d) in src[..4 * n]
            .chunks_exact(128)
            .zip(dst[..n].chunks_exact_mut(32))
        {
            let p = s.as_ptr();
            // SAFETY: s holds 128 readable bytes (four groups of 32), d 32 writable ones.
            unsafe {
                let lo = _mm256_packs_epi32(one(p), one(p.add(32)));
                let hi = _mm256_packs_epi32(one(p.add(64)), one(p.add(96)));
                let b = _mm256_permutevar8x32_epi32(_mm256_packus_epi16(lo, hi), order);
                _mm256_storeu_si256(d.as_mut_ptr().cast(), b);
            }
        }
        n
    }

    /// Rint8::one on 8 samples at `p` (32 readable bytes), as 32-bit lanes.
    #[inline]
    #[target_feature(enable = "avx2")]
    fn rint8(p: *const u8, r: &Rint8) -> __m256i {
        // SAFETY: the caller passes a pointer to 32 readable bytes.
        let x = unsafe { _mm256_loadu_ps(p.cast()) };
        let c = _mm256_min_ps(_mm256_max_ps(x, _mm256_set1_ps(r.lo)), _mm256_set1_ps(r.hi));
        let v = _mm256_add_ps(_mm256_mul_ps(c, _mm256_set1_ps(r.k)), _mm256_set1_ps(r.b));
        let v = _mm256_min_ps(_mm256_max_ps(v, _mm256_setzero_ps()), _mm256_set1_ps(255.0));
        let m = _mm256_set1_epi32(MAGIC.to_bits() as i32);
        let q = _mm256_sub_epi32(
            _mm256_castps_si256(_mm256_add_ps(v, _mm256_set1_ps(MAGIC))),
            m,
        );
        let nan = _mm256_castps_si256(_mm256_cmp_ps::<_CMP_UNORD_Q>(x, x));
        _mm256_blendv_epi8(q, _mm256_set1_epi32(r.nan as i32), nan)
    }

    /// `f32x4_to_8888_rint` on whole groups of 8 pixels; returns how many it did.
    #[target_feature(enable = "avx2")]
    pub(super) fn rint8x4(s: [&[u8]; 4], dst: &mut [u8], r: &[Rint8; 4]) -> usize {
        let n = s.iter().fold(dst.len() / 4, |n, p| n.min(p.len() / 4)) / 8 * 8;
        let rows = dst[..4 * n]
            .chunks_exact_mut(32)
            .zip(s[0][..4 * n].chunks_exact(32))
            .zip(s[1][..4 * n].chunks_exact(32))
            .zip(s[2][..4 * n].chunks_exact(32))
            .zip(s[3][..4 * n].chunks_exact(32));
        for ((((d, a), b), c), e) in rows {
            let v0 = rint8(a.as_ptr(), &r[0]);
            let v1 = _mm256_slli_epi32::<8>(rint8(b.as_ptr(), &r[1]));
            let v2 = _mm256_slli_epi32::<16>(rint8(c.as_ptr(), &r[2]));
            let v3 = _mm256_slli_epi32::<24>(rint8(e.as_ptr(), &r[3]));
            let px = _mm256_or_si256(_mm256_or_si256(v0, v1), _mm256_or_si256(v2, v3));
            // SAFETY: d is 32 writable bytes (unaligned store); a, b, c, e are 32 bytes each.
            unsafe { _mm256_storeu_si256(d.as_mut_ptr().cast(), px) };
        }
        n
    }
}

multiversion! {
    /// Float pixels of `bpp` floats -> one byte plane of float channel `channel`.
    pub fn f32_channel_to_u8_rint(src: &[u8], dst: &mut [u8], bpp: usize, channel: usize, r: &Rint8) {
        if let Some(c) = r.constant {
            dst.fill(c);
            return;
        }
        let r = *r;
        for (d, s) in dst.iter_mut().zip(src.chunks_exact(4 * bpp)) {
            *d = r.one(rd_f32(&s[4 * channel..])) as u8;
        }
    }
}

/// Channel `channel` of `bpp`-byte pixels -> floats through a table.
pub fn lut8_channel_to_f32(
    table: &[f32; 256],
    src: &[u8],
    dst: &mut [u8],
    bpp: usize,
    channel: usize,
) {
    for (d, s) in dst.chunks_exact_mut(4).zip(src.chunks_exact(bpp)) {
        d.copy_from_slice(&table[s[channel] as usize].to_ne_bytes());
    }
}

/// A byte plane through a table into float channel `channel` of `bpp`-float pixels, or the
/// constant `fill` when `src` is `None`.
pub fn lut8_to_f32_channel(
    table: &[f32; 256],
    src: Option<&[u8]>,
    fill: f32,
    dst: &mut [u8],
    bpp: usize,
    channel: usize,
) {
    let at = 4 * channel;
    match src {
        Some(src) => {
            for (d, &s) in dst.chunks_exact_mut(4 * bpp).zip(src) {
                d[at..at + 4].copy_from_slice(&table[s as usize].to_ne_bytes());
            }
        }
        None => {
            for d in dst.chunks_exact_mut(4 * bpp) {
                d[at..at + 4].copy_from_slice(&fill.to_ne_bytes());
            }
        }
    }
}

// ---- 16-bit integers <-> float -----------------------------------------------------------------

multiversion! {
    /// `16UToF`: `(float) p * scale + offset`, two float roundings.
    pub fn u16_to_f32(src: &[u8], dst: &mut [u8], offset: f32, scale: f32) {
        for (d, s) in dst.chunks_exact_mut(4).zip(src.chunks_exact(2)) {
            let v = f32::from(rd_u16(s)) * scale + offset;
            d.copy_from_slice(&v.to_ne_bytes());
        }
    }
}

multiversion! {
    /// `16SToF`: `(float) p * scale + offset`.
    pub fn i16_to_f32(src: &[u8], dst: &mut [u8], offset: f32, scale: f32) {
        for (d, s) in dst.chunks_exact_mut(4).zip(src.chunks_exact(2)) {
            let v = f32::from(i16::from_ne_bytes([s[0], s[1]])) * scale + offset;
            d.copy_from_slice(&v.to_ne_bytes());
        }
    }
}

multiversion! {
    /// `FTo16U`: `SATURATED_CLIP_0_to_USHRT_MAX((x - offset) / scale + 0.5f)` truncated; NaN -> 0.
    pub fn f32_to_u16(src: &[u8], dst: &mut [u8], offset: f32, scale: f32) {
        for (d, s) in dst.chunks_exact_mut(2).zip(src.chunks_exact(4)) {
            let v = (rd_f32(s) - offset) / scale + 0.5f32;
            let r = v.max(0.0).min(65535.0) as u16;
            d.copy_from_slice(&r.to_ne_bytes());
        }
    }
}

multiversion! {
    /// `FTo16S`: `floor(clamp((x - offset) / scale + 0.5f, -32768, 32767))` (round half up, for
    /// negative values too); NaN -> 0.
    pub fn f32_to_i16(src: &[u8], dst: &mut [u8], offset: f32, scale: f32) {
        for (d, s) in dst.chunks_exact_mut(2).zip(src.chunks_exact(4)) {
            let v = (rd_f32(s) - offset) / scale + 0.5f32;
            let c = v.max(-32768.0).min(32767.0);
            let t = c as i32; // towards zero
            let f = t - i32::from((t as f32) > c); // floor
            let r = if v.is_nan() { 0 } else { f as i16 };
            d.copy_from_slice(&r.to_ne_bytes());
        }
    }
}

/// 16-bit samples -> bytes, `(v * 255 + 32767) / 65535` (the engine's SIMD narrowing).
pub fn u16_to_u8(src: &[u8], dst: &mut [u8], n: usize) {
    let le = cfg!(target_endian = "little");
    let done = super::simd_narrow16(Level::detect(), le, &src[..2 * n], &mut dst[..n], n);
    scalar::narrow16(le, &src[2 * done..2 * n], &mut dst[done..n]);
}

// ---- half floats -------------------------------------------------------------------------------

/// binary32 -> binary16 bits, rounded to nearest even; NaN keeps the top payload bits and is
/// quieted (what F16C's `vcvtps2ph` does).
#[inline]
pub fn f32_to_half(x: f32) -> u16 {
    if x.is_nan() {
        let b = x.to_bits();
        return ((b >> 16) & 0x8000) as u16 | 0x7e00 | ((b >> 13) & 0x3ff) as u16;
    }
    f64_to_half(f64::from(x))
}

#[cfg(target_arch = "x86_64")]
fn f16c() -> bool {
    static HAS: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *HAS.get_or_init(|| is_x86_feature_detected!("f16c") && is_x86_feature_detected!("avx"))
}

/// Halves -> floats, exactly (NaNs quieted, payload kept).
pub fn half_to_f32_row(src: &[u8], dst: &mut [u8]) {
    let mut done = 0;
    #[cfg(target_arch = "x86_64")]
    if f16c() {
        // SAFETY: f16c() checked that the CPU has F16C and AVX.
        done = unsafe { x86_f16c::half_to_f32(src, dst) };
    }
    for (d, s) in dst[4 * done..]
        .chunks_exact_mut(4)
        .zip(src[2 * done..].chunks_exact(2))
    {
        d.copy_from_slice(&half_to_f32(rd_u16(s)).to_ne_bytes());
    }
}

/// Floats -> halves, round to nearest even (NaNs quieted, top payload kept).
pub fn f32_to_half_row(src: &[u8], dst: &mut [u8]) {
    let mut done = 0;
    #[cfg(target_arch = "x86_64")]
    if f16c() {
        // SAFETY: f16c() checked that the CPU has F16C and AVX.
        done = unsafe { x86_f16c::f32_to_half(src, dst) };
    }
    for (d, s) in dst[2 * done..]
        .chunks_exact_mut(2)
        .zip(src[4 * done..].chunks_exact(4))
    {
        d.copy_from_slice(&f32_to_half(rd_f32(s)).to_ne_bytes());
    }
}

#[cfg(target_arch = "x86_64")]
mod x86_f16c {
    use std::arch::x86_64::*;

    /// Converts whole groups of 8 samples; returns how many samples it did.
    #[target_feature(enable = "f16c,avx")]
    pub(super) fn half_to_f32(src: &[u8], dst: &mut [u8]) -> usize {
        let n = (src.len() / 2).min(dst.len() / 4) / 8 * 8;
        for (s, d) in src[..2 * n]
            .chunks_exact(16)
            .zip(dst[..4 * n].chunks_exact_mut(32))
        {
            // SAFETY: s holds 16 readable bytes and d 32 writable bytes; unaligned loads/stores.
            unsafe {
                let h = _mm_loadu_si128(s.as_ptr().cast());
                _mm256_storeu_ps(d.as_mut_ptr().cast(), _mm256_cvtph_ps(h));
            }
        }
        n
    }

    #[target_feature(enable = "f16c,avx")]
    pub(super) fn f32_to_half(src: &[u8], dst: &mut [u8]) -> usize {
        let n = (src.len() / 4).min(dst.len() / 2) / 8 * 8;
        for (s, d) in src[..4 * n]
            .chunks_exact(32)
            .zip(dst[..2 * n].chunks_exact_mut(16))
        {
            // SAFETY: s holds 32 readable bytes and d 16 writable bytes; unaligned loads/stores.
            // Rounding immediate 0: round to nearest even, whatever MXCSR says.
            unsafe {
                let f = _mm256_loadu_ps(s.as_ptr().cast());
                let h = _mm256_cvtps_ph::<_MM_FROUND_TO_NEAREST_INT>(f);
                _mm_storeu_si128(d.as_mut_ptr().cast(), h);
            }
        }
        n
    }
}

/// Bytes -> `p / 255` as half (the engine's exact table).
pub fn u8_to_half(src: &[u8], dst: &mut [u8]) {
    super::half::encode(Level::detect(), cfg!(target_endian = "little"), src, dst);
}

/// Halves -> `round_ties_even(clamp(255 * h, 0, 255))`, NaN -> 0 (the engine's exact table).
pub fn half_to_u8(src: &[u8], dst: &mut [u8]) {
    super::half::quant(Level::detect(), cfg!(target_endian = "little"), src, dst);
}

/// `16Uto16F`: `v / 65535` rounded to the nearest half (ties to even), for every `v`.
fn u16_to_half_table() -> &'static [u16; 65536] {
    static TABLE: std::sync::OnceLock<Box<[u16; 65536]>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = Box::new([0u16; 65536]);
        for (v, h) in t.iter_mut().enumerate() {
            *h = f64_to_half(v as f64 / 65535.0);
        }
        t
    })
}

/// `16Fto16U`: `round_ties_even(clamp(65535 * h, 0, 65535))`, NaN -> 0, for every half.
fn half_to_u16_table() -> &'static [u16; 65536] {
    static TABLE: std::sync::OnceLock<Box<[u16; 65536]>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = Box::new([0u16; 65536]);
        for (h, v) in t.iter_mut().enumerate() {
            let x = f64::from(half_to_f32(h as u16)) * 65535.0; // exact
            *v = if x.is_nan() {
                0
            } else {
                x.clamp(0.0, 65535.0).round_ties_even() as u16
            };
        }
        t
    })
}

fn lut16(table: &[u16; 65536], src: &[u8], dst: &mut [u8]) {
    for (d, s) in dst.chunks_exact_mut(2).zip(src.chunks_exact(2)) {
        d.copy_from_slice(&table[rd_u16(s) as usize].to_ne_bytes());
    }
}

/// 16-bit unsigned -> half, 0...65535 -> 0...1.
pub fn u16_to_half(src: &[u8], dst: &mut [u8]) {
    lut16(u16_to_half_table(), src, dst)
}

/// Half -> 16-bit unsigned, 0...1 -> 0...65535.
pub fn half_to_u16(src: &[u8], dst: &mut [u8]) {
    lut16(half_to_u16_table(), src, dst)
}

// ---- 12-bit packed ----------------------------------------------------------------------------

#[inline(always)]
fn widen12(t: u32) -> u16 {
    ((t * 65535 + (t << 4) + 2055) >> 12) as u16
}

#[inline(always)]
fn narrow12(t: u32) -> u32 {
    (t * 4095 + 32767 + (t >> 4)) >> 16
}

/// `12UTo16U`: pairs of 12-bit samples in 3 bytes (first sample in the high bits) -> 16-bit;
/// an odd last sample is the high 12 bits of its 2 bytes.
pub fn u12_to_u16(src: &[u8], dst: &mut [u8], width: usize) {
    let pairs = width / 2;
    for (d, s) in dst[..4 * pairs]
        .chunks_exact_mut(4)
        .zip(src.chunks_exact(3))
    {
        let t = (u32::from(s[0]) << 16) | (u32::from(s[1]) << 8) | u32::from(s[2]);
        d[..2].copy_from_slice(&widen12(t >> 12).to_ne_bytes());
        d[2..].copy_from_slice(&widen12(t & 0xfff).to_ne_bytes());
    }
    if width % 2 == 1 {
        let s = &src[3 * pairs..];
        let t = (u32::from(s[0]) << 4) | (u32::from(s[1]) >> 4);
        dst[4 * pairs..4 * pairs + 2].copy_from_slice(&widen12(t).to_ne_bytes());
    }
}

/// `16UTo12U`, the inverse packing; an odd last sample writes its 12 bits and keeps the low
/// 4 bits of the destination's last byte.
pub fn u16_to_u12(src: &[u8], dst: &mut [u8], width: usize) {
    let pairs = width / 2;
    for (d, s) in dst[..3 * pairs]
        .chunks_exact_mut(3)
        .zip(src.chunks_exact(4))
    {
        let t0 = narrow12(u32::from(rd_u16(s)));
        let t1 = narrow12(u32::from(rd_u16(&s[2..])));
        let t = (t0 << 12) | t1;
        d[0] = (t >> 16) as u8;
        d[1] = (t >> 8) as u8;
        d[2] = t as u8;
    }
    if width % 2 == 1 {
        let t = narrow12(u32::from(rd_u16(&src[4 * pairs..])));
        let d = &mut dst[3 * pairs..3 * pairs + 2];
        d[0] = (t >> 4) as u8;
        d[1] = ((t & 0xf) << 4) as u8 | (d[1] & 0x0f);
    }
}

// ---- 16Q12 (4096 = 1.0) -----------------------------------------------------------------------

multiversion! {
    /// `8to16Q12`: `((p << 12) + 127) / 255`.
    pub fn u8_to_q12(src: &[u8], dst: &mut [u8]) {
        for (d, &p) in dst.chunks_exact_mut(2).zip(src) {
            let v = ((u32::from(p) << 12) + 127) / 255;
            d.copy_from_slice(&(v as i16).to_ne_bytes());
        }
    }
}

multiversion! {
    /// `16Q12to8`: `(clamp(v, 0, 4096) * 255 + 2048) >> 12`.
    pub fn q12_to_u8(src: &[u8], dst: &mut [u8]) {
        for (d, s) in dst.iter_mut().zip(src.chunks_exact(2)) {
            let v = i32::from(i16::from_ne_bytes([s[0], s[1]])).clamp(0, 4096);
            *d = ((v * 255 + 2048) >> 12) as u8;
        }
    }
}

multiversion! {
    /// `16Q12toF`: `v / 4096` (exact).
    pub fn q12_to_f32(src: &[u8], dst: &mut [u8]) {
        for (d, s) in dst.chunks_exact_mut(4).zip(src.chunks_exact(2)) {
            let v = f32::from(i16::from_ne_bytes([s[0], s[1]])) * (1.0 / 4096.0);
            d.copy_from_slice(&v.to_ne_bytes());
        }
    }
}

multiversion! {
    /// `Fto16Q12`: `clamp(lrintf(x * 4096))` to the int16 range (ties to even); NaN -> 0.
    pub fn f32_to_q12(src: &[u8], dst: &mut [u8]) {
        for (d, s) in dst.chunks_exact_mut(2).zip(src.chunks_exact(4)) {
            let x = rd_f32(s);
            let v = (x * 4096.0).max(-32768.0).min(32767.0);
            let r = if x.is_nan() { 0 } else { rint(v) as i16 };
            d.copy_from_slice(&r.to_ne_bytes());
        }
    }
}

multiversion! {
    /// `16Q12to16U`: `clamp((v * 65535 + 2048) >> 12, 0, 65535)` (arithmetic shift).
    pub fn q12_to_u16(src: &[u8], dst: &mut [u8]) {
        for (d, s) in dst.chunks_exact_mut(2).zip(src.chunks_exact(2)) {
            let v = i32::from(i16::from_ne_bytes([s[0], s[1]]));
            let r = ((v * 65535 + 2048) >> 12).clamp(0, 65535) as u16;
            d.copy_from_slice(&r.to_ne_bytes());
        }
    }
}

multiversion! {
    /// `16Uto16Q12`: `(v * 4096 + 32767) / 65535`.
    pub fn u16_to_q12(src: &[u8], dst: &mut [u8]) {
        for (d, s) in dst.chunks_exact_mut(2).zip(src.chunks_exact(2)) {
            let v = u32::from(rd_u16(s));
            let r = (v * 4096 + 32767) / 65535;
            d.copy_from_slice(&(r as i16).to_ne_bytes());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The F16C rows and the scalar conversions agree on every half and on a float sweep
    /// (NaNs, signalling ones included, ties and subnormals).
    #[test]
    fn f16c_matches_scalar_half_conversions() {
        let halves: Vec<u8> = (0..=u16::MAX).flat_map(|h| h.to_ne_bytes()).collect();
        let mut wide = vec![0u8; halves.len() * 2];
        half_to_f32_row(&halves, &mut wide);
        for (h, d) in halves.chunks_exact(2).zip(wide.chunks_exact(4)) {
            assert_eq!(rd_f32(d).to_bits(), half_to_f32(rd_u16(h)).to_bits());
        }
        // The special values first: the SIMD part converts whole groups of 8.
        let floats: Vec<u8> = [
            0x7f80_0001u32,
            0xff80_0001,
            0x7fbf_ffff,
            0x3380_0000,
            0x3300_0001,
        ]
        .into_iter()
        .chain((0..=u32::MAX / 257).map(|i| i.wrapping_mul(257) ^ (i & 0x1fff)))
        .flat_map(|b| b.to_ne_bytes())
        .collect();
        let mut narrow = vec![0u8; floats.len() / 2];
        f32_to_half_row(&floats, &mut narrow);
        for (f, d) in floats.chunks_exact(4).zip(narrow.chunks_exact(2)) {
            assert_eq!(
                rd_u16(d),
                f32_to_half(rd_f32(f)),
                "{:#010x}",
                rd_f32(f).to_bits()
            );
        }
    }

    /// Float bit patterns: every special class (NaN payloads, infinities, zeros, subnormals,
    /// ties of the roundings) then a sweep of all 2^32 patterns with a stride.
    fn float_sweep() -> Vec<u8> {
        let special = [
            0x7fc0_0000u32,
            0xffc0_0000,
            0x7f80_0001,
            0x7f80_0000,
            0xff80_0000,
            0x0000_0000,
            0x8000_0000,
            0x0000_0001,
            0x8000_0001,
            0x007f_ffff,
        ];
        let ties = (0..=512).map(|i| (i as f32 * 0.5).to_bits());
        let units = (0..=4096).map(|i| (i as f32 / 4096.0).to_bits());
        special
            .into_iter()
            .chain(ties)
            .chain(units)
            .chain((0..=u32::MAX / 997).map(|i| i.wrapping_mul(997) ^ (i & 0xff)))
            .flat_map(|b| b.to_ne_bytes())
            .collect()
    }

    /// The AVX2 `PlanarFtoPlanar8` (with its exact reciprocal for power-of-two ranges) gives
    /// the scalar formula's bytes; and `y / r == y * (1 / r)` for power-of-two `r`.
    #[test]
    fn half_up8_simd_matches_scalar() {
        let floats = float_sweep();
        let n = floats.len() / 4;
        for (max, min) in [
            (1.0f32, 0.0f32),
            (0.5, 0.25),
            (2.0, -2.0),
            (1.0, 0.2),
            (0.0, 1.0),
            (3.0e38, -3.0e38),
            (1.0e-40, 0.0),
            (f32::INFINITY, 0.0),
            (f32::NAN, 0.0),
            (7.0, 7.0),
        ] {
            let range = max - min;
            let mut got = vec![0u8; n];
            f32_to_u8_half_up(&floats, &mut got, max, min);
            for (i, s) in floats.chunks_exact(4).enumerate() {
                let x = rd_f32(s);
                assert_eq!(
                    u32::from(got[i]),
                    half_up8(x, min, range),
                    "{max} {min} {x:e}"
                );
            }
        }
        for e in -149..=127 {
            let r = 2.0f64.powi(e) as f32;
            let inv = 1.0 / r;
            if !(r.is_normal() && inv.is_finite()) {
                continue;
            }
            for s in floats.chunks_exact(4).step_by(7) {
                let y = rd_f32(s);
                let (a, b) = (y / r, y * inv);
                let same = a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan());
                assert!(same, "{y:e} / 2^{e}");
                assert_eq!(
                    (y / r).to_bits() | u32::from((y / r).is_nan()),
                    (y * inv).to_bits() | u32::from((y * inv).is_nan()),
                    "{y:e} / 2^{e}"
                );
            }
        }
    }

    /// The AVX2 four-plane `PlanarFToARGB8888` gives the scalar `Rint8::one` bytes, which
    /// are `lrintf` of the clamped formula with NaN -> 0 (or the channel's constant).
    #[test]
    fn rint8x4_simd_matches_scalar() {
        let floats = float_sweep();
        let n = floats.len() / 4;
        let params = [
            (1.0f32, 0.0f32),
            (0.2, 0.0),
            (0.0, 1.0),
            (-1.0, 3.0),
            (f32::INFINITY, 0.0),
            (f32::NAN, 0.5),
            (1.0e-42, 0.0),
            (0.5, 0.5),
        ];
        for w in params.windows(4) {
            let r: [Rint8; 4] = std::array::from_fn(|c| {
                if c == 3 && w[0].0 > 0.5 {
                    Rint8::constant(200)
                } else {
                    Rint8::new(w[c].0, w[c].1)
                }
            });
            // Planes shifted against each other so each channel sees other values.
            let planes: [&[u8]; 4] = std::array::from_fn(|c| &floats[4 * c..]);
            let mut got = vec![0u8; 4 * (n - 3)];
            f32x4_to_8888_rint(planes, &mut got, &r);
            for (i, px) in got.chunks_exact(4).enumerate() {
                for c in 0..4 {
                    let x = rd_f32(&planes[c][4 * i..]);
                    let want = if let Some(k) = r[c].constant {
                        k
                    } else if x.is_nan() {
                        0
                    } else {
                        let v = (x.max(r[c].lo).min(r[c].hi) * r[c].k + r[c].b)
                            .max(0.0)
                            .min(255.0);
                        v.round_ties_even() as u8
                    };
                    assert_eq!(px[c], want, "{c} {x:e} {:?}", r[c]);
                }
            }
        }
    }

    #[test]
    fn rint_is_ties_to_even() {
        for (v, r) in [
            (0.5f32, 0.0f32),
            (1.5, 2.0),
            (2.5, 2.0),
            (254.5, 254.0),
            (0.49999997, 0.0),
        ] {
            assert_eq!(rint(v), r);
        }
    }
}
