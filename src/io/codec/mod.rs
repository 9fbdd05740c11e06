//! The codecs. Each format module parses a file's headers into a [`Container`] (no pixels
//! decoded) and decodes one image into a [`Decoded`] bitmap in the layout Apple's ImageIO
//! reports for it (apple-imageio-context.md §A.6).

pub mod gif;
pub mod jpeg;
pub mod png;

use std::sync::Arc;

use super::properties::{Props, keys};
use crate::format::ColorModel;
use crate::types::*;

/// A file format this library reads and writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Png,
    Jpeg,
    Gif,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Png, Kind::Jpeg, Kind::Gif];

    /// The uniform type identifier (`CGImageSourceGetType`).
    pub fn uti(self) -> &'static str {
        match self {
            Kind::Png => "public.png",
            Kind::Jpeg => "public.jpeg",
            Kind::Gif => "com.compuserve.gif",
        }
    }

    pub fn from_uti(uti: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.uti() == uti)
    }

    /// Recognises a file by its first bytes (a type hint never overrides this).
    pub fn sniff(bytes: &[u8]) -> Option<Kind> {
        if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(Kind::Png)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(Kind::Jpeg)
        } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
            Some(Kind::Gif)
        } else {
            None
        }
    }
}

/// `CGImageSourceStatus`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(i32)]
pub enum Status {
    UnexpectedEof = -5,
    InvalidData = -4,
    UnknownType = -3,
    ReadingHeader = -2,
    Incomplete = -1,
    Complete = 0,
}

/// How the file describes its colours.
#[derive(Debug, Clone, PartialEq)]
pub enum Colour {
    /// An embedded ICC profile.
    Icc(Arc<[u8]>),
    /// PNG sRGB chunk.
    Srgb,
    /// PNG gAMA (and cHRM: white x, y, red x, y, green x, y, blue x, y).
    Calibrated {
        gamma: f64,
        chromaticities: Option<[f64; 8]>,
    },
    /// Nothing: sRGB for RGB, Generic Gray Gamma 2.2 for gray, Generic CMYK for CMYK.
    Untagged,
}

/// The pixel layout of a decoded image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    pub bits_per_component: u32,
    pub bits_per_pixel: u32,
    pub bitmap_info: CGBitmapInfo,
    pub model: ColorModel,
}

impl Layout {
    pub const fn new(bpc: u32, bpp: u32, info: CGBitmapInfo, model: ColorModel) -> Layout {
        Layout {
            bits_per_component: bpc,
            bits_per_pixel: bpp,
            bitmap_info: info,
            model,
        }
    }

    pub fn bytes_per_pixel(&self) -> usize {
        self.bits_per_pixel as usize / 8
    }

    pub fn has_alpha(&self) -> bool {
        !matches!(
            self.bitmap_info & kCGBitmapAlphaInfoMask,
            kCGImageAlphaNone | kCGImageAlphaNoneSkipFirst | kCGImageAlphaNoneSkipLast
        )
    }
}

/// What one image of a file is, from its headers.
#[derive(Debug, Clone)]
pub struct FrameInfo {
    pub width: usize,
    pub height: usize,
    /// The layout [`decode`] produces.
    pub layout: Layout,
    /// Bits per sample in the file (`Depth`).
    pub depth: u32,
    /// The file has alpha (an alpha channel or transparency), even if every pixel is opaque.
    pub has_alpha: bool,
    pub indexed: bool,
    pub orientation: Option<u32>,
    pub dpi: Option<(f64, f64)>,
    pub colour: Colour,
    /// Format dictionaries (`{PNG}`, `{JFIF}`, `{Exif}`, `{TIFF}`, `{GIF}`).
    pub extra: Props,
    /// An embedded JPEG thumbnail: byte range in the file.
    pub thumbnail: Option<(usize, usize)>,
}

