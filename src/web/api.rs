//! The JSON API: one handler per command, answering what the command prints with
//! `--format json` (or `text`/`markdown` when the body asks). Handlers parse the body, call the
//! library as the command line does, and render with the same report functions.

use super::Served;
use crate::app;
use crate::catalog::Catalog;
use crate::datasheet::Scalar;
use crate::datasheet::{Origin, Part};
use crate::error::{Error, ErrorKind};
use crate::exact::Exact;
use crate::report::{self, chart, diff as diff_report, explain as explain_report, headroom as headroom_report};
use crate::rules::{branch_prefix, Atom, Condition, RuleSet, RuleStatus, SetValue};
use crate::verdict::Verdict;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::{header, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;

/// An answer that is not a success: a status and the errors, rendered as
/// `{ "error": "<messages, one a line>", "errors": [ ... ] }`.
pub(super) struct ApiError {
    status: StatusCode,
    errors: Vec<Error>,
}

impl ApiError {
    fn bad(errors: Vec<Error>) -> ApiError {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            errors,
        }
    }

    fn not_found(e: Error) -> ApiError {
        ApiError {
            status: StatusCode::NOT_FOUND,
            errors: vec![e],
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        error_response(self.status, &self.errors)
    }
}

/// One error, with its parts for a client that points at a line.
#[derive(Serialize)]
struct ErrorItem<'a> {
    /// As the command line prints it (without `error: `).
    text: String,
    file: Option<&'a str>,
    line: Option<usize>,
    column: Option<usize>,
    field: Option<&'a str>,
    message: &'a str,
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: String,
    errors: Vec<ErrorItem<'a>>,
}

/// The JSON error answer.
pub(super) fn error_response(status: StatusCode, errors: &[Error]) -> Response {
    let body = ErrorBody {
        error: errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n"),
        errors: errors
            .iter()
            .map(|e| ErrorItem {
                text: e.to_string(),
                file: e.file.as_deref(),
                line: e.location.map(|l| l.line),
                column: e.location.map(|l| l.column),
                field: e.field.as_deref(),
                message: &e.message,
            })
            .collect(),
    };
    (status, json_headers(), report::json::render(&body)).into_response()
}

fn json_headers() -> [(header::HeaderName, &'static str); 1] {
    [(header::CONTENT_TYPE, "application/json")]
}

/// A successful answer: the rendered text and its media type.
pub(super) struct Reply {
    content_type: &'static str,
    body: String,
}

impl Reply {
    fn json(body: String) -> Reply {
        Reply {
            content_type: "application/json",
            body,
        }
    }
}

impl IntoResponse for Reply {
    fn into_response(self) -> Response {
        ([(header::CONTENT_TYPE, self.content_type)], self.body).into_response()
    }
}

/// How explain, headroom and diff render: as `--format` does.
#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Format {
    #[default]
    Json,
    Text,
    Markdown,
}

impl Format {
    fn reply(
        self,
        json: impl FnOnce() -> String,
        text: impl FnOnce() -> String,
        markdown: impl FnOnce() -> String,
    ) -> Reply {
        match self {
            Format::Json => Reply::json(json()),
            Format::Text => Reply {
                content_type: "text/plain; charset=utf-8",
                body: text(),
            },
            Format::Markdown => Reply {
                content_type: "text/markdown; charset=utf-8",
                body: markdown(),
            },
        }
    }
}

/// `{ rules?, set?, datasheet? }`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ClassifyBody {
    rules: Option<String>,
    #[serde(default)]
    set: BTreeMap<String, SetJson>,
    datasheet: Option<String>,
}

/// `{ rules?, set?, part | datasheet, format? }`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PartBody {
    rules: Option<String>,
    #[serde(default)]
    set: BTreeMap<String, SetJson>,
    part: Option<String>,
    datasheet: Option<String>,
    #[serde(default)]
    format: Format,
}

/// `{ rules?, set?, part | datasheet, to, end_user_hq?, parent_hq?, end_user_type?, format? }`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LicenseBody {
    rules: Option<String>,
    #[serde(default)]
    set: BTreeMap<String, SetJson>,
    part: Option<String>,
    datasheet: Option<String>,
    to: String,
    end_user_hq: Option<String>,
    parent_hq: Option<String>,
    end_user_type: Option<crate::licensing::EndUserType>,
    #[serde(default)]
    format: Format,
}

