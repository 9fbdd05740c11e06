//! Colour transform row kernels for matrix/TRC and gray/TRC transforms, through tables.
//!
//! 8-bit ([`ColorKernel8`]): per source channel k and byte v, a table entry holds the matrix
//! column already scaled, `(m0k lin(v), m1k lin(v), m2k lin(v))` in f32 (computed in f64), so a
//! pixel is three 16-byte loads and two vector adds; the destination curve is a table indexed by
//! the bits of the clamped f32 linear value ([`enc::Domain`]: exponent and top mantissa bits, a
//! constant relative step, no square root). No gathers (slow on AMD). A gray source needs no
//! arithmetic at all: a 256-entry table gives the destination bytes of every gray value. The
//! alpha stage follows the reference's integer formulas exactly (unpremultiply by Apple's
//! rounding through a 64 KiB table, premultiply `(c * a + 127) / 255`, flatten over the
//! quantised background).
//!
//! 16-bit and float ([`wide::ColorKernelWide`]) live in `wide.rs`; [`ColourKernel`] picks one.

#[cfg(target_arch = "x86_64")]
pub mod avx512;
#[cfg(target_arch = "x86_64")]
pub mod avx512_f32;
pub mod enc;
pub mod poly;
pub mod wide;

use crate::color::transform::Transform;
use crate::convert::layout::{Alpha, Layout, Packing, Sample};
use enc::Domain;

/// The 8-bit encoding domain: from 2^-31 (a gamma-3 curve there is 0.2 of a code) with 1024
/// entries per octave (a relative step of 2^-10: at most 0.06 of a code from the curve at full
/// scale); 31745 entries, so indices fit the signed 16-bit pack of the SSE2 loop.
pub const DOMAIN8: Domain = Domain { e: 31, m: 10 };
const _: () = assert!(DOMAIN8.entries() <= 32767);

/// Four f32 lanes, 16-byte aligned (one SSE load).
#[derive(Debug, Clone, Copy, Default)]
#[repr(C, align(16))]
pub struct V4(pub [f32; 4]);

/// Where a layout's channels are in an 8-bit pixel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Slots8 {
    pub(super) bpp: usize,
    pub(super) n: usize,
    pub(super) colour: [usize; 3],
    /// The alpha or padding byte.
    pub(super) alpha: Option<usize>,
    pub(super) kind: Alpha,
}

impl Slots8 {
    fn of(l: &Layout) -> Option<Slots8> {
        if l.sample != Sample::Uint(8) || l.packing != Packing::Samples || l.alpha == Alpha::Only {
            return None;
        }
        let n = l.colours();
        if n != 1 && n != 3 {
            return None;
        }
        let bpp = l.channels();
        if l.bits_per_pixel as usize != 8 * bpp {
            return None;
        }
        let has_slot = l.alpha != Alpha::None;
        let first = usize::from(has_slot && l.alpha_first);
        let mut colour = [0, 1, 2].map(|i| first + i.min(n - 1));
        let mut alpha = has_slot.then_some(if l.alpha_first { 0 } else { n });
        if l.swap_pixel {
            for c in colour.iter_mut() {
                *c = bpp - 1 - *c;
            }
            alpha = alpha.map(|a| bpp - 1 - a);
        }
        Some(Slots8 {
            bpp,
            n,
            colour,
            alpha,
            kind: l.alpha,
        })
    }
}

/// Scaled matrix columns: `cols[k][v]` = column k of `m` times source channel k's linear
/// value of `v / max` (f64, rounded once to f32); channels past `n_src` are zero.
pub(crate) fn column_tables(
    t: &Transform,
    n_src: usize,
    n_dst: usize,
    size: usize,
) -> Option<Vec<V4>> {
    let m = t.matrix();
    let mut cols = vec![V4::default(); 3 * size];
    let max = (size - 1) as f64;
    for k in 0..n_src {
        let c = t.src_curve(k)?;
        for v in 0..size {
            let l = c.to_linear(v as f64 / max);
            let e = &mut cols[k * size + v].0;
            for (j, slot) in e.iter_mut().enumerate().take(n_dst) {
                *slot = (m[j][k] * l) as f32;
            }
        }
    }
    Some(cols)
}

/// The destination curves as tables over `domain` (one per distinct curve; `off[j]` is
/// channel j's), each entry `quant(curve(value))`.
pub(crate) fn encode_tables<T: Copy>(
    t: &Transform,
    n_dst: usize,
    domain: Domain,
    quant: impl Fn(f64) -> T,
) -> Option<(Vec<T>, [usize; 3])> {
    let mut enc = Vec::new();
    let mut off = [0usize; 3];
    let mut built: Vec<(&crate::color::def::Curve, usize)> = Vec::new();
    for (j, o) in off.iter_mut().enumerate().take(n_dst) {
        let c = t.dst_curve(j)?;
        if let Some(&(_, at)) = built.iter().find(|(b, _)| *b == c) {
            *o = at;
            continue;
        }
        let at = enc.len();
        enc.extend((0..domain.entries()).map(|i| quant(c.from_linear(domain.value(i)))));
        built.push((c, at));
        *o = at;
    }
    Some((enc, off))
}

