//! (weights: being written.)
