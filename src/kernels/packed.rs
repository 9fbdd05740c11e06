//! Row kernels of the packed formats: 16-bit RGB565 / ARGB1555 / RGBA5551 (host-endian
//! `uint16_t` pixels), 32-bit 10-bit-per-channel XRGB2101010 / ARGB2101010 (little-endian words)
//! and RGBA1010102 (big-endian words), and the 1-, 2- and 4-bit planar and indexed formats
//! (pixels packed most significant bits first).
//!
//! These formats are bit fields, not byte-addressed samples, so none of the byte-map kernels of
//! [`super::Kernel`] applies; each kernel below is a plain safe loop over `chunks_exact` with
//! the channel positions as const generics, which LLVM unrolls and vectorizes. The arithmetic is
//! exactly Apple's (Conversion.h), written once here:
//!
//! * widening 5 bits `(v * 255 + 15) / 31`, 6 bits `(v * 255 + 31) / 63`, 1 bit `v * 255`;
//! * narrowing 5 bits `(c * 31 + 127) / 255`, 6 bits `(c * 63 + 127) / 255`, 1 bit
//!   `(a + 127) / 255`;
//! * 10 bits to `max` (255 or 65535): `clamp(((v - min) * max + range / 2) / range, 0, max)`,
//!   back `(c * range + max / 2) / max + min`; 2-bit alpha `(a * max + 1) / 3` and
//!   `(a * 3 + max / 2) / max`.

// ---- 16-bit packed formats --------------------------------------------------------------------
//
// The channel conversions are Apple's divisions rewritten as multiply-add-shifts in 16-bit
// arithmetic (proved equal over every input by the tests at the end of this file), and each
// kernel maps a whole packed word to a whole word (a 16-bit pixel to a little-endian 32-bit
// one or back) in blocks of [`BLOCK`] pixels, so LLVM turns the loop into 16-bit lane
// multiplies and shifts. [`fast`] compiles the same loop a second time with AVX2.

use super::Level;
use simd::{Field, Src};

/// `(v * 255 + 15) / 31` for `v < 32`.
#[inline(always)]
fn w5(v: u16) -> u16 {
    (v * 527 + 23) >> 6
}

/// `(v * 255 + 31) / 63` for `v < 64`.
#[inline(always)]
fn w6(v: u16) -> u16 {
    (v * 259 + 33) >> 6
}

/// `(c * 31 + 127) / 255` for `c < 256`.
#[inline(always)]
fn n5(c: u16) -> u16 {
    (c * 249 + 1024) >> 11
}

/// `(c * 63 + 127) / 255` for `c < 256`.
#[inline(always)]
fn n6(c: u16) -> u16 {
    (c * 253 + 512) >> 10
}

/// `(a + 127) / 255` for `a < 256`.
#[inline(always)]
fn n1(a: u16) -> u16 {
    a >> 7
}

/// `(g * 63 + 15) / 31` for `g < 32`: five bits widened to six to nearest (the 1555 -> 565
/// kernels apply it to whole words).
#[cfg(test)]
fn g5to6(g: u16) -> u16 {
    (g << 1) | (g >> 4)
}

/// `x / 63` for `x < 4228` (`(g6 * 31 + t) / 63` with `t < 64`): the high half of a 16-bit
/// multiply, shifted once more.
#[inline(always)]
fn div63(x: u16) -> u16 {
    (((u32::from(x) * 2081) >> 16) as u16) >> 1
}

/// Pixels per block of the 16-bit kernels (a multiple of 8, the ordered-dither period).
const BLOCK: usize = 16;

/// Defines `pub fn $name(args)` whose body is compiled twice, plainly and inside an `avx2`
/// target-feature function, the latter chosen when the CPU has AVX2.
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
            if Level::detect() == Level::Avx2 {
                // SAFETY: Level::Avx2 is only detected when the CPU has AVX2.
                return unsafe { with_avx2($($arg),*) };
            }
            body($($arg),*)
        }
    };
}

/// A whole-pixel conversion: `S`-byte pixel word in (a host-endian 16-bit word or a
/// little-endian 32-bit one), `D`-byte word out (host-endian 16-bit, or the low `D` bytes of a
/// little-endian 32-bit word). `x` is the pixel's column modulo [`BLOCK`].
trait Pixel: Copy {
    const S: usize;
    const D: usize;
    fn px(self, x: usize, w: u32) -> u32;
}

#[inline(always)]
fn load<const S: usize>(b: &[u8]) -> u32 {
    if S == 2 {
        u32::from(u16::from_ne_bytes([b[0], b[1]]))
    } else {
        u32::from_le_bytes([b[0], b[1], b[2], b[3]])
    }
}

#[inline(always)]
fn store<const D: usize>(b: &mut [u8], p: u32) {
    if D == 2 {
        b.copy_from_slice(&(p as u16).to_ne_bytes());
    } else {
        b.copy_from_slice(&p.to_le_bytes()[..D]);
    }
}

