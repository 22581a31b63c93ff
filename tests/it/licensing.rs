//! Licensing, from the rule text: whether shipping a part to a destination needs a licence,
//! under which paragraph and review policy, and which licence exceptions apply.

use crate::common::*;
use tppcalc::audit::{self, Audit};
use tppcalc::datasheet::Origin;
use tppcalc::error::ErrorKind;
use tppcalc::licensing::{
    self, Answer, Applies, CountrySnapshots, Destination, Eligibility, LicenceRequired, PolicyKind, PossiblePolicy,
    Question,
};
use tppcalc::rules::{RuleRegistry, RuleSet, Status};
use tppcalc::verdict::{self, Verdict};

const WITH_LICENSING: [&str; 7] = [
    "us-2022-10",
    "us-2023-11",
    "us-2024-04",
    "us-2024-12",
    "us-2025-01",
    "us-2026-01",
    "us-2026-07",
];

fn ask_verdict(v: &Verdict, r: &RuleSet, to: &str, hq: Option<&str>, parent: Option<&str>) -> Answer {
    let q = Question {
        destination: Destination::Country(to.to_string()),
        end_user_hq: hq.map(str::to_string),
        parent_hq: parent.map(str::to_string),
        end_user_type: None,
    };
    licensing::answer(v, r, &q, &Audit::new(r, &v.datasheet_digest)).unwrap_or_else(|e| panic!("{e}"))
}

/// The licence answer for a shipped part.
fn ask(part: &str, rules_id: &str, to: &str, hq: Option<&str>) -> Answer {
    ask_verdict(&shipped_verdict(part, rules_id), &rules(rules_id), to, hq, None)
}

fn exception<'a>(a: &'a Answer, id: &str) -> &'a licensing::eval::ExceptionAnswer {
    a.exceptions
        .iter()
        .find(|e| e.id == id)
        .unwrap_or_else(|| panic!("no exception `{id}` in {:#?}", a.exceptions))
}

const HQ: &str = "end-user headquarters (`--end-user-hq`)";

#[test]
fn h100_to_china_needs_a_licence_reviewed_under_a_presumption_of_denial_and_no_nac() {
    for id in ["us-2023-11", "us-2024-04", "us-2024-12"] {
        let a = ask("nvidia-h100-sxm5-80gb", id, "CN", None);
        assert_eq!(a.eccn.as_ref().map(|e| e.0.as_str()), Some("3A090.a"), "{id}");
        assert_eq!(a.license_required, LicenceRequired::Yes, "{id}");
        assert_eq!(a.requirement.as_deref(), Some("742.6(a)(6)(iii)"), "{id}");
        assert_eq!(a.review_policy, Some(PolicyKind::PresumptionOfDenial), "{id}");
        assert!(a.missing.is_empty(), "{id}: {:?}", a.missing);
        let nac = exception(&a, "NAC");
        assert_eq!(nac.eligibility, Eligibility::NotEligible, "{id}");
        assert!(nac.obligations.is_empty(), "{id}");
    }
    // From April 2024, NAC excludes datacenter 3A090.a items in those words.
    let a = ask("nvidia-h100-sxm5-80gb", "us-2024-12", "CN", None);
    assert_eq!(
        exception(&a, "NAC").why,
        "designed or marketed for use in datacenters and meets 3A090.a"
    );
    // Under the 2026 policy the H100 (TPP 15,832; 3,350 GB/s) may be reviewed case by case for
    // an end user located in China, whatever its headquarters (91 FR 1684: "end-users located
    // in China and Macau").
    for hq in [None, Some("CN"), Some("US")] {
        let a = ask("nvidia-h100-sxm5-80gb", "us-2026-01", "CN", hq);
        assert_eq!(a.license_required, LicenceRequired::Yes);
        assert_eq!(a.review_policy, Some(PolicyKind::CaseByCase), "{hq:?}");
        assert!(a.missing.is_empty(), "{:?}", a.missing);
        assert_eq!(exception(&a, "NAC").eligibility, Eligibility::NotEligible);
    }
    // Before 2026, with the headquarters unknown, the policy is undecided, never guessed.
    let a = ask("nvidia-h100-sxm5-80gb", "us-2023-11", "VN", None);
    assert_eq!(a.license_required, LicenceRequired::Yes);
    assert_eq!(a.review_policy, None);
    assert_eq!(
        a.possible_review_policies,
        [
            PossiblePolicy(Some(PolicyKind::PresumptionOfDenial)),
            PossiblePolicy(Some(PolicyKind::PresumptionOfApproval))
        ]
    );
    assert_eq!(a.missing, [HQ]);
}

