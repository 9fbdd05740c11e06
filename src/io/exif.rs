//! EXIF (a TIFF structure inside JPEG APP1 or PNG eXIf): the tags ImageIO reports in
//! `{TIFF}` / `{Exif}`, the orientation, and the embedded JPEG thumbnail; and the small EXIF
//! block the JPEG / PNG writers emit for an orientation. Hostile input gives fewer tags, never
//! a panic: every offset is checked.

use super::properties::{Props, Value};

/// What an EXIF block says.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Exif {
    /// 1..=8 when present and valid.
    pub orientation: Option<u32>,
    /// `{TIFF}` entries (Orientation, XResolution, YResolution, ResolutionUnit, Make, ...).
    pub tiff: Props,
    /// `{Exif}` entries (PixelXDimension, ColorSpace, ExposureTime, ...).
    pub exif: Props,
    /// Resolution in dots per inch, from X/YResolution and ResolutionUnit.
    pub dpi: Option<(f64, f64)>,
    /// Byte range of the embedded JPEG thumbnail (IFD1), relative to the TIFF header.
    pub thumbnail: Option<(usize, usize)>,
}

struct Reader<'a> {
    b: &'a [u8],
    little: bool,
}

impl Reader<'_> {
    fn u16(&self, at: usize) -> Option<u16> {
        let s = self.b.get(at..at.checked_add(2)?)?;
        Some(if self.little {
            u16::from_le_bytes([s[0], s[1]])
        } else {
            u16::from_be_bytes([s[0], s[1]])
        })
    }
    fn u32(&self, at: usize) -> Option<u32> {
        let s = self.b.get(at..at.checked_add(4)?)?;
        let a = [s[0], s[1], s[2], s[3]];
        Some(if self.little {
            u32::from_le_bytes(a)
        } else {
            u32::from_be_bytes(a)
        })
    }

    /// The entries of the IFD at `at`: (tag, type, count, offset of the value).
    fn ifd(&self, at: usize) -> Vec<(u16, u16, u32, usize)> {
        let Some(n) = self.u16(at) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for i in 0..usize::from(n).min(512) {
            let e = at + 2 + 12 * i;
            let (Some(tag), Some(ty), Some(count)) =
                (self.u16(e), self.u16(e + 2), self.u32(e + 4))
            else {
                break;
            };
            let size = type_size(ty).and_then(|s| s.checked_mul(count as usize));
            let value_at = match size {
                Some(s) if s <= 4 => e + 8,
                Some(_) => match self.u32(e + 8) {
                    Some(o) => o as usize,
                    None => break,
                },
                None => continue,
            };
            out.push((tag, ty, count, value_at));
        }
        out
    }

    fn next_ifd(&self, at: usize) -> Option<usize> {
        let n = usize::from(self.u16(at)?);
        let next = self.u32(at + 2 + 12 * n)? as usize;
        (next != 0).then_some(next)
    }

    /// A value as a number: the first of SHORT / LONG / RATIONAL / SRATIONAL / BYTE.
    fn number(&self, ty: u16, at: usize) -> Option<f64> {
        match ty {
            1 | 7 => self.b.get(at).map(|&v| f64::from(v)),
            3 => self.u16(at).map(f64::from),
            4 => self.u32(at).map(f64::from),
            9 => self.u32(at).map(|v| f64::from(v as i32)),
            5 => {
                let (n, d) = (self.u32(at)?, self.u32(at + 4)?);
                (d != 0).then(|| f64::from(n) / f64::from(d))
            }
            10 => {
                let (n, d) = (self.u32(at)? as i32, self.u32(at + 4)? as i32);
                (d != 0).then(|| f64::from(n) / f64::from(d))
            }
            _ => None,
        }
    }

    fn ascii(&self, ty: u16, count: u32, at: usize) -> Option<String> {
        if ty != 2 {
            return None;
        }
        let raw = self.b.get(at..at.checked_add(count as usize)?)?;
        let raw = raw.split(|&c| c == 0).next().unwrap_or(&[]);
        Some(String::from_utf8_lossy(raw).trim().to_string())
    }

    /// A property value: ASCII as a string, a single number as an integer or float, several
    /// numbers as an array.
    fn value(&self, ty: u16, count: u32, at: usize) -> Option<Value> {
        if ty == 2 {
            return self.ascii(ty, count, at).map(Value::Str);
        }
        let size = type_size(ty)?;
        let float = matches!(ty, 5 | 10 | 11 | 12);
        let one = |i: usize| -> Option<Value> {
            let v = self.number(ty, at + i * size)?;
            Some(if float {
                Value::Float(v)
            } else {
                Value::Int(v as i64)
            })
        };
        if count == 1 {
            one(0)
        } else {
            let items: Option<Vec<Value>> = (0..(count as usize).min(64)).map(one).collect();
            items.map(Value::Array)
        }
    }
}

