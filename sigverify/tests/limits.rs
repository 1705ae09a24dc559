//! Resource limits (issue 7, SPEC §2.1, §15.11): every cap rejects an oversized
//! input with `ErrorKind::Limit`, and does so before allocating in proportion to
//! the input. A counting allocator measures the peak heap growth of each call on
//! the calling thread; the inputs are built before the measurement starts.

use sigverify::bundle::{
    MAX_BUNDLE_BYTES, MAX_CERTIFICATE_BYTES, MAX_CHAIN_CERTIFICATES, MAX_DSSE_PAYLOAD_BYTES,
    MAX_DSSE_SIGNATURES, MAX_JSON_DEPTH, MAX_PROOF_HASHES, MAX_TIMESTAMP_BYTES, MAX_TIMESTAMPS,
    MAX_TLOG_ENTRIES,
};
use sigverify::certificate::LeafCertificate;
use sigverify::sct::MAX_SCTS;
use sigverify::timestamp::{MAX_TOKEN_CERTIFICATES, TimestampAuthorities};
use sigverify::tlog::checkpoint::{
    self, MAX_CHECKPOINT_BYTES, MAX_NOTE_LINES, MAX_SIGNATURE_LINES,
};
use sigverify::trust_root::{
    MAX_CA_CERTIFICATES, MAX_TRUSTED_ROOT_BYTES, MAX_TRUSTED_ROOT_DEPTH, MAX_TRUSTED_ROOT_ENTRIES,
};
use sigverify::{Artifact, Bundle, ErrorKind, Limits, Options, Policy, TrustedRoot, Verifier};
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::path::{Path, PathBuf};

mod support;
use support::der::{children, enc, tlv, with_sct_list};

// ---------------------------------------------------------------------------
// A per-thread counting allocator.

struct Counting;

thread_local! {
    static CURRENT: Cell<usize> = const { Cell::new(0) };
    static PEAK: Cell<usize> = const { Cell::new(0) };
}

fn grew(n: usize) {
    let _ = CURRENT.try_with(|c| {
        let v = c.get().saturating_add(n);
        c.set(v);
        let _ = PEAK.try_with(|p| p.set(p.get().max(v)));
    });
}

fn shrank(n: usize) {
    let _ = CURRENT.try_with(|c| c.set(c.get().saturating_sub(n)));
}

// SAFETY: every call is forwarded unchanged to the system allocator; the
// bookkeeping only touches const-initialised thread-locals, which never allocate.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded with the caller's layout.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded with the caller's layout.
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by `System` with `layout`.
        unsafe { System.dealloc(ptr, layout) };
        shrank(layout.size());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `ptr` was allocated by `System` with `layout`.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            shrank(layout.size());
            grew(new_size);
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Run `f`, returning its result and the peak heap growth it caused on this thread.
fn peak<R>(f: impl FnOnce() -> R) -> (R, usize) {
    let base = CURRENT.with(Cell::get);
    PEAK.with(|p| p.set(base));
    let r = f();
    (r, PEAK.with(Cell::get).saturating_sub(base))
}

const KIB: usize = 1 << 10;
const MIB: usize = 1 << 20;

/// The call fails with `Limit` and its peak heap growth stays under `bound`.
#[track_caller]
fn assert_limit<T: std::fmt::Debug>(
    what: &str,
    input_len: usize,
    bound: usize,
    f: impl FnOnce() -> sigverify::Result<T>,
) {
    let (r, used) = peak(f);
    let e = r.expect_err(what);
    assert_eq!(e.kind(), ErrorKind::Limit, "{what}: {e}");
    assert!(
        used <= bound,
        "{what}: peak heap growth {used} bytes for a {input_len}-byte input (bound {bound})"
    );
}

// ---------------------------------------------------------------------------
// Inputs.

fn vectors() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../test-vectors")
}

fn read(rel: &str) -> Vec<u8> {
    std::fs::read(vectors().join(rel)).unwrap()
}

fn bundle_json(case: &str) -> serde_json::Value {
    serde_json::from_slice(&read(&format!("conformance/{case}/bundle.sigstore.json"))).unwrap()
}

