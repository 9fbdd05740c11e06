//! CGBitmapContext.h and CGContext.h (bitmap contexts, images, fills, the CTM and the
//! graphics state), and the CGAffineTransform.h functions they need. No paths or text.
//!
//! A NULL context (or an object that is not a context) is refused with CoreGraphics' log line
//! `<function>: invalid context 0x0` on stderr and 0 / NULL / nothing; `CGContextRetain` /
//! `CGContextRelease` accept NULL silently.

use std::ffi::c_void;

use crate::cf::Cf;
use crate::cg::color_space::{ColorSpace, Known};
use crate::cg::context::{self, Context, Params, affine};
use crate::cg::image::Image;
use crate::types::*;

use super::guard_value;

/// Opaque object behind `CGContextRef`.
pub struct CGContext {
    _opaque: (),
}
pub type CGContextRef = *mut CGContext;

/// `void (*)(void *releaseInfo, void *data)`.
pub type CGBitmapContextReleaseDataCallback =
    Option<unsafe extern "C" fn(releaseInfo: *mut c_void, data: *mut c_void)>;

/// `CGInterpolationQuality` (int32_t): note High 3 < Medium 4.
pub type CGInterpolationQuality = i32;
pub const kCGInterpolationDefault: CGInterpolationQuality = 0;
pub const kCGInterpolationNone: CGInterpolationQuality = 1;
pub const kCGInterpolationLow: CGInterpolationQuality = 2;
pub const kCGInterpolationHigh: CGInterpolationQuality = 3;
pub const kCGInterpolationMedium: CGInterpolationQuality = 4;

/// `CGBlendMode` (int32_t). Normal, Copy and Clear are drawn as such; every other mode draws
/// as Normal.
pub type CGBlendMode = i32;
pub const kCGBlendModeNormal: CGBlendMode = 0;
pub const kCGBlendModeMultiply: CGBlendMode = 1;
pub const kCGBlendModeScreen: CGBlendMode = 2;
pub const kCGBlendModeOverlay: CGBlendMode = 3;
pub const kCGBlendModeDarken: CGBlendMode = 4;
pub const kCGBlendModeLighten: CGBlendMode = 5;
pub const kCGBlendModeColorDodge: CGBlendMode = 6;
pub const kCGBlendModeColorBurn: CGBlendMode = 7;
pub const kCGBlendModeSoftLight: CGBlendMode = 8;
pub const kCGBlendModeHardLight: CGBlendMode = 9;
pub const kCGBlendModeDifference: CGBlendMode = 10;
pub const kCGBlendModeExclusion: CGBlendMode = 11;
pub const kCGBlendModeHue: CGBlendMode = 12;
pub const kCGBlendModeSaturation: CGBlendMode = 13;
pub const kCGBlendModeColor: CGBlendMode = 14;
pub const kCGBlendModeLuminosity: CGBlendMode = 15;
pub const kCGBlendModeClear: CGBlendMode = 16;
pub const kCGBlendModeCopy: CGBlendMode = 17;
pub const kCGBlendModeSourceIn: CGBlendMode = 18;
pub const kCGBlendModeSourceOut: CGBlendMode = 19;
pub const kCGBlendModeSourceAtop: CGBlendMode = 20;
pub const kCGBlendModeDestinationOver: CGBlendMode = 21;
pub const kCGBlendModeDestinationIn: CGBlendMode = 22;
pub const kCGBlendModeDestinationOut: CGBlendMode = 23;
pub const kCGBlendModeDestinationAtop: CGBlendMode = 24;
pub const kCGBlendModeXOR: CGBlendMode = 25;
pub const kCGBlendModePlusDarker: CGBlendMode = 26;
pub const kCGBlendModePlusLighter: CGBlendMode = 27;

/// Writes CoreGraphics' "invalid context" line (one write, so threads do not interleave; a
/// lost line is no reason to fail).
fn invalid(function: &str, c: CGContextRef) {
    let line = format!("{function}: invalid context {c:p}\n");
    let _ = std::io::Write::write_all(&mut std::io::stderr(), line.as_bytes());
}

