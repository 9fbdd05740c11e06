//! Colour transform row kernels (placeholder).