/// `{ rules?, rules_b, set?, datasheet?, format? }`: `set` applies to B.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DiffBody {
    rules: Option<String>,
    rules_b: String,
    #[serde(default)]
    set: BTreeMap<String, SetJson>,
    datasheet: Option<String>,
    #[serde(default)]
    format: Format,
}

/// `{ rules?, set? }`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ChartBody {
    rules: Option<String>,
    #[serde(default)]
    set: BTreeMap<String, SetJson>,
    /// The window to draw, `{ "tpp": [from, to], "pd": [from, to] }`; default: every part.
    view: Option<chart::View>,
}

/// Runs the work off the async threads: classification is CPU work.
async fn blocking(f: impl FnOnce() -> Result<Reply, ApiError> + Send + 'static) -> Response {
    match tokio::task::spawn_blocking(f).await {
        Ok(Ok(r)) => r.into_response(),
        Ok(Err(e)) => e.into_response(),
        Err(_) => error_response(
            StatusCode::INTERNAL_SERVER_ERROR,
            &[Error::new(
                ErrorKind::Usage,
                "internal error: the request could not be answered",
            )],
        ),
    }
}

/// Reads a JSON body into `T`. An empty body is `{}`. Errors name the request position and
/// the field, as YAML errors name the file position and the field.
fn parse_body<T: DeserializeOwned>(body: Result<Bytes, BytesRejection>) -> Result<T, ApiError> {
    let bytes = match body {
        Ok(b) => b,
        Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return Err(ApiError {
                status: StatusCode::PAYLOAD_TOO_LARGE,
                errors: vec![Error::new(
                    ErrorKind::Limit,
                    format!("request body is larger than the limit of {} bytes", super::BODY_LIMIT),
                )],
            })
        }
        Err(rejection) => {
            return Err(ApiError::bad(vec![Error::new(
                ErrorKind::Read,
                format!("cannot read the request body: {}", rejection.body_text().to_lowercase()),
            )]))
        }
    };
    let bytes: &[u8] = if bytes.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        &bytes
    };
    // serde would read a struct from an array too (by position); the API takes objects only.
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(ApiError::bad(vec![Error::new(
            ErrorKind::Schema,
            "expected a JSON object such as `{ \"rules\": \"us-2024-12\" }`",
        )
        .in_file("<request>")]));
    }
    // First: no object repeats a key (serde_json would keep the last one silently).
    let mut check = serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize::<_, super::json::UniqueKeys>(&mut check)
        .map_err(|e| body_error(e.path().to_string(), e.into_inner()))?;
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value: T =
        serde_path_to_error::deserialize(&mut de).map_err(|e| body_error(e.path().to_string(), e.into_inner()))?;
    de.end().map_err(|e| body_error(String::new(), e))?;
    Ok(value)
}

fn body_error(path: String, e: serde_json::Error) -> ApiError {
    let kind = match e.classify() {
        serde_json::error::Category::Data => ErrorKind::Schema,
        _ => ErrorKind::Syntax,
    };
    let raw = e.to_string();
    // serde_json appends " at line L column C"; the position is shown in front instead.
    let message = match raw.rfind(" at line ") {
        Some(i) => raw[..i].to_string(),
        None => raw,
    };
    let message = if kind == ErrorKind::Syntax {
        format!("invalid JSON: {message}")
    } else {
        message
    };
    let location = (e.line() > 0).then_some(crate::error::Location {
        line: e.line(),
        column: e.column(),
    });
    ApiError::bad(vec![Error::new(kind, message)
        .in_file("<request>")
        .at_field(path)
        .at(location)])
}

/// A value of `set` as its JSON text, so that a number is read exactly from its digits
/// (`1.99999999999999999` is not 2), never through a binary float.
type SetJson = Box<serde_json::value::RawValue>;

/// Turns `set` into overrides, in key order, reading values as `--set KEY=VALUE` does.
fn overrides(set: &BTreeMap<String, SetJson>) -> Result<Vec<SetValue>, ApiError> {
    let mut out = Vec::new();
    for (key, raw) in set {
        let text = raw.get().trim();
        let found = match text.as_bytes().first() {
            Some(b'n') => Some("null"),
            Some(b'[') => Some("an array"),
            Some(b'{') => Some("an object"),
            _ => None,
        };
        let value = match (text, found) {
            ("true", _) => Scalar::Bool(true),
            ("false", _) => Scalar::Bool(false),
            (_, Some(found)) => {
                return Err(ApiError::bad(vec![Error::new(
                    ErrorKind::Schema,
                    format!("expected a number, a string such as `600 GB/s`, or `true`/`false`, found {found}"),
                )
                .in_file("<request>")
                .at_field(format!("set.{key}"))]))
            }
            // A string, unescaped; a number, as the digits written (read exactly as a decimal
            // later).
            (t, None) if t.starts_with('"') => {
                Scalar::Text(serde_json::from_str::<String>(t).unwrap_or_default().trim().to_string())
            }
            (t, None) => Scalar::Text(t.to_string()),
        };
        out.push(SetValue {
            key: key.trim().to_string(),
            value,
        });
    }
    Ok(out)
}

