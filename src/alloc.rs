//! Pixel memory.
//!
//! * [`c_alloc`]: memory from the C allocator, for buffers that C callers free with `free()`
//!   (`vImageBuffer_Init`).
//! * [`PixelAlloc`]: the pixels of a copied image, freed only by this library. Small ones come
//!   from `c_alloc`; large ones (from 4 MiB) are 2 MiB-aligned anonymous mappings advised for
//!   transparent huge pages, and up to two freed ones are kept for the next large images.
//!
//! Why (numbers from `cargo bench --bench bridge`, 3840x2160 RGBA8 = 33 MB, 2-core KVM guest,
//! THP in `madvise` mode):
//! * Fresh memory is paid for in page faults: 8100 faults of 4 KiB (~19 ms per image) against
//!   16 of 2 MiB when the whole block is 2 MiB-aligned and advised for huge pages (~4-5 ms).
//!   With `posix_memalign` only the aligned interior can be advised, and the two partial ends
//!   still take ~450 small faults (~6 ms). Aligning a glibc block to 2 MiB would push a 4K
//!   image past glibc's 32 MiB mmap threshold ceiling, and every image would then be a fresh
//!   mapping.
//! * Reused memory is what malloc gives a create/release loop: glibc keeps a freed 33 MB block
//!   at the top of its heap. Our own mappings get the same from the spare blocks.
//! * Copies of 16 MiB and more into reused memory use non-temporal stores: the destination is
//!   not read first and does not evict the cache (~1.7 ms against ~2.9 ms for a 33 MB memcpy,
//!   which reads the destination too). glibc's memcpy streams only above 3/4 of the L3 size it
//!   believes in, which a hypervisor may report ten times too large. Into fresh pages, which
//!   the kernel has just zeroed through the cache, ordinary stores are faster (~4.3 against
//!   ~5.2 ms) and are used.

use std::ffi::c_void;
use std::ptr::NonNull;

use crate::error::{Error, Result};

/// Alignment of every pixel allocation: a cache line, enough for any SIMD load.
pub(crate) const PIXEL_ALIGN: usize = 64;
/// From this size on, ask the kernel for transparent huge pages: a fresh 4K image then takes
/// 16 page faults instead of 8100 (benches/bridge.rs, "cold memory").
const HUGE_PAGE_MIN: usize = 4 << 20;
const HUGE_PAGE: usize = 2 << 20;
/// Copies of at least this many bytes into reused memory bypass the caches. Measured on a
/// 32 MiB L3: streaming loses below ~12 MiB (the copy would have stayed in cache) and wins
/// 1.6-1.8x from 16 MiB on.
const STREAM_MIN: usize = 16 << 20;

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

/// Large pixel blocks: 2 MiB-aligned anonymous mappings whose size is a multiple of 2 MiB.
mod mapped {
    use std::ffi::c_void;
    use std::ptr::NonNull;
    use std::sync::atomic::{AtomicPtr, Ordering};

    use super::HUGE_PAGE;

    /// A mapping of `size` bytes for `len` bytes of pixels, reused if a spare one fits:
    /// `(block, size, fresh)`, where `fresh` says the pages were never touched.
    pub(super) fn alloc(len: usize) -> Option<(NonNull<u8>, usize, bool)> {
        let size = len.checked_next_multiple_of(HUGE_PAGE)?;
        if size > isize::MAX as usize - HUGE_PAGE {
            return None;
        }
        let (ptr, is_fresh) = match spare::take(size) {
            Some(ptr) => (ptr, false),
            None => (fresh(size)?, true),
        };
        // Huge pages for every 2 MiB the pixels cover, and for the last, partly used one only
        // if that wastes at most 1/16 of the image.
        let advised = if size - len <= len / 16 {
            size
        } else {
            len & !(HUGE_PAGE - 1)
        };
        if advised > 0 {
            // SAFETY: [ptr, ptr + advised) is inside our mapping; only a hint, no contents change.
            unsafe { libc::madvise(ptr.as_ptr().cast(), advised, libc::MADV_HUGEPAGE) };
        }
        Some((ptr, size, is_fresh))
    }

    /// Gives back a block from [`alloc`]: kept as a spare if a slot is free, else unmapped.
    ///
    /// # Safety
    /// `ptr` and `size` come from one call of [`alloc`], and the block is not used any more.
    pub(super) unsafe fn free(ptr: NonNull<u8>, size: usize) {
        // SAFETY: forwarded caller contract.
        if !unsafe { spare::put(ptr, size) } {
            // SAFETY: the whole mapping is ours and unused.
            unsafe { unmap(ptr, size) };
        }
    }

