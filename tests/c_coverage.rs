//! Every exported function is exercised from C: each `func` line of `include/vimage.symbols`
//! names a function that some program in `tests/c` calls (the C programs run against both
//! libraries, under valgrind, in tests/c_programs.rs). A new export without a C test fails
//! here. Calls built by token pasting (`vImageConvert_##name`) count when both the pasted
//! prefix and the name's suffix appear.

use std::path::PathBuf;

/// Exported functions reached from C only through a macro of the Apple-named headers.
const THROUGH_MACROS: &[(&str, &str)] = &[("__CFStringMakeConstantString", "CFSTR")];

#[test]
fn every_exported_function_is_called_from_a_c_test() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let symbols = std::fs::read_to_string(root.join("include/vimage.symbols")).expect("symbols");
    let mut sources = String::new();
    for entry in std::fs::read_dir(root.join("tests/c")).expect("tests/c") {
        let path = entry.expect("entry").path();
        if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("c" | "cpp" | "m" | "h")
        ) {
            sources.push_str(&std::fs::read_to_string(&path).expect("C source"));
            sources.push('\n');
        }
    }
    let called = |name: &str| {
        sources.match_indices(name).any(|(i, _)| {
            let before = sources[..i].chars().next_back();
            let after = sources[i + name.len()..].chars().next();
            let ident = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
            !ident(before) && !ident(after)
        })
    };
    let mut missing = Vec::new();
    let mut count = 0;
    for line in symbols.lines() {
        let mut words = line.split_whitespace();
        if words.next() != Some("func") {
            continue;
        }
        let Some(name) = words.next() else { continue };
        count += 1;
        let name = THROUGH_MACROS
            .iter()
            .find(|(f, _)| *f == name)
            .map_or(name, |(_, m)| m);
        // A call built by token pasting (`vImageConvert_##fn` with `fn` = `RGB888toPlanar8`).
        let pasted = name.split_once('_').is_some_and(|(prefix, suffix)| {
            sources.contains(&format!("{prefix}_##")) && called(suffix)
        });
        if !called(name) && !pasted {
            missing.push(name.to_string());
        }
    }
    assert!(
        count > 50,
        "include/vimage.symbols lists only {count} functions"
    );
    assert!(
        missing.is_empty(),
        "{} exported functions are not called from any tests/c program: {missing:?}",
        missing.len()
    );
}
