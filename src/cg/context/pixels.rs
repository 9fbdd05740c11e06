//! The closed list of bitmap-context pixel formats (reference B.3) and how their pixels are
//! read into and written from the drawing engine's working values.
//!
//! A working pixel is `[f32; 5]`: up to four colour components in the context's colour space
//! at indices `0..colours`, premultiplied by the alpha at index [`ALPHA`]. Formats without
//! alpha read as opaque and write the colour as is (premultiplied over black). Integer
//! samples are written rounded to nearest, ties up (127.5 -> 128, reference B.7), clamped.

use crate::format::ColorModel;
use crate::types::*;

/// Index of alpha in a working pixel.
pub const ALPHA: usize = 4;

/// A working pixel: premultiplied colours, then alpha at [`ALPHA`].
pub type Px = [f32; 5];

/// How one sample is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sample {
    U8,
    U16,
    F16,
    F32,
    /// x-R5-G5-B5 in one 16-bit word (kCGImageAlphaNoneSkipFirst, 5 bits per component).
    P555,
}

/// What a stored channel holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    Colour(u8),
    Alpha,
    /// Padding (kCGImageAlphaNoneSkip*): ignored on read, written as opaque.
    Skip,
}

/// One accepted context format: its size and how to read and write a pixel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Codec {
    pub sample: Sample,
    pub big_endian: bool,
    /// Channels in memory order (`n` of them).
    slots: [Slot; 5],
    n: usize,
    /// Colour components (0 for alpha-only contexts).
    pub colours: usize,
    /// Whether the pixel stores (premultiplied) alpha.
    pub has_alpha: bool,
    pub bits_per_pixel: usize,
}

/// Why a format is refused: the words of CoreGraphics' log line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unsupported;

impl Codec {
    /// The format for these creation parameters if reference B.3 lists it. `model` is `None`
    /// for a NULL colour space.
    pub fn accept(
        model: Option<ColorModel>,
        bits_per_component: usize,
        bitmap_info: u32,
    ) -> Result<Codec, Unsupported> {
        let known = kCGBitmapAlphaInfoMask
            | kCGBitmapFloatComponents
            | kCGBitmapByteOrderMask
            | kCGBitmapPixelFormatInfoMask;
        if bitmap_info & !known != 0 {
            return Err(Unsupported);
        }
        let alpha = bitmap_info & kCGBitmapAlphaInfoMask;
        let float = bitmap_info & kCGBitmapFloatComponents != 0;
        let order = bitmap_info & kCGBitmapByteOrderMask;
        let packed = bitmap_info & kCGBitmapPixelFormatInfoMask;
        if packed != kCGImagePixelFormatPacked
            && !(packed == kCGImagePixelFormatRGB555 && bits_per_component == 5)
        {
            return Err(Unsupported);
        }
        use Slot::{Alpha as A, Colour as C, Skip as X};
        let (big16, big32) = (
            matches!(order, kCGBitmapByteOrderDefault | kCGBitmapByteOrder16Big),
            matches!(order, kCGBitmapByteOrderDefault | kCGBitmapByteOrder32Big),
        );
        let ok16 = matches!(
            order,
            kCGBitmapByteOrderDefault | kCGBitmapByteOrder16Big | kCGBitmapByteOrder16Little
        );
        let ok32 = matches!(
            order,
            kCGBitmapByteOrderDefault | kCGBitmapByteOrder32Big | kCGBitmapByteOrder32Little
        );
        let make = |sample, big_endian, slots: &[Slot], colours, bpp| {
            let mut s = [X; 5];
            s[..slots.len()].copy_from_slice(slots);
            Ok(Codec {
                sample,
                big_endian,
                slots: s,
                n: slots.len(),
                colours,
                has_alpha: slots.contains(&A),
                bits_per_pixel: bpp,
            })
        };
        // 8-bit pixels of four samples: 32Little reverses the whole pixel in memory.
        let quad8 = |slots: [Slot; 4], colours| {
            if !ok32 {
                return Err(Unsupported);
            }
            let mut s = slots;
            if !big32 {
                s.reverse();
            }
            make(Sample::U8, true, &s, colours, 32)
        };
        match (model, bits_per_component, alpha, float) {
            (None | Some(ColorModel::Gray), 8, kCGImageAlphaOnly, false)
                if order == kCGBitmapByteOrderDefault =>
            {
                make(Sample::U8, true, &[A], 0, 8)
            }
            (Some(ColorModel::Gray), 8, kCGImageAlphaNone, false)
                if order == kCGBitmapByteOrderDefault =>
            {
                make(Sample::U8, true, &[C(0)], 1, 8)
            }
            (Some(ColorModel::Gray), 8, kCGImageAlphaPremultipliedLast, false)
                if order == kCGBitmapByteOrderDefault =>
            {
                make(Sample::U8, true, &[C(0), A], 1, 16)
            }
            (Some(ColorModel::Gray), 16, kCGImageAlphaNone, false) if ok16 => {
                make(Sample::U16, big16, &[C(0)], 1, 16)
            }
            (Some(ColorModel::Gray), 32, kCGImageAlphaNone, true) if ok32 => {
                make(Sample::F32, big32, &[C(0)], 1, 32)
            }
            (Some(ColorModel::Rgb), 5, kCGImageAlphaNoneSkipFirst, false) if ok16 => {
                make(Sample::P555, big16, &[X, C(0), C(1), C(2)], 3, 16)
            }
            (Some(ColorModel::Rgb), 8, kCGImageAlphaNoneSkipFirst, false) => {
                quad8([X, C(0), C(1), C(2)], 3)
            }
            (Some(ColorModel::Rgb), 8, kCGImageAlphaNoneSkipLast, false) => {
                quad8([C(0), C(1), C(2), X], 3)
            }
            (Some(ColorModel::Rgb), 8, kCGImageAlphaPremultipliedFirst, false) => {
                quad8([A, C(0), C(1), C(2)], 3)
            }
            (Some(ColorModel::Rgb), 8, kCGImageAlphaPremultipliedLast, false) => {
                quad8([C(0), C(1), C(2), A], 3)
            }
            (
                Some(ColorModel::Rgb),
                16,
                kCGImageAlphaPremultipliedLast | kCGImageAlphaNoneSkipLast,
                _,
            ) if ok16 => {
                let last = if alpha == kCGImageAlphaPremultipliedLast {
                    A
                } else {
                    X
                };
                let sample = if float { Sample::F16 } else { Sample::U16 };
                make(sample, big16, &[C(0), C(1), C(2), last], 3, 64)
            }
            (
                Some(ColorModel::Rgb),
                32,
                kCGImageAlphaPremultipliedLast | kCGImageAlphaNoneSkipLast,
                true,
            ) if ok32 => {
                let last = if alpha == kCGImageAlphaPremultipliedLast {
                    A
                } else {
                    X
                };
                make(Sample::F32, big32, &[C(0), C(1), C(2), last], 3, 128)
            }
            (Some(ColorModel::Cmyk), 8, kCGImageAlphaNone, false) => {
                quad8([C(0), C(1), C(2), C(3)], 4)
            }
            (Some(ColorModel::Cmyk), 16, kCGImageAlphaNone, false) if ok16 => {
                make(Sample::U16, big16, &[C(0), C(1), C(2), C(3)], 4, 64)
            }
            (Some(ColorModel::Cmyk), 32, kCGImageAlphaNone, true) if ok32 => {
                make(Sample::F32, big32, &[C(0), C(1), C(2), C(3)], 4, 128)
            }
            _ => Err(Unsupported),
        }
    }

