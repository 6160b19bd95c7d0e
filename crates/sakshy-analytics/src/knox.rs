//! (knox: being written.)
