//! Shared pieces of the fuzz targets: guarded caller buffers, release-callback counters,
//! colour spaces and `vImage_CGImageFormat`s built from structured fuzz input.
//!
//! Everything here calls the library through its C ABI (`vimage::ffi`), as a C program would.
#![feature(cfg_sanitize)]
#![allow(clippy::missing_safety_doc, non_upper_case_globals)]

use std::ffi::c_void;
use std::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};

use arbitrary::Arbitrary;
use vimage::ffi::cf_base::CFRelease;
use vimage::ffi::cg_color_space::*;
use vimage::types::*;

// ---- guarded memory -----------------------------------------------------------------------------

/// Bytes of guard before and after every caller buffer.
pub const GUARD: usize = 64;
const GUARD_BYTE: u8 = 0xA5;

#[cfg(sanitize = "address")]
unsafe extern "C" {
    fn __asan_poison_memory_region(addr: *const c_void, size: usize);
    fn __asan_unpoison_memory_region(addr: *const c_void, size: usize);
}

/// Marks memory unreadable and unwritable for AddressSanitizer (a no-op without it), so that
/// the library touching a guard is reported where it happens; the guard's pattern is checked
/// too, for builds without ASan.
fn poison(ptr: *const u8, len: usize) {
    #[cfg(sanitize = "address")]
    // SAFETY: the range lies inside an allocation owned by the caller.
    unsafe {
        __asan_poison_memory_region(ptr.cast(), len)
    };
    let _ = (ptr, len);
}

fn unpoison(ptr: *const u8, len: usize) {
    #[cfg(sanitize = "address")]
    // SAFETY: as for poison.
    unsafe {
        __asan_unpoison_memory_region(ptr.cast(), len)
    };
    let _ = (ptr, len);
}

/// A caller buffer of `len` bytes between two poisoned guards, from `malloc` (so ASan also
/// sees the ends of the whole block). `misalign` (0..8) shifts the start off 8-byte alignment.
pub struct Guarded {
    block: *mut u8,
    block_len: usize,
    start: usize,
    len: usize,
}

impl Guarded {
    pub fn new(len: usize, misalign: usize) -> Guarded {
        let misalign = misalign % 8;
        let start = GUARD + misalign;
        let block_len = start + len + GUARD;
        // SAFETY: plain allocation; checked for NULL below.
        let block = unsafe { libc::malloc(block_len) }.cast::<u8>();
        assert!(!block.is_null(), "malloc({block_len}) failed");
        // SAFETY: the whole block is ours.
        unsafe { block.write_bytes(GUARD_BYTE, block_len) };
        let g = Guarded {
            block,
            block_len,
            start,
            len,
        };
        poison(block, start);
        // SAFETY: in bounds of the block.
        poison(unsafe { block.add(start + len) }, GUARD);
        g
    }

