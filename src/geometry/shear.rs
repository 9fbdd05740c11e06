//! vImageHorizontalShear_* / vImageVerticalShear_*: one-axis resampling through a
//! `ResamplingFilter`, with a translation and a shear.
//!
//! The sampling equation (Apple does not state one; ours, in memory coordinates with pixel
//! centres at `i + 0.5`, `(ox, oy)` = `srcOffsetToROI_X/Y`, `s` the filter's scale):
//! - horizontal: destination pixel `(dx, r)` reads source row `oy + r` at column position
//!   `u = ox + (dx + 0.5 - xTranslate - shearSlope * (r + 0.5)) / s - 0.5`;
//! - vertical: destination pixel `(c, dy)` reads source column `ox + c` at row position
//!   `v = oy + (dy + 0.5 - yTranslate - shearSlope * (c + 0.5)) / s - 0.5`.
//!
//! So scale and flip are anchored at the region's left (top) edge, translations are in
//! destination pixels, and `s = 1`, slope 0, translate 0 copies the region. Source samples
//! past the buffer are the edge sample (`kvImageEdgeExtend`) or the background colour
//! (`kvImageBackgroundColorFill`, and when neither flag is given). Sums are float64; integer
//! formats round to nearest and clamp.

use super::filter::{FilterData, Scratch};
use super::scale::{Format, Img, check_no_overlap, decode, encode};
use crate::error::{Error, Result};
use crate::flags::Flags;
use crate::kernels::tile;

/// Which axis a shear resamples.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Axis {
    Horizontal,
    Vertical,
}

/// The geometry of one shear call.
#[derive(Clone, Copy, Debug)]
pub struct Shear {
    pub axis: Axis,
    /// `srcOffsetToROI_X`, `srcOffsetToROI_Y`.
    pub offset: (usize, usize),
    /// `xTranslate` (horizontal) or `yTranslate` (vertical).
    pub translate: f64,
    pub slope: f64,
}

/// A shear. `background` is one pixel of the format (its bytes) or `None` when the caller
/// passed none; it is needed unless `kvImageEdgeExtend` is set.
pub fn shear(
    src: &Img,
    dst: &Img,
    fmt: Format,
    g: Shear,
    filter: &FilterData,
    background: Option<&[u8]>,
    flags: Flags,
) -> Result<()> {
    check_no_overlap(src, dst)?;
    let edge = flags.contains(Flags::EDGE_EXTEND);
    if edge && flags.contains(Flags::BACKGROUND_COLOR_FILL) {
        return Err(Error::InvalidEdgeStyle(
            "kvImageEdgeExtend and kvImageBackgroundColorFill together",
        ));
    }
    let (ox, oy) = g.offset;
    match g.axis {
        Axis::Horizontal => {
            if oy > src.height {
                return Err(Error::InvalidOffsetY("srcOffsetToROI_Y past the source"));
            }
            if oy + dst.height > src.height {
                return Err(Error::RoiLargerThanInput("src rows for the destination"));
            }
        }
        Axis::Vertical => {
            if ox > src.width {
                return Err(Error::InvalidOffsetX("srcOffsetToROI_X past the source"));
            }
            if ox + dst.width > src.width {
                return Err(Error::RoiLargerThanInput("src columns for the destination"));
            }
        }
    }
    let c = fmt.channels;
    let mut back = [0f32; 4];
    if !edge {
        let b = background.ok_or(Error::NullPointer("backColor"))?;
        decode(fmt.sample, b, &mut back[..c]);
    }
    if flags.contains(Flags::GET_TEMP_BUFFER_SIZE) || dst.width == 0 || dst.height == 0 {
        return Ok(());
    }
    let tile_ok = !flags.contains(Flags::DO_NOT_TILE);
    tile::for_each_band(dst.width, dst.height, tile_ok, |band| {
        let mut s = Scratch::default();
        let bpp = fmt.bytes_per_pixel();
        let mut line = vec![0f32; src.width * c];
        let mut acc = vec![0f32; dst.width * c];
        let mut px = [0f32; 4];
        let inv = 1.0 / filter.scale;
        // Sample `i` of the source line `line` (length n), edge or background past the ends.
        let fetch = |line: &[f32], n: usize, i: i64, ch: usize| -> f32 {
            if i >= 0 && (i as usize) < n {
                line[i as usize * c + ch]
            } else if edge && n > 0 {
                line[i.clamp(0, n as i64 - 1) as usize * c + ch]
            } else {
                back[ch]
            }
        };
        for r in band {
            match g.axis {
                Axis::Horizontal => {
                    decode(fmt.sample, src.row(oy + r), &mut line);
                    let yc = r as f64 + 0.5;
                    for (dx, o) in acc.chunks_exact_mut(c).enumerate() {
                        let u =
                            ox as f64 + (dx as f64 + 0.5 - g.translate - g.slope * yc) * inv - 0.5;
                        let lo = filter.weights(u, &mut s);
                        for (ch, o) in o.iter_mut().enumerate() {
                            let mut a = 0f64;
                            for (k, &w) in s.w.iter().enumerate() {
                                a += w * fetch(&line, src.width, lo + k as i64, ch) as f64;
                            }
                            *o = a as f32;
                        }
                    }
                }
                Axis::Vertical => {
                    let yc = r as f64 + 0.5;
                    for (dx, o) in acc.chunks_exact_mut(c).enumerate() {
                        let v = oy as f64 + (yc - g.translate - g.slope * (dx as f64 + 0.5)) * inv
                            - 0.5;
                        let lo = filter.weights(v, &mut s);
                        let col = (ox + dx) * bpp;
                        let mut a = [0f64; 4];
                        for (k, &w) in s.w.iter().enumerate() {
                            let i = lo + k as i64;
                            let inside = i >= 0 && (i as usize) < src.height;
                            if inside || (edge && src.height > 0) {
                                let y = i.clamp(0, src.height as i64 - 1) as usize;
                                decode(fmt.sample, &src.row(y)[col..col + bpp], &mut px[..c]);
                            } else {
                                px = back;
                            }
                            for ch in 0..c {
                                a[ch] += w * px[ch] as f64;
                            }
                        }
                        for ch in 0..c {
                            o[ch] = a[ch] as f32;
                        }
                    }
                }
            }
            encode(fmt.sample, &acc, dst.row_mut(r));
        }
    });
    Ok(())
}
