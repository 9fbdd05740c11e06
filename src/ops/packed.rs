//! Packed formats of Conversion.h: 16-bit RGB565 / ARGB1555 / RGBA5551, the 10-bit
//! XRGB2101010 / ARGB2101010 / RGBA1010102 words, and 1-, 2- and 4-bit planar and indexed
//! pixels. Each function checks its own arguments (ranges, maps, dither modes, colour tables)
//! and runs a row kernel of [`crate::kernels::packed`] through the shared row driver.

#![allow(non_upper_case_globals)]

use std::sync::Mutex;
use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};

use crate::error::{Error, Result};
use crate::flags::Flags;
use crate::kernels::packed::{self as k, BAYER8, Diffuser, Diffusion, Levels, Packed10, Range10};
use crate::kernels::rows::{InPlace, Plane, run};

/// Apple's dither constants (Conversion.h `enum`, `int dither` parameters).
pub const kvImageConvert_DitherNone: i32 = 0;
pub const kvImageConvert_DitherOrdered: i32 = 1;
pub const kvImageConvert_DitherOrderedReproducible: i32 = 2;
pub const kvImageConvert_DitherFloydSteinberg: i32 = 3;
pub const kvImageConvert_DitherAtkinson: i32 = 4;
pub const kvImageConvert_OrderedGaussianBlue: i32 = 0;
pub const kvImageConvert_OrderedUniformBlue: i32 = 1 << 28;
pub const kvImageConvert_OrderedNoiseShapeMask: u32 = 0xF000_0000;

/// A decoded `int dither` argument.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dither {
    None,
    /// kvImageConvert_DitherOrdered and ...OrderedReproducible: the 8x8 Bayer pattern,
    /// anchored at the destination's top-left pixel (reproducible for both).
    Ordered,
    Diffuse(Diffuser),
}

impl Dither {
    /// Decodes `dither`; `diffusion` says whether the function offers Floyd-Steinberg and
    /// Atkinson. The noise-shape bits may be Gaussian (0) or uniform; both use the same
    /// pattern here.
    pub fn parse(dither: i32, diffusion: bool) -> Result<Dither> {
        let shape = dither as u32 & kvImageConvert_OrderedNoiseShapeMask;
        if shape != 0 && shape != kvImageConvert_OrderedUniformBlue as u32 {
            return Err(Error::InvalidParameter("unknown dither noise shape"));
        }
        match dither & !(kvImageConvert_OrderedNoiseShapeMask as i32) {
            kvImageConvert_DitherNone => Ok(Dither::None),
            kvImageConvert_DitherOrdered | kvImageConvert_DitherOrderedReproducible => {
                Ok(Dither::Ordered)
            }
            kvImageConvert_DitherFloydSteinberg if diffusion => {
                Ok(Dither::Diffuse(Diffuser::FloydSteinberg))
            }
            kvImageConvert_DitherAtkinson if diffusion => Ok(Dither::Diffuse(Diffuser::Atkinson)),
            _ => Err(Error::InvalidParameter("unknown or unsupported dither")),
        }
    }
}

/// Channel order of an 8888 side of a 565 conversion.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Order8888 {
    Argb,
    Rgba,
    Bgra,
}

/// Which 1-5-5-5 layout.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout1555 {
    /// ARGB1555: A 15, R 14-10, G 9-5, B 4-0.
    Argb1555,
    /// RGBA5551: R 15-11, G 10-6, B 5-1, A 0.
    Rgba5551,
}

fn one<K>(
    src: Plane,
    dst: Plane,
    w: usize,
    h: usize,
    ip: InPlace,
    f: Flags,
    kernel: K,
) -> Result<()>
where
    K: Fn(&[u8], &mut [u8]) + Sync,
{
    run([src], [dst], w, h, ip, f, |s, d, _| {
        kernel(s[0], &mut *d[0])
    })
}

// ---- 16-bit packed formats --------------------------------------------------------------------

