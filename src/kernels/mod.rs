//! Fast row kernels for common conversions. Each must produce exactly the bytes of
//! `reference::convert_row` for the same layouts (tests/convert_differential.rs checks).
//!
//! A kernel is a small plan of up to three stages over rows of bytes:
//!
//! 1. **decode** the source into one byte per sample (nothing to do for 8-bit sources; 16-bit
//!    and float samples are narrowed exactly as the reference does; 8-bit gray <-> RGB model
//!    changes through exact lookup tables);
//! 2. **op**: an 8-bit per-pixel operation that also reorders, drops or fills channels through a
//!    byte map: a plain permute, premultiply, unpremultiply or flatten over the background;
//! 3. **encode** the bytes as the destination's samples (float only; widening 8 -> 16 bits is
//!    part of the byte map, since `v * 257` is the byte `v` twice).
//!
//! This composition is exact because the reference changes precision *before* it changes alpha
//! (§4.6 rule 16): a narrowing decode is only planned for 8-bit destinations, and a widening
//! encode only after a permute (which commutes with widening). Everything else returns `None`
//! and the reference runs.
//!
//! Every stage has a scalar version (also used for row tails); x86-64 has SSSE3 / SSE4.1 and
//! AVX2 (+FMA) versions picked once by runtime feature detection.

pub mod alpha;
pub mod channels;
/// cbindgen:ignore
pub mod color;
pub mod convolve;
pub mod depth;
pub mod dither;
pub(crate) mod half;
pub mod interleave;
pub mod matrix;
pub mod morphology;
pub mod packed;
pub mod resample;
pub mod rows;
mod scalar;
#[cfg(test)]
mod tests;
pub mod tile;
pub mod warp;
#[cfg(target_arch = "x86_64")]
mod x86;

use crate::convert::layout::{Alpha, Layout, Packing, Sample};

/// A row conversion: `width` pixels from `src` into `dst` (each at least one row long).
#[derive(Clone, Copy)]
pub struct Kernel {
    pub name: &'static str,
    run: fn(&KernelParams, &[u8], &mut [u8], usize),
    params: KernelParams,
}

/// Per-converter constants a kernel needs: the plan and the instruction set it runs with.
#[derive(Clone, Copy, Debug)]
pub struct KernelParams {
    /// Background quantised to 8 bits per destination colour channel.
    pub background8: [u8; 4],
    plan: Plan,
    level: Level,
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
    select_at(src, dst, background, Level::detect())
}

/// [`select`] with a given instruction-set level (tests run every level the CPU has).
pub(crate) fn select_at(
    src: &Layout,
    dst: &Layout,
    background: &[f64; 4],
    level: Level,
) -> Option<Kernel> {
    let plan = Plan::new(src, dst, background)?;
    let background8 = background.map(quantize_background);
    Some(Kernel {
        name: plan.name(level),
        run: run_plan,
        params: KernelParams {
            background8,
            plan,
            level,
        },
    })
}

// ---- the plans' 8-bit operations for named vImage functions (one kernel layer) --------------

impl Kernel {
    /// Destination byte `j` of each pixel is source byte `map[j]`, or `fill[j]` where `map[j]`
    /// is [`FILL`]: every permute, channel drop and constant insert of 8-bit (or wider,
    /// byte-addressed) pixels. `in_bpp`, `out_bpp` <= 16.
    pub fn byte_map(in_bpp: usize, out_bpp: usize, map: &[u8], fill: &[u8]) -> Kernel {
        Self::op8(OpKind::Map, 0, in_bpp, out_bpp, map, fill, &[])
    }

    /// `(c * a + 127) / 255` on every byte of an `bpp`-byte pixel but the alpha byte `alpha`,
    /// which is copied.
    pub fn premultiply8(bpp: usize, alpha: usize) -> Kernel {
        let map: Vec<u8> = (0..bpp as u8).collect();
        Self::op8(OpKind::Premultiply, alpha, bpp, bpp, &map, &[], &[])
    }

