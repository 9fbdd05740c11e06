//! The row driver shared by every pixel operation: checked planes of caller memory in, row
//! slices out, bands across threads through [`super::tile`].
//!
//! An operation is a safe row kernel `Fn(&[&[u8]; S], &mut [&mut [u8]; D], width)` over `S`
//! source and `D` destination planes. The driver is the one place that turns raw caller
//! memory into slices, so the aliasing rules live here:
//! - destination rows of one `y` are pairwise disjoint (checked: overlapping destination
//!   planes are an error);
//! - a source row that overlaps a destination row of the same `y` (in-place work) is first
//!   copied into a per-band scratch row, so no `&[u8]` ever aliases a live `&mut [u8]`;
//! - bands run on several threads only when no source overlaps a destination, or when each
//!   overlapping source has exactly the destination's start and stride (then row `y` of one
//!   only meets row `y` of the other); any other permitted overlap runs on one thread, top
//!   to bottom, which is what vImage's in-place rules (IP-A / IP-B) rely on.

use std::ops::Range;

use super::tile;
use crate::error::{Error, Result};
use crate::flags::Flags;

/// One checked plane: `rows` rows of `row_len` bytes, `stride` bytes apart.
#[derive(Clone, Copy, Debug)]
pub struct Plane {
    ptr: *mut u8,
    stride: usize,
    row_len: usize,
    rows: usize,
}

// SAFETY: a Plane is a description of caller memory; the driver hands each row to exactly one
// thread at a time (see the module notes), so sharing the description is sound.
unsafe impl Send for Plane {}
// SAFETY: as above.
unsafe impl Sync for Plane {}

impl Plane {
    /// # Safety
    /// `ptr` is valid for reads (and, for a destination, writes) of `row_len` bytes at
    /// `ptr + y * stride` for every `y < rows`, for as long as the driver runs, and
    /// `(rows - 1) * stride + row_len` does not overflow or wrap the address space.
    pub unsafe fn new(ptr: *mut u8, stride: usize, row_len: usize, rows: usize) -> Plane {
        Plane {
            ptr,
            stride,
            row_len,
            rows,
        }
    }

    /// A plane over a Rust slice (tests, benches and the safe API).
    pub fn of_slice(data: &mut [u8], stride: usize, row_len: usize, rows: usize) -> Result<Plane> {
        let need = span(rows, stride, row_len).ok_or(Error::InvalidParameter("plane overflows"))?;
        if need > data.len() || (rows > 1 && stride < row_len) {
            return Err(Error::InvalidParameter("slice shorter than the plane"));
        }
        // SAFETY: the slice holds the whole span and is exclusively borrowed by the caller.
        Ok(unsafe { Plane::new(data.as_mut_ptr(), stride, row_len, rows) })
    }

    fn addr(&self, y: usize) -> usize {
        self.ptr as usize + y * self.stride
    }

    /// Address range the plane's rows cover.
    fn extent(&self) -> Range<usize> {
        let start = self.ptr as usize;
        if self.rows == 0 || self.row_len == 0 {
            return start..start;
        }
        start..start + (self.rows - 1) * self.stride + self.row_len
    }

    fn row_range(&self, y: usize) -> Range<usize> {
        self.addr(y)..self.addr(y) + self.row_len
    }
}

/// Bytes from the first row's start to the last row's end.
pub fn span(rows: usize, stride: usize, row_len: usize) -> Option<usize> {
    if rows == 0 {
        return Some(0);
    }
    (rows - 1).checked_mul(stride)?.checked_add(row_len)
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

/// Which overlaps of a source with a destination an operation accepts (Apple's patterns).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InPlace {
    /// No overlap at all.
    No,
    /// IP-A: an overlapping source has the destination's start and stride.
    Exact,
    /// IP-B: an overlapping source starts at the destination's start with a stride at least
    /// the destination's.
    SameStart,
}