/// `prefix` + `n` copies of `item` separated by commas + `suffix`.
fn repeated(prefix: &str, item: &str, n: usize, suffix: &str) -> Vec<u8> {
    let mut s = String::with_capacity(prefix.len() + (item.len() + 1) * n + suffix.len());
    s.push_str(prefix);
    for i in 0..n {
        if i > 0 {
            s.push(',');
        }
        s.push_str(item);
    }
    s.push_str(suffix);
    s.into_bytes()
}

const MT: &str = r#""mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json""#;

fn parse_bundle(bytes: &[u8]) -> sigverify::Result<Bundle> {
    Bundle::from_json(bytes)
}

// DER helpers for building oversized certificates and tokens.

fn b64(s: &str) -> Vec<u8> {
    sigverify::encoding::b64_decode(s).unwrap()
}

// ---------------------------------------------------------------------------
// Bundle caps.

#[test]
fn bundle_size() {
    let big = vec![b' '; MAX_BUNDLE_BYTES + 1];
    assert_limit("bundle size", big.len(), KIB, || parse_bundle(&big));
}

#[test]
fn bundle_json_depth() {
    let deep = "[".repeat(MIB).into_bytes();
    assert_limit("bundle nesting", deep.len(), KIB, || parse_bundle(&deep));
    // Depth inside a string does not count; depth up to the cap is not a Limit error.
    let ok_depth = format!(
        "{{{MT},\"verificationMaterial\":{}{}}}",
        "[".repeat(MAX_JSON_DEPTH - 2),
        "]".repeat(MAX_JSON_DEPTH - 2)
    );
    let e = parse_bundle(ok_depth.as_bytes()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Parse, "{e}");
}

/// A list of `n` items at `path` of an otherwise minimal bundle is refused as
/// soon as it passes `max`: the peak stays far below the input size.
fn oversized_list(what: &str, open: &str, item: &str, close: &str, max: usize) {
    // Exactly `max` items is not a Limit error (it fails later, as a parse error).
    let at_cap = repeated(open, item, max, close);
    let e = parse_bundle(&at_cap).unwrap_err();
    assert_ne!(e.kind(), ErrorKind::Limit, "{what} at the cap: {e}");
    let over = repeated(open, item, max + 1, close);
    assert_limit(what, over.len(), 256 * KIB, || parse_bundle(&over));
    let huge = repeated(open, item, 200_000, close);
    assert_limit(what, huge.len(), 256 * KIB, || parse_bundle(&huge));
}

#[test]
fn tlog_entries() {
    oversized_list(
        "tlog entries",
        &format!("{{{MT},\"verificationMaterial\":{{\"tlogEntries\":["),
        "{}",
        "]}}",
        MAX_TLOG_ENTRIES,
    );
}

#[test]
fn rfc3161_timestamps() {
    oversized_list(
        "timestamps",
        &format!(
            "{{{MT},\"verificationMaterial\":{{\"timestampVerificationData\":{{\"rfc3161Timestamps\":["
        ),
        r#"{"signedTimestamp":"AAAA"}"#,
        "]}}}",
        MAX_TIMESTAMPS,
    );
}

#[test]
fn chain_certificates() {
    oversized_list(
        "chain certificates",
        concat!(
            r#"{"mediaType":"application/vnd.dev.sigstore.bundle+json;version=0.2","#,
            r#""verificationMaterial":{"x509CertificateChain":{"certificates":["#
        ),
        r#"{"rawBytes":"AAAA"}"#,
        "]}}}",
        MAX_CHAIN_CERTIFICATES,
    );
}

/// `prefix` + base64 of `n` zero bytes + `suffix`.
fn with_base64_of(prefix: &str, n: usize, suffix: &str) -> Vec<u8> {
    let mut v = prefix.as_bytes().to_vec();
    v.resize(v.len() + n / 3 * 4, b'A');
    v.extend_from_slice([&b""[..], b"AA==", b"AAA="][n % 3]);
    v.extend_from_slice(suffix.as_bytes());
    v
}

