//! CGImage.h.

use crate::cf::Cf;
use crate::cg::color_space::ColorSpace;
use crate::cg::image::{Image, ImageSpec};
use crate::cg::provider::DataProvider;
use crate::error::Error;
use crate::format::{PixelBits, PixelFormat, check_intent};
use crate::types::*;

use super::guard_value;

/// The image behind a C pointer, if it is one.
///
/// # Safety
/// `image` is NULL or an object pointer of this library that the caller holds a reference to.
unsafe fn image_ref<'a>(image: CGImageRef) -> Option<&'a Image> {
    // SAFETY: forwarded caller contract.
    unsafe { Cf::<Image>::borrow(image.cast()) }
}

#[unsafe(no_mangle)]
pub extern "C" fn CGImageGetTypeID() -> CFTypeID {
    crate::cf::object::type_ids::IMAGE
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGImageCreate(
    width: usize,
    height: usize,
    bitsPerComponent: usize,
    bitsPerPixel: usize,
    bytesPerRow: usize,
    space: CGColorSpaceRef,
    bitmapInfo: CGBitmapInfo,
    provider: CGDataProviderRef,
    decode: *const CGFloat,
    shouldInterpolate: bool,
    intent: CGColorRenderingIntent,
) -> CGImageRef {
    guard_value(std::ptr::null_mut(), || {
        let make = || -> Result<Cf<Image>, Error> {
            // SAFETY: the caller holds references to space and provider (or passes NULL).
            let space = unsafe { Cf::<ColorSpace>::retain_raw(space.cast()) }
                .ok_or(Error::NullPointer("space"))?;
            // SAFETY: as above.
            let provider = unsafe { Cf::<DataProvider>::retain_raw(provider.cast()) }
                .ok_or(Error::NullPointer("provider"))?;
            let bpc = u32::try_from(bitsPerComponent)
                .map_err(|_| Error::InvalidParameter("bitsPerComponent"))?;
            let bpp =
                u32::try_from(bitsPerPixel).map_err(|_| Error::InvalidParameter("bitsPerPixel"))?;
            let format = PixelFormat::new(bpc, bpp, space.model(), bitmapInfo, PixelBits::AtLeast)?;
            let decode = (!decode.is_null()).then(|| {
                let n = 2
                    * (format.channels() as usize
                        - usize::from(matches!(
                            bitmapInfo & kCGBitmapAlphaInfoMask,
                            kCGImageAlphaNoneSkipFirst | kCGImageAlphaNoneSkipLast
                        )));
                // SAFETY: a decode array holds two values per component (Apple's contract).
                unsafe { std::slice::from_raw_parts(decode, n) }.into()
            });
            let spec = ImageSpec {
                width,
                height,
                format,
                bytes_per_row: bytesPerRow,
                color_space: Some(space),
                decode,
                should_interpolate: shouldInterpolate,
                intent: check_intent(intent)?,
            };
            Image::new(spec, provider)
        };
        make().map_or(std::ptr::null_mut(), |image| image.into_raw().cast())
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGImageMaskCreate(
    width: usize,
    height: usize,
    bitsPerComponent: usize,
    bitsPerPixel: usize,
    bytesPerRow: usize,
    provider: CGDataProviderRef,
    decode: *const CGFloat,
    shouldInterpolate: bool,
) -> CGImageRef {
    guard_value(std::ptr::null_mut(), || {
        if bitsPerComponent != bitsPerPixel || bitsPerComponent > 8 {
            return std::ptr::null_mut();
        }
        // SAFETY: the caller holds a reference to provider (or passes NULL).
        let Some(provider) = (unsafe { Cf::<DataProvider>::retain_raw(provider.cast()) }) else {
            return std::ptr::null_mut();
        };
        // SAFETY: a mask's decode array holds two values.
        let decode =
            (!decode.is_null()).then(|| unsafe { std::slice::from_raw_parts(decode, 2) }.into());
        Image::new_mask(
            width,
            height,
            bitsPerComponent as u32,
            bytesPerRow,
            provider,
            decode,
            shouldInterpolate,
        )
        .map_or(std::ptr::null_mut(), |image| image.into_raw().cast())
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGImageCreateCopy(image: CGImageRef) -> CGImageRef {
    // SAFETY: the caller holds a reference to image (or passes NULL).
    guard_value(std::ptr::null_mut(), || {
        unsafe { image_ref(image) }.map_or(std::ptr::null_mut(), |i| i.copy().into_raw().cast())
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGImageCreateWithImageInRect(
    image: CGImageRef,
    rect: CGRect,
) -> CGImageRef {
    guard_value(std::ptr::null_mut(), || {
        // SAFETY: the caller holds a reference to image (or passes NULL).
        let Some(parent) = (unsafe { Cf::<Image>::retain_raw(image.cast()) }) else {
            return std::ptr::null_mut();
        };
        Image::crop(&parent, rect).map_or(std::ptr::null_mut(), |i| i.into_raw().cast())
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGImageRetain(image: CGImageRef) -> CGImageRef {
    // SAFETY: NULL-safe; otherwise the caller holds a reference.
    unsafe { super::retain_object(image.cast()) };
    image
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGImageRelease(image: CGImageRef) {
    // SAFETY: NULL-safe; otherwise the caller gives up one reference it holds.
    unsafe { super::release_object(image.cast()) }
}

// Accessors: NULL (or an object that is not an image) gives 0 / NULL / false, as Apple's
// CGImageGetWidth(NULL) == 0 (§4.7 rule 13). Written out, not generated: cbindgen reads
// source, not macro expansions.

#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGImageIsMask(image: CGImageRef) -> bool {
    // SAFETY: NULL or a foreign object gives the default; else the caller holds a reference.
    unsafe { image_ref(image) }.is_some_and(|i| i.is_mask())
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGImageGetWidth(image: CGImageRef) -> usize {
    // SAFETY: NULL or a foreign object gives the default; else the caller holds a reference.
    unsafe { image_ref(image) }.map_or(0, |i| i.width())
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGImageGetHeight(image: CGImageRef) -> usize {
    // SAFETY: NULL or a foreign object gives the default; else the caller holds a reference.
    unsafe { image_ref(image) }.map_or(0, |i| i.height())
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGImageGetBitsPerComponent(image: CGImageRef) -> usize {
    // SAFETY: NULL or a foreign object gives the default; else the caller holds a reference.
    unsafe { image_ref(image) }.map_or(0, |i| i.bits_per_component() as usize)
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGImageGetBitsPerPixel(image: CGImageRef) -> usize {
    // SAFETY: NULL or a foreign object gives the default; else the caller holds a reference.
    unsafe { image_ref(image) }.map_or(0, |i| i.bits_per_pixel() as usize)
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGImageGetBytesPerRow(image: CGImageRef) -> usize {
    // SAFETY: NULL or a foreign object gives the default; else the caller holds a reference.
    unsafe { image_ref(image) }.map_or(0, |i| i.bytes_per_row())
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGImageGetColorSpace(image: CGImageRef) -> CGColorSpaceRef {
    // SAFETY: NULL or a foreign object gives the default; else the caller holds a reference.
    unsafe { image_ref(image) }.map_or(std::ptr::null_mut(), |i| {
        i.color_space()
            .map_or(std::ptr::null_mut(), |s| s.as_ptr().cast())
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGImageGetAlphaInfo(image: CGImageRef) -> CGImageAlphaInfo {
    // SAFETY: NULL or a foreign object gives the default; else the caller holds a reference.
    unsafe { image_ref(image) }.map_or(kCGImageAlphaNone, |i| {
        i.bitmap_info() & kCGBitmapAlphaInfoMask
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGImageGetDataProvider(image: CGImageRef) -> CGDataProviderRef {
    // SAFETY: NULL or a foreign object gives the default; else the caller holds a reference.
    unsafe { image_ref(image) }.map_or(std::ptr::null_mut(), |i| i.provider().as_ptr().cast())
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGImageGetDecode(image: CGImageRef) -> *const CGFloat {
    // SAFETY: NULL or a foreign object gives the default; else the caller holds a reference.
    unsafe { image_ref(image) }.map_or(std::ptr::null(), |i| {
        i.decode().map_or(std::ptr::null(), <[CGFloat]>::as_ptr)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGImageGetShouldInterpolate(image: CGImageRef) -> bool {
    // SAFETY: NULL or a foreign object gives the default; else the caller holds a reference.
    unsafe { image_ref(image) }.is_some_and(|i| i.should_interpolate())
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGImageGetRenderingIntent(image: CGImageRef) -> CGColorRenderingIntent {
    // SAFETY: NULL or a foreign object gives the default; else the caller holds a reference.
    unsafe { image_ref(image) }.map_or(kCGRenderingIntentDefault, |i| i.rendering_intent())
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGImageGetBitmapInfo(image: CGImageRef) -> CGBitmapInfo {
    // SAFETY: NULL or a foreign object gives the default; else the caller holds a reference.
    unsafe { image_ref(image) }.map_or(0, |i| i.bitmap_info())
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGImageGetByteOrderInfo(image: CGImageRef) -> CGImageByteOrderInfo {
    // SAFETY: NULL or a foreign object gives the default; else the caller holds a reference.
    unsafe { image_ref(image) }.map_or(kCGImageByteOrderDefault, |i| {
        i.bitmap_info() & kCGImageByteOrderMask
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGImageGetPixelFormatInfo(image: CGImageRef) -> CGImagePixelFormatInfo {
    // SAFETY: NULL or a foreign object gives the default; else the caller holds a reference.
    unsafe { image_ref(image) }.map_or(kCGImagePixelFormatPacked, |i| {
        i.bitmap_info() & kCGImagePixelFormatMask
    })
}

/// Images made here come from no file, so they have no type identifier: always NULL.
#[unsafe(no_mangle)]
pub extern "C" fn CGImageGetUTType(image: CGImageRef) -> CFStringRef {
    let _ = image;
    CFStringRef(std::ptr::null())
}
