//! `tppcalc serve` against clients that try to hold it open: on a real socket on 127.0.0.1,
//! with the limits lowered so that each case takes about a second. Every wait is bounded, so a
//! regression fails instead of hanging.

use axum::Router;
use std::net::SocketAddr;
use std::sync::OnceLock;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tppcalc::catalog::Catalog;
use tppcalc::web::{self, HostPolicy, Limits, Served, Stopped};

fn app() -> Router {
    static APP: OnceLock<Router> = OnceLock::new();
    APP.get_or_init(|| {
        let served = Served::from_load(Catalog::embedded(), "the embedded catalog").unwrap_or_else(|e| panic!("{e:?}"));
        web::router(served, HostPolicy::Loopback)
    })
    .clone()
}

/// Generous: what a test waits at most for something that should happen within a second.
const PATIENCE: Duration = Duration::from_secs(20);

/// Long enough not to fire during a test that is not about it.
const NEVER: Duration = Duration::from_secs(3600);

struct Running {
    addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    server: tokio::task::JoinHandle<std::io::Result<Stopped>>,
}

impl Running {
    /// Sends the shutdown signal; returns how the server stopped and how long it took.
    async fn shut_down(mut self) -> (Stopped, Duration) {
        let t = Instant::now();
        let _ = self.stop.take().unwrap().send(());
        let stopped = tokio::time::timeout(PATIENCE, self.server)
            .await
            .expect("the server did not stop within 20 s of the signal")
            .unwrap()
            .unwrap();
        (stopped, t.elapsed())
    }
}

async fn start(limits: Limits) -> Running {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(web::serve_with(listener, app(), limits, async {
        let _ = stopped.await;
    }));
    Running {
        addr,
        stop: Some(stop),
        server,
    }
}

fn limits(header: Duration, body: Duration, connections: usize, deadline: Duration) -> Limits {
    Limits {
        header_timeout: header,
        body_timeout: body,
        max_connections: connections,
        shutdown_deadline: deadline,
    }
}

/// Reads until the server closes the connection (or [`PATIENCE`] passes: a failure).
async fn read_to_close(s: &mut TcpStream) -> String {
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match tokio::time::timeout(PATIENCE, s.read(&mut buf)).await {
            Err(_) => panic!(
                "the server kept the connection open for 20 s; read so far: {}",
                String::from_utf8_lossy(&out)
            ),
            Ok(Ok(0)) | Ok(Err(_)) => return String::from_utf8_lossy(&out).into_owned(),
            Ok(Ok(n)) => out.extend_from_slice(&buf[..n]),
        }
    }
}

/// Reads one answer whose body has a `content-length` (the connection stays open).
async fn read_answer(s: &mut TcpStream) -> String {
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let n = tokio::time::timeout(PATIENCE, s.read(&mut buf))
            .await
            .expect("no answer within 20 s")
            .unwrap();
        assert!(n > 0, "closed before a full answer: {}", String::from_utf8_lossy(&out));
        out.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&out).into_owned();
        if let Some(end) = text.find("\r\n\r\n") {
            let length: usize = text[..end]
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length: ")
                        .map(|v| v.trim().parse().unwrap())
                })
                .expect("a content-length");
            if out.len() >= end + 4 + length {
                return text;
            }
        }
    }
}

