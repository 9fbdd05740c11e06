//! Exported-symbol hygiene: `libvimage.so` exports exactly the documented C API.
//!
//! The allow-list is `include/vimage.symbols` (`<func|data> <name> [feature]` per line). The
//! tests compare it with
//! - the dynamic symbol table of the `libvimage.so` cargo built for this test run
//!   (`nm -D --defined-only`, in `target/<profile>/deps/` next to this test binary, as
//!   tests/c_programs.rs finds it): no missing name, no extra name (so no Rust-mangled or
//!   `rust_*` symbol), and functions exported as functions, data as data;
//! - `include/vimage.h`: every listed function and variable is declared there;
//! - the sources: every `#[unsafe(no_mangle)]` item lives in `src/ffi/` and is listed;
//! - `libvimage.a`: every listed name is defined there too (static linking);
//!
//! and check that the SONAME is `libvimage.so.0` (build.rs). Needs `nm` and `readelf`
//! (binutils, installed with the C compiler).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

const MANIFEST_DIR: &str = env!("CARGO_MANIFEST_DIR");

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Func,
    Data,
}

/// The allow-list entries that apply to this build (features considered): name -> kind.
fn allow_list() -> BTreeMap<String, Kind> {
    let path = Path::new(MANIFEST_DIR)
        .join("include")
        .join("vimage.symbols");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut list = BTreeMap::new();
    let mut seen = BTreeSet::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split_whitespace().collect();
        let (kind, name, feature) = match fields[..] {
            [kind, name] => (kind, name, None),
            [kind, name, feature] => (kind, name, Some(feature)),
            _ => panic!("include/vimage.symbols:{}: bad line {line:?}", n + 1),
        };
        let kind = match kind {
            "func" => Kind::Func,
            "data" => Kind::Data,
            _ => panic!(
                "include/vimage.symbols:{}: kind {kind:?} is not func or data",
                n + 1
            ),
        };
        let enabled = match feature {
            None => true,
            Some("cf") => cfg!(feature = "cf"),
            Some(other) => panic!(
                "include/vimage.symbols:{}: unknown feature {other:?}",
                n + 1
            ),
        };
        assert!(
            seen.insert(name.to_string()),
            "include/vimage.symbols:{}: {name} is listed twice",
            n + 1
        );
        if enabled {
            list.insert(name.to_string(), kind);
        }
    }
    assert!(!list.is_empty(), "include/vimage.symbols lists nothing");
    list
}

/// `target/<profile>/deps`, where cargo wrote the libraries of this test run. Refuses a
/// leftover `libvimage.so` that is not from the build of the newest rlib.
fn deps_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("path of the test binary");
    let deps = exe
        .parent()
        .expect("test binary has a directory")
        .to_path_buf();
    let modified = |path: &Path| {
        std::fs::metadata(path)
            .and_then(|m| m.modified())
            .unwrap_or_else(|e| {
                panic!(
                    "{}: {e} (the lib target must keep crate-type cdylib + staticlib + rlib)",
                    path.display()
                )
            })
    };
    let so = modified(&deps.join("libvimage.so"));
    let rlib = std::fs::read_dir(&deps)
        .expect("read deps")
        .flatten()
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.starts_with("libvimage") && name.ends_with(".rlib")
        })
        .filter_map(|e| e.metadata().and_then(|m| m.modified()).ok())
        .max()
        .expect("no libvimage*.rlib next to the test binary");
    let apart = so
        .duration_since(rlib)
        .or_else(|_| rlib.duration_since(so))
        .unwrap_or_default();
    assert!(
        apart < Duration::from_secs(120),
        "{}/libvimage.so is not from the build of the newest libvimage rlib",
        deps.display()
    );
    deps
}