    /// A fresh 2 MiB-aligned mapping of `size` bytes (`size` is a multiple of 2 MiB).
    fn fresh(size: usize) -> Option<NonNull<u8>> {
        let raw_len = size + HUGE_PAGE;
        // SAFETY: a new private anonymous mapping; no existing memory is affected.
        let raw = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                raw_len,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            )
        };
        if raw == libc::MAP_FAILED {
            return None;
        }
        let raw = raw as usize;
        let start = raw.next_multiple_of(HUGE_PAGE);
        // SAFETY: the head [raw, start) and tail [start + size, raw + raw_len) are the unused,
        // page-aligned ends of the mapping just made.
        unsafe {
            if start > raw {
                libc::munmap(raw as *mut c_void, start - raw);
            }
            if raw + raw_len > start + size {
                libc::munmap((start + size) as *mut c_void, raw + raw_len - start - size);
            }
        }
        NonNull::new(start as *mut u8)
    }

    /// # Safety
    /// `[ptr, ptr + size)` is a whole mapping (or the page-aligned end of one) of this module
    /// that nothing uses any more.
    unsafe fn unmap(ptr: NonNull<u8>, size: usize) {
        // SAFETY: forwarded caller contract.
        unsafe { libc::munmap(ptr.as_ptr().cast(), size) };
    }

    /// Freed blocks kept for the next large image, so that a create/release loop reuses warm,
    /// already mapped pages as malloc would (glibc mmaps and unmaps every block above 32 MiB).
    /// At most [`SLOTS`] blocks; their pages are marked `MADV_FREE`, so the kernel may take them
    /// back under memory pressure (they then read as zeros, which no caller sees: every byte of
    /// a pixel block is written before it is read). A spare block holds its size in its first
    /// word; whoever takes a block out of a slot owns it.
    mod spare {
        use super::*;

        const SLOTS: usize = 2;
        static SPARE: [AtomicPtr<u8>; SLOTS] =
            [const { AtomicPtr::new(std::ptr::null_mut()) }; SLOTS];

        /// A spare block of at least `size` bytes, cut down to `size`.
        pub(super) fn take(size: usize) -> Option<NonNull<u8>> {
            for slot in &SPARE {
                let Some(block) = NonNull::new(slot.swap(std::ptr::null_mut(), Ordering::Acquire))
                else {
                    continue;
                };
                // SAFETY: a spare block starts with its size (put), and taking it out of the slot
                // made it ours.
                let have = unsafe { block.cast::<usize>().read() };
                if have >= size {
                    if have > size {
                        // SAFETY: the tail past `size` is a page-aligned end of our block.
                        unsafe { unmap(block.byte_add(size), have - size) };
                    }
                    return Some(block);
                }
                // Too small for this image: leave it for a smaller one, or drop it if the slot
                // was filled meanwhile.
                if slot
                    .compare_exchange(
                        std::ptr::null_mut(),
                        block.as_ptr(),
                        Ordering::Release,
                        Ordering::Relaxed,
                    )
                    .is_err()
                {
                    // SAFETY: the block is ours and unused.
                    unsafe { unmap(block, have) };
                }
            }
            None
        }

        /// Parks a freed block in an empty slot; false if all slots are taken.
        ///
        /// # Safety
        /// As for [`free`](super::free).
        pub(super) unsafe fn put(block: NonNull<u8>, size: usize) -> bool {
            if SPARE
                .iter()
                .all(|slot| !slot.load(Ordering::Relaxed).is_null())
            {
                return false;
            }
            // SAFETY: the block is ours and unused; the kernel may drop its pages.
            unsafe { libc::madvise(block.as_ptr().cast(), size, libc::MADV_FREE) };
            // After MADV_FREE: the write makes that page dirty again, so the size is kept.
            // SAFETY: the block is at least 2 MiB, aligned, and ours.
            unsafe { block.cast::<usize>().write(size) };
            SPARE.iter().any(|slot| {
                slot.compare_exchange(
                    std::ptr::null_mut(),
                    block.as_ptr(),
                    Ordering::Release,
                    Ordering::Relaxed,
                )
                .is_ok()
            })
        }
    }
}

