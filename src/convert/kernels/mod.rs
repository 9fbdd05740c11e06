//! Fast row kernels for common conversions. Each must produce exactly the bytes of
//! `reference::convert_row` for the same layouts (tests/convert_differential.rs checks).

use super::layout::Layout;

/// A row conversion: `width` pixels from `src` into `dst` (each at least one row long).
#[derive(Clone, Copy)]
pub struct Kernel {
    pub name: &'static str,
    run: fn(&KernelParams, &[u8], &mut [u8], usize),
    params: KernelParams,
}

/// Per-converter constants a kernel may need (e.g. the quantised background).
#[derive(Clone, Copy, Debug, Default)]
pub struct KernelParams {
    /// Background quantised to 8 bits per destination colour channel.
    pub background8: [u8; 4],
}

impl std::fmt::Debug for Kernel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}

impl Kernel {
    pub fn run(&self, src: &[u8], dst: &mut [u8], width: usize) {
        (self.run)(&self.params, src, dst, width)
    }
}

/// The fast kernel for a pair of layouts, if there is one.
pub fn select(src: &Layout, dst: &Layout, background: &[f64; 4]) -> Option<Kernel> {
    let _ = (src, dst, background);
    None
}
