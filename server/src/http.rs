//! The HTTP API under `/v1` (see `docs/team.md`): handlers extract the
//! caller and the request, call one function of `db`, and map its error to
//! a status with a stable `code`. Long polls are woken by the commits that
//! every server on the database announces through PostgreSQL.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::rejection::PathRejection;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, FromRequest, FromRequestParts, Path, Query, Request, State};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use deadpool_postgres::Pool;
use interlinea::team::{
    self, AssignRequest, Change, DocumentSummary, DocumentView, Holder, PushRequest, PushResponse,
};
use serde::{Deserialize, Serialize};
use tokio::sync::watch;
use tokio_postgres::AsyncMessage;
use uuid::Uuid;

use crate::db::{self, Caller, Conflict, Role, SegmentConflictItem, User};

/// The `application_name` of the connection that listens for commits.
pub const LISTENER_NAME: &str = "interlinea-server commits";

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pool: Pool,
    commits: Commits,
}

/// Per team that a long poll waits on, the last sequence number known to
/// be committed.
#[derive(Clone, Default)]
struct Commits(Arc<Mutex<HashMap<i64, watch::Sender<i64>>>>);

impl Commits {
    fn watch(&self, team_id: i64) -> watch::Receiver<i64> {
        let mut latest = self.0.lock().expect("no one panics holding it");
        latest
            .entry(team_id)
            .or_insert_with(|| watch::channel(0).0)
            .subscribe()
    }

    fn committed(&self, team_id: i64, seq: i64) {
        let latest = self.0.lock().expect("no one panics holding it");
        if let Some(sender) = latest.get(&team_id) {
            sender.send_if_modified(|last| {
                let newer = seq > *last;
                *last = (*last).max(seq);
                newer
            });
        }
    }

    fn teams(&self) -> Vec<i64> {
        let latest = self.0.lock().expect("no one panics holding it");
        latest.keys().copied().collect()
    }
}

