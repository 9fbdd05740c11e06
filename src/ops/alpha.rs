//! Alpha.h (premultiply, unpremultiply, blends, clip to alpha) and the Flatten functions of
//! Conversion.h: the safe core behind `ffi::vimage_alpha` and `ffi::vimage_conversion::flatten`.
//!
//! Four-channel functions take the sample kind ([`Depth`]) and the alpha position (0 for the
//! ARGB-named functions, 3 for the RGBA / BGRA-named ones). 8-bit interleaved premultiply,
//! unpremultiply and premultiplied flatten run through the converter's own kernels
//! ([`Kernel::premultiply8`], [`Kernel::unpremultiply8`], [`Kernel::flatten8`]).

#![allow(clippy::too_many_arguments)] // Apple's parameter lists

use crate::error::{Error, Result};
use crate::flags::Flags;
use crate::kernels::Kernel;
use crate::kernels::alpha as k;
use crate::kernels::rows::{InPlace, Plane, run};

pub use crate::kernels::alpha::BlendMode;

/// Sample kind of a four-channel image.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Depth {
    /// 8-bit unsigned (`…8888`).
    U8,
    /// 16-bit unsigned, host byte order (`…16U`).
    U16,
    /// binary32 (`…FFFF`).
    F32,
    /// 16-bit signed fixed point, 4096 = 1.0 (`…16Q12`).
    Q12,
}

impl Depth {
    /// Bits per four-channel pixel.
    pub fn bits_per_pixel(self) -> usize {
        match self {
            Depth::U8 => 32,
            Depth::U16 | Depth::Q12 => 64,
            Depth::F32 => 128,
        }
    }
}

/// Sample kind of a planar (one-channel) image.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Planar {
    /// `Planar8`.
    U8,
    /// `PlanarF`.
    F32,
}

impl Planar {
    /// Bits per pixel.
    pub fn bits_per_pixel(self) -> usize {
        match self {
            Planar::U8 => 8,
            Planar::F32 => 32,
        }
    }
}

/// `vImagePremultiplyData_<4 channels>`: colour `c * a` rounded as the depth documents, alpha
/// copied. In place IP-B.
pub fn premultiply(
    depth: Depth,
    alpha: usize,
    src: Plane,
    dst: Plane,
    width: usize,
    height: usize,
    flags: Flags,
) -> Result<()> {
    let ip = InPlace::SameStart;
    match depth {
        Depth::U8 => {
            let kernel = Kernel::premultiply8(4, alpha);
            run([src], [dst], width, height, ip, flags, |s, d, w| {
                kernel.run(s[0], d[0], w)
            })
        }
        Depth::U16 => run([src], [dst], width, height, ip, flags, |s, d, _| {
            k::premultiply16(alpha, s[0], d[0])
        }),
        Depth::F32 => run([src], [dst], width, height, ip, flags, |s, d, _| {
            k::premultiply_f(alpha, s[0], d[0])
        }),
        Depth::Q12 => run([src], [dst], width, height, ip, flags, |s, d, _| {
            k::premultiply_q12(alpha, s[0], d[0])
        }),
    }
}

/// `vImageUnpremultiplyData_<4 channels>`: colour `(min(c, a) * max + a/2) / a` (0 when a is 0;
/// float `c / a`, 0 when a is 0), alpha copied. In place IP-A only.
pub fn unpremultiply(
    depth: Depth,
    alpha: usize,
    src: Plane,
    dst: Plane,
    width: usize,
    height: usize,
    flags: Flags,
) -> Result<()> {
    let ip = InPlace::Exact;
    match depth {
        Depth::U8 => {
            let kernel = Kernel::unpremultiply8(4, alpha);
            run([src], [dst], width, height, ip, flags, |s, d, w| {
                kernel.run(s[0], d[0], w)
            })
        }
        Depth::U16 => run([src], [dst], width, height, ip, flags, |s, d, _| {
            k::unpremultiply16(alpha, s[0], d[0])
        }),
        Depth::F32 => run([src], [dst], width, height, ip, flags, |s, d, _| {
            k::unpremultiply_f(alpha, s[0], d[0])
        }),
        Depth::Q12 => run([src], [dst], width, height, ip, flags, |s, d, _| {
            k::unpremultiply_q12(alpha, s[0], d[0])
        }),
    }
}

