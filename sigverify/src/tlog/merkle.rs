//! RFC 6962 / RFC 9162 Merkle tree hashing and inclusion proofs (SPEC §6.6).

use crate::error::{Result, err};

/// Leaf hash `SHA-256(0x00 ‖ data)`.
pub fn leaf_hash(data: &[u8]) -> [u8; 32] {
    // Incremental, so a large body is not copied just to prepend one byte.
    let mut h = crate::crypto::Sha256Hasher::new();
    h.update(&[0u8]);
    h.update(data);
    h.finish()
}

/// Interior node hash `SHA-256(0x01 ‖ left ‖ right)`.
pub fn node_hash(left: &[u8; 32], right: &[u8; 32]) -> [u8; 32] {
    let mut buf = [0u8; 65];
    buf[0] = 1;
    buf[1..33].copy_from_slice(left);
    buf[33..].copy_from_slice(right);
    crate::crypto::sha256(&buf)
}

/// Verify that `leaf_hash` sits at `index` in the tree of `size` leaves whose
/// root is `root`, given the audit path `proof` (leaf-to-root order).
///
/// Fails with [`ErrorKind::InclusionProof`](crate::ErrorKind::InclusionProof)
/// when the index is out of range, the proof has the wrong length, or the
/// computed root differs.
pub fn verify_inclusion(
    leaf_hash: &[u8; 32],
    index: u64,
    size: u64,
    proof: &[[u8; 32]],
    root: &[u8; 32],
) -> Result<()> {
    if size > 1 << 63 {
        return Err(err!(InclusionProof, "tree size {size} is out of range"));
    }
    if index >= size {
        return Err(err!(
            InclusionProof,
            "leaf index {index} is not below tree size {size}"
        ));
    }
    let mut fnode = index;
    let mut snode = size - 1;
    let mut r = *leaf_hash;
    for p in proof {
        if snode == 0 {
            return Err(err!(
                InclusionProof,
                "proof has {} hashes, more than the tree of size {size} needs at index {index}",
                proof.len()
            ));
        }
        if fnode & 1 == 1 || fnode == snode {
            r = node_hash(p, &r);
            // On the right border a left child has no sibling: climb until it has one.
            if fnode & 1 == 0 {
                while fnode & 1 == 0 && fnode != 0 {
                    fnode >>= 1;
                    snode >>= 1;
                }
            }
        } else {
            r = node_hash(&r, p);
        }
        fnode >>= 1;
        snode >>= 1;
    }
    if snode != 0 {
        return Err(err!(
            InclusionProof,
            "proof has {} hashes, fewer than the tree of size {size} needs at index {index}",
            proof.len()
        ));
    }
    if r != *root {
        return Err(err!(
            InclusionProof,
            "computed root hash does not equal the proof's root hash"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    /// Root of leaves[..] computed directly per RFC 6962 §2.1 (largest power of two < n split).
    fn mth(leaves: &[[u8; 32]]) -> [u8; 32] {
        match leaves.len() {
            0 => crate::crypto::sha256(b""),
            1 => leaves[0],
            n => {
                let k = n.next_power_of_two() / 2;
                let k = if k == n { n / 2 } else { k };
                node_hash(&mth(&leaves[..k]), &mth(&leaves[k..]))
            }
        }
    }

    /// Audit path per RFC 6962 §2.1.1.
    fn path(m: usize, leaves: &[[u8; 32]]) -> Vec<[u8; 32]> {
        let n = leaves.len();
        if n <= 1 {
            return vec![];
        }
        let k = n.next_power_of_two() / 2;
        let k = if k == n { n / 2 } else { k };
        if m < k {
            let mut p = path(m, &leaves[..k]);
            p.push(mth(&leaves[k..]));
            p
        } else {
            let mut p = path(m - k, &leaves[k..]);
            p.push(mth(&leaves[..k]));
            p
        }
    }

    #[test]
    fn every_index_of_small_trees_verifies() {
        for n in 1..=20usize {
            let leaves: Vec<[u8; 32]> = (0..n).map(|i| leaf_hash(&[i as u8])).collect();
            let root = mth(&leaves);
            for m in 0..n {
                let p = path(m, &leaves);
                verify_inclusion(&leaves[m], m as u64, n as u64, &p, &root)
                    .unwrap_or_else(|e| panic!("n={n} m={m}: {e}"));
                // Wrong leaf, wrong index, truncated and extended proofs all fail.
                let other = leaf_hash(b"other");
                let kind = |r: Result<()>| r.unwrap_err().kind();
                assert_eq!(
                    kind(verify_inclusion(&other, m as u64, n as u64, &p, &root)),
                    ErrorKind::InclusionProof
                );
                if n > 1 {
                    let wrong = ((m + 1) % n) as u64;
                    assert!(verify_inclusion(&leaves[m], wrong, n as u64, &p, &root).is_err());
                    assert!(
                        verify_inclusion(&leaves[m], m as u64, n as u64, &p[1..], &root).is_err()
                    );
                }
                let mut long = p.clone();
                long.push([0; 32]);
                assert!(verify_inclusion(&leaves[m], m as u64, n as u64, &long, &root).is_err());
            }
        }
    }

    #[test]
    fn out_of_range_index_and_size() {
        let l = leaf_hash(b"x");
        let e = verify_inclusion(&l, 1, 1, &[], &l).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InclusionProof);
        let e = verify_inclusion(&l, 0, u64::MAX, &[], &l).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InclusionProof);
        verify_inclusion(&l, 0, 1, &[], &l).unwrap();
    }
}
