//! CFArray.h (placeholder).
