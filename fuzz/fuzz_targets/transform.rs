//! Histogram.h and the curves of Transform.h: a random operation on random geometry, padding,
//! misalignment, flags, parameters and in-place choice.
//!
//! Invariants: the error is one the operation documents; only destination rows are written
//! (guards and row padding stay); a failed or size-only call writes nothing; tiled and
//! `kvImageDoNotTile` runs give the same bytes; in place gives the bytes of out of place where
//! allowed. On success: histograms equal a direct count; the 8-bit histogram transforms are a
//! monotone per-channel table (equal inputs give equal outputs, larger never smaller);
//! lookup tables, piecewise gamma and polynomials equal a direct formula at every sample.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use vimage::ffi::vimage_histogram::*;
use vimage::ffi::vimage_transform::curves::*;
use vimage::types::*;
use vimage_fuzz::*;

#[derive(Arbitrary, Debug)]
struct Input {
    op: u8,
    width: u8,
    height: u8,
    tiled: bool,
    src_pad: u8,
    dst_pad: u8,
    misalign: u8,
    in_place: bool,
    flags_sel: u8,
    raw_flags: u32,
    floats: [u16; 8],
    percents: [u8; 8],
    entries: u16,
    pattern: Vec<u8>,
}

/// Parameters of one run.
struct P {
    /// Finite floats in [-2, 2).
    f: [f32; 8],
    pl: [u32; 4],
    ph: [u32; 4],
    entries: u32,
    min: f32,
    max: f32,
    /// Lookup tables and desired histograms, from the pattern.
    table: Vec<u8>,
    desired: Vec<Vec<vImagePixelCount>>,
}

impl P {
    fn table_ptr<T>(&self) -> *const T {
        self.table.as_ptr().cast()
    }
}

type Call = fn(&vImage_Buffer, &vImage_Buffer, &P, vImage_Flags) -> vImage_Error;
/// Checks the destination rows against the source rows (width samples per row).
type Check = fn(&[Vec<u8>], &[Vec<u8>], &P, &str);

struct Spec {
    name: &'static str,
    src: usize,
    dst: usize,
    /// In place allowed with the same data and rowBytes.
    in_place: bool,
    call: Call,
    check: Option<Check>,
    errors: &'static [vImage_Error],
}

fn f32s(b: &[u8]) -> impl Iterator<Item = f32> + '_ {
    b.chunks_exact(4).map(|c| f32::from_ne_bytes([c[0], c[1], c[2], c[3]]))
}

fn same_f(a: f32, b: f32) -> bool {
    a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
}

fn unit_to8(r: f32) -> u8 {
    if r > 0.0 {
        if r >= 1.0 { 255 } else { (r * 255.0 + 0.5) as u8 }
    } else {
        0
    }
}

/// Equal samples of one channel map to equal outputs, and larger samples never to smaller.
fn monotone(src: &[Vec<u8>], out: &[Vec<u8>], ch: usize, name: &str) {
    for c in 0..ch {
        let mut map = [None::<u8>; 256];
        for (s, o) in src.iter().zip(out) {
            for (a, b) in s.iter().skip(c).step_by(ch).zip(o.iter().skip(c).step_by(ch)) {
                match map[*a as usize] {
                    None => map[*a as usize] = Some(*b),
                    Some(v) => assert_eq!(v, *b, "{name}: one level, two outputs"),
                }
            }
        }
        let seen: Vec<u8> = map.iter().flatten().copied().collect();
        assert!(seen.windows(2).all(|w| w[0] <= w[1]), "{name}: not monotone");
    }
}

fn pw(p: &P, x: f32, below: bool) -> f32 {
    if below {
        p.f[3] * x + p.f[4]
    } else {
        ((p.f[0] * x + p.f[1]) as f64).powf(p.f[7] as f64 * 2.0) as f32 + p.f[2]
    }
}

