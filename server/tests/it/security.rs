//! What the server refuses: requests without a valid token, roles beyond
//! their rights, another team's data, hostile text, malformed and
//! oversized bodies.

use interlinea::team::{Change, Operation, MAX_BODY_BYTES, MAX_OPS_PER_PUSH};
use interlinea_server::db::{self, Role};
use uuid::Uuid;

use crate::support::{add_unit, put_entry, spawn_app};

#[tokio::test]
async fn no_token_a_wrong_one_or_a_revoked_one_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let anna = app.user("anna", "desk", Role::Admin).await;
    let wrong = interlinea_server::token::new();
    db::revoke_tokens(&app.pool, "anna").await.unwrap();
    for token in [None, Some(wrong.as_str()), Some(anna.as_str())] {
        let (status, body) = app.get(token, "/v1/me").await;
        assert_eq!((status, body["code"].as_str()), (401, Some("unauthorized")));
        assert_eq!(app.get(token, "/v1/changes?since=0").await.0, 401);
        let mut push = app.http.post(app.url_of("/v1/push"));
        if let Some(token) = token {
            push = push.bearer_auth(token);
        }
        let ops = [add_unit("Piove.", "It is raining.")];
        let res = push
            .json(&serde_json::json!({ "ops": ops }))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 401);
        let text = res.text().await.unwrap();
        assert!(!text.contains(&anna) && !text.contains(&wrong), "{text}");
    }
    // A token sent some other way than as a bearer is no token.
    let res = app
        .http
        .get(app.url_of("/v1/me"))
        .basic_auth("anna", Some(&anna))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 401);
    assert_eq!(app.team_seq("desk").await, 0);
    // A new token works again.
    let fresh = db::issue_token(&app.pool, "anna").await.unwrap();
    let (status, mut me) = app.get(Some(&fresh), "/v1/me").await;
    assert_eq!(status, 200);
    let epoch = me["epoch"].take();
    assert_eq!(epoch, app.team_epoch("desk").await.to_string());
    assert_eq!(
        me,
        serde_json::json!({"user": "anna", "team": "desk", "role": "admin", "epoch": null})
    );
}

