//! The drawing engine: which device pixels a shape covers, what the source gives each of
//! them, and source-over / copy compositing in premultiplied `f32`.
//!
//! Frames: a source (image, or the unit square of a filled rect) has memory coordinates
//! `(u, v)`, `u` right and `v` down from its top-left corner; the device has memory coordinates
//! `(X, R)`, `X` right and `R` (memory row) down. `M` maps the first to the second: image row
//! 0 goes to the top of the rect, then the CTM, then the device's y flip (reference B.5).
//!
//! Coverage: a device pixel is covered when its centre maps inside the source
//! (`0 <= u < w`, `0 <= v < h`): no antialiasing, edges snap to whole pixels. For axis-aligned
//! maps the covered pixels are columns `ceil(min - 1/2) .. ceil(max - 1/2)` of the device
//! extent (same for rows), exactly the rect for integral rects (reference B.6.1).
//!
//! Sampling (reference B.6.2-3): interpolation None (or an image with `shouldInterpolate`
//! false) takes the nearest pixel, `u = floor((X + 1/2 - P0) * w / (P1 - P0))`; Low
//! interpolates bilinearly (edges extended); Default, Medium and High use the geometry engine's
//! Lanczos3 / Lanczos5 (High): `vImageScale`'s separable filter after quarter turns and
//! reflections (exact) for axis-aligned maps, the affine warp (edges extended) otherwise.

use crate::cf::object::CfType;
use crate::cg::image::Image;
use crate::convert::Converter;
use crate::flags::Flags;
use crate::format::{AlphaInfo, ImageFormat};
use crate::geometry;
use crate::kernels::warp::Surface;
use crate::types::*;

use super::affine::{self, apply};
use super::pixels::{ALPHA, Codec, Px};
use super::*;

/// A premultiplied working image stored as planes of 1 or 4 `f32` channels, so that every
/// plane suits the geometry engine: alpha-only `[A]`, gray `[G] [A]`, RGB `[RGBA]`, CMYK
/// `[CMYK] [A]`.
#[derive(Debug, Clone)]
pub struct Work {
    pub w: usize,
    pub h: usize,
    colours: usize,
    planes: Vec<(usize, Vec<f32>)>,
}

fn plane_channels(colours: usize) -> &'static [usize] {
    match colours {
        0 => &[1],
        1 => &[1, 1],
        3 => &[4],
        _ => &[4, 1],
    }
}

impl Work {
    /// A zeroed image; `None` when it cannot be allocated.
    fn new(w: usize, h: usize, colours: usize) -> Option<Work> {
        let mut planes = Vec::new();
        for &ch in plane_channels(colours) {
            let n = w.checked_mul(h)?.checked_mul(ch)?;
            let mut v = Vec::new();
            v.try_reserve_exact(n).ok()?;
            v.resize(n, 0.0);
            planes.push((ch, v));
        }
        Some(Work {
            w,
            h,
            colours,
            planes,
        })
    }

    pub fn get(&self, i: usize) -> Px {
        let mut px: Px = [0.0; 5];
        match self.colours {
            0 => px[ALPHA] = self.planes[0].1[i],
            1 => {
                px[0] = self.planes[0].1[i];
                px[ALPHA] = self.planes[1].1[i];
            }
            3 => {
                let p = &self.planes[0].1[i * 4..i * 4 + 4];
                px[..3].copy_from_slice(&p[..3]);
                px[ALPHA] = p[3];
            }
            _ => {
                px[..4].copy_from_slice(&self.planes[0].1[i * 4..i * 4 + 4]);
                px[ALPHA] = self.planes[1].1[i];
            }
        }
        px
    }

    pub fn set(&mut self, i: usize, px: &Px) {
        match self.colours {
            0 => self.planes[0].1[i] = px[ALPHA],
            1 => {
                self.planes[0].1[i] = px[0];
                self.planes[1].1[i] = px[ALPHA];
            }
            3 => {
                let p = &mut self.planes[0].1[i * 4..i * 4 + 4];
                p[..3].copy_from_slice(&px[..3]);
                p[3] = px[ALPHA];
            }
            _ => {
                self.planes[0].1[i * 4..i * 4 + 4].copy_from_slice(&px[..4]);
                self.planes[1].1[i] = px[ALPHA];
            }
        }
    }
}