    /// `(min(c, a) * 255 + a / 2) / a` (0 when a is 0) on every byte but the alpha byte.
    pub fn unpremultiply8(bpp: usize, alpha: usize) -> Kernel {
        let map: Vec<u8> = (0..bpp as u8).collect();
        Self::op8(OpKind::Unpremultiply, alpha, bpp, bpp, &map, &[], &[])
    }

    /// Premultiplied colour over an opaque background: output byte `j` is
    /// `min(255, p + ((255 - a) * background[j] + 127) / 255)` with `p` = source byte `map[j]`
    /// and `a` = source byte `alpha`.
    pub fn flatten8(
        in_bpp: usize,
        out_bpp: usize,
        alpha: usize,
        map: &[u8],
        background: &[u8],
    ) -> Kernel {
        Self::op8(
            OpKind::FlattenPremultiplied,
            alpha,
            in_bpp,
            out_bpp,
            map,
            &[],
            background,
        )
    }

    fn op8(
        kind: OpKind,
        alpha: usize,
        in_bpp: usize,
        out_bpp: usize,
        map: &[u8],
        fill: &[u8],
        background: &[u8],
    ) -> Kernel {
        assert!(in_bpp <= MAX_BPP && out_bpp <= MAX_BPP && map.len() >= out_bpp);
        let mut m = [FILL; MAX_BPP];
        let mut f = [0u8; MAX_BPP];
        let mut bg = [0u8; MAX_BPP];
        m[..out_bpp].copy_from_slice(&map[..out_bpp]);
        for (d, s) in f.iter_mut().zip(fill) {
            *d = *s;
        }
        for (d, s) in bg.iter_mut().zip(background) {
            *d = *s;
        }
        let op = Op {
            kind,
            alpha: alpha as u8,
            map: ByteMap::new(in_bpp, out_bpp, m, f),
            background: bg,
        };
        let plan = Plan {
            decode: Decode::Direct,
            copy: kind == OpKind::Map && op.map.is_identity(),
            op,
            encode: Encode::Direct,
            src_samples: in_bpp as u8,
            dst_samples: out_bpp as u8,
        };
        let level = Level::detect();
        Kernel {
            name: plan.name(level),
            run: run_plan,
            params: KernelParams {
                background8: [0; 4],
                plan,
                level,
            },
        }
    }
}

// ---- instruction-set levels ---------------------------------------------------------------------

/// What the running CPU offers, in increasing order.
#[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Level {
    Scalar,
    /// SSSE3 (pshufb) and SSE2.
    Ssse3,
    /// SSE4.1 on top (pmovzx, pminud...).
    Sse41,
    /// AVX2 and FMA.
    Avx2,
}

impl Level {
    pub(crate) fn detect() -> Level {
        static LEVEL: std::sync::OnceLock<Level> = std::sync::OnceLock::new();
        *LEVEL.get_or_init(|| {
            #[cfg(target_arch = "x86_64")]
            {
                if is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma") {
                    return Level::Avx2;
                }
                if is_x86_feature_detected!("sse4.1") {
                    return Level::Sse41;
                }
                if is_x86_feature_detected!("ssse3") {
                    return Level::Ssse3;
                }
            }
            Level::Scalar
        })
    }

    /// Every level up to the detected one (for tests).
    #[cfg(test)]
    pub(crate) fn available() -> Vec<Level> {
        [Level::Scalar, Level::Ssse3, Level::Sse41, Level::Avx2]
            .into_iter()
            .filter(|l| *l <= Level::detect())
            .collect()
    }

    fn suffix(self) -> &'static str {
        match self {
            Level::Scalar => "scalar",
            Level::Ssse3 => "ssse3",
            Level::Sse41 => "sse4.1",
            Level::Avx2 => "avx2",
        }
    }
}

// ---- plans --------------------------------------------------------------------------------------