fn lut_check<const N: usize, const STRIDE: usize, const OFF: usize>(s: &[Vec<u8>], o: &[Vec<u8>], p: &P, name: &str) {
    for (sr, or) in s.iter().zip(o) {
        for (v, out) in sr.iter().zip(or.chunks_exact(N)) {
            let e = *v as usize * STRIDE + OFF;
            assert_eq!(out, &p.table[e..e + N], "{name}");
        }
    }
}

const SPECS: &[Spec] = &[
    Spec {
        name: "Equalization_Planar8",
        src: 1,
        dst: 1,
        in_place: true,
        call: |s, d, _p, f| unsafe { vImageEqualization_Planar8(s, d, f) },
        check: Some(|s, o, _p, n| monotone(s, o, 1, n)),
        errors: &[],
    },
    Spec {
        name: "ContrastStretch_ARGB8888",
        src: 4,
        dst: 4,
        in_place: true,
        call: |s, d, _p, f| unsafe { vImageContrastStretch_ARGB8888(s, d, f) },
        check: Some(|s, o, _p, n| monotone(s, o, 4, n)),
        errors: &[],
    },
    Spec {
        name: "EndsInContrastStretch_Planar8",
        src: 1,
        dst: 1,
        in_place: true,
        call: |s, d, p, f| unsafe { vImageEndsInContrastStretch_Planar8(s, d, p.pl[0], p.ph[0], f) },
        check: Some(|s, o, _p, n| monotone(s, o, 1, n)),
        errors: &[kvImageInvalidParameter],
    },
    Spec {
        name: "EndsInContrastStretch_ARGB8888",
        src: 4,
        dst: 4,
        in_place: true,
        call: |s, d, p, f| unsafe { vImageEndsInContrastStretch_ARGB8888(s, d, p.pl.as_ptr(), p.ph.as_ptr(), f) },
        check: Some(|s, o, _p, n| monotone(s, o, 4, n)),
        errors: &[kvImageInvalidParameter],
    },
    Spec {
        name: "HistogramSpecification_ARGB8888",
        src: 4,
        dst: 4,
        in_place: true,
        call: |s, d, p, f| {
            let mut ptrs: Vec<*const vImagePixelCount> = p.desired.iter().map(|h| h.as_ptr()).collect();
            unsafe { vImageHistogramSpecification_ARGB8888(s, d, ptrs.as_mut_ptr(), f) }
        },
        check: Some(|s, o, _p, n| monotone(s, o, 4, n)),
        errors: &[],
    },
    Spec {
        name: "Equalization_ARGBFFFF",
        src: 16,
        dst: 16,
        in_place: true,
        call: |s, d, p, f| unsafe { vImageEqualization_ARGBFFFF(s, d, std::ptr::null_mut(), p.entries, p.min, p.max, f) },
        check: None,
        errors: &[kvImageInvalidParameter],
    },
    Spec {
        name: "ContrastStretch_PlanarF",
        src: 4,
        dst: 4,
        in_place: true,
        call: |s, d, p, f| unsafe { vImageContrastStretch_PlanarF(s, d, std::ptr::null_mut(), p.entries, p.min, p.max, f) },
        check: None,
        errors: &[kvImageInvalidParameter],
    },
    Spec {
        name: "EndsInContrastStretch_ARGBFFFF",
        src: 16,
        dst: 16,
        in_place: true,
        call: |s, d, p, f| unsafe {
            vImageEndsInContrastStretch_ARGBFFFF(s, d, std::ptr::null_mut(), p.pl.as_ptr(), p.ph.as_ptr(), p.entries, p.min, p.max, f)
        },
        check: None,
        errors: &[kvImageInvalidParameter],
    },
    Spec {
        name: "HistogramSpecification_PlanarF",
        src: 4,
        dst: 4,
        in_place: true,
        call: |s, d, p, f| unsafe {
            vImageHistogramSpecification_PlanarF(s, d, std::ptr::null_mut(), p.desired[0].as_ptr(), p.entries, p.min, p.max, f)
        },
        check: None,
        errors: &[kvImageInvalidParameter],
    },
    Spec {
        name: "PiecewiseGamma_Planar8",
        src: 1,
        dst: 1,
        in_place: true,
        call: |s, d, p, f| unsafe { vImagePiecewiseGamma_Planar8(s, d, p.f.as_ptr(), p.f[7] * 2.0, p.f[3..].as_ptr(), (p.f[5] * 64.0 + 128.0) as u8, f) },
        check: Some(|s, o, p, n| {
            let b = (p.f[5] * 64.0 + 128.0) as u8;
            for (sr, or) in s.iter().zip(o) {
                for (v, out) in sr.iter().zip(or) {
                    assert_eq!(*out, unit_to8(pw(p, *v as f32 / 255.0, *v < b)), "{n}");
                }
            }
        }),
        errors: &[],
    },
    Spec {
        name: "SymmetricPiecewiseGamma_PlanarF",
        src: 4,
        dst: 4,
        in_place: true,
        call: |s, d, p, f| unsafe { vImageSymmetricPiecewiseGamma_PlanarF(s, d, p.f.as_ptr(), p.f[7] * 2.0, p.f[3..].as_ptr(), p.f[5], f) },
        check: Some(|s, o, p, n| {
            for (sr, or) in s.iter().zip(o) {
                for (x, out) in f32s(sr).zip(f32s(or)) {
                    let t = pw(p, x.abs(), x.abs() < p.f[5]).max(0.0);
                    let want = if x.is_sign_negative() { -t } else { t };
                    assert!(same_f(out, want), "{n}: {x} -> {out} vs {want}");
                }
            }
        }),
        errors: &[],
    },
    Spec {
        name: "PiecewisePolynomial_PlanarFtoPlanar8",
        src: 4,
        dst: 1,
        in_place: false,
        call: |s, d, p, f| {
            let c = [p.f[..3].as_ptr(), p.f[3..6].as_ptr()];
            let b = [-1.0f32, p.f[6], 1.5];
            unsafe { vImagePiecewisePolynomial_PlanarFtoPlanar8(s, d, c.as_ptr() as *mut _, b.as_ptr(), 2, 1, f) }
        },
        check: None,
        errors: &[],
    },
    Spec {
        name: "LookupTable_Planar8toPlanar24",
        src: 1,
        dst: 3,
        in_place: false,
        call: |s, d, p, f| unsafe { vImageLookupTable_Planar8toPlanar24(s, d, p.table_ptr(), f) },
        check: Some(lut_check::<3, 4, 1>),
        errors: &[kvImageBufferSizeMismatch],
    },
    Spec {
        name: "LookupTable_Planar8toPlanar96",
        src: 1,
        dst: 12,
        in_place: false,
        call: |s, d, p, f| unsafe { vImageLookupTable_Planar8toPlanar96(s, d, p.table_ptr(), f) },
        check: Some(lut_check::<12, 16, 4>),
        errors: &[kvImageBufferSizeMismatch],
    },
    Spec {
        name: "LookupTable_Planar16",
        src: 2,
        dst: 2,
        in_place: false,
        call: |s, d, p, f| unsafe { vImageLookupTable_Planar16(s, d, p.table_ptr(), f) },
        check: Some(|s, o, p, n| {
            for (sr, or) in s.iter().zip(o) {
                for (v, out) in sr.chunks_exact(2).zip(or.chunks_exact(2)) {
                    let i = u16::from_ne_bytes([v[0], v[1]]) as usize * 2;
                    assert_eq!(out, &p.table[i..i + 2], "{n}");
                }
            }
        }),
        errors: &[kvImageBufferSizeMismatch],
    },
    Spec {
        name: "LookupTable_PlanarFtoPlanar8",
        src: 4,
        dst: 1,
        in_place: true,
        call: |s, d, p, f| unsafe { vImageLookupTable_PlanarFtoPlanar8(s, d, p.table_ptr(), f) },
        check: Some(|s, o, p, n| {
            for (sr, or) in s.iter().zip(o) {
                for (x, out) in f32s(sr).zip(or) {
                    let i = x * 4096.0;
                    let i = if i > 0.0 { i } else { 0.0 };
                    let i = if i < 4095.0 { i } else { 4095.0 };
                    assert_eq!(*out, p.table[i as usize], "{n}");
                }
            }
        }),
        errors: &[kvImageBufferSizeMismatch],
    },
    Spec {
        name: "InterpolatedLookupTable_PlanarF",
        src: 4,
        dst: 4,
        in_place: true,
        call: |s, d, p, f| unsafe {
            vImageInterpolatedLookupTable_PlanarF(s, d, p.table_ptr(), (p.entries as usize % 64) as _, p.max, p.min, f)
        },
        check: None,
        errors: &[kvImageInvalidParameter],
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

const UNIVERSAL: &[vImage_Error] = &[kvImageNoError, kvImageUnknownFlagsBit];

/// The histogram functions: checked against a direct count.
fn histograms(input: &Input, p: &P, width: usize, height: usize, pattern: &[u8]) {
    let four = input.op & 1 != 0;
    let float = input.op & 2 != 0;
    let ch = if four { 4 } else { 1 };
    let bpp = ch * if float { 4 } else { 1 };
    let s = make(width, height, bpp, input.src_pad as usize % 24, input.misalign as usize, pattern, 3);
    let flags = flags(input.flags_sel, &[kvImageDoNotTile, kvImageLeaveAlphaUnchanged], input.raw_flags);
    let e = if float { p.entries as usize } else { 256 };
    let mut h = vec![vec![7 as vImagePixelCount; e.max(1)]; 4];
    let mut ptrs: Vec<*mut vImagePixelCount> = h.iter_mut().map(|v| v.as_mut_ptr()).collect();
    // SAFETY: a live buffer and histograms of `e` entries.
    let code = unsafe {
        match (four, float) {
            (false, false) => vImageHistogramCalculation_Planar8(&s.desc, ptrs[0], flags),
            (true, false) => vImageHistogramCalculation_ARGB8888(&s.desc, ptrs.as_mut_ptr(), flags),
            (false, true) => vImageHistogramCalculation_PlanarF(&s.desc, ptrs[0], p.entries, p.min, p.max, flags),
            (true, true) => vImageHistogramCalculation_ARGBFFFF(&s.desc, ptrs.as_mut_ptr(), p.entries, p.min, p.max, flags),
        }
    };
    assert_documented(code, &[kvImageNoError, kvImageUnknownFlagsBit, kvImageInvalidParameter], "HistogramCalculation");
    s.mem.check_guards("HistogramCalculation");
    if code != kvImageNoError || flags & kvImageGetTempBufferSize != 0 {
        return;
    }
    stat("HistogramCalculation");
    let rows = rows_of(&s, width, height);
    for c in 0..ch {
        if four && c == 0 && flags & kvImageLeaveAlphaUnchanged != 0 {
            assert!(h[0].iter().all(|&v| v == 7), "alpha histogram written");
            continue;
        }
        let mut want = vec![0 as vImagePixelCount; e];
        for r in &rows {
            if float {
                for x in f32s(r).skip(c).step_by(ch) {
                    let v = p.entries as f32 * (x - p.min) / (p.max - p.min);
                    let v = if v > 0.0 { v } else { 0.0 };
                    let v = if v < (e - 1) as f32 { v } else { (e - 1) as f32 };
                    want[v as usize] += 1;
                }
            } else {
                for &v in r.iter().skip(c).step_by(ch) {
                    want[v as usize] += 1;
                }
            }
        }
        assert_eq!(h[c], want, "histogram channel {c}");
    }
}

fuzz_target!(|input: Input| {
    let (width, height) = if input.tiled {
        (300 + input.width as usize, 300 + (input.height as usize % 8))
    } else {
        (input.width as usize % 40, input.height as usize % 12)
    };
    let pattern = if input.pattern.is_empty() { vec![1, 2, 3, 250, 128, 0, 255, 77] } else { input.pattern.clone() };
    let f: [f32; 8] = std::array::from_fn(|i| input.floats[i] as f32 / 16384.0 - 2.0);
    let mut table = vec![0u8; 65536 * 2];
    fill(&mut table, &pattern);
    let entries = (input.entries % 300) as u32;
    let desired: Vec<Vec<vImagePixelCount>> = (0..4)
        .map(|c| (0..entries.max(256) as usize).map(|i| table[(i * 4 + c) % table.len()] as vImagePixelCount % 9).collect())
        .collect();
    let p = P {
        f,
        pl: std::array::from_fn(|i| input.percents[i] as u32 % 70),
        ph: std::array::from_fn(|i| input.percents[4 + i] as u32 % 70),
        entries,
        min: f[6].min(f[7]),
        max: if input.floats[0] & 1 == 0 { f[6].max(f[7]) } else { f[6] },
        table,
        desired,
    };
    if input.op >= 240 {
        histograms(&input, &p, width, height, &pattern);
        return;
    }
    let spec = &SPECS[input.op as usize % SPECS.len()];
    let flags = flags(input.flags_sel, &[kvImageDoNotTile, kvImageGetTempBufferSize, kvImageLeaveAlphaUnchanged], input.raw_flags);
    let misalign = input.misalign as usize % 8;
    let s = make(width, height, spec.src, input.src_pad as usize % 24, misalign, &pattern, 17);
    let mut d = make(width, height, spec.dst, input.dst_pad as usize % 24, misalign, &pattern, 101);
    let before = d.mem.bytes().to_vec();
    let src_rows = rows_of(&s, width, height);

    let code = (spec.call)(&s.desc, &d.desc, &p, flags);
    let allowed: Vec<vImage_Error> = UNIVERSAL.iter().chain(spec.errors).copied().collect();
    if code < 0 {
        assert_documented(code, &allowed, spec.name);
    }
    s.mem.check_guards(spec.name);
    d.mem.check_guards(spec.name);
    let bytes = d.mem.bytes();
    for y in 0..height {
        let row = y * d.desc.rowBytes;
        assert_eq!(&bytes[row + width * d.bpp..row + d.desc.rowBytes], &before[row + width * d.bpp..row + d.desc.rowBytes], "{}: padding written", spec.name);
    }
    if code != kvImageNoError || flags & kvImageGetTempBufferSize != 0 {
        assert_eq!(bytes, &before[..], "{}: a failed or size-only call wrote pixels", spec.name);
        return;
    }
    assert_eq!(rows_of(&s, width, height), src_rows, "{}: the source changed", spec.name);
    stat(spec.name);
    let out = rows_of(&d, width, height);
    if let Some(check) = spec.check
        && flags & kvImageLeaveAlphaUnchanged == 0
    {
        check(&src_rows, &out, &p, spec.name);
    }
    if flags & kvImageDoNotTile == 0 {
        d.mem.bytes_mut().copy_from_slice(&before);
        assert_eq!((spec.call)(&s.desc, &d.desc, &p, flags | kvImageDoNotTile), kvImageNoError, "{}: untiled", spec.name);
        assert_eq!(rows_of(&d, width, height), out, "{}: tiled and untiled differ", spec.name);
    }
    if input.in_place && spec.in_place && spec.src >= spec.dst {
        let mut s = s;
        let desc = s.desc;
        assert_eq!((spec.call)(&desc, &desc, &p, flags), kvImageNoError, "{}: in place", spec.name);
        s.bpp = spec.dst;
        s.mem.check_guards(spec.name);
        assert_eq!(rows_of(&s, width, height), out, "{}: in place differs from out of place", spec.name);
    }
});
