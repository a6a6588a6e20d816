import { describe, expect, it } from "vitest";
import { dayFirstDate, isoDate, isoMonthNameDate, localDateColumns, monthFirstDate, monthNameDateColumns } from "./local-dates.js";
import { NumberFields } from "./number-fields.js";
import type { openCsv } from "./open.js";
import { chunkedSource, openedRecords } from "./push-chunks.test-util.js";

describe("isoDate", () => {
  it.each([
    ["31.12.2024", "day first", "2024-12-31"],
    ["1/5/2024", "day first", "2024-05-01"],
    ["1/5/2024", "month first", "2024-01-05"],
    ["29.02.2024", "day first", "2024-02-29"],
    [" 31-12-2023 ", "day first", "2023-12-31"],
    ["31.12.2024 9:05", "day first", "2024-12-31 09:05"],
    ["12/31/2024T23:59:58", "month first", "2024-12-31 23:59:58"],
    ["2024/12/31", "year first", "2024-12-31"],
    ["2024.1.5 7:00", "year first", "2024-01-05 07:00"],
    ["2024-1-5", "year first", "2024-01-05"],
  ] as const)("%j read %s is %j", (text, order, iso) => {
    expect(isoDate(text, order)).toBe(iso);
  });
  it.each([
    ["29.02.2023", "day first"],
    ["31.04.2024", "day first"],
    ["12/31/2024", "day first"],
    ["0.1.2024", "day first"],
    ["31.12.24", "day first"],
    ["2024-12-31", "day first"],
    ["31.12/2024", "day first"],
    ["31.12.2024 24:00", "day first"],
    ["1.234.5678", "day first"],
    ["2024/31/12", "year first"],
    ["2024/12-31", "year first"],
    ["31.12.2024", "year first"],
  ] as const)("%j read %s is no date", (text, order) => {
    expect(isoDate(text, order)).toBeUndefined();
  });
});

describe("localDateColumns", () => {
  const missing = new Set(["", "NA"]);
  it("reads each column in the order its values show, dotted ones day first, and leaves undecidable or mixed ones", () => {
    const rows = [
      ["13.01.2024", "1/13/2024", "13/1/2024", "01.02.2024", "01/02/2024", "13/01/2024", "1.234.5678", "31.02.2024"],
      ["02.03.2024", "2/3/2024", "2/3/2024", "NA", "03/04/2024", "01/13/2024", "x", "01.01.2024"],
      ["", "12/31/2024 10:00", "31/12/2024", "05.06.2024", "", "", "", ""],
    ];
    expect([...localDateColumns(rows, missing)]).toEqual([
      [0, "day first"],
      [1, "month first"],
      [2, "day first"],
      [3, "day first"],
    ]);
  });
  it("reads a column its values cannot tell (every day the 1st to the 12th) in the order a hint gives; the values decide when they can", () => {
    const rows = [
      ["01/02/2024", "13/01/2024", "01.02.2024"],
      ["03/04/2024", "02/01/2024", "05.06.2024"],
    ];
    expect([...localDateColumns(rows, missing)]).toEqual([
      [1, "day first"],
      [2, "day first"],
    ]);
    const hints = new Map([
      [0, "month first" as const],
      [1, "month first" as const],
      [2, "month first" as const],
    ]);
    // Column 1 shows day first (13/01): its values win over the hint; dotted dates are day first everywhere.
    expect([...localDateColumns(rows, missing, hints)]).toEqual([
      [0, "month first"],
      [1, "day first"],
      [2, "day first"],
    ]);
  });
  it("reads year-first columns not written as ISO, and leaves ISO ones (with a T or not) and mixed ones", () => {
    const rows = [
      ["2024/12/31", "2024-12-31", "2024-1-5", "2024-12-31T10:00", "2024/12/31", "2024-12-31"],
      ["2024/1/5 8:30", "2024-01-05 08:30", "2024-12-31", "2024-01-05T08:30:00", "31/12/2024", "2024/01/05"],
    ];
    expect([...localDateColumns(rows, missing)]).toEqual([
      [0, "year first"],
      [2, "year first"],
      [5, "year first"],
    ]);
  });
});

