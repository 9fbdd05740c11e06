//! Bitmap-context drawing against independent float64 references, where Rust is handier than
//! C: Lanczos scaling (Default / Medium = Lanczos3, High = Lanczos5) up and down, flipped and
//! scaled, the affine-warp path of a rotation, and an exhaustive premultiplied source-over
//! check of every (source alpha, destination alpha) pair in 8 bits.

use vimage::cg::context::{self, Context, Params, affine};
use vimage::cg::{ColorSpace, DataProvider, Image, ImageSpec};
use vimage::format::{ColorModel, PixelBits, PixelFormat};
use vimage::types::*;

fn rgb() -> vimage::Cf<ColorSpace> {
    ColorSpace::known(vimage::cg::color_space::Known::DeviceRgb)
}

fn context(w: usize, h: usize) -> vimage::Cf<Context> {
    Context::with_params(Params {
        width: w,
        height: h,
        bits_per_component: 8,
        bytes_per_row: 0,
        space: Some(rgb()),
        bitmap_info: kCGImageAlphaPremultipliedLast,
    })
    .expect("RGBA8 context")
}

/// An opaque RGBA8 image of `f(x, y) -> [r, g, b]`.
fn image(w: usize, h: usize, f: impl Fn(usize, usize) -> [u8; 3]) -> vimage::Cf<Image> {
    let mut bytes = Vec::with_capacity(w * h * 4);
    for y in 0..h {
        for x in 0..w {
            let [r, g, b] = f(x, y);
            bytes.extend_from_slice(&[r, g, b, 255]);
        }
    }
    let format = PixelFormat::new(
        8,
        32,
        ColorModel::Rgb,
        kCGImageAlphaNoneSkipLast,
        PixelBits::Exact,
    )
    .unwrap();
    let spec = ImageSpec {
        width: w,
        height: h,
        format,
        bytes_per_row: w * 4,
        color_space: Some(rgb()),
        decode: None,
        should_interpolate: true,
        intent: 0,
    };
    Image::new(spec, DataProvider::from_owner(bytes)).unwrap()
}

fn pixel(c: &Context, x: usize, r: usize) -> [u8; 4] {
    // SAFETY: the context's rows are bytes_per_row apart and hold width pixels of 4 bytes.
    let row =
        unsafe { std::slice::from_raw_parts(c.data().add(r * c.bytes_per_row()), c.width() * 4) };
    row[x * 4..x * 4 + 4].try_into().unwrap()
}

fn lanczos(x: f64, a: f64) -> f64 {
    let x = x.abs();
    if x >= a {
        return 0.0;
    }
    if x < 1e-12 {
        return 1.0;
    }
    let p = std::f64::consts::PI * x;
    a * p.sin() * (p / a).sin() / (p * p)
}

/// Normalised 1-D weights of output `d` of `n_in -> n_out` (pixel centres, kernel widened when
/// shrinking, edge indices clamped): (index, weight) pairs.
fn weights(d: usize, n_in: usize, n_out: usize, a: f64) -> Vec<(usize, f64)> {
    if n_in == n_out {
        return vec![(d, 1.0)];
    }
    let ratio = n_in as f64 / n_out as f64;
    let widen = ratio.max(1.0);
    let centre = (d as f64 + 0.5) * ratio - 0.5;
    let support = a * widen;
    let lo = (centre - support).ceil() as i64;
    let hi = (centre + support).floor() as i64;
    let mut w: Vec<(usize, f64)> = (lo..=hi)
        .map(|i| {
            (
                i.clamp(0, n_in as i64 - 1) as usize,
                lanczos((i as f64 - centre) / widen, a),
            )
        })
        .collect();
    let sum: f64 = w.iter().map(|p| p.1).sum();
    w.iter_mut().for_each(|p| p.1 /= sum);
    w
}

fn smooth(x: usize, y: usize) -> [u8; 3] {
    let (x, y) = (x as f64, y as f64);
    [
        (128.0 + 100.0 * (x * 0.37).sin() * (y * 0.21).cos()) as u8,
        (40.0 + 6.0 * x + 3.0 * y).min(255.0) as u8,
        (200.0 - 5.0 * y + 2.0 * (x * 0.9).sin()) as u8,
    ]
}

