//! Reading raw tree objects the way git reads them, without parsing them
//! into libgit2 trees: entries are compared as bytes and an identical head
//! and tail are skipped with memcmp, so a 1,000-entry tree with one change
//! costs microseconds.
//!
//! An entry is a folder when its mode, read as octal digits like git does,
//! has the directory type bits (`S_ISDIR`): `40000`, but also `040000` or
//! `40755`. [`tree_faults`] names everything in a tree that `git fsck
//! --strict` rejects or warns about, and a little more: the audit reports
//! each one under `drafts/` and `.duyet/`, and the listing never shows a
//! draft in such a folder as decided.

use git2::Oid;

/// Called with (name, new side, old side) for each entry that differs; a
/// side is the entry's id and whether it is a tree.
pub(crate) type RawFn<'a> = dyn FnMut(&[u8], Option<(Oid, bool)>, Option<(Oid, bool)>) + 'a;

/// One entry of a raw tree object: "<mode> <name>\0<20-byte id>".
#[derive(Clone, Copy)]
pub(crate) struct RawEntry<'a> {
    /// The mode as written.
    mode: &'a [u8],
    name: &'a [u8],
    id: &'a [u8],
    tree: bool,
    all: &'a [u8],
}

/// The mode as git's tree reader decodes it: octal digits up to the space
/// (`None` when another byte stands there: git refuses such a tree).
fn decode_mode(mode: &[u8]) -> Option<u32> {
    let mut m: u32 = 0;
    for &c in mode {
        if !(b'0'..=b'7').contains(&c) {
            return None;
        }
        m = m.wrapping_shl(3).wrapping_add(u32::from(c - b'0'));
    }
    Some(m)
}

/// `S_ISDIR`, as git and libgit2 read a tree entry's type.
fn mode_is_tree(mode: &[u8]) -> bool {
    decode_mode(mode).is_some_and(|m| m & 0o170000 == 0o040000)
}

fn raw_entry(data: &[u8], pos: usize) -> Option<(RawEntry<'_>, usize)> {
    let rest = data.get(pos..)?;
    let sp = memchr::memchr(b' ', rest)?;
    let nul = memchr::memchr(0, &rest[sp + 1..])? + sp + 1;
    let end = nul + 1 + 20;
    let all = rest.get(..end)?;
    Some((
        RawEntry {
            mode: &rest[..sp],
            name: &rest[sp + 1..nul],
            id: &rest[nul + 1..end],
            tree: mode_is_tree(&rest[..sp]),
            all,
        },
        pos + end,
    ))
}

fn raw_cmp(a: &RawEntry<'_>, b: &RawEntry<'_>) -> std::cmp::Ordering {
    let n = a.name.len().min(b.name.len());
    match a.name[..n].cmp(&b.name[..n]) {
        std::cmp::Ordering::Equal => {
            let tail = |e: &RawEntry<'_>| e.name.get(n).copied().or(e.tree.then_some(b'/'));
            tail(a).cmp(&tail(b))
        }
        other => other,
    }
}

fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    const CHUNK: usize = 64;
    let n = a.len().min(b.len());
    let mut k = 0;
    while k + CHUNK <= n && a[k..k + CHUNK] == b[k..k + CHUNK] {
        k += CHUNK;
    }
    while k < n && a[k] == b[k] {
        k += 1;
    }
    k
}

fn common_prefix_rev(a: &[u8], b: &[u8]) -> usize {
    const CHUNK: usize = 64;
    let n = a.len().min(b.len());
    let (la, lb) = (a.len(), b.len());
    let mut k = 0;
    while k + CHUNK <= n && a[la - k - CHUNK..la - k] == b[lb - k - CHUNK..lb - k] {
        k += CHUNK;
    }
    while k < n && a[la - k - 1] == b[lb - k - 1] {
        k += 1;
    }
    k
}

/// The difference of two raw tree objects: whole entries are compared as
/// bytes, so the unchanged ones (nearly all) cost one memcmp each.
pub(crate) fn diff_raw(new: &[u8], old: &[u8], f: &mut RawFn<'_>) {
    diff_walk(new, old, f, None);
}

