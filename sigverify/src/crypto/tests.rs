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

// Cross-backend test vectors, made once with OpenSSL 3.0 on the build machine:
//   printf 'sigverify crypto test vector' > msg
//   openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out p256.key  (also P-384, P-521)
//   openssl genpkey -algorithm ED25519 -out ed.key
//   openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa.key
//   openssl pkey -in K.key -pubout -outform DER [-ec_conv_form compressed]   (SPKI)
//   openssl rsa -in rsa.key -RSAPublicKey_out -outform DER                   (PKCS#1)
//   openssl dgst -shaNNN -sign K.key msg                                     (ECDSA DER, RSA v1.5)
//   openssl pkeyutl -sign -rawin -inkey ed.key -in msg                       (pure Ed25519)
// Both backends must agree on every one of them.
const VEC_MSG: &[u8] = b"sigverify crypto test vector";
const VEC_P256_SPKI: &str = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEYSGLU9AHvtheclUBw/wghcc+446Ku+TnlWaW0GDsMg/VbzMRtIgQfX3FwqJaEn8mZZgXcX41cNplx7ufV3Z0qQ==";
const VEC_P256_SPKI_COMPRESSED: &str =
    "MDkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDIgADYSGLU9AHvtheclUBw/wghcc+446Ku+TnlWaW0GDsMg8=";
const VEC_P384_SPKI: &str = "MHYwEAYHKoZIzj0CAQYFK4EEACIDYgAEZXOCZ9yYyIBNGdq2L4Tp7/e5l5zUcHoj8JMv4BpRWpVaXLDfYiAlPfGKhc6QcxnaTT1S2NwM9yyOsP/cSzfaAmHfxeq6/i3ZAB5yUxPJEX+ys1mSwlp9KNrEWGmHz5+j";
const VEC_P384_SPKI_COMPRESSED: &str = "MEYwEAYHKoZIzj0CAQYFK4EEACIDMgADZXOCZ9yYyIBNGdq2L4Tp7/e5l5zUcHoj8JMv4BpRWpVaXLDfYiAlPfGKhc6Qcxna";
const VEC_P521_SPKI: &str = "MIGbMBAGByqGSM49AgEGBSuBBAAjA4GGAAQAkj/TkJNPxryUDGddHondt0DW/z6pcrv2wSaizQT+5S3nX32qhPvf8KWm+WSsOjRiE7R+rxRBE+eg/WYkYTIQm70AEoTFvfA06rPYOoiHuqAk0PkANr3FjoNDZn2/PgrQsDCc5DezMW5sk3lRRWEZoCGEZYAkcndgueiAww91p7FuPOE=";
const VEC_ED25519_SPKI: &str = "MCowBQYDK2VwAyEAD9WZW/G4MhUmkPZ1mgjPTO+5+JApa5+XT/x8BVRUB3Q=";
const VEC_RSA_PKCS1: &str = "MIIBCgKCAQEArY/J6W2j4/UCtc877BgdbQHPWjGN7GpIiHM9lSyMPqXKzjqF3VZwQQ7ir3n/Ux4ihOgDPnQy3INkZh9Swp3ACDIhKddsRgf8kvG00r41QMhsd5bsMUkRB7tyNPArS86nslw2BLz/4vOEg1SQ5ieCn8JuBeuiGBQwFx5Za5b3/jPQODZWN9TlVhjhmBCse7dAwWRljJCES8AvdgbJFdvGsiDlZmHIfJXAb1sffuyKBVAvSlvIwxfvPxbQhNk65nS5TT0J04CZXClQrZYRq7hEr8/O1Bbamx1ikL3bP2M74ZYqD4eLVNEn6wYtD7qUk5IJdXcYbbpS/kUBR723djY+kwIDAQAB";
// Its s is above n/2: OpenSSL does not normalise, so neither backend may demand low-S.
const VEC_P256_SHA256_SIG: &str = "MEYCIQDoFydWcF8zgxLdpYkizCVflFEbtrrYv0NXCfyq9+7WaQIhALMwRBJXT/KDiPegmX6FMY77VbAlqZ0lGXyiF+/f0ody";
const VEC_P256_SHA512_SIG: &str = "MEUCIQCQLVeiDTSADdMvh0tOvd5QJvYu+hWKtBkJ/k2prjaxPQIgFXV1eQowoPVjv/1fe+/09PYLQ+34OM8W6rjvGAhNEYg=";
const VEC_P384_SHA384_SIG: &str = "MGYCMQCOBAb8xKxSnHE3zJY8buBLKcGnUYlPmHJSxNxoy9FbAFVx1dalmKqblzT/wBVafIECMQD9052EHPiY65hQZ0HsfC0pIPLhaqoy6yjE9dX8sUYjvrkL23zZGuXsfxgVKWTeiLY=";
// P-384 with SHA-256, as the Sigstore TSA signs.
const VEC_P384_SHA256_SIG: &str = "MGUCMQC4893yxo9RdXAcSz3rJVisNJWfTIE/YKLDa1XmCrnILFy08E3WGfhqq7bgPJX0dSECMGE35eL8/+V4HqHAwp9NJ6ku3o9AOTCemmwfuydpazOe2WZTNsKJXprKcPXB7KRtiA==";
const VEC_P521_SHA512_SIG: &str = "MIGIAkIA2O6JzFNQ67D94ng4iUAzrEXPCmiPtq2/6ypKNfGoaoAARIYn3DrMzSN+GtrUe9vbemXdAjlSknNNAyf+dDN+8fgCQgD/OW95OP2Z2HqRxSNHP65TZjP8vvZMHCsjKdqqouhBGgmCdXxp2ixzNxm29HZ0w3qgNgDhzJC4C9wWWUKsfB+o5A==";
const VEC_ED25519_SIG: &str =
    "XZYPdaZ63MqWgrVb8Ow4lqpTAmv4JzKaVeyPCWMfNbh6TSX3aZYk8WvCJD0eMWSy2JJW/hJ7/Gm5fI9od2DcAQ==";
