//! `interlinea eval-segmentation`: sentence-boundary scores of the segmentation rules on gold data.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use clap::Subcommand;
use interlinea::segment::eval;
use interlinea::Segmenter;

use crate::cli::documents::srx_segmenter;

#[derive(Subcommand)]
pub enum EvalCommand {
    /// Measure sentence-boundary precision, recall and F1 on gold data sets
    EvalSegmentation {
        /// Directory of JSONL data sets ({"id","text","sentences"} per line)
        #[arg(long, default_value = "../shared/data/segmentation")]
        data: PathBuf,
        /// SRX files to compare with the built-in rules
        #[arg(long, value_name = "FILE")]
        srx: Vec<PathBuf>,
        /// Print every case the built-in rules get wrong
        #[arg(long)]
        misses: bool,
    },
}

pub fn segmentation(
    out: &mut impl Write,
    data: &Path,
    srx_files: &[PathBuf],
    show_misses: bool,
) -> anyhow::Result<()> {
    let mut sets = Vec::new();
    for entry in std::fs::read_dir(data).with_context(|| format!("reading {}", data.display()))? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "jsonl") {
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("reading {}", path.display()))?;
            let cases =
                eval::read_cases(&text).with_context(|| format!("parsing {}", path.display()))?;
            let name = path
                .file_stem()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            sets.push((name, cases));
        }
    }
    if sets.is_empty() {
        bail!("no .jsonl data sets in {}", data.display());
    }
    sets.sort_by(|a, b| a.0.cmp(&b.0));
    let mut segmenters = vec![("built-in".to_string(), Segmenter::italian::<&str>(&[]))];
    for path in srx_files {
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        segmenters.push((name, srx_segmenter(path)?));
    }
    writeln!(
        out,
        "| data set | rules | precision | recall | F1 | cases right |"
    )?;
    writeln!(out, "|---|---|---:|---:|---:|---:|")?;
    let mut all_misses = Vec::new();
    for (set_name, cases) in &sets {
        for (rules_name, segmenter) in &segmenters {
            let (score, misses) = eval::score(segmenter, cases);
            writeln!(
                out,
                "| {set_name} | {rules_name} | {:.4} | {:.4} | {:.4} | {}/{} |",
                score.precision(),
                score.recall(),
                score.f1(),
                score.cases_right,
                score.cases
            )?;
            if rules_name == "built-in" {
                all_misses.extend(misses.into_iter().map(|m| (set_name.clone(), m)));
            }
        }
    }
    if show_misses {
        for (set_name, miss) in all_misses {
            writeln!(out, "\n## {set_name} {}", miss.id)?;
            writeln!(out, "expected:")?;
            for s in &miss.expected {
                writeln!(out, "  | {s}")?;
            }
            writeln!(out, "got:")?;
            for s in &miss.got {
                writeln!(out, "  | {s}")?;
            }
        }
    }
    Ok(())
}

pub fn run(out: &mut impl Write, command: EvalCommand) -> anyhow::Result<()> {
    match command {
        EvalCommand::EvalSegmentation { data, srx, misses } => {
            segmentation(out, &data, &srx, misses)
        }
    }
}
