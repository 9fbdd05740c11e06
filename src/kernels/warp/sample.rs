//! Inverse-mapped Lanczos sampling: every destination pixel is a weighted sum of the source
//! pixels around the point its centre maps back to (vImageRotate_*, vImageAffineWarp_*).
//!
//! The 2-D weight of source pixel (i, j) is `L((fx - i) / kx) * L((fy - j) / ky)` normalised
//! by the sum over the whole window, which factors into two normalised 1-D weight lists. Taps
//! outside the source take the background colour (their weight becomes one background term,
//! `1 - sum_x * sum_y`) or, with edge extension, fold onto the edge row / column. `kx`, `ky`
//! (>= 1) widen the kernel where the map shrinks the image.
//!
//! Weights come from a table of the Lanczos kernel (4096 steps per unit, linear
//! interpolation, exact 0 at the integers and 1 at 0), in f32; coordinates are f64;
//! accumulation is f32. Integer results round to nearest (ties up) and clamp.

use std::ops::Range;
use std::sync::OnceLock;

#[cfg(target_arch = "x86_64")]
use super::super::Level;
use super::Pair;
use crate::geometry::lanczos::lanczos;

/// The pixel formats the sampler handles.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Planar8,
    PlanarF,
    ARGB8888,
    ARGB16U,
    ARGB16S,
    ARGBFFFF,
}

impl Format {
    pub fn channels(self) -> usize {
        match self {
            Format::Planar8 | Format::PlanarF => 1,
            _ => 4,
        }
    }

    /// Bytes per sample.
    pub fn sample_size(self) -> usize {
        match self {
            Format::Planar8 | Format::ARGB8888 => 1,
            Format::ARGB16U | Format::ARGB16S => 2,
            Format::PlanarF | Format::ARGBFFFF => 4,
        }
    }

    pub fn bpp(self) -> usize {
        self.channels() * self.sample_size()
    }

    /// One pixel of these values as the format stores it (rounded and clamped for integers).
    pub fn encode(self, v: [f32; 4]) -> [u8; 16] {
        let mut out = [0u8; 16];
        for c in 0..self.channels() {
            let o = &mut out[c * self.sample_size()..];
            match self {
                Format::Planar8 | Format::ARGB8888 => u8::store(v[c], o),
                Format::ARGB16U => u16::store(v[c], o),
                Format::ARGB16S => i16::store(v[c], o),
                Format::PlanarF | Format::ARGBFFFF => f32::store(v[c], o),
            }
        }
        out
    }
}

/// Which sample type an [`Elem`] is (for the instruction-set versions' loads).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    U8,
    U16,
    I16,
    F32,
}

/// One sample type.
pub trait Elem: Copy + 'static {
    const SIZE: usize;
    const KIND: Kind;
    fn load(b: &[u8]) -> f32;
    fn store(v: f32, out: &mut [u8]);
    /// The `C` samples of one pixel (`px` holds at least `C * SIZE` bytes).
    #[inline(always)]
    fn load_px<const C: usize>(px: &[u8]) -> [f32; C] {
        let px = &px[..C * Self::SIZE];
        std::array::from_fn(|c| Self::load(&px[c * Self::SIZE..(c + 1) * Self::SIZE]))
    }
}

impl Elem for u8 {
    const SIZE: usize = 1;
    const KIND: Kind = Kind::U8;
    #[inline(always)]
    fn load(b: &[u8]) -> f32 {
        b[0] as f32
    }
    #[inline(always)]
    fn load_px<const C: usize>(px: &[u8]) -> [f32; C] {
        let a: [u8; C] = px[..C].try_into().unwrap();
        a.map(f32::from)
    }
    #[inline(always)]
    fn store(v: f32, out: &mut [u8]) {
        out[0] = (v + 0.5).floor().clamp(0.0, 255.0) as u8;
    }
}

impl Elem for u16 {
    const SIZE: usize = 2;
    const KIND: Kind = Kind::U16;
    #[inline(always)]
    fn load(b: &[u8]) -> f32 {
        u16::from_ne_bytes([b[0], b[1]]) as f32
    }
    #[inline(always)]
    fn store(v: f32, out: &mut [u8]) {
        let x = (v + 0.5).floor().clamp(0.0, 65535.0) as u16;
        out[..2].copy_from_slice(&x.to_ne_bytes());
    }
}

