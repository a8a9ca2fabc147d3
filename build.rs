//! Compiles the embedded word lists (`rules/dicts/*.txt`) into the lexicon's lookup table at
//! build time, so that no run of phiscan spends its start-up building it (see
//! `src/engine/table.rs`, which this script shares with the crate).

#[allow(dead_code)]
#[path = "src/engine/table.rs"]
mod table;

fn main() {
    println!("cargo:rerun-if-changed=rules/dicts");
    println!("cargo:rerun-if-changed=src/engine/table.rs");
    let out = std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR for build scripts");
    let path = std::path::Path::new(&out).join("lexicon.bin");
    std::fs::write(&path, table::compile()).expect("write the compiled lexicon to OUT_DIR");
}
