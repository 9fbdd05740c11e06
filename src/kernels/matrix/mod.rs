//! Row kernels for `vImageMatrixMultiply_*`: pixels as row vectors times a matrix whose row `i`
//! belongs to source channel `i` and column `j` to destination channel `j`.
//!
//! Integer forms fold the pre-bias into the post-bias (`bias[j] = post[j] + sum_i pre[i] *
//! m[i][j]`, as Apple does "behind the scenes"); with wrapping 32-bit arithmetic this is the
//! documented `sum_i (p[i] + pre[i]) * m[i][j] + post[j]` exactly, modulo 2^32 like Apple's
//! 32-bit accumulators. Then C truncating division and the clamp.
//!
//! Float forms evaluate `((q0 * m[0][j] + q1 * m[1][j]) + q2 * m[2][j]) + q3 * m[3][j]`, then
//! `+ post[j]`, with `q = p + pre` (no addition when the pre-bias is NULL, none of the post-bias
//! when it is NULL), separate multiplies and adds (no FMA): bit-exact against the same order
//! in any IEEE arithmetic.
//!
//! `mod.rs` holds the portable code; `avx2.rs` the AVX2 versions (`pmaddwd` on 16-bit lanes for
//! ARGB8888, the portable float bodies compiled with AVX2).

#[cfg(target_arch = "x86_64")]
mod avx2;

use crate::kernels::Level;

/// C truncating division by a non-zero divisor (0 is replaced by 1), with a shift for
/// positive powers of two.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Divisor {
    d: i32,
    shift: Option<u32>,
}

impl Divisor {
    pub fn new(d: i32) -> Divisor {
        let d = if d == 0 { 1 } else { d };
        Divisor {
            d,
            shift: (d > 0 && d.count_ones() == 1).then(|| d.trailing_zeros()),
        }
    }

    pub fn value(self) -> i32 {
        self.d
    }

    #[inline(always)]
    pub fn apply(self, x: i32) -> i32 {
        match self.shift {
            // Round toward zero: add d - 1 to negative values before the arithmetic shift.
            Some(s) => (x + ((x >> 31) & ((1i32 << s) - 1))) >> s,
            None => x.wrapping_div(self.d),
        }
    }
}

/// The integer 4x4 kernel of `vImageMatrixMultiply_ARGB8888`.
#[derive(Clone, Copy, Debug)]
pub struct Int4 {
    /// `m[i][j]`: source channel i, destination channel j.
    pub m: [[i16; 4]; 4],
    /// Post-bias with the pre-bias folded in.
    pub bias: [i32; 4],
    pub div: Divisor,
}

impl Int4 {
    pub fn new(matrix: &[i16; 16], divisor: i32, pre: [i16; 4], post: Option<[i32; 4]>) -> Int4 {
        let div = Divisor::new(divisor);
        let m: [[i16; 4]; 4] = std::array::from_fn(|i| std::array::from_fn(|j| matrix[i * 4 + j]));
        let post = post.unwrap_or([div.value() / 2; 4]);
        let bias = std::array::from_fn(|j| {
            (0..4).fold(post[j], |b, i| {
                b.wrapping_add((pre[i] as i32).wrapping_mul(m[i][j] as i32))
            })
        });
        Int4 { m, bias, div }
    }
}

#[inline(always)]
fn clamp8(v: i32) -> u8 {
    v.clamp(0, 255) as u8
}

fn argb8888_native(k: &Int4, src: &[u8], dst: &mut [u8]) {
    for (s, d) in src.chunks_exact(4).zip(dst.chunks_exact_mut(4)) {
        for (j, o) in d.iter_mut().enumerate() {
            let mut acc = k.bias[j];
            for (i, &p) in s.iter().enumerate() {
                acc = acc.wrapping_add(p as i32 * k.m[i][j] as i32);
            }
            *o = clamp8(k.div.apply(acc));
        }
    }
}

/// `width` ARGB8888 pixels of `src` through `k` into `dst`.
pub fn argb8888(k: &Int4, src: &[u8], dst: &mut [u8], width: usize) {
    let mut done = 0;
    #[cfg(target_arch = "x86_64")]
    if Level::detect() >= Level::Avx2 {
        // SAFETY: the CPU has AVX2 (checked at run time); the kernel stays inside the slices.
        done = unsafe { avx2::argb8888(k, &src[..4 * width], &mut dst[..4 * width]) };
    }
    argb8888_native(k, &src[4 * done..4 * width], &mut dst[4 * done..4 * width]);
}

/// The integer 4x1 kernel of `vImageMatrixMultiply_ARGB8888ToPlanar8`.
#[derive(Clone, Copy, Debug)]
pub struct Int1 {
    pub m: [i32; 4],
    pub bias: i32,
    pub div: Divisor,
}

impl Int1 {
    pub fn new(matrix: [i16; 4], divisor: i32, pre: [i16; 4], post: i32) -> Int1 {
        let m = matrix.map(i32::from);
        let bias = (0..4).fold(post, |b, i| {
            b.wrapping_add((pre[i] as i32).wrapping_mul(m[i]))
        });
        Int1 {
            m,
            bias,
            div: Divisor::new(divisor),
        }
    }
}

