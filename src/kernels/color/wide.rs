//! 16-bit and float colour kernels for matrix/TRC and gray/TRC transforms ([`ColorKernelWide`]).
//!
//! Samples are read as f32 in [0, 1] (or beyond, for extended float spaces); each curve is a
//! table over the bits of the f32 value ([`Domain`] with 2^8 entries per octave from 2^-32,
//! and up to 2^7 for extended spaces), linearly interpolated between entries: on a power-like
//! curve the relative error is about `g (g - 1) / 8 * 2^-16` (below 1e-5). Values below 2^-32
//! are interpolated linearly from the curve at 0; values beyond the table (huge, infinite,
//! NaN) take the exact f64 curve, so every special value behaves as the reference says.
//! Extended spaces mirror the curve (`sign(x) * f(|x|)`). The matrix is f32 (skipped when it
//! is the identity). 16-bit results are quantised as the reference does and the alpha stage
//! uses its integer formulas; float alpha is real arithmetic.

use super::enc::Domain;
use crate::color::def::Curve;
use crate::color::transform::{self, Transform};
use crate::convert::layout::{Alpha, Layout, Packing, Sample};

const DOMAIN: Domain = Domain { e: 32, m: 8 };
/// Octaves above 1 an extended curve's table covers.
const UP: u32 = 7;

/// One curve direction as an interpolated table.
#[derive(Debug, Clone)]
struct Interp {
    table: Vec<f32>,
    /// The curve at 0 (values below 2^-32 interpolate from it).
    at0: f32,
    /// The largest value the table covers.
    top: f32,
    extended: bool,
    decode: bool,
    curve: Curve,
}

impl Interp {
    fn new(curve: &Curve, extended: bool, decode: bool) -> Interp {
        let f = |x: f64| {
            if decode {
                transform::decode(curve, x, extended)
            } else {
                transform::encode(curve, x, extended)
            }
        };
        let up = if extended { UP } else { 0 };
        let len = (((DOMAIN.e + up) as usize) << DOMAIN.m) + 2;
        let table = (0..len).map(|i| f(DOMAIN.value(i)) as f32).collect();
        Interp {
            table,
            at0: f(0.0) as f32,
            top: f32::from_bits((127 + up) << 23),
            extended,
            decode,
            curve: curve.clone(),
        }
    }

    /// The exact f64 curve (values outside the table).
    #[cold]
    fn exact(&self, x: f32) -> f32 {
        let x = f64::from(x);
        let y = if self.decode {
            transform::decode(&self.curve, x, self.extended)
        } else {
            transform::encode(&self.curve, x, self.extended)
        };
        y as f32
    }

    #[inline(always)]
    fn eval(&self, x: f32) -> f32 {
        let ax = x.abs();
        if ax.is_nan() || ax > self.top || (!self.extended && !(0.0..=1.0).contains(&x)) {
            return self.exact(x);
        }
        let low = DOMAIN.low();
        let y = if ax < low {
            self.at0 + (self.table[0] - self.at0) * (ax / low)
        } else {
            let bits = ax.to_bits();
            let i = ((bits >> DOMAIN.shift()) - DOMAIN.base()) as usize;
            let frac = (bits & ((1 << DOMAIN.shift()) - 1)) as f32
                * (1.0 / (1u32 << DOMAIN.shift()) as f32);
            let (a, b) = (self.table[i], self.table[i + 1]);
            a + (b - a) * frac
        };
        if x < 0.0 { -y } else { y }
    }
}

/// Where a layout's channels are (in samples) and how they are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Slots {
    pub(super) float: bool,
    pub(super) little: bool,
    /// Samples per pixel.
    pub(super) spp: usize,
    pub(super) n: usize,
    pub(super) colour: [usize; 3],
    pub(super) alpha: Option<usize>,
    pub(super) kind: Alpha,
}

impl Slots {
    fn of(l: &Layout) -> Option<Slots> {
        let float = match l.sample {
            Sample::Uint(16) => false,
            Sample::Float => true,
            _ => return None,
        };
        if l.packing != Packing::Samples || l.alpha == Alpha::Only {
            return None;
        }
        let n = l.colours();
        if n != 1 && n != 3 {
            return None;
        }
        let spp = l.channels();
        let size = if float { 32 } else { 16 };
        if l.bits_per_pixel as usize != size * spp {
            return None;
        }
        let has_slot = l.alpha != Alpha::None;
        let first = usize::from(has_slot && l.alpha_first);
        Some(Slots {
            float,
            little: l.little_endian,
            spp,
            n,
            colour: [0, 1, 2].map(|i| first + i.min(n - 1)),
            alpha: has_slot.then_some(if l.alpha_first { 0 } else { n }),
            kind: l.alpha,
        })
    }

