//! Kernels of Geometry.h's pixel-moving functions: quarter turns (tiled transposes), reflections
//! (row reversal and row copies) and inverse-mapped Lanczos sampling for rotations by any angle
//! and affine warps ([`sample`]).
//!
//! Layout: this file holds the checked source / destination pair, the dispatchers and the
//! portable code; `avx2.rs` and `sse2.rs` hold the x86-64 versions of the same steps (pixel
//! reversal, 8x8 and 16x16 transposes, the sampling loop compiled for AVX2 + FMA). Every
//! dispatcher picks one at run time from [`Level::detect`], so a new instruction set touches
//! only its own file and the `match` that picks it.
//!
//! Destination rows are cut into bands ([`super::tile`]); a band owns its destination rows,
//! and the source is only read, so bands run on any thread.

use std::ops::Range;

#[cfg(target_arch = "x86_64")]
use super::Level;
use super::tile;

#[cfg(target_arch = "x86_64")]
mod avx2;
pub mod sample;
#[cfg(target_arch = "x86_64")]
mod sse2;

/// An image in caller memory: `height` rows of `width` pixels of `bpp` bytes, `stride` bytes
/// apart.
#[derive(Clone, Copy, Debug)]
pub struct Surface {
    ptr: *mut u8,
    stride: usize,
    width: usize,
    height: usize,
    bpp: usize,
}

// SAFETY: a Surface only describes caller memory; the kernels read the source from any thread
// and write each destination row from exactly one thread (see the module notes).
unsafe impl Send for Surface {}
// SAFETY: as above.
unsafe impl Sync for Surface {}

impl Surface {
    /// # Safety
    /// `ptr` is valid for reads (and, for a destination, writes) of `width * bpp` bytes at
    /// `ptr + y * stride` for every `y < height` while the kernels run, and that span does not
    /// wrap the address space.
    pub unsafe fn new(
        ptr: *mut u8,
        stride: usize,
        width: usize,
        height: usize,
        bpp: usize,
    ) -> Surface {
        Surface {
            ptr,
            stride,
            width,
            height,
            bpp,
        }
    }

    /// A surface over a Rust slice (tests, benches); `None` when the slice is too short.
    pub fn of_slice(
        data: &mut [u8],
        stride: usize,
        width: usize,
        height: usize,
        bpp: usize,
    ) -> Option<Surface> {
        let row = width.checked_mul(bpp)?;
        if height > 1 && stride < row {
            return None;
        }
        let need = match height {
            0 => 0,
            h => (h - 1).checked_mul(stride)?.checked_add(row)?,
        };
        if need > data.len() {
            return None;
        }
        // SAFETY: the slice holds the whole span and is exclusively borrowed by the caller.
        Some(unsafe { Surface::new(data.as_mut_ptr(), stride, width, height, bpp) })
    }

    pub fn width(&self) -> usize {
        self.width
    }

    pub fn height(&self) -> usize {
        self.height
    }

    pub fn bpp(&self) -> usize {
        self.bpp
    }

    fn row_len(&self) -> usize {
        self.width * self.bpp
    }

    /// Addresses the rows cover (empty for an empty image).
    fn extent(&self) -> Range<usize> {
        let start = self.ptr as usize;
        if self.height == 0 || self.row_len() == 0 {
            return start..start;
        }
        start..start + (self.height - 1) * self.stride + self.row_len()
    }
}

/// A source and a destination that do not overlap: the source is only read, each destination
/// row is written by the one band that owns it.
#[derive(Clone, Copy, Debug)]
pub struct Pair {
    src: Surface,
    dst: Surface,
}

impl Pair {
    /// `None` when the two images share a byte.
    pub fn new(src: Surface, dst: Surface) -> Option<Pair> {
        let (a, b) = (src.extent(), dst.extent());
        if a.start < b.end && b.start < a.end {
            return None;
        }
        Some(Pair { src, dst })
    }

    pub fn src(&self) -> &Surface {
        &self.src
    }

    pub fn dst(&self) -> &Surface {
        &self.dst
    }

    /// Source row `y` (`width * bpp` bytes).
    fn src_row(&self, y: usize) -> &[u8] {
        assert!(y < self.src.height);
        // SAFETY: a readable row (Surface contract) that no one writes while the kernels run:
        // it overlaps no destination byte (checked in `new`) and the caller is blocked in us.
        unsafe {
            std::slice::from_raw_parts(self.src.ptr.add(y * self.src.stride), self.src.row_len())
        }
    }

