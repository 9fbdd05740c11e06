//! CGAffineTransform arithmetic (CGAffineTransform.h): row vectors, `x' = a x + c y + tx`,
//! `y' = b x + d y + ty`; `concat(t1, t2)` applies `t1` first.

use crate::types::{CGAffineTransform, CGFloat, CGRect};

pub const IDENTITY: CGAffineTransform = CGAffineTransform {
    a: 1.0,
    b: 0.0,
    c: 0.0,
    d: 1.0,
    tx: 0.0,
    ty: 0.0,
};

pub fn make(
    a: CGFloat,
    b: CGFloat,
    c: CGFloat,
    d: CGFloat,
    tx: CGFloat,
    ty: CGFloat,
) -> CGAffineTransform {
    CGAffineTransform { a, b, c, d, tx, ty }
}

pub fn translation(tx: CGFloat, ty: CGFloat) -> CGAffineTransform {
    make(1.0, 0.0, 0.0, 1.0, tx, ty)
}

pub fn scale(sx: CGFloat, sy: CGFloat) -> CGAffineTransform {
    make(sx, 0.0, 0.0, sy, 0.0, 0.0)
}

/// Counter-clockwise by `angle` radians (y up).
pub fn rotation(angle: CGFloat) -> CGAffineTransform {
    let (s, c) = angle.sin_cos();
    make(c, s, -s, c, 0.0, 0.0)
}

/// `t1` then `t2` (`CGAffineTransformConcat(t1, t2)`).
pub fn concat(t1: CGAffineTransform, t2: CGAffineTransform) -> CGAffineTransform {
    CGAffineTransform {
        a: t1.a * t2.a + t1.b * t2.c,
        b: t1.a * t2.b + t1.b * t2.d,
        c: t1.c * t2.a + t1.d * t2.c,
        d: t1.c * t2.b + t1.d * t2.d,
        tx: t1.tx * t2.a + t1.ty * t2.c + t2.tx,
        ty: t1.tx * t2.b + t1.ty * t2.d + t2.ty,
    }
}

/// The inverse, or `None` when the matrix is singular or not finite.
pub fn invert(t: CGAffineTransform) -> Option<CGAffineTransform> {
    let det = t.a * t.d - t.b * t.c;
    if det == 0.0 || !det.is_finite() {
        return None;
    }
    let inv = CGAffineTransform {
        a: t.d / det,
        b: -t.b / det,
        c: -t.c / det,
        d: t.a / det,
        tx: (t.c * t.ty - t.d * t.tx) / det,
        ty: (t.b * t.tx - t.a * t.ty) / det,
    };
    [inv.a, inv.b, inv.c, inv.d, inv.tx, inv.ty]
        .iter()
        .all(|v| v.is_finite())
        .then_some(inv)
}

pub fn apply(t: &CGAffineTransform, x: CGFloat, y: CGFloat) -> (CGFloat, CGFloat) {
    (t.a * x + t.c * y + t.tx, t.b * x + t.d * y + t.ty)
}

pub fn is_identity(t: &CGAffineTransform) -> bool {
    *t == IDENTITY
}

/// Entries within 1e-9 of an integer become that integer, so that `RotateCTM(pi / 2)`
/// (cos = 6e-17) and friends are exact quarter turns and exact scales.
pub fn snapped(t: CGAffineTransform) -> CGAffineTransform {
    let s = |v: f64| {
        let r = v.round();
        if (v - r).abs() < 1e-9 { r } else { v }
    };
    make(s(t.a), s(t.b), s(t.c), s(t.d), s(t.tx), s(t.ty))
}

/// The rectangle with non-negative width and height covering the same points
/// (`CGRectStandardize`).
pub fn standardize(r: CGRect) -> CGRect {
    let mut r = r;
    if r.size.width < 0.0 {
        r.origin.x += r.size.width;
        r.size.width = -r.size.width;
    }
    if r.size.height < 0.0 {
        r.origin.y += r.size.height;
        r.size.height = -r.size.height;
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn translate_then_scale_pre_concatenates() {
        // Reference B.5: Translate(2,3) then Scale(2,2) gives {2,0,0,2,2,3}.
        let ctm = concat(scale(2.0, 2.0), concat(translation(2.0, 3.0), IDENTITY));
        assert_eq!(ctm, make(2.0, 0.0, 0.0, 2.0, 2.0, 3.0));
    }

    #[test]
    fn inverse_undoes() {
        let t = make(2.0, 1.0, -0.5, 3.0, 7.0, -4.0);
        let i = invert(t).unwrap();
        let (x, y) = apply(&t, 1.25, -3.5);
        let (u, v) = apply(&i, x, y);
        assert!((u - 1.25).abs() < 1e-12 && (v + 3.5).abs() < 1e-12);
        assert!(invert(make(1.0, 2.0, 2.0, 4.0, 0.0, 0.0)).is_none());
    }
}
