//! Morphology.h entry points.
