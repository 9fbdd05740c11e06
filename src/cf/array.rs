//! CFArray (placeholder).
