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

#[inline(always)]
fn w5(v: u32) -> u8 {
    ((v * 255 + 15) / 31) as u8
}

#[inline(always)]
fn w6(v: u32) -> u8 {
    ((v * 255 + 31) / 63) as u8
}

#[inline(always)]
fn n5(c: u8) -> u16 {
    ((u32::from(c) * 31 + 127) / 255) as u16
}

#[inline(always)]
fn n6(c: u8) -> u16 {
    ((u32::from(c) * 63 + 127) / 255) as u16
}

#[inline(always)]
fn n1(a: u8) -> u16 {
    ((u32::from(a) + 127) / 255) as u16
}

#[inline(always)]
fn get16(b: &[u8]) -> u32 {
    u32::from(u16::from_ne_bytes([b[0], b[1]]))
}

#[inline(always)]
fn put16(b: &mut [u8], w: u16) {
    b.copy_from_slice(&w.to_ne_bytes());
}

/// RGB565 -> four 8-bit channels, red at byte `R`, green `G`, blue `B`, the constant `alpha`
/// at `A`.
pub fn rgb565_to_8888<const R: usize, const G: usize, const B: usize, const A: usize>(
    src: &[u8],
    dst: &mut [u8],
    alpha: u8,
) {
    for (s, d) in src.chunks_exact(2).zip(dst.chunks_exact_mut(4)) {
        let w = get16(s);
        d[R] = w5(w >> 11);
        d[G] = w6((w >> 5) & 63);
        d[B] = w5(w & 31);
        d[A] = alpha;
    }
}

/// RGB565 -> RGB888.
pub fn rgb565_to_888(src: &[u8], dst: &mut [u8]) {
    for (s, d) in src.chunks_exact(2).zip(dst.chunks_exact_mut(3)) {
        let w = get16(s);
        d[0] = w5(w >> 11);
        d[1] = w6((w >> 5) & 63);
        d[2] = w5(w & 31);
    }
}

/// Four 8-bit channels (red at byte `R`, green `G`, blue `B`; the fourth ignored) -> RGB565.
pub fn x8888_to_rgb565<const R: usize, const G: usize, const B: usize>(src: &[u8], dst: &mut [u8]) {
    for (s, d) in src.chunks_exact(4).zip(dst.chunks_exact_mut(2)) {
        put16(d, (n5(s[R]) << 11) | (n6(s[G]) << 5) | n5(s[B]));
    }
}