impl Elem for i16 {
    const SIZE: usize = 2;
    const KIND: Kind = Kind::I16;
    #[inline(always)]
    fn load(b: &[u8]) -> f32 {
        i16::from_ne_bytes([b[0], b[1]]) as f32
    }
    #[inline(always)]
    fn store(v: f32, out: &mut [u8]) {
        let x = (v + 0.5).floor().clamp(-32768.0, 32767.0) as i16;
        out[..2].copy_from_slice(&x.to_ne_bytes());
    }
}

impl Elem for f32 {
    const SIZE: usize = 4;
    const KIND: Kind = Kind::F32;
    #[inline(always)]
    fn load(b: &[u8]) -> f32 {
        f32::from_ne_bytes([b[0], b[1], b[2], b[3]])
    }
    #[inline(always)]
    fn store(v: f32, out: &mut [u8]) {
        out[..4].copy_from_slice(&v.to_ne_bytes());
    }
}

/// Where destination pixel (column i, row r) samples the source, in source pixel-index
/// coordinates (pixel (c, j)'s centre is at (c, j)): `fx = x0 + xi * i + xr * r`,
/// `fy = y0 + yi * i + yr * r`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Map {
    pub x0: f64,
    pub xi: f64,
    pub xr: f64,
    pub y0: f64,
    pub yi: f64,
    pub yr: f64,
}

/// Most a kernel is widened: shrinking further aliases rather than growing the window.
pub const MAX_WIDENING: f64 = 16.0;

impl Map {
    /// The kernel widening along source x and y: how far one destination pixel step moves in
    /// that source axis at most (`hypot` of the map's row), at least 1, at most
    /// [`MAX_WIDENING`]. Within 1e-9 of 1 counts as 1 (rotations keep the plain kernel).
    pub fn widening(&self) -> (f64, f64) {
        let k = |a: f64, b: f64| {
            let h = a.hypot(b);
            if h <= 1.0 + 1e-9 {
                1.0
            } else {
                h.min(MAX_WIDENING)
            }
        };
        (k(self.xi, self.xr), k(self.yi, self.yr))
    }
}

/// Everything a warp needs besides the images.
#[derive(Clone, Copy, Debug)]
pub struct Params {
    pub map: Map,
    /// Lanczos radius: 3, or 5 with kvImageHighQualityResampling.
    pub radius: usize,
    /// Edge extension (else background fill).
    pub extend: bool,
    /// The background colour's values (channels beyond the format's are ignored).
    pub back: [f32; 4],
}

/// Steps of the kernel table per unit of distance.
const STEPS: usize = 4096;
/// Most taps along one axis: `2 * 5 * MAX_WIDENING + 2`.
pub(super) const MAX_TAPS: usize = 2 * 5 * MAX_WIDENING as usize + 2;

/// The Lanczos kernel tabulated on `[0, radius]`.
pub struct Lut {
    radius: usize,
    table: Vec<f32>,
}

impl Lut {
    pub fn get(radius: usize) -> &'static Lut {
        static L3: OnceLock<Lut> = OnceLock::new();
        static L5: OnceLock<Lut> = OnceLock::new();
        let cell = if radius == 5 { &L5 } else { &L3 };
        cell.get_or_init(|| {
            let radius = if radius == 5 { 5 } else { 3 };
            let n = radius * STEPS;
            let table = (0..n + 2)
                .map(|i| {
                    if i % STEPS == 0 && i > 0 {
                        0.0
                    } else {
                        lanczos(i as f64 / STEPS as f64, radius as f64) as f32
                    }
                })
                .collect();
            Lut { radius, table }
        })
    }

    /// The kernel at distance `d` (>= 0, in table steps: `|t| * STEPS`).
    #[inline(always)]
    fn at(&self, d: f64) -> f32 {
        if d.is_nan() || d >= (self.radius * STEPS) as f64 {
            return 0.0;
        }
        let i = d as usize;
        let fr = (d - i as f64) as f32;
        let (a, b) = (self.table[i], self.table[i + 1]);
        a + fr * (b - a)
    }
}

