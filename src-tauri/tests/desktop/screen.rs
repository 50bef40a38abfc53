//! The window at the sizes translators use, in light and dark: panels that
//! collapse, zoom, the theme, and shortcuts changed in the settings.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use fantoccini::{Client, Locator};

use super::{open_sample, press, serve_pages, wait_for_class, App, WAIT};

/// The app as `App::start` starts it, on a screen as large as the largest
/// window the tests try, with the web view's storage (where the layout is
/// remembered) in `dir`, never the user's.
async fn start_isolated(dir: &Path) -> App {
    let (data, config) = (dir.join("data"), dir.join("config"));
    let (display, xvfb) = super::xvfb("1920x1080x24");
    App::start_on(
        display,
        Some(xvfb),
        &dir.join("workspace.sqlite"),
        &[
            ("XDG_DATA_HOME", data.as_os_str()),
            ("XDG_CONFIG_HOME", config.as_os_str()),
        ],
    )
    .await
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

/// The width of the first element matching `css`, from its box on screen.
async fn width_of(c: &Client, css: &str) -> Result<f64, fantoccini::error::CmdError> {
    let script =
        format!("return document.querySelector({css:?})?.getBoundingClientRect().width ?? -1");
    number(c, &script).await
}

/// Whether the editor's toolbar holds all its controls on one line, none cut
/// off, none over another.
async fn toolbar_on_one_line(c: &Client) -> Result<bool, fantoccini::error::CmdError> {
    let answer = c
        .execute(
            "const bar = document.querySelector('.toolbar');
             const tops = [...bar.children].filter((e) => e.offsetParent).map((e) => e.getBoundingClientRect());
             const right = bar.getBoundingClientRect().right;
             const apart = tops.every((r, i) => i === 0 || r.left >= tops[i - 1].right - 1);
             return apart && tops.every((r) => Math.abs(r.top - tops[0].top) < 12 && r.right <= right + 1);",
            vec![],
        )
        .await?;
    Ok(answer.as_bool().unwrap_or(false))
}

const SIZES: [(u32, u32); 3] = [(1024, 700), (1280, 800), (1920, 1080)];

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
    let mut app = start_isolated(dir.path()).await;
    let english = "div.row.active .english";
    let (c, display) = (&app.c, app.display.as_str());
    let run = async {
        open_sample(c).await?;
        c.wait()
            .at_most(WAIT)
            .for_element(Locator::Css("div.row.active"))
            .await?;
        resize(c, 1024, 700).await?;
        let before = width_of(c, english).await?;
        c.find(Locator::Css("#hide-sidebar")).await?.click().await?;
        c.find(Locator::Css("#hide-panels")).await?.click().await?;
        tokio::time::sleep(Duration::from_millis(300)).await;
        let after = width_of(c, english).await?;
        shot(display, 1024, 700, "collapsed-1024x700.png");
        let one_line = toolbar_on_one_line(c).await?;
        Ok::<_, fantoccini::error::CmdError>((before, after, one_line))
    };
    let result = tokio::time::timeout(Duration::from_secs(3 * 90), run).await;
    app.close(&result).await;
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
    app.restart().await;
    let c = &app.c;
    let run = async {
        // The last document opens again by itself (its list is collapsed).
        c.wait()
            .at_most(WAIT)
            .for_element(Locator::Css("div.row.active"))
            .await?;
        resize(c, 1024, 700).await?;
        let shown = c
            .find_all(Locator::Css("#hide-sidebar, #hide-panels"))
            .await?
            .len();
        let offered = c
            .find_all(Locator::Css("#show-sidebar, #show-panels"))
            .await?
            .len();
        Ok::<_, fantoccini::error::CmdError>((shown, offered, width_of(c, english).await?))
    };
    let result = tokio::time::timeout(Duration::from_secs(3 * 60), run).await;
    app.close(&result).await;
    let (shown, offered, width) = result.expect("timed out").expect("second run");
    assert_eq!(
        (shown, offered),
        (0, 2),
        "the panels came back after a restart"
    );
    assert!(width >= 300.0, "{width}");
}

const CTRL: &str = "\u{E009}";
const SHIFT: &str = "\u{E008}";

/// The settings as the app saved them in the workspace.
fn saved_settings(dir: &Path) -> interlinea::store::settings::Settings {
    interlinea::Workspace::open(&dir.join("workspace.sqlite"))
        .expect("workspace")
        .settings()
        .expect("settings")
}

