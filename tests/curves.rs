//! Transform.h curves through the exported C functions: every lookup table exhaustively over
//! every 8-bit (and every 16-bit) input; gamma and piecewise gamma over every 8-bit and every
//! 16Q12 input and sampled floats, bit-exact against the documented formulas written out here
//! (f32 linear steps, f64 powers) and within a stated bound of a pure-f64 evaluation;
//! polynomials and rationals likewise; tiled == kvImageDoNotTile; in place; the errors.

#![allow(non_snake_case)]
#![allow(
    clippy::needless_range_loop,
    clippy::type_complexity,
    clippy::neg_cmp_op_on_partial_ord,
    clippy::manual_is_multiple_of,
    clippy::manual_clamp
)]

use vimage::ffi::vimage_transform::curves::*;
use vimage::types::*;

const GUARD: u8 = 0xA5;
const LEAD: usize = 64;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn float(&mut self, lo: f32, hi: f32) -> f32 {
        lo + (hi - lo) * ((self.next() >> 40) as f32 / (1u64 << 24) as f32)
    }
}

#[derive(Clone)]
struct Img {
    buf: Vec<u8>,
    w: usize,
    h: usize,
    bpp: usize,
    rb: usize,
}

impl Img {
    fn new(w: usize, h: usize, bpp: usize, pad: usize) -> Img {
        let rb = w * bpp + pad;
        Img {
            buf: vec![GUARD; rb * h + 2 * LEAD],
            w,
            h,
            bpp,
            rb,
        }
    }
    /// One row holding `samples` (each `bpp` bytes), `pad` guard bytes after it... in rows of
    /// `w` samples.
    fn from_samples(samples: &[Vec<u8>], w: usize, pad: usize) -> Img {
        let bpp = samples[0].len();
        let h = samples.len().div_ceil(w);
        let mut m = Img::new(w, h, bpp, pad);
        for (i, s) in samples.iter().enumerate() {
            let (x, y) = (i % w, i / w);
            let o = LEAD + y * m.rb + x * bpp;
            m.buf[o..o + bpp].copy_from_slice(s);
        }
        for i in samples.len()..w * h {
            let (x, y) = (i % w, i / w);
            let o = LEAD + y * m.rb + x * bpp;
            m.buf[o..o + bpp].fill(0);
        }
        m
    }
    fn vb(&mut self) -> vImage_Buffer {
        vImage_Buffer {
            data: self.buf[LEAD..].as_mut_ptr().cast(),
            height: self.h as _,
            width: self.w as _,
            rowBytes: self.rb,
        }
    }
    /// Samples (`bpp` bytes each), rows packed.
    fn samples(&self) -> Vec<Vec<u8>> {
        (0..self.h)
            .flat_map(|y| {
                let s = LEAD + y * self.rb;
                self.buf[s..s + self.w * self.bpp]
                    .chunks_exact(self.bpp)
                    .map(|c| c.to_vec())
                    .collect::<Vec<_>>()
            })
            .collect()
    }
    fn guards_ok(&self) -> bool {
        let row = self.w * self.bpp;
        self.buf[..LEAD].iter().all(|&b| b == GUARD)
            && self.buf[self.buf.len() - LEAD..]
                .iter()
                .all(|&b| b == GUARD)
            && (0..self.h).all(|y| {
                let s = LEAD + y * self.rb;
                self.buf[s + row..s + self.rb].iter().all(|&b| b == GUARD)
            })
    }
}

fn f32s(v: &[Vec<u8>]) -> Vec<f32> {
    v.iter()
        .map(|b| f32::from_ne_bytes([b[0], b[1], b[2], b[3]]))
        .collect()
}

fn every_u8() -> Vec<Vec<u8>> {
    (0..=255u8).map(|v| vec![v]).collect()
}

fn every_q12() -> Vec<Vec<u8>> {
    (i16::MIN..=i16::MAX)
        .map(|v| v.to_ne_bytes().to_vec())
        .collect()
}

/// Float samples: specials, a fine sweep of [-0.25, 1.25], and random values in [-10, 10].
fn float_samples() -> Vec<Vec<u8>> {
    let mut v = vec![
        f32::NAN,
        f32::INFINITY,
        f32::NEG_INFINITY,
        0.0,
        -0.0,
        1.0,
        -1.0,
        0.5,
        f32::MIN_POSITIVE,
        1e-30,
        255.0,
        4095.0 / 4096.0,
        1.0 - f32::EPSILON,
    ];
    for i in 0..=3000 {
        v.push(-0.25 + 1.5 * i as f32 / 3000.0);
    }
    let mut rng = Rng(0xabcdef);
    for _ in 0..2000 {
        v.push(rng.float(-10.0, 10.0));
    }
    v.iter().map(|x| x.to_ne_bytes().to_vec()).collect()
}

