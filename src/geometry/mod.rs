//! Geometry.h, the safe core: resampling kernels, scale and shear (one-axis resampling through
//! filters), rotate by quarter turns, rotate by any angle and affine warps, reflections.

pub mod filter;
pub mod lanczos;
pub mod reflect;
pub mod rotate90;
pub mod scale;
pub mod shear;
pub mod warp;