    /// Destination row `y`.
    ///
    /// # Safety
    /// No other reference to row `y` is alive while the slice is (each band owns its rows).
    #[allow(clippy::mut_from_ref)]
    unsafe fn dst_row(&self, y: usize) -> &mut [u8] {
        assert!(y < self.dst.height);
        // SAFETY: a writable row (Surface contract), exclusively ours (the caller's contract).
        unsafe {
            std::slice::from_raw_parts_mut(
                self.dst.ptr.add(y * self.dst.stride),
                self.dst.row_len(),
            )
        }
    }

    /// Runs `work` on bands of destination rows (across threads unless `tile` is false).
    fn bands(&self, tile: bool, work: impl Fn(Range<usize>) + Sync) {
        tile::for_each_band(self.dst.width, self.dst.height, tile, work);
    }
}

/// Every pixel of `dst` = `px` (`px.len()` divides 64: pixels of 1, 2, 4, 8 or 16 bytes).
pub(crate) fn fill(dst: &mut [u8], px: &[u8]) {
    if let [v] = px {
        dst.fill(*v);
        return;
    }
    debug_assert!(64 % px.len() == 0);
    let pattern: [u8; 64] = std::array::from_fn(|i| px[i % px.len()]);
    let mut chunks = dst.chunks_exact_mut(64);
    for c in &mut chunks {
        c.copy_from_slice(&pattern);
    }
    let rest = chunks.into_remainder();
    let n = rest.len();
    rest.copy_from_slice(&pattern[..n]);
}

// ---- reversal of a row's pixels (horizontal reflect, 180-degree turns) -------------------------

/// `dst` = the pixels of `src` (of `bpp` bytes) in reverse order.
pub(crate) fn reverse(src: &[u8], dst: &mut [u8], bpp: usize) {
    assert_eq!(src.len(), dst.len());
    #[cfg(target_arch = "x86_64")]
    if Level::detect() >= Level::Avx2 && matches!(bpp, 1 | 2 | 4 | 8 | 16) {
        // SAFETY: the CPU has AVX2 (Level::detect).
        unsafe { avx2::reverse(src, dst, bpp) };
        return;
    }
    reverse_native(src, dst, bpp)
}

fn reverse_native(src: &[u8], dst: &mut [u8], bpp: usize) {
    match bpp {
        1 => dst
            .iter_mut()
            .zip(src.iter().rev())
            .for_each(|(d, s)| *d = *s),
        2 => rev::<2>(src, dst),
        4 => rev::<4>(src, dst),
        8 => rev::<8>(src, dst),
        16 => rev::<16>(src, dst),
        _ => {
            for (d, s) in dst.chunks_exact_mut(bpp).zip(src.chunks_exact(bpp).rev()) {
                d.copy_from_slice(s)
            }
        }
    }
}

fn rev<const B: usize>(src: &[u8], dst: &mut [u8]) {
    for (d, s) in dst.chunks_exact_mut(B).zip(src.chunks_exact(B).rev()) {
        d.copy_from_slice(s)
    }
}

// ---- reflections -------------------------------------------------------------------------------

/// `dst(x, y) = src(W - 1 - x, y)` over the destination's size (the source is at least as
/// large; its top-left destination-sized region is mirrored).
pub fn horizontal_reflect(p: &Pair, tile: bool) {
    let (w, bpp) = (p.dst.width, p.dst.bpp);
    p.bands(tile, |rows| {
        #[cfg(target_arch = "x86_64")]
        if Level::detect() >= Level::Avx2 && matches!(bpp, 1 | 2 | 4 | 8 | 16) {
            // SAFETY: the CPU has AVX2 (Level::detect).
            unsafe { avx2::reverse_rows(p, rows) };
            return;
        }
        for y in rows {
            // SAFETY: this band owns row y.
            let d = unsafe { p.dst_row(y) };
            reverse(&p.src_row(y)[..w * bpp], d, bpp);
        }
    });
}

/// `dst(x, y) = src(x, H - 1 - y)` over the destination's size.
pub fn vertical_reflect(p: &Pair, tile: bool) {
    let (w, h, bpp) = (p.dst.width, p.dst.height, p.dst.bpp);
    p.bands(tile, |rows| {
        for y in rows {
            // SAFETY: this band owns row y.
            let d = unsafe { p.dst_row(y) };
            d.copy_from_slice(&p.src_row(h - 1 - y)[..w * bpp]);
        }
    });
}

// ---- quarter turns -----------------------------------------------------------------------------

/// Where destination pixel `(x, y)` comes from in a quarter turn: source column
/// `cx + xx * x + xy * y`, row `cy + yx * x + yy * y` (coefficients -1, 0 or 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QuarterTurn {
    pub turns: u8,
    pub cx: i64,
    pub cy: i64,
}

