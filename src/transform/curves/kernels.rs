//! Row kernels of the curves: table gathers and float maps. Portable loops over
//! `chunks_exact` that LLVM vectorizes where it can (the float maps call the curve per sample;
//! the gathers copy fixed-size table entries).

/// A native-endian f32 from 4 bytes (elements are not aligned).
#[inline(always)]
pub fn read_f32(b: &[u8]) -> f32 {
    f32::from_ne_bytes([b[0], b[1], b[2], b[3]])
}

/// `dst[i] = f(src[i])` over rows of f32 samples.
#[inline(always)]
pub fn map_f32(src: &[u8], dst: &mut [u8], f: impl Fn(f32) -> f32) {
    for (o, x) in dst.chunks_exact_mut(4).zip(src.chunks_exact(4)) {
        o.copy_from_slice(&f(read_f32(x)).to_ne_bytes());
    }
}

/// Each source byte `v` becomes the `N` bytes `table[v]`.
#[inline]
pub fn table8<const N: usize>(table: &[[u8; N]; 256], src: &[u8], dst: &mut [u8]) {
    if N == 1 {
        for (o, &v) in dst.iter_mut().zip(src) {
            *o = table[v as usize][0];
        }
        return;
    }
    for (o, &v) in dst.chunks_exact_mut(N).zip(src) {
        o.copy_from_slice(&table[v as usize]);
    }
}
