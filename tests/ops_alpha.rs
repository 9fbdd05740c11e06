//! The alpha family (Alpha.h and Conversion.h's Flatten) through its exported C functions,
//! against direct formulas written here (Apple's documented integer forms, or the float
//! expressions evaluated in binary32 in the documented order):
//! - every 8-bit function on all 65,536 (colour, alpha) pairs, in an image large enough to be
//!   tiled (256 x 512), then again with kvImageDoNotTile and in place: all three must agree;
//! - 16U / 16Q12 on every 16-bit colour value against a list of alphas;
//! - float functions on random and edge values, to the last bit;
//! - named function == vImageConverter + vImageConvert_AnyToAny where both describe the same
//!   transformation (one assertion per pair).

#![allow(
    clippy::too_many_arguments,
    clippy::needless_range_loop,
    clippy::type_complexity
)] // formulas written as the documentation writes them

use std::ffi::c_void;

use vimage::ffi::vimage_alpha::*;
use vimage::ffi::vimage_conversion::flatten::*;
use vimage::ffi::vimage_converter::{
    vImageConvert_AnyToAny, vImageConverter_CreateWithCGImageFormat, vImageConverter_Release,
};
use vimage::types::*;

const GUARD: u8 = 0xA5;
const PAD: usize = 7;

// ---- images -------------------------------------------------------------------------------------

#[derive(Clone)]
struct Img {
    data: Vec<u8>,
    w: usize,
    h: usize,
    rb: usize,
    bpp: usize,
}

impl Img {
    fn new(w: usize, h: usize, bpp: usize) -> Img {
        Img::with_pad(w, h, bpp, PAD)
    }

    fn with_pad(w: usize, h: usize, bpp: usize, pad: usize) -> Img {
        let rb = w * bpp + pad;
        Img {
            data: vec![GUARD; rb * h],
            w,
            h,
            rb,
            bpp,
        }
    }

    /// An image whose pixel (x, y) is written by `f`.
    fn from_fn(w: usize, h: usize, bpp: usize, mut f: impl FnMut(usize, usize, &mut [u8])) -> Img {
        let mut m = Img::new(w, h, bpp);
        for y in 0..h {
            for x in 0..w {
                f(x, y, m.px_mut(x, y));
            }
        }
        m
    }

    fn px(&self, x: usize, y: usize) -> &[u8] {
        let o = y * self.rb + x * self.bpp;
        &self.data[o..o + self.bpp]
    }

    fn px_mut(&mut self, x: usize, y: usize) -> &mut [u8] {
        let o = y * self.rb + x * self.bpp;
        &mut self.data[o..o + self.bpp]
    }

    fn buf(&mut self) -> vImage_Buffer {
        vImage_Buffer {
            data: self.data.as_mut_ptr().cast::<c_void>(),
            height: self.h as _,
            width: self.w as _,
            rowBytes: self.rb,
        }
    }

    fn pixels_eq(&self, o: &Img) -> bool {
        (0..self.h).all(|y| {
            self.data[y * self.rb..y * self.rb + self.w * self.bpp]
                == o.data[y * o.rb..y * o.rb + o.w * o.bpp]
        })
    }

    fn padding_ok(&self) -> bool {
        (0..self.h).all(|y| {
            self.data[y * self.rb + self.w * self.bpp..(y + 1) * self.rb]
                .iter()
                .all(|&b| b == GUARD)
        })
    }
}

struct Rng(u32);
impl Rng {
    fn next(&mut self) -> u32 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        self.0 = x;
        x
    }
    fn unit(&mut self) -> f32 {
        (self.next() >> 8) as f32 / 16_777_216.0
    }
}

fn f(b: &[u8], i: usize) -> f32 {
    f32::from_ne_bytes(b[4 * i..4 * i + 4].try_into().unwrap())
}
fn put_f(out: &mut [u8], i: usize, v: f32) {
    out[4 * i..4 * i + 4].copy_from_slice(&v.to_ne_bytes());
}
fn u16_(b: &[u8], i: usize) -> u16 {
    u16::from_ne_bytes([b[2 * i], b[2 * i + 1]])
}
fn put_u16(out: &mut [u8], i: usize, v: u16) {
    out[2 * i..2 * i + 2].copy_from_slice(&v.to_ne_bytes());
}
fn i16_(b: &[u8], i: usize) -> i16 {
    i16::from_ne_bytes([b[2 * i], b[2 * i + 1]])
}
fn put_i16(out: &mut [u8], i: usize, v: i16) {
    out[2 * i..2 * i + 2].copy_from_slice(&v.to_ne_bytes());
}

/// 256 x 512 four-channel 8-bit pixels: alpha (at `alpha`) = y mod 256, each colour channel a
/// different bijection of x, so every channel meets all 65,536 (colour, alpha) pairs.
fn pairs8(alpha: usize) -> Img {
    Img::from_fn(256, 512, 4, |x, y, p| {
        for (j, v) in p.iter_mut().enumerate() {
            *v = if j == alpha {
                (y & 255) as u8
            } else {
                ((x * [1, 7, 251, 13][j] + (y >> 8) * 101) & 255) as u8
            };
        }
    })
}

/// 256 x 512 planar pairs: `(colour plane, alpha plane)` covering all 65,536 pairs.
fn planar_pairs8() -> (Img, Img) {
    (
        Img::from_fn(256, 512, 1, |x, y, p| {
            p[0] = ((x * 7 + (y >> 8) * 3) & 255) as u8
        }),
        Img::from_fn(256, 512, 1, |_, y, p| p[0] = (y & 255) as u8),
    )
}

fn random8(seed: u32, w: usize, h: usize, bpp: usize) -> Img {
    let mut r = Rng(seed);
    Img::from_fn(w, h, bpp, |_, _, p| {
        for v in p.iter_mut() {
            *v = r.next() as u8;
        }
    })
}

fn constant(w: usize, h: usize, px: &[u8]) -> Img {
    Img::from_fn(w, h, px.len(), |_, _, p| p.copy_from_slice(px))
}

/// Random float samples in [0, 1], with exact 0, 1 and 0.5 sprinkled in (1 in 8 samples).
fn random_f(seed: u32, w: usize, h: usize, channels: usize) -> Img {
    let mut r = Rng(seed);
    Img::from_fn(w, h, 4 * channels, |_, _, p| {
        for i in 0..channels {
            let v = match r.next() % 16 {
                0 => 0.0,
                1 => 1.0,
                2 => 0.5,
                _ => r.unit(),
            };
            put_f(p, i, v);
        }
    })
}

// ---- the checker --------------------------------------------------------------------------------

