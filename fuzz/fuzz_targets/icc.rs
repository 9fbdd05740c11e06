//! ICC profile bytes, random or a mutated profile this library wrote, through
//! CGColorSpaceCreateWithICCData (as CFData and as a data provider), then every query and copy.
//!
//! Invariants: no crash, no huge allocation (the reader's limits); a space that is made returns
//! exactly its source bytes from CopyICCData, has a model of 1, 3 or 4 components matching
//! GetNumberOfComponents, and its derived copies are NULL or spaces of the same model.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vimage::ffi::cf_base::{CFEqual, CFRelease};
use vimage::ffi::cf_data::{CFDataCreate, CFDataGetLength};
use vimage::ffi::cg_color_space::*;
use vimage::ffi::cg_data_provider::{CGDataProviderCreateWithCFData, CGDataProviderRelease};
use vimage::types::*;

fuzz_target!(|data: &[u8]| {
    // SAFETY: every pointer below comes from this library and is released once.
    unsafe {
        let d = CFDataCreate(CFAllocatorRef(std::ptr::null()), data.as_ptr(), data.len() as CFIndex);
        assert!(!d.is_null());
        let space = CGColorSpaceCreateWithICCData(d.cast());
        let provider = CGDataProviderCreateWithCFData(d);
        let via_provider = CGColorSpaceCreateWithICCData(provider.cast());
        assert_eq!(space.is_null(), via_provider.is_null());
        if !space.is_null() {
            assert!(CFEqual(space.cast(), via_provider.cast()) != 0);
            let model = CGColorSpaceGetModel(space);
            let n = CGColorSpaceGetNumberOfComponents(space);
            let expected = match model {
                kCGColorSpaceModelMonochrome => 1,
                kCGColorSpaceModelRGB | kCGColorSpaceModelLab | kCGColorSpaceModelXYZ => 3,
                kCGColorSpaceModelCMYK => 4,
                _ => panic!("model {model}"),
            };
            assert_eq!(n, expected);
            let _ = CGColorSpaceGetName(space);
            let _ = CGColorSpaceIsWideGamutRGB(space);
            let _ = CGColorSpaceSupportsOutput(space);
            let _ = CGColorSpaceUsesExtendedRange(space);
            let _ = CGColorSpaceIsPQBased(space);
            let copy = CGColorSpaceCopyICCData(space);
            assert!(!copy.is_null());
            assert!(CFEqual(copy.cast(), d.cast()) != 0, "CopyICCData gives the source bytes");
            CFRelease(copy.cast());
            for derived in [
                CGColorSpaceCreateLinearized(space),
                CGColorSpaceCreateExtended(space),
                CGColorSpaceCreateCopyWithStandardRange(space),
            ] {
                if !derived.is_null() {
                    assert_eq!(CGColorSpaceGetModel(derived), model);
                    // A derived matrix space writes a profile that reads back.
                    let icc = CGColorSpaceCopyICCData(derived);
                    if !icc.is_null() {
                        assert!(CFDataGetLength(icc) > 128);
                        let back = CGColorSpaceCreateWithICCData(icc.cast());
                        assert!(!back.is_null(), "a written profile reads back");
                        CGColorSpaceRelease(back);
                        CFRelease(icc.cast());
                    }
                    CGColorSpaceRelease(derived);
                }
            }
            let ix = CGColorSpaceCreateIndexed(space, 0, [0u8; 4].as_ptr());
            assert!(!ix.is_null());
            CGColorSpaceRelease(ix);
        }
        CGColorSpaceRelease(space);
        CGColorSpaceRelease(via_provider);
        CGDataProviderRelease(provider);
        CFRelease(d.cast());
    }
});