const GET_RULES: &str = "GET /api/rules HTTP/1.1\r\nHost: localhost\r\n\r\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_sends_half_a_request_head_is_cut_off_after_the_header_timeout() {
    let server = start(limits(Duration::from_millis(500), NEVER, 8, NEVER)).await;
    let mut s = TcpStream::connect(server.addr).await.unwrap();
    let t = Instant::now();
    s.write_all(b"GET /api/rules HTTP/1.1\r\nHost: loc").await.unwrap();
    let answer = read_to_close(&mut s).await;
    let waited = t.elapsed();
    assert_eq!(answer, "", "closed without an answer");
    assert!(waited >= Duration::from_millis(400), "closed too early: {waited:?}");
    // A connection that sends nothing at all is closed the same way.
    let mut silent = TcpStream::connect(server.addr).await.unwrap();
    assert_eq!(read_to_close(&mut silent).await, "");
    let (stopped, _) = server.shut_down().await;
    assert_eq!(stopped.dropped, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idle_keep_alive_connection_is_closed_after_the_header_timeout() {
    let server = start(limits(Duration::from_millis(500), NEVER, 8, NEVER)).await;
    let mut s = TcpStream::connect(server.addr).await.unwrap();
    s.write_all(GET_RULES.as_bytes()).await.unwrap();
    let answer = read_answer(&mut s).await;
    assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
    // Kept alive: a second request on the same connection is answered...
    s.write_all(GET_RULES.as_bytes()).await.unwrap();
    assert!(read_answer(&mut s).await.starts_with("HTTP/1.1 200 OK\r\n"));
    // ...and then, idle, the connection is closed.
    let t = Instant::now();
    assert_eq!(read_to_close(&mut s).await, "");
    assert!(t.elapsed() >= Duration::from_millis(400), "{:?}", t.elapsed());
    server.shut_down().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_that_does_not_arrive_in_time_is_a_400_and_the_connection_closes() {
    let server = start(limits(NEVER, Duration::from_millis(500), 8, NEVER)).await;
    let mut s = TcpStream::connect(server.addr).await.unwrap();
    let t = Instant::now();
    s.write_all(b"POST /api/classify HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"rules\":")
        .await
        .unwrap();
    let answer = read_to_close(&mut s).await;
    assert!(answer.starts_with("HTTP/1.1 400 Bad Request\r\n"), "{answer}");
    assert!(answer.contains("the body did not arrive within 0.5 s"), "{answer}");
    assert!(t.elapsed() >= Duration::from_millis(400), "{:?}", t.elapsed());
    server.shut_down().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_with_half_sent_requests_open_ends_within_the_deadline() {
    let deadline = Duration::from_millis(500);
    let server = start(limits(NEVER, NEVER, 8, deadline)).await;
    // One client stops in the middle of its head, one in the middle of its body, one is idle
    // after an answer.
    let mut head = TcpStream::connect(server.addr).await.unwrap();
    head.write_all(b"POST /api/classify HTTP/1.1\r\nHost: loc")
        .await
        .unwrap();
    let mut body = TcpStream::connect(server.addr).await.unwrap();
    body.write_all(b"POST /api/classify HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\n{")
        .await
        .unwrap();
    let mut idle = TcpStream::connect(server.addr).await.unwrap();
    idle.write_all(GET_RULES.as_bytes()).await.unwrap();
    read_answer(&mut idle).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let (stopped, took) = server.shut_down().await;
    assert!(took < deadline + Duration::from_secs(5), "{took:?}");
    // The idle connection closes at once; the two half-sent requests are still in flight at
    // the deadline: dropped.
    assert_eq!(stopped.dropped, 2, "{stopped:?}");
    assert!(took >= deadline, "{took:?}");
    for s in [&mut head, &mut body, &mut idle] {
        read_to_close(s).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_past_the_limit_wait_until_one_closes() {
    let server = start(limits(NEVER, NEVER, 2, NEVER)).await;
    let mut first = TcpStream::connect(server.addr).await.unwrap();
    first.write_all(GET_RULES.as_bytes()).await.unwrap();
    read_answer(&mut first).await;
    let mut second = TcpStream::connect(server.addr).await.unwrap();
    second.write_all(GET_RULES.as_bytes()).await.unwrap();
    read_answer(&mut second).await;
    // The third connects (the operating system queues it) but is not served...
    let mut third = TcpStream::connect(server.addr).await.unwrap();
    third.write_all(GET_RULES.as_bytes()).await.unwrap();
    let mut buf = [0u8; 64];
    let early = tokio::time::timeout(Duration::from_millis(700), third.read(&mut buf)).await;
    assert!(early.is_err(), "answered past the limit: {early:?}");
    // ...until one of the two closes.
    drop(first);
    let answer = read_answer(&mut third).await;
    assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
    drop((second, third));
    server.shut_down().await;
}

/// The command itself: SIGINT while a client holds half a request stops it within the
/// documented deadline, and it says that it dropped the connection.
#[cfg(unix)]
#[test]
fn tppcalc_serve_stops_on_sigint_with_a_half_sent_request_open() {
    use std::io::{BufRead, Write};
    let bin = assert_cmd::cargo::cargo_bin("tppcalc");
    let mut child = std::process::Command::new(bin)
        .args(["serve", "--port", "0"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let kill_on_exit = scopeguard(pid);
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no URL in `{line}`"));
    let addr = url.trim_start_matches("http://").trim_end_matches('/');
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.write_all(b"POST /api/classify HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000\r\n\r\n{\"rules\"")
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let t = Instant::now();
    let sent = std::process::Command::new("sh")
        .args(["-c", &format!("kill -INT {pid}")])
        .status()
        .unwrap();
    assert!(sent.success());
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            t.elapsed() < web::SHUTDOWN_DEADLINE + PATIENCE,
            "serve did not stop on SIGINT"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    drop(kill_on_exit);
    assert!(
        t.elapsed() < web::SHUTDOWN_DEADLINE + Duration::from_secs(5),
        "{:?}",
        t.elapsed()
    );
    assert_eq!(status.code(), Some(0));
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert_eq!(
        stderr,
        "tppcalc serve: stopped (1 connection still open after 5 s dropped)\n"
    );
    drop(s);
}

/// Kills the process `pid` (SIGKILL) when dropped, should the test fail before it stops.
fn scopeguard(pid: u32) -> impl Drop {
    struct Guard(u32);
    impl Drop for Guard {
        fn drop(&mut self) {
            if std::thread::panicking() {
                let _ = std::process::Command::new("sh")
                    .args(["-c", &format!("kill -KILL {} 2>/dev/null", self.0)])
                    .status();
            }
        }
    }
    Guard(pid)
}

// ---- protocol edges: origin, length, duplicate keys, host --------------------------------

/// One request through the router in process; the answer's status and body.
async fn oneshot(req: axum::http::Request<axum::body::Body>) -> (axum::http::StatusCode, String) {
    use tower::ServiceExt;
    let res = app().oneshot(req).await.unwrap();
    let status = res.status();
    let bytes = axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap();
    (status, String::from_utf8(bytes.to_vec()).unwrap())
}

fn classify_request(headers: &[(&str, &str)], body: &str) -> axum::http::Request<axum::body::Body> {
    let mut req = axum::http::Request::post("/api/classify");
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    req.body(axum::body::Body::from(body.to_string())).unwrap()
}

const BODY: &str = r#"{"rules":"us-2023-11"}"#;

#[tokio::test]
async fn a_post_from_another_origin_is_403_and_one_from_this_server_is_answered() {
    let len = BODY.len().to_string();
    for (host, origin, want) in [
        ("localhost:4800", Some("http://localhost:4800"), 200),
        ("LOCALHOST:4800", Some("http://localhost:4800"), 200),
        ("localhost", Some("http://localhost:80"), 200),
        ("localhost:4800", None, 200),
        ("localhost:4800", Some("https://evil.example"), 403),
        ("localhost:4800", Some("http://127.0.0.1:4800"), 403),
        ("localhost:4800", Some("http://localhost:4801"), 403),
        ("localhost:4800", Some("https://localhost:4800"), 403),
        ("localhost:4800", Some("null"), 403),
        ("localhost:4800", Some("http://localhost:4800@evil.example"), 403),
    ] {
        let mut headers = vec![("host", host), ("content-length", len.as_str())];
        headers.extend(origin.map(|o| ("origin", o)));
        let (status, body) = oneshot(classify_request(&headers, BODY)).await;
        assert_eq!(status.as_u16(), want, "{host} {origin:?}: {body}");
        if want == 403 {
            assert!(body.contains("cross-origin request from"), "{body}");
        }
    }
    // A GET is not checked: pages and the rule list may be linked from anywhere (and the
    // host check still applies).
    let get = axum::http::Request::get("/api/rules")
        .header("host", "localhost")
        .header("origin", "https://evil.example")
        .body(axum::body::Body::empty())
        .unwrap();
    assert_eq!(oneshot(get).await.0, 200);
}

#[tokio::test]
async fn a_post_without_a_declared_length_is_411() {
    let (status, body) = oneshot(classify_request(&[("host", "localhost")], BODY)).await;
    assert_eq!(status.as_u16(), 411, "{body}");
    assert!(body.contains("needs a `Content-Length` header"), "{body}");
    // Declared empty: the defaults, as documented.
    let (status, _) = oneshot(classify_request(&[("host", "localhost"), ("content-length", "0")], "")).await;
    assert_eq!(status.as_u16(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http_1_0_posts_without_a_length_are_411_on_the_wire_and_a_short_body_is_not_answered_200() {
    let server = start(Limits::default()).await;
    // HTTP/1.0 without Content-Length: the body cannot be delimited; it used to be read as
    // empty and answered under the default rule set.
    let mut s = TcpStream::connect(server.addr).await.unwrap();
    s.write_all(format!("POST /api/classify HTTP/1.0\r\nHost: localhost\r\n\r\n{BODY}").as_bytes())
        .await
        .unwrap();
    let answer = read_to_close(&mut s).await;
    assert!(answer.starts_with("HTTP/1.0 411 Length Required\r\n"), "{answer}");
    // A body shorter than its declared length, then the client closes its side: never a 200.
    let mut s = TcpStream::connect(server.addr).await.unwrap();
    s.write_all(
        format!("POST /api/classify HTTP/1.1\r\nHost: localhost\r\nContent-Length: 500\r\n\r\n{BODY}").as_bytes(),
    )
    .await
    .unwrap();
    s.shutdown().await.unwrap();
    let answer = read_to_close(&mut s).await;
    assert!(answer.is_empty() || answer.starts_with("HTTP/1.1 400 "), "{answer}");
    // A declared length that is not a number: 400 from the HTTP layer.
    let mut s = TcpStream::connect(server.addr).await.unwrap();
    s.write_all(b"POST /api/classify HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2x\r\n\r\n{}")
        .await
        .unwrap();
    let answer = read_to_close(&mut s).await;
    assert!(answer.starts_with("HTTP/1.1 400 "), "{answer}");
    server.shut_down().await;
}

#[tokio::test]
async fn duplicate_keys_in_a_json_body_are_400() {
    for body in [
        r#"{"rules":"us-2023-11","set":{"3A090.a.1.tpp.at_least":2000,"3A090.a.1.tpp.at_least":9000}}"#,
        r#"{"rules":"us-2023-11","rules":"us-2024-12"}"#,
        r#"{"unknown":{"a":1,"a":2}}"#,
    ] {
        let len = body.len().to_string();
        let (status, answer) = oneshot(classify_request(
            &[("host", "localhost"), ("content-length", &len)],
            body,
        ))
        .await;
        assert_eq!(status.as_u16(), 400, "{body}: {answer}");
        assert!(answer.contains("duplicate"), "{answer}");
    }
    let body = r#"{"set":{"k":1,"k":2}}"#;
    let len = body.len().to_string();
    let (_, answer) = oneshot(classify_request(
        &[("host", "localhost"), ("content-length", &len)],
        body,
    ))
    .await;
    let v: serde_json::Value = serde_json::from_str(&answer).unwrap();
    assert_eq!(
        v["error"],
        "<request>:1:17: set: duplicate key `k`: expected each key once in an object"
    );
}

#[tokio::test]
async fn a_malformed_or_missing_host_is_refused() {
    let get = |host: Option<&str>| {
        let mut req = axum::http::Request::get("/api/rules");
        if let Some(h) = host {
            req = req.header("host", h);
        }
        req.body(axum::body::Body::empty()).unwrap()
    };
    for (host, want) in [
        (Some("127.0.0.1:80@evil.example"), 400),
        (Some("localhost:4800/x"), 400),
        (Some("localhost:"), 400),
        (Some("localhost:99999"), 400),
        (Some("[::1"), 400),
        (Some("local host"), 400),
        (None, 400),
        (Some("evil.example"), 403),
        (Some("localhost:4800"), 200),
        (Some("[::1]:4800"), 200),
    ] {
        let (status, body) = oneshot(get(host)).await;
        assert_eq!(status.as_u16(), want, "{host:?}: {body}");
    }
    // Two `Host` headers.
    let two = axum::http::Request::get("/api/rules")
        .header("host", "localhost")
        .header("host", "evil.example")
        .body(axum::body::Body::empty())
        .unwrap();
    assert_eq!(oneshot(two).await.0, 400);
    // An absolute request target naming another host than `Host`.
    let abs = axum::http::Request::get("http://evil.example/api/rules")
        .header("host", "localhost")
        .body(axum::body::Body::empty())
        .unwrap();
    assert_eq!(oneshot(abs).await.0, 400);
}
