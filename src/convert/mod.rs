//! The conversion engine: `vImageConverter` and `vImageConvert_AnyToAny`.
//!
//! A converter pairs two validated layouts. Rows are converted by the scalar reference
//! ([`reference`]) unless a fast kernel exists for the pair; large images are split into bands
//! of rows across threads unless `kvImageDoNotTile` is given.

pub mod indexed;
pub mod layout;
pub mod reference;

use std::sync::Arc;

use crate::cf::object::{CfType, Class, class_for, type_ids};
use crate::cg::color_space::{ColorSpace, Known};
use crate::color::def::Def;
use crate::color::transform::{self, Intent, Transform};
use crate::error::{Error, Result};
use crate::format::ImageFormat;
use crate::format::{PixelBits, PixelFormat};
use crate::kernels;
use crate::kernels::color::ColourKernel;
use layout::{Alpha, Layout};

/// A reusable, thread-safe conversion between two pixel formats.
#[derive(Debug)]
pub struct Converter {
    src_format: ImageFormat,
    dst_format: ImageFormat,
    src: Layout,
    dst: Layout,
    /// Destination colour channels' background, in [0, 1].
    background: [f64; 4],
    do_not_tile: bool,
    /// A fast row kernel for this pair, when one exists; else the reference runs.
    kernel: Option<kernels::Kernel>,
    /// The colour transform between the two formats' spaces, when they differ.
    colour: Option<Arc<Transform>>,
    /// The table-driven kernel of a colour transform (8-bit, 16-bit or float), when one
    /// applies.
    colour_kernel: Option<Arc<ColourKernel>>,
    /// An indexed source: expanded through its table, then converted by an inner converter.
    indexed: Option<Box<indexed::Indexed>>,
}

impl CfType for Converter {
    const CLASS: &'static Class = &class_for::<Converter>(type_ids::CONVERTER, "vImageConverter");
}

impl Converter {
    /// Checks both formats (§4.6 rule 5) and plans the conversion.
    pub fn new(
        src_format: &ImageFormat,
        dst_format: &ImageFormat,
        background: Option<&[f64]>,
        do_not_tile: bool,
    ) -> Result<Converter> {
        if let Some(c) = indexed::converter(src_format, dst_format, background, do_not_tile)? {
            return Ok(c);
        }
        let src = layout_of(src_format)?;
        let dst = layout_of(dst_format)?;
        let mut bg = [0.0; 4];
        if let Some(given) = background {
            for (slot, value) in bg.iter_mut().zip(given) {
                *slot = *value;
            }
        }
        let colour = colour_transform(src_format, dst_format, &src, &dst)?;
        let colour_kernel = colour
            .as_ref()
            .and_then(|t| ColourKernel::new(&src, &dst, t, &bg))
            .map(Arc::new);
        // Layout kernels only where no colour changes (a model change is colour-managed).
        let kernel = if colour.is_none()
            && (src.model == dst.model || src.model.is_none() || dst.model.is_none())
        {
            kernels::select(&src, &dst, &bg)
        } else {
            None
        };
        Ok(Converter {
            src_format: src_format.clone(),
            dst_format: dst_format.clone(),
            src,
            dst,
            background: bg,
            do_not_tile,
            kernel,
            colour,
            colour_kernel,
            indexed: None,
        })
    }

    pub fn source_format(&self) -> &ImageFormat {
        &self.src_format
    }

    pub fn destination_format(&self) -> &ImageFormat {
        &self.dst_format
    }

    pub fn source_layout(&self) -> &Layout {
        &self.src
    }

    pub fn destination_layout(&self) -> &Layout {
        &self.dst
    }

    /// Whether the destination has no colour channel that background flattening fills.
    pub fn needs_background(&self) -> bool {
        self.src.alpha.has_coverage() && self.dst.alpha == Alpha::None && self.dst.colours() > 0
    }

    /// Converts `height` rows of `width` pixels. Both buffers must hold their rows (checked by
    /// the caller through [`row_span`]).
    #[allow(clippy::too_many_arguments)] // the two buffers' geometry, as vImage passes it
    pub fn convert(
        &self,
        src: &[u8],
        src_stride: usize,
        dst: &mut [u8],
        dst_stride: usize,
        width: usize,
        height: usize,
        tile: bool,
    ) {
        let threads = kernels::tile::thread_count(width, height, tile && !self.do_not_tile);
        if threads <= 1 {
            self.convert_rows(src, src_stride, dst, dst_stride, width, 0..height);
            return;
        }
        // The destination cut into disjoint bands of rows, through the shared band queue.
        let mut items = Vec::with_capacity(threads);
        let mut rest = dst;
        for band in kernels::tile::bands(height, threads) {
            let take = if band.end == height {
                rest.len()
            } else {
                (band.len() * dst_stride).min(rest.len())
            };
            let (mine, tail) = std::mem::take(&mut rest).split_at_mut(take);
            rest = tail;
            items.push((band, mine));
        }
        kernels::tile::run_queue(items, threads, |(band, dst)| {
            let src = &src[band.start * src_stride..];
            self.convert_rows(src, src_stride, dst, dst_stride, width, 0..band.len());
        });
    }

