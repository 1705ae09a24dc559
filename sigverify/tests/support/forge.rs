//! A private Sigstore for tests: our own Fulcio-like CA, CT log, Rekor v2 log
//! and timestamp authority, so that whole bundles can be made for signing keys
//! the public-good instances never produce (Ed25519 and P-384 leaves, managed
//! Ed25519 keys) and verified end to end. Everything is deterministic (fixed
//! key seeds, RFC 6979 ECDSA, Ed25519): a given call makes the same bytes.
//!
//! Formats follow SPEC.md: certificates per §9/§12 (Fulcio extensions, the SCT
//! list last, its precertificate per §10.2), Rekor v2 `hashedrekord` 0.0.2
//! bodies per §6.3.4/§6.3.5 in JCS, signed-note checkpoints per §6.7, RFC 3161
//! responses per §7.1 (SignedData v3, one SignerInfo v1 by issuer and serial,
//! signed attributes sorted as DER requires).
#![allow(dead_code)]

use super::der::enc;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ed25519_dalek::Signer as _;
use sha2::{Digest, Sha256, Sha384, Sha512};

/// Unix time of the signing event: 2026-01-01T00:00:00Z.
pub const SIGNED_AT: u64 = 1_767_225_600;
/// The forged identity and OIDC issuer.
pub const IDENTITY: &str =
    "https://github.com/sigverify/forge/.github/workflows/release.yml@refs/heads/main";
pub const ISSUER: &str = "https://token.forge.test";
const LOG_ORIGIN: &str = "log.forge.test";

pub fn b64(b: &[u8]) -> String {
    STANDARD.encode(b)
}

// ---- DER writing ----

