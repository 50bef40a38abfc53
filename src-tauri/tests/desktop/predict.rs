//! Predictive typing and exact matches used without asking, in the real app.

use std::time::{Duration, Instant};

use fantoccini::{Client, Locator};

use super::{
    english, open_sample, press, screenshot, segment_id, wait_for_class, App, CTRL_ENTER, WAIT,
};

const TAB: &str = "\u{E004}";
const ESCAPE: &str = "\u{E00C}";

/// The completion drawn after the caret in segment `id`'s field, without
/// its key hint; empty when none is.
async fn ghost(c: &Client, id: &str) -> Result<String, fantoccini::error::CmdError> {
    let answer = c
        .execute(
            "const g = document.querySelector(`.ghost[data-segment-id='${arguments[0]}']`);
             return g ? g.firstChild.textContent : '';",
            vec![id.into()],
        )
        .await?;
    Ok(answer.as_str().unwrap_or_default().to_string())
}

/// Polls until segment `id`'s completion is `expected`; gives the last one
/// seen after WAIT.
async fn ghost_is(
    c: &Client,
    id: &str,
    expected: &str,
) -> Result<String, fantoccini::error::CmdError> {
    let deadline = Instant::now() + WAIT;
    loop {
        let shown = ghost(c, id).await?;
        if shown == expected || Instant::now() > deadline {
            return Ok(shown);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Typing a name's first letters offers its English form after the caret;
/// Tab takes it, and nothing else does: typing on, Esc and Ctrl+Enter
/// leave exactly what was typed.
#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(
    not(feature = "custom-protocol"),
    ignore = "needs --features custom-protocol (the binary must serve the built UI)"
)]
async fn a_completion_is_taken_with_tab_and_never_otherwise() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("workspace.sqlite");
    let app = App::start(&db).await;
    let (c, display) = (&app.c, app.display.as_str());
    let run = async {
        open_sample(c).await?;
        let id = segment_id(c, "Mosca e Pyongyang si avvicinano sempre di più.").await?;
        let field = c
            .find(Locator::Css(&format!(".english[data-segment-id='{id}']")))
            .await?;
        field.click().await?;
        let mut seen = Vec::new();
        // A name as the Italian writes it, taken with Tab.
        press(c, "Pyo").await?;
        seen.push(ghost_is(c, &id, "ngyang").await?);
        screenshot(display, "predict-ghost.png");
        press(c, TAB).await?;
        seen.push(english(c, &id).await?);
        seen.push(ghost(c, &id).await?);
        // Mosca in English; typing on offers the rest, Esc dismisses it.
        press(c, " and Mos").await?;
        seen.push(ghost_is(c, &id, "cow").await?);
        press(c, "c").await?;
        seen.push(ghost_is(c, &id, "ow").await?);
        press(c, ESCAPE).await?;
        seen.push(ghost(c, &id).await?);
        seen.push(english(c, &id).await?);
        // Ctrl+Enter with a completion showing confirms what was typed.
        press(c, "ow and Pyo").await?;
        seen.push(ghost_is(c, &id, "ngyang").await?);
        press(c, CTRL_ENTER).await?;
        wait_for_class(
            c,
            &format!("div.row[data-segment-id='{id}']"),
            "status-translated",
        )
        .await?;
        seen.push(english(c, &id).await?);
        Ok::<_, fantoccini::error::CmdError>((id, seen))
    };
    let result = tokio::time::timeout(Duration::from_secs(3 * 120), run).await;
    app.close(&result).await;
    let (id, seen) = result.expect("timed out").expect("predictive typing run");
    assert_eq!(
        seen,
        [
            "ngyang",
            "Pyongyang",
            "",
            "cow",
            "ow",
            "",
            "Pyongyang and Mosc",
            "ngyang",
            "Pyongyang and Moscow and Pyo",
        ]
    );
    let ws = interlinea::Workspace::open(&db).expect("workspace");
    let doc = ws.documents().expect("documents")[0].id;
    let segment = ws.segment(doc, id.parse().expect("id")).expect("segment");
    assert_eq!(segment.target, "Pyongyang and Moscow and Pyo");
    assert_eq!(segment.status, interlinea::Status::Translated);
}

/// A sentence the TM holds whole is filled in as the article comes in,
/// and the dashboard says so.
#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(
    not(feature = "custom-protocol"),
    ignore = "needs --features custom-protocol (the binary must serve the built UI)"
)]
async fn an_exact_match_fills_its_segment_on_import() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("workspace.sqlite");
    let tmx = dir.path().join("desk.tmx");
    std::fs::write(
        &tmx,
        r#"<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="test" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" srclang="it" datatype="plaintext"/><body>
<tu><tuv xml:lang="it"><seg>Mosca e Pyongyang si avvicinano sempre di più.</seg></tuv><tuv xml:lang="en"><seg>Moscow and Pyongyang are drawing ever closer.</seg></tuv></tu>
</body></tmx>"#,
    )
    .expect("write");
    interlinea::session::Session::open(&db)
        .expect("workspace")
        .lock()
        .import_tmx(&tmx, "desk", false, &mut |_, _| {})
        .expect("TMX import");
    let app = App::start(&db).await;
    let (c, display) = (&app.c, app.display.as_str());
    let run = async {
        open_sample(c).await?;
        let id = segment_id(c, "Mosca e Pyongyang si avvicinano sempre di più.").await?;
        // As a draft, the setting's default.
        wait_for_class(
            c,
            &format!("div.row[data-segment-id='{id}']"),
            "status-draft",
        )
        .await?;
        let filled = english(c, &id).await?;
        c.find(Locator::Css("#open-stats")).await?.click().await?;
        let note = c
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css("#filled-from-tm"))
            .await?
            .text()
            .await?;
        screenshot(display, "predict-filled.png");
        Ok::<_, fantoccini::error::CmdError>((filled, note))
    };
    let result = tokio::time::timeout(Duration::from_secs(3 * 90), run).await;
    app.close(&result).await;
    let (filled, note) = result.expect("timed out").expect("auto-fill run");
    assert_eq!(filled, "Moscow and Pyongyang are drawing ever closer.");
    assert!(note.contains("1 seg. at 100%"), "{note}");
}