/// `vImagePremultiplyData_Planar8 / _PlanarF`. In place IP-B.
pub fn premultiply_planar(
    depth: Planar,
    src: Plane,
    alpha: Plane,
    dst: Plane,
    width: usize,
    height: usize,
    flags: Flags,
) -> Result<()> {
    let f = match depth {
        Planar::U8 => k::premultiply_planar8,
        Planar::F32 => k::premultiply_planar_f,
    };
    run(
        [src, alpha],
        [dst],
        width,
        height,
        InPlace::SameStart,
        flags,
        |s, d, _| f(s[0], s[1], d[0]),
    )
}

/// `vImageUnpremultiplyData_Planar8 / _PlanarF`. In place IP-B.
pub fn unpremultiply_planar(
    depth: Planar,
    src: Plane,
    alpha: Plane,
    dst: Plane,
    width: usize,
    height: usize,
    flags: Flags,
) -> Result<()> {
    let f = match depth {
        Planar::U8 => k::unpremultiply_planar8,
        Planar::F32 => k::unpremultiply_planar_f,
    };
    run(
        [src, alpha],
        [dst],
        width,
        height,
        InPlace::SameStart,
        flags,
        |s, d, _| f(s[0], s[1], d[0]),
    )
}

/// `vImageClipToAlpha_<4 channels>` (8-bit or float): colour `min(c, a)`. In place IP-B.
pub fn clip_to_alpha(
    depth: Planar,
    alpha: usize,
    src: Plane,
    dst: Plane,
    width: usize,
    height: usize,
    flags: Flags,
) -> Result<()> {
    let f = match depth {
        Planar::U8 => k::clip8,
        Planar::F32 => k::clip_f,
    };
    run(
        [src],
        [dst],
        width,
        height,
        InPlace::SameStart,
        flags,
        |s, d, _| f(alpha, s[0], d[0]),
    )
}

/// `vImageClipToAlpha_Planar8 / _PlanarF`. In place IP-B.
pub fn clip_to_alpha_planar(
    depth: Planar,
    src: Plane,
    alpha: Plane,
    dst: Plane,
    width: usize,
    height: usize,
    flags: Flags,
) -> Result<()> {
    let f = match depth {
        Planar::U8 => k::clip_planar8,
        Planar::F32 => k::clip_planar_f,
    };
    run(
        [src, alpha],
        [dst],
        width,
        height,
        InPlace::SameStart,
        flags,
        |s, d, _| f(s[0], s[1], d[0]),
    )
}

/// `vImagePremultipliedAlphaBlend_<4 channels>`: `t + (1 - ta) * b` on every channel (8-bit
/// rounded and saturated). In place IP-B.
pub fn premultiplied_blend(
    depth: Planar,
    alpha: usize,
    top: Plane,
    bottom: Plane,
    dst: Plane,
    width: usize,
    height: usize,
    flags: Flags,
) -> Result<()> {
    let f = match depth {
        Planar::U8 => k::over8,
        Planar::F32 => k::over_f,
    };
    run(
        [top, bottom],
        [dst],
        width,
        height,
        InPlace::SameStart,
        flags,
        |s, d, _| f(alpha, s[0], s[1], d[0]),
    )
}

/// `vImagePremultipliedAlphaBlend_Planar8 / _PlanarF` (top, topAlpha, bottom). In place IP-B.
pub fn premultiplied_blend_planar(
    depth: Planar,
    top: Plane,
    top_alpha: Plane,
    bottom: Plane,
    dst: Plane,
    width: usize,
    height: usize,
    flags: Flags,
) -> Result<()> {
    let f = match depth {
        Planar::U8 => k::over_planar8,
        Planar::F32 => k::over_planar_f,
    };
    run(
        [top, top_alpha, bottom],
        [dst],
        width,
        height,
        InPlace::SameStart,
        flags,
        |s, d, _| f(s[0], s[1], s[2], d[0]),
    )
}

/// `vImageAlphaBlend_ARGB8888 / _ARGBFFFF` (non-premultiplied in and out, alpha first).
/// In place IP-B.
pub fn alpha_blend(
    depth: Planar,
    top: Plane,
    bottom: Plane,
    dst: Plane,
    width: usize,
    height: usize,
    flags: Flags,
) -> Result<()> {
    let f = match depth {
        Planar::U8 => k::alpha_blend8,
        Planar::F32 => k::alpha_blend_f,
    };
    run(
        [top, bottom],
        [dst],
        width,
        height,
        InPlace::SameStart,
        flags,
        |s, d, _| f(s[0], s[1], d[0]),
    )
}