/// [`diff_raw`], and the faults of `new` (see [`tree_faults`]) found by
/// looking only at what differs from `old`, which is taken to have none:
/// the entries `new` shares with `old` at its head and tail were checked
/// when `old` was. What costs a whole pass over the tree is done only where
/// needed (a folder added beside a file of the same name).
pub(crate) fn diff_raw_checked(
    new: &[u8],
    old: &[u8],
    f: &mut RawFn<'_>,
    faults: &mut Vec<TreeFault>,
) {
    diff_walk(new, old, f, Some(faults));
}

/// Checks the entries of a tree handed to it in order (see [`diff_raw_checked`]).
struct Checker<'a, 'f> {
    new: &'a [u8],
    prev: Option<RawEntry<'a>>,
    out: &'f mut Vec<TreeFault>,
    malformed: bool,
}

impl<'a> Checker<'a, '_> {
    /// `e`, ending at `next`: `fresh` when it is not an entry of the old
    /// tree (its mode and name are checked), `added` when no entry of its
    /// name was there.
    fn see(&mut self, e: RawEntry<'a>, next: usize, fresh: bool, added: bool) {
        if fresh {
            entry_faults(&e, self.out);
        }
        if let Some(p) = &self.prev {
            order_fault(p, &e, self.out);
        }
        if fresh && !e.tree {
            // A folder of the same name can only follow within "name" + a
            // byte below '/'.
            let mut pos = next;
            while let Some((x, n)) = raw_entry(self.new, pos) {
                if x.name.len() > e.name.len()
                    && x.name.starts_with(e.name)
                    && x.name[e.name.len()] < b'/'
                {
                    pos = n;
                    continue;
                }
                if x.tree && x.name == e.name {
                    self.out.push(TreeFault::Duplicate {
                        name: shown(e.name),
                    });
                }
                break;
            }
        }
        if added && e.tree {
            let mut pos = 0;
            while let Some((x, n)) = raw_entry(self.new, pos) {
                if !x.tree && x.name == e.name {
                    self.out.push(TreeFault::Duplicate {
                        name: shown(e.name),
                    });
                    break;
                }
                pos = n;
            }
        }
        self.prev = Some(e);
    }

    fn malformed(&mut self) {
        if !self.malformed {
            self.malformed = true;
            self.out.push(TreeFault::Malformed);
        }
    }
}

fn diff_walk(new: &[u8], old: &[u8], f: &mut RawFn<'_>, faults: Option<&mut Vec<TreeFault>>) {
    let side = |e: &RawEntry<'_>| Oid::from_bytes(e.id).ok().map(|o| (o, e.tree));
    // Skip the identical head: find the first differing byte a chunk at a
    // time, then start at the entry that holds it.
    let common = common_prefix(new, old);
    let suffix = common_prefix_rev(new, old);
    let mut start = 0;
    let mut last = None;
    while let Some((e, next)) = raw_entry(new, start) {
        if next > common {
            break;
        }
        start = next;
        last = Some(e);
    }
    let mut check = faults.map(|out| Checker {
        new,
        prev: last,
        out,
        malformed: false,
    });
    let (mut i, mut j) = (start, start);
    loop {
        // Both sides are in the identical tail at the same distance from the end.
        if new.len() - i == old.len() - j && new.len() - i <= suffix {
            if let Some(c) = check.as_mut()
                && let Some((e, n)) = raw_entry(new, i)
            {
                c.see(e, n, false, false);
            }
            break;
        }
        let a = raw_entry(new, i);
        let b = raw_entry(old, j);
        if a.is_none()
            && i < new.len()
            && let Some(c) = check.as_mut()
        {
            c.malformed();
        }
        match (a, b) {
            (Some((a, ni)), Some((b, nj))) => {
                if a.all == b.all {
                    if let Some(c) = check.as_mut() {
                        c.see(a, ni, false, false);
                    }
                    i = ni;
                    j = nj;
                    continue;
                }
                match raw_cmp(&a, &b) {
                    std::cmp::Ordering::Equal => {
                        f(a.name, side(&a), side(&b));
                        if let Some(c) = check.as_mut() {
                            let added = a.tree && !b.tree;
                            c.see(a, ni, true, added);
                        }
                        i = ni;
                        j = nj;
                    }
                    std::cmp::Ordering::Less => {
                        f(a.name, side(&a), None);
                        if let Some(c) = check.as_mut() {
                            c.see(a, ni, true, true);
                        }
                        i = ni;
                    }
                    std::cmp::Ordering::Greater => {
                        f(b.name, None, side(&b));
                        j = nj;
                    }
                }
            }
            (Some((a, ni)), None) => {
                f(a.name, side(&a), None);
                if let Some(c) = check.as_mut() {
                    c.see(a, ni, true, true);
                }
                i = ni;
            }
            (None, Some((b, nj))) => {
                f(b.name, None, side(&b));
                j = nj;
            }
            (None, None) => break,
        }
    }
}