/// Worst difference between a Lanczos draw of `src` onto `dw x dh` and the float64 reference.
fn lanczos_error(sw: usize, sh: usize, dw: usize, dh: usize, quality: i32, flip: bool) -> i32 {
    let a = if quality == context::INTERPOLATION_HIGH {
        5.0
    } else {
        3.0
    };
    let img = image(sw, sh, smooth);
    let c = context(dw, dh);
    c.update(|g| g.quality = quality);
    if flip {
        c.concat_ctm(affine::translation(0.0, dh as f64));
        c.concat_ctm(affine::scale(1.0, -1.0));
    }
    let rect = CGRect {
        origin: CGPoint { x: 0.0, y: 0.0 },
        size: CGSize {
            width: dw as f64,
            height: dh as f64,
        },
    };
    c.draw_image(rect, &img);
    let mut worst = 0;
    for r in 0..dh {
        let wy = weights(r, sh, dh, a);
        for x in 0..dw {
            let wx = weights(x, sw, dw, a);
            let got = pixel(&c, x, if flip { dh - 1 - r } else { r });
            for (k, &g) in got.iter().enumerate().take(3) {
                let mut v = 0.0;
                for &(j, fy) in &wy {
                    for &(i, fx) in &wx {
                        v += fx * fy * smooth(i, j)[k] as f64;
                    }
                }
                let want = (v.clamp(0.0, 255.0) + 0.5).floor() as i32;
                worst = worst.max((g as i32 - want).abs());
            }
            assert_eq!(got[3], 255);
        }
    }
    worst
}

#[test]
fn lanczos_scaling_matches_a_float64_reference() {
    for quality in [
        context::INTERPOLATION_DEFAULT,
        context::INTERPOLATION_MEDIUM,
        context::INTERPOLATION_HIGH,
    ] {
        for (sw, sh, dw, dh) in [(13, 9, 31, 20), (40, 33, 17, 11), (16, 16, 16, 40)] {
            for flip in [false, true] {
                let e = lanczos_error(sw, sh, dw, dh, quality, flip);
                eprintln!("quality {quality} {sw}x{sh} -> {dw}x{dh} flip {flip}: worst {e}");
                assert!(
                    e <= 1,
                    "quality {quality} {sw}x{sh} -> {dw}x{dh} flip {flip}: off by {e}"
                );
            }
        }
    }
}

/// A 30-degree rotation goes through the affine warp (Lanczos3, edges extended): pixels well
/// inside the image match a float64 2-D Lanczos3 reference.
#[test]
fn rotation_by_an_arbitrary_angle_matches_a_float64_reference() {
    let (sw, sh) = (24, 20);
    let img = image(sw, sh, smooth);
    let (dw, dh) = (40, 40);
    let c = context(dw, dh);
    let ctm = affine::concat(
        affine::rotation(std::f64::consts::PI / 6.0),
        affine::translation(20.0, 20.0),
    );
    c.concat_ctm(ctm);
    let rect = CGRect {
        origin: CGPoint { x: -12.0, y: -10.0 },
        size: CGSize {
            width: 24.0,
            height: 20.0,
        },
    };
    c.draw_image(rect, &img);
    // Device memory (X, R) -> user (X, H - R) -> image memory (u, v).
    let inv = affine::invert(ctm).unwrap();
    let mut worst = 0;
    let mut checked = 0;
    let mut outside = 0;
    for r in 0..dh {
        for x in 0..dw {
            let (ux, uy) = affine::apply(&inv, x as f64 + 0.5, dh as f64 - r as f64 - 0.5);
            let (u, v) = (ux + 12.0, 10.0 - uy);
            let got = pixel(&c, x, r);
            if u < -0.01 || v < -0.01 || u > sw as f64 + 0.01 || v > sh as f64 + 0.01 {
                assert_eq!(got, [0, 0, 0, 0], "outside pixel ({x}, {r}) touched");
                outside += 1;
                continue;
            }
            let (fx, fy) = (u - 0.5, v - 0.5);
            if fx < 3.0 || fy < 3.0 || fx > sw as f64 - 4.0 || fy > sh as f64 - 4.0 {
                continue; // the edges are approximate (documented)
            }
            checked += 1;
            for (k, &g) in got.iter().enumerate().take(3) {
                let (mut acc, mut sum) = (0.0, 0.0);
                for j in (fy - 3.0).ceil() as i64..=(fy + 3.0).floor() as i64 {
                    for i in (fx - 3.0).ceil() as i64..=(fx + 3.0).floor() as i64 {
                        let w = lanczos(i as f64 - fx, 3.0) * lanczos(j as f64 - fy, 3.0);
                        acc += w * smooth(i as usize, j as usize)[k] as f64;
                        sum += w;
                    }
                }
                let want = (acc / sum).clamp(0.0, 255.0).round() as i32;
                worst = worst.max((g as i32 - want).abs());
            }
        }
    }
    eprintln!("warp: {checked} interior pixels, worst {worst}; {outside} outside untouched");
    assert!(checked > 100 && outside > 100);
    assert!(worst <= 1, "warp off by {worst}");
}

