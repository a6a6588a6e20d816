import { readFileSync } from "node:fs";
import { parseCsv } from "@pipe/etl";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATASETS } from "../../../../test-support/index.js";
import { titanicModel } from "../../test/model-fixture.js";
import { createApp } from "../app.js";

let fixture: Awaited<ReturnType<typeof titanicModel>>;
beforeAll(async () => {
  fixture = await titanicModel();
});
afterAll(() => fixture.cleanup());

const FIELDS = ["Pclass", "Sex", "Age", "SibSp", "Parch", "Fare", "Embarked"];
/** Titanic's passengers as API records: numbers as numbers, blanks left out. */
function passengers(): Record<string, unknown>[] {
  const [header, ...rows] = parseCsv(readFileSync(DATASETS.titanic, "utf8"), { delimiter: "," }).map((r) => r.fields);
  return rows.map((row) => {
    const r: Record<string, unknown> = {};
    for (const f of FIELDS) {
      const v = row[(header as string[]).indexOf(f)] ?? "";
      if (v.trim() !== "") r[f] = ["Sex", "Embarked"].includes(f) ? v : Number(v);
    }
    return r;
  });
}

interface Drift {
  status: string;
  window: { size: number; rows: number };
  reference_rows: number | null;
  dataset_drift?: boolean;
  columns?: { column: string; method: string; drifted: boolean }[];
  prediction?: { drifted: boolean } | null;
}

async function send(app: ReturnType<typeof createApp>, records: Record<string, unknown>[]) {
  for (let i = 0; i < records.length; i += 100) {
    const res = await app.request("/predict/batch", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ records: records.slice(i, i + 100) }),
    });
    expect(res.status).toBe(200);
  }
}

describe("GET /drift and the drift gauges", () => {
  it("collects first, then compares the recent records with the training data: a resample does not drift", async () => {
    const app = createApp({ model: fixture.model, driftWindow: 300 });
    const before = (await (await app.request("/drift")).json()) as Drift;
    expect(before).toMatchObject({ status: "collecting", window: { size: 300, rows: 0 }, reference_rows: 623 });
    const all = passengers();
    let seed = 3;
    const resample = Array.from({ length: 300 }, () => {
      seed = (seed * 48271) % 2147483647;
      return all[seed % all.length] as Record<string, unknown>;
    });
    await send(app, resample);
    const d = (await (await app.request("/drift")).json()) as Drift;
    expect(d.status).toBe("ok");
    expect(d.dataset_drift).toBe(false);
    // 623 training rows: tests, not distances.
    expect(d.columns?.find((c) => c.column === "Age")?.method).toBe("ks");
    expect(d.columns?.find((c) => c.column === "Sex")?.method).toBe("z_proportion");
  });

  it("finds drift in shifted records, and says so on /metrics; the window keeps only the last records", async () => {
    const app = createApp({ model: fixture.model, driftWindow: 200 });
    const shifted = passengers()
      .slice(0, 400)
      .map((r) => ({ ...r, Age: ((r.Age as number | undefined) ?? 30) + 25, Fare: ((r.Fare as number) ?? 10) * 4, Pclass: 1 }));
    await send(app, shifted);
    const d = (await (await app.request("/drift")).json()) as Drift;
    expect(d.window).toEqual({ size: 200, rows: 200 });
    const drifted = d.columns?.filter((c) => c.drifted).map((c) => c.column);
    expect(drifted).toEqual(expect.arrayContaining(["Age", "Fare", "Pclass"]));
    expect(d.prediction?.drifted).toBe(true);
    const metrics = await (await app.request("/metrics")).text();
    expect(metrics).toMatch(/^pipe_drift_window_rows 200$/m);
    expect(metrics).toMatch(/^pipe_drift_detected\{column="Age"\} 1$/m);
    expect(metrics).toMatch(/^pipe_drift_score\{column="Fare",method="ks"\} [0-9.e-]+$/m);
    expect(metrics).toMatch(/^pipe_dataset_drift [01]$/m);
  });

  it("DRIFT_WINDOW=0 keeps nothing and says the drift is unavailable", async () => {
    const app = createApp({ model: fixture.model, driftWindow: 0 });
    await send(app, passengers().slice(0, 50));
    expect(((await (await app.request("/drift")).json()) as Drift).status).toBe("unavailable");
    expect(await (await app.request("/metrics")).text()).toMatch(/^pipe_drift_window_rows 0$/m);
  });
});