/// The entry called `name` in a raw tree object: its id and whether it is a tree.
pub(crate) fn find_raw(data: &[u8], name: &[u8]) -> Option<(Oid, bool)> {
    let mut pos = 0;
    while let Some((e, next)) = raw_entry(data, pos) {
        if e.name == name {
            return Oid::from_bytes(e.id).ok().map(|o| (o, e.tree));
        }
        pos = next;
    }
    None
}

/// What is wrong with one entry of a tree (or with the whole tree).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case", tag = "fault")]
pub enum TreeFault {
    /// The tree object cannot be read entry by entry (git refuses it).
    Malformed,
    /// A mode other than `100644`, `100755` (files) and `40000` (folders):
    /// zero-padded or odd spellings, symbolic links, submodules.
    Mode {
        /// The entry's name, made printable.
        name: String,
        /// The mode as written.
        mode: String,
    },
    /// A name git refuses or that names no ordinary file: empty, with `/`,
    /// `.`, `..`, `.git` in any spelling, not UTF-8, or with control
    /// characters.
    Name {
        /// The name, made printable.
        name: String,
    },
    /// Two entries with one name.
    Duplicate {
        /// The name.
        name: String,
    },
    /// Entries out of git's order (git's lookups then disagree with
    /// libgit2's).
    Order {
        /// The first entry out of place.
        name: String,
    },
    /// `draft.md`, `meta.toml`, `review.toml` or `trust.toml` that is a
    /// folder, or a folder where duyet expects one that is a file.
    Kind {
        /// The name.
        name: String,
    },
}

impl TreeFault {
    /// A plain explanation.
    pub fn explain(&self) -> String {
        match self {
            TreeFault::Malformed => "a tree object git cannot read".to_string(),
            TreeFault::Mode { name, mode } => format!(
                "entry '{name}' has mode {mode}: only 100644, 100755 and 40000 are read alike by every git"
            ),
            TreeFault::Name { name } => format!("entry name '{name}' is refused by git"),
            TreeFault::Duplicate { name } => {
                format!("two entries are named '{name}': git and duyet could read different ones")
            }
            TreeFault::Order { name } => format!(
                "entry '{name}' is out of git's order: lookups by name give different answers"
            ),
            TreeFault::Kind { name } => format!("'{name}' is a folder where a file belongs"),
        }
    }
}

/// A name as it may be shown: control characters escaped, bad UTF-8 lossy.
fn shown(name: &[u8]) -> String {
    String::from_utf8_lossy(name).escape_debug().to_string()
}

/// Whether git refuses `name` in a tree (fsck's `badTreeName`, `hasDot`,
/// `hasDotdot`, `hasDotgit`, with the HFS+ and NTFS spellings), or it is not
/// UTF-8 or holds control characters.
fn bad_name(name: &[u8]) -> bool {
    if name.is_empty() || name.contains(&b'/') || name == b"." || name == b".." {
        return true;
    }
    // Nearly every name: plain ASCII not starting with a dot cannot spell
    // `.git` in any of its forms (GIT~1 needs a '~').
    if name[0] != b'.'
        && name
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    {
        return false;
    }
    let Ok(text) = std::str::from_utf8(name) else {
        return true;
    };
    if text.chars().any(char::is_control) {
        return true;
    }
    // HFS+ ignores these code points; NTFS ignores trailing dots and spaces
    // and knows the short name GIT~1.
    let folded: String = text
        .chars()
        .filter(
            |c| !matches!(*c as u32, 0x200C..=0x200F | 0x202A..=0x202E | 0x206A..=0x206F | 0xFEFF),
        )
        .collect::<String>()
        .to_ascii_lowercase();
    let folded = folded.trim_end_matches(['.', ' ']);
    folded == ".git" || folded == "git~1" || folded.starts_with(".git:")
}

