//! Depth and range conversions of Conversion.h (§1.3): 8-bit, 16-bit, 16Q12, half and float
//! samples, planar and interleaved, and the combined depth + permute + mask functions.
//!
//! Each function takes checked planes (the C layer checks sizes and NULLs), checks its own
//! arguments, and runs row kernels of [`crate::kernels::depth`] (or the shared engine kernels)
//! through the row driver with the function's in-place rule.

#![allow(clippy::too_many_arguments)]

use crate::error::{Error, Result};
use crate::flags::Flags;
use crate::kernels::depth as k;
use crate::kernels::rows::{InPlace, Plane, run};
use crate::kernels::{FILL, Kernel};

/// One source plane to one destination plane through `kernel(src_row, dst_row, width)`.
fn one(
    src: Plane,
    dst: Plane,
    width: usize,
    height: usize,
    in_place: InPlace,
    flags: Flags,
    kernel: impl Fn(&[u8], &mut [u8], usize) + Sync,
) -> Result<()> {
    run([src], [dst], width, height, in_place, flags, |s, d, w| {
        kernel(s[0], d[0], w)
    })
}

// ---- 8-bit <-> float ----------------------------------------------------------------------------

/// `vImageConvert_Planar8toPlanarF`: `(max - min) * p / 255.0 + min`; not in place.
pub fn planar8_to_planarf(
    src: Plane,
    dst: Plane,
    width: usize,
    height: usize,
    max: f32,
    min: f32,
    flags: Flags,
) -> Result<()> {
    if max.to_bits() == 1.0f32.to_bits() && min.to_bits() == 0 {
        // The engine's 8-bit -> float kernel gives exactly these bits (p / 255).
        return one(src, dst, width, height, InPlace::No, flags, |s, d, _| {
            k::u8_to_unit_f32(s, d)
        });
    }
    let table = k::planar8_to_f_table(max, min);
    one(src, dst, width, height, InPlace::No, flags, |s, d, _| {
        k::lut8_to_f32(&table, s, d)
    })
}

/// `vImageConvert_PlanarFtoPlanar8`: `255 * (x - min) / (max - min) + 0.5`, clipped and
/// truncated; in place IP-B (implementer's choice: a narrowing conversion).
pub fn planarf_to_planar8(
    src: Plane,
    dst: Plane,
    width: usize,
    height: usize,
    max: f32,
    min: f32,
    flags: Flags,
) -> Result<()> {
    one(
        src,
        dst,
        width,
        height,
        InPlace::SameStart,
        flags,
        |s, d, _| k::f32_to_u8_half_up(s, d, max, min),
    )
}

/// `vImageConvert_Planar8ToARGBFFFF` and its XRGB / BGRX forms: output channel `i` is plane
/// `srcs[i]` through `min[i] + (max[i] - min[i]) * p / 255`, or the constant `constant[i]`
/// where `srcs[i]` is `None`; not in place.
pub fn planar8_to_ffff(
    srcs: [Option<Plane>; 4],
    dst: Plane,
    width: usize,
    height: usize,
    constant: [f32; 4],
    max: [f32; 4],
    min: [f32; 4],
    flags: Flags,
) -> Result<()> {
    let tables: Vec<[f32; 256]> = (0..4)
        .map(|i| k::planar8_to_f_table(max[i], min[i]))
        .collect();
    // The driver wants a fixed number of planes: a missing one is replaced by the destination
    // itself read as a (never used) source; it never overlaps in a way the kernel reads.
    let present: [bool; 4] = std::array::from_fn(|i| srcs[i].is_some());
    let planes: Vec<Plane> = srcs.iter().flatten().copied().collect();
    let kernel = |rows: &[&[u8]], d: &mut [u8]| {
        let mut next = 0;
        for c in 0..4 {
            let src = if present[c] {
                next += 1;
                Some(rows[next - 1])
            } else {
                None
            };
            k::lut8_to_f32_channel(&tables[c], src, constant[c], d, 4, c);
        }
    };
    match planes.len() {
        4 => run(
            [planes[0], planes[1], planes[2], planes[3]],
            [dst],
            width,
            height,
            InPlace::No,
            flags,
            |s, d, _| kernel(&s[..], d[0]),
        ),
        3 => run(
            [planes[0], planes[1], planes[2]],
            [dst],
            width,
            height,
            InPlace::No,
            flags,
            |s, d, _| kernel(&s[..], d[0]),
        ),
        _ => Err(Error::Internal("planar8_to_ffff takes 3 or 4 planes")),
    }
}