/// `(c0 + c1) + c2`, lane by lane (the SSE loop adds in the same order: bit-identical).
#[inline(always)]
fn sum3(a: &V4, b: &V4, c: &V4) -> [f32; 4] {
    [0, 1, 2, 3].map(|i| (a.0[i] + b.0[i]) + c.0[i])
}

/// The table-driven kernel of a colour transform between two layouts.
#[derive(Debug)]
pub enum ColourKernel {
    Eight(ColorKernel8),
    Wide(wide::ColorKernelWide),
}

impl ColourKernel {
    /// The kernel for two layouts and a matrix/TRC (or gray/TRC) transform, if one applies.
    pub fn new(
        src: &Layout,
        dst: &Layout,
        t: &Transform,
        background: &[f64; 4],
    ) -> Option<ColourKernel> {
        ColorKernel8::new(src, dst, t, background)
            .map(ColourKernel::Eight)
            .or_else(|| wide::ColorKernelWide::new(src, dst, t, background).map(ColourKernel::Wide))
    }

    pub fn name(&self) -> &'static str {
        match self {
            ColourKernel::Eight(k) => k.name(),
            ColourKernel::Wide(k) => k.name(),
        }
    }

    /// Converts `width` pixels of one row.
    pub fn run(&self, src: &[u8], dst: &mut [u8], width: usize) {
        match self {
            ColourKernel::Eight(k) => k.run(src, dst, width),
            ColourKernel::Wide(k) => k.run(src, dst, width),
        }
    }
}

/// An 8-bit colour-managed row conversion with its tables.
pub struct ColorKernel8 {
    src: Slots8,
    dst: Slots8,
    /// `cols[k * 256 + v]`: see [`column_tables`].
    cols: Box<[V4]>,
    /// Gray sources: the destination's straight colour bytes of every gray value.
    gray: Option<Box<[[u8; 3]; 256]>>,
    /// RGB sources into gray: integer weighted linear tables (see [`GrayInt`]).
    to_gray: Option<Box<GrayInt>>,
    /// RGB sources on AVX-512 machines: curves as piecewise cubics in registers.
    #[cfg(target_arch = "x86_64")]
    fast: Option<Box<avx512::Fast8>>,
    /// The destination curves over [`DOMAIN8`]: channel j's byte at index i is `enc[off[j] + i]`.
    enc: Vec<u8>,
    off: [usize; 3],
    background: [u8; 3],
}

impl std::fmt::Debug for ColorKernel8 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Round to nearest (ties to even) and clamp to [0, 255], as the reference quantises.
fn quantize8(x: f64) -> u8 {
    crate::convert::reference::quantize(x, 255) as u8
}

/// `UNPREMULTIPLY[a * 256 + c]` = [`unpremultiply8`]`(c, a)`.
fn unpremultiply_table() -> &'static [u8; 65536] {
    static T: std::sync::OnceLock<Box<[u8; 65536]>> = std::sync::OnceLock::new();
    T.get_or_init(|| {
        let mut t = Box::new([0u8; 65536]);
        for (i, v) in t.iter_mut().enumerate() {
            *v = unpremultiply8(i as u8, (i >> 8) as u8);
        }
        t
    })
}

impl ColorKernel8 {
    /// The kernel for two 8-bit layouts and a matrix/TRC (or gray/TRC) transform, if it
    /// applies.
    pub fn new(
        src: &Layout,
        dst: &Layout,
        t: &Transform,
        background: &[f64; 4],
    ) -> Option<ColorKernel8> {
        if !t.is_shaper() {
            return None;
        }
        let s = Slots8::of(src)?;
        let d = Slots8::of(dst)?;
        if s.n != t.src_components() || d.n != t.dst_components() {
            return None;
        }
        let cols = column_tables(t, s.n, d.n, 256)?.into_boxed_slice();
        let (enc, off) = encode_tables(t, d.n, DOMAIN8, quantize8)?;
        if s.kind == Alpha::Premultiplied {
            unpremultiply_table();
        }
        let q = |b: f64| (b * 255.0).round().clamp(0.0, 255.0) as u8;
        let mut k = ColorKernel8 {
            src: s,
            dst: d,
            cols,
            gray: None,
            to_gray: None,
            #[cfg(target_arch = "x86_64")]
            fast: None,
            enc,
            off,
            background: [q(background[0]), q(background[1]), q(background[2])],
        };
        if s.n == 1 {
            let mut g = Box::new([[0u8; 3]; 256]);
            for (v, out) in g.iter_mut().enumerate() {
                *out = k.encode(&k.linear([v as u8; 3]));
            }
            k.gray = Some(g);
        }
        if s.n == 3 && d.n == 1 {
            k.to_gray = GrayInt::new(t).map(Box::new);
        }
        #[cfg(target_arch = "x86_64")]
        {
            k.fast = avx512::Fast8::new(&s, &d, t, k.background, k.plain()).map(Box::new);
        }
        Some(k)
    }

