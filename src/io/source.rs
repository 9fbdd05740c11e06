//! CGImageSource: a file's bytes, what its headers say, and images decoded from it.
//!
//! Creation never validates (§A.1): any bytes give a source, and junk gives count 0 and status
//! `UnknownType`. Headers are parsed when the bytes arrive (creation, `UpdateData`), pixels
//! when an image is asked for; every image owns its decoded pixels (no copy: the decoder's
//! buffer becomes the image's data provider).

use std::sync::{Arc, Mutex};

use super::codec::{self, Colour, Container, Decoded, FrameInfo, Kind, Layout, Status};
use super::properties::{Props, keys};
use crate::cf::Data;
use crate::cf::object::{Cf, CfType, Class, class_for, type_ids};
use crate::cg::color_space::{ColorSpace, Known};
use crate::cg::image::{Image, ImageSpec};
use crate::cg::provider::DataProvider;
use crate::convert::Converter;
use crate::format::{ColorModel, ImageFormat, PixelBits, PixelFormat};
use crate::types::*;

/// Where a source's bytes live.
#[derive(Debug, Clone)]
pub enum Bytes {
    Empty,
    Data(Cf<Data>),
    Provider(Cf<DataProvider>),
    Owned(Arc<[u8]>),
}

impl Bytes {
    pub fn as_slice(&self) -> &[u8] {
        match self {
            Bytes::Empty => &[],
            Bytes::Data(d) => d.bytes(),
            Bytes::Provider(p) => p.bytes(),
            Bytes::Owned(v) => v,
        }
    }
}

#[derive(Debug)]
struct State {
    bytes: Bytes,
    /// All bytes are in (always, except an incremental source before `final`).
    complete: bool,
    kind: Option<Kind>,
    parsed: Result<Container, Status>,
}

impl State {
    fn new(bytes: Bytes, complete: bool) -> State {
        let b = bytes.as_slice();
        let kind = Kind::sniff(b);
        let parsed = match kind {
            Some(k) => codec::parse(k, b),
            None => Err(Status::UnknownType),
        };
        State {
            bytes,
            complete,
            kind,
            parsed,
        }
    }

    fn container(&self) -> Option<&Container> {
        self.parsed.as_ref().ok()
    }
}

/// The options `CreateImageAtIndex` / `CreateThumbnailAtIndex` read (§A.2).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SourceOptions {
    pub thumbnail_if_absent: bool,
    pub thumbnail_always: bool,
    /// `kCGImageSourceThumbnailMaxPixelSize`; `None` when absent or not positive.
    pub max_pixel_size: Option<usize>,
    pub with_transform: bool,
}

/// Option key strings: equal to the symbol names (§A.2).
pub mod option_keys {
    pub const TYPE_IDENTIFIER_HINT: &str = "kCGImageSourceTypeIdentifierHint";
    pub const SHOULD_CACHE: &str = "kCGImageSourceShouldCache";
    pub const SHOULD_CACHE_IMMEDIATELY: &str = "kCGImageSourceShouldCacheImmediately";
    pub const SHOULD_ALLOW_FLOAT: &str = "kCGImageSourceShouldAllowFloat";
    pub const THUMBNAIL_IF_ABSENT: &str = "kCGImageSourceCreateThumbnailFromImageIfAbsent";
    pub const THUMBNAIL_ALWAYS: &str = "kCGImageSourceCreateThumbnailFromImageAlways";
    pub const THUMBNAIL_MAX_PIXEL_SIZE: &str = "kCGImageSourceThumbnailMaxPixelSize";
    pub const THUMBNAIL_WITH_TRANSFORM: &str = "kCGImageSourceCreateThumbnailWithTransform";
    pub const SUBSAMPLE_FACTOR: &str = "kCGImageSourceSubsampleFactor";
}

