//! Row kernels for Morphology.h: element-wise max / min of lane rows (the building block of the
//! van Herk / Gil-Werman passes), the kernel-weighted dilate / erode accumulations, and the
//! float <-> ordered-key conversions.
//!
//! Lanes are `u8` for 8-bit images and `i32` *keys* for float images: a float's bits mapped so
//! that integer order is IEEE 754 total order (`-inf < ... < -0 < +0 < ... < +inf`), which makes
//! max / min associative and commutative (so the van Herk result equals the direct window
//! bit for bit) and lets one integer `pmaxsd` do a float max. NaN inputs are mapped to the
//! start value of the operation (-inf for max, +inf for min), i.e. they are ignored.
//!
//! `mod.rs` holds the portable bodies (plain loops LLVM vectorizes) and the dispatch;
//! `avx2.rs` compiles the same bodies with AVX2 enabled.

#[cfg(target_arch = "x86_64")]
mod avx2;

use crate::kernels::Level;

/// Which extreme a pass keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Extreme {
    Max,
    Min,
}

/// A lane type: `u8` samples or `i32` float keys.
pub trait Lane: Copy + Ord + Send + Sync + Default + std::fmt::Debug + 'static {}
impl Lane for u8 {}
impl Lane for i32 {}

/// The key of a float: integer order of keys is IEEE total order of the floats.
#[inline(always)]
pub fn key(f: f32) -> i32 {
    let b = f.to_bits() as i32;
    b ^ ((b >> 31) & 0x7fff_ffff)
}

/// The float of a key (inverse of [`key`]).
#[inline(always)]
pub fn unkey(k: i32) -> f32 {
    f32::from_bits((k ^ ((k >> 31) & 0x7fff_ffff)) as u32)
}

/// The key a NaN becomes, and the start value, for `op`: the key of -inf (max) or +inf (min).
#[inline(always)]
pub fn start_key(op: Extreme) -> i32 {
    match op {
        Extreme::Max => key(f32::NEG_INFINITY),
        Extreme::Min => key(f32::INFINITY),
    }
}

#[inline(always)]
fn pick<L: Lane>(op: Extreme, a: L, b: L) -> L {
    match op {
        Extreme::Max => a.max(b),
        Extreme::Min => a.min(b),
    }
}

#[inline(always)]
fn f32_at(b: &[u8]) -> f32 {
    f32::from_ne_bytes([b[0], b[1], b[2], b[3]])
}

#[inline(always)]
fn key_or(f: f32, nan: i32) -> i32 {
    if f.is_nan() { nan } else { key(f) }
}

// ---- portable bodies (inlined into the dispatch and into the AVX2 wrappers) -----------------

#[inline(always)]
pub(crate) fn combine_body<L: Lane>(op: Extreme, acc: &mut [L], src: &[L]) {
    let n = acc.len().min(src.len());
    match op {
        Extreme::Max => acc[..n]
            .iter_mut()
            .zip(&src[..n])
            .for_each(|(a, s)| *a = (*a).max(*s)),
        Extreme::Min => acc[..n]
            .iter_mut()
            .zip(&src[..n])
            .for_each(|(a, s)| *a = (*a).min(*s)),
    }
}

#[inline(always)]
pub(crate) fn combine3_body<L: Lane>(op: Extreme, out: &mut [L], a: &[L], b: &[L]) {
    let n = out.len().min(a.len()).min(b.len());
    match op {
        Extreme::Max => out[..n]
            .iter_mut()
            .zip(a[..n].iter().zip(&b[..n]))
            .for_each(|(o, (x, y))| *o = (*x).max(*y)),
        Extreme::Min => out[..n]
            .iter_mut()
            .zip(a[..n].iter().zip(&b[..n]))
            .for_each(|(o, (x, y))| *o = (*x).min(*y)),
    }
}

