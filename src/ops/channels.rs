//! Channel operations of Conversion.h: permute, overwrite, select, extract, fill, copy, table
//! lookup, clip, byte swap.
//!
//! Pixels are four channels of `elem` bytes each (1 for 8-bit, 2 for 16-bit, 4 for 32-bit
//! elements); every operation but the clip moves bits, so the element's type never matters.
//! Every byte gather (permutes, masked inserts, overwrites with a scalar or a pixel, channel
//! extraction, the 16-bit byte swap) runs on the converter's SIMD [`Kernel::byte_map`].
//!
//! `copyMask`: bit `0x8 >> i` selects channel `i` (0x8 is the first channel in memory).

use crate::error::{Error, Result};
use crate::flags::Flags;
use crate::kernels::rows::{InPlace, Plane, run};
use crate::kernels::{FILL, Kernel, channels as k};

/// Which channels `copy_mask` selects; masks above 15 are `kvImageInvalidParameter`.
fn selected(copy_mask: u8) -> Result<[bool; 4]> {
    if copy_mask > 15 {
        return Err(Error::InvalidParameter("copyMask must be 0...15"));
    }
    Ok(std::array::from_fn(|i| copy_mask & (0x8 >> i) != 0))
}

fn check_map(map: &[u8], channels: u8) -> Result<()> {
    if map.iter().any(|&m| m >= channels) {
        return Err(Error::InvalidParameter(if channels == 4 {
            "permuteMap entries must be 0...3"
        } else {
            "permuteMap entries must be 0...2"
        }));
    }
    Ok(())
}

fn check_elem(elem: usize) {
    assert!(matches!(elem, 1 | 2 | 4), "element size 1, 2 or 4");
}

/// A pixel byte map: output channel `i` is source channel `map[i]` (elements of `elem` bytes),
/// or, where `insert[i]`, the fill bytes `fill[i * elem..]`.
fn channel_byte_map(map: &[u8], elem: usize, insert: &[bool]) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(map.len() * elem);
    for (i, &m) in map.iter().enumerate() {
        for b in 0..elem {
            bytes.push(if insert[i] {
                FILL
            } else {
                m * elem as u8 + b as u8
            });
        }
    }
    bytes
}

/// Runs a one-source, one-destination byte map through the row driver.
fn run_map(
    src: Plane,
    dst: Plane,
    width: usize,
    height: usize,
    kernel: Kernel,
    in_place: InPlace,
    flags: Flags,
) -> Result<()> {
    run([src], [dst], width, height, in_place, flags, |s, d, w| {
        kernel.run(s[0], d[0], w)
    })
}

/// `vImagePermuteChannels_ARGB8888`: `dest[i] = src[map[i]]` (a gather); in place IP-B.
pub fn permute_8888(
    src: Plane,
    dst: Plane,
    width: usize,
    height: usize,
    map: [u8; 4],
    flags: Flags,
) -> Result<()> {
    permute(src, dst, width, height, 1, map, flags)
}

/// `vImagePermuteChannels_ARGB8888` / `_ARGB16U` / `_ARGBFFFF` (`elem` = 1, 2, 4 bytes):
/// `dest[i] = src[map[i]]`, a bit copy of whole elements; in place IP-B.
pub fn permute(
    src: Plane,
    dst: Plane,
    width: usize,
    height: usize,
    elem: usize,
    map: [u8; 4],
    flags: Flags,
) -> Result<()> {
    permute_masked_insert(src, dst, width, height, elem, map, 0, &[], flags)
}

/// `vImagePermuteChannels_RGB888`: `dest[i] = src[map[i]]` on 3-byte pixels; in place IP-B.
pub fn permute_rgb888(
    src: Plane,
    dst: Plane,
    width: usize,
    height: usize,
    map: [u8; 3],
    flags: Flags,
) -> Result<()> {
    check_map(&map, 3)?;
    let kernel = Kernel::byte_map(3, 3, &map, &[]);
    run_map(src, dst, width, height, kernel, InPlace::SameStart, flags)
}

/// `vImagePermuteChannelsWithMaskedInsert_*`: the permute, then channel `i` (output order)
/// is `background[i]` where `copy_mask` selects it. `background` holds `4 * elem` bytes
/// (unused when the mask is 0). In place IP-B.
#[allow(clippy::too_many_arguments)]
pub fn permute_masked_insert(
    src: Plane,
    dst: Plane,
    width: usize,
    height: usize,
    elem: usize,
    map: [u8; 4],
    copy_mask: u8,
    background: &[u8],
    flags: Flags,
) -> Result<()> {
    check_elem(elem);
    check_map(&map, 4)?;
    let insert = selected(copy_mask)?;
    let bytes = channel_byte_map(&map, elem, &insert);
    let kernel = Kernel::byte_map(4 * elem, 4 * elem, &bytes, background);
    run_map(src, dst, width, height, kernel, InPlace::SameStart, flags)
}

