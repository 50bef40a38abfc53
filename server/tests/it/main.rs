//! The server's tests, one binary sharing one PostgreSQL cluster: each
//! test has a database of its own.

mod cli;
mod desk;
mod desk_documents;
mod desk_faults;
mod desk_outbox;
mod documents;
mod security;
mod snapshot;
mod support;
mod sync;
