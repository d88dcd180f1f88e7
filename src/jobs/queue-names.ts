/** The queues shopdesk uses; names are constants so producers and workers cannot drift apart. */
export const QUEUE_NAMES = { inbound: 'inbound', outbound: 'outbound', maintenance: 'maintenance', staffNotify: 'staff-notify' } as const;

export type QueueName = (typeof QUEUE_NAMES)[keyof typeof QUEUE_NAMES];

export const ALL_QUEUE_NAMES: readonly QueueName[] = Object.values(QUEUE_NAMES);
