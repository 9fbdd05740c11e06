//! Indexed sources (`CGColorSpaceCreateIndexed`): each pixel is a 1, 2, 4 or 8-bit index into
//! a table of the base space's 8-bit colours.
//!
//! The converter expands indices through the table to the base space (8 bits per component, no
//! alpha) and converts that like any other source, colour management included. Since every
//! pixel is one of at most 256 colours, byte-aligned destinations convert the table once (with
//! the fast kernel and with the reference, for `convert_row_reference`) and then copy one
//! converted entry per pixel; sub-byte destinations expand chunks of rows and convert them.
//!
//! Choices where Apple is silent: an index above the table's last index reads the last entry
//! (clamped); indexed *destinations* are refused with `kvImageInvalidImageFormat` (Apple's
//! converters cannot write indexed pixels either); an indexed source must be `alpha none`
//! with `bitsPerPixel == bitsPerComponent` in {1, 2, 4, 8}.

use crate::cf::Cf;
use crate::cg::color_space::ColorSpace;
use crate::error::{Error, Result};
use crate::format::ImageFormat;
use crate::types::kCGImageAlphaNone;

use super::Converter;
use super::layout::{Alpha, Packing, Sample};

/// Pixels expanded per pass on the sub-byte path.
const CHUNK: usize = 256;

/// Whether a format's colour space is indexed.
pub fn is_indexed(format: &ImageFormat) -> bool {
    format
        .color_space
        .as_ref()
        .is_some_and(|s| s.indexed_base().is_some())
}

/// The base space, table and index size of an indexed source format.
fn source_parts(format: &ImageFormat) -> Option<(Cf<ColorSpace>, Vec<[u8; 4]>)> {
    let space = format.color_space.as_ref()?;
    let (_, table) = space.indexed_base()?;
    let base = space.base()?.clone();
    let n = base.components();
    if n == 0 || n > 4 || table.is_empty() {
        return None;
    }
    let entries = (table.len() / n).max(1);
    // 256 entries: indices past the last one read the last (clamped).
    let padded = (0..256)
        .map(|i| {
            let e = i.min(entries - 1);
            let mut out = [0u8; 4];
            out[..n].copy_from_slice(&table[e * n..e * n + n]);
            out
        })
        .collect();
    Some((base, padded))
}

/// The 8-bit, alpha-none format of a base space's table entries.
fn expanded_format(base: &Cf<ColorSpace>, intent: i32) -> ImageFormat {
    let n = base.components() as u32;
    ImageFormat {
        rendering_intent: intent,
        ..ImageFormat::new(8, 8 * n, kCGImageAlphaNone).with_color_space(base.clone())
    }
}

/// How an indexed source converts.
#[derive(Debug)]
pub(super) struct Indexed {
    /// Bits per index (1, 2, 4 or 8), most significant bits first within a byte.
    bits: u32,
    /// Base components per table entry.
    channels: usize,
    table: Vec<[u8; 4]>,
    /// Expanded base pixels -> the destination.
    inner: Converter,
    /// Byte-aligned destinations: each table entry converted by the fast path and by the
    /// reference, `dst_bytes` bytes each.
    converted: Option<(Vec<u8>, Vec<u8>)>,
    dst_bytes: usize,
}

