//! The few facts ImageIO reads from an ICC profile itself: its description (`ProfileName`) and
//! its data colour space. Every read is bounds-checked: profiles come from untrusted files.

use crate::format::ColorModel;

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at.checked_add(4)?)?;
    Some(u32::from_be_bytes([s[0], s[1], s[2], s[3]]))
}

/// The profile's data colour space (header bytes 16..20), when it is one a CGImage can hold.
pub fn model(profile: &[u8]) -> Option<ColorModel> {
    match profile.get(16..20)? {
        b"RGB " => Some(ColorModel::Rgb),
        b"GRAY" => Some(ColorModel::Gray),
        b"CMYK" => Some(ColorModel::Cmyk),
        b"Lab " => Some(ColorModel::Lab),
        _ => None,
    }
}

/// The text of the `desc` tag (ICC v2 `desc` or v4 `mluc`, first record), trimmed.
pub fn description(profile: &[u8]) -> Option<String> {
    let count = u32_at(profile, 128)? as usize;
    for i in 0..count.min(1024) {
        let entry = 132 + 12 * i;
        if profile.get(entry..entry + 4)? != b"desc" {
            continue;
        }
        let offset = u32_at(profile, entry + 4)? as usize;
        let size = u32_at(profile, entry + 8)? as usize;
        let tag = profile.get(offset..offset.checked_add(size)?)?;
        return parse_text(tag);
    }
    None
}

fn parse_text(tag: &[u8]) -> Option<String> {
    let text = match tag.get(0..4)? {
        b"desc" => {
            let n = u32_at(tag, 8)? as usize;
            let raw = tag.get(12..12usize.checked_add(n)?)?;
            let raw = raw.split(|&b| b == 0).next().unwrap_or(&[]);
            String::from_utf8_lossy(raw).into_owned()
        }
        b"mluc" => {
            let records = u32_at(tag, 8)?;
            if records == 0 {
                return None;
            }
            let len = u32_at(tag, 20)? as usize;
            let offset = u32_at(tag, 24)? as usize;
            let raw = tag.get(offset..offset.checked_add(len)?)?;
            let units: Vec<u16> = raw
                .chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16_lossy(&units)
                .trim_end_matches('\0')
                .to_string()
        }
        b"text" => {
            let raw = tag.get(8..)?;
            let raw = raw.split(|&b| b == 0).next().unwrap_or(&[]);
            String::from_utf8_lossy(raw).into_owned()
        }
        _ => return None,
    };
    let text = text.trim().to_string();
    (!text.is_empty()).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile_with(tag: &[u8], space: &[u8; 4]) -> Vec<u8> {
        let mut p = vec![0u8; 144];
        p[16..20].copy_from_slice(space);
        p[128..132].copy_from_slice(&1u32.to_be_bytes());
        p[132..136].copy_from_slice(b"desc");
        p[136..140].copy_from_slice(&144u32.to_be_bytes());
        p[140..144].copy_from_slice(&(tag.len() as u32).to_be_bytes());
        p.extend_from_slice(tag);
        p
    }

    #[test]
    fn v2_and_v4_descriptions() {
        let mut v2 = b"desc\0\0\0\0".to_vec();
        v2.extend_from_slice(&6u32.to_be_bytes());
        v2.extend_from_slice(b"Hello\0");
        let p = profile_with(&v2, b"RGB ");
        assert_eq!(description(&p).as_deref(), Some("Hello"));
        assert_eq!(model(&p), Some(ColorModel::Rgb));

        let mut v4 = b"mluc\0\0\0\0".to_vec();
        v4.extend_from_slice(&1u32.to_be_bytes());
        v4.extend_from_slice(&12u32.to_be_bytes());
        v4.extend_from_slice(b"enUS");
        v4.extend_from_slice(&4u32.to_be_bytes());
        v4.extend_from_slice(&28u32.to_be_bytes());
        v4.extend_from_slice(&[0, b'P', 0, b'3']);
        let p = profile_with(&v4, b"GRAY");
        assert_eq!(description(&p).as_deref(), Some("P3"));
        assert_eq!(model(&p), Some(ColorModel::Gray));
    }

    #[test]
    fn hostile_profiles_give_none() {
        assert_eq!(description(&[]), None);
        let mut p = vec![0u8; 140];
        p[128..132].copy_from_slice(&u32::MAX.to_be_bytes());
        assert_eq!(description(&p), None);
        for cut in 0..160 {
            let mut v2 = b"desc\0\0\0\0".to_vec();
            v2.extend_from_slice(&u32::MAX.to_be_bytes());
            let full = profile_with(&v2, b"RGB ");
            let _ = description(&full[..cut.min(full.len())]);
        }
    }
}