/// `vImageConvert_RGB565to{ARGB,RGBA,BGRA}8888`: constant alpha; not in place.
pub fn rgb565_to_8888(
    order: Order8888,
    alpha: u8,
    src: Plane,
    dst: Plane,
    w: usize,
    h: usize,
    f: Flags,
) -> Result<()> {
    let kernel = match order {
        Order8888::Argb => k::rgb565_to_8888::<1, 2, 3, 0>,
        Order8888::Rgba => k::rgb565_to_8888::<0, 1, 2, 3>,
        Order8888::Bgra => k::rgb565_to_8888::<2, 1, 0, 3>,
    };
    one(src, dst, w, h, InPlace::No, f, |s, d| kernel(s, d, alpha))
}

/// `vImageConvert_{ARGB,RGBA,BGRA}8888toRGB565`; in place IP-B.
pub fn x8888_to_rgb565(
    order: Order8888,
    src: Plane,
    dst: Plane,
    w: usize,
    h: usize,
    f: Flags,
) -> Result<()> {
    let kernel = match order {
        Order8888::Argb => k::x8888_to_rgb565::<1, 2, 3>,
        Order8888::Rgba => k::x8888_to_rgb565::<0, 1, 2>,
        Order8888::Bgra => k::x8888_to_rgb565::<2, 1, 0>,
    };
    one(src, dst, w, h, InPlace::SameStart, f, kernel)
}

/// `vImageConvert_RGB565toRGB888`; not in place.
pub fn rgb565_to_rgb888(src: Plane, dst: Plane, w: usize, h: usize, f: Flags) -> Result<()> {
    one(src, dst, w, h, InPlace::No, f, k::rgb565_to_888)
}

/// `vImageConvert_ARGB1555toARGB8888` / `RGBA5551toRGBA8888`; not in place.
pub fn x1555_to_8888(
    layout: Layout1555,
    src: Plane,
    dst: Plane,
    w: usize,
    h: usize,
    f: Flags,
) -> Result<()> {
    let kernel = match layout {
        Layout1555::Argb1555 => k::x1555_to_8888::<true>,
        Layout1555::Rgba5551 => k::x1555_to_8888::<false>,
    };
    one(src, dst, w, h, InPlace::No, f, kernel)
}

/// `vImageConvert_ARGB8888toARGB1555` / `RGBA8888toRGBA5551`; in place IP-B.
pub fn x8888_to_1555(
    layout: Layout1555,
    src: Plane,
    dst: Plane,
    w: usize,
    h: usize,
    f: Flags,
) -> Result<()> {
    let kernel = match layout {
        Layout1555::Argb1555 => k::x8888_to_1555::<true>,
        Layout1555::Rgba5551 => k::x8888_to_1555::<false>,
    };
    one(src, dst, w, h, InPlace::SameStart, f, kernel)
}

/// `vImageConvert_ARGB1555toRGB565` / `RGBA5551toRGB565`; in place IP-B (vimage's choice).
pub fn x1555_to_rgb565(
    layout: Layout1555,
    src: Plane,
    dst: Plane,
    w: usize,
    h: usize,
    f: Flags,
) -> Result<()> {
    let kernel = match layout {
        Layout1555::Argb1555 => k::x1555_to_rgb565::<true>,
        Layout1555::Rgba5551 => k::x1555_to_rgb565::<false>,
    };
    one(src, dst, w, h, InPlace::SameStart, f, kernel)
}

/// `vImageConvert_RGB565toARGB1555` / `RGB565toRGBA5551`: alpha 1, green to five bits to nearest
/// (`dither` None) or through the ordered pattern; in place IP-B (vimage's choice).
pub fn rgb565_to_1555(
    layout: Layout1555,
    dither: i32,
    src: Plane,
    dst: Plane,
    w: usize,
    h: usize,
    f: Flags,
) -> Result<()> {
    let dither = Dither::parse(dither, false)?;
    let kernel = match layout {
        Layout1555::Argb1555 => k::rgb565_to_1555::<true>,
        Layout1555::Rgba5551 => k::rgb565_to_1555::<false>,
    };
    match dither {
        Dither::Ordered => {
            let y = AtomicUsize::new(0);
            one(
                src,
                dst,
                w,
                h,
                InPlace::SameStart,
                f | Flags::DO_NOT_TILE,
                |s, d| {
                    // Thresholds (2b + 1) * 63 / 128: 0..=62 (so a remainder of 0 never rounds up).
                    let row = BAYER8[y.fetch_add(1, Ordering::Relaxed) % 8]
                        .map(|b| (2 * u32::from(b) + 1) * 63 / 128);
                    kernel(s, d, &row)
                },
            )
        }
        _ => one(src, dst, w, h, InPlace::SameStart, f, |s, d| {
            kernel(s, d, &[31; 8])
        }),
    }
}