/// `vImageConvert_PlanarFToARGB8888` and its XRGB / BGRX forms: output channel `i` is plane
/// `srcs[i]` through [`k::Rint8`] with `max[i]`, `min[i]`, or the byte `constant[i]` where
/// `srcs[i]` is `None`; in place IP-B.
pub fn planarf_to_8888(
    srcs: [Option<Plane>; 4],
    dst: Plane,
    width: usize,
    height: usize,
    constant: [u8; 4],
    max: [f32; 4],
    min: [f32; 4],
    flags: Flags,
) -> Result<()> {
    let present: [bool; 4] = std::array::from_fn(|i| srcs[i].is_some());
    let conv: [k::Rint8; 4] = std::array::from_fn(|i| {
        if present[i] {
            k::Rint8::new(max[i], min[i])
        } else {
            k::Rint8::constant(constant[i])
        }
    });
    let planes: Vec<Plane> = srcs.iter().flatten().copied().collect();
    // A missing plane's channel is a constant that ignores its row: any present row will do.
    let kernel = |rows: &[&[u8]], d: &mut [u8]| {
        let mut next = 0;
        let s: [&[u8]; 4] = std::array::from_fn(|c| {
            if present[c] {
                next += 1;
                rows[next - 1]
            } else {
                rows[0]
            }
        });
        k::f32x4_to_8888_rint(s, d, &conv);
    };
    match planes.len() {
        4 => run(
            [planes[0], planes[1], planes[2], planes[3]],
            [dst],
            width,
            height,
            InPlace::SameStart,
            flags,
            |s, d, _| kernel(&s[..], d[0]),
        ),
        3 => run(
            [planes[0], planes[1], planes[2]],
            [dst],
            width,
            height,
            InPlace::SameStart,
            flags,
            |s, d, _| kernel(&s[..], d[0]),
        ),
        _ => Err(Error::Internal("planarf_to_8888 takes 3 or 4 planes")),
    }
}

/// `vImageConvert_ARGB8888toPlanarF`: plane `i` is channel `i` through
/// `min[i] + (max[i] - min[i]) * p / 255`; not in place.
pub fn argb8888_to_planarf(
    src: Plane,
    dsts: [Plane; 4],
    width: usize,
    height: usize,
    max: [f32; 4],
    min: [f32; 4],
    flags: Flags,
) -> Result<()> {
    let tables: [[f32; 256]; 4] = std::array::from_fn(|i| k::planar8_to_f_table(max[i], min[i]));
    run([src], dsts, width, height, InPlace::No, flags, |s, d, _| {
        for (c, (d, t)) in d.iter_mut().zip(&tables).enumerate() {
            k::lut8_channel_to_f32(t, s[0], d, 4, c);
        }
    })
}

/// `vImageConvert_ARGBFFFFtoPlanar8`: plane `i` is float channel `i` through [`k::Rint8`];
/// not in place.
pub fn argbffff_to_planar8(
    src: Plane,
    dsts: [Plane; 4],
    width: usize,
    height: usize,
    max: [f32; 4],
    min: [f32; 4],
    flags: Flags,
) -> Result<()> {
    let conv: [k::Rint8; 4] = std::array::from_fn(|i| k::Rint8::new(max[i], min[i]));
    run([src], dsts, width, height, InPlace::No, flags, |s, d, _| {
        for (c, (d, r)) in d.iter_mut().zip(&conv).enumerate() {
            k::f32_channel_to_u8_rint(s[0], d, 4, c, r);
        }
    })
}

// ---- 16-bit integers <-> float ------------------------------------------------------------------

/// `vImageConvert_16UToF`: `p * scale + offset`; not in place.
pub fn u16_to_f(
    src: Plane,
    dst: Plane,
    width: usize,
    height: usize,
    offset: f32,
    scale: f32,
    flags: Flags,
) -> Result<()> {
    one(src, dst, width, height, InPlace::No, flags, |s, d, _| {
        k::u16_to_f32(s, d, offset, scale)
    })
}

