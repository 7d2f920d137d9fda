//! `duyet demo`: a drafts repository with a realistic history, built from
//! the sample drafts embedded in the binary.

use std::path::{Path, PathBuf};

use unicode_normalization::UnicodeNormalization;

use super::{DecisionRequest, decide, decide_step};
use crate::model::trust::{Member, Role, TrustList};
use crate::model::{Decision, Note, Step};
use crate::repo::{Author, DraftRepo, Edit, Error, POLICY_PATH, Result, TRUST_PATH};
use crate::sign::{Format, SignConfig, Signer, generate_key};

/// A sample draft shipped with duyet: (id, draft.md, meta.toml).
pub struct Sample {
    /// The draft id.
    pub id: &'static str,
    /// Final text.
    pub draft: &'static str,
    /// meta.toml.
    pub meta: &'static str,
}

macro_rules! sample {
    ($id:literal) => {
        Sample {
            id: $id,
            draft: include_str!(concat!("../../drafts/2024/", $id, "/draft.md")),
            meta: include_str!(concat!("../../drafts/2024/", $id, "/meta.toml")),
        }
    };
}

/// The sample drafts (all opened in 2024).
pub const SAMPLES: [Sample; 6] = [
    sample!("cv-tuyen-truyen-cchc"),
    sample!("qd-to-bien-tap-trang-ttdt"),
    sample!("kh-chuyen-doi-so-2024"),
    sample!("tb-lich-tiep-cong-dan"),
    sample!("tt-kinh-phi-ha-tang-so"),
    sample!("bc-cchc-quy-i"),
];

/// The id of the seed công văn.
pub const SEED_ID: &str = "cv-tuyen-truyen-cchc";

/// The demo approver.
pub const APPROVER: (&str, &str) = ("Trần Thu Hà", "ha.tt@stttt.langson.gov.vn");

/// The head of the drafting unit TTBCXB (Trưởng phòng Thông tin - Báo chí -
/// Xuất bản): the content check of that unit's drafts.
pub const UNIT_HEAD: (&str, &str) = ("Phạm Văn Tùng", "tung.pv@stttt.langson.gov.vn");

/// The Chánh Văn phòng: the form check of every draft, and the content
/// check of the Văn phòng's own drafts (unit VP).
pub const CHIEF_OF_OFFICE: (&str, &str) = ("Hoàng Thị Lan", "lan.ht@stttt.langson.gov.vn");

/// The demo's route policy: the content and form checks before the
/// leader's decision (Nghị định 30, Điều 12), the form check only for a
/// tờ trình.
pub const POLICY: &str = "# Luồng trình duyệt (Nghị định 30/2020/NĐ-CP, Điều 12): các bước kiểm tra\n# trước khi trình lãnh đạo ký. Chỉ quản trị (admin) được sửa tệp này.\n[route]\ncong-van = [\"content\", \"form\"]\nquyet-dinh = [\"content\", \"form\"]\nke-hoach = [\"content\", \"form\"]\nthong-bao = [\"content\", \"form\"]\nbao-cao = [\"content\", \"form\"]\nto-trinh = [\"form\"]\n";

const CLERKS: [(&str, &str); 3] = [
    ("Lương Minh Vũ", "vu.lm@stttt.langson.gov.vn"),
    ("Nông Thị Hạnh", "hanh.nt@stttt.langson.gov.vn"),
    ("Hoàng Đức Anh", "anh.hd@stttt.langson.gov.vn"),
];

fn sample(id: &str) -> &'static Sample {
    SAMPLES.iter().find(|s| s.id == id).unwrap_or(&SAMPLES[0])
}

fn path_of(id: &str, file: &str) -> String {
    format!("drafts/2024/{id}/{file}")
}

/// Replaces the `n`-th (0-based) and later occurrences of `from`.
fn replace_from(text: &str, from: &str, to: &str, n: usize) -> String {
    let mut out = String::new();
    let mut rest = text;
    let mut i = 0;
    while let Some(pos) = rest.find(from) {
        out.push_str(&rest[..pos]);
        out.push_str(if i >= n { to } else { from });
        rest = &rest[pos + from.len()..];
        i += 1;
    }
    out.push_str(rest);
    out
}

