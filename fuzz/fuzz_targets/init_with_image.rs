//! vImageBuffer_InitWithCGImage from images of arbitrary formats (vImage copy mode,
//! CGImageCreate over a data provider, image masks, sub-images) into arbitrary target formats
//! (empty, populated, 16Q12), with and without kvImageNoAllocate.
//!
//! Invariants: on failure `buf->data` is NULL, the error is documented and a caller's buffer is
//! untouched; on success the buffer is the image's size with rows at least one target row long;
//! nothing outside the target rows of a caller's buffer is written; allocated padding is zero;
//! converting twice gives identical bytes; the empty format gives the image's own rows, and
//! feeding the filled format back gives them again; the provider's release callback runs once,
//! after the last release; nothing leaks (LeakSanitizer).
#![no_main]

use std::ffi::c_void;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;

#[path = "colour_tolerance.rs"]
mod colour_tolerance;
use vimage::ffi::cf_base::CFRelease;
use vimage::ffi::cf_data::{CFDataGetBytePtr, CFDataGetLength};
use vimage::ffi::cg_data_provider::*;
use vimage::ffi::cg_image::*;
use vimage::ffi::vimage_utilities::*;
use vimage::types::*;
use vimage_fuzz::*;

#[derive(Arbitrary, Debug)]
enum Source {
    /// vImageCreateCGImageFromBuffer in copy mode.
    Vimage {
        format: Fmt,
        pad: u8,
    },
    /// CGImageCreate over CGDataProviderCreateWithData.
    CgImage {
        format: Fmt,
        extra_bytes: u8,
        pad: u8,
        short_by: u8,
        interpolate: bool,
    },
    /// CGImageMaskCreate.
    Mask {
        bits: u8,
        pad: u8,
        decode: Decode,
    },
    /// An object that is not an image.
    NotAnImage,
    Null,
}

#[derive(Arbitrary, Debug)]
enum Target {
    Empty,
    Format(Fmt),
}

#[derive(Arbitrary, Debug)]
struct CallerBuffer {
    extra_width: i8,
    extra_height: i8,
    pad: i8,
    null_data: bool,
    misalign: u8,
}

#[derive(Arbitrary, Debug)]
struct Input {
    source: Source,
    width: u8,
    height: u8,
    crop: Option<(i8, i8, i8, i8)>,
    target: Target,
    background: Option<[f64; 4]>,
    flag_sel: u8,
    raw_flags: u32,
    no_allocate: Option<CallerBuffer>,
    pixels: Vec<u8>,
}

/// Everything that must stay alive while the image is used, released in `finish`.
struct Made {
    image: CGImageRef,
    /// The provider's release callback counter and the memory behind it (CGImageCreate).
    provider: Option<(Box<Tracker>, Guarded)>,
    /// The object passed as `image` when it is not an image.
    not_an_image: Option<CFTypeRef>,
    /// Whether the image's format is exactly its channels (bpp = bpc x channels).
    exact: bool,
}

