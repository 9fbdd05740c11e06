//! x86-64 SIMD stages: SSSE3 / SSE4.1 (16-byte vectors) and AVX2 + FMA (32-byte vectors).
//!
//! Each function converts as many whole pixels (or samples) as it can while every vector load
//! and store stays inside the given slices, and returns that count; the scalar stage finishes
//! the row. Callers pass a `Level` no higher than `Level::detect()` found, which is what makes
//! calling the `#[target_feature]` functions sound.

use std::arch::x86_64::*;

use super::{ByteMap, Level, Op, OpKind};

// ---- dispatch -------------------------------------------------------------------------------------

pub(super) fn op(level: Level, op: &Op, src: &[u8], dst: &mut [u8], width: usize) -> usize {
    let m = &op.map;
    let four = m.in_bpp == 4 && m.out_bpp == 4;
    let alpha = op.alpha;
    match (op.kind, level) {
        (_, Level::Scalar) => 0,
        // SAFETY: Level::Avx2 is only detected when the CPU has AVX2 and FMA.
        (OpKind::Map, Level::Avx2) => unsafe { map_avx2(m, src, dst, width) },
        // SAFETY: Ssse3 and above are only detected when the CPU has SSSE3.
        (OpKind::Map, _) => unsafe { map_ssse3(m, src, dst, width) },
        // SAFETY: as above (AVX2).
        (OpKind::Premultiply, Level::Avx2) if four => unsafe {
            premultiply_avx2(m, alpha, src, dst, width)
        },
        // SAFETY: as above (SSSE3).
        (OpKind::Premultiply, _) if four => unsafe { premultiply_ssse3(m, alpha, src, dst, width) },
        (OpKind::Unpremultiply, Level::Avx2) if four && (alpha == 0 || alpha == 3) => {
            // SAFETY: as above (AVX2 and FMA).
            unsafe {
                if alpha == 0 {
                    unpremultiply_avx2::<true>(m, src, dst, width)
                } else {
                    unpremultiply_avx2::<false>(m, src, dst, width)
                }
            }
        }
        // SAFETY: as above (AVX2).
        (OpKind::FlattenStraight, Level::Avx2) => unsafe {
            flatten_avx2::<true>(op, src, dst, width)
        },
        // SAFETY: as above (AVX2).
        (OpKind::FlattenPremultiplied, Level::Avx2) => unsafe {
            flatten_avx2::<false>(op, src, dst, width)
        },
        (OpKind::Unpremultiply, Level::Sse41) if four && (alpha == 0 || alpha == 3) => {
            // SAFETY: Sse41 and above are only detected when the CPU has SSE4.1.
            unsafe {
                if alpha == 0 {
                    unpremultiply_sse41::<true>(m, src, dst, width)
                } else {
                    unpremultiply_sse41::<false>(m, src, dst, width)
                }
            }
        }
        _ => 0,
    }
}

pub(super) fn narrow16(level: Level, le: bool, src: &[u8], dst: &mut [u8], n: usize) -> usize {
    match level {
        Level::Scalar => 0,
        // SAFETY: Level::Avx2 is only detected when the CPU has AVX2.
        Level::Avx2 => unsafe { narrow16_avx2(le, src, dst, n) },
        // SAFETY: Ssse3 and above are only detected when the CPU has SSSE3.
        _ => unsafe { narrow16_ssse3(le, src, dst, n) },
    }
}

pub(super) fn quant_f32(level: Level, le: bool, src: &[u8], dst: &mut [u8], n: usize) -> usize {
    match level {
        Level::Scalar => 0,
        // SAFETY: Level::Avx2 is only detected when the CPU has AVX2.
        Level::Avx2 => unsafe { quant_f32_avx2(le, src, dst, n) },
        // SAFETY: Ssse3 and above are only detected when the CPU has SSSE3.
        _ => unsafe { quant_f32_ssse3(le, src, dst, n) },
    }
}

pub(super) fn encode_f32(level: Level, le: bool, src: &[u8], dst: &mut [u8]) -> usize {
    match level {
        Level::Scalar | Level::Ssse3 => 0,
        // SAFETY: Level::Avx2 is only detected when the CPU has AVX2 and FMA.
        Level::Avx2 => unsafe { encode_f32_avx2(le, src, dst) },
        // SAFETY: Sse41 is only detected when the CPU has SSE4.1.
        Level::Sse41 => unsafe { encode_f32_sse41(le, src, dst) },
    }
}

pub(super) fn byte_lut(level: Level, table: &[u8; 256], src: &[u8], dst: &mut [u8]) -> usize {
    match level {
        Level::Scalar => 0,
        // SAFETY: Level::Avx2 is only detected when the CPU has AVX2.
        Level::Avx2 => unsafe { byte_lut_avx2(table, src, dst) },
        // SAFETY: Ssse3 and above are only detected when the CPU has SSSE3.
        _ => unsafe { byte_lut_ssse3(table, src, dst) },
    }
}

// ---- loads and stores -------------------------------------------------------------------------------

/// 16 bytes from the start of `s`.
#[inline(always)]
pub(super) fn load16(s: &[u8]) -> __m128i {
    assert!(s.len() >= 16);
    // SAFETY: just checked that 16 bytes are readable; unaligned loads are allowed.
    unsafe { _mm_loadu_si128(s.as_ptr().cast()) }
}

/// 8 bytes from the start of `s`, zero-extended to 16.
#[inline(always)]
pub(super) fn load8(s: &[u8]) -> __m128i {
    assert!(s.len() >= 8);
    // SAFETY: just checked that 8 bytes are readable; unaligned loads are allowed.
    unsafe { _mm_loadl_epi64(s.as_ptr().cast()) }
}

#[inline(always)]
pub(super) fn store16(d: &mut [u8], v: __m128i) {
    assert!(d.len() >= 16);
    // SAFETY: just checked that 16 bytes are writable; unaligned stores are allowed.
    unsafe { _mm_storeu_si128(d.as_mut_ptr().cast(), v) }
}