/// Calls `call` (sources, destination, flags) out of place with flags 0 (tiled when large),
/// checks every pixel against `expect` and the padding, then again with kvImageDoNotTile, and,
/// when `in_place` names a source of the destination's pixel size, with that source as the
/// destination (flags 0 and kvImageDoNotTile): all must give the same bytes.
fn check(
    what: &str,
    srcs: &mut [Img],
    dst_bpp: usize,
    in_place: Option<usize>,
    call: impl Fn(&[vImage_Buffer], &vImage_Buffer, vImage_Flags) -> vImage_Error,
    expect: impl Fn(&[&[u8]], &mut [u8]),
) {
    let (w, h) = (srcs[0].w, srcs[0].h);
    let bufs: Vec<vImage_Buffer> = srcs.iter_mut().map(Img::buf).collect();
    let mut dst = Img::new(w, h, dst_bpp);
    let db = dst.buf();
    assert_eq!(call(&bufs, &db, 0), kvImageNoError, "{what}");
    let mut want = vec![0u8; dst_bpp];
    let mut bad = 0;
    for y in 0..h {
        for x in 0..w {
            let px: Vec<&[u8]> = srcs.iter().map(|s| s.px(x, y)).collect();
            expect(&px, &mut want);
            if dst.px(x, y) != &want[..] {
                if bad < 5 {
                    eprintln!(
                        "{what}: pixel ({x},{y}) sources {px:?} -> {:?}, want {want:?}",
                        dst.px(x, y)
                    );
                }
                bad += 1;
            }
        }
    }
    assert_eq!(bad, 0, "{what}: {bad} pixels differ from the formula");
    assert!(dst.padding_ok(), "{what}: wrote outside the rows");

    let mut untiled = Img::new(w, h, dst_bpp);
    let ub = untiled.buf();
    assert_eq!(call(&bufs, &ub, kvImageDoNotTile), kvImageNoError);
    assert!(untiled.pixels_eq(&dst), "{what}: kvImageDoNotTile differs");

    if let Some(i) = in_place {
        for flags in [0, kvImageDoNotTile] {
            let mut ip = srcs[i].clone();
            let ipb = ip.buf();
            let mut b2 = bufs.clone();
            b2[i] = ipb;
            assert_eq!(call(&b2, &ipb, flags), kvImageNoError, "{what} in place");
            assert!(ip.pixels_eq(&dst), "{what}: in place differs");
            assert!(ip.padding_ok());
        }
    }
}

type Unary =
    unsafe extern "C" fn(*const vImage_Buffer, *const vImage_Buffer, vImage_Flags) -> vImage_Error;
type Binary = unsafe extern "C" fn(
    *const vImage_Buffer,
    *const vImage_Buffer,
    *const vImage_Buffer,
    vImage_Flags,
) -> vImage_Error;

fn unary(f: Unary) -> impl Fn(&[vImage_Buffer], &vImage_Buffer, vImage_Flags) -> vImage_Error {
    // SAFETY: the buffers describe live images of the sizes they state.
    move |s, d, fl| unsafe { f(&s[0], d, fl) }
}

fn binary(f: Binary) -> impl Fn(&[vImage_Buffer], &vImage_Buffer, vImage_Flags) -> vImage_Error {
    // SAFETY: as above.
    move |s, d, fl| unsafe { f(&s[0], &s[1], d, fl) }
}

// ---- direct formulas (Apple's documented forms) -------------------------------------------------

fn premul8(c: u8, a: u8) -> u8 {
    ((c as u32 * a as u32 + 127) / 255) as u8
}
fn unpremul8(c: u8, a: u8) -> u8 {
    if a == 0 {
        0
    } else {
        ((c.min(a) as u32 * 255 + a as u32 / 2) / a as u32) as u8
    }
}
/// Premultiplied over: `(t*255 + (255 - ta)*b + 127) / 255`, saturated.
fn over8(t: u8, b: u8, ta: u8) -> u8 {
    ((t as u32 * 255 + (255 - ta as u32) * b as u32 + 127) / 255).min(255) as u8
}
fn const8(t: u8, b: u8, ta: u8, k: u8) -> u8 {
    let (t, b, ta, k) = (t as u32, b as u32, ta as u32, k as u32);
    ((t * k * 255 + (255 * 255 - ta * k) * b + 127 * 255) / (255 * 255)).min(255) as u8
}
fn nonpremul8(ct: u8, cb: u8, at: u8) -> u8 {
    ((ct as u32 * at as u32 + (255 - at as u32) * cb as u32 + 127) / 255) as u8
}
/// Non-premultiplied blend colour over the result alpha `a` (vimage's exact integer form).
fn alpha_blend8(ct: u8, at: u8, cb: u8, ab: u8, a: u8) -> u8 {
    if a == 0 {
        return 0;
    }
    let (ct, at, cb, ab, a) = (ct as u64, at as u64, cb as u64, ab as u64, a as u64);
    ((255 * ct * at + (255 - at) * ab * cb + 255 * a / 2) / (255 * a)).min(255) as u8
}

fn over_f(t: f32, b: f32, ta: f32) -> f32 {
    t + (1.0 - ta) * b
}

// ---- premultiply / unpremultiply ----------------------------------------------------------------

#[test]
fn premultiply_unpremultiply_8888_every_pair() {
    let cases: [(&str, Unary, usize, bool); 6] = [
        (
            "premultiply ARGB8888",
            vImagePremultiplyData_ARGB8888,
            0,
            false,
        ),
        (
            "premultiply RGBA8888",
            vImagePremultiplyData_RGBA8888,
            3,
            false,
        ),
        (
            "premultiply BGRA8888",
            vImagePremultiplyData_BGRA8888,
            3,
            false,
        ),
        (
            "unpremultiply ARGB8888",
            vImageUnpremultiplyData_ARGB8888,
            0,
            true,
        ),
        (
            "unpremultiply RGBA8888",
            vImageUnpremultiplyData_RGBA8888,
            3,
            true,
        ),
        (
            "unpremultiply BGRA8888",
            vImageUnpremultiplyData_BGRA8888,
            3,
            true,
        ),
    ];
    for (what, func, a, un) in cases {
        let mut srcs = [pairs8(a)];
        check(what, &mut srcs, 4, Some(0), unary(func), |s, out| {
            for j in 0..4 {
                out[j] = if j == a {
                    s[0][a]
                } else if un {
                    unpremul8(s[0][j], s[0][a])
                } else {
                    premul8(s[0][j], s[0][a])
                };
            }
        });
    }
}

#[test]
fn premultiply_unpremultiply_planar8_every_pair() {
    type P = unsafe extern "C" fn(
        *const vImage_Buffer,
        *const vImage_Buffer,
        *const vImage_Buffer,
        vImage_Flags,
    ) -> vImage_Error;
    let cases: [(&str, P, fn(u8, u8) -> u8); 2] = [
        (
            "premultiply Planar8",
            vImagePremultiplyData_Planar8,
            premul8,
        ),
        (
            "unpremultiply Planar8",
            vImageUnpremultiplyData_Planar8,
            unpremul8,
        ),
    ];
    for (what, func, formula) in cases {
        let (c, a) = planar_pairs8();
        let mut srcs = [c, a];
        check(what, &mut srcs, 1, Some(0), binary(func), |s, out| {
            out[0] = formula(s[0][0], s[1][0])
        });
    }
}

/// 16U: every 16-bit colour value against a list of alphas (one row per alpha).
#[test]
fn premultiply_unpremultiply_16u_every_value() {
    const ALPHAS: [u16; 10] = [0, 1, 2, 255, 256, 32767, 32768, 40000, 65534, 65535];
    let cases: [(&str, Unary, usize, bool); 6] = [
        (
            "premultiply ARGB16U",
            vImagePremultiplyData_ARGB16U,
            0,
            false,
        ),
        (
            "premultiply RGBA16U",
            vImagePremultiplyData_RGBA16U,
            3,
            false,
        ),
        (
            "premultiply BGRA16U",
            vImagePremultiplyData_BGRA16U,
            3,
            false,
        ),
        (
            "unpremultiply ARGB16U",
            vImageUnpremultiplyData_ARGB16U,
            0,
            true,
        ),
        (
            "unpremultiply RGBA16U",
            vImageUnpremultiplyData_RGBA16U,
            3,
            true,
        ),
        (
            "unpremultiply BGRA16U",
            vImageUnpremultiplyData_BGRA16U,
            3,
            true,
        ),
    ];
    for (what, func, a, un) in cases {
        let src = Img::from_fn(65536, ALPHAS.len(), 8, |x, y, p| {
            for j in 0..4 {
                let v = if j == a {
                    ALPHAS[y]
                } else {
                    ((x * [1, 3, 65535, 7][j]) & 0xffff) as u16
                };
                put_u16(p, j, v);
            }
        });
        check(what, &mut [src], 8, Some(0), unary(func), |s, out| {
            let al = u16_(s[0], a) as u64;
            for j in 0..4 {
                let c = u16_(s[0], j) as u64;
                let v = if j == a {
                    al
                } else if un {
                    // 0 when alpha is 0.
                    (c.min(al) * 65535 + al / 2).checked_div(al).unwrap_or(0)
                } else {
                    (c * al + 32767) / 65535
                };
                put_u16(out, j, v as u16);
            }
        });
    }
}