impl SourceOptions {
    /// Reads the option dictionary; unknown keys and wrongly typed values are ignored.
    pub fn from_props(p: &Props) -> SourceOptions {
        use option_keys::*;
        let flag = |k: &str| p.get(k).and_then(|v| v.as_bool()).unwrap_or(false);
        SourceOptions {
            thumbnail_if_absent: flag(THUMBNAIL_IF_ABSENT),
            thumbnail_always: flag(THUMBNAIL_ALWAYS),
            max_pixel_size: p
                .get(THUMBNAIL_MAX_PIXEL_SIZE)
                .and_then(|v| v.as_f64())
                .filter(|&v| v >= 1.0)
                .map(|v| v.min(1e9) as usize),
            with_transform: flag(THUMBNAIL_WITH_TRANSFORM),
        }
    }
}

/// An image source (`CGImageSourceRef`).
#[derive(Debug)]
pub struct ImageSource {
    state: Mutex<Arc<State>>,
    incremental: bool,
}

impl CfType for ImageSource {
    const CLASS: &'static Class =
        &class_for::<ImageSource>(type_ids::IMAGE_SOURCE, "CGImageSource");
}

impl ImageSource {
    /// A source over `bytes` (`CreateWithData` / `WithDataProvider` / `WithURL`).
    pub fn new(bytes: Bytes) -> Cf<ImageSource> {
        Cf::new(ImageSource {
            state: Mutex::new(Arc::new(State::new(bytes, true))),
            incremental: false,
        })
    }

    /// A source over a copy of `bytes`.
    pub fn from_bytes(bytes: &[u8]) -> Cf<ImageSource> {
        Self::new(Bytes::Owned(bytes.into()))
    }

    /// An incremental source without data (`CreateIncremental`).
    pub fn incremental() -> Cf<ImageSource> {
        Cf::new(ImageSource {
            state: Mutex::new(Arc::new(State::new(Bytes::Empty, false))),
            incremental: true,
        })
    }

    /// `UpdateData`: `bytes` holds all the data so far; `is_final` says no more will come.
    /// A non-incremental source ignores updates.
    pub fn update(&self, bytes: Bytes, is_final: bool) {
        if !self.incremental {
            return;
        }
        let fresh = Arc::new(State::new(bytes, is_final));
        *self.state.lock().unwrap_or_else(|e| e.into_inner()) = fresh;
    }

    fn state(&self) -> Arc<State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The container's type identifier, once recognised.
    pub fn kind(&self) -> Option<Kind> {
        let s = self.state();
        s.container()
            .map(|c| c.kind)
            .or(s.kind.filter(|_| !s.complete))
    }

    pub fn count(&self) -> usize {
        self.state().container().map_or(0, |c| c.frames.len())
    }

    pub fn status(&self) -> Status {
        let s = self.state();
        match (&s.parsed, s.complete) {
            (Ok(c), true) => c.status,
            (Ok(c), false) => match c.status {
                Status::Complete => Status::Complete,
                _ => Status::Incomplete,
            },
            (Err(e), true) => *e,
            (Err(_), false) => Status::ReadingHeader,
        }
    }

    pub fn status_at(&self, index: usize) -> Status {
        let s = self.state();
        let overall = self.status();
        match s.container() {
            Some(c) if index < c.frames.len() => match c.kind {
                // Every counted GIF frame was read to its end.
                Kind::Gif => Status::Complete,
                _ => overall,
            },
            Some(_) => Status::InvalidData,
            None => overall,
        }
    }

    /// `CopyProperties`: the container's properties (FileSize, `{GIF}` loop count).
    pub fn properties(&self) -> Option<Props> {
        let s = self.state();
        let c = s.container()?;
        let mut p = Props::new();
        p.int(keys::FILE_SIZE, s.bytes.as_slice().len() as i64);
        for (k, v) in &c.props.0 {
            p.set(k, v.clone());
        }
        Some(p)
    }

    /// `CopyPropertiesAtIndex`.
    pub fn properties_at(&self, index: usize) -> Option<Props> {
        let s = self.state();
        Some(s.container()?.frames.get(index)?.properties())
    }