#[test]
fn rtx_4090_to_china_is_eligible_for_nac_because_it_is_not_a_datacenter_part() {
    for id in ["us-2023-11", "us-2024-04", "us-2024-12", "us-2026-01"] {
        let a = ask("nvidia-rtx-4090", id, "CN", None);
        assert_eq!(a.eccn.as_ref().map(|e| e.0.as_str()), Some("3A090.a"), "{id}");
        assert_eq!(a.license_required, LicenceRequired::Yes, "{id}");
        let nac = exception(&a, "NAC");
        assert_eq!(nac.eligibility, Eligibility::Eligible, "{id}: {}", nac.why);
        assert!(!nac.obligations.is_empty(), "{id}: NAC has obligations");
    }
    // 740.8(c)(1): notify at least 25 calendar days before.
    let a = ask("nvidia-rtx-4090", "us-2024-12", "CN", None);
    let nac = exception(&a, "NAC");
    let notice = nac.obligations.iter().find(|o| o.id == "740.8(c)(1)").unwrap();
    assert!(notice.summary.contains("25 calendar days"), "{}", notice.summary);
    assert!(notice.text.contains("twenty-five calendar days prior"));
    assert_eq!(notice.applies, Applies::Yes);
    // ACA is for D:1/D:4 destinations other than Macau and D:5.
    assert_eq!(exception(&a, "ACA").eligibility, Eligibility::NotEligible);
    // December 2024: 3A090.a and not for datacenters: case-by-case for China.
    assert_eq!(a.review_policy, Some(PolicyKind::CaseByCase));
    assert_eq!(a.review_policy_basis.unwrap().id, "742.6(b)(10)(iii)(B)(1)");
    // In 2023, the same export was reviewed under a presumption of denial.
    let a = ask("nvidia-rtx-4090", "us-2023-11", "CN", None);
    assert_eq!(a.review_policy, Some(PolicyKind::PresumptionOfDenial));
}

#[test]
fn mi210_to_vietnam_under_the_april_2024_rules_is_aca() {
    let a = ask("amd-instinct-mi210", "us-2024-04", "VN", Some("VN"));
    assert_eq!(a.eccn.as_ref().map(|e| e.0.as_str()), Some("3A090.b"));
    assert_eq!(a.license_required, LicenceRequired::Yes);
    assert_eq!(a.requirement.as_deref(), Some("742.6(a)(6)(iii)"));
    assert_eq!(a.review_policy, Some(PolicyKind::PresumptionOfApproval));
    let aca = exception(&a, "ACA");
    assert_eq!(aca.eligibility, Eligibility::Eligible, "{}", aca.why);
    assert_eq!(
        aca.obligations.iter().map(|o| o.id.as_str()).collect::<Vec<_>>(),
        ["740.8(a)(1)"]
    );
    assert_eq!(exception(&a, "NAC").eligibility, Eligibility::NotEligible);
    // Whether the end user is headquartered in Macau or D:5 decides between ACA and NAC.
    let a = ask("amd-instinct-mi210", "us-2024-04", "VN", None);
    assert_eq!(exception(&a, "ACA").eligibility, Eligibility::Undecided);
    assert_eq!(exception(&a, "ACA").missing, [HQ]);
    assert_eq!(exception(&a, "NAC").eligibility, Eligibility::Undecided);
    assert_eq!(a.review_policy, None);
    let a = ask("amd-instinct-mi210", "us-2024-04", "VN", Some("CN"));
    assert_eq!(exception(&a, "ACA").eligibility, Eligibility::NotEligible);
    assert_eq!(exception(&a, "NAC").eligibility, Eligibility::Eligible);
    assert_eq!(a.review_policy, Some(PolicyKind::PresumptionOfDenial));
    // In 2023 there was no ACA.
    let a = ask("amd-instinct-mi210", "us-2023-11", "VN", Some("VN"));
    assert!(a.exceptions.iter().all(|e| e.id != "ACA"));
}

#[test]
fn h100_to_israel_needs_no_licence_for_an_israeli_end_user() {
    // Israel is in D:4 and A:6: outside 742.6(a)(6)(iii).
    for id in ["us-2023-11", "us-2024-04", "us-2024-12", "us-2026-01"] {
        let a = ask("nvidia-h100-sxm5-80gb", id, "IL", Some("IL"));
        assert_eq!(a.destination_groups, ["A:6", "D:4"], "{id}");
        assert_eq!(a.license_required, LicenceRequired::No, "{id}");
        assert!(a.requirements.is_empty(), "{id}");
        assert!(a.exceptions.is_empty(), "{id}");
        assert_eq!(a.review_policy, None, "{id}");
        // Without the headquarters, 744.23(a)(3) may apply: never "no".
        let a = ask("nvidia-h100-sxm5-80gb", id, "IL", None);
        assert_eq!(a.license_required, LicenceRequired::Indeterminate, "{id}");
        assert_eq!(a.requirement.as_deref(), Some("744.23(a)(3)(i)"), "{id}");
        assert_eq!(a.missing, [HQ], "{id}");
    }
}

