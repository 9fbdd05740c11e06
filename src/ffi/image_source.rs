//! CGImageSource.h (placeholder).
