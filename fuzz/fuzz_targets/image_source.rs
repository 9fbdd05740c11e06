//! CGImageSource on hostile bytes: PNG, JPEG and GIF files (the first byte picks a signature
//! to put in front, so most inputs reach a decoder), through the C API as programs use it.
//!
//! Invariants: no crash, no leak (ASan), no allocation past the decoded-size limit (set low
//! here); a source always exists; a decoded image has the size its properties report and a
//! known layout; thumbnails respect the max pixel size; a decoded image re-encodes as PNG and
//! decodes back to the same size.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vimage::io::codec::Kind;
use vimage::io::consumer::DataConsumer;
use vimage::io::destination::{ImageDestination, Target};
use vimage::io::properties::{Props, Value};
use vimage::io::source::{ImageSource, SourceOptions};

fuzz_target!(|data: &[u8]| {
    // SAFETY: set before any decoder thread runs, and only ever to this value.
    unsafe { std::env::set_var("VIMAGE_MAX_IMAGE_BYTES", "4000000") };
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let prefix: &[u8] = match selector % 4 {
        0 => b"\x89PNG\r\n\x1a\n",
        1 => &[0xFF, 0xD8],
        2 => b"GIF89a",
        _ => b"",
    };
    let mut bytes = prefix.to_vec();
    bytes.extend_from_slice(rest);
    let src = ImageSource::from_bytes(&bytes);
    let count = src.count();
    let _ = src.status();
    let _ = src.properties();
    for index in 0..count.min(3) {
        let _ = src.status_at(index);
        let props = src.properties_at(index).expect("a counted image has properties");
        let width = props.get("PixelWidth").and_then(Value::as_i64);
        if let Some(image) = src.create_image(index) {
            assert_eq!(Some(image.width() as i64), width);
            let consumer = DataConsumer::memory();
            let dst = ImageDestination::new(Kind::Png, 1, Target::Consumer(consumer.clone()));
            assert!(dst.add_image(image.clone(), Props::new()));
            if dst.finalize() {
                let back = ImageSource::from_bytes(&consumer.take()).create_image(0);
                let back = back.expect("our PNG decodes");
                assert_eq!((back.width(), back.height()), (image.width(), image.height()));
            }
        }
        let max = usize::from(selector >> 2).max(1);
        let o = SourceOptions {
            thumbnail_if_absent: selector & 16 != 0,
            thumbnail_always: selector & 32 != 0,
            max_pixel_size: Some(max),
            with_transform: selector & 64 != 0,
        };
        if let Some(t) = src.create_thumbnail(index, &o) {
            assert!(t.width().max(t.height()) <= max);
        }
    }
});
