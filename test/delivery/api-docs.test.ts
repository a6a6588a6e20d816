import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { ROOT } from "../../test-support/index.js";

// The published declarations document themselves: every exported function and class of the four
// libraries carries a JSDoc line, the main entry points an @example, and every @example compiles
// against the published types.
const LIBS = ["etl", "stats", "model", "report"] as const;
const ENTRY_POINTS: Record<(typeof LIBS)[number], string[]> = {
  etl: ["runEtl", "openSource", "readProcessed"],
  stats: ["analyze", "welchTTest", "chiSquareIndependence", "ksTwoSample", "leveneTest"],
  model: ["trainModel", "RandomForestClassifier", "LogisticRegression", "binaryMetrics", "PipeModel"],
  report: ["renderReportHtml", "formatMetricsText", "formatAnalysisText"],
};

interface Documented {
  lib: string;
  name: string;
  kind: string;
  doc: string;
  examples: string[];
}

function declarations(lib: string): Documented[] {
  const file = join(ROOT, "packages", lib, "dist/index.d.ts");
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const out: Documented[] = [];
  const exported = new Set<string>();
  source.forEachChild((node) => {
    if (ts.isExportDeclaration(node) && node.exportClause && ts.isNamedExports(node.exportClause)) {
      for (const e of node.exportClause.elements) if (!e.isTypeOnly) exported.add((e.propertyName ?? e.name).text);
    }
  });
  source.forEachChild((node) => {
    let name: string | undefined;
    let kind = "";
    if (ts.isFunctionDeclaration(node) && node.name) [name, kind] = [node.name.text, "function"];
    else if (ts.isClassDeclaration(node) && node.name) [name, kind] = [node.name.text, "class"];
    else if (ts.isVariableStatement(node)) {
      const d = node.declarationList.declarations[0];
      if (d && ts.isIdentifier(d.name) && d.type && (ts.isFunctionTypeNode(d.type) || /=>/.test(d.type.getText()))) [name, kind] = [d.name.text, "function"];
    }
    if (!name || !exported.has(name)) return;
    const jsdoc = ts.getJSDocCommentsAndTags(node).filter(ts.isJSDoc);
    const doc = jsdoc.map((j) => ts.getTextOfJSDocComment(j.comment) ?? "").join("\n");
    const examples = jsdoc.flatMap((j) => (j.tags ?? []).filter((t) => t.tagName.text === "example").map((t) => ts.getTextOfJSDocComment(t.comment) ?? ""));
    out.push({ lib, name, kind, doc, examples });
  });
  return out;
}

const all = LIBS.flatMap(declarations);

describe("the libraries' published declarations", () => {
  it("document every exported function and class", () => {
    expect(all.length).toBeGreaterThan(60);
    const bare = all.filter((d) => d.doc.trim() === "").map((d) => `@pipe/${d.lib} ${d.kind} ${d.name}`);
    expect(bare).toEqual([]);
  });

  it.each(LIBS)("@pipe/%s's main entry points carry an @example", (lib) => {
    for (const name of ENTRY_POINTS[lib]) {
      const d = all.find((x) => x.lib === lib && x.name === name);
      expect(d, `${name} is not exported by @pipe/${lib}`).toBeDefined();
      expect(d?.examples.length, `${name} has no @example`).toBeGreaterThan(0);
    }
  });

  it("every @example compiles against the published types", () => {
    const dir = mkdtempSync(join(tmpdir(), "pipe-examples-"));
    try {
      symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
      const files: string[] = [];
      all
        .filter((d) => d.examples.length)
        .forEach((d, i) => {
          // Each example in its own module, with every package's exports in scope by name.
          const imports = [
            'import { readFileSync } from "node:fs";',
            ...LIBS.map((lib) => `import * as ${lib}Lib from "${join(ROOT, "packages", lib, "dist/index.js")}";`),
          ].join("\n");
          const scope = `const { ${[...new Set(all.filter((x) => x.lib === d.lib).map((x) => x.name))].join(", ")} } = ${d.lib}Lib;`;
          const file = join(dir, `example-${i}-${d.name}.ts`);
          writeFileSync(file, `${imports}\n${scope}\nexport async function example() {\n${d.examples.join("\n")}\n}\n`);
          files.push(file);
        });
      expect(files.length).toBeGreaterThanOrEqual(15);
      const program = ts.createProgram(files, {
        strict: true,
        noEmit: true,
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
        target: ts.ScriptTarget.ES2022,
        skipLibCheck: true,
        types: ["node"],
        typeRoots: [join(ROOT, "node_modules/@types")],
        noUnusedLocals: false,
      });
      const diagnostics = ts
        .getPreEmitDiagnostics(program)
        .filter((d) => d.file && files.includes(d.file.fileName))
        .map((d) => `${d.file?.fileName.split("/").pop()}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
      expect(diagnostics).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
