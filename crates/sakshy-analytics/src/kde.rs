//! (kde: being written.)