/// `vImageConvert_RGB565toPlanar8`; not in place.
pub fn rgb565_to_planar8(src: Plane, dst: [Plane; 3], w: usize, h: usize, f: Flags) -> Result<()> {
    run([src], dst, w, h, InPlace::No, f, |s, d, _| {
        let [r, g, b] = d;
        k::rgb565_to_planar8(s[0], r, g, b)
    })
}

/// `vImageConvert_Planar8toRGB565`; not in place.
pub fn planar8_to_rgb565(src: [Plane; 3], dst: Plane, w: usize, h: usize, f: Flags) -> Result<()> {
    run(src, [dst], w, h, InPlace::No, f, |s, d, _| {
        k::planar8_to_rgb565(s[0], s[1], s[2], d[0])
    })
}

/// `vImageConvert_ARGB1555toPlanar8`; not in place.
pub fn argb1555_to_planar8(
    src: Plane,
    dst: [Plane; 4],
    w: usize,
    h: usize,
    f: Flags,
) -> Result<()> {
    run([src], dst, w, h, InPlace::No, f, |s, d, _| {
        let [a, r, g, b] = d;
        k::argb1555_to_planar8(s[0], [&mut **a, &mut **r, &mut **g, &mut **b])
    })
}

/// `vImageConvert_Planar8toARGB1555`; not in place.
pub fn planar8_to_argb1555(
    src: [Plane; 4],
    dst: Plane,
    w: usize,
    h: usize,
    f: Flags,
) -> Result<()> {
    run(src, [dst], w, h, InPlace::No, f, |s, d, _| {
        k::planar8_to_argb1555(*s, d[0])
    })
}

// ---- 10-bit packed formats --------------------------------------------------------------------

/// The checked range of a 10-bit conversion. `decode` conversions divide by the range, so they
/// need `min < max`; all need `0 <= min <= max <= 1023`.
pub fn range10(min: i32, max: i32, decode: bool) -> Result<Range10> {
    if min > max {
        return Err(Error::InvalidParameter(
            "RGB101010RangeMin is bigger than RGB101010RangeMax",
        ));
    }
    if min < 0 || max > 1023 {
        return Err(Error::InvalidParameter(
            "RGB101010RangeMin < 0 or RGB101010RangeMax > 1023",
        ));
    }
    if decode && min == max {
        return Err(Error::InvalidParameter(
            "RGB101010RangeMin equals RGB101010RangeMax (empty range)",
        ));
    }
    Ok(Range10 { min, max })
}

/// A permute map: NULL (`None`) is the identity; entries must be 0...3.
pub fn permute_map(map: Option<[u8; 4]>) -> Result<[u8; 4]> {
    let map = map.unwrap_or([0, 1, 2, 3]);
    if map.iter().any(|&m| m > 3) {
        return Err(Error::InvalidParameter("permuteMap entries must be 0...3"));
    }
    Ok(map)
}

/// The sample type of the unpacked side of a 10-bit conversion.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Wide {
    /// ARGB8888; the constant alpha of an XRGB source.
    U8(u8),
    /// ARGB16U.
    U16(u16),
    /// ARGBFFFF.
    F(f32),
}

