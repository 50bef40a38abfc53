//! A real PostgreSQL for the tests: one cluster per test binary, made with
//! `initdb` in a temporary directory and served on a loopback port, and a
//! database of its own for each test, migrated on the spot.
//!
//! The cluster is started by a shell that reads its standard input until
//! the test process ends, however it ends (a failed test, an abort, a
//! kill); it then stops PostgreSQL and removes the directory. Statics are
//! never dropped, so a guard in Rust could not do this.

use std::io::Read;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use deadpool_postgres::Pool;
use interlinea::team::{
    Change, Operation, PushRequest, PushResponse, TeamEntry, TeamTerm, TeamUnit,
};
use interlinea_server::db::{self, Role};

/// Starts the cluster and stops it when its input closes. `$1` is the
/// directory, `$2` the port, `$3` PostgreSQL's binaries, `$4` whether to
/// fsync.
const CLUSTER_SCRIPT: &str = r#"
set -u
dir=$1 port=$2 bin=$3 fsync=$4
"$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --no-locale --no-sync \
    >"$dir/initdb.log" 2>&1 || exit 1
"$bin/postgres" -D "$dir/data" -k "$dir" -p "$port" -c listen_addresses=127.0.0.1 \
    -c fsync="$fsync" -c max_connections=300 >"$dir/server.log" 2>&1 &
pid=$!
cat >/dev/null
kill -INT "$pid"
wait "$pid"
rm -rf "$dir"
"#;

struct Cluster {
    port: u16,
    /// Held open for the process's life; its closing stops the cluster.
    _input: Mutex<ChildStdin>,
}

static CLUSTER: OnceLock<Cluster> = OnceLock::new();

/// PostgreSQL's binaries: `INTERLINEA_PG_BIN`, else Debian's newest.
fn pg_bin() -> PathBuf {
    if let Some(dir) = std::env::var_os("INTERLINEA_PG_BIN") {
        return dir.into();
    }
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .expect("PostgreSQL is installed in /usr/lib/postgresql (Debian's postgresql package)")
        .flatten()
        .filter_map(|e| {
            let version = e.file_name().to_str()?.parse().ok()?;
            Some((version, e.path().join("bin")))
        })
        .collect();
    found.sort();
    found
        .pop()
        .expect("a PostgreSQL version under /usr/lib/postgresql")
        .1
}

fn output(cmd: &mut Command) -> String {
    let out = cmd.output().expect("run a system command");
    assert!(out.status.success(), "{cmd:?} failed");
    String::from_utf8(out.stdout)
        .expect("UTF-8")
        .trim()
        .to_owned()
}

fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    listener.local_addr().expect("its address").port()
}

fn start_cluster() -> Cluster {
    let dir = tempfile::Builder::new()
        .prefix("interlinea-pg-")
        .tempdir()
        .expect("a temporary directory")
        .keep();
    let port = free_port();
    let bin = pg_bin();
    let args = [
        "-c",
        CLUSTER_SCRIPT,
        "sh",
        dir.to_str().expect("a UTF-8 temporary path"),
        &port.to_string(),
        bin.to_str().expect("a UTF-8 path"),
        // Durability is not under test: fsync off makes the suite faster;
        // the benchmark turns it on.
        if std::env::var_os("INTERLINEA_PG_FSYNC").is_some() {
            "on"
        } else {
            "off"
        },
    ];
    // initdb and PostgreSQL refuse to run as root: then they run as the
    // postgres user, in a directory of theirs.
    let mut cmd = if output(Command::new("id").arg("-u")) == "0" {
        let uid = output(Command::new("id").args(["-u", "postgres"]));
        let gid = output(Command::new("id").args(["-g", "postgres"]));
        std::os::unix::fs::chown(&dir, uid.parse().ok(), gid.parse().ok())
            .expect("give the directory to postgres");
        let mut cmd = Command::new("runuser");
        cmd.args(["-u", "postgres", "--", "sh"]);
        cmd
    } else {
        Command::new("sh")
    };
    let mut child = cmd
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the cluster's shell");
    let input = child.stdin.take().expect("piped input");
    wait_ready(&mut child, &dir, &bin, port);
    Cluster {
        port,
        _input: Mutex::new(input),
    }
}

fn wait_ready(child: &mut Child, dir: &Path, bin: &Path, port: u16) {
    let started = Instant::now();
    loop {
        let ready = Command::new(bin.join("pg_isready"))
            .args(["-q", "-h", "127.0.0.1", "-p", &port.to_string()])
            .status()
            .is_ok_and(|s| s.success());
        if ready {
            return;
        }
        let exited = child.try_wait().expect("the shell's status").is_some();
        if exited || started.elapsed() > Duration::from_secs(60) {
            let mut logs = String::new();
            for name in ["initdb.log", "server.log"] {
                if let Ok(mut file) = std::fs::File::open(dir.join(name)) {
                    let _ = file.read_to_string(&mut logs);
                }
            }
            let _ = std::fs::remove_dir_all(dir);
            panic!("PostgreSQL did not start on port {port}:\n{logs}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn cluster() -> &'static Cluster {
    CLUSTER.get_or_init(start_cluster)
}

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
    serve_in_process(url, pool).await
}

async fn serve_in_process(url: String, pool: Pool) -> App {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("address");
    tokio::spawn({
        let (pool, url) = (pool.clone(), url.clone());
        async move { interlinea_server::run(listener, pool, &url).await }
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
        serve_in_process(self.url.clone(), pool).await
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

/// An operation putting a glossary entry of one term a side.
pub fn put_entry(id: uuid::Uuid, italian: &str, english: &str, base_seq: Option<i64>) -> Operation {
    let term = |text: &str| TeamTerm {
        text: text.to_owned(),
        status: "preferred".to_owned(),
        note: None,
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