    /// No alpha arithmetic: no coverage, or straight in and straight / skip out.
    fn plain(&self) -> bool {
        !self.src.kind.has_coverage()
            || (self.src.kind == Alpha::Straight
                && matches!(self.dst.kind, Alpha::Straight | Alpha::Skip))
    }

    /// The AVX-512 kernel, if this machine and these curves have one.
    #[cfg(target_arch = "x86_64")]
    pub fn fast(&self) -> Option<&avx512::Fast8> {
        self.fast.as_deref()
    }

    pub fn name(&self) -> &'static str {
        #[cfg(target_arch = "x86_64")]
        if let Some(f) = &self.fast {
            return f.name();
        }
        if self.gray.is_some() {
            "color8-gray-lut"
        } else if self.to_gray.is_some() {
            "color8-to-gray-int"
        } else if cfg!(target_arch = "x86_64") {
            "color8-columns/sse2"
        } else {
            "color8-columns/scalar"
        }
    }

    /// Converts `width` pixels.
    pub fn run(&self, src: &[u8], dst: &mut [u8], width: usize) {
        let src = &src[..width * self.src.bpp];
        let dst = &mut dst[..width * self.dst.bpp];
        #[cfg(target_arch = "x86_64")]
        if let Some(f) = &self.fast {
            return f.run(src, dst, width);
        }
        self.run_tables(src, dst, width)
    }

    /// The table kernels (machines without AVX-512, curves the cubics do not fit).
    pub fn run_tables(&self, src: &[u8], dst: &mut [u8], width: usize) {
        let src = &src[..width * self.src.bpp];
        let dst = &mut dst[..width * self.dst.bpp];
        if let Some(g) = &self.gray {
            return self.run_gray(g, src, dst);
        }
        if let Some(g) = &self.to_gray {
            return self.run_to_gray(g, src, dst);
        }
        #[cfg(target_arch = "x86_64")]
        {
            self.run_sse2(src, dst)
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            self.run_scalar(src, dst, width)
        }
    }

    /// The portable loop (the SSE2 one gives the same bytes; the tests compare them).
    pub fn run_scalar(&self, src: &[u8], dst: &mut [u8], width: usize) {
        let (s, d) = (&self.src, &self.dst);
        for (ps, pd) in src
            .chunks_exact(s.bpp)
            .zip(dst.chunks_exact_mut(d.bpp))
            .take(width)
        {
            let (c, a) = self.straight(ps);
            let v = self.encode(&self.linear(c));
            self.store(pd, v, a);
        }
    }

    /// Destination linear values of straight source bytes (lanes past the destination's
    /// channels are 0).
    #[inline(always)]
    fn linear(&self, c: [u8; 3]) -> [f32; 4] {
        let col = |k: usize| &self.cols[k * 256 + c[k] as usize];
        sum3(col(0), col(1), col(2))
    }

    #[inline(always)]
    fn encode(&self, y: &[f32; 4]) -> [u8; 3] {
        let mut out = [0u8; 3];
        for (j, o) in out.iter_mut().enumerate().take(self.dst.n) {
            *o = self.enc[self.off[j] + DOMAIN8.index(y[j])];
        }
        out
    }

    /// Writes a pixel's straight colour bytes and coverage with the destination's alpha.
    #[inline(always)]
    fn store(&self, pd: &mut [u8], v: [u8; 3], a: u8) {
        let d = &self.dst;
        for j in 0..d.n {
            pd[d.colour[j]] = self.alpha_op(v[j], a, j);
        }
        if let Some(at) = d.alpha {
            pd[at] = a;
        }
    }

    fn run_gray(&self, g: &[[u8; 3]; 256], src: &[u8], dst: &mut [u8]) {
        let (s, d) = (&self.src, &self.dst);
        // The commonest case, gray8 -> RGB(A)/BGRA without coverage: a table copy.
        if !s.kind.has_coverage() && s.bpp == 1 {
            if d.bpp == 4 {
                let mut px = [[0u8; 4]; 256];
                for (p, v) in px.iter_mut().zip(g.iter()) {
                    for j in 0..3 {
                        p[d.colour[j]] = v[j];
                    }
                    if let Some(at) = d.alpha {
                        p[at] = 255;
                    }
                }
                for (b, pd) in src.iter().zip(dst.chunks_exact_mut(4)) {
                    pd.copy_from_slice(&px[*b as usize]);
                }
                return;
            }
            if d.bpp == 3 {
                for (b, pd) in src.iter().zip(dst.chunks_exact_mut(3)) {
                    let v = g[*b as usize];
                    pd[d.colour[0]] = v[0];
                    pd[d.colour[1]] = v[1];
                    pd[d.colour[2]] = v[2];
                }
                return;
            }
        }
        for (ps, pd) in src.chunks_exact(s.bpp).zip(dst.chunks_exact_mut(d.bpp)) {
            let (c, a) = self.straight(ps);
            self.store(pd, g[c[0] as usize], a);
        }
    }

    fn run_to_gray(&self, g: &GrayInt, src: &[u8], dst: &mut [u8]) {
        let plain = self.plain();
        macro_rules! pick {
            ($($sb:literal, $db:literal);*) => {
                match (self.src.bpp, self.dst.bpp, plain) {
                    $(
                        ($sb, $db, true) => self.gray_loop::<$sb, $db, true>(g, src, dst),
                        ($sb, $db, false) => self.gray_loop::<$sb, $db, false>(g, src, dst),
                    )*
                    _ => unreachable!("RGB(A)8 sources are 3 or 4 bytes, gray 1 or 2"),
                }
            };
        }
        pick!(3, 1; 4, 1; 3, 2; 4, 2);
    }

    /// RGB(A)8 -> gray(A)8: three table lookups, an integer sum and one encode lookup; no
    /// float, no branch per pixel on the plain path.
    #[inline(always)]
    fn gray_loop<const SB: usize, const DB: usize, const PLAIN: bool>(
        &self,
        g: &GrayInt,
        src: &[u8],
        dst: &mut [u8],
    ) {
        let (s, d) = (&self.src, &self.dst);
        let sc = s.colour.map(|c| c % SB);
        let dc = d.colour[0] % DB;
        let da = d.alpha.map(|a| a % DB);
        let sa = s.alpha.filter(|_| s.kind.has_coverage()).map(|a| a % SB);
        let un = (s.kind == Alpha::Premultiplied).then(unpremultiply_table);
        let [w0, w1, w2] = &g.w;
        for (ps, pd) in src.chunks_exact(SB).zip(dst.chunks_exact_mut(DB)) {
            let ps: &[u8; SB] = ps.try_into().expect("SB bytes");
            let pd: &mut [u8; DB] = pd.try_into().expect("DB bytes");
            let (c, a) = straight_fast(ps, sc, sa, if PLAIN { None } else { un });
            let sum = w0[c[0] as usize] + w1[c[1] as usize] + w2[c[2] as usize];
            let y = g.enc[(sum >> GRAY_SHIFT) as usize & (GRAY_ENTRIES - 1)];
            if PLAIN {
                pd[dc] = y;
                if let Some(at) = da {
                    pd[at] = a;
                }
            } else {
                self.store(pd, [y; 3], a);
            }
        }
    }

    #[cfg(target_arch = "x86_64")]
    fn run_sse2(&self, src: &[u8], dst: &mut [u8]) {
        let plain = self.plain();
        macro_rules! pick {
            ($($sb:literal, $db:literal);*) => {
                match (self.src.bpp, self.dst.bpp, plain) {
                    $(
                        ($sb, $db, true) => self.sse2_loop::<$sb, $db, true>(src, dst),
                        ($sb, $db, false) => self.sse2_loop::<$sb, $db, false>(src, dst),
                    )*
                    _ => self.run_scalar(src, dst, src.len() / self.src.bpp),
                }
            };
        }
        pick!(3, 3; 3, 4; 4, 3; 4, 4; 3, 1; 4, 1; 1, 3; 1, 4; 2, 3; 2, 4; 3, 2; 4, 2; 2, 1; 2, 2; 1, 1; 1, 2);
    }

    /// The SSE2 loop for `SB`-byte source and `DB`-byte destination pixels; `PLAIN`: no alpha
    /// arithmetic (the colour bytes are straight and stay straight; alpha is copied or 255).
    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    fn sse2_loop<const SB: usize, const DB: usize, const PLAIN: bool>(
        &self,
        src: &[u8],
        dst: &mut [u8],
    ) {
        use std::arch::x86_64::*;
        let (s, d) = (&self.src, &self.dst);
        // SAFETY: SSE2 is part of the x86_64 baseline.
        let (lo, one, half, base) = unsafe {
            (
                _mm_set1_ps(DOMAIN8.low()),
                _mm_set1_ps(1.0),
                _mm_set1_epi32(DOMAIN8.half() as i32),
                _mm_set1_epi32(DOMAIN8.base() as i32),
            )
        };
        const SHIFT: i32 = DOMAIN8.shift() as i32;
        const LAST: usize = DOMAIN8.entries() - 1;
        let cols: &[V4; 768] = self.cols[..768].try_into().expect("768 columns");
        let enc = [0, 1, 2].map(|j| {
            let o = if j < d.n { self.off[j] } else { 0 };
            &self.enc[o..o + DOMAIN8.entries()]
        });
        let (sc, dc) = (s.colour.map(|c| c % SB), d.colour.map(|c| c % DB));
        let da = d.alpha.map(|a| a % DB);
        // Coverage to copy (`None`: opaque).
        let sa = s.alpha.filter(|_| s.kind.has_coverage()).map(|a| a % SB);
        let un = (s.kind == Alpha::Premultiplied).then(unpremultiply_table);
        for (ps, pd) in src.chunks_exact(SB).zip(dst.chunks_exact_mut(DB)) {
            let ps: &[u8; SB] = ps.try_into().expect("SB bytes");
            let pd: &mut [u8; DB] = pd.try_into().expect("DB bytes");
            let (c, a) = straight_fast(ps, sc, sa, if PLAIN { None } else { un });
            let (c0, c1, c2) = (
                &cols[c[0] as usize],
                &cols[256 + c[1] as usize],
                &cols[512 + c[2] as usize],
            );
            // SAFETY: SSE2 is baseline; the three loads read whole 16-byte-aligned V4s.
            let q = unsafe {
                let v = _mm_add_ps(
                    _mm_add_ps(_mm_load_ps(c0.0.as_ptr()), _mm_load_ps(c1.0.as_ptr())),
                    _mm_load_ps(c2.0.as_ptr()),
                );
                let v = _mm_min_ps(_mm_max_ps(v, lo), one);
                let i = _mm_sub_epi32(
                    _mm_srli_epi32::<SHIFT>(_mm_add_epi32(_mm_castps_si128(v), half)),
                    base,
                );
                // Indices < 2^15: the signed pack keeps them.
                _mm_cvtsi128_si64(_mm_packs_epi32(i, i)) as u64
            };
            if PLAIN {
                for j in 0..d.n {
                    pd[dc[j]] = enc[j][(((q >> (16 * j)) & 0xffff) as usize).min(LAST)];
                }
                if let Some(at) = da {
                    pd[at] = a;
                }
            } else {
                let mut v = [0u8; 3];
                for (j, o) in v.iter_mut().enumerate().take(d.n) {
                    *o = enc[j][(((q >> (16 * j)) & 0xffff) as usize).min(LAST)];
                }
                self.store(pd, v, a);
            }
        }
    }

    /// The source pixel's straight colour bytes and its coverage (255 without alpha).
    #[inline(always)]
    fn straight(&self, p: &[u8]) -> ([u8; 3], u8) {
        let s = &self.src;
        let a = match s.alpha {
            Some(at) if s.kind.has_coverage() => p[at],
            _ => 255,
        };
        let mut c = [0u8; 3];
        for (k, v) in c.iter_mut().enumerate().take(s.n) {
            let x = p[s.colour[k]];
            *v = if s.kind == Alpha::Premultiplied {
                unpremultiply_table()[(a as usize) << 8 | x as usize]
            } else {
                x
            };
        }
        (c, a)
    }

    /// The destination's alpha arithmetic on a straight colour byte (the reference's integer
    /// formulas).
    #[inline(always)]
    fn alpha_op(&self, v: u8, a: u8, j: usize) -> u8 {
        if !self.src.kind.has_coverage() {
            return v;
        }
        match self.dst.kind {
            Alpha::Premultiplied => premultiply8(v, a),
            Alpha::None => {
                let p = u32::from(premultiply8(v, a));
                let bg = u32::from(self.background[j]);
                (p + ((255 - u32::from(a)) * bg + 127) / 255).min(255) as u8
            }
            _ => v,
        }
    }
}