    /// What image `index` is, from its headers.
    pub fn frame(&self, index: usize) -> Option<FrameInfo> {
        self.state().container()?.frames.get(index).cloned()
    }

    fn decode(&self, index: usize) -> Option<(Decoded, FrameInfo)> {
        let s = self.state();
        let c = s.container()?;
        let frame = c.frames.get(index)?.clone();
        // A PNG / JPEG cut short (or still arriving) gives no image rather than a partial one.
        if c.kind != Kind::Gif && (c.status != Status::Complete) {
            return None;
        }
        let d = codec::decode(c, s.bytes.as_slice(), index).ok()?;
        Some((d, frame))
    }

    /// `CreateImageAtIndex`: the image as stored (orientation is never applied).
    pub fn create_image(&self, index: usize) -> Option<Cf<Image>> {
        let (d, frame) = self.decode(index)?;
        let space = colour_space(&frame.colour, d.layout.model);
        image_from(d, space)
    }

    /// `CreateThumbnailAtIndex` (§A.3).
    pub fn create_thumbnail(&self, index: usize, o: &SourceOptions) -> Option<Cf<Image>> {
        let frame = self.frame(index)?;
        let mut base = None;
        if !o.thumbnail_always
            && let Some((at, len)) = frame.thumbnail
        {
            let s = self.state();
            let bytes = s.bytes.as_slice().get(at..at + len)?;
            base = embedded(bytes);
        }
        let (d, space) = match base {
            Some(b) => b,
            None if o.thumbnail_if_absent || o.thumbnail_always => {
                let (d, f) = self.decode(index)?;
                let space = colour_space(&f.colour, d.layout.model);
                (d, space)
            }
            None => return None,
        };
        let d = to_thumbnail_layout(d, &space)?;
        let (tw, th) = thumbnail_size(d.width, d.height, o.max_pixel_size);
        let d = if (tw, th) != (d.width, d.height) {
            scale(&d, tw, th)?
        } else {
            d
        };
        let d = match frame.orientation {
            Some(or) if o.with_transform && or != 1 => {
                let bpp = d.layout.bytes_per_pixel();
                let (w, h, px) =
                    super::orient::apply(or, &d.pixels, d.bytes_per_row, d.width, d.height, bpp);
                Decoded {
                    width: w,
                    height: h,
                    layout: d.layout,
                    bytes_per_row: w * bpp,
                    pixels: px,
                }
            }
            _ => d,
        };
        image_from(d, space)
    }
}

/// The size of a thumbnail of a `w x h` image bounded by `max`: never larger than the image;
/// the long side becomes `max` exactly, the short side is rounded to nearest (at least 1).
pub fn thumbnail_size(w: usize, h: usize, max: Option<usize>) -> (usize, usize) {
    let Some(max) = max else { return (w, h) };
    let long = w.max(h);
    if long <= max {
        return (w, h);
    }
    let short = |s: usize| (((s as f64) * (max as f64) / (long as f64)).round() as usize).max(1);
    if w >= h {
        (max, short(h))
    } else {
        (short(w), max)
    }
}

/// An embedded (EXIF) JPEG thumbnail, decoded.
fn embedded(bytes: &[u8]) -> Option<(Decoded, Cf<ColorSpace>)> {
    let c = codec::parse(Kind::Jpeg, bytes).ok()?;
    let f = c.frames.first()?;
    let d = codec::decode(&c, bytes, 0).ok()?;
    let space = colour_space(&f.colour, d.layout.model);
    Some((d, space))
}