#[inline(always)]
fn to_planar8_body(k: &Int1, src: &[u8], dst: &mut [u8]) {
    for (s, d) in src.chunks_exact(4).zip(dst.iter_mut()) {
        let acc = k
            .bias
            .wrapping_add(s[0] as i32 * k.m[0])
            .wrapping_add(s[1] as i32 * k.m[1])
            .wrapping_add(s[2] as i32 * k.m[2])
            .wrapping_add(s[3] as i32 * k.m[3]);
        *d = clamp8(k.div.apply(acc));
    }
}

/// `width` ARGB8888 pixels into `width` Planar8 samples.
pub fn argb8888_to_planar8(k: &Int1, src: &[u8], dst: &mut [u8], width: usize) {
    let (src, dst) = (&src[..4 * width], &mut dst[..width]);
    #[cfg(target_arch = "x86_64")]
    if Level::detect() >= Level::Avx2 {
        // SAFETY: the CPU has AVX2 (checked at run time).
        return unsafe { avx2::to_planar8(k, src, dst) };
    }
    to_planar8_body(k, src, dst)
}

/// The float 4x4 kernel of `vImageMatrixMultiply_ARGBFFFF`.
#[derive(Clone, Copy, Debug)]
pub struct F4 {
    pub m: [[f32; 4]; 4],
    pub pre: Option<[f32; 4]>,
    pub post: Option<[f32; 4]>,
}

#[inline(always)]
fn f32_at(b: &[u8]) -> f32 {
    f32::from_ne_bytes([b[0], b[1], b[2], b[3]])
}

#[inline(always)]
fn argbffff_body(k: &F4, src: &[u8], dst: &mut [u8]) {
    for (s, d) in src.chunks_exact(16).zip(dst.chunks_exact_mut(16)) {
        let mut q: [f32; 4] = std::array::from_fn(|i| f32_at(&s[4 * i..]));
        if let Some(pre) = k.pre {
            q = std::array::from_fn(|i| q[i] + pre[i]);
        }
        let mut o: [f32; 4] = std::array::from_fn(|j| q[0] * k.m[0][j]);
        for (qi, row) in q.iter().zip(&k.m).skip(1) {
            o = std::array::from_fn(|j| o[j] + qi * row[j]);
        }
        if let Some(post) = k.post {
            o = std::array::from_fn(|j| o[j] + post[j]);
        }
        for j in 0..4 {
            d[4 * j..4 * j + 4].copy_from_slice(&o[j].to_ne_bytes());
        }
    }
}

/// `width` ARGBFFFF pixels through `k`.
pub fn argbffff(k: &F4, src: &[u8], dst: &mut [u8], width: usize) {
    let (src, dst) = (&src[..16 * width], &mut dst[..16 * width]);
    #[cfg(target_arch = "x86_64")]
    if Level::detect() >= Level::Avx2 {
        // SAFETY: the CPU has AVX2 (checked at run time).
        return unsafe { avx2::argbffff(k, src, dst) };
    }
    argbffff_body(k, src, dst)
}

/// The float 4x1 kernel of `vImageMatrixMultiply_ARGBFFFFToPlanarF`.
#[derive(Clone, Copy, Debug)]
pub struct F1 {
    pub m: [f32; 4],
    pub pre: Option<[f32; 4]>,
    pub post: f32,
}

#[inline(always)]
fn to_planarf_body(k: &F1, src: &[u8], dst: &mut [u8]) {
    for (s, d) in src.chunks_exact(16).zip(dst.chunks_exact_mut(4)) {
        let mut q: [f32; 4] = std::array::from_fn(|i| f32_at(&s[4 * i..]));
        if let Some(pre) = k.pre {
            q = std::array::from_fn(|i| q[i] + pre[i]);
        }
        let o = q[0] * k.m[0] + q[1] * k.m[1] + q[2] * k.m[2] + q[3] * k.m[3] + k.post;
        d.copy_from_slice(&o.to_ne_bytes());
    }
}

/// `width` ARGBFFFF pixels into `width` PlanarF samples.
pub fn argbffff_to_planarf(k: &F1, src: &[u8], dst: &mut [u8], width: usize) {
    let (src, dst) = (&src[..16 * width], &mut dst[..4 * width]);
    #[cfg(target_arch = "x86_64")]
    if Level::detect() >= Level::Avx2 {
        // SAFETY: the CPU has AVX2 (checked at run time).
        return unsafe { avx2::to_planarf(k, src, dst) };
    }
    to_planarf_body(k, src, dst)
}

// ---- planar forms: one accumulator row per destination plane ----------------------------------

/// The sample type of a planar matrix multiply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sample {
    U8,
    S16,
    F32,
}

#[inline(always)]
fn acc_u8_body(acc: &mut [i32], src: &[u8], m: i32) {
    acc.iter_mut()
        .zip(src)
        .for_each(|(a, s)| *a = a.wrapping_add(*s as i32 * m));
}

