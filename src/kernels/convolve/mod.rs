//! Row kernels of Convolution.h: multiply-accumulate of one kernel tap over a row, the running
//! sums of the box and tent filters, and the exact integer divisions that end a row.
//!
//! Every kernel is a safe loop over `chunks_exact` that LLVM vectorizes; [`fast!`] compiles the
//! same loop a second time with AVX2 enabled (`avx2.rs`) and picks it at run time. The
//! arithmetic is identical at every level (no fused multiply-add), so results never depend on
//! the CPU.

use super::Level;

#[cfg(target_arch = "x86_64")]
mod avx2;
#[cfg(target_arch = "x86_64")]
mod sse2;

/// `v` as u32 samples when `A` is u32.
#[cfg(target_arch = "x86_64")]
fn as_u32<A: Acc>(v: &[A]) -> Option<&[u32]> {
    (std::any::TypeId::of::<A>() == std::any::TypeId::of::<u32>()).then(|| {
        // SAFETY: A is u32 (checked above): the same memory, type and length.
        unsafe { std::slice::from_raw_parts(v.as_ptr().cast::<u32>(), v.len()) }
    })
}

/// `v` as mutable u32 samples when `A` is u32.
#[cfg(target_arch = "x86_64")]
fn as_u32_mut<A: Acc>(v: &mut [A]) -> Option<&mut [u32]> {
    (std::any::TypeId::of::<A>() == std::any::TypeId::of::<u32>()).then(|| {
        // SAFETY: A is u32 (checked above): the same memory, type and length, borrowed
        // exclusively through `v`.
        unsafe { std::slice::from_raw_parts_mut(v.as_mut_ptr().cast::<u32>(), v.len()) }
    })
}

/// Runs `$body` compiled for AVX2 when the CPU has it, plainly otherwise.
macro_rules! fast {
    ($body:expr) => {{
        #[cfg(target_arch = "x86_64")]
        if Level::detect() == Level::Avx2 {
            let body = || $body;
            // SAFETY: Level::Avx2 is only detected when the CPU has AVX2.
            unsafe { avx2::run(body) }
        } else {
            $body
        }
        #[cfg(not(target_arch = "x86_64"))]
        $body
    }};
}

/// `acc[e] = sum over taps t of ks[t][e % 4] * rows[t][e]` (32-bit wrapping), every row at
/// least `acc.len()` long, `acc.len()` a multiple of 16: all taps of a block of elements at
/// once, so the sums stay in registers.
pub fn dot_rows_u8(acc: &mut [i32], rows: &[&[u8]], ks: &[[i32; 4]]) {
    #[cfg(target_arch = "x86_64")]
    if Level::detect() == Level::Avx2 {
        return avx2::dot_rows_u8(acc, rows, ks);
    }
    for (b, block) in acc.chunks_exact_mut(16).enumerate() {
        let mut a = [0i32; 16];
        for (row, k) in rows.iter().zip(ks) {
            for (e, (o, p)) in a.iter_mut().zip(&row[b * 16..b * 16 + 16]).enumerate() {
                *o = o.wrapping_add(k[e % 4] * i32::from(*p));
            }
        }
        block.copy_from_slice(&a);
    }
}

/// `acc[e] = sum over taps t (in order, from 0) of ks[t][e % 4] * rows[t][e]` in f32 (a
/// multiply, then an add), `acc.len()` a multiple of 16.
pub fn dot_rows_f32(acc: &mut [f32], rows: &[&[f32]], ks: &[[f32; 4]]) {
    fast!({
        for (b, block) in acc.chunks_exact_mut(16).enumerate() {
            let mut a = [0f32; 16];
            for (row, k) in rows.iter().zip(ks) {
                for (e, (o, p)) in a.iter_mut().zip(&row[b * 16..b * 16 + 16]).enumerate() {
                    *o += k[e % 4] * *p;
                }
            }
            block.copy_from_slice(&a);
        }
    })
}

/// `acc[e] += k * src[e]` in f32 (one channel; any length).
pub fn mac1_f32(acc: &mut [f32], src: &[f32], k: f32) {
    fast!({
        for (a, s) in acc.iter_mut().zip(src) {
            *a += k * *s;
        }
    })
}

