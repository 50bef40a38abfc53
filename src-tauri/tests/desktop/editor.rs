//! An editor that keeps its place: the next segment in the upper third
//! after Ctrl+Enter, English boxes that fit their text, split and approve
//! from the keyboard, a segment's history restored, and a TM unit changed
//! from the matches panel.

use std::path::Path;
use std::time::{Duration, Instant};

use fantoccini::{Client, Locator};
use serde_json::Value;

use super::{
    english, open_sample, press, run_cli, screenshot, segment_id, settled, wait_for_class, App,
    CTRL_ENTER, WAIT,
};

type Result<T> = std::result::Result<T, fantoccini::error::CmdError>;

const CTRL: &str = "\u{E009}";
const SHIFT: &str = "\u{E008}";
const RELEASE: &str = "\u{E000}";
const ENTER: &str = "\u{E007}";
const UP: &str = "\u{E013}";
const RIGHT: &str = "\u{E014}";

const HEADLINE: &str = "Putin va da Kim.";
const STANDFIRST: &str = "Al ritorno da una sua visita ufficiale a Mosca, la ministra degli esteri nordcoreana annuncia una visita di Putin nel Paese asiatico.";
/// A TM's English for the headline, long enough to wrap over lines.
const LONG_ENGLISH: &str = "Putin goes to see Kim, and with this visit, his first in over twenty years, the axis between Moscow and Pyongyang grows stronger still, as both capitals defy the sanctions of the West";

/// Runs `script` (a function body) and gives its answer.
async fn js(c: &Client, script: &str) -> Result<Value> {
    c.execute(script, vec![]).await
}

/// Writes a TMX file with one unit per pair and imports it as TM `name`.
fn import_tm(db: &Path, name: &str, pairs: &[(&str, &str)], read_only: bool) {
    let mut tmx = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><tmx version="1.4"><header srclang="it" datatype="plaintext" segtype="sentence" adminlang="en" o-tmf="test" creationtool="test" creationtoolversion="1"/><body>"#,
    );
    for (it, en) in pairs {
        tmx.push_str(&format!(
            r#"<tu><tuv xml:lang="it"><seg>{it}</seg></tuv><tuv xml:lang="en"><seg>{en}</seg></tuv></tu>"#
        ));
    }
    tmx.push_str("</body></tmx>");
    let file = db.with_file_name(format!("{name}.tmx"));
    std::fs::write(&file, tmx).expect("write the TMX");
    let file = file.to_str().expect("UTF-8 path");
    if read_only {
        run_cli(db, &["tm", "import", file, "--tm", name, "--read-only"]);
    } else {
        run_cli(db, &["tm", "import", file, "--tm", name]);
    }
}

/// Where the active row sits in the grid: its top and its Italian's bottom,
/// from the grid's top, and the grid's visible height (pixels).
async fn active_place(c: &Client) -> Result<(f64, f64, f64)> {
    let v = js(
        c,
        "const grid = document.querySelector('.grid').getBoundingClientRect();
         const row = document.querySelector('div.row.active');
         const source = row.querySelector('.source').getBoundingClientRect();
         return [row.getBoundingClientRect().top - grid.top, source.bottom - grid.top, grid.height];",
    )
    .await?;
    let n = |i: usize| v[i].as_f64().unwrap_or(f64::NAN);
    Ok((n(0), n(1), n(2)))
}

/// Scrolls the grid so that the active row's bottom sits at the grid's
/// bottom edge, as a translator who scrolled down leaves it.
async fn active_row_to_bottom_edge(c: &Client) -> Result<()> {
    js(
        c,
        "const grid = document.querySelector('.grid');
         const row = document.querySelector('div.row.active');
         grid.scrollTop += row.getBoundingClientRect().bottom - grid.getBoundingClientRect().bottom;",
    )
    .await?;
    Ok(())
}

/// The text of the first element matching `css`.
async fn text_of(c: &Client, css: String) -> Result<String> {
    c.find(Locator::Css(&css)).await?.text().await
}

/// Polls until the active row is `id`.
async fn active_is(c: &Client, id: &str) -> Result<()> {
    let row = settled(id, || super::active_row(c)).await?;
    assert_eq!(row, id, "the active segment");
    Ok(())
}

