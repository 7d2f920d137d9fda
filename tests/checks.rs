//! Each document check with passing and failing cases, the same
//! findings whatever the Unicode form, and folding that never panics.

use duyet::check::{Finding, Severity, check};
use duyet::model::Kind;
use duyet::model::text::{canonical, fold_search, fold_tones, nfc};
use proptest::prelude::*;
use unicode_normalization::UnicodeNormalization;

const GOOD: &str = include_str!("../drafts/2024/qd-to-bien-tap-trang-ttdt/draft.md");
const GOOD_CV: &str = include_str!("../drafts/2024/cv-tuyen-truyen-cchc/draft.md");

fn rules(fs: &[Finding], sev: Severity) -> Vec<&'static str> {
    fs.iter()
        .filter(|f| f.severity == sev)
        .map(|f| f.rule)
        .collect()
}

fn errors_and_warnings(text: &str, kind: Kind) -> Vec<Finding> {
    check(text, kind)
        .into_iter()
        .filter(|f| f.severity != Severity::Info)
        .collect()
}

#[test]
fn every_sample_draft_is_clean() {
    for (kind, text) in [
        (Kind::QuyetDinh, GOOD),
        (Kind::CongVan, GOOD_CV),
        (
            Kind::KeHoach,
            include_str!("../drafts/2024/kh-chuyen-doi-so-2024/draft.md"),
        ),
        (
            Kind::ThongBao,
            include_str!("../drafts/2024/tb-lich-tiep-cong-dan/draft.md"),
        ),
        (
            Kind::ToTrinh,
            include_str!("../drafts/2024/tt-kinh-phi-ha-tang-so/draft.md"),
        ),
        (
            Kind::BaoCao,
            include_str!("../drafts/2024/bc-cchc-quy-i/draft.md"),
        ),
    ] {
        let fs = errors_and_warnings(text, kind);
        assert!(fs.is_empty(), "{kind:?}: {fs:#?}");
        // A blank number and day are normal in a draft: info only.
        assert_eq!(
            rules(&check(text, kind), Severity::Info),
            ["number-symbol", "date"]
        );
    }
}

#[test]
fn the_seed_as_given() {
    let seed = duyet::ops::demo::seed_first_revision();
    let fs = check(&seed, Kind::CongVan);
    let errors = rules(&fs, Severity::Error);
    assert_eq!(
        errors,
        ["required-part", "required-part", "required-part"],
        "{fs:#?}"
    );
    // One inconsistency, reported once, with its count and every place.
    let spelled: Vec<_> = fs.iter().filter(|f| f.rule == "name-spelling").collect();
    assert_eq!(spelled.len(), 1, "{spelled:#?}");
    assert!(spelled[0].message_en.contains("“Trảng Định”"));
    assert!(
        spelled[0].message_en.contains("4 places"),
        "{}",
        spelled[0].message_en
    );
    for place in ["7:208", "16:333", "26:72", "32:222"] {
        assert!(spelled[0].message_en.contains(place), "{place}");
    }
    assert_eq!(spelled[0].severity, Severity::Warning);
    // the fixed text with its header is clean
    assert!(errors_and_warnings(GOOD_CV, Kind::CongVan).is_empty());
}

#[test]
fn required_parts() {
    let no_motto = GOOD.replace("Độc lập - Tự do - Hạnh phúc\n", "");
    assert_eq!(
        rules(&check(&no_motto, Kind::QuyetDinh), Severity::Error),
        ["required-part"]
    );
    let bad_motto = GOOD.replace("Độc lập - Tự do - Hạnh phúc", "Độc lập – Tự do – Hạnh Phúc");
    let fs = check(&bad_motto, Kind::QuyetDinh);
    assert_eq!(rules(&fs, Severity::Error), ["required-part"]);
    assert_eq!(fs[0].line, 5);
    let no_heading = GOOD.replace("QUYẾT ĐỊNH\nVề việc", "Về việc");
    assert!(
        rules(&check(&no_heading, Kind::QuyetDinh), Severity::Error).contains(&"required-part")
    );
    let no_vv = GOOD_CV.replace("V/v Tăng", "Tăng");
    assert!(rules(&check(&no_vv, Kind::CongVan), Severity::Error).contains(&"required-part"));
    let no_recipients = GOOD.replace("Nơi nhận:", "Gửi:");
    assert!(
        rules(&check(&no_recipients, Kind::QuyetDinh), Severity::Error).contains(&"required-part")
    );
}

