//! The API coverage table (`docs/api.md` and its summary in the README) is what
//! `tools/api_table.py` generates from `include/vimage.symbols`.

use std::process::Command;

#[test]
fn api_table_is_up_to_date() {
    let root = env!("CARGO_MANIFEST_DIR");
    let output = Command::new("python3")
        .arg(format!("{root}/tools/api_table.py"))
        .arg("--check")
        .output()
        .expect("python3 runs tools/api_table.py");
    assert!(
        output.status.success(),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