/// Wakes this server's long polls with the commits of every server on the
/// database (its own included), on a connection of its own; a lost
/// connection is made again.
async fn listen_for_commits(config: tokio_postgres::Config, commits: Commits) {
    loop {
        if let Err(err) = listen_once(&config, &commits).await {
            tracing::warn!(error = %err, "listening for commits failed; trying again");
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

async fn listen_once(
    config: &tokio_postgres::Config,
    commits: &Commits,
) -> Result<(), tokio_postgres::Error> {
    let (client, mut connection) = config
        .clone()
        .application_name(LISTENER_NAME)
        .connect(tokio_postgres::NoTls)
        .await?;
    let (sender, mut notifications) = tokio::sync::mpsc::unbounded_channel();
    let driver = tokio::spawn(async move {
        loop {
            match std::future::poll_fn(|cx| connection.poll_message(cx)).await {
                Some(Ok(AsyncMessage::Notification(note))) => {
                    if sender.send(note).is_err() {
                        return Ok(());
                    }
                }
                Some(Ok(_)) => {}
                Some(Err(err)) => return Err(err),
                None => return Ok(()),
            }
        }
    });
    client
        .batch_execute(&format!("LISTEN {}", db::COMMITS_CHANNEL))
        .await?;
    // Commits made while no connection listened wake their polls now.
    let teams = commits.teams();
    for row in client
        .query("SELECT id, seq FROM teams WHERE id = ANY($1)", &[&teams])
        .await?
    {
        commits.committed(row.get(0), row.get(1));
    }
    tracing::debug!("listening for commits");
    while let Some(note) = notifications.recv().await {
        let commit = note
            .payload()
            .split_once(':')
            .and_then(|(team, seq)| Some((team.parse::<i64>().ok()?, seq.parse::<i64>().ok()?)));
        if let Some((team_id, seq)) = commit {
            commits.committed(team_id, seq);
        }
    }
    drop(client);
    driver.await.expect("the connection's task does not panic")
}

/// The API's router over a pool of connections to a migrated database;
/// `listen` is the database's settings, for the connection that listens
/// for commits.
pub fn router(pool: Pool, listen: tokio_postgres::Config) -> Router {
    let state = AppState {
        pool,
        commits: Commits::default(),
    };
    tokio::spawn(listen_for_commits(listen, state.commits.clone()));
    Router::new()
        .route("/health", get(health))
        .route("/v1/me", get(me))
        .route("/v1/push", post(push))
        .route("/v1/changes", get(changes))
        .route("/v1/units", get(units))
        .route("/v1/translations", get(translations))
        .route("/v1/users", get(list_users).post(add_user))
        .route(
            "/v1/users/{name}/token",
            post(issue_token).delete(revoke_tokens),
        )
        .route("/v1/conflicts", get(list_conflicts))
        .route("/v1/conflicts/{id}/resolve", post(resolve_conflict))
        .route("/v1/documents", get(list_documents))
        .route("/v1/documents/{id}", get(document))
        .route("/v1/documents/{id}/assign", post(assign))
        .route("/v1/documents/{id}/release", post(release))
        .fallback(no_route)
        .method_not_allowed_fallback(no_method)
        .layer(DefaultBodyLimit::max(team::MAX_BODY_BYTES))
        // The request's path only: a query may hold a sentence not yet
        // published, and stays out of the logs.
        .layer(
            tower_http::trace::TraceLayer::new_for_http().make_span_with(|req: &Request| {
                tracing::info_span!("request", method = %req.method(), path = %req.uri().path())
            }),
        )
        .with_state(state)
}

/// An error as the API answers it: a status and `{"code", "message"}`.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// No token, or one that is wrong or revoked.
    #[error("a valid bearer token is needed")]
    Unauthorized,
    /// The caller's role may not do this.
    #[error("{0}")]
    Forbidden(&'static str),
    /// The request is malformed or breaks a limit.
    #[error("{0}")]
    BadRequest(String),
    /// The body is larger than the limit.
    #[error("the request body is larger than {} bytes", team::MAX_BODY_BYTES)]
    TooLarge,
    /// No such user in the caller's team.
    #[error("{0}")]
    NotFound(String),
    /// The name is taken.
    #[error("{0}")]
    Conflict(String),
    /// The client asked after a sequence number the team has not reached:
    /// the team's log started over (a restored backup).
    #[error("the team's last change is numbered {last}: pull again from 0")]
    SinceAhead {
        /// The team's last sequence number.
        last: i64,
    },
    /// An operation id used before for a different change.
    #[error("{message}")]
    OpReused {
        /// The operation's id.
        op: Uuid,
        /// What is wrong.
        message: String,
    },
    /// No route of that path.
    #[error("no such endpoint")]
    NoRoute,
    /// The path exists, not with that method.
    #[error("the endpoint does not take that method")]
    NoMethod,
    /// The database is too busy or slow to answer in time.
    #[error("the server is busy: try again shortly")]
    Busy,
    /// The database failed; the details go to the log, not to the client.
    #[error("the server could not complete the request")]
    Internal,
}

impl ApiError {
    fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            ApiError::Unauthorized => (StatusCode::UNAUTHORIZED, "unauthorized"),
            ApiError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
            ApiError::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad_request"),
            ApiError::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "too_large"),
            ApiError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            ApiError::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
            ApiError::SinceAhead { .. } => (StatusCode::CONFLICT, "since_ahead"),
            ApiError::OpReused { .. } => (StatusCode::UNPROCESSABLE_ENTITY, "op_reused"),
            ApiError::NoRoute => (StatusCode::NOT_FOUND, "not_found"),
            ApiError::NoMethod => (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed"),
            ApiError::Busy => (StatusCode::SERVICE_UNAVAILABLE, "busy"),
            ApiError::Internal => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        let mut body = serde_json::json!({ "code": code, "message": self.to_string() });
        if let ApiError::OpReused { op, .. } = &self {
            body["op"] = serde_json::json!(op);
        }
        let mut res = (status, Json(body)).into_response();
        if status == StatusCode::UNAUTHORIZED {
            res.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                "Bearer".parse().expect("a header"),
            );
        }
        res
    }
}

impl From<db::Error> for ApiError {
    fn from(err: db::Error) -> ApiError {
        match err {
            db::Error::NoUser(_)
            | db::Error::NoConflict(_)
            | db::Error::NoDocument(_)
            | db::Error::NoSegmentConflict(_) => ApiError::NotFound(err.to_string()),
            db::Error::UserExists(_)
            | db::Error::DocumentExists(_)
            | db::Error::StepRole { .. } => ApiError::Conflict(err.to_string()),
            db::Error::BadName | db::Error::ServerWritten(_) | db::Error::StrayCode(_) => {
                ApiError::BadRequest(err.to_string())
            }
            db::Error::OpReused(op) => ApiError::OpReused {
                op,
                message: err.to_string(),
            },
            db::Error::Pool(deadpool_postgres::PoolError::Timeout(_)) => {
                tracing::warn!(error = %err, "no database connection in time");
                ApiError::Busy
            }
            db::Error::Db(ref db_err)
                if db_err.code() == Some(&tokio_postgres::error::SqlState::QUERY_CANCELED)
                    || db_err.code()
                        == Some(&tokio_postgres::error::SqlState::LOCK_NOT_AVAILABLE) =>
            {
                tracing::warn!(error = %err, "a statement timed out");
                ApiError::Busy
            }
            _ => {
                tracing::error!(error = %err, "request failed");
                ApiError::Internal
            }
        }
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> ApiError {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::TooLarge
        } else {
            ApiError::BadRequest(rejection.body_text())
        }
    }
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> ApiError {
        ApiError::BadRequest(rejection.body_text())
    }
}

impl From<PathRejection> for ApiError {
    fn from(rejection: PathRejection) -> ApiError {
        ApiError::BadRequest(rejection.body_text())
    }
}

/// A path parameter whose refusal answers in the API's error shape.
struct PathParam<T>(T);

impl<T, S> FromRequestParts<S> for PathParam<T>
where
    Path<T>: FromRequestParts<S, Rejection = PathRejection>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let Path(value) = Path::<T>::from_request_parts(parts, state).await?;
        Ok(PathParam(value))
    }
}