    pub fn ptr(&self) -> *mut u8 {
        // SAFETY: in bounds of the block.
        unsafe { self.block.add(self.start) }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn bytes(&self) -> &[u8] {
        // SAFETY: `len` initialised bytes of the block.
        unsafe { std::slice::from_raw_parts(self.ptr(), self.len) }
    }

    pub fn bytes_mut(&mut self) -> &mut [u8] {
        // SAFETY: `len` initialised bytes of the block, borrowed mutably through self.
        unsafe { std::slice::from_raw_parts_mut(self.ptr(), self.len) }
    }

    /// Fills the buffer with `pattern` repeated (or a counter when it is empty).
    pub fn fill(&mut self, pattern: &[u8]) {
        fill(self.bytes_mut(), pattern);
    }

    /// Panics if a guard byte changed.
    pub fn check_guards(&self, what: &str) {
        unpoison(self.block, self.block_len);
        // SAFETY: the whole block is initialised and ours.
        let all = unsafe { std::slice::from_raw_parts(self.block, self.block_len) };
        let head = &all[..self.start];
        let tail = &all[self.start + self.len..];
        assert!(
            head.iter().chain(tail).all(|&b| b == GUARD_BYTE),
            "{what}: guard bytes around the caller's buffer were written"
        );
        poison(self.block, self.start);
        poison(tail.as_ptr(), GUARD);
    }
}

impl Drop for Guarded {
    fn drop(&mut self) {
        unpoison(self.block, self.block_len);
        // SAFETY: allocated with malloc in new, freed once.
        unsafe { libc::free(self.block.cast()) };
    }
}

/// `pattern` repeated over `out` (a counter when the pattern is empty).
pub fn fill(out: &mut [u8], pattern: &[u8]) {
    // One period of 256 pattern lengths, then doubling copies (large buffers stay cheap).
    let period = if pattern.is_empty() {
        256
    } else {
        pattern.len() * 256
    };
    let first = out.len().min(period);
    for (i, b) in out[..first].iter_mut().enumerate() {
        *b = if pattern.is_empty() {
            (i as u8).wrapping_mul(37).wrapping_add(11)
        } else {
            pattern[i % pattern.len()] ^ ((i / pattern.len()) as u8).wrapping_mul(59)
        };
    }
    let mut done = first;
    while done < out.len() {
        let n = done.min(out.len() - done);
        out.copy_within(..n, done);
        done += n;
    }
}

// ---- release callbacks --------------------------------------------------------------------------

/// Counts the calls of a release callback and checks its arguments.
#[derive(Default)]
/// The callbacks also poison the released bytes for ASan, so a read after the release (a
/// holder that outlives the callback) is reported.
pub struct Tracker {
    pub calls: AtomicUsize,
    pub expected: AtomicPtr<c_void>,
    pub wrong_args: AtomicUsize,
    /// Bytes at `expected` to poison when released (0: none).
    pub len: AtomicUsize,
}

impl Tracker {
    pub fn new(expected: *const c_void) -> Box<Tracker> {
        Self::with_len(expected, 0)
    }

    pub fn with_len(expected: *const c_void, len: usize) -> Box<Tracker> {
        Box::new(Tracker {
            calls: AtomicUsize::new(0),
            expected: AtomicPtr::new(expected.cast_mut()),
            wrong_args: AtomicUsize::new(0),
            len: AtomicUsize::new(len),
        })
    }

    fn released(&self, data: *const c_void) {
        let expected = self.expected.load(Ordering::SeqCst);
        if data != expected.cast_const() {
            self.wrong_args.fetch_add(1, Ordering::SeqCst);
        } else if self.calls.load(Ordering::SeqCst) == 0 {
            poison(data.cast(), self.len.load(Ordering::SeqCst));
        }
        self.calls.fetch_add(1, Ordering::SeqCst);
    }

    pub fn user_data(&self) -> *mut c_void {
        (self as *const Tracker).cast_mut().cast()
    }

    pub fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }

    pub fn assert_calls(&self, n: usize, when: &str) {
        assert_eq!(self.calls(), n, "release callback calls {when}");
        assert_eq!(
            self.wrong_args.load(Ordering::SeqCst),
            0,
            "release callback got the wrong arguments"
        );
    }
}

/// `vImageCreateCGImageFromBuffer`'s callback: `userData` is a [`Tracker`].
pub unsafe extern "C" fn vimage_release(user_data: *mut c_void, data: *mut c_void) {
    // SAFETY: the fuzz targets pass a live Tracker as userData.
    unsafe { &*user_data.cast::<Tracker>() }.released(data);
}

/// `CGDataProviderCreateWithData`'s callback: `info` is a [`Tracker`].
pub unsafe extern "C" fn provider_release(info: *mut c_void, data: *const c_void, size: usize) {
    // SAFETY: the fuzz targets pass a live Tracker as info.
    let t = unsafe { &*info.cast::<Tracker>() };
    if size != t.len.load(Ordering::SeqCst) {
        t.wrong_args.fetch_add(1, Ordering::SeqCst);
    }
    t.released(data);
}

// ---- colour spaces ------------------------------------------------------------------------------

/// What `format->colorSpace` (or `CGImageCreate`'s space) is.
#[derive(Arbitrary, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Space {
    Null,
    DeviceGray,
    DeviceRgb,
    DeviceCmyk,
    /// `CGColorSpaceCreateWithName(kCGColorSpaceGenericGrayGamma2_2)`.
    NamedGray,
    /// `CGColorSpaceCreateWithName(kCGColorSpaceSRGB)`.
    NamedSrgb,
    /// `CGColorSpaceCreateWithName(kCGColorSpaceGenericCMYK)`.
    NamedCmyk,
    /// A CFData: an object of this library, but not a colour space.
    NotASpace,
    /// Zeroed memory that is no object at all.
    Foreign,
}

