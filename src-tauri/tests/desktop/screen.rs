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
        .args([
            "-displayfd",
            "1",
            "-screen",
            "0",
            "1920x1080x24",
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
    (format!(":{}", line.trim()), Guard(xvfb))
}

/// tauri-driver as `super::start_driver` starts it, with the web view's
/// storage (where the layout is remembered) in `dir`, never the user's.
fn start_isolated_driver(display: &str, dir: &Path, port: u16) -> Guard {
    let driver = Command::new("tauri-driver")
        .args([
            "--port",
            &port.to_string(),
            "--native-port",
            &free_port().to_string(),
        ])
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
        assert!(
            Instant::now() < deadline,
            "tauri-driver did not listen on {port}"
        );
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
    Ok(c.execute(script, vec![])
        .await?
        .as_f64()
        .unwrap_or(f64::NAN))
}

async fn resize(c: &Client, width: u32, height: u32) -> Result<(), fantoccini::error::CmdError> {
    c.set_window_rect(0, 0, width, height).await?;
    // The page has laid itself out again once its viewport has the size.
    let deadline = Instant::now() + WAIT;
    while number(c, "return window.innerWidth").await? as u32 != width && Instant::now() < deadline
    {
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
        c.wait()
            .at_most(WAIT)
            .for_element(Locator::Css("div.row.active"))
            .await?;
        for (width, height) in SIZES {
            resize(&c, width, height).await?;
            shot(
                &display,
                width,
                height,
                &format!("light-{width}x{height}.png"),
            );
        }
        Ok::<_, fantoccini::error::CmdError>(())
    };
    let result = tokio::time::timeout(Duration::from_secs(120), run).await;
    let _ = c.close().await;
    result.expect("timed out").expect("run");
}

/// The width of the first element matching `css`, from its box on screen.
async fn width_of(c: &Client, css: &str) -> Result<f64, fantoccini::error::CmdError> {
    let script =
        format!("return document.querySelector({css:?})?.getBoundingClientRect().width ?? -1");
    number(c, &script).await
}

/// Whether the editor's toolbar holds all its controls on one line, none cut off.
async fn toolbar_on_one_line(c: &Client) -> Result<bool, fantoccini::error::CmdError> {
    let answer = c
        .execute(
            "const bar = document.querySelector('.toolbar');
             const tops = [...bar.children].filter((e) => e.offsetParent).map((e) => e.getBoundingClientRect());
             const right = bar.getBoundingClientRect().right;
             return tops.every((r) => Math.abs(r.top - tops[0].top) < 12 && r.right <= right + 1);",
            vec![],
        )
        .await?;
    Ok(answer.as_bool().unwrap_or(false))
}

/// At 1024×700, with the documents and the panels collapsed, the English
/// column has room to write in; the toolbar stays on one line; after a
/// restart both are still collapsed.
#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(
    not(feature = "custom-protocol"),
    ignore = "needs --features custom-protocol (the binary must serve the built UI)"
)]
async fn at_1024_by_700_collapsed_panels_leave_the_english_room() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (display, _xvfb) = big_display();
    let port = free_port();
    let _driver = start_isolated_driver(&display, dir.path(), port);
    let english = "div.row.active .english";
    let c = session(port).await;
    let run = async {
        c.wait()
            .at_most(WAIT)
            .for_element(Locator::Css("#open-sample"))
            .await?
            .click()
            .await?;
        c.wait()
            .at_most(WAIT)
            .for_element(Locator::Css("div.row.active"))
            .await?;
        resize(&c, 1024, 700).await?;
        let before = width_of(&c, english).await?;
        c.find(Locator::Css("#hide-sidebar")).await?.click().await?;
        c.find(Locator::Css("#hide-panels")).await?.click().await?;
        tokio::time::sleep(Duration::from_millis(300)).await;
        let after = width_of(&c, english).await?;
        shot(&display, 1024, 700, "collapsed-1024x700.png");
        let one_line = toolbar_on_one_line(&c).await?;
        Ok::<_, fantoccini::error::CmdError>((before, after, one_line))
    };
    let result = tokio::time::timeout(Duration::from_secs(90), run).await;
    let _ = c.close().await;
    let (before, after, one_line) = result.expect("timed out").expect("first run");
    eprintln!("English column at 1024×700: {before:.0} px with the panels, {after:.0} px without");
    assert!(
        after >= 300.0,
        "the English is {after} px wide with both panels collapsed"
    );
    assert!(
        after > before + 150.0,
        "collapsing gave the English only {before} → {after} px"
    );
    assert!(
        one_line,
        "the toolbar wraps or cuts off a control at 1024 px"
    );

    // Started again, the window keeps both collapsed.
    let c = session(port).await;
    let run = async {
        // The last document opens again by itself (its list is collapsed).
        c.wait()
            .at_most(WAIT)
            .for_element(Locator::Css("div.row.active"))
            .await?;
        resize(&c, 1024, 700).await?;
        let shown = c
            .find_all(Locator::Css("#hide-sidebar, #hide-panels"))
            .await?
            .len();
        let offered = c
            .find_all(Locator::Css("#show-sidebar, #show-panels"))
            .await?
            .len();
        Ok::<_, fantoccini::error::CmdError>((shown, offered, width_of(&c, english).await?))
    };
    let result = tokio::time::timeout(Duration::from_secs(60), run).await;
    let _ = c.close().await;
    let (shown, offered, width) = result.expect("timed out").expect("second run");
    assert_eq!(
        (shown, offered),
        (0, 2),
        "the panels came back after a restart"
    );
    assert!(width >= 300.0, "{width}");
}
