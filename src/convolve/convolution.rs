//! Convolution.h: general, with-bias, multi-kernel, box, tent, separable convolution and
//! Richardson–Lucy deconvolution, the safe core.
//!
//! Every function works on a [`Job`]: the whole source buffer (the edge modes look at its
//! edges, not at the region of interest), the destination, the `srcOffsetToROI` offsets, the
//! edge mode and whether to tile. Destination rows are split into bands
//! ([`crate::kernels::tile`]); each band keeps its own scratch rows:
//! - [`edges`]: source rows widened by the kernel radius on both sides, the missing pixels
//!   filled as the edge mode says (copy of the edge pixel, background, or zero for
//!   `kvImageTruncateKernel`, whose divisor is then rescaled per pixel);
//! - [`general`]: the sum of kernel taps over a ring of widened rows, then C's division;
//! - [`boxtent`]: running sums (cost independent of the kernel size), exact integers;
//! - [`separable`]: a horizontal pass per widened row, then a vertical pass, in f32;
//! - [`deconvolve`]: Richardson–Lucy iterations over float copies of the whole source.

use std::ops::Range;

use crate::error::{Error, Result};
use crate::flags::Flags;
use crate::kernels::tile;

pub mod boxtent;
pub mod deconvolve;
pub mod edges;
pub mod general;
pub mod separable;

/// What a pixel outside the source buffer is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Edge {
    /// An output pixel whose footprint leaves the image is a copy of its source pixel.
    CopyInPlace,
    /// Missing pixels take the background colour.
    Background,
    /// Missing pixels take the nearest edge pixel.
    Extend,
    /// Only the weights inside the image count; divisor (and bias) rescaled.
    Truncate,
}

impl Edge {
    /// The one edge mode in `flags` (`kvImageInvalidEdgeStyle` for none or several).
    pub fn from_flags(flags: Flags) -> Result<Edge> {
        let modes = [
            (Flags::COPY_IN_PLACE, Edge::CopyInPlace),
            (Flags::BACKGROUND_COLOR_FILL, Edge::Background),
            (Flags::EDGE_EXTEND, Edge::Extend),
            (Flags::TRUNCATE_KERNEL, Edge::Truncate),
        ];
        let mut found = None;
        for (f, e) in modes {
            if flags.contains(f) {
                if found.is_some() {
                    return Err(Error::InvalidEdgeStyle("more than one edge mode"));
                }
                found = Some(e);
            }
        }
        found.ok_or(Error::InvalidEdgeStyle(
            "one of kvImageCopyInPlace, kvImageBackgroundColorFill, kvImageEdgeExtend, kvImageTruncateKernel is required",
        ))
    }
}

/// Odd, non-zero kernel dimensions (`kvImageInvalidKernelSize` otherwise).
pub fn check_kernel_size(height: u32, width: u32) -> Result<(usize, usize)> {
    if height.is_multiple_of(2) || width.is_multiple_of(2) {
        return Err(Error::InvalidKernelSize(
            "kernel height and width must be odd",
        ));
    }
    Ok((height as usize, width as usize))
}

/// The whole source buffer, read only: `height` rows of `width * bpp` bytes.
pub struct Src {
    ptr: *const u8,
    stride: usize,
    width: usize,
    height: usize,
    bpp: usize,
    /// Holds the pixels when the source is a private copy.
    _owned: Option<Vec<u8>>,
}

// SAFETY: a Src only hands out shared slices of memory nothing writes while a job runs (a
// source overlapping the destination is copied first, see `Src::detached`).
unsafe impl Send for Src {}
// SAFETY: as above.
unsafe impl Sync for Src {}

impl Src {
    /// # Safety
    /// `ptr + y * stride` is readable for `width * bpp` bytes for every `y < height`, and
    /// nothing writes there while the `Src` lives (except the destination of the same job,
    /// which [`Src::detached`] takes care of).
    pub unsafe fn from_raw(
        ptr: *const u8,
        stride: usize,
        width: usize,
        height: usize,
        bpp: usize,
    ) -> Src {
        Src {
            ptr,
            stride,
            width,
            height,
            bpp,
            _owned: None,
        }
    }

    /// Packed rows held in `data` (`width * height * bpp` bytes).
    pub fn from_vec(data: Vec<u8>, width: usize, height: usize, bpp: usize) -> Src {
        assert!(
            data.len() >= width * height * bpp,
            "source vector too short"
        );
        Src {
            ptr: data.as_ptr(),
            stride: width * bpp,
            width,
            height,
            bpp,
            _owned: Some(data),
        }
    }

    pub fn width(&self) -> usize {
        self.width
    }

    pub fn height(&self) -> usize {
        self.height
    }

    /// Row `y`, `width * bpp` bytes.
    pub fn row(&self, y: usize) -> &[u8] {
        assert!(y < self.height, "source row out of range");
        // SAFETY: the constructor's contract (or our own vector) covers every row < height.
        unsafe { std::slice::from_raw_parts(self.ptr.add(y * self.stride), self.width * self.bpp) }
    }

    /// Pixel `x` of row `y`.
    pub fn pixel(&self, x: usize, y: usize) -> &[u8] {
        &self.row(y)[x * self.bpp..(x + 1) * self.bpp]
    }

    fn extent(&self) -> Range<usize> {
        extent(
            self.ptr as usize,
            self.stride,
            self.width * self.bpp,
            self.height,
        )
    }

