import { expect } from "chai";
import { arrayInsert, decimal, type ArrayColumn } from "../../../src/persistence/arrayInsert.ts";

type Row = { id: bigint | null; name: string };
const columns: ArrayColumn<Row>[] = [
  { name: "id", type: "numeric", value: (row) => decimal(row.id) },
  { name: "name", type: "varchar", value: (row) => row.name },
];

describe("arrayInsert", () => {
  it("writes one array parameter per column, each holding that column of every row in order", () => {
    const rows: Row[] = [{ id: 2n ** 255n, name: "a" }, { id: null, name: "b" }];
    const { sql, parameters } = arrayInsert("t", columns, rows, "RETURNING id");
    expect(sql).to.equal("INSERT INTO t (id, name) SELECT * FROM unnest($1::numeric[], $2::varchar[]) RETURNING id");
    expect(parameters).to.deep.equal([[(2n ** 255n).toString(), null], ["a", "b"]]);
  });

  it("keeps the same statement whatever the number of rows, and refuses an insert without columns", () => {
    expect(arrayInsert("t", columns, []).sql).to.equal(arrayInsert("t", columns, [{ id: 1n, name: "x" }]).sql);
    expect(() => arrayInsert("t", [], [])).to.throw(RangeError);
  });
});
