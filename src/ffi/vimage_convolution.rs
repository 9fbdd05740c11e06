//! Convolution.h entry points.
