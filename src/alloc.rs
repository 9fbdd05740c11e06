//! Pixel memory from the C allocator: images free it with `free()`, and buffers made by
//! `vImageBuffer_Init` are freed by the caller with `free()`.

use std::ffi::c_void;
use std::ptr::NonNull;

use crate::error::{Error, Result};

/// Alignment of every pixel allocation: a cache line, enough for any SIMD load.
pub(crate) const PIXEL_ALIGN: usize = 64;
/// From this size on, ask the kernel for transparent huge pages: a fresh 4K image then takes
/// 16 page faults instead of 8100 (see README, "Copy mode into fresh memory").
const HUGE_PAGE_MIN: usize = 4 << 20;
const HUGE_PAGE: usize = 2 << 20;

/// Allocates `len` bytes aligned to `align` with `posix_memalign`, so that C can `free()` them.
pub fn c_alloc(len: usize, align: usize) -> Result<NonNull<u8>> {
    if len > isize::MAX as usize {
        return Err(Error::Allocation(len));
    }
    let mut ptr: *mut c_void = std::ptr::null_mut();
    // SAFETY: align is a power of two multiple of sizeof(void*); ptr is a valid out-pointer.
    let rc = unsafe { libc::posix_memalign(&mut ptr, align, len.max(1)) };
    let ptr = NonNull::new(ptr.cast::<u8>())
        .filter(|_| rc == 0)
        .ok_or(Error::Allocation(len))?;
    if len >= HUGE_PAGE_MIN {
        advise_huge_pages(ptr, len);
    }
    Ok(ptr)
}

/// Lets the kernel back the 2 MiB-aligned interior of a large allocation with huge pages.
/// Only a hint: on memory already touched, or without THP, nothing changes.
fn advise_huge_pages(ptr: NonNull<u8>, len: usize) {
    let start = (ptr.as_ptr() as usize).next_multiple_of(HUGE_PAGE);
    let end = (ptr.as_ptr() as usize + len) & !(HUGE_PAGE - 1);
    if end > start {
        // SAFETY: [start, end) lies inside our own allocation; MADV_HUGEPAGE changes no contents.
        unsafe { libc::madvise(start as *mut c_void, end - start, libc::MADV_HUGEPAGE) };
    }
}

/// An owned pixel allocation, freed with `free()`.
#[derive(Debug)]
pub struct PixelAlloc {
    ptr: NonNull<u8>,
    len: usize,
}

// SAFETY: PixelAlloc uniquely owns plain bytes; free() may run on any thread.
unsafe impl Send for PixelAlloc {}
// SAFETY: shared access only reads the bytes.
unsafe impl Sync for PixelAlloc {}

impl PixelAlloc {
    /// `height` rows of `row_len` bytes, `dst_stride` apart, copied from `src` where rows are
    /// `src_stride` apart. Every byte of the allocation is written.
    pub fn copy_rows(
        src: &[u8],
        src_stride: usize,
        row_len: usize,
        height: usize,
        dst_stride: usize,
    ) -> Result<PixelAlloc> {
        debug_assert!(row_len <= dst_stride && height > 0);
        let len = crate::format::span(height, dst_stride, row_len)
            .ok_or(Error::Allocation(usize::MAX))?;
        let needed = crate::format::span(height, src_stride, row_len);
        if needed.is_none_or(|n| n > src.len()) {
            return Err(Error::Internal("source shorter than its rows"));
        }
        let ptr = c_alloc(len, PIXEL_ALIGN)?;
        let alloc = PixelAlloc { ptr, len };
        if src_stride == dst_stride {
            // One copy when both sides have the same stride (padding bytes included).
            // SAFETY: len bytes are readable in src (checked above) and writable in the new block.
            unsafe { std::ptr::copy_nonoverlapping(src.as_ptr(), ptr.as_ptr(), len) };
        } else {
            for y in 0..height {
                let from = &src[y * src_stride..y * src_stride + row_len];
                // SAFETY: row y ends at y*dst_stride + row_len <= len, inside the new block.
                unsafe {
                    std::ptr::copy_nonoverlapping(
                        from.as_ptr(),
                        ptr.as_ptr().add(y * dst_stride),
                        row_len,
                    )
                };
                if y + 1 < height && dst_stride > row_len {
                    // Zero the padding so no uninitialised byte is ever handed out.
                    // SAFETY: padding of row y lies before row y + 1, inside the block.
                    unsafe {
                        ptr.as_ptr()
                            .add(y * dst_stride + row_len)
                            .write_bytes(0, dst_stride - row_len)
                    };
                }
            }
        }
        Ok(alloc)
    }

    pub fn as_slice(&self) -> &[u8] {
        // SAFETY: every byte was initialised by copy_rows; the block lives as long as self.
        unsafe { std::slice::from_raw_parts(self.ptr.as_ptr(), self.len) }
    }
}

impl Drop for PixelAlloc {
    fn drop(&mut self) {
        // SAFETY: allocated by posix_memalign in c_alloc, freed once.
        unsafe { libc::free(self.ptr.as_ptr().cast()) }
    }
}
