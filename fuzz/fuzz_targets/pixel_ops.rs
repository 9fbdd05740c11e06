//! The pixel operations of Alpha.h and Conversion.h: a random operation on random geometry,
//! padding, misalignment, flags and in-place choice.
//!
//! Invariants: the error is one the operation documents; on success every destination pixel
//! equals a direct per-pixel formula written here (`reference`) on the source as it was;
//! only the destination rows are written (guards, padding between rows stay as they were);
//! tiled and `kvImageDoNotTile` runs give the same bytes; in place gives the bytes of out of
//! place where the operation allows it.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use vimage::ffi::vimage_alpha::*;
use vimage::ffi::vimage_conversion::channels::*;
use vimage::ffi::vimage_conversion::depth::*;
use vimage::ffi::vimage_conversion::flatten::*;
use vimage::ffi::vimage_conversion::interleave::*;
use vimage::ffi::vimage_conversion::packed::*;
use vimage::types::*;
use vimage_fuzz::*;

#[derive(Arbitrary, Debug)]
struct Input {
    op: u8,
    width: u8,
    height: u8,
    /// A geometry large enough for the band queue to split the work.
    tiled: bool,
    src_pad: u8,
    dst_pad: u8,
    misalign: u8,
    in_place: bool,
    flags_sel: u8,
    raw_flags: u32,
    map: [u8; 4],
    mask: u8,
    color: [u8; 16],
    pattern: Vec<u8>,
}

/// Parameters every call and reference may use.
struct P {
    map: [u8; 4],
    mask: u8,
    color: [u8; 16],
}

impl P {
    fn f(&self, i: usize) -> f32 {
        // A finite float in [-2, 2] from the colour bytes.
        let b = &self.color[(4 * i) % 16..(4 * i) % 16 + 2];
        (u16::from_le_bytes([b[0], b[1]]) as f32 / 16384.0) - 2.0
    }
}

type Call = fn(&[vImage_Buffer], &[vImage_Buffer], &P, vImage_Flags) -> vImage_Error;
/// Writes the expected destination pixels (one slice per destination plane) from the source
/// pixels (one slice per source plane).
type Reference = fn(&[&[u8]], &mut [Vec<u8>], &P);

#[derive(Clone, Copy, PartialEq)]
enum Ip {
    No,
    /// Same data and rowBytes.
    Exact,
}

struct Spec {
    name: &'static str,
    srcs: &'static [usize],
    dsts: &'static [usize],
    in_place: Ip,
    call: Call,
    reference: Option<Reference>,
    /// Errors besides the universal ones this operation may return for its parameters.
    errors: &'static [vImage_Error],
}

fn div255(x: u32) -> u8 {
    ((x + 127) / 255) as u8
}

fn unpremul(c: u8, a: u8) -> u8 {
    if a == 0 {
        0
    } else {
        ((u32::from(c.min(a)) * 255 + u32::from(a / 2)) / u32::from(a)) as u8
    }
}

fn u16s(b: &[u8]) -> impl Iterator<Item = u16> + '_ {
    b.chunks_exact(2).map(|c| u16::from_ne_bytes([c[0], c[1]]))
}

macro_rules! one_to_one {
    ($f:ident) => {
        |s: &[vImage_Buffer], d: &[vImage_Buffer], _p: &P, fl: vImage_Flags| unsafe { $f(&s[0], &d[0], fl) }
    };
}

