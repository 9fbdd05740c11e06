//! vImageHorizontalShear_* / vImageVerticalShear_*: one-axis resampling with a filter.
