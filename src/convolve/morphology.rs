//! Morphology.h, the safe core: dilate and erode with a kernel, max and min over a rectangle.
//!
//! Arithmetic is Apple's documented loop (Morphology.h, macOS 11.1): for output `(y, x)` the
//! window is the source pixels `(y + off_y + i - kh/2, x + off_x + j - kw/2)`, **clipped to the
//! source image** (morphology never reads outside it and has no edge modes).
//! * Dilate: `r = max(start, max over the window of (p - k[i*kw + j])) + k[centre]`, start 0
//!   (8-bit, so `max(0, p - k)` is a saturating subtraction) or -inf (float); 8-bit results
//!   clipped to 0...255.
//! * Erode: the same with min, start 255 / +inf (the kernel is subtracted too, as Apple's loop
//!   says).
//! * Max / Min: the plain window extreme, separable, so a horizontal then a vertical sliding
//!   window, each by van Herk / Gil-Werman for windows over [`SMALL_WINDOW`] (three comparisons
//!   per sample whatever the size) and by direct passes below.
//!
//! Float order is IEEE total order (`-0 < +0`), NaN inputs are ignored (they act as the start
//! value), see [`crate::kernels::morphology`]. ARGB forms with `kvImageLeaveAlphaUnchanged` copy
//! channel 0 from the source pixel under the window centre, `(y + off_y, x + off_x)`.
//!
//! Overlap: Dilate / Erode never work in place; Max / Min work on overlapping buffers only
//! with `kvImageDoNotTile` (then the source region they read is first copied into the temp
//! buffer); otherwise `kvImageOutOfPlaceOperationRequired`.

use std::ops::Range;

use crate::error::{Error, Result};
use crate::flags::Flags;
use crate::kernels::morphology::{self as k, Extreme, Lane, SMALL_WINDOW};
use crate::kernels::tile;

pub use crate::kernels::morphology::Extreme as Op;

/// The four pixel formats of Morphology.h.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Planar8,
    PlanarF,
    Argb8888,
    ArgbFFFF,
}

impl Format {
    pub fn channels(self) -> usize {
        match self {
            Format::Planar8 | Format::PlanarF => 1,
            Format::Argb8888 | Format::ArgbFFFF => 4,
        }
    }

    /// Bytes per channel.
    pub fn elem(self) -> usize {
        match self {
            Format::Planar8 | Format::Argb8888 => 1,
            Format::PlanarF | Format::ArgbFFFF => 4,
        }
    }

    pub fn bpp(self) -> usize {
        self.channels() * self.elem()
    }

    fn is_float(self) -> bool {
        self.elem() == 4
    }
}

/// Caller image memory: `height` rows of `width` pixels, `stride` bytes apart.
#[derive(Clone, Copy, Debug)]
pub struct Image {
    ptr: *mut u8,
    stride: usize,
    width: usize,
    height: usize,
}

// SAFETY: an Image describes caller memory; the drivers below give each destination row to one
// thread and read sources only where no destination is written (overlap is refused or copied).
unsafe impl Send for Image {}
// SAFETY: as above.
unsafe impl Sync for Image {}

impl Image {
    /// # Safety
    /// `ptr` is valid for reads (and for a destination writes) of `width * bpp` bytes at
    /// `ptr + y * stride` for every `y < height`, while the operation runs, and the span does
    /// not wrap the address space.
    pub unsafe fn new(ptr: *mut u8, stride: usize, width: usize, height: usize) -> Image {
        Image {
            ptr,
            stride,
            width,
            height,
        }
    }

    /// An image over a Rust slice (tests and the safe API).
    pub fn of_slice(
        data: &mut [u8],
        stride: usize,
        width: usize,
        height: usize,
        bpp: usize,
    ) -> Result<Image> {
        let row = width
            .checked_mul(bpp)
            .ok_or(Error::InvalidParameter("width overflows"))?;
        let need = if height == 0 {
            0
        } else {
            (height - 1)
                .checked_mul(stride)
                .and_then(|v| v.checked_add(row))
                .ok_or(Error::InvalidParameter("image overflows"))?
        };
        if need > data.len() || (height > 1 && stride < row) {
            return Err(Error::InvalidParameter("slice shorter than the image"));
        }
        // SAFETY: the slice holds the whole span and is exclusively borrowed by the caller.
        Ok(unsafe { Image::new(data.as_mut_ptr(), stride, width, height) })
    }

