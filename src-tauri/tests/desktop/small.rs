//! Small things of a day's work, in the real app: a first start says
//! nothing on stderr; an address typed without https:// is imported; one
//! document's concordance results do not follow the translator into the
//! next; the export dialog keeps its size, and the file written can be
//! opened or shown in its folder.

use std::ffi::OsStr;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, Locator};

use super::{
    answer_file_dialog, display, open_sample, run_cli, screenshot, segment_id, serve_pages, App,
    Guard, WAIT,
};

/// Waits until a window titled exactly `title` is mapped on `display`.
fn wait_for_window(display: &str, title: &str) -> bool {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        let found = Command::new("xdotool")
            .args(["search", "--onlyvisible", "--name", &format!("^{title}$")])
            .env("DISPLAY", display)
            .output()
            .expect("xdotool must be installed (apt-get install xdotool)");
        if !found.stdout.is_empty() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    false
}

/// The first start on a fresh machine: no workspace, no state folder. The
/// log rotation used to complain on stderr that its folder was missing.
#[test]
fn a_first_start_on_a_fresh_machine_says_nothing_on_stderr() {
    let home = tempfile::tempdir().expect("temp dir");
    let stderr = home.path().join("stderr.txt");
    let (display, _xvfb) = display();
    let app = Command::new(env!("CARGO_BIN_EXE_interlinea-app"))
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("DISPLAY", &display)
        .env("HOME", home.path())
        .env("XDG_STATE_HOME", home.path().join("state"))
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_CACHE_HOME", home.path().join("cache"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&stderr).expect("stderr file"))
        .spawn()
        .expect("start the app");
    let app = Guard(app);
    let shown = wait_for_window(&display, "Interlinea");
    // Give the log and the first workspace a moment to be written.
    std::thread::sleep(Duration::from_secs(2));
    drop(app);
    let said = std::fs::read_to_string(&stderr).expect("stderr");
    assert!(shown, "no window; stderr: {said}");
    assert!(
        !said.contains("Error reading the log directory"),
        "stderr: {said}"
    );
    assert!(
        home.path().join("state/interlinea/logs").is_dir(),
        "the log's folder"
    );
    assert!(
        home.path()
            .join("data/interlinea/workspace.sqlite")
            .is_file(),
        "the workspace"
    );
    eprintln!("the first start's stderr: {said:?}");
}

/// The concordance's search box and hits, as the panel shows them.
async fn concordance(c: &Client) -> Result<(String, usize), fantoccini::error::CmdError> {
    let phrase = c
        .find(Locator::Css("input[aria-label='Concordance search']"))
        .await?
        .prop("value")
        .await?
        .unwrap_or_default();
    let hits = c.find_all(Locator::Css(".hits li")).await?.len();
    Ok((phrase, hits))
}

/// An address typed as people copy it from a newspaper's page, without
/// https:// (here the local site's host and port, fetched over http as
/// browsers do); then a concordance search in that article, and another
/// document opened: its panel starts empty.
#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(
    not(feature = "custom-protocol"),
    ignore = "needs --features custom-protocol (the binary must serve the built UI)"
)]
async fn an_address_without_https_is_imported_and_the_concordance_stays_with_its_document() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("workspace.sqlite");
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
    run_cli(
        &db,
        &[
            "tm",
            "import",
            &fixtures.join("small.tmx").to_string_lossy(),
            "--tm",
            "Agenzia",
        ],
    );
    let other = dir.path().join("altro.txt");
    std::fs::write(&other, "Il vertice si è chiuso ieri.\n").expect("article");
    run_cli(&db, &["import", &other.to_string_lossy()]);
    let site = serve_pages(vec![
        std::fs::read(fixtures.join("news/update-1.html")).expect("fixture")
    ]);
    let typed = format!(
        "{}/cronaca/terremoto-marche",
        site.trim_start_matches("http://")
    );
    let headline = "Terremoto nelle Marche, scossa di magnitudo 4.2 avvertita ad Ancona";
    let app = App::start(&db).await;
    let c = &app.c;
    let run = async {
        c.wait()
            .at_most(WAIT)
            .for_element(Locator::Css("#import-url"))
            .await?
            .send_keys(&typed)
            .await?;
        c.find(Locator::Css("#import-url-go"))
            .await?
            .click()
            .await?;
        segment_id(c, headline).await?;
        let search = c
            .find(Locator::Css("input[aria-label='Concordance search']"))
            .await?;
        search.send_keys("Putin\u{E007}").await?;
        let deadline = Instant::now() + WAIT;
        let mut found = concordance(c).await?;
        while found.1 == 0 && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(100)).await;
            found = concordance(c).await?;
        }
        c.find(Locator::XPath(
            "//button[@data-doc-id][span[contains(@class,'name') and .='altro.txt']]",
        ))
        .await?
        .click()
        .await?;
        segment_id(c, "Il vertice si è chiuso ieri.").await?;
        let after = concordance(c).await?;
        Ok::<_, fantoccini::error::CmdError>((found, after))
    };
    let result = tokio::time::timeout(Duration::from_secs(3 * 90), run).await;
    app.close(&result).await;
    let (found, after) = result.expect("timed out").expect("import and concordance");
    assert_eq!(
        found,
        ("Putin".to_string(), 2),
        "the first document's search"
    );
    assert_eq!(after, (String::new(), 0), "the next document's panel");
}

