//! Row kernels of the packed family (filled in with the family).