/// The taps along one axis: `n` weights for source indices `first..first + n`.
struct Axis {
    first: usize,
    n: usize,
    /// Sum of the in-source weights (1 with edge extension).
    sum: f32,
    /// Whether part of the window lies outside the source.
    clipped: bool,
}

#[inline(always)]
fn axis(
    f: f64,
    k: f64,
    lut: &Lut,
    len: usize,
    extend: bool,
    full: &mut [f32; MAX_TAPS],
    w: &mut [f32; MAX_TAPS],
) -> Axis {
    let f = if f.is_nan() { -1e9 } else { f.clamp(-1e9, 1e9) };
    let reach = lut.radius as f64 * k;
    let i0 = (f - reach).floor() as i64 + 1;
    let i1 = ((f + reach).floor() as i64).min(i0 + MAX_TAPS as i64 - 1);
    let n = len as i64;
    if i1 < 0 || i0 >= n || n == 0 {
        if extend && n > 0 {
            w[0] = 1.0;
            let first = if i1 < 0 { 0 } else { len - 1 };
            return Axis {
                first,
                n: 1,
                sum: 1.0,
                clipped: true,
            };
        }
        return Axis {
            first: 0,
            n: 0,
            sum: 0.0,
            clipped: true,
        };
    }
    let taps = (i1 - i0 + 1) as usize;
    let scale = STEPS as f64 / k;
    let mut total = 0f32;
    for (t, v) in full[..taps].iter_mut().enumerate() {
        let d = (f - (i0 + t as i64) as f64).abs() * scale;
        *v = lut.at(d);
        total += *v;
    }
    let norm = if total.abs() > 1e-6 { 1.0 / total } else { 1.0 };
    let lo = i0.max(0);
    let hi = i1.min(n - 1);
    let clipped = lo != i0 || hi != i1;
    let (skip, count) = ((lo - i0) as usize, (hi - lo + 1) as usize);
    let mut sum = 0f32;
    for (o, v) in w[..count].iter_mut().zip(&full[skip..skip + count]) {
        *o = v * norm;
        sum += *o;
    }
    if extend && clipped {
        let left: f32 = full[..skip].iter().sum();
        let right: f32 = full[skip + count..taps].iter().sum();
        w[0] += left * norm;
        w[count - 1] += right * norm;
        sum = 1.0;
    }
    Axis {
        first: lo as usize,
        n: count,
        sum,
        clipped,
    }
}

/// Phases per unit of an unwidened kernel's weight tables ([`Phases`]).
const PHASES: usize = 4096;

/// Destinations smaller than this (pixels) skip the weight tables (building one for a widened
/// kernel costs about as much as sampling a few thousand pixels).
const TABLE_MIN_PIXELS: usize = 4096;

/// The normalised weights of one axis, tabulated over the phase of the sample position.
///
/// For a sample at `f`, the window's taps are the source indices `first + t` with
/// `first = floor(f - reach) + 1`; the weight of tap `t` depends only on the phase
/// `p = (f - reach) - floor(f - reach)`: `L((p + reach - 1 - t) / k)` over the window's sum.
/// Row `q` of the table holds these at `p = q / phases`; positions between rows are
/// linearly interpolated (the same accuracy as [`Lut`]: the error is `h^2 / 8` times the
/// kernel's curvature, below 1e-7 per weight). Row 0 of an unwidened kernel is exactly
/// `[0, .., 0, 1, 0, ..]`, so integer positions copy pixels exactly.
#[derive(Clone, Debug)]
pub struct Phases {
    /// Half-width of the window in source pixels (`radius * k`).
    pub reach: f64,
    /// Taps per window (weights beyond a window's own taps are 0).
    pub taps: usize,
    /// Floats per row: `taps` rounded up to a multiple of 8, zero padded.
    pub stride: usize,
    phases: usize,
    w: Vec<f32>,
}