const VEC_RSA_SHA256_SIG: &str = "gSzXYkPs/ijzhr8ijcLdHi631l6mIXdMAT+4UU8bSVaQJU1//MhJgxToRjx42MmefIK6BluEHxM8gn8lovECxzhL99tVOQP9BeHUvRU3Tj/+cEEnvypMyVFZw70BNfqtJsa7gZ62csfTH3w3zS8u45ize3OXgtudo3IgtmeQC+99uyPuZpYY0MUbQKahroYqe/JRxFQa1mN9cwzgoa3zNmO9VaGfiUka59aHrKT03xrh8QXJ6CE9qW4iZMh4DITmp8GtyhlNXQAuvKUPfu4hPXGX/mwPUOsDCbPGRLyadWd/3FweREjedefkDVYrLtW8rRgrNwKe1smaLS7CjrBSnA==";
const VEC_RSA_SHA512_SIG: &str = "ZAd9/uvVXOXYj2ftSOKlXlVeChMq05pkQGgpKikQSssRy8ZWcsuA3SlNh8Q4zCqdTtNKJf3WOBZXYFXyHkqu8mwlKhhHqLcMDOejszheBTnU8Kc4DrxtQqMq5Hm98UgEt5rmr7PzwEDtKfqgQOIJQtnAgihud2qXCOC0qWE7gio8vLL4EoRrDvkhcA8dx9Mv54lFhYGWvVaDduk+TAi8ObSzBSr+6huSQC7AiWz1ynLKVvuNHT6o30wlymT1OWUQnXPQg2U9KxiTa3snbOF9DvQ5vu+hxhyj4I+/iDAEMeCO/fAmeQGrqA7vc6hzrLRkXmrsx8zfCZt42iIQSOmTqw==";

fn b64(s: &str) -> Vec<u8> {
    crate::encoding::b64_decode(s).unwrap()
}

fn spki_key(s: &str) -> PublicKey {
    PublicKey::from_spki_der(&b64(s)).unwrap()
}