/// A colour space reference owned by the fuzz target (released on drop).
pub struct SpaceRef {
    pub ptr: CGColorSpaceRef,
    owned: bool,
}

static FOREIGN_OBJECT: [u64; 8] = [0; 8];

impl Space {
    /// Colour channels, when this is a colour space.
    pub fn components(self) -> Option<u32> {
        match self {
            Space::Null | Space::DeviceRgb | Space::NamedSrgb => Some(3),
            Space::DeviceGray | Space::NamedGray => Some(1),
            Space::DeviceCmyk | Space::NamedCmyk => Some(4),
            Space::NotASpace | Space::Foreign => None,
        }
    }

    pub fn make(self) -> SpaceRef {
        use vimage::ffi::cg_color_space_names as names;
        // SAFETY: the exported name constants are valid CFStrings; CFDataCreate copies 4 bytes.
        let (ptr, owned): (CGColorSpaceRef, bool) = unsafe {
            match self {
                Space::Null => (std::ptr::null_mut(), false),
                Space::DeviceGray => (CGColorSpaceCreateDeviceGray(), true),
                Space::DeviceRgb => (CGColorSpaceCreateDeviceRGB(), true),
                Space::DeviceCmyk => (CGColorSpaceCreateDeviceCMYK(), true),
                Space::NamedGray => (
                    CGColorSpaceCreateWithName(names::kCGColorSpaceGenericGrayGamma2_2),
                    true,
                ),
                Space::NamedSrgb => (CGColorSpaceCreateWithName(names::kCGColorSpaceSRGB), true),
                Space::NamedCmyk => (
                    CGColorSpaceCreateWithName(names::kCGColorSpaceGenericCMYK),
                    true,
                ),
                Space::NotASpace => (
                    vimage::ffi::cf_data::CFDataCreate(
                        CFAllocatorRef(std::ptr::null()),
                        b"data".as_ptr(),
                        4,
                    )
                    .cast_mut()
                    .cast(),
                    true,
                ),
                Space::Foreign => (FOREIGN_OBJECT.as_ptr().cast_mut().cast(), false),
            }
        };
        if owned {
            assert!(!ptr.is_null(), "{self:?}: creating the object failed");
        }
        SpaceRef { ptr, owned }
    }

    /// The same space for the safe Rust API (`None` = NULL = sRGB); `Err` if not a space.
    pub fn rust(self) -> Result<Option<vimage::Cf<vimage::ColorSpace>>, ()> {
        use vimage::cg::color_space::Known;
        let known = |k| Ok(Some(vimage::ColorSpace::create(k)));
        match self {
            Space::Null => Ok(None),
            Space::DeviceGray | Space::NamedGray => known(Known::DeviceGray),
            Space::DeviceRgb | Space::NamedSrgb => known(Known::DeviceRgb),
            Space::DeviceCmyk | Space::NamedCmyk => known(Known::DeviceCmyk),
            Space::NotASpace | Space::Foreign => Err(()),
        }
    }
}

impl Drop for SpaceRef {
    fn drop(&mut self) {
        if self.owned {
            // SAFETY: we own one reference from a Create function.
            unsafe { CFRelease(self.ptr.cast_const().cast()) };
        }
    }
}

// ---- formats ------------------------------------------------------------------------------------

/// A decode array choice.
#[derive(Arbitrary, Debug, Clone)]
pub enum Decode {
    Null,
    /// `kvImageDecodeArray_16Q12Format`.
    Q12,
    /// Ten values (enough for any format), read up to the format's count.
    Values([f64; 10]),
}

impl Decode {
    pub fn is_q12(&self) -> bool {
        matches!(self, Decode::Q12)
    }
}

/// The 16Q12 marker pointer (the value of the exported variable).
pub fn q12_pointer() -> *const CGFloat {
    // SAFETY: the library initialises the exported variable statically and never writes it.
    unsafe { *std::ptr::addr_of!(vimage::ffi::vimage_converter::kvImageDecodeArray_16Q12Format) }
}

/// Selectors for every field of a pixel format. Most selector values give consistent formats
/// (so that inputs get past validation); a few give raw or out-of-range values.
#[derive(Arbitrary, Debug, Clone)]
pub struct Fmt {
    pub bpc: u8,
    pub bpp: u8,
    pub space: Space,
    pub alpha: u8,
    pub float: u8,
    pub order: u8,
    pub packed: u8,
    pub unknown_bits: u8,
    pub version: u8,
    pub intent: u8,
    pub decode: Decode,
    pub raw: u32,
}