/// After Ctrl+Enter the next segment is in the upper third of the grid,
/// its Italian whole, even when the confirmed one sat at the bottom edge.
#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(
    not(feature = "custom-protocol"),
    ignore = "needs --features custom-protocol (the binary must serve the built UI)"
)]
async fn the_next_segment_comes_to_the_upper_third_after_ctrl_enter() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("workspace.sqlite");
    let app = App::start(&db).await;
    let (c, display) = (&app.c, app.display.as_str());
    let run = async {
        open_sample(c).await?;
        let headline = segment_id(c, HEADLINE).await?;
        c.find(Locator::Css(&format!(
            ".english[data-segment-id='{headline}']"
        )))
        .await?
        .click()
        .await?;
        let mut places = Vec::new();
        for step in 0..8 {
            let from = super::active_row(c).await?;
            if step % 2 == 1 {
                active_row_to_bottom_edge(c).await?;
            }
            press(c, &format!("Step {step}.")).await?;
            press(c, CTRL_ENTER).await?;
            wait_for_class(
                c,
                &format!("div.row[data-segment-id='{from}']"),
                "status-translated",
            )
            .await?;
            // The row moves once the DOM is up to date: its place is read
            // when it stops changing.
            let deadline = Instant::now() + WAIT;
            let mut place = active_place(c).await?;
            loop {
                tokio::time::sleep(Duration::from_millis(150)).await;
                let now = active_place(c).await?;
                if now == place || Instant::now() > deadline {
                    break;
                }
                place = now;
            }
            if step == 5 {
                screenshot(display, "editor-upper-third.png");
            }
            places.push((step, place));
        }
        Ok::<_, fantoccini::error::CmdError>(places)
    };
    let result = tokio::time::timeout(Duration::from_secs(3 * 180), run).await;
    app.close(&result).await;
    let places = result.expect("timed out").expect("upper-third run");
    for (step, (top, source_bottom, height)) in places {
        eprintln!(
            "step {step}: row top {top:.0}, Italian bottom {source_bottom:.0}, grid {height:.0}"
        );
        assert!(
            top >= 0.0,
            "step {step}: the row starts above the grid ({top})"
        );
        assert!(
            top <= height / 3.0,
            "step {step}: row top {top} below the upper third of {height}"
        );
        assert!(
            source_bottom <= height,
            "step {step}: the Italian is cut off ({source_bottom} > {height})"
        );
    }
}

/// The English box and its text: the box's height, the text's bottom and
/// the box's bottom, and whether the box scrolls (it never should).
async fn english_fit(c: &Client, id: &str) -> Result<(f64, f64, f64, bool)> {
    let v = c
        .execute(
            "const field = document.querySelector(`.english[data-segment-id='${arguments[0]}']`);
             const range = document.createRange();
             range.selectNodeContents(field);
             const text = range.getBoundingClientRect();
             const box = field.getBoundingClientRect();
             return [box.height, text.bottom, box.bottom, field.scrollHeight > field.clientHeight + 1];",
            vec![Value::from(id)],
        )
        .await?;
    let n = |i: usize| v[i].as_f64().unwrap_or(f64::NAN);
    Ok((n(0), n(1), n(2), v[3].as_bool().unwrap_or(true)))
}

