//! Row kernels of the alpha family (Alpha.h and the Flatten functions of Conversion.h) that the
//! converter's kernel layer does not already have: 16-bit, 16Q12 and float premultiply /
//! unpremultiply, planar forms, blends, clip to alpha, and flattening of straight colour with a
//! single rounding. 8-bit interleaved premultiply, unpremultiply and premultiplied flatten are
//! NOT here: they run through [`super::Kernel::premultiply8`], [`super::Kernel::unpremultiply8`]
//! and [`super::Kernel::flatten8`]; the 8-bit planar forms reuse that layer's scalar arithmetic
//! ([`super::scalar::premultiply`], [`super::scalar::unpremultiply`], [`super::scalar::div255`]).
//!
//! Every kernel is a safe loop over `chunks_exact` of unaligned samples, compiled twice (plain
//! and AVX2) through [`fast`]; rows are exactly `width * bytes_per_pixel` long. Four-channel
//! kernels take the alpha position `alpha` (0: alpha first, anything else: alpha last).

use super::Level;
use super::scalar::{div255, premultiply as premul8, unpremultiply as unpremul8};

/// A sample type of a row: read and written unaligned in host byte order.
pub trait Sample: Copy + 'static {
    const SIZE: usize;
    fn load(b: &[u8]) -> Self;
    fn store(self, b: &mut [u8]);
}

macro_rules! sample {
    ($t:ty, $n:expr) => {
        impl Sample for $t {
            const SIZE: usize = $n;
            #[inline(always)]
            fn load(b: &[u8]) -> Self {
                let mut a = [0u8; $n];
                a.copy_from_slice(&b[..$n]);
                <$t>::from_ne_bytes(a)
            }
            #[inline(always)]
            fn store(self, b: &mut [u8]) {
                b[..$n].copy_from_slice(&self.to_ne_bytes());
            }
        }
    };
}
sample!(u8, 1);
sample!(u16, 2);
sample!(i16, 2);
sample!(f32, 4);

