//! vImageConverter_CreateWithCGImageFormat + vImageConvert_AnyToAny with arbitrary format
//! pairs, backgrounds, buffer geometry, flags and temp buffers, in place, out of place and
//! overlapping.
//!
//! Invariants: the error is documented; kvImageGetTempBufferSize touches no pixel; only the
//! destination rows are written (guards, padding between rows and bytes after the last row
//! stay as they were); tiled and untiled conversions give the same bytes; every converted row
//! equals `Converter::convert_row_reference` of the same formats on the source as it was.
#![no_main]

use std::ffi::c_void;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;

#[path = "colour_tolerance.rs"]
mod colour_tolerance;
use vimage::convert::Converter;
use vimage::ffi::vimage_converter::*;
use vimage::types::*;
use vimage_fuzz::*;

/// Largest caller buffer allocated for real.
const MAX_REAL: u128 = 1 << 21;

#[derive(Arbitrary, Debug)]
enum Geometry {
    Small {
        width: u8,
        height: u8,
        src_extra_width: u8,
        src_extra_height: u8,
        src_pad: i8,
        dst_pad: i8,
    },
    /// Enough pixels for the conversion to be split across threads.
    Tiled {
        width: u8,
        height: u8,
        src_pad: u8,
        dst_pad: u8,
    },
    Raw {
        src: (u64, u64, u64),
        dst: (u64, u64, u64),
    },
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum Placement {
    OutOfPlace,
    InPlace,
    /// Source and destination in one block, `offset` bytes apart (either way round).
    Overlap {
        offset: u8,
        dst_first: bool,
    },
}

#[derive(Arbitrary, Debug)]
struct Input {
    src: Fmt,
    dst: Fmt,
    background: Option<[f64; 4]>,
    converter_flag_sel: u8,
    geometry: Geometry,
    flag_sel: u8,
    raw_flags: u32,
    temp: Option<u16>,
    placement: Placement,
    misalign: u8,
    pixels: Vec<u8>,
}

/// Width, height, rowBytes.
type Dims = (u64, u64, u64);

/// The caller's memory: one or two guarded blocks and where each buffer starts in them.
struct Memory {
    blocks: Vec<Guarded>,
    /// (block, offset) of the source and of the destination.
    src_at: (usize, usize),
    dst_at: (usize, usize),
}

impl Memory {
    fn ptr(&self, at: (usize, usize)) -> *mut c_void {
        // SAFETY: offsets lie inside the block (or at its end for empty buffers).
        unsafe { self.blocks[at.0].ptr().add(at.1) }.cast()
    }

    fn snapshot(&self) -> Vec<Vec<u8>> {
        self.blocks.iter().map(|b| b.bytes().to_vec()).collect()
    }

    fn restore(&mut self, snapshot: &[Vec<u8>]) {
        for (b, s) in self.blocks.iter_mut().zip(snapshot) {
            b.bytes_mut().copy_from_slice(s);
        }
    }

