//! The scalar reference conversion: one pixel at a time, exactly as the rules say. Every fast
//! path is tested bit for bit against it.
//!
//! Pipeline (§4.6 rule 16, with §7's measurements): read the source pixel; change colour model
//! if needed (in floating point, on straight colours); convert every channel to the
//! destination's precision (widening is exact, narrowing rounds to nearest and clamps); change
//! alpha in the destination's precision (the 8-bit formulas of §7 fall out of the integer
//! forms below); write the destination pixel.

use super::layout::{Alpha, Layout, Packing, Sample};
use crate::color::transform::Transform;
use crate::format::ColorModel;

/// A channel value: an integer out of `max`, or a real number (float, half, 16Q12 sources).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Num {
    Int(u32, u32),
    Real(f64),
}

impl Num {
    fn real(self) -> f64 {
        match self {
            Num::Int(v, max) => f64::from(v) / f64::from(max),
            Num::Real(x) => x,
        }
    }

    /// In the domain of a destination channel: an integer out of `max` or a real.
    fn to_domain(self, max: Option<u32>) -> Num {
        match (self, max) {
            (Num::Int(v, m), Some(dm)) if m == dm => Num::Int(v, dm),
            // Round half up; with odd maxima (2^n - 1) no exact half occurs except from 1-bit.
            (Num::Int(v, m), Some(dm)) => Num::Int(
                ((u64::from(v) * u64::from(dm) * 2 + u64::from(m)) / (2 * u64::from(m))) as u32,
                dm,
            ),
            (Num::Real(x), Some(dm)) => Num::Int(quantize(x, dm), dm),
            (n, None) => Num::Real(n.real()),
        }
    }
}

/// Round to nearest (ties to even) and clamp to [0, max]; NaN becomes 0.
pub fn quantize(x: f64, max: u32) -> u32 {
    let v = (x * f64::from(max)).round_ties_even();
    if v.is_nan() || v <= 0.0 {
        0
    } else if v >= f64::from(max) {
        max
    } else {
        v as u32
    }
}

/// A pixel: up to four colour channels and alpha (meaningful per the layout's `Alpha`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pixel {
    pub colour: [Num; 4],
    pub alpha: Num,
}

const ZERO: Num = Num::Int(0, 1);

/// Converts `width` pixels of one row, without colour management (a model change takes the
/// layout-level approximation; see [`convert_row_with`]).
pub fn convert_row(
    src: &Layout,
    dst: &Layout,
    background: &[f64; 4],
    src_row: &[u8],
    dst_row: &mut [u8],
    width: usize,
) {
    convert_row_with(src, dst, background, None, src_row, dst_row, width)
}

/// Converts `width` pixels of one row, through the colour transform `colour` when the two
/// formats' spaces differ.
pub fn convert_row_with(
    src: &Layout,
    dst: &Layout,
    background: &[f64; 4],
    colour: Option<&Transform>,
    src_row: &[u8],
    dst_row: &mut [u8],
    width: usize,
) {
    for x in 0..width {
        let pixel = read_pixel(src, src_row, x);
        let pixel = convert_pixel_with(src, dst, background, colour, pixel);
        write_pixel(dst, dst_row, x, pixel);
    }
}

/// Converts one pixel from the source layout's values to the destination layout's values.
pub fn convert_pixel(src: &Layout, dst: &Layout, background: &[f64; 4], px: Pixel) -> Pixel {
    convert_pixel_with(src, dst, background, None, px)
}