fn rule_set(s: &Served, id: Option<&str>, set: &BTreeMap<String, SetJson>) -> Result<RuleSet, ApiError> {
    let set = overrides(set)?;
    s.resolve(id, &set).map_err(|e| match e {
        Some(e) => ApiError::bad(vec![e]),
        None => ApiError::not_found(s.unknown_rules(id.unwrap_or_default())),
    })
}

/// Reads a datasheet sent as text. Nothing is read from disk: a system can name only parts
/// of the same text, which is one part, so systems are checked by id in the served catalog.
fn inline_catalog(text: &str) -> Result<Catalog, ApiError> {
    let loaded = Catalog::from_files(vec![(Origin::Inline, Ok(text.as_bytes().to_vec()))]);
    if !loaded.errors.is_empty() {
        return Err(ApiError::bad(loaded.errors));
    }
    if !loaded.rule_files.is_empty() {
        return Err(ApiError::bad(vec![Error::new(
            ErrorKind::Schema,
            "expected a datasheet (`kind: chip`, `memory` or `system`), found `kind: rules`; the server uses its own rule sets only",
        )
        .in_file(Origin::Inline.to_string())
        .at_field("kind")]));
    }
    if loaded.catalog.is_empty() {
        return Err(ApiError::bad(vec![Error::new(
            ErrorKind::Schema,
            "expected a datasheet, found no part",
        )
        .in_file(Origin::Inline.to_string())]));
    }
    Ok(loaded.catalog)
}

/// The catalog and part id a part request is about: `part` names a part of the served
/// catalog, `datasheet` sends one.
fn subject(s: &Served, part: Option<&str>, datasheet: Option<&str>) -> Result<(Option<Catalog>, String), ApiError> {
    match (part, datasheet) {
        (Some(_), Some(_)) => Err(ApiError::bad(vec![Error::new(
            ErrorKind::Usage,
            "give `part` (an id in the served catalog) or `datasheet` (YAML text), not both",
        )
        .in_file("<request>")])),
        (None, None) => Err(ApiError::bad(vec![Error::new(
            ErrorKind::Usage,
            "expected `part` (an id in the served catalog) or `datasheet` (YAML text)",
        )
        .in_file("<request>")])),
        (None, Some(text)) => {
            let cat = inline_catalog(text)?;
            let id = cat.parts().next().map(|p| p.id().0.clone()).unwrap_or_default();
            Ok((Some(cat), id))
        }
        (Some(id), None) => {
            if s.catalog.get(id).is_some() {
                return Ok((None, id.to_string()));
            }
            let hint = s.catalog.did_you_mean(id);
            Err(ApiError::not_found(Error::new(
                ErrorKind::UnknownReference,
                format!("unknown part `{id}`: not an id in the served catalog (the server reads no files: send a datasheet's text as `datasheet`){hint}"),
            )))
        }
    }
}

/// Runs `f` on the part a request names (`part` in the served catalog, or `datasheet` text)
/// under the rule set it names.
fn with_part<T>(
    s: &Served,
    rules: &Option<String>,
    set: &BTreeMap<String, SetJson>,
    part: &Option<String>,
    datasheet: &Option<String>,
    f: impl FnOnce(&Catalog, &crate::datasheet::Part, &RuleSet) -> Result<T, ApiError>,
) -> Result<T, ApiError> {
    let (own, id) = subject(s, part.as_deref(), datasheet.as_deref())?;
    let rs = rule_set(s, rules.as_deref(), set)?;
    let catalog = own.as_ref().unwrap_or(&s.catalog);
    f(catalog, found(catalog, &id)?, &rs)
}

/// `GET /api/rules`.
pub(super) async fn rules(State(s): State<Arc<Served>>) -> Response {
    blocking(move || Ok(Reply::json(report::json::render(&rule_list(&s))))).await
}

