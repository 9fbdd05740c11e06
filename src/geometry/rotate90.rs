//! vImageRotate90_*: quarter turns about the centres, crop or fill.
//!
//! The raw rotation constant counts counter-clockwise quarter turns as displayed (row 0 at the
//! top): 0 copies, 1 turns 90 degrees counter-clockwise, 2 turns 180 degrees, 3 turns 90
//! degrees clockwise. Source and destination sizes are independent: the source centre lands
//! on the destination centre, source pixels falling outside are cropped and destination pixels
//! nothing covers get the background colour. Where a source dimension and its destination
//! counterpart differ in parity the source coordinate is half-way between two pixels; it is
//! rounded down (so the image sits half a pixel up / left of centre in the source's frame).
//! Every result is an exact copy of a source or background pixel.

use crate::error::{Error, Result};
use crate::flags::Flags;
use crate::kernels::warp::{Pair, QuarterTurn, Surface, rotate90 as kernel};

/// Named constants of Geometry.h (`kRotate*`).
pub const K_ROTATE_0_DEGREES_CLOCKWISE: u8 = 0;
pub const K_ROTATE_90_DEGREES_CLOCKWISE: u8 = 3;
pub const K_ROTATE_180_DEGREES_CLOCKWISE: u8 = 2;
pub const K_ROTATE_270_DEGREES_CLOCKWISE: u8 = 1;
pub const K_ROTATE_0_DEGREES_COUNTER_CLOCKWISE: u8 = 0;
pub const K_ROTATE_90_DEGREES_COUNTER_CLOCKWISE: u8 = 1;
pub const K_ROTATE_180_DEGREES_COUNTER_CLOCKWISE: u8 = 2;
pub const K_ROTATE_270_DEGREES_COUNTER_CLOCKWISE: u8 = 3;

/// Whether a quarter turn leaves some destination pixel without a source pixel.
pub fn needs_background(src: &Surface, dst: &Surface, turns: u8) -> bool {
    let (sw, sh, dw, dh) = (src.width(), src.height(), dst.width(), dst.height());
    if dw == 0 || dh == 0 {
        return false;
    }
    if turns & 1 == 0 {
        dw > sw || dh > sh
    } else {
        dw > sh || dh > sw
    }
}

/// `vImageRotate90_*` on pixels of `src.bpp()` bytes. `back` is one background pixel, needed
/// (else `kvImageNullPointerArgument`) only when the destination is not covered. Constants
/// above 3 are `kvImageInvalidParameter`; overlapping images too. Edge and resampling flags
/// are accepted and ignored.
pub fn rotate90(
    src: Surface,
    dst: Surface,
    rotation_constant: u8,
    back: Option<&[u8]>,
    flags: Flags,
) -> Result<()> {
    if rotation_constant > 3 {
        return Err(Error::InvalidParameter("rotationConstant must be 0...3"));
    }
    if src.bpp() != dst.bpp() {
        return Err(Error::Internal("source and destination pixel sizes differ"));
    }
    let pair = Pair::new(src, dst).ok_or(Error::InvalidParameter(
        "source and destination overlap; this function does not work in place",
    ))?;
    let zero = [0u8; 16];
    let back = match back {
        Some(b) => b,
        None if needs_background(&src, &dst, rotation_constant) => {
            return Err(Error::NullPointer("backColor"));
        }
        None => &zero[..src.bpp()],
    };
    if flags.contains(Flags::GET_TEMP_BUFFER_SIZE) || dst.width() == 0 || dst.height() == 0 {
        return Ok(());
    }
    let q = QuarterTurn::new(
        rotation_constant,
        src.width(),
        src.height(),
        dst.width(),
        dst.height(),
    );
    kernel(&pair, q, back, !flags.contains(Flags::DO_NOT_TILE));
    Ok(())
}
