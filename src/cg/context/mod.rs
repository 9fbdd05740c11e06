//! Bitmap contexts (CGBitmapContext.h) and the drawing calls used with them (CGContext.h).
//!
//! A context owns (or borrows) one bitmap in one of the formats of reference B.3
//! ([`pixels::Codec`]) and a graphics state stack. Coordinates: one unit is one pixel, the
//! origin is the bottom-left corner, +y is up, and memory row 0 is the top (reference B.5).
//!
//! Drawing ([`draw`]) works on premultiplied `f32` values in the context's colour space:
//! sources are converted through the repo's converter, resampled with the geometry engine and
//! composited source-over (or copied), then written back in the context's format. Pixels are
//! covered when their centre lies inside the transformed shape (no antialiasing: edges are
//! snapped to whole pixels). No paths or text.

pub mod affine;
pub mod draw;
pub mod pixels;

use std::ffi::c_void;
use std::sync::{Mutex, MutexGuard};

use crate::cf::object::{Cf, CfType, Class, class_for, type_ids};
use crate::cg::color_space::{ColorSpace, Known};
use crate::cg::image::{Image, ImageSpec};
use crate::cg::provider::DataProvider;
use crate::convert::Converter;
use crate::error::{Error, Result};
use crate::format::{ColorModel, ImageFormat, PixelBits, PixelFormat};
use crate::types::*;
use pixels::{ALPHA, Codec, Px};

/// `CGInterpolationQuality` values (note High 3 < Medium 4).
pub const INTERPOLATION_DEFAULT: i32 = 0;
pub const INTERPOLATION_NONE: i32 = 1;
pub const INTERPOLATION_LOW: i32 = 2;
pub const INTERPOLATION_HIGH: i32 = 3;
pub const INTERPOLATION_MEDIUM: i32 = 4;

/// The `CGBlendMode` values drawn as such; every other mode draws as Normal.
pub const BLEND_NORMAL: i32 = 0;
pub const BLEND_CLEAR: i32 = 16;
pub const BLEND_COPY: i32 = 17;

/// `void (*)(void *releaseInfo, void *data)`.
pub type ReleaseCallback =
    Option<unsafe extern "C" fn(release_info: *mut c_void, data: *mut c_void)>;

/// Row padding of computed `bytesPerRow` (reference B.2: 300 px RGBA gives 1216).
pub const ROW_ALIGN: usize = 64;

/// What is wrong with creation parameters, in CoreGraphics' words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CreateError {
    /// Not in reference B.3: "unsupported parameter combination".
    Unsupported(String),
    /// An explicit `bytesPerRow` below one row: "invalid data bytes/row".
    BytesPerRow(String),
    /// Zero or overflowing sizes, or no memory.
    Size(&'static str),
    /// Indexed / pattern / Lab spaces: "CGColorSpace doesn't support output".
    Space,
}

impl std::fmt::Display for CreateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CreateError::Unsupported(s) => {
                write!(
                    f,
                    "CGBitmapContextCreate: unsupported parameter combination: {s}"
                )
            }
            CreateError::BytesPerRow(s) => {
                write!(f, "CGBitmapContextCreate: invalid data bytes/row: {s}")
            }
            CreateError::Size(s) => write!(f, "CGBitmapContextCreate: {s}"),
            CreateError::Space => write!(
                f,
                "CGBitmapContextInfoCreate: CGColorSpace doesn't support output"
            ),
        }
    }
}

/// Who frees the pixels.
enum Storage {
    /// `calloc`ed here (data == NULL); freed with the context.
    Own,
    /// The caller's; `release(info, data)` runs once when the context is freed.
    Caller(ReleaseCallback, *mut c_void),
}

/// The graphics state (`CGContextSaveGState` saves all of it).
#[derive(Debug, Clone, Copy)]
pub struct GState {
    pub ctm: CGAffineTransform,
    /// Device clip in memory pixel coordinates: columns `x0..x1`, rows `y0..y1` (top down).
    pub clip: [usize; 4],
    /// Fill colour as a working pixel (premultiplied, in the context's space).
    pub fill: Px,
    pub alpha: f64,
    pub blend: i32,
    pub quality: i32,
}

#[derive(Debug)]
struct State {
    gs: GState,
    saved: Vec<GState>,
}

/// A bitmap context.
pub struct Context {
    width: usize,
    height: usize,
    bits_per_component: usize,
    bytes_per_row: usize,
    bitmap_info: u32,
    space: Option<Cf<ColorSpace>>,
    codec: Codec,
    data: *mut u8,
    /// Bytes the rows span (`(height - 1) * bytes_per_row + row`), or the whole allocation.
    len: usize,
    storage: Storage,
    /// The drawing engine's working format and the converter into it from DeviceRGB / Gray
    /// fill colours (built lazily).
    work_format: ImageFormat,
    state: Mutex<State>,
}