/// Runs `$body` compiled for AVX2 when the CPU has it (the same safe loop, wider vectors). The
/// body is expanded twice, plainly and in a closure called once from [`avx2`], so each copy has
/// one call site and LLVM inlines it (a closure called from both paths stayed out of line and
/// was compiled without AVX2).
macro_rules! fast {
    ($body:expr) => {{
        #[cfg(target_arch = "x86_64")]
        if Level::detect() == Level::Avx2 {
            // SAFETY: Level::Avx2 is only detected when the CPU has AVX2 (and FMA).
            unsafe { avx2(|| $body) }
        } else {
            $body
        }
        #[cfg(not(target_arch = "x86_64"))]
        $body
    }};
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn avx2(body: impl FnOnce()) {
    body()
}

/// Instantiates `$body` with the const alpha position `$A` (0, or 3 for anything else).
macro_rules! with_alpha {
    ($alpha:expr, |$A:ident| $body:expr) => {
        if $alpha == 0 {
            const $A: usize = 0;
            $body
        } else {
            const $A: usize = 3;
            $body
        }
    };
}

// ---- row shapes -------------------------------------------------------------------------------

/// Four-channel pixels with alpha at `A`: alpha copied, each colour `f(colour, alpha)`.
#[inline(always)]
fn colour_alpha<T: Sample, const A: usize>(src: &[u8], dst: &mut [u8], f: impl Fn(T, T) -> T) {
    let n = T::SIZE;
    for (s, d) in src.chunks_exact(4 * n).zip(dst.chunks_exact_mut(4 * n)) {
        let a = T::load(&s[A * n..]);
        for j in 0..4 {
            let v = if j == A {
                a
            } else {
                f(T::load(&s[j * n..]), a)
            };
            v.store(&mut d[j * n..]);
        }
    }
}

/// Planar: `dst[i] = f(x[i], y[i])`.
#[inline(always)]
fn planar2<T: Sample>(x: &[u8], y: &[u8], dst: &mut [u8], f: impl Fn(T, T) -> T) {
    let n = T::SIZE;
    for ((x, y), d) in x
        .chunks_exact(n)
        .zip(y.chunks_exact(n))
        .zip(dst.chunks_exact_mut(n))
    {
        f(T::load(x), T::load(y)).store(d);
    }
}

/// Planar: `dst[i] = f(x[i], y[i], z[i])`.
#[inline(always)]
fn planar3<T: Sample>(x: &[u8], y: &[u8], z: &[u8], dst: &mut [u8], f: impl Fn(T, T, T) -> T) {
    let n = T::SIZE;
    for (((x, y), z), d) in x
        .chunks_exact(n)
        .zip(y.chunks_exact(n))
        .zip(z.chunks_exact(n))
        .zip(dst.chunks_exact_mut(n))
    {
        f(T::load(x), T::load(y), T::load(z)).store(d);
    }
}

/// Planar over `N` inputs.
#[inline(always)]
fn planar_n<T: Sample, const N: usize>(srcs: [&[u8]; N], dst: &mut [u8], f: impl Fn([T; N]) -> T) {
    let n = T::SIZE;
    for (i, d) in dst.chunks_exact_mut(n).enumerate() {
        let v: [T; N] = std::array::from_fn(|k| T::load(&srcs[k][i * n..]));
        f(v).store(d);
    }
}

/// Two four-channel images with alpha at `A`: colour `colour(t, b, ta, ba)`, alpha
/// `alpha(ta, ba)`.
#[inline(always)]
fn blend4<T: Sample, const A: usize>(
    top: &[u8],
    bottom: &[u8],
    dst: &mut [u8],
    colour: impl Fn(T, T, T, T) -> T,
    alpha: impl Fn(T, T) -> T,
) {
    let n = T::SIZE;
    for ((t, b), d) in top
        .chunks_exact(4 * n)
        .zip(bottom.chunks_exact(4 * n))
        .zip(dst.chunks_exact_mut(4 * n))
    {
        let (ta, ba) = (T::load(&t[A * n..]), T::load(&b[A * n..]));
        for j in 0..4 {
            let v = if j == A {
                alpha(ta, ba)
            } else {
                colour(T::load(&t[j * n..]), T::load(&b[j * n..]), ta, ba)
            };
            v.store(&mut d[j * n..]);
        }
    }
}

/// Four-channel source with alpha at `A` into `OUT` channels: output `j` is
/// `f(j, source[map[j]], alpha, map[j] == A)`.
#[inline(always)]
fn flatten_row<T: Sample, const A: usize, const OUT: usize>(
    src: &[u8],
    dst: &mut [u8],
    map: [usize; OUT],
    f: impl Fn(usize, T, T, bool) -> T,
) {
    let n = T::SIZE;
    for (s, d) in src.chunks_exact(4 * n).zip(dst.chunks_exact_mut(OUT * n)) {
        let a = T::load(&s[A * n..]);
        for j in 0..OUT {
            let m = map[j] & 3;
            f(j, T::load(&s[m * n..]), a, m == A).store(&mut d[j * n..]);
        }
    }
}

// ---- premultiply / unpremultiply --------------------------------------------------------------

/// 16U: `(c * a + 32767) / 65535`, as `(t + (t >> 16)) >> 16` with `t = c * a + 32768`.
///
/// Exact for every `1 <= t < 2^32 - 65536`: with `t = 65536 h + l`, `(t - 1) / 65535 =
/// h + (h + l - 1) / 65535` and `(t + (t >> 16)) >> 16 = h + (l + h) / 65536`; both last terms
/// are 1 exactly when `h + l >= 65536` (since `h + l <= 131070`). Here `t <= 65535^2 + 32768`.
#[inline(always)]
fn premul16(c: u16, a: u16) -> u16 {
    let t = u32::from(c) * u32::from(a) + 32768;
    ((t + (t >> 16)) >> 16) as u16
}

/// 16U: `(min(c, a) * 65535 + a / 2) / a`, 0 when a is 0.
///
/// The quotient `q` is first estimated in binary32 from the reciprocal `r = 1 / a` (four
/// roundings, relative error < 2^-21, so `|x - n / a| < 1/32` for `n / a <= 65536`): its
/// truncation is `q - 1`, `q` or `q + 1`, and the remainder `n - q0 * a` (in `[-a, 2a)`) says
/// which. `r` must be `recip16(a)`.
#[inline(always)]
fn unpremul16(c: u16, a: u16, r: Recip16) -> u16 {
    let a32 = u32::from(a);
    let c = u32::from(c.min(a));
    let half = a32 >> 1;
    let n = c * 65535 + half;
    let x = ((c as i32 as f32) * 65535.0 + half as i32 as f32) * r.0;
    // SAFETY: r.0 is 0 or fl(1 / a) with a >= 1, and c <= a, so x is finite, >= 0 and
    // below 65537 (a plain `as` would be scalarized by LLVM).
    let q0 = unsafe { x.to_int_unchecked::<i32>() };
    let rem = n.wrapping_sub((q0 as u32).wrapping_mul(a32)) as i32;
    let q = q0 + i32::from(rem >= a32 as i32) - i32::from(rem < 0);
    if a == 0 { 0 } else { q as u16 }
}

/// The reciprocal [`unpremul16`] takes: `1 / a` in binary32, 0 when a is 0 (only
/// [`recip16`] makes one, which bounds the estimate [`unpremul16`] converts).
#[derive(Clone, Copy)]
struct Recip16(f32);

#[inline(always)]
fn recip16(a: u16) -> Recip16 {
    let r = 1.0 / (a as i32 as f32);
    Recip16(if a == 0 { 0.0 } else { r })
}

/// 16Q12: `clamp((c * a + 2048) / 4096, INT16)`, C division (toward zero).
#[inline(always)]
fn premul_q12(c: i16, a: i16) -> i16 {
    ((i32::from(c) * i32::from(a) + 2048) / 4096).clamp(-32768, 32767) as i16
}

/// 16Q12: `(min(c, a) * 4096 + a / 2) / a`, C division, clamped; 0 when a is 0.
#[inline(always)]
fn unpremul_q12(c: i16, a: i16) -> i16 {
    if a == 0 {
        return 0;
    }
    let a32 = i32::from(a);
    ((i32::from(c.min(a)) * 4096 + a32 / 2) / a32).clamp(-32768, 32767) as i16
}

/// float: `c / a`, 0 when a is 0 (Apple is silent; vimage's choice).
#[inline(always)]
fn unpremul_f(c: f32, a: f32) -> f32 {
    if a == 0.0 { 0.0 } else { c / a }
}

pub fn premultiply16(alpha: usize, src: &[u8], dst: &mut [u8]) {
    with_alpha!(alpha, |A| {
        let done = x86::premul16::<A>(src, dst);
        let (src, dst) = (&src[done..], &mut dst[done..]);
        fast!(colour_alpha::<u16, A>(src, dst, premul16))
    })
}

pub fn unpremultiply16(alpha: usize, src: &[u8], dst: &mut [u8]) {
    with_alpha!(alpha, |A| {
        let done = x86::unpremul16::<A>(src, dst);
        let (src, dst) = (&src[done..], &mut dst[done..]);
        fast!({
            for (s, d) in src.chunks_exact(8).zip(dst.chunks_exact_mut(8)) {
                let a = u16::load(&s[2 * A..]);
                let r = recip16(a);
                for j in 0..4 {
                    let v = if j == A {
                        a
                    } else {
                        unpremul16(u16::load(&s[2 * j..]), a, r)
                    };
                    v.store(&mut d[2 * j..]);
                }
            }
        })
    })
}

pub fn premultiply_q12(alpha: usize, src: &[u8], dst: &mut [u8]) {
    with_alpha!(alpha, |A| fast!(colour_alpha::<i16, A>(
        src, dst, premul_q12
    )))
}

pub fn unpremultiply_q12(alpha: usize, src: &[u8], dst: &mut [u8]) {
    with_alpha!(alpha, |A| fast!(colour_alpha::<i16, A>(
        src,
        dst,
        unpremul_q12
    )))
}

pub fn premultiply_f(alpha: usize, src: &[u8], dst: &mut [u8]) {
    with_alpha!(alpha, |A| fast!(colour_alpha::<f32, A>(
        src,
        dst,
        |c, a| c * a
    )))
}

pub fn unpremultiply_f(alpha: usize, src: &[u8], dst: &mut [u8]) {
    with_alpha!(alpha, |A| {
        let done = x86::unpremul_f::<A>(src, dst);
        let (src, dst) = (&src[done..], &mut dst[done..]);
        fast!(colour_alpha::<f32, A>(src, dst, unpremul_f))
    })
}

pub fn premultiply_planar8(c: &[u8], a: &[u8], dst: &mut [u8]) {
    fast!(planar2::<u8>(c, a, dst, premul8))
}

pub fn unpremultiply_planar8(c: &[u8], a: &[u8], dst: &mut [u8]) {
    fast!(planar2::<u8>(c, a, dst, unpremul8))
}

pub fn premultiply_planar_f(c: &[u8], a: &[u8], dst: &mut [u8]) {
    fast!(planar2::<f32>(c, a, dst, |c, a| c * a))
}

pub fn unpremultiply_planar_f(c: &[u8], a: &[u8], dst: &mut [u8]) {
    fast!(planar2::<f32>(c, a, dst, unpremul_f))
}

// ---- clip to alpha ----------------------------------------------------------------------------

/// `min(c, a)`; for floats IEEE minNum (a NaN operand yields the other one).
pub fn clip8(alpha: usize, src: &[u8], dst: &mut [u8]) {
    with_alpha!(alpha, |A| {
        let done = x86::clip8::<A>(src, dst);
        let (src, dst) = (&src[done..], &mut dst[done..]);
        fast!(colour_alpha::<u8, A>(src, dst, |c, a| c.min(a)))
    })
}

pub fn clip_f(alpha: usize, src: &[u8], dst: &mut [u8]) {
    with_alpha!(alpha, |A| fast!(colour_alpha::<f32, A>(src, dst, f32::min)))
}

pub fn clip_planar8(c: &[u8], a: &[u8], dst: &mut [u8]) {
    fast!(planar2::<u8>(c, a, dst, |c, a| c.min(a)))
}

pub fn clip_planar_f(c: &[u8], a: &[u8], dst: &mut [u8]) {
    fast!(planar2::<f32>(c, a, dst, f32::min))
}

// ---- premultiplied "over" ---------------------------------------------------------------------

/// 8-bit premultiplied over: `min(255, t + ((255 - ta) * b + 127) / 255)`.
#[inline(always)]
fn over8_one(t: u8, b: u8, ta: u8) -> u8 {
    (u32::from(t) + div255(u32::from(255 - ta) * u32::from(b))).min(255) as u8
}

/// float premultiplied over: `t + (1 - ta) * b`.
#[inline(always)]
fn over_f_one(t: f32, b: f32, ta: f32) -> f32 {
    t + (1.0 - ta) * b
}

pub fn over8(alpha: usize, top: &[u8], bottom: &[u8], dst: &mut [u8]) {
    with_alpha!(alpha, |A| {
        let done = x86::over8::<A>(top, bottom, dst);
        let (top, bottom, dst) = (&top[done..], &bottom[done..], &mut dst[done..]);
        fast!(blend4::<u8, A>(
            top,
            bottom,
            dst,
            |t, b, ta, _| over8_one(t, b, ta),
            |ta, ba| over8_one(ta, ba, ta)
        ))
    })
}

pub fn over_f(alpha: usize, top: &[u8], bottom: &[u8], dst: &mut [u8]) {
    with_alpha!(alpha, |A| fast!(blend4::<f32, A>(
        top,
        bottom,
        dst,
        |t, b, ta, _| over_f_one(t, b, ta),
        |ta, ba| over_f_one(ta, ba, ta)
    )))
}

pub fn over_planar8(top: &[u8], top_alpha: &[u8], bottom: &[u8], dst: &mut [u8]) {
    fast!(planar3::<u8>(top, top_alpha, bottom, dst, |t, ta, b| {
        over8_one(t, b, ta)
    }))
}

pub fn over_planar_f(top: &[u8], top_alpha: &[u8], bottom: &[u8], dst: &mut [u8]) {
    fast!(planar3::<f32>(top, top_alpha, bottom, dst, |t, ta, b| {
        over_f_one(t, b, ta)
    }))
}

/// `vImagePremultipliedAlphaBlendWithPermute_*`: top gathered through `map`
/// (`T[i] = top[map[i]]`), then 8-bit over; the alpha byte is 255 when `opaque`.
pub fn over_permute8(
    alpha: usize,
    map: [u8; 4],
    opaque: bool,
    top: &[u8],
    bottom: &[u8],
    dst: &mut [u8],
) {
    let m = map.map(|i| usize::from(i & 3));
    with_alpha!(alpha, |A| fast!({
        for ((t, b), d) in top
            .chunks_exact(4)
            .zip(bottom.chunks_exact(4))
            .zip(dst.chunks_exact_mut(4))
        {
            let ta = t[m[A]];
            for j in 0..4 {
                d[j] = if j == A && opaque {
                    255
                } else {
                    over8_one(t[m[j]], b[j], ta)
                };
            }
        }
    }))
}

// ---- premultiplied over with a constant alpha ---------------------------------------------------

/// `min(255, (t*k*255 + (255*255 - ta*k) * b + 127*255) / (255*255))`.
#[inline(always)]
fn const8_one(t: u8, b: u8, ta: u8, k: u32) -> u8 {
    let n = u32::from(t) * k * 255 + (65025 - u32::from(ta) * k) * u32::from(b) + 127 * 255;
    (n / 65025).min(255) as u8
}

/// `t*k + (1 - ta*k) * b`.
#[inline(always)]
fn const_f_one(t: f32, b: f32, ta: f32, k: f32) -> f32 {
    t * k + (1.0 - ta * k) * b
}

pub fn const_blend8(k: u8, top: &[u8], bottom: &[u8], dst: &mut [u8]) {
    let k = u32::from(k);
    fast!({
        blend4::<u8, 0>(
            top,
            bottom,
            dst,
            |t, b, ta, _| const8_one(t, b, ta, k),
            |ta, ba| const8_one(ta, ba, ta, k),
        )
    })
}

pub fn const_blend_f(k: f32, top: &[u8], bottom: &[u8], dst: &mut [u8]) {
    fast!({
        blend4::<f32, 0>(
            top,
            bottom,
            dst,
            |t, b, ta, _| const_f_one(t, b, ta, k),
            |ta, ba| const_f_one(ta, ba, ta, k),
        )
    })
}

pub fn const_blend_planar8(k: u8, top: &[u8], top_alpha: &[u8], bottom: &[u8], dst: &mut [u8]) {
    let k = u32::from(k);
    fast!({
        planar3::<u8>(top, top_alpha, bottom, dst, |t, ta, b| {
            const8_one(t, b, ta, k)
        })
    })
}

pub fn const_blend_planar_f(k: f32, top: &[u8], top_alpha: &[u8], bottom: &[u8], dst: &mut [u8]) {
    fast!({
        planar3::<f32>(top, top_alpha, bottom, dst, |t, ta, b| {
            const_f_one(t, b, ta, k)
        })
    })
}

// ---- non-premultiplied top over premultiplied bottom ------------------------------------------

/// `(ct * at + (255 - at) * cb + 127) / 255`.
#[inline(always)]
fn nonpremul8_one(ct: u8, cb: u8, at: u8) -> u8 {
    div255(u32::from(ct) * u32::from(at) + u32::from(255 - at) * u32::from(cb)) as u8
}

/// `ct * at + (1 - at) * cb`.
#[inline(always)]
fn nonpremul_f_one(ct: f32, cb: f32, at: f32) -> f32 {
    ct * at + (1.0 - at) * cb
}

/// Colour as documented; alpha `at + ((255 - at) * ab + 127) / 255` (the premultiplied over of
/// the alphas, which the header prescribes for the planar alpha plane).
pub fn nonpremul_blend8(top: &[u8], bottom: &[u8], dst: &mut [u8]) {
    fast!({
        blend4::<u8, 0>(
            top,
            bottom,
            dst,
            |t, b, ta, _| nonpremul8_one(t, b, ta),
            |ta, ba| over8_one(ta, ba, ta),
        )
    })
}

pub fn nonpremul_blend_f(top: &[u8], bottom: &[u8], dst: &mut [u8]) {
    fast!({
        blend4::<f32, 0>(
            top,
            bottom,
            dst,
            |t, b, ta, _| nonpremul_f_one(t, b, ta),
            |ta, ba| over_f_one(ta, ba, ta),
        )
    })
}

pub fn nonpremul_blend_planar8(top: &[u8], top_alpha: &[u8], bottom: &[u8], dst: &mut [u8]) {
    fast!({
        planar3::<u8>(top, top_alpha, bottom, dst, |t, ta, b| {
            nonpremul8_one(t, b, ta)
        })
    })
}

pub fn nonpremul_blend_planar_f(top: &[u8], top_alpha: &[u8], bottom: &[u8], dst: &mut [u8]) {
    fast!({
        planar3::<f32>(top, top_alpha, bottom, dst, |t, ta, b| {
            nonpremul_f_one(t, b, ta)
        })
    })
}

// ---- non-premultiplied blend --------------------------------------------------------------------

/// 8-bit non-premultiplied colour over a result alpha `a` (0...255):
/// `min(255, (255*ct*at + (255 - at)*ab*cb + D/2) / D)` with `D = 255 * a`; 0 when a is 0.
#[inline(always)]
fn alpha_blend8_one(ct: u8, at: u8, cb: u8, ab: u8, a: u8) -> u8 {
    if a == 0 {
        return 0;
    }
    let d = 255 * u32::from(a);
    let n = 255 * u32::from(ct) * u32::from(at)
        + u32::from(255 - at) * u32::from(ab) * u32::from(cb)
        + d / 2;
    (n / d).min(255) as u8
}

/// float: `(ct*at + ((1 - at)*ab)*cb) / a`, 0 when a is 0.
#[inline(always)]
fn alpha_blend_f_one(ct: f32, at: f32, cb: f32, ab: f32, a: f32) -> f32 {
    if a == 0.0 {
        0.0
    } else {
        (ct * at + ((1.0 - at) * ab) * cb) / a
    }
}

/// `floor(y / 255)` for `y < 66052`: `ceil(2^23 / 255) = 0x8081` overshoots 255 by 127/2^23,
/// so the error `y * 127 / 2^23` stays below `1 / 255`.
#[inline(always)]
fn floor255(y: u32) -> u32 {
    (y * 0x8081) >> 23
}

/// A reciprocal of `a` (1...255) for [`quotient8`]: the binary32 just above `fl(1 / a)`; 0
/// for any other `a` (only [`recip8`] makes one, which bounds what [`quotient8`] converts).
#[derive(Clone, Copy)]
struct Recip8(f32);

#[inline(always)]
fn recip8(a: u32) -> Recip8 {
    let r = f32::from_bits((1.0 / (a as i32 as f32)).to_bits() + 1);
    Recip8(if (1..=255).contains(&a) { r } else { 0.0 })
}

/// `floor(m / a)` for `m < 256 a` with `r = recip8(a)`: `r` exceeds `1 / a` by less than
/// 2^-22 relative, so `m * r` lies in `[m / a, m / a + 2^-14]`, which never reaches the next
/// integer (at least `1 / a >= 1/255` away) even after rounding (unit 2^-16 below 256).
#[inline(always)]
fn quotient8(m: u32, r: Recip8) -> u32 {
    let m = m.min(1 << 20);
    // SAFETY: 0 <= r.0 <= 1 + 2^-22 and 0 <= m <= 2^20, so the product is finite and fits
    // i32 (a plain `as` would be scalarized by LLVM).
    unsafe { ((m as i32 as f32) * r.0).to_int_unchecked::<i32>() as u32 }
}

/// One ARGB8888 pixel of [`alpha_blend8`], as a little-endian `u32` (alpha in bits 0-7).
///
/// With `D = 255 a` and `P = 255 ct at + (255 - at) ab cb`, the colour is
/// `min(255, (P + D/2) / D) = min(255, M / a)` with `M = (P + D/2) / 255` (nested floors).
/// Writing `(255 - at) ab = 255 w + s` and `D/2 = 255 (a >> 1) + 127 (a & 1)`,
/// `M = ct at + w cb + (a >> 1) + (s cb + 127 (a & 1)) / 255` with `s cb + 127 < 66052`.
/// `M` is clamped to `256 a - 1` (anything above gives 255) and divided by [`quotient8`].
#[inline(always)]
fn alpha_blend8_px(t: u32, b: u32) -> u32 {
    let (ta, ba) = (t & 0xff, b & 0xff);
    let y = (255 - ta) * ba;
    let a = (ta + div255(y)).min(255);
    let w = floor255(y);
    let s = y - 255 * w;
    let base = a >> 1;
    let odd = (a & 1) * 127;
    let limit = (a << 8).wrapping_sub(1);
    let r = recip8(a);
    let mut out = a;
    for j in 1..4 {
        let (ct, cb) = ((t >> (8 * j)) & 0xff, (b >> (8 * j)) & 0xff);
        let m = ct * ta + w * cb + base + floor255(s * cb + odd);
        out |= quotient8(m.min(limit), r) << (8 * j);
    }
    if a == 0 { 0 } else { out }
}

/// ARGB8888 (alpha first): result alpha `at + ((255 - at) * ab + 127) / 255`, then each colour
/// as [`alpha_blend8_one`] over that alpha (so ARGB == the planar function fed that alpha);
/// computed per pixel by [`alpha_blend8_px`].
pub fn alpha_blend8(top: &[u8], bottom: &[u8], dst: &mut [u8]) {
    fast!({
        for ((t, b), d) in top
            .chunks_exact(4)
            .zip(bottom.chunks_exact(4))
            .zip(dst.chunks_exact_mut(4))
        {
            let t = u32::from_le_bytes([t[0], t[1], t[2], t[3]]);
            let b = u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
            d.copy_from_slice(&alpha_blend8_px(t, b).to_le_bytes());
        }
    })
}

/// ARGBFFFF: result alpha `at + (1 - at) * ab`, colour as [`alpha_blend_f_one`].
pub fn alpha_blend_f(top: &[u8], bottom: &[u8], dst: &mut [u8]) {
    fast!({
        for ((t, b), d) in top
            .chunks_exact(16)
            .zip(bottom.chunks_exact(16))
            .zip(dst.chunks_exact_mut(16))
        {
            let (ta, ba) = (f32::load(t), f32::load(b));
            let a = over_f_one(ta, ba, ta);
            a.store(d);
            for j in 1..4 {
                let v =
                    alpha_blend_f_one(f32::load(&t[4 * j..]), ta, f32::load(&b[4 * j..]), ba, a);
                v.store(&mut d[4 * j..]);
            }
        }
    })
}

/// Planar8: sources `[top, topAlpha, bottom, bottomAlpha, alpha]`.
pub fn alpha_blend_planar8(srcs: [&[u8]; 5], dst: &mut [u8]) {
    fast!({
        planar_n::<u8, 5>(srcs, dst, |[ct, at, cb, ab, a]| {
            alpha_blend8_one(ct, at, cb, ab, a)
        })
    })
}

/// PlanarF: sources `[top, topAlpha, bottom, bottomAlpha, alpha]`.
pub fn alpha_blend_planar_f(srcs: [&[u8]; 5], dst: &mut [u8]) {
    fast!({
        planar_n::<f32, 5>(srcs, dst, |[ct, at, cb, ab, a]| {
            alpha_blend_f_one(ct, at, cb, ab, a)
        })
    })
}

// ---- SVG feBlend modes (RGBA8888, alpha last) ------------------------------------------------------

/// The four SVG blend modes of Alpha.h.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlendMode {
    Multiply,
    Screen,
    Darken,
    Lighten,
}

