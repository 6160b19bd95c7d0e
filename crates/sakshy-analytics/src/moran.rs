//! (moran: being written.)