/// The context behind `c`, or the log line and `None`.
///
/// # Safety
/// `c` is NULL or an object pointer of this library that the caller holds a reference to.
unsafe fn context<'a>(function: &str, c: CGContextRef) -> Option<&'a Context> {
    // SAFETY: forwarded caller contract.
    let found = unsafe { Cf::<Context>::borrow(c.cast()) };
    if found.is_none() {
        invalid(function, c);
    }
    found
}

/// Runs `body` on the context, or logs and returns `fallback`; never unwinds.
///
/// # Safety
/// As for [`context`].
unsafe fn with<T>(
    function: &str,
    c: CGContextRef,
    fallback: T,
    body: impl FnOnce(&Context) -> T,
) -> T
where
    T: Copy,
{
    guard_value(fallback, || {
        // SAFETY: forwarded caller contract.
        match unsafe { context(function, c) } {
            Some(ctx) => body(ctx),
            None => fallback,
        }
    })
}

/// The shared body of both creation functions.
///
/// # Safety
/// Apple's contract for `data` (rows of `bytesPerRow` bytes, writable while the context lives).
#[allow(clippy::too_many_arguments)]
unsafe fn create(
    data: *mut c_void,
    width: usize,
    height: usize,
    bitsPerComponent: usize,
    bytesPerRow: usize,
    space: CGColorSpaceRef,
    bitmapInfo: u32,
    releaseCallback: CGBitmapContextReleaseDataCallback,
    releaseInfo: *mut c_void,
) -> CGContextRef {
    guard_value(std::ptr::null_mut(), || {
        // SAFETY: the caller holds a reference to space (or passes NULL).
        let space_obj = unsafe { Cf::<ColorSpace>::retain_raw(space.cast()) };
        if !space.is_null() && space_obj.is_none() {
            invalid_space();
            return std::ptr::null_mut();
        }
        let params = Params {
            width,
            height,
            bits_per_component: bitsPerComponent,
            bytes_per_row: bytesPerRow,
            space: space_obj,
            bitmap_info: bitmapInfo,
        };
        // SAFETY: the caller's contract for data; the callback is Apple's typedef.
        match unsafe { Context::new(params, data.cast(), releaseCallback, releaseInfo) } {
            Ok(c) => c.into_raw().cast(),
            Err(e) => {
                let line = format!("{e}\n");
                let _ = std::io::Write::write_all(&mut std::io::stderr(), line.as_bytes());
                std::ptr::null_mut()
            }
        }
    })
}

