//! # vimage
//!
//! A drop-in, C-ABI-identical replacement for the part of Apple's Accelerate framework that
//! moves pixels between vImage buffers and CoreGraphics images: `vImageCreateCGImageFromBuffer`
//! (copy and no-copy), `vImageBuffer_Init`, `vImageBuffer_InitWithCGImage` and the CoreGraphics /
//! CoreFoundation objects they touch.
//!
//! C programs include `<Accelerate/Accelerate.h>` (or `<vImage/vImage.h>`,
//! `<CoreGraphics/CoreGraphics.h>`) from `include/` and link `libvimage`. Rust programs use the
//! safe API below; the C functions are in [`ffi`].
//!
//! ```
//! use vimage::{Image, ImageFormat, types::kCGImageAlphaNoneSkipLast};
//! // Take ownership of a Vec without copying; it is dropped with the last image holding it.
//! let xrgb = ImageFormat::new(8, 32, kCGImageAlphaNoneSkipLast);
//! let image = Image::from_owner(&xrgb, 2, 2, 8, vec![7u8; 16])?;
//! let cropped = Image::crop(&image, vimage::types::CGRect {
//!     origin: vimage::types::CGPoint { x: 1.0, y: 0.0 },
//!     size: vimage::types::CGSize { width: 1.0, height: 2.0 },
//! }).expect("inside the image");
//! assert_eq!((cropped.width(), cropped.height()), (1, 2));
//! # Ok::<(), vimage::Error>(())
//! ```

#![deny(unsafe_op_in_unsafe_fn)]
#![allow(non_upper_case_globals)] // Apple's constant names appear in patterns throughout

pub mod alloc;
pub mod bridge;
pub mod buffer;
pub mod cf;
pub mod cg;
pub mod color;
pub mod convert;
pub mod convolve;
pub mod error;
pub mod ffi;
pub mod flags;
pub mod format;
pub mod geometry;
pub mod histogram;
pub mod io;
pub mod kernels;
pub mod ops;
pub mod transform;
pub mod types;

pub use cf::{Cf, CfString, Data};
pub use cg::{ColorSpace, DataProvider, Image};
pub use error::{Error, Result};
pub use flags::Flags;
pub use format::ImageFormat;