fn cat(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

fn seq(parts: &[&[u8]]) -> Vec<u8> {
    enc(0x30, &cat(parts))
}

/// An OBJECT IDENTIFIER from its dotted form.
pub fn oid(dotted: &str) -> Vec<u8> {
    let arcs: Vec<u64> = dotted.split('.').map(|a| a.parse().unwrap()).collect();
    let mut body = vec![(arcs[0] * 40 + arcs[1]) as u8];
    for &arc in &arcs[2..] {
        let mut chunk = vec![(arc & 0x7f) as u8];
        let mut rest = arc >> 7;
        while rest > 0 {
            chunk.push(0x80 | (rest & 0x7f) as u8);
            rest >>= 7;
        }
        chunk.reverse();
        body.extend(chunk);
    }
    enc(0x06, &body)
}

fn int(v: u64) -> Vec<u8> {
    let bytes = v.to_be_bytes();
    let skip = bytes.iter().take_while(|&&b| b == 0).count().min(7);
    let mut body = bytes[skip..].to_vec();
    if body[0] & 0x80 != 0 {
        body.insert(0, 0);
    }
    enc(0x02, &body)
}

pub fn utf8(s: &str) -> Vec<u8> {
    enc(0x0c, s.as_bytes())
}

fn octets(b: &[u8]) -> Vec<u8> {
    enc(0x04, b)
}

fn bits(b: &[u8]) -> Vec<u8> {
    enc(0x03, &cat(&[&[0], b]))
}

/// A one-byte KeyUsage named-bit list, trailing zero bits dropped as DER requires.
fn key_usage(flags: u8) -> Vec<u8> {
    enc(0x03, &[flags.trailing_zeros() as u8, flags])
}

fn set_of(mut items: Vec<Vec<u8>>) -> Vec<u8> {
    items.sort(); // DER orders SET OF by encoding
    enc(0x31, &items.concat())
}

/// YYYYMMDDHHMMSS of a Unix time (UTC), from the verifier's own RFC 3339
/// formatting (certificates are read back by x509-cert, not by it).
fn civil(t: u64) -> String {
    rfc3339(t).chars().filter(char::is_ascii_digit).collect()
}

fn utc_time(t: u64) -> Vec<u8> {
    enc(0x17, format!("{}Z", &civil(t)[2..]).as_bytes())
}

fn generalized_time(t: u64) -> Vec<u8> {
    enc(0x18, format!("{}Z", civil(t)).as_bytes())
}

/// RFC 3339 form for trusted-root `validFor`.
pub fn rfc3339(t: u64) -> String {
    sigverify::time::Timestamp::from_unix(t as i64).to_rfc3339()
}

fn name(org: &str, cn: &str) -> Vec<u8> {
    let rdn = |o: &str, v: &str| set_of(vec![seq(&[&oid(o), &utf8(v)])]);
    seq(&[&rdn("2.5.4.10", org), &rdn("2.5.4.3", cn)])
}

/// An X.509 extension: OID, criticality, and the DER of its value.
pub fn ext(id: &str, critical: bool, value: &[u8]) -> Vec<u8> {
    if critical {
        seq(&[&oid(id), &[0x01, 0x01, 0xff], &octets(value)])
    } else {
        seq(&[&oid(id), &octets(value)])
    }
}

fn alg(id: &str) -> Vec<u8> {
    seq(&[&oid(id)])
}

fn sha256_alg() -> Vec<u8> {
    alg("2.16.840.1.101.3.4.2.1")
}

// ---- keys ----

/// A signing key of one of the types the forge supports.
pub enum Key {
    P256(p256::ecdsa::SigningKey),
    P384(p384::ecdsa::SigningKey),
    Ed25519(ed25519_dalek::SigningKey),
}

impl Key {
    /// A fixed key derived from `seed` (any byte): the same seed, the same key.
    pub fn p256(seed: u8) -> Key {
        Key::P256(p256::ecdsa::SigningKey::from_slice(&Sha256::digest([b'k', seed])).unwrap())
    }

    pub fn p384(seed: u8) -> Key {
        let d = Sha384::digest([b'k', seed]);
        Key::P384(p384::ecdsa::SigningKey::from_slice(&d).unwrap())
    }

    pub fn ed25519(seed: u8) -> Key {
        let d: [u8; 32] = Sha256::digest([b'e', seed]).into();
        Key::Ed25519(ed25519_dalek::SigningKey::from_bytes(&d))
    }

    /// DER SubjectPublicKeyInfo.
    pub fn spki(&self) -> Vec<u8> {
        const EC: &str = "1.2.840.10045.2.1";
        match self {
            Key::P256(k) => seq(&[
                &seq(&[&oid(EC), &oid("1.2.840.10045.3.1.7")]),
                &bits(k.verifying_key().to_sec1_point(false).as_bytes()),
            ]),
            Key::P384(k) => seq(&[
                &seq(&[&oid(EC), &oid("1.3.132.0.34")]),
                &bits(k.verifying_key().to_sec1_point(false).as_bytes()),
            ]),
            Key::Ed25519(k) => seq(&[&alg("1.3.101.112"), &bits(k.verifying_key().as_bytes())]),
        }
    }

    /// The raw 32-byte Ed25519 key.
    pub fn ed25519_raw(&self) -> [u8; 32] {
        match self {
            Key::Ed25519(k) => k.verifying_key().to_bytes(),
            _ => panic!("not an Ed25519 key"),
        }
    }

    /// The key's natural signature over `msg`: ECDSA (DER) with the curve's
    /// hash, or pure Ed25519.
    pub fn sign(&self, msg: &[u8]) -> Vec<u8> {
        match self {
            Key::P256(k) => {
                let s: p256::ecdsa::Signature = k.sign(msg);
                s.to_der().as_bytes().to_vec()
            }
            Key::P384(k) => {
                let s: p384::ecdsa::Signature = k.sign(msg);
                s.to_der().as_bytes().to_vec()
            }
            Key::Ed25519(k) => k.sign(msg).to_bytes().to_vec(),
        }
    }

    /// What a Sigstore client signs an artifact with (SPEC §5): the natural
    /// signature, except Ed25519ph (SHA-512 prehash, empty context) for Ed25519.
    pub fn sign_artifact(&self, artifact: &[u8]) -> Vec<u8> {
        match self {
            Key::Ed25519(k) => {
                let mut h = Sha512::new();
                h.update(artifact);
                k.sign_prehashed(h, None).unwrap().to_bytes().to_vec()
            }
            _ => self.sign(artifact),
        }
    }

    /// The hash Rekor v2 logs this key's signatures with (SPEC §6.4), as the
    /// protobuf enum name, and that hash of `data`.
    pub fn logged_hash(&self, data: &[u8]) -> (&'static str, Vec<u8>) {
        match self {
            Key::P256(_) => ("SHA2_256", Sha256::digest(data).to_vec()),
            Key::P384(_) => ("SHA2_384", Sha384::digest(data).to_vec()),
            Key::Ed25519(_) => ("SHA2_512", Sha512::digest(data).to_vec()),
        }
    }

    fn key_details(&self) -> &'static str {
        match self {
            Key::P256(_) => "PKIX_ECDSA_P256_SHA_256",
            Key::P384(_) => "PKIX_ECDSA_P384_SHA_384",
            Key::Ed25519(_) => "PKIX_ED25519_PH",
        }
    }

    /// The signature algorithm of certificates this key issues.
    fn cert_sig_alg(&self) -> Vec<u8> {
        match self {
            Key::P256(_) => alg("1.2.840.10045.4.3.2"),
            Key::P384(_) => alg("1.2.840.10045.4.3.3"),
            Key::Ed25519(_) => alg("1.3.101.112"),
        }
    }
}

