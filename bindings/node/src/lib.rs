//! Node.js bindings for sigverify (being written).