/// 16Q12: every int16 colour value against alphas inside and outside [0, 4096].
#[test]
fn premultiply_unpremultiply_16q12_every_value() {
    const ALPHAS: [i16; 13] = [
        -32768, -4096, -1, 0, 1, 2, 100, 2048, 4095, 4096, 4097, 8000, 32767,
    ];
    let cases: [(&str, Unary, usize, bool); 4] = [
        (
            "premultiply ARGB16Q12",
            vImagePremultiplyData_ARGB16Q12,
            0,
            false,
        ),
        (
            "premultiply RGBA16Q12",
            vImagePremultiplyData_RGBA16Q12,
            3,
            false,
        ),
        (
            "unpremultiply ARGB16Q12",
            vImageUnpremultiplyData_ARGB16Q12,
            0,
            true,
        ),
        (
            "unpremultiply RGBA16Q12",
            vImageUnpremultiplyData_RGBA16Q12,
            3,
            true,
        ),
    ];
    for (what, func, a, un) in cases {
        let src = Img::from_fn(65536, ALPHAS.len(), 8, |x, y, p| {
            for j in 0..4 {
                let v = if j == a {
                    ALPHAS[y]
                } else {
                    (x * [1, 3, 65535, 7][j]) as u16 as i16
                };
                put_i16(p, j, v);
            }
        });
        check(what, &mut [src], 8, Some(0), unary(func), |s, out| {
            let al = i16_(s[0], a) as i64;
            for j in 0..4 {
                let c = i16_(s[0], j) as i64;
                // C's integer division truncates toward zero, as Rust's does.
                let v = if j == a {
                    al
                } else if un {
                    if al == 0 {
                        0
                    } else {
                        (c.min(al) * 4096 + al / 2) / al
                    }
                } else {
                    (c * al + 2048) / 4096
                };
                put_i16(out, j, v.clamp(-32768, 32767) as i16);
            }
        });
    }
}

#[test]
fn premultiply_unpremultiply_float() {
    let cases: [(&str, Unary, usize, bool); 6] = [
        (
            "premultiply ARGBFFFF",
            vImagePremultiplyData_ARGBFFFF,
            0,
            false,
        ),
        (
            "premultiply RGBAFFFF",
            vImagePremultiplyData_RGBAFFFF,
            3,
            false,
        ),
        (
            "premultiply BGRAFFFF",
            vImagePremultiplyData_BGRAFFFF,
            3,
            false,
        ),
        (
            "unpremultiply ARGBFFFF",
            vImageUnpremultiplyData_ARGBFFFF,
            0,
            true,
        ),
        (
            "unpremultiply RGBAFFFF",
            vImageUnpremultiplyData_RGBAFFFF,
            3,
            true,
        ),
        (
            "unpremultiply BGRAFFFF",
            vImageUnpremultiplyData_BGRAFFFF,
            3,
            true,
        ),
    ];
    for (what, func, a, un) in cases {
        let src = random_f(11, 256, 512, 4);
        check(what, &mut [src], 16, Some(0), unary(func), |s, out| {
            let al = f(s[0], a);
            for j in 0..4 {
                let c = f(s[0], j);
                let v = if j == a {
                    al
                } else if un {
                    // Float unpremultiply at alpha 0: 0 (vimage's choice; Apple is silent).
                    if al == 0.0 { 0.0 } else { c / al }
                } else {
                    c * al
                };
                put_f(out, j, v);
            }
        });
    }
    type P = unsafe extern "C" fn(
        *const vImage_Buffer,
        *const vImage_Buffer,
        *const vImage_Buffer,
        vImage_Flags,
    ) -> vImage_Error;
    let planar: [(&str, P, bool); 2] = [
        ("premultiply PlanarF", vImagePremultiplyData_PlanarF, false),
        (
            "unpremultiply PlanarF",
            vImageUnpremultiplyData_PlanarF,
            true,
        ),
    ];
    for (what, func, un) in planar {
        let mut srcs = [random_f(3, 256, 512, 1), random_f(4, 256, 512, 1)];
        check(what, &mut srcs, 4, Some(0), binary(func), |s, out| {
            let (c, al) = (f(s[0], 0), f(s[1], 0));
            let v = if !un {
                c * al
            } else if al == 0.0 {
                0.0
            } else {
                c / al
            };
            put_f(out, 0, v);
        });
    }
}

// ---- clip to alpha ------------------------------------------------------------------------------

#[test]
fn clip_to_alpha_every_pair() {
    let cases: [(&str, Unary, usize); 3] = [
        ("clip ARGB8888", vImageClipToAlpha_ARGB8888, 0),
        ("clip RGBA8888", vImageClipToAlpha_RGBA8888, 3),
        ("clip BGRA8888", vImageClipToAlpha_BGRA8888, 3),
    ];
    for (what, func, a) in cases {
        check(what, &mut [pairs8(a)], 4, Some(0), unary(func), |s, out| {
            for j in 0..4 {
                out[j] = s[0][j].min(s[0][a]);
            }
        });
    }
    let (c, a) = planar_pairs8();
    check(
        "clip Planar8",
        &mut [c, a],
        1,
        Some(0),
        binary(vImageClipToAlpha_Planar8),
        |s, out| out[0] = s[0][0].min(s[1][0]),
    );
    let cases: [(&str, Unary, usize); 3] = [
        ("clip ARGBFFFF", vImageClipToAlpha_ARGBFFFF, 0),
        ("clip RGBAFFFF", vImageClipToAlpha_RGBAFFFF, 3),
        ("clip BGRAFFFF", vImageClipToAlpha_BGRAFFFF, 3),
    ];
    for (what, func, a) in cases {
        let src = random_f(5, 256, 512, 4);
        check(what, &mut [src], 16, Some(0), unary(func), |s, out| {
            for j in 0..4 {
                let (c, al) = (f(s[0], j), f(s[0], a));
                put_f(out, j, if c < al { c } else { al });
            }
        });
    }
    let mut srcs = [random_f(6, 256, 512, 1), random_f(7, 256, 512, 1)];
    check(
        "clip PlanarF",
        &mut srcs,
        4,
        Some(0),
        binary(vImageClipToAlpha_PlanarF),
        |s, out| {
            let (c, al) = (f(s[0], 0), f(s[1], 0));
            put_f(out, 0, if c < al { c } else { al });
        },
    );
}

// ---- blends -------------------------------------------------------------------------------------

/// Bottoms (or tops) used against the exhaustive pairs: constants and random pixels.
fn partners8(w: usize, h: usize) -> Vec<Img> {
    vec![
        constant(w, h, &[0, 0, 0, 0]),
        constant(w, h, &[255, 255, 255, 255]),
        constant(w, h, &[180, 200, 90, 10]),
        random8(99, w, h, 4),
    ]
}