/// [`convert_pixel`] with a colour transform: straight colour (integer premultiplied samples
/// are unpremultiplied with Apple's integer rounding first, §7.1), transformed in f64, then the
/// destination's precision and alpha as for any conversion.
pub fn convert_pixel_with(
    src: &Layout,
    dst: &Layout,
    background: &[f64; 4],
    colour: Option<&Transform>,
    mut px: Pixel,
) -> Pixel {
    let mut src_alpha = src.alpha;
    if let (Some(t), Some(_), Some(_)) = (colour, src.model, dst.model) {
        px = transform_pixel(src, dst, t, px);
        if src_alpha == Alpha::Premultiplied {
            src_alpha = Alpha::Straight; // transform_pixel works on straight colours
        }
    } else if src.model != dst.model && src.model.is_some() && dst.model.is_some() {
        px = change_model(src, dst, px);
        if src_alpha == Alpha::Premultiplied {
            src_alpha = Alpha::Straight; // change_model works on straight colours
        }
    }
    let maxes = channel_maxes(dst);
    let colours = dst.colours();
    let alpha_max = maxes[4];
    // Source coverage in each destination channel's domain.
    let coverage = |max: Option<u32>| -> Option<Num> {
        src_alpha.has_coverage().then(|| px.alpha.to_domain(max))
    };
    let mut out = Pixel {
        colour: [ZERO; 4],
        alpha: ZERO,
    };
    for (i, slot) in out.colour.iter_mut().enumerate().take(colours) {
        let max = maxes[i];
        let c = if src_alpha == Alpha::Only {
            Num::Int(0, 1).to_domain(max)
        } else {
            px.colour[i].to_domain(max)
        };
        *slot = match (src_alpha, dst.alpha, coverage(max)) {
            (Alpha::Straight | Alpha::Only, Alpha::Premultiplied, Some(a)) => premultiply(c, a),
            (Alpha::Premultiplied, Alpha::Straight | Alpha::Skip, Some(a)) => unpremultiply(c, a),
            (Alpha::Straight, Alpha::None, Some(a)) => flatten(premultiply(c, a), a, background[i]),
            (Alpha::Premultiplied | Alpha::Only, Alpha::None, Some(a)) => {
                flatten(c, a, background[i])
            }
            _ => c,
        };
    }
    out.alpha = match (dst.alpha, coverage(alpha_max)) {
        (Alpha::Straight | Alpha::Premultiplied | Alpha::Only | Alpha::Skip, Some(a)) => a,
        (Alpha::Straight | Alpha::Premultiplied | Alpha::Only | Alpha::Skip, None) => {
            opaque(alpha_max)
        }
        (Alpha::None, _) => ZERO,
    };
    out
}

fn opaque(max: Option<u32>) -> Num {
    match max {
        Some(m) => Num::Int(m, m),
        None => Num::Real(1.0),
    }
}

/// `(c * a + max/2) / max`: for 8 bits, Apple's `(c*a + 127) / 255`.
fn premultiply(c: Num, a: Num) -> Num {
    match (c, a) {
        (Num::Int(c, m), Num::Int(a, _)) => Num::Int(
            ((u64::from(c) * u64::from(a) + u64::from(m / 2)) / u64::from(m)) as u32,
            m,
        ),
        (c, a) => Num::Real(c.real() * a.real()),
    }
}

/// `(min(c, a) * max + a/2) / a`, 0 when `a` is 0: Apple's measured rounding (§7.1).
fn unpremultiply(c: Num, a: Num) -> Num {
    match (c, a) {
        (Num::Int(_, m), Num::Int(0, _)) => Num::Int(0, m),
        (Num::Int(c, m), Num::Int(a, _)) => Num::Int(
            ((u64::from(c.min(a)) * u64::from(m) + u64::from(a / 2)) / u64::from(a)) as u32,
            m,
        ),
        (c, a) => {
            let a = a.real();
            Num::Real(if a == 0.0 { 0.0 } else { c.real() / a })
        }
    }
}

/// Premultiplied `p` over an opaque background: `p + ((max - a) * bg + max/2) / max` with the
/// background quantised to the channel first (§7.3).
fn flatten(p: Num, a: Num, background: f64) -> Num {
    match (p, a) {
        (Num::Int(p, m), Num::Int(a, _)) => {
            let bg = u64::from((background * f64::from(m)).round().clamp(0.0, f64::from(m)) as u32);
            let v = u64::from(p) + (u64::from(m - a.min(m)) * bg + u64::from(m / 2)) / u64::from(m);
            Num::Int(v.min(u64::from(m)) as u32, m)
        }
        (p, a) => Num::Real(p.real() + (1.0 - a.real()) * background),
    }
}

