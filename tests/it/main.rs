//! Integration tests of the engine and the CLI.