/// Max or min as a type, so that the loops below carry no branch on the operation.
trait Pick {
    fn pick<L: Lane>(a: L, b: L) -> L;
}
struct PickMax;
struct PickMin;
impl Pick for PickMax {
    #[inline(always)]
    fn pick<L: Lane>(a: L, b: L) -> L {
        a.max(b)
    }
}
impl Pick for PickMin {
    #[inline(always)]
    fn pick<L: Lane>(a: L, b: L) -> L {
        a.min(b)
    }
}

#[inline(always)]
fn fold_pick<P: Pick, L: Lane>(out: &mut [L], s: &[&[L]]) {
    let n = out.len();
    match s {
        [] => {}
        [a] => out.copy_from_slice(&a[..n]),
        [a, b] => out
            .iter_mut()
            .zip(&a[..n])
            .zip(&b[..n])
            .for_each(|((o, a), b)| *o = P::pick(*a, *b)),
        [a, b, c] => out
            .iter_mut()
            .zip(&a[..n])
            .zip(&b[..n])
            .zip(&c[..n])
            .for_each(|(((o, a), b), c)| *o = P::pick(P::pick(*a, *b), *c)),
        [a, b, c, d] => out
            .iter_mut()
            .zip(&a[..n])
            .zip(&b[..n])
            .zip(&c[..n])
            .zip(&d[..n])
            .for_each(|((((o, a), b), c), d)| *o = P::pick(P::pick(*a, *b), P::pick(*c, *d))),
        [a, b, c, d, e, rest @ ..] => {
            out.iter_mut()
                .zip(&a[..n])
                .zip(&b[..n])
                .zip(&c[..n])
                .zip(&d[..n])
                .zip(&e[..n])
                .for_each(|(((((o, a), b), c), d), e)| {
                    *o = P::pick(P::pick(P::pick(*a, *b), P::pick(*c, *d)), *e)
                });
            for r in rest {
                out.iter_mut()
                    .zip(&r[..n])
                    .for_each(|(o, r)| *o = P::pick(*o, *r));
            }
        }
    }
}

/// `out[i] = op over s[j][i]`; every slice holds at least `out.len()` lanes.
#[inline(always)]
pub(crate) fn fold_body<L: Lane>(op: Extreme, out: &mut [L], s: &[&[L]]) {
    match op {
        Extreme::Max => fold_pick::<PickMax, L>(out, s),
        Extreme::Min => fold_pick::<PickMin, L>(out, s),
    }
}

#[inline(always)]
fn step_pick<P: Pick, L: Lane>(l: &mut [L], v: &mut [L], r: &[L], row: &[L]) {
    let n = v.len();
    v.iter_mut()
        .zip(&mut l[..n])
        .zip(&r[..n])
        .zip(&row[..n])
        .for_each(|(((v, l), r), x)| {
            *l = P::pick(*l, *x);
            *v = P::pick(*r, *l);
        });
}

/// The prefix step of the vertical van Herk pass: `l = op(l, row)`, `v = op(r, l)`.
#[inline(always)]
pub(crate) fn step_body<L: Lane>(op: Extreme, l: &mut [L], v: &mut [L], r: &[L], row: &[L]) {
    match op {
        Extreme::Max => step_pick::<PickMax, L>(l, v, r, row),
        Extreme::Min => step_pick::<PickMin, L>(l, v, r, row),
    }
}

#[inline(always)]
pub(crate) fn key_fold_body(op: Extreme, acc: &mut [i32], src: &[u8]) {
    let nan = start_key(op);
    match op {
        Extreme::Max => acc
            .iter_mut()
            .zip(src.chunks_exact(4))
            .for_each(|(a, s)| *a = (*a).max(key_or(f32_at(s), nan))),
        Extreme::Min => acc
            .iter_mut()
            .zip(src.chunks_exact(4))
            .for_each(|(a, s)| *a = (*a).min(key_or(f32_at(s), nan))),
    }
}

#[inline(always)]
pub(crate) fn dilate8_body(acc: &mut [u8], src: &[u8], k: u8) {
    acc.iter_mut()
        .zip(src)
        .for_each(|(a, s)| *a = (*a).max(s.saturating_sub(k)));
}