#[target_feature(enable = "avx2")]
#[inline]
fn load32(s: &[u8]) -> __m256i {
    assert!(s.len() >= 32);
    // SAFETY: just checked that 32 bytes are readable; unaligned loads are allowed.
    unsafe { _mm256_loadu_si256(s.as_ptr().cast()) }
}

#[target_feature(enable = "avx2")]
#[inline]
pub(super) fn store32(d: &mut [u8], v: __m256i) {
    assert!(d.len() >= 32);
    // SAFETY: just checked that 32 bytes are writable; unaligned stores are allowed.
    unsafe { _mm256_storeu_si256(d.as_mut_ptr().cast(), v) }
}

/// Two 16-byte loads, `s[0..16]` into the low lane and `s[hi..hi + 16]` into the high one.
#[target_feature(enable = "avx2")]
#[inline]
fn load2x16(s: &[u8], hi: usize) -> __m256i {
    _mm256_inserti128_si256::<1>(_mm256_castsi128_si256(load16(s)), load16(&s[hi..]))
}

/// The low lane to `d[0..16]`, then the high lane to `d[hi..hi + 16]`.
#[target_feature(enable = "avx2")]
#[inline]
fn store2x16(d: &mut [u8], hi: usize, v: __m256i) {
    store16(d, _mm256_castsi256_si128(v));
    store16(&mut d[hi..], _mm256_extracti128_si256::<1>(v));
}

fn array16(a: &[u8; 16]) -> __m128i {
    // SAFETY: the array has 16 bytes; SSE2 is part of x86-64.
    unsafe { _mm_loadu_si128(a.as_ptr().cast()) }
}

#[target_feature(enable = "avx2")]
#[inline]
fn broadcast16(a: &[u8; 16]) -> __m256i {
    _mm256_broadcastsi128_si256(array16(a))
}

/// pshufb control that reverses the bytes of each 2- or 4-byte sample.
fn bswap_control(size: usize) -> [u8; 16] {
    std::array::from_fn(|i| (i - i % size + (size - 1 - i % size)) as u8)
}

// ---- byte maps ------------------------------------------------------------------------------------

#[target_feature(enable = "avx2")]
fn map_avx2(m: &ByteMap, src: &[u8], dst: &mut [u8], width: usize) -> usize {
    // Narrowing maps whose lane of 16 input bytes gives 4, 8 or 12 output bytes: several
    // lanes are combined into whole 32-byte stores.
    if m.lane_px as usize * m.in_bpp as usize == 16 {
        match m.lane_px as usize * m.out_bpp as usize {
            4 => return pack_lanes_avx2::<4>(m, src, dst, width),
            8 => return pack_lanes_avx2::<2>(m, src, dst, width),
            12 => return pack12_avx2(m, src, dst, width),
            _ => {}
        }
    }
    let shuffle = broadcast16(&m.lane_shuffle);
    let fill = broadcast16(&m.lane_fill);
    lanes_avx2(m, src, dst, width, |v| {
        _mm256_or_si256(_mm256_shuffle_epi8(v, shuffle), fill)
    })
}

/// The lane's pshufb control and fill moved `at` bytes up (for combining `16 / out` lanes of
/// `out` output bytes each into one).
fn lane_at(m: &ByteMap, out: usize, at: usize) -> ([u8; 16], [u8; 16]) {
    let mut ctl = [0x80u8; 16];
    let mut fill = [0u8; 16];
    ctl[at..at + out].copy_from_slice(&m.lane_shuffle[..out]);
    fill[at..at + out].copy_from_slice(&m.lane_fill[..out]);
    (ctl, fill)
}

/// A byte map of full 16-byte input lanes and `16 / K` output bytes per lane: `K` vectors of
/// 32 input bytes per step, lane `k` of each shuffled to bytes `k * 16 / K..` of its lane,
/// OR-ed together and put in pixel order by one dword permute: one 32-byte store per step.
#[target_feature(enable = "avx2")]
fn pack_lanes_avx2<const K: usize>(m: &ByteMap, src: &[u8], dst: &mut [u8], width: usize) -> usize {
    let out = 16 / K;
    let mut ctl = [_mm256_setzero_si256(); K];
    let mut fill = _mm256_setzero_si256();
    for (k, c) in ctl.iter_mut().enumerate() {
        let (lane_ctl, lane_fill) = lane_at(m, out, k * out);
        *c = broadcast16(&lane_ctl);
        fill = _mm256_or_si256(fill, broadcast16(&lane_fill));
    }
    // Output chunk j (of `out` bytes) is lane j % 2 of vector j / 2.
    let words = out / 4;
    let order: [u32; 8] = std::array::from_fn(|d| {
        let (j, o) = (d / words, d % words);
        ((j % 2) * 4 + (j / 2) * words + o) as u32
    });
    // SAFETY: the array has 32 bytes; AVX is enabled.
    let order = unsafe { _mm256_loadu_si256(order.as_ptr().cast()) };
    let px = 2 * K * m.lane_px as usize;
    let steps = (width / px).min(src.len() / (32 * K)).min(dst.len() / 32);
    for (s, d) in src
        .chunks_exact(32 * K)
        .zip(dst.chunks_exact_mut(32))
        .take(steps)
    {
        let mut r = fill;
        for (k, c) in ctl.iter().enumerate() {
            r = _mm256_or_si256(r, _mm256_shuffle_epi8(load32(&s[32 * k..]), *c));
        }
        store32(d, _mm256_permutevar8x32_epi32(r, order));
    }
    steps * px
}

