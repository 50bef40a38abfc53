//! The command line as scripts use it: migrations, teams, users, tokens,
//! and `serve`, whose logs never hold a token, over HTTP and HTTPS.

use std::process::{Command, Output};

use interlinea_server::db::Role;

use crate::support::{add_unit, database, serve, server_bin, spawn_app};

fn server(db: &str, args: &[&str]) -> Output {
    Command::new(server_bin())
        .args(args)
        .env("INTERLINEA_SERVER_DB", db)
        .env_remove("RUST_LOG")
        .output()
        .expect("run interlinea-server")
}

fn stdout(out: &Output) -> String {
    assert!(
        out.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).expect("UTF-8")
}

#[tokio::test]
async fn migrating_twice_applies_the_migrations_once() {
    let db = database().await;
    assert_eq!(stdout(&server(&db, &["migrate"])), "1\n2\n3\n4\n");
    assert_eq!(stdout(&server(&db, &["migrate"])), "");
    // --db wins over the environment's database.
    let out = Command::new(server_bin())
        .args(["migrate", "--db", &db])
        .env("INTERLINEA_SERVER_DB", "postgres://nobody@127.0.0.1:1/none")
        .output()
        .unwrap();
    assert_eq!(stdout(&out), "");
    let pool = interlinea_server::pool(&db).unwrap();
    let client = pool.get().await.unwrap();
    let versions: Vec<i32> = client
        .query("SELECT version FROM schema_migrations", &[])
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(versions, [1, 2, 3, 4]);
}

#[tokio::test]
async fn two_servers_migrating_at_once_take_turns() {
    let db = database().await;
    let (a, b) = (
        interlinea_server::pool(&db).unwrap(),
        interlinea_server::pool(&db).unwrap(),
    );
    let (a, b) = tokio::join!(
        interlinea_server::db::migrate(&a),
        interlinea_server::db::migrate(&b)
    );
    let mut applied = [a.unwrap(), b.unwrap()];
    applied.sort();
    assert_eq!(applied, [vec![], vec![1, 2, 3, 4]]);
}