#[test]
fn h100_to_germany_for_a_china_headquartered_end_user_needs_a_licence() {
    for id in ["us-2023-11", "us-2024-04", "us-2024-12", "us-2026-01"] {
        let a = ask("nvidia-h100-sxm5-80gb", id, "DE", Some("CN"));
        assert_eq!(a.license_required, LicenceRequired::Yes, "{id}");
        assert_eq!(a.requirement.as_deref(), Some("744.23(a)(3)(i)"), "{id}");
        assert_eq!(a.review_policy, Some(PolicyKind::PresumptionOfDenial), "{id}");
        assert_eq!(exception(&a, "NAC").eligibility, Eligibility::NotEligible, "{id}");
        let a = ask("nvidia-h100-sxm5-80gb", id, "DE", None);
        assert_eq!(a.license_required, LicenceRequired::Indeterminate, "{id}");
        assert_eq!(a.missing, [HQ], "{id}");
        let a = ask("nvidia-h100-sxm5-80gb", id, "DE", Some("DE"));
        assert_eq!(a.license_required, LicenceRequired::No, "{id}");
    }
    // A German subsidiary of a Chinese company: the ultimate parent counts.
    let r = rules("us-2026-01");
    let v = shipped_verdict("nvidia-h100-sxm5-80gb", "us-2026-01");
    let a = ask_verdict(&v, &r, "DE", Some("DE"), Some("CN"));
    assert_eq!(a.license_required, LicenceRequired::Yes);
    assert!(a.assumptions.is_empty());
    let a = ask_verdict(&v, &r, "DE", Some("DE"), None);
    assert_eq!(a.assumptions.len(), 1, "the single-headquarters reading is stated");
    // Macau is not in D:5 but the headquarters rule names it.
    let a = ask_verdict(&v, &r, "DE", Some("MO"), None);
    assert_eq!(a.license_required, LicenceRequired::Yes);
}

#[test]
fn h20_to_china_is_not_controlled_and_needs_no_licence_under_these_rules() {
    for id in WITH_LICENSING {
        let a = ask("nvidia-h20", id, "CN", None);
        assert_eq!(a.classification, Status::NotControlled, "{id}");
        assert_eq!(a.license_required, LicenceRequired::No, "{id}");
        assert!(a.exceptions.is_empty(), "{id}");
        assert!(
            a.notes.iter().any(|n| n.contains("\"is informed\" letters")),
            "{id}: the company-specific letters are named as not covered"
        );
    }
}

#[test]
fn h200_is_case_by_case_and_b200_presumption_of_denial_to_china_in_2026() {
    let h200 = ask("nvidia-h200-sxm-141gb", "us-2026-01", "CN", Some("US"));
    assert_eq!(h200.license_required, LicenceRequired::Yes);
    assert_eq!(h200.review_policy, Some(PolicyKind::CaseByCase));
    let basis = h200.review_policy_basis.unwrap();
    assert!(basis.citation.contains("91 FR 1684"), "{}", basis.citation);
    assert!(!basis.conditions_not_checked.is_empty());
    let b200 = ask("nvidia-b200", "us-2026-01", "CN", Some("US"));
    assert_eq!(b200.license_required, LicenceRequired::Yes);
    assert_eq!(b200.review_policy, Some(PolicyKind::PresumptionOfDenial));
    // The policy covers end users located in China or Macau (Hong Kong is China), including
    // those headquartered there ...
    for (to, hq) in [("CN", "CN"), ("MO", "MO"), ("HK", "CN"), ("MO", "US")] {
        let h200 = ask("nvidia-h200-sxm-141gb", "us-2026-01", to, Some(hq));
        assert_eq!(h200.review_policy, Some(PolicyKind::CaseByCase), "{to} {hq}");
    }
    // ... but not entities headquartered in D:5 or Macau and located elsewhere: for them the
    // presumption of denial stays.
    for (to, hq) in [("MY", "CN"), ("SG", "MO"), ("AE", "CN"), ("DE", "CN")] {
        let h200 = ask("nvidia-h200-sxm-141gb", "us-2026-01", to, Some(hq));
        assert_eq!(h200.license_required, LicenceRequired::Yes, "{to} {hq}");
        assert_eq!(h200.review_policy, Some(PolicyKind::PresumptionOfDenial), "{to} {hq}");
    }
    // Before 2026 the H200 to China was presumption of denial too.
    let h200 = ask("nvidia-h200-sxm-141gb", "us-2024-12", "CN", Some("US"));
    assert_eq!(h200.review_policy, Some(PolicyKind::PresumptionOfDenial));
}