/// Distance in units in the last place between two finite floats of one sign (or equal).
fn ulps(a: f32, b: f32) -> u32 {
    if a == b || (a.is_nan() && b.is_nan()) {
        return 0;
    }
    let key = |x: f32| {
        let i = x.to_bits() as i32;
        (if i < 0 { i32::MIN - i } else { i }) as i64
    };
    (key(a) - key(b)).unsigned_abs().min(u32::MAX as u64) as u32
}

/// Runs `run(src, dest)` over `samples` laid out `w` wide with padding, returns the output
/// samples; checks guards and that kvImageDoNotTile gives the same bytes.
fn apply(
    samples: &[Vec<u8>],
    out_bpp: usize,
    w: usize,
    run: &dyn Fn(&vImage_Buffer, &vImage_Buffer, vImage_Flags) -> vImage_Error,
) -> Vec<Vec<u8>> {
    let mut s = Img::from_samples(samples, w, 3);
    let h = s.h;
    let mut d = Img::new(w, h, out_bpp, 5);
    let mut d2 = Img::new(w, h, out_bpp, 0);
    assert_eq!(run(&s.vb(), &d.vb(), 0), 0);
    assert_eq!(run(&s.vb(), &d2.vb(), kvImageDoNotTile), 0);
    assert!(d.guards_ok() && d2.guards_ok());
    let out = d.samples();
    assert_eq!(out, d2.samples());
    out[..samples.len()].to_vec()
}

// ---- lookup tables ------------------------------------------------------------------------

#[test]
fn lookup_tables_every_8bit_input() {
    let mut rng = Rng(42);
    let src = every_u8();
    let raw: Vec<u8> = (0..256 * 16).map(|_| rng.next() as u8).collect();
    // (function, output bytes, table entry bytes, offset of the output in an entry)
    type Lut = unsafe extern "C" fn(
        *const vImage_Buffer,
        *const vImage_Buffer,
        *const u8,
        vImage_Flags,
    ) -> vImage_Error;
    // SAFETY: the signatures differ only in the table's pointee type.
    let f = |p: *const ()| unsafe { std::mem::transmute::<*const (), Lut>(p) };
    let cases: [(Lut, usize, usize, usize); 7] = [
        (f(vImageLookupTable_Planar8toPlanarF as *const ()), 4, 4, 0),
        (f(vImageLookupTable_Planar8toPlanar16 as *const ()), 2, 2, 0),
        (f(vImageLookupTable_8to64U as *const ()), 8, 8, 0),
        (f(vImageLookupTable_Planar8toPlanar24 as *const ()), 3, 4, 1),
        (f(vImageLookupTable_Planar8toPlanar48 as *const ()), 6, 8, 2),
        (
            f(vImageLookupTable_Planar8toPlanar96 as *const ()),
            12,
            16,
            4,
        ),
        (
            f(vImageLookupTable_Planar8toPlanar128 as *const ()),
            16,
            16,
            0,
        ),
    ];
    for (k, (lut, out, entry, off)) in cases.into_iter().enumerate() {
        // An aligned copy of the table (entries of `entry` bytes).
        let mut table = vec![0u64; 256 * entry / 8 + 1];
        // SAFETY: the Vec holds at least 256 * entry bytes.
        let tb =
            unsafe { std::slice::from_raw_parts_mut(table.as_mut_ptr().cast::<u8>(), 256 * entry) };
        tb.copy_from_slice(&raw[..256 * entry]);
        let tp = tb.as_ptr();
        for w in [1usize, 7, 256] {
            // SAFETY: live buffers and a 256-entry table.
            let got = apply(&src, out, w, &|a, b, fl| unsafe { lut(a, b, tp, fl) });
            for (v, g) in got.iter().enumerate() {
                assert_eq!(
                    &g[..],
                    &tb[v * entry + off..v * entry + off + out],
                    "lut {k} value {v}"
                );
            }
        }
        // Errors: NULL table, destination larger than the source, in place.
        let mut s = Img::new(4, 4, 1, 0);
        let mut d = Img::new(4, 5, out, 0);
        // SAFETY: NULL or live arguments.
        unsafe {
            assert_eq!(
                lut(&s.vb(), &d.vb(), std::ptr::null(), 0),
                kvImageNullPointerArgument
            );
            assert_eq!(lut(&s.vb(), &d.vb(), tp, 0), kvImageBufferSizeMismatch);
            let mut big = Img::new(4, 4, 16, 0);
            let b = big.vb();
            let small = vImage_Buffer { width: 4, ..b };
            assert_eq!(
                lut(&small, &b, tp, 0),
                kvImageInvalidParameter,
                "not in place"
            );
        }
    }
}

