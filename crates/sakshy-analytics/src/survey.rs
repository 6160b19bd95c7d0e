//! (survey: being written.)
