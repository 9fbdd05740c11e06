//! CFURL: file URLs from paths, and URLs parsed from strings.
//!
//! A URL keeps its string as given (percent-encoded) and an optional base URL, as Apple's
//! does: a relative file-system path makes a URL relative to the working directory at creation
//! time, whose `CFURLGetString` is the relative part.
//!
//! Paths are percent-encoded as Apple encodes file paths: everything outside RFC 3986's path
//! characters (unreserved, sub-delims, `:`, `@`, `/`) becomes `%XX`, byte by byte of the UTF-8
//! (or raw file-system) bytes, so a space is `%20`, `%` is `%25`, `é` is `%C3%A9`.

use std::ffi::OsString;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::PathBuf;

use super::object::{Cf, CfType, Class, class_for, type_ids};
use super::string::CfString;
use crate::types::CFHashCode;

/// A URL.
#[derive(Debug)]
pub struct Url {
    string: Cf<CfString>,
    base: Option<Cf<Url>>,
}

fn path_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/".contains(&b)
}

/// Percent-encodes file-system path bytes.
pub fn encode_path(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for &b in bytes {
        if path_char(b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Removes percent-escapes; `None` for a malformed escape.
pub fn decode(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    Some(out)
}

/// Characters a URL string may hold literally (RFC 3986 reserved + unreserved), plus `%`.
fn url_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&'()*+,;=%".contains(&b)
}

/// The scheme of an absolute URL string (`file` of `file:///a`), lower-cased.
fn scheme(s: &str) -> Option<String> {
    let colon = s.find(':')?;
    let scheme = &s[..colon];
    let mut chars = scheme.chars();
    (chars.next()?.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)))
    .then(|| scheme.to_ascii_lowercase())
}

/// RFC 3986 §5.2.4: removes `.` and `..` segments.
fn remove_dot_segments(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').collect();
    for (i, seg) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        match *seg {
            "." => {
                if last {
                    out.push("");
                }
            }
            ".." => {
                if out.len() > 1 {
                    out.pop();
                }
                if last {
                    out.push("");
                }
            }
            s => out.push(s),
        }
    }
    out.join("/")
}

impl Url {
    /// A file URL for `path` (`CFURLCreateWithFileSystemPath`); a relative path is relative to
    /// the working directory at this moment. `is_directory` adds a trailing slash.
    pub fn from_path(path: &str, is_directory: bool) -> Cf<Url> {
        Self::from_path_bytes(path.as_bytes(), is_directory)
            .unwrap_or_else(|| Self::from_path_bytes(b"/", true).expect("root"))
    }

    /// As [`Url::from_path`] for raw file-system bytes; `None` for an empty path (or when a
    /// relative path meets an unreadable working directory).
    pub fn from_path_bytes(path: &[u8], is_directory: bool) -> Option<Cf<Url>> {
        if path.is_empty() {
            return None;
        }
        let mut encoded = encode_path(path);
        if is_directory && !encoded.ends_with('/') {
            encoded.push('/');
        }
        if path[0] == b'/' {
            return Some(Cf::new(Url {
                string: CfString::new(&format!("file://{encoded}")),
                base: None,
            }));
        }
        let cwd = std::env::current_dir().ok()?;
        let base = Self::from_path_bytes(cwd.as_os_str().as_bytes(), true)?;
        Some(Cf::new(Url {
            string: CfString::new(&encoded),
            base: Some(base),
        }))
    }

    /// `CFURLCreateWithString`: `None` unless `s` is a well-formed URL string (RFC 3986
    /// characters, every `%` followed by two hex digits). A relative string keeps `base`.
    pub fn from_string(s: &str, base: Option<Cf<Url>>) -> Option<Cf<Url>> {
        if !s.bytes().all(url_char) || decode(s).is_none() {
            return None;
        }
        let base = if scheme(s).is_some() { None } else { base };
        Some(Cf::new(Url {
            string: CfString::new(s),
            base,
        }))
    }

    /// The URL string (relative part for a relative URL), `CFURLGetString`.
    pub fn as_str(&self) -> &str {
        self.string.as_str()
    }

    pub(crate) fn string_object(&self) -> &Cf<CfString> {
        &self.string
    }

    pub fn base(&self) -> Option<&Cf<Url>> {
        self.base.as_ref()
    }

