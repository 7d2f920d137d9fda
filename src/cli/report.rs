//! `duyet report`, the filters and CSV of `duyet audit`, and `duyet trust
//! list`'s table: what an inspector reads.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use clap::Args;

use super::context::{Failure, open};
use super::progress::Progress;
use super::term::{json, out};
use crate::audit::Report;
use crate::i18n::{Lang, Msg};
use crate::model::safe::visible;
use crate::model::trust::TrustList;
use crate::repo::{DraftRepo, Error};
use crate::report::{self, Filter, time};

/// What `audit` and `report` show (the audit itself always judges everything).
#[derive(Debug, Clone, Default, Args)]
pub struct FilterArgs {
    /// Show decisions from this day on (yyyy-mm-dd or dd/mm/yyyy, local time).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Show decisions up to this day, included.
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// Show only this draft.
    #[arg(long, value_name = "ID")]
    pub draft: Option<String>,
}

/// `duyet report`'s arguments.
#[derive(Debug, Clone, Args)]
pub struct ReportArgs {
    /// Period and draft.
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Only drafts of this drafting unit.
    #[arg(long, value_name = "U")]
    pub unit: Option<String>,
    /// Where to write the HTML report.
    #[arg(long, value_name = "FILE")]
    pub html: PathBuf,
    /// Also print it to PDF with headless Chromium.
    #[arg(long, value_name = "FILE")]
    pub pdf: Option<PathBuf>,
    /// Include the text of each approved draft.
    #[arg(long)]
    pub with_text: bool,
}

fn bad_date(flag: &str, given: &str, lang: Lang) -> Failure {
    Failure(match lang {
        Lang::Vi => format!("--{flag} {given}: ngày viết là yyyy-mm-dd hoặc dd/mm/yyyy"),
        Lang::En => format!("--{flag} {given}: write the day as yyyy-mm-dd or dd/mm/yyyy"),
    })
}

impl FilterArgs {
    /// The filter these arguments ask for.
    pub fn filter(&self, unit: Option<String>, lang: Lang) -> Result<Filter, Failure> {
        let day = |flag: &str, v: &Option<String>| -> Result<_, Failure> {
            v.as_deref()
                .map(|s| time::parse_day(s).ok_or_else(|| bad_date(flag, s, lang)))
                .transpose()
        };
        Ok(Filter {
            since: day("since", &self.since)?.map(time::start_of),
            until: day("until", &self.until)?.map(time::end_of),
            draft: self.draft.clone(),
            unit,
        })
    }

    fn is_empty(&self) -> bool {
        self.since.is_none() && self.until.is_none() && self.draft.is_none()
    }
}

/// Opens the repository with its history index up to date.
fn open_for_history(repo: Option<&std::path::Path>) -> Result<DraftRepo, Failure> {
    let repo = open(repo)?;
    match repo.update_index(None) {
        // A read-only repository: history is computed without the cache.
        Ok(_) | Err(Error::Io { .. }) => Ok(repo),
        Err(e) => Err(e.into()),
    }
}

/// The audit of everything, with a progress bar on a terminal.
fn audit_all(repo: &DraftRepo, lang: Lang) -> Result<Report, Failure> {
    let mut p = Progress::new(Msg::Auditing, lang);
    let opts = crate::audit::Options {
        record: true,
        ..Default::default()
    };
    Ok(crate::audit::audit_with_progress(repo, &opts, &mut |n| {
        p.tick(n)
    })?)
}

/// `duyet audit`'s output with `--csv`, or with filters: what is shown of
/// `report` (the audit of everything). Findings on no decision are always
/// shown.
pub fn audit_output(
    repo: &DraftRepo,
    report: &Report,
    args: &FilterArgs,
    as_json: bool,
    csv: bool,
    lang: Lang,
    color: bool,
) -> Result<i32, Failure> {
    let filter = args.filter(None, lang)?;
    if csv {
        let listing = repo.list()?;
        let rows = report::rows(
            repo,
            report,
            &listing.drafts,
            &mut Default::default(),
            &filter,
        );
        return out(&visible(&report::csv::to_csv(&rows, lang)));
    }
    let mut shown = report.clone();
    if !args.is_empty() {
        let listing = repo.list()?;
        let rows = report::rows(
            repo,
            report,
            &listing.drafts,
            &mut Default::default(),
            &filter,
        );
        let keep: std::collections::HashSet<&str> =
            rows.iter().map(|r| r.entry.commit.as_str()).collect();
        let decided: std::collections::HashSet<&str> =
            report.trail.iter().map(|e| e.commit.as_str()).collect();
        shown.trail = rows.iter().map(|r| r.entry.clone()).collect();
        shown
            .findings
            .retain(|f| keep.contains(f.commit.as_str()) || !decided.contains(f.commit.as_str()));
        let hidden = report.findings.len() - shown.findings.len();
        if hidden > 0 {
            eprintln!(
                "duyet: {}",
                match lang {
                    Lang::Vi => format!(
                        "{hidden} phát hiện thuộc các quyết định không hiện ra vì bộ lọc; bỏ --since/--until/--draft để xem"
                    ),
                    Lang::En => format!(
                        "{hidden} finding(s) on decisions the filter hides; drop --since/--until/--draft to see them"
                    ),
                }
            );
        }
    }
    if as_json {
        json(&shown)
    } else {
        out(&super::output::audit(&shown, lang, color))
    }
}

