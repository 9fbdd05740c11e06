//! Indexed sources through the converter and the bridge, with hostile tables, index sizes,
//! out-of-range indices and arbitrary destination formats; half <-> 8-bit conversions of
//! arbitrary halves.
//!
//! Invariants: `CGColorSpaceCreateIndexed` refuses bad tables (NULL) and never crashes; an
//! indexed destination is `kvImageInvalidImageFormat`; a converter from an indexed source gives
//! the same bytes tiled and untiled, the same bytes as `convert_row_reference` (when no
//! table-driven colour kernel is involved), and the same output for every pixel with the same
//! (clamped) index; `vImageBuffer_InitWithCGImage` of an indexed sRGB image into RGBA8888 gives
//! the table's entries; half -> byte -> half -> byte is stable and every F16C result equals
//! the reference formula.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use vimage::cg::color_space::ColorSpace;
use vimage::convert::Converter;
use vimage::ffi::cg_color_space::*;
use vimage::ffi::cg_data_provider::*;
use vimage::ffi::cg_image::*;
use vimage::ffi::vimage_utilities::*;
use vimage::types::*;
use vimage::{Cf, Error, ImageFormat};
use vimage_fuzz::*;

#[derive(Arbitrary, Debug)]
struct Input {
    base: u8,
    last_index: u16,
    table: Vec<u8>,
    bits: u8,
    src_alpha: u8,
    dst: Fmt,
    dst_indexed: bool,
    width: u8,
    height: u8,
    indices: Vec<u8>,
    halves: Vec<u16>,
}

fn base(sel: u8) -> Cf<ColorSpace> {
    let name = [
        "kCGColorSpaceSRGB",
        "kCGColorSpaceDisplayP3",
        "kCGColorSpaceGenericGrayGamma2_2",
        "kCGColorSpaceGenericCMYK",
        "kCGColorSpaceGenericLab",
        "kCGColorSpaceGenericXYZ",
        "kCGColorSpaceExtendedSRGB",
        "kCGColorSpaceAdobeRGB1998",
    ][sel as usize % 8];
    ColorSpace::with_name(name).expect("named space")
}

fuzz_target!(|input: Input| {
    halves(&input.halves);
    let base = base(input.base);
    let n = base.components();
    let last = usize::from(input.last_index % 300);
    let space = ColorSpace::indexed(&base, last, &input.table);
    assert_eq!(
        space.is_some(),
        last <= 255 && input.table.len() == (last + 1) * n,
        "indexed space accepted iff the table fits"
    );
    through_c(&input, last, n);
    let Some(space) = space else { return };
    let bits = [1u32, 2, 4, 8, 8, 16][input.bits as usize % 6];
    let alpha = if input.src_alpha % 8 == 0 {
        input.src_alpha as u32 / 8 % 8
    } else {
        kCGImageAlphaNone
    };
    let bpp = if alpha == kCGImageAlphaNone {
        bits
    } else {
        2 * bits
    };
    let src = ImageFormat::new(bits, bpp, alpha).with_color_space(space.clone());
    let Some(mut dst) = input.dst.rust() else {
        return;
    };
    if input.dst_indexed {
        dst.color_space = Some(space.clone());
        let r = Converter::new(&src, &dst, None, false);
        assert!(
            matches!(
                r,
                Err(Error::InvalidImageFormat(_)) | Err(Error::InvalidParameter(_))
            ),
            "indexed destination: {r:?}"
        );
        return;
    }
    let conv = match Converter::new(&src, &dst, None, false) {
        Ok(c) => c,
        Err(e) => {
            let code = e.code();
            assert_documented(code, DOCUMENTED_ERRORS, "indexed converter");
            return;
        }
    };
    let (width, height) = (
        usize::from(input.width % 64) + 1,
        usize::from(input.height % 8) + 1,
    );
    let src_row = conv.src_row_len(width);
    let dst_row = conv.dst_row_len(width);
    let mut pixels = vec![0u8; src_row * height];
    fill(&mut pixels, &input.indices);
    let mut a = vec![0xa5u8; dst_row * height];
    let mut b = vec![0x5au8; dst_row * height];
    conv.convert(&pixels, src_row, &mut a, dst_row, width, height, true);
    conv.convert(&pixels, src_row, &mut b, dst_row, width, height, false);
    // Sub-byte rows: the bits after the last pixel are not the converter's (they keep what the
    // destination held); compare the pixels' bits only.
    let dbpp = conv.destination_layout().bits_per_pixel as usize;
    let tail_bits = (width * dbpp) % 8;
    let keep: u8 = if tail_bits == 0 {
        0xff
    } else {
        !(0xffu8 >> tail_bits)
    };
    let masked = |row: &[u8]| {
        let mut v = row.to_vec();
        if let Some(l) = v.last_mut() {
            *l &= keep;
        }
        v
    };
    for y in 0..height {
        let row = y * dst_row..(y + 1) * dst_row;
        assert_eq!(
            masked(&a[row.clone()]),
            masked(&b[row]),
            "row {y}: tiled and untiled"
        );
    }
    if !conv.has_colour_kernel() {
        let mut r = vec![0u8; dst_row];
        for y in 0..height {
            conv.convert_row_reference(&pixels[y * src_row..], &mut r, width);
            assert_eq!(
                masked(&a[y * dst_row..(y + 1) * dst_row]),
                masked(&r),
                "row {y} vs reference"
            );
        }
    }
    // Same (clamped) index, same output bytes (byte-aligned 8-bit indices).
    if bits == 8 && dbpp % 8 == 0 {
        let k = dbpp / 8;
        let mut seen: Vec<Option<Vec<u8>>> = vec![None; 256];
        for y in 0..height {
            for x in 0..width {
                let i = usize::from(pixels[y * src_row + x]).min(last);
                let out = a[y * dst_row + x * k..y * dst_row + x * k + k].to_vec();
                match &seen[i] {
                    Some(prev) => assert_eq!(prev, &out, "index {i}"),
                    None => seen[i] = Some(out),
                }
            }
        }
    }
});