pub fn blend_mode8(mode: BlendMode, top: &[u8], bottom: &[u8], dst: &mut [u8]) {
    let alpha = |ta, ba| over8_one(ta, ba, ta);
    match mode {
        BlendMode::Multiply => fast!({
            blend4::<u8, 3>(
                top,
                bottom,
                dst,
                |t, b, ta, ba| {
                    let (t, b) = (u32::from(t), u32::from(b));
                    let n = (255 - u32::from(ta)) * b + (255 - u32::from(ba)) * t + t * b + 127;
                    (n / 255).min(255) as u8
                },
                alpha,
            )
        }),
        BlendMode::Screen => fast!({
            blend4::<u8, 3>(
                top,
                bottom,
                dst,
                |t, b, _, _| {
                    let p = div255(u32::from(t) * u32::from(b)) as i32;
                    (i32::from(t) + i32::from(b) - p).clamp(0, 255) as u8
                },
                alpha,
            )
        }),
        BlendMode::Darken => fast!({
            blend4::<u8, 3>(
                top,
                bottom,
                dst,
                |t, b, ta, ba| side(t, b, ta).min(side(b, t, ba)).min(255) as u8,
                alpha,
            )
        }),
        BlendMode::Lighten => fast!({
            blend4::<u8, 3>(
                top,
                bottom,
                dst,
                |t, b, ta, ba| side(t, b, ta).max(side(b, t, ba)).min(255) as u8,
                alpha,
            )
        }),
    }
}

