//! The C test suite: every `tests/c/*.c` (and `*.cpp`) program is compiled the way an Apple
//! user would build it (`-I include`, `#include <Accelerate/Accelerate.h>`), linked twice
//! (to `libvimage.so` and to `libvimage.a`) and run; each must exit with status 0. When
//! `valgrind` is on PATH the shared-library binary also runs under memcheck, which fails on
//! invalid accesses, double frees and definite/indirect leaks.
//!
//! The libraries are the ones cargo built for this very test run: the lib target has
//! crate-type cdylib + staticlib + rlib, and cargo writes all three into
//! `target/<profile>/deps/` next to this test binary. (It only copies them up to
//! `target/<profile>/` for `cargo build`, so the copies there can be stale during
//! `cargo test`.)
//!
//! Environment: `CC` / `CXX` pick the compilers (default `cc` / `c++`);
//! `VIMAGE_TEST_NO_VALGRIND=1` skips the valgrind runs. The programs see
//! `VIMAGE_TEST_UNDER_VALGRIND=1` under valgrind and then do fewer iterations.

use std::ffi::OsStr;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

macro_rules! c_programs {
    ($($test:ident => $file:literal,)*) => {
        /// Every program in `tests/c`; `every_program_in_tests_c_has_a_test` keeps it complete.
        const PROGRAMS: &[&str] = &[$($file),*];
        $(
            #[test]
            fn $test() {
                run_program($file);
            }
        )*
    };
}

c_programs! {
    layout => "layout.c",
    create_copy => "create_copy.c",
    create_nocopy => "create_nocopy.c",
    errors => "errors.c",
    buffer => "buffer.c",
    init_with_image => "init_with_image.c",
    cg_objects => "cg_objects.c",
    threads => "threads.c",
    convert => "convert.c",
    color_convert => "color_convert.c",
    color_formats => "color_formats.c",
    hostile => "hostile.c",
    header_cpp => "header_cpp.cpp",
    channels => "channels.c",
    alpha => "alpha.c",
    interleave => "interleave.c",
    depth => "depth.c",
    packed => "packed.c",
    dither => "dither.c",
    geometry_scale => "geometry_scale.c",
    geometry_rotate => "geometry_rotate.c",
    convolution => "convolution.c",
    morphology => "morphology.c",
    matrix => "matrix.c",
    histogram => "histogram.c",
    color_space => "color_space.c",
    bitmap_context => "bitmap_context.c",
    curves => "curves.c",
    cg_type_guards => "cg_type_guards.c",
    header_objc => "header_objc.m",
    cf_containers => "cf_containers.c",
    image_io => "image_io.c",
}

/// Native libraries a Rust staticlib needs on Linux gnu (`--print native-static-libs`).
const STATIC_NATIVE_LIBS: &[&str] = &[
    "-lgcc_s",
    "-lutil",
    "-lrt",
    "-lpthread",
    "-lm",
    "-ldl",
    "-lc",
];
/// The SONAME build.rs gives `libvimage.so`: what binaries linked with `-lvimage` load.
const SONAME: &str = "libvimage.so.0";
const C_FLAGS: &[&str] = &["-std=c11", "-Wall", "-Wextra", "-Werror", "-pedantic"];
const CXX_FLAGS: &[&str] = &["-std=c++17", "-Wall", "-Wextra", "-Werror", "-pedantic"];
/// Objective-C (`*.m`) with the C compiler: gcc needs Debian's `gobjc` (`.ci/run` installs it).
const OBJC_FLAGS: &[&str] = &[
    "-x",
    "objective-c",
    "-std=gnu11",
    "-Wall",
    "-Wextra",
    "-Werror",
];
/// Per run. The slowest programs (alpha.c's exhaustive loops against the debug library) take
/// about 10 s on an idle machine; the margin is for a machine shared with other builds.
const RUN_TIMEOUT: Duration = Duration::from_secs(400);
const VALGRIND_TIMEOUT: Duration = Duration::from_secs(900);