#[test]
fn lookup_table_planar16_every_input() {
    let table: Vec<u16> = (0..=65535u32)
        .map(|v| (v.wrapping_mul(40503) >> 3) as u16)
        .collect();
    let src: Vec<Vec<u8>> = (0..=65535u16).map(|v| v.to_ne_bytes().to_vec()).collect();
    // SAFETY: live buffers and a 65536-entry table.
    let got = apply(&src, 2, 256, &|a, b, fl| unsafe {
        vImageLookupTable_Planar16(a, b, table.as_ptr(), fl)
    });
    for (v, g) in got.iter().enumerate() {
        assert_eq!(u16::from_ne_bytes([g[0], g[1]]), table[v]);
    }
}

#[test]
fn lookup_table_float_to_8bit_truncates_the_index() {
    let table: Vec<u8> = (0..4096u32).map(|i| (i * 7 % 251) as u8).collect();
    let src = float_samples();
    // SAFETY: live buffers and a 4096-entry table.
    let got = apply(&src, 1, 13, &|a, b, fl| unsafe {
        vImageLookupTable_PlanarFtoPlanar8(a, b, table.as_ptr(), fl)
    });
    for (x, g) in f32s(&src).iter().zip(&got) {
        let i = x * 4096.0;
        let i = if i > 0.0 { i } else { 0.0 };
        let i = if i < 4095.0 { i } else { 4095.0 };
        assert_eq!(g[0], table[i as usize], "x = {x}");
    }
}

#[test]
fn interpolated_lookup_table_follows_apples_formula() {
    let src = float_samples();
    for (entries, max, min) in [
        (17usize, 1.0f32, 0.0f32),
        (2, 10.0, -10.0),
        (1, 1.0, 0.0),
        (256, 2.0, -1.0),
        (5, 0.5, 0.5),
    ] {
        let table: Vec<f32> = (0..=entries).map(|i| (i as f32 * 0.37).sin()).collect();
        // SAFETY: live buffers and a table of entries + 1 values.
        let got = f32s(&apply(&src, 4, 11, &|a, b, fl| unsafe {
            vImageInterpolatedLookupTable_PlanarF(a, b, table.as_ptr(), entries as _, max, min, fl)
        }));
        for (x, g) in f32s(&src).iter().zip(&got) {
            let c = x.min(max).max(min);
            let fi = (entries - 1) as f32 * (c - min) / (max - min);
            let fi = if fi >= 0.0 { fi } else { 0.0 };
            let i = fi as usize;
            let fract = fi - fi.floor();
            let want = table[i] * (1.0 - fract) + table[i + 1] * fract;
            assert_eq!(g.to_bits(), want.to_bits(), "x = {x}, entries {entries}");
        }
    }
    let mut s = Img::new(3, 3, 4, 0);
    let t = [0.0f32; 4];
    // SAFETY: NULL or live arguments.
    unsafe {
        assert_eq!(
            vImageInterpolatedLookupTable_PlanarF(
                &s.vb(),
                &s.vb(),
                std::ptr::null(),
                3,
                1.0,
                0.0,
                0
            ),
            kvImageNullPointerArgument
        );
        assert_eq!(
            vImageInterpolatedLookupTable_PlanarF(&s.vb(), &s.vb(), t.as_ptr(), 0, 1.0, 0.0, 0),
            kvImageInvalidParameter
        );
        assert_eq!(
            vImageInterpolatedLookupTable_PlanarF(&s.vb(), &s.vb(), t.as_ptr(), 3, 1.0, 0.0, 0),
            0
        );
    }
}

// ---- gamma --------------------------------------------------------------------------------

