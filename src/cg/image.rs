//! CGImage: an immutable bitmap over a data provider's bytes.

use crate::cf::object::{Cf, CfType, Class, class_for, type_ids};
use crate::cg::color_space::{ColorSpace, Known};
use crate::cg::provider::{DataProvider, Foreign};
use crate::error::{Error, Result};
use crate::format::{ColorModel, PixelBits, PixelFormat, check_intent, span};
use crate::types::*;

/// An immutable image.
#[derive(Debug)]
pub struct Image {
    width: usize,
    height: usize,
    format: PixelFormat,
    bytes_per_row: usize,
    /// `None` for image masks.
    color_space: Option<Cf<ColorSpace>>,
    provider: Cf<DataProvider>,
    decode: Option<Box<[CGFloat]>>,
    should_interpolate: bool,
    intent: CGColorRenderingIntent,
    mask: bool,
    /// A sub-image (and its copies) keeps the image it was cut from alive (§4.7 rule 6).
    parent: Option<Cf<Image>>,
}

/// Everything `CGImageCreate` takes besides the provider.
#[derive(Debug, Clone)]
pub struct ImageSpec {
    pub width: usize,
    pub height: usize,
    pub format: PixelFormat,
    pub bytes_per_row: usize,
    pub color_space: Option<Cf<ColorSpace>>,
    pub decode: Option<Box<[CGFloat]>>,
    pub should_interpolate: bool,
    pub intent: CGColorRenderingIntent,
}

impl ImageSpec {
    /// Bytes the image's rows span in its provider; checks width, height and row stride.
    #[inline(always)] // hot in no-copy creation: avoids moving large values
    pub fn span(&self) -> Result<usize> {
        if self.width == 0 || self.height == 0 {
            return Err(Error::InvalidParameter("width and height must be non-zero"));
        }
        let row_len = self
            .format
            .row_len(self.width)
            .filter(|&n| n <= isize::MAX as usize)
            .ok_or(Error::InvalidParameter("width * bitsPerPixel overflows"))?;
        if self.bytes_per_row < row_len {
            return Err(Error::InvalidRowBytes("shorter than one row of pixels"));
        }
        span(self.height, self.bytes_per_row, row_len)
            .ok_or(Error::InvalidParameter("rowBytes * height overflows"))
    }
}

impl Image {
    /// An image over `provider` (`CGImageCreate`); fails when the provider is too short.
    pub fn new(spec: ImageSpec, provider: Cf<DataProvider>) -> Result<Cf<Image>> {
        let span = spec.span()?;
        if provider.bytes().len() < span {
            return Err(Error::BufferSizeMismatch(
                "the data provider is shorter than the image",
            ));
        }
        check_intent(spec.intent)?;
        if let (Some(space), Some(model)) = (&spec.color_space, spec.format.model)
            && space.model() != model
        {
            return Err(Error::InvalidImageFormat(
                "colour space model differs from the format's",
            ));
        }
        Ok(Self::build(spec, provider, false, None))
    }

    /// An image mask (`CGImageMaskCreate`): 1, 2, 4 or 8 bits of coverage, no colour space.
    pub fn new_mask(
        width: usize,
        height: usize,
        bits: u32,
        bytes_per_row: usize,
        provider: Cf<DataProvider>,
        decode: Option<Box<[CGFloat]>>,
        should_interpolate: bool,
    ) -> Result<Cf<Image>> {
        if !matches!(bits, 1 | 2 | 4 | 8) {
            return Err(Error::InvalidParameter(
                "mask bits per component must be 1, 2, 4 or 8",
            ));
        }
        let format = PixelFormat::new(bits, bits, ColorModel::Gray, 0, PixelBits::Exact)?;
        let spec = ImageSpec {
            width,
            height,
            format,
            bytes_per_row,
            color_space: None,
            decode,
            should_interpolate,
            intent: 0,
        };
        if provider.bytes().len() < spec.span()? {
            return Err(Error::BufferSizeMismatch(
                "the data provider is shorter than the mask",
            ));
        }
        Ok(Self::build(spec, provider, true, None))
    }

    /// Builds an already validated image; infallible so that no-copy ownership is never
    /// half-taken.
    #[inline]
    pub(crate) fn build(
        spec: ImageSpec,
        provider: Cf<DataProvider>,
        mask: bool,
        parent: Option<Cf<Image>>,
    ) -> Cf<Image> {
        Cf::new_with(|| Image::assemble(spec, provider, mask, parent))
    }

    /// The image value from its validated parts (shared by both constructors).
    #[inline(always)] // hot in no-copy creation: built in place, not moved
    fn assemble(
        spec: ImageSpec,
        provider: Cf<DataProvider>,
        mask: bool,
        parent: Option<Cf<Image>>,
    ) -> Image {
        Image {
            width: spec.width,
            height: spec.height,
            format: spec.format,
            bytes_per_row: spec.bytes_per_row,
            color_space: spec.color_space,
            provider,
            decode: spec.decode,
            should_interpolate: spec.should_interpolate,
            intent: spec.intent,
            mask,
            parent,
        }
    }

    /// A validated image over C memory it takes over (vImage no-copy mode): the image and its
    /// data provider share one allocation.
    #[inline(always)] // hot in no-copy creation: avoids moving large values
    pub(crate) fn build_foreign(spec: ImageSpec, foreign: Foreign) -> Cf<Image> {
        Cf::new_pair(DataProvider::foreign_value(foreign), |provider| {
            Image::assemble(spec, provider, false, None)
        })
    }