impl QuarterTurn {
    /// The map of `turns` counter-clockwise quarter turns about the centres of a `sw x sh`
    /// source and a `dw x dh` destination. Source coordinates that fall half-way between
    /// pixels (parities differ) are rounded down.
    pub fn new(turns: u8, sw: usize, sh: usize, dw: usize, dh: usize) -> QuarterTurn {
        let (sw, sh, dw, dh) = (sw as i64, sh as i64, dw as i64, dh as i64);
        let half = |n: i64| n.div_euclid(2);
        let (cx, cy) = match turns & 3 {
            0 => (half(sw - dw), half(sh - dh)),
            1 => (half(sw + dh - 2), half(sh - dw)),
            2 => (half(sw + dw - 2), half(sh + dh - 2)),
            _ => (half(sw - dh), half(sh + dw - 2)),
        };
        QuarterTurn {
            turns: turns & 3,
            cx,
            cy,
        }
    }

    /// Source (column, row) of destination pixel (x, y), possibly outside the source.
    pub fn source(&self, x: i64, y: i64) -> (i64, i64) {
        match self.turns {
            0 => (self.cx + x, self.cy + y),
            1 => (self.cx - y, self.cy + x),
            2 => (self.cx - x, self.cy - y),
            _ => (self.cx + y, self.cy - x),
        }
    }
}

/// The `x` in `0..len` for which `c + s * x` (s = 1 or -1) lies in `0..n`.
fn valid_range(c: i64, s: i64, n: i64, len: i64) -> Range<usize> {
    let (lo, hi) = if s > 0 {
        (-c, n - c)
    } else {
        (c - n + 1, c + 1)
    };
    let lo = lo.clamp(0, len);
    let hi = hi.clamp(lo, len);
    lo as usize..hi as usize
}

/// A quarter turn of `p`'s source into its destination, `back` (one pixel) where the source
/// does not reach.
pub fn rotate90(p: &Pair, q: QuarterTurn, back: &[u8], tile: bool) {
    assert_eq!(back.len(), p.dst.bpp);
    let work = |rows: Range<usize>| match p.dst.bpp {
        1 => rotate90_band::<1, 16>(p, q, back, rows),
        2 => rotate90_band::<2, 8>(p, q, back, rows),
        4 => rotate90_band::<4, 8>(p, q, back, rows),
        8 => rotate90_band::<8, 8>(p, q, back, rows),
        16 => rotate90_band::<16, 4>(p, q, back, rows),
        _ => unreachable!("pixels of 1, 2, 4, 8 or 16 bytes"),
    };
    p.bands(tile, work);
}

fn rotate90_band<const B: usize, const N: usize>(
    p: &Pair,
    q: QuarterTurn,
    back: &[u8],
    rows: Range<usize>,
) {
    let (sw, sh) = (p.src.width as i64, p.src.height as i64);
    let dw = p.dst.width as i64;
    match q.turns {
        0 | 2 => {
            let s = if q.turns == 0 { 1 } else { -1 };
            let xs = valid_range(q.cx, s, sw, dw);
            for y in rows {
                // SAFETY: this band owns row y.
                let d = unsafe { p.dst_row(y) };
                let sy = q.cy + s * y as i64;
                if !(0..sh).contains(&sy) || xs.is_empty() {
                    fill(d, back);
                    continue;
                }
                let sx0 = q
                    .source(xs.start as i64, 0)
                    .0
                    .min(q.source(xs.end as i64 - 1, 0).0);
                let n = xs.len();
                let src = &p.src_row(sy as usize)[sx0 as usize * B..(sx0 as usize + n) * B];
                fill(&mut d[..xs.start * B], back);
                fill(&mut d[xs.end * B..], back);
                let out = &mut d[xs.start * B..xs.end * B];
                if s > 0 {
                    out.copy_from_slice(src);
                } else {
                    reverse(src, out, B);
                }
            }
        }
        _ => {
            // Source column = cx -/+ y: the rows whose column exists, all sharing one x range.
            let (sc, sr) = if q.turns == 1 { (-1, 1) } else { (1, -1) };
            let ys = valid_range(q.cx, sc, sw, p.dst.height as i64);
            let lo = ys.start.max(rows.start);
            let ys = lo..ys.end.min(rows.end).max(lo);
            let xs = valid_range(q.cy, sr, sh, dw);
            for y in rows.clone() {
                // SAFETY: this band owns row y.
                let d = unsafe { p.dst_row(y) };
                if ys.contains(&y) && !xs.is_empty() {
                    fill(&mut d[..xs.start * B], back);
                    fill(&mut d[xs.end * B..], back);
                } else {
                    fill(d, back);
                }
            }
            if !xs.is_empty() && !ys.is_empty() {
                #[cfg(target_arch = "x86_64")]
                if B == 4 && Level::detect() >= Level::Avx2 {
                    // SAFETY: the CPU has AVX2 (Level::detect).
                    unsafe { avx2::transpose_region_32(p, q, ys, xs) };
                    return;
                }
                transpose_region::<B, N>(p, q, ys, xs);
            }
        }
    }
}

