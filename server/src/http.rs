//! The HTTP API under `/v1` (see `docs/team.md`): handlers extract the
//! caller and the request, call one function of `db`, and map its error to
//! a status with a stable `code`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, FromRequest, FromRequestParts, Path, Query, Request, State};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use deadpool_postgres::Pool;
use interlinea::team::{self, PushRequest, PushResponse};
use serde::{Deserialize, Serialize};
use tokio::sync::watch;

use crate::db::{self, Caller, Role, User};

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pool: Pool,
    /// Per team, the last sequence number committed, for the long poll.
    latest: Arc<Mutex<HashMap<i64, watch::Sender<i64>>>>,
}

impl AppState {
    fn watch(&self, team_id: i64) -> watch::Receiver<i64> {
        let mut latest = self.latest.lock().expect("no handler panics holding it");
        latest
            .entry(team_id)
            .or_insert_with(|| watch::channel(0).0)
            .subscribe()
    }

    fn committed(&self, team_id: i64, seq: i64) {
        let latest = self.latest.lock().expect("no handler panics holding it");
        if let Some(sender) = latest.get(&team_id) {
            sender.send_if_modified(|last| {
                let newer = seq > *last;
                *last = (*last).max(seq);
                newer
            });
        }
    }
}

/// The API's router over a pool of connections to a migrated database.
pub fn router(pool: Pool) -> Router {
    let state = AppState {
        pool,
        latest: Arc::default(),
    };
    Router::new()
        .route("/health", get(health))
        .route("/v1/me", get(me))
        .route("/v1/push", post(push))
        .route("/v1/changes", get(changes))
        .route("/v1/translations", get(translations))
        .route("/v1/users", get(list_users).post(add_user))
        .route(
            "/v1/users/{name}/token",
            post(issue_token).delete(revoke_tokens),
        )
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
            ApiError::Internal => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        let mut res = (
            status,
            Json(serde_json::json!({ "code": code, "message": self.to_string() })),
        )
            .into_response();
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
            db::Error::NoUser(_) => ApiError::NotFound(err.to_string()),
            db::Error::UserExists(_) => ApiError::Conflict(err.to_string()),
            db::Error::BadName => ApiError::BadRequest(err.to_string()),
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
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer "))
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

/// Who the token belongs to.
#[derive(Serialize, Deserialize)]
pub struct Me {
    /// The user's name.
    pub user: String,
    /// The team's name.
    pub team: String,
    /// The role.
    pub role: Role,
}

async fn me(caller: Caller) -> Json<Me> {
    Json(Me {
        user: caller.name,
        team: caller.team,
        role: caller.role,
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
    let (results, seq) = db::push(&state.pool, &caller, &request.ops).await?;
    state.committed(caller.team_id, seq);
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
}

async fn changes(
    State(state): State<AppState>,
    caller: Caller,
    Params(query): Params<ChangesQuery>,
) -> Result<Json<team::ChangesPage>, ApiError> {
    let size = team::page_size(query.limit);
    // Watch before reading, so a commit between the read and the wait
    // still wakes it.
    let mut latest = state.watch(caller.team_id);
    let read = || db::changes_after(&state.pool, caller.team_id, query.since, size as i64 + 1);
    let mut found = read().await?;
    if found.is_empty() && query.wait > 0 {
        let wait = Duration::from_secs(query.wait.min(team::MAX_WAIT_SECONDS));
        let since = query.since;
        let woken = tokio::time::timeout(wait, latest.wait_for(|seq| *seq > since))
            .await
            .is_ok_and(|res| res.is_ok());
        if woken {
            found = read().await?;
        }
    }
    Ok(Json(team::page(query.since, found, size)))
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

/// A user of the caller's team, else not found: other teams' users are
/// not even said to exist.
async fn own_user(state: &AppState, caller: &Caller, name: &str) -> Result<(), ApiError> {
    let missing = || ApiError::NotFound(format!("no user named {name:?} in the team"));
    match db::team_of(&state.pool, name).await {
        Ok(team_id) if team_id == caller.team_id => Ok(()),
        Ok(_) | Err(db::Error::NoUser(_)) => Err(missing()),
        Err(err) => Err(err.into()),
    }
}

#[derive(Serialize, Deserialize)]
struct IssuedToken {
    token: String,
}

async fn issue_token(
    State(state): State<AppState>,
    caller: Caller,
    Path(name): Path<String>,
) -> Result<(StatusCode, Json<IssuedToken>), ApiError> {
    admin(&caller)?;
    own_user(&state, &caller, &name).await?;
    let token = db::issue_token(&state.pool, &name).await?;
    tracing::info!(admin = %caller.name, user = %name, "token issued");
    Ok((StatusCode::CREATED, Json(IssuedToken { token })))
}

async fn revoke_tokens(
    State(state): State<AppState>,
    caller: Caller,
    Path(name): Path<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    admin(&caller)?;
    own_user(&state, &caller, &name).await?;
    let revoked = db::revoke_tokens(&state.pool, &name).await?;
    tracing::info!(admin = %caller.name, user = %name, revoked, "tokens revoked");
    Ok(Json(serde_json::json!({ "revoked": revoked })))
}
