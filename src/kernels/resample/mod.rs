//! Row kernels of separable resampling (vImageScale_*), one file per instruction set behind
//! this dispatcher. Two number paths:
//!
//! - **8-bit**: i16 weights with [`WEIGHT_BITS`] fraction bits, i32 accumulators. The
//!   horizontal pass turns `u8` samples into `i16` intermediates with [`INTER_BITS`] fraction
//!   bits (not clamped: Lanczos overshoot stays within i16), the vertical pass turns those
//!   into clamped, rounded `u8`.
//! - **float**: f32 weights and accumulators over f32 rows (16-bit, half and float formats are
//!   decoded into f32 rows first and encoded from them last).
//!
//! The portable bodies are `#[inline(always)]` generic loops that LLVM vectorises; `avx2.rs`
//! compiles the same bodies with AVX2 + FMA enabled and adds hand-written kernels for the hot
//! 4-channel 8-bit horizontal pass.

#[cfg(target_arch = "x86_64")]
mod avx2;

use super::Level;
pub use crate::geometry::filter::WEIGHT_BITS;

/// Fraction bits of the 8-bit path's i16 intermediate samples.
pub const INTER_BITS: u32 = 6;
const H_SHIFT: u32 = WEIGHT_BITS - INTER_BITS;
const V_SHIFT: u32 = WEIGHT_BITS + INTER_BITS;

/// One axis's table as the kernels see it.
#[derive(Clone, Copy)]
pub struct Taps<'a> {
    pub taps: usize,
    pub start: &'a [u32],
    pub wi: &'a [i16],
    pub wf: &'a [f32],
    /// Optional [`expand4`] of `wi` (empty when not prepared).
    pub wx: &'a [i32],
}

/// The 8-bit horizontal table laid out for the 4-channel AVX2 kernel, when that kernel runs
/// here and the taps are a multiple of 4: per output and per 4 taps, eight i32 lanes
/// `(w0 | w1 << 16) x 4, (w2 | w3 << 16) x 4`. Empty otherwise.
pub fn expand4(channels: usize, taps: usize, wi: &[i16]) -> Vec<i32> {
    if channels != 4 || !taps.is_multiple_of(4) || level() != Level::Avx2 {
        return Vec::new();
    }
    let pair = |a: i16, b: i16| (a as u16 as i32) | ((b as i32) << 16);
    wi.chunks_exact(4)
        .flat_map(|w| {
            let (p, q) = (pair(w[0], w[1]), pair(w[2], w[3]));
            [p, p, p, p, q, q, q, q]
        })
        .collect()
}

fn level() -> Level {
    Level::detect()
}

/// 8-bit horizontal pass: `src` holds pixels of `channels` bytes; `out` gets `out.len() /
/// channels` outputs.
pub fn h_u8(channels: usize, src: &[u8], out: &mut [i16], t: Taps) {
    #[cfg(target_arch = "x86_64")]
    if level() == Level::Avx2 {
        return avx2::h_u8(channels, src, out, t);
    }
    match channels {
        1 => h_u8_body::<1>(src, out, t),
        2 => h_u8_body::<2>(src, out, t),
        _ => h_u8_body::<4>(src, out, t),
    }
}

/// 8-bit horizontal pass over four rows of the same width at once (one weight load serves
/// the four rows); same results as four [`h_u8`] calls.
pub fn h_u8_x4(channels: usize, src: [&[u8]; 4], mut out: [&mut [i16]; 4], t: Taps) {
    #[cfg(target_arch = "x86_64")]
    if level() == Level::Avx2 && avx2::h_u8_x4(channels, &src, &mut out, t) {
        return;
    }
    for (s, o) in src.into_iter().zip(out) {
        h_u8(channels, s, o, t);
    }
}

/// 8-bit vertical pass: `out[i] = clamp(round(sum_k w[k] * rows[k][i]))`.
pub fn v_u8(rows: &[&[i16]], w: &[i16], out: &mut [u8]) {
    #[cfg(target_arch = "x86_64")]
    if level() == Level::Avx2 {
        return avx2::v_u8(rows, w, out);
    }
    v_u8_body(rows, w, out)
}

