//! (evaluation: being written.)
