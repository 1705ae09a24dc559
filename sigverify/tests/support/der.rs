//! Minimal DER reading and writing for tests and fuzz targets that splice
//! hostile bytes into real certificates and timestamp tokens. Shared by
//! `tests/mutation.rs`, `tests/limits.rs` and `fuzz/src/lib.rs` (by `#[path]`).
//! Each user takes what it needs.
#![allow(dead_code)]

/// Tag, contents, whole encoding, and what follows it.
pub type Tlv<'a> = (u8, &'a [u8], &'a [u8], &'a [u8]);

/// Tag, contents and whole encoding of one element of a sequence.
pub type Child<'a> = (u8, &'a [u8], &'a [u8]);

/// The first TLV of `input`, or `None` if it is cut short.
pub fn tlv(input: &[u8]) -> Option<Tlv<'_>> {
    let tag = *input.first()?;
    let first = *input.get(1)?;
    let (len, hdr) = if first < 0x80 {
        (usize::from(first), 2)
    } else {
        let n = usize::from(first & 0x7f);
        let len = input.get(2..2 + n)?.iter().fold(0usize, |a, &b| {
            a.checked_shl(8).unwrap_or(usize::MAX) | usize::from(b)
        });
        (len, 2 + n)
    };
    let end = hdr.checked_add(len)?;
    let raw = input.get(..end)?;
    Some((tag, raw.get(hdr..)?, raw, input.get(end..)?))
}

/// Every TLV in `b`, or `None` if one is cut short.
pub fn children(mut b: &[u8]) -> Option<Vec<Child<'_>>> {
    let mut out = Vec::new();
    while !b.is_empty() {
        let (tag, content, raw, rest) = tlv(b)?;
        out.push((tag, content, raw));
        b = rest;
    }
    Some(out)
}

/// `tag` with definite-length `content` (short or long form).
pub fn enc(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let n = content.len();
    if n < 0x80 {
        out.push(n as u8);
    } else {
        let b = n.to_be_bytes();
        let skip = b.iter().take_while(|&&x| x == 0).count();
        out.push(0x80 | (b.len() - skip) as u8);
        out.extend_from_slice(&b[skip..]);
    }
    out.extend_from_slice(content);
    out
}

/// The embedded-SCT-list extension, 1.3.6.1.4.1.11129.2.4.2, as OID contents.
pub const OID_SCT_LIST: &[u8] = &[0x2b, 0x06, 0x01, 0x04, 0x01, 0xd6, 0x79, 0x02, 0x04, 0x02];

/// Rebuild a certificate with the TLS list inside its SCT-list extension
/// replaced by `f(list)` (`None` drops the extension). `None` if the
/// certificate has no such extension or does not parse. The certificate's
/// signature no longer matches.
pub fn with_sct_list(der: &[u8], f: &dyn Fn(&[u8]) -> Option<Vec<u8>>) -> Option<Vec<u8>> {
    let (_, cert, _, _) = tlv(der)?;
    let (_, tbs, _, after_tbs) = tlv(cert)?;
    let mut tbs_out = Vec::new();
    let mut found = false;
    for (tag, content, raw) in children(tbs)? {
        if tag != 0xa3 {
            tbs_out.extend_from_slice(raw);
            continue;
        }
        let (_, exts, _, _) = tlv(content)?;
        let mut list_out = Vec::new();
        for (_, ext, raw) in children(exts)? {
            let (_, oid, oid_raw, after_oid) = tlv(ext)?;
            if oid != OID_SCT_LIST {
                list_out.extend_from_slice(raw);
                continue;
            }
            found = true;
            let (_, outer, _, _) = tlv(after_oid)?;
            let (_, list, _, _) = tlv(outer)?;
            if let Some(new) = f(list) {
                let mut body = oid_raw.to_vec();
                body.extend(enc(0x04, &enc(0x04, &new)));
                list_out.extend(enc(0x30, &body));
            }
        }
        tbs_out.extend(enc(0xa3, &enc(0x30, &list_out)));
    }
    found.then(|| {
        let mut body = enc(0x30, &tbs_out);
        body.extend_from_slice(after_tbs);
        enc(0x30, &body)
    })
}