/// One-sided over without saturation: `x + ((255 - xa) * y + 127) / 255`.
#[inline(always)]
fn side(x: u8, y: u8, xa: u8) -> u32 {
    u32::from(x) + div255(u32::from(255 - xa) * u32::from(y))
}

// ---- flatten ------------------------------------------------------------------------------------

/// 8-bit straight (non-premultiplied) colour over an opaque background with ONE rounding:
/// colour `(c * a + (255 - a) * bg + 127) / 255`, alpha byte `(a * 255 + (255 - a) * bg + 127)
/// / 255`. Output `j` reads source byte `map[j]` and background `bg[j]`; `map.len()` (3 or 4)
/// output bytes per pixel.
pub fn flatten_straight8(alpha: usize, map: &[u8], bg: &[u8], src: &[u8], dst: &mut [u8]) {
    let one = move |_: usize, x: u8, a: u8, is_alpha: bool, b: u8| {
        let w = if is_alpha { 255 } else { u32::from(a) };
        div255(u32::from(x) * w + u32::from(255 - a) * u32::from(b)) as u8
    };
    if map.len() == 3 {
        let m = [map[0], map[1], map[2]].map(usize::from);
        let b = [bg[0], bg[1], bg[2]];
        with_alpha!(alpha, |A| fast!(flatten_row::<u8, A, 3>(
            src,
            dst,
            m,
            |j, x, a, is_a| one(j, x, a, is_a, b[j])
        )))
    } else {
        let m = [map[0], map[1], map[2], map[3]].map(usize::from);
        let b = [bg[0], bg[1], bg[2], bg[3]];
        with_alpha!(alpha, |A| {
            let done = if m == [0, 1, 2, 3] {
                x86::flatten_straight8::<A>(b, src, dst)
            } else {
                0
            };
            let (src, dst) = (&src[done..], &mut dst[done..]);
            fast!(flatten_row::<u8, A, 4>(src, dst, m, |j, x, a, is_a| one(
                j, x, a, is_a, b[j]
            )))
        })
    }
}

