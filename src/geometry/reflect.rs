//! vImageHorizontalReflect_* / vImageVerticalReflect_*.