/// A map entry meaning "write the fill byte".
pub const FILL: u8 = 0x80;
/// Bytes per pixel a byte map can handle.
pub(crate) const MAX_BPP: usize = 16;

/// Destination byte `j` of a pixel is source byte `map[j]`, or `fill[j]` when `map[j] == FILL`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct ByteMap {
    pub in_bpp: u8,
    pub out_bpp: u8,
    pub map: [u8; MAX_BPP],
    pub fill: [u8; MAX_BPP],
    /// Whole pixels one 16-byte lane handles: `min(16 / in_bpp, 16 / out_bpp)`.
    pub lane_px: u8,
    /// The pshufb control and fill for one lane of `lane_px` pixels.
    pub lane_shuffle: [u8; 16],
    pub lane_fill: [u8; 16],
}

impl ByteMap {
    fn new(in_bpp: usize, out_bpp: usize, map: [u8; MAX_BPP], fill: [u8; MAX_BPP]) -> ByteMap {
        let lane_px = (16 / in_bpp).min(16 / out_bpp);
        let mut lane_shuffle = [FILL; 16];
        let mut lane_fill = [0u8; 16];
        for p in 0..lane_px {
            for j in 0..out_bpp {
                let o = p * out_bpp + j;
                if map[j] == FILL {
                    lane_fill[o] = fill[j];
                } else {
                    lane_shuffle[o] = (p * in_bpp) as u8 + map[j];
                }
            }
        }
        ByteMap {
            in_bpp: in_bpp as u8,
            out_bpp: out_bpp as u8,
            map,
            fill,
            lane_px: lane_px as u8,
            lane_shuffle,
            lane_fill,
        }
    }

    /// Every byte copied to the same place: a plain copy.
    fn is_identity(&self) -> bool {
        self.in_bpp == self.out_bpp && (0..self.out_bpp).all(|j| self.map[j as usize] == j)
    }
}

/// Stage 1: source samples -> one byte per sample, in source sample order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Decode {
    /// 8-bit source: the op reads it directly.
    Direct,
    /// 16-bit unsigned samples: `(v * 255 + 32767) / 65535`.
    Narrow16 { le: bool },
    /// binary32 samples: `quantize(f64(v), 255)`.
    QuantF32 { le: bool },
    /// binary16 samples: `quantize(f64(v), 255)` through a 65 536-entry table.
    QuantHalf { le: bool },
}

/// Stage 2's arithmetic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum OpKind {
    /// Bytes moved, dropped, duplicated or filled.
    Map,
    /// `(c * a + 127) / 255`.
    Premultiply,
    /// `(min(c, a) * 255 + a / 2) / a`, 0 when `a` is 0.
    Unpremultiply,
    /// Straight colour premultiplied, then over the background (§7.3).
    FlattenStraight,
    /// Premultiplied colour over the background (§7.3).
    FlattenPremultiplied,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Op {
    pub kind: OpKind,
    /// The alpha byte of an input pixel (for every kind but `Map`).
    pub alpha: u8,
    pub map: ByteMap,
    /// Flatten: the 8-bit background of each output byte.
    pub background: [u8; MAX_BPP],
}

/// Stage 3: bytes -> destination samples.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Encode {
    /// The op wrote the destination.
    Direct,
    /// binary32 samples: `v / 255` (rounded from f64, as the reference does).
    F32 { le: bool },
    /// binary16 samples: `v / 255` rounded to nearest even, through a 256-entry table.
    Half { le: bool },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Plan {
    pub decode: Decode,
    pub op: Op,
    pub encode: Encode,
    /// Source samples per pixel (for `decode`) and destination samples per pixel (`encode`).
    pub src_samples: u8,
    pub dst_samples: u8,
    /// The op is a plain copy of whole rows.
    pub copy: bool,
}

/// Where a layout's channels are, in samples from the start of a pixel.
#[derive(Clone, Copy, Debug)]
struct Slots {
    samples: usize,
    sample_bytes: usize,
    colours: usize,
    colour: [usize; 4],
    /// The alpha or padding slot.
    alpha: Option<usize>,
}

