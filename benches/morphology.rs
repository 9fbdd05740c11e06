//! Benchmarks of Morphology.h and the matrix multiplies on 3840x2160 images.
//!
//! Run with `cargo bench --bench morphology` (`VIMAGE_BENCH_REPS=N` repetitions,
//! `VIMAGE_BENCH_FILTER=text` to run only rows whose name contains `text`,
//! `VIMAGE_BENCH_CLOCK=cpu` to time single-thread rows, OpenCV and libyuv by thread CPU time
//! instead of wall time: on a shared machine a long call is preempted more often than its
//! short memcpy, which inflates wall-time ratios).
//!
//! Each row calls the exported C function with `kvImageDoNotTile` (single thread) timed
//! alternately with a memcpy of the source bytes in the same run (ratio = median of the
//! per-pair ratios), then tiled. Peers: libyuv `ARGBColorMatrix` (dlopen, when
//! `libyuv.so.0` is installed; int8 matrix / 64, so not the same arithmetic) and OpenCV
//! (`cv2.dilate` with a rectangle, `cv2.transform`) through an inline python3 script when cv2
//! imports, each against its own memcpy.

use std::ffi::c_void;
use std::hint::black_box;
use std::time::Instant;

use vimage::ffi::vimage_morphology::*;
use vimage::ffi::vimage_transform::matrix::*;
use vimage::types::*;

const W: usize = 3840;
const H: usize = 2160;

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

/// `VIMAGE_BENCH_CLOCK=cpu`: time single-thread rows by the calling thread's CPU time (robust
/// on a loaded machine, where a long call is more often preempted than its short memcpy).
fn cpu_clock() -> bool {
    std::env::var("VIMAGE_BENCH_CLOCK").is_ok_and(|v| v == "cpu")
}

fn thread_ms() -> f64 {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: a valid timespec out-pointer.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
    t.tv_sec as f64 * 1e3 + t.tv_nsec as f64 * 1e-6
}

/// Times `a` and `b` alternately; medians of each (ms) and of the ratios a / b. `cpu`: by
/// thread CPU time (only for calls that run on the calling thread).
fn alternate(reps: usize, cpu: bool, mut a: impl FnMut(), mut b: impl FnMut()) -> (f64, f64, f64) {
    a();
    b();
    let (mut ta, mut tb, mut r) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..reps {
        let time = |f: &mut dyn FnMut()| {
            if cpu {
                let t = thread_ms();
                f();
                return thread_ms() - t;
            }
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64() * 1e3
        };
        let (x, y) = if i % 2 == 0 {
            let x = time(&mut a);
            (x, time(&mut b))
        } else {
            let y = time(&mut b);
            (time(&mut a), y)
        };
        ta.push(x);
        tb.push(y);
        r.push(x / y);
    }
    (median(&mut ta), median(&mut tb), median(&mut r))
}

type Op = Box<dyn Fn(&vImage_Buffer, &vImage_Buffer, vImage_Flags) -> vImage_Error>;

/// UIImageEffects' saturation matrix (s = 1.8), rounded to 8.8 fixed point.
fn saturation() -> [i16; 16] {
    let s = 1.8f32;
    [
        0.0722 + 0.9278 * s,
        0.0722 - 0.0722 * s,
        0.0722 - 0.0722 * s,
        0.0,
        0.7152 - 0.7152 * s,
        0.7152 + 0.2848 * s,
        0.7152 - 0.7152 * s,
        0.0,
        0.2126 - 0.2126 * s,
        0.2126 - 0.2126 * s,
        0.2126 + 0.7873 * s,
        0.0,
        0.0,
        0.0,
        0.0,
        1.0,
    ]
    .map(|v: f32| (v * 256.0).round() as i16)
}