/// A datacenter chip with a given dense FP8 figure and memory bandwidth.
fn dc_chip(fp8_tflops: &str, memory: Option<&str>) -> String {
    let mut s = format!("kind: chip\nid: dc\nname: DC\nvendor: V\ndatacenter: true\ncompute:\n  - unit: GPU\n    dense: {{ fp8: {fp8_tflops} TFLOPS }}\ndies:\n  - {{ role: logic, transistor: finfet, area: 800 mm^2 }}\n");
    if let Some(m) = memory {
        s.push_str(&format!("memory: {{ type: HBM3E, capacity: 96 GB, bandwidth: {m} }}\n"));
    }
    s
}

#[test]
fn the_2026_policy_bounds_are_strict() {
    let r = rules("us-2026-01");
    let policy = |fp8: &str, mem: Option<&str>| {
        let v = verdict_of(&dc_chip(fp8, mem), &r);
        let a = ask_verdict(&v, &r, "CN", Some("US"), None);
        (a.review_policy, a.missing)
    };
    // TPP 20,999.992 (2624.999 x 8) and 6,499.999 GB/s: below both lines.
    assert_eq!(
        policy("2624.999", Some("6499.999 GB/s")).0,
        Some(PolicyKind::CaseByCase)
    );
    // TPP exactly 21,000: "less than 21,000" fails.
    assert_eq!(
        policy("2625", Some("6000 GB/s")).0,
        Some(PolicyKind::PresumptionOfDenial)
    );
    // 6,500 GB/s exactly: "less than 6,500 GB/s" fails.
    assert_eq!(
        policy("2000", Some("6500 GB/s")).0,
        Some(PolicyKind::PresumptionOfDenial)
    );
    // No memory bandwidth on the datasheet: undecided, naming the field.
    let (p, missing) = policy("2000", None);
    assert_eq!(p, None);
    assert_eq!(missing, ["memory.bandwidth"]);
}

fn hbm(bandwidth: &str, area: &str) -> String {
    format!("kind: memory\nid: hbm\nname: HBM\nvendor: V\nbandwidth: {bandwidth}\narea: {area}\npackaged: false\nco_packaged_with_processor: false\n")
}

#[test]
fn an_hbm_stack_to_china_needs_a_licence_and_license_exception_hbm_goes_by_density() {
    let a = ask("samsung-hbm2e-flashbolt-16gb", "us-2024-12", "CN", None);
    assert_eq!(a.eccn.as_ref().map(|e| e.0.as_str()), Some("3A090.c"));
    assert_eq!(a.license_required, LicenceRequired::Yes);
    assert_eq!(a.requirement.as_deref(), Some("742.6(a)(6)(i)(B)"));
    // 410 GB/s over 92 mm^2 is 4.46 GB/s per mm^2: not below 3.3.
    let hbm_x = exception(&a, "HBM");
    assert_eq!(hbm_x.eligibility, Eligibility::NotEligible);
    assert!(hbm_x.why.contains("less than 3.3"), "{}", hbm_x.why);
    // (b)(10)(ii): approval unless the end user is headquartered in Macau or D:5.
    assert_eq!(a.review_policy, None);
    assert_eq!(a.missing, [HQ]);
    assert_eq!(
        ask("samsung-hbm2e-flashbolt-16gb", "us-2024-12", "CN", Some("KR")).review_policy,
        Some(PolicyKind::PresumptionOfApproval)
    );
    assert_eq!(
        ask("samsung-hbm2e-flashbolt-16gb", "us-2024-12", "CN", Some("CN")).review_policy,
        Some(PolicyKind::PresumptionOfDenial)
    );
    // 3A090.c needs a licence only to Macau and D:5.
    assert_eq!(
        ask("samsung-hbm2e-flashbolt-16gb", "us-2024-12", "VN", None).license_required,
        LicenceRequired::No
    );
    // Before December 2024 there was no 3A090.c.
    assert_eq!(
        ask("samsung-hbm2e-flashbolt-16gb", "us-2023-11", "CN", None).license_required,
        LicenceRequired::No
    );

    let r = rules("us-2024-12");
    let eligibility = |bw: &str, area: &str| {
        let v = verdict_of(&hbm(bw, area), &r);
        let a = ask_verdict(&v, &r, "CN", None, None);
        assert_eq!(a.license_required, LicenceRequired::Yes, "{bw} over {area}");
        exception(&a, "HBM").eligibility
    };
    // 329 / 100 = 3.29 < 3.3: eligible; 330 / 100 = 3.3: not ("less than").
    assert_eq!(eligibility("329 GB/s", "100 mm^2"), Eligibility::Eligible);
    assert_eq!(eligibility("330 GB/s", "100 mm^2"), Eligibility::NotEligible);
}