unsafe fn make_source(input: &Input) -> (Made, Vec<SpaceRef>) {
    let (w, h) = (
        usize::from(input.width % 33),
        usize::from(input.height % 10),
    );
    let mut spaces = Vec::new();
    let mut made = Made {
        image: std::ptr::null_mut(),
        provider: None,
        not_an_image: None,
        exact: true,
    };
    match &input.source {
        Source::Vimage { format, pad } => {
            let fields = format.fields();
            let space = format.space.make();
            let c = format.c_format(&space);
            let row = row_len(w as u128, fields.bpp).min(1 << 16) as usize;
            let rb = row + usize::from(pad % 16);
            let mut g = Guarded::new(span(h as u128, rb as u128, row as u128) as usize, 0);
            g.fill(&input.pixels);
            let buf = vImage_Buffer {
                data: g.ptr().cast(),
                height: h as _,
                width: w as _,
                rowBytes: rb,
            };
            let mut err = 0;
            // SAFETY: buf spans its rows in g.
            made.image = unsafe {
                vImageCreateCGImageFromBuffer(&buf, &c, None, std::ptr::null_mut(), 0, &mut err)
            };
            g.check_guards("vImageCreateCGImageFromBuffer (source)");
            spaces.push(space);
        }
        Source::CgImage {
            format,
            extra_bytes,
            pad,
            short_by,
            interpolate,
        } => {
            let fields = format.fields();
            let extra = u32::from(extra_bytes % 4) * 8;
            let bpp = fields.bpp.saturating_add(extra);
            let row = row_len(w as u128, bpp).min(1 << 16) as usize;
            let rb = row + usize::from(pad % 16);
            let full = span(h as u128, rb as u128, row as u128) as usize;
            let len =
                full.saturating_sub(usize::from(short_by % 8) * usize::from(*short_by >= 200));
            let mut g = Guarded::new(len, 0);
            g.fill(&input.pixels);
            let tracker = Tracker::with_len(g.ptr().cast(), len);
            let space = format.space.make();
            // SAFETY: g outlives the provider (released in finish, checked by the tracker).
            unsafe {
                let provider = CGDataProviderCreateWithData(
                    tracker.user_data(),
                    g.ptr().cast(),
                    len,
                    Some(provider_release),
                );
                assert!(!provider.is_null());
                let decode = match &format.decode {
                    Decode::Null => std::ptr::null(),
                    Decode::Q12 => q12_pointer(),
                    Decode::Values(v) => v.as_ptr(),
                };
                made.image = CGImageCreate(
                    w,
                    h,
                    fields.bpc as usize,
                    bpp as usize,
                    rb,
                    space.ptr,
                    fields.bitmap_info,
                    provider,
                    decode,
                    *interpolate,
                    fields.intent,
                );
                CGDataProviderRelease(provider);
            }
            made.provider = Some((tracker, g));
            spaces.push(space);
        }
        Source::Mask { bits, pad, decode } => {
            let bits = [1usize, 2, 4, 8, 3, 16][usize::from(*bits) % 6];
            let row = (w * bits).div_ceil(8);
            let rb = row + usize::from(pad % 8);
            let len = span(h as u128, rb as u128, row as u128) as usize;
            let mut g = Guarded::new(len, 0);
            g.fill(&input.pixels);
            let tracker = Tracker::with_len(g.ptr().cast(), len);
            // SAFETY: as above.
            unsafe {
                let provider = CGDataProviderCreateWithData(
                    tracker.user_data(),
                    g.ptr().cast(),
                    len,
                    Some(provider_release),
                );
                let decode = match decode {
                    Decode::Values(v) => v.as_ptr(),
                    _ => std::ptr::null(),
                };
                made.image = CGImageMaskCreate(w, h, bits, bits, rb, provider, decode, false);
                CGDataProviderRelease(provider);
            }
            made.provider = Some((tracker, g));
        }
        Source::NotAnImage => {
            // SAFETY: a fresh +1 object of another type.
            let data = unsafe {
                vimage::ffi::cf_data::CFDataCreate(
                    CFAllocatorRef(std::ptr::null()),
                    [1u8; 8].as_ptr(),
                    8,
                )
            };
            made.not_an_image = Some(data.cast());
        }
        Source::Null => {}
    }
    if let (Some((x, y, cw, ch)), false) = (input.crop, made.image.is_null()) {
        let rect = CGRect {
            origin: CGPoint {
                x: f64::from(x),
                y: f64::from(y),
            },
            size: CGSize {
                width: f64::from(cw),
                height: f64::from(ch),
            },
        };
        // SAFETY: a live image; the crop keeps its parent alive.
        unsafe {
            let sub = CGImageCreateWithImageInRect(made.image, rect);
            CGImageRelease(made.image);
            made.image = sub;
        }
    }
    if !made.image.is_null() {
        // SAFETY: a live image.
        made.exact = unsafe { exact_layout(made.image) };
    }
    (made, spaces)
}

/// Whether the image's bits per pixel are exactly its channels (a vImage format), not the
/// spare bits CGImageCreate also accepts.
unsafe fn exact_layout(image: CGImageRef) -> bool {
    use vimage::ffi::cg_color_space::CGColorSpaceGetNumberOfComponents;
    unsafe {
        let bpc = CGImageGetBitsPerComponent(image) as u32;
        let bpp = CGImageGetBitsPerPixel(image) as u32;
        if CGImageIsMask(image) || matches!(bpc, 1 | 2 | 4 | 5 | 10) {
            return true; // their pixel sizes are fixed
        }
        let alpha = CGImageGetAlphaInfo(image);
        let colours = if alpha == kCGImageAlphaOnly {
            0
        } else {
            CGColorSpaceGetNumberOfComponents(CGImageGetColorSpace(image)) as u32
        };
        bpp == bpc * (colours + u32::from(alpha != kCGImageAlphaNone))
    }
}

unsafe fn finish(made: Made) {
    // SAFETY: references we own.
    unsafe {
        if let Some(obj) = made.not_an_image {
            CFRelease(obj);
        }
        if !made.image.is_null() {
            if let Some((tracker, _)) = &made.provider {
                tracker.assert_calls(0, "while the image lives");
            }
            CGImageRelease(made.image);
        }
    }
    if let Some((tracker, g)) = made.provider {
        tracker.assert_calls(1, "after the last release of the provider's holders");
        g.check_guards("provider memory");
    }
}

