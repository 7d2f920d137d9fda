//! Listing the drafts at HEAD: one tree read and a few small blobs, no history.

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use git2::{ObjectType, Tree};

use super::{DRAFTS_DIR, DraftRepo, Error, Result, blob_text, parse_toml};
use crate::model::id::{is_valid_id, is_valid_year};
use crate::model::policy::Policy;
use crate::model::{DraftSummary, Meta, Review, Status, Step, StepReview};

/// The drafts at a commit, and the drafts that could not be read.
#[derive(Debug, Default)]
pub struct Listing {
    /// Readable drafts, in repository order (year, then id).
    pub drafts: Vec<DraftSummary>,
    /// One error per draft folder that could not be read.
    pub problems: Vec<Error>,
    /// Folders under `drafts/` whose name is not a year or a draft id, as
    /// paths (invalid UTF-8 replaced). Never used to build a path: print
    /// them through `model::safe`.
    pub invalid: Vec<String>,
}

/// What the listing keeps of a draft folder, by its tree id.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Cached {
    meta: Meta,
    review: Option<Review>,
    draft_blob: String,
    #[serde(default)]
    review_blob: Option<String>,
    /// The folder's tree was checked (older caches did not) and was sound.
    #[serde(default)]
    checked: bool,
    #[serde(default)]
    sound: bool,
    /// The step decisions (older caches did not read them).
    #[serde(default)]
    steps: Option<Vec<StepReview>>,
}

impl DraftRepo {
    /// Lists the drafts at HEAD with their status (design.md section 2).
    pub fn list(&self) -> Result<Listing> {
        let tree = self.head_commit()?.tree()?;
        self.list_tree(&tree)
    }

    /// Lists the drafts in `tree`. What each draft folder holds is cached
    /// under `.git/duyet/list.json` by the folder's tree id (content
    /// addressed, so never stale): an unchanged folder is not read again.
    pub(crate) fn list_tree(&self, tree: &Tree<'_>) -> Result<Listing> {
        let mut listing = Listing::default();
        let Ok(drafts) = tree.get_path(Path::new(DRAFTS_DIR)) else {
            return Ok(listing);
        };
        let policy = match self.policy_in(tree) {
            Ok(p) => p,
            Err(e) => {
                listing.problems.push(e);
                Policy::default()
            }
        };
        let cache_file = self.git_dir().join("duyet").join("list.json");
        let mut cache: HashMap<String, Cached> = std::fs::read(&cache_file)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        let mut fresh: HashMap<String, Cached> = HashMap::with_capacity(cache.len());
        let mut misses = 0usize;
        let odb = self.repo.odb()?;
        let faulty = |id: git2::Oid| -> Result<bool> {
            Ok(!super::rawtree::tree_faults(odb.read(id)?.data()).is_empty())
        };
        let root_sound = !super::rawtree::tree_faults(odb.read(tree.id())?.data())
            .iter()
            .any(super::facts::fault_concerns_root)
            && !faulty(drafts.id())?;
        let drafts = self.repo.find_tree(drafts.id())?;
        for year in drafts.iter() {
            if year.kind() != Some(ObjectType::Tree) {
                continue;
            }
            let year_name = String::from_utf8_lossy(year.name_bytes()).into_owned();
            if !is_valid_year(&year_name) {
                listing.invalid.push(format!("{DRAFTS_DIR}/{year_name}"));
                continue;
            }
            let year_tree = self.repo.find_tree(year.id())?;
            let year_sound = root_sound && !faulty(year.id())?;
            for draft in year_tree.iter() {
                if draft.kind() != Some(ObjectType::Tree) {
                    continue;
                }
                let id = String::from_utf8_lossy(draft.name_bytes()).into_owned();
                let path = format!("{DRAFTS_DIR}/{year_name}/{id}");
                if !is_valid_id(&id) {
                    listing.invalid.push(path);
                    continue;
                }
                let key = draft.id().to_string();
                let cached = match cache
                    .remove(&key)
                    .filter(|c| c.checked && c.steps.is_some())
                {
                    Some(c) => c,
                    None => {
                        misses += 1;
                        let draft_tree = self.repo.find_tree(draft.id())?;
                        match self.read_summary(&draft_tree, &year_name, &id, &path) {
                            Ok(s) => Cached {
                                meta: s.meta,
                                review: s.review,
                                draft_blob: s.draft_blob,
                                review_blob: s.review_blob,
                                checked: true,
                                sound: !faulty(draft.id())?,
                                steps: Some(s.steps),
                            },
                            Err(e) => {
                                listing.problems.push(e);
                                continue;
                            }
                        }
                    }
                };
                listing.drafts.push(DraftSummary {
                    status: Status::of(cached.review.as_ref(), &cached.draft_blob),
                    id,
                    year: year_name.clone(),
                    path,
                    meta: cached.meta.clone(),
                    review: cached.review.clone(),
                    draft_blob: cached.draft_blob.clone(),
                    review_blob: cached.review_blob.clone(),
                    sound: year_sound && cached.sound,
                    verified: None,
                    steps: cached.steps.clone().unwrap_or_default(),
                    required: policy.required(cached.meta.kind),
                });
                fresh.insert(key, cached);
            }
        }
        if misses > 0 || !cache.is_empty() {
            // A cache that cannot be written (read-only repository) only costs time.
            if let Ok(bytes) = serde_json::to_vec(&fresh) {
                let _ = std::fs::create_dir_all(cache_file.parent().unwrap_or(Path::new(".")));
                let tmp = cache_file.with_extension(format!("tmp{}", std::process::id()));
                if std::fs::write(&tmp, bytes).is_ok() {
                    let _ = std::fs::rename(&tmp, &cache_file);
                }
            }
        }
        Ok(listing)
    }