#[inline(always)]
pub(crate) fn erode8_body(acc: &mut [i16], src: &[u8], k: u8) {
    let k = k as i16;
    acc.iter_mut()
        .zip(src)
        .for_each(|(a, s)| *a = (*a).min(*s as i16 - k));
}

#[inline(always)]
pub(crate) fn keyed_body(op: Extreme, acc: &mut [i32], src: &[u8], k: f32) {
    let nan = start_key(op);
    match op {
        Extreme::Max => acc
            .iter_mut()
            .zip(src.chunks_exact(4))
            .for_each(|(a, s)| *a = (*a).max(key_or(f32_at(s) - k, nan))),
        Extreme::Min => acc
            .iter_mut()
            .zip(src.chunks_exact(4))
            .for_each(|(a, s)| *a = (*a).min(key_or(f32_at(s) - k, nan))),
    }
}

#[inline(always)]
pub(crate) fn to_keys_body(op: Extreme, dst: &mut [i32], src: &[u8]) {
    let nan = start_key(op);
    dst.iter_mut()
        .zip(src.chunks_exact(4))
        .for_each(|(d, s)| *d = key_or(f32_at(s), nan));
}

#[inline(always)]
pub(crate) fn from_keys_body(dst: &mut [u8], src: &[i32], add: Option<f32>) {
    match add {
        Some(a) => dst
            .chunks_exact_mut(4)
            .zip(src)
            .for_each(|(d, s)| d.copy_from_slice(&(unkey(*s) + a).to_ne_bytes())),
        None => dst
            .chunks_exact_mut(4)
            .zip(src)
            .for_each(|(d, s)| d.copy_from_slice(&unkey(*s).to_ne_bytes())),
    }
}

// ---- dispatch ---------------------------------------------------------------------------------

#[inline]
fn avx2() -> bool {
    cfg!(target_arch = "x86_64") && Level::detect() >= Level::Avx2
}

/// `acc[i] = op(acc[i], src[i])` over the common length.
pub fn combine<L: Lane>(op: Extreme, acc: &mut [L], src: &[L]) {
    #[cfg(target_arch = "x86_64")]
    if avx2() {
        // SAFETY: the CPU has AVX2 (checked at run time).
        return unsafe { avx2::combine(op, acc, src) };
    }
    combine_body(op, acc, src)
}

/// `out[i] = op(a[i], b[i])` over the common length.
pub fn combine3<L: Lane>(op: Extreme, out: &mut [L], a: &[L], b: &[L]) {
    #[cfg(target_arch = "x86_64")]
    if avx2() {
        // SAFETY: the CPU has AVX2 (checked at run time).
        return unsafe { avx2::combine3(op, out, a, b) };
    }
    combine3_body(op, out, a, b)
}

/// `out[i] = op(s[0][i], s[1][i], ...)`; every slice holds at least `out.len()` lanes.
pub fn fold<L: Lane>(op: Extreme, out: &mut [L], s: &[&[L]]) {
    #[cfg(target_arch = "x86_64")]
    if avx2() {
        // SAFETY: the CPU has AVX2 (checked at run time).
        return unsafe { avx2::fold(op, out, s) };
    }
    fold_body(op, out, s)
}

/// `l = op(l, row)` then `v = op(r, l)`, over `v.len()` lanes (the others hold at least as
/// many).
pub fn step<L: Lane>(op: Extreme, l: &mut [L], v: &mut [L], r: &[L], row: &[L]) {
    #[cfg(target_arch = "x86_64")]
    if avx2() {
        // SAFETY: the CPU has AVX2 (checked at run time).
        return unsafe { avx2::step(op, l, v, r, row) };
    }
    step_body(op, l, v, r, row)
}

/// `acc = op(acc, key(src))` over `acc.len()` floats of `src` (native-endian bytes); a NaN is
/// ignored.
pub fn key_fold(op: Extreme, acc: &mut [i32], src: &[u8]) {
    #[cfg(target_arch = "x86_64")]
    if avx2() {
        // SAFETY: the CPU has AVX2 (checked at run time).
        return unsafe { avx2::key_fold(op, acc, src) };
    }
    key_fold_body(op, acc, src)
}