/// A JSON body whose refusal answers in the API's error shape.
struct Body<T>(T);

impl<T, S> FromRequest<S> for Body<T>
where
    Json<T>: FromRequest<S, Rejection = JsonRejection>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let Json(value) = Json::<T>::from_request(req, state).await?;
        Ok(Body(value))
    }
}

/// Query parameters whose refusal answers in the API's error shape.
struct Params<T>(T);

impl<T, S> FromRequestParts<S> for Params<T>
where
    Query<T>: FromRequestParts<S, Rejection = QueryRejection>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let Query(value) = Query::<T>::from_request_parts(parts, state).await?;
        Ok(Params(value))
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        // The scheme's name is case-insensitive (RFC 7235).
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, token)| token)
            .ok_or(ApiError::Unauthorized)?;
        let caller = db::caller(&state.pool, token.trim())
            .await?
            .ok_or(ApiError::Unauthorized)?;
        Ok(caller)
    }
}

async fn health() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "status": "ok" }))
}

async fn no_route() -> ApiError {
    ApiError::NoRoute
}

async fn no_method() -> ApiError {
    ApiError::NoMethod
}

/// Who the token belongs to.
#[derive(Serialize, Deserialize)]
pub struct Me {
    /// The user's name.
    pub user: String,
    /// The team's name.
    pub team: String,
    /// The role.
    pub role: Role,
    /// The team's epoch (see [`team::ChangesPage::epoch`]).
    #[serde(default)]
    pub epoch: String,
}

async fn me(caller: Caller) -> Json<Me> {
    Json(Me {
        user: caller.name,
        team: caller.team,
        role: caller.role,
        epoch: caller.epoch.to_string(),
    })
}