/// Integer maximum of each destination channel (colours 0..4, alpha at 4); `None` for reals.
pub fn channel_maxes(layout: &Layout) -> [Option<u32>; 5] {
    match layout.packing {
        Packing::P565 => [Some(31), Some(63), Some(31), None, Some(1)],
        Packing::P1555 { .. } => [Some(31), Some(31), Some(31), None, Some(1)],
        Packing::P1010102 { .. } => [Some(1023), Some(1023), Some(1023), None, Some(3)],
        Packing::Cif10 => [Some(1023), Some(1023), Some(1023), None, Some(3)],
        Packing::Samples => [layout.sample.max(); 5],
    }
}

/// The colour of one pixel through a transform, as straight real values.
fn transform_pixel(src: &Layout, dst: &Layout, t: &Transform, px: Pixel) -> Pixel {
    let straight = |n: Num| -> f64 {
        if src.alpha != Alpha::Premultiplied {
            return n.real();
        }
        match (n, px.alpha) {
            (Num::Int(_, m), Num::Int(_, am)) if m == am => unpremultiply(n, px.alpha).real(),
            _ => {
                let a = px.alpha.real();
                if a == 0.0 { 0.0 } else { n.real() / a }
            }
        }
    };
    let float = |l: &Layout| matches!(l.sample, Sample::Float | Sample::Half | Sample::Q12);
    let mut input = [0.0f64; 4];
    for (i, v) in input
        .iter_mut()
        .enumerate()
        .take(src.colours().min(t.src_components()))
    {
        *v = straight(px.colour[i]);
    }
    let mut out = [0.0f64; 4];
    t.apply(&input, &mut out, float(src), float(dst));
    let mut colour = [Num::Real(0.0); 4];
    for (c, v) in colour.iter_mut().zip(out).take(dst.colours()) {
        *c = Num::Real(v);
    }
    Pixel {
        colour,
        alpha: px.alpha,
    }
}

// ---- colour models -----------------------------------------------------------------------------

fn srgb_to_linear(v: f64) -> f64 {
    if v <= 0.04045 {
        v / 12.92
    } else {
        ((v + 0.055) / 1.055).powf(2.4)
    }
}

fn linear_to_srgb(v: f64) -> f64 {
    if v <= 0.0031308 {
        v * 12.92
    } else {
        1.055 * v.powf(1.0 / 2.4) - 0.055
    }
}

/// Gray (gamma 2.2) <-> RGB (sRGB) through linear light; CMYK through the naive complement.
fn change_model(src: &Layout, dst: &Layout, px: Pixel) -> Pixel {
    let a = px.alpha.real();
    let straight = |n: Num| {
        let v = n.real();
        if src.alpha == Alpha::Premultiplied {
            if a == 0.0 { 0.0 } else { v / a }
        } else {
            v
        }
    };
    let mut c = [0.0; 4];
    for (slot, &n) in c.iter_mut().zip(px.colour.iter().take(src.colours())) {
        *slot = straight(n);
    }
    let rgb = match src.model {
        Some(ColorModel::Gray) => {
            let s = linear_to_srgb(c[0].max(0.0).powf(2.2));
            [s, s, s]
        }
        // Lab and XYZ pass through until the colour engine converts them.
        Some(ColorModel::Rgb | ColorModel::Lab | ColorModel::Xyz) => [c[0], c[1], c[2]],
        Some(ColorModel::Cmyk) => {
            let k = 1.0 - c[3];
            [(1.0 - c[0]) * k, (1.0 - c[1]) * k, (1.0 - c[2]) * k]
        }
        None => [0.0; 3],
    };
    let out: [f64; 4] = match dst.model {
        Some(ColorModel::Gray) => {
            let y = 0.2126 * srgb_to_linear(rgb[0])
                + 0.7152 * srgb_to_linear(rgb[1])
                + 0.0722 * srgb_to_linear(rgb[2]);
            [y.max(0.0).powf(1.0 / 2.2), 0.0, 0.0, 0.0]
        }
        Some(ColorModel::Rgb | ColorModel::Lab | ColorModel::Xyz) => [rgb[0], rgb[1], rgb[2], 0.0],
        Some(ColorModel::Cmyk) => {
            let k = 1.0 - rgb[0].max(rgb[1]).max(rgb[2]);
            if k >= 1.0 {
                [0.0, 0.0, 0.0, 1.0]
            } else {
                [
                    (1.0 - rgb[0] - k) / (1.0 - k),
                    (1.0 - rgb[1] - k) / (1.0 - k),
                    (1.0 - rgb[2] - k) / (1.0 - k),
                    k,
                ]
            }
        }
        None => [0.0; 4],
    };
    Pixel {
        colour: out.map(Num::Real),
        alpha: px.alpha,
    }
}

