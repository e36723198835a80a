//! The self-contained HTML report: one file, no network, inline CSS, charts as inline SVG
//! (team × capability heat map, a trend chart per capability), the top gaps with their
//! evidence and fix, and the attack paths behind `design` gaps. Askama escapes every value.

use askama::Template;
use trustmap_rules::Capability;

use crate::output::{CapabilityReport, RepositoryResult};
use crate::score::TeamScores;

#[derive(Template)]
#[template(path = "capability.html")]
struct Page<'a> {
    tool_version: &'a str,
    repositories: Vec<RepoView<'a>>,
    organisation: Option<Heatmap>,
}

struct RepoView<'a> {
    name: &'a str,
    commit: String,
    heatmap: Heatmap,
    trends: Vec<TrendChart>,
    movers: Vec<String>,
    gaps: &'a [crate::assess::Gap],
    unowned: &'a [String],
}

struct Heatmap {
    width: u32,
    height: u32,
    headers: Vec<Label>,
    rows: Vec<Label>,
    cells: Vec<HeatCell>,
}

struct Label {
    x: u32,
    y: u32,
    text: String,
}

struct HeatCell {
    x: u32,
    y: u32,
    fill: String,
    score: String,
    detail: String,
    title: String,
}

struct TrendChart {
    title: &'static str,
    lines: Vec<Line>,
    x_labels: Vec<Label>,
}

struct Line {
    team: String,
    color: &'static str,
    points: String,
    dots: Vec<(u32, u32, String)>,
}

const COL: u32 = 150;
const ROW: u32 = 44;
const HEAD: u32 = 40;

fn team_width(rows: &[TeamScores]) -> u32 {
    let longest = rows
        .iter()
        .map(|r| r.team.chars().count())
        .max()
        .unwrap_or(8);
    (u32::try_from(longest).unwrap_or(40).min(40) * 8 + 24).max(140)
}

/// Red (0) through amber to green (100); grey without a score.
fn color(score: Option<u32>) -> String {
    match score {
        None => "#e5e7eb".to_string(),
        Some(s) => format!("hsl({}, 65%, {}%)", s * 120 / 100, 78 - s / 10),
    }
}

fn heatmap(rows: &[TeamScores]) -> Heatmap {
    let left = team_width(rows);
    let headers = Capability::ALL
        .iter()
        .enumerate()
        .map(|(i, c)| Label {
            x: left + u32::try_from(i).unwrap_or(0) * COL + COL / 2,
            y: HEAD - 14,
            text: c.as_str().to_string(),
        })
        .collect();
    let mut labels = Vec::new();
    let mut cells = Vec::new();
    for (r, row) in rows.iter().enumerate() {
        let y = HEAD + u32::try_from(r).unwrap_or(0) * ROW;
        labels.push(Label {
            x: 8,
            y: y + ROW / 2 + 5,
            text: row.team.clone(),
        });
        for (i, cell) in row.capabilities.iter().enumerate() {
            cells.push(HeatCell {
                x: left + u32::try_from(i).unwrap_or(0) * COL,
                y,
                fill: color(cell.score),
                score: cell.score.map_or("—".to_string(), |s| s.to_string()),
                detail: format!("n={} · {}", cell.evaluations, cell.confidence.as_str()),
                title: format!(
                    "{} / {}: {} passed, {} failed, evidence weight {}",
                    row.team,
                    cell.capability,
                    cell.tally.passed,
                    cell.tally.failed,
                    cell.evidence_weight
                ),
            });
        }
    }
    Heatmap {
        width: left + 4 * COL + 8,
        height: HEAD + u32::try_from(rows.len()).unwrap_or(0) * ROW + 8,
        headers,
        rows: labels,
        cells,
    }
}

const PALETTE: [&str; 8] = [
    "#111827", "#2563eb", "#dc2626", "#059669", "#d97706", "#7c3aed", "#db2777", "#0891b2",
];
const TW: u32 = 520;
const TH: u32 = 200;
const PAD: u32 = 32;