/// 16U, four channels in image order: `(x * w + (65535 - a) * bg + 32767) / 65535` (clamped to
/// 65535), with `(x, w)` = `(c, a)` for straight colour, `(c, 65535)` for premultiplied colour
/// and `(a, 65535)` for alpha.
pub fn flatten16(alpha: usize, premultiplied: bool, bg: [u16; 4], src: &[u8], dst: &mut [u8]) {
    let f = move |j: usize, x: u16, a: u16, is_alpha: bool| {
        let w = if is_alpha || premultiplied {
            65535
        } else {
            u64::from(a)
        };
        let n = u64::from(x) * w + u64::from(65535 - a) * u64::from(bg[j]) + 32767;
        (n / 65535).min(65535) as u16
    };
    with_alpha!(alpha, |A| fast!(flatten_row::<u16, A, 4>(
        src,
        dst,
        [0, 1, 2, 3],
        f
    )))
}

/// 16Q12, four channels in image order: alpha clamped to [0, 4096] first, then
/// `(x * w + (4096 - a) * bg + 2048) >> 12` (arithmetic shift, clamped to int16), with
/// `(x, w)` = `(c, a)` straight, `(c, 4096)` premultiplied, `(a, 4096)` for alpha.
pub fn flatten_q12(alpha: usize, premultiplied: bool, bg: [i16; 4], src: &[u8], dst: &mut [u8]) {
    let f = move |j: usize, x: i16, a: i16, is_alpha: bool| {
        let a = i64::from(a).clamp(0, 4096);
        let x = if is_alpha { a } else { i64::from(x) };
        let w = if is_alpha || premultiplied { 4096 } else { a };
        ((x * w + (4096 - a) * i64::from(bg[j]) + 2048) >> 12).clamp(-32768, 32767) as i16
    };
    with_alpha!(alpha, |A| fast!(flatten_row::<i16, A, 4>(
        src,
        dst,
        [0, 1, 2, 3],
        f
    )))
}

/// float: colour `c + (1 - a) * bg` (premultiplied) or `c * a + (1 - a) * bg` (straight), alpha
/// `a + (1 - a) * bg`; output `j` reads source channel `map[j]` and background `bg[j]`;
/// `map.len()` (3 or 4) outputs per pixel.
pub fn flatten_f(
    alpha: usize,
    premultiplied: bool,
    map: &[u8],
    bg: &[f32],
    src: &[u8],
    dst: &mut [u8],
) {
    let one = move |x: f32, a: f32, is_alpha: bool, b: f32| {
        let p = if is_alpha || premultiplied { x } else { x * a };
        p + (1.0 - a) * b
    };
    if map.len() == 3 {
        let m = [map[0], map[1], map[2]].map(usize::from);
        let b = [bg[0], bg[1], bg[2]];
        with_alpha!(alpha, |A| fast!(flatten_row::<f32, A, 3>(
            src,
            dst,
            m,
            |j, x, a, is_a| one(x, a, is_a, b[j])
        )))
    } else {
        let m = [map[0], map[1], map[2], map[3]].map(usize::from);
        let b = [bg[0], bg[1], bg[2], bg[3]];
        with_alpha!(alpha, |A| fast!(flatten_row::<f32, A, 4>(
            src,
            dst,
            m,
            |j, x, a, is_a| one(x, a, is_a, b[j])
        )))
    }
}

// ---- hand-written AVX2 ----------------------------------------------------------------------------

/// AVX2 forms of the kernels LLVM does not vectorize well from the safe loops: each handles
/// the longest prefix of whole vectors and returns how many bytes of the row it wrote; the
/// safe loop finishes the row.
#[cfg(target_arch = "x86_64")]
mod x86 {
    use std::arch::x86_64::*;

    use super::Level;

    fn avx2() -> bool {
        Level::detect() == Level::Avx2
    }

    /// pshufb control that copies byte `A` of each 4-byte pixel to all four bytes.
    #[target_feature(enable = "avx2")]
    fn alpha_bytes<const A: usize>() -> __m256i {
        let a = A as i8;
        _mm256_setr_epi8(
            a,
            a,
            a,
            a,
            4 + a,
            4 + a,
            4 + a,
            4 + a,
            8 + a,
            8 + a,
            8 + a,
            8 + a,
            12 + a,
            12 + a,
            12 + a,
            12 + a,
            a,
            a,
            a,
            a,
            4 + a,
            4 + a,
            4 + a,
            4 + a,
            8 + a,
            8 + a,
            8 + a,
            8 + a,
            12 + a,
            12 + a,
            12 + a,
            12 + a,
        )
    }

    /// `((x + 128) * 257) >> 16` on u16 lanes (x <= 65025).
    #[target_feature(enable = "avx2")]
    fn div255(x: __m256i) -> __m256i {
        _mm256_mulhi_epu16(
            _mm256_add_epi16(x, _mm256_set1_epi16(128)),
            _mm256_set1_epi16(257),
        )
    }

