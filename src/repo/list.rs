//! Listing the drafts at HEAD: one tree read and a few small blobs, no history.

use std::path::Path;

use git2::{ObjectType, Tree};

use super::{DRAFTS_DIR, DraftRepo, Error, Result, blob_text, parse_toml};
use crate::model::{DraftSummary, Meta, Review, Status};

/// The drafts at a commit, and the drafts that could not be read.
#[derive(Debug, Default)]
pub struct Listing {
    /// Readable drafts, in repository order (year, then id).
    pub drafts: Vec<DraftSummary>,
    /// One error per draft folder that could not be read.
    pub problems: Vec<Error>,
}

impl DraftRepo {
    /// Lists the drafts at HEAD with their status (design.md section 2).
    pub fn list(&self) -> Result<Listing> {
        let tree = self.head_commit()?.tree()?;
        self.list_tree(&tree)
    }

    /// Lists the drafts in `tree`.
    pub(crate) fn list_tree(&self, tree: &Tree<'_>) -> Result<Listing> {
        let mut listing = Listing::default();
        let Ok(drafts) = tree.get_path(Path::new(DRAFTS_DIR)) else {
            return Ok(listing);
        };
        let drafts = self.repo.find_tree(drafts.id())?;
        for year in drafts.iter() {
            if year.kind() != Some(ObjectType::Tree) {
                continue;
            }
            let year_name = String::from_utf8_lossy(year.name_bytes()).into_owned();
            let year_tree = self.repo.find_tree(year.id())?;
            for draft in year_tree.iter() {
                if draft.kind() != Some(ObjectType::Tree) {
                    continue;
                }
                let id = String::from_utf8_lossy(draft.name_bytes()).into_owned();
                let path = format!("{DRAFTS_DIR}/{year_name}/{id}");
                let draft_tree = self.repo.find_tree(draft.id())?;
                match self.read_summary(&draft_tree, &year_name, &id, &path) {
                    Ok(s) => listing.drafts.push(s),
                    Err(e) => listing.problems.push(e),
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
        let review = match tree.get_name("review.toml") {
            Some(e) => {
                let rpath = format!("{path}/review.toml");
                let blob = self.repo.find_blob(e.id())?;
                Some(parse_toml::<Review>(&rpath, &blob_text(&blob, &rpath)?)?)
            }
            None => None,
        };
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
        })
    }

    /// Finds one draft at HEAD by id, reading only its own folder.
    pub fn draft(&self, id: &str) -> Result<DraftSummary> {
        let tree = self.head_commit()?.tree()?;
        if let Some(drafts) = tree
            .get_path(Path::new(DRAFTS_DIR))
            .ok()
            .and_then(|e| self.repo.find_tree(e.id()).ok())
        {
            for year in drafts.iter().filter(|e| e.kind() == Some(ObjectType::Tree)) {
                let year_tree = self.repo.find_tree(year.id())?;
                if let Some(entry) = year_tree
                    .get_name(id)
                    .filter(|e| e.kind() == Some(ObjectType::Tree))
                {
                    let year_name = String::from_utf8_lossy(year.name_bytes()).into_owned();
                    let path = format!("{DRAFTS_DIR}/{year_name}/{id}");
                    let draft_tree = self.repo.find_tree(entry.id())?;
                    return self.read_summary(&draft_tree, &year_name, id, &path);
                }
            }
        }
        Err(Error::NoSuchDraft(id.to_string()))
    }
}
