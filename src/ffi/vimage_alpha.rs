//! Alpha.h: premultiply, unpremultiply, blends, clip to alpha.
