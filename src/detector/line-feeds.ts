// Counting line feeds in large buffers. A window of a big file needs the number of `\n` before each
// key and before the next window, and counting them in JavaScript (four bytes at a time) was the
// largest single cost of scanning a 200 MB file. A 16-bytes-at-a-time WebAssembly SIMD loop (about
// ten times faster) counts in buffers that live in WebAssembly memory: the read buffers made by
// `allocateReadBuffer`. Any other buffer, or a runtime without WebAssembly SIMD, is counted in JS.

/** The counting function, in the WebAssembly text format (the bytes below are this, assembled):
 *
 *   (func (export "count") (param $p i32) (param $end i32) (result i32)   ;; `end - p` is a multiple of 16
 *     (local $total i32) (local $stop i32) (local $acc v128) (local $nl v128)
 *     (local.set $nl (i8x16.splat (i32.const 10)))
 *     (block (loop
 *       (br_if 1 (i32.ge_u (local.get $p) (local.get $end)))
 *       ;; at most 255 blocks per round, so that no byte lane of $acc overflows
 *       (local.set $stop (select (local.tee $stop (i32.add (local.get $p) (i32.const 4080))) (local.get $end)
 *                                (i32.lt_u (local.get $stop) (local.get $end))))
 *       (local.set $acc (v128.const i32x4 0 0 0 0))
 *       (loop ;; each lane that equals `\n` is -1: subtracting it adds one
 *         (local.set $acc (i8x16.sub (local.get $acc) (i8x16.eq (v128.load (local.get $p)) (local.get $nl))))
 *         (br_if 0 (i32.lt_u (local.tee $p (i32.add (local.get $p) (i32.const 16))) (local.get $stop))))
 *       (local.set $acc (i32x4.extadd_pairwise_i16x8_u (i16x8.extadd_pairwise_i8x16_u (local.get $acc))))
 *       (local.set $total (i32.add (local.get $total) (i32.add (i32.add (i32x4.extract_lane 0 (local.get $acc))
 *         (i32x4.extract_lane 1 (local.get $acc))) (i32.add (i32x4.extract_lane 2 (local.get $acc)) (i32x4.extract_lane 3 (local.get $acc))))))
 *       (br 0)))
 *     (local.get $total))
 */