/// Working pixels from the converter's output: `colours + 1` little-endian `f32` per pixel,
/// alpha last (alpha only when `colours` is 0).
pub fn unpack_work(bytes: &[u8], colours: usize, n: usize) -> Vec<Px> {
    let f = |k: usize| f32::from_le_bytes([bytes[k], bytes[k + 1], bytes[k + 2], bytes[k + 3]]);
    let step = (colours + 1) * 4;
    (0..n)
        .map(|i| {
            let mut px: Px = [0.0; 5];
            for (c, slot) in px.iter_mut().take(colours).enumerate() {
                *slot = f(i * step + c * 4);
            }
            px[ALPHA] = f(i * step + colours * 4);
            px
        })
        .collect()
}

/// An image converted into the context's working format, or `None` when the converter cannot
/// take its format (masks, decode arrays) or memory runs out.
fn convert_image(image: &Image, work: &ImageFormat, colours: usize) -> Option<Work> {
    if image.is_mask() {
        return None;
    }
    let src = ImageFormat {
        bits_per_component: image.bits_per_component(),
        bits_per_pixel: image.bits_per_pixel(),
        color_space: image.color_space().cloned(),
        bitmap_info: image.bitmap_info(),
        decode: image.decode().map(<[f64]>::to_vec),
        q12: false,
        rendering_intent: image.rendering_intent(),
    };
    let conv = Converter::new(&src, work, None, true).ok()?;
    let (w, h) = (image.width(), image.height());
    let mut out = Work::new(w, h, colours)?;
    let mut row = vec![0u8; conv.dst_row_len(w)];
    for y in 0..h {
        conv.convert_row(image.row(y), &mut row, w);
        for (x, px) in unpack_work(&row, colours, w).iter().enumerate() {
            out.set(y * w + x, px);
        }
    }
    Some(out)
}

/// Device pixels `x0..x1` x rows `y0..y1` (memory coordinates).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region {
    pub x0: usize,
    pub y0: usize,
    pub x1: usize,
    pub y1: usize,
}

impl Region {
    fn w(&self) -> usize {
        self.x1 - self.x0
    }
    fn h(&self) -> usize {
        self.y1 - self.y0
    }
    fn is_empty(&self) -> bool {
        self.x1 <= self.x0 || self.y1 <= self.y0
    }
}

/// Pixels `ceil(lo - 1/2) .. ceil(hi - 1/2)`, whose centres lie in `[lo, hi)`, as signed
/// integers (clamped far outside any bitmap so that huge coordinates stay finite).
fn pixel_span(a: f64, b: f64) -> (i64, i64) {
    let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
    let c = |v: f64| (v - 0.5).ceil().clamp(-1e15, 1e15) as i64;
    (c(lo), c(hi))
}

/// Clips a signed span to `lo..hi`.
fn clip_span((a, b): (i64, i64), lo: usize, hi: usize) -> (usize, usize) {
    let a = a.clamp(lo as i64, hi as i64) as usize;
    let b = b.clamp(a as i64, hi as i64) as usize;
    (a, b)
}

/// One device axis of an axis-aligned map: device coordinate `p0` holds source coordinate 0
/// and `p1` the source's far edge `n`; `swapped` when this device axis runs along the other
/// source axis.
#[derive(Debug, Clone, Copy)]
struct Axis {
    p0: f64,
    p1: f64,
    n: usize,
    /// The full (unclipped) pixel span.
    span: (i64, i64),
}

impl Axis {
    fn new(p0: f64, p1: f64, n: usize) -> Axis {
        Axis {
            p0,
            p1,
            n,
            span: pixel_span(p0, p1),
        }
    }
    fn flipped(&self) -> bool {
        self.p1 < self.p0
    }
    fn len(&self) -> usize {
        (self.span.1 - self.span.0).max(0) as usize
    }
    /// Source coordinate of device pixel `i`'s centre.
    fn coord(&self, i: usize) -> f64 {
        (i as f64 + 0.5 - self.p0) * self.n as f64 / (self.p1 - self.p0)
    }
    /// Nearest source index of device pixel `i`.
    fn nearest(&self, i: usize) -> usize {
        (self.coord(i).floor().max(0.0) as usize).min(self.n - 1)
    }
    /// Bilinear taps of device pixel `i`: two indices and the second's weight.
    fn linear(&self, i: usize) -> (usize, usize, f32) {
        let c = self.coord(i) - 0.5;
        let f = c.floor();
        let last = self.n as i64 - 1;
        let i0 = (f as i64).clamp(0, last) as usize;
        let i1 = (f as i64 + 1).clamp(0, last) as usize;
        (i0, i1, (c - f) as f32)
    }
}