// SAFETY: the pixels are only written under the state lock (or by the caller through
// GetData, whose synchronisation is the caller's business, as on Apple); the release
// callback may run on any thread, as Apple's contract allows.
unsafe impl Send for Context {}
// SAFETY: as above.
unsafe impl Sync for Context {}

impl std::fmt::Debug for Context {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Context")
            .field("width", &self.width)
            .field("height", &self.height)
            .field("bytes_per_row", &self.bytes_per_row)
            .field("bitmap_info", &self.bitmap_info)
            .finish_non_exhaustive()
    }
}

impl CfType for Context {
    const CLASS: &'static Class = &class_for::<Context>(type_ids::CONTEXT, "CGContext");
}

impl Drop for Context {
    fn drop(&mut self) {
        match self.storage {
            // SAFETY: calloc'ed in `new`, freed once here.
            Storage::Own => unsafe { libc::free(self.data.cast()) },
            Storage::Caller(Some(release), info) => {
                // SAFETY: Apple's contract: the callback takes (releaseInfo, data) once.
                unsafe { release(info, self.data.cast()) }
            }
            Storage::Caller(None, _) => {}
        }
    }
}

/// Creation parameters (`CGBitmapContextCreateWithData`'s, without the callback).
#[derive(Debug, Clone)]
pub struct Params {
    pub width: usize,
    pub height: usize,
    pub bits_per_component: usize,
    /// 0: computed and padded to [`ROW_ALIGN`] (tight when `data` is given).
    pub bytes_per_row: usize,
    pub space: Option<Cf<ColorSpace>>,
    pub bitmap_info: u32,
}

impl Params {
    /// The accepted format and the row stride, or why not.
    pub fn check(&self, data_given: bool) -> std::result::Result<(Codec, usize), CreateError> {
        let model = self.space.as_ref().map(|s| s.model());
        if matches!(model, Some(ColorModel::Lab | ColorModel::Xyz)) {
            return Err(CreateError::Space);
        }
        let codec =
            Codec::accept(model, self.bits_per_component, self.bitmap_info).map_err(|_| {
                CreateError::Unsupported(describe(
                    self.bits_per_component,
                    model,
                    self.bitmap_info,
                    self.bytes_per_row,
                ))
            })?;
        if self.width == 0 || self.height == 0 {
            return Err(CreateError::Size("width and height must be non-zero"));
        }
        let min = self
            .width
            .checked_mul(codec.bytes_per_pixel())
            .filter(|&n| n <= isize::MAX as usize)
            .ok_or(CreateError::Size("width overflows"))?;
        let stride = match self.bytes_per_row {
            0 if data_given => min,
            0 => min
                .checked_next_multiple_of(ROW_ALIGN)
                .ok_or(CreateError::Size("width overflows"))?,
            n if n < min => {
                let components = codec.colours;
                return Err(CreateError::BytesPerRow(format!(
                    "should be at least {min} for {} {} bits/component, {components} components, {}.",
                    self.bits_per_component,
                    if self.bitmap_info & kCGBitmapFloatComponents != 0 {
                        "float"
                    } else {
                        "integer"
                    },
                    pixels::alpha_name(self.bitmap_info & kCGBitmapAlphaInfoMask)
                )));
            }
            n => n,
        };
        crate::format::span(self.height, stride, min)
            .ok_or(CreateError::Size("bytesPerRow * height overflows"))?;
        Ok((codec, stride))
    }
}

/// The parameters as CoreGraphics' log line lists them.
fn describe(bpc: usize, model: Option<ColorModel>, info: u32, bytes_per_row: usize) -> String {
    let order = match info & kCGBitmapByteOrderMask {
        kCGBitmapByteOrder16Little => "kCGImageByteOrder16Little",
        kCGBitmapByteOrder32Little => "kCGImageByteOrder32Little",
        kCGBitmapByteOrder16Big => "kCGImageByteOrder16Big",
        kCGBitmapByteOrder32Big => "kCGImageByteOrder32Big",
        _ => "default byte order",
    };
    format!(
        "{bpc} bits/component; {}; {} color space model; {}; {order}; {bytes_per_row} bytes/row.",
        if info & kCGBitmapFloatComponents != 0 {
            "float"
        } else {
            "integer"
        },
        pixels::model_name(model),
        pixels::alpha_name(info & kCGBitmapAlphaInfoMask),
    )
}

