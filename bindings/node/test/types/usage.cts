// Compile-only checks of index.d.ts through `require` (tsc -p test/types).
import sigverify = require('sigverify');
import { createPublicKey } from 'node:crypto';

const { TrustedRoot, Verifier, SigverifyError, ErrorCodes } = sigverify;
type VerificationResult = sigverify.VerificationResult;

const verifier = new Verifier(TrustedRoot.production());
const staging: sigverify.TrustedRoot = TrustedRoot.staging();
new Verifier(TrustedRoot.fromJSON('{}'));
new Verifier(TrustedRoot.fromJSON(Buffer.from('{}')));
new Verifier(TrustedRoot.fromJSON({ mediaType: 'x' }));
void staging;

const bundle = Buffer.from('{}');
const keyless = verifier.verify(bundle, { artifact: Buffer.from('a') }, { identity: 'x', issuer: 'y' });
const san: string = keyless.identity.san;
const issuer: string | null = keyless.identity.issuer;
const claim: string | undefined = keyless.identity.claims.sourceRepositoryURI;
const when: Date = keyless.verifiedTimes[0].date;
const idx: number = keyless.tlogEntries[0].logIndex;
const payload: Buffer | undefined = keyless.dsse?.payload;
void [san, issuer, claim, when, idx, payload];

const keyed = verifier.verify('{}', { digest: 'sha256:00' }, { publicKey: createPublicKey('x') });
const windowed = verifier.verify('{}', { digest: 'sha256:00' }, { publicKey: 'x', validFrom: new Date(0), validUntil: new Date() });
const windowedMode: 'keyless' | 'public-key' = windowed.mode;
void windowedMode;
const ring = verifier.verify('{}', { digest: 'sha256:00' }, [{ publicKey: 'a' }, { publicKey: 'b', validUntil: new Date() }]);
const ringIdentity: null = ring.identity;
void ringIdentity;
const none: null = keyed.identity;
void none;
verifier.verify({}, { digest: 'sha256:00' }, [{ identityRegex: '.*', issuerRegex: '.*' }, { identity: 'a', issuer: 'b' }]);
verifier.verify({}, { digest: 'sha256:00' }, {
  identity: 'a',
  issuer: 'b',
  extensions: { SourceRepositoryURI: 'https://github.com/o/r' },
  extensionsRegex: { SourceRepositoryRef: 'refs/tags/v.*' },
});

const unbound = verifier.verifyDsse('{}', { identity: 'a', issuer: 'b' });
unbound.artifactBound satisfies boolean;
unbound.mode satisfies 'keyless';

async function demo(): Promise<VerificationResult> {
  const r = await verifier.verifyAsync(new Uint8Array(1), { digest: 'sha256:00' }, { identity: 'a', issuerRegex: 'b' });
  r.mode satisfies 'keyless';
  try {
    return verifier.verify(bundle, { artifact: Buffer.alloc(0) }, { publicKey: '-----BEGIN PUBLIC KEY-----' });
  } catch (e) {
    if (e instanceof SigverifyError) {
      const step: sigverify.ErrorStep = e.step;
      const code: sigverify.ErrorCode = e.code;
      if (e.code === ErrorCodes['inclusion-proof']) void step;
      void code;
    }
    throw e;
  }
}
void demo;

// Misuse the types reject.
// @ts-expect-error identity and identityRegex together
verifier.verify(bundle, { digest: 'x' }, { identity: 'a', identityRegex: 'b', issuer: 'c' });
// @ts-expect-error issuer missing
verifier.verify(bundle, { digest: 'x' }, { identity: 'a' });
// @ts-expect-error artifact and digest together
verifier.verify(bundle, { digest: 'x', artifact: Buffer.alloc(0) }, { identity: 'a', issuer: 'b' });
// @ts-expect-error artifact must be bytes, not a path
verifier.verify(bundle, { artifact: 'a.txt' }, { identity: 'a', issuer: 'b' });
// @ts-expect-error no public constructor
new TrustedRoot();
// @ts-expect-error a Verifier needs a TrustedRoot
new Verifier({});
// @ts-expect-error unknown step
const badStep: sigverify.ErrorStep = 'nope';
void badStep;
