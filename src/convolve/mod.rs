//! Convolution.h and Morphology.h, the safe core.

pub mod convolution;
pub mod morphology;