    /// Bytes of one pixel (every accepted format is byte-aligned).
    pub fn bytes_per_pixel(&self) -> usize {
        self.bits_per_pixel / 8
    }

    fn sample_bytes(&self) -> usize {
        match self.sample {
            Sample::U8 => 1,
            Sample::U16 | Sample::F16 | Sample::P555 => 2,
            Sample::F32 => 4,
        }
    }

    fn read_u16(&self, b: &[u8]) -> u16 {
        if self.big_endian {
            u16::from_be_bytes([b[0], b[1]])
        } else {
            u16::from_le_bytes([b[0], b[1]])
        }
    }

    fn write_u16(&self, v: u16, b: &mut [u8]) {
        let bytes = if self.big_endian {
            v.to_be_bytes()
        } else {
            v.to_le_bytes()
        };
        b[..2].copy_from_slice(&bytes);
    }

    /// The working value of the pixel at the start of `b`.
    pub fn load(&self, b: &[u8]) -> Px {
        let mut px: Px = [0.0; 5];
        px[ALPHA] = 1.0;
        if self.sample == Sample::P555 {
            let w = self.read_u16(b);
            for (i, shift) in [10u32, 5, 0].into_iter().enumerate() {
                px[i] = ((w >> shift) & 31) as f32 / 31.0;
            }
            return px;
        }
        let size = self.sample_bytes();
        for (k, slot) in self.slots[..self.n].iter().enumerate() {
            let s = &b[k * size..];
            let v = match self.sample {
                Sample::U8 => s[0] as f32 / 255.0,
                Sample::U16 => self.read_u16(s) as f32 / 65535.0,
                Sample::F16 => crate::geometry::scale::f16_to_f32(self.read_u16(s)),
                Sample::F32 => {
                    let w = [s[0], s[1], s[2], s[3]];
                    if self.big_endian {
                        f32::from_be_bytes(w)
                    } else {
                        f32::from_le_bytes(w)
                    }
                }
                Sample::P555 => unreachable!("handled above"),
            };
            match *slot {
                Slot::Colour(i) => px[i as usize] = v,
                Slot::Alpha => px[ALPHA] = v,
                Slot::Skip => {}
            }
        }
        px
    }

