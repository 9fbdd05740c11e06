//! CFNumber.h (placeholder).