impl Slots {
    fn of(layout: &Layout) -> Option<Slots> {
        if layout.packing != Packing::Samples
            || layout.alpha == Alpha::Only
            || layout.model.is_none()
        {
            return None;
        }
        let sample_bytes = match layout.sample {
            Sample::Uint(8) => 1,
            Sample::Uint(16) | Sample::Half => 2,
            Sample::Float => 4,
            _ => return None,
        };
        let samples = layout.channels();
        if layout.bits_per_pixel as usize != samples * sample_bytes * 8 {
            return None;
        }
        let colours = layout.colours();
        let has_slot = layout.alpha != Alpha::None;
        let first = usize::from(has_slot && layout.alpha_first);
        let mut colour = [0; 4];
        for (i, c) in colour.iter_mut().enumerate().take(colours) {
            *c = first + i;
        }
        let mut alpha = has_slot.then_some(if layout.alpha_first { 0 } else { colours });
        if layout.swap_pixel {
            // 8-bit samples of a byte-swapped pixel: memory order is reversed.
            for c in colour.iter_mut().take(colours) {
                *c = samples - 1 - *c;
            }
            alpha = alpha.map(|a| samples - 1 - a);
        }
        Some(Slots {
            samples,
            sample_bytes,
            colours,
            colour,
            alpha,
        })
    }

    fn bytes(&self) -> usize {
        self.samples * self.sample_bytes
    }
}

/// Byte `b` (0 = least significant) of an opaque sample (1.0 for float and half samples).
fn opaque_byte(sample: Sample, b: usize) -> u8 {
    match sample {
        Sample::Float => (1.0f32.to_bits() >> (8 * b)) as u8,
        Sample::Half => (0x3c00u16 >> (8 * b)) as u8, // binary16 1.0
        _ => 0xff,
    }
}

/// The reference's background quantisation (`flatten`): round, clamp, NaN -> 0.
fn quantize_background(b: f64) -> u8 {
    (b * 255.0).round().clamp(0.0, 255.0) as u8
}

/// Whether the reference only moves channels between these alpha kinds (no arithmetic).
fn permute_class(src: Alpha, dst: Alpha) -> bool {
    match (src, dst) {
        (_, Alpha::None) => !src.has_coverage(),
        (Alpha::None | Alpha::Skip, _) => true,
        (Alpha::Straight, Alpha::Straight | Alpha::Skip) => true,
        (Alpha::Premultiplied, Alpha::Premultiplied) => true,
        _ => false,
    }
}