/// What a draw puts down.
pub enum Source<'a> {
    /// One colour everywhere (fills); a working pixel.
    Solid(Px),
    /// An image.
    Image(&'a Image),
    /// Zero bytes (`CGContextClearRect`).
    Clear,
}

/// The shape a draw covers: a `w x h` source under the map from source memory coordinates to
/// device memory coordinates, given by where three corners land.
#[derive(Debug, Clone, Copy)]
struct Placement {
    /// Device memory points of the source's top-left, top-right and bottom-left corners.
    c00: (f64, f64),
    c10: (f64, f64),
    c01: (f64, f64),
    w: usize,
    h: usize,
}

impl Placement {
    /// `rect` in user space holding a `w x h` source (row 0 at the top) under `ctm`, on a
    /// device `height` rows high. `None` for empty or non-finite rects.
    fn new(
        rect: CGRect,
        ctm: CGAffineTransform,
        w: usize,
        h: usize,
        height: usize,
    ) -> Option<Self> {
        let r = affine::standardize(rect);
        let vals = [r.origin.x, r.origin.y, r.size.width, r.size.height];
        if vals.iter().any(|v| !v.is_finite()) || r.size.width == 0.0 || r.size.height == 0.0 {
            return None;
        }
        let ctm = affine::snapped(ctm);
        let dev = |x: f64, y: f64| {
            let (dx, dy) = apply(&ctm, x, y);
            (dx, height as f64 - dy)
        };
        let (x0, y0) = (r.origin.x, r.origin.y);
        let (x1, y1) = (x0 + r.size.width, y0 + r.size.height);
        let p = Placement {
            c00: dev(x0, y1),
            c10: dev(x1, y1),
            c01: dev(x0, y0),
            w,
            h,
        };
        let all = [p.c00.0, p.c00.1, p.c10.0, p.c10.1, p.c01.0, p.c01.1];
        all.iter().all(|v| v.is_finite()).then_some(p)
    }

    /// The map from source memory coordinates to device memory coordinates.
    fn matrix(&self) -> CGAffineTransform {
        let (w, h) = (self.w as f64, self.h as f64);
        affine::make(
            (self.c10.0 - self.c00.0) / w,
            (self.c10.1 - self.c00.1) / w,
            (self.c01.0 - self.c00.0) / h,
            (self.c01.1 - self.c00.1) / h,
            self.c00.0,
            self.c00.1,
        )
    }

    /// The device axes when the map is axis-aligned: (X axis, R axis, swapped), where
    /// `swapped` means device X runs along source v.
    fn axes(&self) -> Option<(Axis, Axis, bool)> {
        let (dx_u, dy_u) = (self.c10.0 - self.c00.0, self.c10.1 - self.c00.1);
        let (dx_v, dy_v) = (self.c01.0 - self.c00.0, self.c01.1 - self.c00.1);
        if dy_u == 0.0 && dx_v == 0.0 && dx_u != 0.0 && dy_v != 0.0 {
            Some((
                Axis::new(self.c00.0, self.c10.0, self.w),
                Axis::new(self.c00.1, self.c01.1, self.h),
                false,
            ))
        } else if dx_u == 0.0 && dy_v == 0.0 && dy_u != 0.0 && dx_v != 0.0 {
            Some((
                Axis::new(self.c00.0, self.c01.0, self.h),
                Axis::new(self.c00.1, self.c10.1, self.w),
                true,
            ))
        } else {
            None
        }
    }

    /// Device pixels the shape can touch, within `clip`: for axis-aligned maps exactly the
    /// covered spans (the fourth corner, being computed, may round across a pixel edge),
    /// otherwise the bounding box, whose pixels are then tested one by one.
    fn region(&self, axes: Option<&(Axis, Axis, bool)>, clip: [usize; 4]) -> Region {
        if let Some((ax, ay, _)) = axes {
            let (x0, x1) = clip_span(ax.span, clip[0], clip[2]);
            let (y0, y1) = clip_span(ay.span, clip[1], clip[3]);
            return Region { x0, y0, x1, y1 };
        }
        let c11 = (
            self.c10.0 + self.c01.0 - self.c00.0,
            self.c10.1 + self.c01.1 - self.c00.1,
        );
        let xs = [self.c00.0, self.c10.0, self.c01.0, c11.0];
        let ys = [self.c00.1, self.c10.1, self.c01.1, c11.1];
        let min = |v: &[f64]| v.iter().copied().fold(f64::INFINITY, f64::min);
        let max = |v: &[f64]| v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let (x0, x1) = clip_span(pixel_span(min(&xs), max(&xs)), clip[0], clip[2]);
        let (y0, y1) = clip_span(pixel_span(min(&ys), max(&ys)), clip[1], clip[3]);
        Region { x0, y0, x1, y1 }
    }
}