    /// `self`, or a private copy of it when it shares memory with `dst` (so that no source
    /// slice aliases a destination row: the result is that of an out-of-place call).
    pub fn detached(self, dst: &Dst) -> Result<Src> {
        let (a, b) = (self.extent(), dst.extent());
        if a.start >= b.end || b.start >= a.end {
            return Ok(self);
        }
        let row = self.width * self.bpp;
        let mut data = alloc(row * self.height, 0u8)?;
        for y in 0..self.height {
            data[y * row..(y + 1) * row].copy_from_slice(self.row(y));
        }
        Ok(Src::from_vec(data, self.width, self.height, self.bpp))
    }
}

/// The destination: `height` rows of `width * bpp` bytes, written band by band.
pub struct Dst {
    ptr: *mut u8,
    stride: usize,
    width: usize,
    height: usize,
    bpp: usize,
}

// SAFETY: bands write disjoint rows (each row is taken by exactly one band).
unsafe impl Send for Dst {}
// SAFETY: as above.
unsafe impl Sync for Dst {}

impl Dst {
    /// # Safety
    /// `ptr + y * stride` is writable for `width * bpp` bytes for every `y < height`, those
    /// rows are disjoint, and nothing else accesses them while the `Dst` lives.
    pub unsafe fn from_raw(
        ptr: *mut u8,
        stride: usize,
        width: usize,
        height: usize,
        bpp: usize,
    ) -> Dst {
        Dst {
            ptr,
            stride,
            width,
            height,
            bpp,
        }
    }

    /// A destination over packed rows in `data`, borrowed for as long as the `Dst` is used.
    pub fn of_slice(data: &mut [u8], width: usize, height: usize, bpp: usize) -> Dst {
        assert!(
            data.len() >= width * height * bpp,
            "destination slice too short"
        );
        // SAFETY: the slice covers every row and is exclusively borrowed by the caller.
        unsafe { Dst::from_raw(data.as_mut_ptr(), width * bpp, width, height, bpp) }
    }

    pub fn width(&self) -> usize {
        self.width
    }

    pub fn height(&self) -> usize {
        self.height
    }

    /// Row `y`.
    ///
    /// # Safety
    /// No other reference to row `y` is alive while the returned slice is.
    #[allow(clippy::mut_from_ref)] // rows are handed out one band (thread) at a time
    pub(crate) unsafe fn row_mut(&self, y: usize) -> &mut [u8] {
        assert!(y < self.height, "destination row out of range");
        // SAFETY: the constructor's contract; exclusivity is the caller's.
        unsafe {
            std::slice::from_raw_parts_mut(self.ptr.add(y * self.stride), self.width * self.bpp)
        }
    }

    fn extent(&self) -> Range<usize> {
        extent(
            self.ptr as usize,
            self.stride,
            self.width * self.bpp,
            self.height,
        )
    }
}

fn extent(start: usize, stride: usize, row: usize, rows: usize) -> Range<usize> {
    if rows == 0 || row == 0 {
        return start..start;
    }
    start..start + (rows - 1) * stride + row
}

/// One call: the destination `dst` is the region at (`ox`, `oy`) of the convolved `src`.
pub struct Job<'a> {
    pub src: &'a Src,
    pub dst: &'a Dst,
    pub ox: usize,
    pub oy: usize,
    pub edge: Edge,
    /// Tile across threads (false with `kvImageDoNotTile`).
    pub tile: bool,
}

impl Job<'_> {
    /// Runs `work` over bands of destination rows covering every row once.
    pub fn bands(&self, work: impl Fn(Range<usize>) -> Result<()> + Sync) -> Result<()> {
        let failure = std::sync::Mutex::new(None);
        tile::for_each_band(self.dst.width, self.dst.height, self.tile, |band| {
            if let Err(e) = work(band) {
                *failure.lock().unwrap_or_else(|p| p.into_inner()) = Some(e);
            }
        });
        match failure.into_inner().unwrap_or_else(|p| p.into_inner()) {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// Whether the footprint (radius `r`) of output column `x` stays inside the source.
    pub fn inside_x(&self, x: usize, r: usize) -> bool {
        let p = x + self.ox;
        p >= r && p + r < self.src.width
    }

    /// Whether the footprint (radius `r`) of output row `y` stays inside the source.
    pub fn inside_y(&self, y: usize, r: usize) -> bool {
        let p = y + self.oy;
        p >= r && p + r < self.src.height
    }

    /// The output columns `[xl, xr)` whose footprint (radius `r`) stays inside the source.
    pub fn interior_x(&self, r: usize) -> (usize, usize) {
        let w = self.dst.width;
        let xl = r.saturating_sub(self.ox).min(w);
        let xr = self
            .src
            .width
            .saturating_sub(r)
            .saturating_sub(self.ox)
            .min(w)
            .max(xl);
        (xl, xr)
    }

    /// Copies the source pixel of output (`x`, `y`) into `out` (one destination pixel).
    pub fn copy_pixel(&self, x: usize, y: usize, out: &mut [u8]) {
        out.copy_from_slice(self.src.pixel(x + self.ox, y + self.oy));
    }
}

/// Kernel indices `[j0, j1)` (of `k` taps, radius `k / 2`) that land inside `0..n` for the
/// output at source position `pos` (`pos < n`).
pub fn inside_taps(pos: usize, k: usize, n: usize) -> (usize, usize) {
    let r = k / 2;
    (r.saturating_sub(pos), k.min(n + r - pos))
}

/// A vector of `n` copies of `v`, or `kvImageMemoryAllocationError`.
pub fn alloc<T: Clone>(n: usize, v: T) -> Result<Vec<T>> {
    let mut out = Vec::new();
    out.try_reserve_exact(n)
        .map_err(|_| Error::Allocation(n.saturating_mul(std::mem::size_of::<T>())))?;
    out.resize(n, v);
    Ok(out)
}
