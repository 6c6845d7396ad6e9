//! Compiles `proto/` with `protox` (pure Rust, no system `protoc`), generates the tonic
//! code and its proto3 JSON serde implementations, writes the descriptor set used for
//! reflection, and embeds the bundled gazetteers so the binary runs from any directory.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use prost::Message as _;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out_dir = PathBuf::from(std::env::var("OUT_DIR")?);
    println!("cargo:rerun-if-changed=proto");
    println!("cargo:rerun-if-changed=gazetteers");

    let descriptors = protox::Compiler::new(["proto"])?
        .include_source_info(true)
        .include_imports(true)
        .open_files(["newstag/v1/tagger.proto", "newstag/v1/admin.proto"])?
        .file_descriptor_set();
    let encoded = descriptors.encode_to_vec();
    std::fs::write(out_dir.join("newstag_descriptor.bin"), &encoded)?;
    // Our codec: prost's, with undecodable requests the caller's INVALID_ARGUMENT.
    tonic_prost_build::configure()
        .codec_path("crate::service::codec::Codec")
        .btree_map(".newstag.v1.Entity.xrefs")
        .compile_fds(descriptors.clone())?;

    // serde implementations of the proto3 JSON mapping, generated at build time: the CLI
    // prints responses without a descriptor pool or a re-decoding at run time. Messages that
    // hold a `google.protobuf.Timestamp` are left out (prost-types has no serde); the CLI
    // never prints them.
    pbjson_build::Builder::new()
        .register_descriptors(&encoded)?
        // Every field, defaults included: a title mention at offset 0 has its `"start": 0`, an
        // unlinked entity its `"linked": false`; scripts need not know proto3's defaults.
        .emit_fields()
        // pbjson matches map paths by message: Entity has one map, `xrefs`.
        .btree_map([".newstag.v1.Entity"])
        .exclude([
            ".newstag.v1.GazetteerInfo",
            ".newstag.v1.ReloadAttempt",
            ".newstag.v1.ReloadResponse",
        ])
        .build(&[".newstag.v1"])?;

    // The no-op service of the gRPC benchmark, generated beside the API but included only by
    // `benches/grpc.rs`.
    let bench = protox::Compiler::new(["proto"])?
        .include_imports(false)
        .open_file("newstag/bench/v1/noop.proto")?
        .file_descriptor_set();
    tonic_prost_build::configure()
        .extern_path(".newstag.v1", "::newstag::proto")
        .compile_fds(bench)?;

    embed_gazetteers(
        Path::new("gazetteers"),
        &out_dir.join("bundled_gazetteers.rs"),
    )?;
    Ok(())
}

/// Writes `BUNDLED: &[(&str, &[u8])]`, every file below `gazetteers/` keyed by its relative
/// path, in sorted order: the same view `gazetteer::load_dir` builds from disk.
fn embed_gazetteers(root: &Path, target: &Path) -> std::io::Result<()> {
    let mut files = Vec::new();
    collect(root, &mut files)?;
    files.sort();
    let mut code = String::from("pub static BUNDLED: &[(&str, &[u8])] = &[\n");
    for path in files {
        let relative = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        let absolute = std::fs::canonicalize(&path)?;
        let _ = writeln!(
            code,
            "    ({relative:?}, include_bytes!({:?})),",
            absolute.to_string_lossy()
        );
    }
    code.push_str("];\n");
    std::fs::write(target, code)
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let hidden = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        if path.is_dir() {
            collect(&path, files)?;
        } else {
            files.push(path);
        }
    }
    Ok(())
}
