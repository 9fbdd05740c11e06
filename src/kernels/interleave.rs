//! Row kernels of the interleave family (filled in with the family).
