//! Benchmarks of the conversion kernels on a 3840x2160 image.
//!
//! Run with `cargo bench --bench convert` (`VIMAGE_BENCH_REPS=N` to change the repetitions).
//!
//! For each conversion the single-threaded time (`convert(.., tile = false)`) is compared with
//! a `memcpy` of (source bytes + destination bytes) / 2 measured in the same run: the two are
//! timed alternately, and the ratio is the median of the per-pair ratios (background load
//! drifting during the run hits both alike). Where libyuv is installed (`libyuv.so.0`, loaded
//! at run time with dlopen so that nothing depends on it) its nearest function is timed the
//! same way. A second table compares tiled (multi-threaded) with untiled conversions.

use std::ffi::c_void;
use std::hint::black_box;
use std::time::Instant;

use vimage::cg::color_space::Known;
use vimage::convert::Converter;
use vimage::types::*;
use vimage::{ColorSpace, ImageFormat};

const WIDTH: usize = 3840;
const HEIGHT: usize = 2160;

fn fmt(bpc: u32, bpp: u32, info: u32) -> ImageFormat {
    ImageFormat::new(bpc, bpp, info)
}

fn gray(bpc: u32, bpp: u32, info: u32) -> ImageFormat {
    fmt(bpc, bpp, info).with_color_space(ColorSpace::create(Known::DeviceGray))
}

/// libyuv's `Foo(src, src_stride, dst, dst_stride, width, height)` shape.
type YuvFn = unsafe extern "C" fn(*const u8, i32, *mut u8, i32, i32, i32) -> i32;

struct Libyuv {
    handle: *mut c_void,
}

impl Libyuv {
    fn open() -> Option<Libyuv> {
        // SAFETY: dlopen with a valid NUL-terminated name; a null result is handled.
        let handle = unsafe { libc::dlopen(c"libyuv.so.0".as_ptr(), libc::RTLD_NOW) };
        (!handle.is_null()).then_some(Libyuv { handle })
    }

    fn get(&self, name: &std::ffi::CStr) -> Option<YuvFn> {
        // SAFETY: the handle is open; the name is NUL-terminated.
        let f = unsafe { libc::dlsym(self.handle, name.as_ptr()) };
        // SAFETY: every function looked up here has the `YuvFn` C signature (libyuv's
        // convert_argb.h / convert_from_argb.h / planar_functions.h).
        (!f.is_null()).then(|| unsafe { std::mem::transmute::<*mut c_void, YuvFn>(f) })
    }
}

/// Deterministic pseudo-random bytes.
fn random_bytes(n: usize, seed: u64) -> Vec<u8> {
    let mut s = seed | 1;
    let mut v = Vec::with_capacity(n + 8);
    while v.len() < n {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        v.extend_from_slice(&s.to_le_bytes());
    }
    v.truncate(n);
    v
}

/// Source pixels: random bytes, or random values in [0, 1] for float formats.
fn source(f: &ImageFormat, len: usize) -> Vec<u8> {
    let bytes = random_bytes(len, 0x1234_5678_9abc_def1);
    let float = f.bitmap_info & kCGBitmapFloatComponents != 0;
    let little = f.bitmap_info & kCGBitmapByteOrderMask == kCGBitmapByteOrder32Little
        || f.bitmap_info & kCGBitmapByteOrderMask == kCGBitmapByteOrder16Little;
    match (float, f.bits_per_component) {
        (true, 32) => bytes
            .chunks_exact(4)
            .flat_map(|b| {
                let v = (u32::from_le_bytes([b[0], b[1], b[2], b[3]]) >> 8) as f32 / 16777215.0;
                if little {
                    v.to_le_bytes()
                } else {
                    v.to_be_bytes()
                }
            })
            .collect(),
        (true, 16) => bytes
            .chunks_exact(2)
            .flat_map(|b| {
                // Halves in [0, 1]: 0x0000..=0x3c00.
                let h = (u16::from_le_bytes([b[0], b[1]]) % 0x3c01).to_le_bytes();
                if little { h } else { [h[1], h[0]] }
            })
            .collect(),
        _ => bytes,
    }
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Times `a` and `b` alternately `reps` times; medians of each (ms) and of the ratios a / b.
fn alternate(reps: usize, mut a: impl FnMut(), mut b: impl FnMut()) -> (f64, f64, f64) {
    a();
    b();
    let (mut ta, mut tb, mut ratio) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..reps {
        let run = |f: &mut dyn FnMut()| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64() * 1e3
        };
        let (x, y) = if i % 2 == 0 {
            let x = run(&mut a);
            (x, run(&mut b))
        } else {
            let y = run(&mut b);
            (run(&mut a), y)
        };
        ta.push(x);
        tb.push(y);
        ratio.push(x / y);
    }
    (median(&mut ta), median(&mut tb), median(&mut ratio))
}

struct Case {
    name: &'static str,
    src: ImageFormat,
    dst: ImageFormat,
    goal: f64,
    /// The nearest libyuv function (not always the same arithmetic: see the notes).
    yuv: Option<&'static std::ffi::CStr>,
}