fn invalid_space() {
    let line = "CGBitmapContextCreate: invalid colour space\n";
    let _ = std::io::Write::write_all(&mut std::io::stderr(), line.as_bytes());
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGBitmapContextCreate(
    data: *mut c_void,
    width: usize,
    height: usize,
    bitsPerComponent: usize,
    bytesPerRow: usize,
    space: CGColorSpaceRef,
    bitmapInfo: u32,
) -> CGContextRef {
    // SAFETY: forwarded caller contract.
    unsafe {
        create(
            data,
            width,
            height,
            bitsPerComponent,
            bytesPerRow,
            space,
            bitmapInfo,
            None,
            std::ptr::null_mut(),
        )
    }
}

/// `releaseCallback(releaseInfo, data)` runs once when the context is freed, only for a
/// caller's `data` (never when `data` is NULL, nor when creation fails).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGBitmapContextCreateWithData(
    data: *mut c_void,
    width: usize,
    height: usize,
    bitsPerComponent: usize,
    bytesPerRow: usize,
    space: CGColorSpaceRef,
    bitmapInfo: u32,
    releaseCallback: CGBitmapContextReleaseDataCallback,
    releaseInfo: *mut c_void,
) -> CGContextRef {
    // SAFETY: forwarded caller contract.
    unsafe {
        create(
            data,
            width,
            height,
            bitsPerComponent,
            bytesPerRow,
            space,
            bitmapInfo,
            releaseCallback,
            releaseInfo,
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGBitmapContextGetData(c: CGContextRef) -> *mut c_void {
    // SAFETY: NULL or foreign logs and gives NULL; else the caller holds a reference.
    unsafe {
        with("CGBitmapContextGetData", c, std::ptr::null_mut(), |c| {
            c.data().cast()
        })
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGBitmapContextGetWidth(c: CGContextRef) -> usize {
    // SAFETY: NULL or foreign logs and gives 0; else the caller holds a reference.
    unsafe { with("CGBitmapContextGetWidth", c, 0, |c| c.width()) }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGBitmapContextGetHeight(c: CGContextRef) -> usize {
    // SAFETY: NULL or foreign logs and gives 0; else the caller holds a reference.
    unsafe { with("CGBitmapContextGetHeight", c, 0, |c| c.height()) }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGBitmapContextGetBitsPerComponent(c: CGContextRef) -> usize {
    // SAFETY: NULL or foreign logs and gives 0; else the caller holds a reference.
    unsafe {
        with("CGBitmapContextGetBitsPerComponent", c, 0, |c| {
            c.bits_per_component()
        })
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGBitmapContextGetBitsPerPixel(c: CGContextRef) -> usize {
    // SAFETY: NULL or foreign logs and gives 0; else the caller holds a reference.
    unsafe {
        with("CGBitmapContextGetBitsPerPixel", c, 0, |c| {
            c.bits_per_pixel()
        })
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGBitmapContextGetBytesPerRow(c: CGContextRef) -> usize {
    // SAFETY: NULL or foreign logs and gives 0; else the caller holds a reference.
    unsafe { with("CGBitmapContextGetBytesPerRow", c, 0, |c| c.bytes_per_row()) }
}

/// +0; NULL for an alpha-only context made without a space.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGBitmapContextGetColorSpace(c: CGContextRef) -> CGColorSpaceRef {
    // SAFETY: NULL or foreign logs and gives NULL; else the caller holds a reference.
    unsafe {
        with(
            "CGBitmapContextGetColorSpace",
            c,
            std::ptr::null_mut(),
            |c| {
                c.color_space()
                    .map_or(std::ptr::null_mut(), |s| s.as_ptr().cast())
            },
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGBitmapContextGetAlphaInfo(c: CGContextRef) -> CGImageAlphaInfo {
    // SAFETY: NULL or foreign logs and gives kCGImageAlphaNone; else the caller holds one.
    unsafe {
        with("CGBitmapContextGetAlphaInfo", c, kCGImageAlphaNone, |c| {
            c.alpha_info()
        })
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGBitmapContextGetBitmapInfo(c: CGContextRef) -> CGBitmapInfo {
    // SAFETY: NULL or foreign logs and gives 0; else the caller holds a reference.
    unsafe { with("CGBitmapContextGetBitmapInfo", c, 0, |c| c.bitmap_info()) }
}

/// A snapshot (+1): the bits are copied, so later drawing never shows in it.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGBitmapContextCreateImage(c: CGContextRef) -> CGImageRef {
    // SAFETY: NULL or foreign logs and gives NULL; else the caller holds a reference.
    unsafe {
        with("CGBitmapContextCreateImage", c, std::ptr::null_mut(), |c| {
            c.create_image()
                .map_or(std::ptr::null_mut(), |i| i.into_raw().cast())
        })
    }
}

#[unsafe(no_mangle)]
pub extern "C" fn CGContextGetTypeID() -> CFTypeID {
    crate::cf::object::type_ids::CONTEXT
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGContextRetain(c: CGContextRef) -> CGContextRef {
    // SAFETY: NULL-safe; otherwise the caller holds a reference.
    unsafe { super::retain_object(c.cast()) };
    c
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGContextRelease(c: CGContextRef) {
    // SAFETY: NULL-safe; otherwise the caller gives up one reference it holds.
    unsafe { super::release_object(c.cast()) }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGContextSaveGState(c: CGContextRef) {
    // SAFETY: NULL or foreign logs; else the caller holds a reference.
    unsafe { with("CGContextSaveGState", c, (), |c| c.save()) }
}

/// An unbalanced restore does nothing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGContextRestoreGState(c: CGContextRef) {
    // SAFETY: NULL or foreign logs; else the caller holds a reference.
    unsafe { with("CGContextRestoreGState", c, (), |c| c.restore()) }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGContextTranslateCTM(c: CGContextRef, tx: CGFloat, ty: CGFloat) {
    // SAFETY: NULL or foreign logs; else the caller holds a reference.
    unsafe {
        with("CGContextTranslateCTM", c, (), |c| {
            c.concat_ctm(affine::translation(tx, ty))
        })
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGContextScaleCTM(c: CGContextRef, sx: CGFloat, sy: CGFloat) {
    // SAFETY: NULL or foreign logs; else the caller holds a reference.
    unsafe {
        with("CGContextScaleCTM", c, (), |c| {
            c.concat_ctm(affine::scale(sx, sy))
        })
    }
}

/// Counter-clockwise for positive angles (y up).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGContextRotateCTM(c: CGContextRef, angle: CGFloat) {
    // SAFETY: NULL or foreign logs; else the caller holds a reference.
    unsafe {
        with("CGContextRotateCTM", c, (), |c| {
            c.concat_ctm(affine::rotation(angle))
        })
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGContextConcatCTM(c: CGContextRef, transform: CGAffineTransform) {
    // SAFETY: NULL or foreign logs; else the caller holds a reference.
    unsafe { with("CGContextConcatCTM", c, (), |c| c.concat_ctm(transform)) }
}

/// The identity for a NULL context.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGContextGetCTM(c: CGContextRef) -> CGAffineTransform {
    // SAFETY: NULL or foreign logs; else the caller holds a reference.
    unsafe { with("CGContextGetCTM", c, affine::IDENTITY, |c| c.gstate().ctm) }
}

/// Sets the fill colour in DeviceRGB (converted to the context's space); components outside
/// [0, 1] are clamped.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGContextSetRGBFillColor(
    c: CGContextRef,
    red: CGFloat,
    green: CGFloat,
    blue: CGFloat,
    alpha: CGFloat,
) {
    // SAFETY: NULL or foreign logs; else the caller holds a reference.
    unsafe {
        with("CGContextSetRGBFillColor", c, (), |c| {
            c.set_fill(Known::DeviceRgb, &[red, green, blue, alpha])
        })
    }
}

/// Sets the fill colour in DeviceGray (converted to the context's space).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGContextSetGrayFillColor(c: CGContextRef, gray: CGFloat, alpha: CGFloat) {
    // SAFETY: NULL or foreign logs; else the caller holds a reference.
    unsafe {
        with("CGContextSetGrayFillColor", c, (), |c| {
            c.set_fill(Known::DeviceGray, &[gray, alpha])
        })
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGContextFillRect(c: CGContextRef, rect: CGRect) {
    // SAFETY: NULL or foreign logs; else the caller holds a reference.
    unsafe { with("CGContextFillRect", c, (), |c| c.fill_rect(rect)) }
}

/// Covered pixels become all-zero bytes (transparent black; black without alpha).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGContextClearRect(c: CGContextRef, rect: CGRect) {
    // SAFETY: NULL or foreign logs; else the caller holds a reference.
    unsafe { with("CGContextClearRect", c, (), |c| c.clear_rect(rect)) }
}

/// Intersects the clip with the pixels `rect` covers (the bounding box under rotations
/// other than quarter turns).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGContextClipToRect(c: CGContextRef, rect: CGRect) {
    // SAFETY: NULL or foreign logs; else the caller holds a reference.
    unsafe { with("CGContextClipToRect", c, (), |c| c.clip_to_rect(rect)) }
}

/// Values are kept as given; Normal, Copy and Clear draw as such, every other mode as Normal.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGContextSetBlendMode(c: CGContextRef, mode: CGBlendMode) {
    // SAFETY: NULL or foreign logs; else the caller holds a reference.
    unsafe {
        with("CGContextSetBlendMode", c, (), |c| {
            c.update(|g| g.blend = mode)
        })
    }
}

/// Clamped to [0, 1]; NaN is ignored.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGContextSetAlpha(c: CGContextRef, alpha: CGFloat) {
    // SAFETY: NULL or foreign logs; else the caller holds a reference.
    unsafe {
        with("CGContextSetAlpha", c, (), |c| {
            if !alpha.is_nan() {
                c.update(|g| g.alpha = alpha.clamp(0.0, 1.0))
            }
        })
    }
}

/// Values outside Default...Medium (0...4) are ignored.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGContextSetInterpolationQuality(
    c: CGContextRef,
    quality: CGInterpolationQuality,
) {
    // SAFETY: NULL or foreign logs; else the caller holds a reference.
    unsafe {
        with("CGContextSetInterpolationQuality", c, (), |c| {
            if (kCGInterpolationDefault..=kCGInterpolationMedium).contains(&quality) {
                c.update(|g| g.quality = quality)
            }
        })
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGContextGetInterpolationQuality(
    c: CGContextRef,
) -> CGInterpolationQuality {
    // SAFETY: NULL or foreign logs and gives Default; else the caller holds a reference.
    unsafe {
        with(
            "CGContextGetInterpolationQuality",
            c,
            kCGInterpolationDefault,
            |c| c.gstate().quality,
        )
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGContextDrawImage(c: CGContextRef, rect: CGRect, image: CGImageRef) {
    // SAFETY: NULL or foreign logs; else the caller holds references to both.
    unsafe {
        with("CGContextDrawImage", c, (), |c| {
            // SAFETY: the caller holds a reference to image (or passes NULL: nothing drawn).
            if let Some(image) = Cf::<Image>::borrow(image.cast()) {
                c.draw_image(rect, image)
            }
        })
    }
}

/// Drawing is immediate: nothing to flush.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGContextFlush(c: CGContextRef) {
    // SAFETY: NULL or foreign logs; else the caller holds a reference.
    unsafe { with("CGContextFlush", c, (), |_| ()) }
}

/// Drawing is immediate: nothing to synchronise.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGContextSynchronize(c: CGContextRef) {
    // SAFETY: NULL or foreign logs; else the caller holds a reference.
    unsafe { with("CGContextSynchronize", c, (), |_| ()) }
}

// ---- CGAffineTransform.h -----------------------------------------------------------------------

#[unsafe(no_mangle)]
pub static CGAffineTransformIdentity: CGAffineTransform = affine::IDENTITY;

#[unsafe(no_mangle)]
pub extern "C" fn CGAffineTransformMake(
    a: CGFloat,
    b: CGFloat,
    c: CGFloat,
    d: CGFloat,
    tx: CGFloat,
    ty: CGFloat,
) -> CGAffineTransform {
    affine::make(a, b, c, d, tx, ty)
}

#[unsafe(no_mangle)]
pub extern "C" fn CGAffineTransformMakeTranslation(tx: CGFloat, ty: CGFloat) -> CGAffineTransform {
    affine::translation(tx, ty)
}

#[unsafe(no_mangle)]
pub extern "C" fn CGAffineTransformMakeScale(sx: CGFloat, sy: CGFloat) -> CGAffineTransform {
    affine::scale(sx, sy)
}

#[unsafe(no_mangle)]
pub extern "C" fn CGAffineTransformMakeRotation(angle: CGFloat) -> CGAffineTransform {
    affine::rotation(angle)
}

/// `t1` then `t2`.
#[unsafe(no_mangle)]
pub extern "C" fn CGAffineTransformConcat(
    t1: CGAffineTransform,
    t2: CGAffineTransform,
) -> CGAffineTransform {
    affine::concat(t1, t2)
}

/// A singular matrix is returned unchanged, as Apple documents.
#[unsafe(no_mangle)]
pub extern "C" fn CGAffineTransformInvert(t: CGAffineTransform) -> CGAffineTransform {
    affine::invert(t).unwrap_or(t)
}

#[unsafe(no_mangle)]
pub extern "C" fn CGAffineTransformIsIdentity(t: CGAffineTransform) -> bool {
    affine::is_identity(&t)
}

// The engine's constants are the C enum values.
const _: () = assert!(context::INTERPOLATION_NONE == kCGInterpolationNone);
const _: () = assert!(context::INTERPOLATION_LOW == kCGInterpolationLow);
const _: () = assert!(context::INTERPOLATION_HIGH == kCGInterpolationHigh);
const _: () = assert!(context::INTERPOLATION_MEDIUM == kCGInterpolationMedium);
const _: () = assert!(context::BLEND_NORMAL == kCGBlendModeNormal);
const _: () = assert!(context::BLEND_COPY == kCGBlendModeCopy);
const _: () = assert!(context::BLEND_CLEAR == kCGBlendModeClear);