/// The header the seed's second revision adds (the seed as given lacks it).
const SEED_HEADER: &str = "UBND TỈNH LẠNG SƠN\nSỞ THÔNG TIN VÀ TRUYỀN THÔNG\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\n";

/// The text of the seed draft as it was first submitted: no Quốc hiệu or
/// issuing body, and the "Trảng Định" typo in the last two places.
pub fn seed_first_revision() -> String {
    let text = sample(SEED_ID).draft;
    let body = text.strip_prefix(SEED_HEADER).unwrap_or(text);
    replace_from(body, "Tràng Định", "Trảng Định", 2)
}

/// Where the demo keeps its approver's key (inside `.git`, never committed).
pub fn demo_key_path(repo: &DraftRepo) -> PathBuf {
    repo.git_dir().join("duyet-demo").join("approver_ed25519")
}

/// Where the demo keeps the unit head's key.
pub fn unit_head_key_path(repo: &DraftRepo) -> PathBuf {
    repo.git_dir().join("duyet-demo").join("unit_head_ed25519")
}

/// Where the demo keeps the Chánh Văn phòng's key.
pub fn chief_of_office_key_path(repo: &DraftRepo) -> PathBuf {
    repo.git_dir()
        .join("duyet-demo")
        .join("chief_of_office_ed25519")
}

/// The in-process signer of the SSH key at `path`.
fn ssh_signer(path: &Path) -> Result<Signer> {
    SignConfig {
        format: Format::Ssh,
        key: Some(path.display().to_string()),
        program: "ssh-keygen".to_string(),
        identity: None,
    }
    .signer()
    .map_err(|e| Error::Sign(e.to_string()))
}

/// How to act as each person of the demo's route, in `vi` or English:
/// the git config lines that sign with their key.
pub fn how_to_act(repo: &DraftRepo, vi: bool) -> String {
    let dir = repo.location();
    let people = [
        (
            UNIT_HEAD,
            unit_head_key_path(repo),
            "trưởng phòng TTBCXB, kiểm tra nội dung: duyet approve ID --step content",
            "head of unit TTBCXB, the content check: duyet approve ID --step content",
        ),
        (
            CHIEF_OF_OFFICE,
            chief_of_office_key_path(repo),
            "Chánh Văn phòng, kiểm tra thể thức: duyet approve ID --step form",
            "Chánh Văn phòng, the form check: duyet approve ID --step form",
        ),
        (
            APPROVER,
            demo_key_path(repo),
            "lãnh đạo Sở, duyệt để ký: duyet approve ID",
            "the leader, the final decision: duyet approve ID",
        ),
    ];
    let mut out = String::from(if vi {
        "Luồng trình duyệt: muốn làm việc với tư cách từng người, hãy ký bằng khóa của họ:\n"
    } else {
        "The route before signing: to act as each person, sign with their key:\n"
    });
    for ((name, _), key, what_vi, what_en) in people {
        out.push_str(&format!(
            "  {name} ({}):\n    git -C {} config user.signingKey {}\n",
            if vi { what_vi } else { what_en },
            dir.display(),
            key.display()
        ));
    }
    out
}

struct Clock(i64);

impl Clock {
    /// Advances by `hours` and returns the time in +07:00.
    fn tick(&mut self, hours: i64) -> Option<(i64, i32)> {
        self.0 += hours * 3600;
        Some((self.0, 7 * 60))
    }
}

fn author(who: (&str, &str), time: Option<(i64, i32)>) -> Author {
    Author {
        name: who.0.to_string(),
        email: who.1.to_string(),
        time,
    }
}

