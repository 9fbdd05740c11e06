//! Validated pixel formats: what the bits of `vImage_CGImageFormat` / `CGImageCreate` mean,
//! and which combinations are consistent.

use crate::cf::Cf;
use crate::cg::color_space::ColorSpace;
use crate::cg::image::{Image, ImageSpec};
use crate::error::{Error, Result};
use crate::types::*;

/// `CGImageAlphaInfo`, validated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AlphaInfo {
    None,
    PremultipliedLast,
    PremultipliedFirst,
    Last,
    First,
    NoneSkipLast,
    NoneSkipFirst,
    Only,
}

impl AlphaInfo {
    fn from_raw(raw: u32) -> Option<AlphaInfo> {
        Some(match raw {
            kCGImageAlphaNone => AlphaInfo::None,
            kCGImageAlphaPremultipliedLast => AlphaInfo::PremultipliedLast,
            kCGImageAlphaPremultipliedFirst => AlphaInfo::PremultipliedFirst,
            kCGImageAlphaLast => AlphaInfo::Last,
            kCGImageAlphaFirst => AlphaInfo::First,
            kCGImageAlphaNoneSkipLast => AlphaInfo::NoneSkipLast,
            kCGImageAlphaNoneSkipFirst => AlphaInfo::NoneSkipFirst,
            kCGImageAlphaOnly => AlphaInfo::Only,
            _ => return None,
        })
    }

    /// Whether the pixel carries a fourth (alpha or padding) channel.
    pub fn has_channel(self) -> bool {
        self != AlphaInfo::None
    }
}

/// `CGImageByteOrderInfo`, validated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ByteOrder {
    Default,
    Little16,
    Little32,
    Big16,
    Big32,
}

/// `CGImagePixelFormatInfo`, validated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PackedFormat {
    Packed,
    Rgb555,
    Rgb565,
    Rgb101010,
    RgbCif10,
}

/// The colour model of a colour space (`CGColorSpaceModel` subset this library handles).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ColorModel {
    Gray,
    Rgb,
    Cmyk,
    /// CIE L*a*b* (3 components).
    Lab,
    /// CIE XYZ (3 components).
    Xyz,
}

impl ColorModel {
    pub fn components(self) -> u32 {
        match self {
            ColorModel::Gray => 1,
            ColorModel::Rgb => 3,
            ColorModel::Cmyk => 4,
            ColorModel::Lab | ColorModel::Xyz => 3,
        }
    }
}

/// Every bit `CGBitmapInfo` may carry.
pub(crate) const KNOWN_BITMAP_BITS: u32 = kCGBitmapAlphaInfoMask
    | kCGBitmapFloatComponents
    | kCGBitmapByteOrderMask
    | kCGBitmapPixelFormatInfoMask;

/// A decoded `CGBitmapInfo`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BitmapInfo {
    pub alpha: AlphaInfo,
    pub float: bool,
    pub byte_order: ByteOrder,
    pub packed: PackedFormat,
}

impl BitmapInfo {
    /// Unknown bits are `kvImageInvalidParameter` (§4.1 rule 12, §7.5); a known field holding
    /// a value no enum has is `kvImageInvalidImageFormat` (§4.6 rule 5).
    #[inline(always)] // hot in no-copy creation: avoids moving large results
    pub fn parse(raw: CGBitmapInfo) -> Result<BitmapInfo> {
        if raw & !KNOWN_BITMAP_BITS != 0 {
            return Err(Error::InvalidParameter("bitmapInfo has unknown bits set"));
        }
        let alpha = AlphaInfo::from_raw(raw & kCGBitmapAlphaInfoMask).ok_or(
            Error::InvalidImageFormat("alpha info is not a CGImageAlphaInfo value"),
        )?;
        let byte_order = match raw & kCGBitmapByteOrderMask {
            kCGBitmapByteOrderDefault => ByteOrder::Default,
            kCGBitmapByteOrder16Little => ByteOrder::Little16,
            kCGBitmapByteOrder32Little => ByteOrder::Little32,
            kCGBitmapByteOrder16Big => ByteOrder::Big16,
            kCGBitmapByteOrder32Big => ByteOrder::Big32,
            _ => {
                return Err(Error::InvalidImageFormat(
                    "byte order is not a CGImageByteOrderInfo value",
                ));
            }
        };
        let packed = match raw & kCGBitmapPixelFormatInfoMask {
            kCGImagePixelFormatPacked => PackedFormat::Packed,
            kCGImagePixelFormatRGB555 => PackedFormat::Rgb555,
            kCGImagePixelFormatRGB565 => PackedFormat::Rgb565,
            kCGImagePixelFormatRGB101010 => PackedFormat::Rgb101010,
            kCGImagePixelFormatRGBCIF10 => PackedFormat::RgbCif10,
            _ => {
                return Err(Error::InvalidImageFormat(
                    "pixel format is not a CGImagePixelFormatInfo value",
                ));
            }
        };
        Ok(BitmapInfo {
            alpha,
            float: raw & kCGBitmapFloatComponents != 0,
            byte_order,
            packed,
        })
    }
}

