//! Benchmarks of the buffer -> CGImage bridge, through the exported C functions.
//!
//! Run with `cargo bench --bench bridge`. Every measurement is a set of timed batches run
//! interleaved with its baseline (in alternating order, so background load drifting during the
//! run hits both alike); a result is the median over batches, with the fastest batch beside it.
//! The output is a markdown table that can be pasted into the README, followed by a table of
//! allocation strategies (what decided `src/alloc.rs`) and one of noise and page faults.

use std::cell::Cell;
use std::ffi::c_void;
use std::fmt::Write as _;
use std::hint::black_box;
use std::ptr::{NonNull, null_mut};
use std::sync::atomic::{AtomicUsize, Ordering, fence};
use std::time::{Duration, Instant};

use vimage::alloc::PixelAlloc;
use vimage::ffi::cg_image::{CGImageGetBytesPerRow, CGImageRelease};
use vimage::ffi::vimage_utilities::{vImageBuffer_InitWithCGImage, vImageCreateCGImageFromBuffer};
use vimage::types::*;

const WIDTH: usize = 3840;
const HEIGHT: usize = 2160;
const ROW: usize = WIDTH * 4;
const PADDED_ROW: usize = ROW + 64;
/// Bytes of one 3840x2160 RGBA8 image with tight rows (33 177 600, about 33 MB).
const IMAGE: usize = ROW * HEIGHT;
/// Images alive at once in the cold-memory measurements.
const LIVE: usize = 8;
const HUGE_PAGE: usize = 2 << 20;
/// Images made before each cold round to take the library's spare blocks (at most 2 are kept).
const SPARE_DRAIN: usize = 2;

// ---- timing harness ---------------------------------------------------------------------------

/// One thing to time: `f` performs `ops` operations per call. A self-timed `f` returns the
/// time of the part that counts (leaving out its own setup); others return `None`.
struct Case<'a> {
    name: &'a str,
    ops: usize,
    f: Box<dyn FnMut() -> Option<Duration> + 'a>,
}

impl<'a> Case<'a> {
    fn new(name: &'a str, mut f: impl FnMut() + 'a) -> Case<'a> {
        Case {
            name,
            ops: 1,
            f: Box::new(move || {
                f();
                None
            }),
        }
    }

    fn self_timed(name: &'a str, ops: usize, mut f: impl FnMut() -> Duration + 'a) -> Case<'a> {
        Case {
            name,
            ops,
            f: Box::new(move || Some(f())),
        }
    }
}

/// Per-operation times of the batches of one case.
#[derive(Clone)]
struct Sample {
    name: String,
    ns: Vec<f64>,
    faults_per_op: f64,
    ops: usize,
}

impl Sample {
    fn sorted(&self) -> Vec<f64> {
        let mut v = self.ns.clone();
        v.sort_by(f64::total_cmp);
        v
    }
    fn median(&self) -> f64 {
        let v = self.sorted();
        let n = v.len();
        if n % 2 == 1 {
            v[n / 2]
        } else {
            (v[n / 2 - 1] + v[n / 2]) / 2.0
        }
    }
    fn min(&self) -> f64 {
        self.sorted()[0]
    }
    /// Spread of the batches: (slowest - fastest) / median.
    fn spread(&self) -> f64 {
        let v = self.sorted();
        (v[v.len() - 1] - v[0]) / self.median()
    }
    /// Interquartile range / median: how far typical batches are from each other.
    fn iqr(&self) -> f64 {
        let v = self.sorted();
        let q = |p: f64| v[((v.len() - 1) as f64 * p).round() as usize];
        (q(0.75) - q(0.25)) / self.median()
    }
}

/// Minor page faults of this process so far.
fn minor_faults() -> i64 {
    // SAFETY: an all-zero rusage is a valid value; getrusage writes it.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: RUSAGE_SELF with a valid out-pointer.
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    usage.ru_minflt
}

