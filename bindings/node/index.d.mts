// Types for the ESM entry point (index.mjs); the declarations live in index.d.ts.
import sigverify from './index.js';

export * from './index.js';
export default sigverify;
