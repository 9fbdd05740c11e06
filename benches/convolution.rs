//! Benchmarks of Convolution.h on 3840x2160 images: box 3 / 21 / 81 and tent 21 on ARGB8888,
//! a 7x7 general convolution (ARGB8888), box 21 on Planar8, a 9-tap separable Planar8.
//!
//! Run with `cargo bench --bench convolution` (`VIMAGE_BENCH_REPS=N`, `VIMAGE_BENCH_FILTER=text`
//! as in benches/ops.rs). Every case runs through its exported C function with
//! `kvImageEdgeExtend`, single thread (`kvImageDoNotTile`), timed alternately with a `memcpy` of
//! the source bytes in the same run (ratio = median of the per-pair ratios); then tiled. Peers
//! on the same machine: libyuv `ARGBBlur` (dlopen of libyuv.so.0, its own edge rule) and OpenCV
//! (`cv2.blur`, `cv2.sepFilter2D` with the tent weights, `cv2.filter2D`; python3 with cv2, one
//! thread, `BORDER_REPLICATE`), each against a copy of the same bytes in its own process.

use std::ffi::c_void;
use std::hint::black_box;
use std::ptr::null_mut;
use std::time::Instant;

use vimage::ffi::vimage_convolution::*;
use vimage::types::*;

const WIDTH: usize = 3840;
const HEIGHT: usize = 2160;

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

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// CPU time of the calling thread, ms (time spent descheduled on a loaded machine excluded).
fn thread_cpu_ms() -> f64 {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: a valid timespec to fill.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
    t.tv_sec as f64 * 1e3 + t.tv_nsec as f64 * 1e-6
}

/// Medians of `alternate`: wall ms of a and b, the wall ratio a / b, and the same three in
/// thread CPU time (meaningful for single-thread runs).
struct Timing {
    ta: f64,
    tb: f64,
    ratio: f64,
    cpu_a: f64,
    cpu_ratio: f64,
}

/// Times `a` and `b` alternately `reps` times.
fn alternate(reps: usize, mut a: impl FnMut(), mut b: impl FnMut()) -> Timing {
    a();
    b();
    let (mut ta, mut tb, mut ratio) = (Vec::new(), Vec::new(), Vec::new());
    let (mut ca, mut cratio) = (Vec::new(), Vec::new());
    for i in 0..reps {
        let run = |f: &mut dyn FnMut()| {
            let c = thread_cpu_ms();
            let t = Instant::now();
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
        ratio.push(x.0 / y.0);
        ca.push(x.1);
        cratio.push(x.1 / y.1.max(1e-6));
    }
    Timing {
        ta: median(&mut ta),
        tb: median(&mut tb),
        ratio: median(&mut ratio),
        cpu_a: median(&mut ca),
        cpu_ratio: median(&mut cratio),
    }
}

type Op = Box<dyn Fn(&vImage_Buffer, &vImage_Buffer, vImage_Flags) -> vImage_Error>;

struct Case {
    name: &'static str,
    bpp: usize,
    op: Op,
    /// libyuv ARGBBlur radius, when it has the same kernel.
    yuv_radius: Option<i32>,
}

fn cases() -> Vec<Case> {
    let e = kvImageEdgeExtend;
    let k7: &'static [i16; 49] = Box::leak(Box::new(std::array::from_fn(|i| {
        [1, 2, 3, 4, 3, 2, 1][i / 7] * [1, 2, 3, 4, 3, 2, 1][i % 7]
    })));
    let k9: &'static [f32; 9] = &[0.02, 0.06, 0.12, 0.18, 0.24, 0.18, 0.12, 0.06, 0.02];
    let bx = |n: u32| -> Op {
        // SAFETY: the buffers, kernels and colours passed hold what the call reads and writes.
        Box::new(move |s, d, f| unsafe {
            vImageBoxConvolve_ARGB8888(s, d, null_mut(), 0, 0, n, n, std::ptr::null(), f | e)
        })
    };
    vec![
        Case {
            name: "BoxConvolve_ARGB8888 3x3",
            bpp: 4,
            op: bx(3),
            yuv_radius: Some(1),
        },
        Case {
            name: "BoxConvolve_ARGB8888 21x21",
            bpp: 4,
            op: bx(21),
            yuv_radius: Some(10),
        },
        Case {
            name: "BoxConvolve_ARGB8888 81x81",
            bpp: 4,
            op: bx(81),
            yuv_radius: Some(40),
        },
        Case {
            name: "TentConvolve_ARGB8888 21x21",
            bpp: 4,
            // SAFETY: the buffers, kernels and colours passed hold what the call reads and writes.
            op: Box::new(move |s, d, f| unsafe {
                vImageTentConvolve_ARGB8888(s, d, null_mut(), 0, 0, 21, 21, std::ptr::null(), f | e)
            }),
            yuv_radius: None,
        },
        Case {
            name: "Convolve_ARGB8888 7x7",
            bpp: 4,
            // SAFETY: the buffers, kernels and colours passed hold what the call reads and writes.
            op: Box::new(move |s, d, f| unsafe {
                vImageConvolve_ARGB8888(
                    s,
                    d,
                    null_mut(),
                    0,
                    0,
                    k7.as_ptr(),
                    7,
                    7,
                    256,
                    std::ptr::null(),
                    f | e,
                )
            }),
            yuv_radius: None,
        },
        Case {
            name: "BoxConvolve_Planar8 21x21",
            bpp: 1,
            // SAFETY: the buffers, kernels and colours passed hold what the call reads and writes.
            op: Box::new(move |s, d, f| unsafe {
                vImageBoxConvolve_Planar8(s, d, null_mut(), 0, 0, 21, 21, 0, f | e)
            }),
            yuv_radius: None,
        },
        Case {
            name: "SepConvolve_Planar8 9x9",
            bpp: 1,
            // SAFETY: the buffers, kernels and colours passed hold what the call reads and writes.
            op: Box::new(move |s, d, f| unsafe {
                vImageSepConvolve_Planar8(
                    s,
                    d,
                    null_mut(),
                    0,
                    0,
                    k9.as_ptr(),
                    9,
                    k9.as_ptr(),
                    9,
                    0.0,
                    0,
                    f | e,
                )
            }),
            yuv_radius: None,
        },
    ]
}

