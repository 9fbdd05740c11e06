//! PNG and JPEG decode / encode of a 3840x2160 photo-like RGBA image (smooth gradients and
//! noise) through our ImageIO (`ImageSource` -> CGImage, `ImageDestination` <- CGImage), beside
//! the codec crate alone in the same run, and Pillow (libjpeg-turbo; zlib for PNG) from an
//! inline python3 script when PIL imports. Each row is timed alternately with a memcpy of the
//! decoded pixels (33 MB); the ratio is the median of the per-pair ratios.
//!
//! Run with `cargo bench --bench codecs` (`VIMAGE_BENCH_REPS=N`, `VIMAGE_BENCH_CLOCK=cpu`).

use std::hint::black_box;
use std::io::Cursor;

use vimage::io::codec::Kind;
use vimage::io::consumer::DataConsumer;
use vimage::io::destination::{ImageDestination, Target};
use vimage::io::properties::Props;
use vimage::io::source::ImageSource;
use vimage::types::*;
use vimage::{Image, ImageFormat};

mod common;
use common::alternate;

const W: usize = 3840;
const H: usize = 2160;

/// Smooth gradients plus +-6 of noise, opaque.
fn photo() -> Vec<u8> {
    let mut px = vec![0u8; W * H * 4];
    let mut x32 = 0x1234_5678u32;
    for y in 0..H {
        for x in 0..W {
            x32 ^= x32 << 13;
            x32 ^= x32 >> 17;
            x32 ^= x32 << 5;
            let n = (x32 % 13) as i32 - 6;
            let p = &mut px[4 * (y * W + x)..4 * (y * W + x) + 4];
            p[0] = ((x * 255 / W) as i32 + n).clamp(0, 255) as u8;
            p[1] = ((y * 255 / H) as i32 - n).clamp(0, 255) as u8;
            p[2] = (((x + 2 * y) * 255 / (W + 2 * H)) as i32 + n / 2).clamp(0, 255) as u8;
            p[3] = 255;
        }
    }
    px
}

const PILLOW: &str = r#"
import io, os, sys, time
from PIL import Image
d = sys.argv[1]
reps = int(os.environ.get("VIMAGE_BENCH_REPS", "7"))
clock = time.thread_time if os.environ.get("VIMAGE_BENCH_CLOCK") == "cpu" else time.perf_counter
raw = open(d + "/photo.rgba", "rb").read()
W, H = 3840, 2160
img = Image.frombytes("RGBA", (W, H), raw)
rgb = img.convert("RGB")
png = open(d + "/photo.png", "rb").read()
jpg = open(d + "/photo.jpg", "rb").read()
src = bytearray(raw)
dst = bytearray(len(raw))
def copy():
    dst[:] = src
