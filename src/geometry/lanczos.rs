//! The Lanczos windowed-sinc kernels Geometry.h resamples with: Lanczos3 by default, Lanczos5
//! with `kvImageHighQualityResampling`. Shared by scale, shear, rotate and affine warp so every
//! geometry function weighs pixels the same way.

use crate::types::kvImageHighQualityResampling;

/// Which Lanczos kernel a geometry call uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lanczos {
    /// `a = 3`: the default.
    Three,
    /// `a = 5`: `kvImageHighQualityResampling`.
    Five,
}

impl Lanczos {
    /// The kernel a call with these flags asks for.
    pub fn from_flags(flags: u32) -> Lanczos {
        if flags & kvImageHighQualityResampling != 0 {
            Lanczos::Five
        } else {
            Lanczos::Three
        }
    }

    /// Half-width of the kernel in source pixels at scale 1 (the `a` of Lanczos-a).
    pub fn radius(self) -> f64 {
        match self {
            Lanczos::Three => 3.0,
            Lanczos::Five => 5.0,
        }
    }

    /// The kernel's weight at distance `x` (unnormalised): `sinc(x) * sinc(x / a)` inside
    /// `|x| < a`, 0 outside.
    pub fn weight(self, x: f64) -> f64 {
        lanczos(x, self.radius())
    }
}

/// `sinc(x) * sinc(x / a)` for `|x| < a`, else 0; `sinc(t) = sin(pi t) / (pi t)`.
pub fn lanczos(x: f64, a: f64) -> f64 {
    let x = x.abs();
    if x >= a {
        return 0.0;
    }
    if x < 1e-12 {
        return 1.0;
    }
    let px = std::f64::consts::PI * x;
    a * px.sin() * (px / a).sin() / (px * px)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lanczos_is_one_at_zero_and_zero_at_integers_and_outside() {
        for a in [3.0, 5.0] {
            assert_eq!(lanczos(0.0, a), 1.0);
            for k in 1..8 {
                assert!(lanczos(k as f64, a).abs() < 1e-12, "a={a} k={k}");
            }
            assert_eq!(lanczos(a + 0.25, a), 0.0);
            // Direct formula at a non-integer point.
            let x: f64 = 0.5;
            let pi = std::f64::consts::PI;
            let want = (pi * x).sin() / (pi * x) * (pi * x / a).sin() / (pi * x / a);
            assert!((lanczos(x, a) - want).abs() < 1e-15);
            assert_eq!(lanczos(-x, a), lanczos(x, a));
        }
    }

    #[test]
    fn flags_pick_the_kernel() {
        assert_eq!(Lanczos::from_flags(0), Lanczos::Three);
        assert_eq!(
            Lanczos::from_flags(kvImageHighQualityResampling),
            Lanczos::Five
        );
    }
}