/// A consistent pixel layout: component size, pixel size, channels and their encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PixelFormat {
    pub bits_per_component: u32,
    pub bits_per_pixel: u32,
    /// `None` for alpha-only images and masks.
    pub model: Option<ColorModel>,
    pub info: BitmapInfo,
    pub bitmap_info: CGBitmapInfo,
}

/// How strictly `bits_per_pixel` must match the channels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PixelBits {
    /// Exactly the channels (vImage formats).
    Exact,
    /// At least the channels (`CGImageCreate`, §4.7 rule 8).
    AtLeast,
}

impl PixelFormat {
    /// Checks that the fields describe a pixel layout CoreGraphics can hold.
    #[inline(always)] // hot in no-copy creation: avoids moving large results
    pub fn new(
        bits_per_component: u32,
        bits_per_pixel: u32,
        model: ColorModel,
        bitmap_info: CGBitmapInfo,
        pixel_bits: PixelBits,
    ) -> Result<PixelFormat> {
        use Error::InvalidImageFormat as Bad;
        let info = BitmapInfo::parse(bitmap_info)?;
        let bpc = bits_per_component;
        let bpp = bits_per_pixel;
        if !matches!(bpc, 1 | 2 | 4 | 5 | 8 | 10 | 16 | 32) {
            return Err(Error::InvalidParameter(
                "bitsPerComponent is not 1, 2, 4, 5, 8, 10, 16 or 32",
            ));
        }
        let model = (info.alpha != AlphaInfo::Only).then_some(model);
        let channels =
            model.map_or(0, ColorModel::components) + u32::from(info.alpha.has_channel());
        if info.float && bpc != 16 && bpc != 32 {
            return Err(Bad("floating-point components need 16 or 32 bits"));
        }
        if bpc == 32 && !info.float {
            return Err(Bad("32-bit components must be floating point"));
        }
        match (bpc, info.packed) {
            (5, PackedFormat::Packed | PackedFormat::Rgb555 | PackedFormat::Rgb565) => {
                if bpp != 16 || model != Some(ColorModel::Rgb) {
                    return Err(Bad("5-bit components need 16-bit RGB pixels"));
                }
                if (info.packed == PackedFormat::Rgb565) != (info.alpha == AlphaInfo::None)
                    && info.packed != PackedFormat::Packed
                {
                    return Err(Bad(
                        "RGB565 has no alpha; RGB555 has one alpha or padding bit",
                    ));
                }
            }
            (10, PackedFormat::Rgb101010 | PackedFormat::RgbCif10) => {
                if bpp != 32 || model != Some(ColorModel::Rgb) {
                    return Err(Bad("10-bit components need 32-bit RGB pixels"));
                }
            }
            (5 | 10, _)
            | (
                _,
                PackedFormat::Rgb555
                | PackedFormat::Rgb565
                | PackedFormat::Rgb101010
                | PackedFormat::RgbCif10,
            ) => {
                return Err(Bad("packed pixel format does not match bitsPerComponent"));
            }
            (1 | 2 | 4, _) => {
                if channels != 1 || bpp != bpc {
                    return Err(Bad("1, 2 and 4-bit components need one channel per pixel"));
                }
            }
            _ => {
                let needed = bpc * channels;
                let ok = match pixel_bits {
                    PixelBits::Exact => bpp == needed,
                    PixelBits::AtLeast => bpp >= needed && bpp.is_multiple_of(8),
                };
                if !ok {
                    return Err(Bad(
                        "bitsPerPixel does not match bitsPerComponent times the channels",
                    ));
                }
            }
        }
        let order_ok = match info.byte_order {
            ByteOrder::Default => true,
            ByteOrder::Little16 | ByteOrder::Big16 => bpc == 16 || bpp == 16,
            ByteOrder::Little32 | ByteOrder::Big32 => bpc == 32 || bpp == 32,
        };
        if !order_ok {
            return Err(Bad("byte order does not fit the component or pixel size"));
        }
        if bpp == 0 {
            return Err(Bad("bitsPerPixel is 0"));
        }
        Ok(PixelFormat {
            bits_per_component: bpc,
            bits_per_pixel: bpp,
            model,
            info,
            bitmap_info,
        })
    }

