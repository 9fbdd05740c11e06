//! Regression tests for what the cargo-fuzz targets (`fuzz/`) found, one per finding, written
//! against the C ABI as the targets call it.

#![allow(non_snake_case)]

use std::ffi::c_void;
use std::sync::atomic::{AtomicUsize, Ordering};

use vimage::ffi::cg_data_provider::*;
use vimage::ffi::cg_image::*;
use vimage::types::*;

fn rect(x: f64, y: f64, width: f64, height: f64) -> CGRect {
    CGRect {
        origin: CGPoint { x, y },
        size: CGSize { width, height },
    }
}

/// `CGDataProviderCreateWithData`'s release callback: `info` is an `AtomicUsize` call counter.
unsafe extern "C" fn count_release(info: *mut c_void, _data: *const c_void, _size: usize) {
    // SAFETY: the tests pass a live AtomicUsize as info.
    unsafe { &*info.cast::<AtomicUsize>() }.fetch_add(1, Ordering::SeqCst);
}

/// cg_image_rect: a copy of a sub-image whose bits were realigned (1-bit mask cut at x = 2)
/// did not keep the original image alive, unlike the sub-image itself, so the provider's
/// release callback ran while the copy (a holder of the pixels) was still alive.
#[test]
fn copy_of_a_realigned_sub_image_keeps_the_original_alive() {
    let calls = AtomicUsize::new(0);
    let bits = [
        0b1010_1100u8,
        0b0101_0011,
        0b1111_0000,
        0b0000_1111,
        0b1100_1100,
    ];
    // SAFETY: `bits` and `calls` outlive every object (checked by the callback count).
    unsafe {
        let provider = CGDataProviderCreateWithData(
            (&calls as *const AtomicUsize).cast_mut().cast(),
            bits.as_ptr().cast(),
            bits.len(),
            Some(count_release),
        );
        let mask = CGImageMaskCreate(7, 5, 1, 1, 1, provider, std::ptr::null(), true);
        assert!(!mask.is_null());
        let sub = CGImageCreateWithImageInRect(mask, rect(2.0, 0.0, 5.0, 5.0));
        assert!(!sub.is_null());
        let copy = CGImageCreateCopy(sub);
        assert!(!copy.is_null());
        CGImageRelease(mask);
        CGImageRelease(sub);
        CGDataProviderRelease(provider);
        assert_eq!(
            calls.load(Ordering::SeqCst),
            0,
            "released while a copy of the sub-image lives"
        );
        CGImageRelease(copy);
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }
}

/// convert_any: half-float RGB (no alpha) -> half-float ARGB through the `permute` kernel
/// fills alpha with 0xffff (a half NaN) where the reference writes 0x3c00 (1.0):
/// `kernels::opaque_byte` knows the bytes of 1.0 for `Sample::Float` but not for
/// `Sample::Half`. Every same-type half-float byte map that fills an alpha or padding slot
/// (source alpha None or NoneSkip) was affected. Fixed in `kernels::opaque_byte`.
#[test]
fn half_float_alpha_fill_is_one() {
    use vimage::ffi::vimage_converter::*;
    let format = |bitmap_info, bpp| vImage_CGImageFormat {
        bitsPerComponent: 16,
        bitsPerPixel: bpp,
        colorSpace: std::ptr::null_mut(),
        bitmapInfo: bitmap_info | kCGBitmapFloatComponents,
        version: 0,
        decode: std::ptr::null(),
        renderingIntent: kCGRenderingIntentDefault,
    };
    let src_format = format(kCGImageAlphaNone | kCGBitmapByteOrder16Big, 48);
    let dst_format = format(kCGImageAlphaFirst, 64);
    // Two pixels of big-endian halves: (0.5, 0.25, 1.0), (0, 1, 0.5).
    let src = [
        0x38u8, 0x00, 0x34, 0x00, 0x3c, 0x00, 0x00, 0x00, 0x3c, 0x00, 0x38, 0x00,
    ];
    let mut dst = [0u8; 16];
    // SAFETY: both buffers hold one row of two pixels; the converter is released.
    unsafe {
        let mut error = 0;
        let converter = vImageConverter_CreateWithCGImageFormat(
            &src_format,
            &dst_format,
            std::ptr::null(),
            0,
            &mut error,
        );
        assert_eq!(error, kvImageNoError);
        let buffer = |data: *mut u8, row_bytes| vImage_Buffer {
            data: data.cast(),
            height: 1,
            width: 2,
            rowBytes: row_bytes,
        };
        let (s, d) = (
            buffer(src.as_ptr().cast_mut(), 12),
            buffer(dst.as_mut_ptr(), 16),
        );
        let result = vImageConvert_AnyToAny(converter, &s, &d, std::ptr::null_mut(), 0);
        vImageConverter_Release(converter);
        assert_eq!(result, kvImageNoError);
    }
    assert_eq!(
        dst,
        [
            0x3c, 0x00, 0x38, 0x00, 0x34, 0x00, 0x3c, 0x00, // A = 1.0, R, G, B
            0x3c, 0x00, 0x00, 0x00, 0x3c, 0x00, 0x38, 0x00,
        ]
    );
}