fn digest_of(h: HashAlg, msg: &[u8]) -> Vec<u8> {
    h.digest(msg)
}

/// Checks one valid (key, scheme, signature) triple every way both backends must agree on.
fn check_vector(key: &PublicKey, hash: HashAlg, sig: &[u8]) {
    let scheme = Scheme::with_hash(key.key_type(), hash);
    let name = format!("{} {hash:?}", key.key_type().name());
    assert_eq!(key.verify(scheme, VEC_MSG, sig), Ok(()), "{name}");
    assert_eq!(
        key.verify(scheme, b"sigverify crypto test vectoR", sig),
        Err(CryptoError::BadSignature),
        "{name}: wrong message"
    );
    assert_eq!(
        key.verify_digest(scheme, &digest_of(hash, VEC_MSG), sig),
        Ok(()),
        "{name}: digest"
    );
    assert_eq!(
        key.verify_digest(scheme, &digest_of(hash, b"other"), sig),
        Err(CryptoError::BadSignature),
        "{name}: wrong digest"
    );
    // The same signature under every other hash must fail, not verify by accident.
    for other in [HashAlg::Sha256, HashAlg::Sha384, HashAlg::Sha512] {
        if other != hash {
            let s = Scheme::with_hash(key.key_type(), other);
            assert_eq!(
                key.verify(s, VEC_MSG, sig),
                Err(CryptoError::BadSignature),
                "{name}: under {other:?}"
            );
        }
    }
    // A flipped last byte, a truncated and an extended signature never verify.
    let mut flipped = sig.to_vec();
    *flipped.last_mut().unwrap() ^= 1;
    let mut extended = sig.to_vec();
    extended.push(0);
    for bad in [&flipped[..], &sig[..sig.len() - 1], &extended[..], &[]] {
        assert_eq!(
            key.verify(scheme, VEC_MSG, bad),
            Err(CryptoError::BadSignature),
            "{name}: mangled signature"
        );
    }
}

#[test]
fn ecdsa_vectors() {
    let p256 = spki_key(VEC_P256_SPKI);
    assert_eq!(p256.key_type(), KeyType::EcdsaP256);
    check_vector(&p256, HashAlg::Sha256, &b64(VEC_P256_SHA256_SIG));
    check_vector(&p256, HashAlg::Sha512, &b64(VEC_P256_SHA512_SIG));
    assert_eq!(
        p256.verify_natural(VEC_MSG, &b64(VEC_P256_SHA256_SIG)),
        Ok(())
    );

    let p384 = spki_key(VEC_P384_SPKI);
    assert_eq!(p384.key_type(), KeyType::EcdsaP384);
    check_vector(&p384, HashAlg::Sha384, &b64(VEC_P384_SHA384_SIG));

    let p521 = spki_key(VEC_P521_SPKI);
    assert_eq!(p521.key_type(), KeyType::EcdsaP521);
    check_vector(&p521, HashAlg::Sha512, &b64(VEC_P521_SHA512_SIG));
}

#[test]
fn p384_key_with_sha256() {
    let p384 = spki_key(VEC_P384_SPKI);
    let sig = b64(VEC_P384_SHA256_SIG);
    check_vector(&p384, HashAlg::Sha256, &sig);
    // Not the natural pairing: the natural scheme must refuse it.
    assert_eq!(
        p384.verify_natural(VEC_MSG, &sig),
        Err(CryptoError::BadSignature)
    );
}

#[test]
fn compressed_ec_points() {
    let p256 = spki_key(VEC_P256_SPKI_COMPRESSED);
    check_vector(&p256, HashAlg::Sha256, &b64(VEC_P256_SHA256_SIG));
    let p384 = spki_key(VEC_P384_SPKI_COMPRESSED);
    check_vector(&p384, HashAlg::Sha256, &b64(VEC_P384_SHA256_SIG));
}

