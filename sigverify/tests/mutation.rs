//! Mutation campaign (issue 7): every passing vector of the conformance corpus
//! and of our own corpus is mutated systematically, and every mutant must be
//! rejected unless it is provably semantically neutral.
//!
//! Operators (each applied at every applicable place of every bundle):
//! * `drop`, `duplicate`, `retype` (null, true, 0, -1, "", "AAAA", [], {}),
//!   `unknown-field`, `snake-case` on every JSON member and array element;
//! * `int64`: 0, -1, ±1, i64 limits, overflow, float and malformed forms of
//!   `logIndex`, `integratedTime`, `treeSize`;
//! * `bitflip`: one bit of each decoded byte of every base64 field (large
//!   fields sampled; `MUTATION_FULL=1` flips every byte), `b64-form` variants;
//! * `relabel`: the media type set to every other version and to near misses;
//! * `swap`: any field replaced by the same field of another bundle (any vector,
//!   passing or failing); `graft`: a member this bundle lacks added from
//!   another bundle (a second oneof member, a SET on a Rekor v2 entry, ...);
//!   `append`: list elements of other bundles appended (entries, tokens, ...);
//! * `proof-hashes`: reordered, rotated, truncated, extended;
//! * `checkpoint`: the note altered line by line (delete, duplicate, swap,
//!   whitespace, character and signature-bit changes);
//! * `sct`: the leaf's embedded SCT list stripped, emptied, duplicated;
//! * `format` / `text`: re-indentation, key order, escapes, truncation, garbage.
//!
//! Expectations come from a reference model written here, independently of the
//! library: [`normalize`] reads a (mutated) bundle with protobuf-JSON semantics
//! into the facts that can matter, and [`judge`] decides whether those facts are
//! the original ones up to the neutral classes below, and if so whether what
//! remains still meets its version's rules and every threshold ([`model`]).
//! Anything else must be rejected. Neutral classes, each justified by the SPEC:
//! 1. Encoding: whitespace, member order, string escapes, base64 padding and
//!    URL-safe alphabet and line breaks, int64 as JSON string or number (with
//!    leading zeros), `null` for an absent field (SPEC §2). Same JSON data.
//! 2. Ignored unauthenticated fields: the DSSE `keyid` (§3.5); a `publicKey.hint`
//!    that is not a 32-byte fingerprint or names the supplied key (§11.5);
//!    `integratedTime` of an entry without a SET or of a Rekor v2 entry (§8.1);
//!    the top-level `logIndex` of a Rekor v1 entry without a SET (its proof binds
//!    the shard index only; the result marks such indexes, see
//!    `VerifiedEntry::log_index`); entries of logs absent from the trusted root
//!    (§4.6); a v0.1 inclusion proof without a checkpoint (§3.3 note 1);
//!    a Rekor v2 `canonicalizedBody`, which is rebuilt from the bundle (§6.4);
//!    extra chain certificates that are not self-signed (§9.1).
//!    (The DSSE `envelopeHash` and intoto `hash` are ignored too, §6.3.2, but they
//!    sit inside the log-signed body: changing them breaks the SET and the proof.)
//!    The unauthenticated parts of an RFC 3161 token's CMS envelope: certificates
//!    other than the signer's (and the signer's own, when the trusted root pins it),
//!    CRLs, unsigned attributes (§7).
//! 3. Checkpoint signature lines that do not belong to the entry's log (witness
//!    cosignatures, other keys), identical duplicates of the log's line, line
//!    order, and the key name on Rekor v1 notes (§6.7.2): not part of the
//!    signed note text and not used to verify it.
//! 4. Removing or duplicating evidence (a SET, an inclusion proof or its
//!    checkpoint in v0.1, an RFC 3161 timestamp, an entry): accepted exactly when
//!    what remains meets the version's rules (§3.3) and the thresholds (§6.8,
//!    §8.2); removing evidence cannot vouch for anything new, and duplicates count
//!    once.
//! 5. Media-type relabel among the four accepted types when the bundle also
//!    satisfies the target version's rules (§3.2, §3.3, §15.10).
//!
//! A neutral mutant must verify, and its result must claim nothing the original
//! did not (same signer, key, statement; verified times, entries and SCTs a
//! subset of the original's). Some neutral mutants may also be rejected: `null`
//! for a present field (the library reads protobuf-JSON `null` as absent only
//! where it must), ignored entries and proofs that must still be well-formed,
//! and tokens whose embedded signer certificate no longer matches (they verify
//! only where the trusted root pins the TSA certificate).
//!
//! Environment: `MUTATION_FULL=1` (every byte, every donor), `MUTATION_STATS=1`
//! (time per operator), `MUTATION_VERBOSE=1` (list neutral mutants),
//! `MUTATION_DUMP=DIR` (write wrongly accepted mutants to DIR).

use base64::Engine;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use base64::engine::{DecodePaddingMode, general_purpose};
use sigverify::{Artifact, Policy, TrustedRoot, Verified, Verifier};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

mod support;
use support::der::{children, tlv, with_sct_list};

// ---------------------------------------------------------------------------
// A JSON tree that keeps member order and allows duplicate members.

#[derive(Clone, Debug, PartialEq)]
enum J {
    Null,
    Bool(bool),
    Num(serde_json::Number),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<(String, J)>),
}

impl J {
    fn from_value(v: &serde_json::Value) -> J {
        use serde_json::Value as V;
        match v {
            V::Null => J::Null,
            V::Bool(b) => J::Bool(*b),
            V::Number(n) => J::Num(n.clone()),
            V::String(s) => J::Str(s.clone()),
            V::Array(a) => J::Arr(a.iter().map(J::from_value).collect()),
            V::Object(o) => J::Obj(
                o.iter()
                    .map(|(k, v)| (k.clone(), J::from_value(v)))
                    .collect(),
            ),
        }
    }

    fn int(n: i64) -> J {
        J::Num(n.into())
    }

    fn str(s: impl Into<String>) -> J {
        J::Str(s.into())
    }

    fn write(&self, out: &mut String, indent: Option<usize>) {
        let nl = |out: &mut String, depth: usize| {
            if let Some(step) = indent {
                out.push('\n');
                out.extend(std::iter::repeat_n(' ', step * depth));
            }
        };
        fn go(j: &J, out: &mut String, depth: usize, nl: &dyn Fn(&mut String, usize)) {
            match j {
                J::Null => out.push_str("null"),
                J::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
                J::Num(n) => out.push_str(&n.to_string()),
                J::Str(s) => quote(s, out),
                J::Arr(a) => {
                    out.push('[');
                    for (i, v) in a.iter().enumerate() {
                        if i > 0 {
                            out.push(',');
                        }
                        nl(out, depth + 1);
                        go(v, out, depth + 1, nl);
                    }
                    if !a.is_empty() {
                        nl(out, depth);
                    }
                    out.push(']');
                }
                J::Obj(o) => {
                    out.push('{');
                    for (i, (k, v)) in o.iter().enumerate() {
                        if i > 0 {
                            out.push(',');
                        }
                        nl(out, depth + 1);
                        quote(k, out);
                        out.push(':');
                        go(v, out, depth + 1, nl);
                    }
                    if !o.is_empty() {
                        nl(out, depth);
                    }
                    out.push('}');
                }
            }
        }
        go(self, out, 0, &nl);
    }

    fn text(&self) -> String {
        let mut s = String::new();
        self.write(&mut s, None);
        s
    }

    fn pretty(&self) -> String {
        let mut s = String::new();
        self.write(&mut s, Some(2));
        s
    }

    fn reversed(&self) -> J {
        match self {
            J::Arr(a) => J::Arr(a.iter().map(J::reversed).collect()),
            J::Obj(o) => J::Obj(
                o.iter()
                    .rev()
                    .map(|(k, v)| (k.clone(), v.reversed()))
                    .collect(),
            ),
            other => other.clone(),
        }
    }
}

