//! CGImageCreate / CGImageMaskCreate over a data provider with arbitrary geometry, format and
//! decode, then CGImageCreateWithImageInRect with arbitrary rectangles (NaN, infinities,
//! negative, huge, fractional), sub-images of sub-images, copies, and releases in any order.
//!
//! Invariants: a sub-image is NULL exactly when CGRectIntegral(rect) does not meet the parent,
//! else it is that intersection, with the parent's format, and its pixels (read through
//! CGDataProviderCopyData) are the parent's at the offset; the provider's release callback runs
//! exactly once, after the last holder is released (and its bytes are never read after that).
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use vimage::ffi::cf_base::{CFEqual, CFRelease};
use vimage::ffi::cf_data::{CFDataGetBytePtr, CFDataGetLength};
use vimage::ffi::cg_data_provider::*;
use vimage::ffi::cg_image::*;
use vimage::types::*;
use vimage_fuzz::*;

#[derive(Arbitrary, Debug)]
enum Kind {
    Image { format: Fmt, extra_bytes: u8 },
    Mask { bits: u8, decode: Decode },
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum Coord {
    Small(i8),
    /// `n / 4`: fractional coordinates.
    Quarter(i8),
    Special(u8),
    Raw(f64),
}

impl Coord {
    fn value(self) -> f64 {
        match self {
            Coord::Small(n) => f64::from(n),
            Coord::Quarter(n) => f64::from(n) / 4.0,
            Coord::Special(k) => [
                f64::NAN,
                f64::INFINITY,
                f64::NEG_INFINITY,
                f64::MAX,
                f64::MIN,
                f64::MIN_POSITIVE,
                -0.0,
                1e300,
                -1e300,
                9007199254740993.0,     // 2^53 + 1
                18446744073709551616.0, // 2^64
                9223372036854775808.0,  // 2^63
                -9223372036854775808.0,
                f64::EPSILON,
                0.5,
                -0.5,
                1.0 - f64::EPSILON / 2.0,
            ][usize::from(k) % 17],
            Coord::Raw(v) => v,
        }
    }
}

#[derive(Arbitrary, Debug)]
struct Rect {
    x: Coord,
    y: Coord,
    w: Coord,
    h: Coord,
    /// Cut from the previous sub-image (when there is one) instead of the image.
    nested: bool,
    copy: bool,
}

#[derive(Arbitrary, Debug)]
struct Input {
    kind: Kind,
    width: u8,
    height: u8,
    pad: u8,
    short: bool,
    interpolate: bool,
    rects: Vec<Rect>,
    release_order: Vec<u8>,
    pixels: Vec<u8>,
}

/// CGRectIntegral(rect) intersected with the image bounds, computed here independently.
fn expected_crop(
    rect: CGRect,
    width: usize,
    height: usize,
) -> Option<(usize, usize, usize, usize)> {
    let axis = |origin: f64, size: f64, limit: usize| -> Option<(usize, usize)> {
        if origin.is_nan() || size.is_nan() || size == 0.0 {
            return None;
        }
        let end = origin + size;
        if end.is_nan() {
            return None;
        }
        let (lo, hi) = if size < 0.0 {
            (end, origin)
        } else {
            (origin, end)
        };
        let (lo, hi) = (lo.floor().max(0.0), hi.ceil().min(limit as f64));
        if hi <= lo {
            return None;
        }
        Some((lo as usize, (hi - lo) as usize))
    };
    let (x, w) = axis(rect.origin.x, rect.size.width, width)?;
    let (y, h) = axis(rect.origin.y, rect.size.height, height)?;
    Some((x, y, w, h))
}

/// An image's pixel bytes (through its provider) and stride.
unsafe fn pixels_of(image: CGImageRef) -> (Vec<u8>, usize) {
    unsafe {
        let data = CGDataProviderCopyData(CGImageGetDataProvider(image));
        assert!(!data.is_null(), "CGDataProviderCopyData failed");
        let len = CFDataGetLength(data) as usize;
        let bytes = if len == 0 {
            Vec::new()
        } else {
            std::slice::from_raw_parts(CFDataGetBytePtr(data), len).to_vec()
        };
        CFRelease(data.cast());
        (bytes, CGImageGetBytesPerRow(image))
    }
}

/// The `bpp` bits of pixel `x` in row `y`, most significant bit first.
fn pixel(bytes: &[u8], stride: usize, bpp: usize, x: usize, y: usize) -> Vec<u8> {
    let row = &bytes[y * stride..];
    if bpp % 8 == 0 {
        return row[x * bpp / 8..][..bpp / 8].to_vec();
    }
    let bit = x * bpp;
    let v = (row[bit / 8] >> (8 - bpp - bit % 8)) & ((1u8 << bpp) - 1);
    vec![v]
}

/// A sub-image and where it is in the original image.
struct Sub {
    image: CGImageRef,
    x: usize,
    y: usize,
}

fuzz_target!(|input: Input| {
    let (w, h) = (
        usize::from(input.width % 24),
        usize::from(input.height % 10),
    );
    let mut spaces = Vec::new();
    let (bpc, bpp, bitmap_info, intent, decode_ptr, space_ptr) = match &input.kind {
        Kind::Image {
            format,
            extra_bytes,
        } => {
            let f = format.fields();
            let space = format.space.make();
            let ptr = space.ptr;
            spaces.push(space);
            let decode = match &format.decode {
                Decode::Null => std::ptr::null(),
                Decode::Q12 => q12_pointer(),
                Decode::Values(v) => v.as_ptr(),
            };
            (
                f.bpc as usize,
                (f.bpp as usize).saturating_add(usize::from(extra_bytes % 3) * 8),
                f.bitmap_info,
                f.intent,
                decode,
                Some(ptr),
            )
        }
        Kind::Mask { bits, decode } => {
            let b = [1usize, 2, 4, 8, 3][usize::from(*bits) % 5];
            let decode = match decode {
                Decode::Values(v) => v.as_ptr(),
                _ => std::ptr::null(),
            };
            (b, b, 0, 0, decode, None)
        }
    };
    let row = row_len(w as u128, bpp as u32).min(1 << 16) as usize;
    let stride = row + usize::from(input.pad % 16);
    let len = (span(h as u128, stride as u128, row as u128) as usize)
        .saturating_sub(usize::from(input.short));
    let mut memory = Guarded::new(len, 0);
    memory.fill(&input.pixels);
    let tracker = Tracker::with_len(memory.ptr().cast(), len);
    // SAFETY: memory outlives every holder (the tracker checks the release), decode arrays hold
    // ten values, spaces are live.
    let (provider, image) = unsafe {
        let provider = CGDataProviderCreateWithData(
            tracker.user_data(),
            memory.ptr().cast(),
            len,
            Some(provider_release),
        );
        assert!(!provider.is_null());
        let image = match space_ptr {
            Some(space) => CGImageCreate(
                w,
                h,
                bpc,
                bpp,
                stride,
                space,
                bitmap_info,
                provider,
                decode_ptr,
                input.interpolate,
                intent,
            ),
            None => CGImageMaskCreate(
                w,
                h,
                bpc,
                bpp,
                stride,
                provider,
                decode_ptr,
                input.interpolate,
            ),
        };
        (provider, image)
    };
    if image.is_null() {
        stat("image refused");
        // SAFETY: we own the provider.
        unsafe { CGDataProviderRelease(provider) };
        tracker.assert_calls(1, "after releasing the provider of a refused image");
        return;
    }
    stat("image made");
    // SAFETY: live image.
    let (parent_bytes, parent_stride) = unsafe { pixels_of(image) };
    let mut holders: Vec<CGImageRef> = vec![image];
    let mut last: Option<Sub> = None;
    for r in input.rects.iter().take(4) {
        let rect = CGRect {
            origin: CGPoint {
                x: r.x.value(),
                y: r.y.value(),
            },
            size: CGSize {
                width: r.w.value(),
                height: r.h.value(),
            },
        };
        let (parent, px, py) = match (&last, r.nested) {
            (Some(sub), true) => (sub.image, sub.x, sub.y),
            _ => (image, 0, 0),
        };
        // SAFETY: parent is a live image we hold.
        unsafe {
            let (pw, ph) = (CGImageGetWidth(parent), CGImageGetHeight(parent));
            let child = CGImageCreateWithImageInRect(parent, rect);
            let expected = expected_crop(rect, pw, ph);
            let Some((x, y, cw, ch)) = expected else {
                assert!(
                    child.is_null(),
                    "a sub-image for {rect:?} outside {pw} x {ph}"
                );
                stat("crop NULL");
                continue;
            };
            assert!(
                !child.is_null(),
                "no sub-image for {rect:?} inside {pw} x {ph}"
            );
            stat("crop made");
            holders.push(child);
            assert_eq!(
                (CGImageGetWidth(child), CGImageGetHeight(child)),
                (cw, ch),
                "sub-image size for {rect:?} of {pw} x {ph}"
            );
            assert!(x + cw <= pw && y + ch <= ph);
            assert_eq!(CGImageGetBitsPerComponent(child), bpc);
            assert_eq!(CGImageGetBitsPerPixel(child), bpp);
            assert_eq!(CGImageGetBitmapInfo(child), CGImageGetBitmapInfo(image));
            assert_eq!(
                CGImageGetRenderingIntent(child),
                CGImageGetRenderingIntent(image)
            );
            assert_eq!(CGImageIsMask(child), CGImageIsMask(image));
            assert_eq!(CGImageGetShouldInterpolate(child), input.interpolate);
            let (cs, ps) = (CGImageGetColorSpace(child), CGImageGetColorSpace(image));
            assert_eq!(cs.is_null(), ps.is_null());
            if !cs.is_null() {
                assert!(CFEqual(cs.cast_const().cast(), ps.cast_const().cast()) != 0);
            }
            let (cd, pd) = (CGImageGetDecode(child), CGImageGetDecode(image));
            assert_eq!(cd.is_null(), pd.is_null(), "decode kept");
            assert!(CGImageGetBytesPerRow(child) >= row_len(cw as u128, bpp as u32) as usize);
            // Pixels: the parent's at the offset (relative to the original image).
            let (bytes, cstride) = pixels_of(child);
            let (ox, oy) = (px + x, py + y);
            for j in 0..ch {
                for i in 0..cw {
                    assert_eq!(
                        pixel(&bytes, cstride, bpp, i, j),
                        pixel(&parent_bytes, parent_stride, bpp, ox + i, oy + j),
                        "pixel ({i}, {j}) of the sub-image at ({ox}, {oy})"
                    );
                }
            }
            if r.copy {
                let c = CGImageCreateCopy(child);
                assert!(!c.is_null());
                holders.push(c);
            }
            last = Some(Sub {
                image: child,
                x: ox,
                y: oy,
            });
        }
    }

    // Release the provider and every image in an arbitrary order.
    let mut order: Vec<Option<CGImageRef>> = holders.into_iter().map(Some).collect();
    order.push(None); // the provider
    for (i, k) in input.release_order.iter().enumerate().take(order.len()) {
        let j = usize::from(*k) % order.len();
        order.swap(i, j);
    }
    let count = order.len();
    for (n, holder) in order.iter().enumerate() {
        // SAFETY: each reference is ours and released once.
        unsafe {
            match holder {
                Some(image) => CGImageRelease(*image),
                None => CGDataProviderRelease(provider),
            }
        }
        if n + 1 < count {
            tracker.assert_calls(0, "before the last release");
            // Every remaining image still reads its pixels (ASan reports a read after release).
            for other in order[n + 1..].iter().flatten() {
                // SAFETY: still held.
                let _ = unsafe { pixels_of(*other) };
            }
        }
    }
    tracker.assert_calls(1, "after the last release");
    memory.check_guards("provider memory");
    drop(spaces);
});
