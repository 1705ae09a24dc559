//! Node addon link setup (napi-rs).
fn main() {
    napi_build::setup();
}
