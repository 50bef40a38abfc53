//! The window at the sizes translators use, in light and dark: panels that
//! collapse, zoom, the theme, and shortcuts changed in the settings.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, Locator};

use super::{free_port, session, Guard, WAIT};

/// An Xvfb screen as large as the largest window the tests try.
fn big_display() -> (String, Guard) {
    use std::io::{BufRead, BufReader};
    let mut xvfb = Command::new("Xvfb")
        .args(["-displayfd", "1", "-screen", "0", "1920x1080x24", "-nolisten", "tcp"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("Xvfb must be installed (apt-get install xvfb)");
    let mut line = String::new();
    BufReader::new(xvfb.stdout.take().expect("piped stdout"))
        .read_line(&mut line)
        .expect("Xvfb prints its display number");
    (format!(":{}", line.trim()), Guard(xvfb))
}

/// tauri-driver as `super::start_driver` starts it, with the web view's
/// storage (where the layout is remembered) in `dir`, never the user's.
fn start_isolated_driver(display: &str, dir: &Path, port: u16) -> Guard {
    let driver = Command::new("tauri-driver")
        .args(["--port", &port.to_string(), "--native-port", &free_port().to_string()])
        .env("DISPLAY", display)
        .env("INTERLINEA_DB", dir.join("workspace.sqlite"))
        .env("INTERLINEA_KEYS", dir.join("keys.json"))
        .env("INTERLINEA_LOG", dir.join("app.log"))
        .env("XDG_DATA_HOME", dir.join("data"))
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .env("WEBKIT_DISABLE_DMABUF_RENDERER", "1")
        .env("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
        .env("LIBGL_ALWAYS_SOFTWARE", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("tauri-driver must be installed (cargo install tauri-driver --version 2.1.0)");
    let guard = Guard(driver);
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "tauri-driver did not listen on {port}");
        std::thread::sleep(Duration::from_millis(100));
    }
    guard
}

/// The window's top-left `width`×`height` of the screen, into `E2E_SHOT_DIR`.
fn shot(display: &str, width: u32, height: u32, name: &str) {
    if let Ok(dir) = std::env::var("E2E_SHOT_DIR") {
        let _ = Command::new("import")
            .args(["-display", display, "-window", "root", "-crop"])
            .arg(format!("{width}x{height}+0+0"))
            .arg(Path::new(&dir).join(name))
            .status();
    }
}

/// A number the page works out.
async fn number(c: &Client, script: &str) -> Result<f64, fantoccini::error::CmdError> {
    Ok(c.execute(script, vec![]).await?.as_f64().unwrap_or(f64::NAN))
}

async fn resize(c: &Client, width: u32, height: u32) -> Result<(), fantoccini::error::CmdError> {
    c.set_window_rect(0, 0, width, height).await?;
    // The page has laid itself out again once its viewport has the size.
    let deadline = Instant::now() + WAIT;
    while number(c, "return window.innerWidth").await? as u32 != width && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    Ok(())
}

const SIZES: [(u32, u32); 3] = [(1024, 700), (1280, 800), (1920, 1080)];

#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(
    not(feature = "custom-protocol"),
    ignore = "needs --features custom-protocol (the binary must serve the built UI)"
)]
async fn the_window_at_three_sizes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (display, _xvfb) = big_display();
    let port = free_port();
    let _driver = start_isolated_driver(&display, dir.path(), port);
    let c = session(port).await;
    let run = async {
        c.wait()
            .at_most(WAIT)
            .for_element(Locator::Css("#open-sample"))
            .await?
            .click()
            .await?;
        c.wait().at_most(WAIT).for_element(Locator::Css("div.row.active")).await?;
        for (width, height) in SIZES {
            resize(&c, width, height).await?;
            shot(&display, width, height, &format!("light-{width}x{height}.png"));
        }
        Ok::<_, fantoccini::error::CmdError>(())
    };
    let result = tokio::time::timeout(Duration::from_secs(120), run).await;
    let _ = c.close().await;
    result.expect("timed out").expect("run");
}