/// Runs `warmup` untimed calls of each case, then `batches` rounds; in each round every case
/// runs one timed batch of `calls` calls. The order of the cases rotates from round to round,
/// so each case runs in every position and after every other case equally often.
fn compare(batches: usize, calls: usize, warmup: usize, cases: &mut [Case<'_>]) -> Vec<Sample> {
    for case in cases.iter_mut() {
        for _ in 0..warmup {
            (case.f)();
        }
    }
    let mut samples: Vec<Sample> = cases
        .iter()
        .map(|c| Sample {
            name: c.name.to_string(),
            ns: Vec::with_capacity(batches),
            faults_per_op: 0.0,
            ops: 0,
        })
        .collect();
    let mut faults = vec![0i64; cases.len()];
    for round in 0..batches {
        for k in 0..cases.len() {
            let i = (round + k) % cases.len();
            let case = &mut cases[i];
            let f0 = minor_faults();
            let start = Instant::now();
            let mut own: Option<Duration> = None;
            for _ in 0..calls {
                if let Some(d) = (case.f)() {
                    *own.get_or_insert_default() += d;
                }
            }
            let elapsed = own.unwrap_or_else(|| start.elapsed()).as_nanos() as f64;
            faults[i] += minor_faults() - f0;
            samples[i].ns.push(elapsed / (calls * case.ops) as f64);
            samples[i].ops += calls * case.ops;
        }
    }
    for (sample, faults) in samples.iter_mut().zip(faults) {
        sample.faults_per_op = faults as f64 / sample.ops as f64;
    }
    samples
}

fn fmt_time(ns: f64) -> String {
    if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.1} µs", ns / 1e3)
    } else {
        format!("{ns:.1} ns")
    }
}

/// What a result is held to.
enum Goal {
    /// time / baseline at most this.
    RatioAtMost(f64, &'static str),
    /// median time at most this many ns, and time / baseline reported only.
    NsAtMost(f64),
    /// Reported only.
    None,
}

struct Row {
    what: String,
    time: Sample,
    base: Sample,
    goal: Goal,
}

impl Row {
    fn ratio(&self) -> f64 {
        self.time.median() / self.base.median()
    }
    fn pass(&self) -> Option<bool> {
        match self.goal {
            Goal::RatioAtMost(max, _) => Some(self.ratio() <= max),
            Goal::NsAtMost(max) => Some(self.time.median() <= max),
            Goal::None => None,
        }
    }
    fn goal_text(&self) -> String {
        match self.goal {
            Goal::RatioAtMost(_, text) => text.to_string(),
            Goal::NsAtMost(max) => format!("≤ {max:.0} ns"),
            Goal::None => "—".to_string(),
        }
    }
}

fn table(rows: &[Row]) -> String {
    let mut out = String::new();
    out.push_str(
        "| what | time / op (median; min) | baseline | baseline / op (median; min) \
         | ratio (time / baseline) | goal | result |\n",
    );
    out.push_str("|---|---|---|---|---|---|---|\n");
    for row in rows {
        let result = match row.pass() {
            Some(true) => "pass",
            Some(false) => "**FAIL**",
            None => "info",
        };
        let _ = writeln!(
            out,
            "| {} | {}; {} | {} | {}; {} | {:.3} | {} | {} |",
            row.what,
            fmt_time(row.time.median()),
            fmt_time(row.time.min()),
            row.base.name,
            fmt_time(row.base.median()),
            fmt_time(row.base.min()),
            row.ratio(),
            row.goal_text(),
            result
        );
    }
    out
}

fn noise_table(samples: &[&Sample]) -> String {
    let mut out = String::new();
    out.push_str("| measurement | batches × ops | IQR / median | (max − min) / median | minor faults / op |\n");
    out.push_str("|---|---|---|---|---|\n");
    for s in samples {
        let _ = writeln!(
            out,
            "| {} | {} × {} | {:.1} % | {:.1} % | {:.1} |",
            s.name,
            s.ns.len(),
            s.ops / s.ns.len(),
            100.0 * s.iqr(),
            100.0 * s.spread(),
            s.faults_per_op
        );
    }
    out
}

// ---- memory helpers ---------------------------------------------------------------------------

/// An anonymous mapping, outside malloc's heap so that the benchmark's own buffers do not
/// change what malloc reuses.
struct Map {
    ptr: NonNull<u8>,
    len: usize,
}

impl Map {
    fn new(len: usize, extra_flags: libc::c_int) -> Map {
        // SAFETY: a fresh private anonymous mapping; no existing memory is affected.
        let ptr = unsafe {
            libc::mmap(
                null_mut(),
                len,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | extra_flags,
                -1,
                0,
            )
        };
        assert_ne!(ptr, libc::MAP_FAILED, "mmap of {len} bytes failed");
        Map {
            ptr: NonNull::new(ptr.cast()).expect("mmap never returns NULL on success"),
            len,
        }
    }