fn cases() -> Vec<(&'static str, usize, Op)> {
    let null = std::ptr::null_mut::<c_void>();
    let m = saturation();
    let mf: [f32; 16] = m.map(|v| v as f32 / 256.0);
    let k3: [u8; 9] = [40, 10, 40, 10, 0, 10, 40, 10, 40];
    vec![
        (
            "Max_ARGB8888 3x3",
            4,
            // SAFETY: live 3840x2160 buffers, arrays of the documented lengths.
            Box::new(move |s, d, f| unsafe { vImageMax_ARGB8888(s, d, null, 0, 0, 3, 3, f) }),
        ),
        (
            "Max_ARGB8888 21x21",
            4,
            // SAFETY: live 3840x2160 buffers, arrays of the documented lengths.
            Box::new(move |s, d, f| unsafe { vImageMax_ARGB8888(s, d, null, 0, 0, 21, 21, f) }),
        ),
        (
            "Min_Planar8 21x21",
            1,
            // SAFETY: live 3840x2160 buffers, arrays of the documented lengths.
            Box::new(move |s, d, f| unsafe { vImageMin_Planar8(s, d, null, 0, 0, 21, 21, f) }),
        ),
        (
            "Dilate_ARGB8888 3x3 non-flat",
            4,
            // SAFETY: live 3840x2160 buffers, arrays of the documented lengths.
            Box::new(move |s, d, f| unsafe {
                vImageDilate_ARGB8888(s, d, 0, 0, k3.as_ptr(), 3, 3, f)
            }),
        ),
        (
            "MatrixMultiply_ARGB8888 saturation",
            4,
            // SAFETY: live 3840x2160 buffers, arrays of the documented lengths.
            Box::new(move |s, d, f| unsafe {
                vImageMatrixMultiply_ARGB8888(
                    s,
                    d,
                    m.as_ptr(),
                    256,
                    std::ptr::null(),
                    std::ptr::null(),
                    f,
                )
            }),
        ),
        (
            "MatrixMultiply_ARGBFFFF",
            16,
            // SAFETY: live 3840x2160 buffers, arrays of the documented lengths.
            Box::new(move |s, d, f| unsafe {
                vImageMatrixMultiply_ARGBFFFF(
                    s,
                    d,
                    mf.as_ptr(),
                    std::ptr::null(),
                    std::ptr::null(),
                    f,
                )
            }),
        ),
    ]
}

type ColorMatrix = unsafe extern "C" fn(*const u8, i32, *mut u8, i32, *const i8, i32, i32) -> i32;

fn libyuv_color_matrix() -> Option<ColorMatrix> {
    // SAFETY: dlopen / dlsym with NUL-terminated names; null results handled.
    unsafe {
        let h = libc::dlopen(c"libyuv.so.0".as_ptr(), libc::RTLD_NOW);
        if h.is_null() {
            return None;
        }
        let f = libc::dlsym(h, c"ARGBColorMatrix".as_ptr());
        // SAFETY: libyuv's ARGBColorMatrix has this C signature (planar_functions.h).
        (!f.is_null()).then(|| std::mem::transmute::<*mut c_void, ColorMatrix>(f))
    }
}