async fn push(
    State(state): State<AppState>,
    caller: Caller,
    Body(request): Body<PushRequest>,
) -> Result<Json<PushResponse>, ApiError> {
    request
        .check()
        .map_err(|err| ApiError::BadRequest(err.to_string()))?;
    if caller.role == Role::Reviewer && request.ops.iter().any(|op| op.change.writes_tm()) {
        return Err(ApiError::Forbidden(
            "a reviewer cannot write the team memory",
        ));
    }
    let shares = |op: &team::Operation| matches!(op.change, Change::DocumentShared { .. });
    if !caller.role.assigns() && request.ops.iter().any(shares) {
        return Err(ApiError::Forbidden(
            "only an editor or an admin shares documents",
        ));
    }
    let (results, seq) = db::push(&state.pool, &caller, &request.ops).await?;
    // This server's polls need not wait for the database's announcement.
    state.commits.committed(caller.team_id, seq);
    let applied = results.iter().filter(|r| r.applied).count();
    tracing::info!(user = %caller.name, team = %caller.team, ops = request.ops.len(), applied, seq, "push");
    Ok(Json(PushResponse { results }))
}

#[derive(Deserialize)]
struct ChangesQuery {
    #[serde(default)]
    since: i64,
    limit: Option<usize>,
    #[serde(default)]
    wait: u64,
    /// Leaves out the changes to units numbered up to it: the client
    /// holds a snapshot of the team memory as of that number.
    units_after: Option<i64>,
}

async fn changes(
    State(state): State<AppState>,
    caller: Caller,
    Params(query): Params<ChangesQuery>,
) -> Result<Json<team::ChangesPage>, ApiError> {
    let in_range = |n: i64| (0..=team::MAX_SINCE).contains(&n);
    if !in_range(query.since) || !query.units_after.is_none_or(in_range) {
        return Err(ApiError::BadRequest(format!(
            "since and units_after are sequence numbers from 0 to {}",
            team::MAX_SINCE
        )));
    }
    let size = team::page_size(query.limit);
    // Watch before reading, so a commit between the read and the wait
    // still wakes it. No connection is held while waiting.
    let mut latest = state.commits.watch(caller.team_id);
    let read = || async {
        match query.units_after {
            Some(units_after) => {
                db::changes_after_snapshot(
                    &state.pool,
                    caller.team_id,
                    query.since,
                    units_after,
                    size as i64,
                )
                .await
            }
            None => db::changes_after(&state.pool, caller.team_id, query.since, size as i64)
                .await
                .map(|(last, changes)| (last, changes, query.since)),
        }
    };
    let (mut last, mut found, mut read_to) = read().await?;
    if query.since > last {
        return Err(ApiError::SinceAhead { last });
    }
    if found.is_empty() && read_to == query.since && query.wait > 0 {
        let wait = Duration::from_secs(query.wait.min(team::MAX_WAIT_SECONDS));
        let since = query.since;
        let woken = tokio::time::timeout(wait, latest.wait_for(|seq| *seq > since))
            .await
            .is_ok_and(|res| res.is_ok());
        if woken {
            (last, found, read_to) = read().await?;
        }
    }
    let epoch = caller.epoch.to_string();
    let n_found = found.len();
    let mut page = team::page(query.since, found, size, last, epoch);
    // Changes to units left out: the page read the log further than its
    // last change.
    if page.changes.len() == n_found && read_to > page.next {
        page.next = read_to;
        page.more = read_to < last;
    }
    Ok(Json(page))
}

#[derive(Deserialize)]
struct UnitsQuery {
    after: Option<Uuid>,
    limit: Option<usize>,
    as_of: Option<i64>,
}

