// Run the sigverify CLI compiled to WebAssembly (wasm32-wasip1, pure-Rust
// crypto backend) under Node's WASI: `node run.mjs SIGVERIFY.wasm ARGS...`.
// The filesystem is opened to the module as `/` plus the working directory
// and its parent, so the absolute and relative paths a caller passes (the
// conformance runner uses `../trust/...`) resolve as they would natively.
// The module's exit status becomes this process's.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import process from 'node:process';
import { WASI } from 'node:wasi';

const [wasmPath, ...args] = process.argv.slice(2);
if (!wasmPath) {
  process.stderr.write('usage: node run.mjs SIGVERIFY.wasm [ARGS...]\n');
  process.exit(2);
}
const cwd = process.cwd();
const wasi = new WASI({
  version: 'preview1',
  args: ['sigverify', ...args],
  env: {},
  preopens: { '/': '/', '.': cwd, '..': resolve(cwd, '..') },
  returnOnExit: true,
});
const module = await WebAssembly.compile(await readFile(wasmPath));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
process.exitCode = wasi.start(instance);
