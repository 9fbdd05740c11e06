//! The colour engine: what a colour space is ([`def`]), and transforms between spaces.

pub mod def;
pub mod transform;
