//! Placeholder: the rotate benchmark replaces this file.
fn main() {}