fn type_size(ty: u16) -> Option<usize> {
    Some(match ty {
        1 | 2 | 6 | 7 => 1,
        3 | 8 => 2,
        4 | 9 | 11 => 4,
        5 | 10 | 12 => 8,
        _ => return None,
    })
}

/// `{TIFF}` tags: (tag, key).
const TIFF_TAGS: &[(u16, &str)] = &[
    (0x010E, "ImageDescription"),
    (0x010F, "Make"),
    (0x0110, "Model"),
    (0x0112, "Orientation"),
    (0x011A, "XResolution"),
    (0x011B, "YResolution"),
    (0x0128, "ResolutionUnit"),
    (0x0131, "Software"),
    (0x0132, "DateTime"),
    (0x013B, "Artist"),
    (0x8298, "Copyright"),
];

/// `{Exif}` tags: (tag, key).
const EXIF_TAGS: &[(u16, &str)] = &[
    (0x829A, "ExposureTime"),
    (0x829D, "FNumber"),
    (0x8822, "ExposureProgram"),
    (0x8827, "ISOSpeedRatings"),
    (0x9003, "DateTimeOriginal"),
    (0x9004, "DateTimeDigitized"),
    (0x9201, "ShutterSpeedValue"),
    (0x9202, "ApertureValue"),
    (0x9204, "ExposureBiasValue"),
    (0x9207, "MeteringMode"),
    (0x9209, "Flash"),
    (0x920A, "FocalLength"),
    (0xA001, "ColorSpace"),
    (0xA002, "PixelXDimension"),
    (0xA003, "PixelYDimension"),
    (0xA402, "ExposureMode"),
    (0xA403, "WhiteBalance"),
    (0xA405, "FocalLenIn35mmFilm"),
    (0xA434, "LensModel"),
];

/// Parses a TIFF-structured EXIF block (starting at "II*\0" / "MM\0*").
pub fn parse(tiff: &[u8]) -> Option<Exif> {
    let little = match tiff.get(0..4)? {
        b"II*\0" => true,
        b"MM\0*" => false,
        _ => return None,
    };
    let r = Reader { b: tiff, little };
    let ifd0 = r.u32(4)? as usize;
    let mut out = Exif::default();
    let mut exif_ifd = None;
    let (mut xres, mut yres, mut unit) = (None, None, 2.0);
    for (tag, ty, count, at) in r.ifd(ifd0) {
        if tag == 0x8769 {
            exif_ifd = r.number(ty, at).map(|v| v as usize);
            continue;
        }
        if tag == 0x0112 {
            let o = r.number(ty, at).unwrap_or(0.0) as u32;
            if (1..=8).contains(&o) {
                out.orientation = Some(o);
                out.tiff.int("Orientation", i64::from(o));
            }
            continue;
        }
        match tag {
            0x011A => xres = r.number(ty, at),
            0x011B => yres = r.number(ty, at),
            0x0128 => unit = r.number(ty, at).unwrap_or(2.0),
            _ => {}
        }
        if let Some((_, key)) = TIFF_TAGS.iter().find(|(t, _)| *t == tag)
            && let Some(v) = r.value(ty, count, at)
        {
            out.tiff.set(key, v);
        }
    }
    let per_inch = match unit as i64 {
        2 => Some(1.0),
        3 => Some(2.54),
        _ => None,
    };
    if let (Some(x), Some(y), Some(k)) = (xres, yres, per_inch)
        && x > 0.0
        && y > 0.0
    {
        out.dpi = Some((x * k, y * k));
    }
    if let Some(at) = exif_ifd {
        for (tag, ty, count, at) in r.ifd(at) {
            if let Some((_, key)) = EXIF_TAGS.iter().find(|(t, _)| *t == tag)
                && let Some(v) = r.value(ty, count, at)
            {
                out.exif.set(key, v);
            }
        }
    }
    if let Some(ifd1) = r.next_ifd(ifd0) {
        let (mut off, mut len) = (None, None);
        for (tag, ty, _, at) in r.ifd(ifd1) {
            match tag {
                0x0201 => off = r.number(ty, at).map(|v| v as usize),
                0x0202 => len = r.number(ty, at).map(|v| v as usize),
                _ => {}
            }
        }
        if let (Some(o), Some(l)) = (off, len)
            && l > 0
            && o.checked_add(l).is_some_and(|end| end <= tiff.len())
        {
            out.thumbnail = Some((o, l));
        }
    }
    Some(out)
}

