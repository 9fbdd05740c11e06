//! Conversion.h, one file per family: channel operations, interleaving, depth, packed 16-bit
//! formats, flattening.

pub mod channels;
pub mod depth;
pub mod dither;
pub mod flatten;
pub mod interleave;
pub mod packed;
