//! Geometry.h: shear entry points.