/// Runs a binutils tool and returns its stdout.
fn tool(program: &str, args: &[&str], file: &Path) -> String {
    let output = Command::new(program)
        .args(args)
        .arg(file)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {program} (binutils): {e}"));
    assert!(
        output.status.success(),
        "{program} {args:?} {} failed: {}",
        file.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Defined global symbols from `nm` output: name -> nm type letter.
fn parse_nm(listing: &str) -> BTreeMap<String, char> {
    let mut symbols = BTreeMap::new();
    for line in listing.lines() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        // "<address> <type> <name>"; archive member headers ("x.o:") and blank lines skip.
        let [_, kind, name] = fields[..] else {
            continue;
        };
        let Some(kind) = kind.chars().next().filter(|_| kind.len() == 1) else {
            continue;
        };
        // A versioned name prints as name@@VERSION; no version is expected, keep it visible.
        symbols.insert(name.to_string(), kind);
    }
    symbols
}

fn kind_of_nm_type(t: char) -> Option<Kind> {
    match t {
        'T' => Some(Kind::Func),
        'D' | 'R' | 'B' | 'V' => Some(Kind::Data),
        _ => None,
    }
}

#[test]
fn shared_library_exports_exactly_the_allow_list() {
    let expected = allow_list();
    let so = deps_dir().join("libvimage.so");
    let exported = parse_nm(&tool("nm", &["-D", "--defined-only"], &so));

    let missing: Vec<&String> = expected
        .keys()
        .filter(|n| !exported.contains_key(*n))
        .collect();
    let extra: Vec<String> = exported
        .iter()
        .filter(|(n, _)| !expected.contains_key(*n))
        .map(|(n, t)| format!("{t} {n}"))
        .collect();
    let wrong_kind: Vec<String> = expected
        .iter()
        .filter_map(|(n, k)| {
            let t = *exported.get(n)?;
            (kind_of_nm_type(t) != Some(*k)).then(|| format!("{n}: listed {k:?}, nm type {t}"))
        })
        .collect();
    assert!(
        missing.is_empty() && extra.is_empty() && wrong_kind.is_empty(),
        "{} does not export exactly include/vimage.symbols ({} listed, {} exported)\n\
         missing: {missing:?}\nextra: {extra:?}\nwrong kind: {wrong_kind:?}",
        so.display(),
        expected.len(),
        exported.len()
    );
    eprintln!("{}: {} symbols, as listed", so.display(), exported.len());
}

#[test]
fn shared_library_has_a_versioned_soname() {
    let so = deps_dir().join("libvimage.so");
    let dynamic = tool("readelf", &["-d"], &so);
    let sonames: Vec<&str> = dynamic.lines().filter(|l| l.contains("(SONAME)")).collect();
    assert!(
        sonames.len() == 1 && sonames[0].contains("[libvimage.so.0]"),
        "{}: expected SONAME libvimage.so.0 (build.rs), found {sonames:?}",
        so.display()
    );
}

#[test]
fn static_library_defines_every_listed_symbol() {
    let expected = allow_list();
    let a = deps_dir().join("libvimage.a");
    let defined = parse_nm(&tool("nm", &["-g", "--defined-only"], &a));
    let problems: Vec<String> = expected
        .iter()
        .filter_map(|(n, k)| match defined.get(n) {
            None => Some(format!("{n}: not defined")),
            Some(&t) if kind_of_nm_type(t) != Some(*k) => {
                Some(format!("{n}: listed {k:?}, nm type {t}"))
            }
            Some(_) => None,
        })
        .collect();
    assert!(problems.is_empty(), "{}: {problems:?}", a.display());
}

/// The header without comments, so that names in doc comments do not count as declarations.
fn header_code() -> String {
    let path = Path::new(MANIFEST_DIR).join("include").join("vimage.h");
    let text = std::fs::read_to_string(&path).expect("include/vimage.h");
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("/*") {
            rest = after.find("*/").map_or("", |end| &after[end + 2..]);
            out.push(' ');
        } else if let Some(after) = rest.strip_prefix("//") {
            rest = after.find('\n').map_or("", |end| &after[end..]);
        } else {
            let c = rest.chars().next().expect("non-empty");
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Whether `code` declares `name` as a function (`name(`) or as an `extern` variable
/// (`extern ... name;`).
fn declares(code: &str, name: &str, kind: Kind) -> bool {
    code.match_indices(name).any(|(at, _)| {
        let before = code[..at].chars().next_back();
        let after = &code[at + name.len()..];
        if before.is_some_and(is_ident) || after.chars().next().is_some_and(is_ident) {
            return false;
        }
        let next = after.trim_start().chars().next();
        match kind {
            Kind::Func => next == Some('('),
            Kind::Data => {
                let start = code[..at].rfind([';', '}', '\n']).map_or(0, |i| i + 1);
                next == Some(';') && code[start..at].trim_start().starts_with("extern ")
            }
        }
    })
}

#[test]
fn header_declares_every_listed_symbol() {
    let code = header_code();
    // Every entry, whatever the features: the header is the same for every build.
    let path = Path::new(MANIFEST_DIR)
        .join("include")
        .join("vimage.symbols");
    let text = std::fs::read_to_string(path).expect("include/vimage.symbols");
    let mut undeclared = Vec::new();
    let mut count = 0;
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut fields = line.split_whitespace();
        let (kind, name) = (fields.next().unwrap_or(""), fields.next().unwrap_or(""));
        let kind = if kind == "func" {
            Kind::Func
        } else {
            Kind::Data
        };
        count += 1;
        if !declares(&code, name, kind) {
            undeclared.push(format!("{kind:?} {name}"));
        }
    }
    assert!(
        undeclared.is_empty(),
        "include/vimage.h does not declare (as listed) {} of {count} symbols: {undeclared:?}",
        undeclared.len()
    );
}

/// The item an export attribute applies to: `fn NAME` or `static [mut] NAME`.
fn item_name(lines: &[&str]) -> Option<(Kind, String)> {
    for line in lines {
        let line = line.trim();
        if line.starts_with("#[") || line.starts_with("//") || line.is_empty() {
            continue;
        }
        let words: Vec<&str> = line
            .split(|c: char| !is_ident(c))
            .filter(|w| !w.is_empty())
            .collect();
        if let Some(i) = words.iter().position(|w| *w == "fn") {
            return Some((Kind::Func, words.get(i + 1)?.to_string()));
        }
        if let Some(i) = words.iter().position(|w| *w == "static") {
            let name = words[i + 1..].iter().find(|w| **w != "mut")?;
            return Some((Kind::Data, name.to_string()));
        }
        return None;
    }
    None
}

fn rust_sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src").flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_no_mangle_item_is_in_src_ffi_and_listed() {
    let src = Path::new(MANIFEST_DIR).join("src");
    let mut files = Vec::new();
    rust_sources(&src, &mut files);
    files.sort();
    let mut listed: BTreeSet<(Kind, String)> = BTreeSet::new();
    let path = Path::new(MANIFEST_DIR)
        .join("include")
        .join("vimage.symbols");
    for line in std::fs::read_to_string(path)
        .expect("include/vimage.symbols")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        let mut fields = line.split_whitespace();
        let kind = if fields.next() == Some("func") {
            Kind::Func
        } else {
            Kind::Data
        };
        listed.insert((kind, fields.next().unwrap_or("").to_string()));
    }
    let ffi = src.join("ffi");
    let mut found = BTreeSet::new();
    let mut problems = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("read source");
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let t = line.trim();
            let exported = t.starts_with("#[unsafe(no_mangle)]")
                || t.starts_with("#[no_mangle]")
                || t.starts_with("#[unsafe(export_name")
                || t.starts_with("#[export_name");
            if !exported {
                continue;
            }
            let place = format!("{}:{}", file.display(), i + 1);
            if !file.starts_with(&ffi) {
                problems.push(format!("{place}: exported item outside src/ffi"));
            }
            if t.contains("export_name") {
                problems.push(format!("{place}: export_name (use #[unsafe(no_mangle)])"));
                continue;
            }
            match item_name(&lines[i + 1..]) {
                Some(item) => {
                    if !listed.contains(&item) {
                        problems.push(format!(
                            "{place}: {item:?} is not in include/vimage.symbols"
                        ));
                    }
                    found.insert(item);
                }
                None => problems.push(format!("{place}: cannot tell which item is exported")),
            }
        }
    }
    for item in listed.difference(&found) {
        problems.push(format!(
            "include/vimage.symbols lists {item:?}, which no #[unsafe(no_mangle)] item defines"
        ));
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn header_check_recognises_declarations() {
    let code = "extern const CFStringRef kX;\nCGImageRef CGImageCreate(size_t w);\n\
                size_t CGImageGetWidthX(void);\n#define kY 1\n";
    assert!(declares(code, "kX", Kind::Data));
    assert!(declares(code, "CGImageCreate", Kind::Func));
    assert!(!declares(code, "CGImageCreate", Kind::Data));
    assert!(!declares(code, "kX", Kind::Func));
    assert!(!declares(code, "CGImageGetWidth", Kind::Func));
    assert!(!declares(code, "kY", Kind::Data));
}
