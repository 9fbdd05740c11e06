//! GIF through image-rs's `gif`: every frame is an image (`GetCount` = frames). Image `i` is the
//! canvas after frames `0..=i` are drawn with their disposal methods, as a browser shows it:
//! the logical screen size, RGBA 8/32 `PremultipliedLast` (transparent pixels are 0, 0, 0, 0,
//! others opaque, so premultiplied and straight alpha are the same bytes).

use std::io::Cursor;
use std::num::NonZeroU64;

use gif::{ColorOutput, DecodeOptions, DisposalMethod, MemoryLimit, Repeat};

use super::{Colour, Container, DecodeError, Decoded, FrameInfo, Kind, Layout, Status};
use crate::format::ColorModel;
use crate::io::properties::{Props, keys};
use crate::types::*;

const LAYOUT: Layout = Layout::new(8, 32, kCGImageAlphaPremultipliedLast, ColorModel::Rgb);

fn options(skip: bool) -> DecodeOptions {
    let mut o = DecodeOptions::new();
    o.set_color_output(ColorOutput::RGBA);
    let limit = NonZeroU64::new(crate::io::max_image_bytes() as u64).unwrap_or(NonZeroU64::MIN);
    o.set_memory_limit(MemoryLimit::Bytes(limit));
    o.skip_frame_decoding(skip);
    o.check_frame_consistency(false);
    o.allow_unknown_blocks(true);
    o
}

fn status_of(e: &gif::DecodingError) -> Status {
    match e {
        gif::DecodingError::UnexpectedEof => Status::UnexpectedEof,
        gif::DecodingError::Io(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
            Status::UnexpectedEof
        }
        _ => Status::InvalidData,
    }
}

/// `DelayTime` as Apple clamps it: delays under 11 ms play at 100 ms (browsers do the same).
fn clamped(delay: f64) -> f64 {
    if delay < 0.011 { 0.1 } else { delay }
}

pub fn parse(b: &[u8]) -> Result<Container, Status> {
    let mut d = options(true)
        .read_info(Cursor::new(b))
        .map_err(|e| status_of(&e))?;
    let (w, h) = (usize::from(d.width()), usize::from(d.height()));
    if w == 0 || h == 0 {
        return Err(Status::InvalidData);
    }
    let global = d.global_palette().is_some();
    let mut frames = Vec::new();
    let mut status = Status::Complete;
    loop {
        match d.read_next_frame() {
            Ok(Some(f)) => {
                let delay = f64::from(f.delay) / 100.0;
                let mut g = Props::new();
                g.float("DelayTime", clamped(delay));
                g.float("UnclampedDelayTime", delay);
                let mut extra = Props::new();
                extra.dict(keys::GIF, g);
                frames.push(FrameInfo {
                    width: w,
                    height: h,
                    layout: LAYOUT,
                    depth: 8,
                    has_alpha: true,
                    indexed: false,
                    orientation: None,
                    dpi: None,
                    colour: Colour::Untagged,
                    extra,
                    thumbnail: None,
                });
                if frames.len() > 1 << 20 {
                    break;
                }
            }
            Ok(None) => break,
            Err(e) => {
                status = status_of(&e);
                break;
            }
        }
    }
    if frames.is_empty() {
        return Err(if status == Status::Complete {
            Status::InvalidData
        } else {
            status
        });
    }
    let mut props = Props::new();
    let mut g = Props::new();
    match d.repeat() {
        Repeat::Infinite => g.int("LoopCount", 0),
        Repeat::Finite(0) => {}
        Repeat::Finite(n) => g.int("LoopCount", i64::from(n)),
    }
    g.bool("HasGlobalColorMap", global);
    g.int("CanvasPixelWidth", w as i64);
    g.int("CanvasPixelHeight", h as i64);
    props.dict(keys::GIF, g);
    Ok(Container {
        kind: Kind::Gif,
        frames,
        props,
        status,
    })
}