/// A format's fields as C sees them (the colour space is made separately, from `space`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fields {
    pub bpc: u32,
    pub bpp: u32,
    pub bitmap_info: u32,
    pub version: u32,
    pub intent: i32,
}

impl Fmt {
    pub fn fields(&self) -> Fields {
        let raw = self.raw;
        let bpc = match self.bpc % 20 {
            0..=3 => 8,
            4 | 5 => 16,
            6 | 7 => 32,
            8 => 5,
            9 => 10,
            10 => 1,
            11 => 2,
            12 => 4,
            13 => 0,
            14 => 3,
            15 => 12,
            16 => 64,
            17 => raw & 0xff,
            _ => 8,
        };
        let alpha = match self.alpha % 12 {
            a @ 0..=7 => a as u32,
            8 => 8 + raw % 24, // inside the mask, no such value
            _ => 0,
        };
        let float = match self.float % 8 {
            0 => true,
            1 => false,
            _ => bpc == 32,
        };
        let order = match self.order % 16 {
            0..=5 => 0,
            6 | 7 => 1,
            8 | 9 => 2,
            10 => 3,
            11 => 4,
            12 => 5 + raw % 3,
            _ => match bpc {
                16 => 1,
                32 => 2,
                _ => 0,
            },
        };
        let packed = match self.packed % 16 {
            p @ 0..=4 => p as u32,
            5 => 5 + raw % 11,
            // Fitting the component size.
            p => match bpc {
                5 => [0, 1, 2][p as usize % 3],
                10 => [3, 4][p as usize % 2],
                _ => 0,
            },
        };
        let mut bitmap_info = alpha | (order << 12) | (packed << 16);
        if float {
            bitmap_info |= kCGBitmapFloatComponents;
        }
        if self.unknown_bits == 0xff {
            bitmap_info |= 1 << (20 + raw % 12);
        } else if self.unknown_bits == 0xfe {
            bitmap_info = raw;
        }
        let colours = if alpha == kCGImageAlphaOnly {
            0
        } else {
            self.space.components().unwrap_or(3)
        };
        let channels = colours + u32::from(alpha != kCGImageAlphaNone);
        let natural = match bpc {
            5 => 16,
            10 => 32,
            1 | 2 | 4 => bpc,
            _ => bpc.wrapping_mul(channels),
        };
        let bpp = match self.bpp % 16 {
            0..=10 => natural,
            11 => natural + 8,
            12 => natural.wrapping_sub(1),
            13 => natural * 2,
            14 => 0,
            _ => raw % 300,
        };
        let version = if self.version >= 0xf0 { 1 + raw % 3 } else { 0 };
        let intent = match self.intent % 16 {
            i @ 0..=4 => i as i32,
            13 => -1,
            14 => 5,
            15 => raw as i32,
            _ => 0,
        };
        Fields {
            bpc,
            bpp,
            bitmap_info,
            version,
            intent,
        }
    }

    /// The C format, with `space` as its colour space.
    pub fn c_format(&self, space: &SpaceRef) -> vImage_CGImageFormat {
        let f = self.fields();
        vImage_CGImageFormat {
            bitsPerComponent: f.bpc,
            bitsPerPixel: f.bpp,
            colorSpace: space.ptr,
            bitmapInfo: f.bitmap_info,
            version: f.version,
            decode: match &self.decode {
                Decode::Null => std::ptr::null(),
                Decode::Q12 => q12_pointer(),
                Decode::Values(v) => v.as_ptr(),
            },
            renderingIntent: f.intent,
        }
    }

    /// The same format for the safe Rust API; `None` if its colour space is not one.
    pub fn rust(&self) -> Option<vimage::ImageFormat> {
        let f = self.fields();
        let space = self.space.rust().ok()?;
        let mut format = vimage::ImageFormat {
            bits_per_component: f.bpc,
            bits_per_pixel: f.bpp,
            color_space: space,
            bitmap_info: f.bitmap_info,
            decode: None,
            q12: self.decode.is_q12(),
            rendering_intent: f.intent,
        };
        if let Decode::Values(v) = &self.decode {
            format.decode = Some(v[..format.decode_len_public()].to_vec());
        }
        Some(format)
    }
}

