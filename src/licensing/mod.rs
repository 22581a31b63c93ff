//! Licensing: what shipping a classified part to a destination requires, by rule version.
//!
//! The section a rule file holds (its model, merge and checks) is [`crate::rules::licensing`];
//! this module evaluates it against a verdict.
//!
//! A rule set may carry a `licensing` section (see `docs/licensing.md`): licence requirements
//! (which ECCN paragraphs, to which destinations, for which end users), review policies, and
//! licence exceptions with their eligibility and obligations. All of it is data with verbatim
//! text and citations. Destinations and headquarters are tested with small expressions over
//! the EAR's country groups ([`crate::countries`]); the part's facts with the same conditions as the
//! classification rules. [`eval`] answers a question three-valued and fails closed.

pub mod eval;

pub use crate::countries::{self, CountryGroups, CountrySnapshots, Place};
pub use crate::rules::licensing::*;
pub use eval::{
    answer, Answer, Applies, Destination, Eligibility, GroupsUsed, LicenceRequired, PossiblePolicy, Question,
};

/// The destinations a question names: one ISO code, or `all` (every country in the country
/// groups and "any other country", less the rule set's own jurisdiction).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum To {
    /// One country, as given (checked against the country groups).
    Country(String),
    /// The whole map.
    All,
}

impl To {
    /// Reads `CC` or `all`.
    pub fn parse(text: &str) -> To {
        if text.eq_ignore_ascii_case("all") {
            To::All
        } else {
            To::Country(text.to_string())
        }
    }
}

/// Answers "may this part be shipped there?" for one destination or the whole map: classifies
/// the part under `rules`, checks the country codes (an unknown code is an error listing near
/// matches), and answers each destination. The CLI's `license` and the web API's
/// `/api/license` both call this.
///
/// ```
/// use tppcalc::{catalog::Catalog, licensing::{ask, LicenceRequired, To}, rules::RuleRegistry};
/// let catalog = Catalog::embedded().catalog;
/// let rules = RuleRegistry::shipped().resolve("us-2023-11", &[]).unwrap();
/// let part = catalog.get("nvidia-h100-sxm5-80gb").unwrap();
/// let answers = ask(&catalog, part, &rules, &To::Country("CN".into()), None, None).unwrap();
/// assert_eq!(answers[0].license_required, LicenceRequired::Yes);
/// ```
pub fn ask(
    catalog: &crate::catalog::Catalog,
    part: &crate::datasheet::Part,
    rules: &crate::rules::RuleSet,
    to: &To,
    end_user_hq: Option<&str>,
    parent_hq: Option<&str>,
) -> Result<Vec<Answer>, crate::Error> {
    ask_typed(catalog, part, rules, to, end_user_hq, parent_hq, None)
}

/// As [`ask`], with the end user's category when known (`--end-user-type`).
pub fn ask_typed(
    catalog: &crate::catalog::Catalog,
    part: &crate::datasheet::Part,
    rules: &crate::rules::RuleSet,
    to: &To,
    end_user_hq: Option<&str>,
    parent_hq: Option<&str>,
    end_user_type: Option<EndUserType>,
) -> Result<Vec<Answer>, crate::Error> {
    let (_, groups) = eval::context(rules)?;
    let code = |c: Option<&str>| c.map(|c| groups.code(c)).transpose();
    let (end_user_hq, parent_hq) = (code(end_user_hq)?, code(parent_hq)?);
    let destinations = match to {
        To::All => eval::all_destinations(groups),
        To::Country(c) => vec![Destination::Country(groups.code(c)?)],
    };
    let v = crate::verdict::classify(catalog, part, rules);
    let audit = crate::audit::Audit::new(rules, &v.datasheet_digest).acknowledging(&v.metrics.acknowledged);
    let home = rules.jurisdiction.clone().map(Destination::Country);
    destinations
        .into_iter()
        .filter(|d| !(matches!(to, To::All) && Some(d) == home.as_ref()))
        .map(|d| {
            let q = Question {
                destination: d,
                end_user_hq: end_user_hq.clone(),
                parent_hq: parent_hq.clone(),
                end_user_type,
            };
            answer(&v, rules, &q, &audit)
        })
        .collect()
}