/// Dilate step of 8-bit lanes: `acc = max(acc, max(0, src - k))` (a saturating subtraction).
pub fn dilate8(acc: &mut [u8], src: &[u8], k: u8) {
    #[cfg(target_arch = "x86_64")]
    if avx2() {
        // SAFETY: the CPU has AVX2 (checked at run time).
        return unsafe { avx2::dilate8(acc, src, k) };
    }
    dilate8_body(acc, src, k)
}

/// Erode step of 8-bit lanes: `acc = min(acc, src - k)` in 16 bits.
pub fn erode8(acc: &mut [i16], src: &[u8], k: u8) {
    #[cfg(target_arch = "x86_64")]
    if avx2() {
        // SAFETY: the CPU has AVX2 (checked at run time).
        return unsafe { avx2::erode8(acc, src, k) };
    }
    erode8_body(acc, src, k)
}

/// Dilate (max) or erode (min) step of float lanes: `acc = op(acc, key(src - k))`, `src` the
/// native-endian bytes of `acc.len()` floats; a NaN difference is ignored.
pub fn keyed(op: Extreme, acc: &mut [i32], src: &[u8], k: f32) {
    #[cfg(target_arch = "x86_64")]
    if avx2() {
        // SAFETY: the CPU has AVX2 (checked at run time).
        return unsafe { avx2::keyed(op, acc, src, k) };
    }
    keyed_body(op, acc, src, k)
}

/// Keys of the floats in `src` (native-endian bytes); NaN becomes the start key of `op`.
pub fn to_keys(op: Extreme, dst: &mut [i32], src: &[u8]) {
    #[cfg(target_arch = "x86_64")]
    if avx2() {
        // SAFETY: the CPU has AVX2 (checked at run time).
        return unsafe { avx2::to_keys(op, dst, src) };
    }
    to_keys_body(op, dst, src)
}

/// Floats `unkey(src[i])` (`+ add` when given: `-0 + 0` is `+0`) as native-endian bytes.
pub fn from_keys(dst: &mut [u8], src: &[i32], add: Option<f32>) {
    #[cfg(target_arch = "x86_64")]
    if avx2() {
        // SAFETY: the CPU has AVX2 (checked at run time).
        return unsafe { avx2::from_keys(dst, src, add) };
    }
    from_keys_body(dst, src, add)
}

