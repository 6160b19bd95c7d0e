//! (synthetic: being written.)