    fn spec(&self) -> ImageSpec {
        ImageSpec {
            width: self.width,
            height: self.height,
            format: self.format,
            bytes_per_row: self.bytes_per_row,
            color_space: self.color_space.clone(),
            decode: self.decode.clone(),
            should_interpolate: self.should_interpolate,
            intent: self.intent,
        }
    }

    /// `CGImageCreateCopy`: a new image object sharing the pixels. A copy of a sub-image keeps
    /// the same parent alive, as the sub-image does (its realigned bits may be its own).
    pub fn copy(&self) -> Cf<Image> {
        Self::build(
            self.spec(),
            self.provider.clone(),
            self.mask,
            self.parent.clone(),
        )
    }

    /// `CGImageCreateWithImageInRect`: the integral rectangle intersected with the bounds, or
    /// `None` when that is empty. Shares the pixels whenever the first pixel starts on a byte;
    /// sub-byte pixels that do not are copied into a new bitmap.
    pub fn crop(this: &Cf<Image>, rect: CGRect) -> Option<Cf<Image>> {
        let (x, y, w, h) =
            crate::cg::geometry::integral_intersection(rect, this.width, this.height)?;
        let mut spec = this.spec();
        spec.width = w;
        spec.height = h;
        let bpp = this.format.bits_per_pixel as usize;
        let row_len = this.format.row_len(w)?;
        let provider = if (x * bpp).is_multiple_of(8) {
            let offset = y * this.bytes_per_row + x * bpp / 8;
            let len = span(h, this.bytes_per_row, row_len)?;
            DataProvider::view(&this.provider, offset, len)?
        } else {
            let bits = shift_rows(this, x, y, w, h, row_len)?;
            spec.bytes_per_row = row_len;
            DataProvider::from_owner(bits)
        };
        Some(Self::build(spec, provider, this.mask, Some(this.clone())))
    }

    pub fn width(&self) -> usize {
        self.width
    }
    pub fn height(&self) -> usize {
        self.height
    }
    pub fn bits_per_component(&self) -> u32 {
        self.format.bits_per_component
    }
    pub fn bits_per_pixel(&self) -> u32 {
        self.format.bits_per_pixel
    }
    pub fn bytes_per_row(&self) -> usize {
        self.bytes_per_row
    }
    pub fn bitmap_info(&self) -> CGBitmapInfo {
        self.format.bitmap_info
    }
    pub fn format(&self) -> &PixelFormat {
        &self.format
    }
    /// The colour space; `None` for masks.
    pub fn color_space(&self) -> Option<&Cf<ColorSpace>> {
        self.color_space.as_ref()
    }
    pub fn provider(&self) -> &Cf<DataProvider> {
        &self.provider
    }
    pub fn decode(&self) -> Option<&[CGFloat]> {
        self.decode.as_deref()
    }
    pub fn should_interpolate(&self) -> bool {
        self.should_interpolate
    }
    pub fn rendering_intent(&self) -> CGColorRenderingIntent {
        self.intent
    }
    pub fn is_mask(&self) -> bool {
        self.mask
    }

    /// The bytes of row `y` that hold pixels (no padding).
    pub fn row(&self, y: usize) -> &[u8] {
        // Cannot fire: every constructor checks `width * bitsPerPixel` through
        // `ImageSpec::span` (or `row_len` itself, in `crop`) before the image exists. The index
        // below is in bounds for `y < height` (the provider holds the span); the C paths only
        // loop over `0..height`, and a Rust caller's `y` past the last row panics like any
        // out-of-range slice index.
        let row_len = self
            .format
            .row_len(self.width)
            .expect("checked at creation");
        let start = y * self.bytes_per_row;
        &self.provider.bytes()[start..start + row_len]
    }

    /// Copies the pixel rows into `dst`, whose rows are `dst_stride` bytes apart.
    pub fn copy_rows_to(&self, dst: &mut [u8], dst_stride: usize) -> Result<()> {
        let row_len = self
            .format
            .row_len(self.width)
            .ok_or(Error::Internal("row length"))?;
        if dst_stride < row_len {
            return Err(Error::InvalidRowBytes("shorter than one row of the image"));
        }
        if span(self.height, dst_stride, row_len).is_none_or(|n| n > dst.len()) {
            return Err(Error::BufferSizeMismatch(
                "destination smaller than the image",
            ));
        }
        for y in 0..self.height {
            dst[y * dst_stride..y * dst_stride + row_len].copy_from_slice(self.row(y));
        }
        Ok(())
    }

    /// A default colour space for formats that leave it out: sRGB (§4.1 rule 10).
    #[inline]
    pub(crate) fn default_space() -> Cf<ColorSpace> {
        ColorSpace::known(Known::Srgb)
    }
}

/// The bits of a sub-rectangle of a sub-byte image, realigned so each row starts on a byte.
fn shift_rows(
    image: &Image,
    x: usize,
    y: usize,
    w: usize,
    h: usize,
    row_len: usize,
) -> Option<Vec<u8>> {
    let bpp = image.format.bits_per_pixel as usize;
    let mut out = vec![0u8; row_len.checked_mul(h)?];
    for (r, dst) in out.chunks_exact_mut(row_len).enumerate() {
        let src = &image.provider.bytes()[(y + r) * image.bytes_per_row..];
        for bit in 0..w * bpp {
            let from = x * bpp + bit;
            let value = (src[from / 8] >> (7 - from % 8)) & 1;
            dst[bit / 8] |= value << (7 - bit % 8);
        }
    }
    Some(out)
}

impl CfType for Image {
    const CLASS: &'static Class = &class_for::<Image>(type_ids::IMAGE, "CGImage");
}
