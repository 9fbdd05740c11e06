//! The vImage <-> CoreGraphics bridge: images from buffers (copy and no-copy) and buffers from
//! images, over a safe description of `vImage_CGImageFormat`.

use crate::alloc::PixelAlloc;
use crate::cf::Cf;
use crate::cg::image::{Image, ImageSpec};
use crate::cg::provider::DataProvider;
use crate::convert::Converter;
use crate::error::{Error, Result};
use crate::format::{BitmapInfo, ImageFormat, check_intent, span};
use crate::types::*;

impl Image {
    /// A new image holding a copy of `pixels` (rows `row_bytes` apart), stored with tight rows.
    ///
    /// ```
    /// use vimage::{Image, ImageFormat, types::kCGImageAlphaPremultipliedLast};
    /// let pixels = [255u8, 0, 0, 255, 0, 255, 0, 255];
    /// let image = Image::from_pixels(&ImageFormat::new(8, 32, kCGImageAlphaPremultipliedLast), 2, 1, 8, &pixels)?;
    /// assert_eq!((image.width(), image.height(), image.bytes_per_row()), (2, 1, 8));
    /// assert_eq!(image.row(0), &pixels);
    /// # Ok::<(), vimage::Error>(())
    /// ```
    pub fn from_pixels(
        format: &ImageFormat,
        width: usize,
        height: usize,
        row_bytes: usize,
        pixels: &[u8],
    ) -> Result<Cf<Image>> {
        let spec = format.image_spec(width, height, row_bytes)?;
        let Some(store) = format.storage_format() else {
            return Image::copy_from(spec, pixels);
        };
        // Convert into the storage format: one fresh allocation with tight rows.
        if pixels.len() < spec.span()? {
            return Err(Error::BufferSizeMismatch("fewer bytes than the rows need"));
        }
        let converter = Converter::new(format, &store, None, false)?;
        // Checked: the stored pixel is twice as wide as the 16Q12 one, so a width whose source
        // row was representable can still overflow here.
        let row_len = width
            .checked_mul(store.bits_per_pixel as usize)
            .ok_or(Error::InvalidParameter("width * bitsPerPixel overflows"))?
            .div_ceil(8);
        let len = row_len
            .checked_mul(height)
            .ok_or(Error::Allocation(usize::MAX))?;
        let mut out = Vec::new();
        out.try_reserve_exact(len)
            .map_err(|_| Error::Allocation(len))?;
        out.resize(len, 0);
        converter.convert(pixels, row_bytes, &mut out, row_len, width, height, true);
        let stored = store.image_spec(width, height, row_len)?;
        Ok(Image::build(
            stored,
            DataProvider::from_owner(out),
            false,
            None,
        ))
    }

    /// A new image that owns `pixels` without copying them: a `Vec<u8>`, `Box<[u8]>`,
    /// `Arc<[u8]>` or any owner of bytes, dropped when the last holder of the pixels is gone.
    /// On error the owner is dropped.
    ///
    /// ```
    /// use vimage::{Image, ImageFormat, types::kCGImageAlphaNone};
    /// let gray = ImageFormat::new(8, 8, kCGImageAlphaNone)
    ///     .with_color_space(vimage::ColorSpace::create(vimage::cg::color_space::Known::DeviceGray));
    /// let image = Image::from_owner(&gray, 3, 2, 4, vec![1u8, 2, 3, 0, 4, 5, 6])?;
    /// assert_eq!(image.row(1), &[4, 5, 6]);
    /// let mut back = [0u8; 6];
    /// image.copy_rows_to(&mut back, 3)?;
    /// assert_eq!(back, [1, 2, 3, 4, 5, 6]);
    /// # Ok::<(), vimage::Error>(())
    /// ```
    pub fn from_owner<O: AsRef<[u8]> + Send + Sync + 'static>(
        format: &ImageFormat,
        width: usize,
        height: usize,
        row_bytes: usize,
        pixels: O,
    ) -> Result<Cf<Image>> {
        let spec = format.image_spec(width, height, row_bytes)?;
        if format.storage_format().is_some() {
            return Err(Error::InvalidImageFormat(
                "16Q12 pixels cannot be shared by a CGImage: copy them",
            ));
        }
        if pixels.as_ref().len() < spec.span()? {
            return Err(Error::BufferSizeMismatch("fewer bytes than the rows need"));
        }
        Ok(Image::build(
            spec,
            DataProvider::from_owner(pixels),
            false,
            None,
        ))
    }

    /// Copies the rows of `src` into one fresh allocation with tight rows.
    pub(crate) fn copy_from(mut spec: ImageSpec, src: &[u8]) -> Result<Cf<Image>> {
        let span = spec.span()?;
        if src.len() < span {
            return Err(Error::BufferSizeMismatch("fewer bytes than the rows need"));
        }
        let row_len = spec
            .format
            .row_len(spec.width)
            .ok_or(Error::Internal("row length"))?;
        let pixels = PixelAlloc::copy_rows(src, spec.bytes_per_row, row_len, spec.height, row_len)?;
        spec.bytes_per_row = row_len;
        Ok(Image::build(
            spec,
            DataProvider::from_pixels(pixels),
            false,
            None,
        ))
    }

    /// The image's own format, as `vImageBuffer_InitWithCGImage` reports it for an empty format.
    pub fn image_format(&self) -> ImageFormat {
        ImageFormat {
            bits_per_component: self.bits_per_component(),
            bits_per_pixel: self.bits_per_pixel(),
            color_space: self.color_space().cloned(),
            bitmap_info: self.bitmap_info(),
            decode: self.decode().map(<[CGFloat]>::to_vec),
            q12: false,
            rendering_intent: self.rendering_intent(),
        }
    }
}

