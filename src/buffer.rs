//! `vImage_Buffer` geometry: the row stride `vImageBuffer_Init` prefers, and `GetSize`.

use crate::error::{Error, Result};
use crate::types::CGSize;

/// Alignment `vImageBuffer_Init` allocates with and reports under `kvImageNoAllocate`.
pub(crate) const BUFFER_ALIGN: usize = crate::alloc::PIXEL_ALIGN;

/// The layout `vImageBuffer_Init` chooses: `(row_bytes, total_bytes)`.
///
/// Rows are padded to 16 bytes when short and to 64 (a cache line) otherwise, and a stride
/// that is a multiple of 4 KiB gets one more cache line, which vImage.h advises against
/// (power-of-two strides alias in the cache). Apple's example: 10 pixels of 8 bits -> 16.
/// Sizes that cannot exist are `kvImageMemoryAllocationError` (§7.7).
pub fn preferred_layout(height: usize, width: usize, pixel_bits: u32) -> Result<(usize, usize)> {
    if height == 0 || width == 0 {
        return Err(Error::InvalidParameter("height and width must be non-zero"));
    }
    if pixel_bits == 0 {
        return Err(Error::InvalidParameter("pixelBits must be non-zero"));
    }
    let too_big = Error::Allocation(usize::MAX);
    let min = width
        .checked_mul(pixel_bits as usize)
        .ok_or(too_big.clone())?
        .div_ceil(8);
    let align = if min < 64 { 16 } else { 64 };
    let mut row_bytes = min.checked_next_multiple_of(align).ok_or(too_big.clone())?;
    if row_bytes % 4096 == 0 {
        row_bytes += 64;
    }
    let total = row_bytes
        .checked_mul(height)
        .filter(|&t| t <= isize::MAX as usize)
        .ok_or(too_big)?;
    Ok((row_bytes, total))
}

/// `vImageBuffer_GetSize`: each dimension rounded down to a representable `CGFloat` (§4.3).
pub fn size_of(width: usize, height: usize) -> CGSize {
    CGSize {
        width: round_down(width),
        height: round_down(height),
    }
}

fn round_down(n: usize) -> f64 {
    let f = n as f64; // rounds to nearest
    if f as u128 > n as u128 {
        f.next_down()
    } else {
        f
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apple_example_pads_ten_bytes_to_sixteen() {
        assert_eq!(preferred_layout(5, 10, 8).unwrap(), (16, 80));
    }

    #[test]
    fn sub_byte_rows_round_up_to_whole_bytes() {
        let (rb, _) = preferred_layout(1, 9, 1).unwrap();
        assert!(rb >= 2);
    }

    #[test]
    fn page_multiple_strides_are_avoided() {
        let (rb, _) = preferred_layout(2, 1024, 32).unwrap();
        assert_eq!(rb, 4096 + 64);
    }

    #[test]
    fn impossible_sizes_are_allocation_errors() {
        assert_eq!(
            preferred_layout(usize::MAX, usize::MAX, 32),
            Err(Error::Allocation(usize::MAX))
        );
        assert!(matches!(
            preferred_layout(0, 1, 8),
            Err(Error::InvalidParameter(_))
        ));
    }

    #[test]
    fn size_never_rounds_up() {
        let n = (1usize << 53) + 1;
        assert_eq!(size_of(n, 3).width, (1u64 << 53) as f64);
        let max = size_of(usize::MAX, 1).width;
        assert!(max as u128 <= usize::MAX as u128);
        assert_eq!(
            size_of(7, 9),
            CGSize {
                width: 7.0,
                height: 9.0
            }
        );
    }
}
