//! JPEG through `zune-jpeg` (libjpeg-turbo's speed in pure Rust, SIMD): baseline and
//! progressive, gray, YCbCr / RGB, CMYK and YCCK. The markers ImageIO reports (JFIF, EXIF,
//! ICC chunks, Adobe) are read by a bounds-checked walk here.
//!
//! Decoded layouts (§A.6): gray 8/8 None; colour 8/32 `NoneSkipLast` (pad byte 0xFF); CMYK
//! 8/32 None with ink values (0 = no ink: Adobe's inverted storage is undone).

use zune_jpeg::JpegDecoder;
use zune_jpeg::zune_core::bytestream::ZCursor;
use zune_jpeg::zune_core::colorspace::ColorSpace as ZSpace;
use zune_jpeg::zune_core::options::DecoderOptions;

use super::{Colour, Container, DecodeError, Decoded, FrameInfo, Kind, Layout, Status};
use crate::format::ColorModel;
use crate::io::exif;
use crate::io::properties::{Props, Value, keys};
use crate::types::*;

/// What the markers before the first scan say.
#[derive(Debug, Default)]
pub(crate) struct Markers {
    /// (major, minor, units, x density, y density)
    jfif: Option<(u8, u8, u8, u16, u16)>,
    /// The TIFF block of the APP1 EXIF segment and its offset in the file.
    exif: Option<(usize, usize)>,
    /// ICC_PROFILE chunks: (sequence number, count, range in the file).
    icc: Vec<(u8, u8, usize, usize)>,
    /// The Adobe APP14 transform (0 RGB/CMYK, 1 YCbCr, 2 YCCK).
    adobe: Option<u8>,
    /// (precision, height, width, components, progressive)
    sof: Option<(u8, u16, u16, u8, bool)>,
    /// Offset of the first scan's data.
    sos: usize,
}

fn be16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*b.get(at)?, *b.get(at + 1)?]))
}

/// Walks the segments up to the first SOS.
pub(crate) fn walk(b: &[u8]) -> Result<Markers, Status> {
    if !b.starts_with(&[0xFF, 0xD8]) {
        return Err(Status::UnknownType);
    }
    let mut m = Markers::default();
    let mut at = 2usize;
    loop {
        if *b.get(at).ok_or(Status::UnexpectedEof)? != 0xFF {
            return Err(Status::InvalidData);
        }
        while b.get(at) == Some(&0xFF) {
            at += 1;
        }
        let marker = *b.get(at).ok_or(Status::UnexpectedEof)?;
        at += 1;
        match marker {
            0x01 | 0xD0..=0xD7 => continue,
            0xD8 | 0xD9 | 0x00 => return Err(Status::InvalidData),
            _ => {}
        }
        let len = usize::from(be16(b, at).ok_or(Status::UnexpectedEof)?);
        if len < 2 {
            return Err(Status::InvalidData);
        }
        let seg_start = at + 2;
        let seg_end = at + len;
        let seg = b.get(seg_start..seg_end).ok_or(Status::UnexpectedEof)?;
        match marker {
            0xDA => {
                if m.sof.is_none() {
                    return Err(Status::InvalidData);
                }
                m.sos = seg_end;
                return Ok(m);
            }
            0xE0 if seg.starts_with(b"JFIF\0") && seg.len() >= 12 && m.jfif.is_none() => {
                m.jfif = Some((
                    seg[5],
                    seg[6],
                    seg[7],
                    be16(seg, 8).unwrap_or(0),
                    be16(seg, 10).unwrap_or(0),
                ));
            }
            0xE1 if seg.starts_with(b"Exif\0\0") && m.exif.is_none() => {
                m.exif = Some((seg_start + 6, seg_end));
            }
            0xE2 if seg.starts_with(b"ICC_PROFILE\0") && seg.len() >= 14 => {
                m.icc.push((seg[12], seg[13], seg_start + 14, seg_end));
            }
            0xEE if seg.starts_with(b"Adobe") && seg.len() >= 12 => m.adobe = Some(seg[11]),
            0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
                if seg.len() < 6 || m.sof.is_some() {
                    return Err(Status::InvalidData);
                }
                let progressive = matches!(marker, 0xC2 | 0xC6 | 0xCA | 0xCE);
                m.sof = Some((
                    seg[0],
                    be16(seg, 1).unwrap_or(0),
                    be16(seg, 3).unwrap_or(0),
                    seg[5],
                    progressive,
                ));
            }
            _ => {}
        }
        at = seg_end;
    }
}

/// The ICC profile from its APP2 chunks, when every chunk 1..=count is there.
fn assemble_icc(b: &[u8], chunks: &[(u8, u8, usize, usize)]) -> Option<Vec<u8>> {
    let count = chunks.first()?.1;
    if count == 0 || chunks.len() != usize::from(count) {
        return None;
    }
    let mut out = Vec::new();
    for seq in 1..=count {
        let &(_, c, s, e) = chunks.iter().find(|c| c.0 == seq)?;
        if c != count {
            return None;
        }
        out.extend_from_slice(b.get(s..e)?);
    }
    Some(out)
}