fn trends(r: &RepositoryResult) -> Vec<TrendChart> {
    let Some(t) = &r.trend else {
        return Vec::new();
    };
    let n = t.points.len();
    let x_of = |i: usize| {
        let i = u32::try_from(i).unwrap_or(0);
        let n = u32::try_from(n.max(2) - 1).unwrap_or(1);
        PAD + i * (TW - 2 * PAD) / n
    };
    let y_of = |s: u32| TH - PAD - s * (TH - 2 * PAD) / 100;
    let mut teams: Vec<String> = Vec::new();
    for p in &t.points {
        for s in &p.scores {
            if !teams.contains(&s.team) {
                teams.push(s.team.clone());
            }
        }
    }
    // Dates at least 80 px apart; the newest always shown.
    let mut x_labels: Vec<Label> = Vec::new();
    for (i, p) in t.points.iter().enumerate().rev() {
        let x = x_of(i);
        if x_labels.last().is_none_or(|l: &Label| l.x >= x + 80) {
            x_labels.push(Label {
                x,
                y: TH - 10,
                text: p.commit.date.get(..10).unwrap_or("").to_string(),
            });
        }
    }
    x_labels.reverse();
    Capability::ALL
        .iter()
        .map(|cap| {
            let lines = teams
                .iter()
                .enumerate()
                .filter_map(|(k, team)| {
                    let pts: Vec<(u32, u32, String)> = t
                        .points
                        .iter()
                        .enumerate()
                        .filter_map(|(i, p)| {
                            let s = p
                                .scores
                                .iter()
                                .find(|s| &s.team == team)?
                                .cell(*cap)
                                .score?;
                            Some((
                                x_of(i),
                                y_of(s),
                                format!("{team}: {s} at {}", p.commit.id.get(..12).unwrap_or("")),
                            ))
                        })
                        .collect();
                    (!pts.is_empty()).then(|| Line {
                        team: team.clone(),
                        color: PALETTE[k % PALETTE.len()],
                        points: pts
                            .iter()
                            .map(|(x, y, _)| format!("{x},{y}"))
                            .collect::<Vec<_>>()
                            .join(" "),
                        dots: pts,
                    })
                })
                .collect();
            TrendChart {
                title: cap.title(),
                lines,
                x_labels: x_labels
                    .iter()
                    .map(|l| Label {
                        x: l.x,
                        y: l.y,
                        text: l.text.clone(),
                    })
                    .collect(),
            }
        })
        .collect()
}

/// Renders the report as one HTML page.
pub fn render(report: &CapabilityReport) -> Result<String, askama::Error> {
    let repositories = report
        .repositories
        .iter()
        .map(|r| RepoView {
            name: &r.name,
            commit: r.commit.as_ref().map_or(String::new(), |c| {
                format!(
                    "{} · {}",
                    c.id.get(..12).unwrap_or(""),
                    c.date.get(..10).unwrap_or("")
                )
            }),
            heatmap: heatmap(&r.assessment.scores),
            trends: trends(r),
            movers: r.trend.as_ref().map_or(Vec::new(), |t| {
                t.movers
                    .iter()
                    .filter(|m| m.delta != 0)
                    .take(6)
                    .map(|m| {
                        format!(
                            "{:+} {} · {} · {} {} — {}",
                            m.delta,
                            m.capability,
                            m.team,
                            m.commit.id.get(..12).unwrap_or(""),
                            m.commit.date.get(..10).unwrap_or(""),
                            m.commit.summary
                        )
                    })
                    .collect()
            }),
            gaps: &r.assessment.gaps,
            unowned: &r.assessment.unowned_files,
        })
        .collect();
    Page {
        tool_version: &report.tool_version,
        repositories,
        organisation: report.organisation.as_deref().map(heatmap),
    }
    .render()
}