/// The dialog's box, as `x,y,width,height` in CSS pixels.
async fn dialog_box(c: &Client) -> Result<String, fantoccini::error::CmdError> {
    let value = c
        .execute(
            "const r = document.querySelector('[role=dialog]').getBoundingClientRect();
             return [r.x, r.y, r.width, r.height].map(Math.round).join(',');",
            vec![],
        )
        .await?;
    Ok(value.as_str().unwrap_or_default().to_string())
}

/// Every format chosen, and the export done, the dialog's box stays where
/// it was; then "Open" hands the file to the desktop (`xdg-open`, a stand-in
/// here that writes down what it was given), and "Show in folder", with no
/// file manager on D-Bus, opens the folder.
#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(
    not(feature = "custom-protocol"),
    ignore = "needs --features custom-protocol (the binary must serve the built UI)"
)]
async fn the_export_dialog_keeps_its_size_and_opens_what_it_wrote() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("workspace.sqlite");
    let bin = dir.path().join("bin");
    std::fs::create_dir(&bin).expect("bin");
    let opened = dir.path().join("opened.txt");
    let xdg_open = bin.join("xdg-open");
    std::fs::write(
        &xdg_open,
        format!("#!/bin/sh\necho \"$1\" >> '{}'\n", opened.display()),
    )
    .expect("xdg-open");
    Command::new("chmod")
        .arg("+x")
        .arg(&xdg_open)
        .status()
        .expect("chmod");
    // The files written away from the workspace's folder.
    let out = tempfile::tempdir().expect("temp dir");
    let written = out.path().join("sample.review.docx");
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    // The stand-in first on the PATH, and no session bus to ask a file
    // manager on, for the app (tauri-driver's environment reaches it).
    let app = App::start_with(
        &db,
        &[
            ("PATH", OsStr::new(&path)),
            (
                "DBUS_SESSION_BUS_ADDRESS",
                OsStr::new("unix:path=/nonexistent"),
            ),
        ],
    )
    .await;
    let (c, display) = (&app.c, app.display.as_str());
    let run = async {
        open_sample(c).await?;
        segment_id(c, "Putin va da Kim.").await?;
        c.find(Locator::Css("#export-open")).await?.click().await?;
        c.wait()
            .at_most(WAIT)
            .for_element(Locator::Css("[role=dialog]"))
            .await?;
        let mut boxes = vec![dialog_box(c).await?];
        for format in ["docx", "tmx", "target", "csv", "docx"] {
            c.find(Locator::Css(&format!("input[value='{format}']")))
                .await?
                .click()
                .await?;
            boxes.push(dialog_box(c).await?);
        }
        screenshot(display, "export-dialog.png");
        c.find(Locator::Css("#export-save")).await?.click().await?;
        answer_file_dialog(display, "Export", &written);
        c.wait()
            .at_most(WAIT)
            .for_element(Locator::Css("#exported-open"))
            .await?;
        boxes.push(dialog_box(c).await?);
        screenshot(display, "export-done.png");
        c.find(Locator::Css("#exported-open"))
            .await?
            .click()
            .await?;
        c.find(Locator::Css("#exported-show"))
            .await?
            .click()
            .await?;
        Ok::<_, fantoccini::error::CmdError>(boxes)
    };
    let result = tokio::time::timeout(Duration::from_secs(3 * 90), run).await;
    app.close(&result).await;
    let boxes = result.expect("timed out").expect("export");
    assert!(written.is_file(), "the review DOCX was written");
    assert!(
        boxes.iter().all(|b| *b == boxes[0]),
        "the dialog moved or changed size: {boxes:?}"
    );
    let deadline = Instant::now() + WAIT;
    let mut said = String::new();
    while said.lines().count() < 2 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
        said = std::fs::read_to_string(&opened).unwrap_or_default();
    }
    assert_eq!(
        said.lines().collect::<Vec<_>>(),
        [
            written.to_string_lossy().as_ref(),
            out.path().to_string_lossy().as_ref()
        ]
    );
}