/// Quality the engine uses for an image draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Filter {
    Nearest,
    Linear,
    Lanczos { high: bool },
}

impl Context {
    /// `CGContextDrawImage`.
    pub fn draw_image(&self, rect: CGRect, image: &Image) {
        self.draw(rect, Source::Image(image));
    }

    /// `CGContextFillRect` with the current fill colour.
    pub fn fill_rect(&self, rect: CGRect) {
        let fill = self.gstate().fill;
        self.draw(rect, Source::Solid(fill));
    }

    /// `CGContextClearRect`: covered pixels become all-zero bytes.
    pub fn clear_rect(&self, rect: CGRect) {
        self.draw(rect, Source::Clear);
    }

    /// `CGContextClipToRect`: intersects the clip with the pixels the rect covers (its
    /// bounding box when the CTM rotates by other than quarter turns).
    pub fn clip_to_rect(&self, rect: CGRect) {
        let (w, h) = (self.width(), self.height());
        self.update(|gs| {
            let region = match Placement::new(rect, gs.ctm, 1, 1, h) {
                Some(p) => p.region(p.axes().as_ref(), [0, 0, w, h]),
                None => Region {
                    x0: 0,
                    y0: 0,
                    x1: 0,
                    y1: 0,
                },
            };
            let c = &mut gs.clip;
            c[0] = c[0].max(region.x0);
            c[1] = c[1].max(region.y0);
            c[2] = c[2].min(region.x1).max(c[0]);
            c[3] = c[3].min(region.y1).max(c[1]);
        });
    }

    fn draw(&self, rect: CGRect, source: Source<'_>) {
        let codec = *self.codec();
        let stride = self.bytes_per_row();
        let (sw, sh) = match &source {
            Source::Image(image) => (image.width(), image.height()),
            _ => (1, 1),
        };
        let height = self.height();
        self.with_pixels(|gs, bytes| {
            let Some(place) = Placement::new(rect, gs.ctm, sw, sh, height) else {
                return;
            };
            let axes = place.axes();
            let region = place.region(axes.as_ref(), gs.clip);
            if region.is_empty() {
                return;
            }
            let minv = affine::invert(place.matrix());
            if axes.is_none() && minv.is_none() {
                return;
            }
            // Which region pixels the shape covers.
            let covered = |x: usize, r: usize| -> bool {
                match (&axes, &minv) {
                    (Some((ax, ay, _)), _) => {
                        let (x, r) = (x as i64, r as i64);
                        (ax.span.0..ax.span.1).contains(&x) && (ay.span.0..ay.span.1).contains(&r)
                    }
                    (None, Some(m)) => {
                        let (u, v) = apply(m, x as f64 + 0.5, r as f64 + 0.5);
                        u >= 0.0 && v >= 0.0 && u < sw as f64 && v < sh as f64
                    }
                    (None, None) => false,
                }
            };
            let sampled = match source {
                Source::Image(image) => {
                    if self.byte_copy(gs, image, axes, region, bytes) {
                        return;
                    }
                    let Some(src) = convert_image(image, self.work_format(), codec.colours) else {
                        return;
                    };
                    let filter = match gs.quality {
                        _ if !image.should_interpolate() => Filter::Nearest,
                        INTERPOLATION_NONE => Filter::Nearest,
                        INTERPOLATION_LOW => Filter::Linear,
                        INTERPOLATION_HIGH => Filter::Lanczos { high: true },
                        _ => Filter::Lanczos { high: false },
                    };
                    let Some(work) = sample(&src, &place, axes, minv, region, filter) else {
                        return;
                    };
                    Some(work)
                }
                Source::Solid(_) | Source::Clear => None,
            };
            let bpp = codec.bytes_per_pixel();
            let alpha = gs.alpha as f32;
            for r in region.y0..region.y1 {
                let row = &mut bytes[r * stride..];
                for x in region.x0..region.x1 {
                    if !covered(x, r) {
                        continue;
                    }
                    let pixel = &mut row[x * bpp..(x + 1) * bpp];
                    let s = match (&source, &sampled) {
                        (Source::Clear, _) => {
                            pixel.fill(0);
                            continue;
                        }
                        (Source::Solid(p), _) => *p,
                        (_, Some(w)) => w.get((r - region.y0) * region.w() + (x - region.x0)),
                        (_, None) => continue,
                    };
                    let out = composite(&codec, gs.blend, alpha, s, pixel);
                    codec.store(&out, pixel);
                }
            }
        })
    }

