//! Resampling filters (vImageNewResamplingFilter and friends).