/// One certificate over the cap is refused before it is decoded, as the
/// v0.3 `certificate` and inside an `x509CertificateChain`; one at the cap
/// goes on to certificate parsing (and fails there, being zeros).
#[test]
fn certificate_size() {
    let v03 = format!("{{{MT},\"verificationMaterial\":{{\"certificate\":{{\"rawBytes\":\"");
    let v02 = concat!(
        r#"{"mediaType":"application/vnd.dev.sigstore.bundle+json;version=0.2","#,
        r#""verificationMaterial":{"x509CertificateChain":{"certificates":[{"rawBytes":""#
    );
    for (prefix, suffix) in [(v03.as_str(), "\"}}}"), (v02, "\"}]}}}")] {
        let big = with_base64_of(prefix, MAX_CERTIFICATE_BYTES + 1, suffix);
        assert_limit("certificate size", big.len(), 64 * KIB, || {
            parse_bundle(&big)
        });
        let at_cap = with_base64_of(prefix, MAX_CERTIFICATE_BYTES, suffix);
        let e = parse_bundle(&at_cap).unwrap_err();
        assert_ne!(e.kind(), ErrorKind::Limit, "{e}");
    }
}

#[test]
fn timestamp_size() {
    let prefix = format!(
        "{{{MT},\"verificationMaterial\":{{\"timestampVerificationData\":{{\"rfc3161Timestamps\":[{{\"signedTimestamp\":\""
    );
    let big = with_base64_of(&prefix, MAX_TIMESTAMP_BYTES + 1, "\"}]}}}");
    assert_limit("timestamp size", big.len(), 64 * KIB, || parse_bundle(&big));
    let at_cap = with_base64_of(&prefix, MAX_TIMESTAMP_BYTES, "\"}]}}}");
    let e = parse_bundle(&at_cap).unwrap_err();
    assert_ne!(e.kind(), ErrorKind::Limit, "{e}");
}

#[test]
fn proof_hashes() {
    oversized_list(
        "proof hashes",
        &format!(
            "{{{MT},\"verificationMaterial\":{{\"tlogEntries\":[{{\"inclusionProof\":{{\"hashes\":["
        ),
        "\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"",
        "]}}]}}",
        MAX_PROOF_HASHES,
    );
}

#[test]
fn dsse_signatures() {
    oversized_list(
        "DSSE signatures",
        &format!("{{{MT},\"dsseEnvelope\":{{\"signatures\":["),
        r#"{"sig":"AAAA"}"#,
        "]}}",
        MAX_DSSE_SIGNATURES,
    );
}

#[test]
fn dsse_payload() {
    // Base64 of MAX + 3 bytes: refused before decoding (no 32 MiB buffer).
    let symbols = (MAX_DSSE_PAYLOAD_BYTES / 3 + 1) * 4;
    let mut big = format!("{{{MT},\"dsseEnvelope\":{{\"payload\":\"").into_bytes();
    big.resize(big.len() + symbols, b'A');
    big.extend_from_slice(b"\"}}");
    assert_limit("DSSE payload", big.len(), 64 * KIB, || parse_bundle(&big));
}