#[test]
fn ed25519_vector() {
    let key = spki_key(VEC_ED25519_SPKI);
    assert_eq!(key.key_type(), KeyType::Ed25519);
    let sig = b64(VEC_ED25519_SIG);
    assert_eq!(key.verify(Scheme::Ed25519, VEC_MSG, &sig), Ok(()));
    assert_eq!(key.verify_natural(VEC_MSG, &sig), Ok(()));
    assert_eq!(
        key.verify(Scheme::Ed25519, b"sigverify crypto test vectoR", &sig),
        Err(CryptoError::BadSignature)
    );
    for bad in corrupted(&sig, 0) {
        assert_eq!(
            key.verify(Scheme::Ed25519, VEC_MSG, &bad),
            Err(CryptoError::BadSignature)
        );
    }
    assert!(matches!(
        key.verify_digest(Scheme::Ed25519, &sha256(VEC_MSG), &sig),
        Err(CryptoError::Unsupported(_))
    ));
}

#[test]
fn rsa_vectors() {
    let key = PublicKey::from_pkcs1_rsa_der(&b64(VEC_RSA_PKCS1)).unwrap();
    assert_eq!(key.key_type(), KeyType::Rsa(2048));
    check_vector(&key, HashAlg::Sha256, &b64(VEC_RSA_SHA256_SIG));
    check_vector(&key, HashAlg::Sha512, &b64(VEC_RSA_SHA512_SIG));
    // The SPKI form of the same key behaves the same.
    let again = PublicKey::from_spki_der(key.spki_der()).unwrap();
    check_vector(&again, HashAlg::Sha256, &b64(VEC_RSA_SHA256_SIG));
}

#[test]
fn wrong_digest_length_is_refused() {
    let p384 = spki_key(VEC_P384_SPKI);
    assert!(matches!(
        p384.verify_digest(
            Scheme::Ecdsa(HashAlg::Sha384),
            &sha256(VEC_MSG),
            &b64(VEC_P384_SHA256_SIG)
        ),
        Err(CryptoError::Unsupported(_))
    ));
}

#[test]
fn backend_rejects_malformed_keys() {
    let ec256 = b64(VEC_P256_SPKI);
    let point = &ec256[ec256.len() - 65..];
    assert!(<Active as Backend>::parse_key(KeyType::EcdsaP256, point).is_some());
    let mut off_curve = point.to_vec();
    off_curve[64] ^= 1;
    let bad: [&[u8]; 5] = [&[], &[0], &point[..64], &off_curve, &[4; 65]];
    for raw in bad {
        assert!(<Active as Backend>::parse_key(KeyType::EcdsaP256, raw).is_none());
    }
    // A P-256 point is not a P-384 key.
    assert!(<Active as Backend>::parse_key(KeyType::EcdsaP384, point).is_none());
    assert!(<Active as Backend>::parse_key(KeyType::Ed25519, &[1; 31]).is_none());
    assert!(<Active as Backend>::parse_key(KeyType::Ed25519, &[1; 33]).is_none());
    let pkcs1 = b64(VEC_RSA_PKCS1);
    assert!(<Active as Backend>::parse_key(KeyType::Rsa(2048), &pkcs1).is_some());
    assert!(<Active as Backend>::parse_key(KeyType::Rsa(2048), &pkcs1[..100]).is_none());
    assert!(<Active as Backend>::parse_key(KeyType::Rsa(2048), &[]).is_none());
}

#[test]
fn garbage_signatures_never_verify() {
    let keys = [
        spki_key(VEC_P256_SPKI),
        spki_key(VEC_P384_SPKI),
        spki_key(VEC_P521_SPKI),
        spki_key(VEC_ED25519_SPKI),
        PublicKey::from_pkcs1_rsa_der(&b64(VEC_RSA_PKCS1)).unwrap(),
    ];
    let sigs: Vec<Vec<u8>> = vec![
        vec![],
        vec![0x30],
        vec![0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00],
        vec![0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01],
        vec![0xff; 64],
        vec![0; 256],
        vec![0xff; 256],
        vec![0x30; 1000],
    ];
    for key in &keys {
        for hash in [HashAlg::Sha256, HashAlg::Sha384, HashAlg::Sha512] {
            let scheme = Scheme::with_hash(key.key_type(), hash);
            for sig in &sigs {
                assert!(key.verify(scheme, VEC_MSG, sig).is_err());
                if scheme != Scheme::Ed25519 {
                    assert!(
                        key.verify_digest(scheme, &digest_of(hash, VEC_MSG), sig)
                            .is_err()
                    );
                }
            }
        }
    }
}