/// Runs a two-image 8-bit blend with the exhaustive pairs as the top (then as the bottom)
/// against each partner; `expect(top, bottom, out)`.
fn check_blend8(
    what: &str,
    func: Binary,
    alpha: usize,
    expect: impl Fn(&[u8], &[u8], &mut [u8]) + Copy,
) {
    for (i, partner) in partners8(256, 512).into_iter().enumerate() {
        let what_t = format!("{what} (pairs on top, partner {i})");
        let mut srcs = [pairs8(alpha), partner.clone()];
        check(&what_t, &mut srcs, 4, Some(0), binary(func), |s, o| {
            expect(s[0], s[1], o)
        });
        let what_b = format!("{what} (pairs below, partner {i})");
        let mut srcs = [partner, pairs8(alpha)];
        check(&what_b, &mut srcs, 4, Some(1), binary(func), |s, o| {
            expect(s[0], s[1], o)
        });
    }
}

#[test]
fn premultiplied_alpha_blend_8888() {
    let cases: [(&str, Binary, usize); 3] = [
        ("blend ARGB8888", vImagePremultipliedAlphaBlend_ARGB8888, 0),
        ("blend BGRA8888", vImagePremultipliedAlphaBlend_BGRA8888, 3),
        ("blend RGBA8888", vImagePremultipliedAlphaBlend_RGBA8888, 3),
    ];
    for (what, func, a) in cases {
        check_blend8(what, func, a, |t, b, o| {
            for j in 0..4 {
                o[j] = over8(t[j], b[j], t[a]);
            }
        });
    }
}

#[test]
fn alpha_blend_argb8888() {
    check_blend8(
        "alpha blend ARGB8888",
        vImageAlphaBlend_ARGB8888,
        0,
        |t, b, o| {
            let a = ((t[0] as u32 * 255 + (255 - t[0] as u32) * b[0] as u32 + 127) / 255) as u8;
            o[0] = a;
            for j in 1..4 {
                o[j] = alpha_blend8(t[j], t[0], b[j], b[0], a);
            }
        },
    );
}

#[test]
fn nonpremultiplied_to_premultiplied_argb8888() {
    check_blend8(
        "nonpremultiplied to premultiplied ARGB8888",
        vImageAlphaBlend_NonpremultipliedToPremultiplied_ARGB8888,
        0,
        |t, b, o| {
            o[0] = over8(t[0], b[0], t[0]);
            for j in 1..4 {
                o[j] = nonpremul8(t[j], b[j], t[0]);
            }
        },
    );
}

#[test]
fn const_alpha_blend_argb8888() {
    for k in [0u8, 1, 128, 200, 255] {
        let func = move |s: &[vImage_Buffer], d: &vImage_Buffer, fl| {
            // SAFETY: live images of the stated sizes.
            unsafe { vImagePremultipliedConstAlphaBlend_ARGB8888(&s[0], k, &s[1], d, fl) }
        };
        for (i, partner) in partners8(256, 512).into_iter().enumerate() {
            let mut srcs = [pairs8(0), partner];
            check(
                &format!("const alpha {k} ARGB8888, partner {i}"),
                &mut srcs,
                4,
                Some(0),
                func,
                |s, o| {
                    for j in 0..4 {
                        o[j] = const8(s[0][j], s[1][j], s[0][0], k);
                    }
                },
            );
        }
    }
}

#[test]
fn blend_with_permute() {
    let maps: [[u8; 4]; 4] = [[0, 1, 2, 3], [3, 0, 1, 2], [3, 2, 1, 0], [1, 2, 3, 0]];
    for (name, a) in [("ARGB8888", 0usize), ("RGBA8888", 3)] {
        for map in maps {
            for opaque in [false, true] {
                let func = move |s: &[vImage_Buffer], d: &vImage_Buffer, fl| {
                    // SAFETY: live images and a 4-entry map.
                    unsafe {
                        if a == 0 {
                            vImagePremultipliedAlphaBlendWithPermute_ARGB8888(
                                &s[0],
                                &s[1],
                                d,
                                map.as_ptr(),
                                opaque,
                                fl,
                            )
                        } else {
                            vImagePremultipliedAlphaBlendWithPermute_RGBA8888(
                                &s[0],
                                &s[1],
                                d,
                                map.as_ptr(),
                                opaque,
                                fl,
                            )
                        }
                    }
                };
                // The pairs' alpha must land in the gathered alpha slot: put it at map[a].
                for (i, partner) in partners8(256, 512).into_iter().enumerate() {
                    let mut srcs = [pairs8(map[a] as usize), partner];
                    check(
                        &format!("with permute {name} {map:?} opaque {opaque}, partner {i}"),
                        &mut srcs,
                        4,
                        Some(0),
                        func,
                        |s, o| {
                            let t: Vec<u8> = map.iter().map(|&m| s[0][m as usize]).collect();
                            for j in 0..4 {
                                o[j] = if j == a && opaque {
                                    255
                                } else {
                                    ((t[j] as u32 * 255
                                        + (255 - t[a] as u32) * s[1][j] as u32
                                        + 127)
                                        / 255)
                                        .min(255) as u8
                                };
                            }
                        },
                    );
                }
            }
        }
    }
}

#[test]
fn svg_blend_modes_rgba8888() {
    let alpha = |t: &[u8], b: &[u8]| over8(t[3], b[3], t[3]);
    check_blend8(
        "multiply",
        vImagePremultipliedAlphaBlendMultiply_RGBA8888,
        3,
        move |t, b, o| {
            for j in 0..3 {
                let (ct, cb, at, ab) = (t[j] as u32, b[j] as u32, t[3] as u32, b[3] as u32);
                o[j] = (((255 - at) * cb + (255 - ab) * ct + ct * cb + 127) / 255).min(255) as u8;
            }
            o[3] = alpha(t, b);
        },
    );
    check_blend8(
        "screen",
        vImagePremultipliedAlphaBlendScreen_RGBA8888,
        3,
        move |t, b, o| {
            for j in 0..3 {
                let (ct, cb) = (t[j] as i32, b[j] as i32);
                o[j] = (ct + cb - (ct * cb + 127) / 255).clamp(0, 255) as u8;
            }
            o[3] = alpha(t, b);
        },
    );
    let sides = |t: &[u8], b: &[u8], j: usize| {
        let (ct, cb, at, ab) = (t[j] as u32, b[j] as u32, t[3] as u32, b[3] as u32);
        (
            ct + ((255 - at) * cb + 127) / 255,
            cb + ((255 - ab) * ct + 127) / 255,
        )
    };
    check_blend8(
        "darken",
        vImagePremultipliedAlphaBlendDarken_RGBA8888,
        3,
        move |t, b, o| {
            for j in 0..3 {
                let (x, y) = sides(t, b, j);
                o[j] = x.min(y).min(255) as u8;
            }
            o[3] = alpha(t, b);
        },
    );
    check_blend8(
        "lighten",
        vImagePremultipliedAlphaBlendLighten_RGBA8888,
        3,
        move |t, b, o| {
            for j in 0..3 {
                let (x, y) = sides(t, b, j);
                o[j] = x.max(y).min(255) as u8;
            }
            o[3] = alpha(t, b);
        },
    );
}

