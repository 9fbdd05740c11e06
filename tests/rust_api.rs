//! The safe Rust API: ownership of no-copy pixels, copies, sub-images, threads.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use vimage::cg::color_space::Known;
use vimage::types::*;
use vimage::{Cf, ColorSpace, Error, Image, ImageFormat};

/// Bytes whose drop is counted, standing in for a foreign buffer with a drop callback.
struct Counted {
    bytes: Vec<u8>,
    drops: Arc<AtomicUsize>,
    dropped_on: Arc<std::sync::Mutex<Option<std::thread::ThreadId>>>,
}

impl AsRef<[u8]> for Counted {
    fn as_ref(&self) -> &[u8] {
        &self.bytes
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        self.drops.fetch_add(1, Ordering::SeqCst);
        *self.dropped_on.lock().unwrap() = Some(std::thread::current().id());
    }
}

fn rgba() -> ImageFormat {
    ImageFormat::new(8, 32, kCGImageAlphaPremultipliedLast)
}

fn counted(
    len: usize,
) -> (
    Counted,
    Arc<AtomicUsize>,
    Arc<std::sync::Mutex<Option<std::thread::ThreadId>>>,
) {
    let drops = Arc::new(AtomicUsize::new(0));
    let on = Arc::new(std::sync::Mutex::new(None));
    let bytes = (0..len).map(|i| i as u8).collect();
    (
        Counted {
            bytes,
            drops: drops.clone(),
            dropped_on: on.clone(),
        },
        drops,
        on,
    )
}

#[test]
fn owner_is_dropped_once_after_the_last_holder() {
    let (owner, drops, _) = counted(4 * 4 * 3);
    let image = Image::from_owner(&rgba(), 4, 3, 16, owner).unwrap();
    let copy = image.copy();
    let rect = CGRect {
        origin: CGPoint { x: 1.0, y: 1.0 },
        size: CGSize {
            width: 2.0,
            height: 2.0,
        },
    };
    let sub = Image::crop(&image, rect).unwrap();
    let provider = image.provider().clone();
    assert_eq!(
        sub.row(0),
        &image.row(1)[4..12],
        "the sub-image reads the parent's pixels"
    );
    assert_eq!(
        sub.row(0).as_ptr(),
        image.row(1)[4..].as_ptr(),
        "no copy was made"
    );
    drop(image);
    drop(copy);
    drop(sub);
    assert_eq!(
        drops.load(Ordering::SeqCst),
        0,
        "the provider still holds the pixels"
    );
    drop(provider);
    assert_eq!(drops.load(Ordering::SeqCst), 1);
}

#[test]
fn owner_drops_on_the_thread_that_releases_last() {
    let (owner, drops, on) = counted(16);
    let image = Image::from_owner(&rgba(), 2, 2, 8, owner).unwrap();
    let worker = std::thread::spawn(move || {
        drop(image);
        std::thread::current().id()
    });
    let worker_id = worker.join().unwrap();
    assert_eq!(drops.load(Ordering::SeqCst), 1);
    assert_eq!(*on.lock().unwrap(), Some(worker_id));
}

#[test]
fn copies_are_independent_of_the_source() {
    let mut pixels = vec![9u8; 3 * 20];
    let image = Image::from_pixels(&rgba(), 4, 3, 20, &pixels).unwrap();
    pixels.fill(0);
    assert_eq!(image.bytes_per_row(), 16, "copy mode stores tight rows");
    assert!(image.row(2).iter().all(|&b| b == 9));
}