// ---- reading and writing -------------------------------------------------------------------------

fn read_u16(bytes: &[u8], little: bool) -> u16 {
    let b = [bytes[0], bytes[1]];
    if little {
        u16::from_le_bytes(b)
    } else {
        u16::from_be_bytes(b)
    }
}

fn read_u32(bytes: &[u8], little: bool) -> u32 {
    let b = [bytes[0], bytes[1], bytes[2], bytes[3]];
    if little {
        u32::from_le_bytes(b)
    } else {
        u32::from_be_bytes(b)
    }
}

/// Index of colour channel `i` and of alpha among the stored channels.
fn positions(layout: &Layout) -> ([usize; 4], usize) {
    let has_extra = !matches!(layout.alpha, Alpha::None);
    let colour_start = usize::from(has_extra && layout.alpha_first && layout.alpha != Alpha::Only);
    let alpha_at = if layout.alpha == Alpha::Only || layout.alpha_first {
        0
    } else {
        layout.colours()
    };
    (
        [
            colour_start,
            colour_start + 1,
            colour_start + 2,
            colour_start + 3,
        ],
        alpha_at,
    )
}

/// Reads pixel `x` of a row.
pub fn read_pixel(layout: &Layout, row: &[u8], x: usize) -> Pixel {
    let mut px = Pixel {
        colour: [ZERO; 4],
        alpha: ZERO,
    };
    let le = layout.little_endian;
    match layout.packing {
        Packing::P565 => {
            let w = u32::from(read_u16(&row[x * 2..], le));
            px.colour[..3].copy_from_slice(&[
                Num::Int(w >> 11, 31),
                Num::Int((w >> 5) & 63, 63),
                Num::Int(w & 31, 31),
            ]);
        }
        Packing::P1555 { alpha_first } => {
            let w = u32::from(read_u16(&row[x * 2..], le));
            let (r, g, b, a) = if alpha_first {
                (w >> 10, w >> 5, w, w >> 15)
            } else {
                (w >> 11, w >> 6, w >> 1, w)
            };
            px.colour[..3].copy_from_slice(&[
                Num::Int(r & 31, 31),
                Num::Int(g & 31, 31),
                Num::Int(b & 31, 31),
            ]);
            px.alpha = Num::Int(a & 1, 1);
        }
        Packing::P1010102 { .. } | Packing::Cif10 => {
            let w = read_u32(&row[x * 4..], le);
            let first = matches!(
                layout.packing,
                Packing::P1010102 { alpha_first: true } | Packing::Cif10
            );
            let (r, g, b, a) = if first {
                (w >> 20, w >> 10, w, w >> 30)
            } else {
                (w >> 22, w >> 12, w >> 2, w)
            };
            px.colour[..3].copy_from_slice(&[
                Num::Int(r & 1023, 1023),
                Num::Int(g & 1023, 1023),
                Num::Int(b & 1023, 1023),
            ]);
            px.alpha = Num::Int(a & 3, 3);
        }
        _ => {
            let values = read_samples(layout, row, x);
            let (pos, alpha_at) = positions(layout);
            if layout.alpha == Alpha::Only {
                px.alpha = values[0];
            } else {
                for i in 0..layout.colours() {
                    px.colour[i] = values[pos[i]];
                }
                if layout.alpha != Alpha::None {
                    px.alpha = values[alpha_at];
                }
            }
        }
    }
    px
}

