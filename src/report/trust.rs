//! The trust list as a table people read, and as JSON with fingerprints.

use crate::i18n::Lang;
use crate::model::safe::visible_line;
use crate::model::text::{display_width, pad};
use crate::model::trust::{Role, TrustList};

fn role(r: Role, lang: Lang) -> &'static str {
    match (r, lang) {
        (Role::Approver, Lang::Vi) => "duyệt",
        (Role::Admin, Lang::Vi) => "quản trị",
        (Role::Drafter, Lang::Vi) => "soạn thảo",
        (Role::Clerk, Lang::Vi) => "văn thư",
        (Role::Approver, Lang::En) => "approver",
        (Role::Admin, Lang::En) => "admin",
        (Role::Drafter, Lang::En) => "drafter",
        (Role::Clerk, Lang::En) => "clerk",
        (Role::Content, Lang::Vi) => "kiểm tra nội dung",
        (Role::Form, Lang::Vi) => "kiểm tra thể thức",
        (Role::Content, Lang::En) => "content check",
        (Role::Form, Lang::En) => "form check",
    }
}

/// A member's keys as fingerprints: `SHA256:…` for SSH, as listed for
/// OpenPGP and x509 (prefixed with their kind).
pub fn fingerprints(m: &crate::model::trust::Member) -> Vec<String> {
    let ssh = m.ssh.iter().map(|k| {
        crate::audit::pin::ssh_fingerprint(k)
            .map(|f| format!("ssh {f}"))
            .unwrap_or_else(|| format!("ssh ? {}", crate::model::trust::ssh_key_core(k)))
    });
    let pgp = m.openpgp.iter().map(|f| format!("openpgp {f}"));
    let x509 = m.x509.iter().map(|f| format!("x509 {f}"));
    ssh.chain(pgp).chain(x509).collect()
}

/// The members as a table: name, e-mail, roles, one line per key.
pub fn table(list: &TrustList, lang: Lang) -> String {
    let head = match lang {
        Lang::Vi => ["Họ tên", "Thư điện tử", "Vai trò", "Khóa (dấu vân tay)"],
        Lang::En => ["Name", "E-mail", "Roles", "Keys (fingerprints)"],
    };
    let rows: Vec<[String; 4]> = list
        .members
        .iter()
        .map(|m| {
            let roles: Vec<&str> = m.roles.iter().map(|r| role(*r, lang)).collect();
            [
                visible_line(&m.name).into_owned(),
                visible_line(&m.email).into_owned(),
                roles.join(", "),
                fingerprints(m)
                    .iter()
                    .map(|f| visible_line(f).into_owned())
                    .collect::<Vec<_>>()
                    .join("\n"),
            ]
        })
        .collect();
    let width = |i: usize| {
        rows.iter()
            .map(|r| display_width(&r[i]))
            .chain([display_width(head[i])])
            .max()
            .unwrap_or(0)
    };
    let w = [width(0), width(1), width(2)];
    let line = |a: &str, b: &str, c: &str, d: &str| {
        format!(
            "{}  {}  {}  {d}\n",
            pad(a, w[0]),
            pad(b, w[1]),
            pad(c, w[2])
        )
        .trim_end()
        .to_string()
            + "\n"
    };
    let mut out = line(head[0], head[1], head[2], head[3]);
    for r in &rows {
        let mut keys = r[3].lines();
        out.push_str(&line(&r[0], &r[1], &r[2], keys.next().unwrap_or("")));
        for k in keys {
            out.push_str(&line("", "", "", k));
        }
    }
    if rows.is_empty() {
        out.push_str(match lang {
            Lang::Vi => "(danh sách tin cậy trống)\n",
            Lang::En => "(the trust list is empty)\n",
        });
    }
    out
}

/// The list as JSON: the shape of trust.toml (`member`: name, email,
/// roles, ssh, openpgp, x509) plus each member's `fingerprints`.
pub fn json(list: &TrustList) -> serde_json::Value {
    let mut v = serde_json::to_value(list).unwrap_or_default();
    if let Some(members) = v.get_mut("member").and_then(|m| m.as_array_mut()) {
        for (m, member) in members.iter_mut().zip(&list.members) {
            if let Some(o) = m.as_object_mut() {
                o.insert("fingerprints".into(), fingerprints(member).into());
            }
        }
    }
    v
}
