//! Integration tests of the `interlinea` command line over the engine, on
//! real files and real SQLite workspaces.

mod backup;
mod cli;
mod crash;
mod export;
mod fronts;
mod glossary;
mod history;
mod hostile;
mod http;
mod mt;
mod news;
mod omegat;
mod qa;
mod segmentation;
mod spelling;
mod third_party;
mod tidy;
mod tm;