/// A page of the snapshot of the team memory: its first page notes the
/// team's last number, which the client sends back with the next ones.
async fn units(
    State(state): State<AppState>,
    caller: Caller,
    Params(query): Params<UnitsQuery>,
) -> Result<Json<team::UnitsPage>, ApiError> {
    let last = db::last_seq(&state.pool, caller.team_id).await?;
    let as_of = match query.as_of {
        Some(as_of) if !(0..=team::MAX_SINCE).contains(&as_of) => {
            return Err(ApiError::BadRequest(format!(
                "as_of is a sequence number from 0 to {}",
                team::MAX_SINCE
            )));
        }
        // The log started over since the snapshot's first page.
        Some(as_of) if as_of > last => return Err(ApiError::SinceAhead { last }),
        Some(as_of) => as_of,
        // Read before the units: every change up to it is in them.
        None => last,
    };
    let size = team::units_page_size(query.limit);
    let (units, more) =
        db::units_after(&state.pool, caller.team_id, query.after, size as i64).await?;
    Ok(Json(team::UnitsPage {
        as_of,
        units,
        more,
        epoch: caller.epoch.to_string(),
    }))
}

#[derive(Deserialize)]
struct TranslationsQuery {
    source: String,
}

#[derive(Serialize, Deserialize)]
struct Translation {
    seq: i64,
    target: String,
}

async fn translations(
    State(state): State<AppState>,
    caller: Caller,
    Params(query): Params<TranslationsQuery>,
) -> Result<Json<Vec<Translation>>, ApiError> {
    if query.source.contains('\0') {
        return Err(ApiError::BadRequest(
            "the source holds a NUL character".to_owned(),
        ));
    }
    let found = db::translations(&state.pool, caller.team_id, &query.source).await?;
    Ok(Json(
        found
            .into_iter()
            .map(|(seq, target)| Translation { seq, target })
            .collect(),
    ))
}

fn admin(caller: &Caller) -> Result<(), ApiError> {
    if caller.role == Role::Admin {
        Ok(())
    } else {
        Err(ApiError::Forbidden(
            "only an admin manages the team's users",
        ))
    }
}

async fn list_users(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<User>>, ApiError> {
    admin(&caller)?;
    Ok(Json(db::users(&state.pool, caller.team_id).await?))
}

async fn add_user(
    State(state): State<AppState>,
    caller: Caller,
    Body(user): Body<User>,
) -> Result<(StatusCode, Json<User>), ApiError> {
    admin(&caller)?;
    db::add_user(&state.pool, &user.name, &caller.team, user.role).await?;
    tracing::info!(admin = %caller.name, user = %user.name, role = user.role.as_str(), "user added");
    Ok((StatusCode::CREATED, Json(user)))
}

/// The row of a user of the caller's team, else not found: other teams'
/// users are not even said to exist.
async fn own_user(state: &AppState, caller: &Caller, name: &str) -> Result<i64, ApiError> {
    db::check_name(name)?;
    db::user_in_team(&state.pool, caller.team_id, name)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no user named {name:?} in the team")))
}

#[derive(Serialize, Deserialize)]
struct IssuedToken {
    token: String,
}

async fn issue_token(
    State(state): State<AppState>,
    caller: Caller,
    PathParam(name): PathParam<String>,
) -> Result<(StatusCode, Json<IssuedToken>), ApiError> {
    admin(&caller)?;
    let user_id = own_user(&state, &caller, &name).await?;
    let token = db::issue_token_to(&state.pool, user_id).await?;
    tracing::info!(admin = %caller.name, user = %name, "token issued");
    Ok((StatusCode::CREATED, Json(IssuedToken { token })))
}

async fn revoke_tokens(
    State(state): State<AppState>,
    caller: Caller,
    PathParam(name): PathParam<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    admin(&caller)?;
    let user_id = own_user(&state, &caller, &name).await?;
    let revoked = db::revoke_tokens_of(&state.pool, user_id).await?;
    tracing::info!(admin = %caller.name, user = %name, revoked, "tokens revoked");
    Ok(Json(serde_json::json!({ "revoked": revoked })))
}

/// A conflict of either kind, as `GET /v1/conflicts` lists it.
#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum AnyConflict {
    /// A glossary version that a later write replaced unseen.
    Entry(Conflict),
    /// A saved segment that the rule of shared documents refused.
    Segment(SegmentConflictItem),
}