const SPECS: &[Spec] = &[
    Spec {
        name: "PremultiplyData_ARGB8888",
        srcs: &[4],
        dsts: &[4],
        in_place: Ip::Exact,
        call: one_to_one!(vImagePremultiplyData_ARGB8888),
        reference: Some(|s, d, _| {
            let a = s[0][0];
            d[0] = vec![a, div255(s[0][1] as u32 * a as u32), div255(s[0][2] as u32 * a as u32), div255(s[0][3] as u32 * a as u32)];
        }),
        errors: &[],
    },
    Spec {
        name: "UnpremultiplyData_RGBA8888",
        srcs: &[4],
        dsts: &[4],
        in_place: Ip::Exact,
        call: one_to_one!(vImageUnpremultiplyData_RGBA8888),
        reference: Some(|s, d, _| {
            let a = s[0][3];
            d[0] = vec![unpremul(s[0][0], a), unpremul(s[0][1], a), unpremul(s[0][2], a), a];
        }),
        errors: &[],
    },
    Spec {
        name: "UnpremultiplyData_ARGB16U",
        srcs: &[8],
        dsts: &[8],
        in_place: Ip::Exact,
        call: one_to_one!(vImageUnpremultiplyData_ARGB16U),
        reference: Some(|s, d, _| {
            let v: Vec<u16> = u16s(s[0]).collect();
            let a = v[0] as u64;
            let out: Vec<u16> = (0..4)
                .map(|i| {
                    if i == 0 {
                        v[0]
                    } else if a == 0 {
                        0
                    } else {
                        ((v[i] as u64).min(a) * 65535 + a / 2).checked_div(a).unwrap_or(0) as u16
                    }
                })
                .collect();
            d[0] = out.iter().flat_map(|x| x.to_ne_bytes()).collect();
        }),
        errors: &[],
    },
    Spec {
        name: "PremultiplyData_RGBAFFFF",
        srcs: &[16],
        dsts: &[16],
        in_place: Ip::Exact,
        call: one_to_one!(vImagePremultiplyData_RGBAFFFF),
        reference: None,
        errors: &[],
    },
    Spec {
        name: "Flatten_ARGB8888ToRGB888 (premultiplied)",
        srcs: &[4],
        dsts: &[3],
        in_place: Ip::No,
        call: |s, d, p, fl| unsafe { vImageFlatten_ARGB8888ToRGB888(&s[0], &d[0], p.color.as_ptr(), true, fl) },
        reference: Some(|s, d, p| {
            let a = s[0][0];
            d[0] = (1..4)
                .map(|i| (s[0][i] as u32 + div255((255 - a as u32) * p.color[i] as u32) as u32).min(255) as u8)
                .collect();
        }),
        errors: &[],
    },
    Spec {
        name: "PermuteChannels_ARGB8888",
        srcs: &[4],
        dsts: &[4],
        in_place: Ip::Exact,
        call: |s, d, p, fl| unsafe { vImagePermuteChannels_ARGB8888(&s[0], &d[0], p.map.as_ptr(), fl) },
        reference: Some(|s, d, p| d[0] = p.map.iter().map(|&m| s[0][m as usize]).collect()),
        errors: &[kvImageInvalidParameter],
    },
    Spec {
        name: "PermuteChannels_ARGBFFFF",
        srcs: &[16],
        dsts: &[16],
        in_place: Ip::Exact,
        call: |s, d, p, fl| unsafe { vImagePermuteChannels_ARGBFFFF(&s[0], &d[0], p.map.as_ptr(), fl) },
        reference: Some(|s, d, p| {
            d[0] = p.map.iter().flat_map(|&m| s[0][4 * m as usize..4 * m as usize + 4].to_vec()).collect()
        }),
        errors: &[kvImageInvalidParameter],
    },
    Spec {
        name: "OverwriteChannelsWithScalar_ARGB8888",
        srcs: &[4],
        dsts: &[4],
        in_place: Ip::Exact,
        call: |s, d, p, fl| unsafe { vImageOverwriteChannelsWithScalar_ARGB8888(p.color[0], &s[0], &d[0], p.mask, fl) },
        reference: Some(|s, d, p| {
            d[0] = (0..4).map(|i| if p.mask & (0x8 >> i) != 0 { p.color[0] } else { s[0][i] }).collect()
        }),
        errors: &[kvImageInvalidParameter],
    },
    Spec {
        name: "ExtractChannel_ARGB8888",
        srcs: &[4],
        dsts: &[1],
        in_place: Ip::No,
        call: |s, d, p, fl| unsafe { vImageExtractChannel_ARGB8888(&s[0], &d[0], (p.map[0] % 5) as _, fl) },
        reference: Some(|s, d, p| d[0] = vec![s[0][(p.map[0] % 5).min(3) as usize]]),
        errors: &[kvImageInvalidParameter],
    },
    Spec {
        name: "TableLookUp_Planar8",
        srcs: &[1],
        dsts: &[1],
        in_place: Ip::Exact,
        call: |s, d, _p, fl| {
            let table: Vec<u8> = (0..=255u8).map(|v| v.wrapping_mul(7).wrapping_add(3)).collect();
            unsafe { vImageTableLookUp_Planar8(&s[0], &d[0], table.as_ptr(), fl) }
        },
        reference: Some(|s, d, _| d[0] = vec![s[0][0].wrapping_mul(7).wrapping_add(3)]),
        errors: &[],
    },
    Spec {
        name: "ARGB8888toRGB888",
        srcs: &[4],
        dsts: &[3],
        in_place: Ip::Exact,
        call: one_to_one!(vImageConvert_ARGB8888toRGB888),
        reference: Some(|s, d, _| d[0] = s[0][1..4].to_vec()),
        errors: &[],
    },
    Spec {
        name: "BGRA8888toRGB888",
        srcs: &[4],
        dsts: &[3],
        in_place: Ip::Exact,
        call: one_to_one!(vImageConvert_BGRA8888toRGB888),
        reference: Some(|s, d, _| d[0] = vec![s[0][2], s[0][1], s[0][0]]),
        errors: &[],
    },
    Spec {
        name: "RGB888toARGB8888 (constant alpha, premultiplied)",
        srcs: &[3],
        dsts: &[4],
        in_place: Ip::No,
        call: |s, d, p, fl| unsafe { vImageConvert_RGB888toARGB8888(&s[0], std::ptr::null(), p.color[0], &d[0], true, fl) },
        reference: Some(|s, d, p| {
            let a = p.color[0] as u32;
            d[0] = vec![p.color[0], div255(s[0][0] as u32 * a), div255(s[0][1] as u32 * a), div255(s[0][2] as u32 * a)];
        }),
        errors: &[],
    },
    Spec {
        name: "ARGB8888toPlanar8",
        srcs: &[4],
        dsts: &[1, 1, 1, 1],
        in_place: Ip::No,
        call: |s, d, _p, fl| unsafe { vImageConvert_ARGB8888toPlanar8(&s[0], &d[0], &d[1], &d[2], &d[3], fl) },
        reference: Some(|s, d, _| {
            for i in 0..4 {
                d[i] = vec![s[0][i]];
            }
        }),
        errors: &[kvImageBufferSizeMismatch],
    },
    Spec {
        name: "Planar8toARGB8888",
        srcs: &[1, 1, 1, 1],
        dsts: &[4],
        in_place: Ip::No,
        call: |s, d, _p, fl| unsafe { vImageConvert_Planar8toARGB8888(&s[0], &s[1], &s[2], &s[3], &d[0], fl) },
        reference: Some(|s, d, _| d[0] = vec![s[0][0], s[1][0], s[2][0], s[3][0]]),
        errors: &[kvImageBufferSizeMismatch],
    },
    Spec {
        name: "RGB888toPlanar8",
        srcs: &[3],
        dsts: &[1, 1, 1],
        in_place: Ip::No,
        call: |s, d, _p, fl| unsafe { vImageConvert_RGB888toPlanar8(&s[0], &d[0], &d[1], &d[2], fl) },
        reference: Some(|s, d, _| {
            for i in 0..3 {
                d[i] = vec![s[0][i]];
            }
        }),
        errors: &[kvImageBufferSizeMismatch],
    },
    Spec {
        name: "Planar8toPlanarF",
        srcs: &[1],
        dsts: &[4],
        in_place: Ip::No,
        call: |s, d, p, fl| unsafe { vImageConvert_Planar8toPlanarF(&s[0], &d[0], p.f(0), p.f(1), fl) },
        reference: None,
        errors: &[],
    },
    Spec {
        name: "PlanarFtoPlanar8",
        srcs: &[4],
        dsts: &[1],
        in_place: Ip::No,
        call: |s, d, p, fl| unsafe { vImageConvert_PlanarFtoPlanar8(&s[0], &d[0], p.f(0), p.f(1), fl) },
        reference: None,
        errors: &[],
    },
    Spec {
        name: "Planar8To16U",
        srcs: &[1],
        dsts: &[2],
        in_place: Ip::No,
        call: one_to_one!(vImageConvert_Planar8To16U),
        reference: Some(|s, d, _| d[0] = (s[0][0] as u16 * 257).to_ne_bytes().to_vec()),
        errors: &[],
    },
    Spec {
        name: "16UToPlanar8",
        srcs: &[2],
        dsts: &[1],
        in_place: Ip::Exact,
        call: one_to_one!(vImageConvert_16UToPlanar8),
        reference: Some(|s, d, _| {
            let v = u16s(s[0]).next().unwrap_or(0) as u32;
            d[0] = vec![((v * 255 + 32767) / 65535) as u8];
        }),
        errors: &[],
    },
    Spec {
        name: "Planar16FtoPlanarF",
        srcs: &[2],
        dsts: &[4],
        in_place: Ip::No,
        call: one_to_one!(vImageConvert_Planar16FtoPlanarF),
        reference: None,
        errors: &[],
    },
    Spec {
        name: "RGB565toARGB8888",
        srcs: &[2],
        dsts: &[4],
        in_place: Ip::No,
        call: |s, d, p, fl| unsafe { vImageConvert_RGB565toARGB8888(p.color[0], &s[0], &d[0], fl) },
        reference: Some(|s, d, p| {
            let v = u16s(s[0]).next().unwrap_or(0) as u32;
            let (r, g, b) = (v >> 11, (v >> 5) & 63, v & 31);
            d[0] = vec![p.color[0], ((r * 255 + 15) / 31) as u8, ((g * 255 + 31) / 63) as u8, ((b * 255 + 15) / 31) as u8];
        }),
        errors: &[],
    },
    Spec {
        name: "ARGB8888toRGB565",
        srcs: &[4],
        dsts: &[2],
        in_place: Ip::Exact,
        call: one_to_one!(vImageConvert_ARGB8888toRGB565),
        reference: Some(|s, d, _| {
            let n = |c: u8, m: u32| (c as u32 * m + 127) / 255;
            let v = (n(s[0][1], 31) << 11) | (n(s[0][2], 63) << 5) | n(s[0][3], 31);
            d[0] = (v as u16).to_ne_bytes().to_vec();
        }),
        errors: &[],
    },
    Spec {
        name: "BufferFill_ARGB8888",
        srcs: &[],
        dsts: &[4],
        in_place: Ip::No,
        call: |_s, d, p, fl| unsafe { vImageBufferFill_ARGB8888(&d[0], p.color.as_ptr(), fl) },
        reference: Some(|_s, d, p| d[0] = p.color[..4].to_vec()),
        errors: &[],
    },
    Spec {
        name: "ClipToAlpha_RGBA8888",
        srcs: &[4],
        dsts: &[4],
        in_place: Ip::Exact,
        call: one_to_one!(vImageClipToAlpha_RGBA8888),
        reference: Some(|s, d, _| {
            let a = s[0][3];
            d[0] = vec![s[0][0].min(a), s[0][1].min(a), s[0][2].min(a), a];
        }),
        errors: &[],
    },
];

