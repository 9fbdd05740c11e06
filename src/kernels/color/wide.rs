//! 16-bit and float colour kernels (matrix/TRC and gray/TRC transforms).