#[test]
fn planar8_blends_every_pair() {
    let (top, top_alpha) = planar_pairs8();
    for (i, bottom) in [
        constant(256, 512, &[0]),
        constant(256, 512, &[255]),
        constant(256, 512, &[77]),
        random8(5, 256, 512, 1),
    ]
    .into_iter()
    .enumerate()
    {
        let mut srcs = [top.clone(), top_alpha.clone(), bottom.clone()];
        check(
            &format!("blend Planar8, bottom {i}"),
            &mut srcs,
            1,
            Some(0),
            // SAFETY: live images.
            |s, d, fl| unsafe { vImagePremultipliedAlphaBlend_Planar8(&s[0], &s[1], &s[2], d, fl) },
            |s, o| o[0] = over8(s[0][0], s[2][0], s[1][0]),
        );
        check(
            &format!("nonpremultiplied to premultiplied Planar8, bottom {i}"),
            &mut srcs,
            1,
            Some(2),
            // SAFETY: live images.
            |s, d, fl| unsafe {
                vImageAlphaBlend_NonpremultipliedToPremultiplied_Planar8(&s[0], &s[1], &s[2], d, fl)
            },
            |s, o| o[0] = nonpremul8(s[0][0], s[2][0], s[1][0]),
        );
        for k in [0u8, 99, 255] {
            check(
                &format!("const alpha {k} Planar8, bottom {i}"),
                &mut srcs,
                1,
                Some(0),
                // SAFETY: live images.
                |s, d, fl| unsafe {
                    vImagePremultipliedConstAlphaBlend_Planar8(&s[0], k, &s[1], &s[2], d, fl)
                },
                |s, o| o[0] = const8(s[0][0], s[2][0], s[1][0], k),
            );
        }
        // Non-premultiplied planar blend: the result alpha plane is computed as the header
        // says (PremultipliedAlphaBlend of the alpha planes).
        let bottom_alpha = random8(50 + i as u32, 256, 512, 1);
        let alpha = Img::from_fn(256, 512, 1, |x, y, p| {
            let (at, ab) = (top_alpha.px(x, y)[0], bottom_alpha.px(x, y)[0]);
            p[0] = over8(at, ab, at);
        });
        let mut srcs5 = [top.clone(), top_alpha.clone(), bottom, bottom_alpha, alpha];
        check(
            &format!("alpha blend Planar8, bottom {i}"),
            &mut srcs5,
            1,
            Some(0),
            // SAFETY: live images.
            |s, d, fl| unsafe {
                vImageAlphaBlend_Planar8(&s[0], &s[1], &s[2], &s[3], &s[4], d, fl)
            },
            |s, o| o[0] = alpha_blend8(s[0][0], s[1][0], s[2][0], s[3][0], s[4][0]),
        );
    }
}

#[test]
fn float_blends() {
    let (w, h) = (256, 512);
    // ARGBFFFF / BGRAFFFF / RGBAFFFF premultiplied over.
    let cases: [(&str, Binary, usize); 3] = [
        ("blend ARGBFFFF", vImagePremultipliedAlphaBlend_ARGBFFFF, 0),
        ("blend BGRAFFFF", vImagePremultipliedAlphaBlend_BGRAFFFF, 3),
        ("blend RGBAFFFF", vImagePremultipliedAlphaBlend_RGBAFFFF, 3),
    ];
    for (what, func, a) in cases {
        let mut srcs = [random_f(1, w, h, 4), random_f(2, w, h, 4)];
        check(what, &mut srcs, 16, Some(0), binary(func), |s, o| {
            for j in 0..4 {
                put_f(o, j, over_f(f(s[0], j), f(s[1], j), f(s[0], a)));
            }
        });
    }
    let mut srcs = [random_f(3, w, h, 4), random_f(4, w, h, 4)];
    check(
        "alpha blend ARGBFFFF",
        &mut srcs,
        16,
        Some(1),
        binary(vImageAlphaBlend_ARGBFFFF),
        |s, o| {
            let (at, ab) = (f(s[0], 0), f(s[1], 0));
            let a = at + (1.0 - at) * ab;
            put_f(o, 0, a);
            for j in 1..4 {
                let v = if a == 0.0 {
                    0.0
                } else {
                    (f(s[0], j) * at + ((1.0 - at) * ab) * f(s[1], j)) / a
                };
                put_f(o, j, v);
            }
        },
    );
    check(
        "nonpremultiplied to premultiplied ARGBFFFF",
        &mut srcs,
        16,
        Some(0),
        binary(vImageAlphaBlend_NonpremultipliedToPremultiplied_ARGBFFFF),
        |s, o| {
            let (at, ab) = (f(s[0], 0), f(s[1], 0));
            put_f(o, 0, at + (1.0 - at) * ab);
            for j in 1..4 {
                put_f(o, j, f(s[0], j) * at + (1.0 - at) * f(s[1], j));
            }
        },
    );
    for k in [0.0f32, 0.25, 0.7, 1.0] {
        check(
            &format!("const alpha {k} ARGBFFFF"),
            &mut srcs,
            16,
            Some(0),
            // SAFETY: live images.
            |s, d, fl| unsafe {
                vImagePremultipliedConstAlphaBlend_ARGBFFFF(&s[0], k, &s[1], d, fl)
            },
            |s, o| {
                let at = f(s[0], 0);
                for j in 0..4 {
                    put_f(o, j, f(s[0], j) * k + (1.0 - at * k) * f(s[1], j));
                }
            },
        );
    }
    // Planar float blends.
    let mut p = [
        random_f(10, w, h, 1),
        random_f(11, w, h, 1),
        random_f(12, w, h, 1),
    ];
    check(
        "blend PlanarF",
        &mut p,
        4,
        Some(0),
        // SAFETY: live images.
        |s, d, fl| unsafe { vImagePremultipliedAlphaBlend_PlanarF(&s[0], &s[1], &s[2], d, fl) },
        |s, o| put_f(o, 0, over_f(f(s[0], 0), f(s[2], 0), f(s[1], 0))),
    );
    check(
        "nonpremultiplied to premultiplied PlanarF",
        &mut p,
        4,
        Some(2),
        // SAFETY: live images.
        |s, d, fl| unsafe {
            vImageAlphaBlend_NonpremultipliedToPremultiplied_PlanarF(&s[0], &s[1], &s[2], d, fl)
        },
        |s, o| {
            let at = f(s[1], 0);
            put_f(o, 0, f(s[0], 0) * at + (1.0 - at) * f(s[2], 0))
        },
    );
    check(
        "const alpha PlanarF",
        &mut p,
        4,
        Some(0),
        // SAFETY: live images.
        |s, d, fl| unsafe {
            vImagePremultipliedConstAlphaBlend_PlanarF(&s[0], 0.6, &s[1], &s[2], d, fl)
        },
        |s, o| {
            let at = f(s[1], 0);
            put_f(o, 0, f(s[0], 0) * 0.6 + (1.0 - at * 0.6) * f(s[2], 0))
        },
    );
    let ab = random_f(13, w, h, 1);
    let alpha = Img::from_fn(w, h, 4, |x, y, px| {
        let (at, ab) = (f(p[1].px(x, y), 0), f(ab.px(x, y), 0));
        put_f(px, 0, at + (1.0 - at) * ab);
    });
    let mut p5 = [p[0].clone(), p[1].clone(), p[2].clone(), ab, alpha];
    check(
        "alpha blend PlanarF",
        &mut p5,
        4,
        Some(0),
        // SAFETY: live images.
        |s, d, fl| unsafe { vImageAlphaBlend_PlanarF(&s[0], &s[1], &s[2], &s[3], &s[4], d, fl) },
        |s, o| {
            let (ct, at, cb, ab, a) = (f(s[0], 0), f(s[1], 0), f(s[2], 0), f(s[3], 0), f(s[4], 0));
            let v = if a == 0.0 {
                0.0
            } else {
                (ct * at + ((1.0 - at) * ab) * cb) / a
            };
            put_f(o, 0, v)
        },
    );
}

