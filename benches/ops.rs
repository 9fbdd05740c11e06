//! Benchmarks of the pixel operations (Alpha.h, Conversion.h) on 3840x2160 images.
//!
//! Run with `cargo bench --bench ops` (`VIMAGE_BENCH_REPS=N` to change the repetitions,
//! `VIMAGE_BENCH_FILTER=text` to run only the operations whose name contains `text`).
//!
//! Every operation is called through its exported C function with `kvImageDoNotTile` (single
//! thread) and timed alternately with a `memcpy` of (source bytes + destination bytes) / 2
//! in the same run; the ratio is the median of the per-pair ratios. Where libyuv is installed
//! (`libyuv.so.0`, loaded with dlopen so nothing depends on it), its nearest function is timed
//! the same way, with its own ratio. A last column gives the tiled (multi-threaded) time.

use std::ffi::c_void;
use std::hint::black_box;
use std::time::Instant;

use vimage::ffi::vimage_alpha::*;
use vimage::ffi::vimage_conversion::channels::*;
use vimage::ffi::vimage_conversion::depth::*;
use vimage::ffi::vimage_conversion::flatten::*;
use vimage::ffi::vimage_conversion::interleave::*;
use vimage::ffi::vimage_conversion::packed::*;
use vimage::types::*;

const WIDTH: usize = 3840;
const HEIGHT: usize = 2160;

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

/// Sample kinds, for plausible source values (floats in [0, 1], halves in [0, 1]).
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    U8,
    U16,
    F32,
    F16,
}

struct Plane {
    data: Vec<u8>,
    stride: usize,
}

impl Plane {
    fn new(bpp: usize, kind: Kind, seed: u64) -> Plane {
        let stride = WIDTH * bpp;
        let raw = random_bytes(stride * HEIGHT, seed);
        let data = match kind {
            Kind::U8 | Kind::U16 => raw,
            Kind::F32 => raw
                .chunks_exact(4)
                .flat_map(|b| {
                    ((u32::from_le_bytes([b[0], b[1], b[2], b[3]]) >> 8) as f32 / 16777215.0)
                        .to_ne_bytes()
                })
                .collect(),
            Kind::F16 => raw
                .chunks_exact(2)
                .flat_map(|b| (u16::from_le_bytes([b[0], b[1]]) % 0x3c01).to_ne_bytes())
                .collect(),
        };
        Plane { data, stride }
    }

    fn buffer(&mut self) -> vImage_Buffer {
        vImage_Buffer {
            data: self.data.as_mut_ptr().cast(),
            height: HEIGHT as _,
            width: WIDTH as _,
            rowBytes: self.stride,
        }
    }
}

type Op = Box<dyn Fn(&[vImage_Buffer], &[vImage_Buffer], vImage_Flags) -> vImage_Error>;
/// A libyuv call over the same planes: (srcs, dsts).
type Peer = Box<dyn Fn(&mut [Plane], &mut [Plane])>;