/// The English box fits its text after a long match goes in, after undo
/// and redo, and after the window narrows (the text wraps over more lines).
#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(
    not(feature = "custom-protocol"),
    ignore = "needs --features custom-protocol (the binary must serve the built UI)"
)]
async fn english_boxes_fit_their_text_after_a_match_undo_and_a_resize() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("workspace.sqlite");
    import_tm(&db, "news", &[(HEADLINE, LONG_ENGLISH)], false);
    // The match goes in by hand here: the exact match must not fill the
    // segment as the sample comes in.
    run_cli(&db, &["settings", "set", "auto_fill", "off"]);
    let app = App::start(&db).await;
    let (c, display) = (&app.c, app.display.as_str());
    let run = async {
        open_sample(c).await?;
        let headline = segment_id(c, HEADLINE).await?;
        c.wait()
            .at_most(WAIT)
            .for_element(Locator::Css("button.match[data-match='1']"))
            .await?;
        let (empty, ..) = english_fit(c, &headline).await?;
        press(c, &format!("{CTRL}1{RELEASE}")).await?;
        settled(LONG_ENGLISH, || english(c, &headline)).await?;
        let inserted = english_fit(c, &headline).await?;
        screenshot(display, "editor-box-fits.png");
        press(c, &format!("{CTRL}z{RELEASE}")).await?;
        settled("", || english(c, &headline)).await?;
        let undone = english_fit(c, &headline).await?;
        press(c, &format!("{CTRL}y{RELEASE}")).await?;
        settled(LONG_ENGLISH, || english(c, &headline)).await?;
        let redone = english_fit(c, &headline).await?;
        c.set_window_size(760, 640).await?;
        tokio::time::sleep(Duration::from_millis(500)).await;
        let narrow = english_fit(c, &headline).await?;
        let score = c
            .find(Locator::Css(&format!(
                "div.row[data-segment-id='{headline}'] .match-score"
            )))
            .await?
            .text()
            .await?;
        Ok::<_, fantoccini::error::CmdError>((empty, inserted, undone, redone, narrow, score))
    };
    let result = tokio::time::timeout(Duration::from_secs(3 * 120), run).await;
    app.close(&result).await;
    let (empty, inserted, undone, redone, narrow, score) =
        result.expect("timed out").expect("box run");
    eprintln!("empty {empty:.0}px; inserted {inserted:?}; undone {undone:?}; redone {redone:?}; narrow {narrow:?}");
    for (what, (height, text_bottom, box_bottom, scrolls)) in [
        ("inserted", inserted),
        ("undone", undone),
        ("redone", redone),
        ("narrow", narrow),
    ] {
        assert!(!scrolls, "{what}: the box scrolls its text");
        assert!(
            text_bottom <= box_bottom,
            "{what}: text bottom {text_bottom} below the box {box_bottom}"
        );
        assert!(height > 0.0, "{what}");
    }
    assert!(
        inserted.0 > empty * 1.8,
        "a long match wraps: {} vs {empty}",
        inserted.0
    );
    assert!(undone.0 < inserted.0, "undo shrinks the box back");
    assert!(
        (redone.0 - inserted.0).abs() < 1.0,
        "redo: {} vs {}",
        redone.0,
        inserted.0
    );
    assert!(
        narrow.0 > inserted.0,
        "a narrower window: more lines, a taller box"
    );
    assert_eq!(
        score, "100%",
        "the match column shows the inserted match's score"
    );
}

