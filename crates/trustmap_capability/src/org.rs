//! The organisation view: one roll-up per team across repositories. Tallies are summed
//! before scoring, so a team's score weighs each repository by its evidence — a repository
//! with three resources moves it less than one with three thousand.

use crate::output::RepositoryResult;
use crate::score::{Tallies, TeamScores};

/// Every team's scores across `repositories` (the repository row becomes the organisation's).
pub fn roll_up(repositories: &[RepositoryResult]) -> Vec<TeamScores> {
    let mut all = Tallies::default();
    for r in repositories {
        all.merge(&r.assessment.tallies);
    }
    let mut rows = all.rows();
    if let Some(first) = rows.first_mut() {
        first.team = ORGANISATION.to_string();
    }
    rows
}

/// The team name of the all-repositories row.
pub const ORGANISATION: &str = "(all repositories)";