    /// A mapping filled with a pattern (so every page is present).
    fn filled(len: usize, seed: u8) -> Map {
        let map = Map::new(len, 0);
        // SAFETY: len writable bytes, exclusively ours.
        let bytes = unsafe { std::slice::from_raw_parts_mut(map.ptr.as_ptr(), len) };
        for (i, b) in bytes.iter_mut().enumerate() {
            *b = (i as u8)
                .wrapping_mul(31)
                .wrapping_add(seed ^ (i >> 12) as u8);
        }
        map
    }

    /// `len` bytes starting at a 2 MiB boundary, advised for huge pages.
    fn huge_aligned(len: usize) -> Map {
        let len = len.next_multiple_of(HUGE_PAGE);
        let raw = Map::new(len + HUGE_PAGE, 0);
        let base = raw.ptr.as_ptr() as usize;
        let start = base.next_multiple_of(HUGE_PAGE);
        std::mem::forget(raw);
        // SAFETY: both trimmed pieces lie inside the mapping just made and are not used.
        unsafe {
            if start > base {
                libc::munmap(base as *mut c_void, start - base);
            }
            let end = base + len + HUGE_PAGE;
            if end > start + len {
                libc::munmap((start + len) as *mut c_void, end - start - len);
            }
            libc::madvise(start as *mut c_void, len, libc::MADV_HUGEPAGE);
        }
        Map {
            ptr: NonNull::new(start as *mut u8).expect("inside a mapping"),
            len,
        }
    }

    fn as_ptr(&self) -> *mut u8 {
        self.ptr.as_ptr()
    }

