//! Widened source rows: the columns `[ox - r, ox + width + r)` of a source row, pixels outside
//! the source buffer supplied by the edge mode, and a ring of such rows for a band.

use super::{Edge, Src, alloc};
use crate::error::Result;

/// A sample of a source row, read unaligned in host byte order.
pub trait Sample: Copy + Default + Send + Sync + 'static {
    const SIZE: usize;
    /// `out[i]` = sample `i` of `bytes`.
    fn load_row(bytes: &[u8], out: &mut [Self]);
}

impl Sample for u8 {
    const SIZE: usize = 1;
    fn load_row(bytes: &[u8], out: &mut [u8]) {
        out.copy_from_slice(&bytes[..out.len()]);
    }
}

impl Sample for u16 {
    const SIZE: usize = 2;
    fn load_row(bytes: &[u8], out: &mut [u16]) {
        for (o, b) in out.iter_mut().zip(bytes.chunks_exact(2)) {
            *o = u16::from_ne_bytes([b[0], b[1]]);
        }
    }
}

impl Sample for f32 {
    const SIZE: usize = 4;
    fn load_row(bytes: &[u8], out: &mut [f32]) {
        for (o, b) in out.iter_mut().zip(bytes.chunks_exact(4)) {
            *o = f32::from_ne_bytes([b[0], b[1], b[2], b[3]]);
        }
    }
}

/// Builds widened rows of `ch`-channel pixels of samples `T`.
pub struct Extender<'a, T> {
    src: &'a Src,
    edge: Edge,
    ch: usize,
    /// Source column of widened pixel 0 (may be negative).
    x0: isize,
    /// Widened pixels per row.
    len: usize,
    bg: [T; 4],
}

impl<'a, T: Sample> Extender<'a, T> {
    /// Rows for outputs `0..width` at offset `ox`, kernel radius `r`.
    pub fn new(
        src: &'a Src,
        edge: Edge,
        ch: usize,
        ox: usize,
        r: usize,
        width: usize,
        bg: [T; 4],
    ) -> Self {
        Extender {
            src,
            edge,
            ch,
            x0: ox as isize - r as isize,
            len: width + 2 * r,
            bg,
        }
    }

    /// Samples in one widened row.
    pub fn samples(&self) -> usize {
        self.len * self.ch
    }

    /// The source row that stands for row `sy`: clamped (extend, copy-in-place) or none
    /// (background, truncate: a row of background or zeros).
    pub fn row_index(&self, sy: isize) -> Option<usize> {
        let h = self.src.height() as isize;
        match self.edge {
            Edge::Extend | Edge::CopyInPlace => Some(sy.clamp(0, h - 1) as usize),
            Edge::Background | Edge::Truncate => (0..h).contains(&sy).then_some(sy as usize),
        }
    }

    /// The value of a missing pixel's channel `c` in a row or column outside the image.
    fn missing(&self, c: usize) -> T {
        match self.edge {
            Edge::Background => self.bg[c],
            _ => T::default(),
        }
    }

    /// Writes widened row `sy` into `out[..self.samples()]`.
    pub fn build(&self, sy: isize, out: &mut [T]) {
        let ch = self.ch;
        let out = &mut out[..self.len * ch];
        let Some(r) = self.row_index(sy) else {
            for px in out.chunks_exact_mut(ch) {
                for (c, o) in px.iter_mut().enumerate() {
                    *o = self.missing(c);
                }
            }
            return;
        };
        let row = self.src.row(r);
        let w = self.src.width() as isize;
        let a = (-self.x0).clamp(0, self.len as isize) as usize;
        let b = (w - self.x0).clamp(a as isize, self.len as isize) as usize;
        let first = (self.x0 + a as isize) as usize;
        T::load_row(
            &row[first * ch * T::SIZE..(first + b - a) * ch * T::SIZE],
            &mut out[a * ch..b * ch],
        );
        let (left, rest) = out.split_at_mut(a * ch);
        let (mid, right) = rest.split_at_mut((b - a) * ch);
        let copy_edges = matches!(self.edge, Edge::Extend | Edge::CopyInPlace);
        for px in left.chunks_exact_mut(ch) {
            for c in 0..ch {
                px[c] = if copy_edges { mid[c] } else { self.missing(c) };
            }
        }
        let last = mid.len() - ch;
        for px in right.chunks_exact_mut(ch) {
            for c in 0..ch {
                px[c] = if copy_edges {
                    mid[last + c]
                } else {
                    self.missing(c)
                };
            }
        }
    }
}

/// `n` rows of `len` elements keyed by source row: row `sy` lives in slot `sy mod n`, so any
/// `n` consecutive rows are present at once.
pub struct Ring<T> {
    rows: Vec<Vec<T>>,
    tags: Vec<isize>,
}

impl<T: Clone + Default> Ring<T> {
    pub fn new(n: usize, len: usize) -> Result<Ring<T>> {
        let mut rows = Vec::with_capacity(n);
        for _ in 0..n {
            rows.push(alloc(len, T::default())?);
        }
        Ok(Ring {
            rows,
            tags: vec![isize::MIN; n],
        })
    }

    /// The slot of row `sy`, built by `build` unless it is there already.
    pub fn slot(&mut self, sy: isize, build: impl FnOnce(isize, &mut [T])) -> usize {
        let s = sy.rem_euclid(self.rows.len() as isize) as usize;
        if self.tags[s] != sy {
            build(sy, &mut self.rows[s]);
            self.tags[s] = sy;
        }
        s
    }

    pub fn row(&self, slot: usize) -> &[T] {
        &self.rows[slot]
    }
}