#[test]
fn a_missing_fact_never_yields_a_clearance() {
    let r = rules("us-2026-01");
    // TPP 4000 with no dies and no datacenter flag: the classification itself is open.
    let v = verdict_of(&chip("500", None, None, None), &r);
    assert_eq!(v.evaluation.status, tppcalc::rules::Status::Indeterminate);
    let a = ask_verdict(&v, &r, "CN", Some("CN"), None);
    assert_eq!(a.license_required, LicenceRequired::Indeterminate);
    assert!(a.missing.contains(&"datacenter".to_string()), "{:?}", a.missing);
    // TPP 5000, datacenter flag unknown: 3A090.a for sure, but NAC depends on the flag.
    let v = verdict_of(&chip("625", None, None, None), &r);
    let a = ask_verdict(&v, &r, "CN", Some("CN"), None);
    assert_eq!(a.license_required, LicenceRequired::Yes);
    let nac = exception(&a, "NAC");
    assert_eq!(nac.eligibility, Eligibility::Undecided);
    assert_eq!(nac.missing, ["datacenter"]);
}

#[test]
fn hong_kong_is_answered_as_china_under_every_rule_set() {
    // 85 FR 83765 (2020-12-23): the EAR treat Hong Kong as China.
    for id in tppcalc::rules::RuleRegistry::shipped().shipped_ids() {
        for part in ["nvidia-h100-sxm5-80gb", "nvidia-h20", "nvidia-rtx-4090"] {
            for hq in [None, Some("CN"), Some("US")] {
                let hk = ask(part, &id, "HK", hq);
                let cn = ask(part, &id, "CN", hq);
                assert_eq!(
                    (
                        &hk.license_required,
                        &hk.requirement,
                        &hk.review_policy,
                        &hk.possible_review_policies
                    ),
                    (
                        &cn.license_required,
                        &cn.requirement,
                        &cn.review_policy,
                        &cn.possible_review_policies
                    ),
                    "{part} under {id}, end-user HQ {hq:?}"
                );
                assert_eq!(hk.destination_groups, cn.destination_groups);
            }
        }
    }
}

#[test]
fn the_ai_diffusion_rule_set_is_marked_not_enforced_and_requires_a_licence_worldwide() {
    let r = rules("us-2025-01");
    assert_eq!(r.status, tppcalc::rules::RuleStatus::NotEnforced);
    assert!(r.title.starts_with("NOT ENFORCED"));
    let a = ask("nvidia-h100-sxm5-80gb", "us-2025-01", "BR", Some("BR"));
    assert_eq!(a.license_required, LicenceRequired::Yes);
    assert_eq!(a.requirement.as_deref(), Some("742.6(a)(6)(iii)(A)"));
    assert!(a.notes.iter().any(|n| n.contains("not-enforced")), "{:?}", a.notes);
    assert_eq!(exception(&a, "LPP").eligibility, Eligibility::Eligible);
    // Brazil is not among the 18 destinations reported for paragraph (a) of Supplement No. 5.
    assert_eq!(exception(&a, "AIA").eligibility, Eligibility::NotEligible);
    // Whether the supplement lists the United States itself is not known.
    let a = ask("nvidia-h100-sxm5-80gb", "us-2025-01", "DE", Some("US"));
    assert_eq!(exception(&a, "AIA").eligibility, Eligibility::Undecided);
    let a = ask("nvidia-h100-sxm5-80gb", "us-2025-01", "DE", Some("DE"));
    assert_eq!(exception(&a, "AIA").eligibility, Eligibility::Eligible);
    // The same export under the rule set in force needs no licence.
    assert_eq!(
        ask("nvidia-h100-sxm5-80gb", "us-2026-01", "BR", Some("BR")).license_required,
        LicenceRequired::No
    );
}