/// A certificate: `tbs` fields after the signature algorithm, signed by `issuer_key`.
struct CertSpec<'a> {
    serial: u64,
    issuer: &'a [u8],
    not_before: u64,
    not_after: u64,
    subject: &'a [u8],
    spki: &'a [u8],
    extensions: Vec<Vec<u8>>,
}

fn tbs(spec: &CertSpec<'_>, issuer_key: &Key) -> Vec<u8> {
    seq(&[
        &enc(0xa0, &int(2)),
        &int(spec.serial),
        &issuer_key.cert_sig_alg(),
        spec.issuer,
        &seq(&[&utc_time(spec.not_before), &utc_time(spec.not_after)]),
        spec.subject,
        spec.spki,
        &enc(
            0xa3,
            &seq(&spec
                .extensions
                .iter()
                .map(Vec::as_slice)
                .collect::<Vec<_>>()),
        ),
    ])
}

fn sign_tbs(tbs: &[u8], issuer_key: &Key) -> Vec<u8> {
    seq(&[
        tbs,
        &issuer_key.cert_sig_alg(),
        &bits(&issuer_key.sign(tbs)),
    ])
}

fn ca_cert(key: &Key, subject: &[u8], serial: u64, not_after: u64) -> Vec<u8> {
    let spec = CertSpec {
        serial,
        issuer: subject,
        not_before: SIGNED_AT - 365 * 86_400,
        not_after,
        subject,
        spki: &key.spki(),
        extensions: vec![
            ext("2.5.29.15", true, &key_usage(0x06)), // keyCertSign, cRLSign
            ext("2.5.29.19", true, &seq(&[&[0x01, 0x01, 0xff]])),
        ],
    };
    sign_tbs(&tbs(&spec, key), key)
}

// ---- the private Sigstore ----

