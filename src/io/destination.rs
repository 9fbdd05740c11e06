//! CGImageDestination: images (and their properties) collected until `Finalize`, then encoded
//! and written to a file, a CFMutableData or a data consumer.
//!
//! PNG takes 8- and 16-bit gray, gray + alpha, RGB and RGBA as they are (16-bit samples in
//! either byte order); every other CGImage format is first converted by the converter to the
//! nearest of those (premultiplied alpha is unpremultiplied, float and packed formats become
//! 16 / 8 bits, CMYK becomes RGB). JPEG takes gray and RGB(X) as they are and CMYK; alpha is
//! flattened over white (`kCGImageDestinationBackgroundColor`'s documented default).

use std::borrow::Cow;
use std::path::PathBuf;
use std::sync::Mutex;

use super::codec::{Kind, Layout};
use super::consumer::DataConsumer;
use super::properties::{Props, Value, keys};
use super::source::ImageSource;
use crate::cf::Data;
use crate::cf::object::{Cf, CfType, Class, class_for, type_ids};
use crate::cg::color_space::{ColorSpace, Known};
use crate::cg::image::Image;
use crate::convert::Converter;
use crate::format::{AlphaInfo, ByteOrder, ColorModel, ImageFormat};
use crate::types::*;

/// Where the encoded file goes.
#[derive(Debug)]
pub enum Target {
    /// A file, written (replaced) at `Finalize`.
    Path(PathBuf),
    /// A CFMutableData, appended to at `Finalize`.
    Data(Cf<Data>),
    Consumer(Cf<DataConsumer>),
}

#[derive(Debug, Default)]
struct State {
    images: Vec<(Cf<Image>, Props)>,
    props: Props,
    finalized: bool,
}

/// An image destination (`CGImageDestinationRef`).
#[derive(Debug)]
pub struct ImageDestination {
    kind: Kind,
    count: usize,
    target: Target,
    state: Mutex<State>,
}

impl CfType for ImageDestination {
    const CLASS: &'static Class =
        &class_for::<ImageDestination>(type_ids::IMAGE_DESTINATION, "CGImageDestination");
}

/// Pixels ready for an encoder: `height` rows of `layout` pixels, `stride` bytes apart.
pub struct Raster<'a> {
    pub width: usize,
    pub height: usize,
    pub layout: Layout,
    pub stride: usize,
    pub pixels: Cow<'a, [u8]>,
    /// 16-bit samples are big-endian (PNG's order).
    pub big_endian: bool,
}

impl Raster<'_> {
    /// Tight rows (borrowed when the stride is already tight).
    pub fn tight(&self) -> Cow<'_, [u8]> {
        let row = self.width * self.layout.bytes_per_pixel();
        if self.stride == row {
            Cow::Borrowed(&self.pixels[..row * self.height])
        } else {
            let mut v = Vec::with_capacity(row * self.height);
            for y in 0..self.height {
                v.extend_from_slice(&self.pixels[y * self.stride..y * self.stride + row]);
            }
            Cow::Owned(v)
        }
    }
}

/// What the encoders take from the properties and the image.
#[derive(Debug, Clone, Default)]
pub struct Meta {
    pub orientation: Option<u32>,
    /// 0..=1.
    pub quality: Option<f64>,
    pub dpi: Option<(f64, f64)>,
    /// The ICC profile to embed.
    pub icc: Option<Vec<u8>>,
    /// The image is sRGB: PNG writes an sRGB chunk instead of a profile.
    pub srgb: bool,
    /// GIF frame delay in seconds.
    pub delay: Option<f64>,
    /// GIF loop count (0 = forever).
    pub loop_count: Option<u16>,
}

impl ImageDestination {
    /// A destination for `count` images of `kind`.
    pub fn new(kind: Kind, count: usize, target: Target) -> Cf<ImageDestination> {
        Cf::new(ImageDestination {
            kind,
            count,
            target,
            state: Mutex::new(State::default()),
        })
    }