struct Case {
    name: &'static str,
    srcs: Vec<(usize, Kind)>,
    dsts: Vec<usize>,
    goal: f64,
    op: Op,
    peer: Option<(&'static str, Peer)>,
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

struct Libyuv {
    handle: *mut c_void,
}

impl Libyuv {
    fn open() -> Option<Libyuv> {
        // SAFETY: dlopen with a valid NUL-terminated name; a null result is handled.
        let handle = unsafe { libc::dlopen(c"libyuv.so.0".as_ptr(), libc::RTLD_NOW) };
        (!handle.is_null()).then_some(Libyuv { handle })
    }

    fn sym(&self, name: &std::ffi::CStr) -> Option<*mut c_void> {
        // SAFETY: the handle is open; the name is NUL-terminated.
        let f = unsafe { libc::dlsym(self.handle, name.as_ptr()) };
        (!f.is_null()).then_some(f)
    }
}

type Yuv11 = unsafe extern "C" fn(*const u8, i32, *mut u8, i32, i32, i32) -> i32;
type YuvSplit3 =
    unsafe extern "C" fn(*const u8, i32, *mut u8, i32, *mut u8, i32, *mut u8, i32, i32, i32);
type YuvMerge3 =
    unsafe extern "C" fn(*const u8, i32, *const u8, i32, *const u8, i32, *mut u8, i32, i32, i32);
type YuvSplit4 = unsafe extern "C" fn(
    *const u8,
    i32,
    *mut u8,
    i32,
    *mut u8,
    i32,
    *mut u8,
    i32,
    *mut u8,
    i32,
    i32,
    i32,
);
type YuvMerge4 = unsafe extern "C" fn(
    *const u8,
    i32,
    *const u8,
    i32,
    *const u8,
    i32,
    *const u8,
    i32,
    *mut u8,
    i32,
    i32,
    i32,
);
type YuvBlend = unsafe extern "C" fn(*const u8, i32, *const u8, i32, *mut u8, i32, i32, i32) -> i32;
type YuvRect = unsafe extern "C" fn(*mut u8, i32, i32, i32, i32, i32, u32) -> i32;
type YuvTable = unsafe extern "C" fn(*mut u8, i32, *const u8, i32, i32, i32, i32) -> i32;
type Yuv8To16 = unsafe extern "C" fn(*const u8, i32, *mut u16, i32, i32, i32, i32);
type Yuv16To8 = unsafe extern "C" fn(*const u16, i32, *mut u8, i32, i32, i32, i32);
type YuvShuffle = unsafe extern "C" fn(*const u8, i32, *mut u8, i32, *const u8, i32, i32) -> i32;

const W: i32 = WIDTH as i32;
const H: i32 = HEIGHT as i32;

/// The nearest libyuv function for a case (its arithmetic is not always the same; see README).
fn peer(yuv: &Libyuv, name: &'static str) -> Option<(&'static str, Peer)> {
    let c = std::ffi::CString::new(name).ok()?;
    let f = yuv.sym(&c)?;
    // SAFETY (every transmute below): the symbol is libyuv's function of that name, whose C
    // signature (libyuv/convert_argb.h, convert_from_argb.h, planar_functions.h) is the type
    // it is transmuted to.
    let p: Peer = match name {
        "ARGBToABGR" | "ARGBAttenuate" | "ARGBUnattenuate" | "ARGBToRGB24" | "RGB24ToARGB"
        | "RGB565ToARGB" | "ARGBToRGB565" | "ARGB1555ToARGB" | "ARGBToARGB1555" | "ARGBCopy"
        | "ARGBExtractAlpha" => {
            let f = unsafe { std::mem::transmute::<*mut c_void, Yuv11>(f) };
            Box::new(move |s, d| unsafe {
                f(
                    s[0].data.as_ptr(),
                    s[0].stride as i32,
                    d[0].data.as_mut_ptr(),
                    d[0].stride as i32,
                    W,
                    H,
                );
            })
        }
        "SplitRGBPlane" => {
            let f = unsafe { std::mem::transmute::<*mut c_void, YuvSplit3>(f) };
            Box::new(move |s, d| unsafe {
                let (a, rest) = d.split_at_mut(1);
                let (b, c) = rest.split_at_mut(1);
                f(
                    s[0].data.as_ptr(),
                    s[0].stride as i32,
                    a[0].data.as_mut_ptr(),
                    W,
                    b[0].data.as_mut_ptr(),
                    W,
                    c[0].data.as_mut_ptr(),
                    W,
                    W,
                    H,
                );
            })
        }
        "MergeRGBPlane" => {
            let f = unsafe { std::mem::transmute::<*mut c_void, YuvMerge3>(f) };
            Box::new(move |s, d| unsafe {
                f(
                    s[0].data.as_ptr(),
                    W,
                    s[1].data.as_ptr(),
                    W,
                    s[2].data.as_ptr(),
                    W,
                    d[0].data.as_mut_ptr(),
                    d[0].stride as i32,
                    W,
                    H,
                );
            })
        }
        "SplitARGBPlane" => {
            let f = unsafe { std::mem::transmute::<*mut c_void, YuvSplit4>(f) };
            Box::new(move |s, d| unsafe {
                let [a, b, c, e] = d else { return };
                f(
                    s[0].data.as_ptr(),
                    s[0].stride as i32,
                    a.data.as_mut_ptr(),
                    W,
                    b.data.as_mut_ptr(),
                    W,
                    c.data.as_mut_ptr(),
                    W,
                    e.data.as_mut_ptr(),
                    W,
                    W,
                    H,
                );
            })
        }
        "MergeARGBPlane" => {
            let f = unsafe { std::mem::transmute::<*mut c_void, YuvMerge4>(f) };
            Box::new(move |s, d| unsafe {
                f(
                    s[0].data.as_ptr(),
                    W,
                    s[1].data.as_ptr(),
                    W,
                    s[2].data.as_ptr(),
                    W,
                    s[3].data.as_ptr(),
                    W,
                    d[0].data.as_mut_ptr(),
                    d[0].stride as i32,
                    W,
                    H,
                );
            })
        }
        "ARGBBlend" => {
            let f = unsafe { std::mem::transmute::<*mut c_void, YuvBlend>(f) };
            Box::new(move |s, d| unsafe {
                f(
                    s[0].data.as_ptr(),
                    s[0].stride as i32,
                    s[1].data.as_ptr(),
                    s[1].stride as i32,
                    d[0].data.as_mut_ptr(),
                    d[0].stride as i32,
                    W,
                    H,
                );
            })
        }
        "ARGBRect" => {
            let f = unsafe { std::mem::transmute::<*mut c_void, YuvRect>(f) };
            Box::new(move |_s, d| unsafe {
                f(
                    d[0].data.as_mut_ptr(),
                    d[0].stride as i32,
                    0,
                    0,
                    W,
                    H,
                    0x8040_20ff,
                );
            })
        }
        "ARGBColorTable" => {
            // In place on the destination (libyuv has no out-of-place form): copy costs
            // nothing extra to vImage's out-of-place lookup, so this favours libyuv.
            let f = unsafe { std::mem::transmute::<*mut c_void, YuvTable>(f) };
            let table: Vec<u8> = (0..1024).map(|i| (i * 7 % 256) as u8).collect();
            Box::new(move |_s, d| unsafe {
                f(
                    d[0].data.as_mut_ptr(),
                    d[0].stride as i32,
                    table.as_ptr(),
                    0,
                    0,
                    W,
                    H,
                );
            })
        }
        "Convert8To16Plane" => {
            let f = unsafe { std::mem::transmute::<*mut c_void, Yuv8To16>(f) };
            Box::new(move |s, d| unsafe {
                f(
                    s[0].data.as_ptr(),
                    W,
                    d[0].data.as_mut_ptr().cast(),
                    W,
                    65535,
                    W,
                    H,
                );
            })
        }
        "Convert16To8Plane" => {
            let f = unsafe { std::mem::transmute::<*mut c_void, Yuv16To8>(f) };
            Box::new(move |s, d| unsafe {
                f(
                    s[0].data.as_ptr().cast(),
                    W,
                    d[0].data.as_mut_ptr(),
                    W,
                    256,
                    W,
                    H,
                );
            })
        }
        "AR64Shuffle" => {
            let f = unsafe { std::mem::transmute::<*mut c_void, YuvShuffle>(f) };
            // A byte shuffler of one 8-byte pixel repeated: reverse the four 16-bit channels.
            let shuffle: [u8; 16] = [6, 7, 4, 5, 2, 3, 0, 1, 14, 15, 12, 13, 10, 11, 8, 9];
            Box::new(move |s, d| unsafe {
                f(
                    s[0].data.as_ptr(),
                    W * 4,
                    d[0].data.as_mut_ptr(),
                    W * 4,
                    shuffle.as_ptr(),
                    W,
                    H,
                );
            })
        }
        _ => return None,
    };
    Some((name, p))
}

macro_rules! op1 {
    ($f:ident) => {
        Box::new(
            |s: &[vImage_Buffer], d: &[vImage_Buffer], fl: vImage_Flags| unsafe {
                $f(&s[0], &d[0], fl)
            },
        )
    };
}

fn cases() -> Vec<(Case, Option<&'static str>)> {
    use Kind::*;
    let bgra_to_rgba: &'static [u8; 4] = &[2, 1, 0, 3];
    let reverse: &'static [u8; 4] = &[3, 2, 1, 0];
    let color: &'static [u8; 4] = &[255, 40, 128, 200];
    let colorf: &'static [f32; 4] = &[1.0, 0.2, 0.5, 0.8];
    let table: &'static [u8; 256] =
        Box::leak(Box::new(std::array::from_fn(|i| (i * 7 % 256) as u8)));
    let c = |name,
             srcs: Vec<(usize, Kind)>,
             dsts: Vec<usize>,
             goal,
             op: Op,
             yuv: Option<&'static str>| {
        (
            Case {
                name,
                srcs,
                dsts,
                goal,
                op,
                peer: None,
            },
            yuv,
        )
    };
    vec![
        // ---- 8-bit ----
        c(
            "PermuteChannels_ARGB8888 {2,1,0,3}",
            vec![(4, U8)],
            vec![4],
            1.0,
            Box::new(|s, d, fl| unsafe {
                vImagePermuteChannels_ARGB8888(&s[0], &d[0], bgra_to_rgba.as_ptr(), fl)
            }),
            Some("ARGBToABGR"),
        ),
        c(
            "PermuteChannelsWithMaskedInsert_ARGB8888",
            vec![(4, U8)],
            vec![4],
            1.0,
            Box::new(|s, d, fl| unsafe {
                vImagePermuteChannelsWithMaskedInsert_ARGB8888(
                    &s[0],
                    &d[0],
                    reverse.as_ptr(),
                    0x8,
                    color.as_ptr(),
                    fl,
                )
            }),
            None,
        ),
        c(
            "PremultiplyData_RGBA8888",
            vec![(4, U8)],
            vec![4],
            1.0,
            op1!(vImagePremultiplyData_RGBA8888),
            Some("ARGBAttenuate"),
        ),
        c(
            "UnpremultiplyData_RGBA8888",
            vec![(4, U8)],
            vec![4],
            1.0,
            op1!(vImageUnpremultiplyData_RGBA8888),
            Some("ARGBUnattenuate"),
        ),
        c(
            "Flatten_RGBA8888ToRGB888 (premultiplied)",
            vec![(4, U8)],
            vec![3],
            1.0,
            Box::new(|s, d, fl| unsafe {
                vImageFlatten_RGBA8888ToRGB888(&s[0], &d[0], color.as_ptr(), true, fl)
            }),
            None,
        ),
        c(
            "Flatten_ARGB8888 (straight)",
            vec![(4, U8)],
            vec![4],
            1.0,
            Box::new(|s, d, fl| unsafe {
                vImageFlatten_ARGB8888(&s[0], &d[0], color.as_ptr(), false, fl)
            }),
            None,
        ),
        c(
            "PremultipliedAlphaBlend_BGRA8888",
            vec![(4, U8), (4, U8)],
            vec![4],
            1.0,
            Box::new(|s, d, fl| unsafe {
                vImagePremultipliedAlphaBlend_BGRA8888(&s[0], &s[1], &d[0], fl)
            }),
            Some("ARGBBlend"),
        ),
        c(
            "AlphaBlend_ARGB8888 (straight)",
            vec![(4, U8), (4, U8)],
            vec![4],
            1.0,
            Box::new(|s, d, fl| unsafe { vImageAlphaBlend_ARGB8888(&s[0], &s[1], &d[0], fl) }),
            None,
        ),
        c(
            "ClipToAlpha_RGBA8888",
            vec![(4, U8)],
            vec![4],
            1.0,
            op1!(vImageClipToAlpha_RGBA8888),
            None,
        ),
        c(
            "OverwriteChannelsWithScalar_ARGB8888",
            vec![(4, U8)],
            vec![4],
            1.0,
            Box::new(|s, d, fl| unsafe {
                vImageOverwriteChannelsWithScalar_ARGB8888(255, &s[0], &d[0], 0x8, fl)
            }),
            None,
        ),
        c(
            "OverwriteChannels_ARGB8888 (planar alpha)",
            vec![(1, U8), (4, U8)],
            vec![4],
            1.0,
            Box::new(|s, d, fl| unsafe {
                vImageOverwriteChannels_ARGB8888(&s[0], &s[1], &d[0], 0x8, fl)
            }),
            None,
        ),
        c(
            "SelectChannels_ARGB8888",
            vec![(4, U8), (4, U8)],
            vec![4],
            1.0,
            Box::new(|s, d, fl| unsafe {
                vImageSelectChannels_ARGB8888(&s[0], &s[1], &d[0], 0x9, fl)
            }),
            None,
        ),
        c(
            "ExtractChannel_ARGB8888",
            vec![(4, U8)],
            vec![1],
            1.0,
            Box::new(|s, d, fl| unsafe { vImageExtractChannel_ARGB8888(&s[0], &d[0], 3, fl) }),
            Some("ARGBExtractAlpha"),
        ),
        c(
            "BufferFill_ARGB8888",
            vec![],
            vec![4],
            1.0,
            Box::new(|_s, d, fl| unsafe { vImageBufferFill_ARGB8888(&d[0], color.as_ptr(), fl) }),
            Some("ARGBRect"),
        ),
        c(
            "CopyBuffer (4 bytes/pixel)",
            vec![(4, U8)],
            vec![4],
            1.0,
            Box::new(|s, d, fl| unsafe { vImageCopyBuffer(&s[0], &d[0], 4, fl) }),
            Some("ARGBCopy"),
        ),
        c(
            "TableLookUp_ARGB8888",
            vec![(4, U8)],
            vec![4],
            1.0,
            Box::new(|s, d, fl| unsafe {
                vImageTableLookUp_ARGB8888(
                    &s[0],
                    &d[0],
                    table.as_ptr(),
                    table.as_ptr(),
                    table.as_ptr(),
                    table.as_ptr(),
                    fl,
                )
            }),
            Some("ARGBColorTable"),
        ),
        c(
            "TableLookUp_Planar8",
            vec![(1, U8)],
            vec![1],
            1.0,
            Box::new(|s, d, fl| unsafe {
                vImageTableLookUp_Planar8(&s[0], &d[0], table.as_ptr(), fl)
            }),
            None,
        ),
        c(
            "ARGB8888toRGB888",
            vec![(4, U8)],
            vec![3],
            1.0,
            op1!(vImageConvert_ARGB8888toRGB888),
            Some("ARGBToRGB24"),
        ),
        c(
            "RGB888toARGB8888 (alpha 255)",
            vec![(3, U8)],
            vec![4],
            1.0,
            Box::new(|s, d, fl| unsafe {
                vImageConvert_RGB888toARGB8888(&s[0], std::ptr::null(), 255, &d[0], false, fl)
            }),
            Some("RGB24ToARGB"),
        ),
        c(
            "RGB888toARGB8888 (alpha plane, premultiply)",
            vec![(3, U8), (1, U8)],
            vec![4],
            1.0,
            Box::new(|s, d, fl| unsafe {
                vImageConvert_RGB888toARGB8888(&s[0], &s[1], 0, &d[0], true, fl)
            }),
            None,
        ),
        c(
            "ARGB8888toPlanar8",
            vec![(4, U8)],
            vec![1, 1, 1, 1],
            1.0,
            Box::new(|s, d, fl| unsafe {
                vImageConvert_ARGB8888toPlanar8(&s[0], &d[0], &d[1], &d[2], &d[3], fl)
            }),
            Some("SplitARGBPlane"),
        ),
        c(
            "Planar8toARGB8888",
            vec![(1, U8), (1, U8), (1, U8), (1, U8)],
            vec![4],
            1.0,
            Box::new(|s, d, fl| unsafe {
                vImageConvert_Planar8toARGB8888(&s[0], &s[1], &s[2], &s[3], &d[0], fl)
            }),
            Some("MergeARGBPlane"),
        ),
        c(
            "RGB888toPlanar8",
            vec![(3, U8)],
            vec![1, 1, 1],
            1.0,
            Box::new(|s, d, fl| unsafe {
                vImageConvert_RGB888toPlanar8(&s[0], &d[0], &d[1], &d[2], fl)
            }),
            Some("SplitRGBPlane"),
        ),
        c(
            "Planar8toRGB888",
            vec![(1, U8), (1, U8), (1, U8)],
            vec![3],
            1.0,
            Box::new(|s, d, fl| unsafe {
                vImageConvert_Planar8toRGB888(&s[0], &s[1], &s[2], &d[0], fl)
            }),
            Some("MergeRGBPlane"),
        ),
        c(
            "RGB565toARGB8888",
            vec![(2, U16)],
            vec![4],
            1.0,
            Box::new(|s, d, fl| unsafe { vImageConvert_RGB565toARGB8888(255, &s[0], &d[0], fl) }),
            Some("RGB565ToARGB"),
        ),
        c(
            "ARGB8888toRGB565",
            vec![(4, U8)],
            vec![2],
            1.0,
            op1!(vImageConvert_ARGB8888toRGB565),
            Some("ARGBToRGB565"),
        ),
        c(
            "ARGB1555toARGB8888",
            vec![(2, U16)],
            vec![4],
            1.0,
            op1!(vImageConvert_ARGB1555toARGB8888),
            Some("ARGB1555ToARGB"),
        ),
        c(
            "ARGB8888toARGB1555",
            vec![(4, U8)],
            vec![2],
            1.0,
            op1!(vImageConvert_ARGB8888toARGB1555),
            Some("ARGBToARGB1555"),
        ),
        // ---- 16-bit ----
        c(
            "PermuteChannels_ARGB16U {3,2,1,0}",
            vec![(8, U16)],
            vec![8],
            1.0,
            Box::new(|s, d, fl| unsafe {
                vImagePermuteChannels_ARGB16U(&s[0], &d[0], reverse.as_ptr(), fl)
            }),
            Some("AR64Shuffle"),
        ),
        c(
            "PremultiplyData_RGBA16U",
            vec![(8, U16)],
            vec![8],
            1.0,
            op1!(vImagePremultiplyData_RGBA16U),
            None,
        ),
        c(
            "UnpremultiplyData_RGBA16U",
            vec![(8, U16)],
            vec![8],
            1.0,
            op1!(vImageUnpremultiplyData_RGBA16U),
            None,
        ),
        c(
            "Planar8To16U",
            vec![(1, U8)],
            vec![2],
            1.0,
            op1!(vImageConvert_Planar8To16U),
            Some("Convert8To16Plane"),
        ),
        c(
            "16UToPlanar8",
            vec![(2, U16)],
            vec![1],
            1.0,
            op1!(vImageConvert_16UToPlanar8),
            Some("Convert16To8Plane"),
        ),
        c(
            "ARGB16UtoPlanar16U",
            vec![(8, U16)],
            vec![2, 2, 2, 2],
            1.0,
            Box::new(|s, d, fl| unsafe {
                vImageConvert_ARGB16UtoPlanar16U(&s[0], &d[0], &d[1], &d[2], &d[3], fl)
            }),
            None,
        ),
        c(
            "ARGB16UToARGB8888",
            vec![(8, U16)],
            vec![4],
            1.0,
            Box::new(|s, d, fl| unsafe {
                vImageConvert_ARGB16UToARGB8888(
                    &s[0],
                    &d[0],
                    reverse.as_ptr(),
                    0,
                    color.as_ptr(),
                    fl,
                )
            }),
            None,
        ),
        // ---- float ----
        c(
            "PermuteChannels_ARGBFFFF {3,2,1,0}",
            vec![(16, F32)],
            vec![16],
            1.2,
            Box::new(|s, d, fl| unsafe {
                vImagePermuteChannels_ARGBFFFF(&s[0], &d[0], reverse.as_ptr(), fl)
            }),
            None,
        ),
        c(
            "PremultiplyData_RGBAFFFF",
            vec![(16, F32)],
            vec![16],
            1.2,
            op1!(vImagePremultiplyData_RGBAFFFF),
            None,
        ),
        c(
            "UnpremultiplyData_RGBAFFFF",
            vec![(16, F32)],
            vec![16],
            1.2,
            op1!(vImageUnpremultiplyData_RGBAFFFF),
            None,
        ),
        c(
            "Flatten_RGBAFFFFToRGBFFF",
            vec![(16, F32)],
            vec![12],
            1.2,
            Box::new(|s, d, fl| unsafe {
                vImageFlatten_RGBAFFFFToRGBFFF(&s[0], &d[0], colorf.as_ptr(), true, fl)
            }),
            None,
        ),
        c(
            "BufferFill_ARGBFFFF",
            vec![],
            vec![16],
            1.2,
            Box::new(|_s, d, fl| unsafe { vImageBufferFill_ARGBFFFF(&d[0], colorf.as_ptr(), fl) }),
            None,
        ),
        c(
            "Planar8toPlanarF",
            vec![(1, U8)],
            vec![4],
            1.2,
            Box::new(|s, d, fl| unsafe {
                vImageConvert_Planar8toPlanarF(&s[0], &d[0], 1.0, 0.0, fl)
            }),
            None,
        ),
        c(
            "PlanarFtoPlanar8",
            vec![(4, F32)],
            vec![1],
            1.2,
            Box::new(|s, d, fl| unsafe {
                vImageConvert_PlanarFtoPlanar8(&s[0], &d[0], 1.0, 0.0, fl)
            }),
            None,
        ),
        c(
            "Planar16FtoPlanarF",
            vec![(2, F16)],
            vec![4],
            1.2,
            op1!(vImageConvert_Planar16FtoPlanarF),
            None,
        ),
        c(
            "PlanarFtoPlanar16F",
            vec![(4, F32)],
            vec![2],
            1.2,
            op1!(vImageConvert_PlanarFtoPlanar16F),
            None,
        ),
        c(
            "ARGBFFFFtoPlanarF",
            vec![(16, F32)],
            vec![4, 4, 4, 4],
            1.2,
            Box::new(|s, d, fl| unsafe {
                vImageConvert_ARGBFFFFtoPlanarF(&s[0], &d[0], &d[1], &d[2], &d[3], fl)
            }),
            None,
        ),
        c(
            "PlanarFtoARGBFFFF",
            vec![(4, F32), (4, F32), (4, F32), (4, F32)],
            vec![16],
            1.2,
            Box::new(|s, d, fl| unsafe {
                vImageConvert_PlanarFtoARGBFFFF(&s[0], &s[1], &s[2], &s[3], &d[0], fl)
            }),
            None,
        ),
        c(
            "PlanarFToARGB8888",
            vec![(4, F32), (4, F32), (4, F32), (4, F32)],
            vec![4],
            1.2,
            Box::new(|s, d, fl| unsafe {
                vImageConvert_PlanarFToARGB8888(
                    &s[0],
                    &s[1],
                    &s[2],
                    &s[3],
                    &d[0],
                    colorf.as_ptr(),
                    [0.0f32; 4].as_ptr(),
                    fl,
                )
            }),
            None,
        ),
    ]
}

fn main() {
    let reps: usize = std::env::var("VIMAGE_BENCH_REPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(11);
    let filter = std::env::var("VIMAGE_BENCH_FILTER").unwrap_or_default();
    let yuv = Libyuv::open();
    println!(
        "3840x2160, single thread (kvImageDoNotTile), median of {reps}; ratio = time / memcpy of (src + dst) / 2 bytes, same run\n"
    );
    println!(
        "| operation | ms | memcpy ms | ratio | goal | pass | libyuv fn | libyuv ratio | tiled ms |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    let mut misses = 0;
    let mut ours: Vec<(&'static str, f64)> = Vec::new();
    for (mut case, yname) in cases() {
        if !case.name.contains(&filter) {
            continue;
        }
        if let (Some(y), Some(n)) = (&yuv, yname) {
            case.peer = peer(y, n);
        }
        let mut srcs: Vec<Plane> = case
            .srcs
            .iter()
            .enumerate()
            .map(|(i, &(bpp, k))| Plane::new(bpp, k, 0x9e37_79b9 + i as u64))
            .collect();
        let mut dsts: Vec<Plane> = case
            .dsts
            .iter()
            .map(|&bpp| Plane {
                data: vec![1u8; WIDTH * bpp * HEIGHT],
                stride: WIDTH * bpp,
            })
            .collect();
        let bytes = (srcs.iter().map(|p| p.data.len()).sum::<usize>()
            + dsts.iter().map(|p| p.data.len()).sum::<usize>())
            / 2;
        let from = random_bytes(bytes, 7);
        let mut to = vec![0u8; bytes];
        let sb: Vec<vImage_Buffer> = srcs.iter_mut().map(|p| p.buffer()).collect();
        let db: Vec<vImage_Buffer> = dsts.iter_mut().map(|p| p.buffer()).collect();
        let code = (case.op)(&sb, &db, kvImageDoNotTile);
        if code != kvImageNoError {
            println!("| {} | error {code} | | | | | | | |", case.name);
            continue;
        }
        let mut memcpy = || {
            to.copy_from_slice(black_box(&from));
            black_box(&mut to);
        };
        let (t, tm, ratio) = alternate(
            reps,
            || {
                black_box((case.op)(black_box(&sb), &db, kvImageDoNotTile));
            },
            &mut memcpy,
        );
        let (ty, _, ry) = match &case.peer {
            Some((_, p)) => alternate(reps, || p(&mut srcs, &mut dsts), &mut memcpy),
            None => (f64::NAN, 0.0, f64::NAN),
        };
        let _ = ty;
        let sb: Vec<vImage_Buffer> = srcs.iter_mut().map(|p| p.buffer()).collect();
        let db: Vec<vImage_Buffer> = dsts.iter_mut().map(|p| p.buffer()).collect();
        let (tt, _, _) = alternate(
            reps.min(5),
            || {
                black_box((case.op)(&sb, &db, 0));
            },
            || {},
        );
        ours.push((case.name, ratio));
        let pass = ratio <= case.goal;
        misses += usize::from(!pass);
        let (pn, pr) = match &case.peer {
            Some((n, _)) => (n.to_string(), format!("{ry:.2}")),
            None => (String::new(), String::new()),
        };
        println!(
            "| {} | {t:.2} | {tm:.2} | {ratio:.2} | {:.1} | {} | {pn} | {pr} | {tt:.2} |",
            case.name,
            case.goal,
            if pass { "yes" } else { "**no**" }
        );
    }
    println!("\n{misses} operation(s) above their goal");
    opencv(&ours);
    if yuv.is_none() {
        println!("(libyuv.so.0 not found: no libyuv comparison)");
    }
}

/// OpenCV (and numpy for fill / copy) through benches/peers_opencv.py, when python3 has cv2.
fn opencv(ours: &[(&'static str, f64)]) {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/peers_opencv.py");
    let out = match std::process::Command::new("python3").arg(script).output() {
        Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout).into_owned(),
        _ => {
            println!(
                "(python3 with cv2 and numpy not found: no OpenCV comparison; pip install numpy opencv-python-headless)"
            );
            return;
        }
    };
    println!(
        "\nOpenCV 1 thread (numpy for fill and copy), each against its own copy of the same bytes in its process\n"
    );
    println!("| operation | vimage ratio | OpenCV ratio |");
    println!("|---|---|---|");
    for line in out.lines() {
        let Some((name, ratio)) = line.split_once('\t') else {
            continue;
        };
        let mine = ours
            .iter()
            .find(|(n, _)| *n == name)
            .map_or(String::from("-"), |(_, r)| format!("{r:.2}"));
        println!("| {name} | {mine} | {ratio} |");
    }
}