/// `vImageOverwriteChannelsWithPixel_*`: channel `i` of every pixel is `pixel[i]` where
/// `copy_mask` selects it, else the source's. `pixel` holds `4 * elem` bytes. In place IP-B.
#[allow(clippy::too_many_arguments)]
pub fn overwrite_with_pixel(
    src: Plane,
    dst: Plane,
    width: usize,
    height: usize,
    elem: usize,
    pixel: &[u8],
    copy_mask: u8,
    flags: Flags,
) -> Result<()> {
    permute_masked_insert(
        src,
        dst,
        width,
        height,
        elem,
        [0, 1, 2, 3],
        copy_mask,
        pixel,
        flags,
    )
}

/// `vImageOverwriteChannelsWithScalar_ARGB*`: every selected channel is `scalar` (`elem`
/// bytes). In place IP-B.
pub fn overwrite_with_scalar(
    src: Plane,
    dst: Plane,
    width: usize,
    height: usize,
    scalar: &[u8],
    copy_mask: u8,
    flags: Flags,
) -> Result<()> {
    let pixel = scalar.repeat(4);
    overwrite_with_pixel(
        src,
        dst,
        width,
        height,
        scalar.len(),
        &pixel,
        copy_mask,
        flags,
    )
}

/// The byte mask of the selected channels of one pixel (0xff = selected).
fn byte_mask(sel: [bool; 4], elem: usize) -> Vec<u8> {
    sel.iter()
        .flat_map(|&s| std::iter::repeat_n(if s { 0xff } else { 0 }, elem))
        .collect()
}

/// `vImageOverwriteChannels_*`: the planar `new` value goes into every selected channel,
/// the rest come from `orig`. In place: overlapping buffers start at `dest` (IP-B).
#[allow(clippy::too_many_arguments)]
pub fn overwrite_channels(
    new: Plane,
    orig: Plane,
    dst: Plane,
    width: usize,
    height: usize,
    elem: usize,
    copy_mask: u8,
    flags: Flags,
) -> Result<()> {
    check_elem(elem);
    let mask = byte_mask(selected(copy_mask)?, elem);
    let kernel = match elem {
        1 => k::overwrite8,
        2 => k::overwrite16,
        _ => k::overwrite32,
    };
    run(
        [new, orig],
        [dst],
        width,
        height,
        InPlace::SameStart,
        flags,
        |s, d, _| kernel(s[0], s[1], d[0], &mask),
    )
}

/// `vImageSelectChannels_*`: selected channels from `new`, the rest from `orig` (both
/// interleaved). In place: overlapping buffers start at `dest` (IP-B).
#[allow(clippy::too_many_arguments)]
pub fn select_channels(
    new: Plane,
    orig: Plane,
    dst: Plane,
    width: usize,
    height: usize,
    elem: usize,
    copy_mask: u8,
    flags: Flags,
) -> Result<()> {
    check_elem(elem);
    let mask = byte_mask(selected(copy_mask)?, elem);
    run(
        [new, orig],
        [dst],
        width,
        height,
        InPlace::SameStart,
        flags,
        |s, d, _| k::select(s[0], s[1], d[0], &mask),
    )
}

/// `vImageExtractChannel_*`: `dest = src[index]`, planar output; index outside 0...3 is
/// `kvImageInvalidParameter`. In place IP-A.
pub fn extract_channel(
    src: Plane,
    dst: Plane,
    width: usize,
    height: usize,
    elem: usize,
    index: std::ffi::c_long,
    flags: Flags,
) -> Result<()> {
    check_elem(elem);
    if !(0..4).contains(&index) {
        return Err(Error::InvalidParameter("channelIndex must be 0...3"));
    }
    let map: Vec<u8> = (0..elem)
        .map(|b| (index as usize * elem + b) as u8)
        .collect();
    let kernel = Kernel::byte_map(4 * elem, elem, &map, &[]);
    run_map(src, dst, width, height, kernel, InPlace::Exact, flags)
}