/// Non-temporal copies: stores that go to memory without reading the destination first or
/// evicting the cache, for copies far larger than the cache.
#[cfg(all(target_arch = "x86_64", not(miri)))]
mod stream {
    use std::arch::x86_64::{_mm_sfence, _mm256_loadu_si256, _mm256_stream_si256};

    /// Copies `len` bytes; call [`fence`] before another thread may read them.
    ///
    /// # Safety
    /// `src` is readable and `dst` writable for `len` bytes, and the two do not overlap.
    pub(super) unsafe fn copy(src: *const u8, dst: *mut u8, len: usize) {
        if std::arch::is_x86_feature_detected!("avx") {
            // SAFETY: AVX is present; the pointers are the caller's.
            unsafe { copy_avx(src, dst, len) }
        } else {
            // SAFETY: the caller's contract.
            unsafe { std::ptr::copy_nonoverlapping(src, dst, len) }
        }
    }

    /// Orders the streaming stores before every later store (e.g. publishing the image).
    pub(super) fn fence() {
        // SAFETY: SSE is part of x86_64.
        unsafe { _mm_sfence() }
    }

    #[target_feature(enable = "avx")]
    unsafe fn copy_avx(src: *const u8, dst: *mut u8, len: usize) {
        // Ordinary stores up to the first 32-byte boundary of dst and after the last 128 bytes.
        let head = dst.align_offset(32).min(len);
        // SAFETY: head <= len bytes, inside both ranges (caller's contract).
        unsafe { std::ptr::copy_nonoverlapping(src, dst, head) };
        let mut done = head;
        while len - done >= 128 {
            // SAFETY: done + 128 <= len keeps all four 32-byte loads and stores in range, and
            // dst + done is 32-byte aligned as the streaming store requires.
            unsafe {
                let (s, d) = (src.add(done), dst.add(done));
                let a = _mm256_loadu_si256(s.cast());
                let b = _mm256_loadu_si256(s.add(32).cast());
                let c = _mm256_loadu_si256(s.add(64).cast());
                let e = _mm256_loadu_si256(s.add(96).cast());
                _mm256_stream_si256(d.cast(), a);
                _mm256_stream_si256(d.add(32).cast(), b);
                _mm256_stream_si256(d.add(64).cast(), c);
                _mm256_stream_si256(d.add(96).cast(), e);
            }
            done += 128;
        }
        // SAFETY: the remaining len - done bytes are inside both ranges.
        unsafe { std::ptr::copy_nonoverlapping(src.add(done), dst.add(done), len - done) };
    }
}

/// Copies `len` bytes, through the caches or around them.
///
/// # Safety
/// `src` is readable and `dst` writable for `len` bytes, and the two do not overlap.
unsafe fn copy_bytes(src: *const u8, dst: *mut u8, len: usize, stream: bool) {
    #[cfg(all(target_arch = "x86_64", not(miri)))]
    if stream {
        // SAFETY: the caller's contract.
        return unsafe { stream::copy(src, dst, len) };
    }
    let _ = stream;
    // SAFETY: the caller's contract.
    unsafe { std::ptr::copy_nonoverlapping(src, dst, len) }
}

/// An owned pixel allocation.
#[derive(Debug)]
pub struct PixelAlloc {
    ptr: NonNull<u8>,
    len: usize,
    /// Size of the mapping for a large block (`mapped::alloc`); 0 for `c_alloc` memory.
    mapped: usize,
}

// SAFETY: PixelAlloc uniquely owns plain bytes; they may be freed on any thread.
unsafe impl Send for PixelAlloc {}
// SAFETY: shared access only reads the bytes.
unsafe impl Sync for PixelAlloc {}