/// The rows of an image's pixels, `row` bytes each, as its provider holds them.
unsafe fn image_rows(image: CGImageRef, row: usize) -> Vec<Vec<u8>> {
    unsafe {
        let data = CGDataProviderCopyData(CGImageGetDataProvider(image));
        assert!(!data.is_null());
        let len = CFDataGetLength(data) as usize;
        let bytes = if len == 0 {
            &[][..]
        } else {
            std::slice::from_raw_parts(CFDataGetBytePtr(data), len)
        };
        let rb = CGImageGetBytesPerRow(image);
        let rows = (0..CGImageGetHeight(image))
            .map(|y| bytes[y * rb..][..row].to_vec())
            .collect();
        CFRelease(data.cast());
        rows
    }
}

/// One call's result: the rows it delivered (`row` bytes each) or its error.
struct Delivered {
    error: vImage_Error,
    format: vImage_CGImageFormat,
    rows: Vec<Vec<u8>>,
    /// The destination rows before the call (the caller's bytes, or zeros when allocated).
    before: Vec<Vec<u8>>,
}

struct Call<'a> {
    input: &'a Input,
    image: CGImageRef,
    background: *const CGFloat,
    flags: vImage_Flags,
}

impl Call<'_> {
    /// Calls vImageBuffer_InitWithCGImage with `format` and checks the invariants of one call.
    unsafe fn run(&self, mut format: vImage_CGImageFormat) -> Delivered {
        let empty = format.bitsPerComponent == 0;
        let (img_w, img_h) = unsafe { (CGImageGetWidth(self.image), CGImageGetHeight(self.image)) };
        // The bits per pixel the buffer gets.
        let bpp = if empty {
            unsafe { CGImageGetBitsPerPixel(self.image) as u32 }
        } else {
            format.bitsPerPixel
        };
        let target_row = row_len(img_w as u128, bpp).min(1 << 20) as usize;
        let mut buf = vImage_Buffer {
            data: 0x1 as *mut c_void, // must become NULL on failure, or the allocation
            height: 77,
            width: 77,
            rowBytes: 77,
        };
        let mut caller = None;
        if let Some(cb) = &self.input.no_allocate {
            let bw = (img_w as i64 + i64::from(cb.extra_width % 4)).max(0) as usize;
            let bh = (img_h as i64 + i64::from(cb.extra_height % 4)).max(0) as usize;
            let own_row = row_len(bw as u128, bpp).min(1 << 20) as usize;
            let rb = (own_row.max(target_row) as i64 + i64::from(cb.pad % 24)).max(0) as usize;
            let len = span(bh as u128, rb as u128, own_row.max(target_row) as u128) as usize;
            let mut g = Guarded::new(len.min(1 << 22), usize::from(cb.misalign));
            g.fill(&[0x5a, 0xc3, 0x96]);
            buf = vImage_Buffer {
                data: if cb.null_data {
                    std::ptr::null_mut()
                } else {
                    g.ptr().cast()
                },
                height: bh as _,
                width: bw as _,
                rowBytes: rb,
            };
            caller = Some((g.bytes().to_vec(), g));
        }
        let before = buf;
        // SAFETY: buf is a caller buffer we own (or to be allocated); format and background are
        // valid for the reads the function does.
        let error = unsafe {
            vImageBuffer_InitWithCGImage(
                &mut buf,
                &mut format,
                self.background,
                self.image,
                self.flags,
            )
        };
        if error != kvImageNoError {
            stat("failure");
            assert!(error < 0, "error {error}");
            assert_documented(error, DOCUMENTED_ERRORS, "vImageBuffer_InitWithCGImage");
            assert!(buf.data.is_null(), "buf->data is not NULL after a failure");
            if let Some((snapshot, g)) = &caller {
                g.check_guards("vImageBuffer_InitWithCGImage (failed)");
                assert!(
                    g.bytes() == &snapshot[..],
                    "a failed call wrote the caller's buffer"
                );
            }
            return Delivered {
                error,
                format,
                rows: Vec::new(),
                before: Vec::new(),
            };
        }
        stat(if empty {
            "success, empty format"
        } else {
            "success, populated format"
        });
        if self.input.no_allocate.is_some() {
            stat("success, kvImageNoAllocate");
        }
        assert!(!self.image.is_null());
        assert_eq!(buf.width as usize, img_w, "buffer width");
        assert_eq!(buf.height as usize, img_h, "buffer height");
        let bpp_after = format.bitsPerPixel;
        assert_eq!(bpp_after, bpp, "format->bitsPerPixel changed");
        assert!(
            buf.rowBytes >= target_row,
            "rowBytes {} < row {target_row}",
            buf.rowBytes
        );
        let rows_before: Vec<Vec<u8>> = match &caller {
            Some((snapshot, _)) => (0..img_h)
                .map(|y| snapshot[y * buf.rowBytes..][..target_row].to_vec())
                .collect(),
            None => vec![vec![0; target_row]; img_h],
        };
        let rows: Vec<Vec<u8>> = if let Some((snapshot, g)) = &caller {
            assert_eq!(
                buf.data, before.data,
                "kvImageNoAllocate replaced buf->data"
            );
            assert_eq!(
                buf.rowBytes, before.rowBytes,
                "kvImageNoAllocate changed rowBytes"
            );
            g.check_guards("vImageBuffer_InitWithCGImage (caller buffer)");
            let bytes = g.bytes();
            let rb = buf.rowBytes;
            // Only the image's rows are written.
            for (i, (&b, &s)) in bytes.iter().zip(snapshot.iter()).enumerate() {
                let (y, x) = (i / rb, i % rb);
                if y >= img_h || x >= target_row {
                    assert_eq!(
                        b, s,
                        "byte {i} (row {y}, offset {x}) outside the rows was written"
                    );
                }
            }
            (0..img_h)
                .map(|y| bytes[y * rb..][..target_row].to_vec())
                .collect()
        } else {
            assert!(!buf.data.is_null());
            // SAFETY: the library allocated img_h rows of rowBytes.
            let all = unsafe {
                std::slice::from_raw_parts(
                    buf.data.cast::<u8>(),
                    (img_h - 1) * buf.rowBytes + target_row,
                )
            };
            let mut rows = Vec::new();
            for y in 0..img_h {
                let line = &all[y * buf.rowBytes..];
                if y + 1 < img_h {
                    assert!(
                        line[target_row..buf.rowBytes].iter().all(|&b| b == 0),
                        "padding of row {y} is not zero"
                    );
                }
                rows.push(line[..target_row].to_vec());
            }
            // SAFETY: allocated by the library for the caller, freed with free().
            unsafe { libc::free(buf.data) };
            rows
        };
        Delivered {
            error,
            format,
            rows,
            before: rows_before,
        }
    }
}