/// A caller buffer: the guarded allocation and its description.
struct Buf {
    mem: Guarded,
    desc: vImage_Buffer,
    bpp: usize,
}

fn make(width: usize, height: usize, bpp: usize, pad: usize, misalign: usize, pattern: &[u8], salt: u8) -> Buf {
    let row_bytes = (width * bpp + pad).max(1);
    let len = row_bytes * height.max(1);
    let mut mem = Guarded::new(len, misalign);
    let p: Vec<u8> = pattern.iter().map(|b| b.wrapping_add(salt)).collect();
    mem.fill(&p);
    let desc = vImage_Buffer {
        data: mem.ptr().cast(),
        height: height as _,
        width: width as _,
        rowBytes: row_bytes,
    };
    Buf { mem, desc, bpp }
}

fn rows_of(b: &Buf, width: usize, height: usize) -> Vec<Vec<u8>> {
    let bytes = b.mem.bytes();
    (0..height)
        .map(|y| bytes[y * b.desc.rowBytes..y * b.desc.rowBytes + width * b.bpp].to_vec())
        .collect()
}

/// Universal errors any operation may return for a bad geometry or flags.
const UNIVERSAL: &[vImage_Error] = &[kvImageNoError, kvImageUnknownFlagsBit];

fuzz_target!(|input: Input| {
    let spec = &SPECS[input.op as usize % SPECS.len()];
    let (width, height) = if input.tiled {
        (300 + input.width as usize, 300 + (input.height as usize % 8))
    } else {
        (input.width as usize % 40, input.height as usize % 12)
    };
    let p = P {
        map: input.map,
        mask: input.mask,
        color: input.color,
    };
    let flags = flags(input.flags_sel, &[kvImageDoNotTile, kvImageGetTempBufferSize, kvImageLeaveAlphaUnchanged], input.raw_flags);
    let misalign = input.misalign as usize % 8;
    let pattern = if input.pattern.is_empty() { vec![1, 2, 3, 250, 128, 0, 255, 77] } else { input.pattern.clone() };

    let srcs: Vec<Buf> = spec
        .srcs
        .iter()
        .enumerate()
        .map(|(i, &bpp)| make(width, height, bpp, input.src_pad as usize % 24, misalign, &pattern, i as u8 * 31))
        .collect();
    let mut dsts: Vec<Buf> = spec
        .dsts
        .iter()
        .enumerate()
        .map(|(i, &bpp)| make(width, height, bpp, input.dst_pad as usize % 24, misalign, &pattern, 101 + i as u8))
        .collect();
    let before: Vec<Vec<u8>> = dsts.iter().map(|d| d.mem.bytes().to_vec()).collect();
    let src_before: Vec<Vec<Vec<u8>>> = srcs.iter().map(|s| rows_of(s, width, height)).collect();
    let sd: Vec<vImage_Buffer> = srcs.iter().map(|s| s.desc).collect();
    let dd: Vec<vImage_Buffer> = dsts.iter().map(|d| d.desc).collect();

    let code = (spec.call)(&sd, &dd, &p, flags);
    let allowed: Vec<vImage_Error> = UNIVERSAL.iter().chain(spec.errors).copied().collect();
    assert_documented(code, &allowed, spec.name);
    for s in &srcs {
        s.mem.check_guards(spec.name);
    }
    for (d, b) in dsts.iter().zip(&before) {
        d.mem.check_guards(spec.name);
        // Padding after each row is never written.
        let bytes = d.mem.bytes();
        for y in 0..height {
            let row = y * d.desc.rowBytes;
            assert_eq!(&bytes[row + width * d.bpp..row + d.desc.rowBytes], &b[row + width * d.bpp..row + d.desc.rowBytes], "{}: padding written", spec.name);
        }
        if code != kvImageNoError || flags & kvImageGetTempBufferSize != 0 {
            assert_eq!(bytes, &b[..], "{}: a failed or size-only call wrote pixels", spec.name);
        }
    }
    if code != kvImageNoError || flags & kvImageGetTempBufferSize != 0 {
        return;
    }
    stat(spec.name);
    let out: Vec<Vec<Vec<u8>>> = dsts.iter().map(|d| rows_of(d, width, height)).collect();

    // The direct formula at every pixel.
    if let Some(reference) = spec.reference
        && flags & kvImageLeaveAlphaUnchanged == 0
    {
        for y in 0..height {
            for x in 0..width {
                let px: Vec<&[u8]> = spec.srcs.iter().enumerate().map(|(i, &bpp)| &src_before[i][y][x * bpp..(x + 1) * bpp]).collect();
                let mut want: Vec<Vec<u8>> = vec![Vec::new(); spec.dsts.len()];
                reference(&px, &mut want, &p);
                for (i, &bpp) in spec.dsts.iter().enumerate() {
                    assert_eq!(&out[i][y][x * bpp..(x + 1) * bpp], &want[i][..], "{} at ({x}, {y}) plane {i}", spec.name);
                }
            }
        }
    }

    // Tiled and untiled give the same bytes.
    if flags & kvImageDoNotTile == 0 {
        for (d, b) in dsts.iter_mut().zip(&before) {
            d.mem.bytes_mut().copy_from_slice(b);
        }
        let dd: Vec<vImage_Buffer> = dsts.iter().map(|d| d.desc).collect();
        assert_eq!((spec.call)(&sd, &dd, &p, flags | kvImageDoNotTile), kvImageNoError, "{}: untiled", spec.name);
        let again: Vec<Vec<Vec<u8>>> = dsts.iter().map(|d| rows_of(d, width, height)).collect();
        assert_eq!(again, out, "{}: tiled and untiled differ", spec.name);
    }

    // In place where allowed: the source buffer is also the destination.
    if input.in_place && spec.in_place == Ip::Exact && spec.srcs.len() == 1 && spec.dsts.len() == 1 && spec.srcs[0] >= spec.dsts[0] {
        let mut s = srcs.into_iter().next().expect("one source");
        let inplace_desc = s.desc;
        let code = (spec.call)(&[inplace_desc], &[inplace_desc], &p, flags);
        assert_eq!(code, kvImageNoError, "{}: in place", spec.name);
        s.bpp = spec.dsts[0];
        s.mem.check_guards(spec.name);
        assert_eq!(rows_of(&s, width, height), out[0], "{}: in place differs from out of place", spec.name);
    }
});
