//! Bitmap contexts over a guarded caller buffer: arbitrary (mostly valid) formats, sizes and
//! row strides, then a random list of CTM changes, clips, gstate saves / restores, fills,
//! clears, blend modes, alphas, interpolation qualities and draws of a small random image in
//! an arbitrary format, with arbitrary rects (NaN, infinities, huge, fractional, negative).
//!
//! Invariants: creation succeeds exactly when the context's own checks pass (the getters then
//! echo the parameters); no write ever leaves the rows: the guard bytes around the buffer and
//! the padding bytes between rows keep their values; snapshots have the context's geometry;
//! the release callback runs exactly once, when the context is released, with the buffer.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use vimage::ffi::cf_data::CFDataCreate;
use vimage::ffi::cg_bitmap_context::*;
use vimage::ffi::cg_data_provider::*;
use vimage::ffi::cg_image::*;
use vimage::types::*;
use vimage_fuzz::*;

#[derive(Arbitrary, Debug, Clone, Copy)]
enum Coord {
    Small(i8),
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
                1e300,
                -1e300,
                9007199254740993.0,
                0.5,
                -0.5,
                std::f64::consts::FRAC_PI_2,
                std::f64::consts::PI,
                1e-300,
                -0.0,
            ][usize::from(k) % 14],
            Coord::Raw(v) => v,
        }
    }
}

#[derive(Arbitrary, Debug, Clone, Copy)]
struct Rect([Coord; 4]);

impl Rect {
    fn cg(self) -> CGRect {
        let [x, y, w, h] = self.0.map(Coord::value);
        CGRect {
            origin: CGPoint { x, y },
            size: CGSize {
                width: w,
                height: h,
            },
        }
    }
}

#[derive(Arbitrary, Debug)]
enum Op {
    Translate(Coord, Coord),
    Scale(Coord, Coord),
    Rotate(Coord),
    /// A quarter turn (the snapped path).
    Quarter(u8),
    Concat([Coord; 6]),
    Save,
    Restore,
    Clip(Rect),
    Fill(Rect),
    Clear(Rect),
    Draw(Rect),
    Rgb([Coord; 4]),
    Gray(Coord, Coord),
    Blend(i8),
    Alpha(Coord),
    Quality(i8),
    Snapshot,
    Flush,
}

#[derive(Arbitrary, Debug)]
struct Input {
    /// The context: space, component size and bitmap info (mostly valid combinations).
    space: Space,
    context: Fmt,
    width: u8,
    height: u8,
    extra_row: u8,
    misalign: u8,
    /// The image drawn: format, size, bytes.
    image: Fmt,
    image_space: Space,
    iw: u8,
    ih: u8,
    pixels: Vec<u8>,
    ops: Vec<Op>,
}

fuzz_target!(|input: Input| run(input));

fn run(input: Input) {
    let (w, h) = (
        usize::from(input.width % 24),
        usize::from(input.height % 24),
    );
    let fields = input.context.fields();
    let space = input.space.make();
    // The row length the context needs (its own table decides; a generous guess here, and
    // the stride it reports is used afterwards).
    let bpp_guess = 16usize;
    let stride = w * bpp_guess + usize::from(input.extra_row % 9);
    let len = if h == 0 {
        0
    } else {
        (h - 1) * stride + w * bpp_guess
    };
    let mut buf = Guarded::new(len.max(1), usize::from(input.misalign));
    buf.fill(&[0x3C, 0xC3, 0x5A]);
    let tracker = Tracker::new(buf.ptr().cast());
    // SAFETY: the buffer holds `h` rows of `stride` bytes, at least as long as any pixel row.
    let c = unsafe {
        CGBitmapContextCreateWithData(
            buf.ptr().cast(),
            w,
            h,
            fields.bpc as usize,
            stride,
            space.ptr,
            fields.bitmap_info,
            Some(vimage_release),
            tracker.user_data(),
        )
    };
    if c.is_null() {
        buf.check_guards("failed create");
        tracker.assert_calls(0, "failed create");
        return;
    }
    // SAFETY: c is a live context.
    let (bpp, bpr) = unsafe {
        assert_eq!(CGBitmapContextGetWidth(c), w);
        assert_eq!(CGBitmapContextGetHeight(c), h);
        assert_eq!(CGBitmapContextGetBytesPerRow(c), stride);
        assert_eq!(CGBitmapContextGetBitmapInfo(c), fields.bitmap_info);
        assert_eq!(CGBitmapContextGetData(c), buf.ptr().cast());
        (CGBitmapContextGetBitsPerPixel(c) / 8, stride)
    };
    assert!(bpp >= 1 && w * bpp <= bpr);
    let before = buf.bytes().to_vec();
    let image = make_image(&input);
    for op in &input.ops {
        // SAFETY: c is a live context; image is NULL or a live image.
        unsafe { apply(c, op, image) };
    }
    // Padding bytes between rows keep their values.
    for r in 0..h {
        let pad = r * bpr + w * bpp..((r + 1) * bpr).min(buf.len());
        assert_eq!(
            &buf.bytes()[pad.clone()],
            &before[pad],
            "row {r} padding written"
        );
    }
    buf.check_guards("drawing");
    tracker.assert_calls(0, "before release");
    // SAFETY: we own one reference to each.
    unsafe {
        CGImageRelease(image);
        CGContextRelease(c);
    }
    tracker.assert_calls(1, "after release");
}

