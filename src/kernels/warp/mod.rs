//! Row kernels for warp (one file per instruction set behind one dispatcher).