    pub fn kind(&self) -> Kind {
        self.kind
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// `SetProperties`: file-wide properties, merged into earlier ones.
    pub fn set_properties(&self, props: &Props) {
        let mut s = self.lock();
        if !s.finalized {
            s.props.merge(props);
        }
    }

    /// `AddImage`; false (the image dropped) beyond `count` or after `Finalize`.
    pub fn add_image(&self, image: Cf<Image>, props: Props) -> bool {
        let mut s = self.lock();
        if s.finalized || s.images.len() >= self.count {
            return false;
        }
        s.images.push((image, props));
        true
    }

    /// `AddImageFromSource`: the decoded image with the source's properties, `props` merged
    /// over them (`kCFNull` deletes a key).
    pub fn add_from_source(&self, source: &ImageSource, index: usize, props: &Props) -> bool {
        let Some(image) = source.create_image(index) else {
            return false;
        };
        let mut merged = source.properties_at(index).unwrap_or_default();
        merged.merge(props);
        // The top-level orientation and {TIFF}'s are one tag in the file: changing or deleting
        // the first changes the second.
        if let Some(o) = props.get(keys::ORIENTATION) {
            let mut tiff = Props::new();
            tiff.set("Orientation", o.clone());
            let mut over = Props::new();
            over.set(keys::TIFF, Value::Dict(tiff));
            merged.merge(&over);
        }
        self.add_image(image, merged)
    }

    /// `Finalize`: encodes and writes; false when there is no image, encoding fails, writing
    /// fails, or it was already called.
    pub fn finalize(&self) -> bool {
        let (images, file_props) = {
            let mut s = self.lock();
            if s.finalized {
                return false;
            }
            s.finalized = true;
            (std::mem::take(&mut s.images), s.props.clone())
        };
        if images.is_empty() {
            return false;
        }
        let Some(bytes) = encode(self.kind, &images, &file_props) else {
            return false;
        };
        match &self.target {
            Target::Path(p) => std::fs::write(p, &bytes).is_ok(),
            Target::Data(d) => d.try_append(&bytes),
            Target::Consumer(c) => c.put(&bytes),
        }
    }
}

/// Encodes `images` (with their properties) as one file of `kind`. PNG and JPEG write the first
/// image; GIF writes every image as a frame.
pub fn encode(kind: Kind, images: &[(Cf<Image>, Props)], file_props: &Props) -> Option<Vec<u8>> {
    let (first, first_props) = images.first()?;
    match kind {
        Kind::Png => {
            let raster = for_png(first)?;
            let meta = meta_of(first, first_props, file_props);
            super::codec::png::encode(&raster, &meta).ok()
        }
        Kind::Jpeg => {
            let raster = for_jpeg(first)?;
            let meta = meta_of(first, first_props, file_props);
            super::codec::jpeg::encode(&raster, &meta).ok()
        }
        Kind::Gif => {
            let mut frames = Vec::new();
            for (image, props) in images {
                let raster = convert(
                    image,
                    rgba8_last(),
                    Some(image.color_space()?.clone()),
                    None,
                )?;
                frames.push((raster, meta_of(image, props, file_props)));
            }
            super::codec::gif::encode(&frames).ok()
        }
    }
}

fn meta_of(image: &Image, props: &Props, file_props: &Props) -> Meta {
    let get = |path: &[&str]| props.get_path(path).or_else(|| file_props.get_path(path));
    let orientation = get(&[keys::ORIENTATION])
        .or_else(|| get(&[keys::TIFF, "Orientation"]))
        .and_then(Value::as_i64)
        .filter(|o| (1..=8).contains(o))
        .map(|o| o as u32);
    let quality = get(&[keys::LOSSY_QUALITY])
        .and_then(Value::as_f64)
        .filter(|q| q.is_finite())
        .map(|q| q.clamp(0.0, 1.0));
    let dpi = match (
        get(&[keys::DPI_WIDTH]).and_then(Value::as_f64),
        get(&[keys::DPI_HEIGHT]).and_then(Value::as_f64),
    ) {
        (Some(x), Some(y)) if x > 0.0 && y > 0.0 => Some((x, y)),
        (Some(x), None) if x > 0.0 => Some((x, x)),
        _ => None,
    };
    let delay = get(&[keys::GIF, "DelayTime"]).and_then(Value::as_f64);
    let loop_count = file_props
        .get_path(&[keys::GIF, "LoopCount"])
        .and_then(Value::as_i64)
        .map(|n| n.clamp(0, i64::from(u16::MAX)) as u16);
    let space = image.color_space();
    let srgb = space.is_some_and(|s| s.name() == "kCGColorSpaceSRGB");
    Meta {
        orientation,
        quality,
        dpi,
        icc: if srgb {
            None
        } else {
            space.and_then(|s| icc_data(s))
        },
        srgb,
        delay,
        loop_count,
    }
}

/// The ICC profile of a colour space, to embed.
fn icc_data(space: &ColorSpace) -> Option<Vec<u8>> {
    space.icc_data()
}

const fn rgba8_last() -> Layout {
    Layout::new(8, 32, kCGImageAlphaLast, ColorModel::Rgb)
}

/// The image's pixels in `want` (converted when the layouts differ).
fn convert<'a>(
    image: &'a Image,
    want: Layout,
    space: Option<Cf<ColorSpace>>,
    background: Option<&[f64]>,
) -> Option<Raster<'a>> {
    let f = image.format();
    let big_endian = want.bits_per_component == 16
        && want.bitmap_info & kCGBitmapByteOrderMask == kCGBitmapByteOrder16Big;
    let same = f.bits_per_component == want.bits_per_component
        && f.bits_per_pixel == want.bits_per_pixel
        && f.model == Some(want.model)
        && f.info.alpha
            == crate::format::BitmapInfo::parse(want.bitmap_info)
                .ok()?
                .alpha
        && !f.info.float
        && same_order(f.bits_per_component, f.info.byte_order, want.bitmap_info)
        && image.decode().is_none();
    if same {
        let stride = image.bytes_per_row();
        let len = crate::format::span(image.height(), stride, f.row_len(image.width())?)?;
        return Some(Raster {
            width: image.width(),
            height: image.height(),
            layout: want,
            stride,
            pixels: Cow::Borrowed(&image.provider().bytes()[..len]),
            big_endian,
        });
    }
    let space = space
        .or_else(|| image.color_space().cloned())
        .unwrap_or_else(|| ColorSpace::known(Known::Srgb));
    let dst = ImageFormat {
        bits_per_component: want.bits_per_component,
        bits_per_pixel: want.bits_per_pixel,
        color_space: Some(space),
        bitmap_info: want.bitmap_info,
        decode: None,
        q12: false,
        rendering_intent: 0,
    };
    let conv = Converter::new(&image.image_format(), &dst, background, false).ok()?;
    let row = image.width() * want.bytes_per_pixel();
    let mut out = vec![0u8; row.checked_mul(image.height())?];
    conv.convert(
        image.provider().bytes(),
        image.bytes_per_row(),
        &mut out,
        row,
        image.width(),
        image.height(),
        true,
    );
    Some(Raster {
        width: image.width(),
        height: image.height(),
        layout: want,
        stride: row,
        pixels: Cow::Owned(out),
        big_endian,
    })
}

