import type { StaffNotificationKind } from '../../crm/index.js';
import type { StaffNotifier } from '../../shared/staff-notifier.js';

/**
 * The staff notifiers this installation has (the desk always; a webhook, Slack, Teams, the WeCom app, a WeCom
 * robot when configured). Outbox rows are written per target that shows a kind, so every process
 * that writes rows must register the same targets.
 */
export class StaffNotifierRegistry {
  private readonly notifiers = new Map<string, StaffNotifier>();

  register(n: StaffNotifier): this {
    this.notifiers.set(n.target, n);
    return this;
  }

  get(target: string): StaffNotifier | undefined {
    return this.notifiers.get(target);
  }

  targets(): string[] {
    return [...this.notifiers.keys()];
  }

  /** The targets showing a kind (the outbox's fan-out). */
  readonly targetsFor = (kind: StaffNotificationKind): string[] =>
    [...this.notifiers.values()].filter((n) => n.kinds.includes(kind)).map((n) => n.target);
}