    fn bytes(&self) -> usize {
        self.spp * if self.float { 4 } else { 2 }
    }

    /// Sample `i` of a pixel: f32 bits, or a u16 widened.
    #[inline(always)]
    fn read(&self, p: &[u8], i: usize) -> u32 {
        if self.float {
            let b: [u8; 4] = p[4 * i..4 * i + 4].try_into().unwrap_or_default();
            if self.little {
                u32::from_le_bytes(b)
            } else {
                u32::from_be_bytes(b)
            }
        } else {
            let b = [p[2 * i], p[2 * i + 1]];
            u32::from(if self.little {
                u16::from_le_bytes(b)
            } else {
                u16::from_be_bytes(b)
            })
        }
    }

    #[inline(always)]
    fn write(&self, p: &mut [u8], i: usize, v: u32) {
        if self.float {
            let b = if self.little {
                v.to_le_bytes()
            } else {
                v.to_be_bytes()
            };
            p[4 * i..4 * i + 4].copy_from_slice(&b);
        } else {
            let v = v as u16;
            let b = if self.little {
                v.to_le_bytes()
            } else {
                v.to_be_bytes()
            };
            p[2 * i..2 * i + 2].copy_from_slice(&b);
        }
    }
}

/// Whether the top-left `n` x `n` block of `m` is within 1e-12 of the identity.
pub(super) fn near_identity(m: &crate::color::def::Mat3, n: usize) -> bool {
    (0..n).all(|j| (0..n).all(|k| (m[j][k] - if j == k { 1.0 } else { 0.0 }).abs() <= 1e-12))
}

/// A 16-bit (u16 -> u16) or float (f32 -> f32) colour-managed row conversion.
#[derive(Debug)]
pub struct ColorKernelWide {
    src: Slots,
    dst: Slots,
    dec: Vec<Interp>,
    enc: Vec<Interp>,
    m: [[f32; 3]; 3],
    identity: bool,
    /// Background per colour channel: real, and quantised to 16 bits.
    bg: [f32; 3],
    bg16: [u32; 3],
    /// Float transforms that map each sample alone, on AVX-512 machines.
    #[cfg(target_arch = "x86_64")]
    lanemap: Option<Box<super::avx512_f32::LaneMapF32>>,
}

impl ColorKernelWide {
    /// The kernel for two 16-bit or two float layouts and a matrix/TRC (or gray/TRC)
    /// transform with smooth curves, if it applies.
    pub fn new(
        src: &Layout,
        dst: &Layout,
        t: &Transform,
        background: &[f64; 4],
    ) -> Option<ColorKernelWide> {
        if !t.is_shaper() {
            return None;
        }
        let s = Slots::of(src)?;
        let d = Slots::of(dst)?;
        if s.float != d.float || s.n != t.src_components() || d.n != t.dst_components() {
            return None;
        }
        let smooth =
            |c: &Curve| matches!(c, Curve::Linear | Curve::Gamma(_) | Curve::Parametric(_));
        let (ext_in, ext_out) = t.extended();
        let mut dec = Vec::new();
        for k in 0..s.n {
            let c = t.src_curve(k)?;
            if !smooth(c) {
                return None;
            }
            dec.push(Interp::new(c, ext_in && s.float, true));
        }
        let mut enc = Vec::new();
        for j in 0..d.n {
            let c = t.dst_curve(j)?;
            if !smooth(c) {
                return None;
            }
            enc.push(Interp::new(c, ext_out && d.float, false));
        }
        let mf = t.matrix();
        let m = std::array::from_fn(|j| {
            std::array::from_fn(|k| {
                if j < d.n && k < s.n {
                    mf[j][k] as f32
                } else {
                    0.0
                }
            })
        });
        let identity = s.n == d.n && near_identity(mf, 3);
        let q16 = |b: f64| (b * 65535.0).round().clamp(0.0, 65535.0) as u32;
        Some(ColorKernelWide {
            src: s,
            dst: d,
            dec,
            enc,
            m,
            identity,
            bg: [0, 1, 2].map(|i| background[i] as f32),
            bg16: [0, 1, 2].map(|i| q16(background[i])),
            #[cfg(target_arch = "x86_64")]
            lanemap: super::avx512_f32::LaneMapF32::new(&s, &d, t).map(Box::new),
        })
    }

    /// The AVX-512 lane map, if this machine and transform have one.
    #[cfg(target_arch = "x86_64")]
    pub fn lanemap(&self) -> Option<&super::avx512_f32::LaneMapF32> {
        self.lanemap.as_deref()
    }