/// Whether samples in `order` are in the byte order `want_info` names (8-bit: any order that
/// keeps the channel order).
fn same_order(bpc: u32, order: ByteOrder, want_info: CGBitmapInfo) -> bool {
    let want = want_info & kCGBitmapByteOrderMask;
    match bpc {
        8 => matches!(
            order,
            ByteOrder::Default | ByteOrder::Big32 | ByteOrder::Big16
        ),
        16 => match want {
            kCGBitmapByteOrder16Big => matches!(order, ByteOrder::Default | ByteOrder::Big16),
            kCGBitmapByteOrder16Little => order == ByteOrder::Little16,
            _ => false,
        },
        _ => false,
    }
}

/// The PNG layout nearest the image's: gray or RGB, with alpha when the image has a real
/// alpha channel, 16 bits when the image has more than 8 bits per component.
fn for_png(image: &Image) -> Option<Raster<'_>> {
    let f = image.format();
    if image.is_mask() || f.model.is_none() {
        return None;
    }
    let alpha = !matches!(
        f.info.alpha,
        AlphaInfo::None | AlphaInfo::NoneSkipFirst | AlphaInfo::NoneSkipLast
    );
    let deep = f.bits_per_component > 8;
    let gray = f.model == Some(ColorModel::Gray);
    let channels = match (gray, alpha) {
        (true, false) => 1,
        (true, true) => 2,
        (false, false) => 3,
        (false, true) => 4,
    };
    let bpc = if deep { 16 } else { 8 };
    let order = if deep && f.info.byte_order == ByteOrder::Little16 && !f.info.float {
        kCGBitmapByteOrder16Little
    } else if deep {
        kCGBitmapByteOrder16Big
    } else {
        0
    };
    let info = if alpha {
        kCGImageAlphaLast
    } else {
        kCGImageAlphaNone
    } | order;
    let model = if gray {
        ColorModel::Gray
    } else {
        ColorModel::Rgb
    };
    let want = Layout::new(bpc, bpc * channels, info, model);
    let space = if gray || f.model == Some(ColorModel::Rgb) {
        None
    } else {
        Some(ColorSpace::known(Known::Srgb))
    };
    convert(image, want, space, None)
}

/// The JPEG layout nearest the image's: gray 8, RGB(X) 8 or CMYK 8; alpha flattened over white.
fn for_jpeg(image: &Image) -> Option<Raster<'_>> {
    let f = image.format();
    if image.is_mask() || f.model.is_none() {
        return None;
    }
    let white = [1.0, 1.0, 1.0, 1.0];
    let want = match f.model {
        Some(ColorModel::Gray) => Layout::new(8, 8, kCGImageAlphaNone, ColorModel::Gray),
        Some(ColorModel::Cmyk) => Layout::new(8, 32, kCGImageAlphaNone, ColorModel::Cmyk),
        Some(ColorModel::Rgb)
            if f.bits_per_component == 8
                && f.bits_per_pixel == 32
                && f.info.alpha == AlphaInfo::NoneSkipLast =>
        {
            Layout::new(8, 32, kCGImageAlphaNoneSkipLast, ColorModel::Rgb)
        }
        _ => Layout::new(8, 24, kCGImageAlphaNone, ColorModel::Rgb),
    };
    let space = match f.model {
        Some(ColorModel::Gray | ColorModel::Cmyk | ColorModel::Rgb) => None,
        _ => Some(ColorSpace::known(Known::Srgb)),
    };
    convert(image, want, space, Some(&white))
}