/// `vImageConvert_16SToF`: `p * scale + offset`; not in place.
pub fn s16_to_f(
    src: Plane,
    dst: Plane,
    width: usize,
    height: usize,
    offset: f32,
    scale: f32,
    flags: Flags,
) -> Result<()> {
    one(src, dst, width, height, InPlace::No, flags, |s, d, _| {
        k::i16_to_f32(s, d, offset, scale)
    })
}

/// `vImageConvert_FTo16U`: `(x - offset) / scale + 0.5`, clipped, truncated; in place IP-A.
pub fn f_to_u16(
    src: Plane,
    dst: Plane,
    width: usize,
    height: usize,
    offset: f32,
    scale: f32,
    flags: Flags,
) -> Result<()> {
    one(src, dst, width, height, InPlace::Exact, flags, |s, d, _| {
        k::f32_to_u16(s, d, offset, scale)
    })
}

/// `vImageConvert_FTo16S`: `floor((x - offset) / scale + 0.5)`, clipped; in place IP-A.
pub fn f_to_s16(
    src: Plane,
    dst: Plane,
    width: usize,
    height: usize,
    offset: f32,
    scale: f32,
    flags: Flags,
) -> Result<()> {
    one(src, dst, width, height, InPlace::Exact, flags, |s, d, _| {
        k::f32_to_i16(s, d, offset, scale)
    })
}

// ---- 8 <-> 16-bit, half, 12-bit, 16Q12 ----------------------------------------------------------

/// Which element conversion a plain `(src, dest, flags)` depth function does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Depth {
    /// `Planar8To16U`: `p * 257`; not in place.
    Planar8To16U,
    /// `16UToPlanar8`: `(p * 255 + 32767) / 65535`; IP-B.
    U16ToPlanar8,
    /// `Planar16FtoPlanarF`: exact; not in place.
    HalfToF,
    /// `PlanarFtoPlanar16F`: nearest even; IP-B.
    FToHalf,
    /// `Planar8toPlanar16F`: `p / 255` as half; IP-A.
    Planar8ToHalf,
    /// `Planar16FtoPlanar8`: `round_ties_even(clamp(255 h))`, NaN -> 0; IP-A.
    HalfToPlanar8,
    /// `16Uto16F`: `p / 65535` as half; IP-B.
    U16ToHalf,
    /// `16Fto16U`: `round_ties_even(clamp(65535 h))`, NaN -> 0; IP-B.
    HalfToU16,
    /// `12UTo16U`; not in place.
    U12ToU16,
    /// `16UTo12U`; not in place.
    U16ToU12,
    /// `8to16Q12`; not in place.
    Planar8ToQ12,
    /// `16Q12to8`; IP-B.
    Q12ToPlanar8,
    /// `16Q12toF`; not in place.
    Q12ToF,
    /// `Fto16Q12`; IP-B.
    FToQ12,
    /// `16Q12to16U`; IP-B.
    Q12ToU16,
    /// `16Uto16Q12`; IP-B.
    U16ToQ12,
}

impl Depth {
    /// Bits per source and destination pixel.
    pub fn bits(self) -> (usize, usize) {
        use Depth::*;
        match self {
            Planar8To16U | Planar8ToHalf | Planar8ToQ12 => (8, 16),
            U16ToPlanar8 | HalfToPlanar8 | Q12ToPlanar8 => (16, 8),
            HalfToF | Q12ToF => (16, 32),
            FToHalf | FToQ12 => (32, 16),
            U16ToHalf | HalfToU16 | Q12ToU16 | U16ToQ12 => (16, 16),
            U12ToU16 => (12, 16),
            U16ToU12 => (16, 12),
        }
    }

    /// The function's in-place rule (§1.3; where Apple says nothing, narrowing and same-size
    /// conversions work in place as IP-B and widening ones do not).
    pub fn in_place(self) -> InPlace {
        use Depth::*;
        match self {
            Planar8To16U | HalfToF | U12ToU16 | U16ToU12 | Planar8ToQ12 | Q12ToF => InPlace::No,
            Planar8ToHalf | HalfToPlanar8 => InPlace::Exact,
            U16ToPlanar8 | FToHalf | U16ToHalf | HalfToU16 | Q12ToPlanar8 | FToQ12 | Q12ToU16
            | U16ToQ12 => InPlace::SameStart,
        }
    }
}