/// `POST /api/classify`.
pub(super) async fn classify(State(s): State<Arc<Served>>, body: Result<Bytes, BytesRejection>) -> Response {
    blocking(move || {
        let b: ClassifyBody = parse_body(body)?;
        let rs = rule_set(&s, b.rules.as_deref(), &b.set)?;
        let rows = match &b.datasheet {
            Some(text) => app::classify(&inline_catalog(text)?, std::slice::from_ref(&rs)),
            None => app::classify(&s.catalog, std::slice::from_ref(&rs)),
        };
        Ok(Reply::json(report::json::rows(&rows)))
    })
    .await
}

/// `POST /api/license`: the answers `tppcalc license` gives, in its formats (one object for
/// one destination, an array for `"to": "all"`).
pub(super) async fn license(State(s): State<Arc<Served>>, body: Result<Bytes, BytesRejection>) -> Response {
    blocking(move || {
        let b: LicenseBody = parse_body(body)?;
        let to = crate::licensing::To::parse(&b.to);
        let answers = with_part(&s, &b.rules, &b.set, &b.part, &b.datasheet, |catalog, part, rs| {
            app::license(
                catalog,
                part,
                rs,
                &to,
                b.end_user_hq.as_deref(),
                b.parent_hq.as_deref(),
                b.end_user_type,
            )
            .map_err(|e| ApiError::bad(vec![e]))
        })?;
        let one = to != crate::licensing::To::All;
        Ok(b.format.reply(
            || {
                if one {
                    report::json::render(&answers[0])
                } else {
                    report::json::render(&answers)
                }
            },
            || {
                if one {
                    report::license::text(&answers[0])
                } else {
                    report::license::table(&answers)
                }
            },
            || {
                if one {
                    report::license::markdown(&answers[0])
                } else {
                    report::license::markdown_table(&answers)
                }
            },
        ))
    })
    .await
}

/// `POST /api/explain`.
pub(super) async fn explain(State(s): State<Arc<Served>>, body: Result<Bytes, BytesRejection>) -> Response {
    blocking(move || {
        let b: PartBody = parse_body(body)?;
        let doc = with_part(&s, &b.rules, &b.set, &b.part, &b.datasheet, |catalog, part, rs| {
            // A datasheet sent as text is a file to the command line.
            let subject = b.part.as_deref().unwrap_or("FILE");
            Ok(app::explain(catalog, part, rs, subject))
        })?;
        Ok(b.format.reply(
            || report::json::render(&doc),
            || explain_report::text(&doc),
            || explain_report::markdown(&doc),
        ))
    })
    .await
}

/// `POST /api/headroom`.
pub(super) async fn headroom(State(s): State<Arc<Served>>, body: Result<Bytes, BytesRejection>) -> Response {
    blocking(move || {
        let b: PartBody = parse_body(body)?;
        let r = with_part(&s, &b.rules, &b.set, &b.part, &b.datasheet, |catalog, part, rs| {
            Ok(app::headroom(catalog, part, rs))
        })?;
        Ok(b.format.reply(
            || report::json::render(&r),
            || headroom_report::text(&r),
            || headroom_report::markdown(&r),
        ))
    })
    .await
}

/// `POST /api/diff`.
pub(super) async fn diff(State(s): State<Arc<Served>>, body: Result<Bytes, BytesRejection>) -> Response {
    blocking(move || {
        let b: DiffBody = parse_body(body)?;
        let ra = rule_set(&s, b.rules.as_deref(), &BTreeMap::new())?;
        let rb = rule_set(&s, Some(&b.rules_b), &b.set)?;
        let own = b.datasheet.as_deref().map(inline_catalog).transpose()?;
        let catalog = own.as_ref().unwrap_or(&s.catalog);
        let d = app::diff(catalog, &ra, &rb);
        Ok(b.format.reply(
            || report::json::render(&d),
            || diff_report::text(&d),
            || diff_report::markdown(&d),
        ))
    })
    .await
}

/// `POST /api/chart`: the TPP x performance density map of the served catalog, as
/// `tppcalc chart` draws it.
pub(super) async fn chart(State(s): State<Arc<Served>>, body: Result<Bytes, BytesRejection>) -> Response {
    blocking(move || {
        let b: ChartBody = parse_body(body)?;
        let rs = rule_set(&s, b.rules.as_deref(), &b.set)?;
        Ok(Reply {
            content_type: "image/svg+xml",
            body: chart_svg(&s.catalog, &rs, b.view)?,
        })
    })
    .await
}

/// `{ rules?: [ID...], datasheet?, format? }`: without `rules`, every served rule set.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MatrixBody {
    #[serde(default)]
    rules: Vec<String>,
    datasheet: Option<String>,
    #[serde(default)]
    format: Format,
}

