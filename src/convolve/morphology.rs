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

/// Loading source samples into lanes and storing lanes as destination samples.
trait Io: Lane {
    fn load(op: Extreme, src: &[u8], dst: &mut [Self]);
    fn store(src: &[Self], dst: &mut [u8]);
}

impl Io for u8 {
    fn load(_: Extreme, src: &[u8], dst: &mut [u8]) {
        dst.copy_from_slice(src);
    }
    fn store(src: &[u8], dst: &mut [u8]) {
        dst.copy_from_slice(src);
    }
}

impl Io for i32 {
    fn load(op: Extreme, src: &[u8], dst: &mut [i32]) {
        k::to_keys(op, dst, src);
    }
    fn store(src: &[i32], dst: &mut [u8]) {
        k::from_keys(dst, src, None);
    }
}

// ---- Max / Min -------------------------------------------------------------------------------

/// Pixels per column strip: strips keep the row ring of the vertical pass in cache.
const STRIP_LANES: usize = 4096;
const SLACK: usize = 64;

/// Lanes one band needs.
fn band_lanes(g: &Geometry, c: usize) -> usize {
    let (kh, kw) = (2 * g.rh + 1, 2 * g.rw + 1);
    let s = g.w.min((STRIP_LANES / c).max(1));
    let n = s * c;
    let p = (s + kw - 1) * c;
    let horiz = if kw > SMALL_WINDOW { 3 * p } else { p };
    let vert = if kh > SMALL_WINDOW {
        3 * kh + 2
    } else {
        kh + 2
    };
    horiz + vert * n
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
    let per_band = band_lanes(&g, fmt.channels())
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
    let per = band_lanes(g, fmt.channels());
    let b = bands(g, flags);
    let threads = b.len();
    let items: Vec<(Range<usize>, &mut [L])> = b.into_iter().zip(lanes.chunks_mut(per)).collect();
    tile::run_queue(items, threads, |(band, buf)| {
        extreme_band(op, fmt, src, dst, g, band, buf, alpha)
    });
}

/// Rows of horizontal window results, computed once each, `slots` of `n` lanes in a ring.
struct Ring<'a, L> {
    rows: &'a mut [L],
    tags: Vec<usize>,
    n: usize,
}

impl<L: Lane> Ring<'_, L> {
    fn slot(&self, t: usize) -> &[L] {
        let s = t % self.tags.len();
        debug_assert_eq!(self.tags[s], t);
        &self.rows[s * self.n..(s + 1) * self.n]
    }
}

/// Everything the horizontal pass of one strip needs.
struct Horizontal<'a, L> {
    op: Op,
    fmt: Format,
    src: &'a Image,
    /// First source column of the padded strip (may be negative: replicated edge = clipped).
    cx0: isize,
    kw: usize,
    /// Padded source row, and the van Herk scratch.
    p: &'a mut [L],
    fwd: &'a mut [L],
    bwd: &'a mut [L],
    /// Padded row `t` is source row `clamp(base + t)`.
    base: isize,
}