/// Runs one of the plain depth conversions.
pub fn convert(
    kind: Depth,
    src: Plane,
    dst: Plane,
    width: usize,
    height: usize,
    flags: Flags,
) -> Result<()> {
    use Depth::*;
    let ip = kind.in_place();
    match kind {
        Planar8To16U => {
            // p * 257 is the byte twice: the shared byte map.
            let kernel = Kernel::byte_map(1, 2, &[0, 0], &[]);
            one(src, dst, width, height, ip, flags, |s, d, w| {
                kernel.run(s, d, w)
            })
        }
        U16ToPlanar8 => one(src, dst, width, height, ip, flags, k::u16_to_u8),
        HalfToF => one(src, dst, width, height, ip, flags, |s, d, _| {
            k::half_to_f32_row(s, d)
        }),
        FToHalf => one(src, dst, width, height, ip, flags, |s, d, _| {
            k::f32_to_half_row(s, d)
        }),
        Planar8ToHalf => one(src, dst, width, height, ip, flags, |s, d, _| {
            k::u8_to_half(s, d)
        }),
        HalfToPlanar8 => one(src, dst, width, height, ip, flags, |s, d, _| {
            k::half_to_u8(s, d)
        }),
        U16ToHalf => one(src, dst, width, height, ip, flags, |s, d, _| {
            k::u16_to_half(s, d)
        }),
        HalfToU16 => one(src, dst, width, height, ip, flags, |s, d, _| {
            k::half_to_u16(s, d)
        }),
        U12ToU16 => one(src, dst, width, height, ip, flags, k::u12_to_u16),
        U16ToU12 => one(src, dst, width, height, ip, flags, k::u16_to_u12),
        Planar8ToQ12 => one(src, dst, width, height, ip, flags, |s, d, _| {
            k::u8_to_q12(s, d)
        }),
        Q12ToPlanar8 => one(src, dst, width, height, ip, flags, |s, d, _| {
            k::q12_to_u8(s, d)
        }),
        Q12ToF => one(src, dst, width, height, ip, flags, |s, d, _| {
            k::q12_to_f32(s, d)
        }),
        FToQ12 => one(src, dst, width, height, ip, flags, |s, d, _| {
            k::f32_to_q12(s, d)
        }),
        Q12ToU16 => one(src, dst, width, height, ip, flags, |s, d, _| {
            k::q12_to_u16(s, d)
        }),
        U16ToQ12 => one(src, dst, width, height, ip, flags, |s, d, _| {
            k::u16_to_q12(s, d)
        }),
    }
}

// ---- combined depth + permute + mask ------------------------------------------------------------

/// Pixels narrowed per pass through the stack buffer of the 16 -> 8-bit permutes.
const CHUNK: usize = 256;

fn check_map(map: &[u8], limit: u8) -> Result<()> {
    if map.iter().any(|&m| m > limit) {
        return Err(Error::InvalidParameter("permuteMap entries out of range"));
    }
    Ok(())
}

fn check_mask(mask: u8, outputs: usize) -> Result<()> {
    if u32::from(mask) >> outputs != 0 {
        return Err(Error::InvalidParameter(
            "copyMask has bits beyond the output channels",
        ));
    }
    Ok(())
}

/// Whether output channel `i` of `outputs` takes the background (`copyMask & (0x8 >> i)` for
/// four outputs; bit `outputs - 1 - i` in general).
fn masked(mask: u8, outputs: usize, i: usize) -> bool {
    mask & (1 << (outputs - 1 - i)) != 0
}

/// A 16 -> 8-bit permute: narrow `in_ch` 16-bit channels to bytes, then the byte map.
fn narrow_then_map(
    src: Plane,
    dst: Plane,
    width: usize,
    height: usize,
    in_ch: usize,
    kernel: Kernel,
    flags: Flags,
) -> Result<()> {
    one(
        src,
        dst,
        width,
        height,
        InPlace::SameStart,
        flags,
        |s, d, w| {
            let mut tmp = [0u8; CHUNK * 4];
            let mut x = 0;
            while x < w {
                let n = CHUNK.min(w - x);
                let t = &mut tmp[..n * in_ch];
                k::u16_to_u8(&s[x * 2 * in_ch..(x + n) * 2 * in_ch], t, n * in_ch);
                kernel.run(t, &mut d[x * 4..(x + n) * 4], n);
                x += n;
            }
        },
    )
}

