//! CGBitmapContext.h and CGContext.h (placeholder).
