//! The web API of `tppcalc serve`, in process (`ServiceExt::oneshot` on the router, no
//! socket): every endpoint answers what the matching command prints with `--format json`,
//! and every error code (400, 403, 404, 405, 413) comes with a JSON message.

use crate::common::run_ok;
use assert_cmd::Command;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use serde_json::{json, Value};
use std::sync::OnceLock;
use tower::ServiceExt;
use tppcalc::catalog::Catalog;
use tppcalc::web::{router, HostPolicy, Served, BODY_LIMIT};

fn app() -> Router {
    static APP: OnceLock<Router> = OnceLock::new();
    APP.get_or_init(|| {
        let served = Served::from_load(Catalog::embedded(), "the embedded catalog").unwrap_or_else(|e| panic!("{e:?}"));
        router(served, HostPolicy::Loopback)
    })
    .clone()
}

struct Answer {
    status: StatusCode,
    content_type: String,
    headers: axum::http::HeaderMap,
    body: String,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// The `error` message of an error answer, after checking its shape.
    fn error(&self) -> String {
        assert_eq!(self.content_type, "application/json", "{}", self.body);
        let v = self.json();
        let e = v["error"]
            .as_str()
            .unwrap_or_else(|| panic!("no `error`: {}", self.body))
            .to_string();
        assert!(!v["errors"].as_array().unwrap().is_empty());
        e
    }
}

/// Sends `req` as a client would: with a `Host` (`localhost`) unless the test gives one.
async fn send(app: Router, mut req: Request<Body>) -> Answer {
    if !req.headers().contains_key(header::HOST) {
        req.headers_mut()
            .insert(header::HOST, header::HeaderValue::from_static("localhost"));
    }
    let res = app.oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let bytes = axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap();
    Answer {
        status,
        content_type,
        headers,
        body: String::from_utf8(bytes.to_vec()).unwrap(),
    }
}

async fn get(path: &str) -> Answer {
    send(app(), Request::get(path).body(Body::empty()).unwrap()).await
}

/// A POST as a client sends it: with the body's length, or chunked when it is not known.
async fn post(path: &str, body: impl Into<Body>) -> Answer {
    let body: Body = body.into();
    let req = Request::post(path).header(header::CONTENT_TYPE, "application/json");
    let req = match http_body::Body::size_hint(&body).exact() {
        Some(n) => req.header(header::CONTENT_LENGTH, n),
        None => req.header(header::TRANSFER_ENCODING, "chunked"),
    };
    send(app(), req.body(body).unwrap()).await
}

async fn post_json(path: &str, body: Value) -> Answer {
    post(path, body.to_string()).await
}

/// What `tppcalc ARGS` prints on stdout (it must succeed).
fn row<'a>(rows: &'a Value, part: &str) -> &'a Value {
    rows.as_array()
        .unwrap()
        .iter()
        .find(|r| r["part"] == part)
        .unwrap_or_else(|| panic!("no row for `{part}`"))
}

const DRAFT: &str = "kind: chip
id: acme-x1
name: ACME X1
vendor: ACME
datacenter: true
compute:
  - unit: NPU
    dense: { bf16: 150 TFLOPS, int8: 300 TOPS }
dies:
  - { name: X1, role: logic, transistor: finfet, process: N5, area: 420 mm^2 }
interconnect: 400 GB/s
";

// ---- 200: each endpoint answers as its command --------------------------------------------

#[tokio::test]
async fn rules_lists_the_shipped_rule_sets_with_their_thresholds() {
    let a = get("/api/rules").await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.content_type, "application/json");
    let v = a.json();
    let ids: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, tppcalc::rules::RuleRegistry::shipped().shipped_ids());
    let defaults: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["default"] == true)
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(defaults, ["us-2026-07"]);
    let current = v.as_array().unwrap().iter().find(|r| r["default"] == true).unwrap();
    assert_eq!(current["status"], "in-force");
    assert_eq!(current["effective"], "2026-07-10");
    let a1 = current["thresholds"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["key"] == "3A090.a.1.tpp.at_least")
        .expect("the 3A090.a.1 TPP line");
    assert_eq!(a1["value"], "4800");
    assert_eq!(a1["symbol"], ">=");
    assert_eq!(a1["unit"], "");
    // 3A090.c is "greater than" 2: an `above` bound.
    assert!(current["thresholds"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["key"] == "3A090.c.memory_bandwidth_density.above" && t["value"] == "2"));
    let interconnect = v[0]["thresholds"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["metric"] == "interconnect")
        .unwrap();
    assert_eq!(interconnect["key"], "3A090.a.1.interconnect.at_least");
    assert_eq!(
        (interconnect["value"].as_str(), interconnect["unit"].as_str()),
        (Some("600"), Some("GB/s"))
    );
}

#[tokio::test]
async fn every_listed_threshold_key_is_accepted_by_set_and_its_own_value_changes_nothing() {
    let list = get("/api/rules").await.json();
    for rs in list.as_array().unwrap() {
        let id = rs["id"].as_str().unwrap();
        let mut set = serde_json::Map::new();
        for t in rs["thresholds"].as_array().unwrap() {
            let (value, unit) = (t["value"].as_str().unwrap(), t["unit"].as_str().unwrap());
            let v = if unit.is_empty() {
                value.to_string()
            } else {
                format!("{value} {unit}")
            };
            set.insert(t["key"].as_str().unwrap().to_string(), Value::String(v));
        }
        assert!(!set.is_empty(), "{id} lists no threshold");
        let with = post_json("/api/classify", json!({ "rules": id, "set": set })).await;
        assert_eq!(with.status, StatusCode::OK, "{id}: {}", with.body);
        let without = post_json("/api/classify", json!({ "rules": id })).await;
        // The verdicts and figures are the same; only the label says a scenario was applied.
        let (mut with, mut without) = (with.json(), without.json());
        for (rows, named) in [(&mut with, true), (&mut without, false)] {
            for row in rows.as_array_mut().unwrap() {
                let scenario = row.as_object_mut().unwrap().remove("scenario").unwrap();
                assert_eq!(scenario.is_string(), named, "{id}: {scenario}");
            }
        }
        assert_eq!(with, without, "{id}");
    }
}

