//! Machine translation against real HTTP servers on 127.0.0.1 that check
//! the exact requests DeepL, LibreTranslate and OpenAI-compatible servers
//! expect, and answer as they do — including every way they fail.

use std::time::{Duration, Instant};

use interlinea::mt::{keys::KeyStore, translate_cached, MtClient, MtError, MtRequest, Settings};
use interlinea::store::mt::{Provider, ProviderKind};
use serde_json::json;

use crate::http::{Reply, Server};

fn provider(kind: ProviderKind, server: &Server, model: Option<&str>) -> Provider {
    Provider {
        name: format!("test-{}", kind.as_str()),
        kind,
        url: server.url.clone(),
        model: model.map(str::to_string),
    }
}

/// Quick retries and timeouts, so failures are tested in little time.
fn fast() -> Settings {
    Settings {
        connect_timeout: Duration::from_secs(2),
        timeout: Duration::from_millis(700),
        max_retries: 3,
        base_delay: Duration::from_millis(20),
        max_delay: Duration::from_secs(3),
        concurrency: 2,
    }
}

fn request() -> MtRequest {
    MtRequest {
        source: "La ministra ha incontrato il segretario dell’Onu.".into(),
        before: Some("Putin va da Kim.".into()),
        after: Some("Il vertice è durato due ore.".into()),
        terms: vec![("Onu".into(), "UN".into())],
        ..MtRequest::default()
    }
}

const DEEPL_OK: &str = r#"{"translations":[{"detected_source_language":"IT","text":"The minister met the UN secretary."}]}"#;

#[tokio::test]
async fn deepl_gets_its_own_request_and_answer() {
    let server = Server::start(vec![Reply::text(200, DEEPL_OK)]);
    let client = MtClient::new(fast());
    let deepl = provider(ProviderKind::DeepL, &server, None);
    let text = client
        .translate(&deepl, Some("0000-secret:fx"), &request())
        .await
        .expect("a translation");
    assert_eq!(text, "The minister met the UN secretary.");
    let seen = server.requests();
    assert_eq!(seen.len(), 1);
    let r = &seen[0];
    assert_eq!(
        (r.method.as_str(), r.path.as_str()),
        ("POST", "/v2/translate")
    );
    assert_eq!(
        r.header("authorization"),
        Some("DeepL-Auth-Key 0000-secret:fx")
    );
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(
        r.json(),
        json!({
            "text": ["La ministra ha incontrato il segretario dell’Onu."],
            "source_lang": "IT",
            "target_lang": "EN-GB",
            "context": "Putin va da Kim. Il vertice è durato due ore."
        })
    );
    // American English when asked; DeepL always needs a key.
    let us = Provider {
        model: Some("EN-US".into()),
        ..deepl.clone()
    };
    client
        .translate(&us, Some("k"), &request())
        .await
        .expect("EN-US");
    assert_eq!(server.requests()[1].json()["target_lang"], "EN-US");
    let err = client
        .translate(&deepl, None, &request())
        .await
        .unwrap_err();
    assert!(matches!(err, MtError::NoKey { .. }), "{err}");
    assert!(
        err.to_string().contains("INTERLINEA_KEY_TEST_DEEPL"),
        "{err}"
    );
}

#[tokio::test]
async fn libretranslate_gets_its_own_request_and_answer() {
    let server = Server::start(vec![Reply::json(
        200,
        json!({"translatedText": "The minister met the UN secretary."}),
    )]);
    let client = MtClient::new(fast());
    let libre = provider(ProviderKind::LibreTranslate, &server, None);
    let text = client
        .translate(&libre, Some("lt-key"), &request())
        .await
        .unwrap();
    assert_eq!(text, "The minister met the UN secretary.");
    client.translate(&libre, None, &request()).await.unwrap();
    let seen = server.requests();
    assert_eq!(
        (seen[0].method.as_str(), seen[0].path.as_str()),
        ("POST", "/translate")
    );
    assert_eq!(
        seen[0].json(),
        json!({
            "q": "La ministra ha incontrato il segretario dell’Onu.",
            "source": "it",
            "target": "en",
            "format": "text",
            "api_key": "lt-key"
        })
    );
    assert!(
        seen[1].json().get("api_key").is_none(),
        "no key, no api_key"
    );
    assert!(seen[0].header("authorization").is_none());
}

