// The host globals the public API names — URL and WebAssembly.Module — typed from the consumer's
// own globals (its lib's DOM, @types/node, a runtime's types), so the published .d.ts type-checks
// under a bare `lib: ["ES2022"]` that declares neither: there a `string | HostURL` parameter takes
// strings and a module is any object. Where the globals exist these are exactly URL and
// WebAssembly.Module.

/** The host's URL class instance type, or never where no URL global is declared. */
export type HostURL = typeof globalThis extends { URL: abstract new (...args: never[]) => infer U } ? U : never;

/** The host's WebAssembly.Module, or object where no WebAssembly namespace is declared. */
export type WasmModule = typeof globalThis extends { WebAssembly: { Module: abstract new (...args: never[]) => infer M } } ? M : object;