/// `vImageBufferFill_*` and `vImageOverwriteChannelsWithScalar_Planar*`: every pixel of
/// `dst` is `pixel` (its bytes as given): a repeating 32- or 96-byte pattern stored over each
/// row, or for other pixel sizes one row built, then copied into every row.
pub fn fill(dst: Plane, width: usize, height: usize, pixel: &[u8], flags: Flags) -> Result<()> {
    let row_len = width
        .checked_mul(pixel.len())
        .ok_or(Error::InvalidParameter("width * bytes per pixel overflows"))?;
    let period = pixel.len();
    if period > 0 && 32 % period == 0 {
        let pattern: [u8; 32] = std::array::from_fn(|i| pixel[i % period]);
        return run([], [dst], width, height, InPlace::No, flags, |_, d, _| {
            k::fill32(d[0], &pattern)
        });
    }
    if period > 0 && 96 % period == 0 {
        let pattern: [u8; 96] = std::array::from_fn(|i| pixel[i % period]);
        return run([], [dst], width, height, InPlace::No, flags, |_, d, _| {
            k::fill96(d[0], &pattern)
        });
    }
    // The driver returns before any row under kvImageGetTempBufferSize: build no row then.
    let row = if flags.contains(Flags::GET_TEMP_BUFFER_SIZE) || height == 0 {
        Vec::new()
    } else {
        let mut row = Vec::new();
        row.try_reserve_exact(row_len)
            .map_err(|_| Error::Allocation(row_len))?;
        for _ in 0..width {
            row.extend_from_slice(pixel);
        }
        row
    };
    run([], [dst], width, height, InPlace::No, flags, |_, d, _| {
        d[0].copy_from_slice(&row)
    })
}

/// `vImageCopyBuffer`: `height` rows of `width * pixel_size` bytes. `pixel_size` 0 is
/// `kvImageInvalidParameter`. Overlapping buffers copy as `memmove` does: the destination
/// gets the source as it was before the call.
pub fn copy_buffer(
    src: Plane,
    dst: Plane,
    width: usize,
    height: usize,
    pixel_size: usize,
    flags: Flags,
) -> Result<()> {
    if pixel_size == 0 {
        return Err(Error::InvalidParameter("pixelSize must not be 0"));
    }
    let copy = |s: &[&[u8]; 1], d: &mut [&mut [u8]; 1], _| d[0].copy_from_slice(s[0]);
    match run([src], [dst], width, height, InPlace::SameStart, flags, copy) {
        // With one destination the driver's only InvalidParameter is an overlap outside the
        // IP-B pattern (checked before any pixel is touched): stage the source instead.
        Err(Error::InvalidParameter(_)) => {}
        done => return done,
    }
    if flags.contains(Flags::GET_TEMP_BUFFER_SIZE) || width == 0 || height == 0 {
        return Ok(());
    }
    let row = width
        .checked_mul(pixel_size)
        .ok_or(Error::InvalidParameter("width * pixelSize overflows"))?;
    let total = row
        .checked_mul(height)
        .ok_or(Error::InvalidParameter("image size overflows"))?;
    let mut staged = Vec::new();
    staged
        .try_reserve_exact(total)
        .map_err(|_| Error::Allocation(total))?;
    staged.resize(total, 0);
    let tmp = Plane::of_slice(&mut staged, row, row, height)?;
    run([src], [tmp], width, height, InPlace::No, flags, copy)?;
    run([tmp], [dst], width, height, InPlace::No, flags, copy)
}

/// `vImageTableLookUp_ARGB8888`: channel `c` through `tables[c]`; a missing table leaves
/// the channel unchanged. In place IP-B.
pub fn table_lookup_8888(
    src: Plane,
    dst: Plane,
    width: usize,
    height: usize,
    tables: [Option<[u8; 256]>; 4],
    flags: Flags,
) -> Result<()> {
    let identity: [u8; 256] = std::array::from_fn(|i| i as u8);
    let luts = k::ChannelLuts::new(tables.map(|t| t.unwrap_or(identity)));
    run(
        [src],
        [dst],
        width,
        height,
        InPlace::SameStart,
        flags,
        |s, d, _| k::lookup8888(s[0], d[0], &luts),
    )
}

/// `vImageTableLookUp_Planar8`: `dest = table[src]`. In place IP-B.
pub fn table_lookup_planar8(
    src: Plane,
    dst: Plane,
    width: usize,
    height: usize,
    table: &[u8; 256],
    flags: Flags,
) -> Result<()> {
    run(
        [src],
        [dst],
        width,
        height,
        InPlace::SameStart,
        flags,
        |s, d, _| k::lookup8(s[0], d[0], table),
    )
}

/// `vImageClip_PlanarF`: `if v > max { v = max }; if v < min { v = min }`, in that order
/// (so NaN passes through unchanged and `max < min` gives `min`). In place IP-B.
pub fn clip_planar_f(
    src: Plane,
    dst: Plane,
    width: usize,
    height: usize,
    max: f32,
    min: f32,
    flags: Flags,
) -> Result<()> {
    run(
        [src],
        [dst],
        width,
        height,
        InPlace::SameStart,
        flags,
        |s, d, _| k::clip_f32(s[0], d[0], max, min),
    )
}

/// `vImageByteSwap_Planar16U`: the two bytes of every 16-bit element swapped. In place IP-B.
pub fn byte_swap_16(
    src: Plane,
    dst: Plane,
    width: usize,
    height: usize,
    flags: Flags,
) -> Result<()> {
    let kernel = Kernel::byte_map(2, 2, &[1, 0], &[]);
    run_map(src, dst, width, height, kernel, InPlace::SameStart, flags)
}
