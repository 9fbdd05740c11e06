//! vImageScale_*: separable Lanczos resampling of the whole source onto the whole destination.
//!
//! Horizontal pass first, into a ring of `taps_y` intermediate rows per band of destination
//! rows, then the vertical pass straight into the destination. Destination rows are split
//! into bands across threads (src/kernels/tile.rs); each band filters the source rows it needs
//! itself, so bands share nothing but the read-only tables and source. Scratch (the rings and
//! the float path's decode/accumulate rows) comes from the caller's temp buffer, or from one
//! allocation when it is NULL; `kvImageGetTempBufferSize` returns its size.

use std::ops::Range;
use std::sync::{Arc, Mutex};

use super::filter::Table;
use super::lanczos::Lanczos;
use crate::error::{Error, Result};
use crate::flags::Flags;
use crate::kernels::resample::{self, Taps};
use crate::kernels::tile;

/// A pixel sample layout `vImageScale_*` resamples.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sample {
    U8,
    U16,
    I16,
    F32,
    /// IEEE half (`Pixel_16F`).
    F16,
    /// One 32-bit XRGB2101010 word per pixel (native-endian), as four channels X, R, G, B.
    Xrgb2101010,
}

/// A format: channels per pixel and their sample type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Format {
    pub channels: usize,
    pub sample: Sample,
}

impl Format {
    pub const PLANAR8: Format = Format::new(1, Sample::U8);
    pub const CBCR8: Format = Format::new(2, Sample::U8);
    pub const ARGB8888: Format = Format::new(4, Sample::U8);
    pub const PLANAR16U: Format = Format::new(1, Sample::U16);
    pub const CBCR16U: Format = Format::new(2, Sample::U16);
    pub const ARGB16U: Format = Format::new(4, Sample::U16);
    pub const PLANAR16S: Format = Format::new(1, Sample::I16);
    pub const ARGB16S: Format = Format::new(4, Sample::I16);
    pub const PLANARF: Format = Format::new(1, Sample::F32);
    pub const ARGBFFFF: Format = Format::new(4, Sample::F32);
    pub const PLANAR16F: Format = Format::new(1, Sample::F16);
    pub const ARGB16F: Format = Format::new(4, Sample::F16);
    pub const XRGB2101010W: Format = Format::new(4, Sample::Xrgb2101010);

    pub const fn new(channels: usize, sample: Sample) -> Format {
        Format { channels, sample }
    }

    /// Bytes of one pixel.
    pub const fn bytes_per_pixel(self) -> usize {
        match self.sample {
            Sample::U8 => self.channels,
            Sample::U16 | Sample::I16 | Sample::F16 => 2 * self.channels,
            Sample::F32 => 4 * self.channels,
            Sample::Xrgb2101010 => 4,
        }
    }
}

/// A view of caller memory: `height` rows of `width` pixels of `bpp` bytes, `stride` apart.
#[derive(Clone, Copy, Debug)]
pub struct Img {
    ptr: *mut u8,
    stride: usize,
    pub width: usize,
    pub height: usize,
    row_len: usize,
}

// SAFETY: an Img is a description of caller memory; the scale and shear drivers hand each
// destination row to exactly one thread and only read the source.
unsafe impl Send for Img {}
// SAFETY: as above.
unsafe impl Sync for Img {}

impl Img {
    /// # Safety
    /// For every `y < height`, `ptr + y * stride` is valid for reads (and, for a destination,
    /// writes) of `width * bpp` bytes while the view is used, and nothing else writes them.
    pub unsafe fn new(ptr: *mut u8, stride: usize, width: usize, height: usize, bpp: usize) -> Img {
        Img {
            ptr,
            stride,
            width,
            height,
            row_len: width * bpp,
        }
    }

    /// A view over a Rust slice (tests, benches, the safe API).
    pub fn of_slice(
        data: &mut [u8],
        stride: usize,
        width: usize,
        height: usize,
        bpp: usize,
    ) -> Result<Img> {
        let row_len = width
            .checked_mul(bpp)
            .ok_or(Error::InvalidParameter("row overflows"))?;
        let need = crate::kernels::rows::span(height, stride, row_len)
            .ok_or(Error::InvalidParameter("image overflows"))?;
        if need > data.len() || (height > 1 && stride < row_len) {
            return Err(Error::InvalidParameter("slice shorter than the image"));
        }
        // SAFETY: the slice holds every row and is exclusively borrowed by the caller.
        Ok(unsafe { Img::new(data.as_mut_ptr(), stride, width, height, bpp) })
    }