pub fn parse(b: &[u8]) -> Result<Container, Status> {
    let m = walk(b)?;
    let (precision, height, width, components, progressive) = m.sof.ok_or(Status::InvalidData)?;
    if width == 0 || height == 0 {
        return Err(Status::InvalidData);
    }
    let layout = match components {
        1 => Layout::new(8, 8, kCGImageAlphaNone, ColorModel::Gray),
        3 => Layout::new(8, 32, kCGImageAlphaNoneSkipLast, ColorModel::Rgb),
        4 => Layout::new(8, 32, kCGImageAlphaNone, ColorModel::Cmyk),
        _ => return Err(Status::InvalidData),
    };
    let status = if b[m.sos..].windows(2).any(|w| w == [0xFF, 0xD9]) {
        Status::Complete
    } else {
        Status::UnexpectedEof
    };
    let mut extra = Props::new();
    let mut jfif = Props::new();
    let mut dpi = None;
    if let Some((major, minor, units, xd, yd)) = m.jfif {
        jfif.set(
            "JFIFVersion",
            Value::Array(vec![
                Value::Int(i64::from(major)),
                Value::Int(i64::from(minor / 10)),
                Value::Int(i64::from(minor % 10)),
            ]),
        );
        jfif.int("XDensity", i64::from(xd));
        jfif.int("YDensity", i64::from(yd));
        jfif.int("DensityUnit", i64::from(units));
        let per_inch = match units {
            1 => Some(1.0),
            2 => Some(2.54),
            _ => None,
        };
        if let Some(k) = per_inch
            && xd > 0
            && yd > 0
        {
            dpi = Some((f64::from(xd) * k, f64::from(yd) * k));
        }
    }
    if progressive {
        jfif.bool("IsProgressive", true);
    }
    let mut orientation = None;
    let mut thumbnail = None;
    if let Some((s, e)) = m.exif
        && let Some(x) = exif::parse(&b[s..e])
    {
        orientation = x.orientation;
        if let Some(d) = x.dpi {
            dpi = Some(d);
        }
        thumbnail = x.thumbnail.map(|(o, l)| (s + o, l));
        extra.dict(keys::TIFF, x.tiff);
        extra.dict(keys::EXIF, x.exif);
    }
    extra.dict(keys::JFIF, jfif);
    let colour = match assemble_icc(b, &m.icc) {
        Some(icc) if crate::io::icc::model(&icc) == Some(layout.model) => Colour::Icc(icc.into()),
        _ => Colour::Untagged,
    };
    let frame = FrameInfo {
        width: usize::from(width),
        height: usize::from(height),
        layout,
        depth: u32::from(precision),
        has_alpha: false,
        indexed: false,
        orientation,
        dpi,
        colour,
        extra,
        thumbnail,
    };
    Ok(Container {
        kind: Kind::Jpeg,
        frames: vec![frame],
        props: Props::new(),
        status,
    })
}

fn invalid(e: impl std::fmt::Display) -> DecodeError {
    DecodeError::Invalid(e.to_string())
}

