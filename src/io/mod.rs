//! ImageIO: image sources ([`source`]), destinations ([`destination`]), data consumers
//! ([`consumer`]) and the codecs behind them ([`codec`]: PNG through image-rs's `png`, JPEG through
//! `zune-jpeg` / `jpeg-encoder`, GIF through `gif`).
//!
//! # Decoded-size limit
//!
//! No image is decoded whose pixels would take more than [`max_image_bytes`] bytes
//! (default 2^28 = 256 MiB, the pixels of an 8192 x 8192 RGBA image). The size is checked
//! from the header, before anything is allocated, so a decompression bomb or a forged header
//! costs nothing: the image is NULL. The environment variable `VIMAGE_MAX_IMAGE_BYTES` (a
//! decimal byte count) raises or lowers the limit; it is read at every decode.

pub mod cfconv;
pub mod codec;
pub mod consumer;
pub mod destination;
pub mod exif;
pub mod icc;
pub mod orient;
pub mod properties;
pub mod source;

pub use codec::{Kind, Status};
pub use consumer::DataConsumer;
pub use destination::ImageDestination;
pub use properties::{Props, Value};
pub use source::ImageSource;

/// Default of [`max_image_bytes`]: 2^28 bytes of decoded pixels.
pub const DEFAULT_MAX_IMAGE_BYTES: usize = 1 << 28;

/// The largest decoded image, in bytes of pixels: `VIMAGE_MAX_IMAGE_BYTES` when it is set to a
/// number, else [`DEFAULT_MAX_IMAGE_BYTES`].
pub fn max_image_bytes() -> usize {
    std::env::var("VIMAGE_MAX_IMAGE_BYTES")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .unwrap_or(DEFAULT_MAX_IMAGE_BYTES)
}