/// The curves of the gamma types, in f64.
fn gamma_ref(t: i32, g: f32, x: f32) -> f64 {
    let u = (x as f64).clamp(0.0, 1.0);
    let u = if x.is_nan() { 0.0 } else { u };
    match t {
        0 => {
            let r = (x.abs() as f64).powf(g as f64);
            if x < 0.0 { -r } else { r }
        }
        1 if g.abs() > 12.0 => gamma_ref(0, g, x),
        1 => u.powf(g as f64),
        2 => u.powf((5.0f32 / 9.0) as f64),
        3 => u.powf((9.0f32 / 5.0) as f64),
        4 => u.powf((5.0f32 / 11.0) as f64),
        5 => u.powf((11.0f32 / 5.0) as f64),
        6 => {
            if u < 0.03928 {
                u / 12.92
            } else {
                ((u + 0.055) / 1.055).powf(2.4)
            }
        }
        7 => {
            if u < 0.00304 {
                12.92 * u
            } else {
                1.055 * u.powf(1.0 / 2.4) - 0.055
            }
        }
        8 => u.powf((11.0f32 / 9.0) as f64),
        9 => u.powf((9.0f32 / 11.0) as f64),
        10 => {
            if u < 0.081 {
                u / 4.5
            } else {
                ((u + 0.099) / 1.099).powf(1.0 / 0.45)
            }
        }
        _ => {
            if u < 0.018 {
                4.5 * u
            } else {
                1.099 * u.powf(0.45) - 0.099
            }
        }
    }
}

/// `clamp(r, 0, 1) * 255 + 0.5` truncated, in f32.
fn unit_to8(r: f32) -> u8 {
    if r > 0.0 {
        if r >= 1.0 {
            255
        } else {
            (r * 255.0 + 0.5) as u8
        }
    } else {
        0
    }
}

#[test]
fn gamma_functions_match_the_formulas() {
    let fsrc = float_samples();
    let xs = f32s(&fsrc);
    let mut worst = 0;
    for t in 0..12 {
        for g in [2.2f32, 1.0 / 2.2, 1.0, 0.3, 13.0, -1.5] {
            // SAFETY: any type and flags.
            let gf = unsafe { vImageCreateGammaFunction(g, t, 0) };
            assert!(!gf.is_null());
            // Planar8 -> F: every input, within 1 ulp of the f64 curve of v / 255.
            // SAFETY: live buffers and gamma function.
            let got = f32s(&apply(&every_u8(), 4, 16, &|a, b, fl| unsafe {
                vImageGamma_Planar8toPlanarF(a, b, gf, fl)
            }));
            for (v, r) in got.iter().enumerate() {
                let want = gamma_ref(t, g, v as f32 / 255.0) as f32;
                let u = ulps(*r, want);
                worst = worst.max(u);
                assert!(u <= 1, "type {t} gamma {g} v {v}: {r} vs {want}");
            }
            // F -> F.
            // SAFETY: as above.
            let got = f32s(&apply(&fsrc, 4, 97, &|a, b, fl| unsafe {
                vImageGamma_PlanarF(a, b, gf, fl)
            }));
            for (x, r) in xs.iter().zip(&got) {
                let want = gamma_ref(t, g, *x) as f32;
                let u = ulps(*r, want);
                worst = worst.max(u);
                assert!(u <= 1, "type {t} gamma {g} x {x}: {r} vs {want}");
            }
            // F -> 8: the documented rounding of the f32 result.
            // SAFETY: as above.
            let got = apply(&fsrc, 1, 97, &|a, b, fl| unsafe {
                vImageGamma_PlanarFtoPlanar8(a, b, gf, fl)
            });
            for (x, r) in xs.iter().zip(&got) {
                assert_eq!(r[0], unit_to8(gamma_ref(t, g, *x) as f32), "type {t} x {x}");
            }
            // SAFETY: made above, destroyed once.
            unsafe { vImageDestroyGammaFunction(gf) };
        }
    }
    assert!(worst <= 1, "worst {worst} ulp");
    // SAFETY: NULL or live arguments.
    unsafe {
        assert!(vImageCreateGammaFunction(1.0, 12, 0).is_null());
        assert!(vImageCreateGammaFunction(1.0, -1, 0).is_null());
        vImageDestroyGammaFunction(std::ptr::null_mut());
        let mut s = Img::new(3, 3, 4, 0);
        let mut d = Img::new(3, 4, 4, 0);
        assert_eq!(
            vImageGamma_PlanarF(&s.vb(), &s.vb(), std::ptr::null_mut(), 0),
            kvImageNullPointerArgument
        );
        let gf = vImageCreateGammaFunction(2.0, 0, 0);
        assert_eq!(
            vImageGamma_PlanarF(&s.vb(), &d.vb(), gf, 0),
            kvImageRoiLargerThanInputBuffer
        );
        let b = s.vb();
        let as8 = vImage_Buffer { width: 3, ..b };
        assert_eq!(
            vImageGamma_Planar8toPlanarF(&as8, &b, gf, 0),
            kvImageInvalidParameter,
            "not in place"
        );
        vImageDestroyGammaFunction(gf);
    }
}

