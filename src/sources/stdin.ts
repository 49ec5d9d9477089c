// Standard input, read whole (a piped file for `scan -`, the pre-push hook's ref lines).

export async function readStdin(): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of process.stdin) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}
