import type { Db } from '../../db/database-client.js';
import { AppError } from '../../shared/app-error.js';
import { recordAudit } from '../audit-log.js';

/** A first set so a new desk is not empty; staff edit them in /desk. */
const DEFAULTS = [
  { title: '问候', text: '您好，我是客服，很高兴为您服务，请问有什么可以帮您？', lang: 'zh' },
  { title: '稍等', text: '好的，我帮您查一下，请稍等片刻。', lang: 'zh' },
  { title: '结束', text: '还有其他可以帮您的吗？如果没有的话，祝您生活愉快！', lang: 'zh' },
  { title: 'Hello', text: 'Hi, thanks for waiting! How can I help you today?', lang: 'en' },
  { title: 'One moment', text: 'Let me check that for you — one moment please.', lang: 'en' },
  { title: 'Anything else', text: 'Is there anything else I can help you with?', lang: 'en' },
];

export async function listCannedReplies(db: Db) {
  return db.cannedReply.findMany({ orderBy: [{ lang: 'asc' }, { title: 'asc' }], select: { id: true, title: true, text: true, lang: true } });
}

export async function createCannedReply(db: Db, a: { title: string; text: string; lang?: string | null; staffId: number }) {
  const title = a.title.trim().slice(0, 60);
  const text = a.text.trim().slice(0, 4000);
  if (!title || !text) throw new AppError('VALIDATION_FAILED', 'A canned reply needs a title and a text');
  const lang = a.lang === 'zh' || a.lang === 'en' ? a.lang : null;
  const r = await db.cannedReply.create({ data: { title, text, lang, createdById: a.staffId }, select: { id: true, title: true, text: true, lang: true } });
  await recordAudit(db, { actor: `staff:${a.staffId}`, action: 'canned.create', entity: 'CannedReply', entityId: r.id });
  return r;
}

export async function deleteCannedReply(db: Db, id: number, staffId: number): Promise<boolean> {
  const r = await db.cannedReply.deleteMany({ where: { id } });
  if (r.count) await recordAudit(db, { actor: `staff:${staffId}`, action: 'canned.delete', entity: 'CannedReply', entityId: id });
  return r.count > 0;
}

/** Adds the default set once, on an empty table. */
export async function ensureDefaultCannedReplies(db: Db): Promise<void> {
  if ((await db.cannedReply.count()) > 0) return;
  await db.cannedReply.createMany({ data: DEFAULTS });
}
