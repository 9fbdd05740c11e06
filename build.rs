//! Writes the C header from the Rust ABI types with cbindgen.
//!
//! The header is generated into `OUT_DIR/vimage.h` on every build; `tests/header.rs` fails when
//! the checked-in `include/vimage.h` differs from it. `VIMAGE_BLESS_HEADER=1 cargo build` copies
//! the fresh header over the checked-in one. Users never need to run cbindgen themselves.

use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    println!("cargo:rerun-if-env-changed=VIMAGE_BLESS_HEADER");

    // A versioned SONAME, as shared libraries on Linux have: programs linked with -lvimage
    // record DT_NEEDED libvimage.so.0 and find it through the libvimage.so.0 -> libvimage.so
    // link (`make lib` / `make demo` and tests/c_programs.rs create it next to the library).
    //
    // No linker version script is added, on purpose. The exported set is already exact:
    // rustc links every cdylib with its own anonymous version script,
    // `{ global: <each #[no_mangle] item>; local: *; };`, so no Rust-mangled or rust_* symbol
    // is exported, and tests/symbols.rs compares `nm -D --defined-only` with
    // include/vimage.symbols on every `cargo test`. A second script cannot do better:
    // - rust-lld (the default linker since Rust 1.90) accepts
    //   `-Wl,--version-script` with `VIMAGE_0 { global: ...; local: *; };` but it is not in
    //   force: rustc's script comes first and wins, so `readelf --dyn-syms -V` / `objdump -T`
    //   still show every symbol at version `Base` (*global*), VIMAGE_0 appears only as an empty
    //   entry of .gnu.version_d, and a #[no_mangle] name left out of the VIMAGE_0 list stays
    //   exported (tried on a two-function cdylib: `local: *` hid nothing).
    // - GNU ld (the default linker of Rust 1.87, this crate's rust-version, or with
    //   `-C link-arg=-fuse-ld=bfd`) refuses the combination outright: "anonymous version tag
    //   cannot be combined with other version tags", so the build would fail.
    // Symbol versions would also be a departure from Apple's unversioned names.
    println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libvimage.so.0");
    // Bind the library's own references to its exported functions inside the library, as
    // librsvg does: in a process that also loads GNUstep corebase or swift-corelibs-foundation
    // (which export CFRetain, CFRelease, CGImageRelease... too), our calls never reach theirs.
    println!("cargo:rustc-cdylib-link-arg=-Wl,-Bsymbolic-functions");

    let crate_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("set by cargo"));
    // cbindgen reads the sources itself from src/lib.rs (following `mod` declarations) rather
    // than through a nested `cargo metadata`, which inherits this build's environment (under
    // `cargo clippy`, clippy's rustc wrapper) and shares its target directory.
    let config = match cbindgen::Config::from_file(crate_dir.join("cbindgen.toml")) {
        Ok(config) => config,
        Err(e) => {
            println!("cargo:warning=cbindgen.toml: {e}");
            return;
        }
    };
    let bindings = match cbindgen::Builder::new()
        .with_src(crate_dir.join("src").join("lib.rs"))
        .with_config(config)
        .generate()
    {
        Ok(bindings) => bindings,
        Err(e) => {
            // The checked-in header still serves the build; tests/header.rs reports the failure.
            println!("cargo:warning=cbindgen could not generate the header: {e}");
            return;
        }
    };
    let mut raw = Vec::new();
    bindings.write(&mut raw);
    let header =
        parenthesize_negative_defines(&String::from_utf8(raw).expect("cbindgen writes UTF-8"));
    std::fs::write(out_dir.join("vimage.h"), &header).expect("write OUT_DIR/vimage.h");

    let checked_in = crate_dir.join("include").join("vimage.h");
    if std::env::var_os("VIMAGE_BLESS_HEADER").is_some_and(|v| v == "1") || !checked_in.exists() {
        std::fs::write(&checked_in, &header).expect("write include/vimage.h");
    }
}

/// `#define X -1` would turn `a-X` into `a--1`; Apple's enum constants behave like `(-1)`.
fn parenthesize_negative_defines(header: &str) -> String {
    let mut out = String::with_capacity(header.len() + 256);
    for line in header.lines() {
        let mut parts = line.splitn(3, ' ');
        match (parts.next(), parts.next(), parts.next()) {
            (Some("#define"), Some(name), Some(value))
                if value.starts_with('-') && value[1..].bytes().all(|b| b.is_ascii_digit()) =>
            {
                out.push_str(&format!("#define {name} ({value})"));
            }
            _ => out.push_str(line),
        }
        out.push('\n');
    }
    out
}
