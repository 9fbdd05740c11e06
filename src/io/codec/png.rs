//! PNG through image-rs's `png` crate: every colour type and depth, palette + tRNS,
//! interlaced, 16-bit; iCCP / sRGB / gAMA + cHRM; pHYs; eXIf orientation; text chunks.
//!
//! Decoded layouts (§A.6): gray 8/8 None, gray+alpha 8/16 Last, RGB 8/24 None, RGBA 8/32 Last,
//! and the same at 16 bits per component in host (little-endian) order
//! (`kCGBitmapByteOrder16Little`). Palette images become RGB (RGBA with tRNS), gray below 8
//! bits is scaled to 8 bits, and a tRNS colour becomes an alpha channel.

use std::io::Cursor;

use png::{BitDepth, ColorType, Transformations, Unit};

use super::{Colour, Container, DecodeError, Decoded, FrameInfo, Kind, Layout, Status};
use crate::format::ColorModel;
use crate::io::exif;
use crate::io::properties::{Props, Value, keys};
use crate::types::*;

fn limits() -> png::Limits {
    png::Limits {
        bytes: crate::io::max_image_bytes(),
    }
}

fn decoder(bytes: &[u8]) -> png::Decoder<Cursor<&[u8]>> {
    let mut d = png::Decoder::new_with_limits(Cursor::new(bytes), limits());
    d.set_transformations(Transformations::EXPAND);
    d
}

fn status_of(e: &png::DecodingError) -> Status {
    match e {
        png::DecodingError::IoError(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
            Status::UnexpectedEof
        }
        _ => Status::InvalidData,
    }
}

fn decode_error(e: png::DecodingError) -> DecodeError {
    match e {
        png::DecodingError::LimitsExceeded => DecodeError::TooLarge,
        png::DecodingError::IoError(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
            DecodeError::Truncated
        }
        other => DecodeError::Invalid(other.to_string()),
    }
}

/// Walks the chunks: `Complete` when IEND is reached, `UnexpectedEof` when a chunk runs past
/// the end, `InvalidData` for an impossible length.
fn chunk_status(b: &[u8]) -> Status {
    let mut at = 8usize;
    loop {
        let Some(head) = b.get(at..at + 8) else {
            return Status::UnexpectedEof;
        };
        let len = u32::from_be_bytes([head[0], head[1], head[2], head[3]]) as usize;
        if len > 0x7FFF_FFFF {
            return Status::InvalidData;
        }
        let end = at + 12 + len;
        if end > b.len() {
            return Status::UnexpectedEof;
        }
        if &head[4..8] == b"IEND" {
            return Status::Complete;
        }
        at = end;
    }
}

fn layout_of(colour: ColorType, depth: BitDepth) -> Option<Layout> {
    let sixteen = depth == BitDepth::Sixteen;
    let (bpc, order) = if sixteen {
        (16, kCGBitmapByteOrder16Little)
    } else if depth == BitDepth::Eight {
        (8, 0)
    } else {
        return None;
    };
    let (channels, alpha, model) = match colour {
        ColorType::Grayscale => (1, kCGImageAlphaNone, ColorModel::Gray),
        ColorType::GrayscaleAlpha => (2, kCGImageAlphaLast, ColorModel::Gray),
        ColorType::Rgb => (3, kCGImageAlphaNone, ColorModel::Rgb),
        ColorType::Rgba => (4, kCGImageAlphaLast, ColorModel::Rgb),
        ColorType::Indexed => return None,
    };
    Some(Layout::new(bpc, bpc * channels, alpha | order, model))
}

/// Text chunk keywords ImageIO reports in `{PNG}` (keyword, key).
const TEXT_KEYS: &[(&str, &str)] = &[
    ("Title", "Title"),
    ("Author", "Author"),
    ("Description", "Description"),
    ("Copyright", "Copyright"),
    ("Creation Time", "CreationTime"),
    ("Software", "Software"),
    ("Disclaimer", "Disclaimer"),
    ("Warning", "Warning"),
    ("Source", "Source"),
    ("Comment", "Comment"),
];

