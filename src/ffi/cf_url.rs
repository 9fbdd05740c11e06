//! CFURL.h (placeholder).