struct Setup {
    /// Holds `libvimage.so` and `libvimage.a`.
    lib_dir: PathBuf,
    /// Compiled objects, binaries and captured output.
    out_dir: PathBuf,
    include_dir: PathBuf,
    source_dir: PathBuf,
    cc: String,
    cxx: String,
    valgrind: bool,
}

fn setup() -> &'static Setup {
    static SETUP: OnceLock<Setup> = OnceLock::new();
    SETUP.get_or_init(|| {
        let exe = std::env::current_exe().expect("path of the test binary");
        // target/<profile>/deps/c_programs-<hash>
        let deps = exe
            .parent()
            .expect("test binary has a directory")
            .to_path_buf();
        let profile_dir = deps.parent().expect("deps has a parent").to_path_buf();
        let lib_dir = find_lib_dir(&deps);
        ensure_soname_link(&lib_dir);
        let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let out_dir = run_dir(&profile_dir.join("c-tests"));
        let valgrind = std::env::var_os("VIMAGE_TEST_NO_VALGRIND").is_none_or(|v| v != "1")
            && Command::new("valgrind")
                .arg("--version")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success());
        if !valgrind {
            eprintln!("c_programs: valgrind not found (or disabled): skipping memcheck runs");
        }
        Setup {
            lib_dir,
            out_dir,
            include_dir: manifest.join("include"),
            source_dir: manifest.join("tests").join("c"),
            cc: std::env::var("CC").unwrap_or_else(|_| "cc".into()),
            cxx: std::env::var("CXX").unwrap_or_else(|_| "c++".into()),
            valgrind,
        }
    })
}