    /// `(x0, x1, y)` over 32 bytes: `y = pack(div255(lo(x0) * lo(x1)), ...)`.
    #[target_feature(enable = "avx2")]
    fn mul_div255(x0: __m256i, x1: __m256i) -> __m256i {
        let z = _mm256_setzero_si256();
        let lo = _mm256_mullo_epi16(_mm256_unpacklo_epi8(x0, z), _mm256_unpacklo_epi8(x1, z));
        let hi = _mm256_mullo_epi16(_mm256_unpackhi_epi8(x0, z), _mm256_unpackhi_epi8(x1, z));
        _mm256_packus_epi16(div255(lo), div255(hi))
    }

    /// Runs `f` over the 32-byte blocks of `n` bytes of two sources and a destination.
    #[inline(always)]
    fn blocks2(
        top: &[u8],
        bottom: &[u8],
        dst: &mut [u8],
        mut f: impl FnMut(__m256i, __m256i) -> __m256i,
    ) -> usize {
        let n = top.len().min(bottom.len()).min(dst.len()) / 32 * 32;
        for ((t, b), d) in top[..n]
            .chunks_exact(32)
            .zip(bottom[..n].chunks_exact(32))
            .zip(dst[..n].chunks_exact_mut(32))
        {
            // SAFETY: t, b and d are 32 bytes each (unaligned loads and store).
            unsafe {
                let v = f(
                    _mm256_loadu_si256(t.as_ptr().cast()),
                    _mm256_loadu_si256(b.as_ptr().cast()),
                );
                _mm256_storeu_si256(d.as_mut_ptr().cast(), v);
            }
        }
        n
    }

    /// 8-bit premultiplied over on every byte (alpha included): `min(255, t + div255((255 -
    /// ta) * b))`.
    pub(super) fn over8<const A: usize>(top: &[u8], bottom: &[u8], dst: &mut [u8]) -> usize {
        if !avx2() {
            return 0;
        }
        // SAFETY: the CPU has AVX2 (checked above).
        unsafe { over8_avx2::<A>(top, bottom, dst) }
    }

    #[target_feature(enable = "avx2")]
    fn over8_avx2<const A: usize>(top: &[u8], bottom: &[u8], dst: &mut [u8]) -> usize {
        let ab = alpha_bytes::<A>();
        let ones = _mm256_set1_epi8(-1);
        blocks2(top, bottom, dst, |t, b| {
            let ia = _mm256_xor_si256(_mm256_shuffle_epi8(t, ab), ones);
            _mm256_adds_epu8(t, mul_div255(ia, b))
        })
    }

    /// Clip to alpha on every byte (alpha included): `min(c, a)`.
    pub(super) fn clip8<const A: usize>(src: &[u8], dst: &mut [u8]) -> usize {
        if !avx2() {
            return 0;
        }
        // SAFETY: the CPU has AVX2 (checked above).
        unsafe { clip8_avx2::<A>(src, dst) }
    }

    #[target_feature(enable = "avx2")]
    fn clip8_avx2<const A: usize>(src: &[u8], dst: &mut [u8]) -> usize {
        let ab = alpha_bytes::<A>();
        blocks2(src, src, dst, |s, _| {
            _mm256_min_epu8(s, _mm256_shuffle_epi8(s, ab))
        })
    }

    /// Straight flatten of four channels in image order: `div255(c * w + (255 - a) * bg)`
    /// with `w = a` for colour and 255 for the alpha byte.
    pub(super) fn flatten_straight8<const A: usize>(
        bg: [u8; 4],
        src: &[u8],
        dst: &mut [u8],
    ) -> usize {
        if !avx2() {
            return 0;
        }
        // SAFETY: the CPU has AVX2 (checked above).
        unsafe { flatten_straight8_avx2::<A>(bg, src, dst) }
    }

    #[target_feature(enable = "avx2")]
    fn flatten_straight8_avx2<const A: usize>(bg: [u8; 4], src: &[u8], dst: &mut [u8]) -> usize {
        let ab = alpha_bytes::<A>();
        let z = _mm256_setzero_si256();
        let ones = _mm256_set1_epi8(-1);
        let alpha_slot = _mm256_set1_epi32((0xff_u32 << (8 * A)) as i32);
        let bgv = _mm256_set1_epi32(i32::from_le_bytes(bg));
        let (bg_lo, bg_hi) = (_mm256_unpacklo_epi8(bgv, z), _mm256_unpackhi_epi8(bgv, z));
        blocks2(src, src, dst, |s, _| {
            let a = _mm256_shuffle_epi8(s, ab);
            let w = _mm256_or_si256(a, alpha_slot);
            let ia = _mm256_xor_si256(a, ones);
            let lo = _mm256_add_epi16(
                _mm256_mullo_epi16(_mm256_unpacklo_epi8(s, z), _mm256_unpacklo_epi8(w, z)),
                _mm256_mullo_epi16(_mm256_unpacklo_epi8(ia, z), bg_lo),
            );
            let hi = _mm256_add_epi16(
                _mm256_mullo_epi16(_mm256_unpackhi_epi8(s, z), _mm256_unpackhi_epi8(w, z)),
                _mm256_mullo_epi16(_mm256_unpackhi_epi8(ia, z), bg_hi),
            );
            _mm256_packus_epi16(div255(lo), div255(hi))
        })
    }

    /// float unpremultiply: `c / a` (0 when a is 0), alpha copied; IEEE division per lane.
    pub(super) fn unpremul_f<const A: usize>(src: &[u8], dst: &mut [u8]) -> usize {
        if !avx2() {
            return 0;
        }
        // SAFETY: the CPU has AVX2 (checked above).
        unsafe { unpremul_f_avx2::<A>(src, dst) }
    }

    #[target_feature(enable = "avx2")]
    fn unpremul_f_avx2<const A: usize>(src: &[u8], dst: &mut [u8]) -> usize {
        blocks2(src, src, dst, |s, _| {
            let v = _mm256_castsi256_ps(s);
            let a = if A == 0 {
                _mm256_permute_ps::<0x00>(v)
            } else {
                _mm256_permute_ps::<0xff>(v)
            };
            let q = _mm256_div_ps(v, a);
            let q = _mm256_andnot_ps(_mm256_cmp_ps::<_CMP_EQ_OQ>(a, _mm256_setzero_ps()), q);
            let out = if A == 0 {
                _mm256_blend_ps::<0x11>(q, v)
            } else {
                _mm256_blend_ps::<0x88>(q, v)
            };
            _mm256_castps_si256(out)
        })
    }

    /// 16U premultiply: `(t + (t >> 16)) >> 16` with `t = c * a + 32768` (as
    /// [`super::premul16`]), alpha copied; 4 pixels a step.
    pub(super) fn premul16<const A: usize>(src: &[u8], dst: &mut [u8]) -> usize {
        if !avx2() {
            return 0;
        }
        // SAFETY: the CPU has AVX2 (checked above).
        unsafe { premul16_avx2::<A>(src, dst) }
    }