/// `POST /api/matrix`: as `tppcalc matrix`.
pub(super) async fn matrix(State(s): State<Arc<Served>>, body: Result<Bytes, BytesRejection>) -> Response {
    blocking(move || {
        let b: MatrixBody = parse_body(body)?;
        let ids: Vec<String> = if b.rules.is_empty() { s.ids.clone() } else { b.rules };
        let sets = ids
            .iter()
            .map(|id| rule_set(&s, Some(id), &BTreeMap::new()))
            .collect::<Result<Vec<_>, _>>()?;
        let own = match &b.datasheet {
            Some(text) => Some(inline_catalog(text)?),
            None => None,
        };
        let m = report::matrix::build(own.as_ref().unwrap_or(&s.catalog), &sets);
        Ok(b.format.reply(
            || report::matrix::json(&m),
            || report::matrix::table(&m),
            || report::matrix::markdown(&m),
        ))
    })
    .await
}

/// `{ rules?, set?, part | datasheet, completed, packaged_by?, packaged_in?, designer?, format? }`:
/// the arguments of `tppcalc foundry`, by the same names.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FoundryBody {
    rules: Option<String>,
    #[serde(default)]
    set: BTreeMap<String, SetJson>,
    part: Option<String>,
    datasheet: Option<String>,
    /// `YYYY-MM-DD`, as `--completed`.
    completed: String,
    packaged_by: Option<crate::foundry::Packager>,
    packaged_in: Option<String>,
    designer: Option<crate::foundry::Designer>,
    #[serde(default)]
    format: Format,
}

/// `POST /api/foundry`: as `tppcalc foundry PART --completed DATE ...`.
pub(super) async fn foundry(State(s): State<Arc<Served>>, body: Result<Bytes, BytesRejection>) -> Response {
    blocking(move || {
        let b: FoundryBody = parse_body(body)?;
        let q = crate::foundry::Question {
            completed: b.completed.trim().to_string(),
            packaged_by: b.packaged_by,
            packaged_in: b.packaged_in.clone(),
            designer: b.designer,
        };
        let answer = with_part(&s, &b.rules, &b.set, &b.part, &b.datasheet, |catalog, part, rs| {
            crate::foundry::ask(catalog, part, rs, &q).map_err(|e| ApiError::bad(vec![request_field(e)]))
        })?;
        Ok(b.format.reply(
            || report::json::render(&answer),
            || report::foundry::text(&answer),
            || report::foundry::markdown(&answer),
        ))
    })
    .await
}

/// An error about an argument, named as the request names it (`completed`, not `--completed`).
fn request_field(mut e: Error) -> Error {
    if let Some(f) = e.field.as_deref() {
        if let Some(name) = f.strip_prefix("--") {
            e.field = Some(name.replace('-', "_"));
            e.file = Some("<request>".to_string());
        }
    }
    e
}

/// `{ cluster, fp64_reading?, fp32_reading?, format? }`: `cluster` is the text of a
/// `kind: cluster` file; its part ids name parts of the served catalog.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ClusterBody {
    cluster: String,
    fp64_reading: Option<crate::cluster::Reading>,
    fp32_reading: Option<crate::cluster::Reading>,
    #[serde(default)]
    format: Format,
}

/// `POST /api/cluster`: as `tppcalc cluster FILE`, the file sent as text.
pub(super) async fn cluster(State(s): State<Arc<Served>>, body: Result<Bytes, BytesRejection>) -> Response {
    blocking(move || {
        let b: ClusterBody = parse_body(body)?;
        let origin = Origin::Inline;
        let text = crate::yaml::decode(b.cluster.as_bytes())
            .map_err(|e| ApiError::bad(vec![e.in_file(origin.to_string())]))?;
        let c = crate::cluster::parse_cluster(text, &origin, &s.catalog).map_err(|e| ApiError::bad(e.0))?;
        let knobs = crate::cluster::Knobs {
            fp64: b.fp64_reading,
            fp32: b.fp32_reading,
        };
        let answer = crate::cluster::assess(&s.catalog, &c, crate::cluster::Definition::shipped(), knobs);
        Ok(b.format.reply(
            || report::json::render(&answer),
            || report::cluster::text(&answer),
            || report::cluster::markdown(&answer),
        ))
    })
    .await
}

