//! How a validated pixel format lays channels out in memory, for the converter.

use crate::error::{Error, Result};
use crate::format::{AlphaInfo, ByteOrder, ColorModel, PackedFormat, PixelFormat};

/// How one channel value is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Sample {
    /// Unsigned integer of 1, 2, 4, 8 or 16 bits; [0, 1] maps to [0, 2^bits - 1].
    Uint(u8),
    /// IEEE binary16.
    Half,
    /// IEEE binary32.
    Float,
    /// Signed 16-bit fixed point, value / 4096 (`kvImageDecodeArray_16Q12Format`).
    Q12,
}

impl Sample {
    /// Integer maximum, for integer samples.
    pub fn max(self) -> Option<u32> {
        match self {
            Sample::Uint(bits) => Some((1u32 << bits) - 1),
            _ => None,
        }
    }
}

/// Where the channels of a pixel are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Packing {
    /// One sample per channel, `bits` wide, channels in order (bpc >= 8), or a single 1/2/4-bit
    /// channel packed most significant bit first.
    Samples,
    /// 16-bit pixel with 5-bit R, G, B and a 1-bit alpha or padding bit (first or last).
    P1555 { alpha_first: bool },
    /// 16-bit pixel R5 G6 B5.
    P565,
    /// 32-bit pixel with 10-bit R, G, B and a 2-bit alpha or padding (first or last).
    P1010102 { alpha_first: bool },
    /// 32-bit RGBCIF10: 10-bit R, G, B below two bits set to 1.
    Cif10,
}

/// What the extra channel of a pixel holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Alpha {
    None,
    Straight,
    Premultiplied,
    /// Padding, ignored on read (kCGImageAlphaNoneSkip*).
    Skip,
    /// The pixel is only an alpha channel.
    Only,
}

impl Alpha {
    pub fn has_coverage(self) -> bool {
        matches!(self, Alpha::Straight | Alpha::Premultiplied | Alpha::Only)
    }
}

/// A pixel format as the converter sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Layout {
    /// `None` for alpha-only formats.
    pub model: Option<ColorModel>,
    pub alpha: Alpha,
    /// Alpha (or padding) precedes the colour channels.
    pub alpha_first: bool,
    pub sample: Sample,
    pub packing: Packing,
    /// Multi-byte samples (and packed pixels) are little-endian.
    pub little_endian: bool,
    /// 8-bit channels: the whole pixel is byte-swapped in memory (BGRA = ARGB | 32Little).
    pub swap_pixel: bool,
    /// 2 for the 16-bit byte orders, 4 for the 32-bit ones: rows must be a multiple of it.
    pub byte_order_unit: Option<usize>,
    pub bits_per_pixel: u32,
}

impl Layout {
    /// The layout of a validated format; `q12` when its decode pointer is the 16Q12 marker.
    pub fn new(format: &PixelFormat, q12: bool) -> Result<Layout> {
        let info = format.info;
        let alpha = match info.alpha {
            AlphaInfo::None => Alpha::None,
            AlphaInfo::PremultipliedFirst | AlphaInfo::PremultipliedLast => Alpha::Premultiplied,
            AlphaInfo::First | AlphaInfo::Last => Alpha::Straight,
            AlphaInfo::NoneSkipFirst | AlphaInfo::NoneSkipLast => Alpha::Skip,
            AlphaInfo::Only => Alpha::Only,
        };
        let alpha_first = matches!(
            info.alpha,
            AlphaInfo::PremultipliedFirst | AlphaInfo::First | AlphaInfo::NoneSkipFirst
        );
        let bpc = format.bits_per_component;
        let sample = match (bpc, info.float, q12) {
            (16, false, true) => Sample::Q12,
            (_, _, true) => {
                return Err(Error::InvalidImageFormat(
                    "the 16Q12 decode array needs 16-bit integer components",
                ));
            }
            (16, true, false) => Sample::Half,
            (32, true, false) => Sample::Float,
            (1 | 2 | 4 | 5 | 8 | 10 | 16, false, false) => Sample::Uint(bpc as u8),
            _ => return Err(Error::InvalidImageFormat("unsupported component size")),
        };
        let packing = match (bpc, info.packed) {
            (5, PackedFormat::Rgb565) => Packing::P565,
            (5, PackedFormat::Packed) if alpha == Alpha::None => Packing::P565,
            (5, _) => Packing::P1555 {
                alpha_first: alpha_first || alpha == Alpha::None,
            },
            (10, PackedFormat::RgbCif10) => Packing::Cif10,
            (10, _) => Packing::P1010102 { alpha_first },
            _ => Packing::Samples,
        };
        let little_endian = matches!(info.byte_order, ByteOrder::Little16 | ByteOrder::Little32)
            || (packing == Packing::Cif10);
        let swap_pixel = bpc == 8 && little_endian;
        Ok(Layout {
            model: format.model,
            alpha,
            alpha_first,
            sample,
            packing,
            little_endian,
            swap_pixel,
            byte_order_unit: match info.byte_order {
                ByteOrder::Default => None,
                ByteOrder::Little16 | ByteOrder::Big16 => Some(2),
                ByteOrder::Little32 | ByteOrder::Big32 => Some(4),
            },
            bits_per_pixel: format.bits_per_pixel,
        })
    }

    /// Colour channels (0 for alpha-only).
    pub fn colours(&self) -> usize {
        self.model.map_or(0, |m| m.components() as usize)
    }

    /// Channels stored per pixel, counting alpha and padding.
    pub fn channels(&self) -> usize {
        self.colours()
            + usize::from(self.alpha != Alpha::None && self.alpha != Alpha::Only)
            + usize::from(self.alpha == Alpha::Only)
    }

    /// Bytes per pixel, for byte-aligned formats.
    pub fn bytes_per_pixel(&self) -> Option<usize> {
        self.bits_per_pixel
            .is_multiple_of(8)
            .then_some(self.bits_per_pixel as usize / 8)
    }
}