/// Sliding-window extreme along one row of `c`-lane pixels: `out` pixel `x` (of
/// `out.len() / c`) is `op` over pixels `x .. x + k` of `p` (which holds `out.len() / c + k - 1`
/// pixels).
///
/// Windows up to [`FOLD_WINDOW`] take vector passes that each combine up to five shifted
/// copies of the previous pass: a window of `s` pixels becomes one of `5s` (pieces at offsets
/// `0, s, .., 4s`), and the last pass covers `k` with `m <= 5` windows of `s` at spread
/// offsets (overlapping; max / min are idempotent). So `k <= 5` is one pass, `k <= 25` two,
/// `k <= 125` three. Larger windows use the van Herk / Gil-Werman recurrence (three
/// comparisons per lane whatever `k`, but serial along the row). `fwd` and `bwd` are scratch
/// of `p.len()` lanes (unused when `k <= 5`).
pub fn window_row<L: Lane>(
    op: Extreme,
    p: &[L],
    c: usize,
    k: usize,
    out: &mut [L],
    fwd: &mut [L],
    bwd: &mut [L],
) {
    let n = out.len();
    let len = p.len();
    if k <= FOLD_WINDOW {
        let mut bufs = [fwd, bwd];
        // cur: None = p, Some(i) = bufs[i]; it holds windows of s pixels.
        let mut cur: Option<usize> = None;
        let mut s = 1;
        loop {
            let mut pieces: [&[L]; 5] = [&[]; 5];
            if k <= 5 * s {
                let m = if k == s { 1 } else { (k - s).div_ceil(s) + 1 };
                let [a, b] = &mut bufs;
                let from: &[L] = match cur {
                    None => p,
                    Some(0) => a,
                    Some(_) => b,
                };
                for (j, piece) in pieces[..m].iter_mut().enumerate() {
                    let o = if m == 1 { 0 } else { j * (k - s) / (m - 1) } * c;
                    *piece = &from[o..o + n];
                }
                fold(op, out, &pieces[..m]);
                return;
            }
            let valid = len - (s - 1) * c;
            let next = valid - 4 * s * c;
            let [a, b] = &mut bufs;
            let (from, to, now): (&[L], &mut [L], usize) = match cur {
                None => (p, a, 0),
                Some(0) => (a, b, 1),
                Some(_) => (b, a, 0),
            };
            for (j, piece) in pieces.iter_mut().enumerate() {
                *piece = &from[j * s * c..j * s * c + next];
            }
            fold(op, &mut to[..next], &pieces);
            cur = Some(now);
            s *= 5;
        }
    }
    let px = len / c;
    // bwd: suffix extreme within each block of k pixels; fwd: prefix extreme within blocks.
    let mut start = 0;
    while start < px {
        let end = (start + k).min(px);
        let (s, e) = (start * c, end * c);
        fwd[s..s + c].copy_from_slice(&p[s..s + c]);
        for i in s + c..e {
            fwd[i] = pick(op, fwd[i - c], p[i]);
        }
        bwd[e - c..e].copy_from_slice(&p[e - c..e]);
        for i in (s..e - c).rev() {
            bwd[i] = pick(op, bwd[i + c], p[i]);
        }
        start = end;
    }
    // Window [x, x + k - 1] = suffix of x's block + prefix of the next block up to x + k - 1
    // (that prefix is the whole window when x starts a block: then bwd[x] alone is exact,
    // and fwd[x + k - 1] is the same block's full prefix, so op-ing it in changes nothing).
    combine3(op, out, &bwd[..n], &fwd[(k - 1) * c..(k - 1) * c + n]);
}

/// Windows up to this size use direct vector passes (one for `k <= 5`); larger ones one pass
/// of the vertical recurrence per image row and the serial van Herk recurrence along rows.
pub(crate) const SMALL_WINDOW: usize = 5;
/// Horizontal windows up to this size use folding passes (at most five: `5^5`); larger ones
/// the serial van Herk recurrence.
pub(crate) const FOLD_WINDOW: usize = 3125;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_order_floats_totally() {
        let v = [
            f32::NEG_INFINITY,
            -3.5,
            -1e-40,
            -0.0,
            0.0,
            1e-40,
            2.0,
            f32::INFINITY,
        ];
        for w in v.windows(2) {
            assert!(key(w[0]) < key(w[1]), "{w:?}");
        }
        for f in v {
            assert_eq!(unkey(key(f)).to_bits(), f.to_bits());
        }
    }

    #[test]
    fn window_row_equals_direct() {
        let mut s = 0x9e37_79b9u32;
        for c in [1usize, 4] {
            for k in [
                1usize, 2, 3, 4, 5, 6, 7, 9, 21, 25, 26, 33, 63, 65, 99, 125, 126, 3125, 3127,
            ] {
                for n in [1usize, 2, 7, 40, 100] {
                    let len = (n + k - 1) * c;
                    let p: Vec<u8> = (0..len)
                        .map(|_| {
                            s ^= s << 13;
                            s ^= s >> 17;
                            s ^= s << 5;
                            s as u8
                        })
                        .collect();
                    for op in [Extreme::Max, Extreme::Min] {
                        let mut out = vec![0u8; n * c];
                        let (mut f, mut b) = (vec![0u8; len], vec![0u8; len]);
                        window_row(op, &p, c, k, &mut out, &mut f, &mut b);
                        for x in 0..n {
                            for ch in 0..c {
                                let w = (0..k).map(|d| p[(x + d) * c + ch]);
                                let want = match op {
                                    Extreme::Max => w.max().unwrap(),
                                    Extreme::Min => w.min().unwrap(),
                                };
                                assert_eq!(out[x * c + ch], want, "c {c} k {k} n {n} x {x}");
                            }
                        }
                    }
                }
            }
        }
    }
}