/// The stored channels of pixel `x`, in memory order after undoing any pixel byte swap.
fn read_samples(layout: &Layout, row: &[u8], x: usize) -> [Num; 5] {
    let mut out = [ZERO; 5];
    let n = layout.channels();
    match layout.sample {
        Sample::Uint(bits @ (1 | 2 | 4)) => {
            let bit = x * bits as usize;
            let max = (1u32 << bits) - 1;
            let v = (u32::from(row[bit / 8]) >> (8 - bits as usize - bit % 8)) & max;
            out[0] = Num::Int(v, max);
        }
        Sample::Uint(8) => {
            let bpp = layout.bits_per_pixel as usize / 8;
            let mut pixel = [0u8; 16];
            pixel[..bpp].copy_from_slice(&row[x * bpp..x * bpp + bpp]);
            if layout.swap_pixel {
                pixel[..bpp].reverse();
            }
            for (i, o) in out.iter_mut().enumerate().take(n) {
                *o = Num::Int(u32::from(pixel[i]), 255);
            }
        }
        Sample::Uint(_) | Sample::Half | Sample::Q12 => {
            let bpp = layout.bits_per_pixel as usize / 8;
            for (i, o) in out.iter_mut().enumerate().take(n) {
                let v = read_u16(&row[x * bpp + 2 * i..], layout.little_endian);
                *o = match layout.sample {
                    Sample::Half => Num::Real(half_to_f64(v)),
                    Sample::Q12 => Num::Real(f64::from(v as i16) / 4096.0),
                    _ => Num::Int(u32::from(v), 65535),
                };
            }
        }
        Sample::Float => {
            let bpp = layout.bits_per_pixel as usize / 8;
            for (i, o) in out.iter_mut().enumerate().take(n) {
                *o = Num::Real(f32_bits_to_f64(read_u32(
                    &row[x * bpp + 4 * i..],
                    layout.little_endian,
                )));
            }
        }
    }
    out
}

/// Writes pixel `x` of a row. Values are in the destination's domain (see `convert_pixel`).
pub fn write_pixel(layout: &Layout, row: &mut [u8], x: usize, px: Pixel) {
    let int = |n: Num| match n {
        Num::Int(v, _) => v,
        Num::Real(_) => 0,
    };
    let le = layout.little_endian;
    let put16 = |row: &mut [u8], at: usize, w: u16| {
        row[at..at + 2].copy_from_slice(&if le { w.to_le_bytes() } else { w.to_be_bytes() })
    };
    let put32 = |row: &mut [u8], at: usize, w: u32| {
        row[at..at + 4].copy_from_slice(&if le { w.to_le_bytes() } else { w.to_be_bytes() })
    };
    let [r, g, b, _] = px.colour.map(int);
    let a = int(px.alpha);
    let skip_or_alpha = |max: u32| if layout.alpha == Alpha::None { max } else { a };
    match layout.packing {
        Packing::P565 => put16(row, x * 2, ((r << 11) | (g << 5) | b) as u16),
        Packing::P1555 { alpha_first } => {
            let a = skip_or_alpha(1);
            let w = if alpha_first {
                (a << 15) | (r << 10) | (g << 5) | b
            } else {
                (r << 11) | (g << 6) | (b << 1) | a
            };
            put16(row, x * 2, w as u16);
        }
        Packing::Cif10 => put32(row, x * 4, (3 << 30) | (r << 20) | (g << 10) | b),
        Packing::P1010102 { alpha_first } => {
            let a = skip_or_alpha(3);
            let w = if alpha_first {
                (a << 30) | (r << 20) | (g << 10) | b
            } else {
                (r << 22) | (g << 12) | (b << 2) | a
            };
            put32(row, x * 4, w);
        }
        Packing::Samples => {
            let (pos, alpha_at) = positions(layout);
            let mut values = [ZERO; 5];
            if layout.alpha == Alpha::Only {
                values[0] = px.alpha;
            } else {
                for i in 0..layout.colours() {
                    values[pos[i]] = px.colour[i];
                }
                if layout.alpha != Alpha::None {
                    values[alpha_at] = px.alpha;
                }
            }
            write_samples(layout, row, x, &values);
        }
    }
}

