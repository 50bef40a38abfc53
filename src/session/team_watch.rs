//! Keeping a workspace in sync with its team for as long as the app runs:
//! a sync, then a long poll, round after round, so a teammate's
//! confirmation arrives within moments and one made here leaves at once
//! (the long poll ends when the outbox grows). A failed round is retried
//! after a pause that doubles up to a minute; the outbox keeps the work
//! meanwhile.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use super::team::SyncReport;
use super::{Error, Session};
use crate::store::team::Membership;

/// The longest a round's long poll waits for the server, in seconds.
const LONG_POLL_SECONDS: u64 = 25;
/// The first pause after a failed round.
const FIRST_RETRY: Duration = Duration::from_secs(2);
/// The longest pause between failed rounds.
const LAST_RETRY: Duration = Duration::from_secs(60);
/// How often a workspace that joined no team is looked at again.
const NOT_JOINED_LOOK: Duration = Duration::from_secs(2);

/// What a round of the background sync did, with the team's status after
/// it, for the app to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncEvent {
    /// The round ended well.
    Synced {
        /// What it pushed and pulled.
        report: SyncReport,
        /// Where the sync stands now.
        status: Membership,
    },
    /// The round failed; the next comes after `retry`.
    Failed {
        /// Why, as the translator reads it.
        message: String,
        /// Where the sync stands now (`offline` when out of reach).
        status: Option<Membership>,
        /// The pause before the next round.
        retry: Duration,
    },
}

/// The flags a background sync obeys.
#[derive(Debug, Default)]
pub struct SyncControl {
    quit: AtomicBool,
    nudge: AtomicBool,
}

impl SyncControl {
    /// Ends the background sync (between pages, or its long poll at once).
    pub fn quit(&self) {
        self.quit.store(true, Ordering::SeqCst);
        self.nudge.store(true, Ordering::SeqCst);
    }

    /// Starts a new round at once: after joining a team, or when the
    /// translator asks to sync now (a pause after a failure ends too).
    pub fn nudge(&self) {
        self.nudge.store(true, Ordering::SeqCst);
    }

    fn quitting(&self) -> bool {
        self.quit.load(Ordering::SeqCst)
    }

    /// Sleeps `pause`, or less when nudged; clears the nudge.
    fn pause(&self, pause: Duration) {
        let until = Instant::now() + pause;
        while Instant::now() < until && !self.nudge.load(Ordering::SeqCst) {
            std::thread::sleep(Duration::from_millis(50));
        }
        self.nudge.store(false, Ordering::SeqCst);
    }
}

impl Session {
    /// Syncs the workspace with its team until `control` quits, telling
    /// `heard` what each round did. While the workspace has joined no team
    /// it looks again every two seconds (or when nudged).
    pub fn keep_team_synced(&self, control: &SyncControl, mut heard: impl FnMut(SyncEvent)) {
        let mut retry = FIRST_RETRY;
        while !control.quitting() {
            match self.team_status() {
                Ok(Some(_)) => {}
                Ok(None) => {
                    control.pause(NOT_JOINED_LOOK);
                    continue;
                }
                Err(e) => {
                    tracing::warn!("the team's status could not be read: {e}");
                    control.pause(LAST_RETRY);
                    continue;
                }
            }
            // A sync first, so what came or left is said at once, then a
            // long poll that returns when something changes.
            for wait in [None, Some(LONG_POLL_SECONDS)] {
                match self.sync_round(wait, control) {
                    Ok(Some(event)) => {
                        retry = FIRST_RETRY;
                        heard(event);
                    }
                    // Nudged or quitting: the loop looks at why.
                    Ok(None) => break,
                    Err(e) => {
                        heard(SyncEvent::Failed {
                            message: e.to_string(),
                            status: self.team_status().ok().flatten(),
                            retry,
                        });
                        control.pause(retry);
                        retry = (retry * 2).min(LAST_RETRY);
                        break;
                    }
                }
            }
        }
    }

