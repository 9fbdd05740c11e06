//! Histogram.h through the exported C functions, against direct counts and direct formulas
//! written here (brute-force searches, not the library's cumulative tables): histograms of
//! every geometry (1x1, 1xN, Nx1, odd widths, padded rows, an image large enough to tile);
//! equalization, contrast stretch, ends-in stretch and specification of 8-bit and float
//! images; LeaveAlphaUnchanged; in place; tiled == kvImageDoNotTile; the temp-buffer query;
//! the documented errors.

#![allow(non_snake_case)]
#![allow(
    clippy::needless_range_loop,
    clippy::type_complexity,
    clippy::neg_cmp_op_on_partial_ord,
    clippy::manual_is_multiple_of,
    clippy::manual_clamp
)]

use vimage::ffi::vimage_histogram::*;
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
    fn byte(&mut self) -> u8 {
        (self.next() >> 24) as u8
    }
    /// A float in [lo, hi).
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
    fn vb(&mut self) -> vImage_Buffer {
        vImage_Buffer {
            data: self.buf[LEAD..].as_mut_ptr().cast(),
            height: self.h as _,
            width: self.w as _,
            rowBytes: self.rb,
        }
    }
    fn row(&self, y: usize) -> &[u8] {
        let s = LEAD + y * self.rb;
        &self.buf[s..s + self.w * self.bpp]
    }
    fn row_mut(&mut self, y: usize) -> &mut [u8] {
        let s = LEAD + y * self.rb;
        &mut self.buf[s..s + self.w * self.bpp]
    }
    /// 8-bit samples, rows packed.
    fn bytes(&self) -> Vec<u8> {
        (0..self.h).flat_map(|y| self.row(y).to_vec()).collect()
    }
    fn floats(&self) -> Vec<f32> {
        self.bytes()
            .chunks_exact(4)
            .map(|b| f32::from_ne_bytes([b[0], b[1], b[2], b[3]]))
            .collect()
    }
    fn fill_bytes(&mut self, f: &mut impl FnMut() -> u8) {
        for y in 0..self.h {
            for b in self.row_mut(y) {
                *b = f();
            }
        }
    }
    fn fill_floats(&mut self, f: &mut impl FnMut() -> f32) {
        for y in 0..self.h {
            for b in self.row_mut(y).chunks_exact_mut(4) {
                b.copy_from_slice(&f().to_ne_bytes());
            }
        }
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

/// (w, h, pad): 1x1, odd widths, 1xN, Nx1, padded rows, and one large enough to tile.
const GEOMS: [(usize, usize, usize); 7] = [
    (1, 1, 0),
    (7, 3, 5),
    (33, 5, 0),
    (1, 9, 3),
    (9, 1, 0),
    (17, 4, 64),
    (521, 257, 7),
];

/// Sample `i` (of `channels`) of every pixel.
fn channel<T: Copy>(v: &[T], channels: usize, c: usize) -> Vec<T> {
    v.iter().skip(c).step_by(channels).copied().collect()
}

/// Apple's float bin, written out.
fn bin(x: f32, entries: u32, min: f32, max: f32) -> usize {
    let v = entries as f32 * (x - min) / (max - min);
    let v = if v > 0.0 { v } else { 0.0 };
    let v = if v < (entries - 1) as f32 {
        v
    } else {
        (entries - 1) as f32
    };
    v as usize
}

// ---- histograms ---------------------------------------------------------------------------

#[test]
fn histogram_8bit_is_the_direct_count() {
    let mut rng = Rng(0x1234_5678_9abc_def1);
    for (w, h, pad) in GEOMS {
        for bpp in [1usize, 4] {
            let mut s = Img::new(w, h, bpp, pad);
            // Skewed samples so some levels are absent and some frequent.
            s.fill_bytes(&mut || {
                let b = rng.byte();
                if b & 1 == 0 { b >> 3 } else { b }
            });
            let px = s.bytes();
            for flags in [0, kvImageDoNotTile, kvImageLeaveAlphaUnchanged] {
                let mut hist = vec![[7 as vImagePixelCount; 256]; 4];
                let r = if bpp == 1 {
                    // SAFETY: a live buffer and a 256-entry histogram.
                    unsafe {
                        vImageHistogramCalculation_Planar8(&s.vb(), hist[0].as_mut_ptr(), flags)
                    }
                } else {
                    let mut ptrs: Vec<*mut vImagePixelCount> =
                        hist.iter_mut().map(|h| h.as_mut_ptr()).collect();
                    // SAFETY: a live buffer and four 256-entry histograms.
                    unsafe {
                        vImageHistogramCalculation_ARGB8888(&s.vb(), ptrs.as_mut_ptr(), flags)
                    }
                };
                assert_eq!(r, 0);
                for c in 0..bpp {
                    if bpp == 4 && c == 0 && flags == kvImageLeaveAlphaUnchanged {
                        assert!(hist[0].iter().all(|&v| v == 7), "alpha histogram untouched");
                        continue;
                    }
                    let mut want = [0 as vImagePixelCount; 256];
                    for v in channel(&px, bpp, c) {
                        want[v as usize] += 1;
                    }
                    assert_eq!(hist[c], want, "{w}x{h} bpp {bpp} channel {c}");
                }
            }
            assert!(s.guards_ok());
        }
    }
}

#[test]
fn histogram_float_is_the_direct_binning() {
    let mut rng = Rng(99);
    let specials = [
        f32::NAN,
        f32::INFINITY,
        f32::NEG_INFINITY,
        -0.0,
        0.0,
        1.0,
        0.5,
        -3.0,
        7.0,
        f32::MIN_POSITIVE,
    ];
    for (w, h, pad) in GEOMS {
        for bpp in [4usize, 16] {
            for (entries, min, max) in [
                (256u32, 0.0f32, 1.0f32),
                (10, -1.0, 3.0),
                (1, 0.0, 1.0),
                (4096, -2.0, 2.0),
                (3, 0.5, 0.5),
            ] {
                let mut s = Img::new(w, h, bpp, pad);
                let mut k = 0;
                s.fill_floats(&mut || {
                    k += 1;
                    if k % 11 == 0 {
                        specials[k / 11 % specials.len()]
                    } else {
                        rng.float(-1.5, 3.5)
                    }
                });
                let px = s.floats();
                let mut hist = vec![vec![9 as vImagePixelCount; entries as usize]; 4];
                for flags in [0, kvImageDoNotTile] {
                    let r = if bpp == 4 {
                        // SAFETY: a live buffer and an `entries`-entry histogram.
                        unsafe {
                            vImageHistogramCalculation_PlanarF(
                                &s.vb(),
                                hist[0].as_mut_ptr(),
                                entries,
                                min,
                                max,
                                flags,
                            )
                        }
                    } else {
                        let mut ptrs: Vec<*mut vImagePixelCount> =
                            hist.iter_mut().map(|h| h.as_mut_ptr()).collect();
                        // SAFETY: a live buffer and four `entries`-entry histograms.
                        unsafe {
                            vImageHistogramCalculation_ARGBFFFF(
                                &s.vb(),
                                ptrs.as_mut_ptr(),
                                entries,
                                min,
                                max,
                                flags,
                            )
                        }
                    };
                    assert_eq!(r, 0);
                    for c in 0..bpp / 4 {
                        let mut want = vec![0 as vImagePixelCount; entries as usize];
                        for x in channel(&px, bpp / 4, c) {
                            want[bin(x, entries, min, max)] += 1;
                        }
                        assert_eq!(hist[c], want, "{w}x{h} entries {entries} channel {c}");
                    }
                }
            }
        }
    }
}

#[test]
fn histogram_errors() {
    let mut s = Img::new(4, 3, 4, 0);
    let mut hist = vec![0 as vImagePixelCount; 256];
    let hp = hist.as_mut_ptr();
    // SAFETY: NULL or live arguments throughout.
    unsafe {
        assert_eq!(
            vImageHistogramCalculation_Planar8(std::ptr::null(), hp, 0),
            kvImageNullPointerArgument
        );
        assert_eq!(
            vImageHistogramCalculation_Planar8(&s.vb(), std::ptr::null_mut(), 0),
            kvImageNullPointerArgument
        );
        assert_eq!(
            vImageHistogramCalculation_Planar8(&s.vb(), hp, 1 << 20),
            kvImageUnknownFlagsBit
        );
        assert_eq!(
            vImageHistogramCalculation_PlanarF(&s.vb(), hp, 0, 0.0, 1.0, 0),
            kvImageInvalidParameter
        );
        assert_eq!(
            vImageHistogramCalculation_PlanarF(&s.vb(), hp, 16, 1.0, 0.0, 0),
            kvImageInvalidParameter
        );
        assert_eq!(
            vImageHistogramCalculation_PlanarF(&s.vb(), hp, 16, f32::NAN, 1.0, 0),
            kvImageInvalidParameter
        );
        let mut ptrs = [hp, hp, std::ptr::null_mut(), hp];
        assert_eq!(
            vImageHistogramCalculation_ARGB8888(&s.vb(), ptrs.as_mut_ptr(), 0),
            kvImageNullPointerArgument
        );
        assert_eq!(
            vImageHistogramCalculation_ARGB8888(&s.vb(), std::ptr::null_mut(), 0),
            kvImageNullPointerArgument
        );
        // LeaveAlphaUnchanged: histogram[0] may be NULL.
        let mut ptrs = [std::ptr::null_mut(), hp, hp, hp];
        assert_eq!(
            vImageHistogramCalculation_ARGB8888(
                &s.vb(),
                ptrs.as_mut_ptr(),
                kvImageLeaveAlphaUnchanged
            ),
            0
        );
        let mut sf = Img::new(4, 3, 16, 0);
        assert_eq!(
            vImageHistogramCalculation_ARGBFFFF(
                &sf.vb(),
                ptrs.as_mut_ptr(),
                256,
                0.0,
                1.0,
                kvImageLeaveAlphaUnchanged
            ),
            0
        );
        // The temp-buffer query does no work.
        hist.iter_mut().for_each(|v| *v = 5);
        assert_eq!(
            vImageHistogramCalculation_Planar8(
                &s.vb(),
                hist.as_mut_ptr(),
                kvImageGetTempBufferSize
            ),
            0
        );
        assert!(hist.iter().all(|&v| v == 5));
    }
}

// ---- 8-bit transforms: direct references --------------------------------------------------

fn count8(v: &[u8]) -> [u64; 256] {
    let mut h = [0u64; 256];
    for &x in v {
        h[x as usize] += 1;
    }
    h
}

/// round(a / b) with ties up, in integers.
fn round_div(a: u128, b: u128) -> u64 {
    ((2 * a + b) / (2 * b)) as u64
}

fn equalize_ref(v: &[u8]) -> Vec<u8> {
    let n = v.len() as u128;
    v.iter()
        .map(|&x| {
            let le = v.iter().filter(|&&y| y <= x).count() as u128;
            round_div(255 * le, n) as u8
        })
        .collect()
}

/// The ends-in stretch, by brute-force counting.
fn ends_in_ref(v: &[u8], pl: u32, ph: u32) -> Vec<u8> {
    let n = v.len() as u128;
    let (mn, mx) = (*v.iter().min().unwrap(), *v.iter().max().unwrap());
    if mn == mx {
        return v.to_vec();
    }
    let below = |l: usize| v.iter().filter(|&&y| (y as usize) < l).count() as u128;
    let above = |l: usize| v.iter().filter(|&&y| (y as usize) > l).count() as u128;
    let lo = (0..256)
        .filter(|&l| below(l) * 100 <= n * pl as u128)
        .max()
        .unwrap();
    let hi = (0..256)
        .filter(|&l| above(l) * 100 <= n * ph as u128)
        .min()
        .unwrap();
    v.iter()
        .map(|&x| {
            let x = x as usize;
            if lo >= hi {
                if x > (lo + hi) / 2 { 255 } else { 0 }
            } else if x <= lo {
                0
            } else if x >= hi {
                255
            } else {
                round_div(255 * (x - lo) as u128, (hi - lo) as u128) as u8
            }
        })
        .collect()
}

fn specify_ref(v: &[u8], desired: &[u64; 256]) -> Vec<u8> {
    let ns = v.len() as u128;
    let nd: u128 = desired.iter().map(|&d| d as u128).sum();
    v.iter()
        .map(|&x| {
            let cs = v.iter().filter(|&&y| y <= x).count() as u128;
            (0..256)
                .find(|&z| desired[..=z].iter().map(|&d| d as u128).sum::<u128>() * ns >= cs * nd)
                .unwrap_or(255) as u8
        })
        .collect()
}

type Fn8 =
    unsafe extern "C" fn(*const vImage_Buffer, *const vImage_Buffer, vImage_Flags) -> vImage_Error;

/// Runs `f` out of place (tiled and not) and in place; checks each against `want`.
fn check8(
    s: &mut Img,
    want: &[u8],
    run: &dyn Fn(&vImage_Buffer, &vImage_Buffer, vImage_Flags) -> vImage_Error,
    flags: vImage_Flags,
) {
    for extra in [0, kvImageDoNotTile] {
        let mut d = Img::new(s.w, s.h, s.bpp, 3);
        assert_eq!(run(&s.vb(), &d.vb(), flags | extra), 0);
        assert_eq!(
            d.bytes(),
            want,
            "{}x{} bpp {} flags {flags:#x}",
            s.w,
            s.h,
            s.bpp
        );
        assert!(d.guards_ok());
    }
    let mut ip = s.clone();
    let b = ip.vb();
    assert_eq!(run(&b, &b, flags), 0);
    assert_eq!(ip.bytes(), want, "in place");
    assert!(ip.guards_ok());
}

fn small_images(seed: u64) -> Vec<Img> {
    let mut rng = Rng(seed);
    let mut out = Vec::new();
    for (w, h, pad) in GEOMS {
        if w * h > 4096 {
            continue;
        }
        for bpp in [1usize, 4] {
            let mut s = Img::new(w, h, bpp, pad);
            let (a, b) = (rng.byte() / 2, rng.byte() / 2 + 128);
            s.fill_bytes(&mut || a + (rng.next() % (b - a + 1) as u64) as u8);
            out.push(s);
        }
    }
    // A constant image and a two-level image.
    let mut c = Img::new(5, 3, 1, 1);
    c.fill_bytes(&mut || 77);
    out.push(c);
    let mut t = Img::new(6, 2, 1, 0);
    let mut k = 0u8;
    t.fill_bytes(&mut || {
        k = k.wrapping_add(1);
        if k % 2 == 0 { 5 } else { 7 }
    });
    out.push(t);
    out
}

/// Per channel reference for planar or ARGB images (`leave_alpha` copies channel 0).
fn per_channel(s: &Img, leave_alpha: bool, f: &dyn Fn(usize, &[u8]) -> Vec<u8>) -> Vec<u8> {
    let px = s.bytes();
    let mut out = px.clone();
    for c in 0..s.bpp {
        if s.bpp == 4 && c == 0 && leave_alpha {
            continue;
        }
        let r = f(c, &channel(&px, s.bpp, c));
        for (i, v) in r.into_iter().enumerate() {
            out[i * s.bpp + c] = v;
        }
    }
    out
}

#[test]
fn equalization_and_contrast_stretch_8bit_match_the_formulas() {
    let cases: [(Fn8, Fn8, &dyn Fn(&[u8]) -> Vec<u8>); 2] = [
        (
            vImageEqualization_Planar8,
            vImageEqualization_ARGB8888,
            &equalize_ref,
        ),
        (
            vImageContrastStretch_Planar8,
            vImageContrastStretch_ARGB8888,
            &|v| ends_in_ref(v, 0, 0),
        ),
    ];
    for (planar, argb, reference) in cases {
        for mut s in small_images(5) {
            for flags in [0, kvImageLeaveAlphaUnchanged] {
                let want = per_channel(&s, flags != 0, &|_, v| reference(v));
                let f = if s.bpp == 1 { planar } else { argb };
                // SAFETY: live buffers.
                check8(&mut s, &want, &|a, b, fl| unsafe { f(a, b, fl) }, flags);
            }
        }
    }
}

#[test]
fn ends_in_contrast_stretch_8bit_matches_brute_force() {
    for mut s in small_images(6) {
        for (pl, ph) in [
            (0u32, 0u32),
            (1, 1),
            (5, 20),
            (50, 50),
            (0, 100),
            (33, 0),
            (40, 40),
        ] {
            let want = per_channel(&s, false, &|_, v| ends_in_ref(v, pl, ph));
            if s.bpp == 1 {
                // SAFETY: live buffers.
                check8(
                    &mut s,
                    &want,
                    &|a, b, fl| unsafe { vImageEndsInContrastStretch_Planar8(a, b, pl, ph, fl) },
                    0,
                );
            } else {
                let lo = [pl, ph, pl, 0];
                let hi = [ph, pl, 0, ph];
                let want = per_channel(&s, true, &|c, v| ends_in_ref(v, lo[c], hi[c]));
                // SAFETY: live buffers and 4-entry arrays.
                check8(
                    &mut s,
                    &want,
                    &|a, b, fl| unsafe {
                        vImageEndsInContrastStretch_ARGB8888(a, b, lo.as_ptr(), hi.as_ptr(), fl)
                    },
                    kvImageLeaveAlphaUnchanged,
                );
            }
        }
    }
}

#[test]
fn histogram_specification_8bit_matches_brute_force() {
    let mut rng = Rng(17);
    for mut s in small_images(7) {
        let desired: [[u64; 256]; 4] = std::array::from_fn(|k| {
            std::array::from_fn(|i| match k {
                0 => 1,
                1 => (i as u64 * 7) % 5,
                2 => rng.next() % 100,
                _ => u64::from(i == 200),
            })
        });
        let dp: Vec<[vImagePixelCount; 256]> = desired
            .iter()
            .map(|d| d.map(|v| v as vImagePixelCount))
            .collect();
        if s.bpp == 1 {
            for d in 0..4 {
                let want = specify_ref(&s.bytes(), &desired[d]);
                // SAFETY: live buffers and a 256-entry histogram.
                check8(
                    &mut s,
                    &want,
                    &|a, b, fl| unsafe {
                        vImageHistogramSpecification_Planar8(a, b, dp[d].as_ptr(), fl)
                    },
                    0,
                );
            }
            // Specifying an image's own histogram keeps every present level.
            let own = count8(&s.bytes());
            let ownp = own.map(|v| v as vImagePixelCount);
            let same = s.bytes();
            // SAFETY: as above.
            check8(
                &mut s,
                &same,
                &|a, b, fl| unsafe {
                    vImageHistogramSpecification_Planar8(a, b, ownp.as_ptr(), fl)
                },
                0,
            );
        } else {
            let mut ptrs: Vec<*const vImagePixelCount> = dp.iter().map(|d| d.as_ptr()).collect();
            let pp = ptrs.as_mut_ptr();
            for flags in [0, kvImageLeaveAlphaUnchanged] {
                let want = per_channel(&s, flags != 0, &|c, v| specify_ref(v, &desired[c]));
                // SAFETY: live buffers and four 256-entry histograms.
                check8(
                    &mut s,
                    &want,
                    &|a, b, fl| unsafe { vImageHistogramSpecification_ARGB8888(a, b, pp, fl) },
                    flags,
                );
            }
        }
    }
}

#[test]
fn tiled_equals_do_not_tile_on_a_large_image() {
    let mut rng = Rng(3);
    let mut s = Img::new(700, 400, 4, 12);
    s.fill_bytes(&mut || rng.byte() / 3 + 40);
    let fns: [Fn8; 2] = [vImageEqualization_ARGB8888, vImageContrastStretch_ARGB8888];
    for (k, f) in fns.into_iter().enumerate() {
        let (mut a, mut b) = (Img::new(700, 400, 4, 0), Img::new(700, 400, 4, 0));
        // SAFETY: live buffers.
        unsafe {
            assert_eq!(f(&s.vb(), &a.vb(), 0), 0);
            assert_eq!(f(&s.vb(), &b.vb(), kvImageDoNotTile), 0);
        }
        assert_eq!(a.bytes(), b.bytes());
        let want = per_channel(&s, false, &|_, v| {
            if k == 0 {
                // The count-based formula (brute force is too slow at this size).
                let h = count8(v);
                let n = v.len() as u128;
                let c: Vec<u128> = h
                    .iter()
                    .scan(0u128, |a, &x| {
                        *a += x as u128;
                        Some(*a)
                    })
                    .collect();
                v.iter()
                    .map(|&x| round_div(255 * c[x as usize], n) as u8)
                    .collect()
            } else {
                let (mn, mx) = (
                    *v.iter().min().unwrap() as u128,
                    *v.iter().max().unwrap() as u128,
                );
                v.iter()
                    .map(|&x| round_div(255 * (x as u128 - mn), mx - mn) as u8)
                    .collect()
            }
        });
        assert_eq!(a.bytes(), want);
    }
}

#[test]
fn transform_8bit_errors() {
    let mut s = Img::new(4, 3, 4, 0);
    let mut d = Img::new(5, 3, 4, 0);
    let mut d2 = Img::new(3, 3, 4, 0);
    let hist = [1 as vImagePixelCount; 256];
    let pl = [10u32, 10, 10, 10];
    let ph = [10u32, 91, 10, 10];
    // SAFETY: NULL or live arguments throughout.
    unsafe {
        assert_eq!(
            vImageEqualization_Planar8(std::ptr::null(), &d.vb(), 0),
            kvImageNullPointerArgument
        );
        assert_eq!(
            vImageEqualization_Planar8(&s.vb(), std::ptr::null(), 0),
            kvImageNullPointerArgument
        );
        assert_eq!(
            vImageEqualization_ARGB8888(&s.vb(), &d.vb(), 0),
            kvImageBufferSizeMismatch
        );
        assert_eq!(
            vImageContrastStretch_ARGB8888(&s.vb(), &d2.vb(), 0),
            kvImageBufferSizeMismatch
        );
        assert_eq!(
            vImageEndsInContrastStretch_Planar8(&s.vb(), &s.vb(), 50, 51, 0),
            kvImageInvalidParameter
        );
        assert_eq!(
            vImageEndsInContrastStretch_ARGB8888(&s.vb(), &s.vb(), pl.as_ptr(), ph.as_ptr(), 0),
            kvImageInvalidParameter
        );
        assert_eq!(
            vImageEndsInContrastStretch_ARGB8888(
                &s.vb(),
                &s.vb(),
                std::ptr::null(),
                ph.as_ptr(),
                0
            ),
            kvImageNullPointerArgument
        );
        assert_eq!(
            vImageHistogramSpecification_Planar8(&s.vb(), &s.vb(), std::ptr::null(), 0),
            kvImageNullPointerArgument
        );
        assert_eq!(
            vImageHistogramSpecification_Planar8(&s.vb(), &s.vb(), hist.as_ptr(), 1 << 20),
            kvImageUnknownFlagsBit
        );
        assert_eq!(
            vImageEqualization_Planar8(&s.vb(), &s.vb(), kvImageGetTempBufferSize),
            0
        );
    }
}

// ---- float transforms ---------------------------------------------------------------------

fn value(min: f32, max: f32, t: f64) -> f32 {
    (min as f64 + (max as f64 - min as f64) * t) as f32
}

fn equalize_f_ref(v: &[f32], e: u32, min: f32, max: f32) -> Vec<f32> {
    let n = v.len() as f64;
    let bins: Vec<usize> = v.iter().map(|&x| bin(x, e, min, max)).collect();
    bins.iter()
        .map(|&b| {
            value(
                min,
                max,
                bins.iter().filter(|&&c| c <= b).count() as f64 / n,
            )
        })
        .collect()
}

fn ends_in_f_ref(v: &[f32], e: u32, min: f32, max: f32, pl: u32, ph: u32) -> Vec<f32> {
    let n = v.len() as u128;
    let bins: Vec<usize> = v.iter().map(|&x| bin(x, e, min, max)).collect();
    let (bl, bh) = (*bins.iter().min().unwrap(), *bins.iter().max().unwrap());
    if bl == bh {
        return v.to_vec();
    }
    let e = e as usize;
    let below = |l: usize| bins.iter().filter(|&&y| y < l).count() as u128;
    let above = |l: usize| bins.iter().filter(|&&y| y > l).count() as u128;
    let lo = (0..e)
        .filter(|&l| below(l) * 100 <= n * pl as u128)
        .max()
        .unwrap();
    let hi = (0..e)
        .filter(|&l| above(l) * 100 <= n * ph as u128)
        .min()
        .unwrap();
    bins.iter()
        .map(|&x| {
            let t = if lo >= hi {
                if x > (lo + hi) / 2 { 1.0 } else { 0.0 }
            } else if x <= lo {
                0.0
            } else if x >= hi {
                1.0
            } else {
                (x - lo) as f64 / (hi - lo) as f64
            };
            value(min, max, t)
        })
        .collect()
}

fn specify_f_ref(v: &[f32], e: u32, min: f32, max: f32, desired: &[u64]) -> Vec<f32> {
    let ns = v.len() as u128;
    let nd: u128 = desired.iter().map(|&d| d as u128).sum();
    let bins: Vec<usize> = v.iter().map(|&x| bin(x, e, min, max)).collect();
    bins.iter()
        .map(|&b| {
            let cs = bins.iter().filter(|&&y| y <= b).count() as u128;
            let z = (0..e as usize)
                .find(|&z| desired[..=z].iter().map(|&d| d as u128).sum::<u128>() * ns >= cs * nd)
                .unwrap_or(e as usize - 1);
            value(
                min,
                max,
                if e == 1 {
                    0.0
                } else {
                    z as f64 / (e - 1) as f64
                },
            )
        })
        .collect()
}

fn stretch_f_ref(v: &[f32], min: f32, max: f32) -> Vec<f32> {
    let lo = v.iter().copied().fold(f32::INFINITY, f32::min);
    let hi = v.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    if !(hi > lo) {
        return v.to_vec();
    }
    let scale = (max - min) / (hi - lo);
    v.iter().map(|&x| (x - lo) * scale + min).collect()
}

fn per_channel_f(s: &Img, leave_alpha: bool, f: &dyn Fn(usize, &[f32]) -> Vec<f32>) -> Vec<u32> {
    let px = s.floats();
    let ch = s.bpp / 4;
    let mut out = px.clone();
    for c in 0..ch {
        if ch == 4 && c == 0 && leave_alpha {
            continue;
        }
        for (i, v) in f(c, &channel(&px, ch, c)).into_iter().enumerate() {
            out[i * ch + c] = v;
        }
    }
    out.iter().map(|v| v.to_bits()).collect()
}

fn bits(m: &Img) -> Vec<u32> {
    m.floats().iter().map(|v| v.to_bits()).collect()
}

#[test]
fn float_transforms_match_the_formulas() {
    let mut rng = Rng(0xfeed);
    for (w, h, pad) in GEOMS {
        if w * h > 4096 {
            continue;
        }
        for bpp in [4usize, 16] {
            let mut s = Img::new(w, h, bpp, pad);
            s.fill_floats(&mut || rng.float(-0.5, 1.5));
            for (e, min, max) in [(256u32, 0.0f32, 1.0f32), (7, -0.25, 1.25), (1, 0.0, 1.0)] {
                for flags in [0, kvImageLeaveAlphaUnchanged] {
                    let la = flags != 0;
                    let tmp = std::ptr::null_mut();
                    let pl = [3u32, 10, 0, 25];
                    let ph = [3u32, 0, 10, 25];
                    let desired: Vec<Vec<u64>> = (0..4)
                        .map(|k| (0..e as u64).map(|i| (i * (k + 3)) % 7 + 1).collect())
                        .collect();
                    let dp: Vec<Vec<vImagePixelCount>> = desired
                        .iter()
                        .map(|d| d.iter().map(|&v| v as vImagePixelCount).collect())
                        .collect();
                    let mut dptrs: Vec<*const vImagePixelCount> =
                        dp.iter().map(|d| d.as_ptr()).collect();
                    let dpp = dptrs.as_mut_ptr();
                    type Run<'a> = Box<
                        dyn Fn(&vImage_Buffer, &vImage_Buffer, vImage_Flags) -> vImage_Error + 'a,
                    >;
                    let planar = bpp == 4;
                    let cases: Vec<(Vec<u32>, Run)> = vec![
                        (
                            per_channel_f(&s, la, &|_, v| equalize_f_ref(v, e, min, max)),
                            // SAFETY: live buffers.
                            Box::new(move |a, b, f| unsafe {
                                if planar {
                                    vImageEqualization_PlanarF(a, b, tmp, e, min, max, f)
                                } else {
                                    vImageEqualization_ARGBFFFF(a, b, tmp, e, min, max, f)
                                }
                            }),
                        ),
                        (
                            per_channel_f(&s, la, &|_, v| stretch_f_ref(v, min, max)),
                            // SAFETY: live buffers.
                            Box::new(move |a, b, f| unsafe {
                                if planar {
                                    vImageContrastStretch_PlanarF(a, b, tmp, e, min, max, f)
                                } else {
                                    vImageContrastStretch_ARGBFFFF(a, b, tmp, e, min, max, f)
                                }
                            }),
                        ),
                        (
                            per_channel_f(&s, la, &|c, v| {
                                ends_in_f_ref(v, e, min, max, pl[c], ph[c])
                            }),
                            // SAFETY: live buffers and 4-entry arrays.
                            Box::new(move |a, b, f| unsafe {
                                if planar {
                                    vImageEndsInContrastStretch_PlanarF(
                                        a, b, tmp, pl[0], ph[0], e, min, max, f,
                                    )
                                } else {
                                    vImageEndsInContrastStretch_ARGBFFFF(
                                        a,
                                        b,
                                        tmp,
                                        pl.as_ptr(),
                                        ph.as_ptr(),
                                        e,
                                        min,
                                        max,
                                        f,
                                    )
                                }
                            }),
                        ),
                        (
                            per_channel_f(&s, la, &|c, v| {
                                specify_f_ref(v, e, min, max, &desired[c])
                            }),
                            // SAFETY: live buffers and `e`-entry histograms.
                            Box::new(move |a, b, f| unsafe {
                                if planar {
                                    vImageHistogramSpecification_PlanarF(
                                        a,
                                        b,
                                        tmp,
                                        dp[0].as_ptr(),
                                        e,
                                        min,
                                        max,
                                        f,
                                    )
                                } else {
                                    vImageHistogramSpecification_ARGBFFFF(
                                        a, b, tmp, dpp, e, min, max, f,
                                    )
                                }
                            }),
                        ),
                    ];
                    for (k, (want, run)) in cases.iter().enumerate() {
                        if planar && la {
                            continue;
                        }
                        let mut d = Img::new(w, h, bpp, 5);
                        assert_eq!(run(&s.vb(), &d.vb(), flags), 0);
                        assert_eq!(&bits(&d), want, "case {k} {w}x{h} bpp {bpp} e {e}");
                        assert!(d.guards_ok());
                        // The query: a size, no pixel touched.
                        let mut q = Img::new(w, h, bpp, 0);
                        let before = q.buf.clone();
                        let n = run(&s.vb(), &q.vb(), flags | kvImageGetTempBufferSize);
                        assert!(n >= 0);
                        assert_eq!(q.buf, before);
                        // In place.
                        let mut ip = s.clone();
                        let b = ip.vb();
                        assert_eq!(run(&b, &b, flags | kvImageDoNotTile), 0);
                        assert_eq!(&bits(&ip), want, "case {k} in place");
                    }
                }
            }
        }
    }
}

#[test]
fn float_transform_errors_and_temp_size() {
    let mut s = Img::new(4, 3, 4, 0);
    let mut d = Img::new(4, 4, 4, 0);
    let hist = [1 as vImagePixelCount; 16];
    let tmp = std::ptr::null_mut();
    // SAFETY: NULL or live arguments throughout.
    unsafe {
        assert_eq!(
            vImageEqualization_PlanarF(&s.vb(), &s.vb(), tmp, 0, 0.0, 1.0, 0),
            kvImageInvalidParameter
        );
        assert_eq!(
            vImageEqualization_PlanarF(&s.vb(), &s.vb(), tmp, 16, 1.0, 0.0, 0),
            kvImageInvalidParameter
        );
        assert_eq!(
            vImageEqualization_PlanarF(&s.vb(), &d.vb(), tmp, 16, 0.0, 1.0, 0),
            kvImageBufferSizeMismatch
        );
        assert_eq!(
            vImageContrastStretch_PlanarF(std::ptr::null(), &d.vb(), tmp, 16, 0.0, 1.0, 0),
            kvImageNullPointerArgument
        );
        assert_eq!(
            vImageEndsInContrastStretch_PlanarF(&s.vb(), &s.vb(), tmp, 60, 41, 16, 0.0, 1.0, 0),
            kvImageInvalidParameter
        );
        assert_eq!(
            vImageHistogramSpecification_PlanarF(
                &s.vb(),
                &s.vb(),
                tmp,
                std::ptr::null(),
                16,
                0.0,
                1.0,
                0
            ),
            kvImageNullPointerArgument
        );
        let n = vImageEqualization_PlanarF(
            &s.vb(),
            &s.vb(),
            tmp,
            16,
            0.0,
            1.0,
            kvImageGetTempBufferSize,
        );
        assert!(n >= 16 * 8, "scratch for 16 bins: {n}");
        let n = vImageHistogramSpecification_PlanarF(
            &s.vb(),
            &s.vb(),
            tmp,
            hist.as_ptr(),
            16,
            0.0,
            1.0,
            kvImageGetTempBufferSize,
        );
        assert!(n > 0);
        // A caller's temp buffer is accepted.
        let mut scratch = vec![0u8; n as usize];
        assert_eq!(
            vImageHistogramSpecification_PlanarF(
                &s.vb(),
                &s.vb(),
                scratch.as_mut_ptr().cast(),
                hist.as_ptr(),
                16,
                0.0,
                1.0,
                0
            ),
            0
        );
    }
}