/// `decode_len` of the library is crate-private; this is the same rule.
trait DecodeLen {
    fn decode_len_public(&self) -> usize;
}

impl DecodeLen for vimage::ImageFormat {
    fn decode_len_public(&self) -> usize {
        let alpha = self.bitmap_info & kCGBitmapAlphaInfoMask;
        let colour = if alpha == kCGImageAlphaOnly {
            0
        } else {
            self.model().components() as usize
        };
        let real_alpha = !matches!(
            alpha,
            kCGImageAlphaNone | kCGImageAlphaNoneSkipFirst | kCGImageAlphaNoneSkipLast
        ) && alpha <= kCGImageAlphaOnly;
        2 * (colour + usize::from(real_alpha))
    }
}

// ---- geometry and errors ------------------------------------------------------------------------

/// Bytes of a row of `width` pixels of `bpp` bits (exact, no overflow).
pub fn row_len(width: u128, bpp: u32) -> u128 {
    width.saturating_mul(u128::from(bpp)).div_ceil(8)
}

/// Bytes spanned by `height` rows of `row` bytes, `stride` apart (the library's `span`).
pub fn span(height: u128, stride: u128, row: u128) -> u128 {
    if height == 0 {
        0
    } else {
        (height - 1).saturating_mul(stride).saturating_add(row)
    }
}

/// The negative `vImage_Error` codes the README documents for the bridge functions
/// (kvImageInternalError means a caught panic, so it is not among them).
pub const DOCUMENTED_ERRORS: &[vImage_Error] = &[
    kvImageMemoryAllocationError,
    kvImageNullPointerArgument,
    kvImageInvalidParameter,
    kvImageBufferSizeMismatch,
    kvImageUnknownFlagsBit,
    kvImageInvalidRowBytes,
    kvImageInvalidImageFormat,
    kvImageInvalidImageObject,
];

pub fn assert_documented(code: vImage_Error, allowed: &[vImage_Error], what: &str) {
    assert!(
        allowed.contains(&code),
        "{what}: error {code} is not one of the documented codes {allowed:?}"
    );
}

/// Flags from a selector: mostly the given useful bits, sometimes an arbitrary word.
/// `kvImagePrintDiagnosticsToConsole` is kept rare: it only prints.
pub fn flags(sel: u8, useful: &[vImage_Flags], raw: u32) -> vImage_Flags {
    let mut f = 0;
    for (i, bit) in useful.iter().enumerate() {
        if sel & (1 << i) != 0 {
            f |= bit;
        }
    }
    match sel >> 5 {
        7 => raw & !kvImagePrintDiagnosticsToConsole,
        6 if raw % 64 == 0 && diagnostics_allowed() => f | kvImagePrintDiagnosticsToConsole,
        _ => f,
    }
}

/// Diagnostics only print, so a few inputs per process cover that path; printing on every
/// input would slow fuzzing down (an input replayed alone still prints).
fn diagnostics_allowed() -> bool {
    static PRINTED: AtomicUsize = AtomicUsize::new(0);
    PRINTED.fetch_add(1, Ordering::Relaxed) < 16
}

// ---- outcome statistics -------------------------------------------------------------------------

/// Counts an outcome when `VIMAGE_FUZZ_STATS` is set; the counts are printed at exit. Used to
/// check that the inputs reach the paths that matter (successes, not only argument errors).
pub fn stat(what: &'static str) {
    use std::collections::BTreeMap;
    use std::sync::{Mutex, OnceLock};
    static ENABLED: OnceLock<bool> = OnceLock::new();
    static COUNTS: Mutex<BTreeMap<&'static str, u64>> = Mutex::new(BTreeMap::new());
    extern "C" fn print() {
        if let Ok(counts) = COUNTS.lock() {
            for (k, v) in counts.iter() {
                eprintln!("stat {k}: {v}");
            }
        }
    }
    if !*ENABLED.get_or_init(|| {
        let on = std::env::var_os("VIMAGE_FUZZ_STATS").is_some();
        if on {
            // SAFETY: registering a plain extern "C" function.
            unsafe { libc::atexit(print) };
        }
        on
    }) {
        return;
    }
    if let Ok(mut counts) = COUNTS.lock() {
        *counts.entry(what).or_insert(0) += 1;
    }
}
