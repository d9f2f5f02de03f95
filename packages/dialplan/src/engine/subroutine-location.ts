/**
 * `[[context,]exten,]priority[(arg1[,...])]` relative to a session's location, for Gosub runs
 * on other channels or later (Dial b()/B(), hangup handlers): app_stack.c `gosub_exec()`.
 */
import { splitArgs } from '../internal/split-args.js';
import type { DialplanLocation, DialplanSession } from './dialplan-session.js';

/** Parses a Gosub location; a label priority is looked up in the target extension. */
export function parseSubroutineLocation(session: DialplanSession, text: string): { target: DialplanLocation; args: string[] } {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  const label = open < 0 ? text : text.slice(0, open);
  const args = open < 0 ? [] : splitArgs(text.slice(open + 1, close < open ? undefined : close));
  const parts = label.split(',');
  const priorityText = (parts.at(-1) ?? '1').trim();
  const exten = parts.length >= 2 ? (parts.at(-2) as string) : session.exten;
  const context = parts.length >= 3 ? (parts.at(-3) as string) : session.context;
  const priority = /^\d+$/.test(priorityText) ? Number(priorityText) : (session.findLabel(context, exten, priorityText) ?? 1);
  return { target: { context, exten, priority }, args };
}
