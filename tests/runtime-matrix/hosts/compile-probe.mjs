// Source text of compileProbe(), spliced into the Workers and Edge legs: tries the three ways of
// compiling wasm bytes (a valid empty module) and resolves true only if every one is refused —
// the proof that the scenario ran in a runtime where simdgrad could not have compiled bytes.
export const COMPILE_PROBE = `
async function compileProbe() {
  const bytes = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]);
  const refused = async (f) => { try { await f(); return false; } catch { return true; } };
  return (await refused(() => WebAssembly.compile(bytes))) &&
    (await refused(() => new WebAssembly.Module(bytes))) &&
    (await refused(() => WebAssembly.instantiate(bytes)));
}`;