impl Phases {
    fn build(radius: usize, k: f64) -> Phases {
        let reach = radius as f64 * k;
        let taps = ((2.0 * reach).ceil() as usize).clamp(1, MAX_TAPS);
        let stride = taps.next_multiple_of(8);
        // The interpolation error scales as (step / k)^2: wider kernels need fewer phases.
        let phases = ((PHASES as f64 / k.ceil()) as usize).max(256);
        let mut w = vec![0f32; (phases + 1) * stride];
        let mut vals = [0f64; MAX_TAPS];
        for (q, row) in w.chunks_exact_mut(stride).enumerate() {
            let p = q as f64 / phases as f64;
            let mut sum = 0.0;
            for (t, v) in vals[..taps].iter_mut().enumerate() {
                let d = (p + reach - 1.0 - t as f64) / k;
                *v = if d != 0.0 && d.fract() == 0.0 {
                    0.0
                } else {
                    lanczos(d, radius as f64)
                };
                sum += *v;
            }
            let norm = if sum.abs() > 1e-6 { 1.0 / sum } else { 1.0 };
            for (o, v) in row.iter_mut().zip(&vals[..taps]) {
                *o = (v * norm) as f32;
            }
        }
        Phases {
            reach,
            taps,
            stride,
            phases,
            w,
        }
    }

    /// The table of a `radius` kernel widened by `k` (cached for `k == 1`).
    pub fn get(radius: usize, k: f64) -> std::borrow::Cow<'static, Phases> {
        static P3: OnceLock<Phases> = OnceLock::new();
        static P5: OnceLock<Phases> = OnceLock::new();
        if k == 1.0 {
            let cell = if radius == 5 { &P5 } else { &P3 };
            return std::borrow::Cow::Borrowed(cell.get_or_init(|| Phases::build(radius, 1.0)));
        }
        std::borrow::Cow::Owned(Phases::build(radius, k))
    }

    /// For `g = f - reach` (finite): the first tap's source index, the offset of the table
    /// row below the phase, and the fraction towards the next row.
    #[inline(always)]
    pub fn locate(&self, g: f64) -> (i64, usize, f32) {
        let fl = g.floor();
        let qf = (g - fl) * self.phases as f64;
        let q = (qf as usize).min(self.phases - 1);
        (fl as i64 + 1, q * self.stride, (qf - q as f64) as f32)
    }

    /// The table (`phases + 1` rows of `stride` floats).
    #[inline(always)]
    pub fn rows(&self) -> &[f32] {
        &self.w
    }

    /// The weights at table offset `at` and fraction `fr` ([`Phases::locate`]), portable.
    #[cfg(test)]
    fn weights(&self, at: usize, fr: f32) -> Vec<f32> {
        let (a, b) = (&self.w[at..at + self.taps], &self.w[at + self.stride..]);
        a.iter().zip(b).map(|(a, b)| a + fr * (b - a)).collect()
    }
}

/// Warps `p`'s source into its destination.
pub fn warp(p: &Pair, format: Format, prm: &Params, tile: bool) {
    let lut = Lut::get(prm.radius);
    let (kx, ky) = prm.map.widening();
    let fast = cfg!(target_arch = "x86_64")
        && fast_path()
        && p.dst().width() * p.dst().height() >= TABLE_MIN_PIXELS;
    let tx = fast.then(|| Phases::get(prm.radius, kx));
    let ty_own = (fast && ky != kx).then(|| Phases::get(prm.radius, ky));
    let tabs = tx.as_deref().map(|x| (x, ty_own.as_deref().unwrap_or(x)));
    let work = |rows: Range<usize>| match format {
        Format::Planar8 => band_dispatch::<u8, 1>(p, prm, lut, tabs, rows),
        Format::PlanarF => band_dispatch::<f32, 1>(p, prm, lut, tabs, rows),
        Format::ARGB8888 => band_dispatch::<u8, 4>(p, prm, lut, tabs, rows),
        Format::ARGB16U => band_dispatch::<u16, 4>(p, prm, lut, tabs, rows),
        Format::ARGB16S => band_dispatch::<i16, 4>(p, prm, lut, tabs, rows),
        Format::ARGBFFFF => band_dispatch::<f32, 4>(p, prm, lut, tabs, rows),
    };
    p.bands(tile, work);
}

/// Whether an instruction-set version with the tabulated interior path runs here.
fn fast_path() -> bool {
    #[cfg(target_arch = "x86_64")]
    if Level::detect() >= Level::Avx2 {
        return true;
    }
    false
}