/// The instance: keys, CA certificates, and the trusted root that names them.
pub struct Forge {
    pub fulcio: Key,
    fulcio_name: Vec<u8>,
    pub fulcio_root: Vec<u8>,
    /// CT logs; every leaf carries one SCT from each.
    pub ct_logs: Vec<Key>,
    pub rekor: Key,
    pub tsa_root_key: Key,
    tsa_root_name: Vec<u8>,
    pub tsa_root: Vec<u8>,
    /// Timestamp authorities under the one TSA root: key and leaf certificate.
    /// Every bundle carries one token from each.
    pub tsas: Vec<(Key, Vec<u8>)>,
    tsa_leaf_serial: u64,
    /// Extensions added to every leaf after the Fulcio ones (see [`ext`]).
    pub extra_leaf_extensions: Vec<Vec<u8>>,
    /// The leaf's URI SANs, in order (Fulcio issues one: [`IDENTITY`]).
    pub leaf_sans: Vec<String>,
    /// What each token's signingCertificate(V2) attributes name as its signer:
    /// one attribute per entry (at most one of each version).
    pub tsa_named_certs: Vec<NamedTsaCert>,
    /// Whether tokens carry the TSA leaf (else only the trusted root has it).
    pub tsa_embeds_leaf: bool,
}

/// The signer certificate a token's signingCertificateV2 attribute names.
#[derive(Clone)]
pub enum NamedTsaCert {
    /// The signing TSA's own leaf, by SHA-256 (the default algorithm, left out).
    Own,
    /// The signing TSA's own leaf, by SHA-384 (algorithm stated).
    OwnSha384,
    /// These certificate bytes, by SHA-256.
    Other(Vec<u8>),
    /// The signing TSA's own leaf, by SHA-1 in a (v1) signingCertificate attribute.
    OwnV1,
    /// These certificate bytes, by SHA-1 in a (v1) signingCertificate attribute.
    OtherV1(Vec<u8>),
    /// No attribute (for a list that says so explicitly).
    Absent,
}

/// Bundle content: a message signature over the artifact, or a DSSE envelope.
#[derive(Clone, Copy)]
pub enum Content<'a> {
    Message,
    Dsse {
        payload_type: &'a str,
        payload: &'a [u8],
    },
}

/// Who signs: a Fulcio certificate for `key`, or `key` itself (managed key).
#[derive(Clone, Copy)]
pub enum Signing {
    Keyless,
    ManagedKey,
}

impl Default for Forge {
    fn default() -> Self {
        Self::new()
    }
}

impl Forge {
    pub fn new() -> Forge {
        Self::with_tsa_root_until(SIGNED_AT + 3650 * 86_400)
    }

    /// The instance with a TSA root certificate valid until `not_after` (its
    /// TSA leaf stays valid for ten years either way).
    pub fn with_tsa_root_until(not_after: u64) -> Forge {
        let fulcio = Key::p384(1);
        let fulcio_name = name("forge.test", "forge-fulcio-root");
        let fulcio_root = ca_cert(&fulcio, &fulcio_name, 1, SIGNED_AT + 3650 * 86_400);
        let tsa_root_key = Key::p384(2);
        let tsa_root_name = name("forge.test", "forge-tsa-root");
        let tsa_root = ca_cert(&tsa_root_key, &tsa_root_name, 2, not_after);
        let mut forge = Forge {
            fulcio,
            fulcio_name,
            fulcio_root,
            ct_logs: vec![Key::p256(4)],
            rekor: Key::ed25519(5),
            tsa_root_key,
            tsa_root_name,
            tsa_root,
            tsas: Vec::new(),
            tsa_leaf_serial: 3,
            extra_leaf_extensions: Vec::new(),
            leaf_sans: vec![IDENTITY.to_string()],
            tsa_named_certs: vec![NamedTsaCert::Own],
            tsa_embeds_leaf: true,
        };
        forge.add_tsa();
        forge
    }

    /// Add a CT log: every leaf gets an SCT from it too.
    pub fn add_ct_log(&mut self) {
        let seed = 40 + self.ct_logs.len() as u8;
        self.ct_logs.push(Key::p256(seed));
    }

