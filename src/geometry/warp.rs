//! vImageRotate_* and vImageAffineWarp_*: inverse-mapped Lanczos sampling
//! ([`crate::kernels::warp::sample`]).
//!
//! Frame (Apple's, Geometry.h): both images have their origin at the bottom-left corner, +y up,
//! and the transform maps *source* points to *destination* points with row vectors
//! (`x' = a x + c y + tx`, `y' = b x + d y + ty`, CGAffineTransform's convention). Pixel
//! (column i, memory row r) of a `W x H` image covers `[i, i + 1] x [H - r - 1, H - r]`, so its
//! centre is `(i + 1/2, H - r - 1/2)` (our choice where Apple is silent). Each destination
//! pixel centre is mapped back through the inverse transform and sampled there with Lanczos3
//! (Lanczos5 with `kvImageHighQualityResampling`), widened by the local shrink factor.
//!
//! Rotation: positive angles turn the image counter-clockwise as displayed, about the centres
//! (source centre onto destination centre). Angles within 1e-6 (in sine or cosine) of a
//! multiple of 90 degrees snap to it, so quarter turns through this path are exact copies when
//! the parities match.
//!
//! Edges: `kvImageBackgroundColorFill` (also the choice when neither edge flag is given)
//! treats the area outside the source as the background colour; `kvImageEdgeExtend` repeats
//! the edge pixels; both flags are `kvImageInvalidEdgeStyle`. A singular or non-finite
//! transform (or angle) is `kvImageInvalidParameter`. An empty source leaves every destination
//! pixel the background colour, whatever the edge mode.

use crate::error::{Error, Result};
use crate::flags::Flags;
use crate::geometry::lanczos::Lanczos;
use crate::kernels::warp::sample::{Map, Params, warp};
use crate::kernels::warp::{Pair, Surface};

pub use crate::kernels::warp::sample::Format;

/// A forward affine transform `[a, b, c, d, tx, ty]` (source -> destination, row vectors).
pub type Transform = [f64; 6];

/// Whether the flags ask for edge extension (else background fill); both edge flags are an
/// error.
pub fn edge_extend(flags: Flags) -> Result<bool> {
    let bg = flags.contains(Flags::BACKGROUND_COLOR_FILL);
    let ex = flags.contains(Flags::EDGE_EXTEND);
    if bg && ex {
        return Err(Error::InvalidEdgeStyle(
            "kvImageBackgroundColorFill and kvImageEdgeExtend are exclusive",
        ));
    }
    Ok(ex)
}

/// Where each destination pixel samples the source, for transform `t` between a source `sh`
/// rows high and a destination `dh` rows high. Singular or non-finite transforms are errors.
pub fn map_of(t: Transform, sh: usize, dh: usize) -> Result<Map> {
    let [a, b, c, d, tx, ty] = t;
    if t.iter().any(|v| !v.is_finite()) {
        return Err(Error::InvalidParameter("transform has a non-finite entry"));
    }
    let det = a * d - b * c;
    let inv = 1.0 / det;
    if det == 0.0 || !inv.is_finite() || [a, b, c, d].iter().any(|v| !(v * inv).is_finite()) {
        return Err(Error::InvalidParameter("transform is singular"));
    }
    let (sh, dh) = (sh as f64, dh as f64);
    let (u, v) = (0.5 - tx, dh - 0.5 - ty);
    let x0 = (d * u - c * v) * inv - 0.5;
    let y0 = sh - (-b * u + a * v) * inv - 0.5;
    let m = Map {
        x0,
        xi: d * inv,
        xr: c * inv,
        y0,
        yi: b * inv,
        yr: a * inv,
    };
    if [m.x0, m.y0].iter().any(|v| !v.is_finite()) {
        return Err(Error::InvalidParameter("transform is singular"));
    }
    Ok(m)
}

/// The forward transform of a rotation by `angle` radians (counter-clockwise as displayed)
/// about the centres of a `sw x sh` source and a `dw x dh` destination.
pub fn rotation(angle: f32, sw: usize, sh: usize, dw: usize, dh: usize) -> Result<Transform> {
    if !angle.is_finite() {
        return Err(Error::InvalidParameter("angleInRadians is not finite"));
    }
    let (mut s, mut c) = (angle as f64).sin_cos();
    if s.abs() < 1e-6 {
        (s, c) = (0.0, c.signum());
    } else if c.abs() < 1e-6 {
        (s, c) = (s.signum(), 0.0);
    }
    let (cx, cy) = (sw as f64 / 2.0, sh as f64 / 2.0);
    let (dx, dy) = (dw as f64 / 2.0, dh as f64 / 2.0);
    Ok([c, s, -s, c, dx - (c * cx - s * cy), dy - (s * cx + c * cy)])
}

/// `vImageAffineWarp_*` (all three matrix types arrive as f64). `back` holds the background
/// colour's values (one per channel), needed (else `kvImageNullPointerArgument`) unless the
/// edges extend. No scratch is needed: `kvImageGetTempBufferSize` returns 0 after the checks.
pub fn affine(
    src: Surface,
    dst: Surface,
    format: Format,
    t: Transform,
    back: Option<[f32; 4]>,
    flags: Flags,
) -> Result<()> {
    if src.bpp() != format.bpp() || dst.bpp() != format.bpp() {
        return Err(Error::Internal("pixel size does not match the format"));
    }
    let extend = edge_extend(flags)?;
    let pair = Pair::new(src, dst).ok_or(Error::InvalidParameter(
        "source and destination overlap; this function does not work in place",
    ))?;
    let map = map_of(t, src.height(), dst.height())?;
    let extend = extend && src.width() > 0 && src.height() > 0;
    let back = match back {
        Some(b) => b,
        None if !extend => return Err(Error::NullPointer("backColor")),
        None => [0.0; 4],
    };
    if flags.contains(Flags::GET_TEMP_BUFFER_SIZE) || dst.width() == 0 || dst.height() == 0 {
        return Ok(());
    }
    let radius = Lanczos::from_flags(flags.bits()).radius() as usize;
    let prm = Params {
        map,
        radius,
        extend,
        back,
    };
    warp(&pair, format, &prm, !flags.contains(Flags::DO_NOT_TILE));
    Ok(())
}

/// `vImageRotate_*`: [`affine`] with [`rotation`]'s transform.
pub fn rotate(
    src: Surface,
    dst: Surface,
    format: Format,
    angle: f32,
    back: Option<[f32; 4]>,
    flags: Flags,
) -> Result<()> {
    let t = rotation(angle, src.width(), src.height(), dst.width(), dst.height())?;
    affine(src, dst, format, t, back, flags)
}
