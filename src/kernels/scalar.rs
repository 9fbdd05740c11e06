//! Portable versions of every stage: the whole row on CPUs without SIMD, the row tails
//! elsewhere. Exact integer forms of the reference's formulas.

use super::{ByteMap, FILL, Op, OpKind};
use crate::convert::reference::quantize;

/// `(x + 127) / 255` for `x <= 65535 - 128`, without a division.
#[inline(always)]
pub(crate) fn div255(x: u32) -> u32 {
    ((x + 128) * 257) >> 16
}

/// `(c * a + 127) / 255`.
#[inline(always)]
pub(crate) fn premultiply(c: u8, a: u8) -> u8 {
    div255(u32::from(c) * u32::from(a)) as u8
}

/// `ceil(2^24 / a)`: `floor(n / a) == (n * R[a]) >> 24` for every `n * a < 2^24`.
const RECIPROCAL: [u32; 256] = {
    let mut t = [0u32; 256];
    let mut a = 1;
    while a < 256 {
        t[a] = (1u32 << 24).div_ceil(a as u32);
        a += 1;
    }
    t
};

/// `(min(c, a) * 255 + a / 2) / a`, 0 when `a` is 0 (§7.1).
#[inline(always)]
pub(crate) fn unpremultiply(c: u8, a: u8) -> u8 {
    // n <= 255 * 255 + 127 and a <= 255, so n * a < 2^24: the reciprocal is exact.
    let n = u64::from(c.min(a)) * 255 + u64::from(a / 2);
    ((n * u64::from(RECIPROCAL[a as usize])) >> 24) as u8
}

/// Premultiplied `p` over an opaque 8-bit background: `p + ((255 - a) * bg + 127) / 255`,
/// clamped (§7.3).
#[inline(always)]
pub(crate) fn flatten(p: u8, a: u8, bg: u8) -> u8 {
    let v = u32::from(p) + div255(u32::from(255 - a) * u32::from(bg));
    v.min(255) as u8
}

pub(super) fn op(op: &Op, src: &[u8], dst: &mut [u8], width: usize) {
    let m = &op.map;
    let (ib, ob) = (m.in_bpp as usize, m.out_bpp as usize);
    let (src, dst) = (&src[..width * ib], &mut dst[..width * ob]);
    let a = op.alpha as usize;
    let pixels = src.chunks_exact(ib).zip(dst.chunks_exact_mut(ob));
    match op.kind {
        OpKind::Map => map(m, src, dst),
        OpKind::Premultiply => {
            for (s, d) in pixels {
                let alpha = s[a];
                for (j, out) in d.iter_mut().enumerate() {
                    *out = match m.map[j] {
                        FILL => m.fill[j],
                        k if k as usize == a => alpha,
                        k => premultiply(s[k as usize], alpha),
                    };
                }
            }
        }
        OpKind::Unpremultiply => {
            for (s, d) in pixels {
                let alpha = s[a];
                for (j, out) in d.iter_mut().enumerate() {
                    *out = match m.map[j] {
                        FILL => m.fill[j],
                        k if k as usize == a => alpha,
                        k => unpremultiply(s[k as usize], alpha),
                    };
                }
            }
        }
        OpKind::FlattenStraight | OpKind::FlattenPremultiplied => {
            let straight = op.kind == OpKind::FlattenStraight;
            for (s, d) in pixels {
                let alpha = s[a];
                for (j, out) in d.iter_mut().enumerate() {
                    // Flattened destinations have no alpha slot: every byte is a colour.
                    let c = s[m.map[j] as usize];
                    let p = if straight { premultiply(c, alpha) } else { c };
                    *out = flatten(p, alpha, op.background[j]);
                }
            }
        }
    }
}

/// A byte map, with the common pixel sizes unrolled.
pub(super) fn map(m: &ByteMap, src: &[u8], dst: &mut [u8]) {
    match (m.in_bpp, m.out_bpp) {
        (4, 4) => map_fixed::<4, 4>(m, src, dst),
        (3, 4) => map_fixed::<3, 4>(m, src, dst),
        (4, 3) => map_fixed::<4, 3>(m, src, dst),
        (1, 4) => map_fixed::<1, 4>(m, src, dst),
        (1, 3) => map_fixed::<1, 3>(m, src, dst),
        (2, 4) => map_fixed::<2, 4>(m, src, dst),
        (4, 8) => map_fixed::<4, 8>(m, src, dst),
        (3, 8) => map_fixed::<3, 8>(m, src, dst),
        (8, 8) => map_fixed::<8, 8>(m, src, dst),
        (16, 16) => map_fixed::<16, 16>(m, src, dst),
        (ib, ob) => {
            let (ib, ob) = (ib as usize, ob as usize);
            for (s, d) in src.chunks_exact(ib).zip(dst.chunks_exact_mut(ob)) {
                for (j, out) in d.iter_mut().enumerate() {
                    let k = m.map[j];
                    *out = if k == FILL { m.fill[j] } else { s[k as usize] };
                }
            }
        }
    }
}

