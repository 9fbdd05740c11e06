//! Row kernels of Histogram.h: counting 8-bit samples and applying 8-bit tables. Portable
//! loops: the count splits planar rows over four sub-histograms so consecutive equal samples
//! do not serialize on one counter; the table walk is a plain gather.

/// Adds the samples of `row` (`C` interleaved channels) to `h`.
pub fn count8<const C: usize>(h: &mut [[u64; 256]; C], row: &[u8]) {
    if C == 1 {
        let mut sub = [[0u32; 256]; 4];
        // Flush the u32 counters well before they can overflow.
        for block in row.chunks(1 << 24) {
            let mut quads = block.chunks_exact(4);
            for q in &mut quads {
                sub[0][q[0] as usize] += 1;
                sub[1][q[1] as usize] += 1;
                sub[2][q[2] as usize] += 1;
                sub[3][q[3] as usize] += 1;
            }
            for &v in quads.remainder() {
                sub[0][v as usize] += 1;
            }
            for s in sub.iter_mut() {
                for (a, b) in h[0].iter_mut().zip(s.iter_mut()) {
                    *a += *b as u64;
                    *b = 0;
                }
            }
        }
    } else {
        for px in row.chunks_exact(C) {
            for c in 0..C {
                h[c][px[c] as usize] += 1;
            }
        }
    }
}

/// `dst[i] = tables[i % C][src[i]]`.
pub fn apply8<const C: usize>(tables: &[[u8; 256]; C], src: &[u8], dst: &mut [u8]) {
    if C == 1 {
        for (o, &v) in dst.iter_mut().zip(src) {
            *o = tables[0][v as usize];
        }
    } else {
        for (o, s) in dst.chunks_exact_mut(C).zip(src.chunks_exact(C)) {
            for c in 0..C {
                o[c] = tables[c][s[c] as usize];
            }
        }
    }
}