/// An unsigned running-sum accumulator: u32 when the largest sum fits, u64 otherwise.
pub trait Acc: Copy + Default + Send + Sync + 'static {
    fn from_u8(v: u8) -> Self;
    fn from_u64(v: u64) -> Self;
    fn add(self, o: Self) -> Self;
    fn sub(self, o: Self) -> Self;
    fn to_u64(self) -> u64;
}

impl Acc for u32 {
    #[inline(always)]
    fn from_u8(v: u8) -> Self {
        u32::from(v)
    }
    #[inline(always)]
    fn from_u64(v: u64) -> Self {
        v as u32
    }
    #[inline(always)]
    fn add(self, o: Self) -> Self {
        self.wrapping_add(o)
    }
    #[inline(always)]
    fn sub(self, o: Self) -> Self {
        self.wrapping_sub(o)
    }
    #[inline(always)]
    fn to_u64(self) -> u64 {
        u64::from(self)
    }
}

impl Acc for u16 {
    #[inline(always)]
    fn from_u8(v: u8) -> Self {
        u16::from(v)
    }
    #[inline(always)]
    fn from_u64(v: u64) -> Self {
        v as u16
    }
    #[inline(always)]
    fn add(self, o: Self) -> Self {
        self.wrapping_add(o)
    }
    #[inline(always)]
    fn sub(self, o: Self) -> Self {
        self.wrapping_sub(o)
    }
    #[inline(always)]
    fn to_u64(self) -> u64 {
        u64::from(self)
    }
}

impl Acc for u64 {
    #[inline(always)]
    fn from_u8(v: u8) -> Self {
        u64::from(v)
    }
    #[inline(always)]
    fn from_u64(v: u64) -> Self {
        v
    }
    #[inline(always)]
    fn add(self, o: Self) -> Self {
        self.wrapping_add(o)
    }
    #[inline(always)]
    fn sub(self, o: Self) -> Self {
        self.wrapping_sub(o)
    }
    #[inline(always)]
    fn to_u64(self) -> u64 {
        self
    }
}

/// `acc[e] += w * row[e]`.
pub fn add_row<A: Acc>(acc: &mut [A], row: &[u8], w: u64) {
    let w = A::from_u64(w);
    if w.to_u64() == 1 {
        fast!({
            for (a, r) in acc.iter_mut().zip(row) {
                *a = a.add(A::from_u8(*r));
            }
        })
    } else {
        fast!({
            for (a, r) in acc.iter_mut().zip(row) {
                *a = a.add(mul(A::from_u8(*r), w));
            }
        })
    }
}

#[inline(always)]
fn mul<A: Acc>(a: A, w: A) -> A {
    A::from_u64(a.to_u64().wrapping_mul(w.to_u64()))
}

/// The vertical box step: `acc[e] += add[e] - sub[e]`.
pub fn box_step<A: Acc>(acc: &mut [A], add: &[u8], sub: &[u8]) {
    fast!({
        for ((a, p), m) in acc.iter_mut().zip(add).zip(sub) {
            *a = a.add(A::from_u8(*p)).sub(A::from_u8(*m));
        }
    })
}

/// The vertical tent step from centre row `c` to `c + 1` (`m` = half width + 1):
/// `t += u - l; u += p(c + m + 1) - p(c + 1); l += p(c + 1) - p(c - m + 1)`, where `u` is the
/// box of the `m` rows below the centre and `l` the box of the centre and the `m - 1` above.
pub fn tent_step<A: Acc>(
    t: &mut [A],
    u: &mut [A],
    l: &mut [A],
    p_new: &[u8],
    p_mid: &[u8],
    p_old: &[u8],
) {
    fast!({
        for (((((t, u), l), n), c), o) in t
            .iter_mut()
            .zip(u.iter_mut())
            .zip(l.iter_mut())
            .zip(p_new)
            .zip(p_mid)
            .zip(p_old)
        {
            *t = t.add(*u).sub(*l);
            let c = A::from_u8(*c);
            *u = u.add(A::from_u8(*n)).sub(c);
            *l = l.add(c).sub(A::from_u8(*o));
        }
    })
}

