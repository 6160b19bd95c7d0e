//! (forecast: being written.)