#[test]
fn the_country_groups_snapshot_has_the_eear_memberships() {
    let snaps = CountrySnapshots::embedded();
    assert!(snaps.errors.is_empty(), "{:?}", snaps.errors);
    let g = snaps.get("us-ear-2026-07-23").unwrap();
    assert_eq!(g.valid_from, "2026-07-23");
    assert!(g.citation.contains("Supplement No. 1"));
    let size = |id: &str| g.groups[id].members.len();
    assert_eq!(
        [size("D:1"), size("D:4"), size("D:5"), size("A:5"), size("A:6")],
        [24, 21, 22, 38, 8]
    );
    assert_eq!(g.countries.len(), 249, "ISO 3166-1 alpha-2 assigns 249 codes");
    assert_eq!(g.groups_of("MO"), ["D:1", "D:4"], "Macau is not in D:5");
    assert!(g.separate.contains_key("MO"));
    for c in ["IN", "TR", "AE"] {
        assert!(g.groups["A:5"].members.iter().any(|m| m == c), "{c} in A:5");
    }
    assert_eq!(g.groups_of("IL"), ["A:6", "D:4"]);
}

#[test]
fn unknown_country_codes_are_errors_that_list_near_matches() {
    let g = CountrySnapshots::embedded().latest().unwrap();
    assert_eq!(g.code("cn").unwrap(), "CN");
    for (input, near) in [("UK", "`GB` (United Kingdom)"), ("China", "`CN`"), ("VM", "`VN`")] {
        let e = g.code(input).unwrap_err();
        assert_eq!(e.kind, ErrorKind::UnknownReference);
        assert!(e.message.contains(near), "{input}: {}", e.message);
        assert!(e.message.contains(&format!("`{input}`")), "{}", e.message);
    }
    // The rule set's own jurisdiction is not a destination.
    let r = rules("us-2026-01");
    let v = shipped_verdict("nvidia-h100-sxm5-80gb", "us-2026-01");
    let q = Question {
        destination: Destination::Country("US".into()),
        end_user_hq: None,
        parent_hq: None,
        end_user_type: None,
    };
    let e = licensing::answer(&v, &r, &q, &Audit::new(&r, &v.datasheet_digest)).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Usage);
}

#[test]
fn every_shipped_licensing_section_loads_and_cites_its_texts() {
    let reg = RuleRegistry::shipped();
    for id in WITH_LICENSING {
        let r = reg.resolve(id, &[]).unwrap_or_else(|e| panic!("{id}: {e}"));
        let l = r.licensing.as_ref().unwrap_or_else(|| panic!("{id} has no licensing"));
        assert!(!l.requirements.is_empty(), "{id}");
        for x in &l.requirements {
            assert!(!x.text.is_empty() && !x.citation.is_empty(), "{id} {}", x.id);
        }
        for x in &l.review_policies {
            assert!(!x.text.is_empty() && !x.citation.is_empty(), "{id} {}", x.id);
        }
        for x in &l.exceptions {
            assert!(!x.text.is_empty() && !x.citation.is_empty(), "{id} {}", x.id);
        }
    }
    assert_eq!(reg.default_id().as_deref(), Some("us-2026-07"));
}

fn add(reg: &mut RuleRegistry, text: &str) -> String {
    reg.add_text(Origin::Inline, text, false).unwrap()
}

#[test]
fn licensing_sections_extend_replace_and_remove_by_id() {
    let mut reg = RuleRegistry::shipped();
    // A scenario: what if Vietnam were treated like D:5 for NAC?
    let id = add(
        &mut reg,
        "kind: rules\nid: vn-nac\ntitle: t\nstatus: scenario\nextends: us-2024-12\nlicensing:\n  remove: [ACA]\n  exceptions:\n    - id: NAC\n      name: n\n      text: t\n      citation: c\n      items: [{ eccns: [3A090.a] }]\n      scope: [{ destination: { any_of: [VN] } }]\n",
    );
    let r = reg.resolve(&id, &[]).unwrap();
    let l = r.licensing.as_ref().unwrap();
    assert!(l.exceptions.iter().all(|e| e.id != "ACA"));
    assert_eq!(l.exceptions.iter().filter(|e| e.id == "NAC").count(), 1);
    assert_eq!(l.requirements.len(), 3, "requirements are inherited");

    for (text, field, needle) in [
        ("  remove: [XYZ]\n", "licensing.remove[0]", "names no inherited"),
        (
            "  review_policies:\n    - { id: p, policy: case_by_case, text: t, citation: c, before: nowhere }\n",
            "licensing.review_policies[0].before",
            "names no review policy",
        ),
        (
            "  requirements:\n    - { id: r, text: t, citation: c, eccns: [3A090.a], scope: [{ destination: { any_of: [\"D:9\"] } }] }\n",
            "licensing.requirements[3].scope[0].destination",
            "unknown country group `D:9`",
        ),
        (
            "  requirements:\n    - { id: r, text: t, citation: c, eccns: [3A090.a], scope: [{ destination: { any_of: [UK] } }] }\n",
            "licensing.requirements[3].scope[0].destination",
            "`GB` (United Kingdom)",
        ),
        (
            "  requirements:\n    - { id: r, text: t, citation: c, eccns: [3A090.z] }\n",
            "licensing.requirements[3].eccns",
            "not listed in `severity`",
        ),
        (
            "  country_groups: us-ear-1999-01-01\n",
            "licensing.country_groups",
            "unknown country groups",
        ),
    ] {
        let mut reg = RuleRegistry::shipped();
        let id = add(
            &mut reg,
            &format!("kind: rules\nid: bad\ntitle: t\nstatus: scenario\nextends: us-2024-12\nlicensing:\n{text}"),
        );
        let e = reg.resolve(&id, &[]).unwrap_err();
        assert_eq!(e.field.as_deref(), Some(field), "{text}: {e}");
        assert!(e.message.contains(needle), "{text}: {}", e.message);
    }
}