/// The vertical tent step by the second difference: `t += dd; dd += p_new - 2 p_mid + p_old`
/// (wrapping: `dd` is `u - l` of [`tent_step`]).
pub fn tent_step2<A: Acc>(t: &mut [A], dd: &mut [A], p_new: &[u8], p_mid: &[u8], p_old: &[u8]) {
    fast!({
        for ((((t, dd), n), c), o) in t
            .iter_mut()
            .zip(dd.iter_mut())
            .zip(p_new)
            .zip(p_mid)
            .zip(p_old)
        {
            *t = t.add(*dd);
            let c = A::from_u8(*c);
            *dd = dd.add(A::from_u8(*n)).add(A::from_u8(*o)).sub(c).sub(c);
        }
    })
}

/// Horizontal box sums of `CH`-channel columns: `out[x] = sum of v[x + j], j < kw` (per
/// channel) for `x < out.len() / CH`; `v` holds at least `out.len() / CH + kw - 1` pixels.
pub fn hbox<A: Acc, const CH: usize>(out: &mut [A], v: &[A], kw: usize) {
    #[cfg(target_arch = "x86_64")]
    if CH == 4
        && let (Some(o), Some(vv)) = (as_u32_mut(out), as_u32(v))
    {
        return sse2::hbox4(o, vv, kw);
    }
    let mut s = [A::default(); CH];
    for j in 0..kw {
        for c in 0..CH {
            s[c] = s[c].add(v[j * CH + c]);
        }
    }
    if out.is_empty() {
        return;
    }
    let (first, rest) = out.split_at_mut(CH);
    first.copy_from_slice(&s);
    for ((o, old), new) in rest
        .chunks_exact_mut(CH)
        .zip(v.chunks_exact(CH))
        .zip(v[kw * CH..].chunks_exact(CH))
    {
        for c in 0..CH {
            s[c] = s[c].add(new[c]).sub(old[c]);
        }
        o.copy_from_slice(&s);
    }
}

#[allow(clippy::needless_range_loop)] // channel loops over fixed-size arrays
/// Horizontal tent sums (weights 1, 2, .., m, .., 2, 1 over `kw = 2m - 1` columns) by the
/// recurrence of [`tent_step`].
pub fn htent<A: Acc, const CH: usize>(out: &mut [A], v: &[A], kw: usize) {
    #[cfg(target_arch = "x86_64")]
    if CH == 4
        && let (Some(o), Some(vv)) = (as_u32_mut(out), as_u32(v))
    {
        return sse2::htent4(o, vv, kw);
    }
    let m = kw.div_ceil(2);
    let (mut t, mut u, mut l) = ([A::default(); CH], [A::default(); CH], [A::default(); CH]);
    // Centre of output x is column x + m - 1 of `v`.
    for j in 0..kw {
        let w = (j + 1).min(kw - j) as u64;
        for c in 0..CH {
            t[c] = t[c].add(mul(v[j * CH + c], A::from_u64(w)));
            if j >= m {
                u[c] = u[c].add(v[j * CH + c]);
            } else {
                l[c] = l[c].add(v[j * CH + c]);
            }
        }
    }
    for c in 0..CH {
        // u covers columns m..=2m-1: the last one is past the window of x = 0.
        u[c] = u[c].add(v.get((2 * m - 1) * CH + c).copied().unwrap_or_default());
    }
    let n = out.len() / CH;
    for x in 0..n {
        out[x * CH..x * CH + CH].copy_from_slice(&t);
        if x + 1 < n {
            let ctr = x + m - 1;
            for c in 0..CH {
                t[c] = t[c].add(u[c]).sub(l[c]);
                let mid = v[(ctr + 1) * CH + c];
                let new = v.get((ctr + m + 1) * CH + c).copied().unwrap_or_default();
                u[c] = u[c].add(new).sub(mid);
                l[c] = l[c].add(mid).sub(v[(ctr + 1 - m) * CH + c]);
            }
        }
    }
}

/// 2^-30: with it, `floor(n * fl(1 / d) + EPS)` is `floor(n / d)` for every integer
/// `0 <= n / d < 2^9` and `|d| < 2^29` (the product errs by at most 2^-43 there, and a
/// non-integer quotient is at least `1 / |d|` from the next integer).
const EPS: f64 = 1.0 / (1u64 << 30) as f64;

