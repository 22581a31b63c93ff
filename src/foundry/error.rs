//! Why the foundry presumption's aggregated transistor count of a package cannot be had. The
//! errors of the `foundry:` section and of completion dates are [`crate::rules::foundry::FoundryError`].

/// Why a package's aggregated transistor count cannot be had (see
/// [`super::aggregated_count`]). Not a failure of the command: the transistor-count routes then
/// cannot overcome the presumption, and the answer says why in these words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CountUnknown {
    /// A memory part or a system.
    #[error("not an integrated circuit")]
    NotAnIc,
    /// Neither `transistors` nor `dies`.
    #[error("the datasheet gives no transistor count and no dies to approximate one from")]
    NoDies,
    /// `dies` without a logic die.
    #[error("the datasheet gives no transistor count and lists no logic die")]
    NoLogicDie,
    /// A logic die without an area.
    #[error("the datasheet gives no transistor count, and logic die {die} has no area")]
    NoArea {
        /// The die's name, or `dies[i]`.
        die: String,
    },
    /// A logic die whose process is not given or not in the process table.
    #[error(
        "the datasheet gives no transistor count, and the process of logic die {die} (`{}`) is not in the process table",
        .process.as_deref().unwrap_or("not given")
    )]
    UnknownProcess {
        /// The die's name, or `dies[i]`.
        die: String,
        /// The process as written, if any.
        process: Option<String>,
    },
    /// A process the table knows without a transistor density.
    #[error("the datasheet gives no transistor count, and the process table has no transistor density for {process} (logic die {die})")]
    NoDensity {
        /// The die's name, or `dies[i]`.
        die: String,
        /// The process's name in the table.
        process: String,
    },
}
