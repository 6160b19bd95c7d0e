//! (fdr: being written.)