#[tokio::test]
async fn an_openai_compatible_server_gets_the_glossary_and_the_context() {
    let server = Server::start(vec![Reply::json(
        200,
        json!({
            "id": "chatcmpl-1",
            "object": "chat.completion",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": "\"The minister met the UN secretary.\"\n"}, "finish_reason": "stop"}]
        }),
    )]);
    let client = MtClient::new(fast());
    let llm = provider(ProviderKind::OpenAi, &server, Some("llama3.1:8b"));
    let text = client
        .translate(&llm, Some("sk-test"), &request())
        .await
        .unwrap();
    assert_eq!(
        text, "The minister met the UN secretary.",
        "quotes the model added are taken off"
    );
    let seen = server.requests();
    let r = &seen[0];
    assert_eq!(
        (r.method.as_str(), r.path.as_str()),
        ("POST", "/v1/chat/completions")
    );
    assert_eq!(r.header("authorization"), Some("Bearer sk-test"));
    let body = r.json();
    assert_eq!(body["model"], "llama3.1:8b");
    assert_eq!(body["temperature"], 0);
    assert_eq!(body["messages"][0]["role"], "system");
    assert!(body["messages"][0]["content"]
        .as_str()
        .unwrap()
        .contains("English translation of that one sentence only"));
    let user = body["messages"][1]["content"].as_str().unwrap();
    assert_eq!(
        user,
        "Context (do not translate):\nBefore: Putin va da Kim.\nAfter: Il vertice è durato due ore.\n\n\
         Glossary (Italian → English):\n- Onu → UN\n\n\
         Sentence to translate:\nLa ministra ha incontrato il segretario dell’Onu."
    );
    // A local server without a key gets no Authorization header.
    client.translate(&llm, None, &request()).await.unwrap();
    assert!(server.requests()[1].header("authorization").is_none());
}