    fn check_guards(&self, what: &str) {
        for b in &self.blocks {
            b.check_guards(what);
        }
    }
}

/// Whether AnyToAny must fail (or do nothing) on this geometry before touching memory:
/// the README's and §4.6 rule 27's arithmetic checks.
fn rejected_by_arithmetic(src: Dims, dst: Dims, src_bpp: u32, dst_bpp: u32) -> bool {
    let (sw, sh, srb) = (src.0 as u128, src.1 as u128, src.2 as u128);
    let (dw, dh, drb) = (dst.0 as u128, dst.1 as u128, dst.2 as u128);
    let limit = isize::MAX as u128;
    if sw < dw || sh < dh || dw == 0 || dh == 0 {
        return true;
    }
    let bits_src = dw.saturating_mul(u128::from(src_bpp));
    let bits_dst = dw.saturating_mul(u128::from(dst_bpp));
    if bits_src > usize::MAX as u128 || bits_dst > usize::MAX as u128 {
        return true;
    }
    let (src_row, dst_row) = (bits_src.div_ceil(8), bits_dst.div_ceil(8));
    srb < src_row
        || drb < dst_row
        || span(dh, srb, src_row) > limit
        || span(dh, drb, dst_row) > limit
}

fuzz_target!(|input: Input| {
    let src_fields = input.src.fields();
    let dst_fields = input.dst.fields();
    let (src_space, dst_space) = (input.src.space.make(), input.dst.space.make());
    let (src_format, dst_format) = (
        input.src.c_format(&src_space),
        input.dst.c_format(&dst_space),
    );
    let background = input.background;
    let bg_ptr = background.as_ref().map_or(std::ptr::null(), |b| b.as_ptr());
    let converter_flags = flags(input.converter_flag_sel, &[kvImageDoNotTile], 0);
    let mut error: vImage_Error = 12345;
    // SAFETY: valid formats and background (4 values cover every model).
    let converter = unsafe {
        vImageConverter_CreateWithCGImageFormat(
            &src_format,
            &dst_format,
            bg_ptr,
            converter_flags,
            &mut error,
        )
    };
    if converter.is_null() {
        stat("converter refused");
        assert!(error < 0, "NULL converter with error {error}");
        assert_documented(
            error,
            DOCUMENTED_ERRORS,
            "vImageConverter_CreateWithCGImageFormat",
        );
        return;
    }
    assert_eq!(error, kvImageNoError);
    // SAFETY: a live converter we own (released at the end).
    unsafe {
        assert_eq!(vImageConverter_GetNumberOfSourceBuffers(converter), 1);
        assert_eq!(vImageConverter_GetNumberOfDestinationBuffers(converter), 1);
        assert_eq!(
            vImageConverter_MustOperateOutOfPlace(converter, std::ptr::null(), std::ptr::null(), 0),
            kvImageNoError
        );
    }
    // The same conversion through the Rust API, for its reference rows.
    let (Some(src_rust), Some(dst_rust)) = (input.src.rust(), input.dst.rust()) else {
        panic!("a converter was made from a colour space that is not one");
    };
    let bg_slice = background
        .as_ref()
        .map(|b| &b[..dst_rust.model().components() as usize]);
    let reference = Converter::new(&src_rust, &dst_rust, bg_slice, true)
        .expect("the C converter exists but Converter::new refuses the same formats");
    let (src_bpp, dst_bpp) = (src_fields.bpp, dst_fields.bpp);

    // ---- geometry ----
    let (src_dims, dst_dims): (Dims, Dims) = match input.geometry {
        Geometry::Small {
            width,
            height,
            src_extra_width,
            src_extra_height,
            src_pad,
            dst_pad,
        } => {
            let (w, h) = (u64::from(width % 40), u64::from(height % 10));
            let (sw, sh) = (
                w + u64::from(src_extra_width % 3),
                h + u64::from(src_extra_height % 3),
            );
            let srb = (row_len(sw.into(), src_bpp) as i64 + i64::from(src_pad % 20)).max(0) as u64;
            let drb = (row_len(w.into(), dst_bpp) as i64 + i64::from(dst_pad % 20)).max(0) as u64;
            ((sw, sh, srb), (w, h, drb))
        }
        Geometry::Tiled {
            width,
            height,
            src_pad,
            dst_pad,
        } => {
            // Tiling splits rows the same way whatever converts them, so only pairs with a
            // fast kernel take this (slow, under ASan) path.
            if src_bpp > 128 || dst_bpp > 128 || reference.kernel_name().is_none() {
                // SAFETY: we own the converter.
                unsafe { vImageConverter_Release(converter) };
                return;
            }
            let h = 2 + u64::from(height % 64);
            let w = (1u64 << 17).div_ceil(h) + u64::from(width % 32);
            let srb = row_len(w.into(), src_bpp) as u64 + u64::from(src_pad % 8);
            let drb = row_len(w.into(), dst_bpp) as u64 + u64::from(dst_pad % 8);
            ((w, h, srb), (w, h, drb))
        }
        Geometry::Raw { src, dst } => (src, dst),
    };
    let (mut src_dims, mut dst_dims) = (src_dims, dst_dims);
    if matches!(input.placement, Placement::InPlace)
        && !matches!(input.geometry, Geometry::Raw { .. })
    {
        // In place means one buffer: one data pointer and one rowBytes.
        let rb = src_dims.2.max(dst_dims.2);
        (src_dims.2, dst_dims.2) = (rb, rb);
    }
    let rejected = rejected_by_arithmetic(src_dims, dst_dims, src_bpp, dst_bpp);
    // What the caller's buffers span by their own geometry (and at least what is converted).
    let src_row = row_len(src_dims.0.into(), src_bpp).max(row_len(dst_dims.0.into(), src_bpp));
    let src_span = span(src_dims.1.into(), src_dims.2.into(), src_row);
    let dst_span = span(
        dst_dims.1.into(),
        dst_dims.2.into(),
        row_len(dst_dims.0.into(), dst_bpp),
    );
    let real = src_span <= MAX_REAL && dst_span <= MAX_REAL;
    if !real && !rejected {
        // A plausible geometry larger than anything allocated here: the library may use it.
        // SAFETY: we own the converter.
        unsafe { vImageConverter_Release(converter) };
        return;
    }
    let (src_len, dst_len) = if real {
        (src_span as usize, dst_span as usize)
    } else {
        (64, 64)
    };

    // ---- memory ----
    let mut placement = input.placement;
    if matches!(placement, Placement::InPlace) && src_dims.2 != dst_dims.2 {
        placement = Placement::OutOfPlace; // in place needs one rowBytes; done below
    }
    let misalign = usize::from(input.misalign);
    let mut memory = match placement {
        Placement::OutOfPlace => Memory {
            blocks: vec![
                Guarded::new(src_len, misalign),
                Guarded::new(dst_len, misalign >> 3),
            ],
            src_at: (0, 0),
            dst_at: (1, 0),
        },
        Placement::InPlace => Memory {
            blocks: vec![Guarded::new(src_len.max(dst_len), misalign)],
            src_at: (0, 0),
            dst_at: (0, 0),
        },
        Placement::Overlap { offset, dst_first } => {
            let offset = usize::from(offset);
            let len = (src_len + offset).max(dst_len + offset);
            let (s, d) = if dst_first { (offset, 0) } else { (0, offset) };
            Memory {
                blocks: vec![Guarded::new(len, misalign)],
                src_at: (0, s),
                dst_at: (0, d),
            }
        }
    };
    for (i, b) in memory.blocks.iter_mut().enumerate() {
        b.fill(&input.pixels);
        if i == 1 {
            b.bytes_mut().iter_mut().for_each(|x| *x ^= 0x3c);
        }
    }
    let before = memory.snapshot();
    let src_buf = vImage_Buffer {
        data: memory.ptr(memory.src_at),
        width: src_dims.0 as _,
        height: src_dims.1 as _,
        rowBytes: src_dims.2 as usize,
    };
    let dst_buf = vImage_Buffer {
        data: memory.ptr(memory.dst_at),
        width: dst_dims.0 as _,
        height: dst_dims.1 as _,
        rowBytes: dst_dims.2 as usize,
    };
    let mut temp = input.temp.map(|n| Guarded::new(usize::from(n % 4096), 0));
    let temp_ptr: *mut c_void = temp
        .as_mut()
        .map_or(std::ptr::null_mut(), |t| t.ptr().cast());
    let flags = flags(
        input.flag_sel,
        &[kvImageDoNotTile, kvImageGetTempBufferSize],
        input.raw_flags,
    );
    let unknown = flags
        & !(kvImageDoNotTile | kvImageGetTempBufferSize | kvImagePrintDiagnosticsToConsole)
        != 0;

    // SAFETY: the buffers are inside our blocks (or rejected by arithmetic, checked below).
    let result = unsafe { vImageConvert_AnyToAny(converter, &src_buf, &dst_buf, temp_ptr, flags) };
    memory.check_guards("vImageConvert_AnyToAny");
    if let Some(t) = &temp {
        t.check_guards("tempBuffer");
    }
    let after = memory.snapshot();
    if unknown {
        assert_eq!(result, kvImageUnknownFlagsBit, "unknown flags {flags:#x}");
    }
    if result < 0 || flags & kvImageGetTempBufferSize != 0 {
        stat(if result < 0 {
            "conversion refused"
        } else {
            "temp buffer size"
        });
        if result < 0 {
            assert_documented(result, DOCUMENTED_ERRORS, "vImageConvert_AnyToAny");
        }
        assert!(
            after == before,
            "a failed call or a size query wrote the buffers"
        );
        // SAFETY: we own the converter.
        unsafe { vImageConverter_Release(converter) };
        return;
    }
    assert_eq!(result, kvImageNoError);
    let (w, h) = (dst_dims.0 as usize, dst_dims.1 as usize);
    if w == 0 || h == 0 {
        stat("empty conversion");
        assert!(after == before, "an empty conversion wrote the buffers");
        // SAFETY: we own the converter.
        unsafe { vImageConverter_Release(converter) };
        return;
    }
    assert!(
        real,
        "a conversion over a geometry beyond the buffers succeeded"
    );
    stat(match input.geometry {
        Geometry::Tiled { .. } => "converted, tiled geometry",
        _ => "converted",
    });

    // Only the destination rows changed; each equals the reference.
    let (srb, drb) = (src_dims.2 as usize, dst_dims.2 as usize);
    let dst_row_len = reference.dst_row_len(w);
    let (db, doff) = memory.dst_at;
    let (sb, soff) = memory.src_at;
    // Compare everything outside the destination rows as slices (fast under ASan).
    for (block, (a, b)) in after.iter().zip(&before).enumerate() {
        let mut regions: Vec<(usize, usize)> = Vec::new(); // unchanged ranges
        if block == db {
            let mut at = 0;
            for y in 0..h {
                let start = doff + y * drb;
                regions.push((at, start));
                at = start + dst_row_len;
            }
            regions.push((at, a.len()));
        } else {
            regions.push((0, a.len()));
        }
        for (from, to) in regions {
            if a[from..to] != b[from..to] {
                let i = (from..to).find(|&i| a[i] != b[i]).unwrap_or(from);
                panic!("byte {i} of block {block} outside the destination rows was written");
            }
        }
    }
    // Rows (or, for the large tiled geometry, windows of pixels at both ends of the rows around
    // the band boundaries) compared with the reference: (row, first pixel, pixels).
    let windows: Vec<(usize, usize, usize)> = if w * h <= 4096 {
        (0..h).map(|y| (y, 0, w)).collect()
    } else {
        let mut rows = vec![0, 1, h / 2 - 1, h / 2, h / 2 + 1, h - 2, h - 1];
        rows.extend((0..3).map(|k| (k * 7919 + input.pixels.len()) % h));
        let n = w.min(64);
        // Window starts on a byte for both formats (the tiled path has byte-sized pixels).
        let last = (w - n) / 8 * 8;
        rows.retain(|&y| y < h);
        rows.iter()
            .flat_map(|&y| [(y, 0, n), (y, last, w - last)])
            .collect()
    };
    for (y, x0, n) in windows {
        let (sx, dx) = (x0 * src_bpp as usize / 8, x0 * dst_bpp as usize / 8);
        let (sn, dn) = (reference.src_row_len(n), reference.dst_row_len(n));
        let src = &before[sb][soff + y * srb + sx..][..sn];
        let mut expected = before[db][doff + y * drb + dx..][..dn].to_vec();
        reference.convert_row_reference(src, &mut expected, n);
        let got = &after[db][doff + y * drb + dx..][..dn];
        // The colour kernels' tables are within the stated bounds of the f64 reference.
        let same = if reference.has_colour_kernel() {
            colour_tolerance::within(&reference, src, got, &expected)
        } else {
            got == &expected[..]
        };
        assert!(
            same,
            "row {y} (pixels {x0}..{}) differs from the reference (kernel {:?}):\n got      {got:02x?}\n expected {expected:02x?}",
            x0 + n,
            reference.kernel_name()
        );
    }

    // Tiled == untiled (and a second run gives the same bytes).
    memory.restore(&before);
    // SAFETY: as above.
    let again = unsafe {
        vImageConvert_AnyToAny(
            converter,
            &src_buf,
            &dst_buf,
            temp_ptr,
            flags | kvImageDoNotTile,
        )
    };
    assert_eq!(again, kvImageNoError, "the untiled conversion failed");
    memory.check_guards("vImageConvert_AnyToAny (untiled)");
    assert!(
        memory.snapshot() == after,
        "tiled and untiled conversions differ"
    );
    // SAFETY: we own the converter.
    unsafe { vImageConverter_Release(converter) };
});