/// `base/run-<pid>`: a directory of this process only, so that concurrent `cargo test` runs
/// never overwrite each other's binaries. Directories of runs that have ended are removed;
/// a run's own files are removed program by program as they pass (failures keep theirs).
fn run_dir(base: &Path) -> PathBuf {
    if let Ok(entries) = std::fs::read_dir(base) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if let Some(pid) = name.strip_prefix("run-")
                && pid.parse::<u32>().is_ok()
                && !Path::new("/proc").join(pid).exists()
            {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    }
    let dir = base.join(format!("run-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("create target/<profile>/c-tests/run-<pid>");
    dir
}

/// `target/<profile>/deps`, where cargo wrote `libvimage.so` and `libvimage.a` for this test
/// run. They must come from the same rustc run as the newest `libvimage*.rlib` (the lib target
/// builds all its crate types at once); a leftover from an older build with another
/// crate-type list is refused.
fn find_lib_dir(deps: &Path) -> PathBuf {
    let modified = |name: &str| {
        std::fs::metadata(deps.join(name))
            .and_then(|m| m.modified())
            .map_err(|e| format!("{}: {e}", deps.join(name).display()))
    };
    let rlib = std::fs::read_dir(deps)
        .map_err(|e| format!("{}: {e}", deps.display()))
        .and_then(|entries| {
            entries
                .flatten()
                .filter(|e| {
                    let name = e.file_name().to_string_lossy().into_owned();
                    name.starts_with("libvimage") && name.ends_with(".rlib")
                })
                .filter_map(|e| e.metadata().and_then(|m| m.modified()).ok())
                .max()
                .ok_or_else(|| format!("no libvimage*.rlib in {}", deps.display()))
        });
    let problem = match (modified("libvimage.so"), modified("libvimage.a"), rlib) {
        (Ok(so), Ok(a), Ok(rlib)) => {
            let apart = |x: std::time::SystemTime| {
                x.duration_since(rlib)
                    .or_else(|_| rlib.duration_since(x))
                    .unwrap_or_default()
            };
            if apart(so) < Duration::from_secs(120) && apart(a) < Duration::from_secs(120) {
                return deps.to_path_buf();
            }
            format!(
                "libvimage.so ({so:?}) or libvimage.a ({a:?}) is not from the build of \
                 libvimage.rlib ({rlib:?})"
            )
        }
        (so, a, rlib) => [so.err(), a.err(), rlib.err()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join("; "),
    };
    panic!(
        "cargo did not produce libvimage.so and libvimage.a for this test run (the lib target \
         must keep crate-type cdylib + staticlib + rlib): {problem}"
    );
}

/// Points `libvimage.so.0` (the SONAME, see build.rs) at the fresh `libvimage.so` beside it,
/// as `make lib` does in `target/release`. The link is relative, so it always names the
/// library of the same directory; it is replaced atomically (a temporary link renamed over
/// it) because concurrent `cargo test` runs share `deps`.
fn ensure_soname_link(lib_dir: &Path) {
    let link = lib_dir.join(SONAME);
    if std::fs::read_link(&link).is_ok_and(|target| target == Path::new("libvimage.so")) {
        return;
    }
    let tmp = lib_dir.join(format!(".{SONAME}.tmp-{}", std::process::id()));
    let _ = std::fs::remove_file(&tmp);
    std::os::unix::fs::symlink("libvimage.so", &tmp)
        .and_then(|()| std::fs::rename(&tmp, &link))
        .unwrap_or_else(|e| panic!("cannot link {} -> libvimage.so: {e}", link.display()));
}

#[derive(Clone, Copy, Debug)]
enum Link {
    Shared,
    Static,
}

/// Compiles `file` once, links it both ways, runs both binaries and, with valgrind, the
/// shared one under memcheck. Panics naming the program and the step that failed.
fn run_program(file: &str) {
    if !cfg!(feature = "cf") {
        // The programs use CFRetain, CFData and CFString, exported only with the "cf" feature.
        eprintln!("{file}: skipped, the library is built without the \"cf\" feature");
        return;
    }
    let s = setup();
    let source = s.source_dir.join(file);
    assert!(
        source.is_file(),
        "{file}: {} does not exist",
        source.display()
    );
    let cpp = source.extension() == Some(OsStr::new("cpp"));
    let objc = source.extension() == Some(OsStr::new("m"));
    let stem = source.file_stem().unwrap().to_string_lossy().into_owned();
    let object = s.out_dir.join(format!("{stem}.o"));

    let (compiler, flags) = if cpp {
        (&s.cxx, CXX_FLAGS)
    } else if objc {
        (&s.cc, OBJC_FLAGS)
    } else {
        (&s.cc, C_FLAGS)
    };
    let mut compile = Command::new(compiler);
    compile
        .args(flags)
        .args(["-g", "-O1", "-pthread", "-c"])
        .arg("-I")
        .arg(&s.include_dir)
        .arg(&source)
        .arg("-o")
        .arg(&object);
    run_tool(file, "compile", compile);

    for link in [Link::Shared, Link::Static] {
        let binary = s.out_dir.join(format!(
            "{stem}-{}",
            match link {
                Link::Shared => "shared",
                Link::Static => "static",
            }
        ));
        let mut cmd = Command::new(compiler);
        cmd.arg(&object).arg("-o").arg(&binary).arg("-pthread");
        match link {
            Link::Shared => {
                // DT_RPATH (not RUNPATH) so that no LD_LIBRARY_PATH can substitute another copy.
                cmd.arg("-L")
                    .arg(&s.lib_dir)
                    .arg("-lvimage")
                    .arg(format!("-Wl,-rpath,{}", s.lib_dir.display()))
                    .arg("-Wl,--disable-new-dtags");
            }
            Link::Static => {
                cmd.arg(s.lib_dir.join("libvimage.a"))
                    .args(STATIC_NATIVE_LIBS);
            }
        }
        run_tool(file, &format!("link ({link:?})"), cmd);
        if let Link::Shared = link {
            check_loads_fresh_library(file, &binary, &s.lib_dir);
        }
        run_binary(file, &format!("{link:?}"), &binary, &[], false, RUN_TIMEOUT);
        if let Link::Shared = link
            && s.valgrind
        {
            let args = [
                "--error-exitcode=99",
                "--leak-check=full",
                "--errors-for-leak-kinds=definite,indirect",
                "--show-leak-kinds=definite,indirect",
                "-q",
            ];
            run_binary(file, "valgrind", &binary, &args, true, VALGRIND_TIMEOUT);
        }
    }
    remove_artifacts(&s.out_dir, &stem);
}

/// Deletes the object, binaries and captured output of a program that passed.
fn remove_artifacts(dir: &Path, stem: &str) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name
            .strip_prefix(stem)
            .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('-'))
        {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Runs a compiler or linker; panics with its output when it fails.
fn run_tool(file: &str, step: &str, mut cmd: Command) {
    let shown = format!("{cmd:?}");
    let output = cmd
        .output()
        .unwrap_or_else(|e| panic!("{file}: {step}: cannot run {shown}: {e}"));
    assert!(
        output.status.success(),
        "{file}: {step} failed ({})\ncommand: {shown}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    );
}

/// The dynamic loader must resolve the SONAME `libvimage.so.0` to the freshly built library.
fn check_loads_fresh_library(file: &str, binary: &Path, lib_dir: &Path) {
    let output = Command::new(binary)
        .env("LD_TRACE_LOADED_OBJECTS", "1")
        .output()
        .unwrap_or_else(|e| panic!("{file}: cannot run {}: {e}", binary.display()));
    let listing = String::from_utf8_lossy(&output.stdout);
    let link = lib_dir.join(SONAME);
    let expected = format!("{SONAME} => {}", link.display());
    assert!(
        listing.contains(&expected),
        "{file}: the shared binary does not load {}:\n{listing}",
        link.display()
    );
    let resolved = std::fs::canonicalize(&link).ok();
    assert!(
        resolved.is_some() && resolved == std::fs::canonicalize(lib_dir.join("libvimage.so")).ok(),
        "{file}: {} does not lead to the fresh libvimage.so",
        link.display()
    );
}

/// Runs `binary` (under valgrind with `valgrind_args` if `under_valgrind`) with a deadline;
/// panics with the program's stdout and stderr unless it exits with status 0.
fn run_binary(
    file: &str,
    mode: &str,
    binary: &Path,
    valgrind_args: &[&str],
    under_valgrind: bool,
    timeout: Duration,
) {
    run_binary_with(
        file,
        mode,
        binary,
        &[],
        valgrind_args,
        under_valgrind,
        timeout,
    )
}

/// [`run_binary`] with arguments for the program.
fn run_binary_with(
    file: &str,
    mode: &str,
    binary: &Path,
    program_args: &[&str],
    valgrind_args: &[&str],
    under_valgrind: bool,
    timeout: Duration,
) {
    let s = setup();
    let stem = binary.file_name().unwrap().to_string_lossy().into_owned();
    let tag = if under_valgrind {
        format!("{stem}-valgrind")
    } else {
        stem
    };
    let stdout_path = s.out_dir.join(format!("{tag}.stdout"));
    let stderr_path = s.out_dir.join(format!("{tag}.stderr"));
    let mut cmd = if under_valgrind {
        let mut c = Command::new("valgrind");
        c.args(valgrind_args).arg(binary).args(program_args);
        c.env("VIMAGE_TEST_UNDER_VALGRIND", "1");
        c
    } else {
        let mut c = Command::new(binary);
        c.args(program_args);
        c.env_remove("VIMAGE_TEST_UNDER_VALGRIND");
        c
    };
    cmd.current_dir(&s.out_dir)
        .env_remove("LD_PRELOAD")
        .stdin(Stdio::null())
        .stdout(File::create(&stdout_path).expect("create stdout file"))
        .stderr(File::create(&stderr_path).expect("create stderr file"));
    let started = Instant::now();
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("{file} [{mode}]: cannot start {}: {e}", binary.display()));
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for the test program") {
            break Some(status);
        }
        if started.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let stdout = std::fs::read_to_string(&stdout_path).unwrap_or_default();
    let stderr = std::fs::read_to_string(&stderr_path).unwrap_or_default();
    let outcome = match status {
        Some(status) if status.success() => return,
        Some(status) => format!("exited with {status}"),
        None => format!("timed out after {timeout:?}"),
    };
    panic!(
        "{file} [{mode}]: {} {outcome}\n--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}",
        binary.display()
    );
}

/// vimage beside another CoreFoundation: `tests/c/interpose.c` linked with the stand-in
/// `tests/c/lib/foreign_cf.c` (built here as `libforeigncf.so`) ahead of libvimage and after
/// it; both binaries run natively and under valgrind.
#[test]
fn interpose() {
    if !cfg!(feature = "cf") {
        eprintln!("interpose: skipped, the library is built without the \"cf\" feature");
        return;
    }
    let s = setup();
    let file = "interpose.c";
    let foreign = s.out_dir.join("libforeigncf.so");
    let mut build = Command::new(&s.cc);
    build
        .args(C_FLAGS)
        .args(["-g", "-O1", "-shared", "-fPIC", "-o"])
        .arg(&foreign)
        .arg(s.source_dir.join("lib").join("foreign_cf.c"));
    run_tool(file, "build libforeigncf.so", build);
    let object = s.out_dir.join("interpose.o");
    let mut compile = Command::new(&s.cc);
    compile
        .args(C_FLAGS)
        .args(["-g", "-O1", "-c", "-I"])
        .arg(&s.include_dir)
        .arg(s.source_dir.join(file))
        .arg("-o")
        .arg(&object);
    run_tool(file, "compile", compile);
    for (mode, first, second) in [
        ("foreign-first", "-lforeigncf", "-lvimage"),
        ("ours-first", "-lvimage", "-lforeigncf"),
    ] {
        let binary = s.out_dir.join(format!("interpose-{mode}"));
        let mut link = Command::new(&s.cc);
        link.arg(&object)
            .arg("-o")
            .arg(&binary)
            .arg("-Wl,--no-as-needed")
            .arg("-L")
            .arg(&s.out_dir)
            .arg("-L")
            .arg(&s.lib_dir)
            .args([first, second])
            .arg(format!(
                "-Wl,-rpath,{}:{}",
                s.lib_dir.display(),
                s.out_dir.display()
            ))
            .arg("-Wl,--disable-new-dtags");
        run_tool(file, &format!("link ({mode})"), link);
        run_binary_with(file, mode, &binary, &[mode], &[], false, RUN_TIMEOUT);
        if s.valgrind {
            let args = [
                "--error-exitcode=99",
                "--leak-check=full",
                "--errors-for-leak-kinds=definite,indirect",
                "--show-leak-kinds=definite,indirect",
                "-q",
            ];
            run_binary_with(file, mode, &binary, &[mode], &args, true, VALGRIND_TIMEOUT);
        }
    }
}

/// A new program in `tests/c` must be added to `c_programs!` above, or it would never run.
#[test]
fn every_program_in_tests_c_has_a_test() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("c");
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .expect("read tests/c")
        .map(|e| {
            e.expect("directory entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|name| name.ends_with(".c") || name.ends_with(".cpp") || name.ends_with(".m"))
        .collect();
    on_disk.sort();
    // interpose.c has a test of its own (`interpose`): it links a second library.
    let mut listed: Vec<String> = PROGRAMS
        .iter()
        .chain(&["interpose.c"])
        .map(|s| s.to_string())
        .collect();
    listed.sort();
    assert_eq!(on_disk, listed, "tests/c and the c_programs! list differ");
}