/// Ctrl+T shows a cursor in the Italian, Ctrl+→ moves it a word, Enter
/// splits there; Ctrl+Shift+A approves the segment and moves on.
#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(
    not(feature = "custom-protocol"),
    ignore = "needs --features custom-protocol (the binary must serve the built UI)"
)]
async fn split_and_approve_from_the_keyboard() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("workspace.sqlite");
    let app = App::start(&db).await;
    let (c, display) = (&app.c, app.display.as_str());
    let run = async {
        open_sample(c).await?;
        let id = segment_id(c, STANDFIRST).await?;
        c.find(Locator::Css(&format!(".english[data-segment-id='{id}']")))
            .await?
            .click()
            .await?;
        active_is(c, &id).await?;
        press(c, &format!("{CTRL}t{RELEASE}")).await?;
        let caret = c
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(".split-caret"))
            .await?;
        // The cursor shows: it has a size and sits inside the Italian.
        let shown = js(
            c,
            "const caret = document.querySelector('.split-caret').getBoundingClientRect();
             const source = document.querySelector('.split-caret').closest('.source').getBoundingClientRect();
             return caret.width > 0 && caret.height > 8 && caret.left >= source.left && caret.right <= source.right
                 && caret.top >= source.top && caret.bottom <= source.bottom;",
        )
        .await?;
        let before_caret = "const range = document.createRange();
             range.setStart(document.querySelector('.splitting'), 0);
             range.setEndBefore(document.querySelector('.split-caret'));
             return range.toString();";
        let first = js(c, before_caret).await?;
        press(c, &format!("{CTRL}{RIGHT}{RELEASE}")).await?;
        let moved = js(c, before_caret).await?;
        screenshot(display, "editor-split-caret.png");
        drop(caret);
        press(c, ENTER).await?;
        let head = moved.as_str().unwrap_or_default().trim().to_string();
        let kept = settled(&head, || text_of(c, format!("p[data-source-id='{id}']"))).await?;
        let tail = STANDFIRST[head.len()..].trim().to_string();
        segment_id(c, &tail).await?;

        // Approve: a translated headline, approved from the keyboard.
        let headline = segment_id(c, HEADLINE).await?;
        let field = c
            .find(Locator::Css(&format!(
                ".english[data-segment-id='{headline}']"
            )))
            .await?;
        field.click().await?;
        field.send_keys("Putin goes to Kim.").await?;
        press(c, CTRL_ENTER).await?;
        wait_for_class(
            c,
            &format!("div.row[data-segment-id='{headline}']"),
            "status-translated",
        )
        .await?;
        press(c, &format!("{CTRL}{UP}{RELEASE}")).await?;
        active_is(c, &headline).await?;
        press(c, &format!("{CTRL}{SHIFT}a{RELEASE}")).await?;
        wait_for_class(
            c,
            &format!("div.row[data-segment-id='{headline}']"),
            "status-approved",
        )
        .await?;
        let after = super::active_row(c).await?;
        Ok::<_, fantoccini::error::CmdError>((shown, first, moved, kept, tail, headline, after))
    };
    let result = tokio::time::timeout(Duration::from_secs(3 * 120), run).await;
    app.close(&result).await;
    let (shown, first, moved, kept, tail, headline, after) =
        result.expect("timed out").expect("split run");
    assert_eq!(
        shown,
        Value::Bool(true),
        "the split cursor is visible in the Italian"
    );
    let (first, moved) = (
        first.as_str().unwrap_or_default(),
        moved.as_str().unwrap_or_default(),
    );
    assert!(
        STANDFIRST.starts_with(first) && first.ends_with(' '),
        "{first:?}"
    );
    assert!(
        moved.len() > first.len() && moved.ends_with(' '),
        "a word on: {moved:?}"
    );
    assert_eq!(kept, moved.trim());
    assert!(!tail.is_empty());
    assert_ne!(after, headline, "approving moves on");
    let shown = run_cli(&db, &["show", "1", "--format", "jsonl"]);
    let statuses: Vec<Value> = shown
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    let row = statuses
        .iter()
        .find(|s| s["id"] == headline.parse::<i64>().expect("numeric id"))
        .expect("the headline");
    assert_eq!(row["status"], "approved");
    assert!(statuses.iter().any(|s| s["source"] == tail.as_str()));
}

