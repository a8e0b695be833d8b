// Runs an action that must fail and returns what it failed with, checked to be the expected typed
// error class and, when given, the expected stable code; the test fails if the action succeeds.
import { expect } from "chai";
import type { ContinuumError } from "../../src/core/ContinuumError.ts";

// `any[]`, not `never[]`: with `never` TypeScript would infer the base class's code type as never.
type ErrorClass<E extends ContinuumError> = abstract new (...args: any[]) => E;

function checked<E extends ContinuumError>(ErrorClass: ErrorClass<E>, error: unknown, code: E["code"] | undefined): E {
  expect(error, `expected a ${ErrorClass.name}${code ? ` ${code}` : ""}`).to.be.instanceOf(ErrorClass);
  if (code !== undefined) expect((error as E).code).to.equal(code);
  return error as E;
}

/** The error `action` throws, an `ErrorClass` with `code` when given. */
export function thrownBy<E extends ContinuumError>(ErrorClass: ErrorClass<E>, action: () => unknown, code?: E["code"]): E {
  try {
    action();
  } catch (error) {
    return checked(ErrorClass, error, code);
  }
  return expect.fail(`expected a ${ErrorClass.name}${code ? ` ${code}` : ""}, but nothing was thrown`);
}

/** The error `action` (a promise, or a function that throws or returns one) fails with, checked likewise. */
export async function rejectionOf<E extends ContinuumError>(
  ErrorClass: ErrorClass<E>,
  action: Promise<unknown> | (() => unknown),
  code?: E["code"],
): Promise<E> {
  try {
    await (typeof action === "function" ? action() : action);
  } catch (error) {
    return checked(ErrorClass, error, code);
  }
  return expect.fail(`expected a ${ErrorClass.name}${code ? ` ${code}` : ""}, but it succeeded`);
}
