/**
 * Operational alerts for staff and admins: things about the installation rather than about one
 * conversation (a WeChat account logged out, a login QR code to scan). Conversation events go
 * through the staff outbox (staff-notifier.ts); these go straight to the places admins watch —
 * the WeCom group robot, the desk webhook — and always to the log. Channels get the port in
 * `ChannelServices.alerts`; the composition root builds it from the configured staff tools.
 */
export interface StaffAlert {
  /** What it is about, stable per cause (`wechaty:logout`): targets may use it to group repeats. */
  key: string;
  severity: 'info' | 'warning' | 'critical';
  /** One line, zh + en. Never secrets or customer data. */
  title: string;
  /** A few lines more (what happened, what to do). */
  text: string;
  /** A path on this installation (`/media/<id>?t=…`, `/desk`), prefixed with PUBLIC_URL by targets that link. */
  linkPath?: string;
  /** An absolute link to show as is. */
  linkUrl?: string;
}

/** One place an alert can be posted (the WeCom robot, a webhook). Throws on failure. */
export interface StaffAlertTarget {
  readonly target: string;
  postAlert(alert: StaffAlert): Promise<void>;
}

export interface StaffAlerts {
  /** Posts to every target; resolves when each has answered or failed (a failure is logged, never thrown). */
  alert(alert: StaffAlert): Promise<{ posted: string[]; failed: string[] }>;
}

/** The port over a list of targets; `log` is told of every alert and of each target that failed. */
export function fanOutAlerts(targets: readonly StaffAlertTarget[], log: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void }): StaffAlerts {
  return {
    async alert(a) {
      (a.severity === 'critical' ? log.error : log.warn).call(log, { alert: a.key, severity: a.severity, targets: targets.map((t) => t.target) }, a.title);
      const posted: string[] = [];
      const failed: string[] = [];
      await Promise.all(targets.map(async (t) => {
        try {
          await t.postAlert(a);
          posted.push(t.target);
        } catch (err) {
          // an alert that cannot be posted is itself worth a log line at the alert's weight: the
          // channel's health carries the state too, so nothing depends on the post alone
          failed.push(t.target);
          log.error({ alert: a.key, target: t.target, err: (err as Error).message }, 'could not post a staff alert');
        }
      }));
      return { posted, failed };
    },
  };
}
