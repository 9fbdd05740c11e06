//! vImageScale_*: separable Lanczos resampling of the whole source onto the whole destination.
