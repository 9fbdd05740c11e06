//! Conversion.h §1.1 / §1.2: dropping and adding the fourth channel, interleaving planes and
//! splitting interleaved pixels into planes, for 8-bit, 16-bit unsigned and float samples, and
//! the generic strided ("chunky") forms.
//!
//! Drops (4 -> 3) and constant-alpha inserts (3 -> 4, not premultiplied) are byte gathers and
//! run through the converter's SIMD [`Kernel::byte_map`]; the rest through the row kernels of
//! [`crate::kernels::interleave`].

use crate::error::{Error, Result};
use crate::flags::Flags;
use crate::kernels::interleave::{self as k, Order, Sample};
use crate::kernels::rows::{InPlace, Plane, run};
use crate::kernels::{FILL, Kernel};

pub use crate::kernels::interleave::Order as ChannelOrder;

/// The byte map of a 4 -> 3 drop of `elem`-byte samples: ARGB keeps channels 1, 2, 3; RGBA
/// keeps 0, 1, 2; BGRA keeps 2, 1, 0 (drops alpha and reverses).
fn drop_map(order: Order, elem: usize) -> Vec<u8> {
    let channels: [usize; 3] = match order {
        Order::Argb => [1, 2, 3],
        Order::Rgba => [0, 1, 2],
        Order::Bgra => [2, 1, 0],
    };
    channels
        .iter()
        .flat_map(|&c| (0..elem).map(move |b| (c * elem + b) as u8))
        .collect()
}

/// `vImageConvert_{ARGB,RGBA,BGRA}{8888,16U,FFFF}toRGB{888,16U,FFF}`: drops the alpha channel
/// of `order` (and reverses BGRA), samples of `elem` bytes.
#[allow(clippy::too_many_arguments)]
pub fn drop_alpha(
    src: Plane,
    dst: Plane,
    width: usize,
    height: usize,
    elem: usize,
    order: Order,
    in_place: InPlace,
    flags: Flags,
) -> Result<()> {
    let kernel = Kernel::byte_map(4 * elem, 3 * elem, &drop_map(order, elem), &[]);
    run([src], [dst], width, height, in_place, flags, |s, d, w| {
        kernel.run(s[0], d[0], w)
    })
}

/// `vImageConvert_RGB{888,16U,FFF}to{ARGB,RGBA,BGRA}{8888,16U,FFFF}`: three colours plus alpha
/// from the plane `alpha_plane` or, when it is `None`, the constant `alpha`; with
/// `premultiply` every colour becomes [`Sample::premultiply`]`(c, a)`. Not in place.
#[allow(clippy::too_many_arguments)]
pub fn add_alpha<T: Sample>(
    rgb: Plane,
    alpha_plane: Option<Plane>,
    alpha: T,
    dst: Plane,
    width: usize,
    height: usize,
    order: Order,
    premultiply: bool,
    flags: Flags,
) -> Result<()> {
    let e = T::SIZE;
    let mut alpha_bytes = [0u8; 4];
    alpha.store(&mut alpha_bytes);
    match alpha_plane {
        None if !premultiply => {
            // A constant insert is a byte gather with fill: the converter's kernel.
            let mut map = vec![FILL; 4 * e];
            let mut fill = vec![0u8; 4 * e];
            for (j, &from) in order.map().iter().enumerate() {
                for b in 0..e {
                    if from == 3 {
                        fill[j * e + b] = alpha_bytes[b];
                    } else {
                        map[j * e + b] = (from * e + b) as u8;
                    }
                }
            }
            let kernel = Kernel::byte_map(3 * e, 4 * e, &map, &fill);
            run(
                [rgb],
                [dst],
                width,
                height,
                InPlace::No,
                flags,
                |s, d, w| kernel.run(s[0], d[0], w),
            )
        }
        None => {
            let f = k::rgb_alpha::<T>(order, true);
            let row: Vec<u8> = alpha_bytes[..e]
                .iter()
                .copied()
                .cycle()
                .take(width * e)
                .collect();
            run(
                [rgb],
                [dst],
                width,
                height,
                InPlace::No,
                flags,
                |s, d, w| f(s[0], &row, d[0], w),
            )
        }
        Some(a) => {
            let f = k::rgb_alpha::<T>(order, premultiply);
            run(
                [rgb, a],
                [dst],
                width,
                height,
                InPlace::No,
                flags,
                |s, d, w| f(s[0], s[1], d[0], w),
            )
        }
    }
}