/// A byte map of full 16-byte input lanes and 12 output bytes per lane (4 -> 3 drops): four
/// vectors of 32 input bytes give 96 output bytes, each vector's 24 put in place by a dword
/// permute and blended into three 32-byte stores.
#[target_feature(enable = "avx2")]
fn pack12_avx2(m: &ByteMap, src: &[u8], dst: &mut [u8], width: usize) -> usize {
    let shuffle = broadcast16(&m.lane_shuffle);
    let fill = broadcast16(&m.lane_fill);
    // A shuffled vector holds its output dwords X0..X5 at dwords 0, 1, 2, 4, 5, 6.
    let perm = |o: [i32; 8]| _mm256_setr_epi32(o[0], o[1], o[2], o[3], o[4], o[5], o[6], o[7]);
    let pa = perm([0, 1, 2, 4, 5, 6, 0, 0]); // X0..X5 -> out0[0..6]
    let pb = perm([2, 4, 5, 6, 0, 0, 0, 1]); // X0, X1 -> out0[6..8]; X2..X5 -> out1[0..4]
    let pc = perm([5, 6, 0, 0, 0, 1, 2, 4]); // X0..X3 -> out1[4..8]; X4, X5 -> out2[0..2]
    let pd = perm([0, 0, 0, 1, 2, 4, 5, 6]); // X0..X5 -> out2[2..8]
    let px = 8 * m.lane_px as usize;
    let steps = (width / px).min(src.len() / 128).min(dst.len() / 96);
    for (s, d) in src
        .chunks_exact(128)
        .zip(dst.chunks_exact_mut(96))
        .take(steps)
    {
        let lane = |i: usize, p: __m256i| {
            let v = _mm256_or_si256(_mm256_shuffle_epi8(load32(&s[32 * i..]), shuffle), fill);
            _mm256_permutevar8x32_epi32(v, p)
        };
        let (a, b, c, e) = (lane(0, pa), lane(1, pb), lane(2, pc), lane(3, pd));
        store32(d, _mm256_blend_epi32::<0b1100_0000>(a, b));
        store32(&mut d[32..], _mm256_blend_epi32::<0b1111_0000>(b, c));
        store32(&mut d[64..], _mm256_blend_epi32::<0b1111_1100>(c, e));
    }
    steps * px
}

/// Runs `f` over two lanes of `lane_px` pixels per step (a lane holds the input pixels at the
/// same places as pshufb controls built for one lane expect them, and `f` leaves the output
/// pixels at the start of each lane).
#[target_feature(enable = "avx2")]
#[inline]
fn lanes_avx2(
    m: &ByteMap,
    src: &[u8],
    dst: &mut [u8],
    width: usize,
    f: impl Fn(__m256i) -> __m256i,
) -> usize {
    let p = m.lane_px as usize;
    match (p * m.in_bpp as usize == 16, p * m.out_bpp as usize == 16) {
        (true, true) => lanes_avx2_loop::<true, true>(m, src, dst, width, f),
        (true, false) => lanes_avx2_loop::<true, false>(m, src, dst, width, f),
        (false, true) => lanes_avx2_loop::<false, true>(m, src, dst, width, f),
        (false, false) => lanes_avx2_loop::<false, false>(m, src, dst, width, f),
    }
}

/// A lane whose pixels fill fewer than 16 bytes is loaded (stored) on its own, the high lane's
/// store overwriting the low lane's spare bytes (and the next step or the scalar tail the high
/// lane's).
#[target_feature(enable = "avx2")]
#[inline]
fn lanes_avx2_loop<const FULL_IN: bool, const FULL_OUT: bool>(
    m: &ByteMap,
    src: &[u8],
    dst: &mut [u8],
    width: usize,
    f: impl Fn(__m256i) -> __m256i,
) -> usize {
    let p = m.lane_px as usize;
    let (ib, ob) = (m.in_bpp as usize, m.out_bpp as usize);
    let in_need = if FULL_IN { 32 } else { p * ib + 16 };
    let out_need = if FULL_OUT { 32 } else { p * ob + 16 };
    let mut x = 0;
    while x + 2 * p <= width {
        let (Some(s), Some(d)) = (
            src.get(x * ib..x * ib + in_need),
            dst.get_mut(x * ob..x * ob + out_need),
        ) else {
            break;
        };
        let v = if FULL_IN {
            load32(s)
        } else {
            load2x16(s, p * ib)
        };
        let r = f(v);
        if FULL_OUT {
            store32(d, r)
        } else {
            store2x16(d, p * ob, r)
        }
        x += 2 * p;
    }
    x
}

// ---- flatten ----------------------------------------------------------------------------------------

/// Over the background: `p + ((255 - a) * bg + 127) / 255`, clamped by the final pack, with
/// `p = (c * a + 127) / 255` for straight colour. Works for any byte map: the colour and the
/// alpha of each output byte are shuffled into place first.
#[target_feature(enable = "avx2")]
fn flatten_avx2<const STRAIGHT: bool>(op: &Op, src: &[u8], dst: &mut [u8], width: usize) -> usize {
    let m = &op.map;
    let (p, ib, ob) = (m.lane_px as usize, m.in_bpp as usize, m.out_bpp as usize);
    let mut alpha_ctl = [0x80u8; 16];
    let mut bg = [0u8; 16];
    for q in 0..p {
        for j in 0..ob {
            alpha_ctl[q * ob + j] = (q * ib) as u8 + op.alpha;
            bg[q * ob + j] = op.background[j];
        }
    }
    let colour_ctl = broadcast16(&m.lane_shuffle);
    let alpha_ctl = broadcast16(&alpha_ctl);
    let zero = _mm256_setzero_si256();
    let bg = broadcast16(&bg);
    let (bg_lo, bg_hi) = (
        _mm256_unpacklo_epi8(bg, zero),
        _mm256_unpackhi_epi8(bg, zero),
    );
    let c128 = _mm256_set1_epi16(128);
    let c255 = _mm256_set1_epi16(255);
    let c257 = _mm256_set1_epi16(257);
    let div255 = |x: __m256i| _mm256_mulhi_epu16(_mm256_add_epi16(x, c128), c257);
    let half = |c: __m256i, a: __m256i, bg: __m256i| {
        let p = if STRAIGHT {
            div255(_mm256_mullo_epi16(c, a))
        } else {
            c
        };
        _mm256_add_epi16(p, div255(_mm256_mullo_epi16(_mm256_sub_epi16(c255, a), bg)))
    };
    lanes_avx2(m, src, dst, width, |v| {
        let c = _mm256_shuffle_epi8(v, colour_ctl);
        let a = _mm256_shuffle_epi8(v, alpha_ctl);
        let lo = half(
            _mm256_unpacklo_epi8(c, zero),
            _mm256_unpacklo_epi8(a, zero),
            bg_lo,
        );
        let hi = half(
            _mm256_unpackhi_epi8(c, zero),
            _mm256_unpackhi_epi8(a, zero),
            bg_hi,
        );
        _mm256_packus_epi16(lo, hi)
    })
}

