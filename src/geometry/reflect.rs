//! vImageHorizontalReflect_* / vImageVerticalReflect_*: mirror images, exact pixel copies.
//!
//! The destination defines the size; the source must be at least as large
//! (`kvImageRoiLargerThanInputBuffer` otherwise) and its top-left destination-sized region is
//! mirrored, as in the other one-to-one operations. Not in place (overlap is
//! `kvImageInvalidParameter`).

use crate::error::{Error, Result};
use crate::flags::Flags;
use crate::kernels::warp::{Pair, Surface, horizontal_reflect, vertical_reflect};

fn pair(src: Surface, dst: Surface) -> Result<Pair> {
    if src.bpp() != dst.bpp() {
        return Err(Error::Internal("source and destination pixel sizes differ"));
    }
    if src.width() < dst.width() || src.height() < dst.height() {
        return Err(Error::RoiLargerThanInput("src"));
    }
    Pair::new(src, dst).ok_or(Error::InvalidParameter(
        "source and destination overlap; this function does not work in place",
    ))
}

fn run(src: Surface, dst: Surface, flags: Flags, kernel: fn(&Pair, bool)) -> Result<()> {
    let p = pair(src, dst)?;
    if flags.contains(Flags::GET_TEMP_BUFFER_SIZE) || dst.width() == 0 || dst.height() == 0 {
        return Ok(());
    }
    kernel(&p, !flags.contains(Flags::DO_NOT_TILE));
    Ok(())
}

/// `dest(x, y) = src(W - 1 - x, y)`, `W` the destination's width.
pub fn horizontal(src: Surface, dst: Surface, flags: Flags) -> Result<()> {
    run(src, dst, flags, horizontal_reflect)
}

/// `dest(x, y) = src(x, H - 1 - y)`, `H` the destination's height.
pub fn vertical(src: Surface, dst: Surface, flags: Flags) -> Result<()> {
    run(src, dst, flags, vertical_reflect)
}
