//! The published results the shipped catalog must reproduce, exactly: TPP and performance
//! density as exact fractions, and the rounded figures vendors and analysts print.

use crate::common::*;
use tppcalc::exact::{div, int, Exact};
use tppcalc::numfmt::decimals as format_fixed;
use tppcalc::rules::Status;

/// `n / d`, exactly.
fn ratio(n: i64, d: i64) -> Exact {
    div(&int(n), &int(d))
}

#[test]
fn h100_sxm5_tpp_15832_pd_19_45() {
    let v = shipped_verdict("nvidia-h100-sxm5-80gb", "us-2023-11");
    assert_eq!(tpp(&v), dec("15832"));
    // TPP over the 814 mm^2 GH100 die, exactly; published rounded to 19.45.
    assert_eq!(pd(&v), ratio(15832, 814));
    assert_eq!(format_fixed(&pd(&v), 2), "19.45");
    assert_eq!(outcome(&v), "3A090.a");
}

#[test]
fn a100_tpp_4992_pd_6_04() {
    let v = shipped_verdict("nvidia-a100-sxm4-80gb", "us-2023-11");
    assert_eq!(tpp(&v), dec("4992"));
    // Over the 826 mm^2 GA100 die; published rounded to 6.04.
    assert_eq!(pd(&v), ratio(4992, 826));
    assert_eq!(format_fixed(&pd(&v), 2), "6.04");
    assert_eq!(outcome(&v), "3A090.a");
}

#[test]
fn h20_tpp_2368_not_controlled_under_us_2023_11() {
    let v = shipped_verdict("nvidia-h20", "us-2023-11");
    assert_eq!(tpp(&v), dec("2368"));
    // Over the full-size 814 mm^2 GH100 die; published rounded to 2.91.
    assert_eq!(pd(&v), ratio(2368, 814));
    assert_eq!(format_fixed(&pd(&v), 2), "2.91");
    assert_eq!(v.evaluation.status, Status::NotControlled);
}

#[test]
fn a800_and_h800_clear_2022_by_interconnect_and_are_3a090_a_in_2023() {
    for id in ["nvidia-a800-sxm4-80gb", "nvidia-h800-sxm5-80gb"] {
        let v2022 = shipped_verdict(id, "us-2022-10");
        assert_eq!(v2022.evaluation.status, Status::NotControlled, "{id} under us-2022-10");
        let v2023 = shipped_verdict(id, "us-2023-11");
        assert_eq!(outcome(&v2023), "3A090.a", "{id} under us-2023-11");
    }
}

#[test]
fn a100_and_h100_were_controlled_in_2022() {
    for id in ["nvidia-a100-sxm4-80gb", "nvidia-h100-sxm5-80gb"] {
        assert_eq!(outcome(&shipped_verdict(id, "us-2022-10")), "3A090.a", "{id}");
    }
}

#[test]
fn rtx_4090_not_datacenter_tpp_about_5285_is_3a090_a() {
    let v = shipped_verdict("nvidia-rtx-4090", "us-2023-11");
    assert_eq!(v.facts.flags[0], Some(false), "the RTX 4090 is not a datacenter part");
    assert_eq!(tpp(&v), dec("5284.8"), "published as about 5,285");
    assert_eq!(format_fixed(&tpp(&v), 0), "5285");
    assert_eq!(outcome(&v), "3A090.a");
}

#[test]
fn rtx_4090_d_is_excluded_by_the_datacenter_note() {
    let v = shipped_verdict("nvidia-rtx-4090-d", "us-2023-11");
    assert!(tpp(&v) < int(4800));
    assert_eq!(v.evaluation.status, Status::NotControlled);
}

#[test]
fn l20_l2_outside_3a090_and_l4_is_a_2() {
    assert_eq!(
        shipped_verdict("nvidia-l20", "us-2023-11").evaluation.status,
        Status::NotControlled
    );
    assert_eq!(
        shipped_verdict("nvidia-l2", "us-2023-11").evaluation.status,
        Status::NotControlled
    );
    let l4 = shipped_verdict("nvidia-l4", "us-2023-11");
    assert_eq!(outcome(&l4), "3A090.a");
    let row = tppcalc::report::Row::from_verdict(&l4, &rules("us-2023-11"));
    assert_eq!(row.matched, vec!["3A090.a.2"]);
}

#[test]
fn mi250x_meets_a_1_and_b_2_and_resolves_to_a() {
    let v = shipped_verdict("amd-instinct-mi250x", "us-2023-11");
    let row = tppcalc::report::Row::from_verdict(&v, &rules("us-2023-11"));
    assert_eq!(row.matched, vec!["3A090.a.1", "3A090.b.2"]);
    assert_eq!(outcome(&v), "3A090.a");
}