fn bad_elem() -> Error {
    Error::Internal("sample size must be 1, 2 or 4 bytes")
}

/// `vImageConvert_Planar{8,16U,F}to{RGB888,RGB16U,RGBFFF}`: pixel `x` is
/// `(p[0][x], p[1][x], p[2][x])`. Not in place.
pub fn interleave3(
    planes: [Plane; 3],
    dst: Plane,
    width: usize,
    height: usize,
    elem: usize,
    flags: Flags,
) -> Result<()> {
    let f: fn(&[&[u8]; 3], &mut [u8], usize) = match elem {
        1 => k::interleave3::<1>,
        2 => k::interleave3::<2>,
        4 => k::interleave3::<4>,
        _ => return Err(bad_elem()),
    };
    run(
        planes,
        [dst],
        width,
        height,
        InPlace::No,
        flags,
        |s, d, w| f(s, d[0], w),
    )
}

/// `vImageConvert_Planar{8,16U,F}toARGB{8888,16U,FFFF}`: pixel `x` is
/// `(p[0][x], p[1][x], p[2][x], p[3][x])`. Not in place.
pub fn interleave4(
    planes: [Plane; 4],
    dst: Plane,
    width: usize,
    height: usize,
    elem: usize,
    flags: Flags,
) -> Result<()> {
    let f = interleave4_fn(elem)?;
    run(
        planes,
        [dst],
        width,
        height,
        InPlace::No,
        flags,
        |s, d, w| f(s, d[0], w),
    )
}

/// A row function of four planes into one interleaved row.
type Interleave4 = fn(&[&[u8]; 4], &mut [u8], usize);

fn interleave4_fn(elem: usize) -> Result<Interleave4> {
    Ok(match elem {
        1 => k::interleave4::<1>,
        2 => k::interleave4::<2>,
        4 => k::interleave4::<4>,
        _ => return Err(bad_elem()),
    })
}

/// `vImageConvert_Planar{8,F}To{XRGB,BGRX}{8888,FFFF}`: pixel `x` is
/// `(constant, p[0][x], p[1][x], p[2][x])` when `constant_first`, else
/// `(p[0][x], p[1][x], p[2][x], constant)`; `constant` holds one sample. Not in place.
pub fn interleave_with_constant(
    planes: [Plane; 3],
    constant: &[u8],
    constant_first: bool,
    dst: Plane,
    width: usize,
    height: usize,
    flags: Flags,
) -> Result<()> {
    let elem = constant.len();
    let f = interleave4_fn(elem)?;
    let row: Vec<u8> = constant
        .iter()
        .copied()
        .cycle()
        .take(width * elem)
        .collect();
    run(
        planes,
        [dst],
        width,
        height,
        InPlace::No,
        flags,
        |s, d, w| {
            let srcs = if constant_first {
                [&row[..], s[0], s[1], s[2]]
            } else {
                [s[0], s[1], s[2], &row[..]]
            };
            f(&srcs, d[0], w)
        },
    )
}

/// `vImageConvert_ARGB{8888,16U,FFFF}toPlanar{8,16U,F}`: channel `j` of each pixel into plane
/// `j`. Not in place.
pub fn deinterleave4(
    src: Plane,
    planes: [Plane; 4],
    width: usize,
    height: usize,
    elem: usize,
    flags: Flags,
) -> Result<()> {
    let f: fn(&[u8], &mut [&mut [u8]; 4], usize) = match elem {
        1 => k::deinterleave4::<1>,
        2 => k::deinterleave4::<2>,
        4 => k::deinterleave4::<4>,
        _ => return Err(bad_elem()),
    };
    run(
        [src],
        planes,
        width,
        height,
        InPlace::No,
        flags,
        |s, d, w| f(s[0], d, w),
    )
}

/// Which three channels [`deinterleave3`] keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Three {
    /// Three-channel pixels, all kept (`RGB888toPlanar8`...).
    Rgb,
    /// Four-channel pixels, channel 0 dropped (`XRGB8888ToPlanar8`...).
    DropFirst,
    /// Four-channel pixels, channel 3 dropped (`BGRX8888ToPlanar8`...).
    DropLast,
}