#[inline(always)]
fn acc_s16_body(acc: &mut [i32], src: &[u8], m: i32) {
    acc.iter_mut().zip(src.chunks_exact(2)).for_each(|(a, s)| {
        *a = a.wrapping_add((i16::from_ne_bytes([s[0], s[1]]) as i32).wrapping_mul(m))
    });
}

#[inline(always)]
fn finish_u8_body(acc: &[i32], div: Divisor, dst: &mut [u8]) {
    dst.iter_mut()
        .zip(acc)
        .for_each(|(d, a)| *d = clamp8(div.apply(*a)));
}

#[inline(always)]
fn finish_s16_body(acc: &[i32], div: Divisor, dst: &mut [u8]) {
    dst.chunks_exact_mut(2).zip(acc).for_each(|(d, a)| {
        d.copy_from_slice(&(div.apply(*a).clamp(-32768, 32767) as i16).to_ne_bytes())
    });
}

#[inline(always)]
fn accf_body(acc: &mut [f32], src: &[u8], pre: Option<f32>, m: f32, first: bool) {
    let it = acc.iter_mut().zip(src.chunks_exact(4));
    match (pre, first) {
        (None, true) => it.for_each(|(a, s)| *a = f32_at(s) * m),
        (None, false) => it.for_each(|(a, s)| *a += f32_at(s) * m),
        (Some(p), true) => it.for_each(|(a, s)| *a = (f32_at(s) + p) * m),
        (Some(p), false) => it.for_each(|(a, s)| *a += (f32_at(s) + p) * m),
    }
}

#[inline(always)]
fn finishf_body(acc: &[f32], post: Option<f32>, dst: &mut [u8]) {
    let it = dst.chunks_exact_mut(4).zip(acc);
    match post {
        Some(p) => it.for_each(|(d, a)| d.copy_from_slice(&(*a + p).to_ne_bytes())),
        None => it.for_each(|(d, a)| d.copy_from_slice(&a.to_ne_bytes())),
    }
}

#[inline]
fn avx2_ok() -> bool {
    cfg!(target_arch = "x86_64") && Level::detect() >= Level::Avx2
}

macro_rules! dispatch {
    ($name:ident, $body:ident, ($($a:ident: $t:ty),*)) => {
        pub fn $name($($a: $t),*) {
            #[cfg(target_arch = "x86_64")]
            if avx2_ok() {
                // SAFETY: the CPU has AVX2 (checked at run time).
                return unsafe { avx2::$name($($a),*) };
            }
            $body($($a),*)
        }
    };
}

dispatch!(acc_u8, acc_u8_body, (acc: &mut [i32], src: &[u8], m: i32));
dispatch!(acc_s16, acc_s16_body, (acc: &mut [i32], src: &[u8], m: i32));
dispatch!(finish_u8, finish_u8_body, (acc: &[i32], div: Divisor, dst: &mut [u8]));
dispatch!(finish_s16, finish_s16_body, (acc: &[i32], div: Divisor, dst: &mut [u8]));
dispatch!(accf, accf_body, (acc: &mut [f32], src: &[u8], pre: Option<f32>, m: f32, first: bool));
dispatch!(finishf, finishf_body, (acc: &[f32], post: Option<f32>, dst: &mut [u8]));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn divisor_truncates_like_c() {
        for d in [-7, -4, -1, 1, 2, 3, 4, 256, 1 << 30] {
            let dv = Divisor::new(d);
            for x in [
                -1000i32,
                -257,
                -256,
                -255,
                -1,
                0,
                1,
                255,
                256,
                257,
                99999,
                i32::MAX,
            ] {
                assert_eq!(dv.apply(x), x.wrapping_div(d), "{x} / {d}");
            }
        }
        assert_eq!(Divisor::new(0).apply(77), 77);
    }

    #[test]
    fn argb8888_simd_equals_native() {
        let mut s = 0x2545_f491u32;
        let mut r = move || {
            s ^= s << 13;
            s ^= s >> 17;
            s ^= s << 5;
            s
        };
        for _ in 0..200 {
            let m: [i16; 16] = std::array::from_fn(|_| r() as i16 >> (r() % 16));
            let pre: [i16; 4] = std::array::from_fn(|_| r() as i16 >> (r() % 16));
            let post = (r() % 2 == 0).then(|| std::array::from_fn(|_| r() as i32 >> (r() % 32)));
            let div = [1, 2, 256, 4096, 3, -256, 0][(r() % 7) as usize];
            let k = Int4::new(&m, div, pre, post);
            let w = (r() % 70) as usize;
            let src: Vec<u8> = (0..4 * w).map(|_| r() as u8).collect();
            let mut a = vec![0u8; 4 * w];
            let mut b = vec![1u8; 4 * w];
            argb8888(&k, &src, &mut a, w);
            argb8888_native(&k, &src, &mut b);
            assert_eq!(a, b);
        }
    }
}