fn decode_error(e: gif::DecodingError) -> DecodeError {
    match e {
        gif::DecodingError::MemoryLimit | gif::DecodingError::OutOfMemory => DecodeError::TooLarge,
        gif::DecodingError::UnexpectedEof => DecodeError::Truncated,
        gif::DecodingError::Io(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
            DecodeError::Truncated
        }
        other => DecodeError::Invalid(other.to_string()),
    }
}

pub fn decode(b: &[u8], container: &Container, index: usize) -> Result<Decoded, DecodeError> {
    let first = container
        .frames
        .first()
        .ok_or(DecodeError::Invalid("no frames".into()))?;
    let (w, h) = (first.width, first.height);
    let mut canvas = super::alloc_zeroed(w.checked_mul(h * 4).ok_or(DecodeError::TooLarge)?)?;
    let mut saved: Option<Vec<u8>> = None;
    let mut d = options(false)
        .read_info(Cursor::new(b))
        .map_err(decode_error)?;
    for i in 0..=index {
        let f = d
            .read_next_frame()
            .map_err(decode_error)?
            .ok_or(DecodeError::Truncated)?;
        let (fx, fy) = (usize::from(f.left), usize::from(f.top));
        let (fw, fh) = (usize::from(f.width), usize::from(f.height));
        if f.dispose == DisposalMethod::Previous && i < index {
            saved = Some(canvas.clone());
        }
        let buf = &f.buffer;
        for row in 0..fh {
            let y = fy + row;
            if y >= h {
                break;
            }
            for col in 0..fw.min(w.saturating_sub(fx)) {
                let s = 4 * (row * fw + col);
                let Some(px) = buf.get(s..s + 4) else { break };
                if px[3] != 0 {
                    let o = 4 * (y * w + fx + col);
                    canvas[o..o + 4].copy_from_slice(px);
                }
            }
        }
        if i == index {
            break;
        }
        match f.dispose {
            DisposalMethod::Background => {
                for y in fy..(fy + fh).min(h) {
                    let x0 = fx.min(w);
                    let x1 = (fx + fw).min(w);
                    canvas[4 * (y * w + x0)..4 * (y * w + x1)].fill(0);
                }
            }
            DisposalMethod::Previous => {
                if let Some(s) = saved.take() {
                    canvas = s;
                }
            }
            _ => {}
        }
    }
    Ok(Decoded {
        width: w,
        height: h,
        layout: LAYOUT,
        bytes_per_row: 4 * w,
        pixels: canvas,
    })
}

/// Encodes RGBA 8/32 `Last` rasters as an animated GIF (NeuQuant palettes per frame; pixels
/// with alpha below 128 become transparent). The canvas is the first frame's size.
pub fn encode(
    frames: &[(
        crate::io::destination::Raster<'_>,
        crate::io::destination::Meta,
    )],
) -> Result<Vec<u8>, String> {
    let (first, meta) = frames.first().ok_or("no frames")?;
    let w = u16::try_from(first.width).map_err(|e| e.to_string())?;
    let h = u16::try_from(first.height).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    {
        let mut enc = gif::Encoder::new(&mut out, w, h, &[]).map_err(|e| e.to_string())?;
        if let Some(n) = meta.loop_count {
            let repeat = if n == 0 {
                Repeat::Infinite
            } else {
                Repeat::Finite(n)
            };
            enc.set_repeat(repeat).map_err(|e| e.to_string())?;
        }
        for (r, m) in frames {
            let fw = u16::try_from(r.width).map_err(|e| e.to_string())?;
            let fh = u16::try_from(r.height).map_err(|e| e.to_string())?;
            if fw > w || fh > h {
                return Err("frame larger than the first".into());
            }
            let mut px = r.tight().into_owned();
            for p in px.chunks_exact_mut(4) {
                p[3] = if p[3] >= 128 { 255 } else { 0 };
            }
            let mut frame = gif::Frame::from_rgba_speed(fw, fh, &mut px, 10);
            frame.delay = m
                .delay
                .map_or(0, |d| (d * 100.0).round().clamp(0.0, 65535.0) as u16);
            frame.dispose = DisposalMethod::Background;
            enc.write_frame(&frame).map_err(|e| e.to_string())?;
        }
    }
    Ok(out)
}
