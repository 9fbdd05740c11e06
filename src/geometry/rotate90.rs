//! vImageRotate90_*: quarter turns about the centres, crop or fill.