type ArgbBlur =
    unsafe extern "C" fn(*const u8, i32, *mut u8, i32, *mut i32, i32, i32, i32, i32) -> i32;

fn libyuv_blur() -> Option<ArgbBlur> {
    // SAFETY: dlopen / dlsym with NUL-terminated names; null results are handled. The handle
    // stays open for the process.
    unsafe {
        let h = libc::dlopen(c"libyuv.so.0".as_ptr(), libc::RTLD_NOW);
        if h.is_null() {
            return None;
        }
        let f = libc::dlsym(h, c"ARGBBlur".as_ptr());
        // SAFETY: libyuv's ARGBBlur (planar_functions.h) has exactly this C signature.
        (!f.is_null()).then(|| std::mem::transmute::<*mut c_void, ArgbBlur>(f))
    }
}

const OPENCV: &str = r#"
import os, time, cv2, numpy as np
W, H = 3840, 2160
REPS = int(os.environ.get("VIMAGE_BENCH_REPS", "11"))
cv2.setNumThreads(1)
rng = np.random.default_rng(7)
src = rng.integers(0, 256, size=(H, W, 4), dtype=np.uint8)
dst = np.empty_like(src)
a = rng.integers(0, 256, size=src.nbytes, dtype=np.uint8); b = np.empty_like(a)
copy = lambda: np.copyto(b, a)
def alt(f):
    f(); copy(); r = []; c = []
    for i in range(REPS):
        t0 = time.perf_counter(); c0 = time.thread_time(); f()
        t1 = time.perf_counter(); c1 = time.thread_time(); copy()
        t2 = time.perf_counter(); c2 = time.thread_time()
        r.append((t1 - t0) / (t2 - t1)); c.append((c1 - c0) / max(c2 - c1, 1e-9))
    r.sort(); c.sort(); return f"{r[len(r) // 2]:.2f}\t{c[len(c) // 2]:.2f}"
R = cv2.BORDER_REPLICATE
tent = np.array([min(i + 1, 21 - i) for i in range(21)], dtype=np.float32); tent /= tent.sum()
k7 = np.outer([1, 2, 3, 4, 3, 2, 1], [1, 2, 3, 4, 3, 2, 1]).astype(np.float32) / 256
for name, f in [
    ("BoxConvolve_ARGB8888 3x3", lambda: cv2.blur(src, (3, 3), dst=dst, borderType=R)),
    ("BoxConvolve_ARGB8888 21x21", lambda: cv2.blur(src, (21, 21), dst=dst, borderType=R)),
    ("BoxConvolve_ARGB8888 81x81", lambda: cv2.blur(src, (81, 81), dst=dst, borderType=R)),
    ("TentConvolve_ARGB8888 21x21", lambda: cv2.sepFilter2D(src, -1, tent, tent, dst=dst, borderType=R)),
    ("Convolve_ARGB8888 7x7", lambda: cv2.filter2D(src, -1, k7, dst=dst, borderType=R)),
]:
    print(f"{name}\t{alt(f)}", flush=True)
