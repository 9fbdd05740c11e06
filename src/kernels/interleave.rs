//! Row kernels of the interleave family: planes <-> interleaved pixels, a colour triple plus
//! an alpha plane (optionally premultiplied) -> four channels, and the generic strided
//! ("chunky") forms.
//!
//! The channel drops and constant-alpha inserts of this family are byte gathers and run
//! through [`super::Kernel::byte_map`]; what is here has no equivalent in the converter's
//! kernel layer. Every kernel is a safe loop over `chunks_exact` that LLVM vectorizes; the
//! hot ones are compiled a second time for AVX2 (the same generic body, `#[inline(always)]`,
//! called from a `#[target_feature(enable = "avx2")]` function) and pick the version per
//! row from the detected instruction-set level. Samples are read and written byte-wise
//! (`from_ne_bytes` / `to_ne_bytes`), so no alignment is assumed.

use super::Level;

/// A sample type of the family: 8-bit, 16-bit unsigned, or binary32, in host byte order.
pub trait Sample: Copy {
    /// Bytes per sample.
    const SIZE: usize;
    fn load(b: &[u8]) -> Self;
    fn store(self, b: &mut [u8]);
    /// The premultiplication vImage documents for the type: `(a·c + 127) / 255`,
    /// `(a·c + 32767) / 65535`, `c·a`.
    fn premultiply(c: Self, a: Self) -> Self;
}

impl Sample for u8 {
    const SIZE: usize = 1;
    #[inline(always)]
    fn load(b: &[u8]) -> u8 {
        b[0]
    }
    #[inline(always)]
    fn store(self, b: &mut [u8]) {
        b[0] = self;
    }
    #[inline(always)]
    fn premultiply(c: u8, a: u8) -> u8 {
        ((u32::from(c) * u32::from(a) + 127) / 255) as u8
    }
}

impl Sample for u16 {
    const SIZE: usize = 2;
    #[inline(always)]
    fn load(b: &[u8]) -> u16 {
        u16::from_ne_bytes([b[0], b[1]])
    }
    #[inline(always)]
    fn store(self, b: &mut [u8]) {
        b[..2].copy_from_slice(&self.to_ne_bytes());
    }
    #[inline(always)]
    fn premultiply(c: u16, a: u16) -> u16 {
        // 65535² + 32767 < 2³²: no overflow.
        ((u32::from(c) * u32::from(a) + 32767) / 65535) as u16
    }
}

impl Sample for f32 {
    const SIZE: usize = 4;
    #[inline(always)]
    fn load(b: &[u8]) -> f32 {
        f32::from_ne_bytes([b[0], b[1], b[2], b[3]])
    }
    #[inline(always)]
    fn store(self, b: &mut [u8]) {
        b[..4].copy_from_slice(&self.to_ne_bytes());
    }
    #[inline(always)]
    fn premultiply(c: f32, a: f32) -> f32 {
        c * a
    }
}

/// True when the AVX2 versions may run.
#[inline]
fn avx2() -> bool {
    Level::detect() >= Level::Avx2
}

