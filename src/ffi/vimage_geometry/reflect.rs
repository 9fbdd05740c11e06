//! Geometry.h: reflect entry points.