// ---- piecewise gamma ----------------------------------------------------------------------

#[derive(Clone, Copy)]
struct Pw {
    e: [f32; 3],
    g: f32,
    l: [f32; 2],
}

const PWS: [Pw; 4] = [
    // sRGB decode.
    Pw {
        e: [1.0 / 1.055, 0.055 / 1.055, 0.0],
        g: 2.4,
        l: [1.0 / 12.92, 0.0],
    },
    // sRGB encode-like.
    Pw {
        e: [1.0, 0.0, -0.055],
        g: 1.0 / 2.4,
        l: [12.92, 0.0],
    },
    // Negative bases (NaN powers) and offsets.
    Pw {
        e: [2.0, -0.5, 0.25],
        g: 1.7,
        l: [-1.0, 0.5],
    },
    Pw {
        e: [1.5, 0.1, 0.0],
        g: 3.0,
        l: [0.5, -0.2],
    },
];

/// The documented curve: f32 linear steps, the power in f64 rounded once.
fn pw_curve(p: Pw, x: f32, below: bool) -> f32 {
    if below {
        p.l[0] * x + p.l[1]
    } else {
        ((p.e[0] * x + p.e[1]) as f64).powf(p.g as f64) as f32 + p.e[2]
    }
}

fn pw_sym(p: Pw, x: f32, below: bool) -> f32 {
    let t = pw_curve(p, x.abs(), below);
    let t = if t > 0.0 { t } else { 0.0 };
    if x.is_sign_negative() { -t } else { t }
}

/// The curve in f64 throughout (for the accuracy bound).
fn pw_f64(p: Pw, x: f64, below: bool) -> f64 {
    if below {
        p.l[0] as f64 * x + p.l[1] as f64
    } else {
        (p.e[0] as f64 * x + p.e[1] as f64).powf(p.g as f64) + p.e[2] as f64
    }
}

fn q12(r: f32) -> i16 {
    let v = (r * 4096.0 + 0.5).floor();
    if v.is_nan() {
        0
    } else {
        v.clamp(-32768.0, 32767.0) as i16
    }
}

type Pg8 = unsafe extern "C" fn(
    *const vImage_Buffer,
    *const vImage_Buffer,
    *const f32,
    f32,
    *const f32,
    u8,
    vImage_Flags,
) -> vImage_Error;
type PgQ = unsafe extern "C" fn(
    *const vImage_Buffer,
    *const vImage_Buffer,
    *const f32,
    f32,
    *const f32,
    i16,
    vImage_Flags,
) -> vImage_Error;
type PgF = unsafe extern "C" fn(
    *const vImage_Buffer,
    *const vImage_Buffer,
    *const f32,
    f32,
    *const f32,
    f32,
    vImage_Flags,
) -> vImage_Error;

/// Decodes an output sample of `bytes` bytes as the float it stands for, for comparisons.
fn store_ok(bytes: &[u8], r: f32) -> bool {
    match bytes.len() {
        1 => bytes[0] == unit_to8(r),
        2 => i16::from_ne_bytes([bytes[0], bytes[1]]) == q12(r),
        _ => {
            let g = f32::from_ne_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
            g.to_bits() == r.to_bits() || (g.is_nan() && r.is_nan())
        }
    }
}

#[test]
fn piecewise_gamma_from_8bit_every_input() {
    let cases: [(Pg8, usize); 3] = [
        (vImagePiecewiseGamma_Planar8, 1),
        (vImagePiecewiseGamma_Planar8toPlanar16Q12, 2),
        (vImagePiecewiseGamma_Planar8toPlanarF, 4),
    ];
    let mut worst = 0f64;
    for (f, ob) in cases {
        for p in PWS {
            for bound in [0u8, 10, 128, 255] {
                // SAFETY: live buffers and coefficient arrays.
                let got = apply(&every_u8(), ob, 15, &|a, b, fl| unsafe {
                    f(a, b, p.e.as_ptr(), p.g, p.l.as_ptr(), bound, fl)
                });
                for (v, g) in got.iter().enumerate() {
                    let x = v as f32 / 255.0;
                    let r = pw_curve(p, x, (v as u8) < bound);
                    assert!(store_ok(g, r), "out {ob} v {v} bound {bound}: {g:?} vs {r}");
                    if ob == 4 && r.is_finite() {
                        let e = (r as f64 - pw_f64(p, v as f64 / 255.0, (v as u8) < bound)).abs();
                        worst = worst.max(e / r.abs().max(1.0) as f64);
                    }
                }
            }
        }
    }
    // Error of the f32 result against pure f64, relative above 1 and absolute below.
    eprintln!("piecewise gamma from 8-bit: worst error against f64 {worst:e}");
    assert!(worst < 1e-6, "worst error {worst}");
}

