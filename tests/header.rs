//! The checked-in header must be exactly what cbindgen writes from the current sources.

#[test]
fn checked_in_header_matches_cbindgen() {
    let fresh_path = concat!(env!("OUT_DIR"), "/vimage.h");
    let fresh = std::fs::read_to_string(fresh_path)
        .expect("build.rs writes OUT_DIR/vimage.h; see its warnings if it is missing");
    let checked_in =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/include/vimage.h"))
            .expect("include/vimage.h");
    if fresh != checked_in {
        let line = fresh
            .lines()
            .zip(checked_in.lines())
            .position(|(a, b)| a != b)
            .map_or_else(|| "the end".to_string(), |i| format!("line {}", i + 1));
        panic!(
            "include/vimage.h differs from cbindgen's output (first difference at {line}); run `VIMAGE_BLESS_HEADER=1 cargo build` and commit the header"
        );
    }
}

#[test]
fn header_declares_every_exported_function() {
    let header =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/include/vimage.h")).unwrap();
    for name in [
        "vImageCreateCGImageFromBuffer(",
        "vImageBuffer_Init(",
        "vImageBuffer_GetSize(",
        "vImageBuffer_InitWithCGImage(",
        "vImageCGImageFormat_GetComponentCount(",
        "vImageCGImageFormat_IsEqual(",
        "CGImageCreate(",
        "CGImageCreateWithImageInRect(",
        "CGDataProviderCreateWithData(",
        "CGColorSpaceCreateWithName(",
        "CFRetain(",
        "CFDataCreate(",
        "CFStringGetCString(",
        "extern const CFStringRef kCGColorSpaceSRGB;",
        "extern const CFAllocatorRef kCFAllocatorDefault;",
    ] {
        assert!(header.contains(name), "include/vimage.h lacks {name}");
    }
}
