//! Synthetic drafts repositories for benchmarks and tests: deterministic by
//! seed, in the real format, with revisions by ~20 clerks and about one
//! commit in five a decision signed with generated SSH keys listed in
//! trust.toml. Written straight into a bare repository.

use std::path::Path;

use super::decide::decision_message;
use crate::model::trust::{Member, Role, TrustList};
use crate::model::{Decision, Kind, Meta, Review};
use crate::repo::{Author, DraftRepo, Edit, Error, Result, TRUST_PATH};
use crate::sign::{Signer, seeded_ssh_signer};

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    /// Number of drafts.
    pub drafts: usize,
    /// Number of commits (at least drafts + 1).
    pub commits: usize,
    /// Seed of the generator.
    pub seed: u64,
    /// Lines in each draft at creation.
    pub lines: usize,
}

impl Spec {
    /// S: 200 drafts, 5,000 commits.
    pub const S: Spec = Spec {
        drafts: 200,
        commits: 5_000,
        seed: 1,
        lines: 40,
    };
    /// L: 5,000 drafts, 100,000 commits.
    pub const L: Spec = Spec {
        drafts: 5_000,
        commits: 100_000,
        seed: 2,
        lines: 40,
    };
}

/// A deterministic generator (splitmix64).
pub struct Rng(u64);

impl Rng {
    /// A generator from `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next number.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number below `n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
}

const WORDS: &[&str] = &[
    "tuyên truyền",
    "cải cách hành chính",
    "chuyển đổi số",
    "Ủy ban nhân dân tỉnh",
    "cơ quan",
    "đơn vị",
    "thực hiện",
    "kế hoạch",
    "báo cáo",
    "kết quả",
    "nhiệm vụ",
    "tổ chức",
    "triển khai",
    "hướng dẫn",
    "đôn đốc",
    "kiểm tra",
    "giám sát",
    "người dân",
    "doanh nghiệp",
    "dịch vụ công trực tuyến",
    "hồ sơ",
    "thủ tục hành chính",
    "đúng quy định",
    "kịp thời",
    "hiệu quả",
    "năm 2024",
    "quý II",
    "Sở Thông tin và Truyền thông",
    "huyện Tràng Định",
    "huyện Văn Quan",
    "thành phố Lạng Sơn",
    "an toàn thông tin",
    "nền tảng số",
    "chính quyền số",
    "xã hội số",
    "kinh tế số",
];

/// A sentence of Vietnamese administrative prose.
pub fn sentence(rng: &mut Rng) -> String {
    let n = 8 + rng.below(14);
    let mut words: Vec<&str> = (0..n).map(|_| WORDS[rng.below(WORDS.len())]).collect();
    words.dedup();
    let mut s = words.join(" ");
    if let Some(first) = s.chars().next() {
        let upper: String = first.to_uppercase().collect();
        s.replace_range(..first.len_utf8(), &upper);
    }
    s.push('.');
    s
}