/// `dst pixel x = P::px(x % BLOCK, src pixel x)` over the pixels both rows hold, in blocks of
/// [`BLOCK`] pixels that LLVM vectorizes.
#[inline(always)]
fn map_body<P: Pixel, const S: usize, const D: usize>(p: P, src: &[u8], dst: &mut [u8]) {
    let n = (src.len() / S).min(dst.len() / D);
    let (src, dst) = (&src[..n * S], &mut dst[..n * D]);
    let mut s_blocks = src.chunks_exact(S * BLOCK);
    let mut d_blocks = dst.chunks_exact_mut(D * BLOCK);
    for (s, d) in (&mut s_blocks).zip(&mut d_blocks) {
        if S == 2 && D == 2 {
            // 16-bit words throughout, so that LLVM keeps 16-bit lanes.
            let mut w = [0u16; BLOCK];
            for (w, s) in w.iter_mut().zip(s.chunks_exact(2)) {
                *w = u16::from_ne_bytes([s[0], s[1]]);
            }
            let mut out = [0u16; BLOCK];
            for (i, (o, w)) in out.iter_mut().zip(w).enumerate() {
                *o = p.px(i, u32::from(w)) as u16;
            }
            for (d, o) in d.chunks_exact_mut(2).zip(out) {
                d.copy_from_slice(&o.to_ne_bytes());
            }
            continue;
        }
        let mut w = [0u32; BLOCK];
        for (w, s) in w.iter_mut().zip(s.chunks_exact(S)) {
            *w = load::<S>(s);
        }
        let mut out = [0u32; BLOCK];
        for (i, (o, w)) in out.iter_mut().zip(w).enumerate() {
            *o = p.px(i, w);
        }
        for (d, o) in d.chunks_exact_mut(D).zip(out) {
            store::<D>(d, o);
        }
    }
    let tail = s_blocks.remainder().chunks_exact(S);
    for (i, (s, d)) in tail
        .zip(d_blocks.into_remainder().chunks_exact_mut(D))
        .enumerate()
    {
        store::<D>(d, p.px(i, load::<S>(s)));
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn map_avx2<P: Pixel, const S: usize, const D: usize>(p: P, src: &[u8], dst: &mut [u8]) {
    map_body::<P, S, D>(p, src, dst)
}

/// Runs [`map_body`] compiled for AVX2 when the CPU has it.
fn map<P: Pixel, const S: usize, const D: usize>(p: P, src: &[u8], dst: &mut [u8]) {
    debug_assert!(S == P::S && D == P::D);
    #[cfg(target_arch = "x86_64")]
    if Level::detect() == Level::Avx2 {
        // SAFETY: Level::Avx2 is only detected when the CPU has AVX2.
        return unsafe { map_avx2::<P, S, D>(p, src, dst) };
    }
    map_body::<P, S, D>(p, src, dst)
}

/// RGB565 word -> `[r, g, b]`, 8 bits each.
#[inline(always)]
fn widen565(w: u32) -> [u32; 3] {
    let w = w as u16;
    [
        u32::from(w5(w >> 11)),
        u32::from(w6((w >> 5) & 63)),
        u32::from(w5(w & 31)),
    ]
}

/// RGB565 -> 8888 with red at byte `R`, green `G`, blue `B` and the constant (already shifted)
/// alpha; `D = 3` drops the fourth byte.
#[derive(Clone, Copy)]
struct From565<const R: usize, const G: usize, const B: usize, const D: usize>(u32);

impl<const R: usize, const G: usize, const B: usize, const D: usize> Pixel for From565<R, G, B, D> {
    const S: usize = 2;
    const D: usize = D;
    #[inline(always)]
    fn px(self, _: usize, w: u32) -> u32 {
        let [r, g, b] = widen565(w);
        (r << (8 * R)) | (g << (8 * G)) | (b << (8 * B)) | self.0
    }
}

/// RGB565 -> four 8-bit channels, red at byte `R`, green `G`, blue `B`, the constant `alpha`
/// at `A`.
pub fn rgb565_to_8888<const R: usize, const G: usize, const B: usize, const A: usize>(
    src: &[u8],
    dst: &mut [u8],
    alpha: u8,
) {
    let a = u32::from(alpha) << (8 * A);
    let done = simd::widen::<From565<R, G, B, 4>>(src, dst, alpha);
    map::<_, 2, 4>(
        From565::<R, G, B, 4>(a),
        &src[2 * done..],
        &mut dst[4 * done..],
    )
}

impl<const R: usize, const G: usize, const B: usize, const D: usize> simd::Widen
    for From565<R, G, B, D>
{
    const BYTES: [Src; 4] = {
        let mut b = [Src::Alpha; 4];
        b[R] = Src::Field { shift: 11, bits: 5 };
        b[G] = Src::Field { shift: 5, bits: 6 };
        b[B] = Src::Field { shift: 0, bits: 5 };
        b
    };
    const D: usize = D;
}

/// RGB565 -> RGB888.
pub fn rgb565_to_888(src: &[u8], dst: &mut [u8]) {
    let done = simd::widen::<From565<0, 1, 2, 3>>(src, dst, 0);
    map::<_, 2, 3>(
        From565::<0, 1, 2, 3>(0),
        &src[2 * done..],
        &mut dst[3 * done..],
    )
}

/// Byte `i` of a little-endian 32-bit pixel.
#[inline(always)]
fn byte(p: u32, i: usize) -> u16 {
    ((p >> (8 * i)) & 255) as u16
}

#[derive(Clone, Copy)]
struct To565<const R: usize, const G: usize, const B: usize>;

impl<const R: usize, const G: usize, const B: usize> Pixel for To565<R, G, B> {
    const S: usize = 4;
    const D: usize = 2;
    #[inline(always)]
    fn px(self, _: usize, p: u32) -> u32 {
        u32::from((n5(byte(p, R)) << 11) | (n6(byte(p, G)) << 5) | n5(byte(p, B)))
    }
}

/// Four 8-bit channels (red at byte `R`, green `G`, blue `B`; the fourth ignored) -> RGB565.
pub fn x8888_to_rgb565<const R: usize, const G: usize, const B: usize>(src: &[u8], dst: &mut [u8]) {
    let done = simd::narrow::<To565<R, G, B>>(src, dst);
    map::<_, 4, 2>(To565::<R, G, B>, &src[4 * done..], &mut dst[2 * done..])
}

impl<const R: usize, const G: usize, const B: usize> simd::Narrow for To565<R, G, B> {
    const FIELDS: [Field; 4] = [
        Field {
            pos: R,
            bits: 5,
            shift: 11,
        },
        Field {
            pos: G,
            bits: 6,
            shift: 5,
        },
        Field {
            pos: B,
            bits: 5,
            shift: 0,
        },
        Field {
            pos: 0,
            bits: 0,
            shift: 0,
        },
    ];
}

/// The bit positions of a 16-bit 1-5-5-5 pixel: alpha first (ARGB1555: A 15, R 14-10, G 9-5,
/// B 4-0) or last (RGBA5551: R 15-11, G 10-6, B 5-1, A 0).
#[inline(always)]
fn split1555<const ALPHA_FIRST: bool>(w: u32) -> [u16; 4] {
    let w = w as u16;
    if ALPHA_FIRST {
        [w >> 15, (w >> 10) & 31, (w >> 5) & 31, w & 31]
    } else {
        [w & 1, w >> 11, (w >> 6) & 31, (w >> 1) & 31]
    }
}

#[inline(always)]
fn join1555<const ALPHA_FIRST: bool>(a: u16, r: u16, g: u16, b: u16) -> u16 {
    if ALPHA_FIRST {
        (a << 15) | (r << 10) | (g << 5) | b
    } else {
        (r << 11) | (g << 6) | (b << 1) | a
    }
}

#[derive(Clone, Copy)]
struct From1555<const ALPHA_FIRST: bool>;

impl<const ALPHA_FIRST: bool> Pixel for From1555<ALPHA_FIRST> {
    const S: usize = 2;
    const D: usize = 4;
    #[inline(always)]
    fn px(self, _: usize, w: u32) -> u32 {
        let [a, r, g, b] = split1555::<ALPHA_FIRST>(w);
        let [a, r, g, b] = [a * 255, w5(r), w5(g), w5(b)].map(u32::from);
        if ALPHA_FIRST {
            a | (r << 8) | (g << 16) | (b << 24)
        } else {
            r | (g << 8) | (b << 16) | (a << 24)
        }
    }
}

/// ARGB1555 -> ARGB8888 (`ALPHA_FIRST`) or RGBA5551 -> RGBA8888: the 8-bit channels keep the
/// packed pixel's order.
pub fn x1555_to_8888<const ALPHA_FIRST: bool>(src: &[u8], dst: &mut [u8]) {
    let done = simd::widen::<From1555<ALPHA_FIRST>>(src, dst, 0);
    map::<_, 2, 4>(
        From1555::<ALPHA_FIRST>,
        &src[2 * done..],
        &mut dst[4 * done..],
    )
}

impl<const ALPHA_FIRST: bool> simd::Widen for From1555<ALPHA_FIRST> {
    const BYTES: [Src; 4] = if ALPHA_FIRST {
        [
            Src::Field { shift: 15, bits: 1 },
            Src::Field { shift: 10, bits: 5 },
            Src::Field { shift: 5, bits: 5 },
            Src::Field { shift: 0, bits: 5 },
        ]
    } else {
        [
            Src::Field { shift: 11, bits: 5 },
            Src::Field { shift: 6, bits: 5 },
            Src::Field { shift: 1, bits: 5 },
            Src::Field { shift: 0, bits: 1 },
        ]
    };
    const D: usize = 4;
}

#[derive(Clone, Copy)]
struct To1555<const ALPHA_FIRST: bool>;

impl<const ALPHA_FIRST: bool> Pixel for To1555<ALPHA_FIRST> {
    const S: usize = 4;
    const D: usize = 2;
    #[inline(always)]
    fn px(self, _: usize, p: u32) -> u32 {
        let [a, r, g, b] = if ALPHA_FIRST {
            [0, 1, 2, 3]
        } else {
            [3, 0, 1, 2]
        };
        u32::from(join1555::<ALPHA_FIRST>(
            n1(byte(p, a)),
            n5(byte(p, r)),
            n5(byte(p, g)),
            n5(byte(p, b)),
        ))
    }
}

/// ARGB8888 -> ARGB1555 (`ALPHA_FIRST`) or RGBA8888 -> RGBA5551.
pub fn x8888_to_1555<const ALPHA_FIRST: bool>(src: &[u8], dst: &mut [u8]) {
    let done = simd::narrow::<To1555<ALPHA_FIRST>>(src, dst);
    map::<_, 4, 2>(
        To1555::<ALPHA_FIRST>,
        &src[4 * done..],
        &mut dst[2 * done..],
    )
}

impl<const ALPHA_FIRST: bool> simd::Narrow for To1555<ALPHA_FIRST> {
    const FIELDS: [Field; 4] = if ALPHA_FIRST {
        [
            Field {
                pos: 1,
                bits: 5,
                shift: 10,
            },
            Field {
                pos: 2,
                bits: 5,
                shift: 5,
            },
            Field {
                pos: 3,
                bits: 5,
                shift: 0,
            },
            Field {
                pos: 0,
                bits: 1,
                shift: 15,
            },
        ]
    } else {
        [
            Field {
                pos: 0,
                bits: 5,
                shift: 11,
            },
            Field {
                pos: 1,
                bits: 5,
                shift: 6,
            },
            Field {
                pos: 2,
                bits: 5,
                shift: 1,
            },
            Field {
                pos: 3,
                bits: 1,
                shift: 0,
            },
        ]
    };
}

#[derive(Clone, Copy)]
struct Drop1555<const ALPHA_FIRST: bool>;

impl<const ALPHA_FIRST: bool> Pixel for Drop1555<ALPHA_FIRST> {
    const S: usize = 2;
    const D: usize = 2;
    #[inline(always)]
    fn px(self, _: usize, w: u32) -> u32 {
        // Red and green moved up (alpha shifted out), green's top bit copied below it, blue
        // moved down: `r << 11 | g5to6(g) << 5 | b`.
        let w = w as u16;
        u32::from(if ALPHA_FIRST {
            ((w << 1) & 0xFFC0) | ((w >> 4) & 0x20) | (w & 0x1F)
        } else {
            (w & 0xFFC0) | ((w >> 5) & 0x20) | ((w >> 1) & 0x1F)
        })
    }
}

/// ARGB1555 (`ALPHA_FIRST`) or RGBA5551 -> RGB565: alpha dropped, red and blue copied, green
/// widened to six bits to nearest, `(g * 63 + 15) / 31` (= `g << 1 | g >> 4`).
pub fn x1555_to_rgb565<const ALPHA_FIRST: bool>(src: &[u8], dst: &mut [u8]) {
    let done = simd::drop1555::<ALPHA_FIRST>(src, dst);
    map::<_, 2, 2>(
        Drop1555::<ALPHA_FIRST>,
        &src[2 * done..],
        &mut dst[2 * done..],
    )
}

#[derive(Clone, Copy)]
struct Narrow565<const ALPHA_FIRST: bool>([u16; BLOCK]);

impl<const ALPHA_FIRST: bool> Pixel for Narrow565<ALPHA_FIRST> {
    const S: usize = 2;
    const D: usize = 2;
    #[inline(always)]
    fn px(self, x: usize, w: u32) -> u32 {
        let w = w as u16;
        let g5 = div63(((w >> 5) & 63) * 31 + self.0[x]);
        u32::from(join1555::<ALPHA_FIRST>(1, w >> 11, g5, w & 31))
    }
}

/// RGB565 -> ARGB1555 (`ALPHA_FIRST`) or RGBA5551, alpha 1, green narrowed to five bits:
/// `g5 = (g6 * 31 + t) / 63` with `t = threshold[x % 8]` (< 64): 31 everywhere rounds to
/// nearest (kvImageConvert_DitherNone); an ordered dither passes a row of values spread over
/// 0..63.
pub fn rgb565_to_1555<const ALPHA_FIRST: bool>(src: &[u8], dst: &mut [u8], threshold: &[u32; 8]) {
    debug_assert!(threshold.iter().all(|&t| t < 64));
    let t = std::array::from_fn(|x| threshold[x % 8].min(63) as u16);
    let done = simd::narrow565::<ALPHA_FIRST>(src, dst, &t);
    map::<_, 2, 2>(
        Narrow565::<ALPHA_FIRST>(t),
        &src[2 * done..],
        &mut dst[2 * done..],
    )
}

multiversion! {
    /// RGB565 -> three Planar8 rows.
    pub fn rgb565_to_planar8(src: &[u8], r: &mut [u8], g: &mut [u8], b: &mut [u8]) {
        let (r, g, b) = (r.iter_mut(), g.iter_mut(), b.iter_mut());
        for (s, ((r, g), b)) in src.chunks_exact(2).zip(r.zip(g).zip(b)) {
            let [vr, vg, vb] = widen565(load::<2>(s));
            (*r, *g, *b) = (vr as u8, vg as u8, vb as u8);
        }
    }
}

multiversion! {
    /// Three Planar8 rows -> RGB565.
    pub fn planar8_to_rgb565(r: &[u8], g: &[u8], b: &[u8], dst: &mut [u8]) {
        for (d, ((r, g), b)) in dst.chunks_exact_mut(2).zip(r.iter().zip(g).zip(b)) {
            let w = (n5(u16::from(*r)) << 11) | (n6(u16::from(*g)) << 5) | n5(u16::from(*b));
            store::<2>(d, u32::from(w));
        }
    }
}

multiversion! {
    /// ARGB1555 -> four Planar8 rows (A, R, G, B).
    pub fn argb1555_to_planar8(src: &[u8], dst: [&mut [u8]; 4]) {
        let [a, r, g, b] = dst;
        let planes = a
            .iter_mut()
            .zip(r.iter_mut())
            .zip(g.iter_mut())
            .zip(b.iter_mut());
        for (s, (((a, r), g), b)) in src.chunks_exact(2).zip(planes) {
            let [va, vr, vg, vb] = split1555::<true>(load::<2>(s));
            *a = (va * 255) as u8;
            *r = w5(vr) as u8;
            *g = w5(vg) as u8;
            *b = w5(vb) as u8;
        }
    }
}

multiversion! {
    /// Four Planar8 rows (A, R, G, B) -> ARGB1555.
    pub fn planar8_to_argb1555(src: [&[u8]; 4], dst: &mut [u8]) {
        let [a, r, g, b] = src.map(|p| p.iter().map(|&v| u16::from(v)));
        let planes = a.zip(r).zip(g).zip(b);
        for (d, (((a, r), g), b)) in dst.chunks_exact_mut(2).zip(planes) {
            let w = join1555::<true>(n1(a), n5(r), n5(g), n5(b));
            store::<2>(d, u32::from(w));
        }
    }
}

/// AVX2 stages of the 16-bit kernels: 16 pixels a step, the same multiply-add-shift forms in
/// 16-bit lanes. Each returns how many whole pixels it converted (a multiple of 16, 0 without
/// AVX2); the portable loop finishes the row.
#[cfg(target_arch = "x86_64")]
mod simd {
    use std::arch::x86_64::*;

    use super::Level;

    /// What fills one byte of a widened 32-bit pixel.
    #[derive(Clone, Copy)]
    pub(super) enum Src {
        /// The field of `bits` (1, 5 or 6) bits at bit `shift` of the 16-bit pixel.
        Field { shift: i32, bits: u32 },
        /// The constant alpha.
        Alpha,
    }

    /// The four bytes (little-endian order) of a widened pixel, of which the first `D` (3 or
    /// 4) are stored.
    pub(super) trait Widen {
        const BYTES: [Src; 4];
        const D: usize;
    }

    /// One output field of a narrowed 16-bit pixel: the byte at `pos` of the 32-bit pixel,
    /// narrowed to `bits` (1, 5 or 6; 0 = unused) and put at bit `shift`.
    #[derive(Clone, Copy)]
    pub(super) struct Field {
        pub pos: usize,
        pub bits: u32,
        pub shift: i32,
    }

    pub(super) trait Narrow {
        const FIELDS: [Field; 4];
    }

    pub(super) fn widen<W: Widen>(src: &[u8], dst: &mut [u8], alpha: u8) -> usize {
        if Level::detect() != Level::Avx2 {
            return 0;
        }
        // SAFETY: Level::Avx2 is only detected when the CPU has AVX2.
        unsafe { widen_avx2::<W>(src, dst, alpha) }
    }

    pub(super) fn narrow<N: Narrow>(src: &[u8], dst: &mut [u8]) -> usize {
        if Level::detect() != Level::Avx2 {
            return 0;
        }
        // SAFETY: Level::Avx2 is only detected when the CPU has AVX2.
        unsafe { narrow_avx2::<N>(src, dst) }
    }

    #[target_feature(enable = "avx2")]
    #[inline]
    fn srl(v: __m256i, n: i32) -> __m256i {
        _mm256_srl_epi16(v, _mm_cvtsi32_si128(n))
    }

    #[target_feature(enable = "avx2")]
    #[inline]
    fn sll(v: __m256i, n: i32) -> __m256i {
        _mm256_sll_epi16(v, _mm_cvtsi32_si128(n))
    }

    #[target_feature(enable = "avx2")]
    #[inline]
    fn k(v: i32) -> __m256i {
        _mm256_set1_epi16(v as i16)
    }

    /// A byte of 16 widened pixels in the low (`hi` false) or high byte of each 16-bit lane:
    /// 5 bits `(v * 527 + 23) >> 6` (high: `(v * 2108 + 92) & 0xFF00`), 6 bits
    /// `(v * 259 + 33) >> 6` (high: `(v * 1036 + 132) & 0xFF00`), 1 bit `-v`.
    #[target_feature(enable = "avx2")]
    #[inline]
    fn widen_byte(w: __m256i, src: Src, hi: bool, alpha: __m256i) -> __m256i {
        let high = k(0xFF00);
        match src {
            Src::Alpha => {
                if hi {
                    _mm256_slli_epi16::<8>(alpha)
                } else {
                    alpha
                }
            }
            Src::Field { shift, bits: 1 } => {
                let all = _mm256_srai_epi16::<15>(sll(w, 15 - shift));
                _mm256_and_si256(all, if hi { high } else { k(0xFF) })
            }
            Src::Field { shift, bits } => {
                let mut v = srl(w, shift);
                if shift + bits as i32 != 16 {
                    v = _mm256_and_si256(v, k((1 << bits) - 1));
                }
                let (m, c) = if bits == 5 { (527, 23) } else { (259, 33) };
                if hi {
                    let x = _mm256_add_epi16(_mm256_mullo_epi16(v, k(4 * m)), k(4 * c));
                    _mm256_and_si256(x, high)
                } else {
                    srl(_mm256_add_epi16(_mm256_mullo_epi16(v, k(m)), k(c)), 6)
                }
            }
        }
    }

    #[target_feature(enable = "avx2")]
    fn widen_avx2<W: Widen>(src: &[u8], dst: &mut [u8], alpha: u8) -> usize {
        if W::D == 3 {
            return widen3_avx2::<W>(src, dst);
        }
        let n = (src.len() / 2).min(dst.len() / 4) / 16 * 16;
        let a = k(i32::from(alpha));
        let [b0, b1, b2, b3] = W::BYTES;
        for (s, d) in src[..2 * n]
            .chunks_exact(32)
            .zip(dst[..4 * n].chunks_exact_mut(64))
        {
            // SAFETY: s is 32 readable bytes (unaligned load).
            let w = unsafe { _mm256_loadu_si256(s.as_ptr().cast()) };
            // Pixels 0-3, 8-11 | 4-7, 12-15, so that the in-lane unpacks below give 0-7 | 8-15.
            let w = _mm256_permute4x64_epi64::<0b11_01_10_00>(w);
            let lo = _mm256_or_si256(widen_byte(w, b0, false, a), widen_byte(w, b1, true, a));
            let hi = _mm256_or_si256(widen_byte(w, b2, false, a), widen_byte(w, b3, true, a));
            // SAFETY: d is 64 writable bytes (unaligned stores).
            unsafe {
                _mm256_storeu_si256(d.as_mut_ptr().cast(), _mm256_unpacklo_epi16(lo, hi));
                _mm256_storeu_si256(d.as_mut_ptr().add(32).cast(), _mm256_unpackhi_epi16(lo, hi));
            }
        }
        n
    }

    /// [`widen_avx2`] to 3-byte pixels: each 128-bit lane of four 4-byte pixels packed to 12
    /// bytes and stored 16 bytes wide, the next store overwriting the 4 spare bytes (so a block
    /// needs 4 bytes of room past its 48).
    #[target_feature(enable = "avx2")]
    fn widen3_avx2<W: Widen>(src: &[u8], dst: &mut [u8]) -> usize {
        let n = (src.len() / 2).min(dst.len().saturating_sub(4) / 3) / 16 * 16;
        if n == 0 {
            return 0;
        }
        let z = _mm256_setzero_si256();
        let [b0, b1, b2, b3] = W::BYTES;
        let pack = _mm256_setr_epi8(
            0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, -1, -1, -1, -1, //
            0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, -1, -1, -1, -1,
        );
        let dst = &mut dst[..3 * n + 4];
        for (i, s) in src[..2 * n].chunks_exact(32).enumerate() {
            // SAFETY: s is 32 readable bytes (unaligned load).
            let w = unsafe { _mm256_loadu_si256(s.as_ptr().cast()) };
            let w = _mm256_permute4x64_epi64::<0b11_01_10_00>(w);
            let lo = _mm256_or_si256(widen_byte(w, b0, false, z), widen_byte(w, b1, true, z));
            let hi = _mm256_or_si256(widen_byte(w, b2, false, z), widen_byte(w, b3, true, z));
            let p0 = _mm256_shuffle_epi8(_mm256_unpacklo_epi16(lo, hi), pack);
            let p1 = _mm256_shuffle_epi8(_mm256_unpackhi_epi16(lo, hi), pack);
            let d = &mut dst[48 * i..48 * i + 52];
            // SAFETY: d is 52 writable bytes; the stores cover bytes 0..16, 12..28, 24..40 and
            // 36..52 (unaligned), in this order.
            unsafe {
                let d = d.as_mut_ptr();
                _mm_storeu_si128(d.cast(), _mm256_castsi256_si128(p0));
                _mm_storeu_si128(d.add(12).cast(), _mm256_extracti128_si256::<1>(p0));
                _mm_storeu_si128(d.add(24).cast(), _mm256_castsi256_si128(p1));
                _mm_storeu_si128(d.add(36).cast(), _mm256_extracti128_si256::<1>(p1));
            }
        }
        n
    }

    /// ARGB1555 (`ALPHA_FIRST`) or RGBA5551 -> RGB565, 16 pixels a step (the portable
    /// kernel's word formula).
    pub(super) fn drop1555<const ALPHA_FIRST: bool>(src: &[u8], dst: &mut [u8]) -> usize {
        if Level::detect() != Level::Avx2 {
            return 0;
        }
        // SAFETY: Level::Avx2 is only detected when the CPU has AVX2.
        unsafe { map16_avx2::<ALPHA_FIRST, false>(src, dst, &[0; 16]) }
    }

    /// RGB565 -> ARGB1555 (`ALPHA_FIRST`) or RGBA5551 with the per-column thresholds `t`,
    /// 16 pixels a step (the portable kernel's formula).
    pub(super) fn narrow565<const ALPHA_FIRST: bool>(
        src: &[u8],
        dst: &mut [u8],
        t: &[u16; 16],
    ) -> usize {
        if Level::detect() != Level::Avx2 {
            return 0;
        }
        // SAFETY: Level::Avx2 is only detected when the CPU has AVX2.
        unsafe { map16_avx2::<ALPHA_FIRST, true>(src, dst, t) }
    }

    #[target_feature(enable = "avx2")]
    fn map16_avx2<const ALPHA_FIRST: bool, const TO1555: bool>(
        src: &[u8],
        dst: &mut [u8],
        t: &[u16; 16],
    ) -> usize {
        let n = (src.len() / 2).min(dst.len() / 2) / 16 * 16;
        // SAFETY: t is 32 readable bytes.
        let t = unsafe { _mm256_loadu_si256(t.as_ptr().cast()) };
        let and = _mm256_and_si256;
        let or = _mm256_or_si256;
        for (s, d) in src[..2 * n]
            .chunks_exact(32)
            .zip(dst[..2 * n].chunks_exact_mut(32))
        {
            // SAFETY: s is 32 readable bytes (unaligned load).
            let w = unsafe { _mm256_loadu_si256(s.as_ptr().cast()) };
            let out = if TO1555 {
                let g6 = and(_mm256_srli_epi16::<5>(w), k(63));
                let x = _mm256_add_epi16(_mm256_mullo_epi16(g6, k(31)), t);
                let g5 = _mm256_srli_epi16::<1>(_mm256_mulhi_epu16(x, k(2081)));
                if ALPHA_FIRST {
                    let rb = or(and(_mm256_srli_epi16::<1>(w), k(0x7C00)), and(w, k(31)));
                    or(or(rb, _mm256_slli_epi16::<5>(g5)), k(0x8000))
                } else {
                    let rb = or(and(w, k(0xF800)), _mm256_slli_epi16::<1>(and(w, k(31))));
                    or(or(rb, _mm256_slli_epi16::<6>(g5)), k(1))
                }
            } else if ALPHA_FIRST {
                let rg = and(_mm256_slli_epi16::<1>(w), k(0xFFC0));
                or(
                    or(rg, and(_mm256_srli_epi16::<4>(w), k(0x20))),
                    and(w, k(0x1F)),
                )
            } else {
                let rg = and(w, k(0xFFC0));
                let b = and(_mm256_srli_epi16::<1>(w), k(0x1F));
                or(or(rg, and(_mm256_srli_epi16::<5>(w), k(0x20))), b)
            };
            // SAFETY: d is 32 writable bytes (unaligned store).
            unsafe { _mm256_storeu_si256(d.as_mut_ptr().cast(), out) };
        }
        n
    }

    /// The `pshufb` control that gathers, in each 128-bit lane, the bytes at `p0` of its four
    /// pixels as 16-bit lanes 0-3 and those at `p1` as lanes 4-7.
    #[target_feature(enable = "avx2")]
    #[inline]
    fn gather(p0: usize, p1: usize) -> __m256i {
        let mut c = [0x80u8; 16];
        for i in 0..4 {
            c[2 * i] = (4 * i + p0) as u8;
            c[8 + 2 * i] = (4 * i + p1) as u8;
        }
        // SAFETY: c is 16 readable bytes.
        let c = unsafe { _mm_loadu_si128(c.as_ptr().cast()) };
        _mm256_broadcastsi128_si256(c)
    }

    /// 16 narrowed values (16-bit lanes, `c < 256`) put at their field's bit: 5 bits
    /// `(c * 249 + 1024) >> 11`, 6 bits `(c * 253 + 512) >> 10`, 1 bit `c >> 7`.
    #[target_feature(enable = "avx2")]
    #[inline]
    fn narrow_field(c: __m256i, f: Field) -> __m256i {
        let top = match f.bits {
            1 => {
                return if f.shift == 15 {
                    _mm256_and_si256(_mm256_slli_epi16::<8>(c), k(0x8000))
                } else {
                    sll(_mm256_srli_epi16::<7>(c), f.shift)
                };
            }
            5 => _mm256_add_epi16(_mm256_mullo_epi16(c, k(249)), k(1024)),
            _ => _mm256_add_epi16(_mm256_mullo_epi16(c, k(253)), k(512)),
        };
        // The field is in the top `bits` bits of `top`.
        let right = 16 - f.bits as i32 - f.shift;
        let v = srl(top, right);
        if right == 0 {
            _mm256_and_si256(v, k(0xFFFF << (16 - f.bits)))
        } else if f.shift == 0 {
            v
        } else {
            _mm256_and_si256(v, k(((1 << f.bits) - 1) << f.shift))
        }
    }

    #[target_feature(enable = "avx2")]
    fn narrow_avx2<N: Narrow>(src: &[u8], dst: &mut [u8]) -> usize {
        let n = (src.len() / 4).min(dst.len() / 2) / 16 * 16;
        let [f0, f1, f2, f3] = N::FIELDS;
        let g01 = gather(f0.pos, f1.pos);
        let g23 = gather(f2.pos, f3.pos);
        for (s, d) in src[..4 * n]
            .chunks_exact(64)
            .zip(dst[..2 * n].chunks_exact_mut(32))
        {
            // SAFETY: s is 64 readable bytes (unaligned loads).
            let (v0, v1) = unsafe {
                (
                    _mm256_loadu_si256(s.as_ptr().cast()),
                    _mm256_loadu_si256(s.as_ptr().add(32).cast()),
                )
            };
            // Planes of 16-bit values in pixel order 0-3, 8-11 | 4-7, 12-15.
            let (a0, a1) = (_mm256_shuffle_epi8(v0, g01), _mm256_shuffle_epi8(v1, g01));
            let mut out = _mm256_or_si256(
                narrow_field(_mm256_unpacklo_epi64(a0, a1), f0),
                narrow_field(_mm256_unpackhi_epi64(a0, a1), f1),
            );
            if f2.bits != 0 {
                let (b0, b1) = (_mm256_shuffle_epi8(v0, g23), _mm256_shuffle_epi8(v1, g23));
                out = _mm256_or_si256(out, narrow_field(_mm256_unpacklo_epi64(b0, b1), f2));
                if f3.bits != 0 {
                    out = _mm256_or_si256(out, narrow_field(_mm256_unpackhi_epi64(b0, b1), f3));
                }
            }
            let out = _mm256_permute4x64_epi64::<0b11_01_10_00>(out);
            // SAFETY: d is 32 writable bytes (unaligned store).
            unsafe { _mm256_storeu_si256(d.as_mut_ptr().cast(), out) };
        }
        n
    }
}

/// Without x86-64 the portable loops do all the work.
#[cfg(not(target_arch = "x86_64"))]
mod simd {
    #[derive(Clone, Copy)]
    pub(super) enum Src {
        Field { shift: i32, bits: u32 },
        Alpha,
    }
    pub(super) trait Widen {
        const BYTES: [Src; 4];
        const D: usize;
    }
    #[derive(Clone, Copy)]
    pub(super) struct Field {
        pub pos: usize,
        pub bits: u32,
        pub shift: i32,
    }
    pub(super) trait Narrow {
        const FIELDS: [Field; 4];
    }
    pub(super) fn widen<W: Widen>(_: &[u8], _: &mut [u8], _: u8) -> usize {
        0
    }
    pub(super) fn narrow<N: Narrow>(_: &[u8], _: &mut [u8]) -> usize {
        0
    }
    pub(super) fn drop1555<const ALPHA_FIRST: bool>(_: &[u8], _: &mut [u8]) -> usize {
        0
    }
    pub(super) fn narrow565<const ALPHA_FIRST: bool>(
        _: &[u8],
        _: &mut [u8],
        _: &[u16; 16],
    ) -> usize {
        0
    }
}

// ---- 10-bit packed formats --------------------------------------------------------------------

/// The 32-bit 10-bit-per-channel layouts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Packed10 {
    /// Little-endian word, R 29-20, G 19-10, B 9-0, bits 31-30 zero.
    Xrgb2101010,
    /// Little-endian word, A 31-30, R 29-20, G 19-10, B 9-0.
    Argb2101010,
    /// Big-endian word, R 31-22, G 21-12, B 11-2, A 1-0.
    Rgba1010102,
}

impl Packed10 {
    /// `[alpha, r, g, b]` fields of one stored pixel.
    #[inline(always)]
    fn split(self, p: &[u8]) -> [i32; 4] {
        let b = [p[0], p[1], p[2], p[3]];
        match self {
            Packed10::Xrgb2101010 | Packed10::Argb2101010 => {
                let w = u32::from_le_bytes(b);
                [
                    (w >> 30) as i32,
                    ((w >> 20) & 1023) as i32,
                    ((w >> 10) & 1023) as i32,
                    (w & 1023) as i32,
                ]
            }
            Packed10::Rgba1010102 => {
                let w = u32::from_be_bytes(b);
                [
                    (w & 3) as i32,
                    (w >> 22) as i32,
                    ((w >> 12) & 1023) as i32,
                    ((w >> 2) & 1023) as i32,
                ]
            }
        }
    }

    /// Stores `[alpha, r, g, b]` (alpha ignored for XRGB, whose top bits are 0).
    #[inline(always)]
    fn join(self, d: &mut [u8], [a, r, g, b]: [u32; 4]) {
        let bytes = match self {
            Packed10::Xrgb2101010 => ((r << 20) | (g << 10) | b).to_le_bytes(),
            Packed10::Argb2101010 => ((a << 30) | (r << 20) | (g << 10) | b).to_le_bytes(),
            Packed10::Rgba1010102 => ((r << 22) | (g << 12) | (b << 2) | a).to_be_bytes(),
        };
        d.copy_from_slice(&bytes);
    }
}

/// Range parameters of the 10-bit conversions, already checked (`0 <= min <= max <= 1023`).
#[derive(Clone, Copy, Debug)]
pub struct Range10 {
    pub min: i32,
    pub max: i32,
}

impl Range10 {
    fn range(self) -> i32 {
        self.max - self.min
    }
}

/// An integer sample of an ARGB8888 or ARGB16U pixel.
pub trait IntSample: Copy {
    const MAX: i32;
    const BYTES: usize;
    fn read(b: &[u8]) -> i32;
    fn write(b: &mut [u8], v: i32);
}

impl IntSample for u8 {
    const MAX: i32 = 255;
    const BYTES: usize = 1;
    #[inline(always)]
    fn read(b: &[u8]) -> i32 {
        i32::from(b[0])
    }
    #[inline(always)]
    fn write(b: &mut [u8], v: i32) {
        b[0] = v as u8;
    }
}

impl IntSample for u16 {
    const MAX: i32 = 65535;
    const BYTES: usize = 2;
    #[inline(always)]
    fn read(b: &[u8]) -> i32 {
        i32::from(u16::from_ne_bytes([b[0], b[1]]))
    }
    #[inline(always)]
    fn write(b: &mut [u8], v: i32) {
        b.copy_from_slice(&(v as u16).to_ne_bytes());
    }
}

/// `f` of every 10-bit value when a row of `pixels` pixels (3 conversions each) outweighs
/// building the table.
fn table10<T>(pixels: usize, f: impl Fn(i32) -> T) -> Option<Vec<T>> {
    (pixels >= 512).then(|| (0..1024).map(f).collect())
}

/// 10-bit pixels -> ARGB8888 / ARGB16U through `map` (`dest[i] = ARGB[map[i]]`). `alpha` is the
/// constant alpha of an XRGB source (ignored otherwise). `range` must be > 0.
pub fn unpack10_int<T: IntSample>(
    format: Packed10,
    src: &[u8],
    dst: &mut [u8],
    range: Range10,
    alpha: i32,
    map: [u8; 4],
) {
    let (min, r10) = (range.min, range.range());
    let half = r10 >> 1;
    let m = T::MAX;
    let direct = |v: i32| (((v - min) * m + half) / r10).clamp(0, m);
    // On long rows every 10-bit value's result, so that a row pays 1024 divisions rather
    // than 3 a pixel.
    let table = table10(src.len() / 4, direct);
    for (s, d) in src.chunks_exact(4).zip(dst.chunks_exact_mut(4 * T::BYTES)) {
        let [a2, r, g, b] = format.split(s);
        let conv = |v: i32| match &table {
            Some(t) => t[(v & 1023) as usize],
            None => direct(v),
        };
        let a = if format == Packed10::Xrgb2101010 {
            alpha
        } else {
            (a2 * m + 1) / 3
        };
        let argb = [a, conv(r), conv(g), conv(b)];
        for (i, o) in d.chunks_exact_mut(T::BYTES).enumerate() {
            T::write(o, argb[usize::from(map[i])]);
        }
    }
}

/// ARGB8888 / ARGB16U -> 10-bit pixels: `A = src[map[0]]`, `R = src[map[1]]`, ...
pub fn pack10_int<T: IntSample>(
    format: Packed10,
    src: &[u8],
    dst: &mut [u8],
    range: Range10,
    map: [u8; 4],
) {
    let (min, r10) = (range.min, range.range());
    let m = T::MAX;
    for (s, d) in src.chunks_exact(4 * T::BYTES).zip(dst.chunks_exact_mut(4)) {
        let ch = |i: u8| T::read(&s[usize::from(i) * T::BYTES..]);
        let conv = |c: i32| ((c * r10 + (m >> 1)) / m + min) as u32;
        let a = ((ch(map[0]) * 3 + (m >> 1)) / m) as u32;
        format.join(d, [a, conv(ch(map[1])), conv(ch(map[2])), conv(ch(map[3]))]);
    }
}

#[inline(always)]
fn getf(b: &[u8]) -> f32 {
    f32::from_ne_bytes([b[0], b[1], b[2], b[3]])
}

/// 10-bit pixels -> ARGBFFFF: `(v - min) / (float)range`, clamped to [0, 1] when `clamp`;
/// a 2-bit alpha becomes `a / 3.0f`; an XRGB source takes the constant `alpha` (bits kept).
pub fn unpack10_f(
    format: Packed10,
    src: &[u8],
    dst: &mut [u8],
    range: Range10,
    alpha: f32,
    map: [u8; 4],
    clamp: bool,
) {
    let (min, r10) = (range.min, range.range() as f32);
    let direct = |v: i32| {
        let f = (v - min) as f32 / r10;
        if clamp { f.clamp(0.0, 1.0) } else { f }
    };
    // On long rows the same float division once per 10-bit value rather than 3 a pixel.
    let table = table10(src.len() / 4, direct);
    for (s, d) in src.chunks_exact(4).zip(dst.chunks_exact_mut(16)) {
        let [a2, r, g, b] = format.split(s);
        let conv = |v: i32| match &table {
            Some(t) => t[(v & 1023) as usize],
            None => direct(v),
        };
        let a = if format == Packed10::Xrgb2101010 {
            alpha
        } else {
            a2 as f32 / 3.0
        };
        let argb = [a, conv(r), conv(g), conv(b)];
        for (i, o) in d.chunks_exact_mut(4).enumerate() {
            o.copy_from_slice(&argb[usize::from(map[i])].to_ne_bytes());
        }
    }
}

/// ARGBFFFF -> 10-bit pixels: colours clamped to [0, 1] when `clamp` (NaN stays NaN), then
/// `(int)(c * range + 0.5f) + min` in float arithmetic, truncating, NaN -> 0, and the result
/// clamped to the 10-bit field; alpha `(int)(a * 3.0f + 0.5f)` clamped to [0, 3].
pub fn pack10_f(
    format: Packed10,
    src: &[u8],
    dst: &mut [u8],
    range: Range10,
    map: [u8; 4],
    clamp: bool,
) {
    let (min, r10) = (range.min, range.range() as f32);
    for (s, d) in src.chunks_exact(16).zip(dst.chunks_exact_mut(4)) {
        let ch = |i: u8| getf(&s[usize::from(i) * 4..]);
        let conv = |c: f32| {
            let c = if clamp { c.clamp(0.0, 1.0) } else { c };
            ((c * r10 + 0.5) as i32).saturating_add(min).clamp(0, 1023) as u32
        };
        let a = ((ch(map[0]) * 3.0 + 0.5) as i32).clamp(0, 3) as u32;
        format.join(d, [a, conv(ch(map[1])), conv(ch(map[2])), conv(ch(map[3]))]);
    }
}

// ---- 1-, 2- and 4-bit planar and indexed formats ------------------------------------------------

/// `BITS`-bit pixels (most significant first) -> Planar8 through `table` (the first
/// `1 << BITS` entries are used). Unused bits of a row's last byte are ignored.
pub fn unpack_sub_byte<const BITS: usize>(src: &[u8], dst: &mut [u8], table: &[u8; 16]) {
    let per = 8 / BITS;
    let mask = (1u8 << BITS) - 1;
    let mut chunks = dst.chunks_exact_mut(per);
    for (d, &byte) in (&mut chunks).zip(src) {
        for (j, o) in d.iter_mut().enumerate() {
            *o = table[usize::from((byte >> (8 - BITS * (j + 1))) & mask)];
        }
    }
    let tail = chunks.into_remainder();
    if !tail.is_empty() {
        let byte = src[src.len() - 1];
        for (j, o) in tail.iter_mut().enumerate() {
            *o = table[usize::from((byte >> (8 - BITS * (j + 1))) & mask)];
        }
    }
}

/// Writes `indices` (each `< 1 << BITS`) as `BITS`-bit pixels, most significant first; the
/// unused low bits of a partial last byte keep their value.
pub fn pack_sub_byte<const BITS: usize>(indices: &[u8], dst: &mut [u8]) {
    let per = 8 / BITS;
    for (d, idx) in dst.iter_mut().zip(indices.chunks(per)) {
        let mut byte = 0u8;
        let mut used = 0u8;
        for (j, &i) in idx.iter().enumerate() {
            let shift = 8 - BITS * (j + 1);
            byte |= i << shift;
            used |= ((1u8 << BITS) - 1) << shift;
        }
        *d = (*d & !used) | byte;
    }
}

/// A sorted table of up to 16 output levels and the quantizers onto it.
#[derive(Clone, Debug)]
pub struct Levels {
    levels: Vec<u8>,
    /// For each 8-bit value: the index of the largest level <= v (first of equals), or of the
    /// smallest level when v is below all.
    below: [u8; 256],
    /// For each value: the index of the smallest level > v (first of equals), or `below`.
    above: [u8; 256],
}

impl Levels {
    /// `levels` must be non-decreasing and 1..=16 long.
    pub fn new(levels: &[u8]) -> Levels {
        let mut below = [0u8; 256];
        let mut above = [0u8; 256];
        for v in 0..256usize {
            let lo = levels
                .iter()
                .rposition(|&l| usize::from(l) <= v)
                .map(|i| levels.iter().position(|&l| l == levels[i]).unwrap_or(i));
            let hi = levels.iter().position(|&l| usize::from(l) > v);
            let (lo, hi) = match (lo, hi) {
                (Some(lo), Some(hi)) => (lo, hi),
                (Some(lo), None) => (lo, lo),
                (None, Some(hi)) => (hi, hi),
                (None, None) => (0, 0),
            };
            below[v] = lo as u8;
            above[v] = hi as u8;
        }
        Levels {
            levels: levels.to_vec(),
            below,
            above,
        }
    }

    /// The index for value `v` with threshold `t` in 1/128ths of the gap between the levels
    /// around `v`: the upper level when `(v - lo) * 128 >= t * (hi - lo)`. `t = 64` rounds to
    /// nearest, halves up (kvImageConvert_DitherNone).
    #[inline(always)]
    pub fn index(&self, v: u8, t: u32) -> u8 {
        let (lo, hi) = (self.below[usize::from(v)], self.above[usize::from(v)]);
        let (pl, ph) = (
            u32::from(self.levels[usize::from(lo)]),
            u32::from(self.levels[usize::from(hi)]),
        );
        if lo == hi {
            return lo;
        }
        if u32::from(v) < pl {
            return lo;
        }
        if (u32::from(v) - pl) * 128 >= t * (ph - pl) {
            hi
        } else {
            lo
        }
    }

    /// The nearest level's index for a real value (halves go up; first of equal levels).
    pub fn nearest(&self, v: f32) -> u8 {
        let mut best = 0usize;
        for (i, &l) in self.levels.iter().enumerate() {
            let (d, db) = (
                (f32::from(l) - v).abs(),
                (f32::from(self.levels[best]) - v).abs(),
            );
            if d < db || (d == db && l > self.levels[best]) {
                best = i;
            }
        }
        best as u8
    }

    pub fn level(&self, i: u8) -> u8 {
        self.levels[usize::from(i)]
    }
}

/// The 8x8 Bayer matrix, values 0..63: vimage's ordered-dither pattern.
pub const BAYER8: [[u8; 8]; 8] = [
    [0, 32, 8, 40, 2, 34, 10, 42],
    [48, 16, 56, 24, 50, 18, 58, 26],
    [12, 44, 4, 36, 14, 46, 6, 38],
    [60, 28, 52, 20, 62, 30, 54, 22],
    [3, 35, 11, 43, 1, 33, 9, 41],
    [51, 19, 59, 27, 49, 17, 57, 25],
    [15, 47, 7, 39, 13, 45, 5, 37],
    [63, 31, 55, 23, 61, 29, 53, 21],
];

/// Error-diffusion state carried from row to row (Floyd-Steinberg or Atkinson), in units of
/// one 8-bit step.
#[derive(Debug, Default)]
pub struct Diffusion {
    /// Error for the current row, the next and the one after, each `width + 4` long with two
    /// guard cells on either side.
    rows: [Vec<f32>; 3],
}

/// Which error-diffusion kernel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Diffuser {
    FloydSteinberg,
    Atkinson,
}

