// ESM entry point: the same objects as the CommonJS entry (index.js), so
// `instanceof SigverifyError` works whichever way the package was loaded.
import sigverify from './index.js';

export const { TrustedRoot, Verifier, SigverifyError, ErrorCodes } = sigverify;
export default sigverify;