    /// Address range the rows cover.
    pub fn extent(&self) -> Range<usize> {
        let start = self.ptr as usize;
        if self.height == 0 || self.row_len == 0 {
            return start..start;
        }
        start..start + (self.height - 1) * self.stride + self.row_len
    }

    /// Row `y` for reading.
    pub(crate) fn row(&self, y: usize) -> &[u8] {
        assert!(y < self.height);
        // SAFETY: readable row (the constructor's contract); the drivers never hand out a
        // mutable slice of a source.
        unsafe { std::slice::from_raw_parts(self.ptr.add(y * self.stride), self.row_len) }
    }

    /// Row `y` for writing. Callers take each row once, on one thread.
    #[allow(clippy::mut_from_ref)]
    pub(crate) fn row_mut(&self, y: usize) -> &mut [u8] {
        assert!(y < self.height);
        // SAFETY: writable row (the constructor's contract), disjoint from every source (the
        // drivers check) and from every other row; the drivers give each row to one thread.
        unsafe { std::slice::from_raw_parts_mut(self.ptr.add(y * self.stride), self.row_len) }
    }
}

/// Refuses sources that overlap the destination (geometry never works in place).
pub(crate) fn check_no_overlap(src: &Img, dst: &Img) -> Result<()> {
    let (a, b) = (src.extent(), dst.extent());
    if a.start < b.end && b.start < a.end {
        return Err(Error::InvalidParameter(
            "source and destination overlap; geometry functions do not work in place",
        ));
    }
    Ok(())
}

const ALIGN: usize = 64;

/// Ring slots of the 8-bit path beyond the vertical taps: the horizontal pass filters four
/// source rows at a time, up to three of them ahead of the current window.
const RING_EXTRA: usize = 3;

/// Scratch one band needs: the ring of intermediate rows, and for the float path a decoded
/// source row and an accumulated output row.
fn band_bytes(src_w: usize, dst_w: usize, taps_y: usize, fmt: Format) -> usize {
    let c = fmt.channels;
    match fmt.sample {
        Sample::U8 => (taps_y + RING_EXTRA) * dst_w * c * 2 + ALIGN,
        _ => (taps_y * dst_w * c + src_w * c + dst_w * c) * 4 + ALIGN,
    }
}

/// The temp-buffer bytes `vImageScale_*` needs for these sizes, format and flags (the
/// vertical table's width decides the ring size; one scratch area per band).
pub fn temp_size(sw: usize, sh: usize, dw: usize, dh: usize, fmt: Format, flags: Flags) -> usize {
    if sw == 0 || sh == 0 || dw == 0 || dh == 0 {
        return 0;
    }
    let taps = Table::scale(sh, dh, Lanczos::from_flags(flags.bits())).taps;
    let threads = tile::thread_count(dw, dh, !flags.contains(Flags::DO_NOT_TILE));
    band_bytes(sw, dw, taps, fmt).saturating_mul(tile::bands(dh, threads).len())
}

/// `vImageScale_*`. Returns the temp-buffer size with `kvImageGetTempBufferSize` (nothing
/// touched), else 0. `temp`: the caller's buffer of at least that size, or `None`.
pub fn scale(
    src: &Img,
    dst: &Img,
    fmt: Format,
    temp: Option<&mut [u8]>,
    flags: Flags,
) -> Result<usize> {
    check_no_overlap(src, dst)?;
    let (sw, sh, dw, dh) = (src.width, src.height, dst.width, dst.height);
    if dw == 0 || dh == 0 {
        return Ok(0);
    }
    if sw == 0 || sh == 0 {
        return Err(Error::InvalidParameter(
            "empty source for a non-empty destination",
        ));
    }
    let kernel = Lanczos::from_flags(flags.bits());
    let plan = plan((sw, sh, dw, dh), kernel, fmt);
    let ytab = &plan.ytab;
    let tile_ok = !flags.contains(Flags::DO_NOT_TILE);
    let threads = tile::thread_count(dw, dh, tile_ok);
    let bands = tile::bands(dh, threads);
    let per_band = band_bytes(sw, dw, ytab.taps, fmt);
    let total = per_band
        .checked_mul(bands.len())
        .ok_or(Error::InvalidParameter("image too large"))?;
    if flags.contains(Flags::GET_TEMP_BUFFER_SIZE) {
        return Ok(total);
    }
    let mut own = Vec::new();
    let temp: &mut [u8] = match temp {
        Some(t) if t.len() >= total => &mut t[..total],
        Some(_) => return Err(Error::InvalidParameter("temp buffer too small")),
        None => {
            own.try_reserve_exact(total)
                .map_err(|_| Error::Allocation(total))?;
            own.resize(total, 0);
            &mut own
        }
    };
    let items: Vec<(Range<usize>, &mut [u8])> =
        bands.into_iter().zip(temp.chunks_mut(per_band)).collect();
    let job = Job {
        src,
        dst,
        fmt,
        xtab: &plan.xtab,
        ytab,
        wx: &plan.wx,
    };
    tile::run_queue(items, threads, |(band, scratch)| job.band(band, scratch));
    Ok(0)
}