#[target_feature(enable = "ssse3")]
fn map_ssse3(m: &ByteMap, src: &[u8], dst: &mut [u8], width: usize) -> usize {
    if m.lane_px as usize * m.in_bpp as usize == 16 {
        match m.lane_px as usize * m.out_bpp as usize {
            4 => return pack_lanes_ssse3::<4>(m, src, dst, width),
            8 => return pack_lanes_ssse3::<2>(m, src, dst, width),
            12 => return pack12_ssse3(m, src, dst, width),
            _ => {}
        }
    }
    let p = m.lane_px as usize;
    let (ib, ob) = (m.in_bpp as usize, m.out_bpp as usize);
    let shuffle = array16(&m.lane_shuffle);
    let fill = array16(&m.lane_fill);
    let mut x = 0;
    while x + p <= width {
        let (Some(s), Some(d)) = (
            src.get(x * ib..x * ib + 16),
            dst.get_mut(x * ob..x * ob + 16),
        ) else {
            break;
        };
        store16(d, _mm_or_si128(_mm_shuffle_epi8(load16(s), shuffle), fill));
        x += p;
    }
    x
}

/// [`pack_lanes_avx2`] with 16-byte vectors: `K` lanes in, one 16-byte store out.
#[target_feature(enable = "ssse3")]
fn pack_lanes_ssse3<const K: usize>(
    m: &ByteMap,
    src: &[u8],
    dst: &mut [u8],
    width: usize,
) -> usize {
    let out = 16 / K;
    let mut ctl = [_mm_setzero_si128(); K];
    let mut fill = _mm_setzero_si128();
    for (k, c) in ctl.iter_mut().enumerate() {
        let (lane_ctl, lane_fill) = lane_at(m, out, k * out);
        *c = array16(&lane_ctl);
        fill = _mm_or_si128(fill, array16(&lane_fill));
    }
    let px = K * m.lane_px as usize;
    let steps = (width / px).min(src.len() / (16 * K)).min(dst.len() / 16);
    for (s, d) in src
        .chunks_exact(16 * K)
        .zip(dst.chunks_exact_mut(16))
        .take(steps)
    {
        let mut r = fill;
        for (k, c) in ctl.iter().enumerate() {
            r = _mm_or_si128(r, _mm_shuffle_epi8(load16(&s[16 * k..]), *c));
        }
        store16(d, r);
    }
    steps * px
}

/// [`pack12_avx2`] with 16-byte vectors: four lanes of 12 output bytes, shifted together into
/// three 16-byte stores.
#[target_feature(enable = "ssse3")]
fn pack12_ssse3(m: &ByteMap, src: &[u8], dst: &mut [u8], width: usize) -> usize {
    let shuffle = array16(&m.lane_shuffle);
    let fill = array16(&m.lane_fill);
    let px = 4 * m.lane_px as usize;
    let steps = (width / px).min(src.len() / 64).min(dst.len() / 48);
    for (s, d) in src
        .chunks_exact(64)
        .zip(dst.chunks_exact_mut(48))
        .take(steps)
    {
        let lane = |i: usize| _mm_or_si128(_mm_shuffle_epi8(load16(&s[16 * i..]), shuffle), fill);
        let (a, b, c, e) = (lane(0), lane(1), lane(2), lane(3));
        store16(d, _mm_or_si128(a, _mm_slli_si128::<12>(b)));
        store16(
            &mut d[16..],
            _mm_or_si128(_mm_srli_si128::<4>(b), _mm_slli_si128::<8>(c)),
        );
        store16(
            &mut d[32..],
            _mm_or_si128(_mm_srli_si128::<8>(c), _mm_slli_si128::<4>(e)),
        );
    }
    steps * px
}

// ---- premultiply ------------------------------------------------------------------------------------

/// pshufb control (on 16-bit words, two 4-channel pixels) putting each pixel's alpha in its
/// colour words and zero in its alpha word, and the word constant 255 for the alpha word: the
/// multiplier that premultiplies colours and leaves alpha as `(a * 255 + 127) / 255 = a`.
fn premultiply_controls(alpha: usize) -> ([u8; 16], [u8; 16]) {
    let mut ctl = [0x80u8; 16];
    let mut k255 = [0u8; 16];
    for q in 0..2 {
        for c in 0..4 {
            let w = 4 * q + c;
            if c == alpha {
                k255[2 * w] = 255;
            } else {
                ctl[2 * w] = (2 * (4 * q + alpha)) as u8;
            }
        }
    }
    (ctl, k255)
}

#[target_feature(enable = "avx2")]
fn premultiply_avx2(m: &ByteMap, alpha: u8, src: &[u8], dst: &mut [u8], width: usize) -> usize {
    let (ctl, k255) = premultiply_controls(alpha as usize);
    let (ctl, k255) = (broadcast16(&ctl), broadcast16(&k255));
    let (shuffle, fill) = (broadcast16(&m.lane_shuffle), broadcast16(&m.lane_fill));
    let zero = _mm256_setzero_si256();
    let c128 = _mm256_set1_epi16(128);
    let c257 = _mm256_set1_epi16(257);
    let mul = |v: __m256i| {
        let f = _mm256_or_si256(_mm256_shuffle_epi8(v, ctl), k255);
        // (c * a + 128) * 257 >> 16 == (c * a + 127) / 255 for every c, a < 256.
        _mm256_mulhi_epu16(_mm256_add_epi16(_mm256_mullo_epi16(v, f), c128), c257)
    };
    let n = width / 8;
    for (s, d) in src.chunks_exact(32).zip(dst.chunks_exact_mut(32)).take(n) {
        let v = load32(s);
        let lo = mul(_mm256_unpacklo_epi8(v, zero));
        let hi = mul(_mm256_unpackhi_epi8(v, zero));
        let r = _mm256_packus_epi16(lo, hi);
        store32(d, _mm256_or_si256(_mm256_shuffle_epi8(r, shuffle), fill));
    }
    n * 8
}