function assemble(): Uint8Array {
  const u32 = (n: number): number[] => {
    const out: number[] = [];
    do {
      let b = n & 0x7f;
      n >>>= 7;
      if (n) b |= 0x80;
      out.push(b);
    } while (n);
    return out;
  };
  const section = (id: number, bytes: number[]) => [id, ...u32(bytes.length), ...bytes];
  const vec = (items: number[][]) => [...u32(items.length), ...items.flat()];
  const name = (s: string) => [...u32(s.length), ...[...s].map((c) => c.charCodeAt(0))];
  const simd = (op: number) => [0xfd, ...u32(op)];
  const get = (i: number) => [0x20, i];
  const set = (i: number) => [0x21, i];
  const tee = (i: number) => [0x22, i];
  const [P, END, TOTAL, STOP, ACC, NL] = [0, 1, 2, 3, 4, 5];
  const I32_CONST = 0x41;
  const [I32_ADD, I32_LT_U, I32_GE_U, SELECT, BR, BR_IF, BLOCK, LOOP, END_OP, VOID] = [0x6a, 0x49, 0x4f, 0x1b, 0x0c, 0x0d, 0x02, 0x03, 0x0b, 0x40];
  const [V128_LOAD, V128_CONST, I8X16_SPLAT, I8X16_EQ, I8X16_SUB, EXTADD_I8, EXTADD_I16, I32X4_EXTRACT] = [0x00, 0x0c, 0x0f, 0x23, 0x71, 0x7d, 0x7f, 0x1b];
  const lane = (i: number) => [...get(ACC), ...simd(I32X4_EXTRACT), i];
  const body = [
    I32_CONST, 10, ...simd(I8X16_SPLAT), ...set(NL),
    BLOCK, VOID, LOOP, VOID,
    ...get(P), ...get(END), I32_GE_U, BR_IF, 1,
    ...get(P), I32_CONST, ...[0xf0, 0x1f] /* 4080, signed LEB128 */, I32_ADD, ...tee(STOP), ...get(END), ...get(STOP), ...get(END), I32_LT_U, SELECT, ...set(STOP),
    ...simd(V128_CONST), ...new Array<number>(16).fill(0), ...set(ACC),
    LOOP, VOID,
    ...get(ACC), ...get(P), ...simd(V128_LOAD), 0, 0, ...get(NL), ...simd(I8X16_EQ), ...simd(I8X16_SUB), ...set(ACC),
    ...get(P), I32_CONST, 16, I32_ADD, ...tee(P), ...get(STOP), I32_LT_U, BR_IF, 0,
    END_OP,
    ...get(ACC), ...simd(EXTADD_I8), ...simd(EXTADD_I16), ...set(ACC),
    ...get(TOTAL), ...lane(0), ...lane(1), I32_ADD, ...lane(2), ...lane(3), I32_ADD, I32_ADD, I32_ADD, ...set(TOTAL),
    BR, 0,
    END_OP, END_OP,
    ...get(TOTAL), END_OP,
  ];
  const code = [...vec([[2, 0x7f], [2, 0x7b]]) /* locals: 2 i32, 2 v128 */, ...body];
  // `stems` (see `findStemBlock`): the first 16-byte block from $p whose bytes at i, i+2, i+4, with
  // the 0x20 bit set, read `m`, `r`, `a` (so `mirra`, `MIRRA`, any mix); $end if none.
  //   (local $m v128) (local $r v128) (local $a v128) (local $low v128)
  //   (block (loop (br_if 1 (i32.ge_u $p $end))
  //     (if (v128.any_true (v128.and (v128.and (i8x16.eq (v128.or (v128.load $p) $low) $m)
  //            (i8x16.eq (v128.or (v128.load offset=2 $p) $low) $r)) (i8x16.eq (v128.or (v128.load offset=4 $p) $low) $a)))
  //       (return $p))
  //     (local.set $p (i32.add $p 16)) (br 0)))
  //   $end
  const [M, R, A, LOW] = [2, 3, 4, 5];
  const [V128_AND, V128_OR, ANY_TRUE, IF, RETURN] = [0x4e, 0x50, 0x53, 0x04, 0x0f];
  const lookAt = (offset: number, want: number) => [...get(P), ...simd(V128_LOAD), 0, offset, ...get(LOW), ...simd(V128_OR), ...get(want), ...simd(I8X16_EQ)];
  const stemBody = [
    I32_CONST, ...[0xed, 0x00] /* 109 'm', signed LEB128 */, ...simd(I8X16_SPLAT), ...set(M),
    I32_CONST, ...[0xf2, 0x00] /* 114 'r' */, ...simd(I8X16_SPLAT), ...set(R),
    I32_CONST, ...[0xe1, 0x00] /* 97 'a' */, ...simd(I8X16_SPLAT), ...set(A),
    I32_CONST, 0x20, ...simd(I8X16_SPLAT), ...set(LOW),
    BLOCK, VOID, LOOP, VOID,
    ...get(P), ...get(END), I32_GE_U, BR_IF, 1,
    ...lookAt(0, M), ...lookAt(2, R), ...simd(V128_AND), ...lookAt(4, A), ...simd(V128_AND), ...simd(ANY_TRUE),
    IF, VOID, ...get(P), RETURN, END_OP,
    ...get(P), I32_CONST, 16, I32_ADD, ...set(P),
    BR, 0,
    END_OP, END_OP,
    ...get(END), END_OP,
  ];
  const stemCode = [...vec([[4, 0x7b]]) /* locals: 4 v128 */, ...stemBody];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([[0x60, ...vec([[0x7f], [0x7f]]), ...vec([[0x7f]])]])), // type: (i32, i32) -> i32
    ...section(2, vec([[...name('env'), ...name('mem'), 0x02, 0x00, 0x01]])), // import env.mem: memory, at least 1 page
    ...section(3, vec([[0x00], [0x00]])),
    ...section(7, vec([[...name('count'), 0x00, 0x00], [...name('stems'), 0x00, 0x01]])),
    ...section(10, vec([[...u32(code.length), ...code], [...u32(stemCode.length), ...stemCode]])),
  ]);
}

type Count = (p: number, end: number) => number;