impl Plan {
    fn new(src: &Layout, dst: &Layout, background: &[f64; 4]) -> Option<Plan> {
        let s = Slots::of(src)?;
        let d = Slots::of(dst)?;
        if s.bytes() > MAX_BPP || d.bytes() > MAX_BPP {
            return None;
        }
        let (sa, da) = (src.alpha, dst.alpha);
        let same_model = src.model == dst.model;
        let src8 = src.sample == Sample::Uint(8);
        let dst8 = dst.sample == Sample::Uint(8);

        // Same sample type, same model, channels only moved: one byte map does it all.
        if same_model && src.sample == dst.sample && permute_class(sa, da) {
            let op = Op::map(map_samples(src, dst, &s, &d, sa));
            return Some(Plan::single(Decode::Direct, op, Encode::Direct, &s, &d));
        }

        if src8
            && same_model
            && permute_class(sa, da)
            && matches!(dst.sample, Sample::Float | Sample::Half)
        {
            // 8-bit -> float: permute into a byte per destination sample, then encode.
            let mut map = [FILL; MAX_BPP];
            let mut fill = [0u8; MAX_BPP];
            for (k, (m, f)) in map
                .iter_mut()
                .zip(fill.iter_mut())
                .enumerate()
                .take(d.samples)
            {
                *m = source_of(k, &s.colour, s.alpha, sa, &d).unwrap_or(FILL);
                *f = 0xff;
            }
            let op = Op::map(ByteMap::new(s.samples, d.samples, map, fill));
            let le = dst.little_endian;
            let encode = if dst.sample == Sample::Half {
                Encode::Half { le }
            } else {
                Encode::F32 { le }
            };
            return Some(Plan::single(Decode::Direct, op, encode, &s, &d));
        }
        if src8 && same_model && permute_class(sa, da) && dst.sample == Sample::Uint(16) {
            // 8 -> 16 bits is `v * 257`: the byte twice, whatever the byte order.
            let mut map = [FILL; MAX_BPP];
            let fill = [0xff; MAX_BPP];
            for k in 0..d.samples {
                let from = source_of(k, &s.colour, s.alpha, sa, &d).unwrap_or(FILL);
                map[2 * k] = from;
                map[2 * k + 1] = from;
            }
            let op = Op::map(ByteMap::new(s.samples, d.bytes(), map, fill));
            return Some(Plan::single(Decode::Direct, op, Encode::Direct, &s, &d));
        }

        // The op's input: one byte per sample after decoding.
        // (colour byte of each source colour channel, alpha byte, bytes per pixel, alpha kind)
        let (decode, in_colour, in_alpha, in_bpp, in_kind) = if src8 && same_model {
            (Decode::Direct, s.colour, s.alpha, s.samples, sa)
        } else if !src8 && same_model && dst8 {
            let decode = match src.sample {
                Sample::Uint(16) => Decode::Narrow16 {
                    le: src.little_endian,
                },
                Sample::Float => Decode::QuantF32 {
                    le: src.little_endian,
                },
                Sample::Half => Decode::QuantHalf {
                    le: src.little_endian,
                },
                _ => return None,
            };
            (decode, s.colour, s.alpha, s.samples, sa)
        } else {
            return None;
        };
        if !dst8 {
            return None;
        }

        // The op, into the 8-bit destination.
        let mut map = [FILL; MAX_BPP];
        let mut fill = [0u8; MAX_BPP];
        let mut bg = [0u8; MAX_BPP];
        for k in 0..d.samples {
            map[k] = source_of(k, &in_colour, in_alpha, in_kind, &d).unwrap_or(FILL);
            fill[k] = 0xff;
            if let Some(i) = (0..d.colours).find(|&i| d.colour[i] == k) {
                bg[k] = quantize_background(background[i]);
            }
        }
        let kind = match (in_kind, da) {
            (Alpha::Straight, Alpha::Premultiplied) => OpKind::Premultiply,
            (Alpha::Premultiplied, Alpha::Straight | Alpha::Skip) => OpKind::Unpremultiply,
            (Alpha::Straight, Alpha::None) => OpKind::FlattenStraight,
            (Alpha::Premultiplied, Alpha::None) => OpKind::FlattenPremultiplied,
            (a, b) if permute_class(a, b) => OpKind::Map,
            _ => return None,
        };
        let op = Op {
            kind,
            alpha: in_alpha.unwrap_or(0) as u8,
            map: ByteMap::new(in_bpp, d.samples, map, fill),
            background: bg,
        };
        Some(Plan::single(decode, op, Encode::Direct, &s, &d))
    }

    fn single(decode: Decode, op: Op, encode: Encode, s: &Slots, d: &Slots) -> Plan {
        Plan {
            decode,
            copy: decode == Decode::Direct
                && encode == Encode::Direct
                && op.kind == OpKind::Map
                && op.map.is_identity(),
            op,
            encode,
            src_samples: s.samples as u8,
            dst_samples: d.samples as u8,
        }
    }