/// `vImageAlphaBlend_Planar8 / _PlanarF`: sources `[top, topAlpha, bottom, bottomAlpha,
/// alpha]`. In place IP-B.
pub fn alpha_blend_planar(
    depth: Planar,
    srcs: [Plane; 5],
    dst: Plane,
    width: usize,
    height: usize,
    flags: Flags,
) -> Result<()> {
    let f = match depth {
        Planar::U8 => k::alpha_blend_planar8,
        Planar::F32 => k::alpha_blend_planar_f,
    };
    run(
        srcs,
        [dst],
        width,
        height,
        InPlace::SameStart,
        flags,
        |s, d, _| f(*s, d[0]),
    )
}

/// A constant alpha of the top image: 8-bit or float.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ConstAlpha {
    U8(u8),
    F32(f32),
}

/// `vImagePremultipliedConstAlphaBlend_ARGB8888 / _ARGBFFFF`. In place IP-B.
pub fn const_alpha_blend(
    k_alpha: ConstAlpha,
    top: Plane,
    bottom: Plane,
    dst: Plane,
    width: usize,
    height: usize,
    flags: Flags,
) -> Result<()> {
    run(
        [top, bottom],
        [dst],
        width,
        height,
        InPlace::SameStart,
        flags,
        |s, d, _| match k_alpha {
            ConstAlpha::U8(c) => k::const_blend8(c, s[0], s[1], d[0]),
            ConstAlpha::F32(c) => k::const_blend_f(c, s[0], s[1], d[0]),
        },
    )
}

/// `vImagePremultipliedConstAlphaBlend_Planar8 / _PlanarF` (top, topAlpha, bottom). In place
/// IP-B.
pub fn const_alpha_blend_planar(
    k_alpha: ConstAlpha,
    top: Plane,
    top_alpha: Plane,
    bottom: Plane,
    dst: Plane,
    width: usize,
    height: usize,
    flags: Flags,
) -> Result<()> {
    run(
        [top, top_alpha, bottom],
        [dst],
        width,
        height,
        InPlace::SameStart,
        flags,
        |s, d, _| match k_alpha {
            ConstAlpha::U8(c) => k::const_blend_planar8(c, s[0], s[1], s[2], d[0]),
            ConstAlpha::F32(c) => k::const_blend_planar_f(c, s[0], s[1], s[2], d[0]),
        },
    )
}

/// `vImageAlphaBlend_NonpremultipliedToPremultiplied_ARGB8888 / _ARGBFFFF`. In place IP-B.
pub fn nonpremultiplied_to_premultiplied(
    depth: Planar,
    top: Plane,
    bottom: Plane,
    dst: Plane,
    width: usize,
    height: usize,
    flags: Flags,
) -> Result<()> {
    let f = match depth {
        Planar::U8 => k::nonpremul_blend8,
        Planar::F32 => k::nonpremul_blend_f,
    };
    run(
        [top, bottom],
        [dst],
        width,
        height,
        InPlace::SameStart,
        flags,
        |s, d, _| f(s[0], s[1], d[0]),
    )
}

/// `vImageAlphaBlend_NonpremultipliedToPremultiplied_Planar8 / _PlanarF` (top, topAlpha,
/// bottom). In place IP-B.
pub fn nonpremultiplied_to_premultiplied_planar(
    depth: Planar,
    top: Plane,
    top_alpha: Plane,
    bottom: Plane,
    dst: Plane,
    width: usize,
    height: usize,
    flags: Flags,
) -> Result<()> {
    let f = match depth {
        Planar::U8 => k::nonpremul_blend_planar8,
        Planar::F32 => k::nonpremul_blend_planar_f,
    };
    run(
        [top, top_alpha, bottom],
        [dst],
        width,
        height,
        InPlace::SameStart,
        flags,
        |s, d, _| f(s[0], s[1], s[2], d[0]),
    )
}

/// `vImagePremultipliedAlphaBlendWithPermute_ARGB8888 / _RGBA8888`: `permuteMap` entries above
/// 3 are `kvImageInvalidParameter`. In place IP-B.
pub fn premultiplied_blend_with_permute(
    alpha: usize,
    top: Plane,
    bottom: Plane,
    dst: Plane,
    width: usize,
    height: usize,
    map: [u8; 4],
    opaque: bool,
    flags: Flags,
) -> Result<()> {
    if map.iter().any(|&m| m > 3) {
        return Err(Error::InvalidParameter("permuteMap entries must be 0...3"));
    }
    run(
        [top, bottom],
        [dst],
        width,
        height,
        InPlace::SameStart,
        flags,
        |s, d, _| k::over_permute8(alpha, map, opaque, s[0], s[1], d[0]),
    )
}

