//! `.duyet/policy.toml`: the route before signing — which checks each kind
//! of document needs before the leader's final decision (Nghị định 30,
//! Điều 12). Changed only by an admin, like the trust list.

use serde::{Deserialize, Serialize};

use super::{Kind, Step};

/// The whole policy file. Absent: no step is required.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// The steps each kind needs before the final decision.
    #[serde(default)]
    pub route: RouteRule,
}

/// The steps each kind needs (`content`, `form`), by kind.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RouteRule {
    /// Công văn.
    #[serde(default)]
    pub cong_van: Vec<Step>,
    /// Quyết định.
    #[serde(default)]
    pub quyet_dinh: Vec<Step>,
    /// Kế hoạch.
    #[serde(default)]
    pub ke_hoach: Vec<Step>,
    /// Thông báo.
    #[serde(default)]
    pub thong_bao: Vec<Step>,
    /// Tờ trình.
    #[serde(default)]
    pub to_trinh: Vec<Step>,
    /// Báo cáo.
    #[serde(default)]
    pub bao_cao: Vec<Step>,
}

impl Policy {
    /// Parses policy.toml strictly: unknown keys, `final` as a step (it is
    /// the leader's decision, always there) and a step named twice are errors.
    pub fn parse(text: &str) -> Result<Policy, String> {
        let p: Policy = toml::from_str(text).map_err(|e| e.to_string())?;
        for kind in Kind::ALL {
            let steps = p.listed(kind);
            if steps.contains(&Step::Final) {
                return Err(format!(
                    "route.{}: \"final\" is the leader's decision, not a step before it; use \"content\" and \"form\"",
                    kind.key()
                ));
            }
            if let Some((_, twice)) = steps
                .iter()
                .enumerate()
                .find(|(i, s)| steps[..*i].contains(s))
            {
                return Err(format!(
                    "route.{}: \"{}\" is named twice",
                    kind.key(),
                    twice.key()
                ));
            }
        }
        Ok(p)
    }

    fn listed(&self, kind: Kind) -> &[Step] {
        let r = &self.route;
        match kind {
            Kind::CongVan => &r.cong_van,
            Kind::QuyetDinh => &r.quyet_dinh,
            Kind::KeHoach => &r.ke_hoach,
            Kind::ThongBao => &r.thong_bao,
            Kind::ToTrinh => &r.to_trinh,
            Kind::BaoCao => &r.bao_cao,
        }
    }

    /// The steps `kind` needs, in the order of the route (content, form).
    pub fn required(&self, kind: Kind) -> Vec<Step> {
        let listed = self.listed(kind);
        Step::ROUTE
            .into_iter()
            .filter(|s| listed.contains(s))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_route_strictly() {
        let p =
            Policy::parse("[route]\ncong-van = [\"form\", \"content\"]\nto-trinh = [\"form\"]\n")
                .expect("valid");
        assert_eq!(p.required(Kind::CongVan), [Step::Content, Step::Form]);
        assert_eq!(p.required(Kind::ToTrinh), [Step::Form]);
        assert!(p.required(Kind::QuyetDinh).is_empty());
        assert!(Policy::parse("[route]\ncong-van = [\"final\"]\n").is_err());
        assert!(Policy::parse("[route]\ncong-van = [\"form\", \"form\"]\n").is_err());
        assert!(Policy::parse("[route]\ncongvan = [\"form\"]\n").is_err());
        assert!(Policy::parse("[route]\ncong-van = [\"legal\"]\n").is_err());
        assert!(Policy::parse("steps = 1\n").is_err());
        assert_eq!(Policy::parse("").expect("empty"), Policy::default());
    }
}