#[tokio::test]
async fn a_429_is_retried_after_the_time_it_asks_for() {
    let server = Server::start(vec![
        Reply::json(429, json!({"message": "Too many requests"})).header("Retry-After", "1"),
        Reply::text(200, DEEPL_OK),
    ]);
    let client = MtClient::new(fast());
    let started = Instant::now();
    let text = client
        .translate(
            &provider(ProviderKind::DeepL, &server, None),
            Some("k"),
            &request(),
        )
        .await
        .unwrap();
    assert_eq!(text, "The minister met the UN secretary.");
    assert_eq!(server.requests().len(), 2);
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "waited {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_429_asking_for_too_long_a_wait_fails_at_once_and_says_so() {
    let server = Server::start(vec![
        Reply::text(429, "slow down").header("Retry-After", "3600")
    ]);
    let client = MtClient::new(fast());
    let err = client
        .translate(
            &provider(ProviderKind::LibreTranslate, &server, None),
            None,
            &request(),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            MtError::RateLimited {
                retry_after: Some(3600),
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("wait 3600 s"), "{err}");
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn server_errors_are_retried_with_backoff_then_reported() {
    let server = Server::start(vec![
        Reply::text(500, "oops"),
        Reply::text(503, "busy"),
        Reply::json(200, json!({"translatedText": "Done."})),
    ]);
    let client = MtClient::new(fast());
    let libre = provider(ProviderKind::LibreTranslate, &server, None);
    assert_eq!(
        client.translate(&libre, None, &request()).await.unwrap(),
        "Done."
    );
    assert_eq!(server.requests().len(), 3);

    let failing = Server::start(vec![Reply::text(502, "<html>Bad gateway</html>")]);
    let err = client
        .translate(
            &provider(ProviderKind::LibreTranslate, &failing, None),
            None,
            &request(),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            MtError::Server {
                status: 502,
                attempts: 4,
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(
        failing.requests().len(),
        4,
        "the first request and three retries"
    );
}

#[tokio::test]
async fn a_refused_key_is_not_retried_and_not_repeated() {
    let key = "sk-very-secret-0123456789";
    let server = Server::start(vec![Reply::json(
        403,
        json!({"error": {"message": format!("Incorrect API key provided: {key}"), "type": "invalid_request_error"}}),
    )]);
    let client = MtClient::new(fast());
    let err = client
        .translate(
            &provider(ProviderKind::OpenAi, &server, Some("m")),
            Some(key),
            &request(),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err, MtError::KeyRefused { status: 403, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("the key was refused"), "{err}");
    assert!(!format!("{err} {err:?}").contains(key));
    assert_eq!(server.requests().len(), 1);

    // Another refusal echoing the key gets it masked.
    let echo = Server::start(vec![Reply::json(
        400,
        json!({"error": format!("bad key {key}")}),
    )]);
    let err = client
        .translate(
            &provider(ProviderKind::LibreTranslate, &echo, None),
            Some(key),
            &request(),
        )
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "test-libretranslate: the request was refused (HTTP 400): bad key [key]"
    );
}

#[tokio::test]
async fn malformed_answers_are_reported_not_inserted() {
    let client = MtClient::new(fast());
    for (kind, body) in [
        (ProviderKind::DeepL, "{\"translations\": ["),
        (ProviderKind::DeepL, "{\"translations\": []}"),
        (ProviderKind::LibreTranslate, "<html>maintenance</html>"),
        (
            ProviderKind::OpenAi,
            "{\"choices\": [{\"message\": {\"content\": \"  \"}}]}",
        ),
    ] {
        let server = Server::start(vec![Reply::text(200, body)]);
        let err = client
            .translate(&provider(kind, &server, Some("m")), Some("k"), &request())
            .await
            .unwrap_err();
        assert!(matches!(err, MtError::Malformed { .. }), "{body}: {err}");
        assert!(err.to_string().contains("unexpected answer"), "{err}");
    }
}

#[tokio::test]
async fn a_slow_answer_times_out_and_a_dead_host_is_offline() {
    let server = Server::start(vec![
        Reply::text(200, DEEPL_OK).after(Duration::from_secs(3))
    ]);
    let client = MtClient::new(fast());
    let started = Instant::now();
    let err = client
        .translate(
            &provider(ProviderKind::DeepL, &server, None),
            Some("k"),
            &request(),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, MtError::Timeout { .. }), "{err}");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "gave up after {:?}",
        started.elapsed()
    );

    // Nothing listens on a port just released.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let gone = Provider {
        name: "gone".into(),
        kind: ProviderKind::LibreTranslate,
        url: format!("http://127.0.0.1:{port}"),
        model: None,
    };
    let err = client.translate(&gone, None, &request()).await.unwrap_err();
    assert!(err.is_offline(), "{err}");
    assert_eq!(
        err.to_string(),
        format!("gone: cannot reach 127.0.0.1:{port} (offline, or the server is down)")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn no_more_requests_at_once_than_the_limit() {
    let server = Server::start(vec![
        Reply::json(200, json!({"translatedText": "ok"})).after(Duration::from_millis(150))
    ]);
    let client = std::sync::Arc::new(MtClient::new(fast()));
    let libre = provider(ProviderKind::LibreTranslate, &server, None);
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let (client, libre) = (client.clone(), libre.clone());
            tokio::spawn(async move { client.translate(&libre, None, &request()).await })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    assert_eq!(server.requests().len(), 8);
    assert_eq!(server.max_in_flight(), 2, "the limit is 2 per provider");
}

#[tokio::test]
async fn a_repeated_request_is_served_from_the_cache() {
    let server = Server::start(vec![Reply::text(200, DEEPL_OK)]);
    let client = MtClient::new(fast());
    let deepl = provider(ProviderKind::DeepL, &server, None);
    let dir = tempfile::tempdir().unwrap();
    let mut ws = interlinea::Workspace::open(&dir.path().join("ws.sqlite")).unwrap();
    let first = translate_cached(&mut ws, &client, &deepl, Some("k"), &request())
        .await
        .unwrap();
    let second = translate_cached(&mut ws, &client, &deepl, Some("k"), &request())
        .await
        .unwrap();
    assert_eq!(
        first,
        ("The minister met the UN secretary.".to_string(), false)
    );
    assert_eq!(
        second,
        ("The minister met the UN secretary.".to_string(), true)
    );
    assert_eq!(
        server.requests().len(),
        1,
        "the second answer came from the cache"
    );
    // A language model's answer depends on the terms it was given.
    let llm_server = Server::start(vec![Reply::json(
        200,
        json!({"choices": [{"message": {"role": "assistant", "content": "The minister met the UN secretary."}}]}),
    )]);
    let llm = provider(ProviderKind::OpenAi, &llm_server, Some("m"));
    translate_cached(&mut ws, &client, &llm, None, &request())
        .await
        .unwrap();
    let fewer_terms = MtRequest {
        terms: vec![],
        ..request()
    };
    translate_cached(&mut ws, &client, &llm, None, &fewer_terms)
        .await
        .unwrap();
    translate_cached(&mut ws, &client, &llm, None, &request())
        .await
        .unwrap();
    assert_eq!(llm_server.requests().len(), 2);
}

#[test]
fn keys_live_in_a_private_file() {
    let dir = tempfile::tempdir().unwrap();
    let store = KeyStore::at(dir.path().join("config/keys.json"));
    assert_eq!(store.get("office-deepl").unwrap(), None);
    let place = store.set("office-deepl", Some("abc:fx")).unwrap();
    assert_eq!(
        place,
        interlinea::mt::keys::KeyPlace::File(store.path().to_path_buf())
    );
    store.set("llm", Some("sk-1")).unwrap();
    assert_eq!(
        store.get("office-deepl").unwrap().as_deref(),
        Some("abc:fx")
    );
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(store.path()), 0o600);
    assert_eq!(mode(store.path().parent().unwrap()), 0o700);
    store.forget("llm").unwrap();
    assert_eq!(store.get("llm").unwrap(), None);

    std::fs::set_permissions(store.path(), std::fs::Permissions::from_mode(0o644)).unwrap();
    let err = store.get("office-deepl").unwrap_err();
    assert!(
        err.to_string().contains("can be read by other users"),
        "{err}"
    );
    assert!(!err.to_string().contains("abc:fx"));
    assert_eq!(
        interlinea::mt::keys::variable("office-deepl"),
        "INTERLINEA_KEY_OFFICE_DEEPL"
    );
}

/// Everything a user does with MT on the command line, against a local
/// DeepL-speaking server: the key goes in through stdin and appears in no
/// output, database or export; answers are cached; effort is reported.
#[test]
fn the_cli_adds_a_provider_translates_pretranslates_and_never_shows_the_key() {
    use crate::tm::{ok, run_with};
    const KEY: &str = "4f1c2d7e-secret-deepl-key:fx";
    // DeepL is first asked for a glossary made from the workspace's (the
    // starter glossary), then for translations.
    let server = Server::start(vec![
        Reply::json(
            201,
            json!({"glossary_id": "def3a26b-3e84-45b3-84ae-0c0aaf3525f7", "name": "Interlinea", "ready": true,
                   "source_lang": "it", "target_lang": "en", "entry_count": 400}),
        ),
        Reply::text(
            200,
            r#"{"translations":[{"detected_source_language":"IT","text":"Putin goes to Kim."}]}"#,
        ),
    ]);
    let translations = || {
        server
            .requests()
            .into_iter()
            .filter(|r| r.path == "/v2/translate")
            .collect::<Vec<_>>()
    };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ws.sqlite");
    let keys = dir.path().join("private/keys.json");
    let env = [("INTERLINEA_KEYS", keys.as_os_str())];
    let outputs = std::cell::RefCell::new(String::new());
    let cli = |args: &[&str], stdin: &str| {
        let out = run_with(&db, args, stdin, &env);
        outputs
            .borrow_mut()
            .push_str(&String::from_utf8_lossy(&out.stdout));
        outputs
            .borrow_mut()
            .push_str(&String::from_utf8_lossy(&out.stderr));
        ok(out)
    };

    let added = cli(
        &[
            "mt",
            "add",
            "office",
            "--kind",
            "deepl",
            "--url",
            &server.url,
            "--key-stdin",
        ],
        &format!("{KEY}\n"),
    );
    assert!(added.contains("provider office added"), "{added}");
    let listed = cli(&["mt", "providers", "--format", "jsonl"], "");
    let line: serde_json::Value = serde_json::from_str(listed.trim()).unwrap();
    assert_eq!(line["kind"], "deepl");
    assert_eq!(line["url"], server.url.as_str());
    assert_eq!(line["key"], "set");

    let text = cli(
        &[
            "mt",
            "translate",
            "Putin va da Kim.",
            "--provider",
            "office",
        ],
        "",
    );
    assert_eq!(text, "Putin goes to Kim.\n");
    let again = cli(
        &["mt", "translate", "--provider", "office"],
        "Putin va da Kim.\nPutin va da Kim.\n",
    );
    assert_eq!(again, "Putin goes to Kim.\nPutin goes to Kim.\n");
    assert_eq!(
        translations().len(),
        1,
        "repeats are answered from the cache"
    );
    assert_eq!(
        translations()[0].header("authorization"),
        Some(format!("DeepL-Auth-Key {KEY}").as_str())
    );
    assert_eq!(
        translations()[0].json()["glossary_id"],
        "def3a26b-3e84-45b3-84ae-0c0aaf3525f7"
    );
    let glossary = &server.requests()[0];
    assert_eq!(
        (glossary.method.as_str(), glossary.path.as_str()),
        ("POST", "/v2/glossaries")
    );
    let body = glossary.json();
    assert_eq!(
        (
            &body["source_lang"],
            &body["target_lang"],
            &body["entries_format"]
        ),
        (&json!("it"), &json!("en"), &json!("tsv"))
    );
    let entries = body["entries"].as_str().unwrap();
    assert!(entries.contains("Cremlino\tKremlin\n"), "{entries}");
    assert!(
        entries.lines().all(|l| l.split('\t').count() == 2),
        "one tab per line"
    );

    let doc = cli(&["import", "seeds/000_da66b3da442e8d8e.txt"], "");
    let doc = doc.trim();
    let filled = cli(&["pretranslate", doc, "--mt", "office"], "");
    assert!(filled.starts_with("0 segments pre-translated\n22 segments machine-translated by office (1 from the cache)"), "{filled}");
    assert_eq!(
        translations().len(),
        22,
        "one request per sentence not yet cached"
    );
    assert_eq!(
        server
            .requests()
            .iter()
            .filter(|r| r.path == "/v2/glossaries")
            .count(),
        1,
        "the glossary is made once and reused"
    );
    let segments: Vec<serde_json::Value> = cli(&["show", doc, "--format", "jsonl"], "")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .filter(|s: &serde_json::Value| s["translatable"] == true)
        .collect();
    assert!(segments
        .iter()
        .all(|s| s["status"] == "draft" && s["target"] == "Putin goes to Kim."));
    let headline = segments[0]["id"].to_string();
    cli(
        &[
            "set-target",
            doc,
            &headline,
            "Putin travels to Kim.",
            "--status",
            "translated",
        ],
        "",
    );
    let effort = cli(&["effort", doc, "--format", "jsonl"], "");
    let row: serde_json::Value = serde_json::from_str(effort.trim()).unwrap();
    assert_eq!(
        row,
        json!({"origin": "mt:office", "segments": 22, "confirmed": 1, "unedited": 0,
               "suggested_chars": 18, "changed_chars": 5})
    );

    // The environment overrides the stored key.
    let out = run_with(
        &db,
        &["mt", "translate", "Un'altra frase.", "--provider", "office"],
        "",
        &[
            ("INTERLINEA_KEYS", keys.as_os_str()),
            ("INTERLINEA_KEY_OFFICE", std::ffi::OsStr::new("env-key")),
        ],
    );
    ok(out);
    assert_eq!(
        server.requests().last().unwrap().header("authorization"),
        Some("DeepL-Auth-Key env-key")
    );

    // The key is nowhere but in its private file.
    for format in ["xliff", "tmx", "docx", "csv", "html", "target"] {
        let file = dir.path().join(format!("export.{format}"));
        cli(
            &[
                "export",
                doc,
                "--format",
                format,
                "--out",
                file.to_str().unwrap(),
            ],
            "",
        );
        let bytes = std::fs::read(&file).unwrap();
        assert!(
            !contains(&bytes, KEY.as_bytes()),
            "the key is in the {format} export"
        );
    }
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            let bytes = std::fs::read(&path).unwrap();
            assert!(
                !contains(&bytes, KEY.as_bytes()),
                "the key is in {}",
                path.display()
            );
        }
    }
    assert!(!outputs.borrow().contains(KEY), "the key was printed");
    assert!(contains(&std::fs::read(&keys).unwrap(), KEY.as_bytes()));
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&keys).unwrap().permissions().mode() & 0o777,
        0o600
    );

    // A refused key fails with a message that does not repeat it.
    let refusing = Server::start(vec![Reply::json(
        403,
        json!({"message": "Authorization failure, check auth_key"}),
    )]);
    cli(
        &[
            "mt",
            "add",
            "refused",
            "--kind",
            "deepl",
            "--url",
            &refusing.url,
            "--key-stdin",
        ],
        "wrong-key-123\n",
    );
    let out = run_with(
        &db,
        &["mt", "translate", "Ciao.", "--provider", "refused"],
        "",
        &env,
    );
    assert_eq!(out.status.code(), Some(1));
    let message = String::from_utf8_lossy(&out.stderr);
    assert!(
        message.contains("refused: the key was refused (HTTP 403)"),
        "{message}"
    );
    assert!(!message.contains("wrong-key-123"), "{message}");
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[tokio::test]
async fn a_deepl_plan_without_glossaries_translates_without_one() {
    let server = Server::start(vec![Reply::json(
        403,
        json!({"message": "Access to glossaries is not allowed"}),
    )]);
    let dir = tempfile::tempdir().unwrap();
    let ws = interlinea::Workspace::open(&dir.path().join("ws.sqlite")).unwrap();
    let client = MtClient::new(fast());
    let deepl = provider(ProviderKind::DeepL, &server, None);
    let plan = interlinea::mt::deepl_glossary_plan(&ws, &deepl)
        .unwrap()
        .expect("the starter glossary makes a plan");
    assert!(plan.existing.is_none());
    // A 403 on glossaries is a refused key as far as DeepL says; a plan
    // limit shows as another refusal, which goes on without a glossary.
    let err =
        interlinea::mt::deepl_glossary(&client, &deepl, Some("k"), plan.clone(), |_, _| Ok(()))
            .await
            .unwrap_err();
    assert!(matches!(err, MtError::KeyRefused { .. }), "{err}");
    let limited = Server::start(vec![Reply::json(
        400,
        json!({"message": "Glossaries are not available on your plan"}),
    )]);
    let deepl = provider(ProviderKind::DeepL, &limited, None);
    let mut saved = false;
    let glossary = interlinea::mt::deepl_glossary(&client, &deepl, Some("k"), plan, |_, _| {
        saved = true;
        Ok(())
    })
    .await
    .unwrap();
    assert_eq!(glossary, None);
    assert!(!saved);
}

