//! Geometry.h, one file per family: scale, shear and resampling filters, quarter turns,
//! reflections, rotation by any angle and affine warps.

pub mod reflect;
pub mod rotate90;
pub mod scale;
pub mod shear;
pub mod warp;