    /// Channels per pixel, counting alpha and padding (§4.5 rule 2).
    pub fn channels(&self) -> u32 {
        self.model.map_or(0, ColorModel::components) + u32::from(self.info.alpha.has_channel())
    }

    /// Bytes that `width` pixels occupy, rounded up to whole bytes; `None` on overflow.
    pub fn row_len(&self, width: usize) -> Option<usize> {
        let bits = width.checked_mul(self.bits_per_pixel as usize)?;
        Some(bits.div_ceil(8))
    }

    /// Whether two formats lay pixels out identically (ignores colour space and intent).
    pub fn same_layout(&self, other: &PixelFormat) -> bool {
        self.bits_per_component == other.bits_per_component
            && self.bits_per_pixel == other.bits_per_pixel
            && self.model == other.model
            && self.bitmap_info == other.bitmap_info
    }
}

/// Checks a `CGColorRenderingIntent` (§4.1 rule 12: unknown values are an image-format error).
#[inline(always)] // hot in no-copy creation: avoids moving large results
pub fn check_intent(intent: CGColorRenderingIntent) -> Result<CGColorRenderingIntent> {
    if (kCGRenderingIntentDefault..=kCGRenderingIntentSaturation).contains(&intent) {
        Ok(intent)
    } else {
        Err(Error::InvalidImageFormat(
            "renderingIntent is not a CGColorRenderingIntent value",
        ))
    }
}

/// Bytes spanned by `height` rows of `row_len` bytes, `stride` apart: up to the end of the
/// last row's pixels, not the end of its padding. `None` on overflow or beyond `isize::MAX`.
#[inline(always)] // hot in no-copy creation: avoids moving large results
pub fn span(height: usize, stride: usize, row_len: usize) -> Option<usize> {
    let total = height
        .checked_sub(1)?
        .checked_mul(stride)?
        .checked_add(row_len)?;
    (total <= isize::MAX as usize).then_some(total)
}

/// A pixel format, as `vImage_CGImageFormat` describes it (without `version`, which must be 0).
///
/// ```
/// use vimage::{ImageFormat, types::kCGImageAlphaPremultipliedLast};
/// let rgba = ImageFormat::new(8, 32, kCGImageAlphaPremultipliedLast);
/// assert_eq!(rgba.component_count(), 4);
/// ```
#[derive(Debug, Clone, Default)]
pub struct ImageFormat {
    pub bits_per_component: u32,
    pub bits_per_pixel: u32,
    /// `None` means sRGB.
    pub color_space: Option<Cf<ColorSpace>>,
    pub bitmap_info: CGBitmapInfo,
    /// `2 * components` values, or `None` for the default `[0, 1]` per component.
    pub decode: Option<Vec<CGFloat>>,
    /// The format's decode pointer is `kvImageDecodeArray_16Q12Format`: signed 16-bit fixed
    /// point, value / 4096, alpha included (§4.6 rule 17). Selected by pointer identity only.
    pub q12: bool,
    pub rendering_intent: CGColorRenderingIntent,
}

impl ImageFormat {
    /// An sRGB format with the default decode and rendering intent.
    pub fn new(
        bits_per_component: u32,
        bits_per_pixel: u32,
        bitmap_info: CGBitmapInfo,
    ) -> ImageFormat {
        ImageFormat {
            bits_per_component,
            bits_per_pixel,
            bitmap_info,
            ..ImageFormat::default()
        }
    }

    /// The same format in another colour space.
    pub fn with_color_space(mut self, space: Cf<ColorSpace>) -> ImageFormat {
        self.color_space = Some(space);
        self
    }

    /// The colour model (sRGB's when no space is given).
    pub fn model(&self) -> ColorModel {
        self.color_space
            .as_ref()
            .map_or(ColorModel::Rgb, |s| s.model())
    }