/// How `vImageBuffer_InitWithCGImage` delivers an image's pixels: row copies when the target
/// has the image's own layout, else through a converter.
#[derive(Debug)]
pub struct Delivery {
    converter: Option<Converter>,
    bits_per_pixel: u32,
}

impl Delivery {
    /// Checks a populated target format (§4.4 rule 9, §7.5) and plans the delivery; `None`
    /// delivers the image's own format.
    ///
    /// Indexed images (`CGColorSpaceCreateIndexed`) are expanded through their table to the
    /// base space and converted from there (`convert::indexed`); the image's own indexed format
    /// copies the indices, and any other indexed target is `kvImageInvalidImageFormat`.
    pub fn plan(
        image: &Image,
        target: Option<&ImageFormat>,
        background: Option<&[CGFloat]>,
    ) -> Result<Delivery> {
        let Some(target) = target else {
            return Ok(Delivery {
                converter: None,
                bits_per_pixel: image.bits_per_pixel(),
            });
        };
        BitmapInfo::parse(target.bitmap_info)?;
        if !matches!(target.bits_per_component, 1 | 2 | 4 | 5 | 8 | 10 | 16 | 32) {
            return Err(Error::InvalidParameter(
                "bitsPerComponent must be 0, 1, 2, 4, 5, 8, 16 or 32",
            ));
        }
        if target.decode.is_some() {
            return Err(Error::InvalidParameter(
                "decode must be NULL (or kvImageDecodeArray_16Q12Format)",
            ));
        }
        check_intent(target.rendering_intent)?;
        let converter = if !target.q12 && target.same_pixels(image)? {
            None
        } else {
            Some(Converter::new(
                &image.image_format(),
                target,
                background,
                false,
            )?)
        };
        Ok(Delivery {
            converter,
            bits_per_pixel: target.bits_per_pixel,
        })
    }

    /// Bytes of one delivered row of `width` pixels.
    pub fn row_len(&self, width: usize) -> Option<usize> {
        Some(width.checked_mul(self.bits_per_pixel as usize)?.div_ceil(8))
    }

    pub fn bits_per_pixel(&self) -> u32 {
        self.bits_per_pixel
    }

    /// Writes the image's rows into `dst`, rows `dst_stride` apart.
    pub fn write(&self, image: &Image, dst: &mut [u8], dst_stride: usize) -> Result<()> {
        let Some(converter) = &self.converter else {
            return image.copy_rows_to(dst, dst_stride);
        };
        let row_len = self
            .row_len(image.width())
            .ok_or(Error::Internal("row length"))?;
        if dst_stride < row_len
            || span(image.height(), dst_stride, row_len).is_none_or(|n| n > dst.len())
        {
            return Err(Error::BufferSizeMismatch(
                "destination smaller than the image",
            ));
        }
        converter.convert(
            image.provider().bytes(),
            image.bytes_per_row(),
            dst,
            dst_stride,
            image.width(),
            image.height(),
            true,
        );
        Ok(())
    }
}