/// `vImagePremultipliedAlphaBlend{Multiply,Screen,Darken,Lighten}_RGBA8888`. In place IP-B.
pub fn premultiplied_blend_mode(
    mode: BlendMode,
    top: Plane,
    bottom: Plane,
    dst: Plane,
    width: usize,
    height: usize,
    flags: Flags,
) -> Result<()> {
    run(
        [top, bottom],
        [dst],
        width,
        height,
        InPlace::SameStart,
        flags,
        |s, d, _| k::blend_mode8(mode, s[0], s[1], d[0]),
    )
}

// ---- flatten ------------------------------------------------------------------------------------

/// Channel order of a four-channel flatten source.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Order {
    Argb,
    Rgba,
    Bgra,
}

impl Order {
    fn alpha(self) -> usize {
        match self {
            Order::Argb => 0,
            Order::Rgba | Order::Bgra => 3,
        }
    }

    /// Source channel of each R, G, B output.
    fn rgb(self) -> [u8; 3] {
        match self {
            Order::Argb => [1, 2, 3],
            Order::Rgba => [0, 1, 2],
            Order::Bgra => [2, 1, 0],
        }
    }
}

/// `vImageFlatten_{ARGB,RGBA,BGRA}8888ToRGB888`: the background is in the SOURCE's channel
/// order and its alpha is ignored. Premultiplied input through [`Kernel::flatten8`]; straight
/// input with one rounding. In place IP-A.
pub fn flatten_to_rgb888(
    order: Order,
    src: Plane,
    dst: Plane,
    width: usize,
    height: usize,
    background: [u8; 4],
    premultiplied: bool,
    flags: Flags,
) -> Result<()> {
    let (alpha, map) = (order.alpha(), order.rgb());
    let bg = map.map(|m| background[usize::from(m)]);
    let ip = InPlace::Exact;
    if premultiplied {
        let kernel = Kernel::flatten8(4, 3, alpha, &map, &bg);
        run([src], [dst], width, height, ip, flags, |s, d, w| {
            kernel.run(s[0], d[0], w)
        })
    } else {
        run([src], [dst], width, height, ip, flags, |s, d, _| {
            k::flatten_straight8(alpha, &map, &bg, s[0], d[0])
        })
    }
}

/// `vImageFlatten_{ARGB,RGBA,BGRA}FFFFToRGBFFF`: as [`flatten_to_rgb888`] in float.
pub fn flatten_to_rgbfff(
    order: Order,
    src: Plane,
    dst: Plane,
    width: usize,
    height: usize,
    background: [f32; 4],
    premultiplied: bool,
    flags: Flags,
) -> Result<()> {
    let (alpha, map) = (order.alpha(), order.rgb());
    let bg = map.map(|m| background[usize::from(m)]);
    run(
        [src],
        [dst],
        width,
        height,
        InPlace::Exact,
        flags,
        |s, d, _| k::flatten_f(alpha, premultiplied, &map, &bg, s[0], d[0]),
    )
}

/// A premultiplied background colour of a four-channel flatten, in the image's channel order.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Background {
    U8([u8; 4]),
    U16([u16; 4]),
    F32([f32; 4]),
    Q12([i16; 4]),
}

/// `vImageFlatten_{ARGB,RGBA}{8888,16U,FFFF,16Q12}`: every channel, alpha included, composited
/// over the (premultiplied) background; the result is premultiplied. In place IP-B.
pub fn flatten4(
    alpha: usize,
    src: Plane,
    dst: Plane,
    width: usize,
    height: usize,
    background: Background,
    premultiplied: bool,
    flags: Flags,
) -> Result<()> {
    let ip = InPlace::SameStart;
    let id = [0u8, 1, 2, 3];
    match background {
        Background::U8(bg) if premultiplied => {
            let kernel = Kernel::flatten8(4, 4, alpha, &id, &bg);
            run([src], [dst], width, height, ip, flags, |s, d, w| {
                kernel.run(s[0], d[0], w)
            })
        }
        Background::U8(bg) => run([src], [dst], width, height, ip, flags, |s, d, _| {
            k::flatten_straight8(alpha, &id, &bg, s[0], d[0])
        }),
        Background::U16(bg) => run([src], [dst], width, height, ip, flags, |s, d, _| {
            k::flatten16(alpha, premultiplied, bg, s[0], d[0])
        }),
        Background::F32(bg) => run([src], [dst], width, height, ip, flags, |s, d, _| {
            k::flatten_f(alpha, premultiplied, &id, &bg, s[0], d[0])
        }),
        Background::Q12(bg) => run([src], [dst], width, height, ip, flags, |s, d, _| {
            k::flatten_q12(alpha, premultiplied, bg, s[0], d[0])
        }),
    }
}
