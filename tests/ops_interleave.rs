//! The interleave family (Conversion.h §1.1 / §1.2) through the exported functions:
//! exhaustive premultiplication (every 8-bit (colour, alpha) pair, every 16-bit colour and
//! every 16-bit alpha), float premultiplication to the last bit, every byte value / 16-bit value
//! / float bit pattern through drops, inserts, interleaves and de-interleaves, tiled ==
//! `kvImageDoNotTile` == in place, and named function == vImageConverter for every pair a
//! converter expresses.

#![allow(clippy::too_many_arguments, clippy::needless_range_loop)]

use vimage::ffi::vimage_conversion::interleave::*;
use vimage::ffi::vimage_converter::*;
use vimage::types::*;

// ---- images ------------------------------------------------------------------------------------

struct Img {
    data: Vec<u8>,
    w: usize,
    h: usize,
    rb: usize,
}

impl Img {
    /// `w x h` pixels of `bpp` bytes, rows padded by `pad` bytes.
    fn new(w: usize, h: usize, bpp: usize, pad: usize) -> Img {
        let rb = w * bpp + pad;
        Img {
            data: vec![0xA5; rb * h.max(1)],
            w,
            h,
            rb,
        }
    }

    fn random(w: usize, h: usize, bpp: usize, pad: usize, rng: &mut Rng) -> Img {
        let mut m = Img::new(w, h, bpp, pad);
        for b in &mut m.data {
            *b = rng.next() as u8;
        }
        m
    }

    fn buf(&mut self) -> vImage_Buffer {
        vImage_Buffer {
            data: self.data.as_mut_ptr().cast(),
            height: self.h as vImagePixelCount,
            width: self.w as vImagePixelCount,
            rowBytes: self.rb,
        }
    }

    fn row(&self, y: usize, len: usize) -> &[u8] {
        &self.data[y * self.rb..y * self.rb + len]
    }