/// The colour space of a decoded image (§A.7): the embedded profile, the sRGB chunk, or the
/// untagged default of the model (sRGB, Generic Gray Gamma 2.2, Generic CMYK).
pub fn colour_space(colour: &Colour, model: ColorModel) -> Cf<ColorSpace> {
    let named = |n: &str| ColorSpace::with_name(n);
    let fallback = || {
        match model {
            ColorModel::Gray => named("kCGColorSpaceGenericGrayGamma2_2"),
            ColorModel::Cmyk => named("kCGColorSpaceGenericCMYK"),
            _ => None,
        }
        .unwrap_or_else(|| ColorSpace::known(Known::Srgb))
    };
    match colour {
        Colour::Icc(icc) => from_icc(icc, model).unwrap_or_else(fallback),
        Colour::Srgb if model == ColorModel::Rgb => ColorSpace::known(Known::Srgb),
        Colour::Calibrated {
            gamma,
            chromaticities,
        } => calibrated(*gamma, chromaticities.as_ref(), model).unwrap_or_else(fallback),
        _ => fallback(),
    }
}

/// A space for an embedded profile of the image's model (`None` for damaged profiles or
/// profiles of another model: the untagged default is used then).
fn from_icc(icc: &[u8], model: ColorModel) -> Option<Cf<ColorSpace>> {
    if super::icc::model(icc) != Some(model) {
        return None;
    }
    ColorSpace::from_icc(icc).filter(|s| s.model() == model)
}

/// The CIE XYZ (Y = 1) of a chromaticity.
fn xyz(x: f64, y: f64) -> Option<[f64; 3]> {
    (y > 1e-6 && x >= 0.0 && x + y <= 1.0 + 1e-6).then(|| [x / y, 1.0, (1.0 - x - y) / y])
}

/// A calibrated space for PNG gAMA (+ cHRM), as Safari / ImageIO honour them (§A.7): the file
/// gamma is the encoding exponent, so the space decodes with 1 / gamma; primaries and white
/// from cHRM, else sRGB's (BT.709, D65).
pub(crate) fn calibrated(
    gamma: f64,
    chromaticities: Option<&[f64; 8]>,
    model: ColorModel,
) -> Option<Cf<ColorSpace>> {
    if !(gamma.is_finite() && gamma > 0.0) {
        return None;
    }
    let decode = 1.0 / gamma;
    let c = chromaticities
        .copied()
        .unwrap_or([0.3127, 0.3290, 0.64, 0.33, 0.30, 0.60, 0.15, 0.06]);
    let white = xyz(c[0], c[1])?;
    if model == ColorModel::Gray {
        return ColorSpace::calibrated_gray(white, [0.0; 3], decode);
    }
    if model != ColorModel::Rgb {
        return None;
    }
    // Columns: the primaries' XYZ scaled so that R + G + B = white.
    let p = [xyz(c[2], c[3])?, xyz(c[4], c[5])?, xyz(c[6], c[7])?];
    let m = [
        [p[0][0], p[1][0], p[2][0]],
        [p[0][1], p[1][1], p[2][1]],
        [p[0][2], p[1][2], p[2][2]],
    ];
    let det = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
        - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
        + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
    if det.abs() < 1e-12 {
        return None;
    }
    let solve = |col: usize| {
        let mut mm = m;
        for (r, row) in mm.iter_mut().enumerate() {
            row[col] = white[r];
        }
        (mm[0][0] * (mm[1][1] * mm[2][2] - mm[1][2] * mm[2][1])
            - mm[0][1] * (mm[1][0] * mm[2][2] - mm[1][2] * mm[2][0])
            + mm[0][2] * (mm[1][0] * mm[2][1] - mm[1][1] * mm[2][0]))
            / det
    };
    let s = [solve(0), solve(1), solve(2)];
    let mut matrix = [0.0; 9];
    for (i, prim) in p.iter().enumerate() {
        for k in 0..3 {
            matrix[3 * i + k] = prim[k] * s[i];
        }
    }
    ColorSpace::calibrated_rgb(white, [0.0; 3], [decode; 3], matrix)
}

fn format_of(layout: &Layout, space: &Cf<ColorSpace>) -> ImageFormat {
    ImageFormat {
        bits_per_component: layout.bits_per_component,
        bits_per_pixel: layout.bits_per_pixel,
        color_space: Some(space.clone()),
        bitmap_info: layout.bitmap_info,
        decode: None,
        q12: false,
        rendering_intent: 0,
    }
}

