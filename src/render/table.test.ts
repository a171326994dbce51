import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { renderTable } from "./table.ts";
import { ansiStyle } from "./text-style.ts";

const esc = String.fromCharCode(27);
const strip = (text: string) => text.replace(new RegExp(`${esc}\\[\\d+m`, "g"), "");

// kubectl's printers pad columns with spaces; an escape code must never count as width, or
// coloured columns would drift from the plain ones.
describe("renderTable with a style", () => {
  const headers = ["NAME", "CPU"];
  const rows = [
    ["m5.large", "1.93"],
    ["t3.nano", "1.93"],
  ];
  it("the plain table has padded columns", () => {
    assert.equal(renderTable(headers, rows), "NAME       CPU\nm5.large   1.93\nt3.nano    1.93");
  });
  it("a coloured table is the plain one plus escape codes on the header line", () => {
    const coloured = renderTable(headers, rows, ansiStyle);
    assert.equal(strip(coloured), renderTable(headers, rows));
    assert.ok(coloured.startsWith("\x1b[1mNAME"));
    assert.ok(!coloured.split("\n")[1]?.includes("\x1b["), "data rows stay plain");
  });
});