/// Creates the demo repository at `dir` (which must not exist or be empty).
pub fn create(dir: &Path) -> Result<DraftRepo> {
    if dir.exists()
        && std::fs::read_dir(dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        return Err(Error::Io {
            path: dir.to_path_buf(),
            source: std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                "the folder exists and is not empty; choose a new one",
            ),
        });
    }
    let repo = DraftRepo::init(dir)?;
    let key_path = demo_key_path(&repo);
    let public =
        generate_key(&key_path, APPROVER.1, None).map_err(|e| Error::Sign(e.to_string()))?;
    let key_str = key_path.display().to_string();
    let signers = repo.git_dir().join("duyet-demo").join("allowed_signers");
    for (k, v) in [
        ("user.name", APPROVER.0),
        ("user.email", APPROVER.1),
        ("gpg.format", "ssh"),
        ("user.signingkey", key_str.as_str()),
    ] {
        repo.set_local_config(k, v)?;
    }
    let signer = super::signer::signer(&repo).map_err(|e| Error::Sign(e.to_string()))?;
    let unit_head_key = unit_head_key_path(&repo);
    let unit_head_public =
        generate_key(&unit_head_key, UNIT_HEAD.1, None).map_err(|e| Error::Sign(e.to_string()))?;
    let unit_head = ssh_signer(&unit_head_key)?;
    let chief_key = chief_of_office_key_path(&repo);
    let chief_public = generate_key(&chief_key, CHIEF_OF_OFFICE.1, None)
        .map_err(|e| Error::Sign(e.to_string()))?;
    let chief = ssh_signer(&chief_key)?;

    // 2024-02-01 08:00 +07:00
    let mut clock = Clock(1_706_749_200);
    let trust = TrustList {
        members: vec![Member {
            name: APPROVER.0.to_string(),
            email: APPROVER.1.to_string(),
            roles: vec![Role::Approver, Role::Admin],
            ssh: vec![public],
            openpgp: vec![],
            x509: vec![],
            units: vec![],
        }]
        .into_iter()
        .chain([
            Member {
                name: UNIT_HEAD.0.to_string(),
                email: UNIT_HEAD.1.to_string(),
                roles: vec![Role::Content],
                ssh: vec![unit_head_public],
                openpgp: vec![],
                x509: vec![],
                units: vec!["TTBCXB".to_string()],
            },
            Member {
                name: CHIEF_OF_OFFICE.0.to_string(),
                email: CHIEF_OF_OFFICE.1.to_string(),
                roles: vec![Role::Content, Role::Form],
                ssh: vec![chief_public],
                openpgp: vec![],
                x509: vec![],
                units: vec!["VP".to_string()],
            },
        ])
        .chain(CLERKS.iter().map(|c| Member {
            name: c.0.to_string(),
            email: c.1.to_string(),
            roles: vec![Role::Drafter],
            ssh: vec![],
            openpgp: vec![],
            x509: vec![],
            units: vec![],
        }))
        .collect(),
    };
    std::fs::write(&signers, trust.allowed_signers()).map_err(|source| Error::Io {
        path: signers.clone(),
        source,
    })?;
    repo.set_local_config("gpg.ssh.allowedsignersfile", &signers.display().to_string())?;
    let trust_text = toml::to_string(&trust).map_err(|e| Error::Sign(e.to_string()))?;
    let plan = repo.prepare_commit(
        &[Edit::Put {
            path: TRUST_PATH.to_string(),
            content: trust_text.into_bytes(),
        }],
        "Danh sách tin cậy: người duyệt và chuyên viên của Sở",
        &author(APPROVER, clock.tick(0)),
    )?;
    let sig = signer
        .sign(plan.buffer.as_bytes(), None)
        .map_err(|e| Error::Sign(e.to_string()))?;
    let intro = repo.finish_commit(&plan, Some(&sig))?;
    // The office hands this pin to its staff; the demo pins it for you.
    let key = crate::audit::pin::signer_fingerprint(&repo, &intro)?.map_err(Error::Sign)?;
    crate::audit::pin::set_pin(
        &repo,
        &crate::audit::Pin {
            commit: intro.clone(),
            key,
        },
    )?;

    // The route policy, by the admin (changed only by an admin, as trust.toml).
    let plan = repo.prepare_commit(
        &[Edit::Put {
            path: POLICY_PATH.to_string(),
            content: POLICY.as_bytes().to_vec(),
        }],
        "Luồng trình duyệt: kiểm tra nội dung và thể thức trước khi trình ký",
        &author(APPROVER, clock.tick(0)),
    )?;
    let sig = signer
        .sign(plan.buffer.as_bytes(), None)
        .map_err(|e| Error::Sign(e.to_string()))?;
    super::record::record(&repo, &plan, &sig)?;

    let revise = |id: &str, text: &str, who: (&str, &str), time, msg: &str, with_meta: bool| {
        let mut edits = vec![Edit::Put {
            path: path_of(id, "draft.md"),
            content: text.as_bytes().to_vec(),
        }];
        if with_meta {
            edits.push(Edit::Put {
                path: path_of(id, "meta.toml"),
                content: sample(id).meta.as_bytes().to_vec(),
            });
        }
        let plan = repo.prepare_commit(&edits, msg, &author(who, time))?;
        repo.finish_commit(&plan, None)
    };
    let decide_on = |id: &str, decision, comment: &str, notes: Vec<Note>, time| {
        let req = DecisionRequest {
            id: id.to_string(),
            decision,
            revision: None,
            comment: comment.to_string(),
            notes,
            author: Some(author(APPROVER, time)),
        };
        decide(&repo, &req, &signer, None)
    };
    // A step of the route, by the unit head or the Chánh Văn phòng.
    let step_on = |id: &str,
                   step: Step,
                   decision,
                   comment: &str,
                   who: ((&str, &str), &Signer),
                   time: Option<(i64, i32)>| {
        let req = DecisionRequest {
            id: id.to_string(),
            decision,
            revision: None,
            comment: comment.to_string(),
            notes: vec![],
            author: Some(author(who.0, time)),
        };
        decide_step(&repo, &req, step, who.1, None)
    };
    // Minutes after the clock, without moving it.
    let at = |clock: &Clock, minutes: i64| Some((clock.0 + minutes * 60, 7 * 60));
    let [vu, hanh, anh] = CLERKS;

    let cv = SEED_ID;
    revise(
        cv,
        &seed_first_revision(),
        vu,
        clock.tick(2),
        "Dự thảo công văn tuyên truyền CCHC năm 2024",
        true,
    )?;

    let qd = "qd-to-bien-tap-trang-ttdt";
    let qd_final = sample(qd).draft;
    let qd_first = qd_final
        .replace("Giám đốc Trung tâm Công nghệ số; ", "")
        .replace("Quyết định này có hiệu lực kể từ ngày ký. ", "");
    revise(
        qd,
        &qd_first,
        hanh,
        clock.tick(1),
        "Dự thảo quyết định kiện toàn Ban Biên tập",
        true,
    )?;

    let kh = "kh-chuyen-doi-so-2024";
    revise(
        kh,
        sample(kh).draft,
        vu,
        clock.tick(3),
        "Dự thảo kế hoạch tuyên truyền chuyển đổi số",
        true,
    )?;

    let tb = "tb-lich-tiep-cong-dan";
    let tb_final = sample(tb).draft;
    let tb_first = tb_final.replace("07 giờ 30 phút", "07 giờ 00 phút");
    revise(
        tb,
        &tb_first,
        hanh,
        clock.tick(20),
        "Dự thảo thông báo lịch tiếp công dân quý II",
        true,
    )?;

    let qd_second_msg = "Bổ sung thành viên và hiệu lực thi hành theo góp ý của Văn phòng";
    revise(qd, qd_final, hanh, clock.tick(2), qd_second_msg, false)?;

    step_on(
        tb,
        Step::Content,
        Decision::Approved,
        "Nội dung đúng lịch tiếp công dân của Lãnh đạo Sở.",
        (CHIEF_OF_OFFICE, &chief),
        at(&clock, 20),
    )?;
    step_on(
        tb,
        Step::Form,
        Decision::Approved,
        "Thể thức đúng Nghị định 30.",
        (CHIEF_OF_OFFICE, &chief),
        at(&clock, 40),
    )?;
    decide_on(
        tb,
        Decision::Approved,
        "Đồng ý ban hành.",
        vec![],
        clock.tick(1),
    )?;

    let kh_line = sample(kh)
        .draft
        .lines()
        .position(|l| l.starts_with("II. NỘI DUNG"))
        .map(|i| i + 1)
        .unwrap_or(1);
    decide_on(
        kh,
        Decision::Returned,
        "Đề nghị bổ sung nội dung tuyên truyền về bảo đảm an toàn thông tin mạng và ghi rõ thời gian thực hiện từng nhiệm vụ.",
        vec![Note {
            line: kh_line,
            text: "Thêm mục 4: an toàn thông tin mạng, kỹ năng số cho người dân.".to_string(),
        }],
        clock.tick(2),
    )?;

    let bc = "bc-cchc-quy-i";
    let bc_final = sample(bc).draft;
    let bc_first = bc_final
        .replace("1.198 hồ sơ", "1.189 hồ sơ")
        .replace("(đạt 96,2%)", "(đạt 95,5%)");
    revise(
        bc,
        &bc_first,
        hanh,
        clock.tick(18),
        "Dự thảo báo cáo CCHC quý I",
        true,
    )?;
    decide_on(
        bc,
        Decision::Returned,
        "Số liệu hồ sơ trực tuyến chưa khớp với báo cáo của Trung tâm Phục vụ hành chính công; đề nghị kiểm tra lại.",
        vec![],
        clock.tick(3),
    )?;

    let tt = "tt-kinh-phi-ha-tang-so";
    revise(
        tt,
        sample(tt).draft,
        anh,
        clock.tick(20),
        "Dự thảo tờ trình bổ sung kinh phí hạ tầng số",
        true,
    )?;

    step_on(
        qd,
        Step::Content,
        Decision::Approved,
        "Thành phần Ban Biên tập đã đủ theo góp ý.",
        (CHIEF_OF_OFFICE, &chief),
        at(&clock, 20),
    )?;
    step_on(
        qd,
        Step::Form,
        Decision::Approved,
        "",
        (CHIEF_OF_OFFICE, &chief),
        at(&clock, 40),
    )?;
    decide_on(
        qd,
        Decision::Approved,
        "Nhất trí. Chuyển Văn thư phát hành.",
        vec![],
        clock.tick(2),
    )?;

    revise(
        bc,
        bc_final,
        hanh,
        clock.tick(22),
        "Cập nhật số liệu hồ sơ trực tuyến theo ý kiến Lãnh đạo Sở",
        false,
    )?;
    revise(
        tb,
        tb_final,
        hanh,
        clock.tick(3),
        "Sửa giờ bắt đầu tiếp công dân",
        false,
    )?;
    step_on(
        tb,
        Step::Content,
        Decision::Returned,
        "Giờ tiếp công dân phải khớp lịch công tác của Lãnh đạo Sở đã ban hành; đề nghị kiểm tra lại.",
        (CHIEF_OF_OFFICE, &chief),
        at(&clock, 30),
    )?;
    let tt_nfd: String = sample(tt).draft.nfd().collect();
    revise(tt, &tt_nfd, anh, clock.tick(2), "Lưu lại từ máy Mac", false)?;
    step_on(
        tt,
        Step::Form,
        Decision::Approved,
        "Thể thức đúng; trình Giám đốc ký.",
        (CHIEF_OF_OFFICE, &chief),
        at(&clock, 20),
    )?;
    revise(
        cv,
        sample(cv).draft,
        vu,
        clock.tick(4),
        "Bổ sung Quốc hiệu, tên cơ quan; sửa lỗi chính tả: Tràng Định",
        false,
    )?;
    step_on(
        cv,
        Step::Content,
        Decision::Approved,
        "Đã sửa theo ý kiến; trình kiểm tra thể thức.",
        (UNIT_HEAD, &unit_head),
        at(&clock, 30),
    )?;
    Ok(repo)
}

/// A fresh folder for the demo under the system temp dir.
pub fn default_dir() -> PathBuf {
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0);
    std::env::temp_dir().join(format!("duyet-demo-{}-{stamp}", std::process::id()))
}
