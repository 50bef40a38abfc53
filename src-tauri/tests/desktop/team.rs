//! The team desk in the real app: two app instances, each with a workspace
//! of its own, join one team server (the real `interlinea-server` on a
//! real PostgreSQL); a sentence confirmed in one shows in the other as a
//! 100 % match a moment later, through the background sync alone.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use fantoccini::{Client, Locator};

use super::{
    display, free_port, open_sample, screenshot, segment_id, succeeded, App, Guard, CTRL_ENTER,
    WAIT,
};

#[path = "../../../server/tests/common/cluster.rs"]
mod cluster;

/// The team server's binary, built beside the app by `cargo test --workspace`.
fn server_bin() -> PathBuf {
    let bin = Path::new(env!("CARGO_BIN_EXE_interlinea-app")).with_file_name("interlinea-server");
    assert!(
        bin.exists(),
        "{} is missing: `cargo build -p interlinea-server` builds it",
        bin.display()
    );
    bin
}

/// Runs `interlinea-server ARGS --db DB`; its standard output.
fn server_command(db: &str, args: &[&str]) -> String {
    succeeded(Command::new(server_bin()).args(args).args(["--db", db]))
        .trim()
        .to_owned()
}

/// A team of its own ("esteri1", "esteri2"…: the tests share one cluster)
/// with `users`, all translators, served on a loopback port: the server's
/// address, each user's token, and the server process.
fn desk(users: &[&str]) -> (String, Vec<String>, Guard) {
    let users: Vec<(&str, &str)> = users.iter().map(|user| (*user, "translator")).collect();
    desk_with_roles(&users)
}

/// [`desk`] with each user's role.
fn desk_with_roles(users: &[(&str, &str)]) -> (String, Vec<String>, Guard) {
    let db = format!(
        "postgres://postgres@127.0.0.1:{}/postgres",
        cluster::cluster().port
    );
    static TEAMS: AtomicUsize = AtomicUsize::new(0);
    let team = format!("esteri{}", TEAMS.fetch_add(1, Ordering::Relaxed) + 1);
    server_command(&db, &["migrate"]);
    server_command(&db, &["team", "add", &team]);
    let tokens = users
        .iter()
        .map(|(user, role)| {
            server_command(&db, &["user", "add", user, "--team", &team, "--role", role]);
            server_command(&db, &["token", "issue", user, "--team", &team])
        })
        .collect();
    let port = free_port();
    let server = Command::new(server_bin())
        .args([
            "serve",
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--db",
            &db,
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start interlinea-server");
    let server = Guard(server);
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "the team server did not listen");
        std::thread::sleep(Duration::from_millis(100));
    }
    (format!("http://127.0.0.1:{port}"), tokens, server)
}

/// Two app instances, each on a workspace of its own, on one display.
struct TwoApps {
    a: App,
    b: App,
    display: String,
    // Dropped after the apps: the display, then the workspaces' folders.
    _xvfb: Option<Guard>,
    dirs: [tempfile::TempDir; 2],
}

impl TwoApps {
    async fn start() -> TwoApps {
        let dirs = [
            tempfile::tempdir().expect("temp dir"),
            tempfile::tempdir().expect("temp dir"),
        ];
        let (display, xvfb) = display();
        let dbs = dirs
            .each_ref()
            .map(|dir| dir.path().join("workspace.sqlite"));
        TwoApps {
            a: App::start_on(display.clone(), None, &dbs[0], &[]).await,
            b: App::start_on(display.clone(), None, &dbs[1], &[]).await,
            display,
            _xvfb: xvfb,
            dirs,
        }
    }

    /// The workspace of app `n` (0 or 1).
    fn db(&self, n: usize) -> PathBuf {
        self.dirs[n].path().join("workspace.sqlite")
    }

    /// Reports what both apps show if `result` failed, and closes them.
    async fn close<T, E: std::fmt::Debug>(
        &self,
        result: &Result<Result<T, E>, tokio::time::error::Elapsed>,
    ) {
        self.a.close(result).await;
        self.b.close(result).await;
    }
}