/// Caller-tightened caps (SPEC §2.1: "configurable caps on bundle and DSSE
/// payload size"): a real bundle that passes by default is refused as a Limit
/// once the cap is one byte under its size, through the parser and through a
/// verifier's `verify_json`; values above the built-in ceilings change nothing.
#[test]
fn configured_caps() {
    let dsse = read("conformance/happy-path-intoto-in-dsse-v3/bundle.sigstore.json");
    let payload_len = match Bundle::from_json(&dsse).unwrap().content {
        sigverify::bundle::Content::Dsse(env) => env.payload.len(),
        sigverify::bundle::Content::MessageSignature(_) => panic!("not a DSSE bundle"),
    };
    let tight = |max_bundle_bytes, max_dsse_payload_bytes| {
        let mut limits = Limits::default();
        limits.max_bundle_bytes = max_bundle_bytes;
        limits.max_dsse_payload_bytes = max_dsse_payload_bytes;
        limits
    };
    let exact = tight(dsse.len(), payload_len);
    assert!(Bundle::from_json_with_limits(&dsse, &exact).is_ok());
    for (what, limits) in [
        ("bundle size", tight(dsse.len() - 1, payload_len)),
        ("DSSE payload", tight(dsse.len(), payload_len - 1)),
    ] {
        let e = Bundle::from_json_with_limits(&dsse, &limits).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Limit, "{what}: {e}");
        assert!(e.to_string().contains("limit"), "{what}: {e}");
    }

    let verifier = |limits| {
        let mut options = Options::default();
        options.limits = limits;
        Verifier::with_options(TrustedRoot::production().unwrap(), options).unwrap()
    };
    let v03 = read("conformance/happy-path-v0.3/bundle.sigstore.json");
    let artifact = Artifact::from_bytes(&read("conformance/a.txt"));
    let policy = Policy::identity(
        "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main",
        "https://token.actions.githubusercontent.com",
    );
    let e = verifier(tight(v03.len() - 1, MAX_DSSE_PAYLOAD_BYTES))
        .verify_json(&v03, &artifact, &policy)
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Limit, "{e}");
    assert!(
        verifier(tight(v03.len(), MAX_DSSE_PAYLOAD_BYTES))
            .verify_json(&v03, &artifact, &policy)
            .is_ok()
    );

    // Above the ceilings: the built-in caps still hold, before any allocation.
    let lifted = tight(usize::MAX, usize::MAX);
    let big = vec![b' '; MAX_BUNDLE_BYTES + 1];
    assert_limit("lifted bundle size", big.len(), KIB, || {
        Bundle::from_json_with_limits(&big, &lifted)
    });
}

// ---------------------------------------------------------------------------
// Checkpoints, SCTs, RFC 3161 tokens.

const ROOT_LINE: &str = "rs1YPY0ydAV0lxgfrq5pE4oRpUJwo3syeps5+eGUTDI=";
const SIG_LINE: &str = "\u{2014} k AAAAAAA=\n";

#[test]
fn checkpoint_size() {
    let big = format!(
        "o\n1\n{ROOT_LINE}\n{}\n\n{SIG_LINE}",
        "x".repeat(MAX_CHECKPOINT_BYTES)
    );
    assert_limit("checkpoint bytes", big.len(), KIB, || {
        checkpoint::parse(&big)
    });
}

#[test]
fn checkpoint_lines() {
    let note = |ext: usize, sigs: usize| {
        format!(
            "o\n1\n{ROOT_LINE}\n{}\n{}",
            "e\n".repeat(ext),
            SIG_LINE.repeat(sigs)
        )
    };
    let ok = note(MAX_NOTE_LINES - 3, MAX_SIGNATURE_LINES);
    checkpoint::parse(&ok).unwrap();
    let text = note(MAX_NOTE_LINES - 2, 1);
    assert_limit("note lines", text.len(), KIB, || checkpoint::parse(&text));
    let sigs = note(0, MAX_SIGNATURE_LINES + 1);
    assert_limit("signature lines", sigs.len(), KIB, || {
        checkpoint::parse(&sigs)
    });
}

/// The happy-path-v0.3 leaf with its SCT list replaced by `n` copies of its first SCT.
fn leaf_with_scts(n: usize) -> Vec<u8> {
    let b = bundle_json("happy-path-v0.3");
    let der = b64(b["verificationMaterial"]["certificate"]["rawBytes"]
        .as_str()
        .unwrap());
    with_sct_list(&der, &|scts| {
        let first_len = usize::from(u16::from_be_bytes([scts[2], scts[3]]));
        let body = scts[2..4 + first_len].repeat(n);
        let mut tls = (body.len() as u16).to_be_bytes().to_vec();
        tls.extend(body);
        Some(tls)
    })
    .unwrap()
}

#[test]
fn scts() {
    let root = TrustedRoot::production().unwrap();
    let at_cap = LeafCertificate::parse(&leaf_with_scts(MAX_SCTS)).unwrap();
    // At the cap the list parses (and fails later: the issuer key is wrong).
    let e = sigverify::sct::verify_embedded_scts(&at_cap, &[], &root.ctlogs).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Sct, "{e}");
    let over_der = leaf_with_scts(MAX_SCTS + 1);
    let over = LeafCertificate::parse(&over_der).unwrap();
    assert_limit("SCTs", over_der.len(), 64 * KIB, || {
        sigverify::sct::verify_embedded_scts(&over, &[], &root.ctlogs)
    });
}