/// Fixed-point fraction bits of the gray weights: a table entry is `weight * linear(v) * 2^24`.
const GRAY_FRAC: u32 = 24;
/// The sum shifted right by this indexes the encode table: a linear step of 2^-16.
const GRAY_SHIFT: u32 = 8;
/// Encode table entries (a power of two): twice full scale, so the mask never wraps a sum the
/// capped weights can make.
const GRAY_ENTRIES: usize = 1 << (GRAY_FRAC - GRAY_SHIFT + 1);

/// RGB -> gray tables: `w[k][v]` = the gray weight of channel k (the destination matrix row,
/// non-negative) times channel k's linear value of `v / 255`, in units of 2^-24 (f64, rounded
/// once); `enc[i]` = the gray byte of the linear value at the centre of step i (2^-16 wide;
/// step 0 is black), clamped to 1.
pub(crate) struct GrayInt {
    w: [[u32; 256]; 3],
    enc: Box<[u8; GRAY_ENTRIES]>,
}

impl GrayInt {
    /// `None` if a weight is negative or not finite (the float columns handle those).
    fn new(t: &Transform) -> Option<GrayInt> {
        let m = t.matrix();
        let one = f64::from(1u32 << GRAY_FRAC);
        let mut w = [[0u32; 256]; 3];
        for (k, wk) in w.iter_mut().enumerate() {
            let wt = m[0][k];
            if !(0.0..=2.0).contains(&wt) {
                return None;
            }
            let c = t.src_curve(k)?;
            for (v, e) in wk.iter_mut().enumerate() {
                let l = c.to_linear(v as f64 / 255.0);
                let x = (wt * l.clamp(0.0, 1.0) * one).round();
                *e = if x > 0.0 { x as u32 } else { 0 };
            }
        }
        // The largest sum must stay inside the encode table (weights summing to < 2).
        let max: u64 = w
            .iter()
            .map(|wk| wk.iter().map(|&e| u64::from(e)).max().unwrap_or(0))
            .sum();
        if max >= (GRAY_ENTRIES as u64) << GRAY_SHIFT {
            return None;
        }
        let curve = t.dst_curve(0)?;
        let step = f64::from(1u32 << GRAY_SHIFT) / one;
        let mut enc = Box::new([0u8; GRAY_ENTRIES]);
        for (i, e) in enc.iter_mut().enumerate() {
            let y = if i == 0 { 0.0 } else { (i as f64 + 0.5) * step };
            *e = quantize8(curve.from_linear(y.min(1.0)));
        }
        Some(GrayInt { w, enc })
    }
}