    /// The byte copy of reference B.6.4: an opaque (or Copy-mode) source in the context's own
    /// format and colour space, placed 1:1 without flips, with full alpha.
    fn byte_copy(
        &self,
        gs: &GState,
        image: &Image,
        axes: Option<(Axis, Axis, bool)>,
        region: Region,
        bytes: &mut [u8],
    ) -> bool {
        let Some((ax, ay, false)) = axes else {
            return false;
        };
        let format = image.format();
        let same_space = match (image.color_space(), self.color_space()) {
            (Some(a), Some(b)) => a.cf_equal(b),
            (None, None) => true,
            _ => false,
        };
        let opaque = matches!(
            format.info.alpha,
            AlphaInfo::None | AlphaInfo::NoneSkipFirst | AlphaInfo::NoneSkipLast
        );
        let ok = !image.is_mask()
            && image.decode().is_none()
            && same_space
            && format.bitmap_info == self.bitmap_info()
            && format.bits_per_component as usize == self.bits_per_component()
            && format.bits_per_pixel as usize == self.bits_per_pixel()
            && gs.alpha == 1.0
            && (gs.blend == BLEND_COPY || (gs.blend == BLEND_NORMAL && opaque))
            && !ax.flipped()
            && !ay.flipped()
            && ax.len() == image.width()
            && ay.len() == image.height();
        if !ok {
            return false;
        }
        let bpp = self.codec().bytes_per_pixel();
        let stride = self.bytes_per_row();
        let n = region.w() * bpp;
        for r in region.y0..region.y1 {
            let v = (r as i64 - ay.span.0) as usize;
            let u = (region.x0 as i64 - ax.span.0) as usize;
            let src = &image.row(v)[u * bpp..u * bpp + n];
            bytes[r * stride + region.x0 * bpp..][..n].copy_from_slice(src);
        }
        true
    }
}

/// `s` (scaled by the global alpha) composited onto the pixel in `dst` by `blend`; the result
/// is clamped to `0 <= colour <= alpha <= 1` (colours to [0, 1] without alpha).
fn composite(codec: &Codec, blend: i32, alpha: f32, s: Px, dst: &[u8]) -> Px {
    let s = s.map(|v| v * alpha);
    let mut out = match blend {
        BLEND_COPY => s,
        BLEND_CLEAR => [0.0; 5],
        _ if s[ALPHA] >= 1.0 => s,
        _ => {
            let d = codec.load(dst);
            let k = 1.0 - s[ALPHA];
            std::array::from_fn(|i| s[i] + d[i] * k)
        }
    };
    let a = if codec.has_alpha {
        out[ALPHA].clamp(0.0, 1.0)
    } else {
        1.0
    };
    let a = if a.is_nan() { 0.0 } else { a };
    out[ALPHA] = a;
    for v in out.iter_mut().take(codec.colours) {
        *v = if v.is_nan() { 0.0 } else { v.clamp(0.0, a) };
    }
    out
}

