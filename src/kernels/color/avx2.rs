//! AVX2 + FMA version of the 8-bit colour kernel: eight pixels per step, table lookups by
//! gathers, the matrix in f32 FMAs, the alpha arithmetic in 32-bit lanes. Bit-identical to the
//! portable loop (the kernel tests compare them on every pixel).

use std::arch::x86_64::*;

use super::{ColorKernel8, ENC_PAD, ENC_SIZE};
use crate::convert::layout::Alpha;

/// Pixels done (a multiple of 8, leaving what the stores cannot cover to the portable loop).
pub(super) fn run(k: &ColorKernel8, src: &[u8], dst: &mut [u8], width: usize) -> usize {
    let (sb, db) = (k.src.bpp, k.dst.bpp);
    if !matches!(sb, 3 | 4) || !matches!(db, 1 | 3 | 4) || k.src.n != 3 {
        return 0;
    }
    // Reads: a 3-byte source is gathered as dwords (one byte past the last pixel); writes: a
    // 3-byte destination is stored as 16-byte halves (4 bytes past the 24 written).
    let mut n = width;
    if sb == 3 {
        n = n.saturating_sub(1);
    }
    if db == 3 {
        n = n.saturating_sub(2);
    }
    let n = n / 8 * 8;
    if n == 0 {
        return 0;
    }
    // SAFETY: `avx2_available` checked AVX2 and FMA before `avx2` was set.
    unsafe { run_avx2(k, src, dst, n) };
    n
}

