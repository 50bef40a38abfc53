//! End-to-end test of the real desktop app: Xvfb + tauri-driver +
//! WebKitWebDriver drive the built binary against a fresh workspace file.
//!
//! Needs `--features custom-protocol` (so the binary serves the built UI)
//! and, on the machine, Xvfb, `tauri-driver` and `WebKitWebDriver`.

use std::io::{BufRead, BufReader};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;

/// A child process stopped with SIGTERM first, so tauri-driver can stop its
/// WebKitWebDriver child too.
struct Guard(Child);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.0.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.0.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free local port")
}

/// Uses `$DISPLAY` if set; otherwise starts Xvfb on a free display.
fn display() -> (String, Option<Guard>) {
    if let Ok(display) = std::env::var("DISPLAY") {
        return (display, None);
    }
    let mut xvfb = Command::new("Xvfb")
        .args([
            "-displayfd",
            "1",
            "-screen",
            "0",
            "1280x800x24",
            "-nolisten",
            "tcp",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("Xvfb must be installed (apt-get install xvfb)");
    let mut line = String::new();
    BufReader::new(xvfb.stdout.take().expect("piped stdout"))
        .read_line(&mut line)
        .expect("Xvfb prints its display number");
    (format!(":{}", line.trim()), Some(Guard(xvfb)))
}

fn start_driver(display: &str, db: &Path, port: u16) -> Guard {
    let driver = Command::new("tauri-driver")
        .args([
            "--port",
            &port.to_string(),
            "--native-port",
            &free_port().to_string(),
        ])
        .env("DISPLAY", display)
        .env("INTERLINEA_DB", db)
        .env("WEBKIT_DISABLE_DMABUF_RENDERER", "1")
        .env("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
        .env("LIBGL_ALWAYS_SOFTWARE", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("tauri-driver must be installed (cargo install tauri-driver --version 2.1.0)");
    let guard = Guard(driver);
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "tauri-driver did not listen on {port}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    guard
}

async fn session(port: u16) -> Client {
    let caps = serde_json::from_value(serde_json::json!({
        "browserName": "wry",
        "tauri:options": { "application": env!("CARGO_BIN_EXE_interlinea-app") }
    }))
    .expect("capabilities");
    ClientBuilder::new(HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("a WebDriver session with the app")
}

const WAIT: Duration = Duration::from_secs(20);

/// Polls until the element matching `css` has a class, or fails after WAIT.
async fn wait_for_class(
    c: &Client,
    css: &str,
    class: &str,
) -> Result<(), fantoccini::error::CmdError> {
    let deadline = Instant::now() + WAIT;
    loop {
        let classes = c.find(Locator::Css(css)).await?.attr("class").await?;
        if classes
            .unwrap_or_default()
            .split_whitespace()
            .any(|c| c == class)
        {
            return Ok(());
        }
        assert!(Instant::now() < deadline, "{css} never got class {class}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The id of the segment whose Italian source is exactly `source`.
async fn segment_id(c: &Client, source: &str) -> Result<String, fantoccini::error::CmdError> {
    let xpath = format!("//p[@data-source-id and text()='{source}']");
    let p = c
        .wait()
        .at_most(WAIT)
        .for_element(Locator::XPath(&xpath))
        .await?;
    Ok(p.attr("data-source-id").await?.expect("data-source-id"))
}

fn screenshot(display: &str, name: &str) {
    if let Ok(dir) = std::env::var("E2E_SHOT_DIR") {
        let _ = Command::new("import")
            .args(["-display", display, "-window", "root"])
            .arg(Path::new(&dir).join(name))
            .status();
    }
}

const CTRL_ENTER: &str = "\u{E009}\u{E007}";

#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(
    not(feature = "custom-protocol"),
    ignore = "needs --features custom-protocol (the binary must serve the built UI)"
)]
async fn translate_sample_confirm_restart_and_find_it_saved() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("workspace.sqlite");
    let (display, _xvfb) = display();
    let port = free_port();
    let _driver = start_driver(&display, &db, port);

    let first_run = async {
        let c = session(port).await;
        let run = async {
            // A new workspace offers the sample article.
            c.wait()
                .at_most(WAIT)
                .for_element(Locator::Css("#open-sample"))
                .await?
                .click()
                .await?;
            let headline = segment_id(&c, "Putin va da Kim.").await?;
            let second = segment_id(&c, "Così si rafforza l’asse Mosca-Pyongyang").await?;
            let boilerplate = c
                .find(Locator::XPath(
                    "//p[text()='Skip to main content']/ancestor::section",
                ))
                .await?;
            assert!(boilerplate
                .attr("class")
                .await?
                .unwrap_or_default()
                .contains("off"));
            let field = c
                .find(Locator::Css(&format!(
                    "textarea[data-segment-id='{headline}']"
                )))
                .await?;
            field.click().await?;
            field.send_keys("Putin visits Kim.").await?;
            field.send_keys(CTRL_ENTER).await?;
            wait_for_class(
                &c,
                &format!(".row[data-segment-id='{headline}']"),
                "status-translated",
            )
            .await?;
            // Ctrl+Enter moved the cursor to the next unconfirmed segment.
            let focused = c.active_element().await?.attr("data-segment-id").await?;
            assert_eq!(focused.as_deref(), Some(second.as_str()));
            screenshot(&display, "editor.png");
            Ok::<_, fantoccini::error::CmdError>((headline, second))
        };
        let result = tokio::time::timeout(Duration::from_secs(90), run).await;
        let _ = c.close().await;
        result.expect("first run timed out").expect("first run")
    };
    let (headline, second) = first_run.await;

    // The confirmed segment is in the workspace file itself.
    {
        let ws = interlinea::Workspace::open(&db).expect("workspace written by the app");
        let doc = ws.documents().expect("documents")[0].id;
        let id: i64 = headline.parse().expect("numeric id");
        let segment = ws.segment(doc, id).expect("the segment");
        assert_eq!(segment.target, "Putin visits Kim.");
        assert_eq!(segment.status, interlinea::Status::Translated);
    }

    // Restart the app: the translation is still there.
    let c = session(port).await;
    let run = async {
        c.wait()
            .at_most(WAIT)
            .for_element(Locator::Css("[data-doc-id]"))
            .await?
            .click()
            .await?;
        // Opening a document selects its first unconfirmed segment; wait for
        // that before clicking elsewhere, so the two selections cannot race.
        c.wait()
            .at_most(WAIT)
            .for_element(Locator::Css(&format!(
                ".row.active[data-segment-id='{second}']"
            )))
            .await?;
        let field = c
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(&format!(
                "textarea[data-segment-id='{headline}']"
            )))
            .await?;
        let value = field.prop("value").await?;
        wait_for_class(
            &c,
            &format!(".row[data-segment-id='{headline}']"),
            "status-translated",
        )
        .await?;
        // The confirmed segment is in the workspace TM: in its own place it
        // is a context match.
        field.click().await?;
        let best = c
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css("[data-match='1']"))
            .await?
            .text()
            .await?;
        assert!(
            best.contains("101%") && best.contains("Putin visits Kim."),
            "{best}"
        );
        screenshot(&display, "matches.png");
        Ok::<_, fantoccini::error::CmdError>(value)
    };
    let result = tokio::time::timeout(Duration::from_secs(60), run).await;
    let _ = c.close().await;
    let value = result.expect("second run timed out").expect("second run");
    assert_eq!(value.as_deref(), Some("Putin visits Kim."));
}