/// `vImageConvert_ARGB16UToARGB8888`: output `i` = narrowed source channel `map[i]`, or
/// `background[i]` where the mask says; in place IP-B.
pub fn argb16u_to_argb8888(
    src: Plane,
    dst: Plane,
    width: usize,
    height: usize,
    map: [u8; 4],
    mask: u8,
    background: [u8; 4],
    flags: Flags,
) -> Result<()> {
    check_map(&map, 3)?;
    check_mask(mask, 4)?;
    let m: [u8; 4] = std::array::from_fn(|i| if masked(mask, 4, i) { FILL } else { map[i] });
    let kernel = Kernel::byte_map(4, 4, &m, &background);
    narrow_then_map(src, dst, width, height, 4, kernel, flags)
}

/// `vImageConvert_RGB16UToARGB8888`: permutes `{255, r8, g8, b8}`: map value 0 is the constant
/// 255; in place IP-B.
pub fn rgb16u_to_argb8888(
    src: Plane,
    dst: Plane,
    width: usize,
    height: usize,
    map: [u8; 4],
    mask: u8,
    background: [u8; 4],
    flags: Flags,
) -> Result<()> {
    check_map(&map, 3)?;
    check_mask(mask, 4)?;
    let mut m = [FILL; 4];
    let mut fill = [0u8; 4];
    for i in 0..4 {
        if masked(mask, 4, i) {
            fill[i] = background[i];
        } else if map[i] == 0 {
            fill[i] = 255;
        } else {
            m[i] = map[i] - 1;
        }
    }
    let kernel = Kernel::byte_map(3, 4, &m, &fill);
    narrow_then_map(src, dst, width, height, 3, kernel, flags)
}

/// `vImageConvert_ARGB8888ToARGB16U`: output `i` = `source[map[i]] * 257`, or
/// `background[i]`; not in place.
pub fn argb8888_to_argb16u(
    src: Plane,
    dst: Plane,
    width: usize,
    height: usize,
    map: [u8; 4],
    mask: u8,
    background: [u16; 4],
    flags: Flags,
) -> Result<()> {
    check_map(&map, 3)?;
    check_mask(mask, 4)?;
    widen_map(src, dst, width, height, &map, mask, &background, flags)
}

/// `vImageConvert_ARGB8888ToRGB16U`: three outputs, mask bits 0x4 / 0x2 / 0x1; not in place.
pub fn argb8888_to_rgb16u(
    src: Plane,
    dst: Plane,
    width: usize,
    height: usize,
    map: [u8; 3],
    mask: u8,
    background: [u16; 3],
    flags: Flags,
) -> Result<()> {
    check_map(&map, 3)?;
    check_mask(mask, 3)?;
    widen_map(src, dst, width, height, &map, mask, &background, flags)
}

/// 8 -> 16 bits with a permute and masked background: one byte map (`v * 257` is the byte
/// twice; the background's native bytes are the fill).
#[allow(clippy::too_many_arguments)]
fn widen_map(
    src: Plane,
    dst: Plane,
    width: usize,
    height: usize,
    map: &[u8],
    mask: u8,
    background: &[u16],
    flags: Flags,
) -> Result<()> {
    let outputs = map.len();
    let mut m = [FILL; 8];
    let mut fill = [0u8; 8];
    for i in 0..outputs {
        if masked(mask, outputs, i) {
            fill[2 * i..2 * i + 2].copy_from_slice(&background[i].to_ne_bytes());
        } else {
            m[2 * i] = map[i];
            m[2 * i + 1] = map[i];
        }
    }
    let kernel = Kernel::byte_map(4, 2 * outputs, &m[..2 * outputs], &fill[..2 * outputs]);
    one(src, dst, width, height, InPlace::No, flags, |s, d, w| {
        kernel.run(s, d, w)
    })
}