fn make_image(input: &Input) -> CGImageRef {
    let f = input.image.fields();
    let (iw, ih) = (usize::from(input.iw % 9) + 1, usize::from(input.ih % 9) + 1);
    // Formats with absurd pixel sizes are refused by CGImageCreate; keep the buffer small.
    let row = (iw * (f.bpp as usize).min(512)).div_ceil(8);
    let mut bytes = vec![0u8; row * ih];
    fill(&mut bytes, &input.pixels);
    let space = input.image_space.make();
    // SAFETY: CFDataCreate copies the bytes; the provider and space are released after use.
    unsafe {
        let data = CFDataCreate(
            CFAllocatorRef(std::ptr::null()),
            bytes.as_ptr(),
            bytes.len() as _,
        );
        let provider = CGDataProviderCreateWithCFData(data);
        vimage::ffi::cf_base::CFRelease(data.cast());
        let image = CGImageCreate(
            iw,
            ih,
            f.bpc as usize,
            f.bpp as usize,
            row,
            space.ptr,
            f.bitmap_info,
            provider,
            std::ptr::null(),
            input.pixels.len() % 2 == 0,
            0,
        );
        CGDataProviderRelease(provider);
        image
    }
}

/// # Safety
/// `c` is a live context; `image` is NULL or a live image.
unsafe fn apply(c: CGContextRef, op: &Op, image: CGImageRef) {
    // SAFETY: the caller's contract.
    unsafe {
        match *op {
            Op::Translate(x, y) => CGContextTranslateCTM(c, x.value(), y.value()),
            Op::Scale(x, y) => CGContextScaleCTM(c, x.value(), y.value()),
            Op::Rotate(a) => CGContextRotateCTM(c, a.value()),
            Op::Quarter(k) => CGContextRotateCTM(c, f64::from(k % 4) * std::f64::consts::FRAC_PI_2),
            Op::Concat(t) => {
                let [a, b, cc, d, tx, ty] = t.map(Coord::value);
                CGContextConcatCTM(c, CGAffineTransformMake(a, b, cc, d, tx, ty))
            }
            Op::Save => CGContextSaveGState(c),
            Op::Restore => CGContextRestoreGState(c),
            Op::Clip(r) => CGContextClipToRect(c, r.cg()),
            Op::Fill(r) => CGContextFillRect(c, r.cg()),
            Op::Clear(r) => CGContextClearRect(c, r.cg()),
            Op::Draw(r) => CGContextDrawImage(c, r.cg(), image),
            Op::Rgb(v) => {
                let [r, g, b, a] = v.map(Coord::value);
                CGContextSetRGBFillColor(c, r, g, b, a)
            }
            Op::Gray(g, a) => CGContextSetGrayFillColor(c, g.value(), a.value()),
            Op::Blend(m) => CGContextSetBlendMode(c, i32::from(m)),
            Op::Alpha(a) => CGContextSetAlpha(c, a.value()),
            Op::Quality(q) => CGContextSetInterpolationQuality(c, i32::from(q)),
            Op::Snapshot => {
                let snap = CGBitmapContextCreateImage(c);
                assert!(!snap.is_null());
                assert_eq!(CGImageGetWidth(snap), CGBitmapContextGetWidth(c));
                assert_eq!(CGImageGetHeight(snap), CGBitmapContextGetHeight(c));
                assert_eq!(
                    CGImageGetBytesPerRow(snap),
                    CGBitmapContextGetBytesPerRow(c)
                );
                CGImageRelease(snap);
            }
            Op::Flush => {
                CGContextFlush(c);
                CGContextSynchronize(c);
            }
        }
    }
}
