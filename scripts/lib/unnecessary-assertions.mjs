// Type assertions (`x as T`) whose expression already has the type T: with noUncheckedIndexedAccess
// on, a cast is either needed (an indexed read the code knows is in range) or noise. Lists the noise.
import ts from "typescript";

/** `file:line: (expression) type` for each unnecessary assertion in the projects' sources. */
export function unnecessaryAssertions(configs) {
  const found = new Set();
  for (const cfgPath of configs) {
    const cfg = ts.getParsedCommandLineOfConfigFile(cfgPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
    if (!cfg) throw new Error(`cannot read ${cfgPath}`);
    const program = ts.createProgram(cfg.fileNames, cfg.options);
    const checker = program.getTypeChecker();
    for (const sf of program.getSourceFiles()) {
      if (sf.isDeclarationFile || sf.fileName.includes("node_modules")) continue;
      const visit = (node) => {
        if (ts.isAsExpression(node) && node.type.getText() !== "const") {
          const exprType = checker.getTypeAtLocation(node.expression);
          const target = checker.getTypeFromTypeNode(node.type);
          if (!(exprType.flags & ts.TypeFlags.Any) && checker.typeToString(exprType) === checker.typeToString(target)) {
            const { line } = sf.getLineAndCharacterOfPosition(node.getStart());
            found.add(`${sf.fileName}:${line + 1}: (${node.getText().slice(0, 80)}) ${checker.typeToString(exprType)}`);
          }
        }
        ts.forEachChild(node, visit);
      };
      visit(sf);
    }
  }
  return [...found];
}