    /// One sync; `None` when it was stopped by a nudge or the quit.
    fn sync_round(
        &self,
        wait: Option<u64>,
        control: &SyncControl,
    ) -> Result<Option<SyncEvent>, Error> {
        match self.team_sync_blocking(wait, &control.nudge) {
            Ok(report) => {
                let Some(status) = self.team_status()? else {
                    // Left the team meanwhile.
                    return Ok(None);
                };
                Ok(Some(SyncEvent::Synced { report, status }))
            }
            Err(Error::Cancelled) => {
                control.nudge.store(false, Ordering::SeqCst);
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;

    use super::*;
    use crate::mt::keys::KeyStore;
    use crate::store::team::NewMembership;
    use crate::store::Workspace;
    use crate::testing::membership;

    /// A session that joined a team whose server is out of reach.
    fn joined_to_nowhere(dir: &tempfile::TempDir) -> Session {
        let path = dir.path().join("ws.sqlite");
        let keys = KeyStore::at(dir.path().join("keys.json"));
        let session = Session::with_keys(Workspace::open(&path).unwrap(), path, keys);
        // A port that was free a moment ago: nothing listens there.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let url = format!("http://127.0.0.1:{port}");
        let name = crate::sync::workspace_token_name(&url, "giulia", uuid::Uuid::new_v4());
        session
            .lock()
            .ws
            .join_team(&NewMembership {
                url: url.clone(),
                team: "esteri".into(),
                token_key: Some(name.clone()),
                ..membership("giulia")
            })
            .unwrap();
        session.keys.set(&name, Some("t0ken")).unwrap();
        session
    }

    #[test]
    fn an_unreachable_server_is_retried_later_and_a_nudge_or_the_quit_ends_the_wait() {
        let dir = tempfile::tempdir().unwrap();
        let session = joined_to_nowhere(&dir);
        let control = SyncControl::default();
        let (tx, rx) = mpsc::channel();
        std::thread::scope(|scope| {
            scope.spawn(|| session.keep_team_synced(&control, |event| tx.send(event).unwrap()));
            let first = rx.recv_timeout(Duration::from_secs(20)).unwrap();
            let SyncEvent::Failed { status, retry, .. } = first else {
                panic!("{first:?}");
            };
            assert_eq!(retry, FIRST_RETRY);
            assert!(status.unwrap().offline);
            // A nudge cuts the pause short: the next failure comes long
            // before the doubled pause, and says the pause doubled.
            control.nudge();
            let second = rx.recv_timeout(Duration::from_secs(20)).unwrap();
            assert!(
                matches!(second, SyncEvent::Failed { retry, .. } if retry == FIRST_RETRY * 2),
                "{second:?}"
            );
            // The scope waits for the loop, which the quit ends in its pause.
            control.quit();
        });
        assert!(session.team_status().unwrap().unwrap().offline);
    }

    #[test]
    fn leaving_with_changes_not_sent_is_refused_unless_they_are_discarded() {
        let dir = tempfile::tempdir().unwrap();
        let session = joined_to_nowhere(&dir);
        let article = dir.path().join("a.txt");
        std::fs::write(&article, "Il cane dorme.").unwrap();
        let doc = session
            .import_article_blocking(super::super::ArticleSource::File(article), None)
            .unwrap();
        let segment = session.lock().ws.segments(doc.id).unwrap()[0].id;
        session
            .lock()
            .save_target(
                doc.id,
                segment,
                "The dog sleeps.",
                crate::store::Status::Translated,
                true,
            )
            .unwrap();
        assert_eq!(session.team_status().unwrap().unwrap().outbox, 1);
        let refused = session.team_leave(false).unwrap_err();
        assert!(
            refused.to_string().contains("1 change waiting to be sent"),
            "{refused}"
        );
        assert!(session.team_status().unwrap().is_some());
        let name = session.team_status().unwrap().unwrap().token_key.unwrap();
        assert_eq!(session.team_leave(true).unwrap(), 1);
        assert!(session.team_status().unwrap().is_none());
        assert_eq!(
            session.keys.get(&name).unwrap(),
            None,
            "the token is forgotten"
        );
    }
}
