//! Quarter turns, reflections, rotation by any angle and affine warps at 3840x2160, single
//! thread (`kvImageDoNotTile`) and tiled, beside libyuv (ARGBRotate, RotatePlane, ARGBMirror,
//! ARGBCopy with a negative height, through dlopen when `libyuv.so.0` is installed) and OpenCV
//! (cv2.rotate, cv2.flip, cv2.warpAffine, one thread, through python3 when cv2 imports).
//!
//! Every case is timed alternately with a memcpy of the source bytes in the same run; the
//! ratio is the median of the per-pair ratios. Run with `cargo bench --bench rotate`
//! (`VIMAGE_BENCH_REPS=N`, `VIMAGE_BENCH_FILTER=text` as in benches/ops.rs).

#![allow(non_snake_case)]

use std::ffi::c_void;
use std::hint::black_box;
use std::time::Instant;

use vimage::ffi::vimage_geometry::reflect::*;
use vimage::ffi::vimage_geometry::rotate90::*;
use vimage::ffi::vimage_geometry::warp::*;
use vimage::types::*;

const W: usize = 3840;
const H: usize = 2160;

fn random_bytes(n: usize, seed: u64) -> Vec<u8> {
    let mut s = seed | 1;
    (0..n)
        .map(|_| {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            (s >> 24) as u8
        })
        .collect()
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

thread_local! {
    /// The median CPU time (ms) of the last [`alternate`]'s first function.
    static CPU_MS: std::cell::Cell<f64> = const { std::cell::Cell::new(0.0) };
}

/// CPU time of the calling thread, ms (immune to other processes taking the cores).
fn thread_cpu_ms() -> f64 {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes one timespec.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
    t.tv_sec as f64 * 1e3 + t.tv_nsec as f64 * 1e-6
}

/// Times `a` and `b` alternately; medians of each (wall ms), of the ratios a / b, and of the
/// ratios of the calling thread's CPU times (the single-thread number that survives a busy
/// machine).
fn alternate(reps: usize, mut a: impl FnMut(), mut b: impl FnMut()) -> (f64, f64, f64, f64) {
    a();
    b();
    let (mut ta, mut tb, mut r, mut rc) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut ca = Vec::new();
    for i in 0..reps {
        let run = |f: &mut dyn FnMut()| {
            let (t, c) = (Instant::now(), thread_cpu_ms());
            f();
            (t.elapsed().as_secs_f64() * 1e3, thread_cpu_ms() - c)
        };
        let (x, y) = if i % 2 == 0 {
            let x = run(&mut a);
            (x, run(&mut b))
        } else {
            let y = run(&mut b);
            (run(&mut a), y)
        };
        ta.push(x.0);
        tb.push(y.0);
        r.push(x.0 / y.0);
        rc.push(x.1 / y.1.max(1e-3));
        ca.push(x.1);
    }
    CPU_MS.set(median(&mut ca));
    (
        median(&mut ta),
        median(&mut tb),
        median(&mut r),
        median(&mut rc),
    )
}

struct Img {
    data: Vec<u8>,
    w: usize,
    h: usize,
    bpp: usize,
}

impl Img {
    fn new(w: usize, h: usize, bpp: usize, seed: u64) -> Img {
        Img {
            data: random_bytes(w * h * bpp, seed),
            w,
            h,
            bpp,
        }
    }
    fn vb(&mut self) -> vImage_Buffer {
        vImage_Buffer {
            data: self.data.as_mut_ptr().cast(),
            height: self.h as _,
            width: self.w as _,
            rowBytes: self.w * self.bpp,
        }
    }
}

type Op = Box<dyn Fn(&vImage_Buffer, &vImage_Buffer, u32) -> isize>;
type Peer = Box<dyn Fn(&mut Img, &mut Img)>;

struct Case {
    name: &'static str,
    bpp: usize,
    dst: (usize, usize),
    goal: Option<f64>,
    op: Op,
    yuv: Option<&'static str>,
}

fn cases() -> Vec<Case> {
    let back = [0u8, 0, 0, 255];
    let bp = back.as_ptr() as usize;
    let (s, c) = (17f64.to_radians()).sin_cos();
    // Scale 0.5 and 17 degrees, the 4K source centred on a 1920x1080 destination.
    let k = 0.5;
    let t = vImage_AffineTransform_Double {
        a: k * c,
        b: k * s,
        c: -k * s,
        d: k * c,
        tx: 960.0 - k * (c * 1920.0 - s * 1080.0),
        ty: 540.0 - k * (s * 1920.0 + c * 1080.0),
    };
    vec![
        Case {
            name: "Rotate90_ARGB8888 (90 CCW)",
            bpp: 4,
            dst: (H, W),
            goal: Some(2.0),
            op: Box::new(move |s, d, f| unsafe {
                vImageRotate90_ARGB8888(s, d, 1, bp as *const u8, f)
            }),
            yuv: Some("ARGBRotate"),
        },
        Case {
            name: "Rotate90_Planar8 (90 CCW)",
            bpp: 1,
            dst: (H, W),
            goal: Some(2.0),
            op: Box::new(|s, d, f| unsafe { vImageRotate90_Planar8(s, d, 1, 0, f) }),
            yuv: Some("RotatePlane"),
        },
        Case {
            name: "Rotate90_ARGB8888 (180)",
            bpp: 4,
            dst: (W, H),
            goal: Some(1.2),
            op: Box::new(move |s, d, f| unsafe {
                vImageRotate90_ARGB8888(s, d, 2, bp as *const u8, f)
            }),
            yuv: Some("ARGBRotate180"),
        },
        Case {
            name: "HorizontalReflect_ARGB8888",
            bpp: 4,
            dst: (W, H),
            goal: Some(1.2),
            op: Box::new(|s, d, f| unsafe { vImageHorizontalReflect_ARGB8888(s, d, f) }),
            yuv: Some("ARGBMirror"),
        },
        Case {
            name: "VerticalReflect_ARGB8888",
            bpp: 4,
            dst: (W, H),
            goal: Some(1.2),
            op: Box::new(|s, d, f| unsafe { vImageVerticalReflect_ARGB8888(s, d, f) }),
            yuv: Some("ARGBCopy"),
        },
        Case {
            name: "Rotate_ARGB8888 17 degrees",
            bpp: 4,
            dst: (W, H),
            goal: None,
            op: Box::new(move |s, d, f| unsafe {
                vImageRotate_ARGB8888(
                    s,
                    d,
                    std::ptr::null_mut(),
                    17f32.to_radians(),
                    bp as *const u8,
                    f | kvImageBackgroundColorFill,
                )
            }),
            yuv: None,
        },
        Case {
            name: "AffineWarpD_ARGB8888 scale 0.5 + 17 degrees",
            bpp: 4,
            dst: (W / 2, H / 2),
            goal: None,
            op: Box::new(move |s, d, f| unsafe {
                vImageAffineWarpD_ARGB8888(
                    s,
                    d,
                    std::ptr::null_mut(),
                    &t,
                    bp as *const u8,
                    f | kvImageBackgroundColorFill,
                )
            }),
            yuv: None,
        },
    ]
}

fn libyuv(name: &str) -> Option<Peer> {
    // SAFETY: dlopen / dlsym with NUL-terminated names; NULL results are handled. Each symbol
    // is libyuv's function of that name with the C signature (rotate_argb.h, rotate.h,
    // planar_functions.h) of the type it is transmuted to.
    unsafe {
        let h = libc::dlopen(c"libyuv.so.0".as_ptr(), libc::RTLD_NOW);
        if h.is_null() {
            return None;
        }
        let sym = |n: &std::ffi::CStr| {
            let f = libc::dlsym(h, n.as_ptr());
            (!f.is_null()).then_some(f)
        };
        type Rot = unsafe extern "C" fn(*const u8, i32, *mut u8, i32, i32, i32, i32) -> i32;
        type Copy = unsafe extern "C" fn(*const u8, i32, *mut u8, i32, i32, i32) -> i32;
        let peer: Peer = match name {
            "ARGBRotate" | "RotatePlane" | "ARGBRotate180" => {
                let n = if name == "RotatePlane" {
                    c"RotatePlane"
                } else {
                    c"ARGBRotate"
                };
                let f: Rot = std::mem::transmute::<*mut c_void, Rot>(sym(n)?);
                // libyuv's kRotate270 is 90 degrees counter-clockwise.
                let mode = if name == "ARGBRotate180" { 180 } else { 270 };
                Box::new(move |s: &mut Img, d: &mut Img| {
                    f(
                        s.data.as_ptr(),
                        (s.w * s.bpp) as i32,
                        d.data.as_mut_ptr(),
                        (d.w * d.bpp) as i32,
                        s.w as i32,
                        s.h as i32,
                        mode,
                    );
                })
            }
            "ARGBMirror" | "ARGBCopy" => {
                let f: Copy =
                    std::mem::transmute::<*mut c_void, Copy>(sym(if name == "ARGBMirror" {
                        c"ARGBMirror"
                    } else {
                        c"ARGBCopy"
                    })?);
                // A negative height makes libyuv read the source bottom-up (a vertical flip).
                let sign = if name == "ARGBCopy" { -1 } else { 1 };
                Box::new(move |s: &mut Img, d: &mut Img| {
                    f(
                        s.data.as_ptr(),
                        (s.w * 4) as i32,
                        d.data.as_mut_ptr(),
                        (d.w * 4) as i32,
                        s.w as i32,
                        sign * s.h as i32,
                    );
                })
            }
            _ => return None,
        };
        Some(peer)
    }
}

const OPENCV: &str = r#"
import os, time, cv2, numpy as np
W, H = 3840, 2160
REPS = int(os.environ.get("VIMAGE_BENCH_REPS", "7"))
cv2.setNumThreads(1)
rng = np.random.default_rng(7)
rgba = rng.integers(0, 256, size=(H, W, 4), dtype=np.uint8)
gray = rng.integers(0, 256, size=(H, W), dtype=np.uint8)
def alt(f, nbytes):
    src = rng.integers(0, 256, size=nbytes, dtype=np.uint8); dst = np.empty_like(src)
    copy = lambda: np.copyto(dst, src)
    f(); copy(); r = []
    for i in range(REPS):
        order = (f, copy) if i % 2 == 0 else (copy, f); t = []
        for g in order:
            s = time.perf_counter(); g(); t.append(time.perf_counter() - s)
        r.append(t[0] / t[1] if i % 2 == 0 else t[1] / t[0])
    r.sort(); return r[len(r) // 2]
o1 = np.empty((W, H, 4), np.uint8); o2 = np.empty((W, H), np.uint8); o3 = np.empty_like(rgba)
o4 = np.empty((H // 2, W // 2, 4), np.uint8)
m17 = cv2.getRotationMatrix2D((W / 2 - 0.5, H / 2 - 0.5), 17, 1.0)
m05 = cv2.getRotationMatrix2D((W / 2 - 0.5, H / 2 - 0.5), 17, 0.5); m05[0, 2] -= W / 4; m05[1, 2] -= H / 4
cases = [
  ("Rotate90_ARGB8888 (90 CCW)", lambda: cv2.rotate(rgba, cv2.ROTATE_90_COUNTERCLOCKWISE, o1), rgba.nbytes),
  ("Rotate90_Planar8 (90 CCW)", lambda: cv2.rotate(gray, cv2.ROTATE_90_COUNTERCLOCKWISE, o2), gray.nbytes),
  ("Rotate90_ARGB8888 (180)", lambda: cv2.rotate(rgba, cv2.ROTATE_180, o3), rgba.nbytes),
  ("HorizontalReflect_ARGB8888", lambda: cv2.flip(rgba, 1, o3), rgba.nbytes),
  ("VerticalReflect_ARGB8888", lambda: cv2.flip(rgba, 0, o3), rgba.nbytes),
  ("Rotate_ARGB8888 17 degrees", lambda: cv2.warpAffine(rgba, m17, (W, H), o3, flags=cv2.INTER_LANCZOS4), rgba.nbytes),
  ("Rotate_ARGB8888 17 degrees (bilinear)", lambda: cv2.warpAffine(rgba, m17, (W, H), o3, flags=cv2.INTER_LINEAR), rgba.nbytes),
  ("AffineWarpD_ARGB8888 scale 0.5 + 17 degrees", lambda: cv2.warpAffine(rgba, m05, (W // 2, H // 2), o4, flags=cv2.INTER_LANCZOS4), rgba.nbytes),
]
flt = os.environ.get("VIMAGE_BENCH_FILTER", "")
for name, f, n in cases:
    if flt in name:
        print(f"{name}\t{alt(f, n):.2f}", flush=True)
"#;

fn main() {
    let reps: usize = std::env::var("VIMAGE_BENCH_REPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(11);
    let filter = std::env::var("VIMAGE_BENCH_FILTER").unwrap_or_default();
    println!(
        "3840x2160 source; ratio = time / memcpy of the source bytes, same run, median of {reps} pairs\n"
    );
    println!(
        "| operation | 1 thread ms | memcpy ms | ratio | cpu ms (ratio) | goal | tiled ratio | libyuv fn | libyuv ratio |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    let mut ours = Vec::new();
    for case in cases() {
        if !case.name.contains(&filter) {
            continue;
        }
        let mut src = Img::new(W, H, case.bpp, 0x9e37);
        let mut dst = Img::new(case.dst.0, case.dst.1, case.bpp, 3);
        let (sb, db) = (src.vb(), dst.vb());
        let code = (case.op)(&sb, &db, kvImageDoNotTile);
        if code != kvImageNoError {
            println!("| {} | error {code} | | | | | | | |", case.name);
            continue;
        }
        let from = random_bytes(src.data.len(), 7);
        let mut to = vec![0u8; from.len()];
        let mut memcpy = || {
            to.copy_from_slice(black_box(&from));
            black_box(&mut to);
        };
        let (t, tm, ratio, cpu) = alternate(
            reps,
            || {
                black_box((case.op)(black_box(&sb), &db, kvImageDoNotTile));
            },
            &mut memcpy,
        );
        let cpu_ms = CPU_MS.get();
        let (_, _, tiled, _) = alternate(
            reps,
            || {
                black_box((case.op)(black_box(&sb), &db, 0));
            },
            &mut memcpy,
        );
        let (yn, yr) = match case.yuv.and_then(libyuv) {
            Some(p) => {
                let (_, _, r, _) = alternate(reps, || p(&mut src, &mut dst), &mut memcpy);
                (case.yuv.unwrap_or(""), format!("{r:.2}"))
            }
            None => ("", String::new()),
        };
        let goal = case.goal.map_or(String::from("-"), |g| format!("{g:.1}"));
        println!(
            "| {} | {t:.1} | {tm:.2} | {ratio:.2} | {cpu_ms:.1} ({cpu:.2}) | {goal} | {tiled:.2} | {yn} | {yr} |",
            case.name
        );
        ours.push((case.name, ratio));
    }
    match std::process::Command::new("python3")
        .arg("-c")
        .arg(OPENCV)
        .output()
    {
        Ok(o) if o.status.success() => {
            println!(
                "\nOpenCV, 1 thread, each against its own copy of the source bytes (Lanczos4 warps do not widen when shrinking)\n"
            );
            println!("| operation | vimage ratio | OpenCV ratio |");
            println!("|---|---|---|");
            for line in String::from_utf8_lossy(&o.stdout).lines() {
                if let Some((name, r)) = line.split_once('\t') {
                    let mine = ours
                        .iter()
                        .find(|(n, _)| *n == name)
                        .map_or(String::from("-"), |(_, x)| format!("{x:.2}"));
                    println!("| {name} | {mine} | {r} |");
                }
            }
        }
        _ => println!("(python3 with cv2 and numpy not found: no OpenCV comparison)"),
    }
}