    /// Writes a working pixel at the start of `b`.
    pub fn store(&self, px: &Px, b: &mut [u8]) {
        if self.sample == Sample::P555 {
            let q = |v: f32| quantize(v, 31) as u16;
            let w = 0x8000 | (q(px[0]) << 10) | (q(px[1]) << 5) | q(px[2]);
            self.write_u16(w, b);
            return;
        }
        let size = self.sample_bytes();
        for (k, slot) in self.slots[..self.n].iter().enumerate() {
            let v = match *slot {
                Slot::Colour(i) => px[i as usize],
                Slot::Alpha => px[ALPHA],
                Slot::Skip => 1.0,
            };
            let s = &mut b[k * size..];
            match self.sample {
                Sample::U8 => s[0] = quantize(v, 255) as u8,
                Sample::U16 => self.write_u16(quantize(v, 65535) as u16, s),
                Sample::F16 => self.write_u16(crate::geometry::scale::f32_to_f16(v), s),
                Sample::F32 => {
                    let w = if self.big_endian {
                        v.to_be_bytes()
                    } else {
                        v.to_le_bytes()
                    };
                    s[..4].copy_from_slice(&w);
                }
                Sample::P555 => unreachable!("handled above"),
            }
        }
    }
}

/// `v * max` rounded to nearest with ties up, clamped to `[0, max]`; NaN gives 0.
pub fn quantize(v: f32, max: u32) -> u32 {
    let x = (v as f64 * max as f64 + 0.5).floor();
    if x.is_nan() || x <= 0.0 {
        0
    } else if x >= max as f64 {
        max
    } else {
        x as u32
    }
}

/// The model's name in CoreGraphics' log lines.
pub fn model_name(model: Option<ColorModel>) -> &'static str {
    match model {
        None => "no",
        Some(ColorModel::Gray) => "Gray",
        Some(ColorModel::Rgb) => "RGB",
        Some(ColorModel::Cmyk) => "CMYK",
        Some(ColorModel::Lab) => "Lab",
        Some(ColorModel::Xyz) => "XYZ",
    }
}

/// The alpha info's name in CoreGraphics' log lines.
pub fn alpha_name(alpha: u32) -> &'static str {
    match alpha {
        kCGImageAlphaNone => "kCGImageAlphaNone",
        kCGImageAlphaPremultipliedLast => "kCGImageAlphaPremultipliedLast",
        kCGImageAlphaPremultipliedFirst => "kCGImageAlphaPremultipliedFirst",
        kCGImageAlphaLast => "kCGImageAlphaLast",
        kCGImageAlphaFirst => "kCGImageAlphaFirst",
        kCGImageAlphaNoneSkipLast => "kCGImageAlphaNoneSkipLast",
        kCGImageAlphaNoneSkipFirst => "kCGImageAlphaNoneSkipFirst",
        kCGImageAlphaOnly => "kCGImageAlphaOnly",
        _ => "unknown alpha info",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantize_rounds_ties_up() {
        assert_eq!(quantize(0.5, 255), 128);
        assert_eq!(quantize(200.0 / 255.0, 255), 200);
        assert_eq!(quantize(-1.0, 255), 0);
        assert_eq!(quantize(2.0, 255), 255);
        assert_eq!(quantize(f32::NAN, 255), 0);
    }

    #[test]
    fn little_endian_bgra_reverses_the_pixel() {
        let c = Codec::accept(
            Some(ColorModel::Rgb),
            8,
            kCGImageAlphaPremultipliedFirst | kCGBitmapByteOrder32Little,
        )
        .unwrap();
        let px = c.load(&[10, 20, 30, 40]);
        assert_eq!(
            px,
            [30.0 / 255.0, 20.0 / 255.0, 10.0 / 255.0, 0.0, 40.0 / 255.0]
        );
        let mut out = [0u8; 4];
        c.store(&px, &mut out);
        assert_eq!(out, [10, 20, 30, 40]);
    }

    #[test]
    fn rgb555_round_trips_every_word_with_the_skip_bit_set() {
        let c = Codec::accept(Some(ColorModel::Rgb), 5, kCGImageAlphaNoneSkipFirst).unwrap();
        assert_eq!(c.bits_per_pixel, 16);
        for w in (0x8000u16..=0xFFFF).step_by(7) {
            let mut out = [0u8; 2];
            c.store(&c.load(&w.to_be_bytes()), &mut out);
            assert_eq!(u16::from_be_bytes(out), w);
        }
    }
}
