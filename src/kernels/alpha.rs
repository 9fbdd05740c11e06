//! Row kernels of the alpha family (filled in with the family).