// ---- flatten ------------------------------------------------------------------------------------

type ToRgb8 = unsafe extern "C" fn(
    *const vImage_Buffer,
    *const vImage_Buffer,
    *const u8,
    bool,
    vImage_Flags,
) -> vImage_Error;

const BACKGROUNDS8: [[u8; 4]; 4] = [
    [0, 0, 0, 0],
    [255, 255, 255, 255],
    [10, 128, 200, 77],
    [255, 0, 99, 1],
];

/// Straight: one rounding `(c*a + (255 - a)*bg + 127) / 255`; premultiplied `(c*255 + (255 -
/// a)*bg + 127) / 255` saturated.
fn flatten8(c: u8, a: u8, bg: u8, premultiplied: bool) -> u8 {
    let w = if premultiplied { 255 } else { a as u32 };
    ((c as u32 * w + (255 - a as u32) * bg as u32 + 127) / 255).min(255) as u8
}

#[test]
fn flatten_8888_to_rgb888_every_pair() {
    // Source channel of R, G, B; the background is in the source's channel order.
    let cases: [(&str, ToRgb8, usize, [usize; 3]); 3] = [
        (
            "ARGB8888ToRGB888",
            vImageFlatten_ARGB8888ToRGB888,
            0,
            [1, 2, 3],
        ),
        (
            "RGBA8888ToRGB888",
            vImageFlatten_RGBA8888ToRGB888,
            3,
            [0, 1, 2],
        ),
        (
            "BGRA8888ToRGB888",
            vImageFlatten_BGRA8888ToRGB888,
            3,
            [2, 1, 0],
        ),
    ];
    for (what, func, a, map) in cases {
        for bg in BACKGROUNDS8 {
            for pm in [false, true] {
                check(
                    &format!("{what} bg {bg:?} premultiplied {pm}"),
                    &mut [pairs8(a)],
                    3,
                    None,
                    // SAFETY: live images, 4-byte background.
                    |s, d, fl| unsafe { func(&s[0], d, bg.as_ptr(), pm, fl) },
                    |s, o| {
                        for j in 0..3 {
                            o[j] = flatten8(s[0][map[j]], s[0][a], bg[map[j]], pm);
                        }
                    },
                );
            }
        }
    }
}

#[test]
fn flatten_8888_every_pair() {
    type F = ToRgb8;
    let cases: [(&str, F, usize); 3] = [
        ("Flatten_ARGB8888", vImageFlatten_ARGB8888, 0),
        ("Flatten_RGBA8888", vImageFlatten_RGBA8888, 3),
        ("Flatten_BGRA8888", vImageFlatten_BGRA8888, 3),
    ];
    for (what, func, a) in cases {
        for bg in BACKGROUNDS8 {
            for pm in [false, true] {
                check(
                    &format!("{what} bg {bg:?} premultiplied {pm}"),
                    &mut [pairs8(a)],
                    4,
                    Some(0),
                    // SAFETY: live images, 4-byte background.
                    |s, d, fl| unsafe { func(&s[0], d, bg.as_ptr(), pm, fl) },
                    |s, o| {
                        for j in 0..4 {
                            // Alpha composites as a premultiplied value: (a*255 + (255-a)*bgA + 127)/255.
                            let p = pm || j == a;
                            o[j] = flatten8(s[0][j], s[0][a], bg[j], p);
                        }
                    },
                );
            }
        }
    }
}

#[test]
fn flatten_16u_and_16q12() {
    type F16 = unsafe extern "C" fn(
        *const vImage_Buffer,
        *const vImage_Buffer,
        *const u16,
        bool,
        vImage_Flags,
    ) -> vImage_Error;
    const ALPHAS: [u16; 6] = [0, 1, 300, 32768, 65534, 65535];
    let cases: [(&str, F16, usize); 2] = [
        ("Flatten_ARGB16U", vImageFlatten_ARGB16U, 0),
        ("Flatten_RGBA16U", vImageFlatten_RGBA16U, 3),
    ];
    for (what, func, a) in cases {
        for bg in [[0u16; 4], [65535; 4], [1000, 40000, 65535, 7]] {
            for pm in [false, true] {
                let src = Img::from_fn(65536, ALPHAS.len(), 8, |x, y, p| {
                    for j in 0..4 {
                        let v = if j == a {
                            ALPHAS[y]
                        } else {
                            ((x * [1, 3, 65535, 7][j]) & 0xffff) as u16
                        };
                        put_u16(p, j, v);
                    }
                });
                check(
                    &format!("{what} bg {bg:?} premultiplied {pm}"),
                    &mut [src],
                    8,
                    Some(0),
                    // SAFETY: live images, 4-sample background.
                    |s, d, fl| unsafe { func(&s[0], d, bg.as_ptr(), pm, fl) },
                    |s, o| {
                        let al = u16_(s[0], a) as u64;
                        for j in 0..4 {
                            let c = u16_(s[0], j) as u64;
                            let w = if pm || j == a { 65535 } else { al };
                            let v = (c * w + (65535 - al) * bg[j] as u64 + 32767) / 65535;
                            put_u16(o, j, v.min(65535) as u16);
                        }
                    },
                );
            }
        }
    }
    type FQ = unsafe extern "C" fn(
        *const vImage_Buffer,
        *const vImage_Buffer,
        *const i16,
        bool,
        vImage_Flags,
    ) -> vImage_Error;
    const QALPHAS: [i16; 7] = [-100, 0, 1, 2048, 4096, 5000, 32767];
    let cases: [(&str, FQ, usize); 2] = [
        ("Flatten_ARGB16Q12", vImageFlatten_ARGB16Q12, 0),
        ("Flatten_RGBA16Q12", vImageFlatten_RGBA16Q12, 3),
    ];
    for (what, func, a) in cases {
        for bg in [[0i16; 4], [4096; 4], [-3000, 2000, 32767, -32768]] {
            for pm in [false, true] {
                let src = Img::from_fn(65536, QALPHAS.len(), 8, |x, y, p| {
                    for j in 0..4 {
                        let v = if j == a {
                            QALPHAS[y]
                        } else {
                            (x * [1, 3, 65535, 7][j]) as u16 as i16
                        };
                        put_i16(p, j, v);
                    }
                });
                check(
                    &format!("{what} bg {bg:?} premultiplied {pm}"),
                    &mut [src],
                    8,
                    Some(0),
                    // SAFETY: live images, 4-sample background.
                    |s, d, fl| unsafe { func(&s[0], d, bg.as_ptr(), pm, fl) },
                    |s, o| {
                        // Apple: pixelAlpha = CLAMP(0, pixelAlpha, 4096), then `+ 2048 >> 12`.
                        let al = (i16_(s[0], a) as i64).clamp(0, 4096);
                        for j in 0..4 {
                            let c = if j == a { al } else { i16_(s[0], j) as i64 };
                            let w = if pm || j == a { 4096 } else { al };
                            let v = (c * w + (4096 - al) * bg[j] as i64 + 2048) >> 12;
                            put_i16(o, j, v.clamp(-32768, 32767) as i16);
                        }
                    },
                );
            }
        }
    }
}

