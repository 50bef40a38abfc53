//! Segmentation accuracy on the shared gold data when it is present beside
//! the checkout (it is evaluation-only data and is not copied here).

use std::path::Path;

use interlinea::segment::eval::{read_cases, score};
use interlinea::Segmenter;

fn data_dir() -> Option<&'static Path> {
    let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data"));
    dir.is_dir().then_some(dir)
}

/// Built-in rules: F1 ≥ 0.99 on every UD set and better than both SRX files.
#[test]
fn builtin_rules_meet_targets_on_gold_data() {
    let Some(data) = data_dir() else {
        eprintln!("../shared/data not present: accuracy not measured");
        return;
    };
    let srx: Vec<Segmenter> = ["languagetool-segment.srx", "omegat-defaultRules.srx"]
        .iter()
        .map(|f| {
            let xml = std::fs::read_to_string(data.join("srx").join(f)).expect("SRX file");
            Segmenter::from_srx::<&str>(&xml, &[]).expect("SRX rules compile")
        })
        .collect();
    let builtin = Segmenter::italian::<&str>(&[]);
    let mut n_sets = 0;
    for entry in std::fs::read_dir(data.join("segmentation")).expect("segmentation dir") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        if !name.ends_with(".jsonl") {
            continue;
        }
        n_sets += 1;
        let cases = read_cases(&std::fs::read_to_string(&path).expect("read")).expect("parse");
        let (ours, _) = score(&builtin, &cases);
        if name.starts_with("ud-") {
            assert!(ours.f1() >= 0.99, "{name}: F1 {:.4}", ours.f1());
        } else {
            // pySBD: every case but the verse quotation (see the closing note).
            assert!(ours.cases - ours.cases_right <= 1, "{name}: {ours:?}");
        }
        for (srx_rules, srx_name) in srx.iter().zip(["LanguageTool", "OmegaT"]) {
            let (theirs, _) = score(srx_rules, &cases);
            assert!(
                ours.f1() > theirs.f1(),
                "{name}: built-in F1 {:.4} does not beat {srx_name} {:.4}",
                ours.f1(),
                theirs.f1()
            );
        }
    }
    assert_eq!(n_sets, 6);
}
