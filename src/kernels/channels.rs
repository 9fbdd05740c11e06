//! Row kernels of the channels family (filled in with the family).
