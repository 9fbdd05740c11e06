//! Benchmarks of vImageScale_* (Lanczos3) beside fast_image_resize 6 in the same process.
//!
//! Run with `cargo bench --bench scale` (`VIMAGE_BENCH_REPS=N` to change the repetitions,
//! `VIMAGE_BENCH_FILTER=text` to run only the rows whose name contains `text`).
//!
//! `VIMAGE_BENCH_CPU=1` times with the calling thread's CPU clock instead of the wall clock
//! (steadier on a shared machine; the tiled column then counts only the calling thread).
//!
//! Every row is timed alternately with a `memcpy` of the source bytes in the same run; the
//! ratio is the median of the per-pair ratios. Ours runs through the exported C function with a
//! caller temp buffer (Apple's recommended fast path), single thread (`kvImageDoNotTile`) and
//! tiled. fast_image_resize runs single-threaded with Lanczos3 convolution and alpha handling
//! off (`use_alpha(false)`: all four channels resampled independently, as vImage does). A last
//! table gives the largest error of both against a float64 reference of the same kernel on a
//! small image of each kind.

use std::ffi::c_void;
use std::hint::black_box;

use fast_image_resize as fir;
use vimage::ffi::vimage_geometry::scale::*;
use vimage::geometry::lanczos::lanczos;
use vimage::types::*;