#[tokio::test]
async fn roles_are_held_to_their_rights() {
    let app = spawn_app().await;
    let admin = app.user("ada", "desk", Role::Admin).await;
    let translator = app.user("tom", "desk", Role::Translator).await;
    let reviewer = app.user("rita", "desk", Role::Reviewer).await;

    for token in [&translator, &reviewer] {
        let (status, body) = app.get(Some(token), "/v1/users").await;
        assert_eq!((status, body["code"].as_str()), (403, Some("forbidden")));
        let res = app
            .http
            .post(app.url_of("/v1/users"))
            .bearer_auth(token)
            .json(&serde_json::json!({"name": "eve", "role": "admin"}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 403);
    }
    let res = app
        .http
        .post(app.url_of("/v1/users/tom/token"))
        .bearer_auth(&translator)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 403);

    // A reviewer's push holding a unit is refused whole.
    let (status, body) = app
        .push_raw(
            &reviewer,
            &[
                put_entry(Uuid::new_v4(), "Quirinale", "the Quirinale", None),
                add_unit("Piove.", "It is raining."),
            ],
        )
        .await;
    assert_eq!((status, body["code"].as_str()), (403, Some("forbidden")));
    assert_eq!(app.team_seq("desk").await, 0);
    // A reviewer writes the glossary.
    app.push(
        &reviewer,
        &[put_entry(
            Uuid::new_v4(),
            "Quirinale",
            "the Quirinale",
            None,
        )],
    )
    .await;

    // The admin adds a user to the team and issues a token.
    let res = app
        .http
        .post(app.url_of("/v1/users"))
        .bearer_auth(&admin)
        .json(&serde_json::json!({"name": "eve", "role": "translator"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 201);
    let res = app
        .http
        .post(app.url_of("/v1/users/eve/token"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    let issued: serde_json::Value = res.json().await.unwrap();
    let eve = issued["token"].as_str().unwrap();
    assert_eq!(app.get(Some(eve), "/v1/me").await.1["team"], "desk");
    let (_, users) = app.get(Some(&admin), "/v1/users").await;
    let names: Vec<&str> = users
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["ada", "eve", "rita", "tom"]);
    // Revoked by the admin, Eve's token stops working.
    let res = app
        .http
        .delete(app.url_of("/v1/users/eve/token"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(app.get(Some(eve), "/v1/me").await.0, 401);
}

#[tokio::test]
async fn each_team_sees_only_its_own_data() {
    let app = spawn_app().await;
    let anna = app.user("anna", "rome", Role::Admin).await;
    let otto = app.user("otto", "berlin", Role::Admin).await;
    let add = add_unit("Il governo cade.", "The government falls.");
    let Change::UnitAdded { unit } = &add.change else {
        unreachable!()
    };
    let unit_id = unit.id;
    app.push(&anna, std::slice::from_ref(&add)).await;

    let (_, page) = app.get(Some(&otto), "/v1/changes?since=0").await;
    assert_eq!(page["changes"], serde_json::json!([]));
    let (_, found) = app
        .get(Some(&otto), "/v1/translations?source=Il%20governo%20cade.")
        .await;
    assert_eq!(found, serde_json::json!([]));
    let (_, users) = app.get(Some(&otto), "/v1/users").await;
    assert_eq!(
        users,
        serde_json::json!([{"name": "otto", "role": "admin"}])
    );
    for method in [reqwest::Method::POST, reqwest::Method::DELETE] {
        let res = app
            .http
            .request(method, app.url_of("/v1/users/anna/token"))
            .bearer_auth(&otto)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 404);
    }
    assert_eq!(app.get(Some(&anna), "/v1/me").await.0, 200);

    // The same operation and unit ids from another team touch nothing of
    // the first: Otto's deletion of Anna's unit and replay of her push.
    let delete = Operation {
        id: Uuid::new_v4(),
        change: Change::UnitDeleted { unit_id },
    };
    let replay = app.push(&otto, &[add, delete]).await;
    assert!(replay.results.iter().all(|r| r.applied));
    let (_, found) = app
        .get(Some(&anna), "/v1/translations?source=Il%20governo%20cade.")
        .await;
    assert_eq!(found.as_array().unwrap().len(), 1);
    assert_eq!(app.team_seq("rome").await, 1);
    assert_eq!(app.team_seq("berlin").await, 2);
}

#[tokio::test]
async fn sql_looking_names_and_texts_are_stored_as_text() {
    let app = spawn_app().await;
    let team = "desk'); DROP TABLE users; --";
    let name = "anna\" OR 1=1; --";
    let token = app.user(name, team, Role::Translator).await;
    let source = "'; DELETE FROM changes WHERE '1'='1";
    let target = "$1 \\x00 %s ${seq} E'\\'' ; TRUNCATE units;";
    app.push(&token, &[add_unit(source, target)]).await;
    let (_, me) = app.get(Some(&token), "/v1/me").await;
    assert_eq!(
        (me["user"].as_str(), me["team"].as_str()),
        (Some(name), Some(team))
    );
    let (_, page) = app.get(Some(&token), "/v1/changes?since=0").await;
    assert_eq!(page["changes"][0]["change"]["unit"]["source"], source);
    assert_eq!(page["changes"][0]["change"]["unit"]["target"], target);
    assert_eq!(page["changes"][0]["author"], name);
    // A query parameter that looks like SQL is a number or nothing.
    let (status, body) = app
        .get(
            Some(&token),
            "/v1/changes?since=0%3B%20DROP%20TABLE%20units",
        )
        .await;
    assert_eq!((status, body["code"].as_str()), (400, Some("bad_request")));
    let client = app.pool.get().await.unwrap();
    let n: i64 = client
        .query_one("SELECT count(*) FROM units", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(n, 1);
}

#[tokio::test]
async fn malformed_oversized_and_overlong_pushes_are_refused_clearly() {
    let app = spawn_app().await;
    let anna = app.user("anna", "desk", Role::Translator).await;
    let send = |body: Vec<u8>| {
        app.http
            .post(app.url_of("/v1/push"))
            .bearer_auth(&anna)
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    let res = send(b"{\"ops\": [".to_vec()).await.unwrap();
    assert_eq!(res.status().as_u16(), 400);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["code"], "bad_request");

    let res = send(br#"{"ops": [{"id": "not-a-uuid"}]}"#.to_vec())
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 400);

    let huge = vec![b' '; MAX_BODY_BYTES + 1];
    let res = send(huge).await.unwrap();
    assert_eq!(res.status().as_u16(), 413);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["code"], "too_large");
    assert!(
        body["message"].as_str().unwrap().contains("8388608 bytes"),
        "{body}"
    );

    let too_many: Vec<Operation> = (0..=MAX_OPS_PER_PUSH)
        .map(|_| add_unit("Piove.", "It is raining."))
        .collect();
    let (status, body) = app.push_raw(&anna, &too_many).await;
    assert_eq!(status, 400);
    assert_eq!(
        body["message"],
        "a push holds 501 operations, at most 500 are allowed"
    );
    let (status, body) = app
        .push_raw(&anna, &[add_unit("Piove.", &"a".repeat(10_001))])
        .await;
    assert_eq!(status, 400);
    assert!(body["message"]
        .as_str()
        .unwrap()
        .contains("10001 characters"));
    assert_eq!(app.team_seq("desk").await, 0);
}

#[tokio::test]
async fn another_team_learns_nothing_of_a_teams_user_names() {
    let app = spawn_app().await;
    app.user("anna", "desk", Role::Translator).await;
    let bea = app.user("bea", "newsroom", Role::Admin).await;
    // Bea adds a user named as one of the other team's: it is hers, and
    // the answer is the same as for any new name.
    for name in ["anna", "nobody"] {
        let res = app
            .http
            .post(app.url_of("/v1/users"))
            .bearer_auth(&bea)
            .json(&serde_json::json!({"name": name, "role": "translator"}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 201);
    }
    let (_, users) = app.get(Some(&bea), "/v1/users").await;
    assert_eq!(
        users,
        serde_json::json!([
            {"name": "anna", "role": "translator"},
            {"name": "bea", "role": "admin"},
            {"name": "nobody", "role": "translator"},
        ])
    );
    // Her anna's token is her anna's.
    let res = app
        .http
        .post(app.url_of("/v1/users/anna/token"))
        .bearer_auth(&bea)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 201);
    let token: serde_json::Value = res.json().await.unwrap();
    let (_, me) = app.get(token["token"].as_str(), "/v1/me").await;
    assert_eq!(
        (me["user"].as_str(), me["team"].as_str()),
        (Some("anna"), Some("newsroom"))
    );
    // A name taken in her own team is still a conflict.
    let res = app
        .http
        .post(app.url_of("/v1/users"))
        .bearer_auth(&bea)
        .json(&serde_json::json!({"name": "anna", "role": "reviewer"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 409);
}

#[tokio::test]
async fn overflowing_numbers_and_nul_characters_are_refused_as_bad_requests() {
    let app = spawn_app().await;
    let ada = app.user("ada", "desk", Role::Admin).await;
    for since in [
        "9223372036854775807",
        "9223372036854775808",
        "-1",
        "9007199254740992",
    ] {
        let (status, body) = app
            .get(Some(&ada), &format!("/v1/changes?since={since}"))
            .await;
        assert_eq!(
            (status, body["code"].as_str()),
            (400, Some("bad_request")),
            "{since}: {body}"
        );
    }
    let (status, _) = app.get(Some(&ada), "/v1/changes?since=0&limit=-1").await;
    assert_eq!(status, 400);
    let (status, body) = app.get(Some(&ada), "/v1/translations?source=a%00b").await;
    assert_eq!(
        (status, body["code"].as_str()),
        (400, Some("bad_request")),
        "{body}"
    );
    for method in [reqwest::Method::POST, reqwest::Method::DELETE] {
        let res = app
            .http
            .request(method, app.url_of("/v1/users/a%00b/token"))
            .bearer_auth(&ada)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 400);
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(body["code"], "bad_request");
    }
    let res = app
        .http
        .post(app.url_of("/v1/users"))
        .bearer_auth(&ada)
        .json(&serde_json::json!({"name": "a\u{0}b", "role": "reviewer"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 400);
}

#[tokio::test]
async fn the_bearer_scheme_is_matched_whatever_its_case() {
    let app = spawn_app().await;
    let anna = app.user("anna", "desk", Role::Translator).await;
    for scheme in ["Bearer", "bearer", "BEARER", "bEaReR"] {
        let res = app
            .http
            .get(app.url_of("/v1/me"))
            .header("authorization", format!("{scheme} {anna}"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 200, "{scheme}");
    }
    let res = app
        .http
        .get(app.url_of("/v1/me"))
        .header("authorization", format!("Bearerx {anna}"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 401);
}

#[tokio::test]
async fn unknown_routes_and_methods_answer_in_the_error_shape() {
    let app = spawn_app().await;
    let anna = app.user("anna", "desk", Role::Translator).await;
    let (status, body) = app.get(Some(&anna), "/v1/nothing").await;
    assert_eq!(
        (status, body["code"].as_str()),
        (404, Some("not_found")),
        "{body}"
    );
    assert!(body["message"].is_string());
    let res = app
        .http
        .delete(app.url_of("/v1/push"))
        .bearer_auth(&anna)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 405);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["code"], "method_not_allowed");
}
