import type { z } from 'zod';

/**
 * Reads a JSON value a channel stored in its `ChannelStateStore` (cursors, held replies, tokens):
 * the parsed value when it fits `schema`, `undefined` when absent, not JSON, or of another shape
 * (an older version's format is treated as absent rather than trusted).
 */
export function parseStoredJson<T>(schema: z.ZodType<T>, raw: string | undefined): T | undefined {
  if (raw === undefined) return undefined;
  try {
    const r = schema.safeParse(JSON.parse(raw));
    return r.success ? r.data : undefined;
  } catch {
    return undefined;
  }
}