/// A draft of `lines` lines in the form of a công văn.
pub fn document(rng: &mut Rng, lines: usize, title: &str) -> Vec<String> {
    let mut out: Vec<String> = [
        "UBND TỈNH LẠNG SƠN",
        "SỞ THÔNG TIN VÀ TRUYỀN THÔNG",
        "",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "",
        "Số: /STTTT-VP",
        "",
        "Lạng Sơn, ngày   tháng 3 năm 2024",
        "",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    out.push(format!("V/v {title}"));
    out.push(String::new());
    for i in 0..lines {
        out.push(if i % 3 == 2 {
            String::new()
        } else {
            sentence(rng)
        });
    }
    out.extend(
        [
            "",
            "Nơi nhận:",
            "",
            "- Như trên;",
            "- Lưu: VT, VP.",
            "",
            "**GIÁM ĐỐC**",
            "",
            "Hoàng Văn Kiên",
        ]
        .iter()
        .map(|s| s.to_string()),
    );
    out
}

/// Replaces about `edits` scattered body lines with new sentences.
pub fn revise(rng: &mut Rng, doc: &mut [String], edits: usize) {
    let body = 12..doc.len().saturating_sub(9);
    if body.is_empty() {
        return;
    }
    for _ in 0..edits {
        let i = body.start + rng.below(body.len());
        if !doc[i].is_empty() {
            doc[i] = sentence(rng);
        }
    }
}

fn join(doc: &[String]) -> String {
    let mut s = doc.join("\n");
    s.push('\n');
    s
}

/// What was generated.
#[derive(Debug, Clone)]
pub struct Generated {
    /// Draft ids with their folder.
    pub drafts: Vec<(String, String)>,
    /// Commits written.
    pub commits: usize,
    /// Decisions among them.
    pub decisions: usize,
}

/// Generates a bare repository at `dir` following `spec`. `progress` is told
/// the number of commits written, every thousand.
pub fn generate(dir: &Path, spec: &Spec, progress: &mut dyn FnMut(usize)) -> Result<Generated> {
    let repo = DraftRepo::init_bare(dir)?;
    let mut rng = Rng::new(spec.seed);
    let clerks: Vec<(String, String)> = (0..20)
        .map(|i| {
            (
                format!("Chuyên viên {i:02}"),
                format!("cv{i:02}@stttt.langson.gov.vn"),
            )
        })
        .collect();
    let mut approvers: Vec<(Author, Signer)> = Vec::new();
    let mut members = Vec::new();
    for i in 0..4u8 {
        let mut seed = [0u8; 32];
        seed[..8].copy_from_slice(&spec.seed.to_le_bytes());
        seed[31] = i;
        let email = format!("ld{i}@stttt.langson.gov.vn");
        let (signer, public) =
            seeded_ssh_signer(seed, &email).map_err(|e| Error::Sign(e.to_string()))?;
        let name = format!("Lãnh đạo {i}");
        members.push(Member {
            name: name.clone(),
            email: email.clone(),
            roles: if i == 0 {
                vec![Role::Approver, Role::Admin]
            } else {
                vec![Role::Approver]
            },
            ssh: vec![public],
            openpgp: vec![],
            x509: vec![],
            units: vec![],
        });
        approvers.push((
            Author {
                name,
                email,
                time: None,
            },
            signer,
        ));
    }
    members.extend(clerks.iter().map(|(n, e)| Member {
        name: n.clone(),
        email: e.clone(),
        roles: vec![Role::Drafter],
        ssh: vec![],
        openpgp: vec![],
        x509: vec![],
        units: vec![],
    }));
    // 2020-01-01 08:00 +07:00, one commit about every 40 minutes.
    let mut clock: i64 = 1_577_840_400;
    let mut tick = |rng: &mut Rng| {
        clock += 600 + rng.below(3600) as i64;
        Some((clock, 7 * 60))
    };
    let trust = toml::to_string(&TrustList { members }).map_err(|e| Error::Sign(e.to_string()))?;
    let plan = repo.prepare_commit(
        &[Edit::Put {
            path: TRUST_PATH.into(),
            content: trust.into_bytes(),
        }],
        "Danh sách tin cậy",
        &Author {
            time: tick(&mut rng),
            ..approvers[0].0.clone()
        },
    )?;
    let sig = approvers[0]
        .1
        .sign(plan.buffer.as_bytes(), None)
        .map_err(|e| Error::Sign(e.to_string()))?;
    repo.finish_commit(&plan, Some(&sig))?;

    let mut docs: Vec<Vec<String>> = Vec::new();
    let mut blobs: Vec<String> = Vec::new();
    let mut drafts = Vec::new();
    let mut decisions = 0;
    let years = 5;
    for n in 1..spec.commits.max(spec.drafts + 1) {
        let clerk = &clerks[rng.below(clerks.len())];
        if n <= spec.drafts {
            let i = n - 1;
            let year = 2020 + (i * years / spec.drafts.max(1));
            let id = format!("cv-{i:05}");
            let title = format!("{} số {i}", sentence(&mut rng).trim_end_matches('.'));
            let doc = document(&mut rng, spec.lines, &title);
            let folder = format!("drafts/{year}/{id}");
            let meta = Meta {
                title,
                kind: Kind::CongVan,
                body: "Sở Thông tin và Truyền thông tỉnh Lạng Sơn".into(),
                unit: "VP".into(),
                drafter: clerk.0.clone(),
                signer: "Giám đốc".into(),
            };
            let text = join(&doc);
            let edits = [
                Edit::Put {
                    path: format!("{folder}/draft.md"),
                    content: text.clone().into_bytes(),
                },
                Edit::Put {
                    path: format!("{folder}/meta.toml"),
                    content: toml::to_string(&meta)
                        .map_err(|e| Error::Sign(e.to_string()))?
                        .into_bytes(),
                },
            ];
            let author = Author {
                name: clerk.0.clone(),
                email: clerk.1.clone(),
                time: tick(&mut rng),
            };
            let plan = repo.prepare_commit(&edits, &format!("Dự thảo {id}"), &author)?;
            repo.finish_commit(&plan, None)?;
            blobs.push(crate::repo::blob_id(text.as_bytes())?);
            docs.push(doc);
            drafts.push((id, folder));
        } else if rng.below(5) == 0 {
            let i = rng.below(drafts.len());
            let (id, folder) = &drafts[i];
            let (author, signer) = &approvers[rng.below(approvers.len())];
            let decision = if rng.below(3) == 0 {
                Decision::Returned
            } else {
                Decision::Approved
            };
            let time = tick(&mut rng);
            let review = Review {
                decision,
                revision: blobs[i].clone(),
                reviewer: author.name.clone(),
                email: author.email.clone(),
                time: time
                    .and_then(|(secs, off)| {
                        let offset = jiff::tz::Offset::from_seconds(off * 60).ok()?;
                        let ts = jiff::Timestamp::from_second(secs).ok()?;
                        Some(ts.display_with_offset(offset).to_string())
                    })
                    .unwrap_or_default(),
                comment: if decision == Decision::Returned {
                    sentence(&mut rng)
                } else {
                    String::new()
                },
                notes: vec![],
            };
            let msg = decision_message(&format!("V/v {id}"), &review, id);
            let edits = [Edit::Put {
                path: format!("{folder}/review.toml"),
                content: toml::to_string(&review)
                    .map_err(|e| Error::Sign(e.to_string()))?
                    .into_bytes(),
            }];
            let plan = repo.prepare_commit(
                &edits,
                &msg,
                &Author {
                    time,
                    ..author.clone()
                },
            )?;
            let sig = signer
                .sign(plan.buffer.as_bytes(), None)
                .map_err(|e| Error::Sign(e.to_string()))?;
            repo.finish_commit(&plan, Some(&sig))?;
            decisions += 1;
        } else {
            let i = rng.below(drafts.len());
            let edits_n = 1 + rng.below(3);
            revise(&mut rng, &mut docs[i], edits_n);
            let text = join(&docs[i]);
            let (id, folder) = &drafts[i];
            let edits = [Edit::Put {
                path: format!("{folder}/draft.md"),
                content: text.clone().into_bytes(),
            }];
            let author = Author {
                name: clerk.0.clone(),
                email: clerk.1.clone(),
                time: tick(&mut rng),
            };
            let plan = repo.prepare_commit(&edits, &format!("Sửa {id}"), &author)?;
            repo.finish_commit(&plan, None)?;
            blobs[i] = crate::repo::blob_id(text.as_bytes())?;
        }
        if n.is_multiple_of(1000) {
            progress(n);
        }
    }
    Ok(Generated {
        drafts,
        commits: spec.commits.max(spec.drafts + 1),
        decisions,
    })
}

/// Two revisions of a `lines`-line document with about `edits` scattered edits.
pub fn big_pair(lines: usize, edits: usize, seed: u64) -> (String, String) {
    let mut rng = Rng::new(seed);
    let mut doc = document(&mut rng, lines, "Tài liệu lớn");
    let old = join(&doc);
    revise(&mut rng, &mut doc, edits);
    (old, join(&doc))
}