#[test]
fn piecewise_gamma_from_16q12_every_input() {
    let cases: [(PgQ, usize, bool); 3] = [
        (vImagePiecewiseGamma_Planar16Q12, 2, false),
        (vImagePiecewiseGamma_Planar16Q12toPlanar8, 1, false),
        (vImageSymmetricPiecewiseGamma_Planar16Q12, 2, true),
    ];
    for (f, ob, sym) in cases {
        for p in PWS {
            for bound in [-4096i16, 0, 100, 4096] {
                // SAFETY: live buffers and coefficient arrays.
                let got = apply(&every_q12(), ob, 256, &|a, b, fl| unsafe {
                    f(a, b, p.e.as_ptr(), p.g, p.l.as_ptr(), bound, fl)
                });
                for (i, g) in got.iter().enumerate() {
                    let v = i16::MIN as i32 + i as i32;
                    let x = v as f32 / 4096.0;
                    let r = if sym {
                        pw_sym(p, x, v.abs() < bound as i32)
                    } else {
                        pw_curve(p, x, v < bound as i32)
                    };
                    assert!(
                        store_ok(g, r),
                        "out {ob} sym {sym} v {v} bound {bound}: {g:?} vs {r}"
                    );
                }
            }
        }
    }
}

#[test]
fn piecewise_gamma_from_float() {
    let src = float_samples();
    let xs = f32s(&src);
    let cases: [(PgF, usize, bool); 3] = [
        (vImagePiecewiseGamma_PlanarF, 4, false),
        (vImagePiecewiseGamma_PlanarFtoPlanar8, 1, false),
        (vImageSymmetricPiecewiseGamma_PlanarF, 4, true),
    ];
    for (f, ob, sym) in cases {
        for p in PWS {
            for bound in [0.0f32, 0.04045, 0.5, f32::INFINITY] {
                // SAFETY: live buffers and coefficient arrays.
                let got = apply(&src, ob, 64, &|a, b, fl| unsafe {
                    f(a, b, p.e.as_ptr(), p.g, p.l.as_ptr(), bound, fl)
                });
                for (x, g) in xs.iter().zip(&got) {
                    let r = if sym {
                        pw_sym(p, *x, x.abs() < bound)
                    } else {
                        pw_curve(p, *x, *x < bound)
                    };
                    assert!(
                        store_ok(g, r),
                        "out {ob} sym {sym} x {x} bound {bound}: {g:?} vs {r}"
                    );
                }
            }
        }
    }
}

#[test]
fn piecewise_gamma_in_place_and_errors() {
    let p = PWS[0];
    let mut rng = Rng(5);
    let mut s = Img::new(600, 300, 4, 8);
    for y in 0..s.h {
        for x in 0..s.w {
            let o = LEAD + y * s.rb + x * 4;
            s.buf[o..o + 4].copy_from_slice(&rng.float(-0.5, 1.5).to_ne_bytes());
        }
    }
    let mut d = Img::new(600, 300, 4, 0);
    let mut ip = s.clone();
    // SAFETY: live buffers and coefficient arrays.
    unsafe {
        assert_eq!(
            vImagePiecewiseGamma_PlanarF(
                &s.vb(),
                &d.vb(),
                p.e.as_ptr(),
                p.g,
                p.l.as_ptr(),
                0.04,
                0
            ),
            0
        );
        let b = ip.vb();
        assert_eq!(
            vImagePiecewiseGamma_PlanarF(&b, &b, p.e.as_ptr(), p.g, p.l.as_ptr(), 0.04, 0),
            0
        );
    }
    assert_eq!(ip.samples(), d.samples());
    let mut small = Img::new(3, 3, 4, 0);
    let mut big = Img::new(4, 3, 4, 0);
    // SAFETY: NULL or live arguments.
    unsafe {
        assert_eq!(
            vImagePiecewiseGamma_PlanarF(
                &small.vb(),
                &big.vb(),
                p.e.as_ptr(),
                p.g,
                p.l.as_ptr(),
                0.0,
                0
            ),
            kvImageBufferSizeMismatch
        );
        assert_eq!(
            vImagePiecewiseGamma_PlanarF(
                &small.vb(),
                &small.vb(),
                std::ptr::null(),
                p.g,
                p.l.as_ptr(),
                0.0,
                0
            ),
            kvImageNullPointerArgument
        );
        assert_eq!(
            vImagePiecewiseGamma_PlanarF(
                &small.vb(),
                &small.vb(),
                p.e.as_ptr(),
                p.g,
                std::ptr::null(),
                0.0,
                0
            ),
            kvImageNullPointerArgument
        );
        assert_eq!(
            vImagePiecewiseGamma_PlanarF(
                &small.vb(),
                &small.vb(),
                p.e.as_ptr(),
                p.g,
                p.l.as_ptr(),
                0.0,
                kvImageGetTempBufferSize
            ),
            0
        );
        assert_eq!(
            vImagePiecewiseGamma_PlanarF(
                &small.vb(),
                &small.vb(),
                p.e.as_ptr(),
                p.g,
                p.l.as_ptr(),
                0.0,
                1 << 20
            ),
            kvImageUnknownFlagsBit
        );
        let b = big.vb();
        let shifted = vImage_Buffer {
            rowBytes: b.rowBytes + 4,
            ..b
        };
        assert_eq!(
            vImagePiecewiseGamma_PlanarF(&shifted, &b, p.e.as_ptr(), p.g, p.l.as_ptr(), 0.0, 0),
            kvImageInvalidParameter,
            "IP-A only"
        );
    }
}

