//! The Living Well UK framework for mental-health system transformation.
#![forbid(unsafe_code)]
