//! Histogram.h: histograms, equalization, contrast stretch, specification.
