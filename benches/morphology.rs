//! Placeholder: the morphology benchmark replaces this file.
fn main() {}