    /// Add a timestamp authority with its own key and leaf under the TSA root:
    /// every bundle gets a token from it too.
    pub fn add_tsa(&mut self) {
        let n = self.tsas.len();
        let key = Key::p256(if n == 0 { 3 } else { 60 + n as u8 });
        let subject = name("forge.test", &format!("forge-tsa-{n}"));
        let spec = CertSpec {
            serial: self.tsa_leaf_serial + n as u64,
            issuer: &self.tsa_root_name,
            not_before: SIGNED_AT - 365 * 86_400,
            not_after: SIGNED_AT + 3650 * 86_400,
            subject: &subject,
            spki: &key.spki(),
            extensions: vec![
                ext("2.5.29.15", true, &key_usage(0x80)),
                ext("2.5.29.37", true, &seq(&[&oid("1.3.6.1.5.5.7.3.8")])),
            ],
        };
        let leaf = sign_tbs(&tbs(&spec, &self.tsa_root_key), &self.tsa_root_key);
        self.tsas.push((key, leaf));
    }

    /// The Rekor v2 log ID (SPEC §4.6): SHA-256(origin ‖ LF ‖ 0x01 ‖ key).
    pub fn rekor_log_id(&self) -> [u8; 32] {
        let mut h = Sha256::new();
        h.update(LOG_ORIGIN.as_bytes());
        h.update([0x0a, 0x01]);
        h.update(self.rekor.ed25519_raw());
        h.finalize().into()
    }

    pub fn ct_log_id(log: &Key) -> [u8; 32] {
        Sha256::digest(log.spki()).into()
    }

    /// The URI of timestamp authority `i`.
    pub fn tsa_uri(i: usize) -> String {
        match i {
            0 => "https://tsa.forge.test".into(),
            i => format!("https://tsa{i}.forge.test"),
        }
    }

    /// The trusted root naming every authority of the instance.
    pub fn trusted_root(&self) -> serde_json::Value {
        let start = rfc3339(SIGNED_AT - 365 * 86_400);
        serde_json::json!({
            "mediaType": "application/vnd.dev.sigstore.trustedroot+json;version=0.1",
            "tlogs": [{
                "baseUrl": format!("https://{LOG_ORIGIN}"),
                "hashAlgorithm": "SHA2_256",
                "publicKey": {"rawBytes": b64(&self.rekor.spki()), "keyDetails": "PKIX_ED25519",
                              "validFor": {"start": start}},
                "logId": {"keyId": b64(&self.rekor_log_id())},
            }],
            "certificateAuthorities": [{
                "subject": {"organization": "forge.test", "commonName": "forge-fulcio-root"},
                "uri": "https://fulcio.forge.test",
                "certChain": {"certificates": [{"rawBytes": b64(&self.fulcio_root)}]},
                "validFor": {"start": start},
            }],
            "ctlogs": self.ct_logs.iter().enumerate().map(|(i, log)| serde_json::json!({
                "baseUrl": format!("https://ct{i}.forge.test"),
                "hashAlgorithm": "SHA2_256",
                "publicKey": {"rawBytes": b64(&log.spki()), "keyDetails": "PKIX_ECDSA_P256_SHA_256",
                              "validFor": {"start": start}},
                "logId": {"keyId": b64(&Self::ct_log_id(log))},
            })).collect::<Vec<_>>(),
            "timestampAuthorities": self.tsas.iter().enumerate().map(|(i, (_, leaf))| serde_json::json!({
                "subject": {"organization": "forge.test", "commonName": format!("forge-tsa-{i}")},
                "uri": Self::tsa_uri(i),
                "certChain": {"certificates": [{"rawBytes": b64(leaf)},
                                               {"rawBytes": b64(&self.tsa_root)}]},
                "validFor": {"start": start},
            })).collect::<Vec<_>>(),
        })
    }

