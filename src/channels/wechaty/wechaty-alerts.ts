import type { Logger } from 'pino';
import type { MediaStore } from '../../shared/media-types.js';
import type { StaffAlerts } from '../../shared/staff-alerts.js';

export interface AlertDeps {
  alerts?: StaffAlerts;
  media: MediaStore;
  log: Logger;
  clock: () => Date;
}

/** WeChat refreshes the login QR code about every 30 s: admins hear of one every this often at most. */
const QR_ALERT_EVERY_MS = 5 * 60_000;
/** A link to the QR image works this long (the code itself expires sooner). */
const QR_LINK_TTL_MS = 10 * 60_000;
/** Puppet errors while logged in come in bursts: one alert per this. */
const PROBLEM_ALERT_EVERY_MS = 10 * 60_000;

const last = new WeakMap<AlertDeps, { qr?: number; problem?: number }>();
function stamps(d: AlertDeps): { qr?: number; problem?: number } {
  let s = last.get(d);
  if (!s) last.set(d, (s = {}));
  return s;
}

async function post(d: AlertDeps, alert: Parameters<StaffAlerts['alert']>[0]): Promise<void> {
  if (!d.alerts) {
    d.log.warn({ alert: alert.key }, alert.title);
    return;
  }
  await d.alerts.alert(alert).catch((err: unknown) => d.log.error({ alert: alert.key, err: (err as Error).message }, 'staff alert failed'));
}

/**
 * The login QR code for admins: drawn as a PNG by file-box (wechaty's own file type, which uses
 * the qrcode package it ships with) into the media store, and linked with a staff-only URL that
 * expires — the code never goes to a third-party QR renderer.
 */
export async function alertQrCode(d: AlertDeps, qrcode: string): Promise<void> {
  const s = stamps(d);
  const now = d.clock().getTime();
  if (s.qr !== undefined && now - s.qr < QR_ALERT_EVERY_MS) return;
  s.qr = now;
  let linkPath: string | undefined;
  try {
    const { FileBox } = await import('file-box');
    const bytes = await FileBox.fromQRCode(qrcode).toBuffer();
    const put = await d.media.put({ bytes, declaredType: 'image/png', name: 'wechaty-login.png', owner: { channel: 'wechaty', threadId: 'login', uploadedBy: 'bot' } });
    if (put.ok) linkPath = d.media.urlFor(put.media.id, { kind: 'staff' }, { ttlMs: QR_LINK_TTL_MS });
  } catch (err) {
    d.log.warn({ err: (err as Error).message }, 'could not draw the login QR code; admins get the terminal hint only');
  }
  await post(d, {
    key: 'wechaty:scan', severity: 'warning',
    title: '微信号需要扫码登录 The WeChat account needs a QR scan to log in',
    text: linkPath
      ? '用店铺微信号扫描链接中的二维码（10 分钟内有效）。Scan the QR code behind the link with the shop\'s WeChat account (link valid 10 minutes).'
      : '二维码已打印在服务器终端。The QR code is printed in the server\'s terminal.',
    linkPath,
  });
}

export async function alertLogout(d: AlertDeps, reason?: string): Promise<void> {
  await post(d, {
    key: 'wechaty:logout', severity: 'critical',
    title: '微信号已掉线 The WeChat account logged out',
    text: `客户在微信上的消息暂时收不到，请重新扫码登录。Customers' WeChat messages are not received until someone scans the login QR code again.${reason ? `\n(${String(reason).slice(0, 120)})` : ''}`,
  });
}

export async function alertLogin(d: AlertDeps): Promise<void> {
  await post(d, { key: 'wechaty:login', severity: 'info', title: '微信号已重新登录 The WeChat account is logged in again', text: '消息收发已恢复。Messages flow again.' });
}

export async function alertProblem(d: AlertDeps, message: string, loggedIn: boolean): Promise<void> {
  const s = stamps(d);
  const now = d.clock().getTime();
  if (loggedIn && s.problem !== undefined && now - s.problem < PROBLEM_ALERT_EVERY_MS) return;
  s.problem = now;
  await post(d, {
    key: 'wechaty:error', severity: loggedIn ? 'warning' : 'critical',
    title: loggedIn ? '微信通道出错 The WeChat channel reports an error' : '微信通道无法工作 The WeChat channel is down',
    text: message.slice(0, 200),
  });
}
