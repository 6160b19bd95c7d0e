//! Tidiness of the source tree, checked as a test so that `cargo test` alone catches it: every Rust file
//! says what it is for, and the tree is formatted.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable source tree") {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            if !path.ends_with("target") && !path.ends_with("snapshots") && !path.ends_with("fixtures") {
                rust_files(&path, out);
            }
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            out.push(path);
        }
    }
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("workspace root")
}

#[test]
fn every_rust_file_starts_with_a_module_doc_comment() {
    let mut files = Vec::new();
    rust_files(&workspace().join("crates"), &mut files);
    assert!(files.len() > 20, "found the sources");
    let missing: Vec<String> = files
        .iter()
        .filter(|path| !std::fs::read_to_string(path).expect("readable").trim_start().starts_with("//!"))
        .map(|path| path.strip_prefix(workspace()).unwrap_or(path).display().to_string())
        .collect();
    assert!(missing.is_empty(), "files without a //! header saying what they are for: {missing:#?}");
}

#[test]
fn the_tree_is_formatted() {
    let Ok(output) =
        std::process::Command::new(env!("CARGO")).args(["fmt", "--all", "--check"]).current_dir(workspace()).output()
    else {
        eprintln!("cargo fmt is not available: formatting not checked");
        return;
    };
    if String::from_utf8_lossy(&output.stderr).contains("not installed") {
        eprintln!("rustfmt is not installed: formatting not checked");
        return;
    }
    assert!(output.status.success(), "run `cargo fmt --all`:\n{}", String::from_utf8_lossy(&output.stdout));
}