    pub fn width(&self) -> usize {
        self.width
    }

    pub fn height(&self) -> usize {
        self.height
    }

    pub(crate) fn stride(&self) -> usize {
        self.stride
    }

    pub(crate) fn ptr(&self) -> *mut u8 {
        self.ptr
    }

    /// Bytes `x0 * bpp .. x1 * bpp` of row `y`.
    ///
    /// # Safety
    /// `y < height`, `x0 <= x1 <= width`, and no live `&mut` covers these bytes.
    pub(crate) unsafe fn read(&self, y: usize, x0: usize, x1: usize, bpp: usize) -> &[u8] {
        // SAFETY: the constructor's contract covers the row; the caller's covers aliasing.
        unsafe {
            std::slice::from_raw_parts(self.ptr.add(y * self.stride + x0 * bpp), (x1 - x0) * bpp)
        }
    }

    /// As [`Image::read`], writable.
    ///
    /// # Safety
    /// As [`Image::read`], and no other reference to these bytes is alive.
    #[allow(clippy::mut_from_ref)]
    pub(crate) unsafe fn write(&self, y: usize, x0: usize, x1: usize, bpp: usize) -> &mut [u8] {
        // SAFETY: as above.
        unsafe {
            std::slice::from_raw_parts_mut(
                self.ptr.add(y * self.stride + x0 * bpp),
                (x1 - x0) * bpp,
            )
        }
    }

    /// Address range of rows `y0..y1`, columns `x0..x1`.
    pub(crate) fn extent(
        &self,
        rows: Range<usize>,
        cols: Range<usize>,
        bpp: usize,
    ) -> Range<usize> {
        if rows.is_empty() || cols.is_empty() {
            return 0..0;
        }
        let base = self.ptr as usize;
        base + rows.start * self.stride + cols.start * bpp
            ..base + (rows.end - 1) * self.stride + cols.end * bpp
    }
}

/// The checked geometry of one call.
#[derive(Clone, Copy, Debug)]
struct Geometry {
    w: usize,
    h: usize,
    off_x: usize,
    off_y: usize,
    /// Window radii, reduced to what the source can hold (a larger window clips to the same).
    rh: usize,
    rw: usize,
}

impl Geometry {
    /// Source rows any window of the destination touches.
    fn src_rows(&self, src: &Image) -> Range<usize> {
        self.off_y.saturating_sub(self.rh)..(self.off_y + self.h + self.rh).min(src.height)
    }

    fn src_cols(&self, src: &Image) -> Range<usize> {
        self.off_x.saturating_sub(self.rw)..(self.off_x + self.w + self.rw).min(src.width)
    }
}

