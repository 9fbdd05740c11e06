//! The colour engine: what a colour space is ([`def`]), and transforms between spaces.
//!
//! Nothing here is C ABI: every module is hidden from the header generator.

/// cbindgen:ignore
pub mod def;
/// cbindgen:ignore
pub mod icc;
/// cbindgen:ignore
pub mod named;
