//! The names of the physical plausibility checks a datasheet can acknowledge
//! (`acknowledge: { die-area-reticle: "..." }`). What each check tests is in
//! [`crate::catalog::plausible`].

use serde::{Deserialize, Serialize};
use std::fmt;

/// A named plausibility check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Check {
    /// A monolithic die larger than a lithography reticle (error).
    DieAreaReticle,
    /// A die larger than a 300 mm wafer (error).
    DieAreaWafer,
    /// A logic die smaller than 1 mm^2 (error).
    DieAreaMin,
    /// A clock above 10 GHz (error).
    ClockMax,
    /// TPP per mm^2 of logic die area beyond any shipped silicon (error).
    ThroughputDensity,
    /// TPP beyond any package that is not wafer-scale (error).
    ThroughputPackage,
    /// Memory bandwidth per mm^2 beyond any HBM generation (error).
    BandwidthDensity,
    /// TPP per mm^2 of logic die area below any processor's (warning).
    ThroughputDensityLow,
    /// Fewer operations per second at the fastest precision than bytes per second of DRAM
    /// bandwidth (warning).
    OpsPerByteLow,
    /// A chip whose fastest dense figure is below 1 TOPS (warning).
    ThroughputLow,
    /// TPP per watt of power beyond any shipped silicon (error).
    ThroughputPerWatt,
    /// TPP per watt of power far below any shipped accelerator (warning).
    ThroughputPerWattLow,
    /// Fewer operations per second at the fastest precision than bytes per second of
    /// interconnect (warning).
    OpsPerInterconnectByteLow,
}

impl Check {
    /// Every check, in documentation order.
    pub const ALL: [Check; 13] = [
        Check::DieAreaReticle,
        Check::DieAreaWafer,
        Check::DieAreaMin,
        Check::ClockMax,
        Check::ThroughputDensity,
        Check::ThroughputPackage,
        Check::BandwidthDensity,
        Check::ThroughputDensityLow,
        Check::OpsPerByteLow,
        Check::ThroughputLow,
        Check::ThroughputPerWatt,
        Check::ThroughputPerWattLow,
        Check::OpsPerInterconnectByteLow,
    ];

    /// The name used in `acknowledge:` and in messages.
    pub fn name(self) -> &'static str {
        match self {
            Check::DieAreaReticle => "die-area-reticle",
            Check::DieAreaWafer => "die-area-wafer",
            Check::DieAreaMin => "die-area-min",
            Check::ClockMax => "clock-max",
            Check::ThroughputDensity => "throughput-density",
            Check::ThroughputPackage => "throughput-package",
            Check::BandwidthDensity => "bandwidth-density",
            Check::ThroughputDensityLow => "throughput-density-low",
            Check::OpsPerByteLow => "ops-per-byte-low",
            Check::ThroughputLow => "throughput-low",
            Check::ThroughputPerWatt => "throughput-per-watt",
            Check::ThroughputPerWattLow => "throughput-per-watt-low",
            Check::OpsPerInterconnectByteLow => "ops-per-interconnect-byte-low",
        }
    }

    /// The check of that name.
    pub fn parse(name: &str) -> Option<Check> {
        Check::ALL.into_iter().find(|c| c.name() == name)
    }

    /// Whether the check's findings stop the datasheet from loading (otherwise they are `check`
    /// warnings). `throughput-package` is an error when the datasheet lists its dies and a
    /// warning when it gives none (it may be wafer-scale without saying so).
    pub fn is_error(self) -> bool {
        !matches!(
            self,
            Check::ThroughputDensityLow
                | Check::OpsPerByteLow
                | Check::ThroughputLow
                | Check::ThroughputPerWattLow
                | Check::OpsPerInterconnectByteLow
        )
    }

    /// The check whose name is closest to `name`, for "did you mean" messages.
    pub fn nearest(name: &str) -> Option<Check> {
        let mut near: Vec<(usize, Check)> = Check::ALL
            .iter()
            .map(|c| (strsim::levenshtein(c.name(), name), *c))
            .filter(|(d, c)| *d <= 4 || c.name().contains(name) || (name.len() > 3 && name.contains(c.name())))
            .collect();
        near.sort();
        near.first().map(|(_, c)| *c)
    }
}

impl fmt::Display for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