"#;

fn main() {
    let reps: usize = std::env::var("VIMAGE_BENCH_REPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(11);
    let filter = std::env::var("VIMAGE_BENCH_FILTER").unwrap_or_default();
    let yuv = libyuv_blur();
    println!(
        "3840x2160, kvImageEdgeExtend, median of {reps}; ratio = time / memcpy of the source bytes, same run; cpu = thread CPU time (descheduled time excluded)\n"
    );
    println!(
        "| operation | 1 thread ms | memcpy ms | ratio | 1 thread cpu ms | cpu ratio | tiled ms | tiled ratio | libyuv ARGBBlur ratio |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    let mut ours = Vec::new();
    for case in cases() {
        if !case.name.contains(&filter) {
            continue;
        }
        let n = WIDTH * HEIGHT * case.bpp;
        let mut src = random_bytes(n, 0x9e37_79b9);
        let mut dst = vec![1u8; n];
        let sb = vImage_Buffer {
            data: src.as_mut_ptr().cast(),
            height: HEIGHT as _,
            width: WIDTH as _,
            rowBytes: WIDTH * case.bpp,
        };
        let db = vImage_Buffer {
            data: dst.as_mut_ptr().cast(),
            height: HEIGHT as _,
            width: WIDTH as _,
            rowBytes: WIDTH * case.bpp,
        };
        let from = random_bytes(n, 7);
        let mut to = vec![0u8; n];
        let mut memcpy = || {
            to.copy_from_slice(black_box(&from));
            black_box(&mut to);
        };
        assert_eq!(
            (case.op)(&sb, &db, kvImageDoNotTile),
            kvImageNoError,
            "{}",
            case.name
        );
        let one = alternate(
            reps,
            || assert_eq!((case.op)(black_box(&sb), &db, kvImageDoNotTile), 0),
            &mut memcpy,
        );
        let (t, tm, ratio) = (one.ta, one.tb, one.ratio);
        let tiled = alternate(
            reps,
            || assert_eq!((case.op)(black_box(&sb), &db, 0), 0),
            &mut memcpy,
        );
        let (tt, rt) = (tiled.ta, tiled.ratio);
        let ry = match (case.yuv_radius, yuv) {
            (Some(r), Some(f)) => {
                let mut cumsum = vec![0i32; WIDTH * 4 * (HEIGHT + 1)];
                let yt = alternate(
                    reps,
                    // SAFETY: buffers of the documented sizes (cumsum: width * 4 int32 per row, height + 1 rows).
                    || unsafe {
                        f(
                            src.as_ptr(),
                            (WIDTH * 4) as i32,
                            dst.as_mut_ptr(),
                            (WIDTH * 4) as i32,
                            cumsum.as_mut_ptr(),
                            (WIDTH * 4) as i32,
                            WIDTH as i32,
                            HEIGHT as i32,
                            r,
                        );
                    },
                    &mut memcpy,
                );
                format!("{:.2} (cpu {:.2})", yt.ratio, yt.cpu_ratio)
            }
            _ => String::new(),
        };
        ours.push((case.name, ratio, one.cpu_ratio));
        println!(
            "| {} | {t:.2} | {tm:.2} | {ratio:.2} | {:.2} | {:.2} | {tt:.2} | {rt:.2} | {ry} |",
            case.name, one.cpu_a, one.cpu_ratio
        );
    }
    if yuv.is_none() {
        println!("(libyuv.so.0 not found: no libyuv comparison)");
    }
    match std::process::Command::new("python3")
        .arg("-c")
        .arg(OPENCV)
        .output()
    {
        Ok(o) if o.status.success() => {
            println!(
                "\nOpenCV 1 thread, BORDER_REPLICATE, against a copy of the same bytes in its process\n"
            );
            println!(
                "| operation | vimage ratio | OpenCV ratio | vimage cpu ratio | OpenCV cpu ratio |"
            );
            println!("|---|---|---|---|---|");
            for line in String::from_utf8_lossy(&o.stdout).lines() {
                let f: Vec<&str> = line.split('\t').collect();
                if let [name, r, rc] = f[..] {
                    let (mine, mine_c) = ours
                        .iter()
                        .find(|(n, _, _)| *n == name)
                        .map_or(("-".into(), "-".into()), |(_, r, c)| {
                            (format!("{r:.2}"), format!("{c:.2}"))
                        });
                    println!("| {name} | {mine} | {r} | {mine_c} | {rc} |");
                }
            }
        }
        _ => println!("(python3 with cv2 and numpy not found: no OpenCV comparison)"),
    }
}