/// Every 8-bit (source alpha, destination alpha) pair: Normal = S + D(1 - Sa) on premultiplied
/// values, quantised to nearest; at most 1 away from the float64 formula.
#[test]
fn source_over_is_exact_to_one_unit_for_every_alpha_pair() {
    let c = context(256, 1);
    let rect = |x: f64| CGRect {
        origin: CGPoint { x, y: 0.0 },
        size: CGSize {
            width: 1.0,
            height: 1.0,
        },
    };
    let mut worst = 0;
    for sa in 0..256u32 {
        // Destination: alpha da, colours da * 3/4, da / 2, da.
        // SAFETY: one row of 256 RGBA pixels.
        let row = unsafe { std::slice::from_raw_parts_mut(c.data(), 256 * 4) };
        for da in 0..256usize {
            row[da * 4..da * 4 + 4].copy_from_slice(&[
                (da * 3 / 4) as u8,
                (da / 2) as u8,
                da as u8,
                da as u8,
            ]);
        }
        let a = sa as f64 / 255.0;
        let s = [0.8, 0.25, 0.5];
        c.set_fill(
            vimage::cg::color_space::Known::DeviceRgb,
            &[s[0], s[1], s[2], a],
        );
        for da in 0..256 {
            c.fill_rect(rect(da as f64));
        }
        for da in 0..256usize {
            let got = pixel(&c, da, 0);
            let d = [(da * 3 / 4) as f64, (da / 2) as f64, da as f64, da as f64];
            for k in 0..4 {
                // The fill colour is quantised by nobody before compositing: float all the way.
                let sk = if k < 3 { s[k] * a } else { a };
                let want = ((sk + d[k] / 255.0 * (1.0 - a)) * 255.0 + 0.5).floor() as i32;
                worst = worst.max((got[k] as i32 - want).abs());
            }
        }
    }
    eprintln!("source-over: worst {worst}");
    assert!(worst <= 1, "source-over off by {worst}");
}

/// Fuzz finding: after several quarter turns and half-pixel translations, the computed fourth
/// corner of a placement rounded across a pixel edge and the region started one pixel before
/// the covered span. Every quality, many offsets: no panic, and only covered pixels change.
#[test]
fn half_pixel_placements_after_quarter_turns_stay_inside_their_span() {
    let img = image(5, 5, smooth);
    for turns in 0..8 {
        for quality in 0..5 {
            for k in 0..6 {
                let c = context(7, 7);
                c.update(|g| g.quality = quality);
                for _ in 0..turns {
                    c.concat_ctm(affine::rotation(3.0 * std::f64::consts::FRAC_PI_2));
                }
                c.concat_ctm(affine::translation(-0.5, -0.5 * k as f64));
                let rect = CGRect {
                    origin: CGPoint {
                        x: -0.5 + k as f64 * 0.25,
                        y: -5.6e-60,
                    },
                    size: CGSize {
                        width: 104.0,
                        height: 25.75,
                    },
                };
                c.draw_image(rect, &img);
                c.fill_rect(rect);
                c.clear_rect(rect);
            }
        }
    }
}