/// The converter for an indexed source, `None` for other sources; an indexed destination is
/// refused (`kvImageInvalidImageFormat`).
pub(super) fn converter(
    src_format: &ImageFormat,
    dst_format: &ImageFormat,
    background: Option<&[f64]>,
    do_not_tile: bool,
) -> Result<Option<Converter>> {
    if is_indexed(dst_format) {
        return Err(Error::InvalidImageFormat(
            "indexed destination formats are not supported (nor by Apple's converters)",
        ));
    }
    if !is_indexed(src_format) {
        return Ok(None);
    }
    let src = super::layout_of(src_format)?;
    let dst = super::layout_of(dst_format)?;
    let bits = match src.sample {
        Sample::Uint(b @ (1 | 2 | 4 | 8)) => u32::from(b),
        _ => {
            return Err(Error::InvalidImageFormat(
                "indexed pixels must be 1, 2, 4 or 8-bit indices",
            ));
        }
    };
    if src.alpha != Alpha::None || src.packing != Packing::Samples || src.bits_per_pixel != bits {
        return Err(Error::InvalidImageFormat(
            "indexed pixels must have no alpha and bitsPerPixel == bitsPerComponent",
        ));
    }
    let (base, table) = source_parts(src_format)
        .ok_or(Error::InvalidImageFormat("unusable indexed colour table"))?;
    let expanded = expanded_format(&base, src_format.rendering_intent);
    let inner = Converter::new(&expanded, dst_format, background, true)?;
    let channels = base.components();
    let dst_bytes = if dst.bits_per_pixel % 8 == 0 {
        dst.bits_per_pixel as usize / 8
    } else {
        0
    };
    let converted = (dst_bytes > 0).then(|| {
        let flat: Vec<u8> = table.iter().flat_map(|e| e[..channels].to_vec()).collect();
        let mut fast = vec![0u8; 256 * dst_bytes];
        let mut reference = vec![0u8; 256 * dst_bytes];
        inner.convert_row(&flat, &mut fast, 256);
        inner.convert_row_reference(&flat, &mut reference, 256);
        (fast, reference)
    });
    let mut bg = [0.0; 4];
    if let Some(given) = background {
        for (slot, value) in bg.iter_mut().zip(given) {
            *slot = *value;
        }
    }
    Ok(Some(Converter {
        src_format: src_format.clone(),
        dst_format: dst_format.clone(),
        src,
        dst,
        background: bg,
        do_not_tile,
        kernel: None,
        colour: None,
        colour_kernel: None,
        indexed: Some(Box::new(Indexed {
            bits,
            channels,
            table,
            inner,
            converted,
            dst_bytes,
        })),
    }))
}

impl Indexed {
    /// Index of pixel `x` of a row.
    #[inline(always)]
    fn index(&self, src: &[u8], x: usize) -> usize {
        match self.bits {
            8 => src[x] as usize,
            b => {
                let bit = x * b as usize;
                let shift = 8 - b as usize - bit % 8;
                ((src[bit / 8] >> shift) & ((1u8 << b) - 1)) as usize
            }
        }
    }

    /// One row of `width` indices into `dst`, by the fast path or the reference.
    pub(super) fn convert_row(&self, src: &[u8], dst: &mut [u8], width: usize, reference: bool) {
        if let Some((fast, slow)) = &self.converted {
            let table = if reference { slow } else { fast };
            let n = self.dst_bytes;
            for (x, d) in dst.chunks_exact_mut(n).take(width).enumerate() {
                let i = self.index(src, x);
                d.copy_from_slice(&table[i * n..i * n + n]);
            }
            return;
        }
        let dst_bits = self.inner.dst.bits_per_pixel as usize;
        let c = self.channels;
        let mut buf = [0u8; CHUNK * 4];
        let mut x = 0;
        while x < width {
            let n = CHUNK.min(width - x);
            for (k, e) in buf[..n * c].chunks_exact_mut(c).enumerate() {
                e.copy_from_slice(&self.table[self.index(src, x + k)][..c]);
            }
            // x is a multiple of CHUNK, so the chunk starts on a byte.
            let start = x * dst_bits / 8;
            let d = &mut dst[start..start + (n * dst_bits).div_ceil(8)];
            if reference {
                self.inner.convert_row_reference(&buf[..n * c], d, n);
            } else {
                self.inner.convert_row(&buf[..n * c], d, n);
            }
            x += n;
        }
    }

    pub(super) fn inner(&self) -> &Converter {
        &self.inner
    }
}

/// The kernel name of an indexed converter: the table lookup (or expansion) and the inner one.
pub(super) fn name(ix: &Indexed) -> &'static str {
    if ix.converted.is_some() {
        "indexed-table"
    } else {
        "indexed-expand"
    }
}