fn check(
    src: &Image,
    dst: &Image,
    off_x: usize,
    off_y: usize,
    kh: usize,
    kw: usize,
) -> Result<Geometry> {
    if kh.is_multiple_of(2) || kw.is_multiple_of(2) {
        return Err(Error::InvalidKernelSize(
            "kernel_height and kernel_width must be odd",
        ));
    }
    if dst.width > src.width || dst.height > src.height {
        return Err(Error::RoiLargerThanInput("dest is larger than src"));
    }
    if off_x.checked_add(dst.width).is_none_or(|e| e > src.width) {
        return Err(Error::InvalidOffsetX(
            "srcOffsetToROI_X + dest->width exceeds src->width",
        ));
    }
    if off_y.checked_add(dst.height).is_none_or(|e| e > src.height) {
        return Err(Error::InvalidOffsetY(
            "srcOffsetToROI_Y + dest->height exceeds src->height",
        ));
    }
    Ok(Geometry {
        w: dst.width,
        h: dst.height,
        off_x,
        off_y,
        rh: (kh / 2).min(src.height.saturating_sub(1)),
        rw: (kw / 2).min(src.width.saturating_sub(1)),
    })
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

/// Whether the source region the call reads meets the destination rows.
fn src_meets_dst(src: &Image, dst: &Image, g: &Geometry, bpp: usize) -> bool {
    overlaps(
        &src.extent(g.src_rows(src), g.src_cols(src), bpp),
        &dst.extent(0..g.h, 0..g.w, bpp),
    )
}

// ---- lanes of each format --------------------------------------------------------------------

/// Loading source samples into lanes (fused with the vertical pass) and storing lanes as
/// destination samples. For 8-bit formats the lanes are the samples themselves.
trait Io: Lane {
    /// `out = op` over the lanes of `rows`.
    fn fold_rows(op: Extreme, out: &mut [Self], rows: &[&[u8]]);
    /// `out = op(a, lanes of row)`.
    fn fold_row(op: Extreme, out: &mut [Self], a: &[Self], row: &[u8]);
    /// `l = op(l, lanes of row)`, then `v = op(r, l)`.
    fn step(op: Extreme, l: &mut [Self], v: &mut [Self], r: &[Self], row: &[u8]);
    /// Runs `f` on lanes that end up in `dst` (`dst` itself for 8 bits, `tmp` then converted
    /// for floats).
    fn emit(dst: &mut [u8], tmp: &mut [Self], f: impl FnOnce(&mut [Self]));
}

impl Io for u8 {
    fn fold_rows(op: Extreme, out: &mut [u8], rows: &[&[u8]]) {
        k::fold(op, out, rows);
    }
    fn fold_row(op: Extreme, out: &mut [u8], a: &[u8], row: &[u8]) {
        k::combine3(op, out, a, row);
    }
    fn step(op: Extreme, l: &mut [u8], v: &mut [u8], r: &[u8], row: &[u8]) {
        k::step(op, l, v, r, row);
    }
    fn emit(dst: &mut [u8], _: &mut [u8], f: impl FnOnce(&mut [u8])) {
        f(dst)
    }
}

impl Io for i32 {
    fn fold_rows(op: Extreme, out: &mut [i32], rows: &[&[u8]]) {
        k::to_keys(op, out, rows[0]);
        for r in &rows[1..] {
            k::key_fold(op, out, r);
        }
    }
    fn fold_row(op: Extreme, out: &mut [i32], a: &[i32], row: &[u8]) {
        out.copy_from_slice(&a[..out.len()]);
        k::key_fold(op, out, row);
    }
    fn step(op: Extreme, l: &mut [i32], v: &mut [i32], r: &[i32], row: &[u8]) {
        k::key_fold(op, l, row);
        k::combine3(op, v, r, l);
    }
    fn emit(dst: &mut [u8], tmp: &mut [i32], f: impl FnOnce(&mut [i32])) {
        let tmp = &mut tmp[..dst.len() / 4];
        f(tmp);
        k::from_keys(dst, tmp, None);
    }
}

// ---- Max / Min -------------------------------------------------------------------------------

/// Bytes of lane rows a column strip may keep (the suffix rows of the vertical recurrence
/// stay in L2); small windows keep a few rows, so their strips are whole rows in practice.
/// Tests use small strips so that images of a few thousand pixels span several.
const STRIP_BYTES: usize = if cfg!(test) { 1 << 14 } else { 1 << 19 };
const SLACK: usize = 64;

/// Pixels of a strip, for lanes of `lane` bytes.
fn strip_px(g: &Geometry, c: usize, lane: usize) -> usize {
    let kh = 2 * g.rh + 1;
    let rows = if kh > SMALL_WINDOW { kh + 1 } else { 2 };
    let lanes = (STRIP_BYTES / (lane * rows)).max(256);
    g.w.min((lanes / c).max(1))
}

/// Lanes one band needs: the padded vertical result `v`, the horizontal scratch, the suffix
/// rows and the prefix row of the vertical recurrence, the output row (floats).
fn band_lanes(g: &Geometry, c: usize, lane: usize) -> usize {
    let (kh, kw) = (2 * g.rh + 1, 2 * g.rw + 1);
    let s = strip_px(g, c, lane);
    let p = (s + kw - 1) * c;
    let horiz = if kw > SMALL_WINDOW { 3 * p } else { p };
    let vert = if kh > SMALL_WINDOW { (kh + 1) * p } else { 0 };
    horiz + vert + s * c
}

fn bands(g: &Geometry, flags: Flags) -> Vec<Range<usize>> {
    let threads = tile::thread_count(g.w, g.h, !flags.contains(Flags::DO_NOT_TILE));
    tile::bands(g.h, threads)
}

/// `kvImageGetTempBufferSize` of `vImageMax_*` / `vImageMin_*`: bytes of scratch the call
/// with these arguments uses (0 for an empty destination). Errors as the call itself.
#[allow(clippy::too_many_arguments)]
pub fn extreme_temp_size(
    fmt: Format,
    src: &Image,
    dst: &Image,
    off_x: usize,
    off_y: usize,
    kh: usize,
    kw: usize,
    flags: Flags,
) -> Result<usize> {
    let g = check(src, dst, off_x, off_y, kh, kw)?;
    if g.w == 0 || g.h == 0 {
        return Ok(0);
    }
    let bpp = fmt.bpp();
    let mut size = 0usize;
    if src_meets_dst(src, dst, &g, bpp) {
        if !flags.contains(Flags::DO_NOT_TILE) {
            return Err(Error::OutOfPlaceRequired(
                "Max / Min work in place only with kvImageDoNotTile",
            ));
        }
        let (r, c) = (g.src_rows(src), g.src_cols(src));
        size = r.len() * c.len() * bpp + SLACK;
    }
    let lane = if fmt.is_float() { 4 } else { 1 };
    let per_band = band_lanes(&g, fmt.channels(), lane)
        .checked_mul(lane)
        .and_then(|b| b.checked_add(SLACK))
        .ok_or(Error::Allocation(usize::MAX))?;
    per_band
        .checked_mul(bands(&g, flags).len())
        .and_then(|b| b.checked_add(size))
        .filter(|&b| b <= isize::MAX as usize)
        .ok_or(Error::Allocation(usize::MAX))
}

/// `vImageMax_*` / `vImageMin_*`. `temp` is the caller's temp buffer, at least
/// [`extreme_temp_size`] bytes (None: allocated here).
#[allow(clippy::too_many_arguments)]
pub fn extreme(
    op: Op,
    fmt: Format,
    src: Image,
    dst: Image,
    off_x: usize,
    off_y: usize,
    kh: usize,
    kw: usize,
    temp: Option<&mut [u8]>,
    flags: Flags,
) -> Result<()> {
    let size = extreme_temp_size(fmt, &src, &dst, off_x, off_y, kh, kw, flags)?;
    let g = check(&src, &dst, off_x, off_y, kh, kw)?;
    if flags.contains(Flags::GET_TEMP_BUFFER_SIZE) || g.w == 0 || g.h == 0 {
        return Ok(());
    }
    let mut own = Vec::new();
    let temp = match temp {
        Some(t) if t.len() >= size => &mut t[..size],
        Some(_) => return Err(Error::InvalidParameter("temp buffer too small")),
        None => {
            own.try_reserve_exact(size)
                .map_err(|_| Error::Allocation(size))?;
            own.resize(size, 0u8);
            &mut own[..]
        }
    };
    let bpp = fmt.bpp();
    let alpha = flags.contains(Flags::LEAVE_ALPHA_UNCHANGED) && fmt.channels() == 4;
    // Overlap: read from a copy of the source region (DoNotTile was checked above).
    let (src, g, temp) = if src_meets_dst(&src, &dst, &g, bpp) {
        let (rows, cols) = (g.src_rows(&src), g.src_cols(&src));
        let row = cols.len() * bpp;
        let (copy, rest) = temp.split_at_mut(rows.len() * row + SLACK);
        for (i, y) in rows.clone().enumerate() {
            // SAFETY: a source row inside the region; no reference to destination memory is
            // alive while we read it.
            let s = unsafe { src.read(y, cols.start, cols.end, bpp) };
            copy[i * row..(i + 1) * row].copy_from_slice(s);
        }
        // SAFETY: `copy` holds rows.len() rows of cols.len() pixels, `row` bytes apart; the
        // rest of the temp buffer is handed out separately.
        let region = unsafe { Image::new(copy.as_mut_ptr(), row, cols.len(), rows.len()) };
        let g = Geometry {
            off_x: g.off_x - cols.start,
            off_y: g.off_y - rows.start,
            ..g
        };
        (region, g, rest)
    } else {
        (src, g, temp)
    };
    if fmt.is_float() {
        run_extreme::<i32>(op, fmt, &src, &dst, &g, temp, alpha, flags);
    } else {
        run_extreme::<u8>(op, fmt, &src, &dst, &g, temp, alpha, flags);
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn run_extreme<L: Io>(
    op: Op,
    fmt: Format,
    src: &Image,
    dst: &Image,
    g: &Geometry,
    temp: &mut [u8],
    alpha: bool,
    flags: Flags,
) {
    // SAFETY: u8 and i32 are plain integers: every bit pattern is a valid lane.
    let (_, lanes, _) = unsafe { temp.align_to_mut::<L>() };
    let per = band_lanes(g, fmt.channels(), std::mem::size_of::<L>());
    let b = bands(g, flags);
    let threads = b.len();
    let items: Vec<(Range<usize>, &mut [L])> = b.into_iter().zip(lanes.chunks_mut(per)).collect();
    tile::run_queue(items, threads, |(band, buf)| {
        extreme_band(op, fmt, src, dst, g, band, buf, alpha)
    });
}

/// The horizontal pass of one output row: `v` holds the vertical result of source columns
/// `lo..hi` at pixel `left`; the pixels around it are filled with the edge values (the window
/// clipped to the image has the same extreme), then the window extremes go to `d`.
#[allow(clippy::too_many_arguments)]
fn horizontal<L: Io>(
    op: Op,
    c: usize,
    kw: usize,
    v: &mut [L],
    left: usize,
    mid: usize,
    scratch: (&mut [L], &mut [L], &mut [L]),
    d: &mut [u8],
) {
    let (fwd, bwd, tmp) = scratch;
    for i in 0..left {
        v.copy_within(left * c..left * c + c, i * c);
    }
    let end = left * c + mid;
    for i in (end..v.len()).step_by(c) {
        v.copy_within(end - c..end, i);
    }
    L::emit(d, tmp, |out| k::window_row(op, v, c, kw, out, fwd, bwd));
}

#[allow(clippy::too_many_arguments)]
fn extreme_band<L: Io>(
    op: Op,
    fmt: Format,
    src: &Image,
    dst: &Image,
    g: &Geometry,
    band: Range<usize>,
    buf: &mut [L],
    alpha: bool,
) {
    let c = fmt.channels();
    let bpp = fmt.bpp();
    let (kh, kw) = (2 * g.rh + 1, 2 * g.rw + 1);
    let strip = strip_px(g, c, std::mem::size_of::<L>());
    let n_out = band.len();
    let big = kh > SMALL_WINDOW;
    // Output row i of the band reads virtual source rows t = i .. i + kh of the band, source
    // row `base + t` clamped to the image (a replicated edge row: the same extreme as the
    // window clipped to the image).
    let base = (g.off_y + band.start) as isize - g.rh as isize;
    let last_row = src.height as isize - 1;
    for x0 in (0..g.w).step_by(strip) {
        let sw = strip.min(g.w - x0);
        let px = sw + kw - 1;
        let cx0 = (g.off_x + x0) as isize - g.rw as isize;
        let lo = cx0.max(0) as usize;
        let hi = (cx0 + px as isize).min(src.width as isize) as usize;
        let left = (lo as isize - cx0) as usize;
        let mid = (hi - lo) * c;
        // SAFETY: source row `base + t` clamped into the image, columns lo..hi inside it
        // (clamped); no mutable reference to source memory exists (overlapping calls read a
        // copy).
        let row = |t: usize| unsafe {
            let sy = (base + t as isize).clamp(0, last_row) as usize;
            src.read(sy, lo, hi, bpp)
        };
        let p_full = (strip + kw - 1) * c;
        let (v, rest) = buf.split_at_mut(p_full);
        let v = &mut v[..px * c];
        let (fwd, bwd, rest) = if kw > SMALL_WINDOW {
            let (f, rest) = rest.split_at_mut(p_full);
            let (b, rest) = rest.split_at_mut(p_full);
            (&mut f[..px * c], &mut b[..px * c], rest)
        } else {
            (&mut [][..], &mut [][..], rest)
        };
        let (r_rows, rest) = rest.split_at_mut(if big { kh * p_full } else { 0 });
        let (l, rest) = rest.split_at_mut(if big { p_full } else { 0 });
        let tmp = &mut rest[..strip * c];
        let emit = |i: usize, v: &mut [L], fwd: &mut [L], bwd: &mut [L], tmp: &mut [L]| {
            let y = band.start + i;
            // SAFETY: destination row y of this band (only this thread writes it), columns
            // x0..x0+sw; no source slice of this memory is alive (overlap reads a copy).
            let d = unsafe { dst.write(y, x0, x0 + sw, bpp) };
            horizontal(op, c, kw, v, left, mid, (fwd, bwd, tmp), d);
            if alpha {
                let e = fmt.elem();
                // SAFETY: source row y + off_y, columns inside the source (checked geometry).
                let s = unsafe { src.read(y + g.off_y, g.off_x + x0, g.off_x + x0 + sw, bpp) };
                for (dp, sp) in d.chunks_exact_mut(bpp).zip(s.chunks_exact(bpp)) {
                    dp[..e].copy_from_slice(&sp[..e]);
                }
            }
        };
        if !big {
            for i in 0..n_out {
                // The window's rows clipped to the image (at most SMALL_WINDOW of them).
                let t0 = (-(base + i as isize)).max(0) as usize + i;
                let t1 = ((last_row + 1 - base) as usize).min(i + kh);
                let mut rows: [&[u8]; SMALL_WINDOW] = [&[]; SMALL_WINDOW];
                for (r, t) in rows.iter_mut().zip(t0..t1) {
                    *r = row(t);
                }
                L::fold_rows(op, &mut v[left * c..left * c + mid], &rows[..t1 - t0]);
                emit(i, v, fwd, bwd, tmp);
            }
            continue;
        }
        // Vertical van Herk / Gil-Werman over blocks of kh outputs: slot q of `r_rows` holds
        // the extreme of block rows q..kh, `l` the extreme of the next block's rows so far.
        let r_rows = &mut r_rows[..kh * mid];
        let l = &mut l[..mid];
        let mut jb = 0;
        while jb < n_out {
            L::fold_rows(op, &mut r_rows[(kh - 1) * mid..], &[row(jb + kh - 1)]);
            for q in (1..kh - 1).rev() {
                let (a, b) = r_rows.split_at_mut((q + 1) * mid);
                L::fold_row(op, &mut a[q * mid..], &b[..mid], row(jb + q));
            }
            L::fold_row(
                op,
                &mut v[left * c..left * c + mid],
                &r_rows[mid..2 * mid],
                row(jb),
            );
            emit(jb, v, fwd, bwd, tmp);
            for q in 1..kh.min(n_out - jb) {
                let t = jb + kh + q - 1;
                let vm = &mut v[left * c..left * c + mid];
                let rq = &r_rows[q * mid..(q + 1) * mid];
                if q == 1 {
                    L::fold_rows(op, l, &[row(t)]);
                    k::combine3(op, vm, rq, l);
                } else {
                    L::step(op, l, vm, rq, row(t));
                }
                emit(jb + q, v, fwd, bwd, tmp);
            }
            jb += kh;
        }
    }
}

// ---- Dilate / Erode --------------------------------------------------------------------------

/// A dilate / erode kernel of `kh * kw` values, row-major.
#[derive(Clone, Copy, Debug)]
pub enum Kernel<'a> {
    U8(&'a [u8]),
    F32(&'a [f32]),
}

/// `vImageDilate_*` (`Op::Max`) / `vImageErode_*` (`Op::Min`). Kernel values must match the
/// format (8-bit for Planar8 / ARGB8888, float otherwise) and hold `kh * kw` values.
#[allow(clippy::too_many_arguments)]
pub fn dilate_erode(
    op: Op,
    fmt: Format,
    src: Image,
    dst: Image,
    off_x: usize,
    off_y: usize,
    kernel: Kernel<'_>,
    kh: usize,
    kw: usize,
    flags: Flags,
) -> Result<()> {
    let mut g = check(&src, &dst, off_x, off_y, kh, kw)?;
    let len = match kernel {
        Kernel::U8(k) => k.len(),
        Kernel::F32(k) => k.len(),
    };
    if kh.checked_mul(kw) != Some(len) || fmt.is_float() != matches!(kernel, Kernel::F32(_)) {
        return Err(Error::InvalidKernelSize(
            "kernel does not hold kh * kw values",
        ));
    }
    // The full radii index the kernel; the window still clips to the source.
    g.rh = kh / 2;
    g.rw = kw / 2;
    let bpp = fmt.bpp();
    if g.w == 0 || g.h == 0 {
        return Ok(());
    }
    if src_meets_dst(&src, &dst, &g, bpp) {
        return Err(Error::OutOfPlaceRequired(
            "Dilate / Erode do not work in place",
        ));
    }
    if flags.contains(Flags::GET_TEMP_BUFFER_SIZE) {
        return Ok(());
    }
    let alpha = flags.contains(Flags::LEAVE_ALPHA_UNCHANGED) && fmt.channels() == 4;
    let threads = tile::thread_count(g.w, g.h, !flags.contains(Flags::DO_NOT_TILE));
    let work = |band: Range<usize>| match (kernel, op) {
        (Kernel::U8(kv), Op::Max) => dilate_erode_band::<u8>(fmt, &src, &dst, &g, kv, band, alpha),
        (Kernel::U8(kv), Op::Min) => dilate_erode_band::<i16>(fmt, &src, &dst, &g, kv, band, alpha),
        (Kernel::F32(kv), _) => dilate_erode_float(op, fmt, &src, &dst, &g, kv, band, alpha),
    };
    tile::run_queue(tile::bands(g.h, threads), threads, work);
    Ok(())
}

/// The kernel elements that can reach the source from output row `y`: for each, the kernel
/// index, the source row, and the output columns `x0..x1` whose source column
/// `x + off_x + j - rw` lies inside.
fn taps(
    g: &Geometry,
    src: &Image,
    kw: usize,
    y: usize,
) -> impl Iterator<Item = (usize, usize, usize, usize)> {
    let (rh, rw) = (g.rh as isize, g.rw as isize);
    let (sh, sw) = (src.height as isize, src.width as isize);
    let (oy, ox, w) = (g.off_y as isize, g.off_x as isize, g.w as isize);
    let kh = 2 * g.rh + 1;
    (0..kh).flat_map(move |i| {
        let sy = y as isize + oy + i as isize - rh;
        let rows = if (0..sh).contains(&sy) { 0..kw } else { 0..0 };
        rows.filter_map(move |j| {
            let shift = ox + j as isize - rw;
            let x0 = (-shift).clamp(0, w);
            let x1 = (sw - shift).clamp(0, w);
            (x0 < x1).then_some((i * kw + j, sy as usize, x0 as usize, x1 as usize))
        })
    })
}

/// Accumulators of 8-bit dilate (u8, start 0) and erode (i16, start 255).
trait Acc8: Copy + Default {
    const START: Self;
    fn step(acc: &mut [Self], src: &[u8], k: u8);
    fn finish(acc: &[Self], centre: u8, dst: &mut [u8]);
}

impl Acc8 for u8 {
    const START: u8 = 0;
    fn step(acc: &mut [u8], src: &[u8], k: u8) {
        k::dilate8(acc, src, k)
    }
    fn finish(acc: &[u8], centre: u8, dst: &mut [u8]) {
        dst.iter_mut()
            .zip(acc)
            .for_each(|(d, a)| *d = a.saturating_add(centre));
    }
}

impl Acc8 for i16 {
    const START: i16 = 255;
    fn step(acc: &mut [i16], src: &[u8], k: u8) {
        k::erode8(acc, src, k)
    }
    fn finish(acc: &[i16], centre: u8, dst: &mut [u8]) {
        let c = centre as i16;
        dst.iter_mut()
            .zip(acc)
            .for_each(|(d, a)| *d = (a + c).clamp(0, 255) as u8);
    }
}

fn copy_alpha(src: &Image, g: &Geometry, y: usize, d: &mut [u8], bpp: usize, elem: usize) {
    // SAFETY: source row y + off_y, columns off_x..off_x + w inside the source (checked).
    let s = unsafe { src.read(y + g.off_y, g.off_x, g.off_x + g.w, bpp) };
    for (dp, sp) in d.chunks_exact_mut(bpp).zip(s.chunks_exact(bpp)) {
        dp[..elem].copy_from_slice(&sp[..elem]);
    }
}

fn dilate_erode_band<A: Acc8>(
    fmt: Format,
    src: &Image,
    dst: &Image,
    g: &Geometry,
    kv: &[u8],
    band: Range<usize>,
    alpha: bool,
) {
    let c = fmt.channels();
    let kw = 2 * g.rw + 1;
    let centre = kv[g.rh * kw + g.rw];
    let mut acc = vec![A::START; g.w * c];
    for y in band {
        acc.fill(A::START);
        for (idx, sy, x0, x1) in taps(g, src, kw, y) {
            let sx0 = (x0 + g.off_x + idx % kw) - g.rw;
            let sx1 = sx0 + (x1 - x0);
            // SAFETY: source row sy, columns sx0..sx1 inside the source (taps clips them);
            // the destination does not overlap the source (checked).
            let s = unsafe { src.read(sy, sx0, sx1, c) };
            A::step(&mut acc[x0 * c..x1 * c], s, kv[idx]);
        }
        // SAFETY: destination row y of this band, written by this thread only.
        let d = unsafe { dst.write(y, 0, g.w, c) };
        A::finish(&acc, centre, d);
        if alpha {
            copy_alpha(src, g, y, d, c, 1);
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn dilate_erode_float(
    op: Op,
    fmt: Format,
    src: &Image,
    dst: &Image,
    g: &Geometry,
    kv: &[f32],
    band: Range<usize>,
    alpha: bool,
) {
    let c = fmt.channels();
    let bpp = fmt.bpp();
    let kw = 2 * g.rw + 1;
    let centre = kv[g.rh * kw + g.rw];
    // A kernel value that makes p - k the start value for every p contributes nothing.
    let inert = match op {
        Op::Max => f32::INFINITY,
        Op::Min => f32::NEG_INFINITY,
    };
    let start = k::start_key(op);
    let mut acc = vec![start; g.w * c];
    for y in band {
        acc.fill(start);
        for (idx, sy, x0, x1) in taps(g, src, kw, y) {
            if kv[idx] == inert {
                continue;
            }
            let sx0 = (x0 + g.off_x + idx % kw) - g.rw;
            let sx1 = sx0 + (x1 - x0);
            // SAFETY: as in dilate_erode_band.
            let s = unsafe { src.read(sy, sx0, sx1, bpp) };
            k::keyed(op, &mut acc[x0 * c..x1 * c], s, kv[idx]);
        }
        // SAFETY: destination row y of this band, written by this thread only.
        let d = unsafe { dst.write(y, 0, g.w, bpp) };
        k::from_keys(d, &acc, Some(centre));
        if alpha {
            copy_alpha(src, g, y, d, bpp, 4);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Images wider than a strip (several strips, a partial last one) against the direct
    /// clipped window, 8-bit and float, small and large windows, with an ROI offset.
    #[test]
    fn wide_images_span_strips() {
        let mut s = 0x2545_f491u32;
        let mut next = || {
            s ^= s << 13;
            s ^= s >> 17;
            s ^= s << 5;
            s
        };
        for fmt in [Format::Argb8888, Format::Planar8, Format::ArgbFFFF] {
            let c = fmt.channels();
            let (sw, sh) = (9000 / c + 37, 23);
            let (w, h, ox, oy) = (sw - 9, sh - 4, 5, 3);
            let bpp = fmt.bpp();
            let mut src: Vec<u8> = (0..sw * sh * bpp).map(|_| next() as u8).collect();
            if fmt.is_float() {
                for ch in src.chunks_exact_mut(4) {
                    let f = (next() % 2000) as f32 / 7.0 - 100.0;
                    ch.copy_from_slice(&f.to_ne_bytes());
                }
            }
            let lane = |x: usize, y: usize, ch: usize| -> f64 {
                let i = (y * sw + x) * bpp + ch * fmt.elem();
                if fmt.is_float() {
                    f32::from_ne_bytes(src[i..i + 4].try_into().unwrap()) as f64
                } else {
                    src[i] as f64
                }
            };
            for (kh, kw) in [(3, 3), (5, 1), (9, 21), (21, 3)] {
                for op in [Op::Max, Op::Min] {
                    let mut dst = vec![0u8; w * h * bpp];
                    let mut sc = src.clone();
                    let si = Image::of_slice(&mut sc, sw * bpp, sw, sh, bpp).unwrap();
                    let di = Image::of_slice(&mut dst, w * bpp, w, h, bpp).unwrap();
                    extreme(op, fmt, si, di, ox, oy, kh, kw, None, Flags::DO_NOT_TILE).unwrap();
                    for y in [0, 1, h / 2, h - 1] {
                        for x in 0..w {
                            for ch in 0..c {
                                let (cy, cx) = ((y + oy) as isize, (x + ox) as isize);
                                let mut want = match op {
                                    Op::Max => f64::NEG_INFINITY,
                                    Op::Min => f64::INFINITY,
                                };
                                for yy in cy - kh as isize / 2..=cy + kh as isize / 2 {
                                    for xx in cx - kw as isize / 2..=cx + kw as isize / 2 {
                                        if (0..sh as isize).contains(&yy)
                                            && (0..sw as isize).contains(&xx)
                                        {
                                            let v = lane(xx as usize, yy as usize, ch);
                                            want = match op {
                                                Op::Max => want.max(v),
                                                Op::Min => want.min(v),
                                            };
                                        }
                                    }
                                }
                                let i = (y * w + x) * bpp + ch * fmt.elem();
                                let got = if fmt.is_float() {
                                    f32::from_ne_bytes(dst[i..i + 4].try_into().unwrap()) as f64
                                } else {
                                    dst[i] as f64
                                };
                                assert_eq!(got, want, "{fmt:?} {op:?} {kh}x{kw} ({x},{y}) {ch}");
                            }
                        }
                    }
                }
            }
        }
    }
}