    fn bytes(&self) -> &[u8] {
        // SAFETY: the mapping is readable for len bytes while self lives.
        unsafe { std::slice::from_raw_parts(self.ptr.as_ptr(), self.len) }
    }
}

impl Drop for Map {
    fn drop(&mut self) {
        // SAFETY: our own mapping, unmapped once.
        unsafe { libc::munmap(self.ptr.as_ptr().cast(), self.len) };
    }
}

fn memcpy(dst: *mut u8, src: *const u8, len: usize) {
    // SAFETY: callers pass len readable bytes at src and len writable bytes at dst, disjoint.
    unsafe { libc::memcpy(dst.cast(), src.cast(), len) };
}

/// Gives the top of malloc's heap back to the kernel, so the next allocations are fresh pages.
fn trim_heap() {
    // SAFETY: plain glibc call; only releases free memory.
    unsafe { libc::malloc_trim(0) };
}

// ---- the bridge through its C API -------------------------------------------------------------

fn rgba_format() -> vImage_CGImageFormat {
    vImage_CGImageFormat {
        bitsPerComponent: 8,
        bitsPerPixel: 32,
        colorSpace: null_mut(),
        bitmapInfo: kCGImageAlphaPremultipliedLast,
        version: 0,
        decode: std::ptr::null(),
        renderingIntent: kCGRenderingIntentDefault,
    }
}

fn buffer(data: *mut u8, width: usize, height: usize, row_bytes: usize) -> vImage_Buffer {
    vImage_Buffer {
        data: data.cast(),
        height: height as vImagePixelCount,
        width: width as vImagePixelCount,
        rowBytes: row_bytes,
    }
}

/// `vImageCreateCGImageFromBuffer`; panics on failure (a benchmark of a failing call is void).
fn create(
    buf: &vImage_Buffer,
    format: &vImage_CGImageFormat,
    callback: vImageReleaseCallback,
    user_data: *mut c_void,
    flags: vImage_Flags,
) -> CGImageRef {
    let mut error: vImage_Error = 1;
    // SAFETY: buf and format are valid; in no-copy mode the callback does not free the memory,
    // which outlives every image made from it.
    let image = unsafe {
        vImageCreateCGImageFromBuffer(buf, format, callback, user_data, flags, &mut error)
    };
    assert!(!image.is_null() && error == kvImageNoError, "error {error}");
    image
}

fn release(image: CGImageRef) {
    // SAFETY: we own the reference returned by create().
    unsafe { CGImageRelease(image) }
}

/// The no-copy destructor: counts calls through `userData`; the buffer is reused.
unsafe extern "C" fn count_release(user_data: *mut c_void, _data: *mut c_void) {
    // SAFETY: user_data is the address of a live AtomicUsize (see no_copy_cases).
    unsafe { &*user_data.cast::<AtomicUsize>() }.fetch_add(1, Ordering::Relaxed);
}

/// Checks once, untimed, that copy mode really copies `src` into tight rows.
fn check_copy(src: &Map, row_bytes: usize) {
    let format = rgba_format();
    let image = create(
        &buffer(src.as_ptr(), WIDTH, HEIGHT, row_bytes),
        &format,
        None,
        null_mut(),
        0,
    );
    // SAFETY: a live image.
    assert_eq!(unsafe { CGImageGetBytesPerRow(image) }, ROW);
    let out = Map::new(IMAGE, 0);
    let mut out_buf = buffer(out.as_ptr(), WIDTH, HEIGHT, ROW);
    let mut format = format;
    // SAFETY: out_buf describes IMAGE writable bytes; the image is live.
    let rc = unsafe {
        vImageBuffer_InitWithCGImage(
            &mut out_buf,
            &mut format,
            std::ptr::null(),
            image,
            kvImageNoAllocate,
        )
    };
    assert_eq!(rc, kvImageNoError);
    for y in 0..HEIGHT {
        assert_eq!(
            &out.bytes()[y * ROW..(y + 1) * ROW],
            &src.bytes()[y * row_bytes..y * row_bytes + ROW],
            "row {y}"
        );
    }
    release(image);
}

// ---- the measurements -------------------------------------------------------------------------

const CHILD_FLAG: &str = "--cold-malloc-child";

/// Cold malloc + memcpy, measured in a fresh process: once any MADV_HUGEPAGE touched malloc's
/// heap (the old strategy does), later heap pages may come as huge pages too.
fn cold_malloc_in_child() -> Sample {
    let exe = std::env::current_exe().expect("path of the benchmark");
    let out = std::process::Command::new(exe)
        .arg(CHILD_FLAG)
        .output()
        .expect("run the benchmark's child");
    assert!(out.status.success(), "child failed: {out:?}");
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    let mut numbers = text
        .split_whitespace()
        .map(|w| w.parse::<f64>().expect("number"));
    let faults_per_op = numbers.next().expect("faults");
    let ns: Vec<f64> = numbers.collect();
    Sample {
        name: "cold, 8 alive: malloc + memcpy (fresh process, no MADV_HUGEPAGE)".into(),
        ops: ns.len() * LIVE,
        ns,
        faults_per_op,
    }
}

/// The child side: prints minor faults per image, then the time per image of each round.
fn cold_malloc_child() {
    let src = Map::filled(IMAGE, 5);
    let rounds = 9;
    let mut ns = Vec::new();
    let f0 = minor_faults();
    for _ in 0..rounds {
        trim_heap();
        let start = Instant::now();
        let blocks: Vec<*mut u8> = (0..LIVE)
            .map(|_| {
                // SAFETY: checked for NULL below.
                let p = unsafe { libc::malloc(IMAGE) }.cast::<u8>();
                assert!(!p.is_null());
                memcpy(p, src.as_ptr(), IMAGE);
                p
            })
            .collect();
        for p in black_box(blocks) {
            // SAFETY: from malloc, freed once.
            unsafe { libc::free(p.cast()) };
        }
        ns.push(start.elapsed().as_nanos() as f64 / LIVE as f64);
    }
    let faults = (minor_faults() - f0) as f64 / (rounds * LIVE) as f64;
    print!("{faults}");
    for t in ns {
        print!(" {t}");
    }
    println!();
}

fn main() {
    if std::env::args().any(|a| a == CHILD_FLAG) {
        cold_malloc_child();
        return;
    }
    let started = Instant::now();
    let thp = std::fs::read_to_string("/sys/kernel/mm/transparent_hugepage/enabled")
        .unwrap_or_else(|_| "unavailable".into());
    let tight = Map::filled(IMAGE, 1);
    let padded = Map::filled(PADDED_ROW * HEIGHT, 2);
    check_copy(&tight, ROW);
    check_copy(&padded, PADDED_ROW);
    let format = rgba_format();
    let tight_buf = buffer(tight.as_ptr(), WIDTH, HEIGHT, ROW);
    let padded_buf = buffer(padded.as_ptr(), WIDTH, HEIGHT, PADDED_ROW);

    let mut rows = Vec::new();
    let mut noise: Vec<Sample> = Vec::new();

    // 1. Copy mode, create + release in a loop, against malloc + memcpy + free.
    eprintln!("[1/4] copy mode, 3840x2160 RGBA8 ...");
    let copy = compare(
        25,
        6,
        3,
        &mut [
            Case::new("malloc + memcpy + free (33 MB)", || {
                // SAFETY: plain malloc; checked for NULL; freed below.
                let p = unsafe { libc::malloc(IMAGE) }.cast::<u8>();
                assert!(!p.is_null());
                memcpy(p, tight.as_ptr(), IMAGE);
                black_box(p);
                // SAFETY: from malloc above, freed once.
                unsafe { libc::free(p.cast()) };
            }),
            Case::new("copy mode, tight rows (rowBytes 15360)", || {
                release(black_box(create(&tight_buf, &format, None, null_mut(), 0)));
            }),
            Case::new("copy mode, padded rows (rowBytes 15424)", || {
                release(black_box(create(&padded_buf, &format, None, null_mut(), 0)));
            }),
        ],
    );
    for (i, what) in [
        (
            1,
            "1a. copy mode create + release, 3840x2160, rowBytes 15360",
        ),
        (
            2,
            "1b. copy mode create + release, 3840x2160, rowBytes 15424",
        ),
    ] {
        rows.push(Row {
            what: what.into(),
            time: copy[i].clone(),
            base: copy[0].clone(),
            goal: Goal::RatioAtMost(1.0 / 0.9, "≤ 1.111 (throughput ≥ 0.9×)"),
        });
    }
    noise.extend(copy);

    // 2. No-copy mode: two objects and a callback, whatever the size.
    eprintln!("[2/4] no-copy mode ...");
    let released = AtomicUsize::new(0);
    let user_data = (&raw const released).cast_mut().cast::<c_void>();
    let one_pixel = Map::filled(4096, 3);
    let one_buf = buffer(one_pixel.as_ptr(), 1, 1, 4);
    let floor_count = AtomicUsize::new(0);
    let floor_user = (&raw const floor_count).cast_mut().cast::<c_void>();
    let created = Cell::new(0usize);
    let no_copy = compare(
        21,
        50_000,
        10_000,
        &mut [
            Case::new(
                "floor: Box<AtomicUsize> + fetch_sub + free + callback",
                || {
                    let object = black_box(Box::new(AtomicUsize::new(1)));
                    if object.fetch_sub(1, Ordering::Release) == 1 {
                        fence(Ordering::Acquire);
                        drop(object);
                        let callback: unsafe extern "C" fn(*mut c_void, *mut c_void) =
                            black_box(count_release);
                        // SAFETY: floor_user is a live AtomicUsize.
                        unsafe { callback(floor_user, null_mut()) };
                    }
                },
            ),
            Case::new("no-copy create + release, 3840x2160", || {
                let image = create(
                    &tight_buf,
                    &format,
                    Some(count_release),
                    user_data,
                    kvImageNoAllocate,
                );
                release(black_box(image));
                created.set(created.get() + 1);
            }),
            Case::new("no-copy create + release, 1x1", || {
                let image = create(
                    &one_buf,
                    &format,
                    Some(count_release),
                    user_data,
                    kvImageNoAllocate,
                );
                release(black_box(image));
                created.set(created.get() + 1);
            }),
        ],
    );
    assert_eq!(
        released.load(Ordering::Relaxed),
        created.get(),
        "the no-copy callback must run exactly once per image"
    );
    rows.push(Row {
        what: "2a. no-copy create + release, 3840x2160".into(),
        time: no_copy[1].clone(),
        base: no_copy[0].clone(),
        goal: Goal::NsAtMost(60.0),
    });
    rows.push(Row {
        what: "2b. no-copy create + release, 1x1".into(),
        time: no_copy[2].clone(),
        base: no_copy[0].clone(),
        goal: Goal::NsAtMost(60.0),
    });
    rows.push(Row {
        what: "2c. no-copy 3840x2160 vs 1x1 (same cost)".into(),
        time: no_copy[1].clone(),
        base: no_copy[2].clone(),
        goal: Goal::RatioAtMost(1.3, "≤ 1.3 (and ≥ 1/1.3)"),
    });
    noise.extend(no_copy);

    // 3. Cold memory: the same 33 MB copied into pages never touched before.
    eprintln!("[3/4] cold memory ...");
    let warm_dst = Map::filled(IMAGE, 4);
    let cold = compare(
        15,
        3,
        2,
        &mut [
            Case::new("warm memcpy (destination reused)", || {
                memcpy(warm_dst.as_ptr(), tight.as_ptr(), IMAGE);
                black_box(warm_dst.as_ptr());
            }),
            Case::new("mmap + memcpy + munmap", || {
                let map = Map::new(IMAGE, 0);
                memcpy(map.as_ptr(), tight.as_ptr(), IMAGE);
                black_box(map.as_ptr());
            }),
            Case::new("mmap + MADV_HUGEPAGE + memcpy + munmap", || {
                let map = Map::new(IMAGE, 0);
                // SAFETY: our own fresh mapping; only a hint.
                unsafe { libc::madvise(map.as_ptr().cast(), IMAGE, libc::MADV_HUGEPAGE) };
                memcpy(map.as_ptr(), tight.as_ptr(), IMAGE);
                black_box(map.as_ptr());
            }),
            Case::new("mmap(MAP_POPULATE) + memcpy + munmap", || {
                let map = Map::new(IMAGE, libc::MAP_POPULATE);
                memcpy(map.as_ptr(), tight.as_ptr(), IMAGE);
                black_box(map.as_ptr());
            }),
            Case::self_timed(
                "copy mode, 8 images alive, then release all (per image)",
                LIVE,
                || {
                    // Untimed: take the spare blocks the library keeps (src/alloc.rs), which
                    // would make the first images warm, and give malloc's free top back.
                    let drain: Vec<CGImageRef> = (0..SPARE_DRAIN)
                        .map(|_| create(&tight_buf, &format, None, null_mut(), 0))
                        .collect();
                    trim_heap();
                    let start = Instant::now();
                    let images: Vec<CGImageRef> = (0..LIVE)
                        .map(|_| create(&tight_buf, &format, None, null_mut(), 0))
                        .collect();
                    for image in black_box(images) {
                        release(image);
                    }
                    let elapsed = start.elapsed();
                    for image in drain {
                        release(image);
                    }
                    elapsed
                },
            ),
        ],
    );
    for (i, what) in [
        (1, "3a. cold: mmap + memcpy + munmap"),
        (2, "3b. cold: mmap + MADV_HUGEPAGE + memcpy + munmap"),
        (3, "3c. cold: mmap(MAP_POPULATE) + memcpy + munmap"),
    ] {
        rows.push(Row {
            what: what.into(),
            time: cold[i].clone(),
            base: cold[0].clone(),
            goal: Goal::None,
        });
    }
    let best_raw = cold[1..4]
        .iter()
        .map(Sample::median)
        .fold(f64::INFINITY, f64::min);
    let best_raw_ratio = best_raw / cold[0].median();
    let goal_text: &'static str =
        Box::leak(format!("≤ 1.1 × best of 3a–3c = {:.3}", 1.1 * best_raw_ratio).into_boxed_str());
    rows.push(Row {
        what: "3d. cold: copy mode, 8 images alive then released (per image)".into(),
        time: cold[4].clone(),
        base: cold[0].clone(),
        goal: Goal::RatioAtMost(1.1 * best_raw_ratio, goal_text),
    });
    noise.extend(cold);

    // 4. Allocation strategies for the copy path, as src/alloc.rs chose between them.
    eprintln!("[4/4] allocation strategies ...");
    let (strategies, strategy_samples) = strategies(&tight);

    // ---- report -------------------------------------------------------------------------------
    println!();
    println!("## vImageCreateCGImageFromBuffer benchmark");
    println!();
    println!("Transparent huge pages: `{}`", thp.trim());
    println!();
    print!("{}", table(&rows));
    println!();
    println!("### Allocation strategies (33 MB image, same run)");
    println!();
    print!("{}", table(&strategies));
    println!();
    println!("### Noise and page faults");
    println!();
    let mut all: Vec<&Sample> = noise.iter().collect();
    all.extend(strategy_samples.iter());
    print!("{}", noise_table(&all));
    println!();
    println!(
        "Total benchmark time: {:.1} s. Reproduce with: `cargo bench --bench bridge`",
        started.elapsed().as_secs_f64()
    );
}

/// The previous allocation strategy of `src/alloc.rs`: `posix_memalign(64)` and MADV_HUGEPAGE
/// on the 2 MiB-aligned interior.
fn memalign_interior_huge(len: usize) -> *mut u8 {
    let mut p: *mut c_void = null_mut();
    // SAFETY: valid alignment and out-pointer.
    assert_eq!(unsafe { libc::posix_memalign(&mut p, 64, len) }, 0);
    let start = (p as usize).next_multiple_of(HUGE_PAGE);
    let end = (p as usize + len) & !(HUGE_PAGE - 1);
    if end > start {
        // SAFETY: inside our own allocation; only a hint.
        unsafe { libc::madvise(start as *mut c_void, end - start, libc::MADV_HUGEPAGE) };
    }
    p.cast()
}

/// Warm (allocate + copy + free in a loop) and cold (8 blocks alive, then all freed) for each
/// way of allocating and copying a 33 MB image.
fn strategies(src: &Map) -> (Vec<Row>, Vec<Sample>) {
    let s = src.as_ptr();
    let new_path = || {
        // The library's allocation and copy, without the image objects.
        PixelAlloc::copy_rows(src.bytes(), ROW, ROW, HEIGHT, ROW).expect("allocation")
    };
    let warm = compare(
        15,
        6,
        3,
        &mut [
            Case::new("warm loop: malloc + memcpy + free", || {
                // SAFETY: checked for NULL, freed once.
                let p = unsafe { libc::malloc(IMAGE) }.cast::<u8>();
                assert!(!p.is_null());
                memcpy(p, s, IMAGE);
                black_box(p);
                // SAFETY: from malloc above.
                unsafe { libc::free(p.cast()) };
            }),
            Case::new(
                "warm loop: posix_memalign(64) + interior MADV_HUGEPAGE + memcpy + free (old alloc.rs)",
                || {
                    let p = memalign_interior_huge(IMAGE);
                    memcpy(p, s, IMAGE);
                    black_box(p);
                    // SAFETY: from posix_memalign, freed once.
                    unsafe { libc::free(p.cast()) };
                },
            ),
            Case::new(
                "warm loop: PixelAlloc::copy_rows + drop (new alloc.rs)",
                || {
                    drop(black_box(new_path()));
                },
            ),
        ],
    );
    let cold = compare(
        15,
        1,
        2,
        &mut [
            Case::self_timed(
                "cold, 8 alive: posix_memalign(64) + interior MADV_HUGEPAGE + memcpy (old alloc.rs)",
                LIVE,
                || {
                    trim_heap();
                    let start = Instant::now();
                    let blocks: Vec<*mut u8> = (0..LIVE)
                        .map(|_| {
                            let p = memalign_interior_huge(IMAGE);
                            memcpy(p, s, IMAGE);
                            p
                        })
                        .collect();
                    for p in black_box(blocks) {
                        // SAFETY: from posix_memalign, freed once.
                        unsafe { libc::free(p.cast()) };
                    }
                    start.elapsed()
                },
            ),
            Case::self_timed(
                "cold, 8 alive: PixelAlloc::copy_rows (new alloc.rs)",
                LIVE,
                || {
                    let drain: Vec<PixelAlloc> = (0..SPARE_DRAIN).map(|_| new_path()).collect();
                    trim_heap();
                    let start = Instant::now();
                    let blocks: Vec<PixelAlloc> = (0..LIVE).map(|_| new_path()).collect();
                    drop(black_box(blocks));
                    let elapsed = start.elapsed();
                    drop(drain);
                    elapsed
                },
            ),
            Case::self_timed(
                "cold, 8 alive: 2 MiB-aligned mmap + MADV_HUGEPAGE + memcpy (whole block in huge pages)",
                LIVE,
                || {
                    let start = Instant::now();
                    let maps: Vec<Map> = (0..LIVE)
                        .map(|_| {
                            let map = Map::huge_aligned(IMAGE);
                            memcpy(map.as_ptr(), s, IMAGE);
                            map
                        })
                        .collect();
                    drop(black_box(maps));
                    start.elapsed()
                },
            ),
        ],
    );
    let mut rows = Vec::new();
    for (i, what) in [
        (
            1,
            "warm loop: posix_memalign(64) + interior MADV_HUGEPAGE + memcpy + free (old alloc.rs)",
        ),
        (2, "warm loop: PixelAlloc::copy_rows + drop (new alloc.rs)"),
    ] {
        rows.push(Row {
            what: what.into(),
            time: warm[i].clone(),
            base: warm[0].clone(),
            goal: Goal::None,
        });
    }
    let fresh_malloc = cold_malloc_in_child();
    for (i, what) in [
        (
            0,
            "cold, 8 alive: posix_memalign(64) + interior MADV_HUGEPAGE + memcpy (old alloc.rs)",
        ),
        (1, "cold, 8 alive: PixelAlloc::copy_rows (new alloc.rs)"),
        (
            2,
            "cold, 8 alive: 2 MiB-aligned mmap + MADV_HUGEPAGE + memcpy",
        ),
    ] {
        rows.push(Row {
            what: what.into(),
            time: cold[i].clone(),
            base: fresh_malloc.clone(),
            goal: Goal::None,
        });
    }
    let samples = warm.into_iter().chain([fresh_malloc]).chain(cold).collect();
    (rows, samples)
}