/// Destination rows `ys` x columns `xs` of a 90 / 270-degree turn, every source pixel inside
/// the source: cache tiles of `T x T` pixels, `N x N` blocks through the SIMD transposes.
#[inline(always)]
pub(crate) fn transpose_region<const B: usize, const N: usize>(
    p: &Pair,
    q: QuarterTurn,
    ys: Range<usize>,
    xs: Range<usize>,
) {
    let t = (256 / B).clamp(16, 64);
    let mut ty = ys.start;
    while ty < ys.end {
        let ye = (ty + t).min(ys.end);
        let mut tx = xs.start;
        while tx < xs.end {
            let xe = (tx + t).min(xs.end);
            let mut y = ty;
            while y + N <= ye {
                let mut x = tx;
                while x + N <= xe {
                    // SAFETY: `ys` / `xs` are the rows / columns whose source pixels exist
                    // (valid_range), this band owns rows `ys`, and the block stays inside.
                    unsafe { block::<B, N>(p, q, x, y) };
                    x += N;
                }
                for yy in y..y + N {
                    pixels::<B>(p, q, yy, x..xe);
                }
                y += N;
            }
            for yy in y..ye {
                pixels::<B>(p, q, yy, tx..xe);
            }
            tx = xe;
        }
        ty = ye;
    }
}

/// One destination row's pixels `xs`, one at a time.
fn pixels<const B: usize>(p: &Pair, q: QuarterTurn, y: usize, xs: Range<usize>) {
    if xs.is_empty() {
        return;
    }
    // SAFETY: the band that called us owns row y.
    let d = unsafe { p.dst_row(y) };
    for x in xs {
        let (sx, sy) = q.source(x as i64, y as i64);
        let s = &p.src_row(sy as usize)[sx as usize * B..][..B];
        d[x * B..][..B].copy_from_slice(s);
    }
}

/// `N` rows of pixels in memory: row `i` starts at `ptr + i * step` (`step` may be negative).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Rows {
    pub ptr: *const u8,
    pub step: isize,
}

/// Writable [`Rows`].
#[derive(Clone, Copy, Debug)]
pub(crate) struct RowsMut {
    pub ptr: *mut u8,
    pub step: isize,
}

/// The `N x N` block of destination pixels at (x, y): `N` source row segments transposed.
///
/// # Safety
/// Every source pixel the block reads lies inside the source (`x..x + N` inside the valid
/// column range of destination rows `y..y + N`), and the calling band owns destination rows
/// `y..y + N`, columns `x..x + N` of which are inside the destination.
#[inline(always)]
unsafe fn block<const B: usize, const N: usize>(p: &Pair, q: QuarterTurn, x: usize, y: usize) {
    let (x, y) = (x as i64, y as i64);
    let n = N as i64;
    // Source rows r_i = r0 + rs * i (one per destination column x + i), first column c0;
    // destination row of transposed lane l: y + N - 1 - l (90 CCW) or y + l (90 CW).
    let (r0, rs, c0, reversed) = if q.turns == 1 {
        (q.cy + x, 1, q.cx - y - n + 1, true)
    } else {
        (q.cy - x, -1, q.cx + y, false)
    };
    let (s, d) = (&p.src, &p.dst);
    debug_assert!(r0 >= 0 && r0 < s.height as i64 && r0 + rs * (n - 1) >= 0);
    debug_assert!((r0 + rs * (n - 1)) < s.height as i64 && c0 >= 0);
    debug_assert!(c0 + n <= s.width as i64 && y + n <= d.height as i64 && x + n <= d.width as i64);
    let first = if reversed { y + n - 1 } else { y } as usize;
    let src = Rows {
        ptr: s.ptr.wrapping_add(r0 as usize * s.stride + c0 as usize * B),
        step: rs as isize * s.stride as isize,
    };
    let dst = RowsMut {
        ptr: d.ptr.wrapping_add(first * d.stride + x as usize * B),
        step: if reversed { -1 } else { 1 } * d.stride as isize,
    };
    // SAFETY: the caller's contract: N source rows of N * B readable bytes, N destination rows
    // of N * B writable bytes owned by this band; source and destination never overlap (Pair).
    unsafe { transpose::<B, N>(src, dst) }
}