    /// A Fulcio leaf for `key`, valid for ten minutes from a minute before
    /// `SIGNED_AT`, with one SCT from the instance's CT log.
    pub fn leaf(&self, key: &Key) -> Vec<u8> {
        let mut extensions = vec![
            ext("2.5.29.15", true, &key_usage(0x80)), // digitalSignature
            ext("2.5.29.37", false, &seq(&[&oid("1.3.6.1.5.5.7.3.3")])), // codeSigning
            ext("2.5.29.17", true, &{
                let uris: Vec<Vec<u8>> = self
                    .leaf_sans
                    .iter()
                    .map(|u| enc(0x86, u.as_bytes()))
                    .collect();
                seq(&uris.iter().map(Vec::as_slice).collect::<Vec<_>>())
            }),
            ext("1.3.6.1.4.1.57264.1.1", false, ISSUER.as_bytes()),
            ext("1.3.6.1.4.1.57264.1.8", false, &utf8(ISSUER)),
        ];
        extensions.extend(self.extra_leaf_extensions.iter().cloned());
        let spki = key.spki();
        let subject = seq(&[]);
        let spec = |extensions| CertSpec {
            serial: 0x1234_5678,
            issuer: &self.fulcio_name,
            not_before: SIGNED_AT - 60,
            not_after: SIGNED_AT + 540,
            subject: &subject,
            spki: &spki,
            extensions,
        };
        // The log signs the precertificate: this TBS without the SCT list.
        let pre_tbs = tbs(&spec(extensions.clone()), &self.fulcio);
        let mut scts = Vec::new();
        for log in &self.ct_logs {
            let sct = self.sct(log, &pre_tbs);
            scts.extend_from_slice(&(sct.len() as u16).to_be_bytes());
            scts.extend(sct);
        }
        let list = cat(&[&(scts.len() as u16).to_be_bytes(), &scts]);
        extensions.push(ext("1.3.6.1.4.1.11129.2.4.2", false, &octets(&list)));
        sign_tbs(&tbs(&spec(extensions), &self.fulcio), &self.fulcio)
    }

    /// An RFC 6962 v1 SCT over a precertificate entry (SPEC §10.2).
    fn sct(&self, log: &Key, pre_tbs: &[u8]) -> Vec<u8> {
        let ts = (SIGNED_AT - 30) * 1000;
        let issuer_key_hash = Sha256::digest(self.fulcio.spki());
        let signed = cat(&[
            &[0, 0], // v1, certificate_timestamp
            &ts.to_be_bytes(),
            &[0, 1], // precert_entry
            &issuer_key_hash,
            &(pre_tbs.len() as u32).to_be_bytes()[1..],
            pre_tbs,
            &[0, 0], // no extensions
        ]);
        let sig = log.sign(&signed);
        cat(&[
            &[0],
            &Self::ct_log_id(log),
            &ts.to_be_bytes(),
            &[0, 0],
            &[4, 3], // SHA-256, ECDSA
            &(sig.len() as u16).to_be_bytes(),
            &sig,
        ])
    }