/// The mode and name faults of one entry.
fn entry_faults(e: &RawEntry<'_>, out: &mut Vec<TreeFault>) {
    if !matches!(e.mode, b"100644" | b"100755" | b"40000") {
        out.push(TreeFault::Mode {
            name: shown(e.name),
            mode: shown(e.mode),
        });
    }
    if bad_name(e.name) {
        out.push(TreeFault::Name {
            name: shown(e.name),
        });
    }
}

/// The fault, if any, of `e` coming right after `p`.
fn order_fault(p: &RawEntry<'_>, e: &RawEntry<'_>, out: &mut Vec<TreeFault>) {
    match raw_cmp(p, e) {
        std::cmp::Ordering::Less => {}
        std::cmp::Ordering::Equal => out.push(TreeFault::Duplicate {
            name: shown(e.name),
        }),
        std::cmp::Ordering::Greater => {
            if p.name == e.name {
                out.push(TreeFault::Duplicate {
                    name: shown(e.name),
                });
            } else {
                out.push(TreeFault::Order {
                    name: shown(e.name),
                });
            }
        }
    }
}

/// Everything wrong with a raw tree object, in order: see [`TreeFault`].
pub fn tree_faults(data: &[u8]) -> Vec<TreeFault> {
    let mut out = Vec::new();
    let mut pos = 0;
    let mut prev: Option<RawEntry<'_>> = None;
    // Files that a folder of the same name could still follow: between
    // "a" and "a/" in git's order come only names "a" + a byte below '/'.
    let mut open: Vec<&[u8]> = Vec::new();
    while pos < data.len() {
        let Some((e, next)) = raw_entry(data, pos) else {
            out.push(TreeFault::Malformed);
            return out;
        };
        pos = next;
        entry_faults(&e, &mut out);
        if let Some(p) = &prev {
            order_fault(p, &e, &mut out);
        }
        while let Some(top) = open.last() {
            if e.tree && e.name == *top {
                out.push(TreeFault::Duplicate {
                    name: shown(e.name),
                });
                open.pop();
            } else if e.name.len() > top.len()
                && e.name.starts_with(top)
                && e.name[top.len()] < b'/'
            {
                break;
            } else {
                open.pop();
            }
        }
        if !e.tree {
            open.push(e.name);
        }
        prev = Some(e);
    }
    out
}

