//! CFDictionary (placeholder).