#[test]
fn the_audit_record_names_the_version_and_digests_of_the_inputs() {
    let r = rules("us-2026-01");
    let a = ask("nvidia-h100-sxm5-80gb", "us-2026-01", "CN", None);
    assert_eq!(a.audit.tool_version, env!("CARGO_PKG_VERSION"));
    assert_eq!(a.audit.rules, "us-2026-01");
    assert_eq!(a.audit.rules_digest, audit::rules_digest(&r));
    let hex = |d: &str| {
        d.strip_prefix("sha256:")
            .is_some_and(|h| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()))
    };
    assert!(hex(&a.audit.rules_digest) && hex(&a.audit.datasheet_digest));
    assert!(hex(a.audit.country_groups_digest.as_deref().unwrap()));
    // The datasheet digest is the SHA-256 of the file's text.
    let text = tppcalc::embedded::FILES
        .iter()
        .find(|(p, _)| p.ends_with("/nvidia-h100-sxm5-80gb.yaml"))
        .unwrap()
        .1;
    assert_eq!(a.audit.datasheet_digest, audit::sha256_text(text));
    // The rule-set digest follows the content as loaded, after `set`.
    let changed = rules_with("us-2026-01", &["3A090.a.1.tpp.at_least=4000"]);
    assert_ne!(audit::rules_digest(&changed), a.audit.rules_digest);
    assert_eq!(audit::rules_digest(&rules("us-2026-01")), a.audit.rules_digest);
    // Every shipped rule set has its own digest.
    let mut digests: Vec<String> = WITH_LICENSING
        .iter()
        .map(|id| audit::rules_digest(&rules(id)))
        .collect();
    digests.sort();
    digests.dedup();
    assert_eq!(digests.len(), WITH_LICENSING.len());
    // A system's digest covers its contained parts.
    let cat = shipped();
    let sys = cat.get("nvidia-dgx-h100").unwrap();
    let v = verdict::classify(&cat, sys, &r);
    assert!(hex(&v.datasheet_digest));
    assert_ne!(v.datasheet_digest, sys.meta().digest);
}

/// Digests and the version change with any edit; snapshots show them as placeholders.
fn redact(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find("sha256:") {
        out.push_str(&rest[..i + 7]);
        rest = &rest[i + 7..];
        let n = rest.bytes().take_while(u8::is_ascii_hexdigit).count();
        out.push_str("<digest>");
        rest = &rest[n..];
    }
    out.push_str(rest);
    out.replace(&format!("tppcalc {}", env!("CARGO_PKG_VERSION")), "tppcalc <version>")
}

#[test]
fn license_to_all_for_h100_and_rtx_4090_under_each_rule_set() {
    let cat = shipped();
    for id in WITH_LICENSING {
        let r = rules(id);
        let (_, groups) = licensing::eval::context(&r).unwrap();
        for part in ["nvidia-h100-sxm5-80gb", "nvidia-rtx-4090"] {
            let v = verdict::classify(&cat, cat.get(part).unwrap(), &r);
            let audit = Audit::new(&r, &v.datasheet_digest);
            let answers: Vec<Answer> = licensing::eval::all_destinations(groups)
                .into_iter()
                .map(|d| {
                    let q = Question {
                        destination: d,
                        end_user_hq: None,
                        parent_hq: None,
                        end_user_type: None,
                    };
                    licensing::answer(&v, &r, &q, &audit).unwrap()
                })
                .collect();
            assert!(answers.iter().all(|a| a.license_required != LicenceRequired::No
                || a.classification == Status::NotControlled
                || id == "us-2022-10"),
                "{id} {part}: with the headquarters unknown, a controlled part is never cleared where the headquarters rule may apply");
            insta::assert_snapshot!(
                format!("license-all-{part}-{id}"),
                redact(&tppcalc::report::license::table(&answers))
            );
        }
    }
}