#[target_feature(enable = "ssse3")]
fn premultiply_ssse3(m: &ByteMap, alpha: u8, src: &[u8], dst: &mut [u8], width: usize) -> usize {
    let (ctl, k255) = premultiply_controls(alpha as usize);
    let (ctl, k255) = (array16(&ctl), array16(&k255));
    let (shuffle, fill) = (array16(&m.lane_shuffle), array16(&m.lane_fill));
    let zero = _mm_setzero_si128();
    let c128 = _mm_set1_epi16(128);
    let c257 = _mm_set1_epi16(257);
    let mul = |v: __m128i| {
        let f = _mm_or_si128(_mm_shuffle_epi8(v, ctl), k255);
        _mm_mulhi_epu16(_mm_add_epi16(_mm_mullo_epi16(v, f), c128), c257)
    };
    let n = width / 4;
    for (s, d) in src.chunks_exact(16).zip(dst.chunks_exact_mut(16)).take(n) {
        let v = load16(s);
        let lo = mul(_mm_unpacklo_epi8(v, zero));
        let hi = mul(_mm_unpackhi_epi8(v, zero));
        let r = _mm_packus_epi16(lo, hi);
        store16(d, _mm_or_si128(_mm_shuffle_epi8(r, shuffle), fill));
    }
    n * 4
}

// ---- unpremultiply ----------------------------------------------------------------------------------
//
// For c <= a the reference's `(c * 255 + a / 2) / a` equals `floor(255 c / a + 1/2)` (for odd
// `a` no tie exists; for even `a`, a / 2 is exact). In binary32 with `s` an upper bound of
// 255 / a within a relative 2^-18, `floor(c * s + 0.5)` is exact: the true value is either an
// integer (then the rounded result cannot fall below it, rounding being monotonic and the
// integer representable) or at least 1 / (2a) below the next integer, far more than the error
// (at most 255 * 2^-18 + 2^-17). `s = K * r * (2 - a r)` with `r = rcp(a)` (relative error
// <= 1.5 * 2^-12, so one Newton step leaves < 2^-22, always from below) and
// K = 255 * (1 + 2^-20) rounded to binary32 is such a bound. a = 0 is computed as a = 1, with
// c = min(c, a) = 0, giving 0. The alpha byte is kept from the source.

const UNPREMULTIPLY_K: f32 = 255.0 * (1.0 + 1.0 / 1048576.0);

/// pshufb control copying each pixel's alpha byte (at 0 or 3) to its four bytes.
fn alpha_broadcast(first: bool) -> [u8; 16] {
    let a = if first { 0 } else { 3 };
    std::array::from_fn(|i| (i - i % 4 + a) as u8)
}

#[target_feature(enable = "avx2,fma")]
fn unpremultiply_avx2<const ALPHA_FIRST: bool>(
    m: &ByteMap,
    src: &[u8],
    dst: &mut [u8],
    width: usize,
) -> usize {
    let abcast = broadcast16(&alpha_broadcast(ALPHA_FIRST));
    let (shuffle, fill) = (broadcast16(&m.lane_shuffle), broadcast16(&m.lane_fill));
    let ff = _mm256_set1_epi32(0xff);
    let alpha_mask = _mm256_set1_epi32(if ALPHA_FIRST {
        0xff
    } else {
        0xff00_0000u32 as i32
    });
    let one = _mm256_set1_ps(1.0);
    let two = _mm256_set1_ps(2.0);
    let half = _mm256_set1_ps(0.5);
    let k = _mm256_set1_ps(UNPREMULTIPLY_K);
    let n = width / 8;
    for (s, d) in src.chunks_exact(32).zip(dst.chunks_exact_mut(32)).take(n) {
        let v = load32(s);
        let ab = _mm256_shuffle_epi8(v, abcast);
        let c = _mm256_min_epu8(v, ab);
        let a = _mm256_max_ps(_mm256_cvtepi32_ps(_mm256_and_si256(ab, ff)), one);
        let r = _mm256_rcp_ps(a);
        let s255 = _mm256_mul_ps(_mm256_mul_ps(r, k), _mm256_fnmadd_ps(a, r, two));
        let chan = |shifted: __m256i| {
            let q = _mm256_fmadd_ps(_mm256_cvtepi32_ps(shifted), s255, half);
            _mm256_cvttps_epi32(q)
        };
        let mut out = _mm256_and_si256(v, alpha_mask);
        if ALPHA_FIRST {
            let c1 = chan(_mm256_and_si256(_mm256_srli_epi32::<8>(c), ff));
            let c2 = chan(_mm256_and_si256(_mm256_srli_epi32::<16>(c), ff));
            let c3 = chan(_mm256_srli_epi32::<24>(c));
            out = _mm256_or_si256(out, _mm256_slli_epi32::<8>(c1));
            out = _mm256_or_si256(out, _mm256_slli_epi32::<16>(c2));
            out = _mm256_or_si256(out, _mm256_slli_epi32::<24>(c3));
        } else {
            let c0 = chan(_mm256_and_si256(c, ff));
            let c1 = chan(_mm256_and_si256(_mm256_srli_epi32::<8>(c), ff));
            let c2 = chan(_mm256_and_si256(_mm256_srli_epi32::<16>(c), ff));
            out = _mm256_or_si256(out, c0);
            out = _mm256_or_si256(out, _mm256_slli_epi32::<8>(c1));
            out = _mm256_or_si256(out, _mm256_slli_epi32::<16>(c2));
        }
        store32(d, _mm256_or_si256(_mm256_shuffle_epi8(out, shuffle), fill));
    }
    n * 8
}