/// A JSON string literal; the common case (no escapes needed) without serde.
fn quote(s: &str, out: &mut String) {
    if s.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
        out.push('"');
        out.push_str(s);
        out.push('"');
    } else {
        out.push_str(&serde_json::to_string(s).unwrap());
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Seg {
    K(String),
    I(usize),
}

type JPath = Vec<Seg>;

/// Every node's path (root excluded), parents before children.
fn paths(j: &J) -> Vec<JPath> {
    fn go(j: &J, prefix: &mut JPath, out: &mut Vec<JPath>) {
        match j {
            J::Arr(a) => {
                for (i, v) in a.iter().enumerate() {
                    prefix.push(Seg::I(i));
                    out.push(prefix.clone());
                    go(v, prefix, out);
                    prefix.pop();
                }
            }
            J::Obj(o) => {
                for (k, v) in o {
                    prefix.push(Seg::K(k.clone()));
                    out.push(prefix.clone());
                    go(v, prefix, out);
                    prefix.pop();
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    go(j, &mut Vec::new(), &mut out);
    out
}

fn at<'a>(j: &'a J, p: &[Seg]) -> Option<&'a J> {
    p.iter().try_fold(j, |node, seg| match (node, seg) {
        (J::Obj(o), Seg::K(k)) => o.iter().find(|(n, _)| n == k).map(|(_, v)| v),
        (J::Arr(a), Seg::I(i)) => a.get(*i),
        _ => None,
    })
}

fn at_mut<'a>(j: &'a mut J, p: &[Seg]) -> Option<&'a mut J> {
    p.iter().try_fold(j, |node, seg| match (node, seg) {
        (J::Obj(o), Seg::K(k)) => o.iter_mut().find(|(n, _)| n == k).map(|(_, v)| v),
        (J::Arr(a), Seg::I(i)) => a.get_mut(*i),
        _ => None,
    })
}

/// `a.b[].c` form of a path, indices elided.
fn pattern(p: &[Seg]) -> String {
    let mut s = String::new();
    for seg in p {
        match seg {
            Seg::K(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            Seg::I(_) => s.push_str("[]"),
        }
    }
    s
}

fn show(p: &[Seg]) -> String {
    let mut s = String::new();
    for seg in p {
        match seg {
            Seg::K(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            Seg::I(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

fn replaced(j: &J, p: &[Seg], v: J) -> J {
    let mut out = j.clone();
    *at_mut(&mut out, p).unwrap() = v;
    out
}

fn edited(j: &J, p: &[Seg], f: impl FnOnce(&mut J)) -> J {
    let mut out = j.clone();
    f(at_mut(&mut out, p).unwrap());
    out
}

/// Remove the member or element at `p`.
fn removed(j: &J, p: &[Seg]) -> J {
    let (last, parent) = p.split_last().unwrap();
    edited(j, parent, |node| match (node, last) {
        (J::Obj(o), Seg::K(k)) => o.retain(|(n, _)| n != k),
        (J::Arr(a), Seg::I(i)) => {
            a.remove(*i);
        }
        _ => unreachable!(),
    })
}

/// Insert a copy of the member or element at `p` right after it.
fn duplicated(j: &J, p: &[Seg]) -> J {
    let (last, parent) = p.split_last().unwrap();
    edited(j, parent, |node| match (node, last) {
        (J::Obj(o), Seg::K(k)) => {
            let i = o.iter().position(|(n, _)| n == k).unwrap();
            let m = o[i].clone();
            o.insert(i + 1, m);
        }
        (J::Arr(a), Seg::I(i)) => {
            let v = a[*i].clone();
            a.insert(*i + 1, v);
        }
        _ => unreachable!(),
    })
}

// ---------------------------------------------------------------------------
// Base64 as protobuf JSON reads it, and DER editing for the SCT operators.

const PAD_INDIFFERENT: GeneralPurposeConfig =
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent);
const STD_ANY_PAD: GeneralPurpose =
    GeneralPurpose::new(&base64::alphabet::STANDARD, PAD_INDIFFERENT);
const URL_ANY_PAD: GeneralPurpose =
    GeneralPurpose::new(&base64::alphabet::URL_SAFE, PAD_INDIFFERENT);

/// protojson `bytes`: standard or URL-safe alphabet, padding optional, CR/LF skipped.
fn b64(s: &str) -> Option<Vec<u8>> {
    let s: String = s.chars().filter(|c| !matches!(c, '\r' | '\n')).collect();
    STD_ANY_PAD
        .decode(&s)
        .or_else(|_| URL_ANY_PAD.decode(&s))
        .ok()
}

fn b64e(b: &[u8]) -> String {
    STANDARD.encode(b)
}

/// The SCTs of a TLS `SignedCertificateTimestampList`.
fn sct_items(list: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut rest = list.get(2..).unwrap_or(&[]);
    while rest.len() >= 2 {
        let n = usize::from(u16::from_be_bytes([rest[0], rest[1]]));
        let Some(item) = rest.get(2..2 + n) else {
            break;
        };
        out.push(item.to_vec());
        rest = &rest[2 + n..];
    }
    out
}

fn sct_list(items: &[Vec<u8>]) -> Vec<u8> {
    let mut body = Vec::new();
    for i in items {
        body.extend((i.len() as u16).to_be_bytes());
        body.extend(i);
    }
    let mut out = (body.len() as u16).to_be_bytes().to_vec();
    out.extend(body);
    out
}

// ---------------------------------------------------------------------------
// The reference model.

/// What the trusted root says about a Rekor log, for checkpoint lines (§6.7.2).
struct LogFacts {
    hint: [u8; 4],
    origin: String,
}

/// What a case's expectations depend on besides the bundle.
struct Facts {
    keyless: bool,
    key_fingerprint: Option<Vec<u8>>,
    logs: HashMap<Vec<u8>, LogFacts>,
}

#[derive(Clone, Debug, PartialEq)]
struct NBundle {
    version: u8,
    material: NMaterial,
    entries: Vec<NEntry>,
    timestamps: Vec<Vec<u8>>,
    content: NContent,
}

#[derive(Clone, Debug, PartialEq)]
enum NMaterial {
    /// `hint`: the fingerprint it claims, `None` for a hint of another shape.
    Key { hint: Option<Vec<u8>> },
    Cert {
        chain_form: bool,
        leaf: Vec<u8>,
        extras: Vec<Vec<u8>>,
    },
}

/// The DSSE `keyid` is validated as a string and dropped (neutral class 2).
#[derive(Clone, Debug, PartialEq)]
enum NContent {
    Msg {
        alg: String,
        digest: Vec<u8>,
        sig: Vec<u8>,
    },
    Dsse {
        payload: Vec<u8>,
        payload_type: String,
        sigs: Vec<Vec<u8>>,
    },
}

#[derive(Clone, Debug, PartialEq)]
struct NEntry {
    log_index: i64,
    log_id: Vec<u8>,
    kind: String,
    version: String,
    integrated_time: i64,
    set: Option<Vec<u8>>,
    proof: Option<NProof>,
    body: Vec<u8>,
}

impl NEntry {
    fn rekor_v2(&self) -> bool {
        self.version == "0.0.2" && matches!(self.kind.as_str(), "hashedrekord" | "dsse")
    }
}

#[derive(Clone, Debug, PartialEq)]
struct NProof {
    log_index: i64,
    root: Vec<u8>,
    tree_size: i64,
    hashes: Vec<Vec<u8>>,
    checkpoint: NCheckpoint,
}

#[derive(Clone, Debug, PartialEq)]
enum NCheckpoint {
    Absent,
    /// The signed text and the log's own signature lines (name kept for Rekor v2,
    /// where it must equal the origin; ignored for Rekor v1).
    Note {
        text: String,
        log_lines: BTreeSet<(Option<String>, Vec<u8>)>,
    },
    Malformed,
}

type Fields<'a> = BTreeMap<&'a str, &'a J>;

/// An object's members: known names only, no duplicates (§2).
fn fields<'a>(j: &'a J, known: &[&str]) -> Option<Fields<'a>> {
    let J::Obj(members) = j else { return None };
    let mut f = BTreeMap::new();
    for (k, v) in members {
        if !known.contains(&k.as_str()) || f.insert(k.as_str(), v).is_some() {
            return None;
        }
    }
    Some(f)
}

/// A member, with `null` read as absent.
fn opt<'a>(f: &Fields<'a>, k: &str) -> Option<&'a J> {
    f.get(k).copied().filter(|v| **v != J::Null)
}

fn string(v: Option<&J>) -> Option<String> {
    match v {
        None => Some(String::new()),
        Some(J::Str(s)) => Some(s.clone()),
        _ => None,
    }
}

fn bytes(v: Option<&J>) -> Option<Vec<u8>> {
    match v {
        None => Some(Vec::new()),
        Some(J::Str(s)) => b64(s),
        _ => None,
    }
}

/// protobuf int64: a JSON number or a string of decimal digits (§2).
fn int64(v: Option<&J>) -> Option<i64> {
    match v {
        None => Some(0),
        Some(J::Num(n)) => n.as_i64(),
        Some(J::Str(s)) => {
            let digits = s.strip_prefix('-').unwrap_or(s);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            s.parse().ok()
        }
        _ => None,
    }
}

fn list(v: Option<&J>) -> Option<&[J]> {
    match v {
        None => Some(&[]),
        Some(J::Arr(a)) => Some(a),
        _ => None,
    }
}

/// Read a bundle the way SPEC §2-§3 define it; `None` = malformed.
fn normalize(j: &J, facts: &Facts) -> Option<NBundle> {
    let f = fields(
        j,
        &[
            "mediaType",
            "verificationMaterial",
            "messageSignature",
            "dsseEnvelope",
        ],
    )?;
    let version = match string(opt(&f, "mediaType"))?.as_str() {
        "application/vnd.dev.sigstore.bundle+json;version=0.1" => 1,
        "application/vnd.dev.sigstore.bundle+json;version=0.2" => 2,
        "application/vnd.dev.sigstore.bundle+json;version=0.3"
        | "application/vnd.dev.sigstore.bundle.v0.3+json" => 3,
        _ => return None,
    };
    let vm = fields(
        opt(&f, "verificationMaterial")?,
        &[
            "publicKey",
            "x509CertificateChain",
            "certificate",
            "tlogEntries",
            "timestampVerificationData",
        ],
    )?;
    let material = match (
        opt(&vm, "publicKey"),
        opt(&vm, "x509CertificateChain"),
        opt(&vm, "certificate"),
    ) {
        (Some(k), None, None) => {
            let hint = string(opt(&fields(k, &["hint"])?, "hint"))?;
            NMaterial::Key {
                hint: b64(&hint).filter(|h| h.len() == 32),
            }
        }
        (None, Some(c), None) => {
            let certs = list(opt(&fields(c, &["certificates"])?, "certificates"))?
                .iter()
                .map(|c| bytes(opt(&fields(c, &["rawBytes"])?, "rawBytes")))
                .collect::<Option<Vec<_>>>()?;
            let (leaf, extras) = certs.split_first()?;
            NMaterial::Cert {
                chain_form: true,
                leaf: leaf.clone(),
                extras: extras.to_vec(),
            }
        }
        (None, None, Some(c)) => NMaterial::Cert {
            chain_form: false,
            leaf: bytes(opt(&fields(c, &["rawBytes"])?, "rawBytes"))?,
            extras: Vec::new(),
        },
        _ => return None,
    };
    let entries = list(opt(&vm, "tlogEntries"))?
        .iter()
        .map(|e| entry(e, facts))
        .collect::<Option<Vec<_>>>()?;
    let timestamps = match opt(&vm, "timestampVerificationData") {
        None => Vec::new(),
        Some(t) => list(opt(
            &fields(t, &["rfc3161Timestamps"])?,
            "rfc3161Timestamps",
        ))?
        .iter()
        .map(|t| bytes(opt(&fields(t, &["signedTimestamp"])?, "signedTimestamp")))
        .collect::<Option<Vec<_>>>()?,
    };
    let content = match (opt(&f, "messageSignature"), opt(&f, "dsseEnvelope")) {
        (Some(m), None) => {
            let m = fields(m, &["messageDigest", "signature"])?;
            let d = fields(opt(&m, "messageDigest")?, &["algorithm", "digest"])?;
            NContent::Msg {
                alg: string(opt(&d, "algorithm"))?,
                digest: bytes(opt(&d, "digest"))?,
                sig: bytes(opt(&m, "signature"))?,
            }
        }
        (None, Some(d)) => {
            let d = fields(d, &["payload", "payloadType", "signatures"])?;
            let sigs = list(opt(&d, "signatures"))?
                .iter()
                .map(|s| {
                    let s = fields(s, &["sig", "keyid"])?;
                    string(opt(&s, "keyid"))?;
                    bytes(opt(&s, "sig"))
                })
                .collect::<Option<Vec<_>>>()?;
            NContent::Dsse {
                payload: bytes(opt(&d, "payload"))?,
                payload_type: string(opt(&d, "payloadType"))?,
                sigs,
            }
        }
        _ => return None,
    };
    Some(NBundle {
        version,
        material,
        entries,
        timestamps,
        content,
    })
}

fn entry(e: &J, facts: &Facts) -> Option<NEntry> {
    let f = fields(
        e,
        &[
            "logIndex",
            "logId",
            "kindVersion",
            "integratedTime",
            "inclusionPromise",
            "inclusionProof",
            "canonicalizedBody",
        ],
    )?;
    let log_id = match opt(&f, "logId") {
        None => Vec::new(),
        Some(l) => bytes(opt(&fields(l, &["keyId"])?, "keyId"))?,
    };
    let (kind, version) = match opt(&f, "kindVersion") {
        None => (String::new(), String::new()),
        Some(kv) => {
            let kv = fields(kv, &["kind", "version"])?;
            (string(opt(&kv, "kind"))?, string(opt(&kv, "version"))?)
        }
    };
    let set = match opt(&f, "inclusionPromise") {
        None => None,
        Some(p) => Some(bytes(opt(
            &fields(p, &["signedEntryTimestamp"])?,
            "signedEntryTimestamp",
        ))?),
    };
    let mut n = NEntry {
        log_index: int64(opt(&f, "logIndex"))?,
        log_id,
        kind,
        version,
        integrated_time: int64(opt(&f, "integratedTime"))?,
        set,
        proof: None,
        body: bytes(opt(&f, "canonicalizedBody"))?,
    };
    if let Some(p) = opt(&f, "inclusionProof") {
        let p = fields(
            p,
            &["logIndex", "rootHash", "treeSize", "hashes", "checkpoint"],
        )?;
        let envelope = match opt(&p, "checkpoint") {
            None => String::new(),
            Some(c) => string(opt(&fields(c, &["envelope"])?, "envelope"))?,
        };
        n.proof = Some(NProof {
            log_index: int64(opt(&p, "logIndex"))?,
            root: bytes(opt(&p, "rootHash"))?,
            tree_size: int64(opt(&p, "treeSize"))?,
            hashes: list(opt(&p, "hashes"))?
                .iter()
                .map(|h| match h {
                    J::Str(s) => b64(s),
                    _ => None,
                })
                .collect::<Option<Vec<_>>>()?,
            checkpoint: checkpoint(&envelope, facts.logs.get(&n.log_id), n.rekor_v2()),
        });
    }
    Some(n)
}

/// A checkpoint per SPEC §6.7: the signed text plus the log's own lines.
fn checkpoint(envelope: &str, log: Option<&LogFacts>, rekor_v2: bool) -> NCheckpoint {
    if envelope.is_empty() {
        return NCheckpoint::Absent;
    }
    let Some(log) = log else {
        return NCheckpoint::Note {
            text: envelope.to_string(),
            log_lines: BTreeSet::new(),
        };
    };
    let parse = || -> Option<NCheckpoint> {
        if envelope.chars().any(|c| c.is_control() && c != '\n') {
            return None;
        }
        let cut = envelope.rfind("\n\n")?;
        let (text, block) = (&envelope[..cut + 1], &envelope[cut + 2..]);
        let block = block.strip_suffix('\n').filter(|b| !b.is_empty())?;
        let mut log_lines = BTreeSet::new();
        let lines: Vec<&str> = block.split('\n').collect();
        if lines.len() > 100 {
            return None;
        }
        for line in lines {
            let (name, sig) = line.strip_prefix("\u{2014} ")?.split_once(' ')?;
            if name.is_empty() || name.contains(char::is_whitespace) || name.contains('+') {
                return None;
            }
            let raw = STANDARD.decode(sig).ok().filter(|r| r.len() >= 5)?;
            let (id, sig) = raw.split_at(4);
            if id == log.hint && (!rekor_v2 || name == log.origin) {
                log_lines.insert((rekor_v2.then(|| name.to_string()), sig.to_vec()));
            }
        }
        let note: Vec<&str> = text[..text.len() - 1].split('\n').collect();
        let [origin, size, root, ext @ ..] = note.as_slice() else {
            return None;
        };
        let size_ok = !size.is_empty()
            && size.bytes().all(|b| b.is_ascii_digit())
            && (*size == "0" || !size.starts_with('0'))
            && size.parse::<u64>().is_ok();
        let root_ok = STANDARD.decode(root).is_ok_and(|r| r.len() == 32);
        if origin.is_empty() || !size_ok || !root_ok || ext.iter().any(|l| l.is_empty()) {
            return None;
        }
        Some(NCheckpoint::Note {
            text: text.to_string(),
            log_lines,
        })
    };
    parse().unwrap_or(NCheckpoint::Malformed)
}

/// An RFC 3161 token split into what is authenticated and what is not: the
/// signed core (status, TSTInfo, SignerInfo without unsigned attributes, and the
/// CMS fields the verifier checks), the embedded certificate the signer
/// identifier names, and everything else (other certificates, CRLs).
#[derive(Debug, PartialEq)]
struct NToken {
    core: Vec<Vec<u8>>,
    signer: Option<Vec<u8>>,
    others: Vec<Vec<u8>>,
}

fn token(der: &[u8]) -> Option<NToken> {
    let (0x30, resp, _, []) = tlv(der)? else {
        return None;
    };
    let [(0x30, _, status), (0x30, ci, _)] = children(resp)?[..] else {
        return None;
    };
    let [(0x06, _, content_type), (0xa0, sd, _)] = children(ci)?[..] else {
        return None;
    };
    let [(0x30, sd, _)] = children(sd)?[..] else {
        return None;
    };
    let sd = children(sd)?;
    let (first, rest) = sd.split_at_checked(3)?;
    let mut core: Vec<Vec<u8>> = vec![status.to_vec(), content_type.to_vec()];
    core.extend(first.iter().map(|c| c.2.to_vec()));
    let mut certs = Vec::new();
    let mut others = Vec::new();
    let mut signer_infos = None;
    for &(tag, content, raw) in rest {
        match tag {
            0xa0 => certs = children(content)?.into_iter().map(|c| c.2).collect(),
            0xa1 => others.push(raw.to_vec()),
            0x31 => signer_infos = Some(content),
            _ => return None,
        }
    }
    let [(0x30, si, _)] = children(signer_infos?)?[..] else {
        return None;
    };
    let si = children(si)?;
    core.extend(si.iter().filter(|c| c.0 != 0xa1).map(|c| c.2.to_vec()));
    let sid = si.get(1)?;
    let issuer_serial = match sid.0 {
        0x30 => match children(sid.1)?[..] {
            [(_, _, issuer), (_, _, serial)] => Some((issuer, serial)),
            _ => return None,
        },
        _ => None,
    };
    let names = |cert: &[u8]| -> Option<(Vec<u8>, Vec<u8>)> {
        let (_, c, _, _) = tlv(cert)?;
        let (_, tbs, _, _) = tlv(c)?;
        let f = children(tbs)?;
        let skip = usize::from(f.first()?.0 == 0xa0);
        Some((f.get(skip + 2)?.2.to_vec(), f.get(skip)?.2.to_vec()))
    };
    let mut signer = None;
    for c in certs {
        let is_signer = match issuer_serial {
            Some((i, s)) => names(c).is_some_and(|(ci, cs)| ci == i && cs == s),
            // A key-identifier sid: treat every certificate as possibly the signer.
            None => true,
        };
        if is_signer && signer.is_none() {
            signer = Some(c.to_vec());
        } else {
            others.push(c.to_vec());
        }
    }
    Some(NToken {
        core,
        signer,
        others,
    })
}

/// A certificate's raw issuer and subject names.
fn cert_names(der: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
    let (0x30, cert, _, []) = tlv(der)? else {
        return None;
    };
    let (_, tbs, _, _) = tlv(cert)?;
    let f = children(tbs)?;
    let skip = usize::from(f.first()?.0 == 0xa0);
    Some((f.get(skip + 2)?.2.to_vec(), f.get(skip + 4)?.2.to_vec()))
}

/// What the model says about a mutant.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Verdict {
    Reject,
    Accept,
    /// Neutral, but the verifier may also refuse it (e.g. it may need material
    /// the trusted root does not pin).
    MayAccept,
}

/// Whether mutant `m` of original `o` must verify, may verify or must be rejected.
fn judge(m: &NBundle, o: &NBundle, facts: &Facts) -> Verdict {
    let mut may = false;
    match (&m.material, &o.material) {
        (NMaterial::Key { hint: mh }, NMaterial::Key { hint: oh }) => {
            if mh != oh && mh.is_some() && *mh != facts.key_fingerprint {
                return Verdict::Reject;
            }
        }
        (
            NMaterial::Cert {
                leaf: ml,
                extras: me,
                ..
            },
            NMaterial::Cert {
                leaf: ol,
                extras: oe,
                ..
            },
        ) => {
            if ml != ol {
                return Verdict::Reject;
            }
            // §9.1: extra chain certificates are ignored unless self-signed (a root).
            for x in me.iter().filter(|x| !oe.contains(x)) {
                match cert_names(x) {
                    Some((issuer, subject)) if issuer != subject => {}
                    _ => return Verdict::Reject,
                }
            }
        }
        _ => return Verdict::Reject,
    }
    if m.content != o.content {
        return Verdict::Reject;
    }
    for t in m.timestamps.iter().filter(|t| !o.timestamps.contains(t)) {
        // Only the unauthenticated parts of the CMS envelope may differ (neutral class 6).
        let Some(nt) = token(t) else {
            return Verdict::Reject;
        };
        let Some(ot) = o
            .timestamps
            .iter()
            .filter_map(|t| token(t))
            .find(|ot| ot.core == nt.core)
        else {
            return Verdict::Reject;
        };
        match (&nt.signer, &ot.signer) {
            (a, b) if a == b => may |= nt.others != ot.others,
            // The embedded signer certificate no longer matches the signer identifier:
            // verifiable only against a TSA certificate the trusted root pins.
            (None, Some(_)) => may = true,
            _ => return Verdict::Reject,
        }
    }
    for e in &m.entries {
        // §4.6: an entry of a log the trusted root does not know is ignored. It
        // still has to be well-formed, which the model does not fully replicate.
        if !facts.logs.contains_key(&e.log_id) {
            may = true;
            continue;
        }
        // The top-level logIndex of a Rekor v1 entry is authenticated by its SET only:
        // without one it is unverifiable metadata (the proof binds the shard index).
        let index_authenticated = e.set.is_some() || e.rekor_v2();
        let Some(oe) = o.entries.iter().find(|oe| {
            (&oe.log_id, &oe.kind, &oe.version) == (&e.log_id, &e.kind, &e.version)
                && (oe.log_index == e.log_index || !index_authenticated)
        }) else {
            return Verdict::Reject;
        };
        if (e.set.is_some() && e.set != oe.set)
            || (e.body != oe.body && !(e.rekor_v2() && e.body.is_empty()))
            || (e.integrated_time != oe.integrated_time && !(e.rekor_v2() || e.set.is_none()))
        {
            return Verdict::Reject;
        }
        match (&e.proof, &oe.proof) {
            (None, _) => {}
            // §3.3 note 1: in v0.1 a proof without a checkpoint is ignored (after its
            // structural checks, which the model does not fully replicate).
            (Some(p), _) if m.version == 1 && p.checkpoint == NCheckpoint::Absent => may = true,
            (Some(p), Some(op)) => {
                let without_checkpoint = NProof {
                    checkpoint: op.checkpoint.clone(),
                    ..p.clone()
                };
                if p != op && !(p.checkpoint == NCheckpoint::Absent && without_checkpoint == *op) {
                    return Verdict::Reject;
                }
            }
            (Some(_), None) => return Verdict::Reject,
        }
    }
    match (model(m, facts), may) {
        (false, _) => Verdict::Reject,
        (true, false) => Verdict::Accept,
        (true, true) => Verdict::MayAccept,
    }
}

/// SPEC §3.3, §3.6, §6.2, §6.8, §8.2 over evidence known to be individually valid.
fn model(m: &NBundle, facts: &Facts) -> bool {
    if m.version == 3
        && matches!(
            m.material,
            NMaterial::Cert {
                chain_form: true,
                ..
            }
        )
    {
        return false;
    }
    let mut logs = BTreeSet::new();
    let mut time_logs = BTreeSet::new();
    for (i, e) in m.entries.iter().enumerate() {
        if m.entries[..i]
            .iter()
            .any(|p| p.log_id == e.log_id && p.log_index == e.log_index)
        {
            return false;
        }
        // §3.6: structural checks hold even for fields nothing else reads.
        if e.set.as_ref().is_some_and(Vec::is_empty) || e.integrated_time < 0 || e.log_index < 0 {
            return false;
        }
        let proven = e
            .proof
            .as_ref()
            .is_some_and(|p| p.checkpoint != NCheckpoint::Absent);
        let promised = e.set.is_some() && !e.rekor_v2();
        let version_ok = match m.version {
            1 => e.set.is_some(),
            _ => proven,
        };
        if !version_ok || (e.rekor_v2() && !proven) || !(promised || proven) {
            return false;
        }
        if facts.logs.contains_key(&e.log_id) {
            logs.insert(&e.log_id);
            if promised {
                time_logs.insert(&e.log_id);
            }
        }
    }
    // Every token of one bundle comes from one authority, so tokens add one time.
    let times = time_logs.len() + usize::from(!m.timestamps.is_empty());
    !logs.is_empty() && (!facts.keyless || times >= 1)
}

/// An accepted neutral mutant may claim nothing the original did not.
fn claims_subset(r: &Verified, o: &Verified) -> Result<(), String> {
    let id = |v: &Verified| {
        v.identity
            .as_ref()
            .map(|i| (i.sans.clone(), i.issuer.clone(), i.certificate_der.clone()))
    };
    if r.mode != o.mode || r.key_fingerprint != o.key_fingerprint || id(r) != id(o) {
        return Err("different signer".into());
    }
    if r.statement != o.statement || r.dsse_payload != o.dsse_payload {
        return Err("different statement".into());
    }
    if !r
        .verified_times
        .iter()
        .all(|t| o.verified_times.contains(t))
    {
        return Err(format!("new verified time: {:?}", r.verified_times));
    }
    // `VerifiedEntry::log_index` is authenticated only with a SET or for Rekor v2.
    let known = |e: &sigverify::tlog::VerifiedEntry| {
        o.tlog_entries.iter().any(|x| {
            (&x.log_id, &x.kind, &x.version) == (&e.log_id, &e.kind, &e.version)
                && (x.log_index == e.log_index || !(e.set_verified || e.rekor_v2))
        })
    };
    if !r.tlog_entries.iter().all(known) {
        return Err("new tlog entry".into());
    }
    if !r.scts.iter().all(|s| o.scts.contains(s)) {
        return Err("new SCT".into());
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Cases.

fn vectors() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../test-vectors")
}

struct Case {
    name: String,
    doc: J,
    root: PathBuf,
    artifact: Artifact,
    policy: Arc<Policy>,
    facts: Facts,
    /// Root, policy and artifact bytes: vectors with equal contexts may stand in
    /// for each other.
    context: Vec<u8>,
}

fn load_cases() -> Vec<Case> {
    let mut out = Vec::new();
    for corpus in ["conformance", "ours"] {
        let dir = vectors().join(corpus);
        let m: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
        for c in m["cases"].as_array().unwrap() {
            if c["expect"] != "pass" {
                continue;
            }
            let s = |k: &str| c[k].as_str().map(str::to_string);
            let bundle: serde_json::Value =
                serde_json::from_slice(&std::fs::read(dir.join(s("bundle").unwrap())).unwrap())
                    .unwrap();
            let root = dir.join(s("trusted_root").unwrap());
            let root_json: serde_json::Value =
                serde_json::from_slice(&std::fs::read(&root).unwrap()).unwrap();
            let key = s("key").map(|k| std::fs::read(dir.join(k)).unwrap());
            let policy = match &key {
                Some(pem) => Policy::public_key(pem).unwrap(),
                None => Policy::identity(s("identity").unwrap(), s("issuer").unwrap()),
            };
            let mut logs = HashMap::new();
            for t in root_json["tlogs"].as_array().into_iter().flatten() {
                let id = b64(t["logId"]["keyId"].as_str().unwrap()).unwrap();
                let hint_src = t["checkpointKeyId"]["keyId"]
                    .as_str()
                    .and_then(b64)
                    .unwrap_or_else(|| id.clone());
                let base = t["baseUrl"].as_str().unwrap_or("");
                let host = base.split_once("://").map_or(base, |(_, r)| r);
                let origin = host.split(['/', '?', '#']).next().unwrap().to_string();
                let hint = hint_src[..4].try_into().unwrap();
                logs.insert(id, LogFacts { hint, origin });
            }
            let artifact_bytes = std::fs::read(dir.join(s("artifact").unwrap())).unwrap();
            let mut context = serde_json::to_vec(&root_json).unwrap();
            context.extend(key.clone().unwrap_or_default());
            context.extend(format!("{:?}{:?}", s("identity"), s("issuer")).into_bytes());
            context.extend(&artifact_bytes);
            out.push(Case {
                context,
                name: format!("{corpus}/{}", s("name").unwrap()),
                doc: J::from_value(&bundle),
                root,
                artifact: Artifact::from_bytes(
                    &std::fs::read(dir.join(s("artifact").unwrap())).unwrap(),
                ),
                policy: Arc::new(policy),
                facts: Facts {
                    keyless: key.is_none(),
                    key_fingerprint: None,
                    logs,
                },
            });
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Mutation operators.

/// How a mutant is judged.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Judge {
    /// By the reference model on this tree.
    Model,
    /// By the model, but a rejection is fine too (`null` for a present field).
    ModelOrReject,
    /// Always rejected (malformed text).
    Reject,
}

struct Mutant {
    op: &'static str,
    what: String,
    text: String,
    tree: Option<J>,
    judge: Judge,
}

struct Gen {
    out: Vec<Mutant>,
    seen: HashSet<u64>,
    full: bool,
    salt: usize,
}

impl Gen {
    fn push_text(
        &mut self,
        op: &'static str,
        what: String,
        text: String,
        tree: Option<J>,
        judge: Judge,
    ) {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        text.hash(&mut h);
        if self.seen.insert(h.finish()) {
            self.out.push(Mutant {
                op,
                what,
                text,
                tree,
                judge,
            });
        }
    }

    fn push(&mut self, op: &'static str, what: String, tree: J) {
        let text = tree.text();
        self.push_text(op, what, text, Some(tree), Judge::Model);
    }

    fn push_judged(&mut self, op: &'static str, what: String, tree: J, judge: Judge) {
        let text = tree.text();
        self.push_text(op, what, text, Some(tree), judge);
    }

    /// Byte positions to flip: every byte in full mode, otherwise the first and
    /// last four and a spread of about `sample` more (offset per vector, so the
    /// vectors together cover more positions).
    fn positions(&self, n: usize, sample: usize) -> Vec<usize> {
        if self.full || n <= sample.max(8) {
            return (0..n).collect();
        }
        let stride = n.div_ceil(sample);
        let mut v: Vec<usize> = (0..4).chain(n - 4..n).collect();
        v.extend((self.salt % stride..n).step_by(stride));
        v.sort_unstable();
        v.dedup();
        v
    }
}

const BYTES_FIELDS: &[&str] = &[
    "verificationMaterial.x509CertificateChain.certificates[].rawBytes",
    "verificationMaterial.certificate.rawBytes",
    "verificationMaterial.tlogEntries[].logId.keyId",
    "verificationMaterial.tlogEntries[].inclusionPromise.signedEntryTimestamp",
    "verificationMaterial.tlogEntries[].inclusionProof.rootHash",
    "verificationMaterial.tlogEntries[].inclusionProof.hashes[]",
    "verificationMaterial.tlogEntries[].canonicalizedBody",
    "verificationMaterial.timestampVerificationData.rfc3161Timestamps[].signedTimestamp",
    "verificationMaterial.publicKey.hint",
    "messageSignature.messageDigest.digest",
    "messageSignature.signature",
    "dsseEnvelope.payload",
    "dsseEnvelope.signatures[].sig",
];

const INT64_FIELDS: &[&str] = &[
    "verificationMaterial.tlogEntries[].logIndex",
    "verificationMaterial.tlogEntries[].integratedTime",
    "verificationMaterial.tlogEntries[].inclusionProof.logIndex",
    "verificationMaterial.tlogEntries[].inclusionProof.treeSize",
];

const MEDIA_TYPES: &[&str] = &[
    "application/vnd.dev.sigstore.bundle+json;version=0.1",
    "application/vnd.dev.sigstore.bundle+json;version=0.2",
    "application/vnd.dev.sigstore.bundle+json;version=0.3",
    "application/vnd.dev.sigstore.bundle.v0.3+json",
    "application/vnd.dev.sigstore.bundle+json;version=0.4",
    "application/vnd.dev.sigstore.bundle+json;version=99.9",
    "application/vnd.dev.sigstore.bundle.v0.1+json",
    "application/vnd.dev.sigstore.bundle.v0.2+json",
    "application/vnd.dev.sigstore.bundle.v0.4+json",
    "application/vnd.dev.sigstore.bundle+json;version=0.3 ",
    "application/vnd.dev.sigstore.bundle+json; version=0.3",
    "APPLICATION/VND.DEV.SIGSTORE.BUNDLE+JSON;VERSION=0.3",
    "application/vnd.dev.sigstore.bundle+json",
    "application/vnd.dev.sigstore.trustedroot+json;version=0.1",
];

fn snake(k: &str) -> String {
    let mut s = String::new();
    for c in k.chars() {
        if c.is_ascii_uppercase() {
            s.push('_');
            s.push(c.to_ascii_lowercase());
        } else {
            s.push(c);
        }
    }
    s
}

/// A bundle from any vector, passing or failing, to take field values from.
struct Donor {
    name: String,
    doc: J,
}

/// Every bundle of both corpora that is JSON at all.
fn load_donors() -> Vec<Donor> {
    let mut out = Vec::new();
    for corpus in ["conformance", "ours"] {
        let dir = vectors().join(corpus);
        let m: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
        for c in m["cases"].as_array().unwrap() {
            let bytes = std::fs::read(dir.join(c["bundle"].as_str().unwrap())).unwrap();
            if let Ok(v) = serde_json::from_slice::<serde_json::Value>(&bytes) {
                out.push(Donor {
                    name: format!("{corpus}/{}", c["name"].as_str().unwrap()),
                    doc: J::from_value(&v),
                });
            }
        }
    }
    out
}

fn generate(ci: usize, cases: &[Case], all_donors: &[Donor], full: bool) -> Vec<Mutant> {
    let case = &cases[ci];
    let doc = &case.doc;
    let mut g = Gen {
        out: Vec::new(),
        seen: HashSet::new(),
        full,
        salt: ci,
    };
    // A "mutant" whose text is the original's is no mutant.
    let mut h = std::collections::hash_map::DefaultHasher::new();
    doc.text().hash(&mut h);
    g.seen.insert(h.finish());
    let all = paths(doc);

    // Generic structural operators on every member and element.
    let retypes = [
        ("null", J::Null),
        ("true", J::Bool(true)),
        ("0", J::int(0)),
        ("-1", J::int(-1)),
        ("\"\"", J::str("")),
        ("\"AAAA\"", J::str("AAAA")),
        ("[]", J::Arr(Vec::new())),
        ("{}", J::Obj(Vec::new())),
    ];
    for p in &all {
        g.push("drop", show(p), removed(doc, p));
        g.push("duplicate", show(p), duplicated(doc, p));
        for (label, r) in &retypes {
            if at(doc, p) != Some(r) {
                let judge = if *r == J::Null {
                    Judge::ModelOrReject
                } else {
                    Judge::Model
                };
                g.push_judged(
                    "retype",
                    format!("{} = {label}", show(p)),
                    replaced(doc, p, r.clone()),
                    judge,
                );
            }
        }
    }
    for p in std::iter::once(Vec::new()).chain(all.iter().cloned()) {
        if let Some(J::Obj(members)) = at(doc, &p) {
            g.push(
                "unknown-field",
                format!("{}.sigverifyMutant", show(&p)),
                edited(doc, &p, |n| {
                    if let J::Obj(o) = n {
                        o.push(("sigverifyMutant".into(), J::int(1)));
                    }
                }),
            );
            for (k, _) in members {
                let s = snake(k);
                if s != *k {
                    g.push(
                        "snake-case",
                        format!("{}.{s}", show(&p)),
                        edited(doc, &p, |n| {
                            if let J::Obj(o) = n {
                                for m in o.iter_mut().filter(|m| m.0 == *k) {
                                    m.0 = s.clone();
                                }
                            }
                        }),
                    );
                }
            }
        }
    }

    // int64 fields.
    for p in all
        .iter()
        .filter(|p| INT64_FIELDS.contains(&pattern(p).as_str()))
    {
        let cur = int64(at(doc, p)).unwrap();
        let values = [
            J::str("0"),
            J::int(0),
            J::str("-1"),
            J::int(-1),
            J::str("1"),
            J::str((cur + 1).to_string()),
            J::str((cur - 1).to_string()),
            J::int(cur + 1),
            J::int(cur),
            J::str(format!("0{cur}")),
            J::str(format!("+{cur}")),
            J::str(format!(" {cur}")),
            J::str(format!("{cur}.0")),
            J::Num(serde_json::Number::from_f64(cur as f64 + 0.5).unwrap()),
            J::str(format!("{cur}e0")),
            J::str(i64::MAX.to_string()),
            J::str(i64::MIN.to_string()),
            J::str("9223372036854775808"),
            J::Num(u64::MAX.into()),
            J::str("18446744073709551616"),
            J::str((1u64 << 63).to_string()),
            J::str("0x10"),
        ];
        for v in values {
            g.push(
                "int64",
                format!("{} = {}", show(p), v.text()),
                replaced(doc, p, v),
            );
        }
    }

    // Base64 fields: bit flips of the decoded bytes, and encoding forms.
    for p in all
        .iter()
        .filter(|p| BYTES_FIELDS.contains(&pattern(p).as_str()))
    {
        let Some(J::Str(s)) = at(doc, p) else {
            continue;
        };
        let Some(raw) = b64(s) else { continue };
        // Proof hashes all take the same path: a few bytes of each suffice.
        let (sample, repeated) = match p.last() {
            Some(Seg::I(i)) => (4, *i > 0),
            _ => (48, false),
        };
        for i in g.positions(raw.len(), sample) {
            let mut flipped = raw.clone();
            flipped[i] ^= 1 << (i % 8);
            g.push(
                "bitflip",
                format!("{} byte {i}", show(p)),
                replaced(doc, p, J::str(b64e(&flipped))),
            );
        }
        let std = b64e(&raw);
        let forms = [
            ("unpadded", std.trim_end_matches('=').to_string()),
            ("url-safe", general_purpose::URL_SAFE.encode(&raw)),
            (
                "url-safe unpadded",
                general_purpose::URL_SAFE_NO_PAD.encode(&raw),
            ),
            ("wrapped LF", wrap(&std, "\n")),
            ("wrapped CRLF", wrap(&std, "\r\n")),
            ("inner space", insert_mid(&std, " ")),
            ("inner star", insert_mid(&std, "*")),
            ("extra padding", format!("{std}=")),
            ("trailing bits", trailing_bits(&std)),
            ("truncated", std[..std.len().saturating_sub(4)].to_string()),
            ("doubled", format!("{std}{std}")),
        ];
        for (label, form) in forms.into_iter().filter(|_| !repeated || full) {
            g.push(
                "b64-form",
                format!("{} {label}", show(p)),
                replaced(doc, p, J::str(form)),
            );
        }
    }

    // Media type relabels.
    let mt = vec![Seg::K("mediaType".into())];
    for m in MEDIA_TYPES {
        g.push("relabel", (*m).to_string(), replaced(doc, &mt, J::str(*m)));
    }

    // Swap any field with the same field of another bundle, passing or failing
    // (up to eight distinct values per field unless in full mode); graft members
    // this bundle lacks from the same place in other bundles (a second oneof
    // member, a SET or an integrated time on a Rekor v2 entry, ...); append list
    // elements of other bundles (a second entry, token, certificate, hash).
    // A rotating subset of donors unless in full mode (comparing subtrees is slow in debug builds).
    let n = all_donors.len();
    let donors: Vec<&Donor> = (0..n)
        .map(|k| &all_donors[(ci * 11 + k) % n])
        .filter(|d| d.doc != *doc)
        .take(if full { n } else { 24 })
        .collect();
    let cap = if full { usize::MAX } else { 8 };
    for p in all.iter().filter(|p| matches!(at(doc, p), Some(J::Arr(_)))) {
        let Some(J::Arr(mine)) = at(doc, p) else {
            continue;
        };
        let mut extra: Vec<(&J, &str)> = Vec::new();
        for donor in &donors {
            if let Some(J::Arr(theirs)) = at(&donor.doc, p) {
                for v in theirs {
                    if !mine.contains(v) && !extra.iter().any(|(w, _)| *w == v) {
                        extra.push((v, &donor.name));
                    }
                }
            }
        }
        for (v, from) in extra.into_iter().take(cap) {
            g.push(
                "append",
                format!("{}[+] from {from}", show(p)),
                edited(doc, p, |n| {
                    if let J::Arr(a) = n {
                        a.push(v.clone());
                    }
                }),
            );
        }
    }
    for p in &all {
        let mut values: Vec<(&J, &str)> = Vec::new();
        for donor in &donors {
            if let Some(v) = at(&donor.doc, p)
                && Some(v) != at(doc, p)
                && !values.iter().any(|(w, _)| *w == v)
            {
                values.push((v, &donor.name));
            }
        }
        for (v, from) in values.into_iter().take(cap) {
            g.push(
                "swap",
                format!("{} from {from}", show(p)),
                replaced(doc, p, v.clone()),
            );
        }
    }
    for p in std::iter::once(Vec::new()).chain(all.iter().cloned()) {
        let Some(J::Obj(mine)) = at(doc, &p) else {
            continue;
        };
        let mut grafts: Vec<(&String, &J, &str)> = Vec::new();
        for donor in &donors {
            if let Some(J::Obj(theirs)) = at(&donor.doc, &p) {
                for (k, v) in theirs {
                    if !mine.iter().any(|(n, _)| n == k) && !grafts.iter().any(|(n, _, _)| *n == k)
                    {
                        grafts.push((k, v, &donor.name));
                    }
                }
            }
        }
        for (k, v, from) in grafts {
            g.push(
                "graft",
                format!("{}.{k} from {from}", show(&p)),
                edited(doc, &p, |n| {
                    if let J::Obj(o) = n {
                        o.push((k.clone(), v.clone()));
                    }
                }),
            );
        }
    }
    // Integrated times on entries that carry none (Rekor v2): never a time source.
    for p in all
        .iter()
        .filter(|p| pattern(p) == "verificationMaterial.tlogEntries[]")
    {
        if let Some(J::Obj(o)) = at(doc, p)
            && !o.iter().any(|(k, _)| k == "integratedTime")
        {
            for v in [
                J::str("0"),
                J::str("1"),
                J::str("1700000000"),
                J::int(4_102_444_800),
                J::str("-1"),
            ] {
                g.push(
                    "int64",
                    format!("{}.integratedTime = {} added", show(p), v.text()),
                    edited(doc, p, |n| {
                        if let J::Obj(o) = n {
                            o.push(("integratedTime".into(), v.clone()));
                        }
                    }),
                );
            }
        }
    }

    // Proof hashes: reorder, rotate, truncate, extend.
    for p in all
        .iter()
        .filter(|p| pattern(p) == "verificationMaterial.tlogEntries[].inclusionProof.hashes")
    {
        let Some(J::Arr(h)) = at(doc, p) else {
            continue;
        };
        let mut variants: Vec<(String, Vec<J>)> = Vec::new();
        for i in 0..h.len().saturating_sub(1) {
            let mut v = h.clone();
            v.swap(i, i + 1);
            variants.push((format!("swap {i},{}", i + 1), v));
        }
        let mut v = h.clone();
        v.reverse();
        variants.push(("reverse".into(), v));
        if !h.is_empty() {
            let mut v = h.clone();
            v.rotate_left(1);
            variants.push(("rotate".into(), v));
            variants.push(("truncate half".into(), h[..h.len() / 2].to_vec()));
            variants.push(("without last".into(), h[..h.len() - 1].to_vec()));
            variants.push(("without first".into(), h[1..].to_vec()));
            let mut v = h.clone();
            v.push(h[0].clone());
            variants.push(("first repeated at end".into(), v));
        }
        let mut v = h.clone();
        v.push(J::str(b64e(&[0; 32])));
        variants.push(("zero hash appended".into(), v));
        let mut v = vec![J::str(b64e(&[0; 32]))];
        v.extend(h.iter().cloned());
        variants.push(("zero hash prepended".into(), v));
        for (label, v) in variants {
            g.push(
                "proof-hashes",
                format!("{} {label}", show(p)),
                replaced(doc, p, J::Arr(v)),
            );
        }
    }

    // Checkpoint notes, line by line.
    for p in all.iter().filter(|p| {
        pattern(p) == "verificationMaterial.tlogEntries[].inclusionProof.checkpoint.envelope"
    }) {
        let Some(J::Str(env)) = at(doc, p) else {
            continue;
        };
        for (label, new) in checkpoint_variants(env) {
            g.push(
                "checkpoint",
                format!("{} {label}", show(p)),
                replaced(doc, p, J::str(new)),
            );
        }
    }

    // Embedded SCTs (the certificate signature covers them, so all are rejected).
    for p in all.iter().filter(|p| {
        let pat = pattern(p);
        pat == "verificationMaterial.certificate.rawBytes"
            || (pat == "verificationMaterial.x509CertificateChain.certificates[].rawBytes"
                && p.get(3) == Some(&Seg::I(0)))
    }) {
        let Some(der) = at(doc, p).and_then(|v| match v {
            J::Str(s) => b64(s),
            _ => None,
        }) else {
            continue;
        };
        type SctEdit<'a> = (&'a str, &'a dyn Fn(&[u8]) -> Option<Vec<u8>>);
        let edits: [SctEdit<'_>; 5] = [
            ("stripped", &|_| None),
            ("emptied", &|_| Some(sct_list(&[]))),
            ("first duplicated", &|l| {
                let mut items = sct_items(l);
                let first = items.first()?.clone();
                items.push(first);
                Some(sct_list(&items))
            }),
            ("first only", &|l| Some(sct_list(sct_items(l).get(..1)?))),
            ("last byte dropped", &|l| {
                l.split_last().map(|(_, r)| r.to_vec())
            }),
        ];
        for (label, f) in edits {
            if let Some(new) = with_sct_list(&der, f) {
                g.push(
                    "sct",
                    format!("{} SCT list {label}", show(p)),
                    replaced(doc, p, J::str(b64e(&new))),
                );
            }
        }
    }

    // Formatting (neutral) and malformed text (rejected).
    let compact = doc.text();
    g.push_text(
        "format",
        "pretty".into(),
        doc.pretty(),
        Some(doc.clone()),
        Judge::Model,
    );
    g.push_text(
        "format",
        "reversed member order".into(),
        doc.reversed().text(),
        Some(doc.clone()),
        Judge::Model,
    );
    g.push_text(
        "format",
        "surrounding whitespace".into(),
        format!(" \n\t{compact}\r\n "),
        Some(doc.clone()),
        Judge::Model,
    );
    g.push_text(
        "format",
        "escaped solidus".into(),
        compact.replace("application/vnd", "application\\/vnd"),
        Some(doc.clone()),
        Judge::Model,
    );
    g.push_text(
        "format",
        "unicode escapes".into(),
        compact.replace("\"mediaType\"", "\"\\u006dedia\\u0054ype\""),
        Some(doc.clone()),
        Judge::Model,
    );
    for k in 1..=12 {
        let cut = compact.len() * k / 13;
        g.push_text(
            "text",
            format!("truncated at {cut}"),
            compact[..cut].to_string(),
            None,
            Judge::Reject,
        );
    }
    for (label, t) in [
        ("trailing garbage", format!("{compact}x")),
        ("second document", format!("{compact}{{}}")),
        ("byte order mark", format!("\u{feff}{compact}")),
        ("wrapped in array", format!("[{compact}]")),
        (
            "trailing comma",
            format!("{},}}", &compact[..compact.len() - 1]),
        ),
        ("NUL appended", format!("{compact}\0")),
    ] {
        g.push_text("text", label.into(), t, None, Judge::Reject);
    }
    g.out
}

fn wrap(s: &str, sep: &str) -> String {
    s.as_bytes()
        .chunks(16)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect::<Vec<_>>()
        .join(sep)
}

fn insert_mid(s: &str, x: &str) -> String {
    let mid = s.len() / 2;
    format!("{}{x}{}", &s[..mid], &s[mid..])
}

/// The same bytes with non-zero padding bits in the last symbol, where there are any.
fn trailing_bits(s: &str) -> String {
    const ALPHA: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let body = s.trim_end_matches('=');
    let pad = s.len() - body.len();
    if pad == 0 {
        return s.to_string();
    }
    let last = body.as_bytes()[body.len() - 1];
    let idx = ALPHA.iter().position(|&c| c == last).unwrap();
    let bumped = ALPHA[idx ^ 1];
    format!(
        "{}{}{}",
        &body[..body.len() - 1],
        bumped as char,
        &s[body.len()..]
    )
}

fn checkpoint_variants(env: &str) -> Vec<(String, String)> {
    let lines: Vec<&str> = env.split_inclusive('\n').collect();
    let join = |v: &[String]| v.concat();
    let owned: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    let mut out = Vec::new();
    for i in 0..owned.len() {
        let mut v = owned.clone();
        v.remove(i);
        out.push((format!("line {i} deleted"), join(&v)));
        let mut v = owned.clone();
        v.insert(i, owned[i].clone());
        out.push((format!("line {i} duplicated"), join(&v)));
        if i + 1 < owned.len() {
            let mut v = owned.clone();
            v.swap(i, i + 1);
            out.push((format!("lines {i},{} swapped", i + 1), join(&v)));
        }
        let mut v = owned.clone();
        v[i] = format!("{} \n", owned[i].trim_end_matches('\n'));
        out.push((format!("line {i} trailing space"), join(&v)));
        let mut v = owned.clone();
        v.insert(i, "\n".into());
        out.push((format!("blank line before {i}"), join(&v)));
        let mut v = owned.clone();
        v[i] = tweak(&owned[i]);
        out.push((format!("line {i} character changed"), join(&v)));
        if let Some(rest) = owned[i].strip_prefix("\u{2014} ") {
            let rest = rest.trim_end_matches('\n');
            let mut v = owned.clone();
            v[i] = format!("- {rest}\n");
            out.push((format!("line {i} hyphen for em dash"), join(&v)));
            if let Some((name, sig)) = rest.split_once(' ')
                && let Ok(raw) = STANDARD.decode(sig)
                && raw.len() >= 5
            {
                for (label, byte) in [("key ID", 0), ("signature", raw.len() - 1)] {
                    let mut r = raw.clone();
                    r[byte] ^= 0x01;
                    let mut v = owned.clone();
                    v[i] = format!("\u{2014} {name} {}\n", b64e(&r));
                    out.push((format!("line {i} {label} bit flipped"), join(&v)));
                }
                let mut v = owned.clone();
                v[i] = format!("\u{2014} renamed.example {sig}\n");
                out.push((format!("line {i} key name changed"), join(&v)));
            }
        }
    }
    out.push((
        "final newline removed".into(),
        env.trim_end_matches('\n').to_string(),
    ));
    out.push(("newline appended".into(), format!("{env}\n")));
    out.push(("CRLF line ends".into(), env.replace('\n', "\r\n")));
    out
}

/// Change the first ASCII letter (case) or digit (+1) of a line.
fn tweak(line: &str) -> String {
    let mut b = line.as_bytes().to_vec();
    if let Some(c) = b.iter_mut().find(|c| c.is_ascii_alphanumeric()) {
        *c = match *c {
            b'0'..=b'8' => *c + 1,
            b'9' => b'0',
            c => c ^ 0x20,
        };
    }
    String::from_utf8(b).unwrap()
}

// ---------------------------------------------------------------------------
// The campaign.

#[derive(Default)]
struct Tally {
    per_op: BTreeMap<&'static str, (usize, std::time::Duration)>,
    rejected: usize,
    neutral: BTreeMap<&'static str, usize>,
    wrong: Vec<String>,
    false_rejects: Vec<String>,
}

/// Judge one mutant, verify it, and record the outcome.
#[allow(clippy::too_many_arguments)]
fn run_one(
    m: &Mutant,
    case: &Case,
    verifier: &Verifier,
    original: &Verified,
    norm: &NBundle,
    siblings: &[NBundle],
    local: &mut Tally,
    dump: Option<&Path>,
    verbose: bool,
) {
    let mut sibling = false;
    let verdict = match (m.judge, &m.tree) {
        (Judge::Reject, _) | (_, None) => Verdict::Reject,
        (j, Some(t)) => match normalize(t, &case.facts) {
            None => Verdict::Reject,
            Some(n) if siblings.contains(&n) => {
                sibling = true;
                Verdict::Accept
            }
            Some(n) => match judge(&n, norm, &case.facts) {
                Verdict::Accept if j == Judge::ModelOrReject => Verdict::MayAccept,
                v => v,
            },
        },
    };
    let t0 = std::time::Instant::now();
    let outcome = verifier.verify_json(m.text.as_bytes(), &case.artifact, &case.policy);
    let slot = local.per_op.entry(m.op).or_default();
    slot.0 += 1;
    slot.1 += t0.elapsed();
    let label = || format!("{}: {} {}", case.name, m.op, m.what);
    match (outcome, verdict) {
        (Err(_), Verdict::Reject | Verdict::MayAccept) => local.rejected += 1,
        (Err(e), Verdict::Accept) => local.false_rejects.push(format!("{}: {e}", label())),
        (Ok(r), Verdict::Accept | Verdict::MayAccept) => {
            match claims_subset(&r, original).or_else(|e| if sibling { Ok(()) } else { Err(e) }) {
                Ok(()) => {
                    *local.neutral.entry(m.op).or_default() += 1;
                    if verbose {
                        println!("neutral {}", label());
                    }
                }
                Err(why) => local.wrong.push(format!("{} ({why})", label())),
            }
        }
        (Ok(_), Verdict::Reject) => {
            if let Some(d) = dump {
                let _ = std::fs::create_dir_all(d);
                let n = local.wrong.len();
                let stem = format!("{}-{}-{n}", case.name.replace('/', "_"), m.op);
                let _ = std::fs::write(d.join(format!("{stem}.json")), &m.text);
                let _ = std::fs::write(d.join(format!("{stem}.txt")), label());
            }
            local.wrong.push(label());
        }
    }
}

#[test]
fn mutation_campaign() {
    let full = std::env::var_os("MUTATION_FULL").is_some();
    let dump = std::env::var_os("MUTATION_DUMP").map(PathBuf::from);
    let verbose = std::env::var_os("MUTATION_VERBOSE").is_some();
    let started = std::time::Instant::now();
    let mut cases = load_cases();
    assert!(
        cases.len() >= 20,
        "only {} passing vectors found",
        cases.len()
    );

    let mut verifiers: HashMap<PathBuf, Arc<Verifier>> = HashMap::new();
    let mut originals = Vec::new();
    for case in &mut cases {
        let verifier = verifiers
            .entry(case.root.clone())
            .or_insert_with(|| {
                let root = TrustedRoot::from_json(&std::fs::read(&case.root).unwrap()).unwrap();
                Arc::new(Verifier::new(root).unwrap())
            })
            .clone();
        let verified = verifier
            .verify_json(case.doc.text().as_bytes(), &case.artifact, &case.policy)
            .unwrap_or_else(|e| panic!("{}: the original does not verify: {e}", case.name));
        if !case.facts.keyless {
            case.facts.key_fingerprint =
                Some(sigverify::encoding::hex_decode(&verified.key_fingerprint).unwrap());
        }
        let norm = normalize(&case.doc, &case.facts)
            .unwrap_or_else(|| panic!("{}: the reference model rejects the original", case.name));
        assert_eq!(
            judge(&norm, &norm, &case.facts),
            Verdict::Accept,
            "{}: the model rejects the original",
            case.name
        );
        originals.push((verifier, verified, norm, Vec::new()));
    }
    // A mutant that turns into another passing vector of the same context (same
    // root, policy and artifact) is that vector, and must verify.
    for (i, case) in cases.iter().enumerate() {
        originals[i].3 = cases
            .iter()
            .enumerate()
            .filter(|(j, c)| *j != i && c.context == case.context)
            .filter_map(|(_, c)| normalize(&c.doc, &case.facts))
            .collect();
    }

    let donors = load_donors();
    let tally = Mutex::new(Tally::default());
    let gen_time = Mutex::new(std::time::Duration::ZERO);
    let threads = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(8);
    // Each worker takes whole vectors: generating is as costly as verifying.
    let total = AtomicUsize::new(0);
    let next_case = AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                let mut local = Tally::default();
                loop {
                    let ci = next_case.fetch_add(1, Ordering::Relaxed);
                    let Some(case) = cases.get(ci) else { break };
                    let t_gen = std::time::Instant::now();
                    let mutants = generate(ci, &cases, &donors, full);
                    *gen_time.lock().unwrap() += t_gen.elapsed();
                    total.fetch_add(mutants.len(), Ordering::Relaxed);
                    let (verifier, original, norm, siblings) = &originals[ci];
                    for m in &mutants {
                        run_one(
                            m,
                            case,
                            verifier,
                            original,
                            norm,
                            siblings,
                            &mut local,
                            dump.as_deref(),
                            verbose,
                        );
                    }
                }
                let mut t = tally.lock().unwrap();
                t.rejected += local.rejected;
                for (k, (n, d)) in local.per_op {
                    let slot = t.per_op.entry(k).or_default();
                    slot.0 += n;
                    slot.1 += d;
                }
                for (k, v) in local.neutral {
                    *t.neutral.entry(k).or_default() += v;
                }
                t.wrong.extend(local.wrong);
                t.false_rejects.extend(local.false_rejects);
            });
        }
    });
    let total = total.into_inner();
    let t = tally.into_inner().unwrap();
    let neutral: usize = t.neutral.values().sum();
    println!(
        "mutants: {} rejected, {} accepted-wrongly",
        t.rejected,
        t.wrong.len()
    );
    println!(
        "neutral mutants accepted as the model predicts: {neutral} {:?}; wrongly rejected: {}; total {total} from {} vectors in {:.1?}",
        t.neutral,
        t.false_rejects.len(),
        cases.len(),
        started.elapsed()
    );
    if std::env::var_os("MUTATION_STATS").is_some() {
        println!("  generating     {:.1?}", gen_time.lock().unwrap());
        for (op, (n, d)) in &t.per_op {
            println!("  {op:14} {n:6} mutants, {d:.1?} verifying");
        }
    }
    let show = |v: &[String]| v.iter().take(400).cloned().collect::<Vec<_>>().join("\n");
    if !t.false_rejects.is_empty() {
        println!("wrongly rejected:\n{}", show(&t.false_rejects));
    }
    assert!(t.wrong.is_empty(), "accepted wrongly:\n{}", show(&t.wrong));
    assert!(
        t.false_rejects.is_empty(),
        "neutral mutants rejected (the model or the verifier is wrong):\n{}",
        show(&t.false_rejects)
    );
    assert!(t.rejected >= 10_000, "only {} mutants rejected", t.rejected);
}