/// The same table through CGColorSpaceCreateIndexed, CGImageCreate and InitWithCGImage.
fn through_c(input: &Input, last: usize, n: usize) {
    let srgb = input.base % 8 == 0;
    // SAFETY: the base space is a fresh reference; the table holds `table.len()` bytes and is
    // only read when it holds (last + 1) * n of them (else the call must refuse before reading:
    // pass NULL then).
    let space = unsafe {
        let b = CGColorSpaceCreateWithName(if srgb {
            vimage::ffi::cg_color_space_names::kCGColorSpaceSRGB
        } else {
            vimage::ffi::cg_color_space_names::kCGColorSpaceGenericGrayGamma2_2
        });
        let want = (last + 1) * if srgb { 3 } else { 1 };
        let table = if input.table.len() >= want {
            input.table.as_ptr()
        } else {
            std::ptr::null()
        };
        let s = CGColorSpaceCreateIndexed(b, last, table);
        CGColorSpaceRelease(b);
        s
    };
    let _ = n;
    if space.is_null() {
        return;
    }
    let (w, h) = (usize::from(input.width % 16) + 1, 2usize);
    let mut idx = vec![0u8; w * h];
    fill(&mut idx, &input.indices);
    // SAFETY: idx outlives the image (released below, before idx); the provider copies nothing
    // and has no release callback.
    unsafe {
        let provider = CGDataProviderCreateWithData(
            std::ptr::null_mut(),
            idx.as_ptr().cast(),
            idx.len(),
            None,
        );
        let image = CGImageCreate(
            w,
            h,
            8,
            8,
            w,
            space,
            kCGImageAlphaNone,
            provider,
            std::ptr::null(),
            false,
            kCGRenderingIntentDefault,
        );
        CGDataProviderRelease(provider);
        CGColorSpaceRelease(space);
        if image.is_null() {
            return;
        }
        let srgb_space =
            CGColorSpaceCreateWithName(vimage::ffi::cg_color_space_names::kCGColorSpaceSRGB);
        let mut format = vImage_CGImageFormat {
            bitsPerComponent: 8,
            bitsPerPixel: 32,
            colorSpace: srgb_space,
            bitmapInfo: kCGImageAlphaNoneSkipLast,
            version: 0,
            decode: std::ptr::null(),
            renderingIntent: kCGRenderingIntentDefault,
        };
        let mut buf = vImage_Buffer {
            data: std::ptr::null_mut(),
            height: 0,
            width: 0,
            rowBytes: 0,
        };
        let err = vImageBuffer_InitWithCGImage(&mut buf, &mut format, std::ptr::null(), image, 0);
        assert_eq!(err, kvImageNoError, "indexed image into RGBX");
        if srgb {
            for y in 0..h {
                for x in 0..w {
                    let e = usize::from(idx[y * w + x]).min(last);
                    let px = std::slice::from_raw_parts(
                        buf.data.cast::<u8>().add(y * buf.rowBytes + 4 * x),
                        3,
                    );
                    assert_eq!(px, &input.table[3 * e..3 * e + 3], "pixel {x},{y}");
                }
            }
        }
        libc::free(buf.data);
        CGColorSpaceRelease(srgb_space);
        CGImageRelease(image);
    }
}

/// Arbitrary halves -> bytes (the named function) against the reference formula, and bytes ->
/// halves -> bytes is the identity.
fn halves(h: &[u16]) {
    if h.is_empty() {
        return;
    }
    let src: Vec<u8> = h.iter().flat_map(|v| v.to_ne_bytes()).collect();
    let mut bytes = vec![0u8; h.len()];
    vimage::kernels::depth::half_to_u8(&src, &mut bytes);
    for (&v, &b) in h.iter().zip(&bytes) {
        let x = f64::from(vimage::convert::reference::half_to_f32(v));
        assert_eq!(
            u32::from(b),
            vimage::convert::reference::quantize(x, 255),
            "half {v:#06x}"
        );
    }
    let mut back = vec![0u8; 2 * h.len()];
    vimage::kernels::depth::u8_to_half(&bytes, &mut back);
    let mut again = vec![0u8; h.len()];
    vimage::kernels::depth::half_to_u8(&back, &mut again);
    assert_eq!(bytes, again);
}