impl FrameInfo {
    /// The properties dictionary of this image (`CGImageSourceCopyPropertiesAtIndex`).
    pub fn properties(&self) -> Props {
        let mut p = Props::new();
        p.int(keys::PIXEL_WIDTH, self.width as i64);
        p.int(keys::PIXEL_HEIGHT, self.height as i64);
        p.int(keys::DEPTH, i64::from(self.depth));
        if let Some(o) = self.orientation {
            p.int(keys::ORIENTATION, i64::from(o));
        }
        if let Some((x, y)) = self.dpi {
            p.float(keys::DPI_WIDTH, x);
            p.float(keys::DPI_HEIGHT, y);
        }
        p.bool(keys::HAS_ALPHA, self.has_alpha);
        if self.indexed {
            p.bool(keys::IS_INDEXED, true);
        }
        let model = match self.layout.model {
            ColorModel::Gray => keys::COLOR_MODEL_GRAY,
            ColorModel::Cmyk => keys::COLOR_MODEL_CMYK,
            ColorModel::Lab => keys::COLOR_MODEL_LAB,
            _ => keys::COLOR_MODEL_RGB,
        };
        p.str(keys::COLOR_MODEL, model);
        match &self.colour {
            Colour::Icc(icc) => {
                if let Some(name) = super::icc::description(icc) {
                    p.str(keys::PROFILE_NAME, &name);
                }
            }
            Colour::Srgb => p.str(keys::PROFILE_NAME, "sRGB IEC61966-2.1"),
            _ => {}
        }
        for (k, v) in &self.extra.0 {
            p.set(k, v.clone());
        }
        p
    }

    /// Bytes of the decoded pixels.
    pub fn decoded_bytes(&self) -> Option<usize> {
        self.width
            .checked_mul(self.height)?
            .checked_mul(self.layout.bytes_per_pixel())
    }
}

/// A parsed file: its images and container properties.
#[derive(Debug, Clone)]
pub struct Container {
    pub kind: Kind,
    pub frames: Vec<FrameInfo>,
    /// Container-level entries (`{GIF}` loop count ...), without FileSize.
    pub props: Props,
    /// Whether the file is whole (`Complete`), cut short (`UnexpectedEof`) or damaged.
    pub status: Status,
}

/// A decoded bitmap: rows of `layout` pixels, `bytes_per_row` apart, top row first.
#[derive(Debug)]
pub struct Decoded {
    pub width: usize,
    pub height: usize,
    pub layout: Layout,
    pub bytes_per_row: usize,
    pub pixels: Vec<u8>,
}

/// Why decoding failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// Over [`super::max_image_bytes`].
    TooLarge,
    /// Cut short.
    Truncated,
    /// Damaged or unsupported.
    Invalid(String),
}

/// Parses the headers of a file of kind `kind`.
pub fn parse(kind: Kind, bytes: &[u8]) -> Result<Container, Status> {
    match kind {
        Kind::Png => png::parse(bytes),
        Kind::Jpeg => jpeg::parse(bytes),
        Kind::Gif => gif::parse(bytes),
    }
}

/// Decodes image `index` of a parsed file.
pub fn decode(container: &Container, bytes: &[u8], index: usize) -> Result<Decoded, DecodeError> {
    let frame = container
        .frames
        .get(index)
        .ok_or_else(|| DecodeError::Invalid("no such image".into()))?;
    let need = frame.decoded_bytes().ok_or(DecodeError::TooLarge)?;
    if need > super::max_image_bytes() {
        return Err(DecodeError::TooLarge);
    }
    match container.kind {
        Kind::Png => png::decode(bytes, frame),
        Kind::Jpeg => jpeg::decode(bytes, frame),
        Kind::Gif => gif::decode(bytes, container, index),
    }
}

/// A zeroed buffer of `len` bytes (calloc: the pages are zeroed lazily), or `TooLarge` when
/// `len` is over the limit.
pub(crate) fn alloc_zeroed(len: usize) -> Result<Vec<u8>, DecodeError> {
    if len > super::max_image_bytes() {
        return Err(DecodeError::TooLarge);
    }
    Ok(vec![0u8; len])
}
