import type { AssistantPort } from '../../shared/assistant-port.js';
import type { ChannelStateStore } from '../../shared/channel-lifecycle.js';
import { logger } from '../../shared/logger.js';
import type { ExternalStaffAction, StaffActionResult, StaffActionSink, StaffCommand } from '../../shared/staff-notifier.js';
import { clipBytes, WECOM_SOURCE, type WecomAppMessage } from './wecom-app-cards.js';
import { parseButtonKey, parseStaffCommand } from './wecom-app-commands.js';
import type { WecomAppInbound } from './wecom-app-decode.js';
import { T } from './wecom-app-texts.js';

const log = logger('wecom-app.responder');

/** The one conversation a staff member's plain messages go to, kept per WeCom user for every process. */
export class SelectedConversations {
  constructor(private readonly state: ChannelStateStore) {}

  async get(user: string): Promise<number | undefined> {
    const v = Number(await this.state.get(`selected:${user}`));
    return Number.isSafeInteger(v) && v > 0 ? v : undefined;
  }

  async set(user: string, conversationId: number | undefined): Promise<void> {
    await this.state.set(`selected:${user}`, conversationId ? String(conversationId) : '');
  }
}

export interface WecomAppResponderDeps {
  sink: StaffActionSink;
  assistant: AssistantPort;
  selected: SelectedConversations;
  /** Whether a WeCom user id is bound to an active staff member (`shopdesk staff link NAME wecom USERID`). */
  isStaff: (user: string) => Promise<boolean>;
  send: (user: string, message: WecomAppMessage) => Promise<void>;
  uploadImage: (png: Uint8Array) => Promise<string>;
  /** Replaces a tapped card's buttons for everyone it went to (with the tap's response code). */
  updateCard?: (responseCode: string, label: string) => Promise<void>;
}

const CARD_LABELS = { claim: '已接单', resolve: '已结束', release: '已交还机器人' } as const;

const text = (content: string): WecomAppMessage => ({ msgtype: 'text', text: { content: clipBytes(content, 2000) } });

/**
 * Does what a staff member asked in the WeCom app, as the staff member bound to their WeCom user
 * id, through the desk's `StaffActionSink` (same rules, transaction and audit as /desk) and the
 * managers' assistant. Unbound users get one polite refusal and nothing else. A reply to the
 * customer is silent on success (the staff member sees what they wrote); every refusal is said.
 */
export class WecomAppResponder {
  constructor(private readonly deps: WecomAppResponderDeps) {}

  async respond(inbound: Exclude<WecomAppInbound, { kind: 'ignore' }>): Promise<void> {
    const tell = (content: string) => this.deps.send(inbound.user, text(content));
    if (!(await this.deps.isStaff(inbound.user))) return tell(T.notLinked(inbound.user));
    if (inbound.kind === 'unsupported') return tell(T.unsupported);
    if (inbound.kind === 'button') {
      const b = parseButtonKey(inbound.key);
      if (!b) return inbound.key.startsWith('open:') ? undefined : tell(T.unknownButton);
      return this.transition(inbound.user, inbound.id, b.action, b.conversationId, inbound.responseCode);
    }
    const cmd = parseStaffCommand(inbound.text);
    switch (cmd.type) {
      case 'help': return tell(T.help);
      case 'claim': return this.transition(inbound.user, inbound.id, 'claim', cmd.conversationId);
      case 'select':
        await this.deps.selected.set(inbound.user, cmd.conversationId);
        return tell(T.selected(cmd.conversationId));
      case 'resolve':
      case 'release': {
        const id = cmd.conversationId ?? (await this.deps.selected.get(inbound.user));
        return id ? this.transition(inbound.user, inbound.id, cmd.type, id) : tell(T.noSelection);
      }
      case 'ask': return this.ask(inbound.user, cmd.text);
      case 'note': {
        const id = await this.deps.selected.get(inbound.user);
        if (!id) return tell(T.noSelection);
        if (!cmd.text) return tell(T.emptyNote);
        const r = await this.perform(inbound.user, inbound.id, id, { type: 'note', text: cmd.text });
        if (r) return tell(r.ok ? T.noted(id) : T.failed(r.message));
        return;
      }
      case 'text': {
        const id = await this.deps.selected.get(inbound.user);
        // nobody to answer: everything else is a question for the assistant
        if (!id) return this.ask(inbound.user, cmd.text);
        const r = await this.perform(inbound.user, inbound.id, id, { type: 'reply', text: cmd.text });
        if (!r || r.ok) return;
        // the conversation is no longer theirs (resolved, released, taken over): stop sending to it
        if (r.reason === 'not_owner' || r.reason === 'unknown_conversation' || r.reason === 'channel_gone') {
          await this.deps.selected.set(inbound.user, undefined);
          return tell(`${T.notSent(id, r.message)}\n${T.deselected}`);
        }
        return tell(T.notSent(id, r.message));
      }
    }
  }

  private async transition(user: string, actionId: string, type: 'claim' | 'resolve' | 'release', conversationId: number, responseCode?: string): Promise<void> {
    const tell = (content: string) => this.deps.send(user, text(content));
    const r = await this.perform(user, actionId, conversationId, { type });
    if (!r) return;
    if (!r.ok) return tell(T.failed(r.message));
    if (responseCode && this.deps.updateCard && !r.duplicate) {
      // the others' copies stop offering 接单; a failure here changes nothing that matters
      await this.deps.updateCard(responseCode, CARD_LABELS[type]).catch((err: unknown) => log.warn({ err: (err as Error).message.slice(0, 200) }, 'could not update the WeCom card'));
    }
    if (type === 'claim') {
      await this.deps.selected.set(user, conversationId);
      return tell(T.claimed(conversationId));
    }
    if ((await this.deps.selected.get(user)) === conversationId) await this.deps.selected.set(user, undefined);
    return tell(type === 'resolve' ? T.resolved(conversationId) : T.released(conversationId));
  }

  /** The sink's outcome, or undefined after telling the user it could not be taken (an outage). */
  private async perform(user: string, id: string, conversationId: number, command: StaffCommand): Promise<StaffActionResult | undefined> {
    const action: ExternalStaffAction = { source: WECOM_SOURCE, externalStaffId: user, platformMessageId: id, conversation: { conversationId }, command };
    try {
      return await this.deps.sink.perform(action);
    } catch (err) {
      log.error({ err: (err as Error).message.slice(0, 300), command: command.type }, 'a staff action from the WeCom app failed');
      await this.deps.send(user, text(T.notTaken));
      return undefined;
    }
  }

  private async ask(user: string, question: string): Promise<void> {
    if (!question) return this.deps.send(user, text(T.help));
    const answer = await this.deps.assistant.ask(question, { source: WECOM_SOURCE, externalStaffId: user });
    await this.deps.send(user, text(answer.ok ? answer.text : answer.message));
    if (answer.ok && answer.chartPng) {
      const mediaId = await this.deps.uploadImage(answer.chartPng);
      await this.deps.send(user, { msgtype: 'image', image: { media_id: mediaId } });
    }
  }
}