#[target_feature(enable = "avx2,fma")]
fn run_avx2(k: &ColorKernel8, src: &[u8], dst: &mut [u8], n: usize) {
    let (s, d) = (&k.src, &k.dst);
    let ff = _mm256_set1_epi32(0xff);
    let zero = _mm256_setzero_ps();
    let one = _mm256_set1_ps(1.0);
    let scale = _mm256_set1_ps((ENC_SIZE - 1) as f32);
    let half = _mm256_set1_ps(0.5);
    let m: [[__m256; 3]; 3] = k.m.map(|row| row.map(|v| _mm256_set1_ps(v)));
    let has_cov = s.kind.has_coverage();
    let premul_src = s.kind == Alpha::Premultiplied;
    let src_off = _mm256_mullo_epi32(
        _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7),
        _mm256_set1_epi32(s.bpp as i32),
    );
    let bg = k.background.map(|b| _mm256_set1_epi32(i32::from(b)));
    let c255 = _mm256_set1_epi32(255);
    let c127 = _mm256_set1_epi32(127);
    let mut x = 0;
    while x < n {
        let sp = &src[x * s.bpp..];
        assert!(sp.len() >= 32.min(8 * s.bpp + 1));
        // SAFETY: 4-byte pixels: 32 bytes of 8 whole pixels; 3-byte: dwords at 3i, the last
        // ending one byte past pixel 8, which `run` left inside the slice (asserted).
        let px = unsafe {
            if s.bpp == 4 {
                _mm256_loadu_si256(sp.as_ptr().cast())
            } else {
                _mm256_i32gather_epi32::<1>(sp.as_ptr().cast(), src_off)
            }
        };
        let byte = |at: usize| {
            _mm256_and_si256(_mm256_srlv_epi32(px, _mm256_set1_epi32(8 * at as i32)), ff)
        };
        let a = match s.alpha {
            Some(at) if has_cov => byte(at),
            _ => c255,
        };
        let mut lin = [zero; 3];
        for (i, l) in lin.iter_mut().enumerate() {
            let mut c = byte(s.colour[i]);
            if premul_src {
                // (min(c, a) * 255 + a / 2) / a in f32 (exact: numerators < 2^16), 0 for a = 0.
                let num = _mm256_add_epi32(
                    _mm256_mullo_epi32(_mm256_min_epi32(c, a), c255),
                    _mm256_srli_epi32(a, 1),
                );
                let q = _mm256_div_ps(_mm256_cvtepi32_ps(num), _mm256_cvtepi32_ps(a));
                let q = _mm256_cvttps_epi32(_mm256_floor_ps(q));
                let nz = _mm256_cmpgt_epi32(a, _mm256_setzero_si256());
                c = _mm256_and_si256(q, nz);
            }
            // SAFETY: indices are bytes (0..=255), the table has 256 entries.
            *l = unsafe { _mm256_i32gather_ps::<4>(k.lin[i].as_ptr(), c) };
        }
        let mut out = _mm256_setzero_si256();
        for j in 0..d.n {
            let y = _mm256_fmadd_ps(
                m[j][2],
                lin[2],
                _mm256_fmadd_ps(m[j][1], lin[1], _mm256_mul_ps(m[j][0], lin[0])),
            );
            // max(y, 0) turns NaN into 0, as the portable clamp does.
            let y = _mm256_min_ps(_mm256_max_ps(y, zero), one);
            let idx = _mm256_cvttps_epi32(_mm256_fmadd_ps(_mm256_sqrt_ps(y), scale, half));
            let table = &k.enc[k.off[j]..k.off[j] + ENC_SIZE + ENC_PAD];
            // SAFETY: 0 <= idx <= ENC_SIZE - 1 (y in [0, 1]) and a dword at idx ends inside the
            // table's ENC_PAD bytes of padding.
            let v = unsafe { _mm256_i32gather_epi32::<1>(table.as_ptr().cast(), idx) };
            let v = _mm256_and_si256(v, ff);
            let v = if has_cov {
                match d.kind {
                    Alpha::Premultiplied => {
                        div255(_mm256_add_epi32(_mm256_mullo_epi32(v, a), c127))
                    }
                    Alpha::None => {
                        let p = div255(_mm256_add_epi32(_mm256_mullo_epi32(v, a), c127));
                        let f = div255(_mm256_add_epi32(
                            _mm256_mullo_epi32(_mm256_sub_epi32(c255, a), bg[j]),
                            c127,
                        ));
                        _mm256_min_epi32(_mm256_add_epi32(p, f), c255)
                    }
                    _ => v,
                }
            } else {
                v
            };
            out = _mm256_or_si256(
                out,
                _mm256_sllv_epi32(v, _mm256_set1_epi32(8 * d.colour[j] as i32)),
            );
        }
        if let Some(at) = d.alpha {
            out = _mm256_or_si256(out, _mm256_sllv_epi32(a, _mm256_set1_epi32(8 * at as i32)));
        }
        let dp = &mut dst[x * d.bpp..];
        match d.bpp {
            4 => {
                assert!(dp.len() >= 32);
                // SAFETY: 32 bytes of 8 whole destination pixels (asserted).
                unsafe { _mm256_storeu_si256(dp.as_mut_ptr().cast(), out) }
            }
            3 => {
                // Each 128-bit half: 4 pixels -> 12 bytes (4 bytes of don't-care after them,
                // overwritten by the next store or inside the margin `run` kept).
                let sh = _mm256_setr_epi8(
                    0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, -1, -1, -1, -1, 0, 1, 2, 4, 5, 6, 8, 9,
                    10, 12, 13, 14, -1, -1, -1, -1,
                );
                let p = _mm256_shuffle_epi8(out, sh);
                assert!(dp.len() >= 28);
                // SAFETY: bytes 0..16 and 12..28 are inside the slice (asserted).
                unsafe {
                    _mm_storeu_si128(dp.as_mut_ptr().cast(), _mm256_castsi256_si128(p));
                    _mm_storeu_si128(
                        dp.as_mut_ptr().add(12).cast(),
                        _mm256_extracti128_si256::<1>(p),
                    );
                }
            }
            _ => {
                // One byte per pixel: 32 -> 16 -> 8 bits, lanes put back in order.
                let w = _mm256_packus_epi32(out, out);
                let b = _mm256_packus_epi16(w, w);
                let lo = _mm_cvtsi128_si32(_mm256_castsi256_si128(b)) as u32;
                let hi = _mm_cvtsi128_si32(_mm256_extracti128_si256::<1>(b)) as u32;
                let bytes = ((u64::from(hi) << 32) | u64::from(lo)).to_le_bytes();
                dp[..8].copy_from_slice(&bytes);
            }
        }
        x += 8;
    }
}

/// `floor(x / 255)` for 0 <= x < 65535 (ours stay below 255 * 255 + 128): `(x + 1 + (x >> 8)) >> 8`.
#[target_feature(enable = "avx2")]
#[inline]
fn div255(x: __m256i) -> __m256i {
    _mm256_srli_epi32(
        _mm256_add_epi32(
            _mm256_add_epi32(x, _mm256_set1_epi32(1)),
            _mm256_srli_epi32(x, 8),
        ),
        8,
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn div255_formula_is_exact() {
        for x in 0u32..65535 {
            assert_eq!((x + 1 + (x >> 8)) >> 8, x / 255, "{x}");
        }
    }
}