#[target_feature(enable = "sse4.1")]
fn unpremultiply_sse41<const ALPHA_FIRST: bool>(
    m: &ByteMap,
    src: &[u8],
    dst: &mut [u8],
    width: usize,
) -> usize {
    let abcast = array16(&alpha_broadcast(ALPHA_FIRST));
    let (shuffle, fill) = (array16(&m.lane_shuffle), array16(&m.lane_fill));
    let ff = _mm_set1_epi32(0xff);
    let alpha_mask = _mm_set1_epi32(if ALPHA_FIRST {
        0xff
    } else {
        0xff00_0000u32 as i32
    });
    let one = _mm_set1_ps(1.0);
    let two = _mm_set1_ps(2.0);
    let half = _mm_set1_ps(0.5);
    let k = _mm_set1_ps(UNPREMULTIPLY_K);
    let n = width / 4;
    for (s, d) in src.chunks_exact(16).zip(dst.chunks_exact_mut(16)).take(n) {
        let v = load16(s);
        let ab = _mm_shuffle_epi8(v, abcast);
        let c = _mm_min_epu8(v, ab);
        let a = _mm_max_ps(_mm_cvtepi32_ps(_mm_and_si128(ab, ff)), one);
        let r = _mm_rcp_ps(a);
        let s255 = _mm_mul_ps(_mm_mul_ps(r, k), _mm_sub_ps(two, _mm_mul_ps(a, r)));
        // Without FMA: c * s rounds once more, by at most 2^-17, which the margins absorb; an
        // exact tie (even a) stays exact since c * 255 / a + 1/2 is then a representable
        // integer and c * s >= c * 255 / a.
        let chan = |shifted: __m128i| {
            let q = _mm_add_ps(_mm_mul_ps(_mm_cvtepi32_ps(shifted), s255), half);
            _mm_cvttps_epi32(q)
        };
        let mut out = _mm_and_si128(v, alpha_mask);
        if ALPHA_FIRST {
            let c1 = chan(_mm_and_si128(_mm_srli_epi32::<8>(c), ff));
            let c2 = chan(_mm_and_si128(_mm_srli_epi32::<16>(c), ff));
            let c3 = chan(_mm_srli_epi32::<24>(c));
            out = _mm_or_si128(out, _mm_slli_epi32::<8>(c1));
            out = _mm_or_si128(out, _mm_slli_epi32::<16>(c2));
            out = _mm_or_si128(out, _mm_slli_epi32::<24>(c3));
        } else {
            let c0 = chan(_mm_and_si128(c, ff));
            let c1 = chan(_mm_and_si128(_mm_srli_epi32::<8>(c), ff));
            let c2 = chan(_mm_and_si128(_mm_srli_epi32::<16>(c), ff));
            out = _mm_or_si128(out, c0);
            out = _mm_or_si128(out, _mm_slli_epi32::<8>(c1));
            out = _mm_or_si128(out, _mm_slli_epi32::<16>(c2));
        }
        store16(d, _mm_or_si128(_mm_shuffle_epi8(out, shuffle), fill));
    }
    n * 4
}

// ---- 16-bit -> 8-bit ------------------------------------------------------------------------------
// (v * 255 + 32767) / 65535 == (mulhi(v, 0xff01) + 128) >> 8 for every v (checked in tests).

#[target_feature(enable = "avx2")]
fn narrow16_avx2(le: bool, src: &[u8], dst: &mut [u8], n: usize) -> usize {
    narrow16_avx2_loop(le, None, src, dst, n / 32) * 32
}

/// `blocks` steps of 32 samples (8 pixels of 4), rearranged by the 4 -> 4 byte map `m` when
/// given.
#[target_feature(enable = "avx2")]
#[inline]
fn narrow16_avx2_loop(
    le: bool,
    m: Option<&ByteMap>,
    src: &[u8],
    dst: &mut [u8],
    blocks: usize,
) -> usize {
    let bswap = broadcast16(&bswap_control(2));
    let (shuffle, fill) = match m {
        Some(m) => (broadcast16(&m.lane_shuffle), broadcast16(&m.lane_fill)),
        None => (
            broadcast16(&std::array::from_fn(|i| i as u8)),
            _mm256_setzero_si256(),
        ),
    };
    let mul = _mm256_set1_epi16(0xff01u16 as i16);
    let c128 = _mm256_set1_epi16(128);
    let narrow = |v: __m256i| {
        let v = if le { v } else { _mm256_shuffle_epi8(v, bswap) };
        _mm256_srli_epi16::<8>(_mm256_add_epi16(_mm256_mulhi_epu16(v, mul), c128))
    };
    let blocks = blocks.min(src.len() / 64).min(dst.len() / 32);
    for (s, d) in src
        .chunks_exact(64)
        .zip(dst.chunks_exact_mut(32))
        .take(blocks)
    {
        let r = _mm256_packus_epi16(narrow(load32(s)), narrow(load32(&s[32..])));
        let r = _mm256_permute4x64_epi64::<0b11_01_10_00>(r);
        store32(d, _mm256_or_si256(_mm256_shuffle_epi8(r, shuffle), fill));
    }
    blocks
}

#[target_feature(enable = "ssse3")]
fn narrow16_ssse3(le: bool, src: &[u8], dst: &mut [u8], n: usize) -> usize {
    let bswap = array16(&bswap_control(2));
    let m = _mm_set1_epi16(0xff01u16 as i16);
    let c128 = _mm_set1_epi16(128);
    let narrow = |v: __m128i| {
        let v = if le { v } else { _mm_shuffle_epi8(v, bswap) };
        _mm_srli_epi16::<8>(_mm_add_epi16(_mm_mulhi_epu16(v, m), c128))
    };
    let blocks = n / 16;
    for (s, d) in src
        .chunks_exact(32)
        .zip(dst.chunks_exact_mut(16))
        .take(blocks)
    {
        store16(
            d,
            _mm_packus_epi16(narrow(load16(s)), narrow(load16(&s[16..]))),
        );
    }
    blocks * 16
}