/// A minimal big-endian TIFF block with IFD0 = { Orientation }, for the writers.
pub fn orientation_block(orientation: u32) -> Vec<u8> {
    let mut b = Vec::with_capacity(26);
    b.extend_from_slice(b"MM\0*");
    b.extend_from_slice(&8u32.to_be_bytes());
    b.extend_from_slice(&1u16.to_be_bytes());
    b.extend_from_slice(&0x0112u16.to_be_bytes());
    b.extend_from_slice(&3u16.to_be_bytes());
    b.extend_from_slice(&1u32.to_be_bytes());
    b.extend_from_slice(&(orientation as u16).to_be_bytes());
    b.extend_from_slice(&[0, 0]);
    b.extend_from_slice(&0u32.to_be_bytes());
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orientation_round_trips_through_the_writer() {
        for o in 1..=8 {
            let e = parse(&orientation_block(o)).expect("parses");
            assert_eq!(e.orientation, Some(o));
            assert_eq!(e.tiff.get("Orientation"), Some(&Value::Int(i64::from(o))));
        }
    }

    #[test]
    fn little_endian_with_resolution_exif_ifd_and_thumbnail() {
        let mut b = b"II*\0".to_vec();
        b.extend_from_slice(&8u32.to_le_bytes());
        // IFD0 at 8: 5 entries.
        let entries: [(u16, u16, u32, u32); 5] = [
            (0x0112, 3, 1, 6),
            (0x011A, 5, 1, 200),
            (0x011B, 5, 1, 208),
            (0x0128, 3, 1, 2),
            (0x8769, 4, 1, 216),
        ];
        b.extend_from_slice(&(entries.len() as u16).to_le_bytes());
        for (t, ty, c, v) in entries {
            b.extend_from_slice(&t.to_le_bytes());
            b.extend_from_slice(&ty.to_le_bytes());
            b.extend_from_slice(&c.to_le_bytes());
            b.extend_from_slice(&v.to_le_bytes());
        }
        b.extend_from_slice(&240u32.to_le_bytes()); // IFD1
        b.resize(200, 0);
        b.extend_from_slice(&300u32.to_le_bytes());
        b.extend_from_slice(&1u32.to_le_bytes());
        b.extend_from_slice(&150u32.to_le_bytes());
        b.extend_from_slice(&1u32.to_le_bytes());
        // Exif IFD at 216: ColorSpace = 1.
        b.extend_from_slice(&1u16.to_le_bytes());
        for v in [0xA001u16, 3] {
            b.extend_from_slice(&v.to_le_bytes());
        }
        b.extend_from_slice(&1u32.to_le_bytes());
        b.extend_from_slice(&1u32.to_le_bytes());
        b.extend_from_slice(&0u32.to_le_bytes());
        b.resize(240, 0);
        b.extend_from_slice(&2u16.to_le_bytes());
        for (t, v) in [(0x0201u16, 270u32), (0x0202, 4)] {
            b.extend_from_slice(&t.to_le_bytes());
            b.extend_from_slice(&4u16.to_le_bytes());
            b.extend_from_slice(&1u32.to_le_bytes());
            b.extend_from_slice(&v.to_le_bytes());
        }
        b.extend_from_slice(&0u32.to_le_bytes());
        b.resize(274, 0xAB);
        let e = parse(&b).expect("parses");
        assert_eq!(e.orientation, Some(6));
        assert_eq!(e.dpi, Some((300.0, 150.0)));
        assert_eq!(e.exif.get("ColorSpace"), Some(&Value::Int(1)));
        assert_eq!(e.thumbnail, Some((270, 4)));
        for cut in 0..b.len() {
            let _ = parse(&b[..cut]);
        }
    }
}
