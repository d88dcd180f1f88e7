import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { z } from 'zod';
import { AppError } from '../../shared/app-error.js';

/**
 * WeChat/WeCom callback XML: `<xml><ToUserName><![CDATA[…]]></ToUserName>…</xml>`, one level of
 * fields (a few events nest one more). Values stay strings (a 64-bit MsgId must not become a
 * float); a DOCTYPE is refused (no entity expansion tricks); the result is checked with zod.
 */
const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

const builder = new XMLBuilder({ cdataPropName: '__cdata', format: false, suppressEmptyNode: false });

/** Callback bodies are small; anything larger is not WeChat talking. */
export const MAX_CALLBACK_XML_BYTES = 64 * 1024;

/** The safe-mode envelope every encrypted callback arrives in. */
export const EncryptedEnvelope = z.object({
  ToUserName: z.string().optional(),
  Encrypt: z.string().min(1),
  AgentID: z.string().optional(),
});
export type EncryptedEnvelope = z.infer<typeof EncryptedEnvelope>;

/** Parses `<xml>…</xml>` and validates its fields with `schema`; CALLBACK_CORRUPTED when it is not that. */
export function parseWechatXml<T>(xml: string, schema: z.ZodType<T>): T {
  if (Buffer.byteLength(xml) > MAX_CALLBACK_XML_BYTES) throw new AppError('CALLBACK_CORRUPTED', 'callback XML too large');
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw new AppError('CALLBACK_CORRUPTED', 'callback XML with a DOCTYPE');
  let doc: unknown;
  try {
    doc = parser.parse(xml, true);
  } catch (err) {
    throw new AppError('CALLBACK_CORRUPTED', 'callback body is not XML', { cause: err });
  }
  const root = (doc as { xml?: unknown } | undefined)?.xml;
  const r = schema.safeParse(root);
  if (!r.success) throw new AppError('CALLBACK_CORRUPTED', `callback XML does not have the expected fields: ${r.error.issues.map((i) => i.path.join('.')).join(', ')}`);
  return r.data;
}

export type XmlValue = string | number | { [k: string]: XmlValue } | XmlValue[];

/**
 * Builds `<xml>…</xml>`: strings as CDATA (what WeChat sends and expects), numbers as text
 * (CreateTime, TimeStamp), objects as nested elements.
 */
export function buildWechatXml(fields: Record<string, XmlValue>): string {
  return builder.build({ xml: wrap(fields) }) as string;
}

function wrap(v: XmlValue): unknown {
  if (typeof v === 'string') return { __cdata: v };
  if (typeof v === 'number') return v;
  if (Array.isArray(v)) return v.map(wrap);
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, wrap(x)]));
}