/// Opens the sample article and joins the team as `user`, with the keyboard
/// as a translator would; waits until the first sync is done.
async fn open_and_join(
    c: &Client,
    display: &str,
    url: &str,
    user: &str,
    token: &str,
) -> Result<(), fantoccini::error::CmdError> {
    open_sample(c).await?;
    segment_id(c, "Putin va da Kim.").await?;
    c.find(Locator::Css("#join-team")).await?.click().await?;
    let field = c
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css("#team-url"))
        .await?;
    field.send_keys(url).await?;
    c.find(Locator::Css("#team-user"))
        .await?
        .send_keys(user)
        .await?;
    let token_field = c.find(Locator::Css("#team-token")).await?;
    token_field.send_keys(token).await?;
    screenshot(display, &format!("team-join-{user}.png"));
    token_field.send_keys("\u{E007}").await?;
    let deadline = Instant::now() + WAIT;
    loop {
        let status = match c.find(Locator::Css("#team-status")).await {
            Ok(line) => line.text().await?,
            Err(_) => String::new(),
        };
        if status.starts_with("Synced") {
            return Ok(());
        }
        assert!(Instant::now() < deadline, "{user} never synced: {status:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_sentence_confirmed_in_one_app_is_a_full_match_in_the_others() {
    let (url, tokens, _server) = desk(&["giulia", "marco"]);
    let apps = TwoApps::start().await;
    let (a, b, display) = (&apps.a.c, &apps.b.c, apps.display.as_str());
    let run = async {
        open_and_join(a, display, &url, "giulia", &tokens[0]).await?;
        open_and_join(b, display, &url, "marco", &tokens[1]).await?;
        let headline = segment_id(a, "Putin va da Kim.").await?;
        let field = a
            .find(Locator::Css(&format!(
                ".english[data-segment-id='{headline}']"
            )))
            .await?;
        field.click().await?;
        field.send_keys("Putin visits Kim.").await?;
        field.send_keys(CTRL_ENTER).await?;
        let confirmed = Instant::now();
        // Marco's editor opened on the same headline: its matches panel
        // shows Giulia's English as the sync brings it.
        let deadline = Instant::now() + WAIT;
        let shown = loop {
            if let Ok(best) = b.find(Locator::Css("button.match[data-match='1']")).await {
                let text = best.text().await?;
                if text.contains("Putin visits Kim.") {
                    break text;
                }
            }
            assert!(Instant::now() < deadline, "the match never reached marco");
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        eprintln!(
            "giulia's confirmation reached marco's matches panel in {} ms",
            confirmed.elapsed().as_millis()
        );
        assert!(shown.contains("100"), "{shown}");
        screenshot(display, "team-match.png");
        Ok::<_, fantoccini::error::CmdError>(())
    };
    let result = tokio::time::timeout(Duration::from_secs(240), run).await;
    apps.close(&result).await;
    result.expect("in time").expect("the team's match");
    // The token never entered either workspace.
    for (db, token) in [(apps.db(0), &tokens[0]), (apps.db(1), &tokens[1])] {
        for file in interlinea::store::workspace_files(&db) {
            if let Ok(bytes) = std::fs::read(&file) {
                assert!(
                    !bytes.windows(token.len()).any(|w| w == token.as_bytes()),
                    "the token is in {}",
                    file.display()
                );
            }
        }
    }
}

/// The line of the shared document named `name` saying who holds it, once
/// it satisfies `wanted`.
async fn holder_line(
    c: &Client,
    name: &str,
    wanted: impl Fn(&str) -> bool,
) -> Result<String, fantoccini::error::CmdError> {
    let deadline = Instant::now() + WAIT;
    loop {
        let mut last = String::new();
        for item in c
            .find_all(Locator::Css("#shared-documents li[data-shared-id]"))
            .await?
        {
            // The name is cut with an ellipsis, which hides it from text().
            let text = item
                .find(Locator::Css(".name"))
                .await?
                .prop("textContent")
                .await?
                .unwrap_or_default();
            if text == name {
                last = item.find(Locator::Css(".holder")).await?.text().await?;
            }
        }
        if wanted(&last) {
            return Ok(last);
        }
        if Instant::now() > deadline {
            let page = c.find(Locator::Css("body")).await?.text().await?;
            panic!("{name}: {last:?}; the page shows:\n{page}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_shared_document_assigned_by_the_editor_shows_as_held_in_the_translators_list() {
    let (url, tokens, _server) = desk_with_roles(&[("giulia", "editor"), ("marco", "translator")]);
    let apps = TwoApps::start().await;
    let (a, b, display) = (&apps.a.c, &apps.b.c, apps.display.as_str());
    let run = async {
        open_and_join(a, display, &url, "giulia", &tokens[0]).await?;
        open_and_join(b, display, &url, "marco", &tokens[1]).await?;
        // Giulia, an editor, shares the sample article from the list.
        let share = a
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css("form[aria-label='Share with team'] button"))
            .await?;
        let name = a
            .find(Locator::Css("form[aria-label='Share with team'] option"))
            .await?
            .prop("textContent")
            .await?
            .unwrap_or_default();
        share.click().await?;
        holder_line(a, &name, |line| line == "No one holds it").await?;
        // And assigns it to Marco with the keyboard.
        a.find(Locator::XPath(
            "//*[@id='shared-documents']//button[normalize-space()='Assign…']",
        ))
        .await?
        .click()
        .await?;
        let user = a
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(
                "form[aria-label^='Assign'] input[name='user']",
            ))
            .await?;
        user.send_keys("marco").await?;
        user.send_keys("\u{E007}").await?;
        let assigned = Instant::now();
        let held = holder_line(a, &name, |line| line.starts_with("Held by marco")).await?;
        assert!(held.contains("translate"), "{held}");
        // Her document list marks the article as Marco's to translate.
        let mark = a
            .find(Locator::Css(
                "nav[aria-label='Documents'] li.active .shared",
            ))
            .await?
            .text()
            .await?;
        assert_eq!(mark, "Shared · marco translates");
        // Marco's list, through the background sync alone.
        let mine = holder_line(b, &name, |line| line.starts_with("Held by you")).await?;
        eprintln!(
            "the assignment reached marco's list in {} ms",
            assigned.elapsed().as_millis()
        );
        assert!(mine.contains("translate · until"), "{mine}");
        screenshot(display, "team-shared-document.png");
        Ok::<_, fantoccini::error::CmdError>(())
    };
    let result = tokio::time::timeout(Duration::from_secs(240), run).await;
    apps.close(&result).await;
    result
        .expect("in time")
        .expect("the shared document held by marco");
}