    /// An RFC 3161 response over `signature` at `gen_time`, by TSA `i`.
    pub fn timestamp(&self, i: usize, signature: &[u8], gen_time: u64) -> Vec<u8> {
        let (tsa, tsa_leaf) = &self.tsas[i];
        let tst_info = seq(&[
            &int(1),
            &oid("1.3.6.1.4.1.57264.2"),
            &seq(&[&sha256_alg(), &octets(&Sha256::digest(signature))]),
            &int(gen_time),
            &generalized_time(gen_time),
        ]);
        let attr = |id: &str, value: &[u8]| seq(&[&oid(id), &set_of(vec![value.to_vec()])]);
        // (attribute OID, ESSCertID(v2)): v2 is .47, the SHA-1 v1 is .12.
        let (v2, v1) = ("1.2.840.113549.1.9.16.2.47", "1.2.840.113549.1.9.16.2.12");
        let ess_cert_id = |named: &NamedTsaCert| match named {
            NamedTsaCert::Own => Some((v2, seq(&[&octets(&Sha256::digest(tsa_leaf))]))),
            NamedTsaCert::OwnSha384 => Some((
                v2,
                seq(&[
                    &alg("2.16.840.1.101.3.4.2.2"),
                    &octets(&Sha384::digest(tsa_leaf)),
                ]),
            )),
            NamedTsaCert::Other(cert) => Some((v2, seq(&[&octets(&Sha256::digest(cert))]))),
            NamedTsaCert::OwnV1 => Some((v1, seq(&[&octets(&sha1::Sha1::digest(tsa_leaf))]))),
            NamedTsaCert::OtherV1(cert) => Some((v1, seq(&[&octets(&sha1::Sha1::digest(cert))]))),
            NamedTsaCert::Absent => None,
        };
        let mut attrs = vec![
            attr("1.2.840.113549.1.9.3", &oid("1.2.840.113549.1.9.16.1.4")),
            attr("1.2.840.113549.1.9.4", &octets(&Sha256::digest(&tst_info))),
        ];
        for (attr_oid, id) in self.tsa_named_certs.iter().filter_map(ess_cert_id) {
            attrs.push(attr(attr_oid, &seq(&[&seq(&[&id])])));
        }
        let attrs = set_of(attrs);
        // Signed as a SET OF (0x31), carried as [0] IMPLICIT.
        let signature_value = tsa.sign(&attrs);
        let signer_info = seq(&[
            &int(1),
            &seq(&[&self.tsa_root_name, &int(self.tsa_leaf_serial + i as u64)]),
            &sha256_alg(),
            &cat(&[&[0xa0], &attrs[1..]]),
            &alg("1.2.840.10045.4.3.2"),
            &octets(&signature_value),
        ]);
        let signed_data = seq(&[
            &int(3),
            &set_of(vec![sha256_alg()]),
            &seq(&[
                &oid("1.2.840.113549.1.9.16.1.4"),
                &enc(0xa0, &octets(&tst_info)),
            ]),
            &if self.tsa_embeds_leaf {
                enc(0xa0, tsa_leaf)
            } else {
                Vec::new()
            },
            &set_of(vec![signer_info]),
        ]);
        let content_info = seq(&[&oid("1.2.840.113549.1.7.2"), &enc(0xa0, &signed_data)]);
        seq(&[&seq(&[&int(0)]), &content_info])
    }

    /// A v0.3 bundle whose one Rekor v2 entry logs `content` signed by `key`,
    /// with an RFC 3161 timestamp: the bundle JSON.
    pub fn bundle(
        &self,
        key: &Key,
        signing: Signing,
        content: Content<'_>,
        artifact: &[u8],
    ) -> Vec<u8> {
        let signature = match content {
            Content::Message => key.sign_artifact(artifact),
            Content::Dsse {
                payload_type,
                payload,
            } => key.sign(&pae(payload_type, payload)),
        };
        self.bundle_with_signature(key, signing, content, artifact, &signature)
    }

