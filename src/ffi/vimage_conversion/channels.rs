//! Conversion.h channel operations: permute, overwrite, select, extract, fill, copy, table
//! lookup.

use crate::ffi::buffers::{array, buffer, call, plane, size_of, source};
use crate::ops::channels;
use crate::types::*;

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImagePermuteChannels_ARGB8888(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    permuteMap: *const u8,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImagePermuteChannels_ARGB8888", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions and a 4-entry map (the C contract).
        let (s, d, map) = unsafe {
            (
                buffer(src, "src")?,
                buffer(dest, "dest")?,
                array::<u8, 4>(permuteMap, "permuteMap")?,
            )
        };
        let (w, h) = size_of(d);
        // SAFETY: the buffers describe caller memory (the C contract); geometry checked inside.
        let (dp, sp) = unsafe { (plane(d, w, h, 32, "dest")?, source(s, w, h, 32, "src")?) };
        channels::permute_8888(sp, dp, w, h, map, f)
    })
}
