//! Row kernels for resample (one file per instruction set behind one dispatcher).
