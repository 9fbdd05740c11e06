//! The bound the colour kernels are held to against the float64 reference, shared by the
//! converter fuzz targets (included with `#[path]`; not a target of its own): one code for
//! 8-bit samples, 1/257 for 16-bit, 2e-4 relative for float (plus the allowance for the
//! identity matrix the float kernel skips, relative to the largest finite source sample).

use vimage::convert::Converter;
use vimage::convert::layout::Sample;

/// The largest finite magnitude among the float samples of `src` (either byte order).
pub fn largest_float(conv: &Converter, src: &[u8]) -> f32 {
    if conv.source_layout().sample != Sample::Float {
        return 0.0;
    }
    src.chunks_exact(4)
        .map(|x| {
            let x: [u8; 4] = x.try_into().unwrap();
            let f = |v: f32| if v.is_finite() { v.abs() } else { 0.0 };
            f(f32::from_le_bytes(x)).max(f(f32::from_be_bytes(x)))
        })
        .fold(0.0f32, f32::max)
}

/// Whether the colour kernel's row `got` is within the bound of the reference row `want`.
pub fn within(conv: &Converter, src: &[u8], got: &[u8], want: &[u8]) -> bool {
    if got.len() != want.len() {
        return false;
    }
    let dst = *conv.destination_layout();
    match dst.sample {
        Sample::Uint(16) => got.chunks_exact(2).zip(want.chunks_exact(2)).all(|(a, b)| {
            let r = |x: &[u8]| {
                if dst.little_endian {
                    u16::from_le_bytes([x[0], x[1]])
                } else {
                    u16::from_be_bytes([x[0], x[1]])
                }
            };
            r(a).abs_diff(r(b)) <= 255
        }),
        Sample::Float => {
            let huge = largest_float(conv, src);
            got.chunks_exact(4).zip(want.chunks_exact(4)).all(|(a, b)| {
                let r = |x: &[u8]| {
                    let x: [u8; 4] = x.try_into().unwrap();
                    f32::from_bits(if dst.little_endian {
                        u32::from_le_bytes(x)
                    } else {
                        u32::from_be_bytes(x)
                    })
                };
                let (a, b) = (r(a), r(b));
                (a.is_nan() && b.is_nan())
                    || a == b
                    || (a - b).abs() <= 2e-4 * b.abs().max(1.0) + 1e-12 * huge * huge.max(1.0)
            })
        }
        _ => got.iter().zip(want).all(|(a, b)| a.abs_diff(*b) <= 1),
    }
}