    pub fn name(&self) -> &'static str {
        #[cfg(target_arch = "x86_64")]
        if let Some(k) = &self.lanemap {
            return k.name();
        }
        if self.src.float {
            "colorf32-interp"
        } else {
            "color16-interp"
        }
    }

    /// Converts `width` pixels.
    pub fn run(&self, src: &[u8], dst: &mut [u8], width: usize) {
        #[cfg(target_arch = "x86_64")]
        if let Some(k) = &self.lanemap {
            return k.run(src, dst, width);
        }
        self.run_tables(src, dst, width)
    }

    /// The table kernel (everything the lane map does not take).
    pub fn run_tables(&self, src: &[u8], dst: &mut [u8], width: usize) {
        let (s, d) = (&self.src, &self.dst);
        for (ps, pd) in src
            .chunks_exact(s.bytes())
            .zip(dst.chunks_exact_mut(d.bytes()))
            .take(width)
        {
            if s.float {
                self.pixel_f32(ps, pd);
            } else {
                self.pixel_u16(ps, pd);
            }
        }
    }

    /// Straight encoded source values -> encoded destination values.
    #[inline(always)]
    fn colour(&self, c: [f32; 3]) -> [f32; 3] {
        let mut l = [0.0f32; 3];
        for (k, v) in l.iter_mut().enumerate().take(self.src.n) {
            *v = self.dec[k].eval(c[k]);
        }
        let y = if self.identity {
            l
        } else {
            [0, 1, 2].map(|j| self.m[j][0] * l[0] + self.m[j][1] * l[1] + self.m[j][2] * l[2])
        };
        let mut o = [0.0f32; 3];
        for (j, v) in o.iter_mut().enumerate().take(self.dst.n) {
            *v = self.enc[j].eval(y[j]);
        }
        o
    }

    #[inline(always)]
    fn pixel_u16(&self, ps: &[u8], pd: &mut [u8]) {
        let (s, d) = (&self.src, &self.dst);
        let cov = s.kind.has_coverage();
        let a = match s.alpha {
            Some(at) if cov => s.read(ps, at),
            _ => 65535,
        };
        let mut c = [0.0f32; 3];
        for (k, v) in c.iter_mut().enumerate().take(s.n) {
            let x = s.read(ps, s.colour[k]);
            let x = if s.kind == Alpha::Premultiplied {
                (x.min(a) * 65535 + a / 2).checked_div(a).unwrap_or(0)
            } else {
                x
            };
            *v = x as f32 * (1.0 / 65535.0);
        }
        let o = self.colour(c);
        for (j, &oj) in o.iter().enumerate().take(d.n) {
            let v = f64::from(oj) * 65535.0;
            let v = v.round_ties_even();
            let v = if v > 0.0 { v.min(65535.0) as u32 } else { 0 };
            let v = if cov {
                match d.kind {
                    Alpha::Premultiplied => (v * a + 32767) / 65535,
                    Alpha::None => {
                        let p = (v * a + 32767) / 65535;
                        (p + ((65535 - a) * self.bg16[j] + 32767) / 65535).min(65535)
                    }
                    _ => v,
                }
            } else {
                v
            };
            d.write(pd, d.colour[j], v);
        }
        if let Some(at) = d.alpha {
            d.write(pd, at, a);
        }
    }

    #[inline(always)]
    fn pixel_f32(&self, ps: &[u8], pd: &mut [u8]) {
        let (s, d) = (&self.src, &self.dst);
        let cov = s.kind.has_coverage();
        let a = match s.alpha {
            Some(at) if cov => f32::from_bits(s.read(ps, at)),
            _ => 1.0,
        };
        let mut c = [0.0f32; 3];
        for (k, v) in c.iter_mut().enumerate().take(s.n) {
            let x = f32::from_bits(s.read(ps, s.colour[k]));
            *v = if s.kind == Alpha::Premultiplied {
                if a == 0.0 { 0.0 } else { x / a }
            } else {
                x
            };
        }
        let o = self.colour(c);
        for (j, &v) in o.iter().enumerate().take(d.n) {
            let v = if cov {
                match d.kind {
                    Alpha::Premultiplied => v * a,
                    Alpha::None => v * a + (1.0 - a) * self.bg[j],
                    _ => v,
                }
            } else {
                v
            };
            d.write(pd, d.colour[j], v.to_bits());
        }
        if let Some(at) = d.alpha {
            d.write(pd, at, a.to_bits());
        }
    }
}