/// The source's values at the region's pixels (uncovered pixels hold anything).
fn sample(
    src: &Work,
    place: &Placement,
    axes: Option<(Axis, Axis, bool)>,
    minv: Option<CGAffineTransform>,
    region: Region,
    filter: Filter,
) -> Option<Work> {
    let (rw, rh) = (region.w(), region.h());
    let mut out = Work::new(rw, rh, src.colours)?;
    match (axes, filter) {
        (Some((ax, ay, swapped)), Filter::Nearest | Filter::Linear) => {
            // Per device column / row: which source index (and weight) feeds it.
            let at = |u: usize, v: usize| if swapped { (v, u) } else { (u, v) };
            for r in 0..rh {
                for x in 0..rw {
                    let (dx, dr) = (region.x0 + x, region.y0 + r);
                    let px = if filter == Filter::Nearest {
                        let (u, v) = at(ax.nearest(dx), ay.nearest(dr));
                        src.get(v * src.w + u)
                    } else {
                        let (x0, x1, fx) = ax.linear(dx);
                        let (y0, y1, fy) = ay.linear(dr);
                        let g = |a: usize, b: usize| {
                            let (u, v) = at(a, b);
                            src.get(v * src.w + u)
                        };
                        lerp2(g(x0, y0), g(x1, y0), g(x0, y1), g(x1, y1), fx, fy)
                    };
                    out.set(r * rw + x, &px);
                }
            }
        }
        (None, Filter::Nearest | Filter::Linear) => {
            let m = minv?;
            let clampi = |v: f64, n: usize| (v.floor().max(0.0) as usize).min(n - 1);
            for r in 0..rh {
                for x in 0..rw {
                    let (u, v) = apply(
                        &m,
                        (region.x0 + x) as f64 + 0.5,
                        (region.y0 + r) as f64 + 0.5,
                    );
                    let px = if filter == Filter::Nearest {
                        src.get(clampi(v, src.h) * src.w + clampi(u, src.w))
                    } else {
                        let (u, v) = (u - 0.5, v - 0.5);
                        let (fu, fv) = (u.floor(), v.floor());
                        let (x0, y0) = (clampi(fu, src.w), clampi(fv, src.h));
                        let (x1, y1) = (clampi(fu + 1.0, src.w), clampi(fv + 1.0, src.h));
                        let g = |a: usize, b: usize| src.get(b * src.w + a);
                        let (fx, fy) = ((u - fu) as f32, (v - fv) as f32);
                        lerp2(g(x0, y0), g(x1, y0), g(x0, y1), g(x1, y1), fx, fy)
                    };
                    out.set(r * rw + x, &px);
                }
            }
        }
        (Some((ax, ay, swapped)), Filter::Lanczos { high })
            if ax.len().saturating_mul(ay.len()) <= (4 * rw * rh).max(1 << 22) =>
        {
            let oriented = orient(src, ax.flipped(), ay.flipped(), swapped)?;
            let full = if oriented.w == ax.len() && oriented.h == ay.len() {
                oriented
            } else {
                scale(&oriented, ax.len(), ay.len(), high)?
            };
            let (ox, oy) = (
                (region.x0 as i64 - ax.span.0) as usize,
                (region.y0 as i64 - ay.span.0) as usize,
            );
            for r in 0..rh {
                for x in 0..rw {
                    let px = full.get((oy + r) * full.w + ox + x);
                    out.set(r * rw + x, &px);
                }
            }
        }
        (_, Filter::Lanczos { high }) => {
            warp(src, place, region, high, &mut out)?;
        }
    }
    Some(out)
}

fn lerp2(p00: Px, p10: Px, p01: Px, p11: Px, fx: f32, fy: f32) -> Px {
    std::array::from_fn(|i| {
        let top = p00[i] + (p10[i] - p00[i]) * fx;
        let bottom = p01[i] + (p11[i] - p01[i]) * fx;
        top + (bottom - top) * fy
    })
}

/// A surface over a plane of `w x h` pixels of `ch` f32 channels.
fn surface(plane: &mut [f32], w: usize, h: usize, ch: usize) -> Option<Surface> {
    // SAFETY: f32 has no invalid bit patterns and u8 has alignment 1; the byte view covers
    // exactly the plane's memory and borrows it mutably for as long as the surface is used.
    let bytes =
        unsafe { std::slice::from_raw_parts_mut(plane.as_mut_ptr().cast::<u8>(), plane.len() * 4) };
    Surface::of_slice(bytes, w * ch * 4, w, h, ch * 4)
}

