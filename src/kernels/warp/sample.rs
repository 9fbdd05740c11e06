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

/// One sample type.
pub trait Elem: Copy + 'static {
    const SIZE: usize;
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
const MAX_TAPS: usize = 2 * 5 * MAX_WIDENING as usize + 2;

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

/// Warps `p`'s source into its destination.
pub fn warp(p: &Pair, format: Format, prm: &Params, tile: bool) {
    let lut = Lut::get(prm.radius);
    let work = |rows: Range<usize>| match format {
        Format::Planar8 => band_dispatch::<u8, 1>(p, prm, lut, rows),
        Format::PlanarF => band_dispatch::<f32, 1>(p, prm, lut, rows),
        Format::ARGB8888 => band_dispatch::<u8, 4>(p, prm, lut, rows),
        Format::ARGB16U => band_dispatch::<u16, 4>(p, prm, lut, rows),
        Format::ARGB16S => band_dispatch::<i16, 4>(p, prm, lut, rows),
        Format::ARGBFFFF => band_dispatch::<f32, 4>(p, prm, lut, rows),
    };
    p.bands(tile, work);
}

fn band_dispatch<E: Elem, const C: usize>(p: &Pair, prm: &Params, lut: &Lut, rows: Range<usize>) {
    #[cfg(target_arch = "x86_64")]
    if Level::detect() >= Level::Avx2 {
        // SAFETY: the CPU has AVX2 and FMA (Level::detect).
        unsafe { super::avx2::warp_band::<E, C>(p, prm, lut, rows) };
        return;
    }
    band::<E, C>(p, prm, lut, rows)
}

/// Destination rows `rows` of the warp (the body every instruction-set version compiles).
#[inline(always)]
#[allow(clippy::needless_range_loop)] // channel loops over fixed-size arrays
pub(super) fn band<E: Elem, const C: usize>(p: &Pair, prm: &Params, lut: &Lut, rows: Range<usize>) {
    let m = prm.map;
    let (kx, ky) = m.widening();
    let bpp = C * E::SIZE;
    let (sw, sh) = (p.src().width(), p.src().height());
    let mut back_px = [0u8; 16];
    for c in 0..C {
        E::store(prm.back[c], &mut back_px[c * E::SIZE..]);
    }
    let back_px = &back_px[..bpp];
    let mut full = [0f32; MAX_TAPS];
    let mut wx = [0f32; MAX_TAPS];
    let mut wy = [0f32; MAX_TAPS];
    for r in rows {
        // SAFETY: this band owns destination row r.
        let d = unsafe { p.dst_row(r) };
        let rf = r as f64;
        let (bx, by) = (m.x0 + m.xr * rf, m.y0 + m.yr * rf);
        for (i, out) in d.chunks_exact_mut(bpp).enumerate() {
            let fi = i as f64;
            let ax = axis(bx + m.xi * fi, kx, lut, sw, prm.extend, &mut full, &mut wx);
            let ay = axis(by + m.yi * fi, ky, lut, sh, prm.extend, &mut full, &mut wy);
            if ax.n == 0 || ay.n == 0 {
                out.copy_from_slice(back_px);
                continue;
            }
            let mut acc = [0f32; C];
            for (j, &wj) in wy[..ay.n].iter().enumerate() {
                let row = &p.src_row(ay.first + j)[ax.first * bpp..(ax.first + ax.n) * bpp];
                let mut h = [0f32; C];
                for (px, &w) in row.chunks_exact(bpp).zip(&wx[..ax.n]) {
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
