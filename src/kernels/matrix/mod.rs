//! Row kernels for matrix (one file per instruction set behind one dispatcher).