    fn name(&self, level: Level) -> &'static str {
        let decode = match self.decode {
            Decode::Direct => "",
            Decode::Narrow16 { .. } => "narrow16+",
            Decode::QuantF32 { .. } => "quantize-f32+",
            Decode::QuantHalf { .. } => "quantize-half+",
        };
        let op = if self.copy {
            "copy"
        } else {
            match self.op.kind {
                OpKind::Map => "permute",
                OpKind::Premultiply => "premultiply",
                OpKind::Unpremultiply => "unpremultiply",
                OpKind::FlattenStraight => "flatten-straight",
                OpKind::FlattenPremultiplied => "flatten-premultiplied",
            }
        };
        let encode = match self.encode {
            Encode::Direct => "",
            Encode::F32 { .. } => "+to-f32",
            Encode::Half { .. } => "+to-half",
        };
        intern(format!("{decode}{op}{encode}/{}", level.suffix()))
    }
}

impl Op {
    fn map(map: ByteMap) -> Op {
        Op {
            kind: OpKind::Map,
            alpha: 0,
            map,
            background: [0; MAX_BPP],
        }
    }
}

/// The input byte that destination sample `k` takes (`None`: fill opaque).
fn source_of(
    k: usize,
    colour: &[usize; 4],
    alpha: Option<usize>,
    alpha_kind: Alpha,
    d: &Slots,
) -> Option<u8> {
    if let Some(i) = (0..d.colours).find(|&i| d.colour[i] == k) {
        return Some(colour[i] as u8);
    }
    debug_assert_eq!(d.alpha, Some(k));
    if alpha_kind.has_coverage() {
        alpha.map(|a| a as u8)
    } else {
        None
    }
}

/// Byte map between two layouts of the same sample type (16-bit and float byte orders
/// included).
fn map_samples(src: &Layout, dst: &Layout, s: &Slots, d: &Slots, sa: Alpha) -> ByteMap {
    let size = s.sample_bytes;
    let mut map = [FILL; MAX_BPP];
    let mut fill = [0u8; MAX_BPP];
    for k in 0..d.samples {
        let from = source_of(k, &s.colour, s.alpha, sa, d);
        for b in 0..size {
            // Significance of destination byte b (0 = least significant).
            let sig = if size == 1 || dst.little_endian {
                b
            } else {
                size - 1 - b
            };
            let j = k * size + b;
            match from {
                Some(from) => {
                    let sb = if size == 1 || src.little_endian {
                        sig
                    } else {
                        size - 1 - sig
                    };
                    map[j] = from * size as u8 + sb as u8;
                }
                None => fill[j] = opaque_byte(dst.sample, sig),
            }
        }
    }
    ByteMap::new(s.bytes(), d.bytes(), map, fill)
}

/// Kernel names are few; keep one `'static` copy of each.
fn intern(name: String) -> &'static str {
    static NAMES: std::sync::Mutex<Vec<&'static str>> = std::sync::Mutex::new(Vec::new());
    let mut names = NAMES.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(n) = names.iter().find(|n| **n == name) {
        return n;
    }
    let leaked: &'static str = Box::leak(name.into_boxed_str());
    names.push(leaked);
    leaked
}

// ---- running a plan -----------------------------------------------------------------------------

/// Pixels converted per pass through the stack buffer of a multi-stage plan.
const CHUNK: usize = 256;