#[test]
fn number_and_symbol() {
    let with_number = GOOD.replace("Số: /QĐ-STTTT", "Số: 7/QĐ-STTTT");
    let fs = check(&with_number, Kind::QuyetDinh);
    assert_eq!(rules(&fs, Severity::Error), ["number-symbol"]);
    assert!(fs[0].fix_vi.contains("07"));
    let ok = GOOD.replace("Số: /QĐ-STTTT", "Số: 07/QĐ-STTTT");
    assert!(rules(&check(&ok, Kind::QuyetDinh), Severity::Error).is_empty());
    let spaced = GOOD.replace("Số: /QĐ-STTTT", "Số: /QĐ - STTTT");
    assert_eq!(
        rules(&check(&spaced, Kind::QuyetDinh), Severity::Error),
        ["number-symbol"]
    );
    let wrong_kind = GOOD.replace("Số: /QĐ-STTTT", "Số: /KH-STTTT");
    assert_eq!(
        rules(&check(&wrong_kind, Kind::QuyetDinh), Severity::Error),
        ["number-symbol"]
    );
    // a công văn's unit in the symbol and in "Lưu:"
    let mismatch = GOOD_CV.replace("- Lưu: VT, TTBCXB (LMV).", "- Lưu: VT, VP (LMV).");
    let fs = check(&mismatch, Kind::CongVan);
    assert_eq!(rules(&fs, Severity::Error), ["symbol-unit"]);
    assert!(fs.iter().any(|f| f.message_en.contains("“TTBCXB”")));
}

#[test]
fn dates() {
    let day = GOOD.replace("ngày   tháng 3", "ngày 5 tháng 3");
    assert_eq!(
        rules(&check(&day, Kind::QuyetDinh), Severity::Error),
        ["date"]
    );
    let padded = GOOD.replace("ngày   tháng 3", "ngày 05 tháng 3");
    assert!(rules(&check(&padded, Kind::QuyetDinh), Severity::Error).is_empty());
    assert_eq!(
        rules(&check(&padded, Kind::QuyetDinh), Severity::Info),
        ["number-symbol"]
    );
    let feb = GOOD.replace("ngày   tháng 3", "ngày 15 tháng 2");
    assert_eq!(
        rules(&check(&feb, Kind::QuyetDinh), Severity::Error),
        ["date"]
    );
    let march0 = GOOD.replace("ngày   tháng 3", "ngày 15 tháng 03");
    let fs = check(&march0, Kind::QuyetDinh);
    assert!(rules(&fs, Severity::Error).is_empty());
    assert_eq!(rules(&fs, Severity::Info), ["number-symbol", "date"]);
}

#[test]
fn recipient_punctuation() {
    let comma = GOOD.replace("- Lãnh đạo Sở;", "- Lãnh đạo Sở,");
    assert_eq!(
        rules(&check(&comma, Kind::QuyetDinh), Severity::Error),
        ["list-punctuation"]
    );
    let last = GOOD.replace("- Lưu: VT, VP.", "- Lưu: VT, VP");
    assert_eq!(
        rules(&check(&last, Kind::QuyetDinh), Severity::Error),
        ["list-punctuation"]
    );
    let no_luu = GOOD.replace("- Lãnh đạo Sở;\n- Lưu: VT, VP.", "- Lãnh đạo Sở.");
    assert_eq!(
        rules(&check(&no_luu, Kind::QuyetDinh), Severity::Error),
        ["list-punctuation"]
    );
    let no_nhu_tren = GOOD_CV.replace("- Như trên;\n", "");
    assert_eq!(
        rules(&check(&no_nhu_tren, Kind::CongVan), Severity::Error),
        ["list-punctuation"]
    );
    let kinh_gui = GOOD_CV.replace("- Báo Lạng Sơn;", "- Báo Lạng Sơn");
    assert_eq!(
        rules(&check(&kinh_gui, Kind::CongVan), Severity::Error),
        ["list-punctuation"]
    );
}

#[test]
fn authority_marks() {
    let kt_wrong = GOOD_CV.replace("PHÓ GIÁM ĐỐC", "TRƯỞNG PHÒNG");
    assert_eq!(
        rules(&check(&kt_wrong, Kind::CongVan), Severity::Error),
        ["authority"]
    );
    let deputy_alone = GOOD_CV.replace("**KT. GIÁM ĐỐC\n", "**");
    let fs = check(&deputy_alone, Kind::CongVan);
    assert_eq!(rules(&fs, Severity::Error), ["authority"]);
    assert!(fs.iter().any(|f| f.fix_vi.contains("KT. GIÁM ĐỐC")));
    let tl = GOOD.replace("**GIÁM ĐỐC**", "**TL. GIÁM ĐỐC\nCHÁNH VĂN PHÒNG**");
    assert!(rules(&check(&tl, Kind::QuyetDinh), Severity::Error).is_empty());
    let tl_bare = GOOD.replace(
        "**GIÁM ĐỐC**\n\nHoàng Văn Kiên",
        "**TL. GIÁM ĐỐC**\n\nHoàng Văn Kiên",
    );
    assert_eq!(
        rules(&check(&tl_bare, Kind::QuyetDinh), Severity::Error),
        ["authority"]
    );
    let academic = GOOD.replace("Hoàng Văn Kiên", "TS. Hoàng Văn Kiên");
    assert_eq!(
        rules(&check(&academic, Kind::QuyetDinh), Severity::Warning),
        ["authority"]
    );
}