    /// Colour channels plus one for alpha or padding (`vImageCGImageFormat_GetComponentCount`).
    pub fn component_count(&self) -> u32 {
        let alpha = BitmapInfo::parse(self.bitmap_info).map_or(AlphaInfo::None, |i| i.alpha);
        let colour = if alpha == AlphaInfo::Only {
            0
        } else {
            self.model().components()
        };
        colour + u32::from(alpha.has_channel())
    }

    /// Components a decode array covers: colours and a real alpha, not padding.
    pub(crate) fn decode_len(&self) -> usize {
        let alpha = BitmapInfo::parse(self.bitmap_info).map_or(AlphaInfo::None, |i| i.alpha);
        let colour = if alpha == AlphaInfo::Only {
            0
        } else {
            self.model().components()
        };
        let real_alpha = !matches!(
            alpha,
            AlphaInfo::None | AlphaInfo::NoneSkipFirst | AlphaInfo::NoneSkipLast
        );
        2 * (colour + u32::from(real_alpha)) as usize
    }

    /// The layout an image of this format has, checked as `vImageCreateCGImageFromBuffer`
    /// checks it (§4.1 rule 12); the geometry is checked by [`ImageSpec::span`].
    #[inline(always)] // hot in no-copy creation: avoids moving large results
    pub fn image_spec(&self, width: usize, height: usize, row_bytes: usize) -> Result<ImageSpec> {
        // Unknown bits first (kvImageInvalidParameter); PixelFormat::new decodes the rest.
        if self.bitmap_info & !crate::format::KNOWN_BITMAP_BITS != 0 {
            return Err(Error::InvalidParameter("bitmapInfo has unknown bits set"));
        }
        if !matches!(self.bits_per_component, 5 | 8 | 16 | 32) {
            return Err(Error::InvalidParameter(
                "bitsPerComponent must be 5, 8, 16 or 32",
            ));
        }
        let format = PixelFormat::new(
            self.bits_per_component,
            self.bits_per_pixel,
            self.model(),
            self.bitmap_info,
            PixelBits::Exact,
        )?;
        let intent = check_intent(self.rendering_intent)?;
        if let Some(decode) = &self.decode
            && decode.len() != self.decode_len()
        {
            return Err(Error::InvalidParameter(
                "decode needs two values per component",
            ));
        }
        let spec = ImageSpec {
            width,
            height,
            format,
            bytes_per_row: row_bytes,
            color_space: Some(
                self.color_space
                    .clone()
                    .unwrap_or_else(Image::default_space),
            ),
            decode: self.decode.clone().map(Vec::into_boxed_slice),
            should_interpolate: true,
            intent,
        };
        Ok(spec) // geometry is checked by `ImageSpec::span`, which every caller needs anyway
    }

    /// The CoreGraphics-friendly format copy mode stores this one in, when CoreGraphics cannot
    /// hold it as is: 16Q12 becomes 32-bit float with the same channels (range kept).
    pub fn storage_format(&self) -> Option<ImageFormat> {
        self.q12.then(|| ImageFormat {
            bits_per_component: 32,
            bits_per_pixel: self.bits_per_pixel * 2,
            bitmap_info: (self.bitmap_info & kCGBitmapAlphaInfoMask)
                | kCGBitmapFloatComponents
                | kCGBitmapByteOrder32Little,
            decode: None,
            q12: false,
            ..self.clone()
        })
    }

    /// Whether pixels of an image in this format need no conversion to be read in `other`:
    /// same layout and spaces of the same colorimetry (alpha-only formats have no colour).
    pub fn same_pixels(&self, image: &Image) -> Result<bool> {
        let format = PixelFormat::new(
            self.bits_per_component,
            self.bits_per_pixel,
            self.model(),
            self.bitmap_info,
            PixelBits::Exact,
        )?;
        if !format.same_layout(image.format()) {
            return Ok(false);
        }
        if format.model.is_none() {
            return Ok(true);
        }
        // Masks have no colour space: their samples are coverage, never colour-managed.
        let Some(theirs) = image.color_space() else {
            return Ok(true);
        };
        let srgb = Image::default_space();
        let mine = self.color_space.as_ref().unwrap_or(&srgb);
        Ok(crate::color::transform::same_colorimetry(
            mine.def(),
            theirs.def(),
        ))
    }
}