/// A three-colour source pixel's straight colour bytes and coverage, with the slots and the
/// unpremultiply table (premultiplied sources) hoisted out of the loop.
#[inline(always)]
fn straight_fast<const SB: usize>(
    ps: &[u8; SB],
    sc: [usize; 3],
    sa: Option<usize>,
    un: Option<&[u8; 65536]>,
) -> ([u8; 3], u8) {
    let a = sa.map_or(255, |at| ps[at]);
    let c = [ps[sc[0]], ps[sc[1]], ps[sc[2]]];
    match un {
        Some(t) => (c.map(|x| t[usize::from(a) << 8 | usize::from(x)]), a),
        None => (c, a),
    }
}

/// `(c * a + 127) / 255`.
#[inline(always)]
pub fn premultiply8(c: u8, a: u8) -> u8 {
    ((u32::from(c) * u32::from(a) + 127) / 255) as u8
}

/// `(min(c, a) * 255 + a / 2) / a`, 0 when `a` is 0 (§7.1).
#[inline(always)]
pub fn unpremultiply8(c: u8, a: u8) -> u8 {
    if a == 0 {
        0
    } else {
        ((u32::from(c.min(a)) * 255 + u32::from(a) / 2) / u32::from(a)) as u8
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::color::def::standard;
    use crate::color::transform::Intent;
    use crate::format::PixelFormat;

    fn layout(bpp: u32, info: u32, model: crate::format::ColorModel) -> Layout {
        let p = PixelFormat::new(8, bpp, model, info, crate::format::PixelBits::Exact).unwrap();
        Layout::new(&p, false).unwrap()
    }

    /// The SSE2 loop and the portable one give the same bytes on every pixel of a sweep.
    #[test]
    fn simd_and_portable_loops_agree() {
        use crate::format::ColorModel::Rgb;
        use crate::types::*;
        let t = Transform::new(
            &standard::srgb(),
            &standard::display_p3(),
            Intent::Perceptual,
        )
        .unwrap();
        for (si, di) in [
            (kCGImageAlphaNoneSkipLast, kCGImageAlphaNoneSkipLast),
            (
                kCGImageAlphaPremultipliedLast,
                kCGImageAlphaPremultipliedFirst,
            ),
            (kCGImageAlphaLast, kCGImageAlphaNone),
        ] {
            let sl = layout(32, si, Rgb);
            let dl = layout(if di == kCGImageAlphaNone { 24 } else { 32 }, di, Rgb);
            let k = ColorKernel8::new(&sl, &dl, &t, &[0.3, 0.6, 0.9, 0.0]).unwrap();
            let n = 1 << 16;
            let src: Vec<u8> = (0..n as u32 * 4)
                .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
                .collect();
            let db = dl.bits_per_pixel as usize / 8;
            let mut a = vec![0u8; n * db];
            let mut b = vec![0u8; n * db];
            k.run_tables(&src, &mut a, n);
            k.run_scalar(&src, &mut b, n);
            assert!(a == b);
        }
    }

    /// The AVX-512 kernel gives the bytes of its portable model for every alpha layout, gray
    /// and colour destinations, ragged widths, and writes nothing past the row.
    #[cfg(target_arch = "x86_64")]
    #[test]
    fn avx512_kernel_matches_its_model() {
        use crate::format::ColorModel::{Gray, Rgb};
        use crate::types::*;
        if !avx512::available() {
            return;
        }
        let p3 = Transform::new(
            &standard::srgb(),
            &standard::display_p3(),
            Intent::Perceptual,
        )
        .unwrap();
        let adobe = Transform::new(
            &standard::display_p3(),
            &standard::adobe_rgb(),
            Intent::Perceptual,
        )
        .unwrap();
        let back = Transform::new(
            &standard::display_p3(),
            &standard::srgb(),
            Intent::Perceptual,
        )
        .unwrap();
        // Channels with their own curves: no shared table, the fitted quadratics.
        let mixed = {
            let crate::color::def::Def::Rgb(mut r) = standard::display_p3() else {
                panic!("an RGB space")
            };
            r.curves[1] = crate::color::def::Curve::Gamma(1.8);
            Transform::new(
                &crate::color::def::Def::Rgb(r),
                &standard::srgb(),
                Intent::Perceptual,
            )
            .unwrap()
        };
        let gray = Transform::new(
            &standard::srgb(),
            &standard::gray_gamma_2_2(),
            Intent::Perceptual,
        )
        .unwrap();
        let le = kCGBitmapByteOrder32Little;
        let cases = [
            (
                32,
                kCGImageAlphaNoneSkipLast,
                32,
                kCGImageAlphaNoneSkipLast,
                Rgb,
            ),
            (32, kCGImageAlphaLast, 32, kCGImageAlphaLast, Rgb),
            (
                32,
                kCGImageAlphaPremultipliedLast,
                32,
                kCGImageAlphaPremultipliedFirst | le,
                Rgb,
            ),
            (32, kCGImageAlphaLast, 24, kCGImageAlphaNone, Rgb),
            (
                32,
                kCGImageAlphaPremultipliedFirst,
                32,
                kCGImageAlphaLast,
                Rgb,
            ),
            (
                24,
                kCGImageAlphaNone,
                32,
                kCGImageAlphaPremultipliedLast,
                Rgb,
            ),
            (24, kCGImageAlphaNone, 24, kCGImageAlphaNone, Rgb),
            (32, kCGImageAlphaFirst | le, 8, kCGImageAlphaNone, Gray),
            (24, kCGImageAlphaNone, 8, kCGImageAlphaNone, Gray),
            (
                32,
                kCGImageAlphaPremultipliedLast,
                16,
                kCGImageAlphaPremultipliedLast,
                Gray,
            ),
            (32, kCGImageAlphaLast, 16, kCGImageAlphaLast, Gray),
            // Coverage moving within the lane, copied and with arithmetic.
            (32, kCGImageAlphaFirst, 32, kCGImageAlphaLast, Rgb),
            (32, kCGImageAlphaLast, 32, kCGImageAlphaFirst, Rgb),
            (
                32,
                kCGImageAlphaFirst,
                32,
                kCGImageAlphaPremultipliedLast,
                Rgb,
            ),
            (
                32,
                kCGImageAlphaNoneSkipFirst,
                32,
                kCGImageAlphaNoneSkipLast | le,
                Rgb,
            ),
            (24, kCGImageAlphaNone, 32, kCGImageAlphaFirst | le, Rgb),
            (32, kCGImageAlphaLast | le, 24, kCGImageAlphaNone, Rgb),
        ];
        // Which decodes ran: byte tables (0; 1: unclamped; 2: saturating packs), fitted
        // quadratics (3), cubics (4).
        let mut kinds = [false; 5];
        let w = 16 * 40 + 7;
        let src: Vec<u8> = (0..w as u32 * 4)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        for (sbits, si, dbits, di, dm) in cases {
            let sl = layout(sbits, si, Rgb);
            let dl = layout(dbits, di, dm);
            for t in if dm == Gray {
                vec![&gray]
            } else {
                vec![&p3, &adobe, &back, &mixed]
            } {
                let k = ColorKernel8::new(&sl, &dl, t, &[0.3, 0.6, 0.9, 0.0]).unwrap();
                let f = k.fast().expect("an AVX-512 kernel for these curves");
                kinds[f.decode_kind()] = true;
                let db = dbits as usize / 8;
                let mut a = vec![0xA5u8; w * db + 64];
                let mut b = vec![0xA5u8; w * db + 64];
                f.run(&src, &mut a, w);
                f.run_model(&src, &mut b, w);
                assert!(a == b, "{sbits} {si:#x} -> {dbits} {di:#x}");
                assert!(a[w * db..].iter().all(|&x| x == 0xA5));
            }
        }
        // Shared straight source curves take the tables (unclamped from sRGB, saturating from
        // P3), mixed or premultiplied ones the quadratics, and P3 -> Adobe the cubics (Adobe's
        // pure power is steep at black and the matrix has negative weights).
        assert!(kinds[1] && kinds[2] && kinds[3] && kinds[4], "{kinds:?}");
    }

    /// The AVX-512 float lane map gives the bits of its portable model (special values,
    /// every alpha position, ragged widths) and writes nothing past the row; it takes the
    /// transforms between a space and its linear twin, and not real matrices.
    #[cfg(target_arch = "x86_64")]
    #[test]
    fn avx512_float_lane_map_matches_its_model() {
        use crate::format::ColorModel::{Gray, Rgb};
        use crate::types::*;
        if !avx512::available() {
            return;
        }
        let fl = kCGBitmapFloatComponents | kCGBitmapByteOrder32Little;
        let lay = |bpp: u32, info: u32, model| {
            let p = PixelFormat::new(32, bpp, model, info | fl, crate::format::PixelBits::Exact)
                .unwrap();
            Layout::new(&p, false).unwrap()
        };
        let srgb = standard::srgb();
        let lin = standard::linear_srgb();
        let g22 = standard::gray_gamma_2_2();
        let lgray = standard::linear_gray();
        let srgb_gray = crate::color::def::Def::Gray(crate::color::def::Gray {
            white: crate::color::def::D65_XY,
            curve: crate::color::def::Curve::srgb(),
            extended: false,
        });
        let cases = [
            (&srgb, &lin, 128, kCGImageAlphaLast, Rgb),
            (&lin, &srgb, 128, kCGImageAlphaFirst, Rgb),
            (&srgb, &lin, 128, kCGImageAlphaNoneSkipLast, Rgb),
            (&srgb, &lin, 96, kCGImageAlphaNone, Rgb),
            (&g22, &lgray, 64, kCGImageAlphaLast, Gray),
            (&lgray, &srgb_gray, 32, kCGImageAlphaNone, Gray),
        ];
        let specials = [
            0.0f32,
            -0.0,
            1.0,
            0.5,
            1e-9,
            -0.3,
            1.7,
            f32::INFINITY,
            f32::NAN,
            0.04045,
        ];
        for (a, b, bpp, info, model) in cases {
            let t = Transform::new(a, b, Intent::Perceptual).unwrap();
            let l = lay(bpp, info, model);
            let k = ColourKernel::new(&l, &l, &t, &[0.0; 4]).unwrap();
            let ColourKernel::Wide(w) = &k else {
                panic!("a float kernel")
            };
            let f = w.lanemap().expect("a lane map");
            let spp = bpp as usize / 32;
            let width = 16 * 9 + 5;
            let n = width * spp;
            let src: Vec<u8> = (0..n as u32)
                .flat_map(|i| {
                    let x = if i % 7 == 0 {
                        specials[(i / 7) as usize % specials.len()]
                    } else {
                        (i.wrapping_mul(2_654_435_761) >> 8) as f32 / 16_777_216.0
                    };
                    x.to_le_bytes()
                })
                .collect();
            let mut x = vec![0x5Au8; 4 * n + 64];
            let mut y = vec![0x5Au8; 4 * n + 64];
            f.run(&src, &mut x, width);
            f.run_model(&src, &mut y, width);
            assert!(x == y, "{bpp} {info:#x}");
            assert!(x[4 * n..].iter().all(|&v| v == 0x5A));
        }
        // A real matrix is not a lane map.
        let t = Transform::new(&srgb, &standard::display_p3(), Intent::Perceptual).unwrap();
        let l = lay(128, kCGImageAlphaLast, Rgb);
        let ColourKernel::Wide(w) = ColourKernel::new(&l, &l, &t, &[0.0; 4]).unwrap() else {
            panic!("a float kernel")
        };
        assert!(w.lanemap().is_none());
    }

    /// Pure-power spaces with nudged primaries (color_convert's generator, deterministic): every
    /// 8-bit result within 1.5 codes of an independent f64 formula, including colours at the
    /// gamut's edge, where the matrix nearly cancels and a destination's infinite slope at black
    /// magnifies any decode error (a quadratic decode failed here by two codes), and dark
    /// colours of a steep source (a 16-bit decode table failed here by two codes).
    #[test]
    fn pure_power_spaces_with_nudged_primaries_stay_within_one_and_a_half_codes() {
        use crate::color::def::{self, Curve, Def, Rgb};
        use crate::format::ColorModel::Rgb as RgbModel;
        use crate::types::*;
        let make = |n: [i8; 3], g: f64| {
            let mut p = def::primaries::BT709;
            for (i, v) in n.iter().enumerate() {
                p[i][0] += f64::from(*v) / 2000.0;
                p[i][1] += f64::from(*v) / 3000.0;
            }
            Rgb::from_primaries(p, def::D65_XY, Curve::Gamma(g))
        };
        let rgb8 = layout(24, kCGImageAlphaNone, RgbModel);
        let mut px: Vec<u8> = Vec::new();
        for a in (0..=255u32).step_by(15) {
            for b in (0..=255u32).step_by(15) {
                for c in [0u32, 1, 2, 7, 64, 225, 255] {
                    px.extend([a as u8, b as u8, c as u8, c as u8, a as u8, b as u8]);
                }
            }
        }
        let n = px.len() / 3;
        for (na, nb, ga, gb) in [
            ([3, -7, 12], [-20, 9, 4], 2.7578125, 2.7578125),
            ([40, 40, -40], [0, 0, 0], 2.2, 3.0),
            ([-60, 20, 90], [25, -45, 7], 1.4, 2.9),
            ([0, 0, 0], [11, 13, -17], 2.6, 1.1),
            // No cancelling at all, but gamma 2.71's code 2 is 2e-6: zero in a 16-bit table,
            // and two codes out (color_convert's second finding).
            ([0, 0, 0], [0, 0, 0], 2.7109375, 2.7109375),
        ] {
            let (ra, rb) = (make(na, ga), make(nb, gb));
            let t = Transform::new(
                &Def::Rgb(ra.clone()),
                &Def::Rgb(rb.clone()),
                Intent::Perceptual,
            )
            .unwrap();
            let k = ColorKernel8::new(&rgb8, &rgb8, &t, &[0.0; 4]).unwrap();
            let mut got = vec![0u8; n * 3];
            k.run(&px, &mut got, n);
            let m = def::mul(&def::invert(&rb.to_pcs), &ra.to_pcs);
            for (p, o) in px.chunks_exact(3).zip(got.chunks_exact(3)) {
                let l = [0, 1, 2].map(|i| (f64::from(p[i]) / 255.0).powf(ga));
                for j in 0..3 {
                    let y = (m[j][0] * l[0] + m[j][1] * l[1] + m[j][2] * l[2]).clamp(0.0, 1.0);
                    let want = y.powf(1.0 / gb) * 255.0;
                    assert!(
                        (f64::from(o[j]) - want).abs() <= 1.5,
                        "{p:?} -> {o:?}: channel {j} should be {want:.3} ({ga} -> {gb}, {})",
                        k.name()
                    );
                }
            }
        }
    }
}