impl PixelAlloc {
    /// Uninitialised room for `len` bytes, and whether its pages are fresh from the kernel.
    fn new(len: usize) -> Result<(PixelAlloc, bool)> {
        if len >= HUGE_PAGE_MIN && !cfg!(miri) {
            let (ptr, mapped, fresh) = mapped::alloc(len).ok_or(Error::Allocation(len))?;
            return Ok((PixelAlloc { ptr, len, mapped }, fresh));
        }
        let ptr = c_alloc(len, PIXEL_ALIGN)?;
        let alloc = PixelAlloc {
            ptr,
            len,
            mapped: 0,
        };
        Ok((alloc, false))
    }

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
        let (alloc, fresh) = PixelAlloc::new(len)?;
        let dst = alloc.ptr.as_ptr();
        // Fresh pages were just zeroed by the kernel as each one faulted in, so they are still
        // in cache when the copy reaches them: ordinary stores win there (4.3 against 5.2 ms).
        let stream = len >= STREAM_MIN && !fresh;
        if src_stride == dst_stride {
            // One copy when both sides have the same stride (padding bytes included).
            // SAFETY: len bytes are readable in src (checked above) and writable in the block.
            unsafe { copy_bytes(src.as_ptr(), dst, len, stream) };
        } else {
            for y in 0..height {
                let from = &src[y * src_stride..y * src_stride + row_len];
                // SAFETY: row y ends at y*dst_stride + row_len <= len, inside the new block.
                unsafe { copy_bytes(from.as_ptr(), dst.add(y * dst_stride), row_len, stream) };
                if y + 1 < height && dst_stride > row_len {
                    // Zero the padding so no uninitialised byte is ever handed out.
                    // SAFETY: padding of row y lies before row y + 1, inside the block.
                    unsafe {
                        dst.add(y * dst_stride + row_len)
                            .write_bytes(0, dst_stride - row_len)
                    };
                }
            }
        }
        #[cfg(all(target_arch = "x86_64", not(miri)))]
        if stream {
            stream::fence();
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
        if self.mapped != 0 {
            // SAFETY: from mapped::alloc with this size, freed once.
            unsafe { mapped::free(self.ptr, self.mapped) }
        } else {
            // SAFETY: allocated by posix_memalign in c_alloc, freed once.
            unsafe { libc::free(self.ptr.as_ptr().cast()) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::span;

    fn pattern(len: usize, seed: u8) -> Vec<u8> {
        (0..len)
            .map(|i| (i as u8).wrapping_mul(7) ^ seed ^ (i >> 9) as u8)
            .collect()
    }

    /// Copies `height` rows and checks every byte of the result, padding included.
    fn check(row_len: usize, height: usize, src_stride: usize, dst_stride: usize, seed: u8) {
        let buf = pattern(span(height, src_stride, row_len).unwrap() + 1, seed);
        let src = &buf[1..]; // an odd source address
        let pixels = PixelAlloc::copy_rows(src, src_stride, row_len, height, dst_stride).unwrap();
        let out = pixels.as_slice();
        assert_eq!(out.len(), span(height, dst_stride, row_len).unwrap());
        for y in 0..height {
            let row = &out[y * dst_stride..y * dst_stride + row_len];
            assert!(
                row == &src[y * src_stride..y * src_stride + row_len],
                "row {y}"
            );
            if y + 1 < height {
                let padding = &out[y * dst_stride + row_len..(y + 1) * dst_stride];
                assert!(padding.iter().all(|&b| b == 0), "padding of row {y}");
            }
        }
    }

    #[test]
    fn small_copies() {
        check(3, 5, 7, 3, 1);
        check(3, 5, 7, 8, 2);
        check(64, 1, 64, 64, 3);
    }

    #[test]
    #[cfg_attr(miri, ignore = "large copies")]
    fn large_copies_mapped_and_streamed() {
        check(4099, 1100, 4133, 4099, 4); // 4.5 MB: mapped, ordinary copy
        check(15360, 1100, 15424, 15360, 5); // 16.9 MB: streamed row by row
        check(30720, 600, 30720, 30720, 6); // 18.4 MB: streamed in one piece
        check(1001, 17000, 1003, 1008, 7); // 17.1 MB: odd rows, zeroed padding
    }

    #[test]
    #[cfg_attr(miri, ignore = "large copies")]
    fn spare_blocks_are_reused_at_any_size() {
        // Sizes up and down, so spare blocks are taken whole, cut down, or too small.
        for (i, mb) in [9usize, 5, 5, 13, 4, 9, 21, 6].into_iter().enumerate() {
            check(1 << 20, mb, 1 << 20, 1 << 20, i as u8);
        }
    }

    #[test]
    #[cfg_attr(miri, ignore = "large copies")]
    fn spare_blocks_across_threads() {
        let threads: Vec<_> = (0..4u8)
            .map(|t| {
                std::thread::spawn(move || {
                    for i in 0..6u8 {
                        check(
                            1 << 20,
                            4 + usize::from((t + i) % 3) * 3,
                            1 << 20,
                            1 << 20,
                            t ^ i,
                        );
                    }
                })
            })
            .collect();
        for thread in threads {
            thread.join().unwrap();
        }
    }
}