    /// Converts in place, row by row through a scratch row (`src` and `dst` are the same memory
    /// with one stride).
    pub fn convert_in_place(
        &self,
        buf: &mut [u8],
        stride: usize,
        width: usize,
        height: usize,
        scratch: &mut Vec<u8>,
    ) {
        let src_len = self.src_row_len(width);
        let dst_len = self.dst_row_len(width);
        scratch.resize(src_len, 0);
        for y in 0..height {
            let row = &mut buf[y * stride..];
            scratch.copy_from_slice(&row[..src_len]);
            self.convert_row(scratch, &mut row[..dst_len], width);
        }
    }

    fn convert_rows(
        &self,
        src: &[u8],
        src_stride: usize,
        dst: &mut [u8],
        dst_stride: usize,
        width: usize,
        rows: std::ops::Range<usize>,
    ) {
        let src_len = self.src_row_len(width);
        let dst_len = self.dst_row_len(width);
        for y in rows {
            let s = &src[y * src_stride..y * src_stride + src_len];
            let d = &mut dst[y * dst_stride..y * dst_stride + dst_len];
            self.convert_row(s, d, width);
        }
    }

    /// One row, by the fast kernel when there is one.
    pub fn convert_row(&self, src: &[u8], dst: &mut [u8], width: usize) {
        if let Some(ix) = &self.indexed {
            return ix.convert_row(src, dst, width, false);
        }
        if let Some(k) = &self.colour_kernel {
            return k.run(src, dst, width);
        }
        match &self.kernel {
            Some(kernel) => kernel.run(src, dst, width),
            None => self.convert_row_reference(src, dst, width),
        }
    }

    /// One row by the scalar reference, whatever kernel exists (for differential tests). With
    /// a colour transform, the reference computes it in f64; the table-driven colour kernel is
    /// within one 8-bit code of it (tests/color_transform.rs), not bit-identical.
    pub fn convert_row_reference(&self, src: &[u8], dst: &mut [u8], width: usize) {
        if let Some(ix) = &self.indexed {
            return ix.convert_row(src, dst, width, true);
        }
        reference::convert_row_with(
            &self.src,
            &self.dst,
            &self.background,
            self.colour.as_deref(),
            src,
            dst,
            width,
        )
    }

    /// The name of the fast kernel in use, if any.
    pub fn kernel_name(&self) -> Option<&'static str> {
        if let Some(ix) = &self.indexed {
            return Some(indexed::name(ix));
        }
        if let Some(k) = &self.colour_kernel {
            return Some(k.name());
        }
        self.kernel.as_ref().map(|k| k.name)
    }

    /// The colour transform between the formats' spaces, if they differ.
    pub fn colour_transform(&self) -> Option<&Transform> {
        if let Some(ix) = &self.indexed {
            return ix.inner().colour_transform();
        }
        self.colour.as_deref()
    }

    /// Whether this converter changes colour through the table-driven kernel (results within
    /// one code of the f64 reference rather than bit-identical).
    pub fn has_colour_kernel(&self) -> bool {
        if let Some(ix) = &self.indexed {
            return ix.inner().has_colour_kernel();
        }
        self.colour_kernel.is_some()
    }

    /// Bytes of one source row of `width` pixels.
    pub fn src_row_len(&self, width: usize) -> usize {
        (width * self.src.bits_per_pixel as usize).div_ceil(8)
    }

    /// Bytes of one destination row of `width` pixels.
    pub fn dst_row_len(&self, width: usize) -> usize {
        (width * self.dst.bits_per_pixel as usize).div_ceil(8)
    }
}

/// The transform between two formats' spaces, `None` when they have the same colorimetry (or
/// either has no colour channels). A space whose definition does not have the format's channel
/// count (a pattern space, say) keeps the reference's layout-level approximation.
fn colour_transform(
    src_format: &ImageFormat,
    dst_format: &ImageFormat,
    src: &Layout,
    dst: &Layout,
) -> Result<Option<Arc<Transform>>> {
    if src.model.is_none() || dst.model.is_none() {
        return Ok(None);
    }
    // NULL means sRGB (§4.6 rule 2).
    let srgb = ColorSpace::known(Known::Srgb);
    let a: &Def = src_format.color_space.as_ref().unwrap_or(&srgb).def();
    let b: &Def = dst_format.color_space.as_ref().unwrap_or(&srgb).def();
    if transform::components(a) != src.colours() || transform::components(b) != dst.colours() {
        return Ok(None);
    }
    if transform::same_colorimetry(a, b) {
        return Ok(None);
    }
    let intent = Intent::from_cg(dst_format.rendering_intent);
    Transform::new(a, b, intent)
        .map(|t| Some(Arc::new(t)))
        .ok_or(Error::Internal("no colour transform between these spaces"))
}

/// The converter's view of a format (§4.6 rule 5's checks).
pub fn layout_of(format: &ImageFormat) -> Result<Layout> {
    crate::format::BitmapInfo::parse(format.bitmap_info)?;
    if !matches!(format.bits_per_component, 1 | 2 | 4 | 5 | 8 | 10 | 16 | 32) {
        return Err(Error::InvalidImageFormat(
            "bitsPerComponent must be 1, 2, 4, 5, 8, 10, 16 or 32",
        ));
    }
    crate::format::check_intent(format.rendering_intent)?;
    if format.decode.is_some() {
        return Err(Error::InvalidImageFormat(
            "decode arrays other than kvImageDecodeArray_16Q12Format are not supported",
        ));
    }
    let pixel = PixelFormat::new(
        format.bits_per_component,
        format.bits_per_pixel,
        format.model(),
        format.bitmap_info,
        PixelBits::Exact,
    )?;
    Layout::new(&pixel, format.q12)
}
