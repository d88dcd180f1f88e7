import type { z } from 'zod';
import type { FlowFrame } from '../engine/dialogue-state.js';
import type { FlowOutcome, TurnContext } from '../engine/turn-types.js';

/** The target that finishes a flow (the frame is dropped; a handoff also ends it). */
export const END = 'end';

/** A frame whose slots were parsed with its flow's schema. */
export type FlowFrameOf<S> = Omit<FlowFrame, 'slots'> & { slots: S };

/** One state of a flow: what it waits for, the handler that reads the customer's answer, where it may go. */
export interface FlowState<S> {
  /** One line for the generated table (docs/flows.md). */
  about: string;
  /** The states this one may move to (itself, to ask again, included explicitly); `END` to finish. */
  to: readonly string[];
  /**
   * Reads this turn's message. The outcome's frame (if any) must be in a state listed in `to`;
   * `notAnAnswer` leaves the frame where it was and lets the router treat the message as a new request.
   */
  run(ctx: TurnContext, frame: FlowFrameOf<S>): Promise<FlowOutcome> | FlowOutcome;
}

/**
 * A multi-turn flow as one declared state machine: a new flow is one file exporting
 * `defineFlow({...})` plus one line in `flow-registry.ts`. The runner (engine/flow-runner.ts)
 * parses the slots with `slots` whenever a frame is loaded, runs the state's handler and refuses
 * any transition the table does not list.
 */
export interface FlowDefinition<S extends Record<string, unknown> = Record<string, unknown>> {
  /** Stored in the conversation's flow frame: renaming a flow drops frames open under the old name. */
  name: string;
  /** One line for the generated table. */
  about: string;
  /** Classifier intents that start this flow (a flow with none is started by the engine itself). */
  intents: readonly string[];
  /** The flow's typed slots; unknown keys are stripped, a stored frame that does not parse is dropped. */
  slots: z.ZodType<S>;
  /** The state a new frame is in. */
  start: string;
  /** The one transition table. */
  states: Readonly<Record<string, FlowState<S>>>;
  /**
   * An optional question (the satisfaction score): any other message drops it silently. It is not
   * resumed after an interruption, cancelled with a notice, timed out with a notice, nor does it
   * keep the conversation from settling.
   */
  optional?: boolean;
  /**
   * States where a message carrying this flow's own intent (and no order number or button)
   * continues the flow by asking its question again, instead of starting it over.
   */
  reaskOnOwnIntent?: readonly string[];
}

/** Any flow, with its slot type erased (what the registry and runner hold). */
export type AnyFlowDefinition = FlowDefinition<Record<string, unknown>>;

/** Declares a flow (an identity function that fixes the slot type for the handlers). */
export function defineFlow<S extends Record<string, unknown>>(def: FlowDefinition<S>): FlowDefinition<S> {
  return def;
}

/** A flow's table as plain rows, for docs and tests. */
export function transitionsOf(def: Pick<AnyFlowDefinition, 'states'>): { from: string; to: readonly string[]; about: string }[] {
  return Object.entries(def.states).map(([from, s]) => ({ from, to: s.to, about: s.about }));
}
