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

/// Runs `body` compiled for AVX2 when the CPU has it (the same safe loop, wider vectors).
#[inline(always)]
fn fast(body: impl FnOnce()) {
    #[cfg(target_arch = "x86_64")]
    if Level::detect() == Level::Avx2 {
        // SAFETY: Level::Avx2 is only detected when the CPU has AVX2 (and FMA).
        unsafe { avx2(body) };
        return;
    }
    body()
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

/// 16U: `(c * a + 32767) / 65535`.
#[inline(always)]
fn premul16(c: u16, a: u16) -> u16 {
    ((u32::from(c) * u32::from(a) + 32767) / 65535) as u16
}

/// 16U: `(min(c, a) * 65535 + a / 2) / a`, 0 when a is 0.
#[inline(always)]
fn unpremul16(c: u16, a: u16) -> u16 {
    if a == 0 {
        return 0;
    }
    let a32 = u32::from(a);
    ((u32::from(c.min(a)) * 65535 + a32 / 2) / a32) as u16
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
    with_alpha!(alpha, |A| fast(|| colour_alpha::<u16, A>(
        src, dst, premul16
    )))
}

pub fn unpremultiply16(alpha: usize, src: &[u8], dst: &mut [u8]) {
    with_alpha!(alpha, |A| fast(|| colour_alpha::<u16, A>(
        src, dst, unpremul16
    )))
}

pub fn premultiply_q12(alpha: usize, src: &[u8], dst: &mut [u8]) {
    with_alpha!(alpha, |A| fast(|| colour_alpha::<i16, A>(
        src, dst, premul_q12
    )))
}

pub fn unpremultiply_q12(alpha: usize, src: &[u8], dst: &mut [u8]) {
    with_alpha!(alpha, |A| fast(|| colour_alpha::<i16, A>(
        src,
        dst,
        unpremul_q12
    )))
}

pub fn premultiply_f(alpha: usize, src: &[u8], dst: &mut [u8]) {
    with_alpha!(alpha, |A| fast(|| colour_alpha::<f32, A>(
        src,
        dst,
        |c, a| c * a
    )))
}

pub fn unpremultiply_f(alpha: usize, src: &[u8], dst: &mut [u8]) {
    with_alpha!(alpha, |A| fast(|| colour_alpha::<f32, A>(
        src, dst, unpremul_f
    )))
}

pub fn premultiply_planar8(c: &[u8], a: &[u8], dst: &mut [u8]) {
    fast(|| planar2::<u8>(c, a, dst, premul8))
}

pub fn unpremultiply_planar8(c: &[u8], a: &[u8], dst: &mut [u8]) {
    fast(|| planar2::<u8>(c, a, dst, unpremul8))
}

pub fn premultiply_planar_f(c: &[u8], a: &[u8], dst: &mut [u8]) {
    fast(|| planar2::<f32>(c, a, dst, |c, a| c * a))
}

pub fn unpremultiply_planar_f(c: &[u8], a: &[u8], dst: &mut [u8]) {
    fast(|| planar2::<f32>(c, a, dst, unpremul_f))
}

// ---- clip to alpha ----------------------------------------------------------------------------

/// `min(c, a)`; for floats IEEE minNum (a NaN operand yields the other one).
pub fn clip8(alpha: usize, src: &[u8], dst: &mut [u8]) {
    with_alpha!(alpha, |A| fast(|| colour_alpha::<u8, A>(
        src,
        dst,
        |c, a| c.min(a)
    )))
}

pub fn clip_f(alpha: usize, src: &[u8], dst: &mut [u8]) {
    with_alpha!(alpha, |A| fast(|| colour_alpha::<f32, A>(
        src,
        dst,
        f32::min
    )))
}

pub fn clip_planar8(c: &[u8], a: &[u8], dst: &mut [u8]) {
    fast(|| planar2::<u8>(c, a, dst, |c, a| c.min(a)))
}

pub fn clip_planar_f(c: &[u8], a: &[u8], dst: &mut [u8]) {
    fast(|| planar2::<f32>(c, a, dst, f32::min))
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
    with_alpha!(alpha, |A| fast(|| blend4::<u8, A>(
        top,
        bottom,
        dst,
        |t, b, ta, _| over8_one(t, b, ta),
        |ta, ba| over8_one(ta, ba, ta)
    )))
}

pub fn over_f(alpha: usize, top: &[u8], bottom: &[u8], dst: &mut [u8]) {
    with_alpha!(alpha, |A| fast(|| blend4::<f32, A>(
        top,
        bottom,
        dst,
        |t, b, ta, _| over_f_one(t, b, ta),
        |ta, ba| over_f_one(ta, ba, ta)
    )))
}

pub fn over_planar8(top: &[u8], top_alpha: &[u8], bottom: &[u8], dst: &mut [u8]) {
    fast(|| planar3::<u8>(top, top_alpha, bottom, dst, |t, ta, b| over8_one(t, b, ta)))
}

pub fn over_planar_f(top: &[u8], top_alpha: &[u8], bottom: &[u8], dst: &mut [u8]) {
    fast(|| planar3::<f32>(top, top_alpha, bottom, dst, |t, ta, b| over_f_one(t, b, ta)))
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
    with_alpha!(alpha, |A| fast(|| {
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
    fast(|| {
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
    fast(|| {
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
    fast(|| {
        planar3::<u8>(top, top_alpha, bottom, dst, |t, ta, b| {
            const8_one(t, b, ta, k)
        })
    })
}

pub fn const_blend_planar_f(k: f32, top: &[u8], top_alpha: &[u8], bottom: &[u8], dst: &mut [u8]) {
    fast(|| {
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
    fast(|| {
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
    fast(|| {
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
    fast(|| {
        planar3::<u8>(top, top_alpha, bottom, dst, |t, ta, b| {
            nonpremul8_one(t, b, ta)
        })
    })
}

pub fn nonpremul_blend_planar_f(top: &[u8], top_alpha: &[u8], bottom: &[u8], dst: &mut [u8]) {
    fast(|| {
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

/// ARGB8888 (alpha first): result alpha `at + ((255 - at) * ab + 127) / 255`, then each colour
/// as [`alpha_blend8_one`] over that alpha (so ARGB == the planar function fed that alpha).
pub fn alpha_blend8(top: &[u8], bottom: &[u8], dst: &mut [u8]) {
    fast(|| {
        for ((t, b), d) in top
            .chunks_exact(4)
            .zip(bottom.chunks_exact(4))
            .zip(dst.chunks_exact_mut(4))
        {
            let a = over8_one(t[0], b[0], t[0]);
            d[0] = a;
            for j in 1..4 {
                d[j] = alpha_blend8_one(t[j], t[0], b[j], b[0], a);
            }
        }
    })
}

/// ARGBFFFF: result alpha `at + (1 - at) * ab`, colour as [`alpha_blend_f_one`].
pub fn alpha_blend_f(top: &[u8], bottom: &[u8], dst: &mut [u8]) {
    fast(|| {
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
    fast(|| {
        planar_n::<u8, 5>(srcs, dst, |[ct, at, cb, ab, a]| {
            alpha_blend8_one(ct, at, cb, ab, a)
        })
    })
}

/// PlanarF: sources `[top, topAlpha, bottom, bottomAlpha, alpha]`.
pub fn alpha_blend_planar_f(srcs: [&[u8]; 5], dst: &mut [u8]) {
    fast(|| {
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
        BlendMode::Multiply => fast(|| {
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
        BlendMode::Screen => fast(|| {
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
        BlendMode::Darken => fast(|| {
            blend4::<u8, 3>(
                top,
                bottom,
                dst,
                |t, b, ta, ba| side(t, b, ta).min(side(b, t, ba)).min(255) as u8,
                alpha,
            )
        }),
        BlendMode::Lighten => fast(|| {
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
        with_alpha!(alpha, |A| fast(|| flatten_row::<u8, A, 3>(
            src,
            dst,
            m,
            |j, x, a, is_a| one(j, x, a, is_a, b[j])
        )))
    } else {
        let m = [map[0], map[1], map[2], map[3]].map(usize::from);
        let b = [bg[0], bg[1], bg[2], bg[3]];
        with_alpha!(alpha, |A| fast(|| flatten_row::<u8, A, 4>(
            src,
            dst,
            m,
            |j, x, a, is_a| one(j, x, a, is_a, b[j])
        )))
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
    with_alpha!(alpha, |A| fast(|| flatten_row::<u16, A, 4>(
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
    with_alpha!(alpha, |A| fast(|| flatten_row::<i16, A, 4>(
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
        with_alpha!(alpha, |A| fast(|| flatten_row::<f32, A, 3>(
            src,
            dst,
            m,
            |j, x, a, is_a| one(x, a, is_a, b[j])
        )))
    } else {
        let m = [map[0], map[1], map[2], map[3]].map(usize::from);
        let b = [bg[0], bg[1], bg[2], bg[3]];
        with_alpha!(alpha, |A| fast(|| flatten_row::<f32, A, 4>(
            src,
            dst,
            m,
            |j, x, a, is_a| one(x, a, is_a, b[j])
        )))
    }
}
