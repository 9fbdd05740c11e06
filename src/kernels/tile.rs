//! The band queue every family tiles through: rows split into bands that the calling thread
//! and short-lived scoped helpers take from one queue until none is left. A helper the OS
//! refuses to start only leaves more bands for the caller, so threads never cause an error.

use std::ops::Range;

/// Pixels per band below which work stays on the calling thread.
pub const MIN_PIXELS_PER_THREAD: usize = 1 << 16;

/// Threads worth using for `width x height` pixels on this machine (1 when `tile` is false).
pub fn thread_count(width: usize, height: usize, tile: bool) -> usize {
    let pixels = width.saturating_mul(height);
    if !tile || pixels < 2 * MIN_PIXELS_PER_THREAD || height < 2 {
        return 1;
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    cores.min(pixels / MIN_PIXELS_PER_THREAD).min(height).max(1)
}

/// `height` rows cut into `threads` bands of nearly equal size.
pub fn bands(height: usize, threads: usize) -> Vec<Range<usize>> {
    let band = height.div_ceil(threads.max(1)).max(1);
    (0..height)
        .step_by(band)
        .map(|start| start..(start + band).min(height))
        .collect()
}

/// Runs `work` on every item, sharing the items between the calling thread and up to
/// `threads - 1` helpers.
pub fn run_queue<T: Send>(items: Vec<T>, threads: usize, work: impl Fn(T) + Sync) {
    if threads <= 1 || items.len() <= 1 {
        items.into_iter().for_each(work);
        return;
    }
    let helpers = (threads - 1).min(items.len() - 1);
    let queue = std::sync::Mutex::new(items.into_iter());
    let take = || {
        loop {
            let next = queue.lock().unwrap_or_else(|e| e.into_inner()).next();
            match next {
                Some(item) => work(item),
                None => break,
            }
        }
    };
    std::thread::scope(|scope| {
        for _ in 0..helpers {
            // A refused thread is not an error: the bands wait in the queue.
            let _ = std::thread::Builder::new().spawn_scoped(scope, take);
        }
        take();
    });
}

/// Tiles `height` rows of `width` pixels: `work` gets disjoint row ranges covering every row.
pub fn for_each_band(width: usize, height: usize, tile: bool, work: impl Fn(Range<usize>) + Sync) {
    let threads = thread_count(width, height, tile);
    run_queue(bands(height, threads), threads, work);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_cover_every_row_once() {
        for height in 0..40 {
            for threads in 1..6 {
                let b = bands(height, threads);
                let rows: Vec<usize> = b.iter().flat_map(|r| r.clone()).collect();
                assert_eq!(rows, (0..height).collect::<Vec<_>>());
                assert!(b.len() <= threads);
            }
        }
    }

    #[test]
    fn queue_runs_every_item_once() {
        let seen = std::sync::Mutex::new(Vec::new());
        run_queue((0..17).collect(), 3, |i| seen.lock().unwrap().push(i));
        let mut v = seen.into_inner().unwrap();
        v.sort();
        assert_eq!(v, (0..17).collect::<Vec<_>>());
    }
}