/// A CGImage owning the decoded pixels (no copy).
pub(crate) fn image_from(d: Decoded, space: Cf<ColorSpace>) -> Option<Cf<Image>> {
    let l = d.layout;
    let format = PixelFormat::new(
        l.bits_per_component,
        l.bits_per_pixel,
        l.model,
        l.bitmap_info,
        PixelBits::Exact,
    )
    .ok()?;
    let spec = ImageSpec {
        width: d.width,
        height: d.height,
        format,
        bytes_per_row: d.bytes_per_row,
        color_space: Some(space),
        decode: None,
        should_interpolate: true,
        intent: 0,
    };
    Image::new(spec, DataProvider::from_owner(d.pixels)).ok()
}

/// The 8-bit layout a thumbnail of this image has (§A.3 rule 5): gray, gray + alpha, RGBX,
/// RGBA premultiplied, or CMYK.
fn thumbnail_layout(l: &Layout) -> Layout {
    match (l.model, l.has_alpha()) {
        (ColorModel::Gray, false) => Layout::new(8, 8, kCGImageAlphaNone, ColorModel::Gray),
        (ColorModel::Gray, true) => {
            Layout::new(8, 16, kCGImageAlphaPremultipliedLast, ColorModel::Gray)
        }
        (ColorModel::Cmyk, _) => Layout::new(8, 32, kCGImageAlphaNone, ColorModel::Cmyk),
        (_, false) => Layout::new(8, 32, kCGImageAlphaNoneSkipLast, ColorModel::Rgb),
        (_, true) => Layout::new(8, 32, kCGImageAlphaPremultipliedLast, ColorModel::Rgb),
    }
}

fn to_thumbnail_layout(d: Decoded, space: &Cf<ColorSpace>) -> Option<Decoded> {
    let target = thumbnail_layout(&d.layout);
    if target == d.layout {
        return Some(d);
    }
    let conv = Converter::new(
        &format_of(&d.layout, space),
        &format_of(&target, space),
        None,
        false,
    )
    .ok()?;
    let row = d.width * target.bytes_per_pixel();
    let mut out = codec::alloc_zeroed(row.checked_mul(d.height)?).ok()?;
    conv.convert(
        &d.pixels,
        d.bytes_per_row,
        &mut out,
        row,
        d.width,
        d.height,
        true,
    );
    Some(Decoded {
        width: d.width,
        height: d.height,
        layout: target,
        bytes_per_row: row,
        pixels: out,
    })
}

/// Lanczos scale of an 8-bit image (the geometry engine's `vImageScale_*`).
fn scale(d: &Decoded, w: usize, h: usize) -> Option<Decoded> {
    use crate::geometry::scale::{Format, Img, Sample};
    let bpp = d.layout.bytes_per_pixel();
    let mut src = d.pixels.clone();
    let mut out = vec![0u8; w * h * bpp];
    let s = Img::of_slice(&mut src, d.bytes_per_row, d.width, d.height, bpp).ok()?;
    let t = Img::of_slice(&mut out, w * bpp, w, h, bpp).ok()?;
    crate::geometry::scale::scale(
        &s,
        &t,
        Format::new(bpp, Sample::U8),
        None,
        crate::flags::Flags::empty(),
    )
    .ok()?;
    Some(Decoded {
        width: w,
        height: h,
        layout: d.layout,
        bytes_per_row: w * bpp,
        pixels: out,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thumbnail_sizes_follow_apple() {
        assert_eq!(thumbnail_size(5250, 3450, Some(400)), (400, 263));
        assert_eq!(thumbnail_size(2000, 400, Some(40)), (40, 8));
        assert_eq!(thumbnail_size(400, 2000, Some(40)), (8, 40));
        assert_eq!(thumbnail_size(30, 20, Some(400)), (30, 20));
        assert_eq!(thumbnail_size(30, 20, None), (30, 20));
        assert_eq!(thumbnail_size(1000, 1, Some(10)), (10, 1));
    }
}
