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
/// pixels). Small windows take `k - 1` vector passes; windows up to [`DOUBLING_WINDOW`] take
/// `log2(k) + 1` vector passes of doubling (a window of `2s` is two windows of `s`, and a
/// window of `k` two overlapping windows of the largest power of two `s <= k`); larger ones the
/// van Herk / Gil-Werman recurrence (three comparisons per lane whatever `k`, but serial along
/// the row). The cost is bounded by the larger of 6 vector passes and 3 serial passes for every
/// `k`. `fwd` and `bwd` are scratch of `p.len()` lanes.
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
    if k <= SMALL_WINDOW {
        out.copy_from_slice(&p[..n]);
        for d in 1..k {
            combine(op, out, &p[d * c..d * c + n]);
        }
        return;
    }
    let len = p.len();
    if k <= DOUBLING_WINDOW {
        let (mut a, mut b) = (fwd, bwd);
        a.copy_from_slice(p);
        let mut s = 1;
        while 2 * s <= k {
            let valid = len - (s - 1) * c;
            combine3(
                op,
                &mut b[..valid - s * c],
                &a[..valid - s * c],
                &a[s * c..valid],
            );
            std::mem::swap(&mut a, &mut b);
            s *= 2;
        }
        combine3(op, out, &a[..n], &a[(k - s) * c..(k - s) * c + n]);
        return;
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

/// Windows up to this size use direct passes (cheaper than three van Herk passes).
pub(crate) const SMALL_WINDOW: usize = 5;
/// Windows up to this size use doubling passes (vectorized; cheaper than the serial van Herk
/// recurrence).
pub(crate) const DOUBLING_WINDOW: usize = 64;

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
            for k in [1usize, 3, 5, 7, 9, 21, 33, 63, 65, 99] {
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
