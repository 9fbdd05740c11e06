//! EXIF orientation (1..=8) applied to pixels, for thumbnails made `WithTransform`.

/// The displayed size of a `w x h` stored image.
pub fn displayed_size(orientation: u32, w: usize, h: usize) -> (usize, usize) {
    if (5..=8).contains(&orientation) {
        (h, w)
    } else {
        (w, h)
    }
}

/// The stored pixel shown at displayed `(x, y)`.
#[inline]
fn source(orientation: u32, x: usize, y: usize, w: usize, h: usize) -> (usize, usize) {
    match orientation {
        2 => (w - 1 - x, y),
        3 => (w - 1 - x, h - 1 - y),
        4 => (x, h - 1 - y),
        5 => (y, x),
        6 => (y, h - 1 - x),
        7 => (w - 1 - y, h - 1 - x),
        8 => (w - 1 - y, x),
        _ => (x, y),
    }
}

/// The image as displayed: tight rows of `bpp`-byte pixels. `src` holds `h` rows of `w`
/// pixels, `stride` bytes apart.
pub fn apply(
    orientation: u32,
    src: &[u8],
    stride: usize,
    w: usize,
    h: usize,
    bpp: usize,
) -> (usize, usize, Vec<u8>) {
    let (dw, dh) = displayed_size(orientation, w, h);
    let mut out = vec![0u8; dw * dh * bpp];
    for y in 0..dh {
        for x in 0..dw {
            let (sx, sy) = source(orientation, x, y, w, h);
            let s = sy * stride + sx * bpp;
            let d = (y * dw + x) * bpp;
            out[d..d + bpp].copy_from_slice(&src[s..s + bpp]);
        }
    }
    (dw, dh, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each orientation's transform, written as the stored corners' displayed positions
    /// (apple-imageio-context.md §A.4 table): stored (0,0) lands where row 0 / column 0 lie.
    #[test]
    fn stored_origin_lands_where_the_table_says() {
        // 3 x 2 image, pixel value = index.
        let src: Vec<u8> = (0..6).collect();
        let expect_origin = |o: u32| -> (usize, usize) {
            let (dw, dh) = displayed_size(o, 3, 2);
            match o {
                1 => (0, 0),
                2 => (dw - 1, 0),
                3 => (dw - 1, dh - 1),
                4 => (0, dh - 1),
                5 => (0, 0),
                6 => (dw - 1, 0),
                7 => (dw - 1, dh - 1),
                8 => (0, dh - 1),
                _ => unreachable!(),
            }
        };
        for o in 1..=8 {
            let (dw, dh, out) = apply(o, &src, 3, 3, 2, 1);
            assert_eq!(dw * dh, 6);
            let (x, y) = expect_origin(o);
            assert_eq!(out[y * dw + x], 0, "orientation {o}");
            // Stored row 0 runs along the displayed edge: for 5..=8 it is a column.
            let along: Vec<u8> = if o >= 5 {
                (0..dh).map(|yy| out[yy * dw + x]).collect()
            } else {
                (0..dw).map(|xx| out[y * dw + xx]).collect()
            };
            let mut sorted = along.clone();
            sorted.sort();
            assert_eq!(sorted, vec![0, 1, 2], "orientation {o}: {along:?}");
        }
    }
}