/// `vImageConvert_RGB{888,16U,FFF}toPlanar{8,16U,F}` and `…{XRGB,BGRX}{8888,FFFF}ToPlanar{8,F}`:
/// the three kept channels (see [`Three`]) into planes 0, 1, 2 in memory order. Not in place.
pub fn deinterleave3(
    src: Plane,
    planes: [Plane; 3],
    width: usize,
    height: usize,
    elem: usize,
    which: Three,
    flags: Flags,
) -> Result<()> {
    type F = fn(&[u8], &mut [&mut [u8]; 3], usize);
    let f: F = match (which, elem) {
        (Three::Rgb, 1) => k::deinterleave3::<1, 3, 0>,
        (Three::Rgb, 2) => k::deinterleave3::<2, 3, 0>,
        (Three::Rgb, 4) => k::deinterleave3::<4, 3, 0>,
        (Three::DropFirst, 1) => k::deinterleave3::<1, 4, 1>,
        (Three::DropFirst, 2) => k::deinterleave3::<2, 4, 1>,
        (Three::DropFirst, 4) => k::deinterleave3::<4, 4, 1>,
        (Three::DropLast, 1) => k::deinterleave3::<1, 4, 0>,
        (Three::DropLast, 2) => k::deinterleave3::<2, 4, 0>,
        (Three::DropLast, 4) => k::deinterleave3::<4, 4, 0>,
        _ => return Err(bad_elem()),
    };
    run(
        [src],
        planes,
        width,
        height,
        InPlace::No,
        flags,
        |s, d, w| f(s[0], d, w),
    )
}

/// Where the channels of a strided ("chunky") image sit inside its row span: channel `i` of
/// pixel `x` in row `y` is at `span + y·rowBytes + offsets[i] + x·stride`.
#[derive(Clone, Debug)]
pub struct Strided {
    /// Byte offset of each channel's pixel 0 from the start of the span.
    pub offsets: Vec<usize>,
    /// Bytes from one pixel to the next.
    pub stride: usize,
    /// Bytes per sample.
    pub elem: usize,
}

/// Refuses destinations that overlap one another (the driver's own rule, checked pairwise
/// since the planes run one at a time).
fn disjoint(planes: &[Plane], width: usize, height: usize, flags: Flags) -> Result<()> {
    let probe = flags | Flags::GET_TEMP_BUFFER_SIZE;
    for (i, a) in planes.iter().enumerate() {
        for b in &planes[i + 1..] {
            run(
                [],
                [*a, *b],
                width,
                height,
                InPlace::No,
                probe,
                |_, _, _| {},
            )?;
        }
    }
    Ok(())
}

/// `vImageConvert_ChunkyToPlanar{8,F}`: channel `i` of the strided source `src` (a plane
/// covering the span of every channel, see [`Strided`]) into `planes[i]`. Not in place.
pub fn chunky_to_planar(
    src: Plane,
    layout: &Strided,
    planes: &[Plane],
    width: usize,
    height: usize,
    flags: Flags,
) -> Result<()> {
    disjoint(planes, width, height, flags)?;
    // Every plane's checks pass before any pixel is written.
    let probe = flags | Flags::GET_TEMP_BUFFER_SIZE;
    for p in planes {
        run([src], [*p], width, height, InPlace::No, probe, |_, _, _| {})?;
    }
    for (i, p) in planes.iter().enumerate() {
        let offset = layout.offsets[i];
        run([src], [*p], width, height, InPlace::No, flags, |s, d, w| {
            k::strided_to_plane(s[0], offset, layout.stride, layout.elem, d[0], w)
        })?;
    }
    Ok(())
}

/// `vImageConvert_PlanarToChunky{8,F}`: `planes[i]` into channel `i` of the strided destination
/// `dst` (a plane covering the span of every channel, see [`Strided`]); bytes of the span that
/// belong to no channel are left alone. Where channels share bytes, the later channel wins.
/// Not in place.
pub fn planar_to_chunky(
    planes: &[Plane],
    layout: &Strided,
    dst: Plane,
    width: usize,
    height: usize,
    flags: Flags,
) -> Result<()> {
    // Every plane's checks pass before any pixel is written.
    let probe = flags | Flags::GET_TEMP_BUFFER_SIZE;
    for p in planes {
        run([*p], [dst], width, height, InPlace::No, probe, |_, _, _| {})?;
    }
    for (i, p) in planes.iter().enumerate() {
        let offset = layout.offsets[i];
        run([*p], [dst], width, height, InPlace::No, flags, |s, d, w| {
            k::plane_to_strided(s[0], d[0], offset, layout.stride, layout.elem, w)
        })?;
    }
    Ok(())
}
