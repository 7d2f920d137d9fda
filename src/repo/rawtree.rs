//! Comparing raw tree objects without parsing them into libgit2 trees:
//! entries are compared as bytes and an identical head and tail are skipped
//! with memcmp, so a 1,000-entry tree with one change costs microseconds.

use git2::Oid;

/// Called with (name, new side, old side) for each entry that differs; a
/// side is the entry's id and whether it is a tree.
pub(crate) type RawFn<'a> = dyn FnMut(&[u8], Option<(Oid, bool)>, Option<(Oid, bool)>) + 'a;

/// One entry of a raw tree object: "<mode> <name>\0<20-byte id>".
struct RawEntry<'a> {
    name: &'a [u8],
    id: &'a [u8],
    tree: bool,
    all: &'a [u8],
}

fn raw_entry(data: &[u8], pos: usize) -> Option<(RawEntry<'_>, usize)> {
    let rest = data.get(pos..)?;
    let sp = memchr::memchr(b' ', rest)?;
    let nul = memchr::memchr(0, &rest[sp + 1..])? + sp + 1;
    let end = nul + 1 + 20;
    let all = rest.get(..end)?;
    Some((
        RawEntry {
            name: &rest[sp + 1..nul],
            id: &rest[nul + 1..end],
            tree: &rest[..sp] == b"40000",
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
    let side = |e: &RawEntry<'_>| Oid::from_bytes(e.id).ok().map(|o| (o, e.tree));
    // Skip the identical head: find the first differing byte a chunk at a
    // time, then start at the entry that holds it.
    let common = common_prefix(new, old);
    let suffix = common_prefix_rev(new, old);
    let mut start = 0;
    while let Some((_, next)) = raw_entry(new, start) {
        if next > common {
            break;
        }
        start = next;
    }
    let (mut i, mut j) = (start, start);
    loop {
        // Both sides are in the identical tail at the same distance from the end.
        if new.len() - i == old.len() - j && new.len() - i <= suffix {
            break;
        }
        let a = raw_entry(new, i);
        let b = raw_entry(old, j);
        match (a, b) {
            (Some((a, ni)), Some((b, nj))) => {
                if a.all == b.all {
                    i = ni;
                    j = nj;
                    continue;
                }
                match raw_cmp(&a, &b) {
                    std::cmp::Ordering::Equal => {
                        f(a.name, side(&a), side(&b));
                        i = ni;
                        j = nj;
                    }
                    std::cmp::Ordering::Less => {
                        f(a.name, side(&a), None);
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