/// Any other path.
pub(super) async fn not_found(method: Method, uri: Uri) -> Response {
    error_response(
        StatusCode::NOT_FOUND,
        &[Error::new(
            ErrorKind::UnknownReference,
            format!("no such endpoint: `{method} {}`; see docs/web.md", uri.path()),
        )],
    )
}

fn found<'a>(catalog: &'a Catalog, id: &str) -> Result<&'a Part, ApiError> {
    catalog
        .get(id)
        .ok_or_else(|| ApiError::not_found(Error::new(ErrorKind::UnknownReference, format!("unknown part `{id}`"))))
}

/// The verdicts of a catalog under a rule set (in parallel, as the command line).
pub(super) fn verdicts(catalog: &Catalog, rules: &RuleSet) -> Vec<Verdict> {
    app::verdicts(catalog, rules)
}

/// The chart of a catalog under a rule set, over a window (default: every part).
pub(super) fn chart_svg(catalog: &Catalog, rules: &RuleSet, view: Option<chart::View>) -> Result<String, ApiError> {
    if let Some(v) = view.filter(|v| !v.is_valid()) {
        return Err(ApiError::bad(vec![Error::new(
            ErrorKind::Usage,
            format!(
                "`view` must give two increasing positive ranges, `{{\"tpp\": [from, to], \"pd\": [from, to]}}`; found tpp {:?}, pd {:?}",
                v.tpp, v.pd
            ),
        )]));
    }
    let points = chart::points(catalog, &verdicts(catalog, rules), rules);
    Ok(chart::map(rules, &points, view).0)
}

/// One rule set as `GET /api/rules` lists it.
#[derive(Debug, Clone, Serialize)]
pub(super) struct RuleSetInfo {
    pub id: String,
    pub title: String,
    pub status: RuleStatus,
    pub effective: Option<String>,
    /// Whether a request without `rules` gets this one.
    pub default: bool,
    pub citations: Vec<String>,
    /// Every numeric threshold, with the `set` key that changes it.
    pub thresholds: Vec<Threshold>,
}

/// One threshold of a rule set.
#[derive(Debug, Clone, Serialize)]
pub(super) struct Threshold {
    /// The `set` key: `3A090.a.1.tpp.at_least`.
    pub key: String,
    /// The clause (control or exclusion) it belongs to.
    pub clause: String,
    /// The metric: `tpp`, `performance_density`, ...
    pub metric: String,
    /// `at_least`, `above`, `below` or `at_most`.
    pub bound: String,
    /// `>=`, `>`, `<` or `<=`.
    pub symbol: String,
    /// The exact value as a decimal (`5.92`), in the unit below.
    pub value: String,
    /// The unit a `set` value needs after the number (`GB/s`), or empty for plain numbers.
    pub unit: String,
}

pub(super) fn rule_list(s: &Served) -> Vec<RuleSetInfo> {
    s.ids
        .iter()
        .filter_map(|id| s.registry.resolve(id, &[]).ok())
        .map(|rs| info(&rs, s.default_id.as_deref() == Some(rs.id.as_str())))
        .collect()
}

pub(super) fn info(rs: &RuleSet, default: bool) -> RuleSetInfo {
    RuleSetInfo {
        id: rs.id.clone(),
        title: rs.title.clone(),
        status: rs.status,
        effective: rs.effective.clone(),
        default,
        citations: rs.citations.clone(),
        thresholds: thresholds(rs),
    }
}

/// Every bound of every clause, in file order, keyed as `set` names it (branches of `any_of`
/// by explicit index).
pub(super) fn thresholds(rs: &RuleSet) -> Vec<Threshold> {
    fn walk(clause: &str, c: &Condition, out: &mut Vec<Threshold>) {
        c.for_each_atom(&mut |path, atom| {
            if let Atom::Bound { metric, op, threshold } = atom {
                out.push(Threshold {
                    key: format!("{clause}.{}{}.{}", branch_prefix(path), metric.name(), op.name()),
                    clause: clause.to_string(),
                    metric: metric.name().to_string(),
                    bound: op.name().to_string(),
                    symbol: op.symbol().to_string(),
                    value: decimal(threshold),
                    unit: if metric.is_bandwidth() { "GB/s" } else { "" }.to_string(),
                });
            }
        });
    }
    let mut out = Vec::new();
    for c in &rs.controls {
        walk(&c.id, &c.when, &mut out);
    }
    for x in &rs.exclusions {
        walk(&x.id, &x.when, &mut out);
    }
    out
}

fn decimal(x: &Exact) -> String {
    crate::numfmt::exact(x)
}
