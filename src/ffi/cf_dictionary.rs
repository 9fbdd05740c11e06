//! CFDictionary.h (placeholder).