/// Saved versions listed in the history dialog, and one restored.
#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(
    not(feature = "custom-protocol"),
    ignore = "needs --features custom-protocol (the binary must serve the built UI)"
)]
async fn a_segments_history_restores_an_earlier_version() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("workspace.sqlite");
    let app = App::start(&db).await;
    let (c, display) = (&app.c, app.display.as_str());
    let run = async {
        open_sample(c).await?;
        let headline = segment_id(c, HEADLINE).await?;
        let row = format!("div.row[data-segment-id='{headline}']");
        let field = c
            .find(Locator::Css(&format!(
                ".english[data-segment-id='{headline}']"
            )))
            .await?;
        field.click().await?;
        field.send_keys("Putin goes to Kim.").await?;
        press(c, CTRL_ENTER).await?;
        wait_for_class(c, &row, "status-translated").await?;
        press(c, &format!("{CTRL}{UP}{RELEASE}")).await?;
        active_is(c, &headline).await?;
        // The caret is at the end: the old English goes key by key.
        let backspaces = "\u{E003}".repeat("Putin goes to Kim.".len());
        press(c, &format!("{backspaces}Putin visits Kim.")).await?;
        let edited = settled("Putin visits Kim.", || english(c, &headline)).await?;
        assert_eq!(edited, "Putin visits Kim.");
        press(c, CTRL_ENTER).await?;
        wait_for_class(c, &row, "status-translated").await?;
        press(c, &format!("{CTRL}{UP}{RELEASE}")).await?;
        active_is(c, &headline).await?;
        press(c, &format!("{CTRL}{SHIFT}h{RELEASE}")).await?;
        let dialog = c
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(
                "[role='dialog'][aria-labelledby='history-title']",
            ))
            .await?;
        let deadline = Instant::now() + WAIT;
        let versions = loop {
            let versions = dialog
                .find_all(Locator::Css("li[data-version] .english"))
                .await?;
            if versions.len() >= 2 || Instant::now() > deadline {
                break versions;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        let mut texts = Vec::new();
        for v in versions {
            texts.push(v.text().await?);
        }
        screenshot(display, "editor-history.png");
        // The confirmed one (a draft of the same English may be there too).
        let restore = dialog
            .find(Locator::XPath(
                ".//li[.//p[text()='Putin goes to Kim.'] and .//span[contains(@class,'status') and text()='translated']]//button[contains(@class,'restore')]",
            ))
            .await?;
        restore.click().await?;
        let restored = settled("Putin goes to Kim.", || english(c, &headline)).await?;
        let top = settled("Restored", || text_of(c, "li[data-version] .origin".into())).await?;
        Ok::<_, fantoccini::error::CmdError>((headline, texts, restored, top))
    };
    let result = tokio::time::timeout(Duration::from_secs(3 * 120), run).await;
    app.close(&result).await;
    let (headline, texts, restored, top) = result.expect("timed out").expect("history run");
    assert_eq!(texts[0], "Putin visits Kim.", "newest first: {texts:?}");
    assert!(
        texts.contains(&"Putin goes to Kim.".to_string()),
        "{texts:?}"
    );
    assert_eq!(restored, "Putin goes to Kim.");
    assert_eq!(top, "Restored");
    let history = run_cli(&db, &["history", "1", &headline, "--format", "jsonl"]);
    let first: Value =
        serde_json::from_str(history.lines().next().expect("a version")).expect("JSON");
    assert_eq!(first["origin"], "restore");
    assert_eq!(first["target"], "Putin goes to Kim.");
    assert_eq!(first["status"], "translated");
}

/// A TM unit's English changed from the matches panel, found so by the
/// CLI; a read-only TM's unit offers no change.
#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(
    not(feature = "custom-protocol"),
    ignore = "needs --features custom-protocol (the binary must serve the built UI)"
)]
async fn a_tm_unit_is_changed_from_the_matches_panel() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("workspace.sqlite");
    import_tm(&db, "news", &[(HEADLINE, "Putin goes to Kim")], false);
    import_tm(
        &db,
        "agency",
        &[("Putin va da Xi.", "Putin visits Xi.")],
        true,
    );
    let app = App::start(&db).await;
    let (c, display) = (&app.c, app.display.as_str());
    let run = async {
        open_sample(c).await?;
        let tools = c
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(
                "section[aria-label='Translation memory'] .unit-tools:not(.read-only)",
            ))
            .await?;
        let read_only = c
            .find_all(Locator::Css(
                "section[aria-label='Translation memory'] .unit-tools.read-only",
            ))
            .await?
            .len();
        tools
            .find(Locator::Css(".unit-edit-open"))
            .await?
            .click()
            .await?;
        let text = c
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css("textarea[aria-label=\"The unit's English\"]"))
            .await?;
        text.clear().await?;
        text.send_keys("Putin goes to Kim.").await?;
        text.send_keys(ENTER).await?;
        let shown = settled("Putin goes to Kim.", || {
            text_of(c, "button.match[data-match='1'] .target".into())
        })
        .await?;
        screenshot(display, "editor-tm-unit-edited.png");
        Ok::<_, fantoccini::error::CmdError>((read_only, shown))
    };
    let result = tokio::time::timeout(Duration::from_secs(3 * 120), run).await;
    app.close(&result).await;
    let (read_only, shown) = result.expect("timed out").expect("TM unit run");
    assert_eq!(read_only, 1, "the read-only TM's match offers no change");
    assert_eq!(shown, "Putin goes to Kim.");
    let found = run_cli(&db, &["tm", "search", "Kim", "--format", "jsonl"]);
    assert!(found.contains("\"Putin goes to Kim.\""), "{found}");
    assert!(!found.contains("\"Putin goes to Kim\""), "{found}");
}
