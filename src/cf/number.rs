//! CFNumber and CFBoolean (placeholder).