/// Whether the first `bits` bits of two rows are equal (most significant bit first).
fn same_bits(a: &[u8], b: &[u8], bits: usize) -> bool {
    let whole = bits / 8;
    if a[..whole] != b[..whole] {
        return false;
    }
    let rest = bits % 8;
    rest == 0 || {
        let mask = !(0xffu8 >> rest);
        a[whole] & mask == b[whole] & mask
    }
}

/// The image's own format for the safe Rust API, when a converter can read it (not a mask, no
/// decode array).
#[allow(non_upper_case_globals)]
unsafe fn rust_format_of(image: CGImageRef) -> Option<vimage::ImageFormat> {
    use vimage::cg::color_space::Known;
    use vimage::ffi::cg_color_space::CGColorSpaceGetModel;
    unsafe {
        if CGImageIsMask(image) || !CGImageGetDecode(image).is_null() {
            return None;
        }
        let known = match CGColorSpaceGetModel(CGImageGetColorSpace(image)) {
            kCGColorSpaceModelMonochrome => Known::DeviceGray,
            kCGColorSpaceModelRGB => Known::DeviceRgb,
            kCGColorSpaceModelCMYK => Known::DeviceCmyk,
            _ => return None,
        };
        Some(vimage::ImageFormat {
            bits_per_component: CGImageGetBitsPerComponent(image) as u32,
            bits_per_pixel: CGImageGetBitsPerPixel(image) as u32,
            color_space: Some(vimage::ColorSpace::create(known)),
            bitmap_info: CGImageGetBitmapInfo(image),
            decode: None,
            q12: false,
            rendering_intent: CGImageGetRenderingIntent(image),
        })
    }
}

