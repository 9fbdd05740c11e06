//! Histogram.h entry points.
