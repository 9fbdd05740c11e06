//! Encoding tables indexed by the bits of an f32 linear value.
//!
//! A linear value `y` in `[2^-E, 1]` is looked up at `((bits(y) + half) >> (23 - M)) - base`:
//! its exponent and top `M` mantissa bits, rounded to nearest. The entries are spaced by a
//! relative step of `2^-M` (a constant relative step suits every power-like curve, whose
//! relative slope is bounded, and also the linear toe of sRGB), so one table serves every curve
//! within a small fraction of a code, with no square root or division per pixel. Values below
//! `2^-E` share entry 0 (the curve at `2^-E`, which quantises as the curve at 0 for the chosen
//! `E`); values above 1 are clamped by the caller.

/// The index domain of an encoding table: `e` octaves below 1, `m` mantissa bits per octave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Domain {
    pub e: u32,
    pub m: u32,
}

impl Domain {
    /// Entries of a table over this domain (the last one is 1.0 itself).
    pub const fn entries(self) -> usize {
        ((self.e as usize) << self.m) + 1
    }

    /// The smallest value with its own entry, `2^-e`.
    pub fn low(self) -> f32 {
        f32::from_bits((127 - self.e) << 23)
    }

    /// Added to the bits before the shift (round to the nearest entry).
    pub const fn half(self) -> u32 {
        1 << (22 - self.m)
    }

    pub const fn shift(self) -> u32 {
        23 - self.m
    }

    /// Subtracted after the shift.
    pub const fn base(self) -> u32 {
        (127 - self.e) << self.m
    }

    /// The index of `y` (NaN and values below `2^-e` give 0, values above 1 the last entry).
    #[inline(always)]
    pub fn index(self, y: f32) -> usize {
        let y = y.max(self.low()).min(1.0); // max(NaN, low) = low
        (((y.to_bits() + self.half()) >> self.shift()) - self.base()) as usize
    }

    /// The linear value entry `i` stands for.
    pub fn value(self, i: usize) -> f64 {
        f64::from(f32::from_bits((self.base() + i as u32) << self.shift()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indices_round_to_the_nearest_entry() {
        let d = Domain { e: 20, m: 10 };
        assert_eq!(d.index(1.0), d.entries() - 1);
        assert_eq!(d.index(0.0), 0);
        assert_eq!(d.index(f32::NAN), 0);
        assert_eq!(d.index(-3.0), 0);
        assert_eq!(d.index(7.0), d.entries() - 1);
        for i in 0..d.entries() {
            let v = d.value(i) as f32;
            assert_eq!(d.index(v), i);
            // Just below the midpoint to the next entry still maps to i.
            if i + 1 < d.entries() {
                let mid = (d.value(i) + d.value(i + 1)) / 2.0;
                assert_eq!(d.index((mid * (1.0 - 1e-6)) as f32), i, "{i}");
                assert_eq!(d.index((mid * (1.0 + 1e-6)) as f32), i + 1, "{i}");
            }
        }
    }
}