    /// As [`Forge::bundle`], with `signature` standing for the artifact or DSSE
    /// signature: logged, timestamped and carried as if it were right.
    pub fn bundle_with_signature(
        &self,
        key: &Key,
        signing: Signing,
        content: Content<'_>,
        artifact: &[u8],
        signature: &[u8],
    ) -> Vec<u8> {
        let signature = signature.to_vec();
        let (digest_alg, logged_digest) = match content {
            Content::Message => key.logged_hash(artifact),
            Content::Dsse {
                payload_type,
                payload,
            } => key.logged_hash(&pae(payload_type, payload)),
        };
        let (material, verifier) = match signing {
            Signing::Keyless => {
                let leaf = self.leaf(key);
                (
                    serde_json::json!({"certificate": {"rawBytes": b64(&leaf)}}),
                    serde_json::json!({"keyDetails": key.key_details(),
                                       "x509Certificate": {"rawBytes": b64(&leaf)}}),
                )
            }
            Signing::ManagedKey => (
                serde_json::json!({"publicKey": {"hint": "forge"}}),
                serde_json::json!({"keyDetails": key.key_details(),
                                   "publicKey": {"rawBytes": b64(&key.spki())}}),
            ),
        };
        let body = jcs(&serde_json::json!({
            "apiVersion": "0.0.2",
            "kind": "hashedrekord",
            "spec": {"hashedRekordV002": {
                "data": {"algorithm": digest_alg, "digest": b64(&logged_digest)},
                "signature": {"content": b64(&signature), "verifier": verifier},
            }},
        }));
        // A two-leaf tree; the entry is leaf 1.
        let other = Sha256::digest(cat(&[&[0], b"another entry"]));
        let leaf_hash = Sha256::digest(cat(&[&[0], body.as_bytes()]));
        let root = Sha256::digest(cat(&[&[1], &other, &leaf_hash]));
        let note = format!("{LOG_ORIGIN}\n2\n{}\n", b64(&root));
        let mut line = self.rekor_log_id()[..4].to_vec();
        line.extend(self.rekor.sign(note.as_bytes()));
        let envelope = format!("{note}\n\u{2014} {LOG_ORIGIN} {}\n", b64(&line));
        let mut bundle = serde_json::json!({
            "mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json",
            "verificationMaterial": material,
        });
        let vm = &mut bundle["verificationMaterial"];
        vm["tlogEntries"] = serde_json::json!([{
            "logIndex": "1",
            "logId": {"keyId": b64(&self.rekor_log_id())},
            "kindVersion": {"kind": "hashedrekord", "version": "0.0.2"},
            "inclusionProof": {
                "logIndex": "1",
                "rootHash": b64(&root),
                "treeSize": "2",
                "hashes": [b64(&other)],
                "checkpoint": {"envelope": envelope},
            },
            "canonicalizedBody": b64(body.as_bytes()),
        }]);
        let tokens: Vec<_> = (0..self.tsas.len())
            .map(|i| {
                let token = self.timestamp(i, &signature, SIGNED_AT + 30 + i as u64);
                serde_json::json!({"signedTimestamp": b64(&token)})
            })
            .collect();
        vm["timestampVerificationData"] = serde_json::json!({"rfc3161Timestamps": tokens});
        match content {
            Content::Message => {
                bundle["messageSignature"] = serde_json::json!({
                    "messageDigest": {"algorithm": digest_alg,
                                      "digest": b64(&key.logged_hash(artifact).1)},
                    "signature": b64(&signature),
                });
            }
            Content::Dsse {
                payload_type,
                payload,
            } => {
                bundle["dsseEnvelope"] = serde_json::json!({
                    "payload": b64(payload),
                    "payloadType": payload_type,
                    "signatures": [{"sig": b64(&signature)}],
                });
            }
        }
        serde_json::to_vec_pretty(&bundle).unwrap()
    }
}

/// DSSE pre-authentication encoding (SPEC §11.3).
pub fn pae(payload_type: &str, payload: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "DSSEv1 {} {} {} ",
        payload_type.len(),
        payload_type,
        payload.len()
    )
    .into_bytes();
    out.extend_from_slice(payload);
    out
}

/// RFC 8785 for what the bodies hold (objects, ASCII strings without escapes):
/// keys sorted, no whitespace.
fn jcs(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            let members: Vec<String> = keys
                .iter()
                .map(|k| format!("\"{k}\":{}", jcs(&map[k.as_str()])))
                .collect();
            format!("{{{}}}", members.join(","))
        }
        serde_json::Value::String(s) => {
            assert!(
                s.bytes().all(|b| b.is_ascii_graphic() || b == b' ') && !s.contains(['"', '\\'])
            );
            format!("\"{s}\"")
        }
        other => panic!("jcs: unexpected {other}"),
    }
}

#[cfg(test)]
mod self_tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil(0), "19700101000000");
        assert_eq!(civil(SIGNED_AT), "20260101000000");
        assert_eq!(civil(951_782_400), "20000229000000");
        assert_eq!(rfc3339(SIGNED_AT + 3661), "2026-01-01T01:01:01Z");
    }

    #[test]
    fn oid_encoding() {
        assert_eq!(
            oid("1.2.840.10045.2.1"),
            [0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01]
        );
    }
}
