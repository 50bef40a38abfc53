//! A real PostgreSQL for tests: one cluster per test process, made with
//! `initdb` in a temporary directory and served on a loopback port. Shared
//! by the team server's tests and the desktop app's (`#[path]`).
//!
//! The cluster is started by a shell that reads its standard input until
//! the test process ends, however it ends (a failed test, an abort, a
//! kill); it then stops PostgreSQL and removes the directory. Statics are
//! never dropped, so a guard in Rust could not do this.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

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

pub struct Cluster {
    /// Its loopback port; the superuser is `postgres`, without a password.
    pub port: u16,
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

/// A loopback port nothing listens on.
pub fn free_port() -> u16 {
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

/// The cluster, started on first use.
pub fn cluster() -> &'static Cluster {
    CLUSTER.get_or_init(start_cluster)
}