fn tppcalc(args: &[&str]) -> std::process::Output {
    assert_cmd::Command::cargo_bin("tppcalc")
        .unwrap()
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn the_license_command_answers_in_the_documented_json_shape() {
    let out = tppcalc(&["license", "nvidia-h100-sxm5-80gb", "--to", "cn", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["part"], "nvidia-h100-sxm5-80gb");
    assert_eq!(v["rules"], "us-2026-07", "the default rule set");
    assert_eq!(v["reading"], "enforced");
    assert_eq!(v["country_groups"]["id"], "us-ear-2026-07-10");
    assert_eq!(v["audit"]["country_groups"], "us-ear-2026-07-10");
    assert!(v["country_groups"]["certainty"].as_str().unwrap().contains("abstract"));
    assert_eq!(v["eccn"], "3A090.a");
    assert_eq!(v["destination"], "CN");
    assert_eq!(v["end_user_hq"], serde_json::Value::Null);
    assert_eq!(v["license_required"], "yes");
    assert_eq!(v["requirement"], "742.6(a)(6)(iii)");
    // 91 FR 1684: end users located in China, whatever their headquarters.
    assert_eq!(v["review_policy"], "case_by_case");
    assert_eq!(v["missing"], serde_json::json!([]));
    let nac = v["exceptions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == "NAC")
        .unwrap();
    assert_eq!(nac["eligibility"], "not_eligible");
    assert_eq!(
        nac["why"],
        "designed or marketed for use in datacenters and meets 3A090.a"
    );
    assert_eq!(v["audit"]["tool_version"], env!("CARGO_PKG_VERSION"));
    for k in ["rules_digest", "datasheet_digest", "country_groups_digest"] {
        assert!(v["audit"][k].as_str().unwrap().starts_with("sha256:"), "{k}");
    }
}

#[test]
fn the_license_map_prints_every_group_country_and_ends_with_the_disclaimer() {
    let out = tppcalc(&["license", "nvidia-h100-sxm5-80gb", "--to", "all", "--end-user-hq", "US"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.lines().any(|l| l.starts_with(" CN ") && l.contains(" yes ")));
    assert!(text.lines().any(|l| l.starts_with(" DE ") && l.contains(" no ")));
    assert!(text.lines().any(|l| l.starts_with(" other ")));
    assert!(
        !text.lines().any(|l| l.starts_with(" US ")),
        "the exporting country is no row"
    );
    assert_eq!(text.lines().last().unwrap(), tppcalc::report::license::DISCLAIMER);
    let one = tppcalc(&["license", "nvidia-rtx-4090", "--to", "CN"]);
    let text = String::from_utf8(one.stdout).unwrap();
    assert!(text.contains("NAC (Notified Advanced Computing): eligible"), "{text}");
    assert!(text.contains("25 calendar days"), "{text}");
    assert_eq!(text.lines().last().unwrap(), tppcalc::report::license::DISCLAIMER);
    let md = tppcalc(&["license", "nvidia-rtx-4090", "--to", "CN", "--format", "markdown"]);
    assert!(String::from_utf8(md.stdout).unwrap().contains("not legal advice"));
}

#[test]
fn the_license_command_rejects_unknown_codes_and_rule_sets_without_licensing() {
    let out = tppcalc(&["license", "nvidia-h100-sxm5-80gb", "--to", "UK"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("unknown country code `UK`") && err.contains("`GB` (United Kingdom)"),
        "{err}"
    );
    let out = tppcalc(&["license", "nvidia-h100-sxm5-80gb", "--to", "CN", "--end-user-hq", "XX"]);
    assert_eq!(out.status.code(), Some(2));
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("bare.yaml");
    std::fs::write(
        &f,
        "kind: rules\nid: bare\ntitle: t\nstatus: scenario\ncontrols: []\nseverity: [3A090.a]\n",
    )
    .unwrap();
    let out = tppcalc(&[
        "license",
        "nvidia-h100-sxm5-80gb",
        "--to",
        "CN",
        "--rules",
        f.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("has no `licensing` section"));
}

#[test]
fn classify_json_rows_carry_an_audit_record() {
    let out = tppcalc(&["classify", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for row in rows.as_array().unwrap() {
        assert_eq!(row["audit"]["tool_version"], env!("CARGO_PKG_VERSION"));
        assert_eq!(row["audit"]["rules"], row["rules"]);
        assert!(row["audit"]["rules_digest"].as_str().unwrap().starts_with("sha256:"));
        assert!(row["audit"]["datasheet_digest"]
            .as_str()
            .unwrap()
            .starts_with("sha256:"));
        assert!(row["audit"].get("country_groups").is_none());
    }
}
