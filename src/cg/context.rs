//! Bitmap contexts and drawing (placeholder).