#[test]
fn flatten_float() {
    type F = unsafe extern "C" fn(
        *const vImage_Buffer,
        *const vImage_Buffer,
        *const f32,
        bool,
        vImage_Flags,
    ) -> vImage_Error;
    let bgs = [[0.0f32; 4], [1.0; 4], [0.25, 0.5, 0.75, 0.125]];
    let one = |c: f32, a: f32, bg: f32, pm: bool| {
        let p = if pm { c } else { c * a };
        p + (1.0 - a) * bg
    };
    let to3: [(&str, F, usize, [usize; 3]); 3] = [
        (
            "ARGBFFFFToRGBFFF",
            vImageFlatten_ARGBFFFFToRGBFFF,
            0,
            [1, 2, 3],
        ),
        (
            "RGBAFFFFToRGBFFF",
            vImageFlatten_RGBAFFFFToRGBFFF,
            3,
            [0, 1, 2],
        ),
        (
            "BGRAFFFFToRGBFFF",
            vImageFlatten_BGRAFFFFToRGBFFF,
            3,
            [2, 1, 0],
        ),
    ];
    for (what, func, a, map) in to3 {
        for bg in bgs {
            for pm in [false, true] {
                check(
                    &format!("{what} bg {bg:?} premultiplied {pm}"),
                    &mut [random_f(21, 256, 512, 4)],
                    12,
                    None,
                    // SAFETY: live images, 4-float background.
                    |s, d, fl| unsafe { func(&s[0], d, bg.as_ptr(), pm, fl) },
                    |s, o| {
                        for j in 0..3 {
                            put_f(o, j, one(f(s[0], map[j]), f(s[0], a), bg[map[j]], pm));
                        }
                    },
                );
            }
        }
    }
    let to4: [(&str, F, usize); 2] = [
        ("Flatten_ARGBFFFF", vImageFlatten_ARGBFFFF, 0),
        ("Flatten_RGBAFFFF", vImageFlatten_RGBAFFFF, 3),
    ];
    for (what, func, a) in to4 {
        for bg in bgs {
            for pm in [false, true] {
                check(
                    &format!("{what} bg {bg:?} premultiplied {pm}"),
                    &mut [random_f(22, 256, 512, 4)],
                    16,
                    Some(0),
                    // SAFETY: live images, 4-float background.
                    |s, d, fl| unsafe { func(&s[0], d, bg.as_ptr(), pm, fl) },
                    |s, o| {
                        for j in 0..4 {
                            put_f(o, j, one(f(s[0], j), f(s[0], a), bg[j], pm || j == a));
                        }
                    },
                );
            }
        }
    }
}

// ---- errors -------------------------------------------------------------------------------------

#[test]
fn errors() {
    let mut s = Img::new(4, 4, 4);
    let mut big = Img::new(5, 4, 4);
    let (sb, bb) = (s.buf(), big.buf());
    // SAFETY: live images; NULL where the test says so.
    unsafe {
        let null = std::ptr::null();
        assert_eq!(
            vImagePremultiplyData_ARGB8888(null, &sb, 0),
            kvImageNullPointerArgument
        );
        assert_eq!(
            vImagePremultiplyData_ARGB8888(&sb, null, 0),
            kvImageNullPointerArgument
        );
        assert_eq!(
            vImagePremultiplyData_ARGB8888(&sb, &bb, 0),
            kvImageRoiLargerThanInputBuffer
        );
        assert_eq!(
            vImagePremultiplyData_ARGB8888(&sb, &sb, 1 << 20),
            kvImageUnknownFlagsBit
        );
        assert_eq!(
            vImagePremultiplyData_ARGB8888(&sb, &sb, kvImageGetTempBufferSize),
            0
        );
        // Interleaved unpremultiply in place needs the same rowBytes (IP-A).
        let mut narrow = sb;
        narrow.rowBytes = 16;
        narrow.width = 3;
        assert_eq!(
            vImageUnpremultiplyData_RGBA8888(&sb, &narrow, kvImageDoNotTile),
            kvImageInvalidParameter
        );
        // ... premultiply accepts a larger source rowBytes (IP-B) with kvImageDoNotTile.
        assert_eq!(
            vImagePremultiplyData_RGBA8888(&sb, &narrow, kvImageDoNotTile),
            kvImageNoError
        );
        let map = [0u8, 1, 2, 3];
        let bad = [0u8, 1, 2, 4];
        assert_eq!(
            vImagePremultipliedAlphaBlendWithPermute_ARGB8888(
                &sb,
                &sb,
                &sb,
                std::ptr::null(),
                false,
                0
            ),
            kvImageNullPointerArgument
        );
        assert_eq!(
            vImagePremultipliedAlphaBlendWithPermute_ARGB8888(
                &sb,
                &sb,
                &sb,
                bad.as_ptr(),
                false,
                0
            ),
            kvImageInvalidParameter
        );
        assert_eq!(
            vImagePremultipliedAlphaBlendWithPermute_RGBA8888(
                &sb,
                &bb,
                &sb,
                map.as_ptr(),
                false,
                0
            ),
            kvImageBufferSizeMismatch
        );
        assert_eq!(
            vImagePremultipliedAlphaBlend_ARGB8888(&sb, &sb, &bb, 0),
            kvImageRoiLargerThanInputBuffer
        );
        let bg = [0u8; 4];
        assert_eq!(
            vImageFlatten_ARGB8888ToRGB888(&sb, &sb, std::ptr::null(), true, 0),
            kvImageNullPointerArgument
        );
        assert_eq!(
            vImageFlatten_ARGB8888(&sb, &sb, std::ptr::null(), true, 0),
            kvImageNullPointerArgument
        );
        // ToRGB888 accepts kvImageDoNotTile only; the 4 -> 4 forms also the temp-buffer query.
        assert_eq!(
            vImageFlatten_RGBA8888ToRGB888(&sb, &sb, bg.as_ptr(), true, kvImageGetTempBufferSize),
            kvImageUnknownFlagsBit
        );
        assert_eq!(
            vImageFlatten_RGBA8888(&sb, &sb, bg.as_ptr(), true, kvImageGetTempBufferSize),
            0
        );
    }
}

// ---- named function == converter ----------------------------------------------------------------

fn format(bits: u32, bpp: u32, info: CGBitmapInfo) -> vImage_CGImageFormat {
    vImage_CGImageFormat {
        bitsPerComponent: bits,
        bitsPerPixel: bpp,
        colorSpace: std::ptr::null_mut(),
        bitmapInfo: info,
        version: 0,
        decode: std::ptr::null(),
        renderingIntent: kCGRenderingIntentDefault,
    }
}

/// `src` converted by a converter between the two formats (with a background).
fn convert(
    src: &Img,
    from: vImage_CGImageFormat,
    to: vImage_CGImageFormat,
    dst_bpp: usize,
    background: Option<[f64; 3]>,
) -> Img {
    // The converter wants rowBytes in whole byte-order units (4 bytes): pad rows by 8.
    let mut src = {
        let mut c = Img::with_pad(src.w, src.h, src.bpp, 8);
        for y in 0..src.h {
            for x in 0..src.w {
                c.px_mut(x, y).copy_from_slice(src.px(x, y));
            }
        }
        c
    };
    let mut dst = Img::with_pad(src.w, src.h, dst_bpp, 8);
    let (sb, db) = (src.buf(), dst.buf());
    // SAFETY: valid formats, live images of the stated sizes; the converter is released.
    unsafe {
        let mut error = 0;
        let bg = background.as_ref().map_or(std::ptr::null(), |b| b.as_ptr());
        let c = vImageConverter_CreateWithCGImageFormat(&from, &to, bg, 0, &mut error);
        assert_eq!(error, kvImageNoError, "{from:?} -> {to:?}");
        assert!(!c.is_null());
        let r = vImageConvert_AnyToAny(c, &sb, &db, std::ptr::null_mut(), 0);
        vImageConverter_Release(c);
        assert_eq!(r, kvImageNoError, "{from:?} -> {to:?}");
    }
    dst
}

