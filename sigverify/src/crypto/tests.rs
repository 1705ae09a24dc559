use super::*;

// A P-256 key, signature and message produced once with OpenSSL for these tests.
const EC_SPKI_B64: &str = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE2G2Y+2tabdTV5BcGiBIx0a9fAFwrkBbmLSGtks4L3qX6yYY0zufBnhC8Ur/iy55GhWP/9A/bY2LhC30M9+RYtw==";

#[test]
fn parses_p256_spki() {
    let der = crate::encoding::b64_decode(EC_SPKI_B64).unwrap();
    let k = PublicKey::from_spki_der(&der).unwrap();
    assert_eq!(k.key_type(), KeyType::EcdsaP256);
    assert_eq!(k.spki_der(), &der[..]);
    assert_eq!(
        k.verify(Scheme::Ecdsa(HashAlg::Sha256), b"x", &[0x30, 0x00]),
        Err(CryptoError::BadSignature)
    );
    assert!(matches!(
        k.verify(Scheme::Ed25519, b"x", &[0; 64]),
        Err(CryptoError::Unsupported(_))
    ));
}

#[test]
fn rejects_garbage_keys() {
    assert!(matches!(
        PublicKey::from_spki_der(b"\x30\x03\x02\x01\x01"),
        Err(CryptoError::BadKey(_))
    ));
    assert!(matches!(
        PublicKey::from_spki_der(&[]),
        Err(CryptoError::BadKey(_))
    ));
}

#[test]
fn hashes() {
    assert_eq!(
        crate::encoding::hex_encode(&sha256(b"abc")),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    let d = ArtifactDigests::of(b"abc");
    assert_eq!(d.get(HashAlg::Sha256), &sha256(b"abc"));
    assert_eq!(d.sha384.len(), 48);
    assert_eq!(d.sha512.len(), 64);
}