/// `vImageConvert_{XRGB2101010,ARGB2101010,RGBA1010102}To{ARGB8888,ARGB16U,ARGBFFFF}`.
/// Not in place when the destination pixel is wider than the source's; IP-B otherwise (vimage's
/// choice; Apple does not say).
#[allow(clippy::too_many_arguments)]
pub fn unpack10(
    format: Packed10,
    to: Wide,
    src: Plane,
    dst: Plane,
    w: usize,
    h: usize,
    range_min: i32,
    range_max: i32,
    map: Option<[u8; 4]>,
    f: Flags,
) -> Result<()> {
    let range = range10(range_min, range_max, true)?;
    let map = permute_map(map)?;
    match to {
        Wide::U8(a) => one(src, dst, w, h, InPlace::SameStart, f, |s, d| {
            k::unpack10_int::<u8>(format, s, d, range, i32::from(a), map)
        }),
        Wide::U16(a) => one(src, dst, w, h, InPlace::No, f, |s, d| {
            k::unpack10_int::<u16>(format, s, d, range, i32::from(a), map)
        }),
        Wide::F(a) => {
            let clamp = !f.contains(Flags::DO_NOT_CLAMP);
            one(src, dst, w, h, InPlace::No, f, |s, d| {
                k::unpack10_f(format, s, d, range, a, map, clamp)
            })
        }
    }
}

/// `vImageConvert_{ARGB8888,ARGB16U,ARGBFFFF}To{XRGB2101010,ARGB2101010,RGBA1010102}`; in place
/// IP-B (vimage's choice; the destination pixel is never wider than the source's).
#[allow(clippy::too_many_arguments)]
pub fn pack10(
    format: Packed10,
    from: Wide,
    src: Plane,
    dst: Plane,
    w: usize,
    h: usize,
    range_min: i32,
    range_max: i32,
    map: Option<[u8; 4]>,
    f: Flags,
) -> Result<()> {
    let range = range10(range_min, range_max, false)?;
    let map = permute_map(map)?;
    let ip = InPlace::SameStart;
    match from {
        Wide::U8(_) => one(src, dst, w, h, ip, f, |s, d| {
            k::pack10_int::<u8>(format, s, d, range, map)
        }),
        Wide::U16(_) => one(src, dst, w, h, ip, f, |s, d| {
            k::pack10_int::<u16>(format, s, d, range, map)
        }),
        Wide::F(_) => {
            let clamp = !f.contains(Flags::DO_NOT_CLAMP);
            one(src, dst, w, h, ip, f, |s, d| {
                k::pack10_f(format, s, d, range, map, clamp)
            })
        }
    }
}

// ---- 1-, 2- and 4-bit planar and indexed formats ------------------------------------------------

fn unpack_bits(
    bits: usize,
    src: Plane,
    dst: Plane,
    w: usize,
    h: usize,
    f: Flags,
    table: [u8; 16],
) -> Result<()> {
    let kernel = match bits {
        1 => k::unpack_sub_byte::<1>,
        2 => k::unpack_sub_byte::<2>,
        4 => k::unpack_sub_byte::<4>,
        _ => return Err(Error::Internal("sub-byte depth")),
    };
    one(src, dst, w, h, InPlace::No, f, |s, d| kernel(s, d, &table))
}

/// `vImageConvert_Planar{1,2,4}toPlanar8`: value x 255, 85 or 17; not in place.
pub fn planar_n_to_planar8(
    bits: usize,
    src: Plane,
    dst: Plane,
    w: usize,
    h: usize,
    f: Flags,
) -> Result<()> {
    let step = (255 / ((1u32 << bits) - 1)) as u8;
    let table: [u8; 16] = std::array::from_fn(|i| (i as u8).wrapping_mul(step));
    unpack_bits(bits, src, dst, w, h, f, table)
}

/// `vImageConvert_Indexed{1,2,4}toPlanar8`: a colour-table lookup; not in place.
pub fn indexed_n_to_planar8(
    bits: usize,
    colors: &[u8],
    src: Plane,
    dst: Plane,
    w: usize,
    h: usize,
    f: Flags,
) -> Result<()> {
    let mut table = [0u8; 16];
    table[..colors.len()].copy_from_slice(colors);
    unpack_bits(bits, src, dst, w, h, f, table)
}

