//! Placeholder: the convolution benchmark replaces this file.
fn main() {}