#[inline(always)]
fn map_fixed<const IB: usize, const OB: usize>(m: &ByteMap, src: &[u8], dst: &mut [u8]) {
    let mut index = [0usize; OB];
    let mut keep = [0u8; OB];
    let mut fill = [0u8; OB];
    for j in 0..OB {
        if m.map[j] == FILL {
            fill[j] = m.fill[j];
        } else {
            index[j] = m.map[j] as usize % IB;
            keep[j] = 0xff;
        }
    }
    for (s, d) in src.chunks_exact(IB).zip(dst.chunks_exact_mut(OB)) {
        let s: &[u8; IB] = s.try_into().expect("chunk of IB bytes");
        for j in 0..OB {
            d[j] = (s[index[j]] & keep[j]) | fill[j];
        }
    }
}

/// 16-bit samples -> bytes: `(v * 255 + 32767) / 65535`, as `(mulhi(v, 0xff01) + 128) >> 8`.
pub(super) fn narrow16(le: bool, src: &[u8], dst: &mut [u8]) {
    for (d, s) in dst.iter_mut().zip(src.chunks_exact(2)) {
        let v = if le {
            u16::from_le_bytes([s[0], s[1]])
        } else {
            u16::from_be_bytes([s[0], s[1]])
        };
        *d = narrow16_one(v);
    }
}

#[inline(always)]
pub(crate) fn narrow16_one(v: u16) -> u8 {
    ((((u32::from(v) * 0xff01) >> 16) + 128) >> 8) as u8
}

/// binary32 samples -> bytes, the reference's `quantize(f64(v), 255)`.
pub(super) fn quant_f32(le: bool, src: &[u8], dst: &mut [u8]) {
    for (d, s) in dst.iter_mut().zip(src.chunks_exact(4)) {
        let b = [s[0], s[1], s[2], s[3]];
        let v = f32::from_bits(if le {
            u32::from_le_bytes(b)
        } else {
            u32::from_be_bytes(b)
        });
        *d = quantize(f64::from(v), 255) as u8;
    }
}

/// Bytes -> binary32 samples: `f64(v) / 255` rounded to binary32, as the reference does.
pub(super) fn encode_f32(le: bool, src: &[u8], dst: &mut [u8]) {
    for (d, &v) in dst.chunks_exact_mut(4).zip(src) {
        let f = (f64::from(v) / 255.0) as f32;
        d.copy_from_slice(&if le { f.to_le_bytes() } else { f.to_be_bytes() });
    }
}

/// binary16 -> byte exactly as the reference: `quantize(f64(half), 255)`, by table.
pub(crate) fn quant_half(le: bool, src: &[u8], dst: &mut [u8]) {
    let table = half_to_byte_table();
    for (d, s) in dst.iter_mut().zip(src.chunks_exact(2)) {
        let bits = if le {
            u16::from_le_bytes([s[0], s[1]])
        } else {
            u16::from_be_bytes([s[0], s[1]])
        };
        *d = table[bits as usize];
    }
}

/// byte -> binary16 exactly as the reference: `f64_to_half(v / 255)`, by table.
pub(crate) fn encode_half(le: bool, src: &[u8], dst: &mut [u8]) {
    let table = byte_to_half_table();
    for (&v, d) in src.iter().zip(dst.chunks_exact_mut(2)) {
        let h = table[v as usize];
        d.copy_from_slice(&if le { h.to_le_bytes() } else { h.to_be_bytes() });
    }
}

/// Every binary16 value quantised to a byte by the reference's own functions.
fn half_to_byte_table() -> &'static [u8; 65536] {
    static TABLE: std::sync::OnceLock<Box<[u8; 65536]>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = Box::new([0u8; 65536]);
        for (h, v) in t.iter_mut().enumerate() {
            let x = f64::from(crate::convert::reference::half_to_f32(h as u16));
            *v = crate::convert::reference::quantize(x, 255) as u8;
        }
        t
    })
}

/// Every byte as the reference's binary16 of `v / 255`.
fn byte_to_half_table() -> &'static [u16; 256] {
    static TABLE: std::sync::OnceLock<[u16; 256]> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        std::array::from_fn(|v| crate::convert::reference::f64_to_half(v as f64 / 255.0))
    })
}