/// The bit positions of a 16-bit 1-5-5-5 pixel: alpha first (ARGB1555: A 15, R 14-10, G 9-5,
/// B 4-0) or last (RGBA5551: R 15-11, G 10-6, B 5-1, A 0).
#[inline(always)]
fn split1555<const ALPHA_FIRST: bool>(w: u32) -> [u32; 4] {
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

/// ARGB1555 -> ARGB8888 (`ALPHA_FIRST`) or RGBA5551 -> RGBA8888: the 8-bit channels keep the
/// packed pixel's order.
pub fn x1555_to_8888<const ALPHA_FIRST: bool>(src: &[u8], dst: &mut [u8]) {
    for (s, d) in src.chunks_exact(2).zip(dst.chunks_exact_mut(4)) {
        let [a, r, g, b] = split1555::<ALPHA_FIRST>(get16(s));
        let argb = [(a * 255) as u8, w5(r), w5(g), w5(b)];
        if ALPHA_FIRST {
            d.copy_from_slice(&argb);
        } else {
            d.copy_from_slice(&[argb[1], argb[2], argb[3], argb[0]]);
        }
    }
}

/// ARGB8888 -> ARGB1555 (`ALPHA_FIRST`) or RGBA8888 -> RGBA5551.
pub fn x8888_to_1555<const ALPHA_FIRST: bool>(src: &[u8], dst: &mut [u8]) {
    for (s, d) in src.chunks_exact(4).zip(dst.chunks_exact_mut(2)) {
        let (a, r, g, b) = if ALPHA_FIRST {
            (s[0], s[1], s[2], s[3])
        } else {
            (s[3], s[0], s[1], s[2])
        };
        put16(d, join1555::<ALPHA_FIRST>(n1(a), n5(r), n5(g), n5(b)));
    }
}

/// ARGB1555 (`ALPHA_FIRST`) or RGBA5551 -> RGB565: alpha dropped, red and blue copied, green
/// widened to six bits to nearest, `(g * 63 + 15) / 31` (= `g << 1 | g >> 4`).
pub fn x1555_to_rgb565<const ALPHA_FIRST: bool>(src: &[u8], dst: &mut [u8]) {
    for (s, d) in src.chunks_exact(2).zip(dst.chunks_exact_mut(2)) {
        let [_, r, g, b] = split1555::<ALPHA_FIRST>(get16(s));
        let g6 = (g * 63 + 15) / 31;
        put16(d, ((r << 11) | (g6 << 5) | b) as u16);
    }
}

/// RGB565 -> ARGB1555 (`ALPHA_FIRST`) or RGBA5551, alpha 1, green narrowed to five bits:
/// `g5 = (g6 * 31 + t) / 63` with `t = threshold[x % 8]`: 31 everywhere rounds to nearest
/// (kvImageConvert_DitherNone); an ordered dither passes a row of values spread over 0..63.
pub fn rgb565_to_1555<const ALPHA_FIRST: bool>(src: &[u8], dst: &mut [u8], threshold: &[u32; 8]) {
    for (x, (s, d)) in src.chunks_exact(2).zip(dst.chunks_exact_mut(2)).enumerate() {
        let w = get16(s);
        let g5 = (((w >> 5) & 63) * 31 + threshold[x % 8]) / 63;
        put16(
            d,
            join1555::<ALPHA_FIRST>(1, (w >> 11) as u16, g5 as u16, (w & 31) as u16),
        );
    }
}

/// RGB565 -> three Planar8 rows.
pub fn rgb565_to_planar8(src: &[u8], r: &mut [u8], g: &mut [u8], b: &mut [u8]) {
    let (r, g, b) = (r.iter_mut(), g.iter_mut(), b.iter_mut());
    for (s, ((r, g), b)) in src.chunks_exact(2).zip(r.zip(g).zip(b)) {
        let w = get16(s);
        *r = w5(w >> 11);
        *g = w6((w >> 5) & 63);
        *b = w5(w & 31);
    }
}

/// Three Planar8 rows -> RGB565.
pub fn planar8_to_rgb565(r: &[u8], g: &[u8], b: &[u8], dst: &mut [u8]) {
    for (d, ((r, g), b)) in dst.chunks_exact_mut(2).zip(r.iter().zip(g).zip(b)) {
        put16(d, (n5(*r) << 11) | (n6(*g) << 5) | n5(*b));
    }
}

/// ARGB1555 -> four Planar8 rows (A, R, G, B).
pub fn argb1555_to_planar8(src: &[u8], dst: [&mut [u8]; 4]) {
    let [a, r, g, b] = dst;
    let planes = a
        .iter_mut()
        .zip(r.iter_mut())
        .zip(g.iter_mut())
        .zip(b.iter_mut());
    for (s, (((a, r), g), b)) in src.chunks_exact(2).zip(planes) {
        let [va, vr, vg, vb] = split1555::<true>(get16(s));
        *a = (va * 255) as u8;
        *r = w5(vr);
        *g = w5(vg);
        *b = w5(vb);
    }
}

/// Four Planar8 rows (A, R, G, B) -> ARGB1555.
pub fn planar8_to_argb1555(src: [&[u8]; 4], dst: &mut [u8]) {
    let [a, r, g, b] = src;
    let planes = a.iter().zip(r).zip(g).zip(b);
    for (d, (((a, r), g), b)) in dst.chunks_exact_mut(2).zip(planes) {
        put16(d, join1555::<true>(n1(*a), n5(*r), n5(*g), n5(*b)));
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
    for (s, d) in src.chunks_exact(4).zip(dst.chunks_exact_mut(4 * T::BYTES)) {
        let [a2, r, g, b] = format.split(s);
        let conv = |v: i32| (((v - min) * m + half) / r10).clamp(0, m);
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
    for (s, d) in src.chunks_exact(4).zip(dst.chunks_exact_mut(16)) {
        let [a2, r, g, b] = format.split(s);
        let conv = |v: i32| {
            let f = (v - min) as f32 / r10;
            if clamp { f.clamp(0.0, 1.0) } else { f }
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