pub fn parse(bytes: &[u8]) -> Result<Container, Status> {
    let status = chunk_status(bytes);
    if status == Status::InvalidData {
        return Err(status);
    }
    let reader = decoder(bytes).read_info().map_err(|e| status_of(&e))?;
    let info = reader.info();
    let (out_colour, out_depth) = reader.output_color_type();
    let layout = layout_of(out_colour, out_depth).ok_or(Status::InvalidData)?;
    let mut png = Props::new();
    png.int("InterlaceType", i64::from(info.interlaced));
    let mut dpi = None;
    if let Some(d) = info.pixel_dims
        && d.unit == Unit::Meter
    {
        png.int("XPixelsPerMeter", i64::from(d.xppu));
        png.int("YPixelsPerMeter", i64::from(d.yppu));
        if d.xppu > 0 && d.yppu > 0 {
            dpi = Some((f64::from(d.xppu) * 0.0254, f64::from(d.yppu) * 0.0254));
        }
    }
    if let Some(g) = info.gama_chunk {
        png.float("Gamma", f64::from(g.into_scaled()) / 100_000.0);
    }
    let chromaticities = info.chrm_chunk.map(|c| {
        let v = |s: png::ScaledFloat| f64::from(s.into_scaled()) / 100_000.0;
        [
            v(c.white.0),
            v(c.white.1),
            v(c.red.0),
            v(c.red.1),
            v(c.green.0),
            v(c.green.1),
            v(c.blue.0),
            v(c.blue.1),
        ]
    });
    if let Some(c) = chromaticities {
        png.set(
            "Chromaticities",
            Value::Array(c.iter().map(|&v| Value::Float(v)).collect()),
        );
    }
    if let Some(intent) = info.srgb {
        png.int("sRGBIntent", intent as i64);
    }
    for t in &info.uncompressed_latin1_text {
        if let Some((_, key)) = TEXT_KEYS.iter().find(|(k, _)| *k == t.keyword) {
            png.str(key, &t.text);
        }
    }
    for t in &info.utf8_text {
        if let Some((_, key)) = TEXT_KEYS.iter().find(|(k, _)| *k == t.keyword)
            && let Ok(text) = t.get_text()
        {
            png.str(key, &text);
        }
    }
    let colour = if let Some(icc) = &info.icc_profile {
        Colour::Icc(icc.to_vec().into())
    } else if info.srgb.is_some() {
        Colour::Srgb
    } else if let Some(g) = info.gama_chunk {
        Colour::Calibrated {
            gamma: f64::from(g.into_scaled()) / 100_000.0,
            chromaticities,
        }
    } else {
        Colour::Untagged
    };
    let mut extra = Props::new();
    let mut orientation = None;
    if let Some(e) = info.exif_metadata.as_deref().and_then(exif::parse) {
        orientation = e.orientation;
        if dpi.is_none() {
            dpi = e.dpi;
        }
        extra.dict(keys::TIFF, e.tiff);
        extra.dict(keys::EXIF, e.exif);
    }
    extra.dict(keys::PNG, png);
    let frame = FrameInfo {
        width: info.width as usize,
        height: info.height as usize,
        layout,
        depth: info.bit_depth as u32,
        has_alpha: info.color_type == ColorType::Rgba
            || info.color_type == ColorType::GrayscaleAlpha
            || info.trns.is_some(),
        indexed: info.color_type == ColorType::Indexed,
        orientation,
        dpi,
        colour,
        extra,
        thumbnail: None,
    };
    Ok(Container {
        kind: Kind::Png,
        frames: vec![frame],
        props: Props::new(),
        status,
    })
}

pub fn decode(bytes: &[u8], frame: &FrameInfo) -> Result<Decoded, DecodeError> {
    let mut reader = decoder(bytes).read_info().map_err(decode_error)?;
    let size = reader.output_buffer_size().ok_or(DecodeError::TooLarge)?;
    let mut pixels = super::alloc_zeroed(size)?;
    let out = reader.next_frame(&mut pixels).map_err(decode_error)?;
    let (colour, depth) = reader.output_color_type();
    let layout = layout_of(colour, depth).ok_or(DecodeError::Invalid("layout".into()))?;
    if layout != frame.layout || out.width as usize != frame.width {
        return Err(DecodeError::Invalid("frame differs from the header".into()));
    }
    if layout.bits_per_component == 16 {
        // PNG stores big-endian samples; CGImages from ImageIO hold them in host order.
        for pair in pixels.chunks_exact_mut(2) {
            pair.swap(0, 1);
        }
    }
    Ok(Decoded {
        width: out.width as usize,
        height: out.height as usize,
        layout,
        bytes_per_row: out.line_size,
        pixels,
    })
}

/// Encodes a raster (gray, gray + alpha, RGB, RGBA at 8 or 16 bits) as PNG.
pub fn encode(
    r: &crate::io::destination::Raster<'_>,
    m: &crate::io::destination::Meta,
) -> Result<Vec<u8>, String> {
    let l = r.layout;
    let colour = match (l.model, l.has_alpha()) {
        (ColorModel::Gray, false) => ColorType::Grayscale,
        (ColorModel::Gray, true) => ColorType::GrayscaleAlpha,
        (_, false) => ColorType::Rgb,
        (_, true) => ColorType::Rgba,
    };
    let depth = if l.bits_per_component == 16 {
        BitDepth::Sixteen
    } else {
        BitDepth::Eight
    };
    let w = u32::try_from(r.width).map_err(|e| e.to_string())?;
    let h = u32::try_from(r.height).map_err(|e| e.to_string())?;
    let mut info = png::Info::with_size(w, h);
    info.color_type = colour;
    info.bit_depth = depth;
    if m.srgb {
        info.srgb = Some(png::SrgbRenderingIntent::Perceptual);
    } else if let Some(icc) = &m.icc {
        info.icc_profile = Some(icc.clone().into());
    }
    if let Some(o) = m.orientation {
        info.exif_metadata = Some(exif::orientation_block(o).into());
    }
    if let Some((x, y)) = m.dpi {
        info.pixel_dims = Some(png::PixelDimensions {
            xppu: (x / 0.0254).round() as u32,
            yppu: (y / 0.0254).round() as u32,
            unit: Unit::Meter,
        });
    }
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::with_info(&mut out, info).map_err(|e| e.to_string())?;
        // fdeflate: ~10x faster than the default level for ~10 % larger files (anchors.md).
        enc.set_compression(png::Compression::Fast);
        let mut writer = enc.write_header().map_err(|e| e.to_string())?;
        let mut data = r.tight();
        if depth == BitDepth::Sixteen && !r.big_endian {
            for pair in data.to_mut().chunks_exact_mut(2) {
                pair.swap(0, 1);
            }
        }
        writer.write_image_data(&data).map_err(|e| e.to_string())?;
        writer.finish().map_err(|e| e.to_string())?;
    }
    Ok(out)
}
