//! What the team server's tests share: a database of its own for each test
//! in the cluster of `common/cluster.rs`, migrated on the spot; a server in
//! process or as its binary; operations to push.

use std::io::Read;
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use deadpool_postgres::Pool;
use interlinea::team::{
    Change, Operation, PushRequest, PushResponse, TeamEntry, TeamTerm, TeamUnit,
};
use interlinea_server::db::{self, Role};

#[path = "../common/cluster.rs"]
mod cluster;
pub use cluster::{cluster, free_port};

/// A new, empty database of the cluster, and its URL.
pub async fn database() -> String {
    let port = cluster().port;
    let admin = format!("postgres://postgres@127.0.0.1:{port}/postgres");
    let (client, connection) = tokio_postgres::connect(&admin, tokio_postgres::NoTls)
        .await
        .expect("connect to the test cluster");
    tokio::spawn(connection);
    let name = format!("t_{}", uuid::Uuid::new_v4().simple());
    client
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .await
        .expect("create a test database");
    format!("postgres://postgres@127.0.0.1:{port}/{name}")
}

/// A server of a test: its database, migrated, and the API in-process.
pub struct App {
    /// The database's URL, for the command line.
    pub url: String,
    /// The server's pool.
    pub pool: Pool,
    /// Where the API listens.
    pub addr: SocketAddr,
    /// An HTTP client.
    pub http: reqwest::Client,
}

/// Starts a server on a fresh database.
pub async fn spawn_app() -> App {
    let url = database().await;
    let pool = interlinea_server::pool(&url).expect("a pool");
    db::migrate(&pool).await.expect("migrate");
    serve_in_process(url, pool, None).await
}

/// Starts a server on a fresh database that answers as one older than the
/// snapshot of the team memory: `GET /v1/units` is not found, as any path
/// it does not know, so a newcomer pulls the whole log.
pub async fn spawn_app_without_snapshot() -> App {
    let url = database().await;
    let pool = interlinea_server::pool(&url).expect("a pool");
    db::migrate(&pool).await.expect("migrate");
    let settings = interlinea_server::config(&url).expect("the database's settings");
    let api = axum::Router::new()
        .route(
            "/v1/units",
            axum::routing::get(|| async { interlinea_server::http::ApiError::NoRoute }),
        )
        .fallback_service(interlinea_server::http::router(pool.clone(), settings));
    serve_in_process(url, pool, Some(api)).await
}

/// Serves in process on the database of `url` the server's API, or `api`
/// in its place.
async fn serve_in_process(url: String, pool: Pool, api: Option<axum::Router>) -> App {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("address");
    tokio::spawn({
        let (pool, url) = (pool.clone(), url.clone());
        async move {
            match api {
                Some(api) => Ok(axum::serve(listener, api).await?),
                None => interlinea_server::run(listener, pool, &url).await,
            }
        }
    });
    App {
        url,
        pool,
        addr,
        http: reqwest::Client::new(),
    }
}

impl App {
    /// Another server on the same database, with a pool of its own.
    pub async fn another(&self) -> App {
        let pool = interlinea_server::pool(&self.url).expect("a pool");
        serve_in_process(self.url.clone(), pool, None).await
    }

    /// The API's address for `path`.
    pub fn url_of(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Adds a user, creating the team if need be, and returns a token.
    pub async fn user(&self, name: &str, team: &str, role: Role) -> String {
        match db::add_team(&self.pool, team).await {
            Ok(()) | Err(db::Error::TeamExists(_)) => {}
            Err(err) => panic!("add team {team}: {err}"),
        }
        db::add_user(&self.pool, name, team, role)
            .await
            .expect("add user");
        db::issue_token(&self.pool, name).await.expect("a token")
    }

    /// Pushes operations and returns the status and the answer's JSON.
    pub async fn push_raw(&self, token: &str, ops: &[Operation]) -> (u16, serde_json::Value) {
        let res = self
            .http
            .post(self.url_of("/v1/push"))
            .bearer_auth(token)
            .json(&PushRequest { ops: ops.to_vec() })
            .send()
            .await
            .expect("push");
        let status = res.status().as_u16();
        (status, res.json().await.expect("a JSON answer"))
    }

    /// Pushes operations that must be accepted.
    pub async fn push(&self, token: &str, ops: &[Operation]) -> PushResponse {
        let (status, body) = self.push_raw(token, ops).await;
        assert_eq!(status, 200, "{body}");
        serde_json::from_value(body).expect("a push response")
    }

    /// Pushes operations that must be accepted, in as many pushes as the
    /// protocol's limit asks.
    pub async fn push_all(&self, token: &str, ops: &[Operation]) {
        for batch in ops.chunks(interlinea::team::MAX_OPS_PER_PUSH) {
            self.push(token, batch).await;
        }
    }

    /// GETs `path` and returns the status and the answer's JSON.
    pub async fn get(&self, token: Option<&str>, path: &str) -> (u16, serde_json::Value) {
        let mut req = self.http.get(self.url_of(path));
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        let res = req.send().await.expect("GET");
        let status = res.status().as_u16();
        (status, res.json().await.expect("a JSON answer"))
    }

    /// The team's epoch, read from the database.
    pub async fn team_epoch(&self, team: &str) -> uuid::Uuid {
        let client = self.pool.get().await.expect("a connection");
        client
            .query_one("SELECT epoch FROM teams WHERE name = $1", &[&team])
            .await
            .expect("the team")
            .get(0)
    }

    /// The team's last sequence number, read from the database.
    pub async fn team_seq(&self, team: &str) -> i64 {
        let client = self.pool.get().await.expect("a connection");
        client
            .query_one("SELECT seq FROM teams WHERE name = $1", &[&team])
            .await
            .expect("the team")
            .get(0)
    }
}

/// The path of the built server binary.
pub fn server_bin() -> &'static str {
    env!("CARGO_BIN_EXE_interlinea-server")
}