/// The coefficient tables of one geometry: the vertical table, the horizontal one (padded to
/// whole SIMD groups for the 8-bit kernels) and its pre-expanded 4-channel weight lanes.
struct Plan {
    xtab: Table,
    ytab: Table,
    wx: Vec<i32>,
}

type PlanKey = ((usize, usize, usize, usize), Lanczos, Format);

/// Plans of the last few geometries. Building a table evaluates the kernel (two `sin`s) at
/// every tap of every output, which costs as much as a fifth of a 4K -> 1080p scale; callers
/// scaling frame after frame at the same sizes reuse the tables instead. The tables are a pure
/// function of the key, so a hit gives bit-identical results.
static PLANS: Mutex<Vec<(PlanKey, Arc<Plan>)>> = Mutex::new(Vec::new());
const PLANS_KEPT: usize = 4;

fn plan(size: (usize, usize, usize, usize), kernel: Lanczos, fmt: Format) -> Arc<Plan> {
    let key = (size, kernel, fmt);
    let lock = || PLANS.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, p)) = lock().iter().find(|(k, _)| *k == key) {
        return p.clone();
    }
    let (sw, sh, dw, dh) = size;
    let ytab = Table::scale(sh, dh, kernel);
    let mut xtab = Table::scale(sw, dw, kernel);
    if fmt.sample == Sample::U8 {
        // Whole groups of 4 (8 for one channel) taps let the SIMD kernels skip their tails.
        let group = if fmt.channels == 1 { 8 } else { 4 };
        if let Some(t) = xtab.padded(sw, group) {
            xtab = t;
        }
    }
    let wx = resample::expand4(fmt.channels, xtab.taps, &xtab.wi);
    let p = Arc::new(Plan { xtab, ytab, wx });
    let mut plans = lock();
    plans.retain(|(k, _)| *k != key);
    plans.insert(0, (key, p.clone()));
    plans.truncate(PLANS_KEPT);
    p
}

struct Job<'a> {
    src: &'a Img,
    dst: &'a Img,
    fmt: Format,
    xtab: &'a Table,
    ytab: &'a Table,
    wx: &'a [i32],
}

/// `scratch` as elements of a plain number type, after its alignment.
fn typed<T: Number>(scratch: &mut [u8]) -> &mut [T] {
    // SAFETY: T is i16 or f32, for which every bit pattern is a value; align_to_mut keeps the
    // bounds and the alignment.
    let (_, body, _) = unsafe { scratch.align_to_mut::<T>() };
    body
}

/// Number types any bit pattern of which is a valid value.
trait Number: Copy {}
impl Number for i16 {}
impl Number for f32 {}

