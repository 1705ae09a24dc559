//! Give the cdylib the soname it is installed under (`libsigverify.so.0` while
//! 0.x), so programs linked against the installed library load it by that name.

fn main() {
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let major = std::env::var("CARGO_PKG_VERSION_MAJOR").unwrap_or_else(|_| "0".into());
    if os == "macos" || os == "ios" {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-install_name,@rpath/libsigverify.{major}.dylib");
    } else if os != "windows" {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libsigverify.so.{major}");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