fn random_bytes(n: usize, seed: u64) -> Vec<u8> {
    let mut s = seed | 1;
    (0..n)
        .map(|_| {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            // Smooth-ish content: mostly small steps, like a photo.
            (s >> 56) as u8
        })
        .collect()
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Milliseconds on the clock the run uses (wall, or this thread's CPU time).
fn now_ms() -> f64 {
    static CPU: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    let cpu = *CPU.get_or_init(|| std::env::var("VIMAGE_BENCH_CPU").is_ok_and(|v| v == "1"));
    let clock = if cpu {
        libc::CLOCK_THREAD_CPUTIME_ID
    } else {
        libc::CLOCK_MONOTONIC
    };
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: t is a valid timespec to write.
    unsafe { libc::clock_gettime(clock, &mut t) };
    t.tv_sec as f64 * 1e3 + t.tv_nsec as f64 * 1e-6
}

/// Times `a` and `b` alternately `reps` times; medians of each (ms) and of the ratios a / b.
fn alternate(reps: usize, mut a: impl FnMut(), mut b: impl FnMut()) -> (f64, f64, f64) {
    a();
    b();
    let (mut ta, mut tb, mut ratio) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..reps {
        let run = |f: &mut dyn FnMut()| {
            let t = now_ms();
            f();
            now_ms() - t
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

type ScaleFn = unsafe extern "C" fn(
    *const vImage_Buffer,
    *const vImage_Buffer,
    *mut c_void,
    vImage_Flags,
) -> vImage_Error;

#[derive(Clone, Copy)]
struct Row {
    name: &'static str,
    sw: usize,
    sh: usize,
    dw: usize,
    dh: usize,
    /// Bytes per pixel; channels.
    bpp: usize,
    ch: usize,
    float: bool,
    f: ScaleFn,
    fir: fir::PixelType,
}

fn buffer(v: &mut [u8], w: usize, h: usize, bpp: usize) -> vImage_Buffer {
    vImage_Buffer {
        data: v.as_mut_ptr().cast(),
        height: h as _,
        width: w as _,
        rowBytes: w * bpp,
    }
}

/// Source bytes of a row's kind: floats in [0, 1) for the float formats.
fn source(r: &Row, w: usize, h: usize) -> Vec<u8> {
    let b = random_bytes(w * h * r.bpp, 42);
    if !r.float {
        return b;
    }
    b.chunks_exact(4)
        .flat_map(|c| (c[0] as f32 / 255.0).to_ne_bytes())
        .collect()
}

fn fir_resize(
    r: &Row,
    resizer: &mut fir::Resizer,
    src: &fir::images::Image,
    dst: &mut fir::images::Image,
) {
    let opts = fir::ResizeOptions::new()
        .resize_alg(fir::ResizeAlg::Convolution(fir::FilterType::Lanczos3))
        .use_alpha(false);
    let _ = r;
    resizer.resize(src, dst, &opts).unwrap();
}

/// Largest |error| against a float64 reference (pixel centres, widened kernel, clamped edges).
fn max_error(r: &Row, src: &[u8], sw: usize, sh: usize, out: &[u8], dw: usize, dh: usize) -> f64 {
    let get = |b: &[u8], i: usize| -> f64 {
        if r.float {
            f32::from_ne_bytes(b[4 * i..4 * i + 4].try_into().unwrap()) as f64 * 255.0
        } else {
            b[i] as f64
        }
    };
    let weights = |n_in: usize, n_out: usize, o: usize| -> Vec<(usize, f64)> {
        let rr = n_in as f64 / n_out as f64;
        let widen = rr.max(1.0);
        let c = (o as f64 + 0.5) * rr - 0.5;
        let mut v = Vec::new();
        let mut i = (c - 3.0 * widen).ceil() as i64;
        while i as f64 <= c + 3.0 * widen {
            v.push((
                i.clamp(0, n_in as i64 - 1) as usize,
                lanczos((i as f64 - c) / widen, 3.0),
            ));
            i += 1;
        }
        let s: f64 = v.iter().map(|p| p.1).sum();
        v.into_iter().map(|(i, w)| (i, w / s)).collect()
    };
    let mut worst = 0f64;
    for y in 0..dh {
        let wy = weights(sh, dh, y);
        for x in 0..dw {
            let wx = weights(sw, dw, x);
            for c in 0..r.ch {
                let mut v = 0.0;
                for &(j, b) in &wy {
                    for &(i, a) in &wx {
                        v += a * b * get(src, (j * sw + i) * r.ch + c);
                    }
                }
                let want = if r.float { v } else { v.clamp(0.0, 255.0) };
                worst = worst.max((get(out, (y * dw + x) * r.ch + c) - want).abs());
            }
        }
    }
    worst
}

fn main() {
    let reps: usize = std::env::var("VIMAGE_BENCH_REPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(15);
    let filter = std::env::var("VIMAGE_BENCH_FILTER").unwrap_or_default();
    let rows = [
        Row {
            name: "ARGB8888 3840x2160 -> 1920x1080",
            sw: 3840,
            sh: 2160,
            dw: 1920,
            dh: 1080,
            bpp: 4,
            ch: 4,
            float: false,
            f: vImageScale_ARGB8888,
            fir: fir::PixelType::U8x4,
        },
        Row {
            name: "ARGB8888 3840x2160 -> 1280x720",
            sw: 3840,
            sh: 2160,
            dw: 1280,
            dh: 720,
            bpp: 4,
            ch: 4,
            float: false,
            f: vImageScale_ARGB8888,
            fir: fir::PixelType::U8x4,
        },
        Row {
            name: "ARGB8888 1920x1080 -> 3840x2160",
            sw: 1920,
            sh: 1080,
            dw: 3840,
            dh: 2160,
            bpp: 4,
            ch: 4,
            float: false,
            f: vImageScale_ARGB8888,
            fir: fir::PixelType::U8x4,
        },
        Row {
            name: "Planar8 3840x2160 -> 1920x1080",
            sw: 3840,
            sh: 2160,
            dw: 1920,
            dh: 1080,
            bpp: 1,
            ch: 1,
            float: false,
            f: vImageScale_Planar8,
            fir: fir::PixelType::U8,
        },
        Row {
            name: "ARGBFFFF 3840x2160 -> 1920x1080",
            sw: 3840,
            sh: 2160,
            dw: 1920,
            dh: 1080,
            bpp: 16,
            ch: 4,
            float: true,
            f: vImageScale_ARGBFFFF,
            fir: fir::PixelType::F32x4,
        },
    ];
    println!(
        "Lanczos3, ratio = time / memcpy of the source bytes (median of {reps} alternating pairs)\n"
    );
    println!(
        "| operation | ms (1 thread) | memcpy ms | ratio | tiled ms | tiled ratio | fast_image_resize ms | fir ratio |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    let mut accuracy = Vec::new();
    for r in rows.iter().filter(|r| r.name.contains(&filter)) {
        let mut src = source(r, r.sw, r.sh);
        let mut dst = vec![0u8; r.dw * r.dh * r.bpp];
        let mut copy = vec![0u8; src.len()];
        let sb = buffer(&mut src, r.sw, r.sh, r.bpp);
        let db = buffer(&mut dst, r.dw, r.dh, r.bpp);
        // SAFETY: valid buffers; the temp buffers have the queried sizes.
        let run = |flags: u32, temp: &mut Vec<u8>| unsafe {
            let e = (r.f)(&sb, &db, temp.as_mut_ptr().cast(), flags);
            assert_eq!(e, 0);
        };
        // SAFETY: valid buffers.
        let n1 = unsafe {
            (r.f)(
                &sb,
                &db,
                std::ptr::null_mut(),
                kvImageDoNotTile | kvImageGetTempBufferSize,
            )
        };
        // SAFETY: valid buffers.
        let nt = unsafe { (r.f)(&sb, &db, std::ptr::null_mut(), kvImageGetTempBufferSize) };
        let (mut t1, mut tt) = (vec![0u8; n1 as usize], vec![0u8; nt as usize]);
        let src_copy = src.clone();
        let (ms, mc, ratio) = alternate(
            reps,
            || run(kvImageDoNotTile, &mut t1),
            || copy.copy_from_slice(black_box(&src_copy)),
        );
        let (tms, _, tratio) = alternate(
            reps,
            || run(0, &mut tt),
            || copy.copy_from_slice(black_box(&src_copy)),
        );
        // fast_image_resize, same bytes.
        let fsrc =
            fir::images::Image::from_vec_u8(r.sw as u32, r.sh as u32, src_copy.clone(), r.fir)
                .unwrap();
        let mut fdst = fir::images::Image::new(r.dw as u32, r.dh as u32, r.fir);
        let mut resizer = fir::Resizer::new();
        let (fms, _, fratio) = alternate(
            reps,
            || fir_resize(r, &mut resizer, &fsrc, &mut fdst),
            || copy.copy_from_slice(black_box(&src_copy)),
        );
        println!(
            "| {} | {ms:.2} | {mc:.2} | {ratio:.2} | {tms:.2} | {tratio:.2} | {fms:.2} | {fratio:.2} |",
            r.name
        );
        // Accuracy on a 1/10-size image of the same ratio.
        let (sw, sh, dw, dh) = (r.sw / 10, r.sh / 10, r.dw / 10, r.dh / 10);
        let mut s = source(r, sw, sh);
        let mut o = vec![0u8; dw * dh * r.bpp];
        let (sb, ob) = (buffer(&mut s, sw, sh, r.bpp), buffer(&mut o, dw, dh, r.bpp));
        // SAFETY: valid buffers.
        assert_eq!(unsafe { (r.f)(&sb, &ob, std::ptr::null_mut(), 0) }, 0);
        let fs = fir::images::Image::from_vec_u8(sw as u32, sh as u32, s.clone(), r.fir).unwrap();
        let mut fd = fir::images::Image::new(dw as u32, dh as u32, r.fir);
        fir_resize(r, &mut resizer, &fs, &mut fd);
        let unit = if r.float { " (x255)" } else { "" };
        accuracy.push(format!(
            "| {} | {:.3}{unit} | {:.3}{unit} |",
            r.name,
            max_error(r, &s, sw, sh, &o, dw, dh),
            max_error(r, &s, sw, sh, fd.buffer(), dw, dh)
        ));
    }
    println!(
        "\nLargest error against a float64 Lanczos3 reference, 1/10-size images (8-bit codes)\n"
    );
    println!("| operation | vimage | fast_image_resize |");
    println!("|---|---|---|");
    for a in accuracy {
        println!("{a}");
    }
}