/** The part of the WebAssembly API used here (the project compiles without the DOM typings that declare it). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Memory: new (descriptor: { initial: number; maximum: number }) => { buffer: ArrayBuffer };
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
const wasm = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

let compiled: object | null | undefined;
const counters = new WeakMap<ArrayBufferLike, Count>();
const stemFinders = new WeakMap<ArrayBufferLike, Count>();

function simdModule(): object | null {
  if (compiled === undefined) {
    try {
      compiled = wasm ? new wasm.Module(assemble()) : null;
    } catch {
      compiled = null; // no WebAssembly SIMD here: count in JavaScript
    }
  }
  return compiled;
}

/**
 * A reusable read buffer of `size` bytes. It lives in WebAssembly memory of its own (when the runtime
 * has WebAssembly SIMD), so that `countLineFeeds` can count in it at memory speed.
 */
export function allocateReadBuffer(size: number): Buffer {
  const module = simdModule();
  if (!module || !wasm) return Buffer.allocUnsafe(size);
  const pages = Math.ceil(size / 65536);
  const memory = new wasm.Memory({ initial: pages, maximum: pages });
  const instance = new wasm.Instance(module, { env: { mem: memory } });
  counters.set(memory.buffer, instance.exports.count as Count);
  stemFinders.set(memory.buffer, instance.exports.stems as Count);
  return Buffer.from(memory.buffer, 0, size);
}

/** How many bytes past a block start the stem search reads (`v128.load offset=4`). */
const STEM_LOOK_AHEAD = 20;

/**
 * In a read buffer (see `allocateReadBuffer`): the start of the first 16-byte block at or after
 * `from` and before `to` that may hold `mirra` or `MIRRA` (every position in it is then checked by the
 * caller), or -1 when none does. `to` must not pass `stemSearchLimit(buf)`.
 */
export function findStemBlock(buf: Buffer, from: number, to: number): number {
  const find = stemFinders.get(buf.buffer) as Count;
  const found = find(buf.byteOffset + from, buf.byteOffset + to);
  return found >= buf.byteOffset + to ? -1 : found - buf.byteOffset;
}

/** How far into `buf` `findStemBlock` may search (it reads a few bytes past each block), or -1 for a buffer it cannot search. */
export function stemSearchLimit(buf: Buffer): number {
  if (!stemFinders.has(buf.buffer)) return -1;
  return Math.max(0, Math.min(buf.length, buf.buffer.byteLength - buf.byteOffset - STEM_LOOK_AHEAD));
}

/** Whether `buf` is counted by the WebAssembly SIMD loop (a read buffer, on a runtime with SIMD), not in JS. */
export function countsWithSimd(buf: Buffer): boolean {
  return counters.has(buf.buffer);
}

/** How many `\n` bytes `buf[from, to)` holds. */
export function countLineFeeds(buf: Buffer, from: number, to: number): number {
  const simd = to - from >= 256 ? counters.get(buf.buffer) : undefined;
  if (!simd) return countInJs(buf, from, to);
  const whole = (to - from) & ~15;
  const start = buf.byteOffset + from;
  return simd(start, start + whole) + countInJs(buf, from + whole, to);
}

/** Four bytes at a time: a byte-wise zero test on each 32-bit word XOR 0x0a0a0a0a. */
export function countInJs(buf: Buffer, from: number, to: number): number {
  let n = 0;
  let i = from;
  const head = Math.min(to, from + ((4 - ((buf.byteOffset + from) % 4)) % 4)); // up to a 4-byte boundary
  for (; i < head; i++) if (buf[i] === 10) n++;
  const words = (to - i) >>> 2;
  if (words > 0) {
    const w = new Uint32Array(buf.buffer, buf.byteOffset + i, words);
    for (let k = 0; k < words; k++) {
      const x = w[k] ^ 0x0a0a0a0a;
      const zeroBytes = ~(((x & 0x7f7f7f7f) + 0x7f7f7f7f) | x | 0x7f7f7f7f) >>> 7; // 1 in each byte that was `\n`
      n += Math.imul(zeroBytes, 0x01010101) >>> 24;
    }
    i += words * 4;
  }
  for (; i < to; i++) if (buf[i] === 10) n++;
  return n;
}
