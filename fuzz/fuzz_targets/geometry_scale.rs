//! Placeholder: the geometry_scale family's fuzz target replaces this file.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|_data: &[u8]| {});
