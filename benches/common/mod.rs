//! The timing shared by the benchmarks (`mod common;`): a thread CPU clock and alternate
//! timing of a row against its baseline (memcpy), so both see the same machine state.

use std::time::Instant;

/// This thread's CPU time in milliseconds.
pub fn thread_ms() -> f64 {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: a valid timespec out-pointer.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
    t.tv_sec as f64 * 1e3 + t.tv_nsec as f64 * 1e-6
}

/// Medians (ms) of `a`, of `b`, and of the per-pair ratios a / b, timed alternately.
pub fn alternate(
    reps: usize,
    cpu: bool,
    mut a: impl FnMut(),
    mut b: impl FnMut(),
) -> (f64, f64, f64) {
    let time = |f: &mut dyn FnMut()| {
        if cpu {
            let t = thread_ms();
            f();
            thread_ms() - t
        } else {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64() * 1e3
        }
    };
    a();
    b();
    let (mut ta, mut tb, mut r) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..reps {
        let x = time(&mut a);
        let y = time(&mut b);
        ta.push(x);
        tb.push(y);
        r.push(x / y);
    }
    let med = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    (med(&mut ta), med(&mut tb), med(&mut r))
}