fn run_plan(p: &KernelParams, src: &[u8], dst: &mut [u8], width: usize) {
    let plan = &p.plan;
    let level = p.level;
    let in_bpp = plan.op.map.in_bpp as usize;
    let out_bpp = plan.op.map.out_bpp as usize;
    if plan.copy {
        let n = width * out_bpp;
        dst[..n].copy_from_slice(&src[..n]);
        return;
    }
    match (plan.decode, plan.encode) {
        (Decode::Direct, Encode::Direct) => op(level, &plan.op, src, dst, width),
        (decode, Encode::Direct) => {
            let src_bpp = stage_src_bpp(plan);
            let mut tmp = [0u8; CHUNK * MAX_BPP];
            // One pass where the CPU can: gray -> 4-byte RGB, 16-bit / float RGBA -> RGBA8.
            let mut x = match (decode, plan.op.kind) {
                (Decode::QuantF32 { .. } | Decode::Narrow16 { .. }, OpKind::Map) => {
                    simd_decode_map4(level, decode, &plan.op.map, src, dst, width)
                }
                (Decode::QuantHalf { le }, OpKind::Map) => {
                    half::quant_map4(level, le, &plan.op.map, src, dst, width)
                }
                _ => 0,
            };
            while x < width {
                let n = CHUNK.min(width - x);
                let t = &mut tmp[..n * in_bpp];
                decode_row(
                    level,
                    decode,
                    plan,
                    &src[x * src_bpp..(x + n) * src_bpp],
                    t,
                    n,
                );
                op(
                    level,
                    &plan.op,
                    t,
                    &mut dst[x * out_bpp..(x + n) * out_bpp],
                    n,
                );
                x += n;
            }
        }
        (Decode::Direct, encode @ (Encode::F32 { .. } | Encode::Half { .. })) => {
            // Bytes of each destination sample; the op writes one byte per sample first.
            let size = if matches!(encode, Encode::F32 { .. }) {
                4
            } else {
                2
            };
            let per_px = plan.dst_samples as usize * size;
            if let Encode::Half { le } = encode
                && plan.op.kind == OpKind::Map
                && plan.op.map.is_identity()
            {
                // Same channels in the same places: encode the source bytes directly.
                let n = width * plan.dst_samples as usize;
                half::encode(level, le, &src[..n], &mut dst[..2 * n]);
                return;
            }
            let mut tmp = [0u8; CHUNK * MAX_BPP];
            let mut x = 0;
            while x < width {
                let n = CHUNK.min(width - x);
                let t = &mut tmp[..n * out_bpp];
                op(level, &plan.op, &src[x * in_bpp..(x + n) * in_bpp], t, n);
                let d = &mut dst[x * per_px..(x + n) * per_px];
                match encode {
                    Encode::F32 { le } => encode_f32(level, le, t, d),
                    Encode::Half { le } => half::encode(level, le, t, d),
                    Encode::Direct => unreachable!("matched above"),
                }
                x += n;
            }
        }
        _ => unreachable!("plans decode or encode, not both"),
    }
}

/// Bytes per source pixel of a decoding plan.
fn stage_src_bpp(plan: &Plan) -> usize {
    let n = plan.src_samples as usize;
    match plan.decode {
        Decode::Narrow16 { .. } | Decode::QuantHalf { .. } => 2 * n,
        Decode::QuantF32 { .. } => 4 * n,
        _ => n,
    }
}

fn decode_row(level: Level, decode: Decode, plan: &Plan, src: &[u8], tmp: &mut [u8], n: usize) {
    let samples = plan.src_samples as usize;
    match decode {
        Decode::Direct => unreachable!(),
        Decode::Narrow16 { le } => {
            let total = n * samples;
            let done = simd_narrow16(level, le, src, tmp, total);
            scalar::narrow16(le, &src[2 * done..], &mut tmp[done..total]);
        }
        Decode::QuantHalf { le } => {
            let total = n * samples;
            half::quant(level, le, &src[..2 * total], &mut tmp[..total]);
        }
        Decode::QuantF32 { le } => {
            let total = n * samples;
            let done = simd_quant_f32(level, le, src, tmp, total);
            scalar::quant_f32(le, &src[4 * done..], &mut tmp[done..total]);
        }
    }
}

fn op(level: Level, op: &Op, src: &[u8], dst: &mut [u8], width: usize) {
    let done = simd_op(level, op, src, dst, width);
    if done < width {
        let (ib, ob) = (op.map.in_bpp as usize, op.map.out_bpp as usize);
        scalar::op(
            op,
            &src[done * ib..width * ib],
            &mut dst[done * ob..width * ob],
            width - done,
        );
    }
}

