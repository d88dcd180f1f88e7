import type { Redis } from 'ioredis';

/**
 * The order of each group's jobs, kept in a Redis list per group (open-source BullMQ has no groups).
 * A job of a group may run only while it is the head of its list and its worker holds the group lock;
 * it leaves the list when it completes or is dead-lettered, so a job waiting for a retry keeps its
 * group blocked.
 */

// Append only if absent: a re-added id (deduplicated by BullMQ) must not take a second place.
const APPEND_LUA = `if redis.call('lpos', KEYS[1], ARGV[1]) == false then return redis.call('rpush', KEYS[1], ARGV[1]) else return 0 end`;
// Pop only if the head is still the given id: two workers may race to remove the same stale head.
const POP_HEAD_LUA = `if redis.call('lindex', KEYS[1], 0) == ARGV[1] then redis.call('lpop', KEYS[1]) return 1 else return 0 end`;

/** States in which a job will still run; any other head is stale (completed, failed, removed). */
const LIVE_STATES = new Set(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children']);

export class RedisGroupOrder {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async append(queue: string, group: string, jobId: string): Promise<void> {
    await this.redis.eval(APPEND_LUA, 1, this.key(queue, group), jobId);
  }

  /**
   * The id of the job that should run next in the group, dropping heads whose job will never run
   * (for example an id re-added after its job completed, or a job removed by hand).
   */
  async head(queue: string, group: string, stateOf: (jobId: string) => Promise<string>): Promise<string | null> {
    const key = this.key(queue, group);
    for (;;) {
      const head = await this.redis.lindex(key, 0);
      if (head === null || LIVE_STATES.has(await stateOf(head))) return head;
      await this.redis.eval(POP_HEAD_LUA, 1, key, head);
    }
  }

  /**
   * How many jobs are ahead of `jobId` in its group (0: it may run). A job missing from the list is
   * appended, so one whose place was lost (for example a re-run after its completion failed) still runs.
   */
  async position(queue: string, group: string, jobId: string, stateOf: (jobId: string) => Promise<string>): Promise<number> {
    if ((await this.head(queue, group, stateOf)) === jobId) return 0;
    const key = this.key(queue, group);
    const pos = await this.redis.lpos(key, jobId);
    if (pos !== null) return pos;
    await this.append(queue, group, jobId);
    return (await this.redis.lpos(key, jobId)) ?? 0;
  }

  /** Removes `jobId` from the head of its group; returns the id of the new head, if any. */
  async pop(queue: string, group: string, jobId: string): Promise<string | null> {
    const key = this.key(queue, group);
    await this.redis.eval(POP_HEAD_LUA, 1, key, jobId);
    return this.redis.lindex(key, 0);
  }

  private key(queue: string, group: string): string {
    return `${this.prefix}:shopdesk-group:${queue}:${group}`;
  }
}