/// Row `l` of `dst` pixel `i` = row `i` of `src` pixel `l`.
///
/// # Safety
/// `src` has `N` readable rows and `dst` `N` writable rows of `N * B` bytes, not overlapping.
#[inline(always)]
unsafe fn transpose<const B: usize, const N: usize>(src: Rows, dst: RowsMut) {
    #[cfg(target_arch = "x86_64")]
    {
        if B == 1 && N == 16 {
            // SAFETY: forwarded contract (16 rows of 16 bytes).
            unsafe { sse2::transpose16x16_8(src, dst) };
            return;
        }
        if B == 4 && N == 8 && Level::detect() >= Level::Avx2 {
            // SAFETY: the CPU has AVX2 (Level::detect); forwarded contract (8 rows of 32 bytes).
            unsafe { avx2::transpose8x8_32(src, dst) };
            return;
        }
    }
    // SAFETY: forwarded contract.
    unsafe { transpose_native::<B, N>(src, dst) }
}

/// # Safety
/// As [`transpose`].
unsafe fn transpose_native<const B: usize, const N: usize>(src: Rows, dst: RowsMut) {
    for l in 0..N {
        for i in 0..N {
            // SAFETY: pixel l of source row i and pixel i of destination row l are inside the
            // rows the contract describes; the two never overlap.
            unsafe {
                std::ptr::copy_nonoverlapping(
                    src.ptr.offset(i as isize * src.step).add(l * B),
                    dst.ptr.offset(l as isize * dst.step).add(i * B),
                    B,
                )
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transposes_match_the_portable_one() {
        fn check<const B: usize, const N: usize>() {
            let src: Vec<u8> = (0..N * N * B).map(|j| (j * 7 + j / 13) as u8).collect();
            let mut a = vec![0u8; N * N * B];
            let mut b = vec![0u8; N * N * B];
            let rows = |v: &Vec<u8>| Rows {
                ptr: v.as_ptr(),
                step: (N * B) as isize,
            };
            // SAFETY: N rows of N * B bytes each in separate vectors.
            unsafe {
                transpose::<B, N>(
                    rows(&src),
                    RowsMut {
                        ptr: a.as_mut_ptr(),
                        step: (N * B) as isize,
                    },
                );
                // Destination rows bottom-up (a negative step), as the 90-degree turn uses.
                let last = b.as_mut_ptr().add((N - 1) * N * B);
                transpose_native::<B, N>(
                    rows(&src),
                    RowsMut {
                        ptr: last,
                        step: -((N * B) as isize),
                    },
                );
            }
            for l in 0..N {
                for i in 0..N {
                    let want = &src[(i * N + l) * B..][..B];
                    assert_eq!(&a[(l * N + i) * B..][..B], want);
                    assert_eq!(&b[((N - 1 - l) * N + i) * B..][..B], want);
                }
            }
        }
        check::<1, 16>();
        check::<4, 8>();
        check::<2, 8>();
        check::<8, 8>();
        check::<16, 4>();
    }

    #[test]
    fn reverse_matches_the_portable_one() {
        for bpp in [1, 2, 4, 8, 16] {
            for n in 0..70 {
                let src: Vec<u8> = (0..n * bpp).map(|i| (i * 13 + 5) as u8).collect();
                let mut a = vec![0; n * bpp];
                let mut b = vec![0; n * bpp];
                reverse(&src, &mut a, bpp);
                reverse_native(&src, &mut b, bpp);
                assert_eq!(a, b);
                for x in 0..n {
                    assert_eq!(a[x * bpp..][..bpp], src[(n - 1 - x) * bpp..][..bpp]);
                }
            }
        }
    }

    #[test]
    fn quarter_turns_of_equal_sizes_are_the_textbook_maps() {
        let (w, h) = (5i64, 3i64);
        let q1 = QuarterTurn::new(1, 5, 3, 3, 5);
        let q3 = QuarterTurn::new(3, 5, 3, 3, 5);
        let q2 = QuarterTurn::new(2, 5, 3, 5, 3);
        for y in 0..5 {
            for x in 0..3 {
                assert_eq!(q1.source(x, y), (w - 1 - y, x));
                assert_eq!(q3.source(x, y), (y, h - 1 - x));
            }
        }
        assert_eq!(q2.source(1, 2), (w - 2, h - 3));
    }
}