/// Defines `$name`, a safe dispatcher over the generic `#[inline(always)]` `$body`: the AVX2
/// compilation of the body when the CPU has it, the baseline one otherwise.
macro_rules! multiversion {
    (
        $(#[$doc:meta])*
        pub fn $name:ident < $($g:ident : $bound:path),* ; $(const $c:ident : $ct:ty),* >
            ( $($arg:ident : $ty:ty),* ) => $body:ident, $avx:ident
    ) => {
        #[cfg(target_arch = "x86_64")]
        #[target_feature(enable = "avx2")]
        fn $avx<$($g: $bound,)* $(const $c: $ct,)*>($($arg: $ty),*) {
            $body::<$($g,)* $($c,)*>($($arg),*)
        }

        $(#[$doc])*
        pub fn $name<$($g: $bound,)* $(const $c: $ct,)*>($($arg: $ty),*) {
            #[cfg(target_arch = "x86_64")]
            if avx2() {
                // SAFETY: the CPU supports AVX2 (runtime detection just above).
                return unsafe { $avx::<$($g,)* $($c,)*>($($arg),*) };
            }
            $body::<$($g,)* $($c,)*>($($arg),*)
        }
    };
}

// ---- planes -> interleaved ------------------------------------------------------------------

#[inline(always)]
fn interleave3_body<const E: usize>(s: &[&[u8]; 3], dst: &mut [u8], width: usize) {
    let rows = dst
        .chunks_exact_mut(3 * E)
        .zip(s[0].chunks_exact(E))
        .zip(s[1].chunks_exact(E))
        .zip(s[2].chunks_exact(E))
        .take(width);
    for (((d, a), b), c) in rows {
        d[..E].copy_from_slice(a);
        d[E..2 * E].copy_from_slice(b);
        d[2 * E..3 * E].copy_from_slice(c);
    }
}

#[inline(always)]
fn interleave4_body<const E: usize>(s: &[&[u8]; 4], dst: &mut [u8], width: usize) {
    let rows = dst
        .chunks_exact_mut(4 * E)
        .zip(s[0].chunks_exact(E))
        .zip(s[1].chunks_exact(E))
        .zip(s[2].chunks_exact(E))
        .zip(s[3].chunks_exact(E))
        .take(width);
    for ((((d, a), b), c), e) in rows {
        d[..E].copy_from_slice(a);
        d[E..2 * E].copy_from_slice(b);
        d[2 * E..3 * E].copy_from_slice(c);
        d[3 * E..4 * E].copy_from_slice(e);
    }
}

multiversion! {
    /// Interleaves three planes of `E`-byte samples: pixel `x` of `dst` is
    /// `(s[0][x], s[1][x], s[2][x])`.
    pub fn interleave3<; const E: usize>(s: &[&[u8]; 3], dst: &mut [u8], width: usize)
        => interleave3_body, interleave3_avx2
}

multiversion! {
    /// Interleaves four planes of `E`-byte samples: pixel `x` of `dst` is
    /// `(s[0][x], s[1][x], s[2][x], s[3][x])`.
    pub fn interleave4<; const E: usize>(s: &[&[u8]; 4], dst: &mut [u8], width: usize)
        => interleave4_body, interleave4_avx2
}

// ---- interleaved -> planes ------------------------------------------------------------------

#[inline(always)]
fn deinterleave3_body<const E: usize, const N: usize, const OFF: usize>(
    src: &[u8],
    d: &mut [&mut [u8]; 3],
    width: usize,
) {
    let [d0, d1, d2] = d;
    let rows = src
        .chunks_exact(N * E)
        .zip(d0.chunks_exact_mut(E))
        .zip(d1.chunks_exact_mut(E))
        .zip(d2.chunks_exact_mut(E))
        .take(width);
    for (((s, a), b), c) in rows {
        a.copy_from_slice(&s[OFF * E..(OFF + 1) * E]);
        b.copy_from_slice(&s[(OFF + 1) * E..(OFF + 2) * E]);
        c.copy_from_slice(&s[(OFF + 2) * E..(OFF + 3) * E]);
    }
}

#[inline(always)]
fn deinterleave4_body<const E: usize>(src: &[u8], d: &mut [&mut [u8]; 4], width: usize) {
    let [d0, d1, d2, d3] = d;
    let rows = src
        .chunks_exact(4 * E)
        .zip(d0.chunks_exact_mut(E))
        .zip(d1.chunks_exact_mut(E))
        .zip(d2.chunks_exact_mut(E))
        .zip(d3.chunks_exact_mut(E))
        .take(width);
    for ((((s, a), b), c), e) in rows {
        a.copy_from_slice(&s[..E]);
        b.copy_from_slice(&s[E..2 * E]);
        c.copy_from_slice(&s[2 * E..3 * E]);
        e.copy_from_slice(&s[3 * E..4 * E]);
    }
}

multiversion! {
    /// Splits pixels of `N` channels of `E`-byte samples into three planes: plane `j` gets
    /// channel `OFF + j` (`N = 3, OFF = 0`: RGB; `N = 4, OFF = 1 / 0`: XRGB / BGRX).
    pub fn deinterleave3<; const E: usize, const N: usize, const OFF: usize>(
        src: &[u8], d: &mut [&mut [u8]; 3], width: usize
    ) => deinterleave3_body, deinterleave3_avx2
}

multiversion! {
    /// Splits four-channel pixels of `E`-byte samples into four planes, channel `j` to plane `j`.
    pub fn deinterleave4_loop<; const E: usize>(src: &[u8], d: &mut [&mut [u8]; 4], width: usize)
        => deinterleave4_body, deinterleave4_avx2
}

/// Splits four-channel pixels of `E`-byte samples into four planes, channel `j` to plane `j`
/// (by a SIMD 4x4 transpose of 32-bit groups where the CPU has SSSE3 / AVX2, the loop
/// otherwise and for the row's tail).
pub fn deinterleave4<const E: usize>(src: &[u8], d: &mut [&mut [u8]; 4], width: usize) {
    let mut done = 0;
    #[cfg(target_arch = "x86_64")]
    if matches!(E, 1 | 2 | 4) {
        done = x86::split4::<E>(src, d, width);
    }
    if done < width {
        let [a, b, c, e] = d;
        let mut rest: [&mut [u8]; 4] = [
            &mut a[done * E..],
            &mut b[done * E..],
            &mut c[done * E..],
            &mut e[done * E..],
        ];
        deinterleave4_loop::<E>(&src[done * 4 * E..], &mut rest, width - done);
    }
}

/// SSSE3 / AVX2 versions of the 8-bit transposes: exact byte moves, so nothing to round.
#[cfg(target_arch = "x86_64")]
mod x86 {
    use std::arch::x86_64::*;

    use super::super::Level;

    /// Groups the samples of a 16-byte lane by channel, `E`-byte samples: each 32-bit group
    /// of the result is one channel of the lane's `4 / E` pixels.
    const fn group(e: usize) -> [u8; 16] {
        match e {
            1 => [0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15],
            2 => [0, 1, 8, 9, 2, 3, 10, 11, 4, 5, 12, 13, 6, 7, 14, 15],
            _ => [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
        }
    }

    /// How many pixels of `src` it split into the four planes (a multiple of 16 / E or
    /// 32 / E); `E` is 1, 2 or 4.
    pub(super) fn split4<const E: usize>(
        src: &[u8],
        d: &mut [&mut [u8]; 4],
        width: usize,
    ) -> usize {
        match Level::detect() {
            // SAFETY: Level::Avx2 is only detected when the CPU has AVX2.
            Level::Avx2 => unsafe { split4_avx2::<E>(src, d, width) },
            // SAFETY: Ssse3 and above are only detected when the CPU has SSSE3.
            Level::Ssse3 | Level::Sse41 => unsafe { split4_ssse3::<E>(src, d, width) },
            Level::Scalar => 0,
        }
    }

    #[target_feature(enable = "ssse3")]
    fn split4_ssse3<const E: usize>(src: &[u8], d: &mut [&mut [u8]; 4], width: usize) -> usize {
        let n = width / (16 / E) * (16 / E) * E; // bytes per plane
        let src = &src[..n * 4];
        let [p0, p1, p2, p3] = d;
        let (p0, p1, p2, p3) = (&mut p0[..n], &mut p1[..n], &mut p2[..n], &mut p3[..n]);
        // SAFETY: the control is 16 readable bytes.
        let group = unsafe { _mm_loadu_si128(group(E).as_ptr().cast()) };
        for (i, s) in src.chunks_exact(64).enumerate() {
            // SAFETY: s is 64 readable bytes; each plane holds n >= 16 * (i + 1) bytes, so
            // the four 16-byte stores at 16 * i are in bounds (unaligned loads and stores).
            unsafe {
                let v0 = _mm_shuffle_epi8(_mm_loadu_si128(s.as_ptr().cast()), group);
                let v1 = _mm_shuffle_epi8(_mm_loadu_si128(s.as_ptr().add(16).cast()), group);
                let v2 = _mm_shuffle_epi8(_mm_loadu_si128(s.as_ptr().add(32).cast()), group);
                let v3 = _mm_shuffle_epi8(_mm_loadu_si128(s.as_ptr().add(48).cast()), group);
                let t0 = _mm_unpacklo_epi32(v0, v1); // c0 px 0-7, c1 px 0-7
                let t1 = _mm_unpackhi_epi32(v0, v1); // c2, c3
                let t2 = _mm_unpacklo_epi32(v2, v3); // c0, c1 px 8-15
                let t3 = _mm_unpackhi_epi32(v2, v3);
                let o = 16 * i;
                _mm_storeu_si128(p0.as_mut_ptr().add(o).cast(), _mm_unpacklo_epi64(t0, t2));
                _mm_storeu_si128(p1.as_mut_ptr().add(o).cast(), _mm_unpackhi_epi64(t0, t2));
                _mm_storeu_si128(p2.as_mut_ptr().add(o).cast(), _mm_unpacklo_epi64(t1, t3));
                _mm_storeu_si128(p3.as_mut_ptr().add(o).cast(), _mm_unpackhi_epi64(t1, t3));
            }
        }
        n / E
    }

    #[target_feature(enable = "avx2")]
    fn split4_avx2<const E: usize>(src: &[u8], d: &mut [&mut [u8]; 4], width: usize) -> usize {
        let n = width / (32 / E) * (32 / E) * E; // bytes per plane
        let src = &src[..n * 4];
        let [p0, p1, p2, p3] = d;
        let (p0, p1, p2, p3) = (&mut p0[..n], &mut p1[..n], &mut p2[..n], &mut p3[..n]);
        // SAFETY: the control is 16 readable bytes.
        let group =
            unsafe { _mm256_broadcastsi128_si256(_mm_loadu_si128(group(E).as_ptr().cast())) };
        // After the 32- and 64-bit unpacks a plane's dwords come in the order 0 2 4 6 1 3 5 7.
        let order = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
        for (i, s) in src.chunks_exact(128).enumerate() {
            // SAFETY: s is 128 readable bytes; each plane holds n >= 32 * (i + 1) bytes, so
            // the four 32-byte stores at 32 * i are in bounds (unaligned loads and stores).
            unsafe {
                let v0 = _mm256_shuffle_epi8(_mm256_loadu_si256(s.as_ptr().cast()), group);
                let v1 = _mm256_shuffle_epi8(_mm256_loadu_si256(s.as_ptr().add(32).cast()), group);
                let v2 = _mm256_shuffle_epi8(_mm256_loadu_si256(s.as_ptr().add(64).cast()), group);
                let v3 = _mm256_shuffle_epi8(_mm256_loadu_si256(s.as_ptr().add(96).cast()), group);
                let t0 = _mm256_unpacklo_epi32(v0, v1);
                let t1 = _mm256_unpackhi_epi32(v0, v1);
                let t2 = _mm256_unpacklo_epi32(v2, v3);
                let t3 = _mm256_unpackhi_epi32(v2, v3);
                let o = 32 * i;
                let c0 = _mm256_permutevar8x32_epi32(_mm256_unpacklo_epi64(t0, t2), order);
                let c1 = _mm256_permutevar8x32_epi32(_mm256_unpackhi_epi64(t0, t2), order);
                let c2 = _mm256_permutevar8x32_epi32(_mm256_unpacklo_epi64(t1, t3), order);
                let c3 = _mm256_permutevar8x32_epi32(_mm256_unpackhi_epi64(t1, t3), order);
                _mm256_storeu_si256(p0.as_mut_ptr().add(o).cast(), c0);
                _mm256_storeu_si256(p1.as_mut_ptr().add(o).cast(), c1);
                _mm256_storeu_si256(p2.as_mut_ptr().add(o).cast(), c2);
                _mm256_storeu_si256(p3.as_mut_ptr().add(o).cast(), c3);
            }
        }
        n / E
    }
}

// ---- colour triple + alpha plane -> four channels --------------------------------------------

/// Where the three colours and alpha go in a four-channel pixel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Order {
    /// (a, c0, c1, c2)
    Argb,
    /// (c0, c1, c2, a)
    Rgba,
    /// (c2, c1, c0, a)
    Bgra,
}

impl Order {
    /// Output channel `j` takes input `map[j]`: 0..=2 a colour of the triple, 3 alpha.
    pub const fn map(self) -> [usize; 4] {
        match self {
            Order::Argb => [3, 0, 1, 2],
            Order::Rgba => [0, 1, 2, 3],
            Order::Bgra => [2, 1, 0, 3],
        }
    }

    /// The alpha channel's index in the four-channel pixel.
    pub const fn alpha_index(self) -> usize {
        match self {
            Order::Argb => 0,
            Order::Rgba | Order::Bgra => 3,
        }
    }

    const fn code(self) -> u8 {
        self as u8
    }
}

const fn order_map(code: u8) -> [usize; 4] {
    match code {
        0 => Order::Argb.map(),
        1 => Order::Rgba.map(),
        _ => Order::Bgra.map(),
    }
}

#[inline(always)]
fn rgb_alpha_body<T: Sample, const ORDER: u8, const PREMULTIPLY: bool>(
    rgb: &[u8],
    alpha: &[u8],
    dst: &mut [u8],
    width: usize,
) {
    let map = order_map(ORDER);
    let rows = dst
        .chunks_exact_mut(4 * T::SIZE)
        .zip(rgb.chunks_exact(3 * T::SIZE))
        .zip(alpha.chunks_exact(T::SIZE))
        .take(width);
    for ((d, s), a) in rows {
        let a = T::load(a);
        let mut px = [
            T::load(&s[..T::SIZE]),
            T::load(&s[T::SIZE..2 * T::SIZE]),
            T::load(&s[2 * T::SIZE..]),
            a,
        ];
        if PREMULTIPLY {
            for c in &mut px[..3] {
                *c = T::premultiply(*c, a);
            }
        }
        for (j, out) in d.chunks_exact_mut(T::SIZE).enumerate() {
            px[map[j]].store(out);
        }
    }
}

multiversion! {
    /// Three colour samples and an alpha sample per pixel -> a four-channel pixel in the
    /// order `ORDER` (an [`Order`] code), colours premultiplied by alpha if `PREMULTIPLY`.
    pub fn rgb_alpha_generic<T: Sample; const ORDER: u8, const PREMULTIPLY: bool>(
        rgb: &[u8], alpha: &[u8], dst: &mut [u8], width: usize
    ) => rgb_alpha_body, rgb_alpha_avx2
}

/// A row function of [`rgb_alpha_generic`]: `(rgb, alpha, dst, width)`.
pub type RgbAlphaFn = fn(&[u8], &[u8], &mut [u8], usize);

/// [`rgb_alpha_generic`] for a run-time order and premultiply choice.
pub fn rgb_alpha<T: Sample>(order: Order, premultiply: bool) -> RgbAlphaFn {
    const A: u8 = Order::Argb.code();
    const R: u8 = Order::Rgba.code();
    const B: u8 = Order::Bgra.code();
    match (order, premultiply) {
        (Order::Argb, false) => rgb_alpha_generic::<T, A, false>,
        (Order::Argb, true) => rgb_alpha_generic::<T, A, true>,
        (Order::Rgba, false) => rgb_alpha_generic::<T, R, false>,
        (Order::Rgba, true) => rgb_alpha_generic::<T, R, true>,
        (Order::Bgra, false) => rgb_alpha_generic::<T, B, false>,
        (Order::Bgra, true) => rgb_alpha_generic::<T, B, true>,
    }
}

// ---- generic strided ("chunky") forms --------------------------------------------------------

/// One channel of a strided row -> a plane row: `plane[x] = row[offset + x·stride ..][..elem]`.
pub fn strided_to_plane(
    row: &[u8],
    offset: usize,
    stride: usize,
    elem: usize,
    plane: &mut [u8],
    width: usize,
) {
    for (x, out) in plane.chunks_exact_mut(elem).take(width).enumerate() {
        let at = offset + x * stride;
        out.copy_from_slice(&row[at..at + elem]);
    }
}

/// A plane row -> one channel of a strided row: `row[offset + x·stride ..][..elem] = plane[x]`.
/// Bytes of the row that belong to no pixel of this channel are left alone.
pub fn plane_to_strided(
    plane: &[u8],
    row: &mut [u8],
    offset: usize,
    stride: usize,
    elem: usize,
    width: usize,
) {
    for (x, v) in plane.chunks_exact(elem).take(width).enumerate() {
        let at = offset + x * stride;
        row[at..at + elem].copy_from_slice(v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interleave_round_trips() {
        let a: Vec<u8> = (0..20).collect();
        let b: Vec<u8> = (100..120).collect();
        let c: Vec<u8> = (200..220).collect();
        let mut d = vec![0u8; 60];
        interleave3::<2>(&[&a, &b, &c], &mut d, 10);
        assert_eq!(&d[..8], &[0, 1, 100, 101, 200, 201, 2, 3]);
        let (mut x, mut y, mut z) = (vec![0u8; 20], vec![0u8; 20], vec![0u8; 20]);
        deinterleave3::<2, 3, 0>(&d, &mut [&mut x, &mut y, &mut z], 10);
        assert_eq!((x, y, z), (a, b, c));
    }

    #[test]
    fn premultiply_orders() {
        let rgb = [10u8, 20, 255];
        let mut d = [0u8; 4];
        rgb_alpha::<u8>(Order::Argb, true)(&rgb, &[128], &mut d, 1);
        assert_eq!(d, [128, 5, 10, 128]);
        rgb_alpha::<u8>(Order::Bgra, false)(&rgb, &[7], &mut d, 1);
        assert_eq!(d, [255, 20, 10, 7]);
    }

    fn split_equals_the_loop<const E: usize>() {
        let src: Vec<u8> = (0..4 * E * 200).map(|i| (i * 37 % 251) as u8).collect();
        for width in 0..200 {
            let mut want = [
                vec![0u8; width * E],
                vec![0u8; width * E],
                vec![0u8; width * E],
                vec![0u8; width * E],
            ];
            let mut got = want.clone();
            {
                let [a, b, c, d] = &mut want;
                deinterleave4_loop::<E>(&src, &mut [a, b, c, d], width);
            }
            {
                let [a, b, c, d] = &mut got;
                deinterleave4::<E>(&src, &mut [a, b, c, d], width);
            }
            assert_eq!(got, want, "E {E} width {width}");
        }
    }

    #[test]
    fn simd_split_equals_the_loop_at_every_width() {
        split_equals_the_loop::<1>();
        split_equals_the_loop::<2>();
        split_equals_the_loop::<4>();
    }
}
