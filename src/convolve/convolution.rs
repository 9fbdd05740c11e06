//! Convolution.h: general, with-bias, multi-kernel, box, tent, separable convolution.