impl Diffusion {
    /// Quantizes one row left to right onto `levels`, writing indices, and spreads the error
    /// (Floyd-Steinberg 7/16 right, 3/16, 5/16, 1/16 below; Atkinson 1/8 to the two right,
    /// three below and one two rows down).
    pub fn row(&mut self, kind: Diffuser, levels: &Levels, src: &[u8], indices: &mut [u8]) {
        let n = src.len() + 4;
        for r in &mut self.rows {
            if r.len() != n {
                r.clear();
                r.resize(n, 0.0);
            }
        }
        for (x, (&v, out)) in src.iter().zip(indices.iter_mut()).enumerate() {
            let c = x + 2;
            let want = f32::from(v) + self.rows[0][c];
            let i = levels.nearest(want);
            *out = i;
            let e = want - f32::from(levels.level(i));
            match kind {
                Diffuser::FloydSteinberg => {
                    self.rows[0][c + 1] += e * (7.0 / 16.0);
                    self.rows[1][c - 1] += e * (3.0 / 16.0);
                    self.rows[1][c] += e * (5.0 / 16.0);
                    self.rows[1][c + 1] += e * (1.0 / 16.0);
                }
                Diffuser::Atkinson => {
                    let e = e / 8.0;
                    self.rows[0][c + 1] += e;
                    self.rows[0][c + 2] += e;
                    self.rows[1][c - 1] += e;
                    self.rows[1][c] += e;
                    self.rows[1][c + 1] += e;
                    self.rows[2][c] += e;
                }
            }
        }
        self.rows.rotate_left(1);
        self.rows[2].iter_mut().for_each(|e| *e = 0.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every multiply-shift form equals Apple's division over every input it can see.
    #[test]
    fn channel_forms_equal_divisions() {
        for v in 0..32u16 {
            assert_eq!(w5(v), (v * 255 + 15) / 31, "w5 {v}");
            assert_eq!(g5to6(v), (v * 63 + 15) / 31, "g5to6 {v}");
        }
        for v in 0..64u16 {
            assert_eq!(w6(v), (v * 255 + 31) / 63, "w6 {v}");
        }
        for c in 0..256u32 {
            let c16 = c as u16;
            assert_eq!(u32::from(n5(c16)), (c * 31 + 127) / 255, "n5 {c}");
            assert_eq!(u32::from(n6(c16)), (c * 63 + 127) / 255, "n6 {c}");
            assert_eq!(u32::from(n1(c16)), (c + 127) / 255, "n1 {c}");
        }
        for g in 0..64u32 {
            for t in 0..64u32 {
                let x = g * 31 + t;
                assert_eq!(u32::from(div63(x as u16)), x / 63, "div63 {x}");
            }
        }
    }

    /// The portable loop (what runs without AVX2) equals the dispatched kernels (the AVX2
    /// stage here, checked against Apple's formulas by tests/ops_packed.rs) on every 16-bit
    /// pixel, and on 65,536 32-bit pixels that hold every byte value in every position.
    #[test]
    fn portable_equals_dispatched() {
        let p16: Vec<u8> = (0..=u16::MAX).flat_map(u16::to_ne_bytes).collect();
        let p32: Vec<u8> = (0..=u16::MAX)
            .flat_map(|i| {
                let [lo, hi] = i.to_le_bytes();
                [
                    lo,
                    hi,
                    lo.wrapping_mul(3) ^ hi,
                    hi.wrapping_add(lo.wrapping_mul(5)),
                ]
            })
            .collect();
        let n = 1 << 16;
        let wide = |f: &dyn Fn(&[u8], &mut [u8]), p: &dyn Fn(&[u8], &mut [u8])| {
            let (mut a, mut b) = (vec![0u8; 4 * n], vec![1u8; 4 * n]);
            f(&p16, &mut a);
            p(&p16, &mut b);
            assert!(a == b);
        };
        wide(&|s, d| rgb565_to_8888::<1, 2, 3, 0>(s, d, 7), &|s, d| {
            map_body::<_, 2, 4>(From565::<1, 2, 3, 4>(7), s, d)
        });
        wide(&|s, d| rgb565_to_8888::<2, 1, 0, 3>(s, d, 200), &|s, d| {
            map_body::<_, 2, 4>(From565::<2, 1, 0, 4>(200 << 24), s, d)
        });
        wide(&x1555_to_8888::<true>, &|s, d| {
            map_body::<_, 2, 4>(From1555::<true>, s, d)
        });
        wide(&x1555_to_8888::<false>, &|s, d| {
            map_body::<_, 2, 4>(From1555::<false>, s, d)
        });
        let narrow = |f: &dyn Fn(&[u8], &mut [u8]), p: &dyn Fn(&[u8], &mut [u8])| {
            let (mut a, mut b) = (vec![0u8; 2 * n], vec![1u8; 2 * n]);
            f(&p32, &mut a);
            p(&p32, &mut b);
            assert!(a == b);
        };
        narrow(&x8888_to_rgb565::<1, 2, 3>, &|s, d| {
            map_body::<_, 4, 2>(To565::<1, 2, 3>, s, d)
        });
        narrow(&x8888_to_rgb565::<2, 1, 0>, &|s, d| {
            map_body::<_, 4, 2>(To565::<2, 1, 0>, s, d)
        });
        narrow(&x8888_to_1555::<true>, &|s, d| {
            map_body::<_, 4, 2>(To1555::<true>, s, d)
        });
        narrow(&x8888_to_1555::<false>, &|s, d| {
            map_body::<_, 4, 2>(To1555::<false>, s, d)
        });
        let (mut a, mut b) = (vec![0u8; 3 * n], vec![1u8; 3 * n]);
        rgb565_to_888(&p16, &mut a);
        map_body::<_, 2, 3>(From565::<0, 1, 2, 3>(0), &p16, &mut b);
        assert!(a == b);
        let t = [0, 9, 18, 27, 36, 45, 54, 62];
        let t16: [u16; BLOCK] = std::array::from_fn(|x| t[x % 8] as u16);
        let same = |f: &dyn Fn(&[u8], &mut [u8]), p: &dyn Fn(&[u8], &mut [u8])| {
            let (mut a, mut b) = (vec![0u8; 2 * n], vec![1u8; 2 * n]);
            f(&p16, &mut a);
            p(&p16, &mut b);
            assert!(a == b);
        };
        same(&x1555_to_rgb565::<true>, &|s, d| {
            map_body::<_, 2, 2>(Drop1555::<true>, s, d)
        });
        same(&x1555_to_rgb565::<false>, &|s, d| {
            map_body::<_, 2, 2>(Drop1555::<false>, s, d)
        });
        same(&|s, d| rgb565_to_1555::<true>(s, d, &t), &|s, d| {
            map_body::<_, 2, 2>(Narrow565::<true>(t16), s, d)
        });
        same(&|s, d| rgb565_to_1555::<false>(s, d, &t), &|s, d| {
            map_body::<_, 2, 2>(Narrow565::<false>(t16), s, d)
        });
    }

    /// Long rows (through the 1024-entry table) equal pixel-at-a-time rows (direct division)
    /// for every 10-bit value, format, sample type and a spread of ranges.
    #[test]
    fn ten_bit_table_equals_division() {
        let src: Vec<u8> = (0..1024u32)
            .flat_map(|v| {
                ((v & 3) << 30 | v << 20 | (1023 - v) << 10 | (v * 7) & 1023).to_le_bytes()
            })
            .collect();
        let formats = [
            Packed10::Xrgb2101010,
            Packed10::Argb2101010,
            Packed10::Rgba1010102,
        ];
        let map = [3, 1, 0, 2];
        for format in formats {
            for (min, max) in [(0, 1023), (64, 940), (100, 101), (512, 1000), (0, 1)] {
                let range = Range10 { min, max };
                let (mut a, mut b) = (vec![0u8; 4096], vec![1u8; 4096]);
                unpack10_int::<u8>(format, &src, &mut a, range, 77, map);
                for (s, d) in src.chunks_exact(4).zip(b.chunks_exact_mut(4)) {
                    unpack10_int::<u8>(format, s, d, range, 77, map);
                }
                assert!(a == b);
                let (mut a, mut b) = (vec![0u8; 8192], vec![1u8; 8192]);
                unpack10_int::<u16>(format, &src, &mut a, range, 77, map);
                for (s, d) in src.chunks_exact(4).zip(b.chunks_exact_mut(8)) {
                    unpack10_int::<u16>(format, s, d, range, 77, map);
                }
                assert!(a == b);
                for clamp in [false, true] {
                    let (mut a, mut b) = (vec![0u8; 16384], vec![1u8; 16384]);
                    unpack10_f(format, &src, &mut a, range, 0.5, map, clamp);
                    for (s, d) in src.chunks_exact(4).zip(b.chunks_exact_mut(16)) {
                        unpack10_f(format, s, d, range, 0.5, map, clamp);
                    }
                    assert!(a == b);
                }
            }
        }
    }

    /// The block loop and its tail agree with a pixel-at-a-time loop at every width.
    #[test]
    fn blocks_and_tails() {
        let src: Vec<u8> = (0..4 * 70).map(|i| (i * 37 + 11) as u8).collect();
        for w in 0..70 {
            let mut d = vec![0u8; 4 * w];
            rgb565_to_8888::<0, 1, 2, 3>(&src[..2 * w], &mut d, 9);
            for x in 0..w {
                let v = u32::from(u16::from_ne_bytes([src[2 * x], src[2 * x + 1]]));
                let [r, g, b] = widen565(v).map(|c| c as u8);
                assert_eq!(d[4 * x..4 * x + 4], [r, g, b, 9]);
            }
            let mut d = vec![0u8; 2 * w];
            let t = [0, 9, 18, 27, 36, 45, 54, 62];
            rgb565_to_1555::<true>(&src[..2 * w], &mut d, &t);
            for x in 0..w {
                let v = u32::from(u16::from_ne_bytes([src[2 * x], src[2 * x + 1]]));
                let g5 = (((v >> 5) & 63) * 31 + t[x % 8]) / 63;
                let want = (1 << 15) | ((v >> 11) << 10) | (g5 << 5) | (v & 31);
                assert_eq!(u16::from_ne_bytes([d[2 * x], d[2 * x + 1]]), want as u16);
            }
        }
    }
}