impl Job<'_> {
    fn taps_x(&self) -> Taps<'_> {
        Taps {
            taps: self.xtab.taps,
            start: &self.xtab.start,
            wi: &self.xtab.wi,
            wf: &self.xtab.wf,
            wx: self.wx,
        }
    }

    fn band(&self, band: Range<usize>, scratch: &mut [u8]) {
        match self.fmt.sample {
            Sample::U8 => self.band_u8(band, scratch),
            _ => self.band_f32(band, scratch),
        }
    }

    fn band_u8(&self, band: Range<usize>, scratch: &mut [u8]) {
        let c = self.fmt.channels;
        let inter = self.dst.width * c;
        let ty = self.ytab.taps;
        let slots = ty + RING_EXTRA;
        let ring = &mut typed::<i16>(scratch)[..slots * inter];
        let mut slot_of = vec![usize::MAX; slots]; // source row held by each ring slot
        let tx = self.taps_x();
        let sh = self.src.height;
        for y in band {
            let s = self.ytab.start[y] as usize;
            for r in s..s + ty {
                if slot_of[r % slots] == r {
                    continue;
                }
                // Rows are needed in increasing order: filter this one and the next three
                // together; the ring has room for them beside the window of this output row.
                if r + 4 <= sh {
                    let idx = [r, r + 1, r + 2, r + 3].map(|q| q % slots);
                    let mut parts: Vec<&mut [i16]> = ring.chunks_exact_mut(inter).collect();
                    let outs = parts.get_disjoint_mut(idx).expect("distinct ring slots");
                    let src = [r, r + 1, r + 2, r + 3].map(|q| self.src.row(q));
                    resample::h_u8_x4(c, src, outs.map(|o| &mut **o), tx);
                    for q in r..r + 4 {
                        slot_of[q % slots] = q;
                    }
                } else {
                    let slot = r % slots;
                    resample::h_u8(c, self.src.row(r), &mut ring[slot * inter..][..inter], tx);
                    slot_of[slot] = r;
                }
            }
            let rows: Vec<&[_]> = (s..s + ty)
                .map(|r| &ring[(r % slots) * inter..][..inter])
                .collect();
            resample::v_u8(&rows, &self.ytab.wi[y * ty..][..ty], self.dst.row_mut(y));
        }
    }

    fn band_f32(&self, band: Range<usize>, scratch: &mut [u8]) {
        let c = self.fmt.channels;
        let inter = self.dst.width * c;
        let ty = self.ytab.taps;
        let (ring, rest) = typed::<f32>(scratch).split_at_mut(ty * inter);
        let (line, rest) = rest.split_at_mut(self.src.width * c);
        let acc = &mut rest[..inter];
        let mut slot_of = vec![usize::MAX; ty];
        let tx = self.taps_x();
        for y in band {
            let s = self.ytab.start[y] as usize;
            for r in s..s + ty {
                let slot = r % ty;
                if slot_of[slot] != r {
                    decode(self.fmt.sample, self.src.row(r), line);
                    resample::h_f32(c, line, &mut ring[slot * inter..][..inter], tx);
                    slot_of[slot] = r;
                }
            }
            let rows: Vec<&[_]> = (s..s + ty)
                .map(|r| &ring[(r % ty) * inter..][..inter])
                .collect();
            resample::v_f32(&rows, &self.ytab.wf[y * ty..][..ty], acc);
            encode(self.fmt.sample, acc, self.dst.row_mut(y));
        }
    }
}

// ---- sample conversions of the float path ------------------------------------------------------

/// Samples of a row as f32.
pub(crate) fn decode(sample: Sample, src: &[u8], out: &mut [f32]) {
    match sample {
        Sample::U8 => out.iter_mut().zip(src).for_each(|(o, &v)| *o = v as f32),
        Sample::U16 => out
            .iter_mut()
            .zip(src.chunks_exact(2))
            .for_each(|(o, b)| *o = u16::from_ne_bytes([b[0], b[1]]) as f32),
        Sample::I16 => out
            .iter_mut()
            .zip(src.chunks_exact(2))
            .for_each(|(o, b)| *o = i16::from_ne_bytes([b[0], b[1]]) as f32),
        Sample::F32 => out
            .iter_mut()
            .zip(src.chunks_exact(4))
            .for_each(|(o, b)| *o = f32::from_ne_bytes([b[0], b[1], b[2], b[3]])),
        Sample::F16 => out
            .iter_mut()
            .zip(src.chunks_exact(2))
            .for_each(|(o, b)| *o = f16_to_f32(u16::from_ne_bytes([b[0], b[1]]))),
        Sample::Xrgb2101010 => {
            for (o, b) in out.chunks_exact_mut(4).zip(src.chunks_exact(4)) {
                let v = u32::from_ne_bytes([b[0], b[1], b[2], b[3]]);
                o[0] = (v >> 30) as f32;
                o[1] = ((v >> 20) & 0x3ff) as f32;
                o[2] = ((v >> 10) & 0x3ff) as f32;
                o[3] = (v & 0x3ff) as f32;
            }
        }
    }
}

