//! Morphology.h: dilate, erode, max, min.
