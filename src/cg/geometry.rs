//! CGRect arithmetic needed by `CGImageCreateWithImageInRect`.

use crate::types::CGRect;

/// `CGRectIntegral(rect)` intersected with `{0, 0, width, height}`, as pixel coordinates
/// `(x, y, w, h)`; `None` when the rectangle or the intersection is empty, or NaN.
pub fn integral_intersection(
    rect: CGRect,
    width: usize,
    height: usize,
) -> Option<(usize, usize, usize, usize)> {
    let CGRect { origin, size } = rect;
    // An empty request gets no image (CGRectIntegral would grow it to a whole pixel).
    if size.width == 0.0 || size.height == 0.0 {
        return None;
    }
    // Standardise: negative sizes extend the other way.
    let (x0, x1) = ordered(origin.x, origin.x + size.width);
    let (y0, y1) = ordered(origin.y, origin.y + size.height);
    if [x0, x1, y0, y1].iter().any(|v| v.is_nan()) {
        return None;
    }
    // CGRectIntegral: smallest integral rectangle containing the original.
    let (x0, y0, x1, y1) = (x0.floor(), y0.floor(), x1.ceil(), y1.ceil());
    let left = x0.max(0.0);
    let top = y0.max(0.0);
    let right = x1.min(width as f64);
    let bottom = y1.min(height as f64);
    if right <= left || bottom <= top {
        return None;
    }
    // All four lie in [0, width] / [0, height], so the casts are exact.
    Some((
        left as usize,
        top as usize,
        (right - left) as usize,
        (bottom - top) as usize,
    ))
}

fn ordered(a: f64, b: f64) -> (f64, f64) {
    if b < a { (b, a) } else { (a, b) }
}
