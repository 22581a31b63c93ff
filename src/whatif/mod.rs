//! What-if tools: how far a part is from each line and what would move it across (headroom),
//! how a catalog responds to a moving threshold (sweep), and where two rule sets disagree (diff).
//!
//! All answers are exact. Every condition is a bound on one metric, so a verdict, as a function
//! of one figure, is piecewise constant with breakpoints where a metric crosses a threshold;
//! [`line`](mod@line) computes those pieces in closed form (TPP is linear in clock and unit count,
//! performance density is inverse in die area).

pub mod diff;
pub mod headroom;
pub mod line;
pub mod modify;
pub mod sweep;

pub use diff::{diff_regions, diff_verdicts, RegionDiff, VerdictDiff};
pub use headroom::{headroom, Headroom};
pub use line::{verdict_line, Dependence, Segment};
pub use sweep::{sweep, Sweep, SweepParam};
