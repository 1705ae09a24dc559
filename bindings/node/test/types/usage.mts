// Compile-only checks of index.d.mts (ESM import).
import sigverify, { TrustedRoot, Verifier, SigverifyError, type KeylessResult } from 'sigverify';

const v = new Verifier(TrustedRoot.production());
const r: KeylessResult = await v.verifyAsync('{}', { digest: 'sha256:00' }, { identity: 'a', issuer: 'b' });
void r;
const same: typeof SigverifyError = sigverify.SigverifyError;
void same;
