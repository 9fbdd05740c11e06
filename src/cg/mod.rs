//! The CoreGraphics objects: images, data providers, colour spaces.

pub mod color_space;
pub mod context;
pub mod geometry;
pub mod image;
pub mod provider;

pub use color_space::ColorSpace;
pub use image::{Image, ImageSpec};
pub use provider::DataProvider;