/// With a Secret Service (GNOME Keyring here), keys go there and not to
/// the file; without one, to the private file. `./x test` runs this once
/// more inside a D-Bus session with an unlocked GNOME Keyring
/// (INTERLINEA_TEST_KEYRING=1).
#[test]
fn keys_go_to_the_system_keyring_when_there_is_one() {
    use interlinea::mt::keys::KeyPlace;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("keys.json");
    let store = KeyStore::with_keyring(&file);
    let name = format!("interlinea-test-{}", std::process::id());
    let with_keyring = std::env::var_os("INTERLINEA_TEST_KEYRING").is_some();
    if !with_keyring && std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some() {
        eprintln!("a desktop session may have a keyring: not touching it");
        return;
    }
    let place = store.set(&name, Some("kr-secret-value")).unwrap();
    assert_eq!(
        store.get(&name).unwrap().as_deref(),
        Some("kr-secret-value")
    );
    let in_file = std::fs::read_to_string(&file)
        .unwrap_or_default()
        .contains("kr-secret-value");
    if with_keyring {
        assert_eq!(place, KeyPlace::Keyring);
        assert!(!in_file, "a key in the keyring is not also in the file");
    } else {
        assert_eq!(place, KeyPlace::File(file.clone()));
        assert!(in_file);
    }
    store.forget(&name).unwrap();
    assert_eq!(store.get(&name).unwrap(), None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopped_batch_keeps_what_was_done_and_drops_the_rest() {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    let server = Server::start(vec![
        Reply::json(200, json!({"translatedText": "Done."})).after(Duration::from_millis(300))
    ]);
    let client = Arc::new(MtClient::new(Settings {
        timeout: Duration::from_secs(5),
        ..fast()
    }));
    let libre = provider(ProviderKind::LibreTranslate, &server, None);
    let jobs: Vec<interlinea::mt::Job> = (0..10)
        .map(|i| interlinea::mt::Job {
            segment_id: i,
            request: MtRequest {
                source: format!("Frase numero {i}."),
                ..MtRequest::default()
            },
        })
        .collect();
    let cancel = Arc::new(AtomicBool::new(false));
    let stopper = cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(450)).await;
        stopper.store(true, Ordering::SeqCst);
    });
    let delivered = std::sync::Mutex::new(Vec::new());
    let started = Instant::now();
    let report = interlinea::mt::translate_batch(
        &client,
        &libre,
        None,
        jobs,
        &cancel,
        |_| Ok(None),
        |job, text| {
            delivered
                .lock()
                .unwrap()
                .push((job.segment_id, text.to_string()));
            Ok(true)
        },
        |_, _| {},
    )
    .await
    .unwrap();
    assert!(report.cancelled);
    // Two at a time, 300 ms each: the first two were done when it stopped.
    assert_eq!(report.filled, 2, "{report:?}");
    assert_eq!(delivered.lock().unwrap().len(), 2);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "stopped after {:?}",
        started.elapsed()
    );
}