// ---- polynomials and rationals ------------------------------------------------------------

struct Poly {
    bounds: Vec<f32>,
    coeffs: Vec<Vec<f32>>,
}

impl Poly {
    fn segment(&self, x: f32) -> (f32, usize) {
        let n = self.bounds.len() - 1;
        let x = x.max(self.bounds[0]).min(self.bounds[n]);
        let mut i = 0;
        while i + 1 < n && x >= self.bounds[i + 1] {
            i += 1;
        }
        (x, i)
    }
    fn horner(c: &[f32], x: f32) -> f32 {
        let mut acc = 0.0f32;
        for (k, &ck) in c.iter().enumerate().rev() {
            acc = if k == c.len() - 1 { ck } else { acc * x + ck };
        }
        acc
    }
    fn eval(&self, x: f32) -> f32 {
        if x.is_nan() {
            return x;
        }
        let (x, i) = self.segment(x);
        Self::horner(&self.coeffs[i], x)
    }
    fn ptrs(&self) -> Vec<*const f32> {
        self.coeffs.iter().map(|c| c.as_ptr()).collect()
    }
}

fn polys() -> Vec<Poly> {
    vec![
        Poly {
            bounds: vec![0.0, 0.00304, 1.0],
            coeffs: vec![vec![0.0, 12.92, 0.0], vec![-0.055, 1.2, -0.15]],
        },
        Poly {
            bounds: vec![f32::NEG_INFINITY, f32::INFINITY],
            coeffs: vec![vec![0.5, -1.0, 0.25, 0.125]],
        },
        Poly {
            bounds: vec![-2.0, -1.0, 0.0, 0.5, 3.0],
            coeffs: vec![
                vec![1.0, 2.0],
                vec![-1.0, 0.5],
                vec![0.0, 1.0],
                vec![3.0, -0.5],
            ],
        },
        Poly {
            bounds: vec![0.0, 64.0, 128.0, 192.0, 255.0],
            coeffs: vec![
                vec![0.0, 1.5],
                vec![255.0, -1.0],
                vec![10.0, 0.5],
                vec![300.0, 0.0],
            ],
        },
    ]
}