/// Polls the page's `script` until it gives a number `ok` accepts; the last one read.
async fn number_until(
    c: &Client,
    script: &str,
    ok: impl Fn(f64) -> bool,
) -> Result<f64, fantoccini::error::CmdError> {
    let deadline = Instant::now() + WAIT;
    loop {
        let value = number(c, script).await?;
        if ok(value) || Instant::now() > deadline {
            return Ok(value);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Ctrl+= zooms the whole window in (the page gets fewer CSS pixels across),
/// the zoom is in the settings and comes back after a restart; Ctrl+0 resets it.
#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(
    not(feature = "custom-protocol"),
    ignore = "needs --features custom-protocol (the binary must serve the built UI)"
)]
async fn ctrl_plus_zooms_and_the_zoom_is_remembered() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = start_isolated(dir.path()).await;
    let width = "return window.innerWidth";
    let (c, display) = (&app.c, app.display.as_str());
    let run = async {
        open_sample(c).await?;
        resize(c, 1280, 800).await?;
        let before = number(c, width).await?;
        press(c, &format!("{CTRL}=")).await?;
        let once = number_until(c, width, |w| w < before - 50.0).await?;
        press(c, &format!("{CTRL}=")).await?;
        let twice = number_until(c, width, |w| w < once - 50.0).await?;
        shot(display, 1280, 800, "zoom-125-1280x800.png");
        Ok::<_, fantoccini::error::CmdError>((before, once, twice))
    };
    let result = tokio::time::timeout(Duration::from_secs(3 * 90), run).await;
    app.close(&result).await;
    let (before, once, twice) = result.expect("timed out").expect("first run");
    eprintln!("page width at 100%, 110%, 125%: {before}, {once}, {twice}");
    assert_eq!(before, 1280.0);
    assert!((once - 1280.0 / 1.1).abs() < 3.0, "{once}");
    assert!((twice - 1280.0 / 1.25).abs() < 3.0, "{twice}");
    assert_eq!(saved_settings(dir.path()).zoom, 125);

    app.restart().await;
    let c = &app.c;
    let run = async {
        c.wait()
            .at_most(WAIT)
            .for_element(Locator::Css("div.row.active"))
            .await?;
        resize(c, 1280, 800).await.ok();
        let restarted = number_until(c, width, |w| (w - 1024.0).abs() < 3.0).await?;
        press(c, &format!("{CTRL}0")).await?;
        let reset = number_until(c, width, |w| w == 1280.0).await?;
        Ok::<_, fantoccini::error::CmdError>((restarted, reset))
    };
    let result = tokio::time::timeout(Duration::from_secs(3 * 60), run).await;
    app.close(&result).await;
    let (restarted, reset) = result.expect("timed out").expect("second run");
    assert!(
        (restarted - 1024.0).abs() < 3.0,
        "after a restart the page is {restarted} px wide"
    );
    assert_eq!(reset, 1280.0);
    assert_eq!(saved_settings(dir.path()).zoom, 100);
}

/// The background the page draws, as its relative luminance (0 black, 1 white).
async fn background_luminance(c: &Client, css: &str) -> Result<f64, fantoccini::error::CmdError> {
    let script = format!(
        "const [r, g, b] = getComputedStyle(document.querySelector({css:?})).backgroundColor
           .match(/[\\d.]+/g).slice(0, 3).map((v) => {{
             const c = Number(v) / 255;
             return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
           }});
         return 0.2126 * r + 0.7152 * g + 0.0722 * b;"
    );
    number(c, &script).await
}

/// Opens the settings screen from the sidebar.
async fn open_settings(c: &Client) -> Result<(), fantoccini::error::CmdError> {
    c.find(Locator::Css("#open-settings"))
        .await?
        .click()
        .await?;
    c.wait()
        .at_most(WAIT)
        .for_element(Locator::Css("#settings-title"))
        .await?;
    Ok(())
}

