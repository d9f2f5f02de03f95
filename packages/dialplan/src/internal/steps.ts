/**
 * Evaluation that is synchronous unless a dialplan function answers with a promise
 * (ENUMLOOKUP): evaluators are generators that yield only those promises, and a driver runs
 * them either synchronously (load time) or asynchronously (calls).
 */

/** A generator evaluation step: yields pending function results, returns `T`. */
export type Steps<T> = Generator<Promise<string>, T, string>;

/** A value that may still be pending. */
export type MaybePromise<T> = T | Promise<T>;

/** Resolves a function result inside a step: `const text = yield* settle(read())`. */
export function* settle(value: MaybePromise<string>): Steps<string> {
  if (typeof value === 'string') return value;
  return yield value;
}

/** Runs steps to completion, awaiting what they yield. */
export async function runSteps<T>(steps: Steps<T>): Promise<T> {
  let result = steps.next();
  while (!result.done) {
    let value: string;
    try {
      value = await result.value;
    } catch (error) {
      result = steps.throw(error);
      continue;
    }
    result = steps.next(value);
  }
  return result.value;
}

/**
 * Runs steps that must not wait. When one tries to, `onPending` decides the value it gets
 * instead (load-time substitution, where Asterisk has no channel to run functions on).
 */
export function runStepsSync<T>(steps: Steps<T>, onPending: () => string): T {
  let result = steps.next();
  while (!result.done) {
    result.value.catch(() => undefined);
    result = steps.next(onPending());
  }
  return result.value;
}