    /// Pixel bytes only (padding left out).
    fn pixels(&self, bpp: usize) -> Vec<u8> {
        (0..self.h)
            .flat_map(|y| self.row(y, self.w * bpp).to_vec())
            .collect()
    }
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn ok(e: vImage_Error) {
    assert_eq!(e, kvImageNoError);
}

/// Sample `i` (of `e` bytes) of a pixel.
fn sample(px: &[u8], i: usize, e: usize) -> &[u8] {
    &px[i * e..(i + 1) * e]
}

// ---- the functions, by shape -------------------------------------------------------------------

type Drop =
    unsafe extern "C" fn(*const vImage_Buffer, *const vImage_Buffer, vImage_Flags) -> vImage_Error;

/// (function, sample bytes, kept channels in output order, in place allowed).
fn drops() -> Vec<(Drop, usize, [usize; 3], bool)> {
    vec![
        (vImageConvert_ARGB8888toRGB888 as Drop, 1, [1, 2, 3], true),
        (vImageConvert_RGBA8888toRGB888, 1, [0, 1, 2], true),
        (vImageConvert_BGRA8888toRGB888, 1, [2, 1, 0], true),
        (vImageConvert_ARGB16UtoRGB16U, 2, [1, 2, 3], false),
        (vImageConvert_RGBA16UtoRGB16U, 2, [0, 1, 2], true),
        (vImageConvert_BGRA16UtoRGB16U, 2, [2, 1, 0], false),
        (vImageConvert_ARGBFFFFtoRGBFFF, 4, [1, 2, 3], true),
        (vImageConvert_RGBAFFFFtoRGBFFF, 4, [0, 1, 2], true),
        (vImageConvert_BGRAFFFFtoRGBFFF, 4, [2, 1, 0], true),
    ]
}

type Add8 = unsafe extern "C" fn(
    *const vImage_Buffer,
    *const vImage_Buffer,
    Pixel_8,
    *const vImage_Buffer,
    bool,
    vImage_Flags,
) -> vImage_Error;
type Add16 = unsafe extern "C" fn(
    *const vImage_Buffer,
    *const vImage_Buffer,
    Pixel_16U,
    *const vImage_Buffer,
    bool,
    vImage_Flags,
) -> vImage_Error;
type AddF = unsafe extern "C" fn(
    *const vImage_Buffer,
    *const vImage_Buffer,
    Pixel_F,
    *const vImage_Buffer,
    bool,
    vImage_Flags,
) -> vImage_Error;

/// Output channel j of ARGB / RGBA / BGRA takes input map[j] (0..=2 colour, 3 alpha).
const ARGB: [usize; 4] = [3, 0, 1, 2];
const RGBA: [usize; 4] = [0, 1, 2, 3];
const BGRA: [usize; 4] = [2, 1, 0, 3];

fn adds8() -> [(Add8, [usize; 4]); 3] {
    [
        (vImageConvert_RGB888toARGB8888 as Add8, ARGB),
        (vImageConvert_RGB888toRGBA8888, RGBA),
        (vImageConvert_RGB888toBGRA8888, BGRA),
    ]
}

fn adds16() -> [(Add16, [usize; 4]); 3] {
    [
        (vImageConvert_RGB16UtoARGB16U as Add16, ARGB),
        (vImageConvert_RGB16UtoRGBA16U, RGBA),
        (vImageConvert_RGB16UtoBGRA16U, BGRA),
    ]
}

fn addsf() -> [(AddF, [usize; 4]); 3] {
    [
        (vImageConvert_RGBFFFtoARGBFFFF as AddF, ARGB),
        (vImageConvert_RGBFFFtoRGBAFFFF, RGBA),
        (vImageConvert_RGBFFFtoBGRAFFFF, BGRA),
    ]
}

/// Runs a 3 -> 4 function of any sample type with the alpha constant given as bytes.
fn run_add(
    e: usize,
    which: usize,
    rgb: &mut Img,
    a: Option<&mut Img>,
    alpha: &[u8],
    dst: &mut Img,
    premultiply: bool,
    flags: vImage_Flags,
) -> vImage_Error {
    let (r, d) = (rgb.buf(), dst.buf());
    let ab = a.map(|a| a.buf());
    let ap = ab.as_ref().map_or(std::ptr::null(), |b| b as *const _);
    // SAFETY: valid buffers over live Vecs, NULL alpha allowed.
    unsafe {
        match e {
            1 => adds8()[which].0(&r, ap, alpha[0], &d, premultiply, flags),
            2 => adds16()[which].0(
                &r,
                ap,
                u16::from_ne_bytes([alpha[0], alpha[1]]),
                &d,
                premultiply,
                flags,
            ),
            _ => addsf()[which].0(
                &r,
                ap,
                f32::from_ne_bytes([alpha[0], alpha[1], alpha[2], alpha[3]]),
                &d,
                premultiply,
                flags,
            ),
        }
    }
}

// ---- premultiplication, exhaustive ---------------------------------------------------------------

/// Every (colour, alpha) pair of 8 bits, in every channel slot and every order, alpha from a
/// plane; and every constant alpha: `(a·c + 127) / 255`.
#[test]
fn premultiply8_every_pair() {
    // Pixel (x, y): colours (x, 255 - x, x ^ 0x5a), alpha y.
    let mut rgb = Img::new(256, 256, 3, 5);
    let mut a = Img::new(256, 256, 1, 3);
    for y in 0..256 {
        for x in 0..256 {
            let o = y * rgb.rb + 3 * x;
            rgb.data[o..o + 3].copy_from_slice(&[x as u8, 255 - x as u8, x as u8 ^ 0x5a]);
            a.data[y * a.rb + x] = y as u8;
        }
    }
    let want = |c: u8, a: u8| ((u32::from(c) * u32::from(a) + 127) / 255) as u8;
    for (which, (_, map)) in adds8().iter().enumerate() {
        let mut d = Img::new(256, 256, 4, 7);
        ok(run_add(
            1,
            which,
            &mut rgb,
            Some(&mut a),
            &[0],
            &mut d,
            true,
            0,
        ));
        for y in 0..256 {
            for x in 0..256 {
                let s = &rgb.data[y * rgb.rb + 3 * x..][..3];
                let px = &d.data[y * d.rb + 4 * x..][..4];
                for j in 0..4 {
                    let expect = if map[j] == 3 {
                        y as u8
                    } else {
                        want(s[map[j]], y as u8)
                    };
                    assert_eq!(
                        px[j], expect,
                        "order {which} colour {x} alpha {y} channel {j}"
                    );
                }
            }
        }
        // Constant alpha: one call per alpha over all 256 colours.
        let mut row = Img::new(256, 1, 3, 0);
        row.data.copy_from_slice(&rgb.data[..768]);
        for alpha in 0..=255u8 {
            let mut d = Img::new(256, 1, 4, 0);
            ok(run_add(1, which, &mut row, None, &[alpha], &mut d, true, 0));
            for x in 0..256 {
                for j in 0..4 {
                    let expect = if map[j] == 3 {
                        alpha
                    } else {
                        want(row.data[3 * x + map[j]], alpha)
                    };
                    assert_eq!(d.data[4 * x + j], expect);
                }
            }
        }
    }
}

/// The fused 8-bit premultiply equals the shared kernel layer (byte_map then premultiply8)
/// on all 65,536 pairs.
#[test]
fn premultiply8_equals_shared_kernels() {
    use vimage::kernels::{FILL, Kernel};
    let mut rgb = Img::new(65536, 1, 3, 0);
    let mut a = Img::new(65536, 1, 1, 0);
    for i in 0..65536 {
        rgb.data[3 * i..3 * i + 3].copy_from_slice(&[i as u8, (i >> 3) as u8, !(i as u8)]);
        a.data[i] = (i >> 8) as u8;
    }
    let mut d = Img::new(65536, 1, 4, 0);
    ok(run_add(1, 0, &mut rgb, Some(&mut a), &[0], &mut d, true, 0));
    // Shared kernels: RGB -> xRGB gather, alpha written in, then premultiply8 on alpha byte 0.
    let gather = Kernel::byte_map(3, 4, &[FILL, 0, 1, 2], &[0, 0, 0, 0]);
    let mut argb = vec![0u8; 4 * 65536];
    gather.run(&rgb.data, &mut argb, 65536);
    for i in 0..65536 {
        argb[4 * i] = a.data[i];
    }
    let mut shared = vec![0u8; 4 * 65536];
    Kernel::premultiply8(4, 0).run(&argb, &mut shared, 65536);
    assert_eq!(d.data, shared);
}

/// Every 16-bit colour with a set of alphas, and every 16-bit alpha with a set of colours:
/// `(a·c + 32767) / 65535`, alpha from a plane and constant.
#[test]
fn premultiply16_every_value() {
    let mut rng = Rng(0x9e3779b97f4a7c15);
    let mut special: Vec<u16> = vec![0, 1, 2, 127, 128, 255, 256, 32767, 32768, 65534, 65535];
    special.extend((0..8).map(|_| rng.next() as u16));
    let want = |c: u16, a: u16| ((u64::from(c) * u64::from(a) + 32767) / 65535) as u16;
    let (w, h) = (256, 256);
    let store = |m: &mut Img, x: usize, y: usize, bpp: usize, vals: &[u16]| {
        for (k, v) in vals.iter().enumerate() {
            let o = y * m.rb + x * bpp + 2 * k;
            m.data[o..o + 2].copy_from_slice(&v.to_ne_bytes());
        }
    };
    let load = |m: &Img, x: usize, y: usize, bpp: usize, k: usize| {
        let o = y * m.rb + x * bpp + 2 * k;
        u16::from_ne_bytes([m.data[o], m.data[o + 1]])
    };
    for (which, (_, map)) in adds16().iter().enumerate() {
        // All colours (value = y·256 + x in channel 0, reversed in 1, scrambled in 2).
        let mut rgb = Img::new(w, h, 6, 2);
        for y in 0..h {
            for x in 0..w {
                let v = (y * 256 + x) as u16;
                store(&mut rgb, x, y, 6, &[v, !v, v.rotate_left(5)]);
            }
        }
        for &alpha in &special {
            let mut d = Img::new(w, h, 8, 4);
            ok(run_add(
                2,
                which,
                &mut rgb,
                None,
                &alpha.to_ne_bytes(),
                &mut d,
                true,
                0,
            ));
            for y in 0..h {
                for x in 0..w {
                    for j in 0..4 {
                        let expect = if map[j] == 3 {
                            alpha
                        } else {
                            want(load(&rgb, x, y, 6, map[j]), alpha)
                        };
                        assert_eq!(load(&d, x, y, 8, j), expect);
                    }
                }
            }
        }
        // All alphas from a plane, colours constant per run.
        let mut a = Img::new(w, h, 2, 6);
        for y in 0..h {
            for x in 0..w {
                store(&mut a, x, y, 2, &[(y * 256 + x) as u16]);
            }
        }
        for &c in &special {
            let mut rgb = Img::new(w, h, 6, 0);
            for y in 0..h {
                for x in 0..w {
                    store(&mut rgb, x, y, 6, &[c, !c, c.rotate_left(5)]);
                }
            }
            let mut d = Img::new(w, h, 8, 0);
            ok(run_add(
                2,
                which,
                &mut rgb,
                Some(&mut a),
                &[0, 0],
                &mut d,
                true,
                0,
            ));
            for y in 0..h {
                for x in 0..w {
                    let av = load(&a, x, y, 2, 0);
                    for j in 0..4 {
                        let expect = if map[j] == 3 {
                            av
                        } else {
                            want(load(&rgb, x, y, 6, map[j]), av)
                        };
                        assert_eq!(load(&d, x, y, 8, j), expect);
                    }
                }
            }
        }
    }
}

/// Float premultiply `c·a` to the last bit: the product of two binary32 values is exact in
/// binary64, so rounding it once to binary32 is the correctly rounded result. Random values
/// over many binades plus zeros, infinities, NaNs and subnormals.
#[test]
fn premultiply_float_to_the_last_bit() {
    let mut rng = Rng(42);
    let specials = [
        0.0f32,
        -0.0,
        1.0,
        -1.0,
        f32::INFINITY,
        f32::NEG_INFINITY,
        f32::NAN,
        f32::MIN_POSITIVE,
        1e-45,
        f32::MAX,
        0.5,
        3.0e-39,
    ];
    let value = |rng: &mut Rng| -> f32 {
        let r = rng.next();
        if r & 7 == 0 {
            specials[(r >> 8) as usize % specials.len()]
        } else {
            f32::from_bits((r >> 16) as u32)
        }
    };
    let (w, h) = (301, 97);
    let mut rgb = Img::new(w, h, 12, 4);
    let mut a = Img::new(w, h, 4, 0);
    for y in 0..h {
        for x in 0..w {
            for k in 0..3 {
                let o = y * rgb.rb + 12 * x + 4 * k;
                rgb.data[o..o + 4].copy_from_slice(&value(&mut rng).to_ne_bytes());
            }
            let o = y * a.rb + 4 * x;
            a.data[o..o + 4].copy_from_slice(&value(&mut rng).to_ne_bytes());
        }
    }
    let f = |m: &Img, o: usize| f32::from_ne_bytes(m.data[o..o + 4].try_into().unwrap());
    let same = |got: f32, want: f32| {
        if want.is_nan() {
            got.is_nan()
        } else {
            got.to_bits() == want.to_bits()
        }
    };
    for (which, (_, map)) in addsf().iter().enumerate() {
        for constant in [None, Some(0.7f32), Some(-3.25e-20), Some(f32::INFINITY)] {
            let mut d = Img::new(w, h, 16, 0);
            let alpha = constant.unwrap_or(0.0).to_ne_bytes();
            let plane = if constant.is_none() {
                Some(&mut a)
            } else {
                None
            };
            ok(run_add(4, which, &mut rgb, plane, &alpha, &mut d, true, 0));
            for y in 0..h {
                for x in 0..w {
                    let av = constant.unwrap_or_else(|| f(&a, y * a.rb + 4 * x));
                    for j in 0..4 {
                        let got = f(&d, y * d.rb + 16 * x + 4 * j);
                        let want = if map[j] == 3 {
                            av
                        } else {
                            (f64::from(f(&rgb, y * rgb.rb + 12 * x + 4 * map[j])) * f64::from(av))
                                as f32
                        };
                        assert!(same(got, want), "{got:e} != {want:e}");
                    }
                }
            }
        }
    }
}

// ---- every value through drops, inserts, interleaves -------------------------------------------

/// A `w x h` image where every sample value of `e` bytes appears (for e = 1, 2) plus random
/// bytes (which for e = 4 covers float bit patterns incl. NaN payloads, kept bit for bit).
fn every_value(w: usize, h: usize, bpp: usize, e: usize, rng: &mut Rng) -> Img {
    let mut m = Img::random(w, h, bpp, 3, rng);
    let per_row = w * bpp / e;
    for y in 0..h {
        for i in 0..per_row {
            let v = (y * per_row + i) as u32;
            let o = y * m.rb + i * e;
            match e {
                1 => m.data[o] = v as u8,
                2 => m.data[o..o + 2].copy_from_slice(&(v as u16).to_ne_bytes()),
                _ => {}
            }
        }
    }
    m
}

#[test]
fn drops_every_value() {
    let mut rng = Rng(7);
    for (f, e, keep, _) in drops() {
        // 65,536 samples of 16 bits need 16,384 four-channel pixels.
        let (w, h) = (128, 129);
        let mut s = every_value(w, h, 4 * e, e, &mut rng);
        let mut d = Img::new(w, h, 3 * e, 1);
        let (sb, db) = (s.buf(), d.buf());
        // SAFETY: valid buffers.
        ok(unsafe { f(&sb, &db, 0) });
        for y in 0..h {
            for x in 0..w {
                let sp = &s.data[y * s.rb + 4 * e * x..][..4 * e];
                let dp = &d.data[y * d.rb + 3 * e * x..][..3 * e];
                for (j, &k) in keep.iter().enumerate() {
                    assert_eq!(sample(dp, j, e), sample(sp, k, e));
                }
            }
        }
    }
}

#[test]
fn inserts_every_value() {
    let mut rng = Rng(8);
    for e in [1usize, 2, 4] {
        for which in 0..3 {
            let map = [ARGB, RGBA, BGRA][which];
            let (w, h) = (256, 86);
            let mut rgb = every_value(w, h, 3 * e, e, &mut rng);
            let mut a = every_value(w, h, e, e, &mut rng);
            let konst = [0x3cu8, 0xa1, 0x07, 0x7f];
            for plane in [false, true] {
                let mut d = Img::new(w, h, 4 * e, 2);
                let ap = if plane { Some(&mut a) } else { None };
                ok(run_add(
                    e,
                    which,
                    &mut rgb,
                    ap,
                    &konst[..e],
                    &mut d,
                    false,
                    0,
                ));
                for y in 0..h {
                    for x in 0..w {
                        let sp = &rgb.data[y * rgb.rb + 3 * e * x..][..3 * e];
                        let av = if plane {
                            &a.data[y * a.rb + e * x..][..e]
                        } else {
                            &konst[..e]
                        };
                        let dp = &d.data[y * d.rb + 4 * e * x..][..4 * e];
                        for j in 0..4 {
                            let want = if map[j] == 3 {
                                av
                            } else {
                                sample(sp, map[j], e)
                            };
                            assert_eq!(sample(dp, j, e), want);
                        }
                    }
                }
            }
        }
    }
}

type Il4 = unsafe extern "C" fn(
    *const vImage_Buffer,
    *const vImage_Buffer,
    *const vImage_Buffer,
    *const vImage_Buffer,
    *const vImage_Buffer,
    vImage_Flags,
) -> vImage_Error;
type Il3 = unsafe extern "C" fn(
    *const vImage_Buffer,
    *const vImage_Buffer,
    *const vImage_Buffer,
    *const vImage_Buffer,
    vImage_Flags,
) -> vImage_Error;

/// Interleave then de-interleave every value, checking both against the formula.
#[test]
fn interleave_round_trip_every_value() {
    let mut rng = Rng(9);
    let four: [(Il4, Il4, usize); 3] = [
        (
            vImageConvert_Planar8toARGB8888,
            vImageConvert_ARGB8888toPlanar8,
            1,
        ),
        (
            vImageConvert_Planar16UtoARGB16U,
            vImageConvert_ARGB16UtoPlanar16U,
            2,
        ),
        (
            vImageConvert_PlanarFtoARGBFFFF,
            vImageConvert_ARGBFFFFtoPlanarF,
            4,
        ),
    ];
    let (w, h) = (256, 257);
    for (inter, de, e) in four {
        let mut p: Vec<Img> = (0..4).map(|_| every_value(w, h, e, e, &mut rng)).collect();
        let mut d = Img::new(w, h, 4 * e, 5);
        let pb: Vec<vImage_Buffer> = p.iter_mut().map(Img::buf).collect();
        let db = d.buf();
        // SAFETY: valid buffers.
        ok(unsafe { inter(&pb[0], &pb[1], &pb[2], &pb[3], &db, 0) });
        for y in 0..h {
            for x in 0..w {
                for (k, plane) in p.iter().enumerate() {
                    assert_eq!(
                        sample(&d.data[y * d.rb + 4 * e * x..], k, e),
                        &plane.data[y * plane.rb + e * x..][..e]
                    );
                }
            }
        }
        let mut q: Vec<Img> = (0..4).map(|k| Img::new(w, h, e, k)).collect();
        let qb: Vec<vImage_Buffer> = q.iter_mut().map(Img::buf).collect();
        // SAFETY: valid buffers.
        ok(unsafe { de(&db, &qb[0], &qb[1], &qb[2], &qb[3], 0) });
        for k in 0..4 {
            assert_eq!(q[k].pixels(e), p[k].pixels(e));
        }
    }
    let three: [(Il3, Il3, usize); 3] = [
        (
            vImageConvert_Planar8toRGB888,
            vImageConvert_RGB888toPlanar8,
            1,
        ),
        (
            vImageConvert_Planar16UtoRGB16U,
            vImageConvert_RGB16UtoPlanar16U,
            2,
        ),
        (
            vImageConvert_PlanarFtoRGBFFF,
            vImageConvert_RGBFFFtoPlanarF,
            4,
        ),
    ];
    for (inter, de, e) in three {
        let mut p: Vec<Img> = (0..3).map(|_| every_value(w, h, e, e, &mut rng)).collect();
        let mut d = Img::new(w, h, 3 * e, 1);
        let pb: Vec<vImage_Buffer> = p.iter_mut().map(Img::buf).collect();
        let db = d.buf();
        // SAFETY: valid buffers.
        ok(unsafe { inter(&pb[0], &pb[1], &pb[2], &db, 0) });
        for y in 0..h {
            for x in 0..w {
                for (k, plane) in p.iter().enumerate() {
                    assert_eq!(
                        sample(&d.data[y * d.rb + 3 * e * x..], k, e),
                        &plane.data[y * plane.rb + e * x..][..e]
                    );
                }
            }
        }
        let mut q: Vec<Img> = (0..3).map(|k| Img::new(w, h, e, k)).collect();
        let qb: Vec<vImage_Buffer> = q.iter_mut().map(Img::buf).collect();
        // SAFETY: valid buffers.
        ok(unsafe { de(&db, &qb[0], &qb[1], &qb[2], 0) });
        for k in 0..3 {
            assert_eq!(q[k].pixels(e), p[k].pixels(e));
        }
    }
}

/// The X forms: a constant in channel 0 (XRGB) or 3 (BGRX) on the way in, channel 0 / 3
/// dropped on the way out.
#[test]
fn x_forms_every_value() {
    let mut rng = Rng(10);
    let (w, h) = (256, 3);
    for e in [1usize, 4] {
        for first in [true, false] {
            let mut p: Vec<Img> = (0..3).map(|_| every_value(w, h, e, e, &mut rng)).collect();
            let pb: Vec<vImage_Buffer> = p.iter_mut().map(Img::buf).collect();
            let mut d = Img::new(w, h, 4 * e, 3);
            let db = d.buf();
            let k8 = 0xC3u8;
            let kf = -1.5f32;
            // SAFETY: valid buffers.
            ok(unsafe {
                match (e, first) {
                    (1, true) => {
                        vImageConvert_Planar8ToXRGB8888(k8, &pb[0], &pb[1], &pb[2], &db, 0)
                    }
                    (1, false) => {
                        vImageConvert_Planar8ToBGRX8888(&pb[0], &pb[1], &pb[2], k8, &db, 0)
                    }
                    (_, true) => {
                        vImageConvert_PlanarFToXRGBFFFF(kf, &pb[0], &pb[1], &pb[2], &db, 0)
                    }
                    (_, false) => {
                        vImageConvert_PlanarFToBGRXFFFF(&pb[0], &pb[1], &pb[2], kf, &db, 0)
                    }
                }
            });
            let kb: Vec<u8> = if e == 1 {
                vec![k8]
            } else {
                kf.to_ne_bytes().to_vec()
            };
            let off = usize::from(first);
            for y in 0..h {
                for x in 0..w {
                    let px = &d.data[y * d.rb + 4 * e * x..][..4 * e];
                    assert_eq!(sample(px, if first { 0 } else { 3 }, e), &kb[..]);
                    for (k, plane) in p.iter().enumerate() {
                        assert_eq!(
                            sample(px, k + off, e),
                            &plane.data[y * plane.rb + e * x..][..e]
                        );
                    }
                }
            }
            let mut q: Vec<Img> = (0..3).map(|k| Img::new(w, h, e, k)).collect();
            let qb: Vec<vImage_Buffer> = q.iter_mut().map(Img::buf).collect();
            // SAFETY: valid buffers.
            ok(unsafe {
                match (e, first) {
                    (1, true) => vImageConvert_XRGB8888ToPlanar8(&db, &qb[0], &qb[1], &qb[2], 0),
                    (1, false) => vImageConvert_BGRX8888ToPlanar8(&db, &qb[0], &qb[1], &qb[2], 0),
                    (_, true) => vImageConvert_XRGBFFFFToPlanarF(&db, &qb[0], &qb[1], &qb[2], 0),
                    (_, false) => vImageConvert_BGRXFFFFToPlanarF(&db, &qb[0], &qb[1], &qb[2], 0),
                }
            });
            for k in 0..3 {
                assert_eq!(q[k].pixels(e), p[k].pixels(e));
            }
        }
    }
}

/// The strided forms against the fixed-layout functions: with a stride of 3 samples and the
/// channels in order they are RGB888toPlanar8 / PlanarFtoRGBFFF.
#[test]
fn chunky_equals_fixed_layouts() {
    let mut rng = Rng(11);
    let (w, h) = (333, 41);
    for e in [1usize, 4] {
        let mut c = Img::random(w, h, 3 * e, 9, &mut rng);
        let cb = c.buf();
        let mut p: Vec<Img> = (0..3).map(|k| Img::new(w, h, e, k)).collect();
        let mut q: Vec<Img> = (0..3).map(|k| Img::new(w, h, e, k + 1)).collect();
        let pb: Vec<vImage_Buffer> = p.iter_mut().map(Img::buf).collect();
        let qb: Vec<vImage_Buffer> = q.iter_mut().map(Img::buf).collect();
        let mut chans: Vec<*const std::ffi::c_void> =
            (0..3).map(|k| c.data[k * e..].as_ptr().cast()).collect();
        let mut dests: Vec<*const vImage_Buffer> = pb.iter().map(|b| b as *const _).collect();
        // SAFETY: valid buffers and channel pointers into `c`.
        unsafe {
            let chunky = if e == 1 {
                vImageConvert_ChunkyToPlanar8
            } else {
                vImageConvert_ChunkyToPlanarF
            };
            ok(chunky(
                chans.as_mut_ptr(),
                dests.as_mut_ptr(),
                3,
                3 * e,
                w as vImagePixelCount,
                h as vImagePixelCount,
                c.rb,
                0,
            ));
            let fixed: Il3 = if e == 1 {
                vImageConvert_RGB888toPlanar8
            } else {
                vImageConvert_RGBFFFtoPlanarF
            };
            ok(fixed(&cb, &qb[0], &qb[1], &qb[2], 0));
        }
        for k in 0..3 {
            assert_eq!(p[k].pixels(e), q[k].pixels(e));
        }
        // And back: PlanarToChunky over a fresh buffer == Planar*toRGB*.
        let mut back = Img::random(w, h, 3 * e, 9, &mut rng);
        let mut fixed_back = Img::new(w, h, 3 * e, 0);
        let fb = fixed_back.buf();
        let mut wchans: Vec<*mut std::ffi::c_void> = (0..3)
            .map(|k| back.data[k * e..].as_mut_ptr().cast())
            .collect();
        let mut srcs: Vec<*const vImage_Buffer> = pb.iter().map(|b| b as *const _).collect();
        // SAFETY: as above.
        unsafe {
            let chunky = if e == 1 {
                vImageConvert_PlanarToChunky8
            } else {
                vImageConvert_PlanarToChunkyF
            };
            ok(chunky(
                srcs.as_mut_ptr(),
                wchans.as_mut_ptr(),
                3,
                3 * e,
                w as vImagePixelCount,
                h as vImagePixelCount,
                back.rb,
                0,
            ));
            let fixed: Il3 = if e == 1 {
                vImageConvert_Planar8toRGB888
            } else {
                vImageConvert_PlanarFtoRGBFFF
            };
            ok(fixed(&pb[0], &pb[1], &pb[2], &fb, 0));
        }
        assert_eq!(back.pixels(3 * e), fixed_back.pixels(3 * e));
        assert_eq!(back.pixels(3 * e), c.pixels(3 * e));
    }
}

// ---- tiled == kvImageDoNotTile == in place -------------------------------------------------------

/// Large enough for the band queue (over 2 x 2^16 pixels).
const BIG: (usize, usize) = (611, 251);

#[test]
fn tiled_equals_untiled_equals_in_place() {
    let mut rng = Rng(12);
    let (w, h) = BIG;
    for (f, e, _, in_place) in drops() {
        let mut s = Img::random(w, h, 4 * e, 3, &mut rng);
        let mut d1 = Img::new(w, h, 3 * e, 0);
        let mut d2 = Img::new(w, h, 3 * e, 5);
        let (sb, b1, b2) = (s.buf(), d1.buf(), d2.buf());
        // SAFETY: valid buffers.
        unsafe {
            ok(f(&sb, &b1, 0));
            ok(f(&sb, &b2, kvImageDoNotTile));
        }
        assert_eq!(d1.pixels(3 * e), d2.pixels(3 * e));
        let ip = s.buf();
        // SAFETY: in place over `s`, the same pointer and rowBytes.
        let r = unsafe { f(&ip, &ip, 0) };
        if in_place {
            ok(r);
            let got: Vec<u8> = (0..h).flat_map(|y| s.row(y, 3 * e * w).to_vec()).collect();
            assert_eq!(got, d1.pixels(3 * e));
        } else {
            assert_eq!(r, kvImageInvalidParameter);
        }
    }
    for e in [1usize, 2, 4] {
        for which in 0..3 {
            for (plane, premultiply) in [(false, false), (false, true), (true, false), (true, true)]
            {
                let mut rgb = Img::random(w, h, 3 * e, 1, &mut rng);
                let mut a = Img::random(w, h, e, 2, &mut rng);
                let mut d1 = Img::new(w, h, 4 * e, 0);
                let mut d2 = Img::new(w, h, 4 * e, 3);
                let alpha = [0x55u8, 0x3e, 0x20, 0x3f];
                let ap = if plane { Some(&mut a) } else { None };
                ok(run_add(
                    e,
                    which,
                    &mut rgb,
                    ap,
                    &alpha[..e],
                    &mut d1,
                    premultiply,
                    0,
                ));
                let ap = if plane { Some(&mut a) } else { None };
                ok(run_add(
                    e,
                    which,
                    &mut rgb,
                    ap,
                    &alpha[..e],
                    &mut d2,
                    premultiply,
                    kvImageDoNotTile,
                ));
                assert_eq!(d1.pixels(4 * e), d2.pixels(4 * e));
            }
        }
    }
    // Interleave / de-interleave.
    for e in [1usize, 2, 4] {
        let mut p: Vec<Img> = (0..4).map(|k| Img::random(w, h, e, k, &mut rng)).collect();
        let pb: Vec<vImage_Buffer> = p.iter_mut().map(Img::buf).collect();
        let mut d1 = Img::new(w, h, 4 * e, 0);
        let mut d2 = Img::new(w, h, 4 * e, 1);
        let (b1, b2) = (d1.buf(), d2.buf());
        let (inter, de): (Il4, Il4) = match e {
            1 => (
                vImageConvert_Planar8toARGB8888,
                vImageConvert_ARGB8888toPlanar8,
            ),
            2 => (
                vImageConvert_Planar16UtoARGB16U,
                vImageConvert_ARGB16UtoPlanar16U,
            ),
            _ => (
                vImageConvert_PlanarFtoARGBFFFF,
                vImageConvert_ARGBFFFFtoPlanarF,
            ),
        };
        let mut q1: Vec<Img> = (0..4).map(|k| Img::new(w, h, e, k)).collect();
        let mut q2: Vec<Img> = (0..4).map(|k| Img::new(w, h, e, k + 2)).collect();
        let qb1: Vec<vImage_Buffer> = q1.iter_mut().map(Img::buf).collect();
        let qb2: Vec<vImage_Buffer> = q2.iter_mut().map(Img::buf).collect();
        // SAFETY: valid buffers.
        unsafe {
            ok(inter(&pb[0], &pb[1], &pb[2], &pb[3], &b1, 0));
            ok(inter(&pb[0], &pb[1], &pb[2], &pb[3], &b2, kvImageDoNotTile));
            ok(de(&b1, &qb1[0], &qb1[1], &qb1[2], &qb1[3], 0));
            ok(de(
                &b1,
                &qb2[0],
                &qb2[1],
                &qb2[2],
                &qb2[3],
                kvImageDoNotTile,
            ));
            // Not in place: a destination over a plane's first pixels.
            for k in 0..4 {
                let over = vImage_Buffer {
                    width: 1,
                    height: 1,
                    ..pb[k]
                };
                assert_eq!(
                    inter(&pb[0], &pb[1], &pb[2], &pb[3], &over, 0),
                    kvImageInvalidParameter
                );
            }
        }
        assert_eq!(d1.pixels(4 * e), d2.pixels(4 * e));
        for k in 0..4 {
            assert_eq!(q1[k].pixels(e), q2[k].pixels(e));
            assert_eq!(q1[k].pixels(e), p[k].pixels(e));
        }
    }
}

// ---- named function == vImageConverter -----------------------------------------------------------

fn format(bpc: u32, bpp: u32, info: CGBitmapInfo) -> vImage_CGImageFormat {
    vImage_CGImageFormat {
        bitsPerComponent: bpc,
        bitsPerPixel: bpp,
        colorSpace: std::ptr::null_mut(),
        bitmapInfo: info,
        version: 0,
        decode: std::ptr::null(),
        renderingIntent: kCGRenderingIntentDefault,
    }
}

/// `src` converted by a vImageConverter from `from` to `to` into a `w x h` image of `out_bpp`.
fn convert(
    src: &mut Img,
    from: vImage_CGImageFormat,
    to: vImage_CGImageFormat,
    out_bpp: usize,
) -> Img {
    let mut dst = Img::new(src.w, src.h, out_bpp, 0);
    let (s, d) = (src.buf(), dst.buf());
    // SAFETY: valid formats and buffers; the converter is released.
    unsafe {
        let mut error = 0;
        let c =
            vImageConverter_CreateWithCGImageFormat(&from, &to, std::ptr::null(), 0, &mut error);
        assert_eq!(error, kvImageNoError);
        ok(vImageConvert_AnyToAny(c, &s, &d, std::ptr::null_mut(), 0));
        vImageConverter_Release(c);
    }
    dst
}

fn named_drop(f: Drop, src: &mut Img, out_bpp: usize) -> Img {
    let mut dst = Img::new(src.w, src.h, out_bpp, 1);
    let (s, d) = (src.buf(), dst.buf());
    // SAFETY: valid buffers.
    ok(unsafe { f(&s, &d, 0) });
    dst
}

const SKIP_FIRST: CGBitmapInfo = kCGImageAlphaNoneSkipFirst;
const SKIP_LAST: CGBitmapInfo = kCGImageAlphaNoneSkipLast;
const LE32: CGBitmapInfo = kCGBitmapByteOrder32Little;
const LE16: CGBitmapInfo = kCGBitmapByteOrder16Little;
const FLOAT: CGBitmapInfo = kCGBitmapFloatComponents | kCGBitmapByteOrder32Little;

/// 4 -> 3 drops: ARGB8888toRGB888 == XRGB -> RGB; RGBA == RGBX -> RGB; BGRA == XRGB in
/// 32-bit little-endian order (memory B, G, R, X) -> RGB; 16U and float likewise with
/// host-order (little-endian) samples. BGRA16U / BGRAFFFF have no converter twin: a CG byte
/// order swaps bytes within a sample (16Little) or within a 32-bit word, never the channel
/// order of a 64- or 128-bit pixel.
#[test]
fn drops_equal_converter() {
    let mut rng = Rng(13);
    let (w, h) = (203, 37);
    let mut s8 = Img::random(w, h, 4, 4, &mut rng);
    let rgb8 = format(8, 24, kCGImageAlphaNone);
    let got = named_drop(vImageConvert_ARGB8888toRGB888, &mut s8, 3);
    assert_eq!(
        got.pixels(3),
        convert(&mut s8, format(8, 32, SKIP_FIRST), rgb8, 3).pixels(3)
    );
    let got = named_drop(vImageConvert_RGBA8888toRGB888, &mut s8, 3);
    assert_eq!(
        got.pixels(3),
        convert(&mut s8, format(8, 32, SKIP_LAST), rgb8, 3).pixels(3)
    );
    let got = named_drop(vImageConvert_BGRA8888toRGB888, &mut s8, 3);
    assert_eq!(
        got.pixels(3),
        convert(&mut s8, format(8, 32, SKIP_FIRST | LE32), rgb8, 3).pixels(3)
    );

    let mut s16 = Img::random(w, h, 8, 4, &mut rng);
    let rgb16 = format(16, 48, kCGImageAlphaNone | LE16);
    let got = named_drop(vImageConvert_ARGB16UtoRGB16U, &mut s16, 6);
    assert_eq!(
        got.pixels(6),
        convert(&mut s16, format(16, 64, SKIP_FIRST | LE16), rgb16, 6).pixels(6)
    );
    let got = named_drop(vImageConvert_RGBA16UtoRGB16U, &mut s16, 6);
    assert_eq!(
        got.pixels(6),
        convert(&mut s16, format(16, 64, SKIP_LAST | LE16), rgb16, 6).pixels(6)
    );

    // Floats in [0, 1] (the converter's float path need not keep NaN payloads).
    let mut sf = Img::new(w, h, 16, 0);
    for ch in sf.data.chunks_exact_mut(4) {
        ch.copy_from_slice(&((rng.next() % 1_000_001) as f32 / 1e6).to_ne_bytes());
    }
    let rgbf = format(32, 96, kCGImageAlphaNone | FLOAT);
    let got = named_drop(vImageConvert_ARGBFFFFtoRGBFFF, &mut sf, 12);
    assert_eq!(
        got.pixels(12),
        convert(&mut sf, format(32, 128, SKIP_FIRST | FLOAT), rgbf, 12).pixels(12)
    );
    let got = named_drop(vImageConvert_RGBAFFFFtoRGBFFF, &mut sf, 12);
    assert_eq!(
        got.pixels(12),
        convert(&mut sf, format(32, 128, SKIP_LAST | FLOAT), rgbf, 12).pixels(12)
    );
}

/// 3 -> 4 with a constant opaque alpha and no plane: == RGB -> XRGB / ARGB / premultiplied ARGB
/// (alpha 1: premultiplying changes nothing), for every order a converter expresses.
#[test]
fn inserts_equal_converter() {
    let mut rng = Rng(14);
    let (w, h) = (199, 29);
    let mut s8 = Img::random(w, h, 3, 7, &mut rng);
    let rgb8 = format(8, 24, kCGImageAlphaNone);
    // (which: 0 ARGB, 1 RGBA, 2 BGRA; converter destinations giving the same bytes)
    let dsts8: [(usize, Vec<CGBitmapInfo>); 3] = [
        (
            0,
            vec![
                SKIP_FIRST,
                kCGImageAlphaFirst,
                kCGImageAlphaPremultipliedFirst,
            ],
        ),
        (
            1,
            vec![SKIP_LAST, kCGImageAlphaLast, kCGImageAlphaPremultipliedLast],
        ),
        (
            2,
            vec![
                SKIP_FIRST | LE32,
                kCGImageAlphaFirst | LE32,
                kCGImageAlphaPremultipliedFirst | LE32,
            ],
        ),
    ];
    for (which, infos) in &dsts8 {
        for premultiply in [false, true] {
            let mut named = Img::new(w, h, 4, 0);
            ok(run_add(
                1,
                *which,
                &mut s8,
                None,
                &[255],
                &mut named,
                premultiply,
                0,
            ));
            for &info in infos {
                let conv = convert(&mut s8, rgb8, format(8, 32, info), 4);
                assert_eq!(
                    named.pixels(4),
                    conv.pixels(4),
                    "order {which} info {info:#x}"
                );
            }
        }
    }
    let mut s16 = Img::random(w, h, 6, 2, &mut rng);
    let rgb16 = format(16, 48, kCGImageAlphaNone | LE16);
    for (which, infos) in [
        (
            0usize,
            [
                SKIP_FIRST,
                kCGImageAlphaFirst,
                kCGImageAlphaPremultipliedFirst,
            ],
        ),
        (
            1,
            [SKIP_LAST, kCGImageAlphaLast, kCGImageAlphaPremultipliedLast],
        ),
    ] {
        for premultiply in [false, true] {
            let mut named = Img::new(w, h, 8, 0);
            ok(run_add(
                2,
                which,
                &mut s16,
                None,
                &[0xff, 0xff],
                &mut named,
                premultiply,
                0,
            ));
            for info in infos {
                let conv = convert(&mut s16, rgb16, format(16, 64, info | LE16), 8);
                assert_eq!(
                    named.pixels(8),
                    conv.pixels(8),
                    "16U order {which} info {info:#x}"
                );
            }
        }
    }
    let mut sf = Img::new(w, h, 12, 0);
    for ch in sf.data.chunks_exact_mut(4) {
        ch.copy_from_slice(&((rng.next() % 1_000_001) as f32 / 1e6).to_ne_bytes());
    }
    let rgbf = format(32, 96, kCGImageAlphaNone | FLOAT);
    for (which, infos) in [
        (
            0usize,
            [
                SKIP_FIRST,
                kCGImageAlphaFirst,
                kCGImageAlphaPremultipliedFirst,
            ],
        ),
        (
            1,
            [SKIP_LAST, kCGImageAlphaLast, kCGImageAlphaPremultipliedLast],
        ),
    ] {
        for premultiply in [false, true] {
            let mut named = Img::new(w, h, 16, 0);
            ok(run_add(
                4,
                which,
                &mut sf,
                None,
                &1.0f32.to_ne_bytes(),
                &mut named,
                premultiply,
                0,
            ));
            for info in infos {
                let conv = convert(&mut sf, rgbf, format(32, 128, info | FLOAT), 16);
                assert_eq!(
                    named.pixels(16),
                    conv.pixels(16),
                    "float order {which} info {info:#x}"
                );
            }
        }
    }
}