/// Saves the settings screen and waits for it to close.
async fn save_settings(c: &Client) -> Result<(), fantoccini::error::CmdError> {
    c.find(Locator::Css("#settings-save"))
        .await?
        .click()
        .await?;
    let deadline = Instant::now() + WAIT;
    while !c
        .find_all(Locator::Css("#settings-title"))
        .await?
        .is_empty()
    {
        assert!(Instant::now() < deadline, "the settings screen stayed open");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Ok(())
}

/// Switched to dark in the settings, the window is dark at once, the
/// English fields too, and stays dark after a restart. Screenshots of both
/// themes at the three sizes go to `E2E_SHOT_DIR`.
#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(
    not(feature = "custom-protocol"),
    ignore = "needs --features custom-protocol (the binary must serve the built UI)"
)]
async fn the_dark_theme_from_the_settings_at_three_sizes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = start_isolated(dir.path()).await;
    let english = "div.row.active .english";
    let (c, display) = (&app.c, app.display.as_str());
    let run = async {
        open_sample(c).await?;
        let mut widths = Vec::new();
        for (width, height) in SIZES {
            resize(c, width, height).await?;
            shot(
                display,
                width,
                height,
                &format!("light-{width}x{height}.png"),
            );
            widths.push((
                width,
                width_of(c, english).await?,
                toolbar_on_one_line(c).await?,
            ));
        }
        let light = background_luminance(c, "html").await?;
        open_settings(c).await?;
        c.find(Locator::Css("#setting-theme"))
            .await?
            .select_by_value("dark")
            .await?;
        shot(display, 1920, 1080, "settings-light-1920x1080.png");
        save_settings(c).await?;
        let dark = background_luminance(c, "html").await?;
        let field = background_luminance(c, english).await?;
        for (width, height) in SIZES {
            resize(c, width, height).await?;
            shot(
                display,
                width,
                height,
                &format!("dark-{width}x{height}.png"),
            );
        }
        resize(c, 1024, 700).await?;
        // Both side areas fold away from the keyboard too.
        c.find(Locator::Css(english)).await?.click().await?;
        press(c, &format!("{CTRL}{SHIFT}l")).await?;
        press(c, &format!("{CTRL}{SHIFT}p")).await?;
        let folded = number_until(
            c,
            &format!("return document.querySelector({english:?}).getBoundingClientRect().width"),
            |w| w >= 300.0,
        )
        .await?;
        shot(display, 1024, 700, "dark-collapsed-1024x700.png");
        // The sidebar's Settings… is folded away: Ctrl+, opens them.
        press(c, &format!("{CTRL},")).await?;
        c.wait()
            .at_most(WAIT)
            .for_element(Locator::Css("#settings-title"))
            .await?;
        shot(display, 1024, 700, "settings-dark-1024x700.png");
        Ok::<_, fantoccini::error::CmdError>((widths, light, dark, field, folded))
    };
    let result = tokio::time::timeout(Duration::from_secs(3 * 120), run).await;
    app.close(&result).await;
    let (widths, light, dark, field, folded) = result.expect("timed out").expect("first run");
    assert!(
        folded >= 300.0,
        "with Ctrl+Shift+L and Ctrl+Shift+P the English is {folded} px wide"
    );
    eprintln!(
        "background luminance: light {light:.3}, dark {dark:.3}, dark English field {field:.3}"
    );
    for (width, english, one_line) in widths {
        eprintln!(
            "{width} px wide: English column {english:.0} px, toolbar on one line: {one_line}"
        );
        if width >= 1280 {
            assert!(one_line, "the toolbar wraps at {width} px");
        }
    }
    assert!(light > 0.8, "{light}");
    assert!(dark < 0.05 && field < 0.05, "{dark} {field}");
    assert_eq!(
        saved_settings(dir.path()).theme,
        interlinea::store::settings::Theme::Dark
    );

    app.restart().await;
    let c = &app.c;
    let run = async {
        c.wait()
            .at_most(WAIT)
            .for_element(Locator::Css("div.row.active"))
            .await?;
        number_until(
            c,
            "return document.documentElement.dataset.theme === 'dark' ? 1 : 0",
            |v| v == 1.0,
        )
        .await?;
        background_luminance(c, "html").await
    };
    let result = tokio::time::timeout(Duration::from_secs(3 * 60), run).await;
    app.close(&result).await;
    let restarted = result.expect("timed out").expect("second run");
    assert!(
        restarted < 0.05,
        "after a restart the background's luminance is {restarted}"
    );
}