describe("dates rewritten as ISO", () => {
  const rewrite = (text: string, form = dayFirstDate) => {
    const f = new NumberFields(0x3b, form);
    return Buffer.concat([f.push(Buffer.from(text)), f.end()]).toString();
  };
  it("writes each date in full, the fields growing without cutting the next ones short", () => {
    const short = Array.from({ length: 2000 }, (_, i) => `${1 + (i % 28)}/${1 + (i % 12)}/2024 ${i % 10}:30;${i}`).join("\n");
    const out = rewrite(short).split("\n");
    expect(out).toHaveLength(2000);
    expect(out[0]).toBe("2024-01-01 00:30;0");
    expect(out[1999]).toBe(`2024-${String(1 + (1999 % 12)).padStart(2, "0")}-${String(1 + (1999 % 28)).padStart(2, "0")} 09:30;1999`);
    expect(rewrite("1/2/2024", monthFirstDate)).toBe("2024-01-02");
    // Not dates: as they came.
    expect(rewrite('31.02.2024;x;"1/1/2024"x;12.5\n')).toBe('31.02.2024;x;"1/1/2024"x;12.5\n');
  });
  it("rewrites the same whatever the chunks (every cut)", () => {
    const text = Buffer.from('a;b\n1/2/2024;"3/4/2024 5:06"\r\n31.12.2024;x\n7/8/2024');
    const whole = rewrite(text.toString());
    for (let i = 0; i <= text.length; i++) {
      for (let j = i; j <= text.length; j += 2) {
        const f = new NumberFields(0x3b, dayFirstDate);
        const parts = [text.subarray(0, i), text.subarray(i, j), text.subarray(j)].map((p) => Buffer.from(f.push(p)));
        expect(Buffer.concat([...parts, f.end()]).toString()).toBe(whole);
      }
    }
    expect(whole).toBe('a;b\n2024-02-01;"2024-04-03 05:06"\r\n2024-12-31;x\n2024-08-07');
  });
});

describe("openCsv and local dates", () => {
  const rows = async (text: string, options: Parameters<typeof openCsv>[1] = {}) => {
    const { csv, rows } = await openedRecords(chunkedSource("dates.csv", text, 7), options);
    return { rows: rows.map(([, fields]) => fields), forms: csv.numberForms };
  };
  it("reads a Japanese export's dates (2024/12/31) as ISO dates", async () => {
    expect(await rows("日付,n\n2024/12/31,1\n2024/1/5 9:00,2\n")).toEqual({
      rows: [
        ["2024-12-31", "1"],
        ["2024-01-05 09:00", "2"],
      ],
      forms: [{ form: "year-first date", columns: ["日付"] }],
    });
  });
  it("reads a German and an American export's dates as ISO dates, and says which columns", async () => {
    const text = "datum,us,note\n13.01.2024,1/13/2024,a\n02.03.2024 14:30,2/3/2024,b\n,12/31/2024,c\n";
    expect(await rows(text)).toEqual({
      rows: [
        ["2024-01-13", "2024-01-13", "a"],
        ["2024-03-02 14:30", "2024-02-03", "b"],
        ["", "2024-12-31", "c"],
      ],
      forms: [
        { form: "day-first date", columns: ["datum"] },
        { form: "month-first date", columns: ["us"] },
      ],
    });
  });
});

describe("dates with their month named", () => {
  it.each([
    ["Jan 1 2000", "2000-01-01"],
    ["January 1, 2000", "2000-01-01"],
    ["Jan. 01, 2000", "2000-01-01"],
    ["sept 30 2001", "2001-09-30"],
    ["Feb 29 2000", "2000-02-29"],
    ["01-Jan-2000", "2000-01-01"],
    ["1 January 2000", "2000-01-01"],
    ["31-DEC-1999 23:59:58", "1999-12-31 23:59:58"],
    [" May 5, 2002 9:30 ", "2002-05-05 09:30"],
  ] as const)("%j is %j", (text, iso) => {
    expect(isoMonthNameDate(text)).toBe(iso);
  });
  it.each(["Feb 29 2001", "Jan 32 2000", "Foo 1 2000", "Janu 1 2000", "Jan 1 00", "1-Jan 2000", "Jan 1 2000 24:00", "Jan-1-2000", "Monday"])(
    "%j is no date",
    (text) => {
      expect(isoMonthNameDate(text)).toBeUndefined();
    },
  );
  it("finds the columns whose every value is one (blanks and missing tokens aside)", () => {
    const rows = [
      ["Jan 1 2000", "01-Jan-2000", "Jan 1 2000", "May"],
      ["", "NA", "2000-01-02", "June"],
      ["Mar 3, 2001", "2-Feb-2000", "Feb 2 2000", "July"],
    ];
    expect([...monthNameDateColumns(rows, new Set(["", "NA"]))]).toEqual([0, 1]);
  });
  it("openCsv reads vega-datasets' stocks.csv form and a quoted American one as ISO dates, whatever the chunks, and says which column", async () => {
    const text = 'symbol,date,when\nMSFT,Jan 1 2000,"January 15, 2000"\nMSFT,Feb 1 2000,"Sept 3, 2001 9:30"\nAAPL,Dec 1 2009,\n';
    const { csv, rows } = await openedRecords(chunkedSource("stocks.csv", text, 5), {});
    expect(rows.map(([, fields]) => fields)).toEqual([
      ["MSFT", "2000-01-01", "2000-01-15"],
      ["MSFT", "2000-02-01", "2001-09-03 09:30"],
      ["AAPL", "2009-12-01", ""],
    ]);
    expect(csv.numberForms).toEqual([{ form: "month-name date", columns: ["date", "when"] }]);
  });
});