#[test]
fn bad_formats_get_apples_codes() {
    let px = [0u8; 64];
    let code = |f: &ImageFormat, w, h, rb| Image::from_pixels(f, w, h, rb, &px).unwrap_err().code();
    assert_eq!(
        code(&ImageFormat::new(3, 24, 0), 1, 1, 4),
        kvImageInvalidParameter
    );
    assert_eq!(
        code(&ImageFormat::new(8, 24, kCGImageAlphaFirst), 1, 1, 4),
        kvImageInvalidImageFormat
    );
    assert_eq!(
        code(
            &ImageFormat::new(8, 32, 0x4000_0000 | kCGImageAlphaFirst),
            1,
            1,
            4
        ),
        kvImageInvalidParameter
    );
    assert_eq!(
        code(&ImageFormat::new(8, 32, 9), 1, 1, 4),
        kvImageInvalidImageFormat
    );
    assert_eq!(
        code(
            &ImageFormat::new(8, 32, kCGImageAlphaFirst | kCGBitmapFloatComponents),
            1,
            1,
            4
        ),
        kvImageInvalidImageFormat
    );
    assert_eq!(code(&rgba(), 0, 1, 4), kvImageInvalidParameter);
    assert_eq!(code(&rgba(), 2, 1, 7), kvImageInvalidRowBytes);
    assert_eq!(code(&rgba(), 2, usize::MAX, 8), kvImageInvalidParameter);
    let mut intent = rgba();
    intent.rendering_intent = 5;
    assert_eq!(code(&intent, 1, 1, 4), kvImageInvalidImageFormat);
}

#[test]
fn rgba_rows_fit_exactly() {
    let px = [1u8; 64];
    assert!(Image::from_pixels(&rgba(), 4, 4, 16, &px).is_ok());
    assert_eq!(
        Image::from_pixels(&rgba(), 4, 5, 16, &px).unwrap_err(),
        Error::BufferSizeMismatch("fewer bytes than the rows need")
    );
}

#[test]
fn colour_spaces_default_to_srgb_and_keep_their_model() {
    let image = Image::from_pixels(&rgba(), 1, 1, 4, &[1, 2, 3, 4]).unwrap();
    assert_eq!(image.color_space().unwrap().name(), "kCGColorSpaceSRGB");
    let cmyk = ImageFormat::new(8, 32, kCGImageAlphaNone)
        .with_color_space(ColorSpace::create(Known::DeviceCmyk));
    let image = Image::from_pixels(&cmyk, 1, 1, 4, &[1, 2, 3, 4]).unwrap();
    assert_eq!(
        image.color_space().unwrap().name(),
        "kCGColorSpaceDeviceCMYK"
    );
    assert_eq!(cmyk.component_count(), 4);
    assert!(ColorSpace::with_name("kCGColorSpaceDisplayP3").is_some());
    assert!(ColorSpace::with_name("kCGColorSpaceGenericLab").is_some());
}

#[test]
fn concurrent_clones_and_drops_release_once() {
    let (owner, drops, _) = counted(8 * 8 * 4);
    let image = Image::from_owner(&rgba(), 8, 8, 32, owner).unwrap();
    let threads: Vec<_> = (0..4)
        .map(|t| {
            let image = image.clone();
            std::thread::spawn(move || {
                for i in 0..2000 {
                    let copy = image.copy();
                    let rect = CGRect {
                        origin: CGPoint {
                            x: (i % 8) as f64,
                            y: t as f64,
                        },
                        size: CGSize {
                            width: 1.0,
                            height: 1.0,
                        },
                    };
                    let sub = Image::crop(&copy, rect).unwrap();
                    assert_eq!(sub.row(0), &image.row(t)[(i % 8) * 4..(i % 8) * 4 + 4]);
                }
            })
        })
        .collect();
    drop(image);
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(drops.load(Ordering::SeqCst), 1);
}

#[test]
fn retain_counts_follow_clones() {
    let image = Image::from_pixels(&rgba(), 1, 1, 4, &[0; 4]).unwrap();
    assert_eq!(Cf::retain_count(&image), 1);
    let second = image.clone();
    assert_eq!(Cf::retain_count(&image), 2);
    let sub = Image::crop(
        &image,
        CGRect {
            origin: CGPoint::default(),
            size: CGSize {
                width: 1.0,
                height: 1.0,
            },
        },
    )
    .unwrap();
    assert_eq!(
        Cf::retain_count(&image),
        3,
        "a sub-image retains its parent"
    );
    drop((second, sub));
    assert_eq!(Cf::retain_count(&image), 1);
}
