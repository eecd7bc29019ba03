//! Stage 2: render the validated site into pages.

pub mod markdown;