/// Ways a valid signature `sig` is broken: one bit flipped at `flip`, the last
/// byte cut off, all zeros, empty.
fn corrupted(sig: &[u8], flip: usize) -> Vec<Vec<u8>> {
    let mut flipped = sig.to_vec();
    flipped[flip] ^= 1;
    vec![
        flipped,
        sig[..sig.len() - 1].to_vec(),
        vec![0; sig.len()],
        vec![],
    ]
}

#[test]
fn ed25519ph_rfc8032_vector() {
    let key = PublicKey::from_spki_der(&rfc8032::spki()).unwrap();
    let sig = rfc8032::sig();
    assert_eq!(rfc8032::MESSAGE, b"abc");
    let digest = HashAlg::Sha512.digest(b"abc");
    // The vector itself, with the crate's own SHA-512 hasher: independent of our
    // precomputed-digest path.
    {
        use sha2::Digest;
        let vk =
            ed25519_dalek::VerifyingKey::from_bytes(&rfc8032::key().try_into().unwrap()).unwrap();
        let s = ed25519_dalek::Signature::from_slice(&sig).unwrap();
        assert!(
            vk.verify_prehashed(sha2::Sha512::new_with_prefix(b"abc"), None, &s)
                .is_ok()
        );
    }
    assert_eq!(key.verify(Scheme::Ed25519ph, b"abc", &sig), Ok(()));
    assert_eq!(key.verify_digest(Scheme::Ed25519ph, &digest, &sig), Ok(()));
    // Domain separation: not a pure Ed25519 signature of the message or the digest.
    assert_eq!(
        key.verify(Scheme::Ed25519, b"abc", &sig),
        Err(CryptoError::BadSignature)
    );
    assert_eq!(
        key.verify(Scheme::Ed25519, &digest, &sig),
        Err(CryptoError::BadSignature)
    );
    assert_eq!(
        key.verify(Scheme::Ed25519ph, b"abd", &sig),
        Err(CryptoError::BadSignature)
    );
    for bad in corrupted(&sig, 10) {
        assert_eq!(
            key.verify_digest(Scheme::Ed25519ph, &digest, &bad),
            Err(CryptoError::BadSignature)
        );
    }
    // Only a SHA-512 digest fits, and only an Ed25519 key.
    assert!(matches!(
        key.verify_digest(Scheme::Ed25519ph, &sha256(b"abc"), &sig),
        Err(CryptoError::Unsupported(_))
    ));
    assert!(matches!(
        spki_key(VEC_P256_SPKI).verify_digest(Scheme::Ed25519ph, &digest, &sig),
        Err(CryptoError::Unsupported(_))
    ));
}

#[test]
fn key_type_of_spki_matches_the_parsed_key() {
    for spki in [
        VEC_P256_SPKI,
        VEC_P256_SPKI_COMPRESSED,
        VEC_P384_SPKI,
        VEC_P521_SPKI,
        VEC_ED25519_SPKI,
    ] {
        let der = b64(spki);
        assert_eq!(
            KeyType::of_spki_der(&der),
            Ok(PublicKey::from_spki_der(&der).unwrap().key_type())
        );
    }
    let rsa = PublicKey::from_pkcs1_rsa_der(&b64(VEC_RSA_PKCS1)).unwrap();
    assert_eq!(KeyType::of_spki_der(rsa.spki_der()), Ok(KeyType::Rsa(2048)));
    assert!(matches!(
        KeyType::of_spki_der(&[0x30, 0x00]),
        Err(CryptoError::BadKey(_))
    ));
}