/// f32 samples into a row: integers rounded to nearest (ties away from zero) and clamped,
/// floats stored as they are, halves rounded to nearest even.
pub(crate) fn encode(sample: Sample, acc: &[f32], out: &mut [u8]) {
    match sample {
        Sample::U8 => out
            .iter_mut()
            .zip(acc)
            .for_each(|(o, &v)| *o = v.round().clamp(0.0, 255.0) as u8),
        Sample::U16 => out.chunks_exact_mut(2).zip(acc).for_each(|(o, &v)| {
            o.copy_from_slice(&(v.round().clamp(0.0, 65535.0) as u16).to_ne_bytes())
        }),
        Sample::I16 => out.chunks_exact_mut(2).zip(acc).for_each(|(o, &v)| {
            o.copy_from_slice(&(v.round().clamp(-32768.0, 32767.0) as i16).to_ne_bytes())
        }),
        Sample::F32 => out
            .chunks_exact_mut(4)
            .zip(acc)
            .for_each(|(o, &v)| o.copy_from_slice(&v.to_ne_bytes())),
        Sample::F16 => out
            .chunks_exact_mut(2)
            .zip(acc)
            .for_each(|(o, &v)| o.copy_from_slice(&f32_to_f16(v).to_ne_bytes())),
        Sample::Xrgb2101010 => {
            for (o, v) in out.chunks_exact_mut(4).zip(acc.chunks_exact(4)) {
                let q = |x: f32, max: f32| x.round().clamp(0.0, max) as u32;
                let w = (q(v[0], 3.0) << 30)
                    | (q(v[1], 1023.0) << 20)
                    | (q(v[2], 1023.0) << 10)
                    | q(v[3], 1023.0);
                o.copy_from_slice(&w.to_ne_bytes());
            }
        }
    }
}

/// IEEE half to f32 (exact).
pub fn f16_to_f32(h: u16) -> f32 {
    let sign = ((h as u32) & 0x8000) << 16;
    let exp = ((h >> 10) & 0x1f) as u32;
    let man = (h & 0x3ff) as u32;
    let bits = match exp {
        0 if man == 0 => sign,
        0 => {
            // Subnormal: value = man * 2^-24.
            let v = man as f32 * (1.0 / 16_777_216.0);
            return if sign != 0 { -v } else { v };
        }
        0x1f => sign | 0x7f80_0000 | (man << 13),
        _ => sign | ((exp + 112) << 23) | (man << 13),
    };
    f32::from_bits(bits)
}

/// f32 to IEEE half, rounding to nearest even; overflow gives infinity, NaN stays NaN.
pub fn f32_to_f16(f: f32) -> u16 {
    let x = f.to_bits();
    let sign = ((x >> 16) & 0x8000) as u16;
    let exp = ((x >> 23) & 0xff) as i32;
    let man = x & 0x7f_ffff;
    if exp == 0xff {
        return sign
            | 0x7c00
            | if man != 0 {
                0x200 | (man >> 13) as u16
            } else {
                0
            };
    }
    let e = exp - 127 + 15;
    if e >= 0x1f {
        return sign | 0x7c00;
    }
    if e <= 0 {
        if e < -10 {
            return sign;
        }
        let m = man | 0x80_0000;
        let shift = (14 - e) as u32;
        let half = 1u32 << (shift - 1);
        let rest = m & ((1 << shift) - 1);
        let mut v = m >> shift;
        if rest > half || (rest == half && v & 1 == 1) {
            v += 1;
        }
        return sign | v as u16;
    }
    let mut v = ((e as u32) << 10) | (man >> 13);
    let rest = man & 0x1fff;
    if rest > 0x1000 || (rest == 0x1000 && v & 1 == 1) {
        v += 1; // may carry into the exponent, up to infinity: correct
    }
    sign | v as u16
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_round_trips_and_rounds_to_even() {
        for h in 0..=u16::MAX {
            let f = f16_to_f32(h);
            if f.is_nan() {
                assert!(f32_to_f16(f) & 0x7fff > 0x7c00);
            } else {
                assert_eq!(f32_to_f16(f), h, "{h:#x}");
            }
        }
        assert_eq!(f32_to_f16(1.0 + 1.0 / 2048.0), 0x3c00); // tie to even
        assert_eq!(f32_to_f16(1.0 + 3.0 / 2048.0), 0x3c02);
        assert_eq!(f32_to_f16(1e6), 0x7c00);
    }

    #[test]
    fn identity_is_exact() {
        let (w, h) = (13, 7);
        let mut s: Vec<u8> = (0..w * h * 4).map(|i| (i * 97 % 251) as u8).collect();
        let mut d = vec![0u8; w * h * 4];
        let si = Img::of_slice(&mut s, w * 4, w, h, 4).unwrap();
        let di = Img::of_slice(&mut d, w * 4, w, h, 4).unwrap();
        scale(&si, &di, Format::ARGB8888, None, Flags::empty()).unwrap();
        assert_eq!(s, d);
    }
}