/// `out[e] = (sums[e] + d / 2) / d` for sums of at most `255 * d` (box and tent).
pub fn finish_fixed<A: Acc>(out: &mut [u8], sums: &[A], d: u64) {
    let h = d / 2;
    if d <= 8192 && std::mem::size_of::<A>() == 4 {
        // f32, 8 lanes: n = s + h < 2^24 is exact; fl(n * fl(1 / d)) errs by less than
        // 2^-15 for quotients below 256, so adding 2^-14 and truncating gives floor(n / d)
        // whenever a non-integer quotient is more than 13 * 2^-17 from the next integer,
        // which holds for d < 10082.
        let inv = 1.0 / d as f32;
        let h = h as i32;
        const EPS32: f32 = 1.0 / 16384.0;
        fast!({
            for (o, s) in out.iter_mut().zip(sums) {
                let n = (s.to_u64() as i32).wrapping_add(h);
                let q = n as f32 * inv + EPS32;
                // SAFETY: 0 <= q < 256 (the sum is at most 255 * d): finite and in range.
                *o = unsafe { q.to_int_unchecked::<i32>() } as u8;
            }
        })
    } else if d < (1 << 22) && std::mem::size_of::<A>() == 4 {
        // (s + h) < 256 * d < 2^30: exact as i32 and f64.
        let inv = 1.0 / d as f64;
        let h = h as i32;
        fast!({
            for (o, s) in out.iter_mut().zip(sums) {
                let n = (s.to_u64() as i32).wrapping_add(h);
                let q = f64::from(n) * inv + EPS;
                // SAFETY: 0 <= q < 256 (the sum is at most 255 * d): finite and in range.
                *o = unsafe { q.to_int_unchecked::<i32>() } as u8;
            }
        })
    } else {
        for (o, s) in out.iter_mut().zip(sums) {
            *o = ((s.to_u64() + h) / d).min(255) as u8;
        }
    }
}

/// Exact rounded division by a multiply-high: `(s + d / 2) / d == ((s + d / 2) * m) >> k` for
/// every sum `0 <= s <= 255 * d` (Granlund-Montgomery: with `e = m * d - 2^k`, the quotient
/// is exact whenever `n_max * e < 2^k`, checked when the constant is chosen).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Magic {
    pub d: u32,
    pub h: u32,
    pub m: u32,
    /// Shift, at least 32 (the AVX2 kernel takes the odd lanes' quotient from the high half).
    pub k: u32,
}

impl Magic {
    /// The constants for divisor `d` (`None` when no 32-bit multiplier is exact).
    pub fn new(d: u64) -> Option<Magic> {
        let n_max = 255 * u128::from(d) + u128::from(d / 2);
        if d < 2 || n_max >= 1 << 32 {
            return None;
        }
        (32..64u32).find_map(|k| {
            let m = (1u128 << k).div_ceil(u128::from(d));
            let e = m * u128::from(d) - (1u128 << k);
            (m < 1 << 32 && n_max * e < 1u128 << k).then_some(Magic {
                d: d as u32,
                h: (d / 2) as u32,
                m: m as u32,
                k,
            })
        })
    }

    /// `(s + d / 2) / d`.
    #[inline(always)]
    pub fn quotient(self, s: u32) -> u32 {
        ((u64::from(s + self.h) * u64::from(self.m)) >> self.k) as u32
    }
}

/// The horizontal filter of [`hsum4_div`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HSum {
    /// All ones.
    Box,
    /// The tent 1, 2, .., m, .., 2, 1 (`kw = 2m - 1`).
    Tent,
    /// The tent, of column sums below 2^15 (the caller's promise: larger ones give wrong
    /// bytes), by its second difference.
    TentSmall,
}

