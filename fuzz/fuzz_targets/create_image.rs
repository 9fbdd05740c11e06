//! vImageCreateCGImageFromBuffer, copy and no-copy, with arbitrary formats and geometry.
//!
//! Invariants: on success the image has the requested size and layout, rows at least
//! `ceil(width * bpp / 8)` apart and the caller's pixels; the no-copy callback runs exactly once,
//! after the last holder (copies, sub-images, a retained provider) is released, with
//! (userData, data); on failure it never runs and the error is a documented one; the caller's
//! buffer is never written (and in copy mode never read) outside its rows; copy and no-copy
//! accept the same inputs.
#![no_main]

use std::ffi::c_void;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use vimage::ffi::cf_base::{CFGetRetainCount, CFRelease};
use vimage::ffi::cf_data::{CFDataGetBytePtr, CFDataGetLength};
use vimage::ffi::cg_data_provider::{
    CGDataProviderCopyData, CGDataProviderRelease, CGDataProviderRetain,
};
use vimage::ffi::cg_image::*;
use vimage::ffi::vimage_utilities::vImageCreateCGImageFromBuffer;
use vimage::types::*;
use vimage_fuzz::*;

/// Largest caller buffer allocated for real.
const MAX_REAL: u128 = 1 << 20;

#[derive(Arbitrary, Debug)]
enum Geometry {
    Small {
        width: u8,
        height: u8,
        pad: i8,
    },
    Raw {
        width: u64,
        height: u64,
        row_bytes: u64,
    },
}

#[derive(Arbitrary, Debug, Clone, Copy, PartialEq)]
enum Callback {
    /// A counting callback.
    Tracked,
    /// NULL: the library must `free(buf->data)`.
    NullFree,
}

/// Another holder of the pixels, made from the image after it is created.
#[derive(Arbitrary, Debug)]
enum Holder {
    Copy,
    Crop { x: i8, y: i8, w: i8, h: i8 },
    RetainProvider,
    RetainImage,
}

#[derive(Arbitrary, Debug)]
struct Input {
    format: Fmt,
    geometry: Geometry,
    no_copy: bool,
    flag_sel: u8,
    raw_flags: u32,
    callback: Callback,
    null_data: bool,
    misalign: u8,
    holders: Vec<Holder>,
    release_order: Vec<u8>,
    pixels: Vec<u8>,
}

/// What a reference the target holds is.
enum Held {
    Image(CGImageRef),
    Provider(CGDataProviderRef),
}

impl Held {
    /// The provider whose bytes this holder reads.
    unsafe fn provider(&self) -> CGDataProviderRef {
        match *self {
            Held::Image(i) => unsafe { CGImageGetDataProvider(i) },
            Held::Provider(p) => p,
        }
    }

    unsafe fn release(self) {
        match self {
            Held::Image(i) => unsafe { CGImageRelease(i) },
            Held::Provider(p) => unsafe { CGDataProviderRelease(p) },
        }
    }
}

/// The caller's pixel memory: guarded, or plain malloc when the library is to free() it.
enum Pixels {
    Guarded(Guarded),
    Malloc(*mut u8, usize),
}

impl Pixels {
    fn ptr(&self) -> *mut u8 {
        match self {
            Pixels::Guarded(g) => g.ptr(),
            Pixels::Malloc(p, _) => *p,
        }
    }
    fn bytes(&self) -> &[u8] {
        match self {
            Pixels::Guarded(g) => g.bytes(),
            // SAFETY: len bytes from malloc, initialised by fill.
            Pixels::Malloc(p, n) => unsafe { std::slice::from_raw_parts(*p, *n) },
        }
    }
}

/// Reads a provider's bytes through CGDataProviderCopyData.
unsafe fn provider_bytes(provider: CGDataProviderRef) -> Vec<u8> {
    unsafe {
        let data = CGDataProviderCopyData(provider);
        assert!(!data.is_null(), "CGDataProviderCopyData failed");
        let len = CFDataGetLength(data) as usize;
        let out = if len == 0 {
            Vec::new()
        } else {
            std::slice::from_raw_parts(CFDataGetBytePtr(data), len).to_vec()
        };
        CFRelease(data.cast());
        out
    }
}

struct Outcome {
    image: CGImageRef,
    error: vImage_Error,
}

unsafe fn create(
    buf: &vImage_Buffer,
    format: &vImage_CGImageFormat,
    callback: Callback,
    tracker: &Tracker,
    flags: vImage_Flags,
) -> Outcome {
    let mut error: vImage_Error = 12345;
    let cb: vImageReleaseCallback = match callback {
        Callback::Tracked => Some(vimage_release),
        Callback::NullFree => None,
    };
    let image = unsafe {
        vImageCreateCGImageFromBuffer(buf, format, cb, tracker.user_data(), flags, &mut error)
    };
    Outcome { image, error }
}