fuzz_target!(|input: Input| {
    // SAFETY: everything made here is released in finish.
    let (made, _spaces) = unsafe { make_source(&input) };
    let image: CGImageRef = match made.not_an_image {
        Some(obj) => obj.cast_mut().cast(),
        None => made.image,
    };
    let target_space;
    let format = match &input.target {
        Target::Empty => vImage_CGImageFormat {
            bitsPerComponent: 0,
            bitsPerPixel: 0,
            colorSpace: std::ptr::null_mut(),
            bitmapInfo: 0,
            version: 0,
            decode: std::ptr::null(),
            renderingIntent: 0,
        },
        Target::Format(f) => {
            target_space = f.space.make();
            f.c_format(&target_space)
        }
    };
    let background = input
        .background
        .as_ref()
        .map_or(std::ptr::null(), |b| b.as_ptr());
    let mut flags =
        flags(input.flag_sel, &[kvImageDoNotTile], input.raw_flags) & !kvImageNoAllocate;
    if input.no_allocate.is_some() {
        flags |= kvImageNoAllocate;
    }
    let call = Call {
        input: &input,
        image,
        background,
        flags,
    };
    // SAFETY: the image (or object) is alive until finish.
    let first = unsafe { call.run(format) };
    if first.error == kvImageNoError {
        // Converting twice gives identical bytes.
        let second = unsafe { call.run(format) };
        assert_eq!(
            second.error, kvImageNoError,
            "the second identical call failed"
        );
        assert!(
            first.rows == second.rows,
            "two identical calls delivered different bytes"
        );
        // A populated format delivers the reference conversion of the image's pixels.
        let empty = format.bitsPerComponent == 0; // the library's rule for "empty"
        if let (Target::Format(f), Some(source), false) =
            (&input.target, unsafe { rust_format_of(image) }, empty)
        {
            let target = f
                .rust()
                .expect("a colour space that is not one was accepted");
            let bg = input
                .background
                .as_ref()
                .map(|b| &b[..target.model().components() as usize]);
            let same_layout = !target.q12
                && (
                    source.bits_per_component,
                    source.bits_per_pixel,
                    source.bitmap_info,
                ) == (
                    target.bits_per_component,
                    target.bits_per_pixel,
                    target.bitmap_info,
                )
                // Alpha-only pixels have no colour model (the library compares layouts).
                && (source.model() == target.model()
                    || source.bitmap_info & kCGBitmapAlphaInfoMask == kCGImageAlphaOnly);
            match vimage::convert::Converter::new(&source, &target, bg, true) {
                // The image's own layout is delivered as row copies: padding bytes are kept.
                Ok(_) if same_layout => {
                    stat("compared with the image's rows");
                    let w = unsafe { CGImageGetWidth(image) };
                    let row = row_len(w as u128, source.bits_per_pixel) as usize;
                    let own = unsafe { image_rows(image, row) };
                    assert!(own == first.rows, "the image's own layout was not copied");
                }
                Ok(reference) => {
                    stat("compared with the reference");
                    let w = unsafe { CGImageGetWidth(image) };
                    let own = unsafe { image_rows(image, reference.src_row_len(w)) };
                    // Bits after the last pixel of a row of sub-byte pixels are padding.
                    let bits = w * target.bits_per_pixel as usize;
                    for (y, (src, got)) in own.iter().zip(&first.rows).enumerate() {
                        let mut expected = first.before[y].clone();
                        reference.convert_row_reference(src, &mut expected, w);
                        // The colour kernels' tables are within the stated bounds of the reference.
                        let same = if reference.has_colour_kernel() {
                            colour_tolerance::within(&reference, src, got, &expected)
                        } else {
                            same_bits(got, &expected, bits)
                        };
                        assert!(
                            same,
                            "row {y} differs from the reference conversion (kernel {:?}):\n got      {got:02x?}\n expected {expected:02x?}",
                            reference.kernel_name()
                        );
                    }
                }
                // Delivered as row copies although no converter reads the format (spare bits
                // of a CGImageCreate layout in the target too): nothing to compare.
                Err(_) => stat("no reference converter"),
            }
        }
        if empty {
            // The empty format delivers the image's own rows...
            let row = row_len(
                unsafe { CGImageGetWidth(image) } as u128,
                first.format.bitsPerPixel,
            ) as usize;
            let own = unsafe { image_rows(image, row) };
            assert!(
                own == first.rows,
                "the empty format did not deliver the image's rows"
            );
            // ... and the filled format, fed back, delivers them again (when it can be: a
            // decode array is refused, and a CGImageCreate layout with spare bits is not a
            // vImage format).
            if first.format.decode.is_null() && made.exact {
                let third = unsafe { call.run(first.format) };
                assert_eq!(third.error, kvImageNoError, "the filled format was refused");
                assert!(
                    third.rows == first.rows,
                    "the filled format delivered other bytes"
                );
            }
        }
    }
    unsafe { finish(made) };
});
