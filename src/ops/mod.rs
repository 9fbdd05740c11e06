//! vImage's pixel operations, the safe core behind `ffi::vimage_alpha` and
//! `ffi::vimage_conversion`: each function takes checked [`Plane`](crate::kernels::rows::Plane)s,
//! checks the operation's own arguments (maps, masks, ranges), and runs a row kernel of
//! [`crate::kernels`] through the shared row driver.

pub mod alpha;
pub mod channels;
pub mod depth;
pub mod dither;
pub mod interleave;
pub mod packed;