#[tokio::test]
async fn classify_answers_the_same_json_as_the_command_line() {
    let a = post_json(
        "/api/classify",
        json!({ "rules": "us-2023-11", "set": { "3A090.a.1.tpp.at_least": 2000 } }),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(a.content_type, "application/json");
    let expected = run_ok(&[
        "classify",
        "--rules",
        "us-2023-11",
        "--set",
        "3A090.a.1.tpp.at_least=2000",
        "--format",
        "json",
    ]);
    assert_eq!(a.body, expected);
}

#[tokio::test]
async fn classify_without_a_body_uses_the_default_rule_set_as_the_command_line() {
    let a = post("/api/classify", Body::empty()).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(a.body, run_ok(&["classify", "--format", "json"]));
    assert_eq!(post("/api/classify", "{}").await.body, a.body);
}

#[tokio::test]
async fn lowering_the_3a090_a_1_line_to_2000_controls_the_h20() {
    // H20: TPP 2368 (296 TFLOPS fp8 x 8 bits), performance density 2.91: under every line of
    // us-2024-12.
    let before = post_json("/api/classify", json!({})).await.json();
    assert_eq!(row(&before, "nvidia-h20")["status"], "not_controlled");
    let after = post_json("/api/classify", json!({ "set": { "3A090.a.1.tpp.at_least": "2000" } }))
        .await
        .json();
    let h20 = row(&after, "nvidia-h20");
    assert_eq!(h20["status"], "controlled");
    assert_eq!(h20["eccn"], "3A090.a");
    assert_eq!(h20["matched"][0], "3A090.a.1");
    // The boundary is exact: at the H20's own TPP the "or more" line holds, just above it does not.
    let tpp = h20["metrics"]["tpp"].as_f64().unwrap();
    assert_eq!(tpp, 2368.0);
    let at = post_json("/api/classify", json!({ "set": { "3A090.a.1.tpp.at_least": 2368 } }))
        .await
        .json();
    assert_eq!(row(&at, "nvidia-h20")["eccn"], "3A090.a");
    let above = post_json("/api/classify", json!({ "set": { "3A090.a.1.tpp.at_least": 2368.5 } }))
        .await
        .json();
    assert_eq!(row(&above, "nvidia-h20")["status"], "not_controlled");
}

#[tokio::test]
async fn a_bandwidth_threshold_is_set_with_its_unit() {
    let a = post_json(
        "/api/classify",
        json!({ "rules": "us-2022-10", "set": { "3A090.a.1.interconnect.at_least": "400 GB/s" } }),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(
        a.body,
        run_ok(&[
            "classify",
            "--rules",
            "us-2022-10",
            "--set",
            "3A090.a.1.interconnect.at_least=400 GB/s",
            "--format",
            "json"
        ])
    );
}

#[tokio::test]
async fn classify_a_datasheet_sent_as_text_classifies_only_that_part() {
    let a = post_json("/api/classify", json!({ "rules": "us-2024-12", "datasheet": DRAFT })).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("sku.yaml");
    std::fs::write(&f, DRAFT).unwrap();
    assert_eq!(
        a.body,
        run_ok(&[
            "classify",
            f.to_str().unwrap(),
            "--rules",
            "us-2024-12",
            "--format",
            "json"
        ])
    );
    let v = a.json();
    assert_eq!(v.as_array().unwrap().len(), 1);
    assert_eq!(
        (v[0]["part"].as_str(), v[0]["eccn"].as_str()),
        (Some("acme-x1"), Some("3A090.b"))
    );
}

#[tokio::test]
async fn explain_answers_the_commands_json_text_and_markdown() {
    let part = "nvidia-h100-sxm5-80gb";
    let a = post_json("/api/explain", json!({ "part": part, "rules": "us-2023-11" })).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(a.content_type, "application/json");
    assert_eq!(
        a.body,
        run_ok(&["explain", part, "--rules", "us-2023-11", "--format", "json"])
    );
    for format in ["text", "markdown"] {
        let a = post_json(
            "/api/explain",
            json!({ "part": part, "rules": "us-2023-11", "format": format }),
        )
        .await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        assert!(a.content_type.starts_with(if format == "text" {
            "text/plain"
        } else {
            "text/markdown"
        }));
        assert_eq!(
            a.body,
            run_ok(&["explain", part, "--rules", "us-2023-11", "--format", format])
        );
    }
    // With overrides, as `--set`.
    let set = post_json(
        "/api/explain",
        json!({ "part": "nvidia-h20", "set": { "3A090.a.1.tpp.at_least": 2000 } }),
    )
    .await;
    assert_eq!(
        set.body,
        run_ok(&[
            "explain",
            "nvidia-h20",
            "--set",
            "3A090.a.1.tpp.at_least=2000",
            "--format",
            "json"
        ])
    );
}

#[tokio::test]
async fn explain_and_headroom_of_a_datasheet_sent_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("sku.yaml");
    std::fs::write(&f, DRAFT).unwrap();
    let file = f.to_str().unwrap();
    for (endpoint, command) in [("/api/explain", "explain"), ("/api/headroom", "headroom")] {
        let a = post_json(endpoint, json!({ "datasheet": DRAFT, "format": "text" })).await;
        assert_eq!(a.status, StatusCode::OK, "{endpoint}: {}", a.body);
        // The one difference: the `foundry` command `explain` suggests names the file the
        // command line read; the server read none, so it says FILE.
        let cli = run_ok(&[command, file, "--format", "text"]);
        let suggested = format!("tppcalc foundry {file} --completed");
        assert_eq!(
            cli.matches(&suggested).count(),
            usize::from(command == "explain"),
            "{cli}"
        );
        assert_eq!(
            a.body,
            cli.replace(&suggested, "tppcalc foundry FILE --completed"),
            "{endpoint}"
        );
    }
}

#[tokio::test]
async fn headroom_answers_the_same_json_as_the_command_line() {
    let a = post_json("/api/headroom", json!({ "part": "nvidia-h20", "rules": "us-2023-11" })).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(
        a.body,
        run_ok(&["headroom", "nvidia-h20", "--rules", "us-2023-11", "--format", "json"])
    );
    assert_eq!(a.json()["verdict"], "not_controlled");
}

#[tokio::test]
async fn diff_answers_the_same_json_as_the_command_line_with_set_on_b() {
    let a = post_json(
        "/api/diff",
        json!({ "rules": "us-2023-11", "rules_b": "us-2024-12", "set": { "3A090.a.1.tpp.at_least": 2000 } }),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(
        a.body,
        run_ok(&[
            "diff",
            "us-2023-11",
            "us-2024-12",
            "--set",
            "3A090.a.1.tpp.at_least=2000",
            "--format",
            "json"
        ])
    );
    assert!(a.body.contains("nvidia-h20"));
    let text = post_json(
        "/api/diff",
        json!({ "rules": "us-2022-10", "rules_b": "us-2023-11", "format": "text" }),
    )
    .await;
    assert_eq!(text.body, run_ok(&["diff", "us-2022-10", "us-2023-11"]));
}

#[tokio::test]
async fn chart_draws_the_map_of_the_current_thresholds_as_the_command_does() {
    let a = post_json(
        "/api/chart",
        json!({ "rules": "us-2023-11", "set": { "3A090.a.1.tpp.at_least": 2000 } }),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(a.content_type, "image/svg+xml");
    assert!(a.body.starts_with("<svg"));
    assert_eq!(
        a.body,
        run_ok(&["chart", "--rules", "us-2023-11", "--set", "3A090.a.1.tpp.at_least=2000"])
    );
    let published = post_json("/api/chart", json!({ "rules": "us-2023-11" })).await;
    assert_ne!(published.body, a.body, "the regions follow the thresholds");
}

#[tokio::test]
async fn the_page_is_self_contained_and_shows_controls_chart_and_table() {
    let a = get("/").await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.content_type, "text/html; charset=utf-8");
    let csp = a.headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(
        csp.contains("default-src 'none'") && csp.contains("connect-src 'self'"),
        "{csp}"
    );
    let html = &a.body;
    assert!(
        html.contains(r#"<option value="us-2026-07" selected>"#),
        "the default rule set is picked"
    );
    assert!(html.contains(r#"data-key="3A090.a.1.tpp.at_least""#));
    assert!(html.contains(r#"type="range""#) && html.contains(r#"type="number""#));
    assert!(html.contains("<svg") && html.contains("<table"));
    assert!(html.contains(r#"<tr data-part="nvidia-h20">"#));
    assert!(html.contains("<textarea"));
    // The foundry panel (chips only) and the cluster calculator (chips and systems).
    assert!(html.contains(r#"<form id="foundry-form""#) && html.contains(r#"<form id="cluster-form""#));
    let foundry = &html[html.find(r#"id="foundry-part""#).unwrap()..html.find(r#"id="foundry-completed""#).unwrap()];
    assert!(foundry.contains(r#"<option value="nvidia-l4" selected>"#), "{foundry}");
    assert!(
        !foundry.contains(r#"value="nvidia-dgx-a100""#),
        "a system is not a chip"
    );
    let racks = &html[html.find(r#"id="rack-table""#).unwrap()..html.find(r#"id="rack-add""#).unwrap()];
    assert!(racks.contains(r#"<option value="nvidia-h100-sxm5-80gb" selected>"#));
    assert!(racks.contains(r#"<option value="nvidia-dgx-a100">"#));
    // Nothing from the network: no external script, style, image or font.
    for needle in ["<link", " src=", "@import", "url(", "https://"] {
        assert!(
            !html.contains(needle),
            "the page refers to something outside: `{needle}`"
        );
    }
    let outside: Vec<&str> = html
        .match_indices("http://")
        .map(|(i, _)| &html[i..(i + 40).min(html.len())])
        .filter(|s| !s.starts_with("http://www.w3.org/2000/svg"))
        .collect();
    assert!(outside.is_empty(), "{outside:?}");
    // Every input has a label or an accessible name.
    let inputs = html.matches("<input").count() + html.matches("<select").count() + html.matches("<textarea").count();
    let named = html.matches("<label for=").count() + html.matches("aria-label=").count();
    assert!(named >= inputs, "{named} names for {inputs} controls");
}

#[tokio::test]
async fn the_page_shows_another_rule_set_by_query() {
    let a = get("/?rules=us-2022-10").await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(a.body.contains(r#"data-key="3A090.a.1.interconnect.at_least""#));
    assert!(!a.body.contains(r#"data-key="3A090.a.2.tpp.at_least""#));
    let missing = get("/?rules=us-1999-01").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.content_type.starts_with("text/html"));
    assert!(missing.body.contains("unknown rule set `us-1999-01`"));
}

#[tokio::test]
async fn rule_files_among_the_served_paths_are_named_by_id() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("sku.yaml"), DRAFT).unwrap();
    std::fs::write(
        dir.path().join("lower.yaml"),
        "kind: rules\nid: lower-a1\nextends: us-2024-12\nset:\n  3A090.a.1.tpp.at_least: 2000\n",
    )
    .unwrap();
    let served = Served::from_load(Catalog::load(&[dir.path().to_path_buf()]), "a folder").unwrap();
    assert_eq!(served.rule_ids().last().map(String::as_str), Some("lower-a1"));
    let app = router(served, HostPolicy::Loopback);
    let body = json!({ "rules": "lower-a1" }).to_string();
    let req = Request::post("/api/classify")
        .header(header::CONTENT_LENGTH, body.len())
        .body(Body::from(body))
        .unwrap();
    let a = send(app, req).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let v = a.json();
    assert_eq!(
        (v[0]["part"].as_str(), v[0]["eccn"].as_str()),
        (Some("acme-x1"), Some("3A090.a"))
    );
}

#[test]
fn a_served_catalog_that_does_not_load_does_not_start() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.yaml"), DRAFT.replace("300 TOPS", "300")).unwrap();
    let errors = match Served::from_load(Catalog::load(&[dir.path().to_path_buf()]), "a folder") {
        Ok(_) => panic!("a bad catalog was served"),
        Err(e) => e,
    };
    assert!(errors[0].to_string().contains("bad.yaml:8:"), "{}", errors[0]);
}

// ---- 400: bad input, with the command line's message --------------------------------------

#[tokio::test]
async fn a_bad_datasheet_is_400_with_line_column_field_and_expectation() {
    let bad = DRAFT.replace("int8: 300 TOPS", "int8: 300");
    let a = post_json("/api/classify", json!({ "datasheet": bad })).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    let e = a.error();
    assert_eq!(
        e,
        "<input>:8:38: compute[0].dense.int8: expected a throughput such as `1979 TFLOPS`, found `300` (no unit)"
    );
    let item = &a.json()["errors"][0];
    assert_eq!((item["line"].as_u64(), item["column"].as_u64()), (Some(8), Some(38)));
    assert_eq!(item["field"], "compute[0].dense.int8");
    // The same message as the command line, whose file name stands where `<input>` does.
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("sku.yaml");
    std::fs::write(&f, &bad).unwrap();
    let out = Command::cargo_bin("tppcalc")
        .unwrap()
        .args(["classify", f.to_str().unwrap()])
        .output()
        .unwrap();
    let printed = String::from_utf8(out.stderr).unwrap();
    let first = printed.lines().next().unwrap();
    assert_eq!(first, format!("error: {}", e.replace("<input>", f.to_str().unwrap())));
    // Explain and headroom read the datasheet the same way.
    for endpoint in ["/api/explain", "/api/headroom"] {
        let a = post_json(endpoint, json!({ "datasheet": bad })).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{endpoint}");
        assert_eq!(a.error(), e, "{endpoint}");
    }
}

/// A datasheet posted as text goes through the file loader: a hidden line break or a control
/// character (raw, or written by an escape) is refused with its line and column, as in a file.
#[tokio::test]
async fn a_posted_datasheet_with_a_hidden_line_break_or_control_character_is_400() {
    for (bad, expected) in [
        (
            DRAFT.replace(
                "interconnect: 400 GB/s",
                "interconnect: 400 GB/s # ok\u{85}datacenter: false",
            ),
            "<input>:11:28: next-line character U+0085 (NEL) is not allowed",
        ),
        (
            DRAFT.replace(
                "interconnect: 400 GB/s",
                "interconnect: 400 GB/s # ok\u{2028}datacenter: false",
            ),
            "<input>:11:28: line separator U+2028 is not allowed",
        ),
        (
            DRAFT.replace("ACME X1", "ACME \u{1b}[2JX1"),
            "<input>:3:12: control character U+001B is not allowed",
        ),
        (
            DRAFT.replace("name: ACME X1", "name: \"ACME \\a X1\""),
            "<input>:3:7: name: an escape in this double-quoted string writes control character U+0007",
        ),
    ] {
        for endpoint in ["/api/classify", "/api/explain"] {
            let a = post_json(endpoint, json!({ "datasheet": bad })).await;
            assert_eq!(a.status, StatusCode::BAD_REQUEST, "{endpoint}: {}", a.body);
            assert!(a.error().starts_with(expected), "{endpoint}: {}", a.error());
        }
    }
}

/// A JSON number in `set` is read from its digits: `4800.0000000000000001` is not 4800.
#[tokio::test]
async fn a_set_number_in_json_is_read_exactly_and_must_be_positive() {
    let chip = "kind: chip\nid: edge\nname: Edge\nvendor: ACME\ndatacenter: true\ncompute:\n  - unit: NPU\n    dense: { int8: 600 TOPS }\n";
    let body = |v: &str| {
        format!(
            "{{\"rules\": \"us-2023-11\", \"datasheet\": {}, \"set\": {{\"3A090.a.1.tpp.at_least\": {v}}}}}",
            serde_json::to_string(chip).unwrap()
        )
    };
    let status = |a: &Answer| a.json()[0]["status"].as_str().unwrap().to_string();
    let at = post("/api/classify", body("4800")).await;
    assert_eq!(at.status, StatusCode::OK, "{}", at.body);
    assert_eq!(status(&at), "controlled");
    let above = post("/api/classify", body("4800.0000000000000001")).await;
    assert_eq!(above.status, StatusCode::OK, "{}", above.body);
    assert_ne!(status(&above), "controlled", "{}", above.body);
    for v in ["0", "-0", "-1", "0.0"] {
        let a = post("/api/classify", body(v)).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{v}: {}", a.body);
        assert!(a.error().contains("greater than zero"), "{v}: {}", a.error());
    }
}

#[tokio::test]
async fn malformed_or_unexpected_request_bodies_are_400() {
    let cases: [(&str, &str, &str); 8] = [
        ("/api/classify", "{\"rules\": ", "<request>:1:10: rules: invalid JSON: EOF while parsing a value"),
        ("/api/classify", "[\"us-2023-11\", {}, null]", "<request>: expected a JSON object such as `{ \"rules\": \"us-2024-12\" }`"),
        ("/api/classify", "{\"rule\": \"us-2023-11\"}", "<request>:1:7: rule: unknown field `rule`, expected one of `rules`, `set`, `datasheet`; did you mean `rules`?"),
        ("/api/classify", "{} {}", "<request>:1:4: invalid JSON: trailing characters"),
        ("/api/explain", "{\"part\": \"nvidia-h20\", \"format\": \"yaml\"}", "<request>:1:39: format: unknown variant `yaml`, expected one of `json`, `text`, `markdown`"),
        ("/api/diff", "{\"rules\": \"us-2023-11\"}", "<request>:1:23: missing field `rules_b`"),
        ("/api/chart", "{\"datasheet\": \"kind: chip\"}", "<request>:1:12: datasheet: unknown field `datasheet`, expected one of `rules`, `set`, `view`"),
        ("/api/classify", "{\"set\": {\"3A090.a.1.tpp.at_least\": [1]}}", "<request>: set.3A090.a.1.tpp.at_least: expected a number, a string such as `600 GB/s`, or `true`/`false`, found an array"),
    ];
    for (endpoint, body, message) in cases {
        let a = post(endpoint, body).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{endpoint} {body}: {}", a.body);
        assert_eq!(a.error(), message, "{endpoint} {body}");
    }
}

#[tokio::test]
async fn bad_overrides_are_400_with_the_command_lines_message() {
    let a = post_json("/api/classify", json!({ "set": { "3A090.q.tpp.at_least": 1 } })).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    let e = a.error();
    let out = Command::cargo_bin("tppcalc")
        .unwrap()
        .args(["classify", "--set", "3A090.q.tpp.at_least=1"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(out.stderr).unwrap(), format!("error: {e}\n"));
    assert!(e.contains("names no clause"), "{e}");
    // A value that is no number; a bandwidth without its unit; an upper bound below the lower.
    for (key, value, expected) in [
        (
            "3A090.a.1.tpp.at_least",
            json!("lots"),
            "expected a number such as `4800`, found `lots`",
        ),
        (
            "3A090.a.1.interconnect.at_least",
            json!(400),
            "expected a bandwidth such as `3.35 TB/s`, found `400` (no unit)",
        ),
    ] {
        let a = post_json("/api/classify", json!({ "rules": "us-2022-10", "set": { key: value } })).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{key}: {}", a.body);
        assert!(a.error().contains(expected), "{key}: {}", a.error());
    }
}

#[tokio::test]
async fn part_and_datasheet_are_one_or_the_other() {
    let both = post_json("/api/explain", json!({ "part": "nvidia-h20", "datasheet": DRAFT })).await;
    assert_eq!(both.status, StatusCode::BAD_REQUEST);
    assert!(both.error().contains("not both"));
    let neither = post_json("/api/headroom", json!({})).await;
    assert_eq!(neither.status, StatusCode::BAD_REQUEST);
    assert!(
        neither.error().starts_with("<request>: expected `part`"),
        "{}",
        neither.error()
    );
}

#[tokio::test]
async fn a_rule_file_sent_as_a_datasheet_is_refused() {
    let rules = "kind: rules\nid: mine\nextends: us-2024-12\nset:\n  3A090.a.1.tpp.at_least: 1\n";
    let a = post_json("/api/classify", json!({ "datasheet": rules })).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert!(a.error().contains("found `kind: rules`"), "{}", a.error());
}

#[tokio::test]
async fn a_datasheet_cannot_reach_files_through_a_system_path() {
    let system = "kind: system\nid: box\nname: Box\nvendor: T\ncontains:\n  - { part: ../specs/chips/nvidia/nvidia-h100-sxm5-80gb.yaml, count: 8 }\n";
    let a = post_json("/api/classify", json!({ "datasheet": system })).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST, "{}", a.body);
    assert!(
        a.error().contains("only files on disk may refer to paths"),
        "{}",
        a.error()
    );
}

#[tokio::test]
async fn a_datasheet_over_the_file_limit_but_under_the_body_limit_is_400() {
    let big = format!("{DRAFT}notes: \"{}\"\n", "x".repeat(tppcalc::yaml::MAX_FILE_BYTES));
    let a = post_json("/api/classify", json!({ "datasheet": big })).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert!(a.error().contains("the limit is 262144 bytes"), "{}", a.error());
}

// ---- 404: unknown rule set, part or endpoint ----------------------------------------------

#[tokio::test]
async fn an_unknown_rule_set_is_404_on_every_endpoint() {
    let unknown = "us-1999-01";
    for (endpoint, body) in [
        ("/api/classify", json!({ "rules": unknown })),
        ("/api/explain", json!({ "rules": unknown, "part": "nvidia-h20" })),
        ("/api/headroom", json!({ "rules": unknown, "part": "nvidia-h20" })),
        ("/api/diff", json!({ "rules": unknown, "rules_b": "us-2024-12" })),
        ("/api/diff", json!({ "rules": "us-2024-12", "rules_b": unknown })),
        ("/api/chart", json!({ "rules": unknown })),
        (
            "/api/foundry",
            json!({ "rules": unknown, "part": "nvidia-l4", "completed": "2027-01-01" }),
        ),
    ] {
        let a = post_json(endpoint, body.clone()).await;
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{endpoint} {body}");
        assert!(a.error().starts_with("unknown rule set `us-1999-01`: not a rule set of this server (`us-2022-10`, `us-2023-11`, `us-2024-04`, `us-2024-12`, `us-2025-01`, `us-2026-01`, `us-2026-07`)"), "{}", a.error());
    }
}

#[tokio::test]
async fn rule_files_and_datasheets_are_never_read_from_a_path_in_a_request() {
    // These files exist where the tests run (the package root); the server must not read them.
    let rule_file = "specs/rules/us-2023-11.yaml";
    let datasheet = "specs/chips/nvidia/nvidia-h20.yaml";
    assert!(std::path::Path::new(rule_file).exists() && std::path::Path::new(datasheet).exists());
    for rules in [
        rule_file,
        "./specs/rules/us-2023-11.yaml",
        "/etc/passwd",
        "../../etc/passwd",
    ] {
        let a = post_json("/api/classify", json!({ "rules": rules })).await;
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{rules}");
        assert!(a.error().contains("the server reads no rule files"));
    }
    for part in [datasheet, "/etc/passwd"] {
        for endpoint in ["/api/explain", "/api/headroom"] {
            let a = post_json(endpoint, json!({ "part": part })).await;
            assert_eq!(a.status, StatusCode::NOT_FOUND, "{endpoint} {part}");
            assert!(
                a.error()
                    .contains("not an id in the served catalog (the server reads no files"),
                "{}",
                a.error()
            );
        }
    }
}

#[tokio::test]
async fn an_unknown_part_is_404_with_suggestions() {
    let a = post_json("/api/explain", json!({ "part": "nvidia-h2" })).await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    assert!(a.error().contains("did you mean `nvidia-h20`"), "{}", a.error());
}

#[tokio::test]
async fn an_unknown_endpoint_is_404_and_a_wrong_method_405() {
    let a = get("/api/nothing").await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    assert_eq!(a.error(), "no such endpoint: `GET /api/nothing`; see docs/web.md");
    let a = get("/api/classify").await;
    assert_eq!(a.status, StatusCode::METHOD_NOT_ALLOWED);
}

// ---- 413: body over the limit -------------------------------------------------------------

#[tokio::test]
async fn a_body_over_the_limit_is_413() {
    let over = format!("{{\"datasheet\": \"{}\"}}", "x".repeat(BODY_LIMIT));
    for endpoint in [
        "/api/classify",
        "/api/explain",
        "/api/headroom",
        "/api/diff",
        "/api/chart",
    ] {
        let a = post(endpoint, over.clone()).await;
        assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE, "{endpoint}");
        assert_eq!(
            a.error(),
            format!("request body is larger than the limit of {BODY_LIMIT} bytes")
        );
    }
    // Also when the length is not announced (a chunked body).
    let chunks = over
        .as_bytes()
        .chunks(64 * 1024)
        .map(axum::body::Bytes::copy_from_slice)
        .collect();
    let a = post("/api/classify", Body::new(Chunked(chunks))).await;
    assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE);
    // Exactly at the limit is read (and then judged on its content).
    let at = format!("{{\"rules\": \"{}\"}}", "x".repeat(BODY_LIMIT - 13));
    assert_eq!(at.len(), BODY_LIMIT);
    assert_eq!(post("/api/classify", at).await.status, StatusCode::NOT_FOUND);
}

/// A body of unknown length, sent in chunks.
struct Chunked(std::collections::VecDeque<axum::body::Bytes>);

impl http_body::Body for Chunked {
    type Data = axum::body::Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        std::task::Poll::Ready(self.0.pop_front().map(|b| Ok(http_body::Frame::data(b))))
    }
}

// ---- 403: a host name that is not loopback ------------------------------------------------

#[tokio::test]
async fn a_non_loopback_host_name_is_refused_unless_the_server_is_bound_elsewhere() {
    let with_host = |host: &str| {
        Request::get("/api/rules")
            .header(header::HOST, host)
            .body(Body::empty())
            .unwrap()
    };
    for host in ["localhost:4800", "127.0.0.1:4800", "[::1]:4800", "LOCALHOST"] {
        assert_eq!(send(app(), with_host(host)).await.status, StatusCode::OK, "{host}");
    }
    let a = send(app(), with_host("rebound.example:4800")).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    assert!(a.error().contains("host `rebound.example:4800` is not a loopback name"));
    let open = router(
        Served::from_load(Catalog::embedded(), "the embedded catalog").unwrap(),
        HostPolicy::Any,
    );
    assert_eq!(
        send(open, with_host("rebound.example:4800")).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn every_answer_carries_the_protective_headers() {
    for a in [get("/").await, get("/api/rules").await, get("/api/nothing").await] {
        assert_eq!(a.headers["x-content-type-options"], "nosniff");
        assert_eq!(a.headers["cache-control"], "no-store");
    }
}

// ---- `tppcalc serve`: the command ---------------------------------------------------------

/// `tppcalc serve ARGS`, killed when dropped if still running.
struct Server(std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A raw HTTP/1.1 exchange over a socket, as a browser on this machine would do it.
fn http(addr: &str, request: &str) -> String {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_secs(30))).unwrap();
    s.write_all(request.as_bytes()).unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out
}

#[test]
fn serve_prints_its_loopback_url_answers_and_stops_cleanly_on_ctrl_c() {
    use std::io::BufRead;
    let bin = assert_cmd::cargo::cargo_bin("tppcalc");
    let child = std::process::Command::new(bin)
        .args(["serve", "--port", "0"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut server = Server(child);
    let mut line = String::new();
    std::io::BufReader::new(server.0.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    // `tppcalc serve: http://127.0.0.1:PORT/ (68 parts of the embedded catalog; Ctrl-C stops)`
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no URL in `{line}`"));
    let addr = url.trim_start_matches("http://").trim_end_matches('/');
    assert!(addr.starts_with("127.0.0.1:"), "{line}");
    assert!(line.contains("parts of the embedded catalog"), "{line}");
    let answer = http(
        addr,
        "GET /api/rules HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
    );
    assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
    assert!(answer.contains("\"id\": \"us-2024-12\""));
    let body = r#"{"rules":"us-2023-11","set":{"3A090.a.1.tpp.at_least":2000}}"#;
    let answer = http(
        addr,
        &format!(
            "POST /api/classify HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ),
    );
    assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
    // Ctrl-C: SIGINT to this child only (the shell's built-in `kill`: no procps needed).
    let pid = server.0.id();
    let sent = std::process::Command::new("sh")
        .args(["-c", &format!("kill -INT {pid}")])
        .status()
        .unwrap();
    assert!(sent.success());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let status = loop {
        if let Some(s) = server.0.try_wait().unwrap() {
            break s;
        }
        assert!(std::time::Instant::now() < deadline, "serve did not stop on SIGINT");
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(0), "serve stops cleanly on Ctrl-C");
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut server.0.stderr.take().unwrap(), &mut stderr).unwrap();
    assert_eq!(stderr, "tppcalc serve: stopped\n");
}

#[test]
fn serve_on_a_port_in_use_exits_2_with_a_hint() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let out = Command::cargo_bin("tppcalc")
        .unwrap()
        .args(["serve", "--port", &port])
        .timeout(std::time::Duration::from_secs(30))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        format!("error: cannot listen on `127.0.0.1:{port}`: address already in use (another program uses the port; try `--port 0` for any free port)\n")
    );
}

#[test]
fn serve_refuses_a_catalog_that_does_not_load_and_a_bad_address() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("bad.yaml");
    std::fs::write(&f, DRAFT.replace("300 TOPS", "300")).unwrap();
    let out = Command::cargo_bin("tppcalc")
        .unwrap()
        .args(["serve", f.to_str().unwrap(), "--port", "0"])
        .timeout(std::time::Duration::from_secs(30))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with(&format!("error: {}:8:38: ", f.display())));
    let out = Command::cargo_bin("tppcalc")
        .unwrap()
        .args(["serve", "--bind", "localhost-ish", "--port", "0"])
        .timeout(std::time::Duration::from_secs(30))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[tokio::test]
async fn license_answers_as_the_cli_does_for_one_destination_and_the_map() {
    let a = post_json(
        "/api/license",
        json!({ "rules": "us-2023-11", "part": "nvidia-h100-sxm5-80gb", "to": "CN" }),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(
        a.body,
        run_ok(&[
            "license",
            "nvidia-h100-sxm5-80gb",
            "--to",
            "CN",
            "--rules",
            "us-2023-11",
            "--format",
            "json"
        ])
    );
    let v: Value = serde_json::from_str(&a.body).unwrap();
    assert_eq!(v["license_required"], "yes");
    // The whole map is an array, as `--to all` prints it.
    let all = post_json(
        "/api/license",
        json!({ "rules": "us-2023-11", "part": "nvidia-rtx-4090", "to": "all" }),
    )
    .await;
    assert_eq!(all.status, StatusCode::OK);
    assert_eq!(
        all.body,
        run_ok(&[
            "license",
            "nvidia-rtx-4090",
            "--to",
            "all",
            "--rules",
            "us-2023-11",
            "--format",
            "json"
        ])
    );
    // A missing fact is never "no": Germany with the end user's headquarters unknown.
    let de = post_json(
        "/api/license",
        json!({ "rules": "us-2023-11", "part": "nvidia-h100-sxm5-80gb", "to": "DE" }),
    )
    .await;
    let v: Value = serde_json::from_str(&de.body).unwrap();
    assert_eq!(v["license_required"], "indeterminate");
}

#[tokio::test]
async fn license_errors_are_400_for_a_bad_country_and_404_for_an_unknown_part() {
    let a = post_json("/api/license", json!({ "part": "nvidia-h100-sxm5-80gb", "to": "UK" })).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert!(a.error().contains("`GB`"), "{}", a.error());
    let b = post_json("/api/license", json!({ "part": "nvidia-h2", "to": "CN" })).await;
    assert_eq!(b.status, StatusCode::NOT_FOUND);
    let c = post_json("/api/license", json!({ "part": "nvidia-h20" })).await;
    assert_eq!(c.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn matrix_answers_what_the_command_prints() {
    let a = post_json("/api/matrix", json!({ "rules": ["us-2022-10", "us-2023-11"] })).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(
        a.body,
        run_ok(&[
            "matrix",
            "--rules",
            "us-2022-10",
            "--rules",
            "us-2023-11",
            "--format",
            "json"
        ])
    );
    let all = post_json("/api/matrix", json!({ "format": "text" })).await;
    assert_eq!(all.body, run_ok(&["matrix"]));
    let unknown = post_json("/api/matrix", json!({ "rules": ["us-1999-01"] })).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND, "{}", unknown.body);
}

// ---- foundry and cluster ------------------------------------------------------------------

#[tokio::test]
async fn foundry_answers_what_the_command_prints_in_each_format() {
    let args = [
        "foundry",
        "nvidia-l4",
        "--completed",
        "2029-03-01",
        "--packaged-by",
        "fabricator",
        "--packaged-in",
        "TW",
        "--designer",
        "other",
    ];
    let body = json!({
        "part": "nvidia-l4", "completed": "2029-03-01", "packaged_by": "fabricator",
        "packaged_in": "TW", "designer": "other"
    });
    let a = post_json("/api/foundry", body.clone()).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(a.content_type, "application/json");
    let mut json_args = args.to_vec();
    json_args.extend(["--format", "json"]);
    assert_eq!(a.body, run_ok(&json_args));
    assert_eq!(a.json()["presumption"], "overcome");
    assert_eq!(a.json()["route"], "transistor_count");
    for format in ["text", "markdown"] {
        let mut b = body.clone();
        b["format"] = json!(format);
        let a = post_json("/api/foundry", b).await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        let mut cli = args.to_vec();
        cli.extend(["--format", format]);
        assert_eq!(a.body, run_ok(&cli), "{format}");
    }
    // A rule set, an override and an approved OSAT, as the command line takes them.
    let a = post_json(
        "/api/foundry",
        json!({ "rules": "us-2025-01", "set": { "foundry.no-hbm-2029.below": 30e9 as u64 },
                "part": "nvidia-l4", "completed": "2029-03-01", "packaged_by": "approved-osat", "packaged_in": "MY" }),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(
        a.body,
        run_ok(&[
            "foundry",
            "nvidia-l4",
            "--completed",
            "2029-03-01",
            "--rules",
            "us-2025-01",
            "--set",
            "foundry.no-hbm-2029.below=30000000000",
            "--packaged-by",
            "approved-osat",
            "--packaged-in",
            "MY",
            "--format",
            "json"
        ])
    );
    assert_eq!(
        a.json()["presumption"],
        "applies",
        "35.8 billion is not below 30 billion"
    );
}

#[tokio::test]
async fn foundry_of_a_datasheet_sent_as_text_counts_density_times_area() {
    let a = post_json(
        "/api/foundry",
        json!({ "datasheet": DRAFT.replace("process: N5", "process: TSMC N5"), "completed": "2027-06-30",
                "packaged_by": "fabricator", "packaged_in": "TW" }),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let v = a.json();
    assert_eq!(v["part"], "acme-x1");
    assert_eq!(v["advanced_logic"], "yes");
    assert!(v["count_basis"].as_str().unwrap().starts_with("density x area"), "{v}");
}

#[tokio::test]
async fn foundry_bad_requests_are_400_and_unknown_parts_404() {
    let base = json!({ "part": "nvidia-l4", "completed": "2027-01-01" });
    let with = |k: &str, v: Value| {
        let mut b = base.clone();
        b[k] = v;
        b
    };
    for (body, needle, field) in [
        (
            with("completed", json!("2027-02-29")),
            "month 2 of 2027 has 28 days",
            Some("completed"),
        ),
        (
            with("completed", json!("27-01-01")),
            "expected a date `YYYY-MM-DD`",
            Some("completed"),
        ),
        (
            with("completed", json!("2024-12-31")),
            "before Note 1 to 3A090.a took effect",
            Some("completed"),
        ),
        (
            with("completed", json!("2101-01-01")),
            "out of range",
            Some("completed"),
        ),
        (with("rules", json!("us-2024-12")), "has no `foundry` section", None),
        (with("packaged_in", json!("UK")), "`GB`", Some("packaged_in")),
        (
            with("packaged_by", json!("osat")),
            "unknown variant `osat`",
            Some("packaged_by"),
        ),
        (
            with("designer", json!("maybe")),
            "unknown variant `maybe`",
            Some("designer"),
        ),
        (with("part", json!("nvidia-dgx-a100")), "is a system", None),
        (json!({ "part": "nvidia-l4" }), "missing field `completed`", None),
        (with("completed", json!(20270101)), "invalid type", Some("completed")),
    ] {
        let a = post_json("/api/foundry", body.clone()).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{body}: {}", a.body);
        assert!(a.error().contains(needle), "{body}: {}", a.error());
        if let Some(f) = field {
            assert_eq!(a.json()["errors"][0]["field"], f, "{body}");
        }
    }
    let a = post_json("/api/foundry", with("part", json!("nvidia-h100-sxm5"))).await;
    assert_eq!(a.status, StatusCode::NOT_FOUND, "{}", a.body);
    assert!(
        a.error().contains("did you mean") && a.error().contains("`nvidia-h100-sxm5-80gb`"),
        "{}",
        a.error()
    );
    let a = post_json("/api/foundry", with("rules", json!("us-1999-01"))).await;
    assert_eq!(a.status, StatusCode::NOT_FOUND, "{}", a.body);
}

const POD: &str = "kind: cluster
id: example-pod
name: Example pod
racks:
  - name: GPU racks
    contains: [{ part: nvidia-h100-sxm5-80gb, count: 8 }]
    count: 1250
    volume: 100 ft^3
  - contains: [{ part: nvidia-dgx-a100, count: 4 }]
    count: 10
    volume: 2.8 m^3
";

#[tokio::test]
async fn cluster_answers_what_the_command_prints_for_the_same_file() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("pod.yaml");
    std::fs::write(&f, POD).unwrap();
    let file = f.to_str().unwrap();
    for format in ["json", "text", "markdown"] {
        let a = post_json("/api/cluster", json!({ "cluster": POD, "format": format })).await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        assert_eq!(a.body, run_ok(&["cluster", file, "--format", format]), "{format}");
    }
    let a = post_json("/api/cluster", json!({ "cluster": POD })).await;
    assert_eq!(a.content_type, "application/json");
    let v = a.json();
    assert_eq!(v["supercomputer"], "yes");
    assert!(v["envelope"]["volume_ft3"].as_f64().unwrap() <= 41600.0);
    // The readings are knobs, as on the command line.
    let a = post_json(
        "/api/cluster",
        json!({ "cluster": POD, "fp64_reading": "sum", "fp32_reading": "highest" }),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(
        a.body,
        run_ok(&[
            "cluster",
            file,
            "--fp64-reading",
            "sum",
            "--fp32-reading",
            "highest",
            "--format",
            "json"
        ])
    );
    assert_eq!(a.json()["readings"]["fp64"], "sum");
}

#[tokio::test]
async fn bad_cluster_texts_are_400_with_line_column_field_and_suggestion() {
    for (bad, expected) in [
        (POD.replace("sxm5-80gb", "sxm5"), "<input>:6:"),
        (POD.replace("100 ft^3", "-100 ft^3"), "<input>:8:"),
        (POD.replace("count: 1250", "count: 0"), "<input>:7:"),
        (
            POD.replace("100 ft^3", "100 GB"),
            "expected a volume such as `100 ft^3`",
        ),
        (POD.replace("2.8 m^3", "0 L"), "greater than zero"),
        (POD.replace("kind: cluster", "kind: chip"), "expected `kind: cluster`"),
        (
            "kind: cluster\nid: p\nname: P\nracks: []\n".to_string(),
            "expected at least one rack",
        ),
        (POD.replace("count: 8", "count: 8\u{7}"), "<input>"),
    ] {
        let a = post_json("/api/cluster", json!({ "cluster": bad })).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{bad}: {}", a.body);
        assert!(a.error().contains(expected), "{expected}: {}", a.error());
    }
    let a = post_json("/api/cluster", json!({ "cluster": POD.replace("sxm5-80gb", "sxm5") })).await;
    let e = a.error();
    assert!(
        e.contains("racks[0].contains[0].part") && e.contains("did you mean"),
        "{e}"
    );
    assert_eq!(a.json()["errors"][0]["field"], "racks[0].contains[0].part");
    assert_eq!(a.json()["errors"][0]["line"], 6);
    // The same message as the command line, whose file name stands where `<input>` does.
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("pod.yaml");
    std::fs::write(&f, POD.replace("sxm5-80gb", "sxm5")).unwrap();
    let out = Command::cargo_bin("tppcalc")
        .unwrap()
        .args(["cluster", f.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let printed = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        printed.lines().next().unwrap(),
        format!(
            "error: {}",
            e.lines().next().unwrap().replace("<input>", f.to_str().unwrap())
        )
    );
    for body in [
        json!({}),
        json!({ "cluster": POD, "fp64_reading": "vector" }),
        json!({ "cluster": POD, "rules": "us-2026-07" }),
    ] {
        let a = post_json("/api/cluster", body.clone()).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{body}: {}", a.body);
    }
    // A cluster text over the file limit (but under the body limit) is refused as a file is.
    let big = format!("{POD}notes: \"{}\"\n", "x".repeat(tppcalc::yaml::MAX_FILE_BYTES));
    let a = post_json("/api/cluster", json!({ "cluster": big })).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert!(a.error().contains("the limit is 262144 bytes"), "{}", a.error());
}

/// Each `<!-- api-example: POST PATH = ARGS -->` of docs/web.md: the JSON body after it,
/// sent to PATH, answers exactly what `tppcalc ARGS` prints (a `cluster` text is written to
/// the file ARGS names).
#[tokio::test]
async fn the_api_examples_of_docs_web_md_answer_what_their_commands_print() {
    let doc = std::fs::read_to_string("docs/web.md").unwrap();
    let lines: Vec<&str> = doc.lines().collect();
    let mut seen = 0;
    for (i, line) in lines.iter().enumerate() {
        let Some(rest) = line
            .strip_prefix("<!-- api-example: POST ")
            .and_then(|r| r.strip_suffix(" -->"))
        else {
            continue;
        };
        let (path, args) = rest.split_once(" = ").expect("POST PATH = ARGS");
        assert_eq!(lines[i + 1], "```json", "the body follows the marker");
        let end = i + 2 + lines[i + 2..].iter().position(|l| *l == "```").unwrap();
        let body: Value = serde_json::from_str(&lines[i + 2..end].join("\n")).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let args: Vec<String> = args
            .split(' ')
            .map(|a| match (a.ends_with(".yaml"), body["cluster"].as_str()) {
                (true, Some(text)) => {
                    let f = dir.path().join(a);
                    std::fs::write(&f, text).unwrap();
                    f.to_str().unwrap().to_string()
                }
                _ => a.to_string(),
            })
            .collect();
        let a = post_json(path, body.clone()).await;
        assert_eq!(a.status, StatusCode::OK, "{path} {body}: {}", a.body);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        assert_eq!(a.body, run_ok(&args), "{path} {body}");
        seen += 1;
    }
    assert!(seen >= 2, "docs/web.md has {seen} api-example markers");
}
