//! Adds a draft "big-20k" to a (bare) drafts repository: two revisions of a
//! 20,000-line document with ~200 scattered edits, for benches/memory.sh.

use duyet::ops::synth::big_pair;
use duyet::repo::{Author, DraftRepo, Edit};

fn main() {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: bigpair REPO");
        std::process::exit(2);
    };
    let run = || -> Result<(), duyet::repo::Error> {
        let repo = DraftRepo::open(Some(std::path::Path::new(&dir)))?;
        let (old, new) = big_pair(20_000, 200, 7);
        let author = Author {
            name: "Chuyên viên".into(),
            email: "cv@example.vn".into(),
            time: None,
        };
        let folder = "drafts/2024/big-20k";
        let meta = "title = \"Tài liệu lớn (big)\"\nkind = \"cong-van\"\nunit = \"VP\"\n";
        for (i, text) in [old, new].into_iter().enumerate() {
            let mut edits = vec![Edit::Put {
                path: format!("{folder}/draft.md"),
                content: text.into_bytes(),
            }];
            if i == 0 {
                edits.push(Edit::Put {
                    path: format!("{folder}/meta.toml"),
                    content: meta.as_bytes().to_vec(),
                });
            }
            let plan =
                repo.prepare_commit(&edits, &format!("Tài liệu lớn, bản {}", i + 1), &author)?;
            repo.finish_commit(&plan, None)?;
        }
        Ok(())
    };
    if let Err(e) = run() {
        eprintln!("bigpair: {e}");
        std::process::exit(2);
    }
}