/// A key changed in the settings does its action at once; a key another
/// action has is refused with a message, and nothing of it is saved.
#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(
    not(feature = "custom-protocol"),
    ignore = "needs --features custom-protocol (the binary must serve the built UI)"
)]
async fn a_shortcut_changed_in_the_settings_works_and_a_conflict_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = start_isolated(dir.path()).await;
    let (c, display) = (&app.c, app.display.as_str());
    let run = async {
        open_sample(c).await?;
        open_settings(c).await?;
        let confirm = c
            .find(Locator::Css("button.chord[data-action='confirm']"))
            .await?;
        confirm.click().await?;
        confirm.send_keys(&format!("{CTRL}g")).await?;
        let shown = confirm.text().await?;
        // Ctrl+G is now Confirm's: Machine translation may not have it too.
        let mt = c
            .find(Locator::Css("button.chord[data-action='insert-mt']"))
            .await?;
        mt.click().await?;
        mt.send_keys(&format!("{CTRL}g")).await?;
        let problem = c
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css("#settings-problem"))
            .await?
            .text()
            .await?;
        let mt_shown = mt.text().await?;
        shot(display, 1280, 800, "settings-conflict-1280x800.png");
        save_settings(c).await?;
        // The new key confirms the active segment.
        let row = c.find(Locator::Css("div.row.active")).await?;
        let id = row.attr("data-segment-id").await?.unwrap_or_default();
        let field = c
            .find(Locator::Css(&format!(".english[data-segment-id='{id}']")))
            .await?;
        field.click().await?;
        field.send_keys("Putin goes to Kim.").await?;
        field.send_keys(&format!("{CTRL}g")).await?;
        wait_for_class(
            c,
            &format!("div.row[data-segment-id='{id}']"),
            "status-translated",
        )
        .await?;
        Ok::<_, fantoccini::error::CmdError>((shown, problem, mt_shown))
    };
    let result = tokio::time::timeout(Duration::from_secs(3 * 90), run).await;
    app.close(&result).await;
    let (shown, problem, mt_shown) = result.expect("timed out").expect("run");
    assert_eq!(shown, "Ctrl+G");
    assert!(
        problem.contains("Ctrl+G already does: Confirm"),
        "{problem}"
    );
    assert_eq!(mt_shown, "Ctrl+M");
    let saved = saved_settings(dir.path()).shortcuts;
    assert_eq!(
        saved.into_iter().collect::<Vec<_>>(),
        [("confirm".to_string(), "Ctrl+G".to_string())]
    );
}

/// An article from its address, updated since, has the most in its toolbar
/// (Check for update, What changed): at each size, with the panels shown,
/// it is still one line, and
/// the article's dates in the header break at no hyphen.
#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(
    not(feature = "custom-protocol"),
    ignore = "needs --features custom-protocol (the binary must serve the built UI)"
)]
async fn the_fullest_toolbar_fits_on_one_line_at_every_size() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/news");
    let page = |name: &str| std::fs::read(fixtures.join(name)).expect("fixture");
    let site = serve_pages(vec![page("update-1.html"), page("update-2.html")]);
    let dir = tempfile::tempdir().expect("temp dir");
    let app = start_isolated(dir.path()).await;
    let (c, display) = (&app.c, app.display.as_str());
    let run = async {
        let field = c
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css("#import-url"))
            .await?;
        field
            .send_keys(&format!("{site}/cronaca/terremoto-marche"))
            .await?;
        c.find(Locator::Css("#import-url-go"))
            .await?
            .click()
            .await?;
        c.wait()
            .at_most(WAIT)
            .for_element(Locator::Css("#check-update"))
            .await?
            .click()
            .await?;
        c.wait()
            .at_most(WAIT)
            .for_element(Locator::Css("#open-changes"))
            .await?;
        // What changed opens by itself; closed, the toolbar is in sight.
        c.wait()
            .at_most(WAIT)
            .for_element(Locator::XPath("//div[@role='dialog']//button[.='Close']"))
            .await?
            .click()
            .await?;
        let mut fits = Vec::new();
        for (width, height) in SIZES {
            resize(c, width, height).await?;
            shot(
                display,
                width,
                height,
                &format!("article-{width}x{height}.png"),
            );
            fits.push((width, toolbar_on_one_line(c).await?));
        }
        // Each date in the header sits on one line.
        let broken = number(
            c,
            "return [...document.querySelectorAll('#article-meta .meta-part')]
               .filter((e) => e.getClientRects().length > 1).length",
        )
        .await?;
        Ok::<_, fantoccini::error::CmdError>((fits, broken))
    };
    let result = tokio::time::timeout(Duration::from_secs(3 * 90), run).await;
    app.close(&result).await;
    let (fits, broken) = result.expect("timed out").expect("run");
    for (width, one_line) in fits {
        assert!(
            one_line,
            "the toolbar wraps or cuts a control off at {width} px"
        );
    }
    assert_eq!(
        broken, 0.0,
        "a date or a name in the header is broken across lines"
    );
}
