//! Benchmarks of Histogram.h and the Transform.h curves on 3840x2160 images.
//!
//! Run with `cargo bench --bench curves` (`VIMAGE_BENCH_REPS=N`, `VIMAGE_BENCH_CLOCK=cpu` to
//! time by the calling thread's CPU time on a loaded machine). Every row runs single-threaded
//! (`kvImageDoNotTile`) through the exported C function, alternately with a memcpy of the
//! source bytes in the same run; the ratio is the median of the per-pair ratios. OpenCV's
//! nearest functions (`calcHist`, `equalizeHist`, `LUT`, `pow`) run from an inline python3
//! script when cv2 and numpy import, against their own copy of the same bytes.

use std::hint::black_box;

use vimage::ffi::vimage_histogram::*;
use vimage::ffi::vimage_transform::curves::*;
use vimage::types::*;

mod common;
use common::alternate;

const W: usize = 3840;
const H: usize = 2160;

fn buf(data: &mut [u8], width: usize, bpp: usize) -> vImage_Buffer {
    vImage_Buffer {
        data: data.as_mut_ptr().cast(),
        height: H as vImagePixelCount,
        width: width as vImagePixelCount,
        rowBytes: width * bpp,
    }
}

const OPENCV: &str = r#"
import os, time
import cv2, numpy as np
cv2.setNumThreads(1)
W, H = 3840, 2160
reps = int(os.environ.get("VIMAGE_BENCH_REPS", "11"))
clock = time.thread_time if os.environ.get("VIMAGE_BENCH_CLOCK") == "cpu" else time.perf_counter
rng = np.random.default_rng(3)
p8 = rng.integers(0, 256, (H, W), dtype=np.uint8)
argb = rng.integers(0, 256, (H, W, 4), dtype=np.uint8)
pf = rng.random((H, W), dtype=np.float32)
lut = np.linspace(0, 1, 256, dtype=np.float32)
def ratio(f, src):
    dst = np.empty_like(src)
    f(); np.copyto(dst, src)
    r = []
    for _ in range(reps):
        t = clock(); f(); a = clock() - t
        t = clock(); np.copyto(dst, src); b = clock() - t
        r.append(a / b)
    return sorted(r)[len(r) // 2]
rows = [
    ("HistogramCalculation_ARGB8888", "calcHist x4", lambda: [cv2.calcHist([argb], [c], None, [256], [0, 256]) for c in range(4)], argb),
    ("Equalization_Planar8", "equalizeHist", lambda: cv2.equalizeHist(p8), p8),
    ("LookupTable_Planar8toPlanarF", "LUT to float32", lambda: cv2.LUT(p8, lut), p8),
    ("Gamma_PlanarF (2.2)", "cv2.pow", lambda: cv2.pow(pf, 2.2), pf),
]
for name, fn, f, src in rows:
    print(f"{name}\t{fn}\t{ratio(f, src):.2f}")
"#;

fn main() {
    let reps: usize = std::env::var("VIMAGE_BENCH_REPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(11);
    let cpu = std::env::var("VIMAGE_BENCH_CLOCK").is_ok_and(|v| v == "cpu");
    let f = kvImageDoNotTile;
    let mut s8: Vec<u8> = (0..W * H)
        .map(|i| (i as u32).wrapping_mul(2654435761) as u8)
        .collect();
    let mut s32: Vec<u8> = (0..W * H * 4)
        .map(|i| (i as u32).wrapping_mul(2246822519) as u8)
        .collect();
    let mut sf: Vec<u8> = (0..W * H)
        .flat_map(|i| ((i % 4093) as f32 / 4093.0).to_ne_bytes())
        .collect();
    let mut d8 = vec![0u8; W * H];
    let mut df = vec![0u8; W * H * 4];
    let table: Vec<f32> = (0..256).map(|i| i as f32 / 255.0).collect();
    let mut hist = vec![[0 as vImagePixelCount; 256]; 4];
    // SAFETY: plain values; returns NULL on bad arguments.
    let gamma = unsafe { vImageCreateGammaFunction(2.2, 0, 0) }; // kvImageGamma_UseGammaValue
    assert!(!gamma.is_null());

    println!(
        "3840x2160, 1 thread (kvImageDoNotTile), median of {reps}; ratio = time / memcpy of the source bytes, same run{}\n",
        if cpu { "; thread CPU time" } else { "" }
    );
    println!("| operation | ms | memcpy ms | ratio |");
    println!("|---|---:|---:|---:|");
    let row = |name: &str, src_bytes: usize, op: &mut dyn FnMut()| {
        let from = vec![1u8; src_bytes];
        let mut to = vec![0u8; src_bytes];
        let (t, tm, r) = alternate(reps, cpu, op, || {
            to.copy_from_slice(&from);
            black_box(&mut to);
        });
        println!("| {name} | {t:.2} | {tm:.2} | {r:.2} |");
    };
    let (b8, b32, bf) = (buf(&mut s8, W, 1), buf(&mut s32, W, 4), buf(&mut sf, W, 4));
    let (o8, of) = (buf(&mut d8, W, 1), buf(&mut df, W, 4));
    row("HistogramCalculation_ARGB8888", W * H * 4, &mut || {
        let mut p: [*mut vImagePixelCount; 4] = [
            hist[0].as_mut_ptr(),
            hist[1].as_mut_ptr(),
            hist[2].as_mut_ptr(),
            hist[3].as_mut_ptr(),
        ];
        // SAFETY: valid buffers and four 256-entry arrays.
        assert_eq!(
            unsafe { vImageHistogramCalculation_ARGB8888(&b32, p.as_mut_ptr(), f) },
            0
        );
    });
    row("Equalization_Planar8", W * H, &mut || {
        // SAFETY: valid, same-size buffers.
        assert_eq!(unsafe { vImageEqualization_Planar8(&b8, &o8, f) }, 0);
    });
    row("LookupTable_Planar8toPlanarF", W * H, &mut || {
        // SAFETY: valid buffers and a 256-entry table.
        assert_eq!(
            unsafe { vImageLookupTable_Planar8toPlanarF(&b8, &of, table.as_ptr(), f) },
            0
        );
    });
    row("Gamma_PlanarF (2.2)", W * H * 4, &mut || {
        // SAFETY: valid buffers and a gamma function made above.
        assert_eq!(unsafe { vImageGamma_PlanarF(&bf, &of, gamma, f) }, 0);
    });
    row("PiecewiseGamma_Planar8 (sRGB)", W * H, &mut || {
        let (e, l) = ([1.0f32 / 1.055, 0.055 / 1.055, 0.0], [1.0f32 / 12.92, 0.0]);
        // SAFETY: valid buffers and coefficient arrays.
        assert_eq!(
            unsafe { vImagePiecewiseGamma_Planar8(&b8, &o8, e.as_ptr(), 2.4, l.as_ptr(), 10, f) },
            0
        );
    });
    // SAFETY: made by vImageCreateGammaFunction above, destroyed once.
    unsafe { vImageDestroyGammaFunction(gamma) };

    match std::process::Command::new("python3")
        .args(["-c", OPENCV])
        .output()
    {
        Ok(o) if o.status.success() => {
            println!("\nOpenCV 1 thread, against its own copy of the same source bytes\n");
            println!("| operation | OpenCV function | OpenCV ratio |");
            println!("|---|---|---:|");
            for line in String::from_utf8_lossy(&o.stdout).lines() {
                let v: Vec<&str> = line.split('\t').collect();
                if v.len() == 3 {
                    println!("| {} | {} | {} |", v[0], v[1], v[2]);
                }
            }
        }
        _ => println!("\n(python3 with cv2 and numpy not found: no OpenCV comparison)"),
    }
}
