//! Row kernels of the depth family (filled in with the family).
