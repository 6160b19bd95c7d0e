//! (gistar: being written.)