pub fn decode(b: &[u8], frame: &FrameInfo) -> Result<Decoded, DecodeError> {
    let m = walk(b).map_err(|_| DecodeError::Invalid("markers".into()))?;
    let (w, h) = (frame.width, frame.height);
    let options = DecoderOptions::default()
        .set_max_width(usize::from(u16::MAX))
        .set_max_height(usize::from(u16::MAX))
        .set_strict_mode(false);
    let out_space = match frame.layout.model {
        ColorModel::Gray => ZSpace::Luma,
        ColorModel::Cmyk => {
            if m.adobe == Some(2) {
                ZSpace::YCCK
            } else {
                ZSpace::CMYK
            }
        }
        _ => ZSpace::RGBA,
    };
    let mut d =
        JpegDecoder::new_with_options(ZCursor::new(b), options.jpeg_set_out_colorspace(out_space));
    d.decode_headers().map_err(invalid)?;
    let input = d
        .input_colorspace()
        .ok_or(DecodeError::Invalid("header".into()))?;
    // zune converts YCbCr / gray / CMYK to RGBA, but takes RGB (Adobe transform 0) only to RGB:
    // that rare case decodes 3 bytes a pixel and spreads them out to 4 below.
    let rgb_in = out_space == ZSpace::RGBA && input == ZSpace::RGB;
    let out_space = match (out_space, input) {
        (ZSpace::RGBA, ZSpace::RGB) => ZSpace::RGB,
        (ZSpace::CMYK | ZSpace::YCCK, i @ (ZSpace::CMYK | ZSpace::YCCK)) => i,
        (o, _) => o,
    };
    d.set_options(options.jpeg_set_out_colorspace(out_space));
    let info = d.info().ok_or(DecodeError::Invalid("header".into()))?;
    if usize::from(info.width) != w || usize::from(info.height) != h {
        return Err(DecodeError::Invalid("size differs from the header".into()));
    }
    let bpp = frame.layout.bytes_per_pixel();
    let len = w
        .checked_mul(h)
        .and_then(|n| n.checked_mul(bpp))
        .ok_or(DecodeError::TooLarge)?;
    let mut pixels = super::alloc_zeroed(len)?;
    let produced = d.output_buffer_size().ok_or(DecodeError::TooLarge)?;
    if produced > len {
        return Err(DecodeError::Invalid("unexpected output size".into()));
    }
    d.decode_into(&mut pixels[..produced]).map_err(|e| {
        if matches!(e, zune_jpeg::errors::DecodeErrors::ExhaustedData) {
            DecodeError::Truncated
        } else {
            invalid(e)
        }
    })?;
    if rgb_in {
        // Spread RGB to RGBX in place, from the last pixel backwards.
        for i in (0..w * h).rev() {
            let (r, g, bl) = (pixels[3 * i], pixels[3 * i + 1], pixels[3 * i + 2]);
            pixels[4 * i..4 * i + 4].copy_from_slice(&[r, g, bl, 0xFF]);
        }
    }
    if frame.layout.model == ColorModel::Cmyk {
        normalize_cmyk(&mut pixels, out_space == ZSpace::YCCK, m.adobe.is_some());
    }
    Ok(Decoded {
        width: w,
        height: h,
        layout: frame.layout,
        bytes_per_row: w * bpp,
        pixels,
    })
}

/// CMYK as ink amounts. Adobe files (APP14) store every channel inverted; YCCK holds the
/// inverted C, M, Y as YCbCr.
fn normalize_cmyk(px: &mut [u8], ycck: bool, adobe: bool) {
    let clamp = |v: f32| v.round().clamp(0.0, 255.0) as u8;
    for p in px.chunks_exact_mut(4) {
        if ycck {
            let (y, cb, cr) = (
                f32::from(p[0]),
                f32::from(p[1]) - 128.0,
                f32::from(p[2]) - 128.0,
            );
            // R, G, B of the stored (inverted) C, M, Y are the inks themselves.
            p[0] = clamp(y + 1.402 * cr);
            p[1] = clamp(y - 0.344_136 * cb - 0.714_136 * cr);
            p[2] = clamp(y + 1.772 * cb);
            p[3] = 255 - p[3];
        } else if adobe {
            for c in p.iter_mut() {
                *c = 255 - *c;
            }
        }
    }
}

/// Quality when `kCGImageDestinationLossyCompressionQuality` is absent (libjpeg's default 75).
pub const DEFAULT_QUALITY: f64 = 0.75;

/// Encodes a raster (gray 8, RGB 8/24, RGBX 8/32, CMYK 8/32) as baseline JPEG.
/// `quality` 0..=1 maps linearly to the libjpeg scale 1..=100.
pub fn encode(
    r: &crate::io::destination::Raster<'_>,
    m: &crate::io::destination::Meta,
) -> Result<Vec<u8>, String> {
    use jpeg_encoder::{ColorType, Encoder, PixelDensity, PixelDensityUnit};
    let q = (m.quality.unwrap_or(DEFAULT_QUALITY) * 100.0)
        .round()
        .clamp(1.0, 100.0) as u8;
    let w = u16::try_from(r.width).map_err(|e| e.to_string())?;
    let h = u16::try_from(r.height).map_err(|e| e.to_string())?;
    let colour = match (r.layout.model, r.layout.bits_per_pixel) {
        (ColorModel::Gray, 8) => ColorType::Luma,
        (ColorModel::Cmyk, 32) => ColorType::Cmyk,
        (ColorModel::Rgb, 24) => ColorType::Rgb,
        (ColorModel::Rgb, 32) => ColorType::Rgba,
        _ => return Err("unsupported layout".into()),
    };
    let mut out = Vec::new();
    let mut enc = Encoder::new(&mut out, q);
    if let Some((x, y)) = m.dpi {
        enc.set_density(PixelDensity {
            density: (x.round().min(65535.0) as u16, y.round().min(65535.0) as u16),
            unit: PixelDensityUnit::Inches,
        });
    }
    if let Some(o) = m.orientation {
        enc.add_exif_metadata(&exif::orientation_block(o))
            .map_err(|e| e.to_string())?;
    }
    if let Some(icc) = &m.icc {
        enc.add_icc_profile(icc).map_err(|e| e.to_string())?;
    }
    let data = r.tight();
    enc.encode(&data, w, h, colour).map_err(|e| e.to_string())?;
    Ok(out)
}