/// Float horizontal pass.
pub fn h_f32(channels: usize, src: &[f32], out: &mut [f32], t: Taps) {
    #[cfg(target_arch = "x86_64")]
    if level() == Level::Avx2 {
        return avx2::h_f32(channels, src, out, t);
    }
    match channels {
        1 => h_f32_body::<1>(src, out, t),
        2 => h_f32_body::<2>(src, out, t),
        _ => h_f32_body::<4>(src, out, t),
    }
}

/// Float vertical pass: `out[i] = sum_k w[k] * rows[k][i]`.
pub fn v_f32(rows: &[&[f32]], w: &[f32], out: &mut [f32]) {
    #[cfg(target_arch = "x86_64")]
    if level() == Level::Avx2 {
        return avx2::v_f32(rows, w, out);
    }
    v_f32_body(rows, w, out)
}

// ---- portable bodies ---------------------------------------------------------------------------

#[inline(always)]
fn h_u8_body<const C: usize>(src: &[u8], out: &mut [i16], t: Taps) {
    let n = t.taps;
    for ((o, &s), w) in out
        .chunks_exact_mut(C)
        .zip(t.start)
        .zip(t.wi.chunks_exact(n))
    {
        let px = &src[s as usize * C..][..n * C];
        let mut acc = [1i32 << (H_SHIFT - 1); C];
        for (p, &wk) in px.chunks_exact(C).zip(w) {
            for c in 0..C {
                acc[c] += p[c] as i32 * wk as i32;
            }
        }
        for c in 0..C {
            o[c] = (acc[c] >> H_SHIFT) as i16;
        }
    }
}

const V_CHUNK: usize = 32;

#[inline(always)]
fn v_u8_body(rows: &[&[i16]], w: &[i16], out: &mut [u8]) {
    let len = out.len();
    let mut i = 0;
    let round = 1i32 << (V_SHIFT - 1);
    while i + V_CHUNK <= len {
        let mut acc = [round; V_CHUNK];
        for (r, &wk) in rows.iter().zip(w) {
            let r: &[i16; V_CHUNK] = r[i..i + V_CHUNK].try_into().unwrap();
            for j in 0..V_CHUNK {
                acc[j] += r[j] as i32 * wk as i32;
            }
        }
        for (o, a) in out[i..i + V_CHUNK].iter_mut().zip(acc) {
            *o = (a >> V_SHIFT).clamp(0, 255) as u8;
        }
        i += V_CHUNK;
    }
    for j in i..len {
        let mut a = round;
        for (r, &wk) in rows.iter().zip(w) {
            a += r[j] as i32 * wk as i32;
        }
        out[j] = (a >> V_SHIFT).clamp(0, 255) as u8;
    }
}

#[inline(always)]
fn h_f32_body<const C: usize>(src: &[f32], out: &mut [f32], t: Taps) {
    let n = t.taps;
    for ((o, &s), w) in out
        .chunks_exact_mut(C)
        .zip(t.start)
        .zip(t.wf.chunks_exact(n))
    {
        let px = &src[s as usize * C..][..n * C];
        let mut acc = [0f32; C];
        for (p, &wk) in px.chunks_exact(C).zip(w) {
            for c in 0..C {
                acc[c] += p[c] * wk;
            }
        }
        o.copy_from_slice(&acc);
    }
}