    fn read_summary(
        &self,
        tree: &Tree<'_>,
        year: &str,
        id: &str,
        path: &str,
    ) -> Result<DraftSummary> {
        let draft = tree.get_name("draft.md").ok_or(Error::Incomplete {
            path: path.to_string(),
            file: "draft.md",
        })?;
        let meta_entry = tree.get_name("meta.toml").ok_or(Error::Incomplete {
            path: path.to_string(),
            file: "meta.toml",
        })?;
        let meta_path = format!("{path}/meta.toml");
        let meta_blob = self.repo.find_blob(meta_entry.id())?;
        let meta: Meta = parse_toml(&meta_path, &blob_text(&meta_blob, &meta_path)?)?;
        let (review, review_blob) = match tree.get_name("review.toml") {
            Some(e) => {
                let rpath = format!("{path}/review.toml");
                let blob = self.repo.find_blob(e.id())?;
                (
                    Some(parse_toml::<Review>(&rpath, &blob_text(&blob, &rpath)?)?),
                    Some(e.id().to_string()),
                )
            }
            None => (None, None),
        };
        let mut steps = Vec::new();
        for step in Step::ROUTE {
            if let Some(e) = tree.get_name(step.file()) {
                let spath = format!("{path}/{}", step.file());
                let blob = self.repo.find_blob(e.id())?;
                steps.push(StepReview {
                    step,
                    review: parse_toml::<Review>(&spath, &blob_text(&blob, &spath)?)?,
                    blob: e.id().to_string(),
                    verified: None,
                });
            }
        }
        let draft_blob = draft.id().to_string();
        let status = Status::of(review.as_ref(), &draft_blob);
        Ok(DraftSummary {
            id: id.to_string(),
            year: year.to_string(),
            path: path.to_string(),
            meta,
            review,
            draft_blob,
            status,
            review_blob,
            sound: super::rawtree::tree_faults(self.repo.odb()?.read(tree.id())?.data()).is_empty(),
            verified: None,
            steps,
            required: Vec::new(),
        })
    }

    /// Finds one draft at HEAD by id, reading only its own folder.
    /// An id that is not valid is refused ([`Error::InvalidId`]), so the
    /// summary's id and path are always safe to join onto a folder.
    pub fn draft(&self, id: &str) -> Result<DraftSummary> {
        if !is_valid_id(id) {
            return Err(Error::InvalidId(id.to_string()));
        }
        let tree = self.head_commit()?.tree()?;
        if let Some(drafts) = tree
            .get_path(Path::new(DRAFTS_DIR))
            .ok()
            .and_then(|e| self.repo.find_tree(e.id()).ok())
        {
            let years = drafts.iter().filter(|e| {
                e.kind() == Some(ObjectType::Tree)
                    && std::str::from_utf8(e.name_bytes()).is_ok_and(is_valid_year)
            });
            for year in years {
                let year_tree = self.repo.find_tree(year.id())?;
                if let Some(entry) = year_tree
                    .get_name(id)
                    .filter(|e| e.kind() == Some(ObjectType::Tree))
                {
                    let year_name = String::from_utf8_lossy(year.name_bytes()).into_owned();
                    let path = format!("{DRAFTS_DIR}/{year_name}/{id}");
                    let draft_tree = self.repo.find_tree(entry.id())?;
                    let mut d = self.read_summary(&draft_tree, &year_name, id, &path)?;
                    // A policy that cannot be read is the judge's finding.
                    d.required = self
                        .policy_in(&tree)
                        .map(|p| p.required(d.meta.kind))
                        .unwrap_or_default();
                    return Ok(d);
                }
            }
        }
        Err(Error::NoSuchDraft(id.to_string()))
    }
}