#[test]
fn piecewise_polynomials_match_horner() {
    let src = float_samples();
    let xs = f32s(&src);
    let mut big: Vec<Vec<u8>> = src.clone();
    big.extend((0..=255).map(|v| (v as f32 * 1.01).to_ne_bytes().to_vec()));
    let xb = f32s(&big);
    for p in polys() {
        let mut c = p.ptrs();
        let cp = c.as_mut_ptr();
        let (order, log2) = (
            (p.coeffs[0].len() - 1) as u32,
            (p.coeffs.len().trailing_zeros()),
        );
        let bp = p.bounds.as_ptr();
        // SAFETY: live buffers, N coefficient arrays, N + 1 boundaries.
        let got = f32s(&apply(&src, 4, 33, &|a, b, fl| unsafe {
            vImagePiecewisePolynomial_PlanarF(a, b, cp, bp, order, log2, fl)
        }));
        for (x, g) in xs.iter().zip(&got) {
            let w = p.eval(*x);
            assert!(
                g.to_bits() == w.to_bits() || (g.is_nan() && w.is_nan()),
                "x {x}: {g} vs {w}"
            );
        }
        // SAFETY: as above.
        let got = f32s(&apply(&src, 4, 33, &|a, b, fl| unsafe {
            vImageSymmetricPiecewisePolynomial_PlanarF(a, b, cp, bp, order, log2, fl)
        }));
        for (x, g) in xs.iter().zip(&got) {
            let r = p.eval(x.abs());
            let w = if x.is_sign_negative() { -r } else { r };
            assert!(
                g.to_bits() == w.to_bits() || (g.is_nan() && w.is_nan()),
                "symmetric x {x}: {g} vs {w}"
            );
        }
        // SAFETY: as above.
        let got = f32s(&apply(&every_u8(), 4, 8, &|a, b, fl| unsafe {
            vImagePiecewisePolynomial_Planar8toPlanarF(a, b, cp, bp, order, log2, fl)
        }));
        for (v, g) in got.iter().enumerate() {
            assert_eq!(g.to_bits(), p.eval(v as f32).to_bits(), "8-bit {v}");
        }
        // SAFETY: as above.
        let got = apply(&big, 1, 33, &|a, b, fl| unsafe {
            vImagePiecewisePolynomial_PlanarFtoPlanar8(a, b, cp, bp, order, log2, fl)
        });
        for (x, g) in xb.iter().zip(&got) {
            let r = p.eval(*x);
            let want = if r > 0.0 {
                if r >= 255.0 { 255 } else { (r + 0.5) as u8 }
            } else {
                0
            };
            assert_eq!(g[0], want, "to 8-bit x {x}");
        }
        // The rational of this polynomial over a constant-plus-x bottom.
        let bottom = Poly {
            bounds: p.bounds.clone(),
            coeffs: p.coeffs.iter().map(|_| vec![2.0, 0.25]).collect(),
        };
        let mut bc = bottom.ptrs();
        let bcp = bc.as_mut_ptr();
        // SAFETY: as above.
        let got = f32s(&apply(&src, 4, 33, &|a, b, fl| unsafe {
            vImagePiecewiseRational_PlanarF(a, b, cp, bcp, bp, order, 1, log2, fl)
        }));
        for (x, g) in xs.iter().zip(&got) {
            let w = if x.is_nan() {
                *x
            } else {
                let (xc, i) = p.segment(*x);
                Poly::horner(&p.coeffs[i], xc) / Poly::horner(&bottom.coeffs[i], xc)
            };
            assert!(
                g.to_bits() == w.to_bits() || (g.is_nan() && w.is_nan()),
                "rational x {x}: {g} vs {w}"
            );
        }
    }
}

#[test]
fn polynomial_errors() {
    let p = &polys()[0];
    let mut c = p.ptrs();
    let mut s = Img::new(3, 3, 4, 0);
    let mut d = Img::new(3, 3, 1, 0);
    let mut nulls = [std::ptr::null::<f32>(); 2];
    // SAFETY: NULL or live arguments.
    unsafe {
        assert_eq!(
            vImagePiecewisePolynomial_PlanarF(
                &s.vb(),
                &s.vb(),
                std::ptr::null_mut(),
                p.bounds.as_ptr(),
                2,
                1,
                0
            ),
            kvImageNullPointerArgument
        );
        assert_eq!(
            vImagePiecewisePolynomial_PlanarF(
                &s.vb(),
                &s.vb(),
                c.as_mut_ptr(),
                std::ptr::null(),
                2,
                1,
                0
            ),
            kvImageNullPointerArgument
        );
        assert_eq!(
            vImagePiecewisePolynomial_PlanarF(
                &s.vb(),
                &s.vb(),
                nulls.as_mut_ptr(),
                p.bounds.as_ptr(),
                2,
                1,
                0
            ),
            kvImageNullPointerArgument
        );
        assert_eq!(
            vImagePiecewisePolynomial_PlanarF(
                &s.vb(),
                &s.vb(),
                c.as_mut_ptr(),
                p.bounds.as_ptr(),
                2,
                40,
                0
            ),
            kvImageInvalidParameter
        );
        assert_eq!(
            vImagePiecewisePolynomial_PlanarFtoPlanar8(
                &s.vb(),
                &d.vb(),
                c.as_mut_ptr(),
                p.bounds.as_ptr(),
                2,
                1,
                kvImageGetTempBufferSize
            ),
            0
        );
        let b = s.vb();
        let as8 = vImage_Buffer { width: 3, ..b };
        assert_eq!(
            vImagePiecewisePolynomial_PlanarFtoPlanar8(
                &b,
                &as8,
                c.as_mut_ptr(),
                p.bounds.as_ptr(),
                2,
                1,
                0
            ),
            kvImageInvalidParameter,
            "not in place"
        );
    }
}
