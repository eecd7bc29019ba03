//! gongbao (公报): builds a static, searchable archive of a government gazette.
//!
//! The build is a pipeline of stages, each a module that takes data in and hands data on:
//! [`content`] (load + validate) → [`render`] (Markdown + templates) → [`output`] (write, swap in).

pub mod content;
pub mod error;
pub mod render;
pub mod search;
pub mod output;