/// `duyet report`.
pub fn run(repo: Option<&std::path::Path>, args: &ReportArgs, lang: Lang) -> Result<i32, Failure> {
    let filter = args.filter.filter(args.unit.clone(), lang)?;
    let repo = open_for_history(repo)?;
    let audit = audit_all(&repo, lang)?;
    let clean = audit.clean();
    let data = report::gather(&repo, audit, filter, args.with_text, lang)?;
    let html = report::render(&data);
    std::fs::write(&args.html, html)
        .map_err(|e| Failure(format!("{}: {e}", args.html.display())))?;
    let wrote = match lang {
        Lang::Vi => "đã ghi",
        Lang::En => "wrote",
    };
    println!("{wrote} {}", args.html.display());
    if let Some(pdf) = &args.pdf {
        print_pdf(&args.html, pdf, lang)?;
        println!("{wrote} {}", pdf.display());
    }
    Ok(i32::from(!clean))
}

/// The Chromium program on PATH, if any.
fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    ["chromium", "chromium-browser"].iter().find_map(|name| {
        std::env::split_paths(&path)
            .map(|d| d.join(name))
            .find(|p| p.is_file())
    })
}

/// A `file://` URL of absolute `path`.
fn file_url(path: &Path) -> String {
    let mut url = String::from("file://");
    for b in path.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.~".contains(&b) {
            url.push(char::from(b));
        } else {
            url.push_str(&format!("%{b:02X}"));
        }
    }
    url
}

fn absolute(p: &Path) -> Result<PathBuf, Failure> {
    std::path::absolute(p).map_err(|e| Failure(format!("{}: {e}", p.display())))
}

/// Prints `html` to `pdf` with headless Chromium.
fn print_pdf(html: &Path, pdf: &Path, lang: Lang) -> Result<(), Failure> {
    let Some(program) = chromium() else {
        return Err(Failure(match lang {
            Lang::Vi => format!(
                "không tìm thấy chromium để in PDF; cài bằng: apt-get install chromium (báo cáo HTML đã ghi ở {})",
                html.display()
            ),
            Lang::En => format!(
                "chromium is not installed, so no PDF was printed; get it with: apt-get install chromium (the HTML report is at {})",
                html.display()
            ),
        }));
    };
    let profile = tempfile::tempdir().map_err(|e| Failure(e.to_string()))?;
    let target = absolute(pdf)?;
    let _ = std::fs::remove_file(&target);
    let mut child = std::process::Command::new(&program)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--print-to-pdf={}", target.display()))
        .arg(file_url(&absolute(html)?))
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|e| Failure(format!("{}: {e}", program.display())))?;
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(s)) => break Some(s),
            Ok(None) if start.elapsed() > Duration::from_secs(180) => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(100)),
            Err(_) => break None,
        }
    };
    let made = std::fs::metadata(&target).is_ok_and(|m| m.len() > 0);
    if status.is_some_and(|s| s.success()) && made {
        return Ok(());
    }
    Err(Failure(match lang {
        Lang::Vi => format!("chromium không in được {} ra PDF", html.display()),
        Lang::En => format!("chromium could not print {} to PDF", html.display()),
    }))
}

/// `duyet trust list`: a table, or JSON for scripts.
pub fn trust_list(list: &TrustList, as_json: bool, lang: Lang) -> Result<i32, Failure> {
    if as_json {
        json(&report::trust::json(list))
    } else {
        out(&report::trust::table(list, lang))
    }
}