fn encode_f32(level: Level, le: bool, src: &[u8], dst: &mut [u8]) {
    let done = simd_encode_f32(level, le, src, dst);
    scalar::encode_f32(le, &src[done..], &mut dst[4 * done..]);
}

// ---- SIMD dispatch: each returns how many pixels (or samples) it did; scalar does the rest ----

#[cfg(target_arch = "x86_64")]
fn simd_op(level: Level, op: &Op, src: &[u8], dst: &mut [u8], width: usize) -> usize {
    x86::op(level, op, src, dst, width)
}

#[cfg(not(target_arch = "x86_64"))]
fn simd_op(_: Level, _: &Op, _: &[u8], _: &mut [u8], _: usize) -> usize {
    0
}

#[cfg(target_arch = "x86_64")]
fn simd_narrow16(level: Level, le: bool, src: &[u8], dst: &mut [u8], samples: usize) -> usize {
    x86::narrow16(level, le, src, dst, samples)
}

#[cfg(not(target_arch = "x86_64"))]
fn simd_narrow16(_: Level, _: bool, _: &[u8], _: &mut [u8], _: usize) -> usize {
    0
}

#[cfg(target_arch = "x86_64")]
fn simd_quant_f32(level: Level, le: bool, src: &[u8], dst: &mut [u8], samples: usize) -> usize {
    x86::quant_f32(level, le, src, dst, samples)
}

#[cfg(not(target_arch = "x86_64"))]
fn simd_quant_f32(_: Level, _: bool, _: &[u8], _: &mut [u8], _: usize) -> usize {
    0
}

#[cfg(target_arch = "x86_64")]
fn simd_encode_f32(level: Level, le: bool, src: &[u8], dst: &mut [u8]) -> usize {
    x86::encode_f32(level, le, src, dst)
}

#[cfg(not(target_arch = "x86_64"))]
fn simd_encode_f32(_: Level, _: bool, _: &[u8], _: &mut [u8]) -> usize {
    0
}

#[cfg(target_arch = "x86_64")]
fn simd_decode_map4(
    level: Level,
    decode: Decode,
    m: &ByteMap,
    src: &[u8],
    dst: &mut [u8],
    width: usize,
) -> usize {
    x86::decode_map4(level, decode, m, src, dst, width)
}

#[cfg(not(target_arch = "x86_64"))]
fn simd_decode_map4(_: Level, _: Decode, _: &ByteMap, _: &[u8], _: &mut [u8], _: usize) -> usize {
    0
}

#[cfg(test)]
mod byte_map_tests {
    use super::*;

    /// Every byte map shape (1..=16 bytes in and out, moved, duplicated and filled bytes) at
    /// every level equals the scalar map, at widths covering each vector loop and its tail.
    #[test]
    fn byte_maps_equal_the_scalar_map_at_every_level() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for in_bpp in 1..=MAX_BPP {
            for out_bpp in 1..=MAX_BPP {
                let mut map = [FILL; MAX_BPP];
                let mut fill = [0u8; MAX_BPP];
                for j in 0..out_bpp {
                    let r = next();
                    map[j] = if r % 7 == 0 {
                        FILL
                    } else {
                        (r >> 8) as u8 % in_bpp as u8
                    };
                    fill[j] = (r >> 16) as u8;
                }
                let op = Op::map(ByteMap::new(in_bpp, out_bpp, map, fill));
                for width in (0..80).chain([127, 128, 129, 255, 256, 257, 300]) {
                    let src: Vec<u8> = (0..width * in_bpp).map(|_| next() as u8).collect();
                    let mut want = vec![0xa5u8; width * out_bpp];
                    scalar::op(&op, &src, &mut want, width);
                    for level in Level::available() {
                        let mut got = vec![0x5au8; width * out_bpp];
                        super::op(level, &op, &src, &mut got, width);
                        assert_eq!(
                            got, want,
                            "{in_bpp} -> {out_bpp} {map:?} {level:?} w {width}"
                        );
                    }
                }
            }
        }
    }
}