fn write_samples(layout: &Layout, row: &mut [u8], x: usize, values: &[Num; 5]) {
    let n = layout.channels();
    let le = layout.little_endian;
    match layout.sample {
        Sample::Uint(bits @ (1 | 2 | 4)) => {
            let bit = x * bits as usize;
            let max = (1u8 << bits) - 1;
            let v = match values[0] {
                Num::Int(v, _) => v as u8,
                Num::Real(_) => 0,
            };
            let shift = 8 - bits as usize - bit % 8;
            let byte = &mut row[bit / 8];
            *byte = (*byte & !(max << shift)) | ((v & max) << shift);
        }
        Sample::Uint(8) => {
            let bpp = layout.bits_per_pixel as usize / 8;
            let mut pixel = [0u8; 16];
            for i in 0..n {
                pixel[i] = match values[i] {
                    Num::Int(v, _) => v as u8,
                    Num::Real(_) => 0,
                };
            }
            if layout.swap_pixel {
                pixel[..bpp].reverse();
            }
            row[x * bpp..x * bpp + bpp].copy_from_slice(&pixel[..bpp]);
        }
        Sample::Uint(_) | Sample::Half | Sample::Q12 => {
            let bpp = layout.bits_per_pixel as usize / 8;
            for (i, v) in values.iter().enumerate().take(n) {
                let w = match (layout.sample, *v) {
                    (Sample::Half, v) => f64_to_half(v.real()),
                    (Sample::Q12, v) => q12(v.real()),
                    (_, Num::Int(v, _)) => v as u16,
                    (_, Num::Real(_)) => 0,
                };
                let at = x * bpp + 2 * i;
                row[at..at + 2].copy_from_slice(&if le {
                    w.to_le_bytes()
                } else {
                    w.to_be_bytes()
                });
            }
        }
        Sample::Float => {
            let bpp = layout.bits_per_pixel as usize / 8;
            for (i, v) in values.iter().enumerate().take(n) {
                let w = f64_to_f32_bits(v.real());
                let at = x * bpp + 4 * i;
                row[at..at + 4].copy_from_slice(&if le {
                    w.to_le_bytes()
                } else {
                    w.to_be_bytes()
                });
            }
        }
    }
}

fn q12(x: f64) -> u16 {
    let v = (x * 4096.0).round_ties_even();
    let v = if v.is_nan() {
        0.0
    } else {
        v.clamp(-32768.0, 32767.0)
    };
    (v as i16) as u16
}

// ---- IEEE binary16 -------------------------------------------------------------------------------

// ---- NaN-preserving float widening and narrowing ---------------------------------------------------
//
// Hardware conversions quiet signalling NaNs; these keep every bit, so that a float or half
// channel that passes through unchanged is copied bit for bit (as the fast kernels copy it).

/// binary32 bits -> f64, exact for every value including NaN payloads.
pub fn f32_bits_to_f64(bits: u32) -> f64 {
    let f = f32::from_bits(bits);
    if !f.is_nan() {
        return f64::from(f);
    }
    let sign = u64::from(bits >> 31) << 63;
    f64::from_bits(sign | (0x7ff << 52) | (u64::from(bits & 0x007f_ffff) << 29))
}

/// f64 -> binary32 bits, rounded to nearest even; NaN payloads keep their top bits.
pub fn f64_to_f32_bits(x: f64) -> u32 {
    if !x.is_nan() {
        return (x as f32).to_bits();
    }
    let bits = x.to_bits();
    let man = ((bits >> 29) & 0x007f_ffff) as u32;
    let sign = ((bits >> 32) & 0x8000_0000) as u32;
    sign | 0x7f80_0000 | if man == 0 { 0x0040_0000 } else { man }
}

/// binary16 -> f64, exact for every value including NaN payloads.
pub fn half_to_f64(h: u16) -> f64 {
    if h & 0x7c00 == 0x7c00 && h & 0x3ff != 0 {
        let sign = u64::from(h >> 15) << 63;
        return f64::from_bits(sign | (0x7ff << 52) | (u64::from(h & 0x3ff) << 42));
    }
    f64::from(half_to_f32(h))
}