#[inline(always)]
fn v_f32_body(rows: &[&[f32]], w: &[f32], out: &mut [f32]) {
    let len = out.len();
    let mut i = 0;
    while i + V_CHUNK <= len {
        let mut acc = [0f32; V_CHUNK];
        for (r, &wk) in rows.iter().zip(w) {
            let r: &[f32; V_CHUNK] = r[i..i + V_CHUNK].try_into().unwrap();
            for j in 0..V_CHUNK {
                acc[j] += r[j] * wk;
            }
        }
        out[i..i + V_CHUNK].copy_from_slice(&acc);
        i += V_CHUNK;
    }
    for j in i..len {
        let mut a = 0f32;
        for (r, &wk) in rows.iter().zip(w) {
            a += r[j] * wk;
        }
        out[j] = a;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_level_matches_the_portable_bodies() {
        let src: Vec<u8> = (0..400u32).map(|i| (i * 37 % 256) as u8).collect();
        for c in [1usize, 2, 4] {
            let n = 100 / c * c;
            let t2 = crate::geometry::filter::Table::scale(
                n / c,
                37,
                crate::geometry::lanczos::Lanczos::Five,
            );
            let t2 = t2.padded(n / c, 4).unwrap();
            let wx = expand4(c, t2.taps, &t2.wi);
            let taps2 = Taps {
                taps: t2.taps,
                start: &t2.start,
                wi: &t2.wi,
                wf: &t2.wf,
                wx: &wx,
            };
            let mut a = vec![0i16; 37 * c];
            let mut b = vec![0i16; 37 * c];
            h_u8(c, &src[..n], &mut a, taps2);
            match c {
                1 => h_u8_body::<1>(&src[..n], &mut b, taps2),
                2 => h_u8_body::<2>(&src[..n], &mut b, taps2),
                _ => h_u8_body::<4>(&src[..n], &mut b, taps2),
            }
            assert_eq!(a, b, "c={c}");
            let fs: Vec<f32> = src[..n].iter().map(|&v| v as f32).collect();
            let mut fa = vec![0f32; 37 * c];
            let mut fb = vec![0f32; 37 * c];
            h_f32(c, &fs, &mut fa, taps2);
            match c {
                1 => h_f32_body::<1>(&fs, &mut fb, taps2),
                2 => h_f32_body::<2>(&fs, &mut fb, taps2),
                _ => h_f32_body::<4>(&fs, &mut fb, taps2),
            }
            for (x, y) in fa.iter().zip(&fb) {
                assert!((x - y).abs() <= 1e-3, "{x} {y}");
            }
        }
        // Four rows at once, for shrinking and enlarging tables, equals four single rows.
        for (c, n_in, n_out) in [
            (4, 97, 37),
            (1, 97, 37),
            (4, 40, 91),
            (1, 40, 91),
            (1, 61, 9),
        ] {
            let t = crate::geometry::filter::Table::scale(
                n_in,
                n_out,
                crate::geometry::lanczos::Lanczos::Three,
            );
            let t = t.padded(n_in, if c == 1 { 8 } else { 4 }).unwrap();
            let wx = expand4(c, t.taps, &t.wi);
            let taps = Taps {
                taps: t.taps,
                start: &t.start,
                wi: &t.wi,
                wf: &t.wf,
                wx: &wx,
            };
            let rows: Vec<Vec<u8>> = (0..4u32)
                .map(|r| {
                    (0..(n_in * c) as u32)
                        .map(|i| ((i * 37 + r * 101) % 256) as u8)
                        .collect()
                })
                .collect();
            let mut got = vec![vec![0i16; n_out * c]; 4];
            {
                let [a, b, cc, d] = &mut got[..] else {
                    unreachable!()
                };
                let src = [0, 1, 2, 3].map(|r| &rows[r][..]);
                h_u8_x4(c, src, [a, b, cc, d], taps);
            }
            for r in 0..4 {
                let mut want = vec![0i16; n_out * c];
                match c {
                    1 => h_u8_body::<1>(&rows[r], &mut want, taps),
                    _ => h_u8_body::<4>(&rows[r], &mut want, taps),
                }
                assert_eq!(got[r], want, "c={c} {n_in}->{n_out} row {r}");
            }
        }
        let rows: Vec<Vec<i16>> = (0..5)
            .map(|r| {
                (0..77)
                    .map(|i| ((i * 91 + r * 13) % 16000) as i16 - 500)
                    .collect()
            })
            .collect();
        let refs: Vec<&[i16]> = rows.iter().map(|r| &r[..]).collect();
        let w = [-1000i16, 5000, 8000, 5000, -700];
        let (mut a, mut b) = (vec![0u8; 77], vec![0u8; 77]);
        v_u8(&refs, &w, &mut a);
        v_u8_body(&refs, &w, &mut b);
        assert_eq!(a, b);
    }
}
