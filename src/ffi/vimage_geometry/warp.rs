//! Geometry.h: warp entry points.
