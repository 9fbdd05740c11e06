//! AVX2 + F16C loops (see the parent module for why they are exact).

use std::arch::x86_64::*;

use super::ByteMap;
// The converter's checked slice loads and stores.
use crate::kernels::x86::{load8, load16, store16, store32};

/// pshufb control that swaps the two bytes of each 16-bit sample.
const BSWAP16: [u8; 16] = [1, 0, 3, 2, 5, 4, 7, 6, 9, 8, 11, 10, 13, 12, 15, 14];

/// `blocks` steps of 32 halves -> 32 bytes, rearranged within each 16-byte lane by the 4 -> 4
/// byte map `m` when given. Returns `blocks`.
#[target_feature(enable = "avx2,fma,f16c")]
pub(super) fn quant(
    le: bool,
    m: Option<&ByteMap>,
    src: &[u8],
    dst: &mut [u8],
    blocks: usize,
) -> usize {
    let bswap = load16(&BSWAP16);
    let identity: [u8; 16] = std::array::from_fn(|i| i as u8);
    let (shuffle, fill) = match m {
        Some(m) => (m.lane_shuffle, m.lane_fill),
        None => (identity, [0; 16]),
    };
    let shuffle = _mm256_broadcastsi128_si256(load16(&shuffle));
    let fill = _mm256_broadcastsi128_si256(load16(&fill));
    let k255 = _mm256_set1_ps(255.0);
    let order = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
    let eight = |s: &[u8]| {
        let v = load16(s);
        let v = if le { v } else { _mm_shuffle_epi8(v, bswap) };
        let x = _mm256_mul_ps(_mm256_cvtph_ps(v), k255);
        _mm256_cvtps_epi32(_mm256_min_ps(k255, x))
    };
    let blocks = blocks.min(src.len() / 64).min(dst.len() / 32);
    for (s, d) in src
        .chunks_exact(64)
        .zip(dst.chunks_exact_mut(32))
        .take(blocks)
    {
        let ab = _mm256_packs_epi32(eight(s), eight(&s[16..]));
        let cd = _mm256_packs_epi32(eight(&s[32..]), eight(&s[48..]));
        let r = _mm256_permutevar8x32_epi32(_mm256_packus_epi16(ab, cd), order);
        let r = if m.is_some() {
            _mm256_or_si256(_mm256_shuffle_epi8(r, shuffle), fill)
        } else {
            r
        };
        store32(d, r);
    }
    blocks
}

/// Bytes -> halves, 8 at a time; returns the bytes done.
#[target_feature(enable = "avx2,fma,f16c")]
pub(super) fn encode(le: bool, src: &[u8], dst: &mut [u8]) -> usize {
    let bswap = load16(&BSWAP16);
    let r = _mm256_set1_ps(1.0 / 255.0);
    let k255 = _mm256_set1_ps(255.0);
    let quotient = |s: &[u8]| {
        let x = _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(load8(s)));
        // The correctly rounded v / 255: q = v r, then one Newton step with FMA.
        let q = _mm256_mul_ps(x, r);
        let e = _mm256_fnmadd_ps(q, k255, x);
        let q = _mm256_fmadd_ps(e, r, q);
        let h = _mm256_cvtps_ph::<_MM_FROUND_TO_NEAREST_INT>(q);
        if le { h } else { _mm_shuffle_epi8(h, bswap) }
    };
    let blocks = (src.len() / 16).min(dst.len() / 32);
    for (s, d) in src
        .chunks_exact(16)
        .zip(dst.chunks_exact_mut(32))
        .take(blocks)
    {
        let lo = quotient(s);
        let hi = quotient(&s[8..]);
        store16(d, lo);
        store16(&mut d[16..], hi);
    }
    blocks * 16
}