/// Packs Planar8 rows onto `levels` with `dither`, `bits` per output index.
#[allow(clippy::too_many_arguments)]
fn pack_bits(
    bits: usize,
    levels: &Levels,
    dither: Dither,
    src: Plane,
    dst: Plane,
    w: usize,
    h: usize,
    f: Flags,
) -> Result<()> {
    let pack = match bits {
        1 => k::pack_sub_byte::<1>,
        2 => k::pack_sub_byte::<2>,
        4 => k::pack_sub_byte::<4>,
        _ => return Err(Error::Internal("sub-byte depth")),
    };
    match dither {
        Dither::None => one(src, dst, w, h, InPlace::No, f, |s, d| {
            let idx: Vec<u8> = s.iter().map(|&v| levels.index(v, 64)).collect();
            pack(&idx, d)
        }),
        Dither::Ordered => {
            let y = AtomicUsize::new(0);
            one(
                src,
                dst,
                w,
                h,
                InPlace::No,
                f | Flags::DO_NOT_TILE,
                |s, d| {
                    let row = &BAYER8[y.fetch_add(1, Ordering::Relaxed) % 8];
                    let idx: Vec<u8> = s
                        .iter()
                        .enumerate()
                        .map(|(x, &v)| levels.index(v, 2 * u32::from(row[x % 8]) + 1))
                        .collect();
                    pack(&idx, d)
                },
            )
        }
        Dither::Diffuse(kind) => {
            let state = Mutex::new(Diffusion::default());
            one(
                src,
                dst,
                w,
                h,
                InPlace::No,
                f | Flags::DO_NOT_TILE,
                |s, d| {
                    let mut idx = vec![0u8; s.len()];
                    let mut st = state.lock().unwrap_or_else(|e| e.into_inner());
                    st.row(kind, levels, s, &mut idx);
                    pack(&idx, d)
                },
            )
        }
    }
}

/// `vImageConvert_Planar8toPlanar{1,2,4}`: to the nearest of the `2^bits` evenly spaced levels
/// (`dither` None), or dithered; not in place.
#[allow(clippy::too_many_arguments)]
pub fn planar8_to_planar_n(
    bits: usize,
    dither: i32,
    src: Plane,
    dst: Plane,
    w: usize,
    h: usize,
    f: Flags,
) -> Result<()> {
    let dither = Dither::parse(dither, true)?;
    let n = 1usize << bits;
    let step = 255 / (n - 1);
    let levels: Vec<u8> = (0..n).map(|i| (i * step) as u8).collect();
    pack_bits(bits, &Levels::new(&levels), dither, src, dst, w, h, f)
}

/// `vImageConvert_Planar8toIndexed{1,2,4}`: each pixel to the index of the nearest colour of
/// `colors` (non-decreasing, else `kvImageInvalidParameter`), or dithered. An all-zero table is
/// first filled (and returned) with levels evenly spaced from the image's darkest to its
/// brightest value. Not in place.
#[allow(clippy::too_many_arguments)]
pub fn planar8_to_indexed_n(
    bits: usize,
    colors: &mut [u8],
    dither: i32,
    src: Plane,
    dst: Plane,
    w: usize,
    h: usize,
    f: Flags,
) -> Result<()> {
    let dither = Dither::parse(dither, true)?;
    if colors.windows(2).any(|p| p[0] > p[1]) {
        return Err(Error::InvalidParameter(
            "colors must be in non-decreasing order (or all zero)",
        ));
    }
    let mut table = colors.to_vec();
    if table.iter().all(|&c| c == 0) && !f.contains(Flags::GET_TEMP_BUFFER_SIZE) {
        let (lo, hi) = (AtomicU8::new(255), AtomicU8::new(0));
        run([src], [], w, h, InPlace::No, f, |s, _, _| {
            if let (Some(&mn), Some(&mx)) = (s[0].iter().min(), s[0].iter().max()) {
                lo.fetch_min(mn, Ordering::Relaxed);
                hi.fetch_max(mx, Ordering::Relaxed);
            }
        })?;
        let (lo, hi) = (u32::from(lo.into_inner()), u32::from(hi.into_inner()));
        if w > 0 && h > 0 {
            let n = table.len() as u32;
            for (i, c) in table.iter_mut().enumerate() {
                *c = (lo + ((hi - lo) * i as u32 * 2 + (n - 1)) / (2 * (n - 1))) as u8;
            }
        }
    }
    pack_bits(bits, &Levels::new(&table), dither, src, dst, w, h, f)?;
    colors.copy_from_slice(&table);
    Ok(())
}