#[test]
fn tone_placement_mix_is_a_warning() {
    let mixed = GOOD.replace(
        "Quyết định này có hiệu lực",
        "Quyết định này (hoà hợp) có hiệu lực",
    );
    let fs = check(&mixed, Kind::QuyetDinh);
    assert_eq!(rules(&fs, Severity::Warning), ["tone-placement"]);
    assert!(rules(&fs, Severity::Error).is_empty());
    assert!(fs.iter().any(|f| f.message_vi.contains("“hoà”")));
    // "Hòa" / "Hoà" in names is tone placement, not a second spelling.
    let names = format!("{GOOD}\nĐồng Hòa Bình và Đồng Hoà Bình.\n");
    assert!(!rules(&check(&names, Kind::QuyetDinh), Severity::Warning).contains(&"name-spelling"));
}

#[test]
fn legacy_encodings_are_named() {
    let tcvn3 = "Céng hßa x· héi chñ nghÜa ViÖt Nam\n§éc lËp - Tù do - H¹nh phóc\n";
    let fs = check(tcvn3, Kind::CongVan);
    assert_eq!(fs.len(), 1);
    assert_eq!(fs[0].rule, "legacy-encoding");
    assert!(fs[0].message_en.contains("TCVN3"), "{}", fs[0].message_en);
    let vni = "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam\nÑoäc laäp - Töï do - Haïnh phuùc\n";
    let fs = check(vni, Kind::CongVan);
    assert_eq!(fs[0].rule, "legacy-encoding");
    assert!(fs[0].message_en.contains("VNI"), "{}", fs[0].message_en);
}

#[test]
fn same_findings_in_nfc_nfd_and_windows_form() {
    let seed = duyet::ops::demo::seed_first_revision();
    let nfd: String = seed.nfd().collect();
    // Windows keyboard: precomposed base vowel + combining tone mark.
    let windows: String = seed
        .chars()
        .flat_map(|c| {
            let d: Vec<char> = c.nfd().collect();
            let tone = d.iter().position(|m| {
                matches!(
                    *m,
                    '\u{300}' | '\u{301}' | '\u{303}' | '\u{309}' | '\u{323}'
                )
            });
            match tone {
                Some(i) if d.len() > 1 => {
                    let mut base: Vec<char> = d.clone();
                    let t = base.remove(i);
                    let mut v: Vec<char> = base.into_iter().nfc().collect();
                    v.push(t);
                    v
                }
                _ => vec![c],
            }
        })
        .collect();
    assert_ne!(windows, seed);
    assert_ne!(windows, nfd);
    let want = check(&seed, Kind::CongVan);
    assert_eq!(check(&nfd, Kind::CongVan), want);
    assert_eq!(check(&windows, Kind::CongVan), want);
    assert_eq!(check(&seed.replace('\n', "\r\n"), Kind::CongVan), want);
}

proptest! {
    #[test]
    fn folding_and_normalising_never_panic_and_are_idempotent(s in "\\PC*") {
        let n = nfc(&s).into_owned();
        prop_assert_eq!(nfc(&n).into_owned(), n.clone());
        let c = canonical(&s).into_owned();
        prop_assert_eq!(canonical(&c).into_owned(), c);
        let t = fold_tones(&s);
        prop_assert_eq!(fold_tones(&t), t);
        let f = fold_search(&s);
        prop_assert_eq!(fold_search(&f), f);
        let _ = check(&s, Kind::CongVan);
    }

    #[test]
    fn vietnamese_text_never_panics(s in "[a-zA-ZàáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵĐ \\-;:./\\n]{0,200}") {
        let _ = check(&s, Kind::QuyetDinh);
        prop_assert_eq!(fold_tones(&fold_tones(&s)), fold_tones(&s));
    }
}

proptest! {
    /// The fast path of `nfc` (text made only of characters that are NFC on
    /// their own) agrees with full normalisation.
    #[test]
    fn nfc_fast_path_agrees_with_full_normalisation(s in "[\\u{0}-\\u{2ff}\\u{1e00}-\\u{1eff}\\u{2010}-\\u{206f}]{0,60}") {
        prop_assert_eq!(nfc(&s).into_owned(), s.nfc().collect::<String>());
    }
}