/// A token of `case` whose SignedData.certificates holds `n` copies of its first certificate.
fn token_with_certs(case: &str, n: usize) -> (Vec<u8>, Vec<u8>) {
    let b = bundle_json(case);
    let der = b64(
        b["verificationMaterial"]["timestampVerificationData"]["rfc3161Timestamps"][0]
            ["signedTimestamp"]
            .as_str()
            .unwrap(),
    );
    let sig = b64(b["messageSignature"]["signature"].as_str().unwrap());
    let (_, resp, _, _) = tlv(&der).unwrap();
    let [(_, _, status), (_, ci, _)] = children(resp).unwrap()[..] else {
        panic!("TimeStampResp")
    };
    let [(_, _, oid), (_, wrapped, _)] = children(ci).unwrap()[..] else {
        panic!("ContentInfo")
    };
    let (_, sd, _, _) = tlv(wrapped).unwrap();
    let mut sd_out = Vec::new();
    for (tag, content, raw) in children(sd).unwrap() {
        if tag == 0xa0 {
            let (_, _, first, _) = tlv(content).unwrap();
            sd_out.extend(enc(0xa0, &first.repeat(n)));
        } else {
            sd_out.extend_from_slice(raw);
        }
    }
    let mut ci_out = oid.to_vec();
    ci_out.extend(enc(0xa0, &enc(0x30, &sd_out)));
    let mut resp_out = status.to_vec();
    resp_out.extend(enc(0x30, &ci_out));
    (enc(0x30, &resp_out), sig)
}

#[test]
fn token_certificates() {
    let case = "rekor2-timestamp-with-embedded-cert";
    let root =
        TrustedRoot::from_json(&read(&format!("conformance/{case}/trusted_root.json"))).unwrap();
    let tsas = TimestampAuthorities::new(&root.timestamp_authorities).unwrap();
    let (ok, sig) = token_with_certs(case, 1);
    tsas.verify(&ok, &sig).unwrap();
    let (at_cap, _) = token_with_certs(case, MAX_TOKEN_CERTIFICATES);
    tsas.verify(&at_cap, &sig).unwrap();
    let (over, _) = token_with_certs(case, MAX_TOKEN_CERTIFICATES + 1);
    assert_limit("token certificates", over.len(), 16 * KIB, || {
        tsas.verify(&over, &sig)
    });
}

// ---------------------------------------------------------------------------
// Trusted roots (trusted input, still bounded).

const ROOT_MT: &str = r#""mediaType":"application/vnd.dev.sigstore.trustedroot+json;version=0.1""#;

#[test]
fn trusted_root_size_depth_and_lists() {
    let big = vec![b' '; MAX_TRUSTED_ROOT_BYTES + 1];
    assert_limit("trusted root size", big.len(), KIB, || {
        TrustedRoot::from_json(&big)
    });
    let deep = format!(
        "{{{ROOT_MT},\"tlogs\":{}",
        "[".repeat(MAX_TRUSTED_ROOT_DEPTH)
    );
    assert_limit("trusted root depth", deep.len(), KIB, || {
        TrustedRoot::from_json(deep.as_bytes())
    });
    for list in [
        "tlogs",
        "ctlogs",
        "certificateAuthorities",
        "timestampAuthorities",
    ] {
        let over = repeated(&format!("{{{ROOT_MT},\"{list}\":["), "{}", 100_000, "]}");
        assert_limit(list, over.len(), 256 * KIB, || {
            TrustedRoot::from_json(&over)
        });
        let at_cap = repeated(
            &format!("{{{ROOT_MT},\"{list}\":["),
            "{}",
            MAX_TRUSTED_ROOT_ENTRIES,
            "]}",
        );
        assert_ne!(
            TrustedRoot::from_json(&at_cap).unwrap_err().kind(),
            ErrorKind::Limit
        );
    }
    let chain = repeated(
        &format!("{{{ROOT_MT},\"certificateAuthorities\":[{{\"certChain\":{{\"certificates\":["),
        r#"{"rawBytes":"AAAA"}"#,
        MAX_CA_CERTIFICATES + 1,
        "]}}]}",
    );
    assert_limit("certChain", chain.len(), 64 * KIB, || {
        TrustedRoot::from_json(&chain)
    });
}