    /// The absolute URL string, resolved against the base (RFC 3986 §5.2).
    pub fn absolute_string(&self) -> String {
        let s = self.as_str();
        let Some(base) = &self.base else {
            return s.to_owned();
        };
        let b = base.absolute_string();
        if scheme(s).is_some() {
            return s.to_owned();
        }
        let base_scheme_end = b.find(':').map_or(0, |i| i + 1);
        // Authority of the base: "//host" after the scheme.
        let after_scheme = &b[base_scheme_end..];
        let authority_len = if let Some(rest) = after_scheme.strip_prefix("//") {
            2 + rest.find('/').unwrap_or(rest.len())
        } else {
            0
        };
        let prefix = &b[..base_scheme_end + authority_len];
        let base_path_full = &b[base_scheme_end + authority_len..];
        let base_path = base_path_full.split(['?', '#']).next().unwrap_or_default();
        if s.starts_with("//") {
            return format!("{}{s}", &b[..base_scheme_end]);
        }
        if s.is_empty() {
            return b.clone();
        }
        let (path_part, rest) = match s.find(['?', '#']) {
            Some(i) => s.split_at(i),
            None => (s, ""),
        };
        let merged = if path_part.starts_with('/') {
            path_part.to_owned()
        } else if path_part.is_empty() {
            base_path.to_owned()
        } else {
            let dir = base_path.rfind('/').map_or("", |i| &base_path[..=i]);
            format!("{dir}{path_part}")
        };
        format!("{prefix}{}{rest}", remove_dot_segments(&merged))
    }

    /// The percent-encoded path of the URL itself (not resolved), `None` if it has none.
    fn own_path(s: &str) -> &str {
        let s = match scheme(s) {
            Some(sc) => &s[sc.len() + 1..],
            None => s,
        };
        let s = match s.strip_prefix("//") {
            Some(rest) => &rest[rest.find('/').unwrap_or(rest.len())..],
            None => s,
        };
        s.split(['?', '#']).next().unwrap_or_default()
    }

    /// Whether the (resolved) URL is a `file:` URL on this host.
    pub fn is_file_url(&self) -> bool {
        let abs = self.absolute_string();
        if scheme(&abs).as_deref() != Some("file") {
            return false;
        }
        let rest = &abs[5..];
        match rest.strip_prefix("//") {
            Some(r) => {
                let host = &r[..r.find('/').unwrap_or(r.len())];
                host.is_empty() || host.eq_ignore_ascii_case("localhost")
            }
            None => rest.starts_with('/'),
        }
    }

    /// The absolute file-system path of a file URL (escapes removed, resolved against the
    /// base); `None` for other URLs. A directory's trailing slash is removed (except `/`).
    pub fn path(&self) -> Option<PathBuf> {
        if !self.is_file_url() {
            return None;
        }
        let abs = self.absolute_string();
        let bytes = decode(Self::own_path(&abs))?;
        Some(PathBuf::from(OsString::from_vec(strip_slash(bytes))))
    }

    /// The path of the URL itself, without resolving against the base (the relative part of a
    /// relative URL), escapes removed, trailing slash removed: `CFURLCopyFileSystemPath`.
    pub fn own_path_bytes(&self) -> Option<Vec<u8>> {
        if self.base.is_none() && !self.is_file_url() {
            // A non-file absolute URL still has a path; Apple returns it decoded.
            return decode(Self::own_path(self.as_str())).map(strip_slash);
        }
        decode(Self::own_path(self.as_str())).map(strip_slash)
    }

    /// Whether the path ends with a slash (`CFURLHasDirectoryPath`).
    pub fn has_directory_path(&self) -> bool {
        Self::own_path(&self.absolute_string()).ends_with('/')
    }

    /// The last path component, escapes removed (`CFURLCopyLastPathComponent`): `/` for the
    /// root, empty for a URL without a path.
    pub fn last_path_component(&self) -> String {
        let abs = self.absolute_string();
        let path = Self::own_path(&abs);
        if path == "/" {
            return "/".into();
        }
        let trimmed = path.strip_suffix('/').unwrap_or(path);
        let last = trimmed.rsplit('/').next().unwrap_or_default();
        decode(last).map_or_else(
            || last.to_owned(),
            |b| String::from_utf8_lossy(&b).into_owned(),
        )
    }

    /// The extension of the last path component, after its last dot (`CFURLCopyPathExtension`);
    /// `None` without a dot, for a component that only starts with a dot, or an empty
    /// extension.
    pub fn path_extension(&self) -> Option<String> {
        let last = self.last_path_component();
        let dot = last.rfind('.')?;
        (dot > 0 && dot + 1 < last.len()).then(|| last[dot + 1..].to_owned())
    }
}

fn strip_slash(mut bytes: Vec<u8>) -> Vec<u8> {
    if bytes.len() > 1 && bytes.ends_with(b"/") {
        bytes.pop();
    }
    bytes
}

impl CfType for Url {
    const CLASS: &'static Class = &class_for::<Url>(type_ids::URL, "CFURL");
    /// Same string and equal bases, as CoreFoundation compares URLs.
    fn cf_equal(&self, other: &Url) -> bool {
        self.as_str() == other.as_str()
            && match (&self.base, &other.base) {
                (None, None) => true,
                (Some(a), Some(b)) => a.cf_equal(b),
                _ => false,
            }
    }
    fn cf_hash(&self) -> CFHashCode {
        self.string.cf_hash()
    }
}
