//! Channel operations of Conversion.h: permute, overwrite, select, extract, fill, copy, table
//! lookup.

use crate::error::{Error, Result};
use crate::flags::Flags;
use crate::kernels::Kernel;
use crate::kernels::rows::{InPlace, Plane, run};

/// `vImagePermuteChannels_ARGB8888`: `dest[i] = src[map[i]]` (a gather); in place IP-B.
pub fn permute_8888(
    src: Plane,
    dst: Plane,
    width: usize,
    height: usize,
    map: [u8; 4],
    flags: Flags,
) -> Result<()> {
    if map.iter().any(|&m| m > 3) {
        return Err(Error::InvalidParameter("permuteMap entries must be 0...3"));
    }
    let kernel = Kernel::byte_map(4, 4, &map, &[]);
    run(
        [src],
        [dst],
        width,
        height,
        InPlace::SameStart,
        flags,
        |s, d, w| kernel.run(s[0], d[0], w),
    )
}