    #[target_feature(enable = "avx2")]
    fn premul16_avx2<const A: usize>(src: &[u8], dst: &mut [u8]) -> usize {
        // Copies the alpha sample of each 8-byte pixel to its four samples.
        let (x, y) = (2 * A as i8, 2 * A as i8 + 1);
        let (u, v) = (x + 8, y + 8);
        #[rustfmt::skip]
        let ab = _mm256_setr_epi8(
            x, y, x, y, x, y, x, y, u, v, u, v, u, v, u, v,
            x, y, x, y, x, y, x, y, u, v, u, v, u, v, u, v,
        );
        let round = _mm256_set1_epi32(32768);
        blocks2(src, src, dst, |s, _| {
            let a = _mm256_shuffle_epi8(s, ab);
            let (lo, hi) = (_mm256_mullo_epi16(s, a), _mm256_mulhi_epu16(s, a));
            let f = |p: __m256i| {
                let t = _mm256_add_epi32(p, round);
                _mm256_srli_epi32::<16>(_mm256_add_epi32(t, _mm256_srli_epi32::<16>(t)))
            };
            let q = _mm256_packus_epi32(
                f(_mm256_unpacklo_epi16(lo, hi)),
                f(_mm256_unpackhi_epi16(lo, hi)),
            );
            if A == 0 {
                _mm256_blend_epi16::<0x11>(q, s)
            } else {
                _mm256_blend_epi16::<0x88>(q, s)
            }
        })
    }

    /// 16U unpremultiply ([`super::unpremul16`]'s estimate and correction), 8 pixels a step.
    pub(super) fn unpremul16<const A: usize>(src: &[u8], dst: &mut [u8]) -> usize {
        if !avx2() {
            return 0;
        }
        // SAFETY: the CPU has AVX2 and FMA (Level::Avx2, checked above).
        unsafe { unpremul16_avx2::<A>(src, dst) }
    }

    #[target_feature(enable = "avx2")]
    fn bcast<const A: usize>(v: __m256i) -> __m256i {
        if A == 0 {
            _mm256_shuffle_epi32::<0x00>(v)
        } else {
            _mm256_shuffle_epi32::<0xff>(v)
        }
    }

    /// One vector of two pixels (one per 128-bit lane, i32 samples) with, broadcast per
    /// pixel, its alpha `a`, `k = fl(65535 r)` and `h = fl((a >> 1) r + 1/32)` (`r =
    /// fl(1 / a)`, 0 when a is 0).
    ///
    /// The estimate `x = fl(c k + h)` of `E = n / a <= 65535.5` is biased up by 1/32: `c k`
    /// is within `65535 * 2^-23` (< 2^-7) of `c * 65535 / a`, `h` within 2^-24 of
    /// `half / a + 1/32`, and the last rounding adds at most 2^-8, so `x` lies in
    /// `[E + 0.019, E + 0.044]` and its truncation is `q` or `q + 1`; the remainder
    /// `n - q0 * a` is negative exactly in the second case. When a is 0, `x = 1/32`, `n = 0`
    /// and the result is 0.
    #[target_feature(enable = "avx2,fma")]
    fn unpremul16_2px<const A: usize>(w: __m256i, a: __m256i, k: __m256, h: __m256) -> __m256i {
        let c = _mm256_min_epi32(w, a);
        let half = _mm256_srli_epi32::<1>(a);
        let n = _mm256_add_epi32(_mm256_sub_epi32(_mm256_slli_epi32::<16>(c), c), half);
        let x = _mm256_fmadd_ps(_mm256_cvtepi32_ps(c), k, h);
        let q0 = _mm256_cvttps_epi32(x);
        let rem = _mm256_sub_epi32(n, _mm256_mullo_epi32(q0, a));
        let q = _mm256_add_epi32(q0, _mm256_srai_epi32::<31>(rem));
        if A == 0 {
            _mm256_blend_epi32::<0x11>(q, w)
        } else {
            _mm256_blend_epi32::<0x88>(q, w)
        }
    }

    /// `v` as floats with element `I` of each 128-bit lane broadcast over the lane.
    #[target_feature(enable = "avx2")]
    fn lane_bcast<const I: i32>(v: __m256) -> __m256 {
        _mm256_permute_ps::<I>(v)
    }

    #[target_feature(enable = "avx2,fma")]
    fn unpremul16_avx2<const A: usize>(src: &[u8], dst: &mut [u8]) -> usize {
        let n = src.len().min(dst.len()) / 64 * 64;
        let z = _mm256_setzero_si256();
        for (s, d) in src[..n].chunks_exact(64).zip(dst[..n].chunks_exact_mut(64)) {
            // SAFETY: s is 64 bytes (unaligned loads).
            let (v0, v1) = unsafe {
                (
                    _mm256_loadu_si256(s.as_ptr().cast()),
                    _mm256_loadu_si256(s.as_ptr().add(32).cast()),
                )
            };
            // Pixels [0 | 2], [1 | 3], [4 | 6], [5 | 7] as i32 samples.
            let w = [
                _mm256_unpacklo_epi16(v0, z),
                _mm256_unpackhi_epi16(v0, z),
                _mm256_unpacklo_epi16(v1, z),
                _mm256_unpackhi_epi16(v1, z),
            ];
            let a = w.map(|w| bcast::<A>(w));
            // The eight alphas as [a0 a1 a4 a5 | a2 a3 a6 a7]: one division for all of them;
            // element i of each lane then belongs to w[i].
            let t01 = _mm256_blend_epi32::<0b0010_0010>(a[0], a[1]);
            let t23 = _mm256_blend_epi32::<0b1000_1000>(a[2], a[3]);
            let al = _mm256_blend_epi32::<0b1100_1100>(t01, t23);
            let r = _mm256_div_ps(_mm256_set1_ps(1.0), _mm256_cvtepi32_ps(al));
            let r = _mm256_andnot_ps(_mm256_castsi256_ps(_mm256_cmpeq_epi32(al, z)), r);
            let k = _mm256_mul_ps(r, _mm256_set1_ps(65535.0));
            let h = _mm256_fmadd_ps(
                _mm256_cvtepi32_ps(_mm256_srli_epi32::<1>(al)),
                r,
                _mm256_set1_ps(1.0 / 32.0),
            );
            let bc = |v: __m256| {
                [
                    lane_bcast::<0x00>(v),
                    lane_bcast::<0x55>(v),
                    lane_bcast::<0xaa>(v),
                    lane_bcast::<0xff>(v),
                ]
            };
            let (k, h) = (bc(k), bc(h));
            let q = [0, 1, 2, 3].map(|i| unpremul16_2px::<A>(w[i], a[i], k[i], h[i]));
            // SAFETY: d is 64 bytes (unaligned stores).
            unsafe {
                _mm256_storeu_si256(d.as_mut_ptr().cast(), _mm256_packus_epi32(q[0], q[1]));
                _mm256_storeu_si256(
                    d.as_mut_ptr().add(32).cast(),
                    _mm256_packus_epi32(q[2], q[3]),
                );
            }
        }
        n
    }
}

