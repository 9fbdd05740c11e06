//! Geometry.h: rotate90 entry points.
