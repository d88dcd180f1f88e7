import { AppError } from '../../shared/app-error.js';
import { accountLinkFlow } from './account-link-flow.js';
import { cancelOrderFlow } from './cancel-order-flow.js';
import { changeOrderFlow } from './change-order-flow.js';
import { csatFlow } from './csat-flow.js';
import type { AnyFlowDefinition } from './flow-definition.js';
import { leaveMessageFlow } from './leave-message-flow.js';
import { orderStatusFlow } from './order-status-flow.js';
import { returnFlow } from './return-flow.js';

/**
 * Every multi-turn flow, in one list: the engine finds a flow here by the name stored in a frame
 * or by the intent that starts it. A new flow is one file (copy `change-order-flow.ts`) and one
 * line below.
 */
const BUILT_IN: readonly AnyFlowDefinition[] = [
  orderStatusFlow,
  returnFlow,
  cancelOrderFlow,
  changeOrderFlow,
  leaveMessageFlow,
  csatFlow,
  accountLinkFlow,
];

const byName = new Map<string, AnyFlowDefinition>();
const byIntent = new Map<string, AnyFlowDefinition>();

/**
 * Adds a flow (the built-ins are added on load; tests and shop extensions may add more). Two
 * flows with one name, or one intent starting two flows, are refused. Returns the undo.
 */
export function registerFlow(def: AnyFlowDefinition): () => void {
  if (byName.has(def.name)) throw new AppError('CONFLICT', `flow "${def.name}" is already registered`);
  const taken = def.intents.find((i) => byIntent.has(i));
  if (taken) throw new AppError('CONFLICT', `intent "${taken}" already starts flow "${byIntent.get(taken)!.name}"`);
  if (!def.states[def.start]) throw new AppError('CONFIG_INVALID', `flow "${def.name}" starts in "${def.start}", which is not one of its states`);
  byName.set(def.name, def);
  for (const i of def.intents) byIntent.set(i, def);
  return () => {
    if (byName.get(def.name) !== def) return;
    byName.delete(def.name);
    for (const i of def.intents) byIntent.delete(i);
  };
}

for (const def of BUILT_IN) registerFlow(def);

export function flowByName(name: string): AnyFlowDefinition | undefined {
  return byName.get(name);
}

/** The flow this intent starts, if any. */
export function flowForIntent(intent: string): AnyFlowDefinition | undefined {
  return byIntent.get(intent);
}

export function registeredFlows(): readonly AnyFlowDefinition[] {
  return [...byName.values()];
}

/** The satisfaction question and the like: see `FlowDefinition.optional`. */
export function isOptionalFlow(name: string): boolean {
  return byName.get(name)?.optional === true;
}