const OPENCV: &str = r#"
import os, sys, time
import cv2, numpy as np
W, H = 3840, 2160
REPS = int(os.environ.get("VIMAGE_BENCH_REPS", "11"))
cv2.setNumThreads(1)
clock = time.thread_time if os.environ.get("VIMAGE_BENCH_CLOCK") == "cpu" else time.perf_counter
rng = np.random.default_rng(7)
def alt(f, nbytes):
    src = rng.integers(0, 256, size=nbytes, dtype=np.uint8); dst = np.empty_like(src)
    cp = lambda: np.copyto(dst, src)
    f(); cp(); r = []
    for i in range(REPS):
        t = []
        for g in ((f, cp) if i % 2 == 0 else (cp, f)):
            s = clock(); g(); t.append(clock() - s)
        a, b = (t[0], t[1]) if i % 2 == 0 else (t[1], t[0])
        r.append(a / b)
    r.sort(); return r[len(r) // 2]
img = rng.integers(0, 256, size=(H, W, 4), dtype=np.uint8); out = np.empty_like(img)
g1 = rng.integers(0, 256, size=(H, W), dtype=np.uint8); o1 = np.empty_like(g1)
k3 = np.ones((3, 3), np.uint8); k21 = np.ones((21, 21), np.uint8)
m = np.array([[0.1, 0.2, 0.3, 0], [0.4, 0.5, 0.6, 0], [0.7, 0.8, 0.9, 0], [0, 0, 0, 1]], np.float32)
fimg = rng.random((H, W, 4), dtype=np.float32); fout = np.empty_like(fimg)
print("Max_ARGB8888 3x3\tcv2.dilate rect\t%.2f" % alt(lambda: cv2.dilate(img, k3, dst=out), img.nbytes), flush=True)
print("Max_ARGB8888 21x21\tcv2.dilate rect\t%.2f" % alt(lambda: cv2.dilate(img, k21, dst=out), img.nbytes), flush=True)
print("Min_Planar8 21x21\tcv2.erode rect\t%.2f" % alt(lambda: cv2.erode(g1, k21, dst=o1), g1.nbytes), flush=True)
print("MatrixMultiply_ARGB8888 saturation\tcv2.transform\t%.2f" % alt(lambda: cv2.transform(img, m, dst=out), img.nbytes), flush=True)
print("MatrixMultiply_ARGBFFFF\tcv2.transform\t%.2f" % alt(lambda: cv2.transform(fimg, m, dst=fout), fimg.nbytes), flush=True)
"#;

fn main() {
    let reps: usize = std::env::var("VIMAGE_BENCH_REPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(11);
    let filter = std::env::var("VIMAGE_BENCH_FILTER").unwrap_or_default();
    println!("{W}x{H}, median of {reps}; ratio = time / memcpy of the source bytes, same run\n");
    println!(
        "| operation | 1 thread ms | memcpy ms | ratio | tiled ms | tiled ratio | peer | peer ratio |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    let yuv = libyuv_color_matrix();
    for (name, bpp, op) in cases() {
        if !name.contains(&filter) {
            continue;
        }
        let mut src = random_bytes(W * H * bpp, 0x9e37);
        if bpp == 16 {
            for c in src.chunks_exact_mut(4) {
                let v = (u32::from_le_bytes([c[0], c[1], c[2], c[3]]) >> 8) as f32 / 16777215.0;
                c.copy_from_slice(&v.to_ne_bytes());
            }
        }
        let mut dst = vec![0u8; W * H * bpp];
        let buf = |p: &mut Vec<u8>| vImage_Buffer {
            data: p.as_mut_ptr().cast(),
            height: H as _,
            width: W as _,
            rowBytes: W * bpp,
        };
        let (sb, db) = (buf(&mut src), buf(&mut dst));
        let from = random_bytes(src.len(), 7);
        let mut to = vec![0u8; src.len()];
        let mut memcpy = || {
            to.copy_from_slice(black_box(&from));
            black_box(&mut to);
        };
        let code = op(&sb, &db, kvImageDoNotTile);
        if code != 0 {
            println!("| {name} | error {code} | | | | | | |");
            continue;
        }
        let (t, tm, r) = alternate(
            reps,
            cpu_clock(),
            || {
                black_box(op(black_box(&sb), &db, kvImageDoNotTile));
            },
            &mut memcpy,
        );
        let (tt, _, rt) = alternate(
            reps,
            false,
            || {
                black_box(op(black_box(&sb), &db, 0));
            },
            &mut memcpy,
        );
        let (pn, pr) = match (name.starts_with("MatrixMultiply_ARGB8888"), yuv) {
            (true, Some(f)) => {
                let m8: [i8; 16] = [16, 2, 2, 0, 2, 16, 2, 0, 2, 2, 16, 0, 0, 0, 0, 64];
                let (_, _, ry) = alternate(
                    reps,
                    cpu_clock(),
                    || {
                        // SAFETY: 3840x2160 ARGB buffers, a 16-entry matrix.
                        unsafe {
                            f(
                                src.as_ptr(),
                                (W * 4) as i32,
                                dst.as_mut_ptr(),
                                (W * 4) as i32,
                                m8.as_ptr(),
                                W as i32,
                                H as i32,
                            )
                        };
                    },
                    &mut memcpy,
                );
                ("libyuv ARGBColorMatrix", format!("{ry:.2}"))
            }
            _ => ("", String::new()),
        };
        println!("| {name} | {t:.2} | {tm:.2} | {r:.2} | {tt:.2} | {rt:.2} | {pn} | {pr} |");
    }
    match std::process::Command::new("python3")
        .args(["-c", OPENCV])
        .output()
    {
        Ok(o) if o.status.success() => {
            println!("\nOpenCV, 1 thread, against its own memcpy of the source bytes\n");
            println!("| operation | OpenCV function | OpenCV ratio |");
            println!("|---|---|---|");
            for line in String::from_utf8_lossy(&o.stdout).lines() {
                let f: Vec<&str> = line.split('\t').collect();
                if f.len() == 3 && f[0].contains(&filter) {
                    println!("| {} | {} | {} |", f[0], f[1], f[2]);
                }
            }
        }
        _ => println!("(python3 with cv2 and numpy not found: no OpenCV comparison)"),
    }
}