async fn list_conflicts(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<AnyConflict>>, ApiError> {
    let entries = db::conflicts(&state.pool, caller.team_id).await?;
    let segments = db::segment_conflicts(&state.pool, caller.team_id).await?;
    Ok(Json(
        entries
            .into_iter()
            .map(AnyConflict::Entry)
            .chain(segments.into_iter().map(AnyConflict::Segment))
            .collect(),
    ))
}

/// A glossary conflict is numbered, a segment conflict is named by its
/// operation's UUID.
async fn resolve_conflict(
    State(state): State<AppState>,
    caller: Caller,
    PathParam(id): PathParam<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    if let Ok(number) = id.parse::<i64>() {
        db::resolve_conflict(&state.pool, &caller, number).await?;
    } else if let Ok(op_id) = id.parse::<Uuid>() {
        db::resolve_segment_conflict(&state.pool, &caller, op_id).await?;
    } else {
        return Err(ApiError::BadRequest(
            "a conflict is named by its number or its operation's UUID".to_owned(),
        ));
    }
    tracing::info!(user = %caller.name, team = %caller.team, conflict = %id, "conflict resolved");
    let resolved = id.parse::<i64>().map_or_else(
        |_| serde_json::json!(id),
        |number| serde_json::json!(number),
    );
    Ok(Json(serde_json::json!({ "resolved": resolved })))
}

fn assigner(caller: &Caller) -> Result<(), ApiError> {
    if caller.role.assigns() {
        Ok(())
    } else {
        Err(ApiError::Forbidden(
            "only an editor or an admin assigns and releases documents",
        ))
    }
}

async fn list_documents(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<DocumentSummary>>, ApiError> {
    Ok(Json(db::documents(&state.pool, caller.team_id).await?))
}

async fn document(
    State(state): State<AppState>,
    caller: Caller,
    PathParam(id): PathParam<Uuid>,
) -> Result<Json<DocumentView>, ApiError> {
    Ok(Json(db::document(&state.pool, caller.team_id, id).await?))
}

/// The answer to an assignment: who holds the document now, and the
/// number of the change that says so.
#[derive(Serialize, Deserialize)]
struct Assigned {
    seq: i64,
    #[serde(flatten)]
    holder: Holder,
}

async fn assign(
    State(state): State<AppState>,
    caller: Caller,
    PathParam(id): PathParam<Uuid>,
    Body(request): Body<AssignRequest>,
) -> Result<Json<Assigned>, ApiError> {
    assigner(&caller)?;
    if !(1..=team::MAX_LEASE_MINUTES).contains(&request.lease_minutes) {
        return Err(ApiError::BadRequest(format!(
            "lease_minutes is from 1 to {}",
            team::MAX_LEASE_MINUTES
        )));
    }
    db::check_name(&request.user)?;
    let (holder, seq) = db::assign(&state.pool, &caller, id, &request).await?;
    state.commits.committed(caller.team_id, seq);
    tracing::info!(editor = %caller.name, team = %caller.team, document = %id, user = %holder.user, step = holder.step.as_str(), seq, "document assigned");
    Ok(Json(Assigned { seq, holder }))
}

async fn release(
    State(state): State<AppState>,
    caller: Caller,
    PathParam(id): PathParam<Uuid>,
) -> Result<Json<serde_json::Value>, ApiError> {
    assigner(&caller)?;
    let seq = db::release(&state.pool, &caller, id).await?;
    if let Some(seq) = seq {
        state.commits.committed(caller.team_id, seq);
    }
    tracing::info!(editor = %caller.name, team = %caller.team, document = %id, released = seq.is_some(), "document released");
    Ok(Json(
        serde_json::json!({ "released": seq.is_some(), "seq": seq }),
    ))
}
