// Specifies the task state machine's transition table: every listed edge is allowed, everything
// else throws INVALID_TRANSITION, and no sequence of attempted changes leaves the listed states.
import { expect } from "chai";
import fc from "fast-check";
import { SchedulerError } from "../../../scheduler/SchedulerError.ts";
import {
  TASK_STATES,
  TASK_TRANSITIONS,
  assertTransition,
  canTransition,
  isTerminal,
  type TaskState,
} from "../../../scheduler/tasks/taskStates.ts";

function expectInvalid(from: TaskState, to: TaskState): void {
  try {
    assertTransition(from, to);
  } catch (error) {
    expect(error).to.be.instanceOf(SchedulerError);
    expect((error as SchedulerError).code).to.equal("INVALID_TRANSITION");
    return;
  }
  expect.fail(`${from} -> ${to} was allowed`);
}

describe("task state machine", () => {
  it("allows exactly the listed transitions", () => {
    const allowed = new Set(Object.entries(TASK_TRANSITIONS).flatMap(([from, tos]) => tos.map((to) => `${from}>${to}`)));
    expect(allowed.size).to.equal(35);
    for (const from of TASK_STATES) {
      for (const to of TASK_STATES) {
        if (allowed.has(`${from}>${to}`)) {
          expect(() => assertTransition(from, to), `${from} -> ${to}`).to.not.throw();
          expect(canTransition(from, to)).to.equal(true);
        } else {
          expectInvalid(from, to);
        }
      }
    }
  });

  it("follows the happy path waiting → assigned → running → result_uploaded → pushed → completed", () => {
    const path: TaskState[] = ["waiting", "assigned", "running", "result_uploaded", "pushed", "completed"];
    for (let i = 1; i < path.length; i += 1) expect(canTransition(path[i - 1]!, path[i]!)).to.equal(true);
  });

  it("settles a failure the SMS blamed on another party on-chain: running → failing → failure_pushed → failed, never back to waiting", () => {
    const path: TaskState[] = ["running", "failing", "failure_pushed", "failed"];
    for (let i = 1; i < path.length; i += 1) expect(canTransition(path[i - 1]!, path[i]!)).to.equal(true);
    expect(canTransition("failure_pushed", "failing"), "an unmined failTask is sent again").to.equal(true);
    expectInvalid("failing", "waiting");
    expectInvalid("failure_pushed", "waiting");
    expectInvalid("waiting", "failing");
    expectInvalid("failing", "pushed");
  });

  it("refuses going back from a result, skipping the push, and leaving terminal states", () => {
    expectInvalid("result_uploaded", "waiting");
    expectInvalid("pushed", "running");
    expectInvalid("waiting", "pushed");
    expectInvalid("assigned", "pushed");
    expectInvalid("completed", "waiting");
    expectInvalid("claimed", "completed");
    expectInvalid("waiting", "waiting");
    expectInvalid("waiting", "bogus" as TaskState);
    expect(isTerminal("completed") && isTerminal("claimed")).to.equal(true);
    expect(isTerminal("failed")).to.equal(false);
  });

  it("never reaches an unlisted state from random sequences of attempted transitions", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...TASK_STATES, "bogus", "done"), { maxLength: 40 }), (targets) => {
        let state: TaskState = "waiting";
        for (const target of targets) {
          try {
            assertTransition(state, target as TaskState);
            state = target as TaskState;
          } catch (error) {
            expect((error as SchedulerError).code).to.equal("INVALID_TRANSITION");
          }
          expect(TASK_STATES).to.include(state);
        }
        if (isTerminal(state)) expect(TASK_STATES.filter((to) => canTransition(state, to))).to.deep.equal([]);
      }),
    );
  });
});
