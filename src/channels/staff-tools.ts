import type express from 'express';
import type { AssistantPort } from '../shared/assistant-port.js';
import type { MediaStore } from '../shared/media-types.js';
import type { StaffAlertTarget } from '../shared/staff-alerts.js';
import type { StaffActionSink, StaffNotifier } from '../shared/staff-notifier.js';
import type { SlackToolSettings } from './slack/slack-module.js';
import type { ContactLookup } from './slack/slack-staff-notifier.js';
import type { WecomAppDeps, WecomAppSettings } from './wecom-app/wecom-app-module.js';
import { WecomRobotNotifier } from './wecom-robot/wecom-robot-notifier.js';

/**
 * The external places staff work, as configured: Slack and the WeCom self-built app
 * (notifications and staff actions) and a WeCom group robot (alerts only). The composition root registers `notifiers` with the desk's
 * registry before the engine starts, and mounts `routers(sink)` once the desk exists. Slack's
 * library (bolt, ~0.8 s to load) is loaded only when Slack is configured.
 */
export async function createStaffTools(
  cfg: { slack?: SlackToolSettings; wecomRobot?: { webhookUrl: string }; wecomApp?: WecomAppSettings; publicUrl?: string },
  deps: { media?: MediaStore; contacts?: ContactLookup; wecomApp?: WecomAppDeps } = {},
) {
  const slack = cfg.slack
    ? (await import('./slack/slack-module.js')).createSlackStaffTool(cfg.slack, { publicUrl: cfg.publicUrl, media: deps.media, contacts: deps.contacts })
    : undefined;
  const wecomApp = cfg.wecomApp && deps.wecomApp
    ? (await import('./wecom-app/wecom-app-module.js')).createWecomAppStaffTool(cfg.wecomApp, deps.wecomApp)
    : undefined;
  const notifiers: StaffNotifier[] = [];
  /** Where operational alerts (a channel's account logged out, a login QR code) are posted. */
  const alertTargets: StaffAlertTarget[] = [];
  if (slack) notifiers.push(slack.notifier);
  if (wecomApp) notifiers.push(wecomApp.notifier);
  // config requires PUBLIC_URL with the robot: its alerts are links into /desk
  if (cfg.wecomRobot && cfg.publicUrl) {
    const robot = new WecomRobotNotifier({ webhookUrl: cfg.wecomRobot.webhookUrl, publicUrl: cfg.publicUrl });
    notifiers.push(robot);
    alertTargets.push(robot);
  }
  return {
    notifiers,
    alertTargets,
    routers(sink: StaffActionSink, assistant?: AssistantPort): express.Router[] {
      return [...(slack ? [slack.router(sink, assistant)] : []), ...(wecomApp ? [wecomApp.router(sink, assistant)] : [])];
    },
  };
}
