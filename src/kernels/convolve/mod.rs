//! Row kernels for convolve (one file per instruction set behind one dispatcher).
