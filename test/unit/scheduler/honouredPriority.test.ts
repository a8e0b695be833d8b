// Which class the scheduler queues a deal in: the one its params ask for, urgent only when the deal
// pays the workerpool at least the pool's urgent price.
import { expect } from "chai";
import { honouredPriority } from "../../../scheduler/intake/honouredPriority.ts";

describe("honouredPriority", function () {
  it("queues a deal in the class its params name, normal when they name none or are not JSON", function () {
    expect(honouredPriority('{"priority":"batch"}', 1n, 0n)).to.deep.equal({ priority: "batch", demoted: false });
    expect(honouredPriority('{"window":"24h"}', 1n, 0n)).to.deep.equal({ priority: "normal", demoted: false });
    expect(honouredPriority("--window 24h", 1n, 0n)).to.deep.equal({ priority: "normal", demoted: false });
  });

  it("honours urgent at or above the pool's urgent price, and queues it as normal below", function () {
    expect(honouredPriority('{"priority":"urgent"}', 5n, 5n)).to.deep.equal({ priority: "urgent", demoted: false });
    expect(honouredPriority('{"priority":"urgent"}', 4n, 5n)).to.deep.equal({ priority: "normal", demoted: true });
    expect(honouredPriority('{"priority":"batch"}', 0n, 5n), "batch costs nothing extra").to.deep.equal({ priority: "batch", demoted: false });
  });

  it("queues params the SMS would refuse as normal", function () {
    expect(honouredPriority('{"priority":"asap"}', 9n, 0n)).to.deep.equal({ priority: "normal", demoted: false });
  });
});