impl Context {
    /// `CGBitmapContextCreateWithData`: over `data` when non-NULL (the caller's rows, released
    /// through `release` once the context is freed), else over zeroed memory of its own
    /// (`release` is then never called). On failure nothing is released.
    ///
    /// # Safety
    /// A non-NULL `data` is valid for reads and writes of `(height - 1) * bytesPerRow +
    /// width * bytesPerPixel` bytes until the context is freed (and `release` has run).
    pub unsafe fn new(
        params: Params,
        data: *mut u8,
        release: ReleaseCallback,
        release_info: *mut c_void,
    ) -> std::result::Result<Cf<Context>, CreateError> {
        let (codec, stride) = params.check(!data.is_null())?;
        let row = params.width * codec.bytes_per_pixel();
        let (data, len, storage) = if data.is_null() {
            let len = stride
                .checked_mul(params.height)
                .ok_or(CreateError::Size("bytesPerRow * height overflows"))?;
            // SAFETY: calloc with a non-zero size; NULL is handled.
            let ptr = unsafe { libc::calloc(len, 1) }.cast::<u8>();
            if ptr.is_null() {
                return Err(CreateError::Size("cannot allocate the bitmap"));
            }
            (ptr, len, Storage::Own)
        } else {
            let len = crate::format::span(params.height, stride, row)
                .ok_or(CreateError::Size("bytesPerRow * height overflows"))?;
            (data, len, Storage::Caller(release, release_info))
        };
        let work_format = work_format(codec.colours, params.space.clone());
        let (w, h) = (params.width, params.height);
        let context = Context {
            width: w,
            height: h,
            bits_per_component: params.bits_per_component,
            bytes_per_row: stride,
            bitmap_info: params.bitmap_info,
            space: params.space,
            codec,
            data,
            len,
            storage,
            work_format,
            state: Mutex::new(State {
                gs: GState {
                    ctm: affine::IDENTITY,
                    clip: [0, 0, w, h],
                    fill: [0.0, 0.0, 0.0, 0.0, 1.0],
                    alpha: 1.0,
                    blend: BLEND_NORMAL,
                    quality: INTERPOLATION_DEFAULT,
                },
                saved: Vec::new(),
            }),
        };
        Ok(Cf::new(context))
    }

    /// A context over zeroed memory of its own (`CGBitmapContextCreate(NULL, ...)`).
    pub fn with_params(params: Params) -> std::result::Result<Cf<Context>, CreateError> {
        // SAFETY: data is NULL, so there is no caller memory to vouch for.
        unsafe { Self::new(params, std::ptr::null_mut(), None, std::ptr::null_mut()) }
    }