/// The source turned so that device X runs along its columns and device R along its rows,
/// both increasing: reflections and quarter turns through the geometry engine (exact).
fn orient(src: &Work, flip_x: bool, flip_y: bool, swapped: bool) -> Option<Work> {
    if !flip_x && !flip_y && !swapped {
        return Some(src.clone());
    }
    let (ow, oh) = if swapped {
        (src.h, src.w)
    } else {
        (src.w, src.h)
    };
    let mut out = Work::new(ow, oh, src.colours)?;
    let flags = Flags::DO_NOT_TILE;
    for ((ch, s), (_, d)) in src.planes.iter().zip(out.planes.iter_mut()) {
        let mut s = s.clone();
        let ss = surface(&mut s, src.w, src.h, *ch)?;
        let ds = surface(d, ow, oh, *ch)?;
        // Quarter turns count counter-clockwise as displayed (row 0 at the top); see the
        // module notes of geometry::rotate90 for where each pixel comes from.
        let result = match (swapped, flip_x, flip_y) {
            (false, true, false) => geometry::reflect::horizontal(ss, ds, flags),
            (false, false, true) => geometry::reflect::vertical(ss, ds, flags),
            (false, true, true) => geometry::rotate90::rotate90(ss, ds, 2, None, flags),
            (true, true, false) => geometry::rotate90::rotate90(ss, ds, 3, None, flags),
            (true, false, true) => geometry::rotate90::rotate90(ss, ds, 1, None, flags),
            (true, fx, _) => {
                // A transpose: a quarter turn, then a horizontal reflection.
                let turns = if fx { 1 } else { 3 };
                let mut t = vec![0f32; ow * oh * ch];
                let ts = surface(&mut t, ow, oh, *ch)?;
                geometry::rotate90::rotate90(ss, ts, turns, None, flags)
                    .and_then(|_| geometry::reflect::horizontal(ts, ds, flags))
            }
            (false, false, false) => Ok(()),
        };
        result.ok()?;
    }
    Some(out)
}

/// `vImageScale` of every plane to `w x h` (Lanczos3, or Lanczos5 when `high`).
fn scale(src: &Work, w: usize, h: usize, high: bool) -> Option<Work> {
    use geometry::scale::{Format, Img, Sample};
    let mut out = Work::new(w, h, src.colours)?;
    let mut flags = Flags::DO_NOT_TILE;
    if high {
        flags |= Flags::HIGH_QUALITY_RESAMPLING;
    }
    for ((ch, s), (_, d)) in src.planes.iter().zip(out.planes.iter_mut()) {
        let mut s = s.clone();
        let ss = surface_bytes(&mut s);
        let si = Img::of_slice(ss, src.w * ch * 4, src.w, src.h, ch * 4).ok()?;
        let di = Img::of_slice(surface_bytes(d), w * ch * 4, w, h, ch * 4).ok()?;
        geometry::scale::scale(&si, &di, Format::new(*ch, Sample::F32), None, flags).ok()?;
    }
    Some(out)
}

fn surface_bytes(plane: &mut [f32]) -> &mut [u8] {
    // SAFETY: f32 has no invalid bit patterns and u8 has alignment 1; the view covers exactly
    // the plane's memory and keeps its mutable borrow.
    unsafe { std::slice::from_raw_parts_mut(plane.as_mut_ptr().cast::<u8>(), plane.len() * 4) }
}

/// The affine warp (Lanczos, edges extended) of every plane onto the region.
fn warp(src: &Work, place: &Placement, region: Region, high: bool, out: &mut Work) -> Option<()> {
    use geometry::warp::Format;
    // Warp frame: y up from each image's bottom-left corner. Source (sx, sy) is memory
    // (sx, h - sy); device memory (X, R) is region-local (X - x0, y1 - R).
    let m = place.matrix();
    let to_src = affine::make(1.0, 0.0, 0.0, -1.0, 0.0, src.h as f64);
    let to_local = affine::make(1.0, 0.0, 0.0, -1.0, -(region.x0 as f64), region.y1 as f64);
    let t = affine::concat(affine::concat(to_src, m), to_local);
    let mut flags = Flags::DO_NOT_TILE | Flags::EDGE_EXTEND;
    if high {
        flags |= Flags::HIGH_QUALITY_RESAMPLING;
    }
    let (rw, rh) = (out.w, out.h);
    for ((ch, s), (_, d)) in src.planes.iter().zip(out.planes.iter_mut()) {
        let mut s = s.clone();
        let ss = surface(&mut s, src.w, src.h, *ch)?;
        let ds = surface(d, rw, rh, *ch)?;
        let format = if *ch == 4 {
            Format::ARGBFFFF
        } else {
            Format::PlanarF
        };
        geometry::warp::affine(
            ss,
            ds,
            format,
            [t.a, t.b, t.c, t.d, t.tx, t.ty],
            None,
            flags,
        )
        .ok()?;
    }
    Some(())
}
