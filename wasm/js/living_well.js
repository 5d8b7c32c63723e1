// A small typed wrapper (see living_well.d.ts) over the living-well WebAssembly module's
// plain exports: it copies UTF-8 JSON in, calls the operation, and reads the JSON envelope
// back. Works in browsers and in Node (pass the module's bytes, a Response or a URL).

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function bind(exports) {
  const call = (op, ...texts) => {
    const buffers = texts.map((t) => {
      if (t === null || t === undefined) return [0, 0];
      const bytes = encoder.encode(t);
      const ptr = exports.lw_alloc(bytes.length);
      new Uint8Array(exports.memory.buffer, ptr, bytes.length).set(bytes);
      return [ptr, bytes.length];
    });
    try {
      exports[op](...buffers.flat());
      const ptr = exports.lw_output_ptr();
      const len = exports.lw_output_len();
      return JSON.parse(decoder.decode(new Uint8Array(exports.memory.buffer, ptr, len)));
    } finally {
      for (const [ptr, len] of buffers) if (len > 0) exports.lw_free(ptr, len);
    }
  };
  return {
    validateDefinition(json) {
      return call("lw_validate_definition", String(json));
    },
    score(response, definitionJson = null) {
      return call("lw_score", definitionJson, JSON.stringify(response));
    },
  };
}

export async function load(source) {
  let instance;
  if (source instanceof Uint8Array || source instanceof ArrayBuffer) {
    ({ instance } = await WebAssembly.instantiate(source, {}));
  } else {
    const response = typeof source === "string" || source instanceof URL ? await fetch(source) : await source;
    if (!response.ok) throw new Error(`could not load the scoring module (${response.status})`);
    ({ instance } = await WebAssembly.instantiate(await response.arrayBuffer(), {}));
  }
  return bind(instance.exports);
}