struct Buffers {
    src: Vec<u8>,
    dst: Vec<u8>,
    src_stride: usize,
    dst_stride: usize,
}

fn buffers(conv: &Converter) -> Buffers {
    let src_stride = conv.src_row_len(WIDTH);
    let dst_stride = conv.dst_row_len(WIDTH);
    Buffers {
        src: source(conv.source_format(), src_stride * HEIGHT),
        dst: vec![1u8; dst_stride * HEIGHT],
        src_stride,
        dst_stride,
    }
}

fn convert(conv: &Converter, b: &mut Buffers, tile: bool) {
    conv.convert(
        black_box(&b.src),
        b.src_stride,
        &mut b.dst,
        b.dst_stride,
        WIDTH,
        HEIGHT,
        tile,
    );
    black_box(&mut b.dst);
}

fn main() {
    let reps: usize = std::env::var("VIMAGE_BENCH_REPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(15);
    let rgba = fmt(8, 32, kCGImageAlphaLast);
    let rgba_premul = fmt(8, 32, kCGImageAlphaPremultipliedLast);
    let rgbx = fmt(8, 32, kCGImageAlphaNoneSkipLast);
    let bgra_premul = fmt(
        8,
        32,
        kCGImageAlphaPremultipliedFirst | kCGBitmapByteOrder32Little,
    );
    let argb = fmt(8, 32, kCGImageAlphaFirst);
    let rgb = fmt(8, 24, kCGImageAlphaNone);
    let f32le = fmt(
        32,
        128,
        kCGImageAlphaLast | kCGBitmapFloatComponents | kCGBitmapByteOrder32Little,
    );
    let u16le = fmt(16, 64, kCGImageAlphaLast | kCGBitmapByteOrder16Little);
    let u16be = fmt(16, 64, kCGImageAlphaLast);
    let gray8 = gray(8, 8, kCGImageAlphaNone);
    let half = fmt(
        16,
        64,
        kCGImageAlphaLast | kCGBitmapFloatComponents | kCGBitmapByteOrder16Little,
    );
    let cases = vec![
        Case {
            name: "RGBA -> BGRA (premultiplied, permute)",
            src: rgba_premul.clone(),
            dst: bgra_premul.clone(),
            goal: 0.9,
            yuv: Some(c"ARGBToABGR"),
        },
        Case {
            name: "RGBA -> ARGB (straight, permute)",
            src: rgba.clone(),
            dst: argb.clone(),
            goal: 0.9,
            yuv: None,
        },
        Case {
            name: "premultiply RGBA",
            src: rgba.clone(),
            dst: rgba_premul.clone(),
            goal: 1.0,
            yuv: Some(c"ARGBAttenuate"),
        },
        Case {
            name: "unpremultiply RGBA",
            src: rgba_premul.clone(),
            dst: rgba.clone(),
            goal: 1.2,
            yuv: Some(c"ARGBUnattenuate"),
        },
        Case {
            name: "RGB888 -> RGBX",
            src: rgb.clone(),
            dst: rgbx.clone(),
            goal: 1.0,
            yuv: Some(c"RGB24ToARGB"),
        },
        Case {
            name: "RGB888 -> RGBA (straight, alpha 255)",
            src: rgb.clone(),
            dst: rgba.clone(),
            goal: 1.0,
            yuv: None,
        },
        Case {
            name: "RGBX -> RGB888",
            src: rgbx.clone(),
            dst: rgb.clone(),
            goal: 1.0,
            yuv: Some(c"ARGBToRGB24"),
        },
        Case {
            name: "RGBA8 -> RGBA f32 LE",
            src: rgba.clone(),
            dst: f32le.clone(),
            goal: 1.1,
            yuv: None,
        },
        Case {
            name: "RGBA f32 LE -> RGBA8",
            src: f32le.clone(),
            dst: rgba.clone(),
            goal: 1.2,
            yuv: None,
        },
        Case {
            name: "RGBA8 -> RGBA16 LE",
            src: rgba.clone(),
            dst: u16le.clone(),
            goal: 1.1,
            yuv: Some(c"ARGBToAR64"),
        },
        Case {
            name: "RGBA8 -> RGBA16 BE",
            src: rgba.clone(),
            dst: u16be.clone(),
            goal: 1.1,
            yuv: None,
        },
        Case {
            name: "RGBA16 LE -> RGBA8",
            src: u16le.clone(),
            dst: rgba.clone(),
            goal: 1.2,
            yuv: Some(c"AR64ToARGB"),
        },
        Case {
            name: "RGBA16 BE -> RGBA8",
            src: u16be.clone(),
            dst: rgba.clone(),
            goal: 1.2,
            yuv: None,
        },
        Case {
            name: "RGBA half LE -> RGBA8",
            src: half.clone(),
            dst: rgba.clone(),
            goal: 1.2,
            yuv: None,
        },
        Case {
            name: "RGBA8 -> RGBA half LE",
            src: rgba.clone(),
            dst: half.clone(),
            goal: 1.2,
            yuv: None,
        },
        Case {
            name: "RGBA half LE -> BGRA8 (permute)",
            src: half.clone(),
            dst: fmt(8, 32, kCGImageAlphaFirst | kCGBitmapByteOrder32Little),
            goal: 1.2,
            yuv: None,
        },
        Case {
            name: "RGBX -> gray8",
            src: rgbx.clone(),
            dst: gray8.clone(),
            goal: 1.1,
            yuv: Some(c"ARGBToJ400"),
        },
        Case {
            name: "RGBA (straight) -> gray8 (flattened)",
            src: rgba.clone(),
            dst: gray8.clone(),
            goal: 1.1,
            yuv: None,
        },
        Case {
            name: "gray8 -> RGBX",
            src: gray8.clone(),
            dst: rgbx.clone(),
            goal: 0.9,
            yuv: Some(c"J400ToARGB"),
        },
    ];
    let yuv = Libyuv::open();
    let background = [0.25, 0.5, 0.75];

    println!(
        "3840x2160, single thread, median of {reps}; ratio = conversion time / memcpy of (src + dst) / 2 bytes\n"
    );
    println!(
        "| conversion | kernel | time (ms) | memcpy (ms) | ratio | goal | pass | libyuv fn | libyuv (ms) | libyuv ratio |"
    );
    println!("|---|---|---:|---:|---:|---:|---|---|---:|---:|");
    for case in &cases {
        let conv = Converter::new(&case.src, &case.dst, Some(&background), true)
            .expect("valid conversion");
        let mut b = buffers(&conv);
        let n = (b.src.len() + b.dst.len()) / 2;
        let (copy_src, mut copy_dst) = (vec![3u8; n], vec![4u8; n]);
        let mut memcpy = || {
            copy_dst.copy_from_slice(black_box(&copy_src));
            black_box(&mut copy_dst);
        };
        let (t, tm, ratio) = alternate(reps, || convert(&conv, &mut b, false), &mut memcpy);
        let pass = if ratio <= case.goal { "yes" } else { "**no**" };
        let (yname, ytime, yratio) = match (case.yuv, yuv.as_ref()) {
            (Some(name), Some(lib)) => match lib.get(name) {
                Some(f) => {
                    // libyuv counts 16-bit strides (AR64) in uint16_t elements.
                    let unit = |f: &ImageFormat| if f.bits_per_component == 16 { 2 } else { 1 };
                    let ss = (b.src_stride / unit(&case.src)) as i32;
                    let ds = (b.dst_stride / unit(&case.dst)) as i32;
                    let (sp, dp) = (b.src.as_ptr(), b.dst.as_mut_ptr());
                    let call = || {
                        // SAFETY: both buffers hold HEIGHT rows of their strides, which are
                        // the row lengths libyuv expects for these formats.
                        unsafe { f(sp, ss, dp, ds, WIDTH as i32, HEIGHT as i32) };
                    };
                    let (ty, _, ry) = alternate(reps, call, &mut memcpy);
                    (
                        name.to_str().unwrap_or("?"),
                        format!("{ty:.2}"),
                        format!("{ry:.2}"),
                    )
                }
                None => ("(missing)", "-".into(), "-".into()),
            },
            _ => ("-", "-".into(), "-".into()),
        };
        println!(
            "| {} | {} | {t:.2} | {tm:.2} | {ratio:.2} | {:.1} | {pass} | {yname} | {ytime} | {yratio} |",
            case.name,
            conv.kernel_name().unwrap_or("reference"),
            case.goal
        );
    }
    if yuv.is_none() {
        println!("\n(libyuv.so.0 not found: no libyuv comparison)");
    }

    // Tiled (bands of rows on every core) against untiled.
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "\nTiled vs untiled ({cores} cores), goal: tiled >= 1.7x faster\n\n| conversion | kernel | untiled (ms) | tiled (ms) | speedup | pass |\n|---|---|---:|---:|---:|---|"
    );
    let tiled = [
        (
            "unpremultiply RGBA",
            rgba_premul.clone(),
            rgba.clone(),
            reps,
        ),
        ("RGBA8 -> RGBA f32 LE", rgba.clone(), f32le.clone(), reps),
        ("RGBA f32 LE -> RGBA8", f32le.clone(), rgba.clone(), reps),
        ("RGBA half LE -> RGBA8", half.clone(), rgba.clone(), 3),
        ("RGBA8 -> RGBA half LE", rgba.clone(), half.clone(), 3),
    ];
    for (name, src, dst, reps) in tiled {
        let conv = Converter::new(&src, &dst, Some(&background), false).expect("valid");
        // The same buffers for both: the same image converted either way.
        let b = std::cell::RefCell::new(buffers(&conv));
        let (untiled, tiled, ratio) = alternate(
            reps,
            || convert(&conv, &mut b.borrow_mut(), false),
            || convert(&conv, &mut b.borrow_mut(), true),
        );
        println!(
            "| {name} | {} | {untiled:.2} | {tiled:.2} | {ratio:.2}x | {} |",
            conv.kernel_name().unwrap_or("reference"),
            if ratio >= 1.7 { "yes" } else { "**no**" }
        );
    }
}
