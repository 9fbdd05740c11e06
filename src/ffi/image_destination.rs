//! CGImageDestination.h (placeholder).
