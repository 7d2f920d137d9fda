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
        if p.extension().is_some_and(|x| x == "md")
            && p.file_name().is_some_and(|n| n != "README.md")
        {
            let name = p.file_stem().expect("stem").to_string_lossy().into_owned();
            let toml = std::fs::read_to_string(p.with_extension("toml")).expect("sidecar");
            assert!(toml.contains("source = \"http"), "{name}: source address");
            assert!(toml.contains("issued = \"202"), "{name}: issued since 2024");
            let text = std::fs::read_to_string(&p).expect("text");
            out.push((name, kind_of(&toml), text));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn doc(name: &str) -> (Kind, String) {
    corpus()
        .into_iter()
        .find(|d| d.0 == name)
        .map(|d| (d.1, d.2))
        .unwrap_or_else(|| panic!("no corpus document {name}"))
}

fn short(f: &Finding) -> String {
    format!(
        "{:?} {} {}:{} {}",
        f.severity, f.rule, f.line, f.column, f.message_en
    )
}

use Severity::{Info, Warning};

/// The findings each document must give, judged by hand against Nghị định
/// 30/2020 (rule, severity, line, and why it is right).
/// A judged finding: rule, severity, line.
type Judged = (&'static str, Severity, usize);

const EXPECTED: &[(&str, &[Judged])] = &[
    // Number and day not given by the source: blank as in an unissued
    // draft (Điều 15: given at issuance) — infos.
    (
        "bc-kontum-cu-tri-ky-hop-7-2024",
        &[("number-symbol", Info, 7), ("date", Info, 9)],
    ),
    (
        "bc-nghean-ktxh-9-thang-2024",
        &[("number-symbol", Info, 7), ("date", Info, 9)],
    ),
    ("cv-bgddt-1277-2024", &[]),
    // "Kính gửi: Các Sở Giáo dục và Đào tạo." on one line: right.
    ("cv-bgddt-4555-2025", &[]),
    (
        "cv-binhdinh-tet-giap-thin-2024",
        &[("number-symbol", Info, 7), ("date", Info, 10)],
    ),
    (
        "cv-nghean-tet-at-ty-2025",
        &[("number-symbol", Info, 7), ("date", Info, 10)],
    ),
    // As published: "Tờ trình số 164/TTr- SKHCN" and "Nghị quyết số 57- NQ/TW"
    // have a space inside the symbol (right: warnings).
    (
        "kh-bacninh-186-2025",
        &[("punctuation", Warning, 22), ("punctuation", Warning, 28)],
    ),
    // As published: "Thanh Hoá" (new style) in a text that writes "THANH HÓA",
    // "hóa", "ỦY" (old style): right, a warning.
    ("kh-thanhhoa-130-2025", &[("tone-placement", Warning, 9)]),
    ("kh-thanhhoa-275-2025", &[]),
    // "Số: 34/2024/QĐ-UBND": the year in a legal document's number is right.
    ("qd-binhthuan-34-2024", &[]),
    ("qd-kontum-06-2024", &[]),
    ("qd-kontum-547-2024", &[]),
    // Day and month blank: one info.
    ("qd-langson-163-khen-thuong-2024", &[("date", Info, 9)]),
    ("qd-thanhhoa-128-2025", &[]),
    ("qd-thuathienhue-64-2024", &[]),
    ("qd-tiengiang-65-2024", &[]),
    (
        "tb-binhduong-tiep-cong-dan-12-2024",
        &[("number-symbol", Info, 7), ("date", Info, 9)],
    ),
    // "KT. BỘ TRƯỞNG, CHỦ NHIỆM" over "PHÓ CHỦ NHIỆM": right.
    ("tb-vpcp-408-2025", &[]),
    // Two-column header on one line, "- Lưu: VT, CĐS. ttl": right.
    ("tt-bacninh-skhcn-164-2025", &[]),
    // "Kính gửi: Ủy ban nhân dân tỉnh" without a final period: right.
    ("tt-thanhhoa-vp-1818-2025", &[]),
];

#[test]
fn the_corpus_has_twenty_documents_of_all_six_kinds() {
    let docs = corpus();
    assert!(docs.len() >= 20, "{}", docs.len());
    for k in [
        Kind::CongVan,
        Kind::QuyetDinh,
        Kind::KeHoach,
        Kind::ThongBao,
        Kind::ToTrinh,
        Kind::BaoCao,
    ] {
        assert!(
            docs.iter().filter(|d| d.1 == k).count() >= 2,
            "{k:?}: at least two"
        );
    }
    assert_eq!(docs.len(), EXPECTED.len(), "every document judged");
}

#[test]
fn every_document_gives_exactly_the_judged_findings() {
    let (mut total, mut errors) = (0, 0);
    for (name, kind, text) in corpus() {
        let want = EXPECTED
            .iter()
            .find(|e| e.0 == name)
            .unwrap_or_else(|| panic!("{name} has no judged findings"))
            .1;
        let got = check(&text, kind);
        let got_short: Vec<(&str, Severity, usize)> =
            got.iter().map(|f| (f.rule, f.severity, f.line)).collect();
        assert_eq!(
            got_short,
            want,
            "{name}:\n{}",
            got.iter().map(short).collect::<Vec<_>>().join("\n")
        );
        total += got.len();
        errors += got.iter().filter(|f| f.severity == Severity::Error).count();
    }
    assert_eq!((total, errors), (14, 0), "findings, errors on the corpus");
}

/// One planted error per rule, in a copy of a corpus document: each found,
/// as a new finding of that rule (it was not there before).
#[test]
fn one_planted_error_per_rule_is_found() {
    let plants: &[(&str, &str, &str, &str, &str)] = &[
        // (document, text to replace, with, rule, words of the message)
        (
            "qd-kontum-547-2024",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n",
            "",
            "required-part",
            "national title",
        ),
        (
            "qd-kontum-547-2024",
            "QUYẾT ĐỊNH\n",
            "QUYẾT ĐINH\n",
            "required-part",
            "kind heading is misspelt",
        ),
        (
            "qd-kontum-547-2024",
            "Số: 547/QĐ-UBND",
            "Số: 547/QĐ - UBND",
            "number-symbol",
            "malformed",
        ),
        (
            "cv-bgddt-1277-2024",
            "- Lưu: VT, QLCL.",
            "- Lưu: VT, GDPT.",
            "symbol-unit",
            "“QLCL”",
        ),
        (
            "cv-bgddt-4555-2025",
            "ngày 05 tháng 8",
            "ngày 5 tháng 8",
            "date",
            "leading zero",
        ),
        (
            "cv-bgddt-1277-2024",
            "- Bộ trưởng (để báo cáo);",
            "- Bộ trưởng (để báo cáo),",
            "list-punctuation",
            "end with “;”",
        ),
        (
            "cv-bgddt-1277-2024",
            "THỨ TRƯỞNG",
            "CHÁNH VĂN PHÒNG",
            "authority",
            "deputy's title",
        ),
        (
            "qd-kontum-547-2024",
            "TỈNH KON TUM ĐẾN",
            "tỉnh Kon Tùm đến",
            "name-spelling",
            "“Kon Tùm”",
        ),
        (
            "cv-nghean-tet-at-ty-2025",
            "an toàn sức khỏe",
            "an toàn sức khoẻ",
            "tone-placement",
            "“khoẻ”",
        ),
        (
            "qd-kontum-547-2024",
            "phân loại đô thị; Nghị",
            "phân loại đô thị của Nghị",
            "spelling",
            "NONE",
        ),
        (
            "cv-bgddt-4555-2025",
            "quản lý nhà nước về giáo dục",
            "quản lý nhà nước cuả giáo dục",
            "spelling",
            "“của”",
        ),
        (
            "cv-bgddt-4555-2025",
            "kịp thời",
            "kịp thời cế",
            "spelling",
            "c/k",
        ),
        (
            "cv-bgddt-4555-2025",
            "đạt chuẩn quốc gia",
            "đạt chuẩn quốc gỉa",
            "spelling",
            "“gỉa”",
        ),
        (
            "cv-bgddt-4555-2025",
            "xây dựng trường",
            "xây dựng trưởng cấp",
            "NONE",
            "NONE",
        ),
        (
            "cv-bgddt-4555-2025",
            "bố trí đội ngũ",
            "bố trí đội ngũ cẩp",
            "spelling",
            "sắc or nặng",
        ),
        (
            "cv-bgddt-4555-2025",
            "Năm học 2025-2026",
            "Năm học2025-2026",
            "spelling",
            "glued",
        ),
        (
            "cv-bgddt-4555-2025",
            "các cấp học",
            "các các cấp học",
            "spelling",
            "twice",
        ),
        (
            "cv-bgddt-4555-2025",
            "bối cảnh",
            "bối c\u{1}ảnh",
            "garbled-text",
            "control characters",
        ),
        (
            "cv-bgddt-4555-2025",
            "sắp xếp, sáp nhập",
            "sắp xếp , sáp nhập",
            "punctuation",
            "space before",
        ),
        (
            "cv-bgddt-4555-2025",
            "theo quy định mới; tiếp tục",
            "theo quy định mới;tiếp tục",
            "punctuation",
            "No space after",
        ),
        (
            "cv-bgddt-1277-2024",
            "(gọi tắt là Kỳ thi)",
            "(gọi tắt là Kỳ thi",
            "punctuation",
            "Unbalanced",
        ),
        (
            "cv-bgddt-4555-2025",
            "Năm học 2025-2026,",
            "Năm học 2025 -2026,",
            "punctuation",
            "range dash",
        ),
        (
            "cv-bgddt-1277-2024",
            "số 05/2021/TT-BGDĐT",
            "số 05/2021/TT - BGDĐT",
            "punctuation",
            "hyphen",
        ),
        (
            "qd-langson-163-khen-thuong-2024",
            "Điều 2. Quyết",
            "Điều 4. Quyết",
            "structure",
            "Điều 4",
        ),
        (
            "cv-bgddt-4555-2025",
            "2. Tăng cường",
            "3. Tăng cường",
            "structure",
            "Clause “3.”",
        ),
        (
            "qd-langson-163-khen-thuong-2024",
            "Điều 2. Quyết định",
            "a) Một;\n\nc) Hai.\n\nĐiều 2. Quyết định",
            "structure",
            "Point “c)”",
        ),
        (
            "qd-langson-163-khen-thuong-2024",
            "Điều 2. Quyết định",
            "a) Một;\n\nf) Hai.\n\nĐiều 2. Quyết định",
            "structure",
            "Vietnamese alphabet",
        ),
        (
            "qd-langson-163-khen-thuong-2024",
            "- Như Điều 3;",
            "- Như Điều 2;",
            "structure",
            "last article",
        ),
        (
            "tb-binhduong-tiep-cong-dan-12-2024",
            "vào ngày 17/12/2024,",
            "vào thứ Hai, ngày 17/12/2024,",
            "consistency",
            "Tuesday",
        ),
        (
            "qd-thanhhoa-128-2025",
            "Thanh Hóa.\n\n(…)",
            "Thanh Hóa; Quyết định số 58/2025/QĐ-UBND ngày 28 tháng 6 năm 2025.\n\n(…)",
            "consistency",
            "different dates",
        ),
        (
            "qd-kontum-547-2024",
            "ngày 20 tháng 11 năm 2018;",
            "ngày 20 tháng 11 năm 2018; Quyết định số 12/2025/QĐ-UBND ngày 02/01/2025;",
            "consistency",
            "dated after",
        ),
        (
            "tb-vpcp-408-2025",
            "CỘNG HÒA XÃ HỘI",
            "CỘNG HOÀ XÃ HỘI",
            "required-part",
            "“CỘNG HÒA”",
        ),
        (
            "qd-thanhhoa-128-2025",
            "Số: 128/2025/QĐ-UBND",
            "Số: 128/2024/QĐ-UBND",
            "number-symbol",
            "year of issue",
        ),
        (
            "tt-thanhhoa-vp-1818-2025",
            "- Như trên;\n",
            "",
            "list-punctuation",
            "Như trên",
        ),
        (
            "qd-kontum-06-2024",
            "Ủy ban nhân dân tỉnh.",
            "Ủy ban nhân dân Tỉnh.",
            "name-case",
            "“dân Tỉnh”",
        ),
        (
            "cv-nghean-tet-at-ty-2025",
            "tham mưu UBND tỉnh",
            "tham mưu Sở Lao động - Thương binh và Xã hội, UBND tỉnh",
            "name-spelling",
            "different dashes",
        ),
    ];
    let mut found = 0;
    let mut planted = 0;
    for (name, from, to, rule, words) in plants {
        let (kind, base) = doc(name);
        assert!(base.contains(from), "{name}: “{from}” not in the text");
        let text = base.replacen(from, to, 1);
        let before = check(&base, kind);
        let after = check(&text, kind);
        let new: Vec<&Finding> = after.iter().filter(|f| !before.contains(f)).collect();
        if *rule == "NONE" || *words == "NONE" {
            // A plausible word the syllable rules cannot tell ("trưởng" for
            // "trường", "của" for "; "): no false finding either.
            assert!(
                new.iter().all(|f| f.rule != "spelling"),
                "{name} {to}: {:#?}",
                new
            );
            continue;
        }
        planted += 1;
        let hit = new
            .iter()
            .any(|f| f.rule == *rule && (f.message_en.contains(words) || f.fix_en.contains(words)));
        assert!(
            hit,
            "{name}: planted “{to}” not found as {rule} “{words}”:\n{}",
            new.iter().map(|f| short(f)).collect::<Vec<_>>().join("\n")
        );
        found += 1;
        // Messages and fixes in both languages.
        for f in &new {
            assert!(!f.message_vi.is_empty() && !f.fix_vi.is_empty() && !f.fix_en.is_empty());
        }
    }
    assert_eq!((planted, found), (34, 34));
}
