//! Placeholder: the scale benchmark replaces this file.
fn main() {}
