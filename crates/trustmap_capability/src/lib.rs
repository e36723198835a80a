//! The capability check (`trustmap capability`): what the code shows about each team's
//! identity-aware coding, coding for failure and abuse, infrastructure-as-code ownership and
//! design-level threat awareness, per repository and team, over git history and across
//! repositories. The model is written down in `docs/capability-scoring.md`.

pub mod assess;
pub mod codeowners;
pub mod date;
pub mod evidence;
pub mod history;
pub mod html;
pub mod org;
pub mod output;
pub mod owners;
pub mod parallel;
pub mod score;

pub use assess::{Assessment, Gap, assess};
pub use history::{CommitRef, Evaluator, Trend};
pub use output::{CapabilityReport, RepositoryResult};
pub use score::{Cell, Confidence, TeamScores};