    pub fn width(&self) -> usize {
        self.width
    }
    pub fn height(&self) -> usize {
        self.height
    }
    pub fn bits_per_component(&self) -> usize {
        self.bits_per_component
    }
    pub fn bits_per_pixel(&self) -> usize {
        self.codec.bits_per_pixel
    }
    pub fn bytes_per_row(&self) -> usize {
        self.bytes_per_row
    }
    pub fn bitmap_info(&self) -> u32 {
        self.bitmap_info
    }
    pub fn alpha_info(&self) -> u32 {
        self.bitmap_info & kCGBitmapAlphaInfoMask
    }
    pub fn color_space(&self) -> Option<&Cf<ColorSpace>> {
        self.space.as_ref()
    }
    pub fn codec(&self) -> &Codec {
        &self.codec
    }
    /// The pixels' address (`CGBitmapContextGetData`).
    pub fn data(&self) -> *mut u8 {
        self.data
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A copy of the current graphics state.
    pub fn gstate(&self) -> GState {
        self.lock().gs
    }

    /// Changes the current graphics state.
    pub fn update(&self, change: impl FnOnce(&mut GState)) {
        change(&mut self.lock().gs)
    }

    pub fn save(&self) {
        let mut s = self.lock();
        let gs = s.gs;
        s.saved.push(gs);
    }

    /// Restores the last saved state; an unbalanced restore does nothing.
    pub fn restore(&self) {
        let mut s = self.lock();
        if let Some(gs) = s.saved.pop() {
            s.gs = gs;
        }
    }

    /// `CGContextConcatCTM`: `t` applies to user coordinates before the current CTM.
    pub fn concat_ctm(&self, t: CGAffineTransform) {
        self.update(|gs| gs.ctm = affine::concat(t, gs.ctm));
    }

    /// The drawing engine's working format for this context.
    pub fn work_format(&self) -> &ImageFormat {
        &self.work_format
    }

    /// Sets the fill colour from components in a device space of `model` (Gray or RGB),
    /// straight alpha last (`CGContextSetRGBFillColor` / `SetGrayFillColor`).
    pub fn set_fill(&self, model: Known, components: &[f64]) {
        let px = self.convert_colour(model, components);
        self.update(|gs| gs.fill = px);
    }

    /// One straight-alpha colour of a device space as a working pixel of this context.
    fn convert_colour(&self, model: Known, components: &[f64]) -> Px {
        let clamp = |v: f64| {
            if v.is_nan() {
                0.0
            } else {
                v.clamp(0.0, 1.0) as f32
            }
        };
        let values: Vec<f32> = components.iter().map(|&v| clamp(v)).collect();
        let n = values.len();
        let src = ImageFormat {
            bits_per_component: 32,
            bits_per_pixel: 32 * n as u32,
            color_space: Some(ColorSpace::known(model)),
            bitmap_info: kCGImageAlphaLast | kCGBitmapFloatComponents | kCGBitmapByteOrder32Little,
            ..ImageFormat::default()
        };
        let bytes: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
        let a = values[n - 1];
        let fallback = {
            // Same model or no converter: premultiply by hand (gray -> every colour).
            let mut px: Px = [0.0; 5];
            for (i, slot) in px.iter_mut().take(self.codec.colours).enumerate() {
                *slot = values[i.min(n - 2)] * a;
            }
            px[ALPHA] = a;
            px
        };
        match Converter::new(&src, &self.work_format, None, true) {
            Ok(conv) => {
                let mut out = vec![0u8; conv.dst_row_len(1)];
                conv.convert_row(&bytes, &mut out, 1);
                draw::unpack_work(&out, self.codec.colours, 1)
                    .pop()
                    .unwrap_or(fallback)
            }
            Err(_) => fallback,
        }
    }

    /// `CGBitmapContextCreateImage`: an image of the pixels as they are now. The bits are
    /// copied eagerly, so later drawing (or writes through `GetData`) never shows in it.
    pub fn create_image(&self) -> Result<Cf<Image>> {
        let _state = self.lock(); // no draw runs while the bits are copied
        // SAFETY: the context's rows span `len` bytes from `data`; drawing is excluded by the
        // lock, and writes through GetData are the caller's to order (as on Apple).
        let bytes = unsafe { std::slice::from_raw_parts(self.data, self.len) };
        let row = self.width * self.codec.bytes_per_pixel();
        let pixels = crate::alloc::PixelAlloc::copy_rows(
            bytes,
            self.bytes_per_row,
            row,
            self.height,
            self.bytes_per_row,
        )?;
        let format = PixelFormat::new(
            self.bits_per_component as u32,
            self.codec.bits_per_pixel as u32,
            self.space.as_ref().map_or(ColorModel::Gray, |s| s.model()),
            self.bitmap_info,
            PixelBits::AtLeast,
        )?;
        let spec = ImageSpec {
            width: self.width,
            height: self.height,
            format,
            bytes_per_row: self.bytes_per_row,
            color_space: self.space.clone(),
            decode: None,
            should_interpolate: true,
            intent: kCGRenderingIntentDefault,
        };
        Image::new(spec, DataProvider::from_pixels(pixels))
    }

    /// Runs `body` with the current state and the rows, under the lock.
    pub(crate) fn with_pixels<T>(&self, body: impl FnOnce(&GState, &mut [u8]) -> T) -> T {
        let state = self.lock();
        // SAFETY: `len` bytes from `data` are the context's (checked at creation); the state
        // lock, held until `body` returns, keeps every other drawing call out.
        let bytes = unsafe { std::slice::from_raw_parts_mut(self.data, self.len) };
        body(&state.gs, bytes)
    }
}

/// Premultiplied-last 32-bit float pixels in `space` with `colours` colour components (alpha
/// only when 0): what sources are converted into before they are resampled and composited.
pub fn work_format(colours: usize, space: Option<Cf<ColorSpace>>) -> ImageFormat {
    let alpha = if colours == 0 {
        kCGImageAlphaOnly
    } else {
        kCGImageAlphaPremultipliedLast
    };
    ImageFormat {
        bits_per_component: 32,
        bits_per_pixel: 32 * (colours as u32 + 1),
        color_space: space,
        bitmap_info: alpha | kCGBitmapFloatComponents | kCGBitmapByteOrder32Little,
        ..ImageFormat::default()
    }
}

impl From<Error> for CreateError {
    fn from(_: Error) -> CreateError {
        CreateError::Size("cannot allocate the bitmap")
    }
}
