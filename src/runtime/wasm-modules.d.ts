// `.wasm` imports in the Workers / Vercel Edge entries (default-module.workerd.ts,
// default-module.edge.ts): those runtimes' module loaders hand over a compiled module.
declare module '*.wasm' {
  const module: WebAssembly.Module;
  export default module;
}
declare module '*.wasm?module' {
  const module: WebAssembly.Module;
  export default module;
}
