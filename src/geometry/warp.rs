//! vImageRotate_* and vImageAffineWarp_*: inverse-mapped Lanczos sampling.