/// The x and y weight tables of the interior path, when it runs.
pub(super) type Tables<'a> = Option<(&'a Phases, &'a Phases)>;

fn band_dispatch<E: Elem, const C: usize>(
    p: &Pair,
    prm: &Params,
    lut: &Lut,
    tabs: Tables,
    rows: Range<usize>,
) {
    #[cfg(target_arch = "x86_64")]
    if Level::detect() >= Level::Avx2 {
        // SAFETY: the CPU has AVX2 and FMA (Level::detect).
        unsafe { super::avx2::warp_band::<E, C>(p, prm, lut, tabs, rows) };
        return;
    }
    let _ = tabs;
    band::<E, C>(p, prm, lut, rows)
}

/// Destination rows `rows` of the warp, every pixel through [`Edge::pixel`] (portable).
pub(super) fn band<E: Elem, const C: usize>(p: &Pair, prm: &Params, lut: &Lut, rows: Range<usize>) {
    let m = prm.map;
    let mut edge = Edge::<E, C>::new(p, prm, lut);
    for r in rows {
        // SAFETY: this band owns destination row r.
        let d = unsafe { p.dst_row(r) };
        let rf = r as f64;
        let (bx, by) = (m.x0 + m.xr * rf, m.y0 + m.yr * rf);
        for (i, out) in d.chunks_exact_mut(C * E::SIZE).enumerate() {
            let fi = i as f64;
            edge.pixel(bx + m.xi * fi, by + m.yi * fi, out);
        }
    }
}

/// The general per-pixel sampler: weights computed tap by tap, windows clipped to the source,
/// background or edge extension outside (every pixel the interior path does not take).
pub(super) struct Edge<'a, E, const C: usize> {
    p: &'a Pair,
    prm: &'a Params,
    lut: &'a Lut,
    kx: f64,
    ky: f64,
    back_px: [u8; 16],
    full: [f32; MAX_TAPS],
    wx: [f32; MAX_TAPS],
    wy: [f32; MAX_TAPS],
    _e: std::marker::PhantomData<E>,
}

impl<'a, E: Elem, const C: usize> Edge<'a, E, C> {
    #[inline(always)]
    pub(super) fn new(p: &'a Pair, prm: &'a Params, lut: &'a Lut) -> Self {
        let (kx, ky) = prm.map.widening();
        let mut back_px = [0u8; 16];
        for c in 0..C {
            E::store(prm.back[c], &mut back_px[c * E::SIZE..]);
        }
        Edge {
            p,
            prm,
            lut,
            kx,
            ky,
            back_px,
            full: [0.0; MAX_TAPS],
            wx: [0.0; MAX_TAPS],
            wy: [0.0; MAX_TAPS],
            _e: std::marker::PhantomData,
        }
    }