/// Fused horizontal running sum and division of a row of four-channel column sums: `out`
/// pixel `x` = `magic.div` of the box (`sum of v[x + j], j < kw`) or tent sum per channel.
/// `v` holds at least `out.len() / 4 + kw + 1` pixels (the last two only read, never used).
/// [`HSum::TentSmall`] keeps its differences in `scratch` (grown as needed). While it runs, the rows in `prefetch` are brought towards the cache. Returns
/// false (doing nothing) when the CPU lacks AVX2.
pub fn hsum4_div(
    out: &mut [u8],
    v: &[u16],
    kw: usize,
    shape: HSum,
    magic: Magic,
    scratch: &mut Vec<u16>,
    prefetch: &[&[u8]],
) -> bool {
    #[cfg(target_arch = "x86_64")]
    if Level::detect() == Level::Avx2 {
        let n = out.len() / 4;
        let f32 = magic.d <= 8192;
        let mode = match shape {
            HSum::Box => 0,
            HSum::TentSmall => {
                scratch.resize((n + kw.div_ceil(2)) * 4, 0);
                2
            }
            HSum::Tent => 1,
        };
        // SAFETY: Level::Avx2 is only detected when the CPU has AVX2.
        unsafe {
            match (mode, f32) {
                (0, true) => avx2::hsum4_div::<0, true>(out, v, kw, magic, scratch, prefetch),
                (0, false) => avx2::hsum4_div::<0, false>(out, v, kw, magic, scratch, prefetch),
                (1, true) => avx2::hsum4_div::<1, true>(out, v, kw, magic, scratch, prefetch),
                (1, false) => avx2::hsum4_div::<1, false>(out, v, kw, magic, scratch, prefetch),
                (_, true) => avx2::hsum4_div::<2, true>(out, v, kw, magic, scratch, prefetch),
                (_, false) => avx2::hsum4_div::<2, false>(out, v, kw, magic, scratch, prefetch),
            }
        }
        return true;
    }
    let _ = (out, v, kw, shape, magic, scratch, prefetch);
    false
}