// ---- binary32 -> 8-bit ------------------------------------------------------------------------------
// The reference rounds f64(v) * 255 (exact: 24 + 8 bits) to nearest even and clamps, NaN -> 0.
// maxpd returns its second operand when either is NaN, so max(x, 0) sends NaN to 0 (the SSSE3
// version; the AVX2 one lets the packs saturate NaN to 0); cvtpd2dq rounds to nearest even
// (the default MXCSR mode, which Rust requires).

#[target_feature(enable = "avx2")]
fn quant_f32_avx2(le: bool, src: &[u8], dst: &mut [u8], n: usize) -> usize {
    quant_f32_avx2_loop(le, None, src, dst, n / 4) * 4
}

/// 16 samples (4 pixels) per step, rearranged by the 4 -> 4 byte map `m` when given; returns
/// the pixels done (of 4 samples each).
#[target_feature(enable = "avx2")]
#[inline]
fn quant_f32_avx2_loop(
    le: bool,
    m: Option<&ByteMap>,
    src: &[u8],
    dst: &mut [u8],
    pixels: usize,
) -> usize {
    let bswap = array16(&bswap_control(4));
    let (shuffle, fill) = match m {
        Some(m) => (array16(&m.lane_shuffle), array16(&m.lane_fill)),
        None => (
            array16(&std::array::from_fn(|i| i as u8)),
            _mm_setzero_si128(),
        ),
    };
    let k255 = _mm256_set1_pd(255.0);
    let four = |s: &[u8]| {
        let v = load16(s);
        let v = if le { v } else { _mm_shuffle_epi8(v, bswap) };
        let x = _mm256_mul_pd(_mm256_cvtps_pd(_mm_castsi128_ps(v)), k255);
        // minpd returns its second operand when either is NaN: NaN stays NaN here and
        // converts to 0x80000000, which the signed and unsigned packs saturate to 0, as they
        // do negative values (-inf included); +inf and anything above 255 become 255.
        _mm256_cvtpd_epi32(_mm256_min_pd(k255, x))
    };
    let blocks = pixels / 4;
    for (s, d) in src
        .chunks_exact(64)
        .zip(dst.chunks_exact_mut(16))
        .take(blocks)
    {
        let a = _mm_packs_epi32(four(s), four(&s[16..]));
        let b = _mm_packs_epi32(four(&s[32..]), four(&s[48..]));
        let r = _mm_packus_epi16(a, b);
        store16(d, _mm_or_si128(_mm_shuffle_epi8(r, shuffle), fill));
    }
    blocks * 4
}

/// Decode and a 4 -> 4 byte map in one pass: binary32 or 16-bit RGBA -> 8-bit RGBA.
pub(super) fn decode_map4(
    level: Level,
    decode: super::Decode,
    m: &ByteMap,
    src: &[u8],
    dst: &mut [u8],
    width: usize,
) -> usize {
    if level != Level::Avx2 || m.in_bpp != 4 || m.out_bpp != 4 {
        return 0;
    }
    match decode {
        // SAFETY: Level::Avx2 is only detected when the CPU has AVX2.
        super::Decode::QuantF32 { le } => unsafe {
            quant_f32_avx2_loop(le, Some(m), src, dst, width)
        },
        // SAFETY: as above.
        super::Decode::Narrow16 { le } => unsafe {
            narrow16_avx2_loop(le, Some(m), src, dst, width / 8) * 8
        },
        _ => 0,
    }
}

#[target_feature(enable = "ssse3")]
fn quant_f32_ssse3(le: bool, src: &[u8], dst: &mut [u8], n: usize) -> usize {
    let bswap = array16(&bswap_control(4));
    let k255 = _mm_set1_pd(255.0);
    let zero = _mm_setzero_pd();
    let two = |v: __m128| {
        let x = _mm_mul_pd(_mm_cvtps_pd(v), k255);
        _mm_cvtpd_epi32(_mm_min_pd(_mm_max_pd(x, zero), k255))
    };
    let four = |s: &[u8]| {
        let v = load16(s);
        let v = _mm_castsi128_ps(if le { v } else { _mm_shuffle_epi8(v, bswap) });
        let lo = two(v);
        let hi = two(_mm_movehl_ps(v, v));
        _mm_unpacklo_epi64(lo, hi)
    };
    let blocks = n / 16;
    for (s, d) in src
        .chunks_exact(64)
        .zip(dst.chunks_exact_mut(16))
        .take(blocks)
    {
        let a = _mm_packs_epi32(four(s), four(&s[16..]));
        let b = _mm_packs_epi32(four(&s[32..]), four(&s[48..]));
        store16(d, _mm_packus_epi16(a, b));
    }
    blocks * 16
}

// ---- 8-bit -> binary32 ------------------------------------------------------------------------------
// The reference's f32(f64(v) / 255) equals the correctly rounded binary32 quotient v / 255 for
// every byte (checked in tests): divps gives it, and so does q = v * r, q + (v - 255 q) * r
// with r = 1/255 and fused multiply-adds.

#[target_feature(enable = "avx2,fma")]
fn encode_f32_avx2(le: bool, src: &[u8], dst: &mut [u8]) -> usize {
    let bswap = broadcast16(&bswap_control(4));
    let r = _mm256_set1_ps(1.0 / 255.0);
    let k255 = _mm256_set1_ps(255.0);
    let blocks = src.len() / 8;
    for (s, d) in src
        .chunks_exact(8)
        .zip(dst.chunks_exact_mut(32))
        .take(blocks)
    {
        let x = _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(load8(s)));
        let q = _mm256_mul_ps(x, r);
        let e = _mm256_fnmadd_ps(q, k255, x);
        let q = _mm256_castps_si256(_mm256_fmadd_ps(e, r, q));
        store32(d, if le { q } else { _mm256_shuffle_epi8(q, bswap) });
    }
    blocks * 8
}