#[tokio::test]
async fn a_token_is_printed_alone_once_and_stored_only_hashed() {
    let app = spawn_app().await;
    let db = app.url.as_str();
    assert_eq!(stdout(&server(db, &["team", "add", "desk"])), "");
    let dup = server(db, &["team", "add", "desk"]);
    assert!(!dup.status.success());
    assert!(String::from_utf8_lossy(&dup.stderr).contains("exists already"));
    stdout(&server(
        db,
        &[
            "user",
            "add",
            "anna",
            "--team",
            "desk",
            "--role",
            "translator",
        ],
    ));
    let bad_role = server(
        db,
        &["user", "add", "ben", "--team", "desk", "--role", "owner"],
    );
    assert!(!bad_role.status.success());
    let no_team = server(
        db,
        &["user", "add", "ben", "--team", "nowhere", "--role", "admin"],
    );
    assert!(!no_team.status.success());

    let printed = stdout(&server(db, &["token", "issue", "anna"]));
    let token = printed.strip_suffix('\n').expect("one line");
    assert_eq!(token.len(), 43, "32 bytes, URL-safe base64: {printed:?}");
    assert!(token
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
    let unknown = server(db, &["token", "issue", "nobody"]);
    assert!(!unknown.status.success());
    assert!(unknown.stdout.is_empty());

    let client = app.pool.get().await.unwrap();
    let stored: Vec<u8> = client
        .query_one("SELECT hash FROM tokens", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(stored, interlinea_server::token::hash(token));
    let (status, me) = app.get(Some(token), "/v1/me").await;
    assert_eq!((status, me["user"].as_str()), (200, Some("anna")));
    // An editor, who assigns documents.
    stdout(&server(
        db,
        &["user", "add", "eddie", "--team", "desk", "--role", "editor"],
    ));
    let editor = stdout(&server(db, &["token", "issue", "eddie"]));
    let (status, me) = app.get(Some(editor.trim()), "/v1/me").await;
    assert_eq!((status, me["role"].as_str()), (200, Some("editor")));

    assert_eq!(stdout(&server(db, &["token", "revoke", "anna"])), "");
    assert_eq!(app.get(Some(token), "/v1/me").await.0, 401);

    let out = Command::new(server_bin())
        .arg("migrate")
        .env_remove("INTERLINEA_SERVER_DB")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("INTERLINEA_SERVER_DB"));
}

/// Serves the app's database with logs at `log_level`, sends requests
/// with a good and a wrong token and a sentence in a query, has a token
/// issued, and returns the logs and the three tokens.
async fn logged_requests(db: &str, token: &str, log_level: &str) -> (String, [String; 3]) {
    let wrong = interlinea_server::token::new();
    let serving = serve(db, log_level, &[]);
    let base = format!("http://127.0.0.1:{}", serving.port);
    let http = reqwest::Client::new();
    for t in [token, &wrong] {
        http.get(format!("{base}/v1/me"))
            .bearer_auth(t)
            .send()
            .await
            .unwrap();
        http.post(format!("{base}/v1/push"))
            .bearer_auth(t)
            .json(&serde_json::json!({"ops": [add_unit("Piove.", "It is raining.")]}))
            .send()
            .await
            .unwrap();
    }
    http.get(format!("{base}/v1/translations?source=Unpublished%20scoop"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let res = http
        .post(format!("{base}/v1/users/anna/token"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let issued: serde_json::Value = res.json().await.unwrap();
    let issued = issued["token"].as_str().unwrap().to_owned();
    let logs = serving.stop();
    assert!(
        logs.contains("/v1/translations"),
        "the logs were not captured: {logs}"
    );
    (logs, [token.to_owned(), wrong, issued])
}

#[tokio::test]
async fn the_logs_never_hold_a_token_nor_by_default_a_query() {
    let app = spawn_app().await;
    let token = app
        .user("anna", "desk", interlinea_server::db::Role::Admin)
        .await;
    // The default filter, then everything every library logs.
    for level in ["info,tower_http=debug", "trace"] {
        let (logs, tokens) = logged_requests(&app.url, &token, level).await;
        for secret in &tokens {
            assert!(
                !logs.contains(secret.as_str()),
                "a token in the logs:\n{logs}"
            );
        }
        if level != "trace" {
            assert!(
                !logs.contains("Unpublished"),
                "a query in the logs:\n{logs}"
            );
        }
    }
}

#[tokio::test]
async fn serve_answers_over_tls_with_a_certificate_file() {
    let app = spawn_app().await;
    let cert = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let cert_file = dir.path().join("cert.pem");
    let key_file = dir.path().join("key.pem");
    std::fs::write(&cert_file, cert.cert.pem()).unwrap();
    std::fs::write(&key_file, cert.key_pair.serialize_pem()).unwrap();
    let serving = serve(
        &app.url,
        "info",
        &[
            "--tls-cert",
            cert_file.to_str().unwrap(),
            "--tls-key",
            key_file.to_str().unwrap(),
        ],
    );
    let http = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(cert.cert.pem().as_bytes()).unwrap())
        .resolve(
            "localhost",
            format!("127.0.0.1:{}", serving.port).parse().unwrap(),
        )
        .build()
        .unwrap();
    let res = http
        .get(format!("https://localhost:{}/health", serving.port))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(
        res.json::<serde_json::Value>().await.unwrap(),
        serde_json::json!({"status": "ok"})
    );
    // Plain HTTP gets no answer from the TLS port.
    let plain = reqwest::get(format!("http://127.0.0.1:{}/health", serving.port)).await;
    assert!(plain.is_err() || !plain.unwrap().status().is_success());
    let logs = serving.stop();
    assert!(logs.contains("serving HTTPS"), "{logs}");
}

#[tokio::test]
async fn a_name_two_teams_share_needs_the_team_on_the_command_line() {
    let app = spawn_app().await;
    let db = app.url.as_str();
    for team in ["desk", "newsroom"] {
        stdout(&server(db, &["team", "add", team]));
        stdout(&server(
            db,
            &[
                "user",
                "add",
                "anna",
                "--team",
                team,
                "--role",
                "translator",
            ],
        ));
    }
    let ambiguous = server(db, &["token", "issue", "anna"]);
    assert!(!ambiguous.status.success());
    assert!(ambiguous.stdout.is_empty());
    assert!(String::from_utf8_lossy(&ambiguous.stderr).contains("name the team"));
    for team in ["desk", "newsroom"] {
        let printed = stdout(&server(db, &["token", "issue", "anna", "--team", team]));
        let (status, me) = app.get(Some(printed.trim()), "/v1/me").await;
        assert_eq!((status, me["team"].as_str()), (200, Some(team)));
    }
    let revoke = server(db, &["token", "revoke", "anna"]);
    assert!(!revoke.status.success());
    stdout(&server(db, &["token", "revoke", "anna", "--team", "desk"]));
    let client = app.pool.get().await.unwrap();
    let live: Vec<String> = client
        .query(
            "SELECT t.name FROM tokens k JOIN users u ON u.id = k.user_id
             JOIN teams t ON t.id = u.team_id WHERE k.revoked_at IS NULL",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect();
    assert_eq!(live, ["newsroom"]);
}

/// Runs `serve` on the database, which must refuse to start.
fn refused_serve(db: &str) -> Output {
    let mut child = Command::new(server_bin())
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env("INTERLINEA_SERVER_DB", db)
        .env_remove("RUST_LOG")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > std::time::Duration::from_secs(20) {
            child.kill().unwrap();
            panic!("serve started on a database that lacks migrations");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    assert!(!out.status.success());
    out
}

#[tokio::test]
async fn serve_refuses_a_database_that_lacks_migrations() {
    let db = database().await;
    let out = refused_serve(&db);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("lacks migration(s) 1, 2, 3, 4: run `interlinea-server migrate` first"),
        "{stderr}"
    );
    // With the first migration only.
    let pool = interlinea_server::pool(&db).unwrap();
    let client = pool.get().await.unwrap();
    client
        .batch_execute(include_str!("../../migrations/0001_teams.sql"))
        .await
        .unwrap();
    client
        .batch_execute(
            "CREATE TABLE schema_migrations (version integer PRIMARY KEY,
                 applied_at timestamptz NOT NULL DEFAULT now());
             INSERT INTO schema_migrations VALUES (1)",
        )
        .await
        .unwrap();
    let out = refused_serve(&db);
    assert!(String::from_utf8_lossy(&out.stderr).contains("lacks migration(s) 2, 3, 4:"));
    // Migrated from there, it serves.
    assert_eq!(stdout(&server(&db, &["migrate"])), "2\n3\n4\n");
    let serving = serve(&db, "warn", &[]);
    let res = reqwest::get(format!("http://127.0.0.1:{}/health", serving.port))
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
}

#[tokio::test]
async fn a_renewed_epoch_reaches_the_clients() {
    let app = spawn_app().await;
    let anna = app.user("anna", "desk", Role::Translator).await;
    let before = app.team_epoch("desk").await;
    let out = server(&app.url, &["team", "renew-epoch", "desk"]);
    assert_eq!(stdout(&out), "");
    let after = app.team_epoch("desk").await;
    assert_ne!(before, after);
    let (_, me) = app.get(Some(&anna), "/v1/me").await;
    assert_eq!(me["epoch"], after.to_string());
    let (_, page) = app.get(Some(&anna), "/v1/changes?since=0").await;
    assert_eq!(page["epoch"], after.to_string());
    assert!(!server(&app.url, &["team", "renew-epoch", "nowhere"])
        .status
        .success());
}