/// Without x86-64 there is no hand-written prefix.
#[cfg(not(target_arch = "x86_64"))]
mod x86 {
    pub(super) fn over8<const A: usize>(_: &[u8], _: &[u8], _: &mut [u8]) -> usize {
        0
    }
    pub(super) fn clip8<const A: usize>(_: &[u8], _: &mut [u8]) -> usize {
        0
    }
    pub(super) fn flatten_straight8<const A: usize>(_: [u8; 4], _: &[u8], _: &mut [u8]) -> usize {
        0
    }
    pub(super) fn unpremul_f<const A: usize>(_: &[u8], _: &mut [u8]) -> usize {
        0
    }
    pub(super) fn unpremul16<const A: usize>(_: &[u8], _: &mut [u8]) -> usize {
        0
    }
    pub(super) fn premul16<const A: usize>(_: &[u8], _: &mut [u8]) -> usize {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The original 16U unpremultiply, with its division.
    fn unpremul16_div(c: u16, a: u16) -> u16 {
        let a = u32::from(a);
        (u32::from(c) * 65535 + a / 2)
            .checked_div(a)
            .map_or(0, |q| q as u16)
    }

    /// The original 16U unpremultiply with the clamp, as the tests define it.
    fn unpremul16_ref(c: u16, a: u16) -> u16 {
        unpremul16_div(c.min(a), a)
    }

    fn check_unpremul16(c: u16, a: u16) {
        assert_eq!(
            unpremul16(c, a, recip16(a)),
            unpremul16_ref(c, a),
            "c {c} a {a}"
        );
    }

    #[test]
    fn premul16_every_product() {
        // The identity in premul16's comment, over every t = 65536 h + l it can see: every
        // h (0...65535) at every l that decides (h + l around 65536, and the ends).
        let f = |t: u32| (t + (t >> 16)) >> 16;
        let g = |t: u32| (t - 1) / 65535;
        for h in 0u32..65536 {
            for l in [0, 1, 2, 32767, 32768, 65534, 65535].into_iter().chain(
                (65534u32.saturating_sub(h)..=65537u32.saturating_sub(h)).filter(|&l| l < 65536),
            ) {
                let t = 65536 * h + l;
                if (32768..=65535 * 65535 + 32768).contains(&t) {
                    assert_eq!(f(t), g(t), "t {t}");
                }
            }
        }
        // And directly, every colour at a spread of alphas and every alpha at a spread of
        // colours.
        for x in 0..=u16::MAX {
            for y in [0, 1, 2, 255, 256, 32767, 32768, 40000, 65534, 65535] {
                for (c, a) in [(x, y), (y, x)] {
                    let want = ((u32::from(c) * u32::from(a) + 32767) / 65535) as u16;
                    assert_eq!(premul16(c, a), want, "c {c} a {a}");
                }
            }
        }
    }

    #[test]
    fn unpremul16_sampled() {
        // Every alpha with colours at and around every quotient boundary that matters most
        // (small and large colours, the alpha itself), and every colour at a spread of alphas.
        for a in 0..=u16::MAX {
            for c in [
                0,
                1,
                2,
                3,
                a / 3,
                a / 2,
                a.saturating_sub(1),
                a,
                a.saturating_add(1),
            ] {
                check_unpremul16(c, a);
            }
        }
        for c in 0..=u16::MAX {
            for a in [
                1, 2, 3, 255, 256, 257, 4095, 32767, 32768, 40000, 65533, 65534, 65535,
            ] {
                check_unpremul16(c, a);
            }
        }
    }

    /// The row kernel (AVX2 where the CPU has it, the safe loop on the tail) on pixels
    /// `(c, c + 1, c + 2, a)` (alpha last, then first) for every `c` in `colours`.
    fn check_unpremul16_rows(a: u16, colours: impl Iterator<Item = u16> + Clone) {
        for alpha in [3usize, 0] {
            let mut src = Vec::new();
            let mut want = Vec::new();
            for c in colours.clone() {
                let mut px = [c, c.saturating_add(1), c.saturating_add(2), 0];
                px.rotate_right(3 - alpha);
                px[alpha] = a;
                for (j, v) in px.into_iter().enumerate() {
                    src.extend_from_slice(&v.to_ne_bytes());
                    let w = if j == alpha { a } else { unpremul16_ref(v, a) };
                    want.extend_from_slice(&w.to_ne_bytes());
                }
            }
            let mut dst = vec![0u8; src.len()];
            unpremultiply16(alpha, &src, &mut dst);
            assert!(dst == want, "a {a} alpha at {alpha}");
        }
    }

    #[test]
    fn unpremul16_rows_sampled() {
        for a in (0..=u16::MAX)
            .step_by(97)
            .chain([1, 2, 3, 255, 256, 65534, 65535])
        {
            check_unpremul16_rows(
                a,
                (0..=a.saturating_add(2)).step_by(usize::from(a / 500 + 1)),
            );
        }
    }

    /// Every (colour, alpha) pair, through the scalar function and the row kernel:
    /// `cargo test --release --lib kernels::alpha -- --ignored`.
    #[test]
    #[ignore = "exhaustive: 2^32 pairs, run in release"]
    fn unpremul16_exhaustive() {
        std::thread::scope(|s| {
            for part in 0..4u32 {
                s.spawn(move || {
                    for a in (0..=u16::MAX).filter(|a| u32::from(*a) % 4 == part) {
                        let r = recip16(a);
                        for c in 0..=a {
                            assert_eq!(unpremul16(c, a, r), unpremul16_div(c, a), "c {c} a {a}");
                        }
                        check_unpremul16_rows(a, 0..=a);
                    }
                });
            }
        });
    }

    #[test]
    fn floor255_every_input() {
        for y in 0..66052 {
            assert_eq!(floor255(y), y / 255, "y {y}");
        }
    }

    #[test]
    fn quotient8_every_pair() {
        for a in 1..=255u32 {
            let r = recip8(a);
            for m in 0..256 * a {
                assert_eq!(quotient8(m, r), m / a, "m {m} a {a}");
            }
        }
    }

    /// The original straight blend, with its division.
    fn alpha_blend8_ref(t: [u8; 4], b: [u8; 4]) -> [u8; 4] {
        let a = over8_one(t[0], b[0], t[0]);
        let mut d = [a; 4];
        for j in 1..4 {
            d[j] = alpha_blend8_one(t[j], t[0], b[j], b[0], a);
        }
        d
    }

    fn check_alpha_blend8(t: [u8; 4], b: [u8; 4]) {
        let got = alpha_blend8_px(u32::from_le_bytes(t), u32::from_le_bytes(b)).to_le_bytes();
        assert_eq!(got, alpha_blend8_ref(t, b), "top {t:?} bottom {b:?}");
    }

    #[test]
    fn alpha_blend8_every_alpha_pair() {
        // Every (top alpha, bottom alpha) pair with colours at the ends and in between.
        let colours = [0u8, 1, 2, 64, 127, 128, 200, 254, 255];
        for ta in 0..=255u8 {
            for ba in 0..=255u8 {
                for &ct in &colours {
                    for &cb in &colours {
                        check_alpha_blend8([ta, ct, cb, ct ^ cb], [ba, cb, ct, 255 - ct]);
                    }
                }
            }
        }
    }

    /// Every (top, bottom) colour and alpha: `cargo test --release --lib kernels::alpha --
    /// --ignored`.
    #[test]
    #[ignore = "exhaustive: 2^32 inputs, run in release"]
    fn alpha_blend8_exhaustive() {
        std::thread::scope(|s| {
            for part in 0..4u32 {
                s.spawn(move || {
                    for ta in (0..=255u8).filter(|a| u32::from(*a) % 4 == part) {
                        for ba in 0..=255u8 {
                            for ct in 0..=255u8 {
                                for cb in 0..=255u8 {
                                    check_alpha_blend8([ta, ct, ct, ct], [ba, cb, cb, cb]);
                                }
                            }
                        }
                    }
                });
            }
        });
    }
}