// ---------------------------------------------------------------------------
// A whole verification stays small too.

#[test]
fn verification_peak_memory() {
    let verifier = Verifier::production().unwrap();
    let bundle = read("conformance/happy-path-v0.3/bundle.sigstore.json");
    let artifact = Artifact::from_bytes(&read("conformance/a.txt"));
    let policy = Policy::identity(
        "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main",
        "https://token.actions.githubusercontent.com",
    );
    let (r, used) = peak(|| verifier.verify_json(&bundle, &artifact, &policy));
    r.unwrap();
    assert!(
        used < 2 * MIB,
        "verifying a {}-byte bundle peaked at {used} bytes",
        bundle.len()
    );
}

/// Errors quote input, but never much of it: a huge attacker-chosen media type
/// comes back as a short message.
#[test]
fn error_messages_stay_short() {
    let huge = format!(
        "{{\"mediaType\":\"{}\",\"verificationMaterial\":{{}}}}",
        "v".repeat(8 * MIB)
    );
    let e = Bundle::from_json(huge.as_bytes()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::UnsupportedVersion, "{e}");
    assert!(
        e.to_string().len() < 4 * KIB,
        "{} bytes",
        e.to_string().len()
    );
}

/// Choosing which digests to stream (`Artifact::hashes_needed`) reads the DSSE
/// payload before any signature is checked, so it goes through the capped
/// statement parser: an 8 MiB statement of tiny subjects or of more subjects than
/// allowed costs a bounded amount of memory (a whole JSON tree of the first
/// cost ~180 times its size) and asks for every algorithm.
#[test]
fn hashes_needed_on_a_hostile_statement() {
    let mut bundle = parse_bundle(&read(
        "conformance/happy-path-intoto-in-dsse-v3/bundle.sigstore.json",
    ))
    .unwrap();
    let statement = |item: &str| {
        let n = 8 * MIB / (item.len() + 1);
        repeated(
            r#"{"_type":"https://in-toto.io/Statement/v1","predicateType":"p","subject":["#,
            item,
            n,
            "]}",
        )
    };
    for payload in [
        statement(r#"{"a":0}"#),
        statement(r#"{"digest":{"sha512":"00"}}"#),
    ] {
        let len = payload.len();
        match &mut bundle.content {
            sigverify::bundle::Content::Dsse(env) => env.payload = payload,
            sigverify::bundle::Content::MessageSignature(_) => unreachable!("a DSSE case"),
        }
        let (algs, used) = peak(|| Artifact::hashes_needed(&bundle));
        assert_eq!(algs.len(), 3, "{len}-byte statement");
        assert!(
            used < MIB,
            "{len}-byte statement: peak heap growth {used} bytes"
        );
    }
}

/// A Rekor v2 body that differs from the rebuilt one is described field by
/// field only when it is about the rebuilt one's size: the mismatch is found
/// before the entry's proof is checked, and a JSON tree of an 8 MiB body of
/// tiny objects would cost gigabytes.
#[test]
fn v2_body_mismatch_on_a_huge_body() {
    let mut b = bundle_json("rekor2-happy-path");
    let body = repeated("[", r#"{"":0}"#, 8 * MIB / 7, "]");
    let body_len = body.len();
    b["verificationMaterial"]["tlogEntries"][0]["canonicalizedBody"] =
        sigverify::encoding::b64_encode(&body).into();
    let bundle = serde_json::to_vec(&b).unwrap();
    drop(body);
    let root =
        TrustedRoot::from_json(&read("conformance/rekor2-happy-path/trusted_root.json")).unwrap();
    let verifier = Verifier::new(root).unwrap();
    let artifact = Artifact::from_bytes(&read("conformance/a.txt"));
    let policy = Policy::identity(
        "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main",
        "https://token.actions.githubusercontent.com",
    );
    let (r, used) = peak(|| verifier.verify_json(&bundle, &artifact, &policy));
    let e = r.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::TlogBodyMismatch, "{e}");
    assert!(e.to_string().contains("not compared field by field"), "{e}");
    assert!(
        used < 4 * body_len,
        "peak heap growth {used} bytes for a {body_len}-byte body"
    );
}