def median(v):
    v = sorted(v); return v[len(v) // 2]
def row(name, f):
    f(); copy()
    r = []
    for _ in range(reps):
        t = clock(); f(); a = clock() - t
        t = clock(); copy(); b = clock() - t
        r.append(a / b)
    print(name + "\t" + "%.2f" % median(r), flush=True)
row("PNG decode RGBA8", lambda: Image.open(io.BytesIO(png)).load())
row("PNG encode RGBA8 (compress_level 1)", lambda: img.save(io.BytesIO(), "PNG", compress_level=1))
row("JPEG decode RGB", lambda: Image.open(io.BytesIO(jpg)).load())
row("JPEG encode RGB q90", lambda: rgb.save(io.BytesIO(), "JPEG", quality=90))
"#;

fn main() {
    let reps: usize = std::env::var("VIMAGE_BENCH_REPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(7);
    let cpu = std::env::var("VIMAGE_BENCH_CLOCK").is_ok_and(|v| v == "cpu");
    let px = photo();
    let image = Image::from_pixels(
        &ImageFormat::new(8, 32, kCGImageAlphaLast),
        W,
        H,
        W * 4,
        &px,
    )
    .expect("image");
    let mut rgbx = px.clone();
    let rgbx_image = Image::from_pixels(
        &ImageFormat::new(8, 32, kCGImageAlphaNoneSkipLast),
        W,
        H,
        W * 4,
        &rgbx,
    )
    .expect("image");
    let mut copy_dst = vec![0u8; px.len()];
    let mut memcpy = || {
        copy_dst.copy_from_slice(black_box(&px));
        black_box(&copy_dst);
    };

    let encode = |kind: Kind, img: &vimage::Cf<Image>, props: Props| -> Vec<u8> {
        let c = DataConsumer::memory();
        let d = ImageDestination::new(kind, 1, Target::Consumer(c.clone()));
        d.add_image(img.clone(), props);
        assert!(d.finalize());
        c.take()
    };
    let mut q90 = Props::new();
    q90.float("kCGImageDestinationLossyCompressionQuality", 0.9);
    let png_file = encode(Kind::Png, &image, Props::new());
    let jpg_file = encode(Kind::Jpeg, &rgbx_image, q90.clone());
    println!(
        "codecs, {W}x{H} photo-like RGBA ({} MB of pixels): PNG {} KB, JPEG q0.9 {} KB; ratio = time / memcpy of the pixels",
        px.len() >> 20,
        png_file.len() >> 10,
        jpg_file.len() >> 10
    );
    let mut rows: Vec<(String, f64, f64)> = Vec::new();
    let mut report = |name: &str, (t, m, r): (f64, f64, f64)| {
        println!("{name:<44} {t:8.1} ms   memcpy {m:5.2} ms   ratio {r:7.2}");
        rows.push((name.to_string(), t, r));
    };

    report(
        "PNG decode, ImageSource -> CGImage",
        alternate(
            reps,
            cpu,
            || {
                let s = ImageSource::from_bytes(black_box(&png_file));
                black_box(s.create_image(0).expect("decodes"));
            },
            &mut memcpy,
        ),
    );
    report(
        "PNG decode, png crate alone",
        alternate(
            reps,
            cpu,
            || {
                let mut d = png::Decoder::new(Cursor::new(black_box(&png_file[..])));
                d.set_transformations(png::Transformations::EXPAND);
                let mut r = d.read_info().unwrap();
                let mut out = vec![0u8; r.output_buffer_size().unwrap()];
                r.next_frame(&mut out).unwrap();
                black_box(out);
            },
            &mut memcpy,
        ),
    );
    report(
        "PNG encode, CGImage -> ImageDestination",
        alternate(
            reps,
            cpu,
            || {
                black_box(encode(Kind::Png, &image, Props::new()));
            },
            &mut memcpy,
        ),
    );
    report(
        "PNG encode, png crate alone (Fast)",
        alternate(
            reps,
            cpu,
            || {
                let mut out = Vec::new();
                let mut e = png::Encoder::new(&mut out, W as u32, H as u32);
                e.set_color(png::ColorType::Rgba);
                e.set_compression(png::Compression::Fast);
                let mut w = e.write_header().unwrap();
                w.write_image_data(black_box(&px)).unwrap();
                w.finish().unwrap();
                black_box(out);
            },
            &mut memcpy,
        ),
    );
    report(
        "JPEG decode, ImageSource -> CGImage (RGBX)",
        alternate(
            reps,
            cpu,
            || {
                let s = ImageSource::from_bytes(black_box(&jpg_file));
                black_box(s.create_image(0).expect("decodes"));
            },
            &mut memcpy,
        ),
    );
    report(
        "JPEG decode, zune-jpeg alone (RGBA)",
        alternate(
            reps,
            cpu,
            || {
                use zune_jpeg::zune_core::{
                    bytestream::ZCursor, colorspace::ColorSpace, options::DecoderOptions,
                };
                let o = DecoderOptions::default().jpeg_set_out_colorspace(ColorSpace::RGBA);
                let mut d =
                    zune_jpeg::JpegDecoder::new_with_options(ZCursor::new(&jpg_file[..]), o);
                black_box(d.decode().unwrap());
            },
            &mut memcpy,
        ),
    );
    report(
        "JPEG encode q0.9, CGImage -> ImageDestination",
        alternate(
            reps,
            cpu,
            || {
                black_box(encode(Kind::Jpeg, &rgbx_image, q90.clone()));
            },
            &mut memcpy,
        ),
    );
    report(
        "JPEG encode q90, jpeg-encoder alone (RGBX)",
        alternate(
            reps,
            cpu,
            || {
                let mut out = Vec::new();
                let e = jpeg_encoder::Encoder::new(&mut out, 90);
                e.encode(
                    black_box(&rgbx),
                    W as u16,
                    H as u16,
                    jpeg_encoder::ColorType::Rgba,
                )
                .unwrap();
                black_box(out);
            },
            &mut memcpy,
        ),
    );
    rgbx.clear();

    // Pillow (libjpeg-turbo, zlib), on the same files.
    let dir = std::env::temp_dir().join(format!("vimage-codecs-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let ok = std::fs::write(dir.join("photo.rgba"), &px).is_ok()
        && std::fs::write(dir.join("photo.png"), &png_file).is_ok()
        && std::fs::write(dir.join("photo.jpg"), &jpg_file).is_ok();
    let out = ok
        .then(|| {
            std::process::Command::new("python3")
                .args(["-c", PILLOW, dir.to_str().unwrap_or(".")])
                .output()
                .ok()
        })
        .flatten();
    match out {
        Some(o) if o.status.success() => {
            for line in String::from_utf8_lossy(&o.stdout).lines() {
                if let Some((name, ratio)) = line.split_once('\t') {
                    println!("Pillow {name:<37} {:>41}", format!("ratio {ratio}"));
                }
            }
        }
        _ => println!("Pillow: skipped (python3 cannot import PIL: pip install pillow)"),
    }
    let _ = std::fs::remove_dir_all(&dir);
}
