//! Colour transform row kernels: 8-bit matrix/TRC and gray/TRC conversions through tables.
//!
//! Per pixel: the source bytes (straightened first with Apple's integer unpremultiply when the
//! source is premultiplied) index a 256-entry f32 table per channel giving linear light; one
//! 3x3 matrix in f32 (source linear -> destination linear); the destination curve through a
//! table of [`ENC_SIZE`] bytes indexed by `sqrt(clamp(linear, 0, 1))`. The square-root index
//! spends the entries where the curves are steep (near black: a pure power curve has infinite
//! slope at 0, the sRGB toe 12.92), so one table serves every curve within a fraction of a code.
//! The alpha stage then follows the reference's integer formulas exactly (premultiply
//! `(c * a + 127) / 255`, flatten over the quantised background).
//!
//! Tables are built per converter from the transform (`ColorKernel8::new`); the portable loop
//! is here, the AVX2 one in `avx2.rs`.

#[cfg(target_arch = "x86_64")]
mod avx2;

use crate::color::transform::Transform;
use crate::convert::layout::{Alpha, Layout, Packing, Sample};

/// Entries of the encoding table (indexed by `round(sqrt(linear) * (ENC_SIZE - 1))`).
pub const ENC_SIZE: usize = 8192;
/// Bytes after the table, so a 4-byte gather at the last entry stays inside.
const ENC_PAD: usize = 4;

/// Where a layout's channels are in an 8-bit pixel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Slots8 {
    bpp: usize,
    n: usize,
    colour: [usize; 3],
    /// The alpha or padding byte.
    alpha: Option<usize>,
    kind: Alpha,
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

/// An 8-bit colour-managed row conversion with its tables.
pub struct ColorKernel8 {
    src: Slots8,
    dst: Slots8,
    /// Linear light of each source byte, per source channel.
    lin: [[f32; 256]; 3],
    /// Source linear -> destination linear (rows: destination channels).
    m: [[f32; 3]; 3],
    /// The destination curves: `enc[off[j] + i]` is channel j's byte at index i.
    enc: Vec<u8>,
    off: [usize; 3],
    background: [u8; 3],
    avx2: bool,
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
        let mut lin = [[0.0f32; 256]; 3];
        for (i, table) in lin.iter_mut().enumerate().take(s.n) {
            let c = t.src_curve(i)?;
            for (v, slot) in table.iter_mut().enumerate() {
                *slot = c.to_linear(v as f64 / 255.0) as f32;
            }
        }
        let mf = t.matrix();
        let mut m = [[0.0f32; 3]; 3];
        for j in 0..d.n {
            for k in 0..s.n {
                m[j][k] = mf[j][k] as f32;
            }
        }
        // One table per distinct destination curve.
        let mut enc = Vec::new();
        let mut off = [0usize; 3];
        let mut built: Vec<(&crate::color::def::Curve, usize)> = Vec::new();
        for (j, o) in off.iter_mut().enumerate().take(d.n) {
            let c = t.dst_curve(j)?;
            if let Some(&(_, at)) = built.iter().find(|(b, _)| *b == c) {
                *o = at;
                continue;
            }
            let at = enc.len();
            for i in 0..ENC_SIZE {
                let r = i as f64 / (ENC_SIZE - 1) as f64;
                enc.push(quantize8(c.from_linear(r * r)));
            }
            enc.extend([0u8; ENC_PAD]);
            built.push((c, at));
            *o = at;
        }
        let q = |b: f64| (b * 255.0).round().clamp(0.0, 255.0) as u8;
        Some(ColorKernel8 {
            src: s,
            dst: d,
            lin,
            m,
            enc,
            off,
            background: [q(background[0]), q(background[1]), q(background[2])],
            avx2: avx2_available(),
        })
    }

    pub fn name(&self) -> &'static str {
        if self.avx2 {
            "color8-matrix-trc/avx2"
        } else {
            "color8-matrix-trc/scalar"
        }
    }

    /// Converts `width` pixels.
    pub fn run(&self, src: &[u8], dst: &mut [u8], width: usize) {
        let src = &src[..width * self.src.bpp];
        let dst = &mut dst[..width * self.dst.bpp];
        #[cfg(target_arch = "x86_64")]
        if self.avx2 {
            let done = avx2::run(self, src, dst, width);
            self.run_scalar(
                &src[done * self.src.bpp..],
                &mut dst[done * self.dst.bpp..],
                width - done,
            );
            return;
        }
        self.run_scalar(src, dst, width);
    }

    /// The portable loop (also the tail of the vector one).
    pub fn run_scalar(&self, src: &[u8], dst: &mut [u8], width: usize) {
        let (s, d) = (&self.src, &self.dst);
        for (ps, pd) in src
            .chunks_exact(s.bpp)
            .zip(dst.chunks_exact_mut(d.bpp))
            .take(width)
        {
            let (c, a) = self.straight(ps);
            let mut l = [0.0f32; 3];
            for (k, v) in l.iter_mut().enumerate().take(s.n) {
                *v = self.lin[k][c[k] as usize];
            }
            for j in 0..d.n {
                let y = self.m[j][0] * l[0] + self.m[j][1] * l[1] + self.m[j][2] * l[2];
                let v = self.enc[self.off[j] + enc_index(y)];
                pd[d.colour[j]] = self.alpha_op(v, a, j);
            }
            if let Some(at) = d.alpha {
                pd[at] = a;
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
                unpremultiply8(x, a)
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

/// The encoding table index of a linear value: `round(sqrt(clamp(y, 0, 1)) * (ENC_SIZE - 1))`.
#[inline(always)]
fn enc_index(y: f32) -> usize {
    let y = if y > 0.0 { y.min(1.0) } else { 0.0 }; // NaN -> 0
    (y.sqrt() * (ENC_SIZE - 1) as f32 + 0.5) as usize
}

fn avx2_available() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}
