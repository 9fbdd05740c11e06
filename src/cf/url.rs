//! CFURL (placeholder).