/// The entries of a raw tree object: name, id and whether git reads it as a
/// folder; `None` when git cannot read the tree.
pub fn raw_entries(data: &[u8]) -> Option<Vec<(Vec<u8>, Oid, bool)>> {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < data.len() {
        let (e, next) = raw_entry(data, pos)?;
        decode_mode(e.mode)?;
        out.push((e.name.to_vec(), Oid::from_bytes(e.id).ok()?, e.tree));
        pos = next;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = Vec::new();
        for (mode, name) in entries {
            out.extend_from_slice(mode.as_bytes());
            out.push(b' ');
            out.extend_from_slice(name);
            out.push(0);
            out.extend_from_slice(&[7u8; 20]);
        }
        out
    }

    #[test]
    fn odd_mode_spellings_are_folders_as_git_reads_them() {
        for mode in ["40000", "040000", "40755", "0040000"] {
            let t = tree(&[(mode, b"drafts")]);
            assert_eq!(find_raw(&t, b"drafts").map(|x| x.1), Some(true), "{mode}");
        }
        for mode in ["100644", "100755", "120000", "160000", "644"] {
            let t = tree(&[(mode, b"drafts")]);
            assert_eq!(find_raw(&t, b"drafts").map(|x| x.1), Some(false), "{mode}");
        }
    }

    #[test]
    fn faults_are_named() {
        assert!(tree_faults(&tree(&[("100644", b"a"), ("40000", b"b")])).is_empty());
        let f = |e: &[(&str, &[u8])]| tree_faults(&tree(e));
        assert!(matches!(f(&[("040000", b"a")])[0], TreeFault::Mode { .. }));
        assert!(matches!(f(&[("120000", b"a")])[0], TreeFault::Mode { .. }));
        for name in [
            &b"a/b"[..],
            b".",
            b"..",
            b".git",
            b".GIT",
            b"git~1",
            b".git. ",
            b"\xff",
            b"a\x1bb",
            b"",
        ] {
            assert!(
                f(&[("100644", name)])
                    .iter()
                    .any(|x| matches!(x, TreeFault::Name { .. })),
                "{name:?}"
            );
        }
        assert!(matches!(
            f(&[("100644", b"a"), ("100644", b"a")])[0],
            TreeFault::Duplicate { .. }
        ));
        assert!(matches!(
            f(&[("100644", b"b"), ("100644", b"a")])[0],
            TreeFault::Order { .. }
        ));
        // A file and a folder of one name, apart in git's order.
        let twin = f(&[("100644", b"a"), ("100644", b"a.b"), ("40000", b"a")]);
        assert_eq!(twin, [TreeFault::Duplicate { name: "a".into() }]);
        assert_eq!(f(&[("100644", b"a"), ("100644", b"a.b")]), []);
        let cut = tree(&[("100644", b"a")]);
        assert_eq!(tree_faults(&cut[..cut.len() - 3]), [TreeFault::Malformed]);
        assert_eq!(tree_faults(&tree(&[("10x644", b"a")])).len(), 1);
    }

    use proptest::prelude::*;

    const NAMES: &[&[u8]] = &[
        b"a", b"a.b", b"a-b", b"a0", b"b", b"c", b"x", b".git", b"a/b", b"",
    ];
    const MODES: &[&str] = &["40000", "100644", "040000", "120000"];

    /// A sound tree of some of the names, in git's order.
    fn sound(pick: &[(usize, bool)]) -> Vec<u8> {
        let mut e: Vec<(&[u8], bool)> = pick.iter().map(|&(n, t)| (NAMES[n % 7], t)).collect();
        e.sort_by(|a, b| {
            let key = |x: &(&[u8], bool)| {
                let mut k = x.0.to_vec();
                if x.1 {
                    k.push(b'/');
                }
                k
            };
            key(a).cmp(&key(b))
        });
        e.dedup_by(|a, b| a.0 == b.0);
        let entries: Vec<(&str, &[u8])> = e
            .iter()
            .map(|(n, t)| (if *t { "40000" } else { "100644" }, *n))
            .collect();
        tree(&entries)
    }

    proptest! {
        #[test]
        fn checking_what_changed_finds_what_a_whole_check_finds(
            old in proptest::collection::vec((0usize..7, any::<bool>()), 0..6),
            edits in proptest::collection::vec((0usize..3, 0usize..10, 0usize..4, 0usize..8), 0..4),
        ) {
            let old = sound(&old);
            prop_assume!(tree_faults(&old).is_empty());
            // Entries of the new tree: the old ones, then edits inserted,
            // removed or changed at random places.
            let mut entries: Vec<Vec<u8>> = Vec::new();
            let mut pos = 0;
            while let Some((e, next)) = raw_entry(&old, pos) {
                entries.push(e.all.to_vec());
                pos = next;
            }
            for (op, name, mode, at) in edits {
                let mut e = format!("{} ", MODES[mode]).into_bytes();
                e.extend_from_slice(NAMES[name]);
                e.push(0);
                e.extend_from_slice(&[9u8; 20]);
                let at = if entries.is_empty() { 0 } else { at % (entries.len() + 1) };
                match op {
                    0 => entries.insert(at, e),
                    1 if at < entries.len() => { entries.remove(at); }
                    _ if at < entries.len() => entries[at] = e,
                    _ => entries.push(e),
                }
            }
            let new: Vec<u8> = entries.concat();
            let mut found = Vec::new();
            diff_raw_checked(&new, &old, &mut |_, _, _| {}, &mut found);
            prop_assert_eq!(found.is_empty(), tree_faults(&new).is_empty(), "{:?} / {:?}", found, tree_faults(&new));
        }
    }
}
