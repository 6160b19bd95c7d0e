//! (temporal: being written.)