#[target_feature(enable = "sse4.1")]
fn encode_f32_sse41(le: bool, src: &[u8], dst: &mut [u8]) -> usize {
    let bswap = array16(&bswap_control(4));
    let k255 = _mm_set1_ps(255.0);
    let blocks = src.len() / 4;
    for (s, d) in src
        .chunks_exact(4)
        .zip(dst.chunks_exact_mut(16))
        .take(blocks)
    {
        let v = u32::from_le_bytes([s[0], s[1], s[2], s[3]]);
        let x = _mm_cvtepi32_ps(_mm_cvtepu8_epi32(_mm_cvtsi32_si128(v as i32)));
        let q = _mm_castps_si128(_mm_div_ps(x, k255));
        store16(d, if le { q } else { _mm_shuffle_epi8(q, bswap) });
    }
    blocks * 4
}

// ---- 256-entry byte lookup ----------------------------------------------------------------------------
// pshufb looks up 16 entries and gives 0 where the index has its top bit set. Two chains of
// eight lookups cover the table: the low half with index g, the high half with g - 128; each
// step subtracts 16 with signed saturation, so row h of a half is looked up at steps 0..=h and
// not after. Tables hold XOR differences of consecutive rows, so the chain's XOR is row h.

fn lut_rows(table: &[u8; 256]) -> [[u8; 16]; 16] {
    std::array::from_fn(|i| {
        let (half, k) = (i / 8, i % 8);
        std::array::from_fn(|j| {
            let row = |k: usize| table[128 * half + 16 * k + j];
            if k == 0 { row(0) } else { row(k) ^ row(k - 1) }
        })
    })
}

#[target_feature(enable = "avx2")]
#[inline]
fn lut_tables_avx2(table: &[u8; 256]) -> [__m256i; 16] {
    let rows = lut_rows(table);
    std::array::from_fn(|i| broadcast16(&rows[i]))
}

/// 32 table lookups.
#[target_feature(enable = "avx2")]
#[inline]
fn lut_avx2(t: &[__m256i; 16], v: __m256i) -> __m256i {
    let c16 = _mm256_set1_epi8(16);
    let mut lo = v;
    let mut hi = _mm256_xor_si256(v, _mm256_set1_epi8(-128));
    let mut r = _mm256_setzero_si256();
    for k in 0..8 {
        r = _mm256_xor_si256(r, _mm256_shuffle_epi8(t[k], lo));
        r = _mm256_xor_si256(r, _mm256_shuffle_epi8(t[8 + k], hi));
        lo = _mm256_subs_epi8(lo, c16);
        hi = _mm256_subs_epi8(hi, c16);
    }
    r
}

#[target_feature(enable = "avx2")]
fn byte_lut_avx2(table: &[u8; 256], src: &[u8], dst: &mut [u8]) -> usize {
    let t = lut_tables_avx2(table);
    let blocks = src.len().min(dst.len()) / 32;
    for (s, d) in src
        .chunks_exact(32)
        .zip(dst.chunks_exact_mut(32))
        .take(blocks)
    {
        store32(d, lut_avx2(&t, load32(s)));
    }
    blocks * 32
}

/// 4-byte pixels: the channels `luts[i].1` selects (`[bool; 4]`, in memory order) through
/// the table `luts[i].0`, the channels no entry selects copied. Returns the bytes done (the
/// caller finishes the row); does nothing for more than one table: each table costs a chain
/// of 16 pshufb over every byte, and two chains already take about as long as the scalar
/// lookup (4 bytes per pixel, ~2 bytes per cycle).
pub(super) fn lut_channels(
    level: Level,
    luts: &[([u8; 256], [bool; 4])],
    src: &[u8],
    dst: &mut [u8],
) -> usize {
    match (level, luts) {
        // SAFETY: Level::Avx2 is only detected when the CPU has AVX2.
        (Level::Avx2, [a]) => unsafe { lut_channels_avx2(&[a], src, dst) },
        _ => 0,
    }
}

#[target_feature(enable = "avx2")]
fn lut_channels_avx2<const N: usize>(
    luts: &[&([u8; 256], [bool; 4]); N],
    src: &[u8],
    dst: &mut [u8],
) -> usize {
    let t: [[__m256i; 16]; N] = std::array::from_fn(|i| lut_tables_avx2(&luts[i].0));
    let masks: [__m256i; N] = std::array::from_fn(|i| {
        broadcast16(&std::array::from_fn(|b| {
            if luts[i].1[b % 4] { 0xff } else { 0 }
        }))
    });
    let blocks = src.len().min(dst.len()) / 32;
    for (s, d) in src
        .chunks_exact(32)
        .zip(dst.chunks_exact_mut(32))
        .take(blocks)
    {
        let v = load32(s);
        let mut r = v;
        for (t, mask) in t.iter().zip(masks) {
            r = _mm256_blendv_epi8(r, lut_avx2(t, v), mask);
        }
        store32(d, r);
    }
    blocks * 32
}

#[target_feature(enable = "ssse3")]
fn byte_lut_ssse3(table: &[u8; 256], src: &[u8], dst: &mut [u8]) -> usize {
    let rows = lut_rows(table);
    let t: [__m128i; 16] = std::array::from_fn(|i| array16(&rows[i]));
    let c16 = _mm_set1_epi8(16);
    let flip = _mm_set1_epi8(-128);
    let blocks = src.len().min(dst.len()) / 16;
    for (s, d) in src
        .chunks_exact(16)
        .zip(dst.chunks_exact_mut(16))
        .take(blocks)
    {
        let mut lo = load16(s);
        let mut hi = _mm_xor_si128(lo, flip);
        let mut r = _mm_setzero_si128();
        for k in 0..8 {
            r = _mm_xor_si128(r, _mm_shuffle_epi8(t[k], lo));
            r = _mm_xor_si128(r, _mm_shuffle_epi8(t[8 + k], hi));
            lo = _mm_subs_epi8(lo, c16);
            hi = _mm_subs_epi8(hi, c16);
        }
        store16(d, r);
    }
    blocks * 16
}