/// `out[e] = clamp((acc[e] + bias[e % 4]) / div[e % 4], 0, 255)`: 32-bit wrapping sum, C
/// division (truncation toward zero); `div` is never 0. `out.len()` may end within a pixel.
pub fn finish_i32(out: &mut [u8], acc: &[i32], bias: [i32; 4], div: [i32; 4]) {
    if div.iter().all(|d| d.unsigned_abs() < (1 << 29)) {
        let inv = div.map(|d| 1.0 / f64::from(d));
        let n4 = out.len() / 4 * 4;
        let (head, tail) = out.split_at_mut(n4);
        fast!({
            for (o, a) in head.chunks_exact_mut(4).zip(acc.chunks_exact(4)) {
                for c in 0..4 {
                    let n = a[c].wrapping_add(bias[c]);
                    let q = (f64::from(n) * inv[c] + EPS).clamp(0.0, 255.0);
                    // SAFETY: clamped to [0, 255] (a NaN cannot arise from finite n, inv).
                    o[c] = unsafe { q.to_int_unchecked::<i32>() } as u8;
                }
            }
        });
        for (i, o) in tail.iter_mut().enumerate() {
            let n = acc[n4 + i].wrapping_add(bias[i]);
            *o = (f64::from(n) * inv[i] + EPS).clamp(0.0, 255.0) as u8;
        }
    } else {
        for (i, o) in out.iter_mut().enumerate() {
            let c = i % 4;
            let n = i64::from(acc[i].wrapping_add(bias[c]));
            *o = (n / i64::from(div[c])).clamp(0, 255) as u8;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finish_fixed_is_exact_division() {
        for d in [
            1u64,
            2,
            3,
            7,
            9,
            25,
            441,
            1681,
            6561,
            8191,
            8192,
            8193,
            14641,
            1 << 21,
            3_000_001,
        ] {
            let sums: Vec<u32> = (0..=255u64 * d)
                .step_by((d as usize / 997).max(1))
                .chain([255 * d, 255 * d - 1, d, d - 1, d + 1])
                .map(|s| s as u32)
                .collect();
            let mut out = vec![0u8; sums.len()];
            finish_fixed(&mut out, &sums, d);
            for (s, o) in sums.iter().zip(&out) {
                assert_eq!(u64::from(*o), (u64::from(*s) + d / 2) / d, "{s} / {d}");
            }
        }
    }

    #[test]
    fn finish_i32_is_c_division() {
        let divs = [
            1,
            -1,
            2,
            3,
            -7,
            16,
            255,
            4096,
            -65535,
            (1 << 29) - 1,
            i32::MAX,
        ];
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        for d in divs {
            for b in [0, d / 2, -d / 2, 12345] {
                let acc: Vec<i32> = (0..4000)
                    .map(|i| {
                        seed ^= seed << 13;
                        seed ^= seed >> 7;
                        seed ^= seed << 17;
                        match i % 3 {
                            0 => seed as i32,
                            1 => (seed as i32) % 300_000,
                            _ => (i / 3 - 600_i32).wrapping_mul(d.wrapping_abs().max(1) / 2),
                        }
                    })
                    .collect();
                let mut out = vec![0u8; acc.len() - 1];
                finish_i32(&mut out, &acc, [b; 4], [d; 4]);
                for (i, o) in out.iter().enumerate() {
                    let n = i64::from(acc[i].wrapping_add(b));
                    assert_eq!(i64::from(*o), (n / i64::from(d)).clamp(0, 255), "{n} / {d}");
                }
            }
        }
    }

    #[test]
    fn magic_division_is_exact() {
        // Exhaustive over every sum for small and benchmark divisors; the constructor checks
        // the Granlund-Montgomery bound for the others.
        let ds = (2u64..=300).chain([441, 1681, 6561, 9801, 14641, 65025, 1 << 20, 3_000_001]);
        for d in ds {
            let mg = Magic::new(d).expect("a multiplier exists");
            for s in 0..=255 * d {
                assert_eq!(
                    u64::from(mg.quotient(s as u32)),
                    (s + d / 2) / d,
                    "{s} / {d}"
                );
            }
        }
        assert!((2u64..1 << 16).all(|d| Magic::new(d).is_some()));
        assert_eq!(Magic::new(1), None);
    }

    #[test]
    fn fused_row_sums_equal_direct() {
        let mut seed = 0x1234_5678_9abc_def1u64;
        for kw in [1usize, 3, 5, 21, 41] {
            for n in [1usize, 2, 7, 8, 9, 17, 40] {
                for tent in [false, true] {
                    let wy: u64 = if kw > 5 { 121 } else { 9 };
                    let d = if tent {
                        (kw.div_ceil(2) * kw.div_ceil(2)) as u64 * wy
                    } else {
                        kw as u64 * wy
                    };
                    let Some(mg) = Magic::new(d) else { continue };
                    let wy = d / if tent {
                        kw.div_ceil(2).pow(2) as u64
                    } else {
                        kw as u64
                    };
                    let v: Vec<u16> = (0..(n + kw + 1) * 4)
                        .map(|_| {
                            seed ^= seed << 13;
                            seed ^= seed >> 7;
                            seed ^= seed << 17;
                            (seed % (255 * wy + 1)) as u16
                        })
                        .collect();
                    let mut out = vec![0u8; n * 4];
                    let shapes = if tent {
                        vec![HSum::Tent, HSum::TentSmall]
                    } else {
                        vec![HSum::Box]
                    };
                    for shape in shapes {
                        if shape == HSum::TentSmall && 255 * wy >= 1 << 15 {
                            continue;
                        }
                        let mut g = Vec::new();
                        if !hsum4_div(&mut out, &v, kw, shape, mg, &mut g, &[&[0u8; 100]]) {
                            return;
                        }
                        for (e, o) in out.iter().enumerate() {
                            let (x, c) = (e / 4, e % 4);
                            let sum: u64 = (0..kw)
                                .map(|j| {
                                    let w = if tent { (j + 1).min(kw - j) as u64 } else { 1 };
                                    w * u64::from(v[(x + j) * 4 + c])
                                })
                                .sum();
                            assert_eq!(u64::from(*o), (sum + d / 2) / d, "{kw} {n} {shape:?} {e}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn running_sums_equal_direct_sums() {
        let v: Vec<u32> = (0..200u32).map(|i| (i * 7919) % 1000).collect();
        for kw in [1usize, 3, 5, 21, 41] {
            let n = (v.len() / 4 - kw + 1) * 4;
            let mut b = vec![0u32; n];
            let mut t = vec![0u32; n];
            hbox::<u32, 4>(&mut b, &v, kw);
            htent::<u32, 4>(&mut t, &v, kw);
            for e in 0..n {
                let (x, c) = (e / 4, e % 4);
                let direct_b: u32 = (0..kw).map(|j| v[(x + j) * 4 + c]).sum();
                let direct_t: u32 = (0..kw)
                    .map(|j| (j as u32 + 1).min((kw - j) as u32) * v[(x + j) * 4 + c])
                    .sum();
                assert_eq!(b[e], direct_b, "box {kw} at {e}");
                assert_eq!(t[e], direct_t, "tent {kw} at {e}");
            }
        }
    }
}