/// An operation adding a unit, with fresh ids.
pub fn add_unit(source: &str, target: &str) -> Operation {
    Operation {
        id: uuid::Uuid::new_v4(),
        change: Change::UnitAdded {
            unit: TeamUnit {
                id: uuid::Uuid::new_v4(),
                source: source.to_owned(),
                target: target.to_owned(),
            },
        },
    }
}

/// Units numbered `from..to` whose Italian and English say their number.
pub fn numbered(from: usize, to: usize, story: &str) -> Vec<Operation> {
    (from..to)
        .map(|n| {
            add_unit(
                &format!("La notizia {story} numero {n} del giorno."),
                &format!("News item {story} {n} of the day."),
            )
        })
        .collect()
}

/// An operation putting a glossary entry of one term a side.
pub fn put_entry(id: uuid::Uuid, italian: &str, english: &str, base_seq: Option<i64>) -> Operation {
    let term = |text: &str| TeamTerm {
        text: text.to_owned(),
        status: "preferred".to_owned(),
        note: None,
        pos: None,
        case_sensitive: false,
    };
    Operation {
        id: uuid::Uuid::new_v4(),
        change: Change::EntryPut {
            entry: TeamEntry {
                id,
                italian: vec![term(italian)],
                english: vec![term(english)],
                domain: None,
                note: None,
            },
            base_seq,
            base_op: None,
        },
    }
}

/// A `serve` process, killed when dropped, and the file of its logs.
pub struct Serving {
    /// The process.
    pub child: Child,
    /// The port it listens on.
    pub port: u16,
    logs: tempfile::NamedTempFile,
}

impl Serving {
    /// Stops the server and returns its logs.
    pub fn stop(mut self) -> String {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
        let mut logs = String::new();
        self.logs
            .reopen()
            .unwrap()
            .read_to_string(&mut logs)
            .unwrap();
        logs
    }
}

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `serve` with its logs (at `log_level`) in a file, and waits
/// until it listens.
pub fn serve(db: &str, log_level: &str, extra: &[&str]) -> Serving {
    let logs = tempfile::NamedTempFile::new().unwrap();
    let port = free_port();
    let listen = format!("127.0.0.1:{port}");
    let child = Command::new(server_bin())
        .args(["serve", "--listen", &listen])
        .args(extra)
        .env("INTERLINEA_SERVER_DB", db)
        .env("RUST_LOG", log_level)
        .stdout(Stdio::null())
        .stderr(logs.reopen().unwrap())
        .spawn()
        .expect("start serve");
    let started = Instant::now();
    while std::net::TcpStream::connect(&listen).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "serve never listened"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    Serving { child, port, logs }
}

/// Text of random lowercase words, exactly `chars` characters long: unlike
/// a repeated phrase, PostgreSQL cannot compress it much.
pub fn random_words(chars: usize) -> String {
    let mut state = uuid::Uuid::new_v4().as_u128() as u64 | 1;
    let mut next = move || {
        // xorshift64
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut text = String::with_capacity(chars);
    while text.len() < chars {
        let len = 2 + next() % 9;
        for _ in 0..len {
            text.push(char::from(b'a' + (next() % 26) as u8));
        }
        text.push(' ');
    }
    text.truncate(chars - 1);
    text.push('.');
    text
}

/// A push of `n` units whose compact JSON is exactly `bytes` long.
pub fn push_of_bytes(n: usize, bytes: usize) -> PushRequest {
    let mut push = PushRequest {
        ops: (0..n).map(|_| add_unit("a", "b")).collect(),
    };
    let mut missing = bytes - interlinea::team::json_len(&push);
    for op in &mut push.ops {
        let Change::UnitAdded { unit } = &mut op.change else {
            unreachable!()
        };
        for text in [&mut unit.source, &mut unit.target] {
            let more = missing.min(interlinea::team::MAX_TEXT_CHARS - text.len());
            text.push_str(&"x".repeat(more));
            missing -= more;
        }
    }
    assert_eq!(missing, 0, "{n} units cannot hold {bytes} bytes");
    push
}