fn named(src: &mut Img, func: Unary) -> Img {
    let mut dst = Img::new(src.w, src.h, src.bpp);
    let (sb, db) = (src.buf(), dst.buf());
    // SAFETY: live images.
    assert_eq!(unsafe { func(&sb, &db, 0) }, kvImageNoError);
    dst
}

#[test]
fn named_equals_converter() {
    let f8 = |alpha| format(8, 32, alpha);
    let bgra = |alpha| format(8, 32, alpha | kCGBitmapByteOrder32Little);
    let f16 = |alpha| format(16, 64, alpha | kCGBitmapByteOrder16Little);
    let ff = |alpha| {
        format(
            32,
            128,
            alpha | kCGBitmapFloatComponents | kCGBitmapByteOrder32Little,
        )
    };
    let (first, last) = (kCGImageAlphaFirst, kCGImageAlphaLast);
    let (pfirst, plast) = (
        kCGImageAlphaPremultipliedFirst,
        kCGImageAlphaPremultipliedLast,
    );

    // 8-bit: every (colour, alpha) pair.
    let mut s = pairs8(3);
    let want = convert(&s, f8(last), f8(plast), 4, None);
    assert!(named(&mut s, vImagePremultiplyData_RGBA8888).pixels_eq(&want));
    let want = convert(&s, f8(plast), f8(last), 4, None);
    assert!(named(&mut s, vImageUnpremultiplyData_RGBA8888).pixels_eq(&want));
    let mut s = pairs8(0);
    let want = convert(&s, f8(first), f8(pfirst), 4, None);
    assert!(named(&mut s, vImagePremultiplyData_ARGB8888).pixels_eq(&want));
    let want = convert(&s, f8(pfirst), f8(first), 4, None);
    assert!(named(&mut s, vImageUnpremultiplyData_ARGB8888).pixels_eq(&want));
    // BGRA in memory = 32-bit little-endian ARGB words.
    let mut s = pairs8(3);
    let want = convert(&s, bgra(first), bgra(pfirst), 4, None);
    assert!(named(&mut s, vImagePremultiplyData_BGRA8888).pixels_eq(&want));
    let want = convert(&s, bgra(pfirst), bgra(first), 4, None);
    assert!(named(&mut s, vImageUnpremultiplyData_BGRA8888).pixels_eq(&want));

    // 16U (host order = 16Little here), a sample of every colour value against many alphas.
    let mut r = Rng(77);
    let mut s = Img::from_fn(4096, 40, 8, |x, y, p| {
        for j in 0..4 {
            let v = if j == 3 {
                match y % 4 {
                    0 => 0,
                    1 => 65535,
                    _ => r.next() as u16,
                }
            } else {
                (x * 16 + y) as u16
            };
            put_u16(p, j, v);
        }
    });
    let want = convert(&s, f16(last), f16(plast), 8, None);
    assert!(named(&mut s, vImagePremultiplyData_RGBA16U).pixels_eq(&want));
    let want = convert(&s, f16(plast), f16(last), 8, None);
    assert!(named(&mut s, vImageUnpremultiplyData_RGBA16U).pixels_eq(&want));
    // The same samples read as ARGB: alpha is then channel 0 (any value is a valid alpha).
    let want = convert(&s, f16(first), f16(pfirst), 8, None);
    assert!(named(&mut s, vImagePremultiplyData_ARGB16U).pixels_eq(&want));
    let want = convert(&s, f16(pfirst), f16(first), 8, None);
    assert!(named(&mut s, vImageUnpremultiplyData_ARGB16U).pixels_eq(&want));

    // float (32Little = host order).
    let mut s = random_f(31, 256, 64, 4);
    let want = convert(&s, ff(last), ff(plast), 16, None);
    assert!(named(&mut s, vImagePremultiplyData_RGBAFFFF).pixels_eq(&want));
    let want = convert(&s, ff(plast), ff(last), 16, None);
    assert!(named(&mut s, vImageUnpremultiplyData_RGBAFFFF).pixels_eq(&want));
    let want = convert(&s, ff(first), ff(pfirst), 16, None);
    assert!(named(&mut s, vImagePremultiplyData_ARGBFFFF).pixels_eq(&want));
    let want = convert(&s, ff(pfirst), ff(first), 16, None);
    assert!(named(&mut s, vImageUnpremultiplyData_ARGBFFFF).pixels_eq(&want));

    // Flatten premultiplied RGBA8888 -> RGB888 over a background: same bytes (the converter
    // quantises the CGFloat background to round(bg * 255), so k/255 gives k).
    let rgb = format(8, 24, kCGImageAlphaNone);
    let bg8 = [10u8, 128, 200, 255];
    let bgf = [10.0 / 255.0, 128.0 / 255.0, 200.0 / 255.0];
    let mut s = pairs8(3);
    let want = convert(&s, f8(plast), rgb, 3, Some(bgf));
    let mut got = Img::new(s.w, s.h, 3);
    let (sb, gb) = (s.buf(), got.buf());
    // SAFETY: live images, 4-byte background.
    let r = unsafe { vImageFlatten_RGBA8888ToRGB888(&sb, &gb, bg8.as_ptr(), true, 0) };
    assert_eq!(r, kvImageNoError);
    assert!(got.pixels_eq(&want));
    // ARGB (premultiplied first) and BGRA (premultiplied first, 32Little) likewise; the named
    // functions take the background in the source's channel order.
    let mut a = pairs8(0);
    let want = convert(&a, f8(pfirst), rgb, 3, Some(bgf));
    let bg_argb = [255u8, 10, 128, 200];
    let (ab, gb2) = (a.buf(), got.buf());
    // SAFETY: live images, 4-byte background.
    let r = unsafe { vImageFlatten_ARGB8888ToRGB888(&ab, &gb2, bg_argb.as_ptr(), true, 0) };
    assert_eq!(r, kvImageNoError);
    assert!(got.pixels_eq(&want));
    let want = convert(&s, bgra(pfirst), rgb, 3, Some(bgf));
    let bg_bgra = [200u8, 128, 10, 255];
    let gb3 = got.buf();
    // SAFETY: live images, 4-byte background.
    let r = unsafe { vImageFlatten_BGRA8888ToRGB888(&sb, &gb3, bg_bgra.as_ptr(), true, 0) };
    assert_eq!(r, kvImageNoError);
    assert!(got.pixels_eq(&want));

    // Straight input: the named function rounds once, `(c*a + (255-a)*bg + 127)/255`; the
    // converter (Apple-measured §7.3 behaviour) premultiplies first, `(c*a + 127)/255`, then
    // flattens: two roundings. They cannot agree everywhere; each matches its own formula.
    let want = convert(&s, f8(last), rgb, 3, Some(bgf));
    // SAFETY: as above.
    let r = unsafe { vImageFlatten_RGBA8888ToRGB888(&sb, &gb, bg8.as_ptr(), false, 0) };
    assert_eq!(r, kvImageNoError);
    let mut differ = 0;
    for y in 0..s.h {
        for x in 0..s.w {
            let (p, a) = (s.px(x, y), s.px(x, y)[3]);
            for j in 0..3 {
                let two = ((premul8(p[j], a) as u32 * 255 + (255 - a as u32) * bg8[j] as u32 + 127)
                    / 255)
                    .min(255) as u8;
                assert_eq!(want.px(x, y)[j], two, "converter two-step flatten");
                assert_eq!(got.px(x, y)[j], flatten8(p[j], a, bg8[j], false));
                differ += usize::from(two != got.px(x, y)[j]);
            }
        }
    }
    assert!(differ > 0, "the two documented roundings differ somewhere");
}