/// Runs `kernel` over `height` rows of `width` pixels. With `kvImageGetTempBufferSize` in
/// `flags` it checks the planes and returns without touching a pixel.
pub fn run<const S: usize, const D: usize, K>(
    srcs: [Plane; S],
    dsts: [Plane; D],
    width: usize,
    height: usize,
    in_place: InPlace,
    flags: Flags,
    kernel: K,
) -> Result<()>
where
    K: Fn(&[&[u8]; S], &mut [&mut [u8]; D], usize) + Sync,
{
    for p in srcs.iter().chain(dsts.iter()) {
        if p.rows < height || (height > 1 && p.stride < p.row_len) {
            return Err(Error::Internal("plane smaller than the operation"));
        }
    }
    for (i, a) in dsts.iter().enumerate() {
        for b in &dsts[i + 1..] {
            if overlaps(&a.extent(), &b.extent()) {
                return Err(Error::InvalidParameter("destination buffers overlap"));
            }
        }
    }
    // Every source that overlaps a destination must follow the accepted pattern.
    let mut row_aligned = true;
    for s in &srcs {
        for d in &dsts {
            if !overlaps(&s.extent(), &d.extent()) {
                continue;
            }
            let same_start = s.ptr == d.ptr;
            let ok = match in_place {
                InPlace::No => false,
                InPlace::Exact => same_start && s.stride == d.stride,
                InPlace::SameStart => same_start && s.stride >= d.stride,
            };
            if !ok {
                return Err(Error::InvalidParameter(match in_place {
                    InPlace::No => {
                        "source and destination overlap; this function does not work in place"
                    }
                    InPlace::Exact => {
                        "source and destination overlap; in place needs the same data pointer and rowBytes"
                    }
                    InPlace::SameStart => {
                        "source and destination overlap; in place needs the same data pointer and rowBytes at least the destination's"
                    }
                }));
            }
            row_aligned &= s.stride == d.stride;
        }
    }
    if flags.contains(Flags::GET_TEMP_BUFFER_SIZE) || width == 0 || height == 0 {
        return Ok(());
    }
    let tile_ok = !flags.contains(Flags::DO_NOT_TILE) && row_aligned;
    tile::for_each_band(width, height, tile_ok, |band| {
        rows_of_band(&srcs, &dsts, width, band, &kernel)
    });
    Ok(())
}

fn rows_of_band<const S: usize, const D: usize, K>(
    srcs: &[Plane; S],
    dsts: &[Plane; D],
    width: usize,
    band: Range<usize>,
    kernel: &K,
) where
    K: Fn(&[&[u8]; S], &mut [&mut [u8]; D], usize),
{
    let mut scratch: [Vec<u8>; S] = std::array::from_fn(|_| Vec::new());
    let mut copied = [false; S];
    for y in band {
        // Sources that meet this row's destinations are read from a copy taken first.
        for ((s, buf), copied) in srcs.iter().zip(scratch.iter_mut()).zip(copied.iter_mut()) {
            let r = s.row_range(y);
            *copied = dsts.iter().any(|d| overlaps(&r, &d.row_range(y)));
            if *copied {
                buf.resize(s.row_len, 0);
                // SAFETY: the row is readable (Plane contract); the copy target is our own Vec;
                // no slice of this memory is alive while we copy.
                unsafe {
                    std::ptr::copy_nonoverlapping(
                        s.ptr.add(y * s.stride),
                        buf.as_mut_ptr(),
                        s.row_len,
                    )
                };
            }
        }
        let src_rows: [&[u8]; S] = std::array::from_fn(|i| {
            let s = &srcs[i];
            if copied[i] {
                &scratch[i][..]
            } else {
                // SAFETY: readable row (Plane contract) that overlaps no destination row of
                // this y, and no other thread writes it (module notes).
                unsafe { std::slice::from_raw_parts(s.ptr.add(y * s.stride), s.row_len) }
            }
        });
        let mut dst_rows: [&mut [u8]; D] = std::array::from_fn(|i| {
            let d = &dsts[i];
            // SAFETY: writable row (Plane contract), disjoint from every other destination row
            // and every source slice alive now; this thread alone owns row y of the band.
            unsafe { std::slice::from_raw_parts_mut(d.ptr.add(y * d.stride), d.row_len) }
        });
        kernel(&src_rows, &mut dst_rows, width);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_place_rows_see_the_source_before_it_is_overwritten() {
        // Reverse bytes of each 4-byte row in place: needs the scratch copy.
        let mut buf: Vec<u8> = (0..12).collect();
        let p = Plane::of_slice(&mut buf, 4, 4, 3).unwrap();
        run([p], [p], 4, 3, InPlace::Exact, Flags::empty(), |s, d, _| {
            for (o, i) in d[0].iter_mut().zip(s[0].iter().rev()) {
                *o = *i;
            }
        })
        .unwrap();
        assert_eq!(buf, [3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8]);
    }

    #[test]
    fn overlap_outside_the_pattern_is_refused() {
        let mut buf = vec![0u8; 32];
        let a = Plane::of_slice(&mut buf, 8, 8, 3).unwrap();
        let b = Plane::of_slice(&mut buf[1..], 8, 8, 3).unwrap();
        let e = run(
            [a],
            [b],
            8,
            3,
            InPlace::SameStart,
            Flags::empty(),
            |_, _, _| {},
        );
        assert!(matches!(e, Err(Error::InvalidParameter(_))));
        let e = run([a], [a], 8, 3, InPlace::No, Flags::empty(), |_, _, _| {});
        assert!(matches!(e, Err(Error::InvalidParameter(_))));
    }
}