    /// Destination pixel `out` sampled at source position (`fx`, `fy`).
    #[inline(always)]
    #[allow(clippy::needless_range_loop)] // channel loops over fixed-size arrays
    pub(super) fn pixel(&mut self, fx: f64, fy: f64, out: &mut [u8]) {
        let (p, prm) = (self.p, self.prm);
        let bpp = C * E::SIZE;
        let (sw, sh) = (p.src().width(), p.src().height());
        let ax = axis(
            fx,
            self.kx,
            self.lut,
            sw,
            prm.extend,
            &mut self.full,
            &mut self.wx,
        );
        let ay = axis(
            fy,
            self.ky,
            self.lut,
            sh,
            prm.extend,
            &mut self.full,
            &mut self.wy,
        );
        if ax.n == 0 || ay.n == 0 {
            out.copy_from_slice(&self.back_px[..bpp]);
            return;
        }
        let mut acc = [0f32; C];
        for (j, &wj) in self.wy[..ay.n].iter().enumerate() {
            let row = &p.src_row(ay.first + j)[ax.first * bpp..(ax.first + ax.n) * bpp];
            let mut h = [0f32; C];
            for (px, &w) in row.chunks_exact(bpp).zip(&self.wx[..ax.n]) {
                let v = E::load_px::<C>(px);
                for c in 0..C {
                    h[c] += w * v[c];
                }
            }
            for c in 0..C {
                acc[c] += wj * h[c];
            }
        }
        if !prm.extend && (ax.clipped || ay.clipped) {
            let k = 1.0 - ax.sum * ay.sum;
            for c in 0..C {
                acc[c] += k * prm.back[c];
            }
        }
        for c in 0..C {
            E::store(acc[c], &mut out[c * E::SIZE..]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_exact_at_integers_and_close_elsewhere() {
        for r in [3usize, 5] {
            let lut = Lut::get(r);
            assert_eq!(lut.at(0.0), 1.0);
            for k in 1..=r {
                assert_eq!(lut.at((k * STEPS) as f64), 0.0);
            }
            let mut worst = 0f64;
            for i in 0..10_000 {
                let x = i as f64 * r as f64 / 10_000.0 + 1e-4;
                let e = (lut.at(x * STEPS as f64) as f64 - lanczos(x, r as f64)).abs();
                worst = worst.max(e);
            }
            assert!(worst < 2e-7, "radius {r}: {worst}");
        }
    }

    #[test]
    fn axis_weights_sum_to_one_and_fold_with_edge_extension() {
        let lut = Lut::get(3);
        let mut full = [0f32; MAX_TAPS];
        let mut w = [0f32; MAX_TAPS];
        let a = axis(10.3, 1.0, lut, 40, false, &mut full, &mut w);
        assert_eq!((a.first, a.n, a.clipped), (8, 6, false));
        assert!((a.sum - 1.0).abs() < 1e-6);
        let a = axis(0.5, 1.0, lut, 40, false, &mut full, &mut w);
        assert_eq!((a.first, a.n, a.clipped), (0, 4, true));
        assert!(a.sum < 1.2 && a.sum > 0.9, "{}", a.sum);
        let a = axis(0.5, 1.0, lut, 40, true, &mut full, &mut w);
        let s: f32 = w[..a.n].iter().sum();
        assert!((s - 1.0).abs() < 1e-6);
        let a = axis(-50.0, 2.0, lut, 40, false, &mut full, &mut w);
        assert_eq!(a.n, 0);
        let a = axis(90.0, 2.0, lut, 40, true, &mut full, &mut w);
        assert_eq!((a.first, a.n), (39, 1));
        let a = axis(7.0, 1.0, lut, 40, false, &mut full, &mut w);
        assert_eq!(&w[..a.n], &[0.0, 0.0, 1.0, 0.0, 0.0, 0.0]);
    }
}

#[cfg(test)]
mod table_tests {
    use super::super::Surface;
    use super::*;

    #[test]
    fn phase_tables_match_the_per_tap_weights() {
        let lut3 = Lut::get(3);
        let lut5 = Lut::get(5);
        let mut full = [0f32; MAX_TAPS];
        let mut w = [0f32; MAX_TAPS];
        for (radius, k) in [(3, 1.0), (5, 1.0), (3, 2.0), (3, 1.37), (5, 2.7), (3, 16.0)] {
            let t = Phases::get(radius, k);
            let lut = if radius == 5 { lut5 } else { lut3 };
            for i in 0..2000 {
                let f = 200.0 + i as f64 * 0.01731;
                let (first, at, fr) = t.locate(f - t.reach);
                let a = axis(f, k, lut, 1000, false, &mut full, &mut w);
                assert!(!a.clipped);
                assert_eq!(a.first as i64, first, "r{radius} k{k} f{f}");
                assert!(a.n <= t.taps);
                let got = t.weights(at, fr);
                for (tap, g) in got.iter().enumerate() {
                    let want = if tap < a.n { w[tap] } else { 0.0 };
                    assert!((g - want).abs() < 2e-6, "r{radius} k{k} f{f} tap {tap}");
                }
            }
            if k == 1.0 {
                let (_, at, fr) = t.locate(17.0 - t.reach);
                let mut unit = vec![0f32; t.taps];
                unit[radius - 1] = 1.0;
                assert_eq!(t.weights(at, fr), unit);
            }
        }
    }

    fn rng_bytes(n: usize, seed: u64) -> Vec<u8> {
        let mut s = seed | 1;
        (0..n)
            .map(|_| {
                s ^= s << 13;
                s ^= s >> 7;
                s ^= s << 17;
                (s >> 24) as u8
            })
            .collect()
    }

    #[test]
    fn interior_path_matches_the_edge_path() {
        let formats = [
            Format::Planar8,
            Format::PlanarF,
            Format::ARGB8888,
            Format::ARGB16U,
            Format::ARGB16S,
            Format::ARGBFFFF,
        ];
        let maps = [
            (0.3f64, 1.0f64, 0.0f64),
            (-2.0, 1.0, 0.2),
            (0.7, 0.5, 0.0),
            (1.2, 0.37, 0.4),
            (0.0, 1.0, 0.0),
        ];
        for format in formats {
            for (mi, &(angle, scale, shear)) in maps.iter().enumerate() {
                for (radius, extend) in [(3, false), (5, true), (3, true)] {
                    let (sw, sh, dw, dh) = (97, 75, 71, 66);
                    let bpp = format.bpp();
                    let mut src = rng_bytes(sw * sh * bpp, 7 + mi as u64);
                    if format.sample_size() == 4 {
                        for c in src.chunks_exact_mut(4) {
                            let v = c[0] as f32 / 128.0 - 0.5;
                            c.copy_from_slice(&v.to_ne_bytes());
                        }
                    }
                    let (s, c) = angle.sin_cos();
                    let map = Map {
                        x0: 12.3,
                        xi: c / scale,
                        xr: (-s + shear) / scale,
                        y0: -3.1,
                        yi: s / scale,
                        yr: c / scale,
                    };
                    let prm = Params {
                        map,
                        radius,
                        extend,
                        back: [10.0, 200.0, 0.25, 77.0],
                    };
                    let mut a = vec![0u8; dw * dh * bpp];
                    let mut b = vec![0u8; dw * dh * bpp];
                    let ss = Surface::of_slice(&mut src, sw * bpp, sw, sh, bpp).unwrap();
                    let pa = Pair::new(
                        ss,
                        Surface::of_slice(&mut a, dw * bpp, dw, dh, bpp).unwrap(),
                    )
                    .unwrap();
                    let pb = Pair::new(
                        ss,
                        Surface::of_slice(&mut b, dw * bpp, dw, dh, bpp).unwrap(),
                    )
                    .unwrap();
                    warp(&pa, format, &prm, false);
                    let lut = Lut::get(radius);
                    match format {
                        Format::Planar8 => band::<u8, 1>(&pb, &prm, lut, 0..dh),
                        Format::PlanarF => band::<f32, 1>(&pb, &prm, lut, 0..dh),
                        Format::ARGB8888 => band::<u8, 4>(&pb, &prm, lut, 0..dh),
                        Format::ARGB16U => band::<u16, 4>(&pb, &prm, lut, 0..dh),
                        Format::ARGB16S => band::<i16, 4>(&pb, &prm, lut, 0..dh),
                        Format::ARGBFFFF => band::<f32, 4>(&pb, &prm, lut, 0..dh),
                    }
                    let n = format.sample_size();
                    for (i, (x, y)) in a.chunks_exact(n).zip(b.chunks_exact(n)).enumerate() {
                        let (x, y) = match format.sample_size() {
                            1 => (x[0] as f64, y[0] as f64),
                            2 if format == Format::ARGB16S => (
                                i16::from_ne_bytes([x[0], x[1]]) as f64,
                                i16::from_ne_bytes([y[0], y[1]]) as f64,
                            ),
                            2 => (
                                u16::from_ne_bytes([x[0], x[1]]) as f64,
                                u16::from_ne_bytes([y[0], y[1]]) as f64,
                            ),
                            _ => (
                                f32::from_ne_bytes(x.try_into().unwrap()) as f64,
                                f32::from_ne_bytes(y.try_into().unwrap()) as f64,
                            ),
                        };
                        let tol = if n == 4 { 2e-6 * y.abs().max(1.0) } else { 1.0 };
                        assert!(
                            (x - y).abs() <= tol,
                            "{format:?} map {mi} r{radius} sample {i}: {x} vs {y}"
                        );
                    }
                }
            }
        }
    }
}