impl<L: Io> Horizontal<'_, L> {
    /// Makes sure ring slot of padded row `t` holds its horizontal window extremes.
    fn ensure(&mut self, ring: &mut Ring<'_, L>, t: usize) {
        let s = t % ring.tags.len();
        if ring.tags[s] == t {
            return;
        }
        ring.tags[s] = t;
        let c = self.fmt.channels();
        let bpp = self.fmt.bpp();
        let sy = (self.base + t as isize).clamp(0, self.src.height as isize - 1) as usize;
        let px = self.p.len() / c;
        let last = self.src.width as isize - 1;
        let lo = self.cx0.clamp(0, last) as usize;
        let hi = (self.cx0 + px as isize - 1).clamp(0, last) as usize;
        let left = (lo as isize - self.cx0) as usize;
        // SAFETY: source row sy, columns lo..=hi lie inside the source (clamped); no mutable
        // reference to source memory exists (overlapping calls read a copy).
        let row = unsafe { self.src.read(sy, lo, hi + 1, bpp) };
        let mid = (hi + 1 - lo) * c;
        L::load(self.op, row, &mut self.p[left * c..left * c + mid]);
        for i in 0..left {
            self.p.copy_within(left * c..left * c + c, i * c);
        }
        for i in left * c + mid..self.p.len() {
            self.p[i] = self.p[i - c];
        }
        let out = &mut ring.rows[s * ring.n..(s + 1) * ring.n];
        k::window_row(self.op, self.p, c, self.kw, out, self.fwd, self.bwd);
    }
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
    let strip = g.w.min((STRIP_LANES / c).max(1));
    let n_out = band.len();
    for x0 in (0..g.w).step_by(strip) {
        let sw = strip.min(g.w - x0);
        let n = sw * c;
        let full_n = strip * c;
        let p_len = (sw + kw - 1) * c;
        let (p, rest) = buf.split_at_mut((strip + kw - 1) * c);
        let (fwd, bwd, rest) = if kw > SMALL_WINDOW {
            let (f, rest) = rest.split_at_mut((strip + kw - 1) * c);
            let (b, rest) = rest.split_at_mut((strip + kw - 1) * c);
            (&mut f[..p_len], &mut b[..p_len], rest)
        } else {
            (&mut [][..], &mut [][..], rest)
        };
        let big = kh > SMALL_WINDOW;
        let nh = if big { 2 * kh } else { kh };
        let (ring_rows, rest) = rest.split_at_mut(nh * full_n);
        let (r_rows, rest) = rest.split_at_mut(if big { kh * full_n } else { 0 });
        let (l_row, rest) = rest.split_at_mut(full_n);
        let o_row = &mut rest[..full_n];
        let mut ring = Ring {
            rows: &mut ring_rows[..nh * n],
            tags: vec![usize::MAX; nh],
            n,
        };
        let mut hz = Horizontal {
            op,
            fmt,
            src,
            cx0: (g.off_x + x0) as isize - g.rw as isize,
            kw,
            p: &mut p[..p_len],
            fwd,
            bwd,
            base: (g.off_y + band.start) as isize - g.rh as isize,
        };
        let o = &mut o_row[..n];
        let emit = |i: usize, o: &[L]| {
            let y = band.start + i;
            // SAFETY: destination row y of this band (only this thread writes it), columns
            // x0..x0+sw; no source slice of this memory is alive (overlap reads a copy).
            let d = unsafe { dst.write(y, x0, x0 + sw, bpp) };
            L::store(o, d);
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
                for t in i..i + kh {
                    hz.ensure(&mut ring, t);
                }
                o.copy_from_slice(ring.slot(i));
                for t in i + 1..i + kh {
                    k::combine(op, o, ring.slot(t));
                }
                emit(i, o);
            }
            continue;
        }
        // Vertical van Herk / Gil-Werman over blocks of kh outputs.
        let r_rows = &mut r_rows[..kh * n];
        let l = &mut l_row[..n];
        let mut jb = 0;
        while jb < n_out {
            for t in jb..jb + kh {
                hz.ensure(&mut ring, t);
            }
            // Suffix extremes of the block's rows.
            r_rows[(kh - 1) * n..].copy_from_slice(ring.slot(jb + kh - 1));
            for q in (0..kh - 1).rev() {
                let (a, b) = r_rows.split_at_mut((q + 1) * n);
                k::combine3(op, &mut a[q * n..], ring.slot(jb + q), &b[..n]);
            }
            emit(jb, &r_rows[..n]);
            for q in 1..kh.min(n_out - jb) {
                let t = jb + kh + q - 1;
                hz.ensure(&mut ring, t);
                if q == 1 {
                    l.copy_from_slice(ring.slot(t));
                } else {
                    k::combine(op, l, ring.slot(t));
                }
                k::combine3(op, o, &r_rows[q * n..(q + 1) * n], l);
                emit(jb + q, o);
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
