//! Python bindings for sigverify (being written).