/// binary16 -> binary32, exact.
pub fn half_to_f32(h: u16) -> f32 {
    let sign = u32::from(h >> 15) << 31;
    let exp = u32::from((h >> 10) & 0x1f);
    let man = u32::from(h & 0x3ff);
    let bits = match (exp, man) {
        (0, 0) => sign,
        (0, _) => {
            // Subnormal: man * 2^-24, exact in binary32.
            let v = man as f32 * f32::powi(2.0, -24);
            return if sign != 0 { -v } else { v };
        }
        (31, 0) => sign | 0x7f80_0000,
        (31, _) => sign | 0x7fc0_0000 | (man << 13),
        _ => sign | ((exp + 112) << 23) | (man << 13),
    };
    f32::from_bits(bits)
}

/// Any real -> binary16, rounded to nearest even, overflow to infinity.
pub fn f64_to_half(x: f64) -> u16 {
    if x.is_nan() {
        // Keep the payload's top bits (and a non-zero mantissa), quiet or not.
        let bits = x.to_bits();
        let man = ((bits >> 42) & 0x3ff) as u16;
        let sign = ((bits >> 48) & 0x8000) as u16;
        return sign | 0x7c00 | if man == 0 { 0x200 } else { man };
    }
    let sign: u16 = if x.is_sign_negative() { 0x8000 } else { 0 };
    let a = x.abs();
    if a >= 65520.0 {
        return sign | 0x7c00; // rounds to infinity
    }
    // Scale to units of the target's last place: subnormal spacing 2^-24, else by exponent.
    // Exponent read from the bits (exact, unlike log2); below 2^-14 the spacing is subnormal.
    let e = if a < f64::powi(2.0, -14) {
        -14
    } else {
        ((a.to_bits() >> 52) & 0x7ff) as i32 - 1023
    };
    let ulp = f64::powi(2.0, e - 10);
    let m = (a / ulp).round_ties_even(); // exact: a / ulp is a power-of-two scaling
    let (mut e, mut m) = (e, m as u32);
    if m >= 2048 {
        // Rounded up into the next binade.
        m >>= 1;
        e += 1;
    }
    if e > 15 {
        return sign | 0x7c00;
    }
    if m < 1024 {
        sign | m as u16 // subnormal (e == -14)
    } else {
        sign | (((e + 15) as u16) << 10) | (m as u16 & 0x3ff)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_round_trips_every_finite_value() {
        for h in 0..=u16::MAX {
            let f = half_to_f32(h);
            if f.is_nan() {
                continue;
            }
            assert_eq!(f64_to_half(f64::from(f)), h, "{h:#06x} -> {f}");
        }
    }

    #[test]
    fn nan_payloads_survive_float_round_trips() {
        for h in [0x7c01u16, 0x7e00, 0xfd55, 0x7fff] {
            assert_eq!(f64_to_half(half_to_f64(h)), h, "{h:#06x}");
        }
        for b in [0x7f80_0001u32, 0x7fc0_0000, 0xffbf_ffff, 0x7fa5_5555] {
            assert_eq!(f64_to_f32_bits(f32_bits_to_f64(b)), b, "{b:#010x}");
        }
    }

    #[test]
    fn half_rounds_ties_to_even() {
        // 1 + 2^-11 is halfway between 1 and the next half (1 + 2^-10): ties to 1 (even).
        assert_eq!(f64_to_half(1.0 + f64::powi(2.0, -11)), 0x3c00);
        assert_eq!(f64_to_half(1.0 + 3.0 * f64::powi(2.0, -11)), 0x3c02);
        assert_eq!(f64_to_half(65504.0), 0x7bff);
        assert_eq!(f64_to_half(65519.0), 0x7bff);
        assert_eq!(f64_to_half(65520.0), 0x7c00);
        assert_eq!(
            f64_to_half(f64::powi(2.0, -25)),
            0,
            "half the smallest subnormal ties to 0"
        );
        assert_eq!(f64_to_half(3.0 * f64::powi(2.0, -25)), 2);
    }
}