fuzz_target!(|input: Input| {
    let fields = input.format.fields();
    let space = input.format.space.make();
    let format = input.format.c_format(&space);
    let q12 = input.format.decode.is_q12();

    let (width, height, row_bytes) = match input.geometry {
        Geometry::Small { width, height, pad } => {
            let (w, h) = (u64::from(width % 40), u64::from(height % 12));
            let row = row_len(u128::from(w), fields.bpp) as i64;
            (w, h, (row + i64::from(pad % 24)).max(0) as u64)
        }
        Geometry::Raw {
            width,
            height,
            row_bytes,
        } => (width, height, row_bytes),
    };
    let (w, h, rb) = (u128::from(width), u128::from(height), u128::from(row_bytes));
    let row = row_len(w, fields.bpp);
    let implied = span(h, rb, row);
    // What the README says arithmetic must reject.
    let limit = isize::MAX as u128;
    let arithmetic_invalid = w == 0
        || h == 0
        || w.saturating_mul(u128::from(fields.bpp)) > usize::MAX as u128
        || row > limit
        || rb < row
        || implied > limit;
    let real = implied <= MAX_REAL;
    // A caller cannot hand over a buffer it does not have: when the geometry is plausible but
    // larger than what is allocated here, only no-copy mode (which must not touch the pixels)
    // is tried.
    let no_copy = input.no_copy || (!real && !arithmetic_invalid);
    let alloc_len = if real { implied as usize } else { 64 };

    let mut flags = flags(
        input.flag_sel,
        &[kvImageHighQualityResampling, kvImageDoNotTile],
        input.raw_flags,
    );
    if no_copy {
        flags |= kvImageNoAllocate;
    } else {
        flags &= !kvImageNoAllocate;
    }
    let unknown_flags = flags
        & !(kvImageNoAllocate
            | kvImagePrintDiagnosticsToConsole
            | kvImageHighQualityResampling
            | kvImageDoNotTile)
        != 0;

    let callback = if no_copy {
        input.callback
    } else {
        Callback::Tracked
    };
    let pixels = if callback == Callback::NullFree {
        // SAFETY: plain allocation, checked.
        let p = unsafe { libc::malloc(alloc_len.max(1)) }.cast::<u8>();
        assert!(!p.is_null());
        // SAFETY: alloc_len bytes just allocated.
        fill(
            unsafe { std::slice::from_raw_parts_mut(p, alloc_len) },
            &input.pixels,
        );
        Pixels::Malloc(p, alloc_len)
    } else {
        let mut g = Guarded::new(alloc_len, usize::from(input.misalign));
        g.fill(&input.pixels);
        Pixels::Guarded(g)
    };
    let original = pixels.bytes().to_vec();
    let data: *mut c_void = if input.null_data {
        std::ptr::null_mut()
    } else {
        pixels.ptr().cast()
    };
    let buf = vImage_Buffer {
        data,
        height,
        width,
        rowBytes: row_bytes as usize,
    };
    // The no-copy provider's bytes: poisoned by the callback, so a later read is caught.
    let tracker = Tracker::with_len(data, if real { implied as usize } else { 0 });

    // SAFETY: buf describes memory we own (or fails by arithmetic); format is valid C data.
    let out = unsafe { create(&buf, &format, callback, &tracker, flags) };

    let check_caller_memory = |pixels: &Pixels| {
        if let Pixels::Guarded(g) = pixels {
            g.check_guards("vImageCreateCGImageFromBuffer");
        }
    };

    if out.image.is_null() {
        stat(if no_copy {
            "no-copy failure"
        } else {
            "copy failure"
        });
        assert!(out.error < 0, "NULL image with error {}", out.error);
        assert_documented(
            out.error,
            DOCUMENTED_ERRORS,
            "vImageCreateCGImageFromBuffer",
        );
        assert_ne!(out.error, kvImageInvalidImageObject);
        if unknown_flags {
            assert_eq!(out.error, kvImageUnknownFlagsBit, "unknown flags");
        }
        tracker.assert_calls(0, "after a failed call");
        check_caller_memory(&pixels);
        assert!(
            pixels.bytes() == original,
            "a failed call changed the caller's pixels"
        );
        if let Pixels::Malloc(p, _) = pixels {
            // SAFETY: ownership stays with the caller on failure.
            unsafe { libc::free(p.cast()) };
        }
        // Copy and no-copy accept the same inputs (16Q12 cannot be shared): try copy mode.
        if no_copy && real && !q12 && !input.null_data {
            let copy_tracker = Tracker::new(std::ptr::null());
            let mut g = Guarded::new(alloc_len, usize::from(input.misalign));
            g.fill(&input.pixels);
            let buf = vImage_Buffer {
                data: g.ptr().cast(),
                ..buf
            };
            // SAFETY: as above.
            let copy = unsafe {
                create(
                    &buf,
                    &format,
                    Callback::Tracked,
                    &copy_tracker,
                    flags & !kvImageNoAllocate,
                )
            };
            if !copy.image.is_null() {
                // SAFETY: we own the image.
                unsafe { CGImageRelease(copy.image) };
            }
            assert_eq!(
                copy.error, out.error,
                "copy mode and no-copy mode disagree on the same input"
            );
            g.check_guards("copy mode");
        }
        return;
    }

    // ---- success ----
    stat(if no_copy {
        "no-copy success"
    } else {
        "copy success"
    });
    if !real {
        stat("no-copy success, huge geometry");
    }
    assert_eq!(out.error, kvImageNoError);
    assert!(!unknown_flags, "accepted unknown flags {flags:#x}");
    assert!(!input.null_data, "accepted buf->data == NULL");
    assert!(
        !arithmetic_invalid,
        "accepted a geometry that arithmetic rejects: {width} x {height}, rowBytes {row_bytes}, bpp {} \
         (span {implied}, caller buffer {alloc_len} bytes)",
        fields.bpp
    );
    tracker.assert_calls(0, "right after creation");
    let image = out.image;
    // SAFETY: a live image we own.
    unsafe {
        assert_eq!(CGImageGetWidth(image) as u128, w);
        assert_eq!(CGImageGetHeight(image) as u128, h);
        let (bpc, bpp) = if q12 && !no_copy {
            (32, fields.bpp * 2) // README: copy mode stores 16Q12 as float
        } else {
            (fields.bpc, fields.bpp)
        };
        assert_eq!(CGImageGetBitsPerComponent(image), bpc as usize);
        assert_eq!(CGImageGetBitsPerPixel(image), bpp as usize);
        let tight = row_len(w, bpp);
        let image_rb = CGImageGetBytesPerRow(image) as u128;
        assert!(image_rb >= tight, "bytesPerRow {image_rb} < {tight}");
        if no_copy {
            assert_eq!(image_rb, rb, "no-copy image does not keep rowBytes");
        } else {
            assert_eq!(image_rb, tight, "copy mode rows are not tight");
        }
        assert!(!CGImageGetColorSpace(image).is_null());
        assert!(!CGImageIsMask(image));
        if !(q12 && !no_copy) {
            assert_eq!(CGImageGetBitmapInfo(image), fields.bitmap_info);
        }
        assert_eq!(CFGetRetainCount(image.cast_const().cast()), 1);
    }
    check_caller_memory(&pixels);
    if !no_copy {
        assert!(
            pixels.bytes() == original,
            "copy mode changed the caller's pixels"
        );
    }

    // The image's pixels are the caller's.
    let read_pixels = real;
    if read_pixels && !(q12 && !no_copy) {
        // SAFETY: live image.
        let bytes = unsafe { provider_bytes(CGImageGetDataProvider(image)) };
        let image_rb = if no_copy { rb as usize } else { row as usize };
        let expected_len = if no_copy {
            implied as usize
        } else {
            height as usize * row as usize
        };
        assert_eq!(bytes.len(), expected_len, "provider length");
        for y in 0..height as usize {
            let src = &original[y * row_bytes as usize..][..row as usize];
            let got = &bytes[y * image_rb..][..row as usize];
            assert!(
                src == got,
                "row {y} of the image differs from the caller's row"
            );
        }
    }

    // Other holders, then releases in an arbitrary order; the callback runs after the last.
    let mut held = vec![Held::Image(image)];
    for holder in input.holders.iter().take(6) {
        // SAFETY: image is live (we hold it until the releases below).
        unsafe {
            match *holder {
                Holder::Copy => {
                    let c = CGImageCreateCopy(image);
                    assert!(!c.is_null());
                    held.push(Held::Image(c));
                }
                Holder::Crop { x, y, w, h } => {
                    let rect = CGRect {
                        origin: CGPoint {
                            x: f64::from(x),
                            y: f64::from(y),
                        },
                        size: CGSize {
                            width: f64::from(w),
                            height: f64::from(h),
                        },
                    };
                    let c = CGImageCreateWithImageInRect(image, rect);
                    if !c.is_null() {
                        held.push(Held::Image(c));
                    }
                }
                Holder::RetainProvider => {
                    let p = CGDataProviderRetain(CGImageGetDataProvider(image));
                    held.push(Held::Provider(p));
                }
                Holder::RetainImage => held.push(Held::Image(CGImageRetain(image))),
            }
        }
    }
    tracker.assert_calls(0, "while holders were made");
    let mut order: Vec<usize> = (0..held.len()).collect();
    for (i, k) in input.release_order.iter().enumerate().take(order.len()) {
        let j = usize::from(*k) % order.len();
        order.swap(i, j);
    }
    let mut held: Vec<Option<Held>> = held.into_iter().map(Some).collect();
    for (n, &i) in order.iter().enumerate() {
        let h = held[i].take().expect("released once");
        // SAFETY: we own this reference.
        unsafe { h.release() };
        let last = n + 1 == order.len();
        if !last {
            tracker.assert_calls(0, "before the last release");
            // The remaining holders still read the pixels (ASan catches a use after free).
            if read_pixels {
                for other in held.iter().flatten() {
                    // SAFETY: a live reference we hold.
                    let _ = unsafe { provider_bytes(other.provider()) };
                }
            }
        }
    }
    let expected_calls = usize::from(no_copy && callback == Callback::Tracked);
    tracker.assert_calls(expected_calls, "after the last release");
    check_caller_memory(&pixels);
    drop(pixels); // guarded memory is ours; malloc'd memory was freed by the library
});
