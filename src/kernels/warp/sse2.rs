//! SSE2 (every x86-64 CPU): the 16x16 byte transpose of Planar8 quarter turns.

use std::arch::x86_64::*;

use super::{Rows, RowsMut};

/// `dst[l]` byte `i` = `src[i]` byte `l`, 16 rows of 16 bytes each way.
///
/// Four rounds of `out[2j + h] = unpack{lo,hi}_epi8(in[j], in[j + 8])`: each round rotates the
/// 8-bit (vector, byte) index left by one bit, so four rounds swap vector and byte index.
///
/// # Safety
/// `src` has 16 readable and `dst` 16 writable rows of 16 bytes, not overlapping.
pub(super) unsafe fn transpose16x16_8(src: Rows, dst: RowsMut) {
    // SAFETY: SSE2 is part of x86-64; every load and store touches 16 bytes of a row the
    // contract describes (unaligned access).
    unsafe {
        let mut v: [__m128i; 16] =
            std::array::from_fn(|i| _mm_loadu_si128(src.ptr.offset(i as isize * src.step).cast()));
        for _ in 0..4 {
            let mut o = [_mm_setzero_si128(); 16];
            for j in 0..8 {
                o[2 * j] = _mm_unpacklo_epi8(v[j], v[j + 8]);
                o[2 * j + 1] = _mm_unpackhi_epi8(v[j], v[j + 8]);
            }
            v = o;
        }
        for (l, x) in v.into_iter().enumerate() {
            _mm_storeu_si128(dst.ptr.offset(l as isize * dst.step).cast(), x);
        }
    }
}