/// The app's path: the workspace is free while a provider answers, and a
/// newer suggestion for the same provider cancels the one in flight. Were
/// the workspace held meanwhile, the second request would wait for the
/// first, which would then come back with its answer instead.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_newer_suggestion_cancels_the_one_waiting_without_holding_the_workspace() {
    use interlinea::session::{ArticleSource, ProviderForm, Session};
    use std::sync::Arc;
    let server = Server::start(vec![
        Reply::json(200, json!({"translatedText": "The slow answer."}))
            .after(Duration::from_millis(1500)),
        Reply::json(200, json!({"translatedText": "The quick answer."})),
    ]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ws.sqlite");
    let keys = KeyStore::at(dir.path().join("keys.json"));
    let ws = interlinea::Workspace::open(&path).unwrap();
    let session = Arc::new(Session::with_keys(ws, path, keys));
    session
        .save_provider(ProviderForm {
            name: "lt".into(),
            kind: ProviderKind::LibreTranslate,
            url: Some(server.url.clone()),
            model: None,
            key: None,
        })
        .unwrap();
    let source = ArticleSource::Bytes {
        name: "a".into(),
        extension: Some("txt".into()),
        bytes: "La ministra ha incontrato il segretario.".into(),
    };
    let doc = session.import_article(source, None).await.unwrap();
    let segment = session.lock().workspace().segments(doc.id).unwrap()[0].id;

    let slow = tokio::spawn({
        let session = session.clone();
        async move { session.mt_suggestion(doc.id, segment, "lt").await }
    });
    while server.requests().is_empty() {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let quick = session.mt_suggestion(doc.id, segment, "lt").await.unwrap();
    assert_eq!(quick.text, "The quick answer.");
    assert!(!quick.cached);
    let slow = slow.await.unwrap().unwrap_err();
    assert_eq!(slow.code(), interlinea::session::ErrorCode::Cancelled);
    // The quick answer is cached; the cancelled one never reached it.
    let again = session.mt_suggestion(doc.id, segment, "lt").await.unwrap();
    assert_eq!(
        (again.text.as_str(), again.cached),
        ("The quick answer.", true)
    );
    assert_eq!(server.requests().len(), 2);
}

/// `interlinea mt translate < file | head -1`: the reader leaves after one
/// line, the next write finds no one, and the command ends quietly.
#[test]
fn mt_translate_ends_quietly_when_its_reader_goes_away() {
    use std::io::{BufRead, BufReader, Write};
    use std::process::{Command, Stdio};
    // Slow answers, so the reader is gone while lines are still coming.
    let server = Server::start(vec![Reply::json(
        200,
        json!({"translatedText": "The minister spoke."}),
    )
    .after(Duration::from_millis(150))]);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ws.sqlite");
    let interlinea = |args: &[&str]| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_interlinea"));
        command
            .args(args)
            .env("INTERLINEA_DB", &db)
            .env("INTERLINEA_KEYS", dir.path().join("keys.json"));
        command
    };
    let added = interlinea(&[
        "mt",
        "add",
        "lt",
        "--kind",
        "libretranslate",
        "--url",
        &server.url,
    ])
    .output()
    .unwrap();
    assert!(added.status.success(), "{added:?}");
    let mut child = interlinea(&["mt", "translate", "--provider", "lt"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let lines: String = (0..20)
        .map(|i| format!("La ministra ha parlato {i}.\n"))
        .collect();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(lines.as_bytes())
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert_eq!(first, "The minister spoke.\n");
    let out = child.wait_with_output().unwrap();
    assert!(
        server.requests().len() < 20,
        "the reader left too late to matter"
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A segment's inline codes go to a provider as numbered tags (XML for
/// DeepL, plain text for LibreTranslate, the notation with an instruction
/// for a language model) and come back as the segment's own codes; the
/// neighbours go without codes, and an answer that loses a tag or holds a
/// character of the codes' range gives plain English.
#[tokio::test]
async fn a_segments_codes_travel_as_tags_and_come_back_as_its_codes() {
    use interlinea::text::codes::{self, Mark};
    let (open, close) = (Mark::Open(0).char(), Mark::Close(0).char());
    let mut ws = interlinea::Workspace::open_in_memory().unwrap();
    let doc = interlinea::Document {
        format: interlinea::SourceFormat::Html,
        blocks: vec![interlinea::Block {
            kind: interlinea::BlockKind::Paragraph,
            text: format!("Vedi {open}qui{close}. Poi {open}là{close} & oltre."),
            codes: vec![Default::default()],
            translatable: interlinea::Translatable::Yes,
        }],
    };
    let doc = ws
        .add_document(
            "a",
            None,
            &doc,
            &interlinea::Segmenter::italian::<&str>(&[]),
        )
        .unwrap();
    let segments = ws.segments(doc).unwrap();
    let italian = segments[1].source.clone();
    let terms = interlinea::glossary::TermMatcher::new(Vec::new());
    let request = interlinea::mt::request_for(&ws, &terms, doc, segments[1].id).unwrap();
    assert_eq!(request.source, "Poi <1>là</1> &amp; oltre.");
    assert_eq!(request.codes_source.as_deref(), Some(italian.as_str()));
    assert_eq!(request.before.as_deref(), Some("Vedi qui."));
    let with_codes = format!("Then {open}there{close} & beyond.");
    let client = MtClient::new(fast());

    let deepl_answer = |text: &str| json!({ "translations": [{ "text": text }] });
    let server = Server::start(vec![
        Reply::json(200, deepl_answer("Then <c1>there</c1> &amp; beyond.")),
        Reply::json(200, deepl_answer("Then there &amp; beyond.")),
    ]);
    let deepl = provider(ProviderKind::DeepL, &server, None);
    let answer = client.translate(&deepl, Some("k"), &request).await.unwrap();
    assert_eq!(request.english(&answer), with_codes);
    let sent = server.requests()[0].json();
    assert_eq!(sent["text"], json!(["Poi <c1>là</c1> &amp; oltre."]));
    assert_eq!(sent["tag_handling"], "xml");
    let lost = client.translate(&deepl, Some("k"), &request).await.unwrap();
    assert_eq!(request.english(&lost), "Then there & beyond.");

    let server = Server::start(vec![Reply::json(
        200,
        json!({ "translatedText": format!("Then {open}there{close} & beyond.") }),
    )]);
    let libre = provider(ProviderKind::LibreTranslate, &server, None);
    let answer = client.translate(&libre, None, &request).await.unwrap();
    assert_eq!(request.english(&answer), "Then there & beyond.");
    assert_eq!(server.requests()[0].json()["q"], "Poi là & oltre.");

    let chat = |text: &str| json!({ "choices": [{ "message": { "role": "assistant", "content": text } }] });
    let server = Server::start(vec![
        Reply::json(200, chat("Then <1>there</1> &amp; beyond.")),
        Reply::json(200, chat("Then <1>there</1><1>there</1> & beyond.")),
    ]);
    let model = provider(ProviderKind::OpenAi, &server, Some("m"));
    let answer = client.translate(&model, None, &request).await.unwrap();
    assert_eq!(request.english(&answer), with_codes);
    let prompt = server.requests()[0].json()["messages"][1]["content"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(prompt.contains("Keep every tag exactly once"), "{prompt}");
    assert!(prompt.ends_with("Poi <1>là</1> &amp; oltre."), "{prompt}");
    let doubled = client.translate(&model, None, &request).await.unwrap();
    assert_eq!(request.english(&doubled), "Then therethere & beyond.");

    // A batch puts the English with its codes into the segment.
    let job = interlinea::mt::Job {
        segment_id: segments[1].id,
        request: request.clone(),
    };
    assert!(interlinea::mt::store_answer(
        &mut ws,
        &deepl,
        doc,
        &job,
        "Then <1>there</1> &amp; beyond."
    )
    .unwrap());
    let filled = ws.segment(doc, segments[1].id).unwrap();
    assert_eq!(filled.target, with_codes);
    assert_eq!(codes::strip(&filled.target), "Then there & beyond.");
}
