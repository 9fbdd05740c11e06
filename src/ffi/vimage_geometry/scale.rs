//! Geometry.h: scale entry points.
